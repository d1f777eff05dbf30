#!/bin/sh
# Background sync: with a TheHive target set, a step closed in the TUI
# reaches the fake TheHive without another key press, and the case view's
# status bar shows the sync state (for a drill without a drill target,
# that it is not synced).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux || ! command -v python3 >/dev/null 2>&1; then
	skip "background sync" "tmux or python3 is not installed"
	exit 0
fi
KEY=fake-key-$$-secret
rm -f "$T/port"
python3 "$IRCASE_TOP/tests/fakehive/fakehive.py" --version 5.2 \
    --key "$KEY=sync@soc" >"$T/port" &
FAKE_PID=$!
trap 'tui_stop; kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
URL="http://127.0.0.1:$(awk '{print $2}' "$T/port")"
export IRCASE_SYSLOG_FACILITY=off
unset https_proxy http_proxy all_proxy HTTPS_PROXY ALL_PROXY no_proxy NO_PROXY

fixture_case "Synced case"
fixture_case "Drill case"
sqlite3 "$IRCASE_DB" "UPDATE \"case\" SET kind = 'drill' WHERE id = 2;
    UPDATE outbox SET target = 'drill' WHERE case_id = 2"

# completed COUNT: true once the fake holds COUNT completed tasks.
completed() {
	curl -s "$URL/_fake/state" | python3 -c "import json,sys
s = json.load(sys.stdin)
sys.exit(0 if sum(t['status'] == 'Completed' for t in s['tasks']) == $1 else 1)"
}

tui_start 160 24 IRCASE_THEHIVE_URL="$URL" IRCASE_THEHIVE_KEY="$KEY" \
    IRCASE_THEHIVE_ORG=SOC IRCASE_SYNC_INTERVAL=1
check_wait "list drawn" "Synced case"
# The list shows the newest case first: the drill.
keys Enter
check_wait "drill case opens" "Drill case"
check_wait "drill without target not synced" "sync: no drill target" 5
keys q
check_wait "back on the list" "Synced case"
keys Down Enter
check_wait "case view opens" "Synced case"
check_wait "status bar shows the first sync" "sync ok " 10
keys x
check_wait "step closed" "1/3 done" 5
i=0
while ! completed 1 && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "step reaches TheHive without a key" 0 "$(completed 1; echo $?)"
check_wait "status bar shows nothing pending" "sync ok " 10
check "nothing left in the outbox" 0 "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM outbox WHERE case_id = 1 AND state != 'done'")"
keys q q
check_clean_exit "quits cleanly"

# At 80 columns the sync state fits whole beside the case's progress.
tui_start 80 24 IRCASE_THEHIVE_URL="$URL" IRCASE_THEHIVE_KEY="$KEY" \
    IRCASE_THEHIVE_ORG=SOC IRCASE_SYNC_INTERVAL=1
check_wait "80 columns: list drawn" "Synced case"
keys Down Enter
check_wait "80 columns: case view opens" "1/3 done"
check_wait "80 columns: sync state whole" "sync ok " 10
last=$(screen | tail -n 1)
check_match "80 columns: time not cut" "sync ok [0-9]{2}:[0-9]{2}:[0-9]{2} *$" "$last"
keys q q
check_clean_exit "80 columns: quits cleanly"
