#!/bin/sh
# ircase sync against replies a sync must not hide: a task log
# containing a NUL, a 200 whose body is not JSON, a key command that never
# ends, TheHive 3, and a case deleted in TheHive (sync --relink).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_fake.sh"

PB="$IRCASE_TOP/playbooks/phishing.md"
fake_start --version 5.2 --key "$KEY=sync@soc" --key "analyst-key=analyst@soc"
q() { sqlite3 "$IRCASE_DB" "$1"; }
api() { curl -s -H "Authorization: Bearer analyst-key" -H "Content-Type: application/json" "$@"; }
task_of() { q "SELECT remote_id FROM remote_map m JOIN step s ON s.id = m.local_id WHERE m.kind = 'task' AND s.case_id = 1 AND s.seq = $1"; }
held() {
	curl -s "$URL/_fake/state" | python3 -c "import json,sys
print(len(json.load(sys.stdin)['$1']))"
}

# --- a log holding \u0000 comes back, with the NUL shown ------------------
export IRCASE_DB="$T/nul.db"
"$IRCASE" new --playbook "$PB" --title "NUL log" >/dev/null
"$IRCASE" sync >/dev/null 2>&1
rcase=$(q "SELECT remote_id FROM remote_map WHERE kind = 'case'")
api -d '{"message":"before\u0000after"}' "$URL/api/v1/task/$(task_of 1)/log" >/dev/null
api -d '{"message":"plain log"}' "$URL/api/v1/task/$(task_of 2)/log" >/dev/null
api -d '{"dataType":"ip","data":"198.51.100.7","tlp":2}' "$URL/api/v1/case/$rcase/observable" >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
check "nul: sync exits 0" 0 $?
check_match "nul: three pulled" " 3 pulled" "$(cat "$T/out")"
check "nul: text kept with U+2400" "before␀after|1" \
    "$(q "SELECT json_extract(body, '$.text') || '|' || json_extract(body, '$.nul_shown_as_u2400') FROM action WHERE kind = 'thehive.log' AND json_extract(body, '$.text') LIKE 'before%'")"
check "nul: the later task's log pulled" 1 \
    "$(q "SELECT count(*) FROM action WHERE kind = 'thehive.log' AND json_extract(body, '$.text') = 'plain log'")"
check "nul: the observable pulled" 1 \
    "$(q "SELECT count(*) FROM observable WHERE value = '198.51.100.7'")"
check_no_match "nul: no error in --status" "last error" "$("$IRCASE" sync --status)"

# --- a 200 that is not JSON for one task: named, the rest still pulled ---
export IRCASE_DB="$T/bad.db"
curl -s -X POST "$URL/_fake/reset" >/dev/null
"$IRCASE" new --playbook "$PB" --title "Bad reply" >/dev/null
"$IRCASE" sync >/dev/null 2>&1
rcase=$(q "SELECT remote_id FROM remote_map WHERE kind = 'case'")
bad=$(task_of 1)
api -d '{"message":"lost behind the bad reply?"}' "$URL/api/v1/task/$bad/log" >/dev/null
api -d '{"message":"after the bad task"}' "$URL/api/v1/task/$(task_of 3)/log" >/dev/null
api -d '{"dataType":"domain","data":"bad.example","tlp":2}' "$URL/api/v1/case/$rcase/observable" >/dev/null
fault "{\"method\":\"POST\",\"path\":\"/api/v1/query\",\"body_match\":\"getTask.*$bad\",\"status\":200,\"body\":\"{cut\",\"content_type\":\"application/json\",\"times\":1}"
"$IRCASE" sync >"$T/out" 2>&1
check "bad reply: sync exits 1" 1 $?
check_match "bad reply: the request is named" \
    "last error: cannot read the logs of task $bad: POST /api/v1/query: HTTP 200 with a body that is not JSON" \
    "$(cat "$T/out")"
check_match "bad reply: --status shows it" "last error: cannot read the logs of task" \
    "$("$IRCASE" sync --status)"
check "bad reply: the other task's log pulled" 1 \
    "$(q "SELECT count(*) FROM action WHERE kind = 'thehive.log' AND json_extract(body, '$.text') = 'after the bad task'")"
check "bad reply: the observable pulled" 1 \
    "$(q "SELECT count(*) FROM observable WHERE value = 'bad.example'")"
"$IRCASE" sync >"$T/out" 2>&1
check "bad reply: the next pass exits 0" 0 $?
check "bad reply: the held-back log comes next" 1 \
    "$(q "SELECT count(*) FROM action WHERE kind = 'thehive.log' AND json_extract(body, '$.text') = 'lost behind the bad reply?'")"
