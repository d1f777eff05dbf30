#!/bin/sh
# A paste into the note input that holds Ctrl-G (BEL) or Enter followed by
# more text.  The Ctrl-G must stay in the note as text (drawn ^G), not
# cancel it; after the input closes, the rest of a paste must be thrown
# away, not run as case-view keys (x would mark a step done for good).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "paste into the note input" "tmux is not installed"
	exit 0
fi

fixture_case "Paste case"
bel=$(printf '\007')

# steps_done: steps of case 1 that are no longer pending.
steps_done() {
	sqlite3 "$IRCASE_DB" \
	    "SELECT count(*) FROM step WHERE case_id = 1 AND state <> 'pending'"
}

tui_start 100 30
check_wait "case list shows the case" "Paste case"
keys Enter
check_wait "case view opens" "Timeline, 1 action"

keys n
check_wait "note prompt opens" "Note on step 1:"
type_text "see log${bel} x"
check_wait "the pasted BEL shows as ^G in the input" "see log^G x"
keys Enter
check_wait "note saved" "Note saved."
note=$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.text') FROM action
    WHERE case_id = 1 AND kind = 'note'")
check "the note keeps the BEL as text" "see log${bel} x" "$note"
check "no step changed" 0 "$(steps_done)"

# Enter inside a paste saves the note; what follows is discarded.
keys n
check_wait "second note prompt opens" "Note on step 1:"
type_text "$(printf 'first line\rx')"
check_wait "second note saved" "Note saved."
sleep 0.5
check "the rest of the paste ran no key" 0 "$(steps_done)"
check "no step.* action was recorded" 0 "$(sqlite3 "$IRCASE_DB" \
    "SELECT count(*) FROM action WHERE case_id = 1 AND kind LIKE 'step.%'")"

# A Ctrl-G pressed alone still cancels.
keys n
check_wait "third note prompt opens" "Note on step 1:"
type_text "draft"
sleep 0.3
keys C-g
check_wait "a lone Ctrl-G cancels" "Note not saved."
check "two notes in all" 2 "$(sqlite3 "$IRCASE_DB" \
    "SELECT count(*) FROM action WHERE case_id = 1 AND kind = 'note'")"

keys q
keys q
check_clean_exit "exits cleanly"
echo "1..$_tap_n"
