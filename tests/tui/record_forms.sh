#!/bin/sh
# Record-pane forms check each answer when Enter is pressed on it: an
# invalid answer keeps the form on that field with the text and the
# message, a word typed with '-' for '_' is accepted, and a submit that
# core rejects returns to the field its message names.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"

if ! need_tmux; then
	skip "record forms" "tmux is not installed"
	exit 0
fi

cat >"$T/forms.md" <<'MD'
---
title: Forms
---
# Respond

- [ ] Reset the password
MD
mkdir -p "$XDG_CONFIG_HOME/ircase"
printf 'id,name,owner,classification\nA-1,mail01,Ops,confidential\nB-2,web02,Web,internal\n' \
    >"$XDG_CONFIG_HOME/ircase/inventory.csv"
printf 'assets:\n  file: inventory.csv\n' >"$XDG_CONFIG_HOME/ircase/config.yaml"
q() { sqlite3 "$IRCASE_DB" "$1"; }
"$IRCASE" new --playbook "$T/forms.md" --title "Forms case" >/dev/null
"$IRCASE" role 1 scribe carol >/dev/null

# answer TEXT: type one answer of a form and press Enter.
answer() {
	type_text "$1"
	keys Enter
}

tui_start 80 24
check_wait "case list shows the case" "Forms case"
keys Enter
check_wait "case view opens" "Timeline,"

# Assess: a bad severity is caught on its own field, and fixed there.
keys 3
check_wait "Assess pane opens" "Assess: the decision"
keys a
check_wait "verdict prompt lists the verdicts" "not_incident"
answer "not-incident"
check_wait "reason prompt" "Reason:"
answer "a phishing test"
check_wait "severity prompt" "Severity"
answer "personal_data"
check_wait "severity error at once" "invalid severity 'personal_data'"
check_match "form stays on severity" "Severity.*personal_data" "$(screen)"
keys Enter
check_wait "Enter again repeats the error" "invalid severity"
keys C-u
answer "2"
check_wait "next field after the fix" "Category (empty to keep)"
answer ""
answer ""
check_wait "TLP prompt lists the levels" "amber+strict"
answer "Amber"
check_wait "decision recorded" "Decision recorded: not_incident."
check_match "decision time shown as local time" \
    "^  [0-9-]+ [0-9:]+ [+][0-9]{4}  not_incident by" "$(screen)"
check "decision row" "not_incident|2|amber" \
    "$(q 'SELECT verdict, severity, tlp FROM "case" WHERE id = 1')"
keys q

# Learn: kind typed with '-' is accepted.
keys 5
check_wait "Learn pane opens" "Learn: lessons and follow-ups"
keys a
answer "root-cause"
check_wait "lesson prompt after kind" "Lesson:"
answer "no MFA on the VPN"
check_wait "lesson recorded" "Lesson recorded."
check "lesson row" "root_cause" "$(q "SELECT kind FROM lesson WHERE case_id = 1")"
keys a
answer "rootcause"
check_wait "bad kind caught on its field" "invalid lesson kind 'rootcause'"
keys Escape
check_wait "Esc cancels" "Nothing recorded."
# Follow-up: a bad due date is caught before the text is asked.
keys f
answer "bob"
answer "2030-02-30"
check_wait "bad due date caught" "invalid due date '2030-02-30'"
keys Escape
check_wait "follow-up form closed" "Nothing recorded."
keys q

# Prepare: the role is checked before the person is asked, and a
# rejected submit (carol already holds scribe) returns to the field the
# message names with its text.
keys 1
check_wait "Prepare pane opens" "Prepare: roles and contacts"
keys a
check_wait "role prompt lists the roles" "incident_commander"
check_match "role list not cut at 80 columns" "communications" "$(screen)"
answer "boss"
check_wait "bad role caught on its field" "invalid role 'boss'"
check_match "no person prompt yet" "Role: boss" "$(screen)"
keys C-u
answer "technical-lead"
check_wait "person prompt after a valid role" "Person:"
answer "dave"
check_wait "role recorded" "dave is now technical_lead."
check_match "role time shown as local time" \
    "dave  since [0-9-]+ [0-9:]+ [+][0-9]{4}" "$(screen)"
check_no_match "no raw RFC 3339 time" "T[0-9:]+[.][0-9]+" "$(screen)"
check "role row" "dave" \
    "$(q "SELECT person FROM case_role WHERE case_id = 1 AND role = 'technical_lead'")"
keys a
answer "scribe"
answer "carol"
check_wait "core rejects the same holder" "carol"
check_match "back on the person field with its text" "Person: carol" "$(screen)"
keys C-u
answer "erin"
check_wait "role handed on" "erin is now scribe."
keys q

# Assets: an inventory id that resolves completes the form at once; one
# that does not is caught on its field.
keys a
check_wait "Assets pane opens" "Affected assets"
keys a
check_wait "the id field lists the inventory" "Inventory: A-1 mail01, B-2 web02"
type_text "web"
check_wait "typing narrows the list" "Inventory: B-2 web02"
check_no_match "a row that does not match is hidden" "A-1 mail01" "$(screen)"
type_text "zz"
check_wait "no match is said" "No inventory asset matches 'webzz'."
keys C-u
answer "A-9"
check_wait "unknown id caught on its field" "no asset with id 'A-9'"
keys C-u
answer "A-1"
check_wait "asset recorded from the id" "Asset 1 recorded."
check "asset row from the inventory" "A-1|mail01|Ops|confidential" \
    "$(q "SELECT inventory_id, name, owner, classification FROM asset WHERE case_id = 1")"
keys a
answer ""
check_wait "empty id asks for the name" "Name:"
answer "CEO laptop"
answer ""
answer ""
check_wait "typed-in asset recorded" "Asset 2 recorded."
keys q q
check_wait "list again" "Forms case"
keys q
check_clean_exit "q quits with status 0"

echo "1..$_tap_n"
