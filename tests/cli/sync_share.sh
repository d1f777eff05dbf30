#!/bin/sh
# ircase sync against the fake TheHive (tests/fakehive): observables both
# ways, import by TheHive case number, and two databases working one case
# until they converge.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_fake.sh"

CHECK="$IRCASE_TOP/tests/sync/check.py"
PB="$IRCASE_TOP/playbooks/phishing.md"
fake_start --version 5.2 --key "$KEY=sync@soc" --key "analyst-key=analyst@soc"
state() { curl -s "$URL/_fake/state" >"$T/state.json"; }
q() { python3 -c "import json; s=json.load(open('$T/state.json')); print($1)"; }
api() { curl -s -H "Authorization: Bearer analyst-key" -H "Content-Type: application/json" "$@"; }

# --- observables: pushed, once each after a dropped connection, pulled back
export IRCASE_DB="$T/obs.db"
"$IRCASE" new --playbook "$PB" --title "Observables" >/dev/null
"$IRCASE" observable add 1 ip 203.0.113.9 --ioc --tag c2 >/dev/null
"$IRCASE" observable add 1 domain evil.example --tlp red >/dev/null
curl -s -X POST -d '{"method":"POST","path":"/api/v1/case/.*/observable","commit":true,"drop":true}' "$URL/_fake/fault" >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
check "observables: sync exits 0" 0 $?
state
check "observables: two in TheHive" 2 "$(q "len(s['observables'])")"
check "observables: no duplicates" unique "$(python3 "$CHECK" unique "$T/state.json")"
check "observables: ip as ioc with tag" "(True, ['c2'])" "$(q "[(o['ioc'], o['tags']) for o in s['observables'] if o['data'] == '203.0.113.9'][0]")"
check "observables: red is 4 on 5.2" 4 "$(q "[o['tlp'] for o in s['observables'] if o['dataType'] == 'domain'][0]")"
check "observables: ids stored" 2 "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM remote_map WHERE kind = 'observable'")"
rcase=$(sqlite3 "$IRCASE_DB" "SELECT remote_id FROM remote_map WHERE kind = 'case'")
api -d '{"dataType":"hash","data":"44d88612fea8a8f36de82e1278abb02f","tlp":1,"ioc":true,"tags":["eicar"]}' "$URL/api/v1/case/$rcase/observable" >/dev/null
api -d '{"dataType":"hostname","data":"WS-042.corp.example","tlp":3}' "$URL/api/v1/case/$rcase/observable" >/dev/null
"$IRCASE" sync >"$T/out" 2>&1
check "observables: pull exits 0" 0 $?
"$IRCASE" observable list 1 --json >"$T/obs.json"
check "observables: four local" 4 "$(python3 -c "import json; print(len(json.load(open('$T/obs.json'))))")"
check_match "observables: pulled hash" "hash +green +yes +44d88612fea8a8f36de82e1278abb02f" "$("$IRCASE" observable list 1)"
check_match "observables: hostname as domain" "domain +amber\+strict +no +ws-042.corp.example" "$("$IRCASE" observable list 1)"
"$IRCASE" sync >"$T/out" 2>&1
state
check "observables: pulled not sent back" 4 "$(q "len(s['observables'])")"
check "observables: pulled once" 2 "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM action WHERE kind = 'observable.add' AND actor LIKE 'thehive:%'")"

# --- import by number: one database creates, the other imports ------------
curl -s -X POST "$URL/_fake/reset" >/dev/null
A="$T/a.db"
B="$T/b.db"
IRCASE_DB="$A" "$IRCASE" new --playbook "$PB" --title "Shared phish" >/dev/null
IRCASE_DB="$A" "$IRCASE" step 1 1 start >/dev/null
IRCASE_DB="$A" "$IRCASE" note 1 "note from A before import" >/dev/null
IRCASE_DB="$A" "$IRCASE" sync >"$T/out" 2>&1
check "import: A syncs" 0 $?
number=$(sqlite3 "$A" "SELECT remote_number FROM remote_map WHERE kind = 'case'")
out=$(IRCASE_DB="$B" "$IRCASE" sync --import "$number" 2>&1)
check "import: B imports" 0 $?
check_match "import: case named" "TheHive case #$number is case 1" "$out"
check "import: same steps" "$(sqlite3 "$A" "SELECT group_concat(phase || ':' || title, '|') FROM (SELECT * FROM step ORDER BY seq)")" \
    "$(sqlite3 "$B" "SELECT group_concat(phase || ':' || title, '|') FROM (SELECT * FROM step ORDER BY seq)")"
check "import: step state" active "$(sqlite3 "$B" "SELECT state FROM step WHERE seq = 1")"
check_match "import: A's note pulled" "note from A before import" "$(sqlite3 "$B" "SELECT body FROM action WHERE kind = 'thehive.log'")"
check "import: steps linked to tasks" "$(sqlite3 "$A" "SELECT count(*) FROM step")" \
    "$(sqlite3 "$B" "SELECT count(*) FROM remote_map WHERE kind = 'task'")"
out=$(IRCASE_DB="$B" "$IRCASE" sync --import "$number" 2>&1)
check "import: twice rejected" 1 $?
check_match "import: twice names case" "already case 1 here" "$out"
out=$(IRCASE_DB="$A" "$IRCASE" sync --import "$number" 2>&1)
check_match "import: marker tag recognised" "already case 1 here" "$out"
out=$(IRCASE_DB="$B" "$IRCASE" sync --import 999 2>&1)
check_match "import: unknown number" "TheHive has no case #999" "$out"
out=$(IRCASE_DB="$B" "$IRCASE" sync --import x1 2>&1)
check "import: bad number exit" 1 $?
state
check "import: no second case" 1 "$(q "len(s['cases'])")"

# --- both work the case; after syncs they converge --------------------------
IRCASE_DB="$A" "$IRCASE" note 1 "A: mailbox purged" >/dev/null
IRCASE_DB="$A" "$IRCASE" step 1 1 done >/dev/null
IRCASE_DB="$A" "$IRCASE" step 1 2 start >/dev/null
IRCASE_DB="$B" "$IRCASE" note 1 "B: sender blocked" >/dev/null
IRCASE_DB="$B" "$IRCASE" step 1 3 start >/dev/null
IRCASE_DB="$B" "$IRCASE" step 1 4 skip >/dev/null 2>&1 || IRCASE_DB="$B" "$IRCASE" step 1 4 start >/dev/null
for db in "$A" "$B" "$A" "$B"; do
	IRCASE_DB="$db" "$IRCASE" sync >>"$T/out" 2>&1
done
states() { sqlite3 "$1" "SELECT group_concat(seq || '=' || state, ' ') FROM (SELECT * FROM step ORDER BY seq)"; }
check "converge: same step states" "$(states "$A")" "$(states "$B")"
check_match "converge: A's steps on B" "1=done 2=active 3=active" "$(states "$B")"
for text in "note from A before import" "A: mailbox purged" "B: sender blocked"; do
	check_match "converge: '$text' on A" "$text" "$(sqlite3 "$A" "SELECT body FROM action")"
	check_match "converge: '$text' on B" "$text" "$(sqlite3 "$B" "SELECT body FROM action")"
done
check "converge: nothing left on A" 0 "$(sqlite3 "$A" "SELECT count(*) FROM outbox WHERE state != 'done'")"
check "converge: nothing left on B" 0 "$(sqlite3 "$B" "SELECT count(*) FROM outbox WHERE state != 'done'")"
state
check "converge: no duplicates" unique "$(python3 "$CHECK" unique "$T/state.json")"
check "converge: one case" 1 "$(q "len(s['cases'])")"
