#!/bin/sh
# verify compares the case's records with its action log: a plain SQL
# edit to a record table (the case row, steps, reports, decisions,
# evidence, the playbook snapshot, ...) leaves the chain intact but makes
# verify, show and export report the table, the row and the field.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
printf 'disk image\n' >"$T/image.bin"

# make_case: case 1 with one record of each kind and an untouched case 2.
make_case() {
	rm -f "$IRCASE_DB" "$IRCASE_DB-wal" "$IRCASE_DB-shm"
	"$IRCASE" new --playbook "$pb" --title "Tamper target" >/dev/null
	"$IRCASE" step 1 1 start
	"$IRCASE" step 1 2 done
	"$IRCASE" report 1 --by alice --channel email "mail looked odd" >/dev/null
	"$IRCASE" decide 1 incident --reason "credentials entered" \
	    --severity 3 >/dev/null
	"$IRCASE" milestone 1 contained --note "host isolated" >/dev/null
	"$IRCASE" lesson 1 --went-well "fast triage" >/dev/null
	"$IRCASE" followup add 1 --owner bob --due 2030-01-01 "train staff" \
	    >/dev/null
	"$IRCASE" evidence add 1 "$T/image.bin" >/dev/null
	"$IRCASE" observable add 1 ip 192.0.2.7 >/dev/null
	"$IRCASE" role 1 scribe carol >/dev/null
	"$IRCASE" decide 1 incident --reason "confirmed" --category phishing \
	    --tlp red --pap green >/dev/null
	"$IRCASE" observable add 1 domain bad.example --tag phish >/dev/null
	"$IRCASE" asset add 1 --name web01 --owner ops \
	    --classification internal >/dev/null
	"$IRCASE" clock 1 start gdpr >/dev/null
	"$IRCASE" notify 1 gdpr --to ICO --ref ICO-1 >/dev/null
	"$IRCASE" evidence transfer 1 1 --from "$(id -un)" --to bob \
	    --purpose lab >/dev/null
	"$IRCASE" followup add 1 --owner dan --due 2030-02-01 "patch" >/dev/null
	"$IRCASE" followup done 1 --note "trained" >/dev/null
	"$IRCASE" new --playbook "$pb" --title "Untouched" >/dev/null
}

# tamper NAME SQL PATTERN [shared]: after SQL, verify exits 3 with PATTERN
# on stderr and case 2 still verifies, unless the edited row is shared by
# both cases (a playbook snapshot).
tamper() {
	make_case
	sqlite3 "$IRCASE_DB" "PRAGMA foreign_keys = OFF; $2"
	"$IRCASE" verify >"$T/out" 2>"$T/err"
	check "$1: verify exit status" 3 "$?"
	check_match "$1: names table and field" "$3" "$(cat "$T/err")"
	[ "${4:-}" = shared ] ||
	    check_match "$1: other case intact" "^case 2: intact" "$(cat "$T/out")"
}

make_case
"$IRCASE" verify >"$T/out" 2>"$T/err"
check "untouched database verifies" 0 "$?"
check "untouched database no error" "" "$(cat "$T/err")"

tamper "case title" "UPDATE \"case\" SET title = 'innocent' WHERE id = 1" \
    'case 1: table case row 1 field title does not match'
tamper "case severity" "UPDATE \"case\" SET severity = 1 WHERE id = 1" \
    'table case row 1 field severity'
tamper "case status" "UPDATE \"case\" SET status = 'closed' WHERE id = 1" \
    'table case row 1 field status'
tamper "step state" "UPDATE step SET state = 'done' WHERE case_id = 1 AND seq = 3" \
    'table step row 3 field state reads done but its step.state actions leave it pending'
tamper "step undone" "UPDATE step SET state = 'pending' WHERE case_id = 1 AND seq = 2" \
    'table step row 2 field state'
tamper "report text" "UPDATE report SET text = 'nothing' WHERE case_id = 1" \
    'table report row 1 field text does not match action seq [0-9]+ \(report.add\)'
tamper "decision reason" "UPDATE decision SET reason = 'none' WHERE case_id = 1" \
    'table decision row #1 of the case field reason'
tamper "milestone note" "UPDATE milestone SET note = 'x' WHERE case_id = 1" \
    "table milestone row 'contained' field note"
tamper "lesson text" "UPDATE lesson SET text = 'x' WHERE case_id = 1" \
    'table lesson row #1 of the case field text'
tamper "followup owner" "UPDATE followup SET owner = 'mallory' WHERE case_id = 1" \
    'table followup row [0-9]+ field owner'
