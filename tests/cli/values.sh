#!/bin/sh
# Values that core rejects exit 2 like any other invalid argument, with
# one line naming the value, and change nothing; failed operations exit
# 1.  Times given for records may not be in the future, milestones may
# not precede the case's opening, and they keep their order.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "Values" >/dev/null
"$IRCASE" decide 1 incident --reason "phishing" >/dev/null 2>&1

# reject NAME STATUS PATTERN ARGS...: the command fails with STATUS and
# one stderr line matching PATTERN, and the database does not change.
reject() {
	name=$1 want=$2 pattern=$3
	shift 3
	before=$(db_sum)
	"$IRCASE" "$@" >"$T/out" 2>"$T/err"
	check "$name exit status" "$want" "$?"
	check "$name one line" 1 "$(wc -l <"$T/err")"
	check_match "$name message" "$pattern" "$(cat "$T/err")"
	check "$name database unchanged" "$before" "$(db_sum)"
}

future=2999-01-01T00:00:00Z
past=2000-01-01T00:00:00Z

# Values that core checks.
reject "observable bad ip" 2 "invalid ip '999.1.1.1'" \
    observable add 1 ip 999.1.1.1
reject "observable bad tlp" 2 "invalid TLP 'purple'" \
    observable add 1 ip 192.0.2.1 --tlp purple
reject "observable bad type" 2 "invalid type 'colour'" \
    observable add 1 colour red
reject "followup bad due" 2 "invalid due date '2026-13-01'" \
    followup add 1 --owner ops --due 2026-13-01 patch
reject "decide bad tlp" 2 "purple" \
    decide 1 incident --reason x --tlp purple

reject "asset empty name" 2 "the asset name is empty" \
    asset add 1 --name ""
"$IRCASE" asset add 1 --name web01 >/dev/null
reject "asset twice" 1 "already" asset add 1 --name web01

# Times in the future.
reject "report future" 2 "report time 2999-01-01 .* is in the future" \
    report 1 --by bob --channel phone --at "$future" text
reject "milestone future" 2 "milestone time 2999-01-01 .* is in the future" \
    milestone 1 contained --at "$future"
reject "notify future" 2 "notification time 2999-01-01 .* is in the future" \
    notify 1 gdpr --to dpa --at "$future"
reject "decide aware future" 2 "awareness time 2999-01-01 .* in the future" \
    decide 1 incident --reason x --aware "$future"
"$IRCASE" evidence add 1 "$pb" >/dev/null
reject "transfer future" 2 "transfer time 2999-01-01 .* is in the future" \
    evidence transfer 1 1 --from "$(id -un)" --to bob --purpose lab \
    --at "$future"

# A report may come before the case was opened; a milestone may not.
"$IRCASE" report 1 --by bob --channel phone --at "$past" early >"$T/out" 2>&1
check "report before opening accepted" 0 "$?"
reject "milestone before opening" 2 "milestone time 2000-01-01 .* before case 1 was opened" \
    milestone 1 recovered --at "$past"

# Milestones in order: contained <= eradicated <= recovered.
"$IRCASE" milestone 1 eradicated >"$T/out" 2>&1
check "eradicated now" 0 "$?"
reject "contained after eradicated" 2 "contained at .* would be after eradicated" \
    milestone 1 contained
reject "milestone twice" 1 "already has the eradicated milestone" \
    milestone 1 eradicated
"$IRCASE" milestone 1 recovered >"$T/out" 2>&1
check "recovered after eradicated" 0 "$?"
check "milestones stored" "eradicated recovered" \
    "$(sqlite3 "$IRCASE_DB" "SELECT group_concat(name, ' ') FROM (SELECT name FROM milestone ORDER BY at)")"

# Failed operations still exit 1.
reject "notify unknown clock" 1 "has no clock 'nis2'" notify 1 nis2 --to csirt
sed 's/^playbook:.*/playbook: missing.md/' \
    "$IRCASE_TOP/playbooks/scenarios/phishing-second-wave.md" >"$T/replay1.md"
reject "drill scenario without playbook" 1 "playbook 'missing.md' of the scenario .* not found" \
    drill start --scenario "$T/replay1.md"

echo "1..$_tap_n"
