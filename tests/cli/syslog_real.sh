#!/bin/sh
# The syslog copy through the real syslog(3) path: the test build runs
# with $IRCASE_TEST_SYSLOG unset, so glibc sends each line to /dev/log.
# The test runs in its own mount namespace (unshare -rm) where /dev is a
# private tmpfs.  There /dev/log is a socket that a small AF_UNIX datagram
# receiver binds, so the machine's own /dev/log is never opened.
. "$(dirname "$0")/../lib.sh"

unset IRCASE_TEST_SYSLOG IRCASE_SYSLOG_FACILITY

if ! command -v unshare >/dev/null 2>&1; then
	skip "real syslog path" "unshare(1) is not installed (util-linux)"
	echo "1..$_tap_n"
	exit 0
fi
if ! unshare -rm true 2>/dev/null; then
	skip "real syslog path" "mount namespaces are not allowed here (unshare -rm failed)"
	echo "1..$_tap_n"
	exit 0
fi

# The receiver writes each datagram to $1 as one line and exits on SIGTERM.
cat >"$T/receiver.py" <<'EOF'
import os, signal, socket, sys
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind("/dev/log")
open(sys.argv[2], "w").close()
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
with open(sys.argv[1], "ab", buffering=0) as out:
    while True:
        data = sock.recv(65536)
        out.write(data.rstrip(b"\0\n") + b"\n")
EOF

# Inside the namespace: a private /dev with the nodes the program needs,
# the receiver on /dev/log, then the commands whose actions are logged.
cat >"$T/inside.sh" <<'EOF'
set -u
mkdir "$T/realdev"
mount --rbind /dev "$T/realdev" || exit 90
mount -t tmpfs tmpfs /dev || exit 91
for node in null zero random urandom tty; do
	[ -e "$T/realdev/$node" ] || continue
	touch "/dev/$node" && mount --bind "$T/realdev/$node" "/dev/$node"
done
ln -s /proc/self/fd /dev/fd
python3 "$T/receiver.py" "$T/captured" "$T/ready" &
receiver=$!
i=0
while [ ! -e "$T/ready" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -S /dev/log ] || exit 92
pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "Through syslog" >/dev/null
"$IRCASE" note 1 "first note"
IRCASE_SYSLOG_FACILITY=local2 "$IRCASE" step 1 2 start
# A datagram is queued on the socket by the time sendto() returns; wait
# up to 5 s for the receiver to write the three lines out.
i=0
while [ "$(wc -l <"$T/captured")" -lt 3 ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill "$receiver"
wait "$receiver"
exit 0
EOF

T="$T" IRCASE="$IRCASE" IRCASE_TOP="$IRCASE_TOP" \
    unshare -rm sh "$T/inside.sh" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -ge 90 ] && [ "$rc" -le 92 ]; then
	skip "real syslog path" "cannot set up a private /dev in the namespace (step $rc): $(head -c 200 "$T/err")"
	echo "1..$_tap_n"
	exit 0
fi
check "namespace run exit status" 0 "$rc"
check "receiver got one line per action" 3 "$(wc -l <"$T/captured")"

# Each line is <PRI>TIMESTAMP ircase[PID]: ircase-action {json}, and the
# JSON names the action that the database holds.
out=$(python3 - "$T/captured" "$IRCASE_DB" <<'EOF'
import json, re, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
for line in open(sys.argv[1], encoding="ascii").read().splitlines():
    m = re.match(r"<(\d+)>.*? ircase\[(\d+)\]: ircase-action (\{.*\})$", line)
    if not m:
        print("malformed %r" % line)
        continue
    pri, d = int(m.group(1)), json.loads(m.group(3))
    row = db.execute("SELECT id, kind, actor, hash FROM action"
                     " WHERE case_id = ? AND seq = ?",
                     (d["case"], d["seq"])).fetchone()
    # facility * 8 + severity; LOG_INFO is 6.
    print(d["case"], d["seq"], pri // 8, pri % 8,
          row == (d["action"], d["kind"], d["actor"], d["hash"]))
EOF
)
check "case.open via local5 info" "1 1 21 6 True" "$(echo "$out" | sed -n 1p)"
check "note via local5 info" "1 2 21 6 True" "$(echo "$out" | sed -n 2p)"
check "configured facility local2" "1 3 18 6 True" "$(echo "$out" | sed -n 3p)"

out=$("$IRCASE" verify 1 --against "$T/captured" 2>"$T/err")
check "verify --against captured exit status" 0 "$?"
check_match "verify --against captured" "case 1: matches syslog, 3 actions" \
    "$out"

echo "1..$_tap_n"