tamper "evidence sha256" "UPDATE evidence SET sha256 = '$(printf '%064d' 0)' WHERE case_id = 1" \
    'table evidence row 1 field sha256 does not match action seq [0-9]+ \(evidence.add\)'
tamper "evidence size" "UPDATE evidence SET size = 1 WHERE case_id = 1" \
    'table evidence row 1 field size'
tamper "evidence name" "UPDATE evidence SET name = 'other.bin' WHERE case_id = 1" \
    'table evidence row 1 field name'
tamper "observable value" "UPDATE observable SET value = '198.51.100.1' WHERE case_id = 1" \
    'table observable row 1 field value'
tamper "role person" "UPDATE case_role SET person = 'mallory' WHERE case_id = 1" \
    "table case_role row 'scribe' field person"

# Times, tags, done state, custody, TLP/PAP/category, assets and clocks.
tamper "case tlp" "UPDATE \"case\" SET tlp = 'clear' WHERE id = 1" \
    'table case row 1 field tlp does not match action seq [0-9]+ \(decision\)'
tamper "case pap" "UPDATE \"case\" SET pap = 'red' WHERE id = 1" \
    'table case row 1 field pap'
tamper "case category" "UPDATE \"case\" SET category = 'other' WHERE id = 1" \
    'table case row 1 field category'
tamper "case aware_at" "UPDATE \"case\" SET aware_at = aware_at - 3600000000 WHERE id = 1" \
    'table case row 1 field aware_at'
tamper "case opened_at" "UPDATE \"case\" SET opened_at = opened_at - 86400000000 WHERE id = 1" \
    'table case row 1 field opened_at does not match action seq 1 \(case.open\)'
tamper "case kind" "UPDATE \"case\" SET kind = 'drill' WHERE id = 1" \
    'table case row 1 field kind'
tamper "step done_at" "UPDATE step SET done_at = done_at - 7200000000 WHERE case_id = 1 AND seq = 2" \
    'table step row 2 field done_at does not match action seq [0-9]+ \(step.state\)'
tamper "step started_at" "UPDATE step SET started_at = 5 WHERE case_id = 1 AND seq = 3" \
    'table step row 3 field started_at is set but no action set it'
tamper "report received_at" "UPDATE report SET received_at = received_at - 60000000 WHERE case_id = 1" \
    'table report row 1 field received_at'
tamper "report added_by" "UPDATE report SET added_by = 'mallory' WHERE case_id = 1" \
    'table report row 1 field added_by'
tamper "decision decided_at" "UPDATE decision SET decided_at = 0 WHERE case_id = 1 AND verdict = 'incident' AND reason = 'confirmed'" \
    'table decision row #2 of the case field decided_at'
tamper "milestone at" "UPDATE milestone SET at = at + 86400000000 WHERE case_id = 1" \
    "table milestone row 'contained' field at "
tamper "lesson added_by" "UPDATE lesson SET added_by = 'mallory' WHERE case_id = 1" \
    'table lesson row #1 of the case field added_by'
tamper "observable tags" "UPDATE observable SET tags = '[\"benign\"]' WHERE case_id = 1 AND number = 2" \
    'table observable row 2 field tags does not match action seq [0-9]+ \(observable.add\)'
tamper "observable tlp" "UPDATE observable SET tlp = 'clear' WHERE case_id = 1 AND number = 1" \
    'table observable row 1 field tlp'
tamper "evidence holder" "UPDATE evidence SET holder = 'mallory' WHERE case_id = 1" \
    'table evidence row 1 field holder does not match action seq [0-9]+ \(evidence.transfer\)'
tamper "followup state" "UPDATE followup SET state = 'open', done_by = NULL, done_at = NULL WHERE case_id = 1 AND owner = 'bob'" \
    'table followup row [0-9]+ field state does not match action seq [0-9]+ \(followup.done\)'
tamper "followup done_note" "UPDATE followup SET done_note = 'x' WHERE case_id = 1 AND owner = 'bob'" \
    'table followup row [0-9]+ field done_note'
tamper "followup marked done" "UPDATE followup SET state = 'done' WHERE case_id = 1 AND owner = 'dan'" \
    'table followup row [0-9]+ field state does not match action seq [0-9]+ \(followup.add\)'
tamper "asset owner" "UPDATE asset SET owner = 'nobody' WHERE case_id = 1" \
    'table asset row 1 field owner does not match action seq [0-9]+ \(asset.add\)'
