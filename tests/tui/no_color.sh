#!/bin/sh
# NO_COLOR set and non-empty turns colours off and leaves attributes;
# without it the same screen uses colours.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "no colour" "tmux is not installed"
	exit 0
fi
fixture_case "Colour case"
# An SGR sequence that sets a foreground or background colour.
colour_sgr="$(printf '\033')\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|38;5;[0-9]+)(;[0-9;]*)?m"

tui_start 80 24 NO_COLOR=1
check_wait "list drawn without colour" "Colour case"
keys Enter
check_wait "case view drawn without colour" "Timeline, 1 action"
shot=$(tm capture-pane -p -e)
check_no_match "no colour sequences" "$colour_sgr" "$shot"
check_match "selection still shown by an attribute" "$(printf '\033')\[[0-9;]*7[;m]" "$shot"
keys q q
check_clean_exit "NO_COLOR run quits cleanly"

tui_start 80 24 NO_COLOR=
check_wait "empty NO_COLOR keeps colour" "Colour case"
check_match "colour sequences used" "$colour_sgr" "$(tm capture-pane -p -e)"
keys q
check_clean_exit "colour run quits cleanly"
