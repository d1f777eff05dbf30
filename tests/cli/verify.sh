#!/bin/sh
# verify detects a changed, removed or reordered action once the triggers
# that normally reject UPDATE and DELETE are dropped, and names the first
# action that does not match.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"

# make_case: a fresh database with case 1 of six actions and an intact case 2.
make_case() {
	rm -f "$IRCASE_DB" "$IRCASE_DB-wal" "$IRCASE_DB-shm"
	"$IRCASE" new --playbook "$pb" --title "Tamper target" >/dev/null
	"$IRCASE" note 1 "first note"
	"$IRCASE" note 1 "second note"
	"$IRCASE" step 1 1 start
	"$IRCASE" step 1 1 done
	"$IRCASE" note 1 "last note"
	"$IRCASE" new --playbook "$pb" --title "Untouched" >/dev/null
	triggers=$(sqlite3 "$IRCASE_DB" \
	    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'action'")
	for t in $triggers; do
		sqlite3 "$IRCASE_DB" "DROP TRIGGER \"$t\""
	done
}

# action_id SEQ: the rowid of case 1's action SEQ.
action_id() {
	sqlite3 "$IRCASE_DB" "SELECT id FROM action WHERE case_id = 1 AND seq = $1"
}

make_case
check "triggers dropped" 0 \
    "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'action'")"
"$IRCASE" verify >/dev/null
check "intact database verifies" 0 "$?"

# The triggers are really there on a new database.
rm -f "$T/fresh.db"
"$IRCASE" --db "$T/fresh.db" new --playbook "$pb" --title t >/dev/null
sqlite3 "$T/fresh.db" "UPDATE action SET body = '{}'" 2>"$T/err"
check_match "trigger rejects update" '^[1-9][0-9]*$' "$?"
sqlite3 "$T/fresh.db" "DELETE FROM action" 2>"$T/err"
check_match "trigger rejects delete" '^[1-9][0-9]*$' "$?"
check "rejected writes keep the action" 1 \
    "$(sqlite3 "$T/fresh.db" 'SELECT count(*) FROM action')"

# (a) Edit the body of action 3.
make_case
id3=$(action_id 3)
sqlite3 "$IRCASE_DB" "UPDATE action SET body = json_set(body, '$.text', 'forged') WHERE id = $id3"
"$IRCASE" verify >"$T/out" 2>"$T/err"
check "edited body exit status" 3 "$?"
check "edited body one line" 1 "$(wc -l <"$T/err")"
check_match "edited body names action" "^ircase: case 1: action id $id3 \\(seq 3\\) does not match its hash: its content was changed$" "$(cat "$T/err")"
check_match "edited body other case intact" "^case 2: intact" "$(cat "$T/out")"
"$IRCASE" verify 2 >/dev/null 2>&1
check "verify other case alone" 0 "$?"
"$IRCASE" verify 1 >/dev/null 2>"$T/err"
check "verify tampered case alone" 3 "$?"
"$IRCASE" export 1 -o "$T/tampered.json" 2>"$T/err"
check "export tampered exit status" 3 "$?"
check_match "export tampered names action" "^ircase: case 1: action id $id3 \\(seq 3\\) does not match" "$(cat "$T/err")"
out=$(python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))["verify"]
print(v["ok"], v["bad_seq"], v["bad_action_id"], bool(v["reason"]))' "$T/tampered.json")
check "export tampered verify object" "False 3 $id3 True" "$out"

# (b) Delete action 3 from the middle of the chain.
make_case
id3=$(action_id 3)
id4=$(action_id 4)
sqlite3 "$IRCASE_DB" "DELETE FROM action WHERE id = $id3"
"$IRCASE" verify >"$T/out" 2>"$T/err"
check "deleted action exit status" 3 "$?"
check "deleted action one line" 1 "$(wc -l <"$T/err")"
check_match "deleted action names next" "^ircase: case 1: action id $id4 has sequence number 4 where 3 was expected$" "$(cat "$T/err")"

