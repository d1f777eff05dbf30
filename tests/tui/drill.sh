#!/bin/sh
# A drill run end to end at high speed in the TUI: the DRILL tag and
# banner, injects arriving in order while the case is open, and the
# report's reaction times against the stored timestamps.  Then a replay
# of a case recorded live, whose steps and timeline at chosen points
# match what the live case showed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "drill" "tmux is not installed"
	exit 0
fi

# Lines of a screen that show a step or a timeline entry, with the pane
# border and what is right of it cut off.
panes() {
	printf '%s\n' "$1" | grep -aE '^ +[0-9]+ \[.\] |^20[0-9-]+ [0-9:]+ ' |
	    sed 's/│.*//; s/ *$//'
}

# --- a drill at speed 600: ten drill minutes per wall second ---------------

cat >"$T/s.md" <<EOF
---
title: Fast drill
playbook: $T/playbooks/fixture.md
---
- T+0m: First inject arrives
- T+10m: Second inject arrives
- T+20m: Third inject arrives
  - expect: Third step
EOF
n=$("$IRCASE" drill start --scenario "$T/s.md" --speed 600)
check "drill started" 1 "$n"

tui_start 100 30
check_wait "list tags the drill" "[DRILL] Fast drill"
keys Enter
check_wait "case view shows the DRILL banner" "DRILL T+"
check_wait "first inject arrives" "First inject arrives"
keys Space
check_wait "step made active" "[>] Contain the host"
check_wait "third inject arrives" "injects 3/3" 15
shot=$(screen)
check_match "banner shows the last inject" "last: Third inject arrives" "$shot"
order=$(printf '%s\n' "$shot" | grep -aoE '(First|Second|Third) inject arrives' |
    grep -v '^$' | uniq | tr '\n' ' ')
check_match "injects in the timeline in order" \
    "First inject arrives Second inject arrives Third inject arrives" "$order"
keys q q
check_clean_exit "drill TUI exits cleanly"

check "injects stored in order" "1 2 3" "$(sqlite3 "$IRCASE_DB" \
    "SELECT group_concat(json_extract(body, '$.index'), ' ') FROM (SELECT
     body FROM action WHERE case_id = $n AND kind = 'drill.inject'
     ORDER BY seq)")"
check "no inject before its offset" 0 "$(sqlite3 "$IRCASE_DB" \
    "SELECT count(*) FROM action WHERE case_id = $n AND kind = 'drill.inject'
     AND json_extract(body, '$.drill_time_us') <
         json_extract(body, '$.offset_us')")"
"$IRCASE" drill report "$n" --format json >"$T/r.json"
inj=$(sqlite3 "$IRCASE_DB" "SELECT time_us FROM action WHERE case_id = $n
    AND kind = 'drill.inject' ORDER BY seq LIMIT 1")
act=$(sqlite3 "$IRCASE_DB" "SELECT time_us FROM action WHERE case_id = $n
    AND kind = 'step.state' ORDER BY seq LIMIT 1")
check "reaction to the first inject from the timestamps" \
    $(((act - inj) * 600)) "$(python3 -c "import json
print(json.load(open('$T/r.json'))['injects'][0]['reaction_us'])")"

# --- replay of a case recorded live ----------------------------------------

fixture_case "Recorded case"
r=2
tui_start 100 30
check_wait "list shows the recorded case" "Recorded case"
keys Enter
check_wait "live case opens" "Timeline, 1 action"
keys Space
check_wait "live: step 1 active" "Timeline, 2 actions"
live1=$(panes "$(screen)")
keys j x
check_wait "live: step 2 done" "Timeline, 3 actions"
live2=$(panes "$(screen)")
keys n
type_text "replay marker note"
keys Enter
check_wait "live: note saved" "Timeline, 4 actions"
live3=$(panes "$(screen)")
keys q q
check_clean_exit "live TUI exits cleanly"

cat >"$T/replay.sh" <<EOS
#!/bin/sh
env TERM=xterm-256color TZ='$TZ' LC_ALL=C.UTF-8 "$IRCASE" replay $r --speed 1 2>"$T/stderr"
echo \$? >"$T/rc"
EOS
rm -f "$T/rc" "$T/stderr"
tm new-session -d -x 100 -y 30 "sh $T/replay.sh"
check_wait "replay opens read-only" "replay, read-only"
# Pause, go back to the start, then step to each point recorded above.
keys Space Left Left Left Left Left
check_wait "replay at the start" "action 0/4"
keys Right Right
check_wait "replay after two actions" "action 2/4"
check "replay matches live after step 1 started" "$live1" "$(panes "$(screen)")"
keys Right
check_wait "replay after three actions" "action 3/4"
check "replay matches live after step 2 done" "$live2" "$(panes "$(screen)")"
keys Right
check_wait "replay after four actions" "action 4/4"
check "replay matches live after the note" "$live3" "$(panes "$(screen)")"
keys Left
check_wait "replay steps back" "action 3/4"
check "stepping back shows the earlier state" "$live2" "$(panes "$(screen)")"
keys 4
check_wait "jump to Respond" "action 2/4"
keys q
check_clean_exit "replay exits cleanly"
check "replay wrote nothing" 4 "$(sqlite3 "$IRCASE_DB" \
    "SELECT count(*) FROM action WHERE case_id = $r")"

echo "1..$_tap_n"
