#!/bin/sh
# ircase sync against the fake TheHive (tests/fakehive): requests as the
# files in tests/sync/data give them, no duplicates after faults, the key
# kept secret, and versions 4 and 5.2.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_fake.sh"

CHECK="$IRCASE_TOP/tests/sync/check.py"
DATA="$IRCASE_TOP/tests/sync/data"
PB="$IRCASE_TOP/playbooks/phishing.md"

# fake_version VERSION [ARGS]: start a fake of that version with two keys.
fake_version() {
	v=$1
	shift
	fake_start --version "$v" --key "$KEY=sync@soc" \
	    --key "analyst-key=analyst@soc" "$@"
}
state() { curl -s "$URL/_fake/state" >"$T/state.json"; }
count() { python3 -c "import json,sys; print(len(json.load(open('$T/state.json'))['$1']))"; }
api() { curl -s -H "Authorization: Bearer analyst-key" -H "Content-Type: application/json" "$@"; }
fresh_db() { export IRCASE_DB="$T/$1.db"; rm -f "$IRCASE_DB"*; }

# --- requests as the data files give them, per version -----------------
for v in 4 5.2; do
	fake_version "$v"
	fresh_db "req$v"
	"$IRCASE" new --playbook "$PB" --title "Request check" >/dev/null
	check_match "status before sync: no head" \
	    "^  TheHive holds no chain head yet" "$("$IRCASE" sync --status)"
	"$IRCASE" step 1 1 start >/dev/null
	"$IRCASE" note 1 "a note" >/dev/null
	"$IRCASE" sync >"$T/out" 2>&1
	check "sync to $v exits 0" 0 $?
	check_match "status after sync: current head" \
	    "^  TheHive holds the current chain head" "$("$IRCASE" sync --status)"
	"$IRCASE" decide 1 not-incident --reason "test alert" >/dev/null 2>&1
	"$IRCASE" close 1 --summary "nothing found" >/dev/null 2>&1
	"$IRCASE" sync >>"$T/out" 2>&1
	state
	for f in "$DATA"/*-"$v".json; do
		r=$(KEY="$KEY" python3 "$CHECK" request "$f" "$T/state.json")
		check "request $(basename "$f" .json)" match "$r"
	done
	check "dates integers on $v" integers "$(python3 "$CHECK" ints "$T/state.json")"
	check "one case on $v" 1 "$(count cases)"
	fake_stop
done

# --- faults: one object per local object ---------------------------------
fake_version 5.2
fault_case() {
	name=$1
	spec=$2
	fresh_db "$name"
	"$IRCASE" new --playbook "$PB" --title "Fault $name" >/dev/null
	"$IRCASE" note 1 "first" >/dev/null
	"$IRCASE" step 1 2 start --note "go" >/dev/null
	"$IRCASE" note 1 "second" >/dev/null
	curl -s -X POST "$URL/_fake/reset" >/dev/null
	fault "$spec"
	"$IRCASE" sync >"$T/out" 2>&1
	"$IRCASE" sync >>"$T/out" 2>&1
	state
	check "$name: no duplicates" unique "$(python3 "$CHECK" unique "$T/state.json")"
	check "$name: one case" 1 "$(count cases)"
	check "$name: every log" 4 "$(count logs)"
	left=$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM outbox WHERE state != 'done'")
	check "$name: outbox empty" 0 "$left"
}
fault_case case-commit-500 '{"method":"POST","path":"/api/v1/case","commit":true,"status":500}'
fault_case case-commit-drop '{"method":"POST","path":"/api/v1/case","commit":true,"drop":true}'
fault_case case-500-json '{"method":"POST","path":"/api/v1/case","status":503,"retry_after":0}'
fault_case case-html-502 '{"method":"POST","path":"/api/v1/case","status":502,"body":"<html><body><h1>502 Bad Gateway</h1></body></html>"}'
fault_case task-commit-drop '{"method":"POST","path":"/api/v1/case/.*/task","commit":true,"drop":true,"times":3}'
fault_case task-delay '{"method":"POST","path":"/api/v1/case/.*/task","delay_ms":300}'
fault_case log-commit-500 '{"method":"POST","path":"/api/v1/task/.*/log","commit":true,"status":500,"times":2}'
fault_case log-commit-drop '{"method":"POST","path":"/api/v1/task/.*/log","commit":true,"drop":true,"times":2}'
fault_case log-drop '{"method":"POST","path":"/api/v1/task/.*/log","drop":true}'
fault_case log-429 '{"method":"POST","path":"/api/v1/task/.*/log","status":429,"retry_after":1}'

