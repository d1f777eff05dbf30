#!/usr/bin/env python3
"""Sync benchmark: push a case with N task logs to the fake TheHive with
LATENCY ms added to every request, then post the same log bodies with a
sequential keep-alive http.client loop against the same fake, and print
both times, the ratio and ircase's peak memory.

It also prints the CPU time per request of each side: ircase's own from
wait4() on its process, the fake's from /proc/PID/stat around each run,
and the load average, so a slow run can be told from a busy machine.

usage: bench_sync.py IRCASE SETUP PLAYBOOK WORKDIR [N] [LATENCY_MS]
"""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time

top = os.path.dirname(os.path.abspath(__file__))
ircase, setup, playbook, work = sys.argv[1:5]
n = int(sys.argv[5]) if len(sys.argv) > 5 else 10000
latency = sys.argv[6] if len(sys.argv) > 6 else "2"


def proc_cpu(pid):
    """Return the user plus system CPU seconds of a running process."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_measured(argv, env):
    """Run argv and return its exit code, output, error text and rusage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errs:
        child = subprocess.Popen(argv, env=env, stdout=out, stderr=errs)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        errs.seek(0)
        return (child.returncode, out.read().decode(), errs.read().decode(),
                usage)


os.makedirs(work, exist_ok=True)
db = os.path.join(work, "bench-sync.db")
for suffix in ("", "-wal", "-shm", ".sync-lock"):
    if os.path.exists(db + suffix):
        os.remove(db + suffix)
subprocess.run([setup, db, playbook, str(n)], check=True)

fake = subprocess.Popen([sys.executable, os.path.join(top, "..", "fakehive",
                         "fakehive.py"), "--key", "bench-key=sync@soc",
                         "--latency-ms", latency], stdout=subprocess.PIPE,
                        text=True)
port = int(fake.stdout.readline().split()[1])
env = dict(os.environ, IRCASE_DB=db, IRCASE_THEHIVE_URL="http://127.0.0.1:%d"
           % port, IRCASE_THEHIVE_KEY="bench-key", IRCASE_SYSLOG_FACILITY="off",
           XDG_CONFIG_HOME=work)
try:
    load_before = os.getloadavg()
    fake_cpu0 = proc_cpu(fake.pid)
    t0 = time.monotonic()
    rc, out, errs, usage = run_measured([ircase, "sync", "--push-only"], env)
    t_ircase = time.monotonic() - t0
    fake_cpu_sync = proc_cpu(fake.pid) - fake_cpu0
    print(out.strip())
    if rc != 0:
        print(errs, file=sys.stderr)
        sys.exit(1)

    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/_fake/state")
    state = json.loads(conn.getresponse().read())
    reqs_sync = len(state["requests"])
    logs = [q for q in state["requests"] if q["method"] == "POST" and
            q["path"].endswith("/log")]
    del state
    headers = {"Authorization": "Bearer bench-key",
               "Content-Type": "application/json", "X-Organisation": "SOC"}
    fake_cpu0 = proc_cpu(fake.pid)
    t0 = time.monotonic()
    for q in logs:
        conn.request("POST", q["path"], body=q["body"].encode(),
                     headers=headers)
        resp = conn.getresponse()
        resp.read()
        if resp.status != 201:
            sys.exit("baseline: HTTP %d" % resp.status)
    t_base = time.monotonic() - t0
    fake_cpu_base = proc_cpu(fake.pid) - fake_cpu0
    load_after = os.getloadavg()
finally:
    fake.terminate()
    fake.wait()

cpu_ircase = usage.ru_utime + usage.ru_stime
print("logs sent:            %d" % len(logs))
print("ircase sync:          %.2f s" % t_ircase)
print("http.client loop:     %.2f s" % t_base)
print("ratio (loop / sync):  %.1f" % (t_base / t_ircase))
print("ircase peak RSS:      %.1f MiB" % (usage.ru_maxrss / 1024.0))
print("ircase CPU:           %.2f s (%.0f us per request, user %.2f s, "
      "system %.2f s)" % (cpu_ircase, cpu_ircase * 1e6 / reqs_sync,
                          usage.ru_utime, usage.ru_stime))
print("fake CPU, sync:       %.2f s (%.0f us per request)"
      % (fake_cpu_sync, fake_cpu_sync * 1e6 / reqs_sync))
print("fake CPU, loop:       %.2f s (%.0f us per request)"
      % (fake_cpu_base, fake_cpu_base * 1e6 / max(len(logs), 1)))
print("load average:         %.2f before, %.2f after (1 min)"
      % (load_before[0], load_after[0]))
