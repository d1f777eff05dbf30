#!/bin/sh
# ircase asset and ircase assets: affected assets picked from the CSV
# inventory that config.yaml names (columns mapped), or typed in; the
# inventory listed with its cases; XLSX through xlsx2csv.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "First" >/dev/null
"$IRCASE" new --playbook "$pb" --title "Second" >/dev/null

"$IRCASE" asset add 1 A-1 2>"$T/err"
check "add by id without an inventory fails" 1 $?
check_match "the message names assets.file" "set assets.file" "$(cat "$T/err")"

mkdir -p "$XDG_CONFIG_HOME/ircase"
printf '\357\273\277Asset Tag,Hostname,Custodian,Class\r\nA-1,mail01,"Ops, Mail",confidential\r\nA-2,"web 01",Web,internal\r\nA-3,db01,DBA,secret\r\n' \
    >"$XDG_CONFIG_HOME/ircase/inventory.csv"
cat >"$XDG_CONFIG_HOME/ircase/config.yaml" <<EOS
assets:
  file: inventory.csv
  columns:
    id: Asset Tag
    name: Hostname
    owner: Custodian
    classification: Class
EOS

out=$("$IRCASE" asset add 1 A-1)
check "add by id prints the number" "1" "$out"
check "add by id copies the inventory row" "A-1|mail01|Ops, Mail|confidential" \
    "$(sqlite3 "$IRCASE_DB" "SELECT inventory_id, name, owner, classification
	FROM asset WHERE case_id = 1")"
check "add writes an asset.add action" "A-1|mail01" \
    "$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.inventory_id'),
	json_extract(body, '$.name') FROM action WHERE kind = 'asset.add'")"
"$IRCASE" asset add 2 A-1 >/dev/null
"$IRCASE" asset add 2 A-2 >/dev/null
out=$("$IRCASE" asset add 1 --name "CEO laptop" --owner "IT" \
    --classification internal)
check "add typed in prints the number" "2" "$out"
check "typed-in asset has no inventory id" "|CEO laptop|IT" \
    "$(sqlite3 "$IRCASE_DB" "SELECT coalesce(inventory_id, ''), name, owner
	FROM asset WHERE case_id = 1 AND number = 2")"

sum=$(db_sum)
"$IRCASE" asset add 1 A-9 2>"$T/err"
check "unknown id fails" 1 $?
check_match "the message names the id and the file" "no asset with id 'A-9' in .*inventory.csv" \
    "$(cat "$T/err")"
"$IRCASE" asset add 1 A-1 2>"$T/err"
check "the same asset twice fails" 1 $?
check_match "the message names the first number" "as asset 1" "$(cat "$T/err")"
"$IRCASE" asset add 1 A-2 --name x 2>/dev/null
check "id and --name together is a usage error" 2 $?
"$IRCASE" asset add 1 A-2 --owner x 2>/dev/null
check "id with --owner is a usage error" 2 $?
"$IRCASE" asset add 1 2>/dev/null
check "add without id or --name is a usage error" 2 $?
"$IRCASE" asset add 5 A-2 2>"$T/err"
check "missing case fails" 1 $?
check "failed adds change nothing" "$sum" "$(db_sum)"

out=$("$IRCASE" asset list 1)
check_match "list shows the inventory asset" "^ +1 +A-1 +mail01 +Ops, Mail +confidential$" "$out"
check_match "list shows the typed-in asset" "^ +2 +\(typed\) +CEO laptop +IT +internal$" "$out"
check "list --json" "A-1 None" "$("$IRCASE" asset list 1 --json |
    jq -r '[.[].inventory_id] | map(tostring) | join(" ")' | sed 's/null/None/')"

out=$("$IRCASE" assets)
check_match "assets counts cases per asset" "^A-1 +mail01 .* 2 \(#1, #2\)$" "$out"
check_match "assets lists unused assets" "^A-3 +db01 .* 0$" "$out"
check_match "assets lists typed-in assets" "^\(typed\) +CEO laptop .* 1 \(#1\)$" "$out"
check "assets --json cases" "[1,2]" \
    "$("$IRCASE" assets --json | jq -c '.[0].cases')"

# A malformed inventory is reported with its line.
printf 'Asset Tag,Hostname,Custodian,Class\n"A-1,broken\n' \
    >"$XDG_CONFIG_HOME/ircase/inventory.csv"
"$IRCASE" assets 2>"$T/err"
check "malformed inventory fails" 1 $?
check_match "the message names file and line" "inventory.csv:2: the quote" \
    "$(cat "$T/err")"

# An XLSX inventory goes through xlsx2csv: absent, then a stand-in.
sed -i 's/inventory.csv/inventory.xlsx/' "$XDG_CONFIG_HOME/ircase/config.yaml"
printf 'PK\003\004not really a workbook' >"$XDG_CONFIG_HOME/ircase/inventory.xlsx"
mkdir -p "$T/bin"
for tool in sh cat; do ln -s "$(command -v $tool)" "$T/bin/$tool"; done
PATH="$T/bin" "$IRCASE" assets 2>"$T/err"
check "xlsx without xlsx2csv fails" 1 $?
check_match "the message names the package" "install the Debian package xlsx2csv" \
    "$(cat "$T/err")"
cat >"$T/bin/xlsx2csv" <<EOS
#!/bin/sh
printf 'Asset Tag,Hostname,Custodian,Class\nX-1,from-xlsx,Ops,internal\n'
EOS
chmod +x "$T/bin/xlsx2csv"
out=$(PATH="$T/bin:$PATH" "$IRCASE" assets)
check_match "xlsx is read through xlsx2csv" "^X-1 +from-xlsx " "$out"

# A real workbook, written with libxlsxwriter, through Debian's xlsx2csv.
cat >"$T/mkxlsx.c" <<'EOS'
#include <xlsxwriter.h>
int main(int argc, char **argv)
{
	static const char *rows[][4] = {
		{ "Asset Tag", "Hostname", "Custodian", "Class" },
		{ "W-7", "from-workbook", "Ops", "restricted" },
	};
	lxw_workbook *book = workbook_new(argv[argc - 1]);
	lxw_worksheet *sheet = workbook_add_worksheet(book, NULL);

	for (int r = 0; r < 2; r++)
		for (int c = 0; c < 4; c++)
			worksheet_write_string(sheet, r, c, rows[r][c], NULL);
	return workbook_close(book) == LXW_NO_ERROR ? 0 : 1;
}
EOS
if command -v xlsx2csv >/dev/null 2>&1 &&
    cc -o "$T/mkxlsx" "$T/mkxlsx.c" -lxlsxwriter 2>/dev/null &&
    "$T/mkxlsx" "$XDG_CONFIG_HOME/ircase/inventory.xlsx"; then
	out=$("$IRCASE" assets)
	check_match "a real workbook is read through xlsx2csv" \
	    "^W-7 +from-workbook +Ops +restricted" "$out"
else
	skip "a real workbook through xlsx2csv" "xlsx2csv or libxlsxwriter missing"
fi

"$IRCASE" verify >/dev/null
check "the chains still verify" 0 $?

echo "1..$_tap_n"
