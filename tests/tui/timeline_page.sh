#!/bin/sh
# The timeline of a long case is read a page at a time: g and G reach
# the first and the newest action, the detail view opens the one selected,
# and a note added while the case is open shows after the reload.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "timeline pages" "tmux is not installed"
	exit 0
fi
fixture_case "Long case"
i=1
while [ $i -le 120 ]; do
	"$IRCASE" note 1 "page note $i" >/dev/null
	i=$((i + 1))
done

tui_start 80 24
check_wait "list drawn" "Long case"
keys Enter
check_wait "case view counts every action" "Timeline, 121 actions"
check_match "newest note shown" "page note 120$" "$(screen)"
check_no_match "oldest action not shown" "case.open" "$(screen)"
keys Tab Tab
check_wait "timeline focused" "Enter open the action"
keys g
check_wait "g reaches the first action" "case.open"
keys Down Down Enter
check_wait "detail of the third action" "Action 3 of case #1"
check_match "detail shows its text" "page note 2" "$(screen)"
keys q G
check_wait "G reaches the newest action" "page note 120"
"$IRCASE" note 1 "page note 121" >/dev/null
check_wait "note from the CLI shows" "page note 121"
check_wait "count follows the reload" "Timeline, 122 actions"
check_no_match "chain intact" "BROKEN" "$(screen)"
keys q q q
check_clean_exit "quits cleanly"
