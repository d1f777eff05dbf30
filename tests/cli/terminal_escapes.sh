#!/bin/sh
# Reports written to a terminal show untrusted titles and categories with
# their control characters made visible: `drill report` (md, and json with
# \u escapes as the --json commands) and `register` (csv, md).
. "$(dirname "$0")/../lib.sh"

if ! command -v script >/dev/null 2>&1; then
	skip "reports on a terminal" "script is not installed"
	echo "1..$_tap_n"
	exit 0
fi

esc=$(printf '\033')
bel=$(printf '\007')
rlo=$(printf '\342\200\256')
hostile="Evil ${esc}]0;owned${bel} ${esc}[31mred ${rlo}txt"
# The playbook parser rejects controls in front matter, so the hostile
# titles are written into the database after the drill starts.
cat >"$T/evil.md" <<EOS
---
title: Evil
---
# Respond

- [ ] Contain the host
EOS

# on_tty COMMAND: the output of COMMAND run on a pseudo-terminal.
on_tty() {
	script -qc "$1" /dev/null | tr -d '\r'
}

# check_visible NAME TEXT: no raw ESC, BEL or U+202E in TEXT.
check_visible() {
	check_no_match "$1 has no raw ESC" "$esc" "$2"
	check_no_match "$1 has no raw BEL" "$bel" "$2"
	check_no_match "$1 has no raw U+202E" "$rlo" "$2"
}

IRCASE_TEST_NOW=2026-03-02T10:00:00Z "$IRCASE" drill start \
    --playbook "$T/evil.md" --speed 60 >/dev/null
check "drill started" 1 "$(sqlite3 "$IRCASE_DB" 'SELECT count(*) FROM "case"')"
sqlite3 "$IRCASE_DB" "UPDATE \"case\" SET title = '$hostile';
    UPDATE playbook_snapshot SET title = '$hostile'"

out=$(on_tty "\"$IRCASE\" drill report 1")
check_visible "drill report md" "$out"
check_match "drill report md shows carets" 'Evil \^\[\]0;owned\^G \^\[\[31mred <U\+202E>txt' "$out"

out=$(on_tty "\"$IRCASE\" drill report 1 --format json")
check_visible "drill report json" "$out"
check_match "drill report json uses \\u escapes" 'Evil \\u001[bB]\]0;owned\\u0007 \\u001[bB]\[31mred \\u202[eE]' "$out"

# Written to a file, the report keeps the text as stored.
"$IRCASE" drill report 1 --format json -o "$T/report.json"
check_match "drill report file keeps U+202E raw" "$rlo" "$(cat "$T/report.json")"

sqlite3 "$IRCASE_DB" "UPDATE \"case\" SET category = 'cat${esc}[2Jegory'"
for fmt in csv md; do
	out=$(on_tty "\"$IRCASE\" register --from 2026-03-01 --to 2026-03-31 --drills include --format $fmt")
	check_visible "register $fmt" "$out"
	check_match "register $fmt shows the title in caret form" 'Evil \^\[\]0;owned\^G' "$out"
	check_match "register $fmt shows the category in caret form" 'cat\^\[\[2Jegory' "$out"
	check_no_match "register $fmt line ends stay raw" '\^M' "$out"
done

echo "1..$_tap_n"
