#!/bin/sh
# Messages and help as a new user reads them: one error form, help whose
# options stay under "Options:", severity names, white-space-only text,
# playbook search folders named, states in words and the empty list.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"

# Every subcommand's --db and --help lines sit inside its Options block,
# before any closing paragraph.
for cmd in new list show note step export verify; do
	"$IRCASE" "$cmd" --help >"$T/help" 2>&1
	check "$cmd --help exit status" 0 "$?"
	layout=$(awk '
	    /^Options:$/ { inside = 1; next }
	    inside && /^$/ { inside = 0 }
	    inside && /^  --db PATH/ { db = 1 }
	    inside && /^  -h, --help/ { help = 1 }
	    END { print (db && help) ? "inside" : "outside" }' "$T/help")
	check "$cmd --help lists --db and -h under Options" inside "$layout"
	check "$cmd --help has one Options block" 1 "$(grep -c '^Options:$' "$T/help")"
done
check_match "show --help says the JSON has the log" "JSON with its action log" \
    "$("$IRCASE" show --help)"
check_no_match "show --help does not say without" "without its action log" \
    "$("$IRCASE" show --help)"
check_no_match "man page does not say without the log" "without its action log" \
    "$(cat "$IRCASE_TOP/man/ircase.1")"

# An empty database lists a header; the hint goes to stderr.
"$IRCASE" new --playbook "$pb" --title "Only" >/dev/null
sqlite3 "$IRCASE_DB" "PRAGMA foreign_keys = OFF; DROP TRIGGER IF EXISTS
    action_no_delete; DELETE FROM action; DELETE FROM step; DELETE FROM \"case\""
out=$("$IRCASE" list 2>"$T/err")
check "empty list exit status" 0 "$?"
check_match "empty list prints the header" '^ +CASE +SEVERITY ' "$out"
check "empty list hint" \
    "ircase: no cases yet; open one with 'ircase new' or press n in ircase" \
    "$(cat "$T/err")"
check "empty list json" "[]" "$("$IRCASE" list --json 2>&1)"
rm -f "$IRCASE_DB" "$IRCASE_DB-wal" "$IRCASE_DB-shm"

# Severity by name, any case, as the playbook front matter accepts it.
n=0
for sev in low MEDIUM High critical 4; do
	id=$("$IRCASE" new --playbook "$pb" --title "sev $sev" --severity "$sev")
	check "severity $sev accepted" 0 "$?"
	n=$((n + 1))
	case $sev in
	low) want=1 ;; MEDIUM) want=2 ;; High) want=3 ;; *) want=4 ;;
	esac
	check "severity $sev stored" "$want" \
	    "$(sqlite3 "$IRCASE_DB" "SELECT severity FROM \"case\" WHERE id = $id")"
done
check_match "new --help names the severity words" "low, medium, high, critical" \
    "$("$IRCASE" new --help)"

# White space alone is a usage error, like empty text.
before=$(db_sum)
for text in "" "   " "$(printf ' \t ')"; do
	"$IRCASE" note 1 "$text" >"$T/out" 2>"$T/err"
	check "note '$text' exit status" 2 "$?"
	check_match "note '$text' message" '^ircase: TEXT is (empty|only white space); give some text$' \
	    "$(cat "$T/err")"
done
"$IRCASE" step 1 1 done --note "  " 2>"$T/err"
check "step --note of spaces exit status" 2 "$?"
"$IRCASE" new --playbook "$pb" --title "  " 2>"$T/err"
check "new --title of spaces exit status" 2 "$?"
check "white space changes nothing" "$before" "$(db_sum)"

# A bare playbook name that is not found names the folders searched.
"$IRCASE" new --playbook nope.md --title t 2>"$T/err"
check "missing playbook exit status" 1 "$?"
check "missing playbook one line" 1 "$(wc -l <"$T/err")"
check_match "missing playbook names the folders" \
    "^ircase: playbook 'nope.md' not found in the current folder or the search path \\($IRCASE_PLAYBOOK_PATH, .*/ircase/playbooks\\); give its path" \
    "$(cat "$T/err")"

# Every error starts "ircase: ", usage errors included.
"$IRCASE" export 1 --format xml 2>"$T/err"
check_match "export usage error form" "^ircase: unsupported format 'xml'" "$(cat "$T/err")"
"$IRCASE" step 1 x done 2>"$T/err"
check_match "step usage error form" "^ircase: invalid step number 'x'" "$(cat "$T/err")"

# States in words in show; JSON keeps its keys.
"$IRCASE" step 1 2 na
out=$("$IRCASE" show 1)
check_match "show step state in words" '^ +2\. \[/\] .*\(not applicable\)$' "$out"
check_match "show timeline state in words" 'step 2: pending -> not applicable$' "$out"
check_no_match "show has no raw state key" 'not_applicable' "$out"
check "show json keeps the key" "not_applicable" "$("$IRCASE" show 1 --json |
    jq -r '[.phases[].steps[] | select(.number == 2)][0].state')"

# The timeline's kind column is padded, so summaries line up.
"$IRCASE" note 1 "aligned note"
out=$("$IRCASE" show 1 | sed -n '/^Timeline/,/^$/p' | grep '^  [0-9]')
cols=$(printf '%s\n' "$out" | awk '{
    i = index($0, "opened \"sev low"); if (!i) i = index($0, "step 2:");
    if (!i) i = index($0, "aligned note"); print i }' | sort -u)
check "timeline summaries start in one column" 1 "$(printf '%s\n' "$cols" | wc -l)"

echo "1..$_tap_n"
