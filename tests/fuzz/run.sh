#!/bin/sh
# Run a libFuzzer target for a number of seconds and print one TAP line.
#
# usage: tests/fuzz/run.sh BINARY SECONDS
#
# The corpus starts from copies of tests/data/csv/* for fuzz_csv, of
# playbooks/scenarios/*.md for fuzz_scenario, and for
# the playbook target from $IRCASE_SHARED/playbooks-real/*.md (when that
# folder exists) and tests/data/playbooks/*.md, in a temporary folder that
# is removed at exit.  A crash input is copied to build/fuzz-crashes/
# and named in the "not ok" line.
set -u
if [ $# -ne 2 ]; then
	echo "usage: $0 BINARY SECONDS" >&2
	exit 2
fi
bin=$1
seconds=$2
name=$(basename "$bin")
top=$(cd "$(dirname "$0")/../.." && pwd)

echo "1..1"
if [ ! -x "$bin" ]; then
	echo "not ok 1 - $name: $bin not found; build it with 'make $bin'"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ircase-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/corpus" "$tmp/artifacts"
case $name in
fuzz_csv)
	cp "$top"/tests/data/csv/* "$tmp/corpus/" 2>/dev/null
	;;
fuzz_scenario)
	cp "$top"/playbooks/scenarios/*.md "$tmp/corpus/" 2>/dev/null
	cp "$top"/tests/data/scenarios/crashes/* "$tmp/corpus/" 2>/dev/null
	;;
*)
	if [ -n "${IRCASE_SHARED:-}" ] && [ -d "$IRCASE_SHARED/playbooks-real" ]; then
		cp "$IRCASE_SHARED"/playbooks-real/*.md "$tmp/corpus/" 2>/dev/null
	fi
	cp "$top"/tests/data/playbooks/*.md "$tmp/corpus/" 2>/dev/null
	if [ -d "$top/tests/data/playbooks/crashes" ]; then
		cp "$top"/tests/data/playbooks/crashes/* "$tmp/corpus/" 2>/dev/null
	fi
	;;
esac

"$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=0 \
    -artifact_prefix="$tmp/artifacts/" "$tmp/corpus" >"$tmp/log" 2>&1
rc=$?

crash=$(ls "$tmp/artifacts" 2>/dev/null | head -n 1)
if [ "$rc" -eq 0 ] && [ -z "$crash" ]; then
	echo "ok 1 - $name $seconds seconds"
	exit 0
fi
if [ -n "$crash" ]; then
	mkdir -p "$top/build/fuzz-crashes"
	cp "$tmp/artifacts/$crash" "$top/build/fuzz-crashes/"
	echo "not ok 1 - $name $seconds seconds: crash input build/fuzz-crashes/$crash"
else
	echo "not ok 1 - $name $seconds seconds: fuzzer exited with status $rc"
fi
grep -E 'ERROR|SUMMARY|==[0-9]+==' "$tmp/log" | head -n 10 | sed 's/^/# /'
exit 1
