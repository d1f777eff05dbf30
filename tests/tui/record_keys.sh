#!/bin/sh
# The case-view and record-pane keys that act on a selected line: Enter
# on a phase heading opens that phase's records, A approves a step that
# another responder marked done, d marks a follow-up done in the Learn
# pane, and n records the notification that stops a clock in the Assess
# pane.  Each must leave its action in the database.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"

if ! need_tmux; then
	skip "record keys" "tmux is not installed"
	exit 0
fi

cat >"$T/keys.md" <<'MD'
---
title: Record keys
---
# Respond

- [ ] Wipe the host (approval)
- [ ] Call the bank
MD
q() { sqlite3 "$IRCASE_DB" "$1"; }
"$IRCASE" new --playbook "$T/keys.md" --title "Keys case" >/dev/null
IRCASE_TEST_LOGIN=alice "$IRCASE" step 1 1 done
"$IRCASE" decide 1 incident --reason "data left" >/dev/null
"$IRCASE" clock 1 start gdpr >/dev/null
"$IRCASE" followup add 1 --owner bob --due 2030-01-31 "rotate keys" >/dev/null

# answer TEXT: type one answer of a form and press Enter.
answer() {
	type_text "$1"
	keys Enter
}

tui_start 100 30
check_wait "case list shows the case" "Keys case"
keys Enter
check_wait "case view opens" "Timeline,"

# The selection starts on step 1; k moves onto the Respond heading.
keys k
check_wait "heading selected explains Enter" "press Enter to open its records"
keys Enter
check_wait "Enter on Respond heading opens its pane" "Respond: milestones"
keys q
keys g Enter
check_wait "Enter on Prepare heading opens its pane" "Prepare: roles and contacts"
keys q
check_wait "back in the case view" "Timeline,"

# A on step 1, which alice marked done: this login approves it.  The
# rows from the top are the Prepare, Report, Assess and Respond headings.
keys j j j j A
check_wait "approve prompt opens" "Approve step 1? Enter approves, Esc cancels"
keys Enter
check_wait "approved step shown done" "Respond 1/2"
check "step approved" "done|$(id -un)" \
    "$(q "SELECT s.state, json_extract(a.body, '\$.approved_by') FROM step s
	JOIN action a ON a.case_id = s.case_id AND a.kind = 'step.approve'
	WHERE s.case_id = 1 AND s.seq = 1")"
keys j A
check_wait "approve prompt on step 2" "Approve step 2? Enter approves"
keys Enter
check_wait "step without request rejected" "does not await approval"
keys Escape
check_wait "prompt closed" "Timeline,"

# Learn pane: d on the follow-up line marks it done with a note.
keys 5
check_wait "Learn pane opens" "Learn: lessons and follow-ups"
keys d
check_wait "d needs a selected follow-up" "Select a follow-up line first"
keys j j d
check_wait "done prompt opens" "Done; note (optional):"
answer "keys rotated"
check_wait "follow-up done" "Follow-up 1 done."
check "follow-up row done" "done|keys rotated" \
    "$(q "SELECT state, done_note FROM followup WHERE id = 1")"
keys q

# Assess pane: n on the clock line stops it.
keys 3
check_wait "Assess pane opens" "Assess: the decision"
check_match "awareness time shown" "Aware since: 20" "$(screen)"
keys n
check_wait "n off a clock line asks for one" "Select a clock line first"
keys j j j n
check_wait "notify prompt opens" "Notified whom:"
# All three answers in one write, as a responder typing ahead on a slow
# link sends them: the keys after each Enter belong to the next field.
type_text "$(printf 'ICO\rREF-42\r\r')"
check_wait "clock stopped" "Clock gdpr stopped: ICO notified."
check_match "clock line shows the notification" "clock gdpr: .*notified .* to ICO REF-42" "$(screen)"
check "clock row notified" "ICO|REF-42" \
    "$(q "SELECT notified_to, notified_ref FROM clock WHERE case_id = 1 AND rule = 'gdpr'")"
keys q q
check_wait "list again" "Keys case"
keys q
check_clean_exit "q quits with status 0"

"$IRCASE" verify 1 >/dev/null
check "the chain verifies" 0 $?

echo "1..$_tap_n"
