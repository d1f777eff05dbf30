#!/bin/sh
# Commits by another process (here the CLI) show in an open TUI without a
# key press, through PRAGMA data_version.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "reload" "tmux is not installed"
	exit 0
fi
fixture_case "Reload case"

tui_start 80 24
check_wait "list drawn" "Reload case"
fixture_case "Second case"
check_wait "new case from the CLI appears in the list" "Second case" 5
keys Enter
check_wait "case view opens" "Timeline, 1 action"
check_match "selection stayed on the first case" "#1 Reload case" "$(screen)"
"$IRCASE" step 1 1 done >/dev/null
check_wait "step closed by the CLI shows" "Timeline, 2 actions" 5
check_match "step shown done" "  1 \[x\] Contain the host" "$(screen)"
"$IRCASE" note 1 "from the CLI" --step 1 >/dev/null
check_wait "note from the CLI shows" "note step 1: from the CLI" 5
keys q q
check_clean_exit "quits cleanly"
