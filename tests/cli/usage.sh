#!/bin/sh
# Command lines that are not valid exit 2 with one line naming the bad
# value; operations on things that do not exist exit 1.  Neither changes
# the database.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "Existing" >/dev/null

# usage NAME STATUS PATTERN ARGS...: like expect_reject in bad_input.sh.
usage() {
	name=$1 want=$2 pattern=$3
	shift 3
	before=$(db_sum)
	"$IRCASE" "$@" >"$T/out" 2>"$T/err"
	check "$name exit status" "$want" "$?"
	check "$name one line" 1 "$(wc -l <"$T/err")"
	check_match "$name message" "$pattern" "$(cat "$T/err")"
	check "$name stdout empty" "" "$(cat "$T/out")"
	check "$name database unchanged" "$before" "$(db_sum)"
}

usage "unknown command" 2 "^ircase: unknown command 'frobnicate'" frobnicate
usage "unknown global option" 2 "unknown option --frob" --frob
usage "unknown short option" 2 "unknown option -x" -x
usage "db without value" 2 "option --db needs a value" --db
usage "unknown new option" 2 "^ircase: unknown option --colour; see 'ircase new --help'" \
    new --colour
usage "severity 0" 2 "invalid --severity '0'.*1-4 or low, medium, high, critical" \
    new --playbook "$pb" --title t --severity 0
usage "severity 5" 2 "invalid --severity '5'.*1-4" \
    new --playbook "$pb" --title t --severity 5
usage "severity x" 2 "invalid --severity 'x'" \
    new --playbook "$pb" --title t --severity x
usage "severity 2x" 2 "invalid --severity '2x'" \
    new --playbook "$pb" --title t --severity 2x
usage "severity huge" 2 "invalid --severity '99999999999999999999'" \
    new --playbook "$pb" --title t --severity 99999999999999999999
usage "missing title" 2 "missing --title" new --playbook "$pb"
usage "missing playbook option" 2 "missing --playbook" new --title t
usage "title without value" 2 "option --title needs a value" \
    new --playbook "$pb" --title
usage "non-numeric case" 2 "invalid case number 'abc'" show abc
usage "zero case" 2 "invalid case number '0'" show 0
usage "negative case" 2 "invalid case number '-1'" show -- -1
usage "missing case" 2 "missing CASE" show
usage "extra show argument" 2 "unexpected argument '2'" show 1 2
usage "list argument" 2 "unexpected argument 'all'" list all
usage "note missing text" 2 "missing TEXT" note 1
usage "note bad step" 2 "invalid --step 'two'" note 1 text --step two
usage "note step zero" 2 "invalid --step '0'" note 1 text --step 0
usage "step missing state" 2 "missing state" step 1 1
usage "step bad state" 2 "invalid state 'finish'" step 1 1 finish
usage "step bad number" 2 "invalid step number 'x'" step 1 x done
usage "export bad format" 2 "unsupported format 'xml'.*json" \
    export 1 --format xml
usage "export empty output" 2 "-o needs a file name" export 1 -o ""
usage "verify bad case" 2 "invalid case number 'x'" verify 1 x

usage "unknown case 999" 1 "^ircase: .*999" show 999
usage "note on unknown case" 1 "^ircase: .*999" note 999 text
usage "step on unknown case" 1 "^ircase: .*999" step 999 1 done
usage "export unknown case" 1 "^ircase: .*999" export 999
usage "verify unknown case" 1 "^ircase: .*999" verify 999

# Without a terminal the TUI is not started and no database is created.
rm -f "$T/tty.db"
"$IRCASE" --db "$T/tty.db" </dev/null >"$T/out" 2>"$T/err"
check "no terminal exit status" 1 "$?"
check "no terminal one line" 1 "$(wc -l <"$T/err")"
check_match "no terminal message" "needs a terminal" "$(cat "$T/err")"
check "no terminal writes nothing" "" "$(cat "$T/out")"
check "no terminal creates no database" no "$([ -e "$T/tty.db" ] && echo yes || echo no)"

# Read commands on a database that does not exist.
IRCASE_DB="$T/absent.db"
export IRCASE_DB
usage "show without database" 1 "no database at .*absent\\.db" show 1
usage "verify without database" 1 "no database at .*absent\\.db" verify
out=$("$IRCASE" list 2>"$T/err")
check "list without database exit status" 0 "$?"
check_match "list without database prints the header" '^ +CASE +SEVERITY .* TITLE$' "$out"
check "list without database prints only the header" 1 "$(printf '%s\n' "$out" | wc -l)"
check "list without database hints at new" \
    "ircase: no cases yet; open one with 'ircase new' or press n in ircase" \
    "$(cat "$T/err")"
check "list json without database" "[]" "$("$IRCASE" list --json)"
check "read commands create no database" "no database" "$(db_sum)"

echo "1..$_tap_n"
