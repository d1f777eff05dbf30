# Helpers for the shell test suites; source this file.
#
# Each suite prints TAP lines through check/ok/not_ok, works in a fresh
# temporary folder ($T) that is removed at exit, and runs the test build of
# the program ($IRCASE, set by tests/run.sh).

set -u
: "${IRCASE:=$(cd "$(dirname "$0")/../.." && pwd)/build/test/ircase}"
: "${IRCASE_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${IRCASE_SHARED:=}"
T=$(mktemp -d "${TMPDIR:-/tmp}/ircase-test.XXXXXX")
export IRCASE_DB="$T/ircase.db"
export XDG_DATA_HOME="$T/data"
export XDG_CONFIG_HOME="$T/config"
export XDG_STATE_HOME="$T/state"
export IRCASE_PLAYBOOK_PATH="$IRCASE_TOP/playbooks"
export LC_ALL=C.UTF-8
unset SSH_CONNECTION NO_COLOR SSH_AUTH_SOCK IRCASE_SIGN_KEY IRCASE_SIGN_PRINCIPAL IRCASE_ALLOWED_SIGNERS
trap 'rm -rf "$T"' EXIT
_tap_n=0

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

not_ok() {
	_tap_n=$((_tap_n + 1))
	echo "not ok $_tap_n - $1"
	shift
	for line in "$@"; do echo "# $line"; done
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

# check NAME EXPECTED ACTUAL: pass when the two strings are equal.
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: $2" "actual:   $3"; fi
}

# check_match NAME PATTERN TEXT: pass when TEXT matches the extended regex.
check_match() {
	if printf '%s\n' "$3" | grep -qE -- "$2"; then ok "$1"; else not_ok "$1" "pattern: $2" "text:    $(printf '%s' "$3" | head -c 400)"; fi
}

# check_no_match NAME PATTERN TEXT: pass when no line of TEXT matches.
check_no_match() {
	if printf '%s\n' "$3" | grep -qE -- "$2"; then not_ok "$1" "unwanted: $2" "text:     $(printf '%s' "$3" | head -c 400)"; else ok "$1"; fi
}

# need_shared: true when ../shared is present; tests that read it skip otherwise.
need_shared() {
	[ -n "$IRCASE_SHARED" ] && [ -d "$IRCASE_SHARED/playbooks-real" ]
}

# db_sum: a digest of every row of the database, to show it did not change.
db_sum() {
	if [ -f "$IRCASE_DB" ]; then
		sqlite3 "$IRCASE_DB" .dump | sha256sum | cut -c1-64
	else
		echo "no database"
	fi
}

# crash_check_notes FILE WHAT: after kill -9 rounds on case 1, checks that
# each note text in FILE is stored exactly once (WHAT names them in the
# test name), that the chain verifies, that integrity_check is ok and that
# the case row counts every action.  sqlite3 waits for the lock of a
# killed process that is still exiting instead of failing at once.
crash_check_notes() {
	_q() { sqlite3 -cmd '.timeout 10000' "$IRCASE_DB" "$1"; }
	_missing=0
	while IFS= read -r _text; do
		_n=$(_q "SELECT count(*) FROM action WHERE kind = 'note' AND json_extract(body, '$.text') = '$_text'")
		[ "$_n" = 1 ] || _missing=$((_missing + 1))
	done <"$1"
	check "every $2 note is stored once ($(sort -u "$1" | wc -l) notes, $rounds kills)" 0 "$_missing"
	"$IRCASE" verify 1 >/dev/null 2>"$T/verify"
	check "chain verifies after $rounds kills" 0 $?
	check "integrity_check is ok" ok "$(_q 'PRAGMA integrity_check')"
	check "action count matches the case row" \
	    "$(_q 'SELECT action_count FROM "case" WHERE id = 1')" \
	    "$(_q 'SELECT count(*) FROM action WHERE case_id = 1')"
}
