#!/bin/sh
# Writes that fail for lack of space leave nothing half-written and say
# which file failed and why: audit-pack builds its folder beside DIR and
# renames it into place only when complete, exports and registers name
# the file and the reason, and libxlsxwriter's own lines stay off stderr.
# A file size limit (ulimit -f) gives EFBIG; a 64 KiB tmpfs, where user
# namespaces are allowed, gives ENOSPC.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
for n in 1 2; do
	IRCASE_TEST_NOW=2026-05-04T10:00:00Z "$IRCASE" new --playbook "$pb" \
	    --title "Full disk $n" >/dev/null
done
long=$(head -c 2000 /dev/zero | tr '\0' x)
i=0
while [ $i -lt 100 ]; do
	IRCASE_TEST_NOW=2026-05-04T11:00:00Z "$IRCASE" note 1 "note $i $long"
	i=$((i + 1))
done
period="--from 2026-05-01 --to 2026-05-31"

# limited CMD...: runs ircase under a 128-block file size limit.  ircase
# itself must turn SIGXFSZ into EFBIG, so the shell leaves it as it is.
limited() {
	(ulimit -f 128 && exec "$IRCASE" "$@")
}

# shellcheck disable=SC2086
limited audit-pack $period "$T/pack" >/dev/null 2>"$T/err"
check "pack over the size limit exits 1" 1 "$?"
check_match "pack names the file and the reason" \
    "^ircase: cannot write $T/pack/cases/1/case.json: File too large; " \
    "$(cat "$T/err")"
check "pack over the size limit leaves no folder" "" \
    "$(ls -d "$T"/pack* 2>/dev/null)"

mkdir "$T/empty"
# shellcheck disable=SC2086
limited audit-pack $period "$T/empty/" >/dev/null 2>"$T/err"
check "pack into an empty folder exits 1" 1 "$?"
check "failed pack leaves the empty folder empty" "" \
    "$(ls -A "$T/empty")"
check "failed pack leaves no temporary folder" "$T/empty" \
    "$(ls -d "$T"/empty*)"

# shellcheck disable=SC2086
"$IRCASE" audit-pack $period "$T/empty/" >/dev/null 2>"$T/err"
check "pack into an empty folder with space" 0 "$?"
"$IRCASE" verify --pack "$T/empty" >/dev/null 2>&1
check "pack renamed into place verifies" 0 "$?"
check "pack leaves no temporary folder" "$T/empty" \
    "$(ls -d "$T"/empty*)"

# "." cannot be replaced whole, so the entries move into it one by one.
mkdir "$T/here"
# shellcheck disable=SC2086
(cd "$T/here" && limited audit-pack $period . >/dev/null 2>"$T/err")
check "pack into . over the size limit exits 1" 1 "$?"
check "failed pack into . leaves it empty" "" "$(ls -A "$T/here")"
# shellcheck disable=SC2086
(cd "$T/here" && "$IRCASE" audit-pack $period . >/dev/null 2>"$T/err")
check "pack into . with space" 0 "$?"
"$IRCASE" verify --pack "$T/here" >/dev/null 2>&1
check "pack moved into . verifies" 0 "$?"
check "pack into . leaves no temporary folder" "" \
    "$(ls -A "$T/here" | grep -v -x -E 'README.md|SHA256SUMS|cases|control-map.md|playbooks|register.csv|register.md')"

for f in json csv md timesketch; do
	limited export 1 --format "$f" -o "$T/case.$f" >/dev/null 2>"$T/err"
	check "export $f over the size limit exits 1" 1 "$?"
	check_match "export $f names the file and the reason" \
	    "^ircase: cannot write $T/case.$f: File too large; raise the file size limit" \
	    "$(cat "$T/err")"
	check "export $f leaves no file" "" "$(ls "$T"/case.* 2>/dev/null)"
done

if ! unshare -rm true 2>/dev/null; then
	skip "full tmpfs" "user and mount namespaces are not allowed here"
	echo "1..$_tap_n"
	exit 0
fi

# on_full_tmpfs SCRIPT: runs SCRIPT with $M a 64 KiB tmpfs that is nearly full.
on_full_tmpfs() {
	mkdir -p "$T/mnt"
	M="$T/mnt" IRCASE="$IRCASE" unshare -rm sh -c \
	    'mount -t tmpfs -o size=64k tmpfs "$M" &&
	    head -c 60000 /dev/zero >"$M/fill" 2>/dev/null; '"$1"
}

out=$(on_full_tmpfs '"$IRCASE" register '"$period"' --format xlsx \
    -o "$M/reg.xlsx" 2>&1; echo "rc=$?"; ls -A "$M"')
check_match "xlsx on a full disk exits 1" "^rc=1$" "$out"
check_match "xlsx names the file and the reason" \
    "^ircase: cannot write $T/mnt/reg.xlsx: No space left on device; free some space and run again$" \
    "$out"
check_no_match "xlsx prints no libxlsxwriter lines" "ERROR" "$out"
check "xlsx on a full disk prints one line and rc" 2 \
    "$(printf '%s\n' "$out" | grep -c -v '^fill$')"

out=$(on_full_tmpfs '"$IRCASE" audit-pack '"$period"' "$M/pack" 2>&1;
    echo "rc=$?"; ls -A "$M"')
check_match "pack on a full disk exits 1" "^rc=1$" "$out"
check_match "pack on a full disk names the file" \
    "^ircase: cannot write $T/mnt/pack/[a-z/0-9.]+: No space left on device; free some space and run again$" \
    "$out"
check_no_match "pack on a full disk leaves no folder" "^pack" "$out"

out=$(on_full_tmpfs '"$IRCASE" export 1 --format md -o "$M/case.md" 2>&1;
    echo "rc=$?"; ls -A "$M"')
check_match "export md on a full disk names the file" \
    "^ircase: cannot write $T/mnt/case.md: No space left on device; free some space" \
    "$out"
check_no_match "export md on a full disk leaves no file" "^case" "$out"

echo "1..$_tap_n"
