#!/bin/sh
# "-o -" means standard output for every command that takes -o, as in
# other Unix tools, and never writes a file named "-".  "./-" still
# names such a file, and audit-pack rejects "-" as its folder.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
IRCASE_TEST_NOW=2026-05-04T10:00:00Z "$IRCASE" new --playbook "$pb" \
    --title "Dash case" >/dev/null
IRCASE_TEST_NOW=2026-05-04T10:05:00Z "$IRCASE" note 1 "a note"
mkdir "$T/work"
cd "$T/work" || exit 1

# same_as_default NAME ARGS...: "-o -" prints what no -o prints.
same_as_default() {
	name=$1
	shift
	"$@" >"$T/plain" 2>"$T/err"
	plain_rc=$?
	"$@" -o - >"$T/dash" 2>"$T/err"
	check "$name -o - exit status" "$plain_rc" "$?"
	check "$name -o - writes standard output" "$(cat "$T/plain")" \
	    "$(cat "$T/dash")"
	check_match "$name -o - output is not empty" "." "$(head -c 80 "$T/dash")"
	check "$name -o - writes no file" "" "$(ls -A)"
}

same_as_default "export json" "$IRCASE" export 1
same_as_default "export md" "$IRCASE" export 1 --format md
same_as_default "register csv" "$IRCASE" register --from 2026-05-01 \
    --to 2026-05-31
same_as_default "replay as drill" "$IRCASE" replay 1 --as-drill
same_as_default "playbook export-thehive" "$IRCASE" playbook \
    export-thehive "$pb"

"$IRCASE" playbook export-thehive "$pb" -o "$T/tpl.json" 2>/dev/null
same_as_default "playbook import-thehive" "$IRCASE" playbook \
    import-thehive "$T/tpl.json"

n=$(IRCASE_TEST_NOW=2026-05-04T11:00:00Z "$IRCASE" drill start \
    --playbook "$pb" 2>/dev/null)
same_as_default "drill report" "$IRCASE" drill report "$n"

"$IRCASE" export 1 -o ./- 2>"$T/err"
check "export -o ./- exit status" 0 "$?"
check "export -o ./- writes a file named -" "-" "$(ls -A)"
rm -f ./-

"$IRCASE" register --from 2026-05-01 --to 2026-05-31 --format xlsx \
    -o - >/dev/null 2>"$T/err"
check "register xlsx -o - exits 2" 2 "$?"
check_match "register xlsx -o - names the reason" \
    "xlsx needs -o FILE; a workbook cannot be written to standard output" \
    "$(cat "$T/err")"

"$IRCASE" audit-pack --from 2026-05-01 --to 2026-05-31 - >/dev/null \
    2>"$T/err"
check "audit-pack - exits 2" 2 "$?"
check_match "audit-pack - explains" "audit-pack writes a folder" \
    "$(cat "$T/err")"
check "audit-pack - makes no folder" "" "$(ls -A)"

echo "1..$_tap_n"
