#!/bin/sh
# Drills from the command line: scenario lint, a drill at speed 60 with
# the clock fixed by IRCASE_TEST_NOW (test builds only), injects in
# order, the report's figures against the action timestamps, and a
# scenario written from a past case.
. "$(dirname "$0")/../lib.sh"

scen="$IRCASE_TOP/playbooks/scenarios"

# --- scenario lint ---------------------------------------------------------

for f in "$scen"/*.md; do
	out=$("$IRCASE" scenario lint "$f" 2>&1)
	check "lint $(basename "$f") exit" 0 "$?"
	check "lint $(basename "$f") clean" "" "$out"
done
check "three scenarios shipped" 3 "$(ls "$scen"/*.md | wc -l | tr -d ' ')"

cat >"$T/bad.md" <<'EOF'
---
title: Bad
playbook: ../phishing.md
---
- T+5x: offset with a bad unit
- T+9m: expects a step that is not there
  - expect: Make coffee
EOF
out=$("$IRCASE" scenario lint --playbook "$IRCASE_TOP/playbooks/phishing.md" \
    "$T/bad.md")
check "lint bad exit" 1 "$?"
check_match "lint bad offset line" "^$T/bad.md:5: error: offset 'T\+5x'" "$out"
check_match "lint bad expect line" "^$T/bad.md:6: error: .*'Make coffee'" "$out"
"$IRCASE" drill start --scenario "$T/bad.md" \
    --playbook "$IRCASE_TOP/playbooks/phishing.md" 2>"$T/err" >/dev/null
check "drill start rejects a bad scenario" 1 "$?"
check_match "drill start names the line" "bad.md:5:" "$(cat "$T/err")"
check "no case from a bad scenario" 0 \
    "$(sqlite3 "$IRCASE_DB" 'SELECT count(*) FROM "case"' 2>/dev/null || echo 0)"

"$IRCASE" drill start --playbook phishing --speed 0 2>/dev/null
check "speed 0 is a usage error" 2 "$?"

# --- a drill at speed 60 ---------------------------------------------------

cat >"$T/s.md" <<EOF
---
title: Timed drill
playbook: $IRCASE_TOP/playbooks/phishing.md
targets:
  report: 10m
  assess: 2h
  Record the report: 5m
---
- T+0m: A mail arrives.
- T+30m: A second wave.
  - observable: domain wave2.example
  - expect: Watch for a second wave
- T+10m: A user clicked.
  - severity: high
EOF
n=$(IRCASE_TEST_NOW=2026-03-02T10:00:00Z "$IRCASE" drill start \
    --scenario "$T/s.md" --speed 60)
check "drill start prints the case" 1 "$n"
check "case is a drill" drill \
    "$(sqlite3 "$IRCASE_DB" "SELECT kind FROM \"case\" WHERE id = $n")"
check "drill title from the scenario" "Timed drill" \
    "$(sqlite3 "$IRCASE_DB" "SELECT title FROM \"case\" WHERE id = $n")"

out=$(IRCASE_TEST_NOW=2026-03-02T10:00:05Z "$IRCASE" drill tick "$n")
check "tick at T+5m" "T+0m A mail arrives." "$out"
out=$(IRCASE_TEST_NOW=2026-03-02T10:00:06Z "$IRCASE" drill tick "$n")
check "tick again delivers nothing" "" "$out"
IRCASE_TEST_NOW=2026-03-02T10:00:07Z "$IRCASE" step "$n" 4 start
IRCASE_TEST_NOW=2026-03-02T10:00:09Z "$IRCASE" step "$n" 4 done
IRCASE_TEST_NOW=2026-03-02T10:00:11Z "$IRCASE" step "$n" 5 skip \
    --note "reporter on leave"
out=$(IRCASE_TEST_NOW=2026-03-02T10:00:40Z "$IRCASE" drill tick "$n")
check "tick at T+40m, in offset order" "T+10m A user clicked.
  severity: 3 (high), for the responders to assess
T+30m A second wave.
  observable: domain wave2.example, recorded as observable 1" "$out"
check "inject observable recorded" "domain wave2.example 3" \
    "$(sqlite3 "$IRCASE_DB" "SELECT o.type, o.value, json_extract(a.body,
     '$.inject') FROM observable o JOIN action a ON a.case_id = o.case_id
     AND a.kind = 'observable.add' WHERE o.case_id = $n" | tr '|' ' ')"
check "inject observable after its inject" "drill.inject observable.add" \
    "$(sqlite3 "$IRCASE_DB" "SELECT group_concat(kind, ' ') FROM (SELECT kind
     FROM (SELECT seq, kind FROM action WHERE case_id = $n ORDER BY seq DESC
     LIMIT 2) ORDER BY seq)")"
check "severity of the case unchanged" 2 \
    "$(sqlite3 "$IRCASE_DB" "SELECT severity FROM \"case\" WHERE id = $n")"
IRCASE_TEST_NOW=2026-03-02T10:00:43Z "$IRCASE" note "$n" "wave seen"

check "inject order in the chain" "1 2 3" "$(sqlite3 "$IRCASE_DB" \
    "SELECT group_concat(json_extract(body, '$.index'), ' ') FROM (SELECT
     body FROM action WHERE case_id = $n AND kind = 'drill.inject'
     ORDER BY seq)")"
check "drill time beside the wall time" 2580000000 "$(sqlite3 "$IRCASE_DB" \
    "SELECT json_extract(body, '$.drill_time_us') FROM action
     WHERE case_id = $n AND kind = 'note'")"
check "every action has its drill time" 0 "$(sqlite3 "$IRCASE_DB" \
    "SELECT count(*) FROM action WHERE case_id = $n AND kind <> 'case.open'
     AND json_extract(body, '$.drill_time_us') IS NULL")"

"$IRCASE" drill report "$n" --format json >"$T/r.json"
check "report exit" 0 "$?"
q() { python3 -c "import json,sys; d=json.load(open('$T/r.json')); print($1)"; }
# Expected figures from the stored timestamps, scaled by the speed.
us() { sqlite3 "$IRCASE_DB" "$1"; }
start=$(us "SELECT started_at FROM drill WHERE case_id = $n")
s4a=$(us "SELECT time_us FROM action WHERE case_id = $n AND step_seq = 4
    AND json_extract(body, '$.to') = 'active'")
s4d=$(us "SELECT time_us FROM action WHERE case_id = $n AND step_seq = 4
    AND json_extract(body, '$.to') = 'done'")
check "report step started" $(((s4a - start) * 60)) \
    "$(q 'd["steps"][3]["started_us"]')"
check "report step time" $(((s4d - s4a) * 60)) \
    "$(q 'd["steps"][3]["duration_us"]')"
check "report step target met" "300000000 True" \
    "$(q 'd["steps"][3]["target_us"], d["steps"][3]["met"]')"
check "report skipped reason" "reporter on leave" \
    "$(q '[s["reason"] for s in d["skipped"] if s["step"] == 5][0]')"
inj1=$(us "SELECT time_us FROM action WHERE case_id = $n
    AND kind = 'drill.inject' ORDER BY seq LIMIT 1")
check "reaction to the first inject" $(((s4a - inj1) * 60)) \
    "$(q 'd["injects"][0]["reaction_us"]')"
check "reaction kind" "step.state" "$(q 'd["injects"][0]["reaction_kind"]')"
check "third inject expected step" 21 "$(q 'd["injects"][2]["expect_step"]')"
check "report phase target" "600000000" \
    "$(q '[p["target_us"] for p in d["phases"] if p["phase"] == "report"][0]')"
# A phase is met only when all its steps closed within the target: report
# has one of three steps open, and no action reached assess.
check "report phase open" "open None 2/3" "$(q '[(p["outcome"], p["met"],
    "%d/%d" % (p["closed"], p["steps"])) for p in d["phases"]
    if p["phase"] == "report"][0]' | tr -d "(),'")"
check "assess phase not reached" "not reached None" "$(q '[(p["outcome"],
    p["met"]) for p in d["phases"] if p["phase"] == "assess"][0]' |
    tr -d "(),'")"
check "phase without a target" "None None" "$(q '[(p["outcome"], p["met"])
    for p in d["phases"] if p["phase"] == "respond"][0]' | tr -d "(),'")"
last=$(us "SELECT max(time_us) FROM action WHERE case_id = $n")
check "report duration" $(((last - start) * 60)) "$(q 'd["duration_us"]')"

"$IRCASE" drill report "$n" -o "$T/r.md"
check "report md exit" 0 "$?"
check_match "report md marks the drill" "^# DRILL After-action report: #$n" \
    "$(cat "$T/r.md")"
check_match "report md trend chart" "^#$n +#+ " "$(cat "$T/r.md")"
check_match "report md phase open" '^\| Report \| 2/3 \| .* \| open \|$' \
    "$(cat "$T/r.md")"
check_match "report md phase not reached" \
    '^\| Assess \| 0/[0-9]+ \| - \| 2h 00m \| not reached \|$' "$(cat "$T/r.md")"
check_match "report md history heading" \
    "^## This drill and earlier drills of this playbook$" "$(cat "$T/r.md")"
check_match "report md marks this drill" "^\| #$n \(this drill\) \|" \
    "$(cat "$T/r.md")"
check_no_match "report md no met without closes" "\| 0/[0-9]+ \|.*\| met \|" \
    "$(cat "$T/r.md")"

# A second drill of the same playbook shows the first in its history.
m=$(IRCASE_TEST_NOW=2026-03-03T10:00:00Z "$IRCASE" drill start \
    --playbook phishing --title "Second run")
check "second drill history" "$n $m" "$("$IRCASE" drill report "$m" \
    --format json | python3 -c 'import json,sys
print(" ".join(str(h["case"]) for h in json.load(sys.stdin)["history"]))')"

"$IRCASE" drill tick 999 2>"$T/err"
check "tick of a missing case" 1 "$?"
r=$("$IRCASE" new --playbook phishing --title "Real one")
"$IRCASE" drill tick "$r" 2>"$T/err"
check "tick of a real case" 1 "$?"
check_match "tick of a real case says why" "is not a drill" "$(cat "$T/err")"

# --- drills are marked in exports ------------------------------------------

check_match "md export heading marks the drill" "^# DRILL Case $n: Timed drill" \
    "$("$IRCASE" export "$n" --format md)"
check "timesketch lines carry the case kind" "drill" \
    "$("$IRCASE" export "$n" --format timesketch | python3 -c 'import json,sys
print(" ".join(sorted(set(json.loads(l)["case_kind"] for l in sys.stdin))))')"
"$IRCASE" export "$n" --format csv -o "$T/drill.csv"
check "csv rows carry the drill mark" "1 drill" \
    "$(python3 -c 'import csv,sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
print(len(set(r["case_kind"] for r in rows)), rows[-1]["case_kind"])' "$T/drill.csv")"
check "a real case exports as real" "real" \
    "$("$IRCASE" export "$r" --format timesketch | python3 -c 'import json,sys
print(" ".join(sorted(set(json.loads(l)["case_kind"] for l in sys.stdin))))')"

# --- closing a drill prints its report --------------------------------------

mkdir -p "$T/pb"
printf '# Respond\n\n- [ ] Isolate the host\n' >"$T/pb/tiny.md"
c=$("$IRCASE" drill start --playbook "$T/pb/tiny.md" --title "Tiny drill")
"$IRCASE" decide "$c" incident --reason "rehearsal" >/dev/null
"$IRCASE" step "$c" 1 done >/dev/null
"$IRCASE" lesson "$c" --waive --reason "drill" >/dev/null
out=$("$IRCASE" close "$c" 2>/dev/null)
check "close of a drill exit" 0 "$?"
check_match "close of a drill prints the report" \
    "^# DRILL After-action report: #$c Tiny drill" "$out"
out=$("$IRCASE" close "$r" 2>/dev/null)
check_no_match "close of a real case prints no report" "After-action" "$out"

# --- a past case as a drill ------------------------------------------------

IRCASE_TEST_NOW=2026-03-04T09:00:00Z "$IRCASE" new --playbook phishing \
    --title "Past incident" >"$T/past"
p=$(cat "$T/past")
IRCASE_TEST_NOW=2026-03-04T09:20:00Z "$IRCASE" report "$p" --by "Ana" \
    --channel phone "Odd mail in my inbox" >/dev/null
IRCASE_TEST_NOW=2026-03-04T09:45:00Z "$IRCASE" observable add "$p" \
    domain bad.example >/dev/null
"$IRCASE" replay "$p" --as-drill -o "$T/past.md"
check "as-drill exit" 0 "$?"
check "as-drill lints clean" "" "$("$IRCASE" scenario lint "$T/past.md")"
check_match "as-drill report inject" "^- T\+20m: Ana reports through phone" \
    "$(cat "$T/past.md")"
check_match "as-drill observable inject" "^  - observable: domain bad.example" \
    "$(cat "$T/past.md")"
d=$("$IRCASE" drill start --scenario "$T/past.md" --title "Rehearsal")
check "a drill starts from it" drill \
    "$(sqlite3 "$IRCASE_DB" "SELECT kind FROM \"case\" WHERE id = $d")"

# The same observable in two injects is recorded once; the second inject
# is still delivered.
cat >"$T/dup.md" <<EOF
---
title: Repeated observable
playbook: $IRCASE_TOP/playbooks/phishing.md
---
- T+0m: First sighting.
  - observable: ip 192.0.2.7
- T+1m: Seen again.
  - observable: ip 192.0.2.7
EOF
k=$(IRCASE_TEST_NOW=2026-05-01T10:00:00Z "$IRCASE" drill start \
    --scenario "$T/dup.md" --speed 60)
out=$(IRCASE_TEST_NOW=2026-05-01T10:00:05Z "$IRCASE" drill tick "$k")
check "tick with a repeated observable exit" 0 "$?"
check "tick with a repeated observable" "T+0m First sighting.
  observable: ip 192.0.2.7, recorded as observable 1
T+1m Seen again.
  observable: ip 192.0.2.7, not recorded: the case has it already or its value is not valid for the type" "$out"
check "repeated observable stored once" 1 "$(sqlite3 "$IRCASE_DB" \
    "SELECT count(*) FROM observable WHERE case_id = $k")"

# A case opened with a path relative to its folder gives a scenario that
# works from any folder: the playbook is written as an absolute path.
mkdir -p "$T/repo/playbooks" "$T/elsewhere"
cp "$IRCASE_TOP/playbooks/phishing.md" "$T/repo/playbooks/mine.md"
rel=$(cd "$T/repo" && "$IRCASE" new --playbook ./playbooks/mine.md \
    --title "Relative")
(cd "$T/repo" && "$IRCASE" replay "$rel" --as-drill -o "$T/elsewhere/rel.md")
check "as-drill playbook absolute" "playbook: \"$(cd "$T/repo/playbooks" &&
    pwd -P)/mine.md\"" "$(grep '^playbook:' "$T/elsewhere/rel.md")"
(cd "$T/elsewhere" && "$IRCASE" drill start --scenario rel.md \
    --title "From elsewhere" >/dev/null 2>"$T/err")
check "as-drill scenario from another folder" 0 "$?"

# A scenario whose playbook is missing names where it looked.
sed 's|^playbook: .*|playbook: "missing.md"|' "$T/elsewhere/rel.md" \
    >"$T/elsewhere/gone.md"
(cd "$T/elsewhere" && IRCASE_PLAYBOOK_PATH="$T/repo/playbooks" \
    "$IRCASE" drill start --scenario gone.md 2>"$T/err" >/dev/null)
check "missing scenario playbook exit" 1 "$?"
check_match "missing playbook names the paths tried" \
    "playbook 'missing.md' of the scenario gone.md not found: tried \./missing\.md and missing\.md \(from the current folder\), and searched $T/repo/playbooks, " \
    "$(cat "$T/err")"
out=$("$IRCASE" scenario lint "$T/elsewhere/gone.md")
check_match "lint names the paths tried" \
    "gone.md:[0-9]+: error: playbook 'missing.md' not found: tried $T/elsewhere/missing\.md and missing\.md" "$out"

# Met needs every step of the phase closed within the target; closing
# them later than the target is missed.  Speed 60: one wall second is one
# drill minute.
cat >"$T/met.md" <<EOF
---
title: Phase targets
playbook: $IRCASE_TOP/playbooks/phishing.md
targets:
  report: 10m
---
- T+0m: A mail arrives.
EOF
phase_outcome() {
	"$IRCASE" drill report "$1" --format json | python3 -c 'import json,sys
p = [p for p in json.load(sys.stdin)["phases"] if p["phase"] == "report"][0]
print(p["outcome"], p["met"], "%d/%d" % (p["closed"], p["steps"]))'
}
close_report_steps() {
	for s in $(sqlite3 "$IRCASE_DB" "SELECT seq FROM step WHERE case_id = $1
	    AND phase = 'report' ORDER BY seq"); do
		IRCASE_TEST_NOW=$2 "$IRCASE" step "$1" "$s" start
		IRCASE_TEST_NOW=$3 "$IRCASE" step "$1" "$s" done
	done
}
k=$(IRCASE_TEST_NOW=2026-04-01T10:00:00Z "$IRCASE" drill start \
    --scenario "$T/met.md" --speed 60)
close_report_steps "$k" 2026-04-01T10:00:02Z 2026-04-01T10:00:05Z
check "phase met when all closed in time" "met True 3/3" "$(phase_outcome "$k")"
k=$(IRCASE_TEST_NOW=2026-04-02T10:00:00Z "$IRCASE" drill start \
    --scenario "$T/met.md" --speed 60)
close_report_steps "$k" 2026-04-02T10:00:02Z 2026-04-02T10:00:30Z
check "phase missed when closed late" "missed False 3/3" "$(phase_outcome "$k")"

echo "1..$_tap_n"
