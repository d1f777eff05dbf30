#!/bin/sh
# The case view's status bar shows the nearest running notification
# deadline with the time left: in the status colour early on, in the
# warning colour in its last quarter, in the error colour when overdue,
# and in bold on the reverse-video bar without colour (NO_COLOR).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"

if ! need_tmux; then
	skip "deadline in the status bar" "tmux is not installed"
	exit 0
fi

# case_with_clock TITLE HOURS_AGO: a case whose GDPR clock started then.
case_with_clock() {
	n=$("$IRCASE" new --playbook "$IRCASE_TOP/playbooks/phishing.md" \
	    --title "$1")
	"$IRCASE" decide "$n" incident --reason "data left" \
	    --aware-at "$(date -u -d "-$2 hours" +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
	"$IRCASE" clock "$n" start gdpr >/dev/null
}
case_with_clock "Early" 10
case_with_clock "Late" 60
case_with_clock "Overdue" 80

# status_of NUMBER [VAR=VALUE]: open case NUMBER and print its status
# row with the escape sequences tmux reports for its attributes.
status_of() {
	tui_start 100 30 ${2:-}
	wait_for "Early" || return
	i=1
	while [ "$i" -lt "$1" ]; do
		keys Down
		i=$((i + 1))
	done
	# The list shows the newest case first.
	keys Enter
	wait_for "Timeline," || return
	sleep 0.3
	tm capture-pane -p -e | tail -n 1
	keys q q
	wait_exit >/dev/null
}

esc=$(printf '\033')
row=$(status_of 3)
check_match "early clock shows the time left" "gdpr 2d 1[34]h left" "$row"
check_no_match "early clock is not highlighted" "${esc}\[[0-9;]*43m gdpr" "$row"

row=$(status_of 2)
check_match "late clock shows the time left" "gdpr 1[12]h [0-9]{2}m left" "$row"
check_match "late clock in the warning colour" "${esc}\[[0-9;]*43m gdpr" "$row"

row=$(status_of 1)
check_match "overdue clock says overdue" "gdpr overdue [78]h [0-9]{2}m" "$row"
check_match "overdue clock in the error colour" "${esc}\[[0-9;]*41m gdpr" "$row"

row=$(status_of 2 NO_COLOR=1)
check_match "without colour the late clock is bold" \
    "${esc}\[[0-9;]*1m gdpr" "$row"
row=$(status_of 3 NO_COLOR=1)
check_no_match "without colour the early clock is plain" \
    "${esc}\[[0-9;]*1m gdpr" "$row"

# A drill's clock counts drill time: at speed 1000 an awareness one wall
# minute before the decision is about 17 drill hours back, so about 55 of
# the 72 hours are left, where wall time would show 2d 23h.
d=$("$IRCASE" drill start --playbook "$IRCASE_TOP/playbooks/phishing.md" \
    --title "Drill clock" --speed 1000)
"$IRCASE" decide "$d" incident --reason "drill data left" \
    --aware-at "$(date -u -d "-1 minutes" +%Y-%m-%dT%H:%M:%SZ)" >/dev/null
"$IRCASE" clock "$d" start gdpr >/dev/null
row=$(status_of 1)
check_match "drill clock shows drill time" "gdpr 2d [0-9]h [0-9]{2}m left \(drill\)|gdpr 2d [0-9]h left \(drill\)" "$row"
check_no_match "drill clock is not wall time" "gdpr 2d 2[23]h" "$row"

echo "1..$_tap_n"