# --- two processes syncing one database at once --------------------------
fresh_db twin
"$IRCASE" new --playbook "$PB" --title "Twin" >/dev/null
for i in 1 2 3 4 5; do "$IRCASE" note 1 "twin note $i" >/dev/null; done
curl -s -X POST "$URL/_fake/reset" >/dev/null
curl -s -X POST -d '{"ms":5}' "$URL/_fake/latency" >/dev/null
"$IRCASE" sync >"$T/twin1" 2>&1 &
p1=$!
"$IRCASE" sync >"$T/twin2" 2>&1
wait $p1
curl -s -X POST -d '{"ms":0}' "$URL/_fake/latency" >/dev/null
state
check "twin: no duplicates" unique "$(python3 "$CHECK" unique "$T/state.json")"
check "twin: one case" 1 "$(count cases)"
check "twin: six logs" 6 "$(count logs)"

# --- a push killed with SIGKILL at three moments, then finished ----------
# Remote ids are written in batches while requests are in flight, so a
# kill loses some of them; the next pass must find those logs by marker.
fresh_db killed
"$IRCASE" new --playbook "$PB" --title "Killed" >/dev/null
curl -s -X POST "$URL/_fake/reset" >/dev/null
curl -s -X POST -d '{"ms":20}' "$URL/_fake/latency" >/dev/null
for round in 1 2 3; do
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		"$IRCASE" note 1 "round $round note $i" >/dev/null
	done
	IRCASE_THEHIVE_PARALLEL=2 "$IRCASE" sync >/dev/null 2>&1 &
	pid=$!
	sleep "0.$((round * 2))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
done
curl -s -X POST -d '{"ms":0}' "$URL/_fake/latency" >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
check "killed: last sync exits 0" 0 $?
state
check "killed: no duplicates" unique "$(python3 "$CHECK" unique "$T/state.json")"
check "killed: one case" 1 "$(count cases)"
check "killed: every log" 37 "$(count logs)"
check "killed: outbox empty" 0 "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM outbox WHERE state != 'done'")"
check "killed: every log mapped" 37 "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM remote_map WHERE kind = 'log'")"
# Each task's logs were created in action order (the fake's ids grow).
check "killed: logs in order per task" ordered "$(python3 -c "
import json, re
logs = json.load(open('$T/state.json'))['logs']
by_task = {}
for l in sorted(logs, key=lambda l: int(l['_id'][1:])):
    m = re.search(r'<!-- ircase:[0-9a-f-]+:([0-9]+) -->', l['message'])
    by_task.setdefault(l['_task'], []).append(int(m.group(1)))
bad = [t for t, seqs in by_task.items() if seqs != sorted(seqs)]
print('ordered' if not bad else 'out of order: %s' % by_task)
")"

# --- 413 with an HTML body; the other items still go -----------------------
fake_stop
fake_version 5.2 --max-body 20000
fresh_db big
big=$(head -c 30000 /dev/zero | tr '\0' 'x')
"$IRCASE" new --playbook "$PB" --title "Big" >/dev/null
"$IRCASE" note 1 "$big" >/dev/null
"$IRCASE" note 1 "small after big" >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
check "413: sync exits 1" 1 $?
check_match "413: reported with status" "HTTP 413 with a body that is not JSON: 413 Request Entity Too Large" "$(cat "$T/out"; "$IRCASE" sync --status)"
state
check_match "413: small note sent" "small after big" "$(python3 -c "import json; print([l['message'] for l in json.load(open('$T/state.json'))['logs']])")"
check "413: one row failed" 1 "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM outbox WHERE state = 'failed'")"

