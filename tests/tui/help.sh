#!/bin/sh
# `?` shows the key table for the current screen first, then the others;
# --help and the man page lines come from the same table.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "help" "tmux is not installed"
	exit 0
fi
fixture_case "Help case"

tui_start 80 24
check_wait "list drawn" "Help case"
keys ?
check_wait "? opens the keys" "ircase: keys"
shot=$(screen)
check_match "list keys come first" "^ Case list" "$(echo "$shot" | sed -n 2p)"
check_match "help names the new-case key" "n +start a new case from a playbook" "$shot"
check_match "help names quit" "q +quit ircase" "$shot"
keys q
check_wait "q closes the help" "Help case"

keys Enter
check_wait "case view opens" "Timeline, 1 action"
keys ?
check_wait "? in the case view" "ircase: keys"
shot=$(screen)
check_match "case keys come first" "^ Case view" "$(echo "$shot" | sed -n 2p)"
check_match "help names x" "x +mark the selected step done" "$shot"
check_match "help names the note key" "n +add a note about the selected step" "$shot"
# Page down until the input keys show, however long the list grows.
i=0
while [ "$i" -lt 12 ] && ! screen | grep -q "Ctrl-G, Esc"; do
	keys PgDn
	sleep 0.2
	i=$((i + 1))
done
check_wait "help scrolls to the input keys" "Ctrl-G, Esc"
keys Escape
check_wait "Esc closes the help" "Timeline, 1 action"
keys q q
check_clean_exit "quits cleanly"

"$IRCASE" --help >"$T/help.out" 2>&1
check_match "--help lists the case view keys" "^Case view:" "$(cat "$T/help.out")"
check_match "--help lists the space key" "Space +move the selected step" "$(cat "$T/help.out")"
"$IRCASE" --help-keys-man >"$T/keys.roff" 2>&1
check_match "man lines have sections" '^\.SS Case view' "$(cat "$T/keys.roff")"
check_match "man lines escape dashes" 'Ctrl\\-G' "$(cat "$T/keys.roff")"
