#!/bin/sh
# A case list longer than the screen, which the list reads a window at a
# time: moving down shows every case once, newest first, and the page,
# first and last keys, opening a case and a commit by another process
# keep the selection on the case the keys chose.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "list scroll" "tmux is not installed"
	exit 0
fi
# 40 cases on a 60x16 terminal: 13 rows, so three screens and more than
# the window of 27 rows the list reads at a time.
n=40
i=1
while [ $i -le $n ]; do
	fixture_case "Scroll case $i"
	i=$((i + 1))
done

# case_rows: the case numbers shown, top to bottom.
case_rows() {
	screen | sed -n '3,15p' | awk '$1 ~ /^[0-9]+$/ { print $1 }'
}

# wait_top N: wait until the top row of the list is case N.
wait_top() {
	_deadline=$(( $(date +%s) + 5 ))
	while [ "$(date +%s)" -le "$_deadline" ]; do
		[ "$(case_rows | head -n 1)" = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# check_opens NAME N: Enter opens case N; q returns to the list.
check_opens() {
	keys Enter
	check_wait "$1" "#$2 Scroll case $2 " 5
	keys q
	wait_for "$n cases" 5 || wait_for "$((n + 1)) cases" 5
}

tui_start 60 16
check_wait "list drawn" "Scroll case $n"
check_match "title counts every case" "$n cases" "$(screen)"
check "first screen shows the newest 13" "$(seq $n -1 $((n - 12)))" \
    "$(case_rows)"

# Down through the whole list, one key at a time.  Past the last row the
# screen scrolls by one: the top row after key k is case n - (k - 12).
: >"$T/seen"
bad=0
k=1
while [ $k -lt $n ]; do
	keys j
	top=$n
	[ $k -gt 12 ] && top=$((n - k + 12))
	if ! wait_top $top; then
		bad=$((bad + 1))
	fi
	rows=$(case_rows)
	if [ "$rows" != "$(seq $top -1 $((top - 12)))" ]; then
		bad=$((bad + 1))
	fi
	echo "$rows" >>"$T/seen"
	k=$((k + 1))
done
check "every screen on the way down in order" 0 "$bad"
check "every case shown once, newest first" "$(seq $n -1 1)" \
    "$(awk '!seen[$1]++' "$T/seen")"
keys j
sleep 0.3
check "down on the last case stays" "$(seq 13 -1 1)" "$(case_rows)"
check_opens "selection is the oldest case" 1
check "list kept its place after the case view" "$(seq 13 -1 1)" \
    "$(case_rows)"

keys PPage
wait_top 14
check "page up puts the selection on top" "$(seq 14 -1 2)" "$(case_rows)"
check_opens "page up selects case 14" 14

# A case created by another process while scrolled away from the top:
# the count changes, the rows shown and the selection stay.
fixture_case "Scroll case $((n + 1))"
check_wait "new case counted" "$((n + 1)) cases" 5
check "rows stay after another process's commit" "$(seq 14 -1 2)" \
    "$(case_rows)"
n=$((n + 1))
check_opens "selection stays after the reload" 14

keys k
wait_top 15
check "up above the top row scrolls by one" "$(seq 15 -1 3)" \
    "$(case_rows)"

keys g
wait_top $n
check "g shows the newest" "$(seq $n -1 $((n - 12)))" "$(case_rows)"
check_opens "g selects the newest" $n

keys NPage
wait_top $((n - 1))
check "page down puts the selection at the bottom" \
    "$(seq $((n - 1)) -1 $((n - 13)))" "$(case_rows)"
check_opens "page down selects 13 below" $((n - 13))

keys PPage PPage
wait_top $n
check "page up stops at the newest" "$(seq $n -1 $((n - 12)))" \
    "$(case_rows)"
check_opens "page up at the top selects the newest" $n

keys G
wait_top 13
check "G shows the oldest" "$(seq 13 -1 1)" "$(case_rows)"
check_opens "G selects the oldest" 1

# At the top, a new case appears above the selection.
keys g
wait_top $n
fixture_case "Scroll case $((n + 1))"
n=$((n + 1))
wait_top $n
check "new case shows on top" "$(seq $n -1 $((n - 12)))" "$(case_rows)"
check_opens "selection stays on its case" $((n - 1))

keys q
check_clean_exit "quits cleanly"
