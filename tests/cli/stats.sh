#!/bin/sh
# ircase stats as text: "-" for a metric with no cases, readable labels,
# and the same period checks as register.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "Undecided" >/dev/null

out=$("$IRCASE" stats)
check "stats exit status" 0 "$?"
check_match "stats empty metric shows dashes" \
    '^time to assess +0 +- +- +-$' "$out"
check_match "stats phase label" '^phase respond +0 +- +- +-$' "$out"
check_no_match "stats no zero durations" ' 0s ' "$out"
check_no_match "stats no JSON key names" '_us' "$out"
check "stats json keeps null" "None" \
    "$("$IRCASE" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["metrics"]["time_to_assess_us"]["mean_us"])')"

# period NAME PATTERN ARGS...: a usage error (exit 2) matching PATTERN.
period() {
	name=$1 pattern=$2
	shift 2
	"$IRCASE" "$@" >"$T/out" 2>"$T/err"
	check "$name exit status" 2 "$?"
	check_match "$name message" "$pattern" "$(cat "$T/err")"
	check "$name stdout empty" "" "$(cat "$T/out")"
}

period "stats reversed period" \
    "period from --from 2026-12-31 to --to 2026-12-01 is empty" \
    stats --from 2026-12-31 --to 2026-12-01
period "register reversed period" \
    "period from --from 2026-12-31 to --to 2026-12-01 is empty" \
    register --from 2026-12-31 --to 2026-12-01
period "stats bad from names the date form" \
    "invalid date 'yesterday' for --from: give a date as YYYY-MM-DD" \
    stats --from yesterday
period "register bad to names the date form" \
    "invalid date '2026-13-01' for --to: there is no month 13" \
    register --from 2026-12-01 --to 2026-13-01
"$IRCASE" stats --from 2026-12-01 --to 2026-12-01 >/dev/null 2>&1
check "stats one day period" 0 "$?"

echo "1..$_tap_n"
