#!/bin/sh
# Nothing lost: kill -9 the TUI at random moments while a key loop adds
# notes in the case view, then check that every note the timeline showed
# is in the database once, that the chain verifies and that SQLite's
# integrity check passes.
#
# TUI_CRASH_ROUNDS sets the number of kills (5 here; 'make stress' runs
# 200).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"

if ! need_tmux; then
	skip "tui crash" "tmux is not installed"
	exit 0
fi
rounds=${TUI_CRASH_ROUNDS:-5}
"$IRCASE" new --playbook "$IRCASE_TOP/playbooks/phishing.md" --title "Crash TUI" >/dev/null
: >"$T/shown"
i=0
started=0
killed=0
while [ $i -lt "$rounds" ]; do
	# A fresh tmux server, since the last one may still be exiting, and a
	# fresh draft folder, so no draft from the last kill reopens the case.
	TMUX_SOCKET="ircase-test-$$-$i"
	tui_start 100 30 XDG_STATE_HOME="$T/state$i"
	if wait_for "Crash TUI" 20; then
		keys Enter
	fi
	if wait_for "Timeline," 20; then
		started=$((started + 1))
	fi
	# The kill ends the tmux server too, so the loop's last keys can fail.
	(
		k=0
		while :; do
			k=$((k + 1))
			keys n
			type_text "tui r$i n$k"
			keys Enter
			sleep 0.05
		done
	) 2>/dev/null &
	loop=$!
	# 300 to 1,500 ms: sometimes mid-keystroke, sometimes mid-commit.
	sleep "$(awk -v r="$(od -An -N2 -tu2 /dev/urandom)" 'BEGIN { printf "%.3f", 0.3 + (r % 1200) / 1000 }')"
	# What the timeline shows now was committed before it was drawn.
	screen | grep -Eo " note step [0-9]+: tui r$i n[0-9]+" |
	    sed 's/.*: //' >>"$T/shown"
	pane=$(tm display-message -p '#{pane_pid}' 2>/dev/null)
	pid=$(pgrep -P "$pane" 2>/dev/null | head -n 1)
	if [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; then
		killed=$((killed + 1))
	fi
	kill "$loop" 2>/dev/null
	wait "$loop" 2>/dev/null
	tui_stop
	i=$((i + 1))
done

check "every round opened the case" "$rounds" "$started"
check "every round killed the TUI" "$rounds" "$killed"
crash_check_notes "$T/shown" shown
shown=$(sort -u "$T/shown" | wc -l)
if [ "$shown" -gt 0 ]; then ok "the timeline showed notes"; else not_ok "the timeline showed notes"; fi
