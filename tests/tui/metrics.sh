#!/bin/sh
# The metrics pane (m in the case view) shows the times computed from the
# action log: each action is written with a fixed clock, so every figure
# on the screen is known.  Another process's commit updates the open pane.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "metrics pane" "tmux is not installed"
	exit 0
fi

# run_at TIME COMMAND...: run the CLI with the test clock set to TIME.
run_at() {
	_when=$1
	shift
	IRCASE_TEST_NOW="2026-03-02T$_when" "$IRCASE" "$@" >/dev/null
}

n=$(IRCASE_TEST_NOW=2026-03-02T10:00:00Z "$IRCASE" new \
    --playbook "$T/playbooks/fixture.md" --title "Timed case")
run_at 10:05:00Z role "$n" incident_commander Ada
run_at 10:12:30Z role "$n" scribe Bo
run_at 10:20:00Z report "$n" --by Eve --channel email "odd login"
run_at 10:45:00Z decide "$n" incident --reason "credentials used"
run_at 11:30:00Z milestone "$n" contained
run_at 13:00:00Z milestone "$n" recovered

tui_start 80 24 IRCASE_TEST_NOW=2026-03-02T13:30:00Z
check_wait "list shows the case" "Timed case"
keys Enter
check_wait "case view opens" "Timeline,"
keys m
check_wait "metrics pane opens" "Metrics: response times"
shot=$(screen)
check_match "time to assess" "Time to assess +45m 00s" "$shot"
check_match "time to contain" "Time to contain +1h 30m" "$shot"
check_match "eradicate not reached" "Time to eradicate +not yet" "$shot"
check_match "time to recover" "Time to recover +3h 00m" "$shot"
check_match "close not reached" "Time to close +not yet" "$shot"
check_match "Prepare spans the two roles" "Prepare +7m 30s" "$shot"
check_match "Report has one action" "Report +0s" "$shot"
check_match "Respond spans the milestones" "Respond +1h 30m" "$shot"
check_match "Learn has no action" "Learn +no action yet" "$shot"
check_no_match "pane fits 80 columns" ".{81}" "$shot"

# Another responder records a milestone from the CLI: the pane reloads.
run_at 12:10:00Z milestone "$n" eradicated
check_wait "other process's milestone shows" "Time to eradicate    2h 10m"
keys q
check_wait "back in the case view" "Timeline,"
keys q q
check_clean_exit "TUI exits cleanly"

check "figures come from the log" "7800000000" "$(sqlite3 "$IRCASE_DB" \
    "SELECT max(time_us) - min(time_us) FROM action WHERE case_id = $n
     AND kind IN ('case.open', 'milestone')
     AND (kind = 'case.open' OR json_extract(body, '$.milestone') = 'eradicated')")"

echo "1..$_tap_n"
