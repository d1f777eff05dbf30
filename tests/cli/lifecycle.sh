#!/bin/sh
# The incident-lifecycle commands: role, report, decide, milestone,
# approve, lesson, followup(s), clock, notify, clocks, close, stats and
# weakness: the rows they store, the actions they chain, exit statuses and
# JSON.  The test build reads IRCASE_TEST_NOW and IRCASE_TEST_LOGIN.
. "$(dirname "$0")/../lib.sh"

export TZ=Europe/London
export IRCASE_TEST_NOW="2026-03-27T10:00:00Z"
pb="$IRCASE_TOP/tests/data/cli/phishing.md"
q() { sqlite3 "$IRCASE_DB" "$1"; }
"$IRCASE" new --playbook "$pb" --title "Phish" >/dev/null

# role: the hand-over keeps from and to.
"$IRCASE" role 1 incident-commander "Ada Obi"
check "role exit status" 0 "$?"
"$IRCASE" role 1 incident_commander "Bola Ade"
check "role holder replaced" "incident_commander|Bola Ade" \
    "$(q 'SELECT role, person FROM case_role WHERE case_id = 1')"
check "role hand-over action" "Ada Obi|Bola Ade" \
    "$(q "SELECT json_extract(body, '\$.from'), json_extract(body, '\$.to') FROM action WHERE kind = 'role.assign' ORDER BY seq DESC LIMIT 1")"
"$IRCASE" role 1 incident_commander "Bola Ade" 2>"$T/err"
check "role same holder fails" 1 "$?"
"$IRCASE" role 1 boss "X" 2>"$T/err"
check "role bad role usage" 2 "$?"
check_match "role bad role names it" "invalid role 'boss'" "$(cat "$T/err")"

# report: local time keeps its offset, channel checked.
out=$("$IRCASE" report 1 --by Helpdesk --channel email --at "2026-03-27 09:30" "Odd mail")
check "report prints number" 1 "$out"
check "report row" "Helpdesk|email|Odd mail" \
    "$(q 'SELECT reporter, channel, text FROM report WHERE case_id = 1')"
check "report action keeps offset" "2026-03-27T09:30:00+00:00" \
    "$(q "SELECT json_extract(body, '\$.received_at') FROM action WHERE kind = 'report.add'")"
"$IRCASE" report 1 --by X --channel fax "t" 2>"$T/err"
check "report bad channel usage" 2 "$?"
"$IRCASE" report 1 --channel email "t" 2>"$T/err"
check "report missing --by usage" 2 "$?"
"$IRCASE" report 1 --by X --channel email --at "2026-03-29 01:30" "t" 2>"$T/err"
check "report DST gap time usage" 2 "$?"
check_match "report DST gap explained" "does not exist" "$(cat "$T/err")"

# clock before awareness fails.
"$IRCASE" clock 1 start gdpr 2>"$T/err"
check "clock without awareness fails" 1 "$?"
check_match "clock without awareness says why" "no awareness time" "$(cat "$T/err")"

# decide: config rules start with the category.
mkdir -p "$XDG_CONFIG_HOME/ircase"
cat >"$XDG_CONFIG_HOME/ircase/config.yaml" <<'YAML'
contacts:
  - role: dpo
    name: Ada Obi
    email: dpo@example.org
clocks:
  - name: gdpr
    applies_to: personal_data
  - name: sla-4h
    hours: 4
    applies_to: [personal_data]
YAML
"$IRCASE" decide 1 incident --reason "Credentials entered" --category personal_data \
    --severity 4 --tlp amber+strict --aware-at "2026-03-27T09:45:00+00:00"
check "decide exit status" 0 "$?"
check "decide updates case" "incident|personal_data|4|amber+strict" \
    "$(q 'SELECT verdict, category, severity, tlp FROM "case" WHERE id = 1')"
check "decide starts category clocks" "gdpr sla-4h" \
    "$(q 'SELECT group_concat(rule, " ") FROM (SELECT rule FROM clock WHERE case_id = 1 ORDER BY rule)')"
