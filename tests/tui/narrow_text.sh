#!/bin/sh
# At 80x24 long texts fit: a prompt question wraps above its answer, and
# a message too long for the case view's status bar wraps onto a second
# line.  tests/tui/bgsync.sh checks the sync state at 80 columns.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "narrow text" "tmux is not installed"
	exit 0
fi

# The case starts from a copy of the fixture playbook in a deep folder.
deep="$T/a-rather-long-folder-name/for-playbooks-that-go-missing/later-on"
mkdir -p "$deep"
cp "$T/playbooks/fixture.md" "$deep/gone.md"
"$IRCASE" new --playbook "$deep/gone.md" --title "Narrow case" >/dev/null
rm "$deep/gone.md"

tui_start 80 24
check_wait "list shows the case" "Narrow case"
keys Enter
check_wait "case opens" "Timeline,"
keys A
check_wait "approve prompt opens" "Approve a step"
shot=$(screen)
check_match "approve question whole" "Esc cancels" "$shot"
check_no_match "approve question not cut" "Esc can…" "$shot"
keys Escape
check_wait "back in the case" "Timeline,"
keys A
check_wait "approve prompt again" "Approve a step"
keys Enter
check_wait "approve error wraps in the prompt" "does not require"
keys Escape
check_wait "back in the case again" "Timeline,"
keys r
check_wait "reference notice shown" "no reference panes" 5
shot=$(screen)
line1=$(printf '%s\n' "$shot" | tail -n 2 | head -n 1)
line2=$(printf '%s\n' "$shot" | tail -n 1)
check_match "notice starts above the bar" "This playbook has no reference" "$line1"
check_no_match "notice not cut on the bar" "…" "$line2"
check_no_match "case view fits 80 columns" ".{81}" "$shot"
keys q
check_wait "back on the list" "Narrow case"
keys q
check_clean_exit "TUI exits cleanly"

echo "1..$_tap_n"
