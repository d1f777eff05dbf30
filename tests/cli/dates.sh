#!/bin/sh
# Dates that the calendar does not have are rejected by the one date
# parser that register, stats and audit-pack share, with a message that
# names the option and says how many days the month has; a time with
# such a date is rejected the same way everywhere a time is typed.
. "$(dirname "$0")/../lib.sh"

export TZ=Europe/London
"$IRCASE" new --playbook "$IRCASE_TOP/tests/data/cli/phishing.md" \
    --title "Dates" >/dev/null

# rejected NAME EXPECTED-PATTERN ARGS...: exit 2 and one matching line.
rejected() {
	name=$1
	pattern=$2
	shift 2
	"$IRCASE" "$@" >/dev/null 2>"$T/err"
	check "$name exits 2" 2 "$?"
	check_match "$name message" "^ircase: $pattern" "$(cat "$T/err")"
	check "$name one line" 1 "$(wc -l <"$T/err" | tr -d ' ')"
}

# Each row: command, option, value, expected reason.
while IFS='|' read -r cmd opt value reason; do
	case $cmd in
	register) other="--to 2026-12-31" ;;
	audit-pack) other="--to 2026-12-31 $T/pack" ;;
	*) other="" ;;
	esac
	[ "$opt" = --to ] && other=$(echo "$other" | sed 's/--to/--from/')
	# shellcheck disable=SC2086
	rejected "$cmd $opt $value" \
	    "invalid date '${value%%[T ]*}' for $opt: $reason\$" \
	    "$cmd" "$opt" "$value" $other
done <<'TABLE'
register|--from|2026-02-30|February 2026 has 28 days
register|--from|2026-02-31|February 2026 has 28 days
register|--to|2026-04-31|April 2026 has 30 days
register|--from|2026-13-01|there is no month 13
register|--from|2026-00-10|there is no month 0
register|--from|2026-01-00|January 2026 has 31 days
register|--from|2100-02-29|February 2100 has 28 days
register|--from|2026-02-30T10:00:00Z|February 2026 has 28 days
stats|--from|2026-02-31|February 2026 has 28 days
stats|--to|2026-06-31|June 2026 has 30 days
stats|--from|2026-02-31 10:00|February 2026 has 28 days
audit-pack|--from|2026-02-30|February 2026 has 28 days
audit-pack|--to|2026-09-31|September 2026 has 30 days
TABLE

check "audit-pack with a bad date makes no folder" "absent" \
    "$(test -e "$T/pack" && echo present || echo absent)"

# Two impossible dates: the first is named, not an empty period.
rejected "register two impossible dates" \
    "invalid date '2026-02-31' for --from: February 2026 has 28 days" \
    register --from 2026-02-31 --to 2026-02-30
"$IRCASE" stats --from 2026-02-31 >/dev/null 2>"$T/err"
check_no_match "stats bad date blames no clock change" "clocks" \
    "$(cat "$T/err")"

rejected "register text date names the option" \
    "invalid date 'x' for --from: give a date as YYYY-MM-DD" \
    register --from x --to 2026-12-31

# Leap days that exist are accepted.
for d in 2024-02-29 2000-02-29; do
	"$IRCASE" register --from "$d" --to 2026-12-31 >/dev/null 2>"$T/err"
	check "register accepts $d" 0 "$?"
done

# A local time with an impossible date is not blamed on the clocks.
"$IRCASE" milestone 1 contained --at "2026-02-30 10:00" >/dev/null \
    2>"$T/err"
check_match "milestone impossible local date" \
    "invalid date in '2026-02-30 10:00': February 2026 has 28 days" \
    "$(cat "$T/err")"

echo "1..$_tap_n"