check "gdpr deadline 72 h after awareness" "2026-03-30 09:45:00" \
    "$(q "SELECT datetime(deadline / 1000000, 'unixepoch') FROM clock WHERE rule = 'gdpr'")"
check "decision action lists clocks" '["gdpr","sla-4h"]' \
    "$(q "SELECT json_extract(body, '\$.clocks_started') FROM action WHERE kind = 'decision'")"
"$IRCASE" decide 1 maybe --reason x 2>"$T/err"
check "decide bad verdict usage" 2 "$?"
"$IRCASE" decide 1 incident 2>"$T/err"
check "decide missing reason usage" 2 "$?"
"$IRCASE" decide 1 incident --reason x --tlp purple 2>"$T/err"
check "decide bad tlp usage" 2 "$?"

# clock start, nis2 one month across the DST change, notify, clocks.
"$IRCASE" clock 1 start nis2-final-report
check "clock start exit status" 0 "$?"
check "one month keeps the local time across DST" "2026-04-27 08:45:00" \
    "$(q "SELECT datetime(deadline / 1000000, 'unixepoch') FROM clock WHERE rule = 'nis2-final-report'")"
"$IRCASE" clock 1 start gdpr 2>"$T/err"
check "clock started twice fails" 1 "$?"
"$IRCASE" clock 1 start bogus 2>"$T/err"
check "unknown rule fails" 1 "$?"
check_match "unknown rule lists rules" "pci-dss" "$(cat "$T/err")"
out=$("$IRCASE" clocks)
check "clocks lists three" 3 "$(printf '%s\n' "$out" | grep -c '^#')"
check_match "clocks header" '^CASE +RULE +DEADLINE +LEFT +TITLE$' \
    "$(printf '%s\n' "$out" | head -1)"
check_match "clocks nearest first" '^#1 +sla-4h +2026-03-27 13:45:00 \+0000' \
    "$(printf '%s\n' "$out" | sed -n 2p)"
check_match "gdpr shown in BST" 'gdpr +2026-03-30 10:45:00 \+0100 +2d 23h left' "$out"
IRCASE_TEST_NOW="2026-03-27T15:00:00Z" "$IRCASE" clocks >"$T/out"
check_match "overdue clock marked" 'sla-4h .*OVERDUE 1h 15m' "$(cat "$T/out")"
IRCASE_TEST_NOW="2026-03-28T13:00:00Z" \
    "$IRCASE" notify 1 gdpr --to "ICO" --ref "ICO-1" --at "2026-03-28 12:00"
check "notify exit status" 0 "$?"
check "notify stops clock" "ICO|ICO-1" \
    "$(q "SELECT notified_to, notified_ref FROM clock WHERE rule = 'gdpr'")"
"$IRCASE" notify 1 gdpr --to "ICO" 2>"$T/err"
check "notify twice fails" 1 "$?"
"$IRCASE" notify 1 gdpr 2>"$T/err"
check "notify missing --to usage" 2 "$?"
out=$("$IRCASE" clocks --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d), " ".join(sorted(d[0])))')
check "clocks json running only" "2 case deadline from hours months notified_at notified_to overdue ref rule state time_left_us" "$out"
check "clocks --all includes notified" 3 \
    "$("$IRCASE" clocks --all --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"

# milestone.
"$IRCASE" milestone 1 contained --note "Sender blocked"
check "milestone exit status" 0 "$?"
"$IRCASE" milestone 1 contained 2>"$T/err"
check "milestone twice fails" 1 "$?"
"$IRCASE" milestone 1 fixed 2>"$T/err"
check "milestone bad name usage" 2 "$?"

# close refused, one line per missing piece.
"$IRCASE" close 1 2>"$T/err"
check "close refused exit status" 1 "$?"
check_match "close lists step 4" "Respond step 4 .* is pending" "$(cat "$T/err")"
check_match "close lists step 5" "Respond step 5 .* is pending" "$(cat "$T/err")"
check_match "close lists root cause" "no root cause" "$(cat "$T/err")"
check_match "close lists lessons" "nothing on what went well" "$(cat "$T/err")"
check "close refused leaves case open" "open" "$(q 'SELECT status FROM "case" WHERE id = 1')"