# --- non-ASCII text in the C locale ----------------------------------------
fresh_db utf8
LC_ALL=C "$IRCASE" new --playbook "$PB" --title "Hameçonnage — 钓鱼" >/dev/null
LC_ALL=C "$IRCASE" note 1 "Zugriff gesperrt ✓ ü" >/dev/null
curl -s -X POST "$URL/_fake/reset" >/dev/null
LC_ALL=C "$IRCASE" sync >"$T/out" 2>&1
state
check "C locale: title kept" "Hameçonnage — 钓鱼" "$(python3 -c "import json; print(json.load(open('$T/state.json'))['cases'][0]['title'])")"
check_match "C locale: log kept" "Zugriff gesperrt ✓ ü" "$(python3 -c "import json; print([l['message'] for l in json.load(open('$T/state.json'))['logs']])")"

# --- the id of a created log is read from its reply, not from its text ----
# A log's reply repeats its text.  A text with quotes, brackets,
# backslashes and its own "_id" must not change the id the client stores.
"$IRCASE" note 1 'look: {"_id": "~1", "x": [1, {"y": "}"}]} \" \\ ]' >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
check "tricky text: sync exits 0" 0 $?
state
want=$(python3 -c "import json; print([l['_id'] for l in json.load(open('$T/state.json'))['logs'] if 'look: {' in l['message']][0])")
got=$(sqlite3 "$IRCASE_DB" "SELECT m.remote_id FROM remote_map m JOIN action a ON a.id = m.local_id WHERE m.kind = 'log' AND a.body LIKE '%look: {%'")
check "tricky text: log id mapped" "$want" "$got"

# --- pull: a task status and a log made in TheHive come back -------------
fresh_db pull
"$IRCASE" new --playbook "$PB" --title "Pull" >/dev/null
curl -s -X POST "$URL/_fake/reset" >/dev/null
"$IRCASE" sync >/dev/null 2>&1
task=$(sqlite3 "$IRCASE_DB" "SELECT remote_id FROM remote_map m JOIN step s ON s.id = m.local_id WHERE m.kind = 'task' AND s.seq = 3")
api -X PATCH -d '{"status":"Completed"}' "$URL/api/v1/task/$task" >/dev/null
api -d '{"message":"done from the web UI"}' "$URL/api/v1/task/$task/log" >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
check "pull: step 3 done" done "$(sqlite3 "$IRCASE_DB" "SELECT state FROM step WHERE case_id = 1 AND seq = 3")"
check "pull: actor is thehive login" "thehive:analyst@soc" "$(sqlite3 "$IRCASE_DB" "SELECT actor FROM action WHERE kind = 'thehive.log'")"
check "pull: not sent back" 1 "$(python3 -c "import json,urllib.request; s=json.load(urllib.request.urlopen('$URL/_fake/state')); print(sum('web UI' in l['message'] for l in s['logs']))")"
# Both sides change one step: both are kept.
api -X PATCH -d '{"status":"Cancel"}' "$URL/api/v1/task/$task" >/dev/null
"$IRCASE" step 1 3 pending >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
check "conflict: recorded" 1 "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM action WHERE kind = 'sync.conflict'")"
check_match "conflict: shown" "1 conflict" "$("$IRCASE" sync --status)"

# --- the key stays secret ---------------------------------------------------
fault '{"method":"POST","path":"/api/v1/query","status":500,"times":50}'
export IRCASE_TRACE="$T/trace"
"$IRCASE" note 1 "after" >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
"$IRCASE" sync --status >>"$T/out" 2>&1
"$IRCASE" thehive check >>"$T/out" 2>&1
"$IRCASE" export 1 >>"$T/out" 2>&1
unset IRCASE_TRACE
check_no_match "key not in output" "$KEY" "$(cat "$T/out")"
check_no_match "key not in trace" "$KEY" "$(cat "$T/trace")"
check "key not in database" 0 "$(grep -c "$KEY" "$IRCASE_DB"* | awk -F: '{s+=$2} END {print s+0}')"
check_match "trace has requests" "POST /api/v1/query -> 500" "$(cat "$T/trace")"

