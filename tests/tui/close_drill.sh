#!/bin/sh
# Closing a drill in the TUI shows its after-action report in a scrollable
# view, with the case's text sanitised, and saves it as Markdown and JSON
# in reports/ beside the database, and the status bar names the file.  Closing a
# real case shows no report.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "drill close report" "tmux is not installed"
	exit 0
fi

esc=$(printf '\033')
cat >"$T/s.md" <<EOS
---
title: Close drill
playbook: $T/playbooks/fixture.md
targets:
  assess: 30m
---
- T+0m: Alert ${esc}[31mred${esc}[0m from the proxy
EOS
n=$("$IRCASE" drill start --scenario "$T/s.md" --speed 600)
"$IRCASE" drill tick "$n" >/dev/null
"$IRCASE" decide "$n" not-incident --reason "a rehearsal" >/dev/null

tui_start 80 24
check_wait "list shows the drill" "Close drill"
keys Enter
check_wait "drill opens" "DRILL T+"
keys C
check_wait "close prompt opens" "Summary (optional):"
type_text "drill over"
keys Enter
check_wait "report opens on close" "after-action report, DRILL #$n"
shot=$(screen)
check_match "report shows its heading" "Close drill" "$shot"
check_match "status bar says where it was saved" \
    "Saved as .*reports/case-$n-after-action\.md" "$shot"
check_no_match "report fits 80 columns" ".{81}" "$shot"
# The phase table's columns line up: each row's dividers sit where the
# header's do.
bars() { echo "$shot" | grep -E "^ +$1 +\|" | awk '{
	out = ""
	for (i = 1; i <= length($0); i++)
		if (substr($0, i, 1) == "|")
			out = out " " i
	print out
}'; }
check_match "table header has dividers" "^ [0-9]+ [0-9]+ [0-9]+ [0-9]+$" \
    "$(bars Phase)"
for phase in Prepare Assess Respond Evidence; do
	check "table row $phase lines up" "$(bars Phase)" "$(bars "$phase")"
done
keys G
check_wait "report scrolls to the end" "Alert"
colour=$(tm capture-pane -p -e | grep -F "Alert" || true)
check_no_match "inject text sanitised" "${esc}\[31m" "$colour"
keys g
check_wait "report scrolls to the top" "after-action report, DRILL #$n"
keys q
check_wait "back in the closed drill" "closed after"
keys q q
check_clean_exit "TUI exits cleanly"

check "case closed" "closed" "$(sqlite3 "$IRCASE_DB" \
    "SELECT status FROM \"case\" WHERE id = $n")"
dir=$(dirname "$IRCASE_DB")/reports
if [ -f "$dir/case-$n-after-action.md" ]; then
	ok "Markdown report saved"
else
	not_ok "Markdown report saved" "missing: $dir/case-$n-after-action.md"
fi
check "saved Markdown equals drill report" \
    "$("$IRCASE" drill report "$n")" "$(cat "$dir/case-$n-after-action.md")"
check "saved JSON equals drill report" \
    "$("$IRCASE" drill report "$n" --format json)" \
    "$(cat "$dir/case-$n-after-action.json")"

# A real case closes without a report.
fixture_case "Real case"
r=$(sqlite3 "$IRCASE_DB" "SELECT max(id) FROM \"case\"")
"$IRCASE" decide "$r" not-incident --reason "false alarm" >/dev/null
tui_start 80 24
check_wait "list shows the real case" "Real case"
keys Enter
check_wait "real case opens" "Timeline,"
keys C
check_wait "close prompt for the real case" "Summary (optional):"
keys Enter
check_wait "real case closed" "closed after"
check_no_match "no report for a real case" "after-action report" "$(screen)"
keys q q
check_clean_exit "second TUI exits cleanly"
if [ -e "$dir/case-$r-after-action.md" ]; then
	not_ok "no report file for a real case" "found $dir/case-$r-after-action.md"
else
	ok "no report file for a real case"
fi

echo "1..$_tap_n"
