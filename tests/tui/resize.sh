#!/bin/sh
# Below 60x16 the TUI shows a "terminal too small" screen naming the size
# it needs; growing the window back redraws the screen that was open.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "resize" "tmux is not installed"
	exit 0
fi
fixture_case "Resize case"

tui_start 50 12
check_wait "50x12 shows too small" "Terminal too small: 50x12"
check_match "too-small screen names the minimum" "at least 60x16" "$(screen)"
keys Enter
sleep 0.3
check_match "keys are ignored while too small" "Terminal too small" "$(screen)"

tm resize-window -x 80 -y 24
check_wait "80x24 redraws the list" "Resize case"
keys Enter
check_wait "case view opens" "Timeline, 1 action"

tm resize-window -x 59 -y 24
check_wait "59 columns is too small" "Terminal too small: 59x24"
tm resize-window -x 60 -y 16
check_wait "60x16 draws the case view" "Timeline, 1 action"
check_match "60x16 keeps the status bar" "#1 +open .* 0/3 done" "$(screen)"
tm resize-window -x 80 -y 24
check_wait "back to 80x24" "Contain the host"
keys q q
check_clean_exit "quits cleanly after resizes"