# --- key sources ------------------------------------------------------------
unset IRCASE_THEHIVE_KEY
printf '%s\n' "$KEY" >"$T/key"
chmod 644 "$T/key"
out=$(IRCASE_THEHIVE_KEY_FILE="$T/key" "$IRCASE" thehive check 2>&1)
check "loose key file rejected" 1 $?
check_match "loose key file reason" "group or others can access it \(mode 0644\)" "$out"
chmod 600 "$T/key"
out=$(IRCASE_THEHIVE_KEY_FILE="$T/key" "$IRCASE" thehive check 2>&1)
check_match "key file works" "the key works" "$out"
out=$(IRCASE_THEHIVE_KEY_CMD="cat '$T/key'" "$IRCASE" thehive check 2>&1)
check_match "key command works" "the key works" "$out"
mkdir -p "$XDG_CONFIG_HOME/ircase"
printf 'thehive:\n  url: %s\n  key: %s\n' "$URL" "$KEY" >"$XDG_CONFIG_HOME/ircase/config.yaml"
chmod 644 "$XDG_CONFIG_HOME/ircase/config.yaml"
out=$(env -u IRCASE_THEHIVE_URL "$IRCASE" thehive check 2>&1)
check_match "config with key and mode 644 rejected" "config file .* group or others" "$out"
chmod 600 "$XDG_CONFIG_HOME/ircase/config.yaml"
out=$(env -u IRCASE_THEHIVE_URL "$IRCASE" thehive check 2>&1)
check_match "config key works" "the key works" "$out"
out=$(IRCASE_THEHIVE_KEY=wrong "$IRCASE" thehive check 2>&1)
check_match "wrong key reported" "AuthenticationError" "$out"
out=$(IRCASE_THEHIVE_KEY="$KEY" http_proxy=http://user:pw@proxy.invalid:3128 no_proxy= "$IRCASE" thehive check --insecure 2>&1)
check_match "insecure warns" "warning: --insecure" "$out"
check_match "proxy shown without password" "proxy +http://[*]{3}@proxy.invalid:3128" "$out"
rm -f "$XDG_CONFIG_HOME/ircase/config.yaml"

# --- drills never go to production -----------------------------------------
export IRCASE_THEHIVE_KEY="$KEY"
fresh_db drill
"$IRCASE" new --playbook "$PB" --title "Drill" >/dev/null
sqlite3 "$IRCASE_DB" "UPDATE \"case\" SET kind = 'drill'; UPDATE outbox SET target = 'drill'"
curl -s -X POST "$URL/_fake/reset" >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
check "drill: sync without drill target exits 0" 0 $?
state
check "drill: nothing in production" 0 "$(count cases)"
check "drill: no request to production" 0 "$(python3 -c "import json; print(len(json.load(open('$T/state.json'))['requests']))")"
check_match "drill: reason kept" "not synced \\(no drill target\\)" "$("$IRCASE" sync --status)"
IRCASE_THEHIVE_DRILL_URL="$URL" IRCASE_THEHIVE_DRILL_KEY="$KEY" "$IRCASE" sync >"$T/out" 2>&1
state
check "drill: sent to the drill target" 1 "$(count cases)"

# A drill started with "ircase drill start" and a real case side by side:
# only the real one reaches production.
fresh_db drillstart
"$IRCASE" drill start --playbook "$PB" --title "Started drill" >/dev/null
"$IRCASE" new --playbook "$PB" --title "Real beside it" >/dev/null
curl -s -X POST "$URL/_fake/reset" >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
state
check "drill start: only the real case in production" "Real beside it" \
    "$(python3 -c "import json; print(' '.join(c['title'] for c in json.load(open('$T/state.json'))['cases']))")"
