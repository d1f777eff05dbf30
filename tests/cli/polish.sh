#!/bin/sh
# Listings with no rows print a line that tells so, and hints name things
# that exist.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "Polish" >/dev/null

out=$("$IRCASE" clocks)
check "clocks empty exit status" 0 "$?"
check "clocks empty says so" "no running clocks" "$out"
check "clocks --all empty says so" "no notification clocks" \
    "$("$IRCASE" clocks --all)"

# notify with a clock the case does not have names real rules.
"$IRCASE" notify 1 nis2 --to csirt >"$T/out" 2>"$T/err"
check "notify unknown rule exit status" 1 "$?"
check_match "notify unknown rule lists rules" \
    "has no clock 'nis2'; start one with 'ircase clock 1 start RULE', RULE being gdpr, .*nis2-early-warning" \
    "$(cat "$T/err")"
"$IRCASE" notify 1 gdpr --to dpa 2>"$T/err"
check_match "notify built-in rule not started" \
    "start it with 'ircase clock 1 start gdpr'" "$(cat "$T/err")"
"$IRCASE" decide 1 incident --reason "phishing" >/dev/null 2>&1
"$IRCASE" clock 1 start gdpr
"$IRCASE" notify 1 nis2 --to csirt 2>"$T/err"
check_match "notify names the case's clocks" \
    "has no clock 'nis2'; its clocks are gdpr" "$(cat "$T/err")"

# show aligns the columns of the Roles table.
"$IRCASE" role 1 dpo bob
"$IRCASE" role 1 incident_commander alice
roles=$("$IRCASE" show 1 | sed -n '/^Roles$/,/^$/p')
check_match "show roles dpo aligned" '^  dpo                 bob$' "$roles"
check_match "show roles commander aligned" '^  incident_commander  alice$' "$roles"

# The same file added twice is recorded twice, with a warning.
echo "mail" >"$T/mail.eml"
"$IRCASE" evidence add 1 "$T/mail.eml" >/dev/null 2>"$T/err"
check "evidence first add no warning" "" "$(cat "$T/err")"
out=$("$IRCASE" evidence add 1 "$T/mail.eml" 2>"$T/err")
check "evidence repeat exit status" 0 "$?"
check "evidence repeat recorded" 2 "$out"
check_match "evidence repeat warns" \
    "^ircase: warning: evidence 2 is the same file as evidence 1 \(same path and SHA-256\); both are recorded$" \
    "$(cat "$T/err")"
echo "changed" >"$T/mail.eml"
"$IRCASE" evidence add 1 "$T/mail.eml" >/dev/null 2>"$T/err"
check "evidence changed file no warning" "" "$(cat "$T/err")"

echo "1..$_tap_n"
