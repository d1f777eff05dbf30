#!/bin/sh
# Run every test and print one summary line, "N passed, N failed".
#
# Each test program writes TAP ("ok N - name", "not ok N - name"); this
# script runs the cmocka units in build/test/unit, the shell suites in
# tests/cli and tests/tui, and a short fuzz run of each target in
# build/fuzz, and counts the results.  A program that exits non-zero
# without printing a "not ok" line counts as one failure.
#
# Environment: TEST_BUILD (default build/test), IRCASE_SHARED (default
# ../shared beside the repository), FUZZ_SECONDS (default 20; the
# playbook fuzz target runs at least 60).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
: "${TEST_BUILD:=build/test}"
: "${FUZZ_SECONDS:=20}"
export IRCASE="$top/$TEST_BUILD/ircase"
export IRCASE_TOP="$top"
if [ -z "${IRCASE_SHARED:-}" ] && [ -d "$top/../shared" ]; then
	IRCASE_SHARED=$(cd "$top/../shared" && pwd)
fi
export IRCASE_SHARED="${IRCASE_SHARED:-}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export CMOCKA_MESSAGE_OUTPUT=TAP
export TZ="${TZ:-UTC}"

logdir="$top/build/test-logs"
rm -rf "$logdir" && mkdir -p "$logdir"
passed=0
failed=0
skipped=0

# run_one NAME COMMAND...: run a TAP-writing program and add up its results.
run_one() {
	name=$1
	shift
	log="$logdir/$(echo "$name" | tr '/' '_').log"
	"$@" >"$log" 2>&1
	rc=$?
	# cmocka writes a skipped test as "not ok N # SKIP"; count it apart.
	p=$(grep -E '^ok ' "$log" | grep -cv '# SKIP')
	f=$(grep -E '^not ok ' "$log" | grep -cv '# SKIP')
	s=$(grep -cE '^(not )?ok .*# SKIP' "$log")
	skipped=$((skipped + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name ($p passed, $f failed): $log"
		grep -E '^not ok |^# ' "$log" | head -20 | sed 's/^/    /'
		tail -n 15 "$log" | grep -vE '^(ok|not ok) ' | sed 's/^/    | /'
	else
		echo "ok   $name ($p passed)"
	fi
}

for t in "$TEST_BUILD"/unit/test_*; do
	[ -x "$t" ] || continue
	run_one "unit/$(basename "$t")" "$t"
done
for t in tests/cli/*.sh tests/tui/*.sh; do
	[ -f "$t" ] || continue
	run_one "$t" sh "$t"
done
for f in build/fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	secs=$FUZZ_SECONDS
	# The playbook loader reads untrusted files: give it a full minute.
	case $(basename "$f") in
	fuzz_playbook) [ "$secs" -lt 60 ] && secs=60 ;;
	esac
	run_one "fuzz/$(basename "$f")" sh tests/fuzz/run.sh "$f" "$secs"
done

[ "$skipped" -gt 0 ] && echo "$skipped skipped (see the logs for why)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