# skip needs a reason.
"$IRCASE" step 1 4 skip 2>"$T/err"
check "skip without note usage" 2 "$?"
"$IRCASE" step 1 4 skip --note "Gateway blocks it already"
"$IRCASE" step 1 5 na
"$IRCASE" lesson 1 --root-cause "No MFA on webmail"
"$IRCASE" lesson 1 --went-well "Report within minutes"
"$IRCASE" lesson 1 --waive 2>"$T/err"
check "waive without reason usage" 2 "$?"
"$IRCASE" lesson 1 2>"$T/err"
check "lesson without kind usage" 2 "$?"

# followups: overdue marked.
out=$("$IRCASE" followup add 1 --owner IT --due 2026-03-01 "Enable MFA")
check "followup add prints id" 1 "$out"
"$IRCASE" followup add 1 --owner IT --due 2026-02-30 "x" 2>"$T/err"
check "followup bad date fails" 2 "$?"
"$IRCASE" followup add 1 --owner IT --due 2026-12-01 "Train staff" >/dev/null
check_match "followups marks overdue" '^ +1 +#1 +2026-03-01 +OVERDUE IT: Enable MFA' "$("$IRCASE" followups)"
"$IRCASE" followup done 1 --note "Enforced"
check "followup done row" "done|Enforced" "$(q 'SELECT state, done_note FROM followup WHERE id = 1')"
check "followups --open" 1 "$("$IRCASE" followups --open | grep -c '^ *[0-9]')"
check_match "followups header" '^  ID  CASE +DUE +STATE +OWNER: TEXT$' \
    "$("$IRCASE" followups | head -1)"
"$IRCASE" followup done 1 2>"$T/err"
check "followup done twice fails" 1 "$?"
check "followups json keys" "case done_at done_note due id overdue owner state text" \
    "$("$IRCASE" followups --json | python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)[0])))')"

# show --json: lifecycle, metrics and contacts.
"$IRCASE" show 1 --json >"$T/show.json"
check "show lifecycle keys" "verdict category aware_at tlp pap summary roles reports decisions milestones lessons followups clocks" \
    "$(python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["lifecycle"]))' <"$T/show.json")"
check "show metrics keys" "time_to_assess_us time_to_contain_us time_to_eradicate_us time_to_recover_us time_to_close_us phase_us" \
    "$(python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["metrics"]))' <"$T/show.json")"
check "show contacts" "dpo Ada Obi" \
    "$(python3 -c 'import json,sys; c=json.load(sys.stdin)["contacts"][0]; print(c["role"], c["name"])' <"$T/show.json")"
check "show aware_at with offset" "2026-03-27T09:45:00+00:00" \
    "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["lifecycle"]["aware_at"])' <"$T/show.json")"
out=$("$IRCASE" show 1)
check_match "show text roles" "incident_commander +Bola Ade" "$out"
check_match "show text contacts" "dpo +Ada Obi +dpo@example.org" "$out"

# close works now; metrics from the log.
IRCASE_TEST_NOW="2026-03-27T12:00:00Z" "$IRCASE" close 1 --summary "Contained, MFA enforced"
check "close exit status" 0 "$?"
check "close stores status" "closed|Contained, MFA enforced" "$(q 'SELECT status, summary FROM "case" WHERE id = 1')"
check "time to close from the log" 7200000000 \
    "$("$IRCASE" show 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["metrics"]["time_to_close_us"])')"
"$IRCASE" close 1 2>"$T/err"
check "close twice fails" 1 "$?"

# a not-incident decision closes without a response.
"$IRCASE" new --playbook "$pb" --title "False alarm" >/dev/null
"$IRCASE" close 2 2>"$T/err"
check "close without decision fails" 1 "$?"
check_match "close without decision says so" "no decision" "$(cat "$T/err")"
"$IRCASE" decide 2 not-incident --reason "Marketing mail"
"$IRCASE" close 2
check "not-incident closes" "closed|not_incident" "$(q 'SELECT status, verdict FROM "case" WHERE id = 2')"