tamper "asset classification" "UPDATE asset SET classification = 'public' WHERE case_id = 1" \
    'table asset row 1 field classification'
tamper "asset removed" "DELETE FROM asset WHERE case_id = 1" \
    'table asset has no row 1'
tamper "clock deadline" "UPDATE clock SET deadline = deadline + 86400000000 WHERE case_id = 1" \
    "table clock row 'gdpr' field deadline does not match action seq [0-9]+ \\(clock.start\\)"
tamper "clock hours" "UPDATE clock SET hours = 720 WHERE case_id = 1" \
    "table clock row 'gdpr' field hours"
tamper "clock notified_to" "UPDATE clock SET notified_to = 'nobody' WHERE case_id = 1" \
    "table clock row 'gdpr' field notified_to does not match action seq [0-9]+ \\(clock.notify\\)"
tamper "clock notified_at" "UPDATE clock SET notified_at = notified_at + 86400000000 WHERE case_id = 1" \
    "table clock row 'gdpr' field notified_at"
tamper "role since" "UPDATE case_role SET since = 0 WHERE case_id = 1" \
    "table case_role row 'scribe' field since"
tamper "role added" "INSERT INTO case_role (case_id, role, person, since) VALUES (1, 'legal', 'x', 0)" \
    'table case_role has 2 rows but the role.assign actions name 1 roles'
tamper "report removed" "DELETE FROM report WHERE case_id = 1" \
    'table report has no row 1'
tamper "decision added" "INSERT INTO decision (case_id, verdict, reason, decided_by, decided_at) VALUES (1, 'event', 'late', 'x', 0)" \
    'table decision has 3 rows but its actions wrote 2'
tamper "snapshot text" "UPDATE playbook_snapshot SET text = 'tampered'" \
    'table playbook_snapshot row 1 field text does not match its sha256' shared
tamper "snapshot text and sha256" \
    "UPDATE playbook_snapshot SET text = 'tampered', sha256 = '$(printf tampered | sha256sum | cut -c1-64)'" \
    'table playbook_snapshot row 1 field sha256 does not match action seq 1 \(case.open\)' shared

# A drill row: its speed, scenario and stored scenario text.  The drill
# table rejects UPDATE through a trigger, which a writer can drop.
drill_tamper() {
	rm -f "$IRCASE_DB" "$IRCASE_DB-wal" "$IRCASE_DB-shm"
	"$IRCASE" drill start --scenario \
	    "$IRCASE_TOP/playbooks/scenarios/phishing-second-wave.md" \
	    --speed 10 >/dev/null
	sqlite3 "$IRCASE_DB" "DROP TRIGGER drill_no_update; $2"
	"$IRCASE" verify >"$T/out" 2>"$T/err"
	check "$1: verify exit status" 3 "$?"
	check_match "$1: names table and field" "$3" "$(cat "$T/err")"
}

rm -f "$IRCASE_DB" "$IRCASE_DB-wal" "$IRCASE_DB-shm"
"$IRCASE" drill start --scenario \
    "$IRCASE_TOP/playbooks/scenarios/phishing-second-wave.md" --speed 10 >/dev/null
"$IRCASE" verify >"$T/out" 2>"$T/err"
check "untouched drill verifies" 0 "$?"

drill_tamper "drill speed" "UPDATE drill SET speed = 1" \
    'case 1: table drill row 1 field speed does not match action seq [0-9]+ \(drill.start\)'
drill_tamper "drill scenario text" "UPDATE drill SET scenario_text = 'x'" \
    'table drill row 1 field scenario_text does not match its scenario_sha256'
drill_tamper "drill scenario replaced" \
    "UPDATE drill SET scenario_text = 'x', scenario_sha256 = '$(printf x | sha256sum | cut -c1-64)'" \
    'table drill row 1 field scenario_sha256 does not match action seq [0-9]+ \(drill.start\)'

# show and export carry the same verdict.
make_case
sqlite3 "$IRCASE_DB" "UPDATE report SET text = 'nothing'"
"$IRCASE" show 1 >"$T/out" 2>"$T/err"
check_no_match "show does not claim intact" 'Chain: intact' "$(cat "$T/out")"
check_match "show names the table" 'table report' "$(cat "$T/out" "$T/err")"
"$IRCASE" export 1 -o "$T/case.json" 2>"$T/err"
check "export verify.ok false" false \
    "$(jq -r '.verify.ok' "$T/case.json" 2>/dev/null)"

echo "1..$_tap_n"
