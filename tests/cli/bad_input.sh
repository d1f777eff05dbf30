#!/bin/sh
# Bad playbooks and bad text: each gives one line on stderr naming the file
# or the argument, a non-zero exit, and leaves the database as it was (or
# not created at all).
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"

# expect_reject NAME STATUS PATTERN ARGS...: runs ircase ARGS, then checks
# the exit status, that stderr is one line matching PATTERN, that stdout is
# empty and that the database digest did not change.
expect_reject() {
	name=$1 want=$2 pattern=$3
	shift 3
	before=$(db_sum)
	"$IRCASE" "$@" >"$T/out" 2>"$T/err"
	check "$name exit status" "$want" "$?"
	check "$name one line on stderr" 1 "$(wc -l <"$T/err")"
	check_match "$name names the value" "$pattern" "$(cat "$T/err")"
	check "$name prints nothing on stdout" "" "$(cat "$T/out")"
	check "$name leaves database unchanged" "$before" "$(db_sum)"
}

# Before any database exists: a bad playbook must not create one.
expect_reject "missing playbook, no db" 1 "$T/nope\\.md" \
    new --playbook "$T/nope.md" --title t
check "missing playbook creates no database" "no database" "$(db_sum)"
check "missing playbook creates no folder" "" "$(ls "$T" | grep -v '^out$\|^err$')"

mkdir "$T/dir.md"
expect_reject "directory playbook, no db" 1 "dir\\.md" \
    new --playbook "$T/dir.md" --title t
check "directory playbook creates no database" "no database" "$(db_sum)"

# Now with a database holding one case.
"$IRCASE" new --playbook "$pb" --title "Existing" >/dev/null
check "setup case" 1 "$(sqlite3 "$IRCASE_DB" 'SELECT count(*) FROM "case"')"

expect_reject "missing playbook" 1 "$T/nope\\.md" \
    new --playbook "$T/nope.md" --title t
expect_reject "directory playbook" 1 "dir\\.md" \
    new --playbook "$T/dir.md" --title t

head -c 4096 /dev/urandom >"$T/random.bin"
printf '\000\001\002ELF\000\000' >>"$T/random.bin"
expect_reject "binary playbook" 1 "random\\.bin" \
    new --playbook "$T/random.bin" --title t

truncate -s 50M "$T/huge.md"
expect_reject "50 MB playbook" 1 "huge\\.md" \
    new --playbook "$T/huge.md" --title t

printf '# Bad\n\n## Containment\n\n- [ ] caf\377 step\n' >"$T/latin1.md"
expect_reject "invalid UTF-8 playbook" 1 "latin1\\.md" \
    new --playbook "$T/latin1.md" --title t

# An empty playbook opens a case with the six phases and no steps.
printf '' >"$T/empty.md"
out=$("$IRCASE" new --playbook "$T/empty.md" --title t 2>"$T/err")
check "empty playbook exit status" 0 "$?"
check "empty playbook prints nothing on stderr" "" "$(cat "$T/err")"
check "empty playbook has no steps" 0 \
    "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM step WHERE case_id = ${out:-0}")"
check "empty playbook case exists" 1 \
    "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM \"case\" WHERE id = ${out:-0}")"

# Text typed by the user must be valid UTF-8; the error names the argument.
expect_reject "invalid UTF-8 title" 2 -- '--title' \
    new --playbook "$pb" --title "$(printf 'caf\351')"
expect_reject "invalid UTF-8 note" 2 "TEXT" note 1 "$(printf 'bad \377 byte')"
expect_reject "invalid UTF-8 step note" 2 -- '--note' \
    step 1 1 done --note "$(printf '\300\200')"
expect_reject "empty title" 2 -- '--title' new --playbook "$pb" --title ""
expect_reject "empty note" 2 "TEXT" note 1 ""

# Unknown case and step numbers are failed operations.
expect_reject "note unknown case" 1 "999" note 999 "text"
expect_reject "step unknown step" 1 "99" step 1 99 done
expect_reject "show unknown case" 1 "999" show 999

echo "1..$_tap_n"
