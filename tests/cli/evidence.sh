#!/bin/sh
# ircase evidence: add, transfer, list and check, with the rows and
# actions they write, and the exit status of each failure.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "Evidence" >/dev/null
me=$(id -un)
printf 'abc' >"$T/mail.eml"

out=$("$IRCASE" evidence add 1 "$T/mail.eml" --desc "original message" \
    --location "evidence store A")
check "add prints the item number" "1" "$out"
check "add stores the hash and size" \
    "mail.eml|3|ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad|$me" \
    "$(sqlite3 "$IRCASE_DB" "SELECT name, size, sha256, holder FROM evidence")"
check "add writes an evidence.add action" "1|$T/mail.eml" \
    "$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.evidence'),
	json_extract(body, '$.path') FROM action WHERE kind = 'evidence.add'")"

"$IRCASE" evidence transfer 1 1 --from "$me" --to "bob" --purpose "imaging" \
    --seal "SEAL-7" --at "2026-01-02T10:00:00+01:00"
check "transfer exits 0" 0 $?
check "transfer records the time in UTC and the seal" \
    "bob|2026-01-02T09:00:00.000000Z|SEAL-7|imaging" \
    "$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.to'),
	json_extract(body, '$.at'), json_extract(body, '$.seal'),
	json_extract(body, '$.purpose') FROM action
	WHERE kind = 'evidence.transfer'")"
check "transfer changes the holder" "bob" \
    "$(sqlite3 "$IRCASE_DB" "SELECT holder FROM evidence")"

sum=$(db_sum)
"$IRCASE" evidence transfer 1 1 --from "$me" --to "carol" --purpose x \
    2>"$T/err"
check "transfer from a non-holder fails" 1 $?
check_match "the message names the holder" "held by 'bob'" "$(cat "$T/err")"
"$IRCASE" evidence transfer 1 1 --from bob --to carol 2>"$T/err"
check "transfer without --purpose is a usage error" 2 $?
check_match "the message names --purpose" "missing --purpose" "$(cat "$T/err")"
"$IRCASE" evidence transfer 1 1 --from bob --to carol --purpose x \
    --at "yesterday" 2>"$T/err"
check "transfer with a bad time is a usage error" 2 $?
check_match "the message names the time" "invalid time 'yesterday'" \
    "$(cat "$T/err")"
"$IRCASE" evidence transfer 1 9 --from bob --to carol --purpose x 2>"$T/err"
check "transfer of an unknown item fails" 1 $?
check "failed commands change nothing" "$sum" "$(db_sum)"

"$IRCASE" evidence add 1 "$T/missing.bin" 2>"$T/err"
check "add of a missing file fails" 1 $?
check_match "the message names the file" "missing.bin" "$(cat "$T/err")"
"$IRCASE" evidence add 1 "$T" 2>"$T/err"
check "add of a folder fails" 1 $?
"$IRCASE" evidence add 7 "$T/mail.eml" 2>"$T/err"
check "add to a missing case fails" 1 $?
check_match "the message names the case" "no case 7" "$(cat "$T/err")"
"$IRCASE" evidence add 1 2>/dev/null
check "add without FILE is a usage error" 2 $?
"$IRCASE" evidence list 1 --desc x 2>/dev/null
check "list rejects --desc" 2 $?
"$IRCASE" evidence frob 1 2>/dev/null
check "unknown subcommand is a usage error" 2 $?
check "failed adds change nothing" "$sum" "$(db_sum)"

out=$("$IRCASE" evidence list 1)
check_match "list shows the item" "^EVIDENCE 1: mail.eml" "$out"
check_match "list shows the transfer" "transfer .* -> bob: imaging, seal SEAL-7" \
    "$out"
out=$("$IRCASE" evidence list 1 --json | jq -r '.[0].custody[0].to')
check "list --json shows the custody" "bob" "$out"

out=$("$IRCASE" evidence check 1)
check "check of unchanged files exits 0" 0 $?
check_match "check says ok" "^1 ok " "$out"

cp "$T/mail.eml" "$T/second.eml"
"$IRCASE" evidence add 1 "$T/second.eml" >/dev/null
printf 'abd' >"$T/mail.eml"
rm "$T/second.eml"
out=$("$IRCASE" evidence check 1 2>"$T/err")
check "check of a changed file exits 1" 1 $?
check_match "check names the mismatch" "^1 MISMATCH recorded ba7816bf" "$out"
check_match "check names the unreachable file" "^2 unreachable .*second.eml" \
    "$out"
check_match "check summary on stderr" "1 evidence file does not match" \
    "$(cat "$T/err")"

# A file with an escape sequence in its name is listed with the ESC shown.
esc=$(printf '\033')
printf 'x' >"$T/bad${esc}[2Jname"
"$IRCASE" evidence add 1 "$T/bad${esc}[2Jname" >/dev/null
out=$("$IRCASE" evidence list 1 | grep -c "$esc")
check "list never prints a raw ESC" 0 "$out"

"$IRCASE" verify 1 >/dev/null
check "the chain still verifies" 0 $?

echo "1..$_tap_n"
