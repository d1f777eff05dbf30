#!/bin/sh
# Starting a drill from the new-case screen: the scenario stage lists only
# the scenarios that name the chosen playbook, rejects one with errors,
# and the speed stage checks its number.  The drill it starts has the
# same rows and actions as "ircase drill start" with the same choices.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "drill from the new-case screen" "tmux is not installed"
	exit 0
fi

mkdir -p "$T/playbooks/scenarios"
cat >"$T/playbooks/scenarios/fast.md" <<'EOS'
---
title: Fast fixture drill
playbook: ../fixture.md
targets:
  respond: 30m
---
- T+0m: The first alert arrives
- T+10m: A second host calls out
EOS
cat >"$T/playbooks/scenarios/broken.md" <<'EOS'
---
title: Broken fixture drill
playbook: ../fixture.md
---
- T+banana: An inject with a bad offset
EOS
cat >"$T/playbooks/scenarios/other.md" <<'EOS'
---
title: Drill of another playbook
playbook: ../other.md
---
- T+0m: Not for the fixture
EOS
cat >"$T/playbooks/other.md" <<'EOS'
# Respond

- [ ] Another step
EOS

tui_start 80 24
check_wait "list drawn" "No cases yet"
keys n
check_wait "picker lists the fixture" "Fixture 東京 playbook"
# The picker sorts by file name: fixture.md, then other.md.
keys d
check_wait "drill mode on" "new DRILL"
keys Enter
check_wait "title prompt opens" "Title:"
type_text "TUI drill"
keys Enter
check_wait "severity row shows" "Severity:"
keys 2 Enter
check_wait "scenario stage opens" "No scenario: a drill without injects"
shot=$(screen)
check_match "matching scenario listed" "Fast fixture drill +2 +ok +fast\.md" "$shot"
check_match "scenario with errors listed" "Broken fixture drill +0 +[0-9]+ errors? +broken\.md" "$shot"
check_no_match "other playbook's scenario hidden" "another playbook" "$shot"
check_no_match "scenario stage fits 80 columns" ".{81}" "$shot"
check_match "title bar names the drill stages" "new DRILL \\(not a real incident\\) +title, severity, scenario, speed" "$shot"
# broken.md sorts before fast.md.
keys Down Enter
check_wait "scenario with errors rejected" "broken.md:1: no injects"
keys Down Enter
check_wait "speed prompt opens" "Speed (empty for 1):"
type_text "0"
keys Enter
check_wait "speed 0 rejected" "Invalid speed '0'"
keys BSpace
type_text "1000"
keys Enter
check_wait "drill case opens" "DRILL T+"
check_wait "first inject delivered" "The first alert arrives"
keys q q
check_clean_exit "TUI exits cleanly"

n=$(sqlite3 "$IRCASE_DB" "SELECT max(id) FROM \"case\"")
check "case is a drill" "drill|TUI drill|2" "$(sqlite3 "$IRCASE_DB" \
    "SELECT kind, title, severity FROM \"case\" WHERE id = $n")"
check "drill row has speed and scenario" \
    "1000|Fast fixture drill|$T/playbooks/scenarios/fast.md" \
    "$(sqlite3 "$IRCASE_DB" "SELECT speed, scenario_title, scenario_path
     FROM drill WHERE case_id = $n")"

# The same drill from the command line.
c=$("$IRCASE" drill start --playbook "$T/playbooks/fixture.md" \
    --scenario "$T/playbooks/scenarios/fast.md" --speed 1000 \
    --title "TUI drill" --severity 2)
check "CLI drill started" 0 "$?"

# rows CASE: what must match between the two drills, without ids and times.
rows() {
	sqlite3 "$IRCASE_DB" "
	SELECT title, severity, tlp, pap, kind, status, playbook_id
	    FROM \"case\" WHERE id = $1;
	SELECT speed, scenario_title, scenario_path, scenario_sha256,
	    hex(scenario_text) FROM drill WHERE case_id = $1;
	SELECT seq, phase, ord, title, body, state FROM step
	    WHERE case_id = $1 ORDER BY seq;
	SELECT json_remove(body, '$.drill_time_us') FROM action
	    WHERE case_id = $1 AND kind IN ('case.open', 'drill.start')
	    ORDER BY seq;"
}
check "TUI drill rows equal the CLI's" "$(rows "$c")" "$(rows "$n")"
check "first actions equal the CLI's" \
    "$(sqlite3 "$IRCASE_DB" "SELECT group_concat(kind, ' ') FROM (SELECT kind
       FROM action WHERE case_id = $c AND kind <> 'drill.inject' ORDER BY seq)")" \
    "$(sqlite3 "$IRCASE_DB" "SELECT group_concat(kind, ' ') FROM (SELECT kind
       FROM action WHERE case_id = $n AND kind <> 'drill.inject' ORDER BY seq)")"

# A drill without a scenario at the default speed.
tui_start 80 24
check_wait "list drawn again" "TUI drill"
keys n
check_wait "picker again" "Fixture 東京 playbook"
keys d Enter
check_wait "title prompt again" "Title:"
type_text "Bare drill"
keys Enter
check_wait "severity again" "Severity:"
keys Enter
check_wait "scenario stage again" "No scenario: a drill without injects"
keys Enter
check_wait "speed prompt again" "Speed (empty for 1):"
keys Enter
check_wait "bare drill opens" "DRILL T+"
keys q q
check_clean_exit "second TUI exits cleanly"
check "bare drill has no scenario" "drill|1||" "$(sqlite3 "$IRCASE_DB" \
    "SELECT c.kind, d.speed, d.scenario_title, d.scenario_path FROM \"case\" c
     JOIN drill d ON d.case_id = c.id WHERE c.title = 'Bare drill'")"

echo "1..$_tap_n"
