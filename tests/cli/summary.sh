#!/bin/sh
# summary: show, the Markdown and Timesketch exports print the same
# sentence for an action (core/summary.c), never its raw JSON body.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "Summaries" >/dev/null
"$IRCASE" role 1 incident_commander alice
printf 'image\n' >"$T/disk.img"
"$IRCASE" evidence add 1 "$T/disk.img" --desc "laptop disk" >/dev/null
"$IRCASE" evidence transfer 1 1 --from root --to "Frank (forensics)" \
    --purpose Analysis --seal S-001 >/dev/null
"$IRCASE" decide 1 incident --reason "credentials entered" --tlp amber \
    --pap green >/dev/null 2>&1
"$IRCASE" milestone 1 contained >/dev/null 2>&1

show=$("$IRCASE" show 1)
check_match "show role sentence" 'role\.assign +incident_commander assigned to alice$' "$show"
check_match "show transfer sentence" \
    'evidence\.transfer +evidence 1 root -> Frank \(forensics\) \(Analysis\), seal S-001, at ' "$show"
check_match "show decision sentence" \
    'decision +decided incident: credentials entered, TLP:amber, PAP:green, aware at ' "$show"
check_match "show milestone sentence" 'milestone +contained, at ' "$show"
check_no_match "show has no raw JSON" '\{"' "$show"

"$IRCASE" export 1 --format md >"$T/r.md"
md=$(cat "$T/r.md")
check_match "md timeline role" '`role\.assign`: incident_commander assigned to alice$' "$md"
check_match "md custody purpose and seal" \
    '`evidence\.transfer`: evidence 1 root -> Frank \(forensics\) \(Analysis\), seal S-001' "$md"
check_no_match "md has no raw JSON" '\{"' "$md"

"$IRCASE" export 1 --format timesketch >"$T/ts.jsonl"
out=$(python3 - "$T/ts.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    print(json.loads(line)["message"])
PY
)
check_match "timesketch role message" '^role\.assign: incident_commander assigned to alice$' "$out"
check_no_match "timesketch has no raw JSON" '\{"' "$out"

echo "1..$_tap_n"
