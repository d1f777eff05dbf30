#!/bin/sh
# A database this process may not write, such as a copy handed to an
# auditor, can still be listed, shown, exported and verified, in a
# read-only folder too.  A write command names the cause and the fix.
. "$(dirname "$0")/../lib.sh"

# Root bypasses file modes, so as root the checks run as nobody.
run_as() {
	if [ "$(id -u)" = 0 ]; then
		HOME="$RO/home" XDG_CONFIG_HOME="$RO/home" setpriv \
		    --reuid=nobody --regid=nogroup --clear-groups "$@"
	else
		HOME="$RO/home" XDG_CONFIG_HOME="$RO/home" "$@"
	fi
}

if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null 2>&1; then
	skip "read-only database" "setpriv (util-linux) is not installed"
	echo "1..$_tap_n"
	exit 0
fi

RO=$(mktemp -d /tmp/ircase-ro.XXXXXX)
trap 'chmod -R u+w "$RO"; rm -rf "$RO" "$T"' EXIT
chmod 755 "$RO"
mkdir -p "$RO/home" "$RO/rw" "$RO/ro"
chmod 777 "$RO/home"
"$IRCASE" --db "$RO/rw/case.db" new --playbook "$(dirname "$0")/../../playbooks/phishing.md" \
    --title "Audit copy" >/dev/null
"$IRCASE" --db "$RO/rw/case.db" note 1 "first note"
cp "$RO/rw/case.db" "$RO/ro/case.db"
chmod 444 "$RO/rw/case.db" "$RO/ro/case.db"
chmod 555 "$RO/ro"
chmod 755 "$RO/rw"

for dir in rw ro; do
	db="$RO/$dir/case.db"
	check_match "list reads the $dir copy" "Audit copy" \
	    "$(run_as "$IRCASE" --db "$db" list 2>&1)"
	out=$(run_as "$IRCASE" --db "$db" verify 1 2>&1)
	check "verify exits 0 on the $dir copy" 0 $?
	check_match "verify finds the chain intact ($dir)" "intact, 2 actions" "$out"
	check_match "export reads the $dir copy" "first note" \
	    "$(run_as "$IRCASE" --db "$db" export 1 --format csv 2>&1)"
	out=$(run_as "$IRCASE" --db "$db" note 1 "late" 2>&1)
	check "a note on the $dir copy fails" 1 $?
	check_match "the failure names write access ($dir)" \
	    "cannot write database .*ask its owner for write access" "$out"
done
check "the read-only copy got no side files" "case.db" "$(ls "$RO/ro")"
check "the read-only copy is unchanged" "1" \
    "$(sqlite3 "$RO/ro/case.db" "SELECT count(*) FROM action WHERE kind = 'note'")"
echo "1..$_tap_n"
