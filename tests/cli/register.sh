#!/bin/sh
# register: one row per case in a period, across a daylight-saving change
# (TZ=Europe/London moved to +01:00 at 2026-03-29T01:00:00Z), as CSV,
# Markdown and XLSX.
. "$(dirname "$0")/../lib.sh"

export TZ=Europe/London
pb="$IRCASE_TOP/tests/data/cli/phishing.md"
IRCASE_TEST_NOW=2026-03-28T23:30:00Z "$IRCASE" new --playbook "$pb" --title "Before the change" >/dev/null
IRCASE_TEST_NOW=2026-03-29T02:30:00Z "$IRCASE" new --playbook "$pb" --title "=After, the change" >/dev/null
IRCASE_TEST_NOW=2026-03-29T03:00:00Z "$IRCASE" new --playbook "$pb" --title "Drill" >/dev/null
IRCASE_TEST_NOW=2026-03-31T09:00:00Z "$IRCASE" new --playbook "$pb" --title "Outside" >/dev/null
# Records of the lifecycle, written straight into their tables: reported
# 23:20Z, aware 00:00Z, assessed 00:30Z (all +00:00), contained 02:30Z
# (03:30 +01:00); one clock met, one missed, one follow-up open.
t0=1774740600000000
sqlite3 "$IRCASE_DB" "
UPDATE \"case\" SET kind = 'drill' WHERE id = 3;
UPDATE \"case\" SET aware_at = $t0 + 1800000000, category = 'phishing' WHERE id = 1;
INSERT INTO report (case_id, number, reporter, channel, received_at, received_offset, text, added_by, added_at)
  VALUES (1, 1, 'bob', 'email', $t0 - 600000000, 0, 'mail', 'alice', $t0);
INSERT INTO decision (case_id, verdict, reason, category, decided_by, decided_at)
  VALUES (1, 'incident', 'credentials entered', 'phishing', 'alice', $t0 + 3600000000);
INSERT INTO milestone VALUES (1, 'contained', $t0 + 10800000000, 3600, '', 'alice', $t0);
INSERT INTO clock (case_id, rule, hours, deadline, started_by, started_at, notified_at)
  VALUES (1, 'gdpr', 72, 100, 'alice', 0, 50), (1, 'pci', 24, 100, 'alice', 0, 150);
INSERT INTO followup (case_id, owner, due, text, added_by, added_at)
  VALUES (1, 'carol', '2026-04-30', 'MFA for all', 'alice', 0);"

"$IRCASE" register --from 2026-03-28 --to 2026-03-29 -o "$T/reg.csv"
check "register csv exit status" 0 "$?"
out=$(python3 - "$T/reg.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
print(len(rows))
r = rows[0]
print(r["number"], r["title"], r["category"], r["reported"], r["aware"], r["assessed"], r["contained"])
print(r["reported_to_aware_h"], r["aware_to_assessed_h"], r["assessed_to_contained_h"], r["closed"] or "-")
print(r["clocks_met"], r["clocks_missed"], r["followups_open"], r["status"])
print(rows[1]["title"])
EOF
)
check "register csv rows" "2
1 Before the change phishing 2026-03-28T23:20:00+00:00 2026-03-29T00:00:00+00:00 2026-03-29T00:30:00+00:00 2026-03-29T03:30:00+01:00
0.67 0.50 2.00 -
1 1 1 open
'=After, the change" "$out"

# Numeric cells stay plain numbers, negative ones too: case 2's report
# came 1.1 hours after its awareness time, so reported_to_aware_h is -1.10
# and only the title "=After, the change" gets the formula apostrophe.
sqlite3 "$IRCASE_DB" "
UPDATE \"case\" SET aware_at = $t0 + 7200000000 WHERE id = 2;
INSERT INTO report (case_id, number, reporter, channel, received_at, received_offset, text, added_by, added_at)
  VALUES (2, 1, 'dan', 'phone', $t0 + 7200000000 + 3960000000, 0, 'call', 'alice', $t0);"
"$IRCASE" register --from 2026-03-28 --to 2026-03-29 -o "$T/neg.csv"
check "register csv after a late report" 0 "$?"
row2=$(sed -n 3p "$T/neg.csv" | tr -d '\r')
check_match "register negative hours plain" '^2,"'"'"'=After, the change",,[0-9]+,real,open,[^,]*,[^,]*,,,,,-1\.10,' "$row2"
case $row2 in
*"'-"*) not_ok "register numeric cell without apostrophe" ;;
*) ok "register numeric cell without apostrophe" ;;
esac

"$IRCASE" register --from 2026-03-28 --to 2026-03-29 --drills include >"$T/all.csv"
check "register includes drills" 4 "$(wc -l <"$T/all.csv")"
"$IRCASE" register --from 2026-03-29 --to 2026-03-29 >"$T/day.csv"
check "register one day after the change" "2" "$(grep -c . "$T/day.csv")"

"$IRCASE" register --from 2026-03-28 --to 2026-03-29 --format md >"$T/reg.md"
check_match "register md row" '^\| 1 \| Before the change \| phishing \|' "$(cat "$T/reg.md")"

"$IRCASE" register --from 2026-03-28 --to 2026-03-29 --format xlsx -o "$T/reg.xlsx"
check "register xlsx exit status" 0 "$?"
out=$(python3 - "$T/reg.xlsx" <<'EOF'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read("xl/worksheets/sheet1.xml").decode()
styles = z.read("xl/styles.xml").decode()
print("frozen" if re.search(r'<pane [^>]*ySplit="1"[^>]*state="frozen"', sheet) else "not frozen")
# G2 holds the reported time: a number with a date format, not a string.
cell = re.search(r'<c r="G2"([^>]*)>(.*?)</c>', sheet)
print("number" if cell and 't="' not in cell.group(1) else "not a number")
print("date format" if "yyyy-mm-dd hh:mm:ss" in styles else "no date format")
EOF
)
check "register xlsx frozen header and dates" "frozen
number
date format" "$out"

"$IRCASE" register --from 2026-03-28 --to 2026-03-29 --format xlsx 2>"$T/err"
check "register xlsx without -o" 2 "$?"
"$IRCASE" register --from 2026-03-29 --to 2026-03-28 2>"$T/err"
check "register reversed period" 2 "$?"
"$IRCASE" register --from yesterday --to 2026-03-28 2>"$T/err"
check "register bad date" 2 "$?"
check_match "register bad date named" "yesterday" "$(cat "$T/err")"

echo "1..$_tap_n"