# (c) Swap the seq values of actions 2 and 3.
make_case
id2=$(action_id 2)
id3=$(action_id 3)
sqlite3 "$IRCASE_DB" "UPDATE action SET seq = -1 WHERE id = $id2;
    UPDATE action SET seq = 2 WHERE id = $id3;
    UPDATE action SET seq = 3 WHERE id = $id2"
"$IRCASE" verify >"$T/out" 2>"$T/err"
check "swapped seq exit status" 3 "$?"
check "swapped seq one line" 1 "$(wc -l <"$T/err")"
check_match "swapped seq names first" "^ircase: case 1: action id $id2 has sequence number 3 where 2 was expected$" "$(cat "$T/err")"

# (d) Delete the last action: the count on the case row shows it.
make_case
id6=$(action_id 6)
sqlite3 "$IRCASE_DB" "DELETE FROM action WHERE id = $id6"
"$IRCASE" verify 1 >"$T/out" 2>"$T/err"
check "deleted last action exit status" 3 "$?"
check "deleted last action one line" 1 "$(wc -l <"$T/err")"
check_match "deleted last action names case" \
    "^ircase: case 1 records 6 actions but 5 were found$" "$(cat "$T/err")"

# show ends with the chain line and exits 3 when the chain is broken.
make_case
"$IRCASE" show 1 >"$T/out" 2>"$T/err"
check "show intact exit status" 0 "$?"
check_match "show intact chain line" \
    '^Chain: intact, 6 actions, head [0-9a-f]{16}…$' "$(tail -n 1 "$T/out")"
id3=$(action_id 3)
sqlite3 "$IRCASE_DB" "UPDATE action SET body = json_set(body, '$.text', 'forged') WHERE id = $id3"
"$IRCASE" show 1 >"$T/out" 2>"$T/err"
check "show tampered exit status" 3 "$?"
check "show tampered last line" \
    "Chain: BROKEN: action id $id3 (seq 3) does not match its hash: its content was changed; run 'ircase verify 1'" \
    "$(tail -n 1 "$T/out")"
check "show tampered prints the case" 1 "$(grep -c '^Case #1: Tamper target$' "$T/out")"
"$IRCASE" show 2 >/dev/null 2>&1
check "show other case still exits 0" 0 "$?"

# note and step still append to a broken chain, with a warning.
"$IRCASE" note 1 "after tampering" 2>"$T/err"
check "note on broken chain exit status" 0 "$?"
check "note on broken chain warns" \
    "ircase: warning: the action log of case 1 is already broken; this change is recorded anyway; run 'ircase verify 1' for details" \
    "$(cat "$T/err")"
check "note on broken chain stored" 1 "$(sqlite3 "$IRCASE_DB" \
    "SELECT count(*) FROM action WHERE case_id = 1 AND json_extract(body, '$.text') = 'after tampering'")"
"$IRCASE" step 1 2 start 2>"$T/err"
check "step on broken chain exit status" 0 "$?"
check_match "step on broken chain warns" '^ircase: warning: the action log of case 1 is already broken' \
    "$(cat "$T/err")"
"$IRCASE" note 2 "intact case" 2>"$T/err"
check "note on intact chain prints nothing" "" "$(cat "$T/err")"

# Values of a type or range ircase never writes hash like the originals
# once converted, so verify rejects the row itself.
sqlite3 "$IRCASE_DB" "DROP TRIGGER IF EXISTS action_no_update"
for change in "step_seq = 4294967298" "step_seq = '2abc'" "step_seq = -5" \
    "time_us = time_us || 'xyz'" "body = CAST(body AS BLOB)"; do
	n=$("$IRCASE" new --playbook "$(dirname "$0")/../../playbooks/phishing.md" \
	    --title "Type target")
	"$IRCASE" step "$n" 2 start
	sqlite3 "$IRCASE_DB" "UPDATE action SET $change
	    WHERE case_id = $n AND seq = 2"
	out=$("$IRCASE" verify "$n" 2>&1)
	check "verify rejects $change" 3 "$?"
	check_match "verify names the changed row ($change)" \
	    "seq 2\\) has a value of a type or range that ircase never writes" \
	    "$out"
done

echo "1..$_tap_n"
