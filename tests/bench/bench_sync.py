#!/usr/bin/env python3
"""Sync benchmark: push a case with N task logs to the fake TheHive with
LATENCY ms added to every request, then post the same log bodies with a
sequential keep-alive http.client loop against the same fake, and print
both times, the ratio and ircase's peak memory.

usage: bench_sync.py IRCASE SETUP PLAYBOOK WORKDIR [N] [LATENCY_MS]
"""
import http.client
import json
import os
import resource
import subprocess
import sys
import time

top = os.path.dirname(os.path.abspath(__file__))
ircase, setup, playbook, work = sys.argv[1:5]
n = int(sys.argv[5]) if len(sys.argv) > 5 else 10000
latency = sys.argv[6] if len(sys.argv) > 6 else "2"
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
    t0 = time.monotonic()
    r = subprocess.run([ircase, "sync", "--push-only"], env=env,
                       capture_output=True, text=True)
    t_ircase = time.monotonic() - t0
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(r.stdout.strip())
    if r.returncode != 0:
        print(r.stderr, file=sys.stderr)
        sys.exit(1)

    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/_fake/state")
    state = json.loads(conn.getresponse().read())
    logs = [q for q in state["requests"] if q["method"] == "POST" and
            q["path"].endswith("/log")]
    headers = {"Authorization": "Bearer bench-key",
               "Content-Type": "application/json", "X-Organisation": "SOC"}
    t0 = time.monotonic()
    for q in logs:
        conn.request("POST", q["path"], body=q["body"].encode(),
                     headers=headers)
        resp = conn.getresponse()
        resp.read()
        if resp.status != 201:
            sys.exit("baseline: HTTP %d" % resp.status)
    t_base = time.monotonic() - t0
finally:
    fake.terminate()
    fake.wait()

print("logs sent:            %d" % len(logs))
print("ircase sync:          %.2f s" % t_ircase)
print("http.client loop:     %.2f s" % t_base)
print("ratio (loop / sync):  %.1f" % (t_base / t_ircase))
print("ircase peak RSS:      %.1f MiB" % (peak_kib / 1024.0))