check_no_match "bad reply: error cleared" "last error" "$("$IRCASE" sync --status)"

# --- a key command that never ends or never stops printing --------------
cmd_time() {
	start=$(date +%s)
	IRCASE_THEHIVE_KEY= IRCASE_THEHIVE_TIMEOUT=1 IRCASE_THEHIVE_KEY_CMD="$1" \
	    timeout 20 "$IRCASE" $2 >"$T/out" 2>&1
	rc=$?
	echo "$rc $(($(date +%s) - start))"
}
r=$(cmd_time "sleep 1001" "thehive check")
check_match "key command: a hang is stopped" "^1 [0-3]$" "$r"
check_match "key command: the command is named" \
    "key command 'sleep 1001' from IRCASE_THEHIVE_KEY_CMD did not finish within 1 s" "$(cat "$T/out")"
check "key command: its process group is gone" 0 "$(pgrep -fc 'sleep 1001')"
r=$(cmd_time "yes" "thehive check")
check_match "key command: endless output is stopped" "^1 [0-3]$" "$r"
check_match "key command: too much output named" "key command 'yes' .* printed more than 65536 bytes" \
    "$(cat "$T/out")"
# What the TUI's background pass runs.
r=$(cmd_time "sleep 1002" "sync -q --no-wait")
check_match "key command: the background pass ends too" "^1 [0-3]$" "$r"
r=$(cmd_time "echo $KEY" "thehive check")
check "key command: a working one still works" "0" "${r% *}"

# --- TheHive 3 ------------------------------------------------------------
fault '{"method":"GET","path":"/api/v1/status/public","status":200,"body":{"version":"3.4.0"}}'
"$IRCASE" thehive check >"$T/out" 2>&1
check "thehive 3: check exits 1" 1 $?
check_match "thehive 3: named as not supported" \
    "TheHive 3.4.0; ircase works with TheHive 4 and 5" "$(cat "$T/out")"

# --- a case deleted in TheHive, and --relink ------------------------------
export IRCASE_DB="$T/gone.db"
curl -s -X POST "$URL/_fake/reset" >/dev/null
"$IRCASE" new --playbook "$PB" --title "Deleted there" >/dev/null
"$IRCASE" note 1 "first note" >/dev/null
"$IRCASE" sync >/dev/null 2>&1
rcase=$(q "SELECT remote_id FROM remote_map WHERE kind = 'case'")
api -X DELETE "$URL/api/v1/case/$rcase" >/dev/null
"$IRCASE" note 1 "second note" >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
check "gone: sync exits 1" 1 $?
check_match "gone: says the case is gone and what to do" \
    "TheHive no longer has case #1 \($rcase\).*run 'ircase sync 1 --relink'" "$(cat "$T/out")"
check_match "gone: --status says it too" "last error: TheHive no longer has case" \
    "$("$IRCASE" sync --status)"
"$IRCASE" sync --relink >"$T/out" 2>&1
check "relink: without CASE is a usage error" 2 $?
"$IRCASE" sync 1 --relink >"$T/out" 2>&1
check "relink: exits 0" 0 $?
check_match "relink: says what it did" "case 1 no longer linked to TheHive case $rcase" "$(cat "$T/out")"
check "relink: recorded in the chain" "$rcase" \
    "$(q "SELECT json_extract(body, '$.thehive_id') FROM action WHERE kind = 'sync.relink'")"
check "relink: no mapping left" 0 "$(q "SELECT count(*) FROM remote_map WHERE kind IN ('case', 'case_log', 'task', 'log')")"
"$IRCASE" verify 1 >/dev/null 2>&1
check "relink: the chain verifies" 0 $?
"$IRCASE" sync >"$T/out" 2>&1
check "relink: the next sync exits 0" 0 $?
check "relink: one case in TheHive again" 1 "$(held cases)"
check "relink: both notes sent to it" 2 \
    "$(curl -s "$URL/_fake/state" | python3 -c "import json,sys
print(sum(('first note' in l['message']) + ('second note' in l['message']) for l in json.load(sys.stdin)['logs']))")"
"$IRCASE" sync 1 --relink >/dev/null 2>&1
"$IRCASE" sync >/dev/null 2>&1
check "relink: a case still there is found, not copied" 1 "$(held cases)"
"$IRCASE" sync 1 --relink >/dev/null 2>&1
q "DELETE FROM remote_map"
"$IRCASE" sync 1 --relink >"$T/out" 2>&1
check "relink: an unlinked case fails" 1 $?