# stats.
out=$("$IRCASE" stats --from 2026-03-01 --to 2026-03-31 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["cases"], d["verdicts"]["incident"], d["metrics"]["time_to_close_us"]["count"])')
check "stats counts" "2 1 2" "$out"
check "stats outside the period" 0 \
    "$("$IRCASE" stats --from 2026-04-01 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["cases"])')"
"$IRCASE" stats --from yesterday 2>"$T/err"
check "stats bad date usage" 2 "$?"

# weakness register: add, promote once, chain verified and tamper found.
out=$("$IRCASE" weakness add --by "Sam" "Printer admin page has no password")
check "weakness add prints id" 1 "$out"
out=$("$IRCASE" weakness promote 1 --playbook "$pb" --title "Printer exposure")
check "weakness promote prints case" 3 "$out"
check "promoted case records link" 1 \
    "$(q "SELECT json_extract(body, '\$.weakness') FROM action WHERE case_id = 3 AND kind = 'weakness.promoted'")"
"$IRCASE" weakness promote 1 --playbook "$pb" --title "Again" 2>"$T/err"
check "weakness promoted twice fails" 1 "$?"
check_match "weakness list shows case" '^ +1 .*case #3 +Sam: Printer' "$("$IRCASE" weakness list)"
check_match "weakness list header" '^  ID  REPORTED +\[CASE\] BY: TEXT$' \
    "$("$IRCASE" weakness list | head -1)"
"$IRCASE" weakness verify >/dev/null
check "weakness verify ok" 0 "$?"
q "DROP TRIGGER weakness_no_update; UPDATE weakness SET body = replace(body, 'Printer', 'Scanner') WHERE seq = 1"
"$IRCASE" weakness verify >/dev/null 2>"$T/err"
check "weakness verify finds tamper" 3 "$?"
check "weakness tamper names entry" "ircase: weakness register entry 1 (weakness 1, weakness.add) does not match its hash: its content was changed" \
    "$(cat "$T/err")"
"$IRCASE" verify >"$T/out" 2>"$T/err"
check "verify all finds register tamper" 3 "$?"
check_match "verify all names register entry" "^ircase: weakness register entry 1 " "$(cat "$T/err")"
check_match "verify all still lists cases" "^case 1: intact" "$(cat "$T/out")"
"$IRCASE" verify 1 >/dev/null 2>&1
check "verify one case skips register" 0 "$?"
"$IRCASE" --db "$T/w.db" weakness add --by a "first" >/dev/null
"$IRCASE" --db "$T/w.db" weakness add --by a "second" >/dev/null
sqlite3 "$T/w.db" "DROP TRIGGER weakness_no_delete; DELETE FROM weakness WHERE seq = 2"
"$IRCASE" --db "$T/w.db" weakness verify >/dev/null 2>"$T/err"
check "weakness removed entry exit status" 3 "$?"
check_match "weakness removed entry message" "^ircase: the weakness register records 2 entries but 1 were found\$" "$(cat "$T/err")"
check_no_match "weakness removed entry no case 0" "case 0" "$(cat "$T/err")"

# weakness promote --playbook takes a bare name from the search path.
mkdir -p "$T/pbdir"
cp "$pb" "$T/pbdir/searchable.md"
out=$("$IRCASE" weakness add --by "Kim" "Open share")
out=$(IRCASE_PLAYBOOK_PATH="$T/pbdir" "$IRCASE" weakness promote "$out" --playbook searchable --title "Share exposure" 2>"$T/err")
check "weakness promote bare name exit status" 0 "$?"
check "weakness promote bare name playbook" "$T/pbdir/searchable.md" \
    "$(q "SELECT playbook_path FROM \"case\" WHERE id = $out")"
IRCASE_PLAYBOOK_PATH="$T/pbdir" "$IRCASE" weakness promote 1 --playbook nosuch --title "x" 2>"$T/err"
check "weakness promote unknown name exit status" 1 "$?"
check_match "weakness promote unknown name folders" "playbook 'nosuch' not found in the .*pbdir" "$(cat "$T/err")"

