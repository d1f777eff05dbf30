#!/bin/sh
# One case from the shipped phishing playbook walked through all six
# phases in the TUI at 100x30, then closed: a role (Prepare), a report
# (Report), the decision (Assess), every step done and one skipped with a
# reason, a milestone (Respond), lessons (Learn), an evidence file and a
# custody transfer (Evidence), an observable and an asset.  The database
# must hold each record as an action, the close must have been refused
# while pieces were missing, and the chain must verify.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"

if ! need_tmux; then
	skip "lifecycle walk" "tmux is not installed"
	exit 0
fi

"$IRCASE" new --playbook "$IRCASE_TOP/playbooks/phishing.md" \
    --title "Invoice phish" >/dev/null
nsteps=$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM step WHERE case_id = 1")
printf 'From: attacker@example.org\n' >"$T/phish.eml"
me=$(id -un)

# answer TEXT: type one answer of a form and press Enter.
answer() {
	type_text "$1"
	keys Enter
}

tui_start 100 30
check_wait "case list shows the case" "Invoice phish"
keys Enter
check_wait "case view opens" "Timeline, 1 action"

keys C
check_wait "close is refused with what is missing" "cannot close yet"
check_match "the decision is listed as missing" "no decision" "$(screen)"
check_no_match "no summary asked for" "Summary \(optional\)" "$(screen)"
keys Escape
check_wait "back in the case view" "Timeline, 1 action"

keys 1
check_wait "Prepare pane opens" "Prepare: roles and contacts"
keys a
check_wait "role prompt" "One of: incident_commander"
answer incident_commander
check_wait "person prompt" "Person:"
answer alice
check_wait "role saved" "alice is now incident_commander."
check_match "role listed" "incident_commander +alice" "$(screen)"
keys q

keys 2
check_wait "Report pane opens" "Report (A.16.1.2"
keys a
answer "Bob in finance"
answer email
answer ""
answer "Invoice mail asks for a password"
check_wait "report saved" "Report 1 recorded."
keys q

keys 3
check_wait "Assess pane opens" "Assess: the decision"
keys a
answer incident
answer "credentials were entered"
answer 3
answer credential-phishing
answer ""
answer amber
check_wait "decision saved" "Decision recorded: incident."
check_match "verdict shown" "Verdict: incident" "$(screen)"
keys q

keys 6
check_wait "Evidence pane opens" "Evidence (A.16.1.7"
keys a
check_wait "path prompt" "File path:"
answer "$T/phish.eml"
answer "original message"
answer "case folder"
check_wait "evidence saved" "Evidence 1 hashed and recorded."
check_match "hash shown" "sha256 $(sha256sum "$T/phish.eml" | cut -c1-64)" "$(screen)"
keys t
answer "$me"
answer carol
answer "header analysis"
answer "SEAL-1"
answer ""
check_wait "transfer saved" "Evidence 1 is now held by carol."
check_match "custody shown" "$me -> carol: header analysis, seal SEAL-1" "$(screen)"
keys q

keys o
check_wait "Observables pane opens" "Observables"
keys a
answer domain
answer "Invoice-Portal.example"
answer red
answer y
answer "phishing, lookalike"
check_wait "observable saved" "Observable 1 recorded."
check_match "observable shown" "domain +red +IOC invoice-portal.example +\[phishing, lookalike\]" "$(screen)"
keys q

keys a
check_wait "Assets pane opens" "Affected assets"
keys a
answer ""
answer "bob-laptop"
answer "Bob"
answer internal
check_wait "asset saved" "Asset 1 recorded."
keys q

# Every step done, the last one skipped with a reason instead.  Down
# also stops on the phase headings (x there does nothing): from step 1,
# the last step is nsteps - 1 steps and five headings further down.
check_wait "case view again" "Timeline,"
i=1
while [ "$i" -lt $((nsteps + 5)) ]; do
	keys x Down
	i=$((i + 1))
done
keys s
check_wait "skip prompt asks why" "Why skip step $nsteps?"
answer "no payment was made"
check_wait "all steps closed" "$nsteps/$nsteps done"

keys 4
check_wait "Respond pane opens" "Respond: milestones"
keys a
answer contained
answer ""
answer "mail purged"
check_wait "milestone saved" "Milestone contained recorded."
check_match "milestone ticked" "\[x\] contained" "$(screen)"
keys q

keys 5
check_wait "Learn pane opens" "Learn: lessons and follow-ups"
keys a
answer root_cause
answer "no MFA on webmail"
check_wait "lesson saved" "Lesson recorded."
keys a
answer went_well
answer "reported within minutes"
keys f
answer alice
answer 2030-01-31
answer "enforce MFA on webmail"
check_wait "follow-up saved" "recorded."
keys q

keys C
check_wait "close prompt again" "Summary (optional):"
answer "contained in an hour"
check_wait "case shown closed" "closed"
keys q
check_wait "list again" "Invoice phish"
keys q
check_clean_exit "q quits with status 0"

q() { sqlite3 "$IRCASE_DB" "$1"; }
check "case closed" "closed" "$(q "SELECT status FROM \"case\" WHERE id = 1")"
for kind in role.assign report.add decision evidence.add evidence.transfer \
    observable.add asset.add milestone followup.add case.close; do
	check "one $kind action" 1 \
	    "$(q "SELECT count(*) FROM action WHERE case_id = 1 AND kind = '$kind'")"
done
check "lessons recorded" 2 \
    "$(q "SELECT count(*) FROM action WHERE kind = 'lesson.add'")" 
check "skip reason stored" "no payment was made" \
    "$(q "SELECT json_extract(body, '$.note') FROM action
	WHERE kind = 'step.state' AND json_extract(body, '$.to') = 'skipped'")"
check "every step closed" "$nsteps" \
    "$(q "SELECT count(*) FROM step WHERE case_id = 1
	AND state IN ('done', 'skipped', 'not_applicable')")"
"$IRCASE" verify 1 >/dev/null
check "the chain verifies" 0 $?

echo "1..$_tap_n"