# approval: a marked step is done only when another login confirms it.
cat >"$T/approve.md" <<'MD'
---
title: Approval test
approval: [Pay the ransom]
---
## Contain
- [ ] Wipe the host (approval)
- [ ] Pay the ransom
- [ ] Call the bank
MD
n=$("$IRCASE" new --playbook "$T/approve.md" --title "Approvals")
check "approval marker stripped" "Wipe the host|1 Pay the ransom|1 Call the bank|0" \
    "$(q "SELECT title || '|' || requires_approval FROM step WHERE case_id = $n ORDER BY seq" | tr '\n' ' ' | sed 's/ $//')"
IRCASE_TEST_LOGIN=alice "$IRCASE" step "$n" 1 done
check "done leaves step awaiting" "active|alice" \
    "$(q "SELECT state, approval_requested_by FROM step WHERE case_id = $n AND seq = 1")"
IRCASE_TEST_LOGIN=alice "$IRCASE" step "$n" 1 done 2>"$T/err"
check "requester marks done again fails" 1 "$?"
IRCASE_TEST_LOGIN=alice "$IRCASE" approve "$n" 1 2>"$T/err"
check "requester cannot approve" 1 "$?"
check_match "show names awaiting step" "step 1 awaits approval \\(requested by alice\\)" "$("$IRCASE" show "$n")"
IRCASE_TEST_LOGIN=bob "$IRCASE" approve "$n" 1
check "second login approves" "done|" \
    "$(q "SELECT state, coalesce(approval_requested_by, '') FROM step WHERE case_id = $n AND seq = 1")"
check "approval actions recorded" "step.approval_request|alice step.state|alice step.approve|bob step.state|bob" \
    "$(q "SELECT kind || '|' || actor FROM action WHERE case_id = $n AND step_seq = 1 ORDER BY seq" | tr '\n' ' ' | sed 's/ $//')"
check "approve names requester" "alice|bob" \
    "$(q "SELECT json_extract(body, '\$.requested_by'), json_extract(body, '\$.approved_by') FROM action WHERE case_id = $n AND kind = 'step.approve'")"
IRCASE_TEST_LOGIN=carol "$IRCASE" approve "$n" 1 2>"$T/err"
check "approve twice fails" 1 "$?"
check_match "approve twice names approver" \
    "step 1 of case $n is already approved, by bob at " "$(cat "$T/err")"
IRCASE_TEST_LOGIN=alice "$IRCASE" step "$n" 2 done --note "insurer agreed"
check "request records note" "insurer agreed|insurer agreed" \
    "$(q "SELECT group_concat(json_extract(body, '\$.note'), '|') FROM action WHERE case_id = $n AND step_seq = 2 AND kind IN ('step.approval_request', 'step.state')")"
IRCASE_TEST_LOGIN=bob "$IRCASE" step "$n" 2 done --note "CFO confirmed"
check "approval records note" "CFO confirmed" \
    "$(q "SELECT json_extract(body, '\$.note') FROM action WHERE case_id = $n AND step_seq = 2 AND kind = 'step.approve'")"
check "approval without note omits it" "0" \
    "$(q "SELECT count(*) FROM action WHERE case_id = $n AND step_seq = 1 AND json_type(body, '\$.note') IS NOT NULL")"
check "front matter step approved by step done" "done" \
    "$(q "SELECT state FROM step WHERE case_id = $n AND seq = 2")"
"$IRCASE" step "$n" 3 done
check "unmarked step done at once" "done" "$(q "SELECT state FROM step WHERE case_id = $n AND seq = 3")"
"$IRCASE" approve "$n" 3 2>"$T/err"
check "approve unmarked step fails" 1 "$?"
IRCASE_TEST_LOGIN=alice "$IRCASE" step "$n" 1 pending
IRCASE_TEST_LOGIN=alice "$IRCASE" step "$n" 1 done
"$IRCASE" decide "$n" incident --reason "test" >/dev/null
"$IRCASE" lesson "$n" --waive --reason "drill"
"$IRCASE" close "$n" 2>"$T/err"
check "close refused while awaiting approval" 1 "$?"
check_match "close names awaiting step" "Respond step 1 .* awaits approval" "$(cat "$T/err")"
"$IRCASE" verify "$n" >/dev/null
check "chain intact after approvals" 0 "$?"

echo "1..$_tap_n"
