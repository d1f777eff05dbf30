#!/bin/sh
# "ircase playbook": list, show, lint and the TheHive conversions.
. "$(dirname "$0")/../lib.sh"

TOP=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$TOP/tests/data/playbooks

# lint: every shipped playbook is clean, and the exit status follows errors.
out=$("$IRCASE" playbook lint "$TOP"/playbooks/*.md 2>&1)
check "lint of the shipped library exit status" 0 "$?"
check "lint of the shipped library prints nothing" "" "$out"

printf -- '---\ntlp: purple\n---\n# Empty\n\nProse only.\n' >"$T/bad.md"
out=$("$IRCASE" playbook lint "$T/bad.md" "$DATA/anchors.md")
check "lint with an error exits 1" 1 "$?"
check_match "lint names file and line" "^$T/bad.md:1: error: no steps" "$out"
check_match "lint error for the TLP label" "bad.md:1: error: front matter: tlp 'purple'" "$out"
check_match "lint warning for a dangling link" \
    "anchors.md:22: warning: link to #no-such-anchor" "$out"

out=$("$IRCASE" playbook lint "$DATA/anchors.md")
check "lint with only warnings exits 0" 0 "$?"

printf '# T\n\n- [ ] a\n' >"$T/ok.md"
"$IRCASE" playbook lint --max-size 4 "$T/ok.md" >"$T/out" 2>&1
check "lint over --max-size exits 1" 1 "$?"
check_match "size error names the file" "^$T/ok.md:1: error: .*over the 4-byte limit" "$(cat "$T/out")"
"$IRCASE" playbook lint "$T/missing.md" >"$T/out" 2>&1
check "lint of a missing file exits 1" 1 "$?"

# show: text and JSON with source lines.
out=$("$IRCASE" playbook show "$DATA/substeps.md")
check "show exit status" 0 "$?"
check_match "show numbers steps by position" "1\. Isolate the laptop  \(line 5\)" "$out"
check_match "show indents sub-steps" "\[x\] Check that it stayed off  \(line 8\)" "$out"
json=$("$IRCASE" playbook show --json "$DATA/anchors.md")
check "show --json exit status" 0 "$?"
check "show --json keys" \
    "anchor body checked depth group guidance line n parent stub title" \
    "$(printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted(d["phases"][3]["steps"][0].keys())))')"
check "show --json link target" "respond step 2" \
    "$(printf '%s' "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
t = d["links"][1]["target"]
print(t["phase"], t["kind"], t["index"])')"
out=$("$IRCASE" playbook show --part 2 "$DATA/multi-part.md")
check_match "show --part loads the second playbook" "^Playbook: Second thing" "$out"
"$IRCASE" playbook show --part 3 "$DATA/multi-part.md" 2>"$T/err"
check "show --part out of range exits 1" 1 "$?"
"$IRCASE" playbook show 2>"$T/err"
check "show without a file is a usage error" 2 "$?"
"$IRCASE" playbook frobnicate 2>"$T/err"
check "unknown subcommand is a usage error" 2 "$?"
check_match "unknown subcommand named" "frobnicate" "$(cat "$T/err")"

# list: the search path with title, version, steps and lint status.
out=$(IRCASE_PLAYBOOK_PATH="$TOP/playbooks" "$IRCASE" playbook list)
check "list exit status" 0 "$?"
check_match "list shows title, version and steps" \
    "Ransomware  version 1.0, [0-9]* steps, lint clean" "$out"

# TheHive templates: import, then export, keeps names, groups and tasks.
if need_shared; then
	for tpl in "$IRCASE_SHARED"/thehive-templates/*.json; do
		name=$(basename "$tpl")
		rm -f "$T/imported.md" "$T/exported.json"
		"$IRCASE" playbook import-thehive "$tpl" -o "$T/imported.md"
		check "$name import exit status" 0 "$?"
		"$IRCASE" playbook lint "$T/imported.md" >/dev/null
		check "$name imported playbook has no lint errors" 0 "$?"
		"$IRCASE" playbook export-thehive "$T/imported.md" -o "$T/exported.json"
		check "$name export exit status" 0 "$?"
		check "$name round trip keeps the tasks" \
		    "$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(t["name"], [(x["title"], x["group"], x["order"]) for x in t["tasks"]])' "$tpl")" \
		    "$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
print(t["name"], [(x["title"], x["group"], x["order"]) for x in t["tasks"]])' "$T/exported.json")"
	done
	"$IRCASE" playbook import-thehive "$IRCASE_SHARED"/thehive-templates/*Phishing*.json \
	    -o "$T/imported.md" 2>"$T/err"
	check "import refuses to overwrite" 1 "$?"
fi
printf '{"name": "x"}' >"$T/not-template.json"
"$IRCASE" playbook import-thehive "$T/not-template.json" 2>"$T/err"
check "import of a non-template exits 1" 1 "$?"
check_match "import error names the file" "not-template.json: not a TheHive case template" "$(cat "$T/err")"

# playbooks.max_size in config.yaml sets the limit for playbook, new and
# the picker; --max-size still wins over it.
mkdir -p "$XDG_CONFIG_HOME/ircase" "$T/pbpath"
printf 'playbooks:\n  max_size: 1KiB\n' >"$XDG_CONFIG_HOME/ircase/config.yaml"
big="$T/pbpath/big.md"
{
	printf '# Respond\n\n'
	i=0
	while [ "$i" -lt 60 ]; do
		printf -- '- [ ] Step number %d of a long playbook\n' "$i"
		i=$((i + 1))
	done
} >"$big"
size=$(wc -c <"$big")
"$IRCASE" playbook show "$big" >"$T/out" 2>&1
check "show over playbooks.max_size exits 1" 1 "$?"
check_match "config limit error names the file and the limit" \
    "$big: $size bytes is over the 1024-byte limit.*playbooks.max_size" "$(cat "$T/out")"
"$IRCASE" playbook show --max-size 100000 "$big" >"$T/out" 2>&1
check "--max-size wins over playbooks.max_size" 0 "$?"
"$IRCASE" playbook lint "$big" >"$T/out" 2>&1
check "lint over playbooks.max_size exits 1" 1 "$?"
check_match "lint names the config limit" "big.md:1: error: .*1024-byte limit" "$(cat "$T/out")"
IRCASE_PLAYBOOK_PATH="$T/pbpath" "$IRCASE" playbook list >"$T/out" 2>&1
check_match "list shows the limit error" "error: .*big.md: .*1024-byte limit" "$(cat "$T/out")"
"$IRCASE" new --playbook "$big" --title "Too big" >"$T/out" 2>&1
check "new over playbooks.max_size exits 1" 1 "$?"
check_match "new names the limit" "1024-byte limit" "$(cat "$T/out")"
check "new over the limit opens no case" 0 \
    "$("$IRCASE" list --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')"
printf 'playbooks:\n  max_size: 1MiB\n' >"$XDG_CONFIG_HOME/ircase/config.yaml"
"$IRCASE" new --playbook "$big" --title "Fits" >/dev/null 2>"$T/out"
check "new under a raised playbooks.max_size" 0 "$?"
printf 'playbooks:\n  max_size: 4MB\n' >"$XDG_CONFIG_HOME/ircase/config.yaml"
"$IRCASE" playbook show "$big" >/dev/null 2>"$T/out"
check "an invalid playbooks.max_size stops the command" 1 "$?"
check_match "an invalid playbooks.max_size is an error naming the line" \
    "^ircase: .*config.yaml:2: invalid playbooks.max_size '4MB'" "$(cat "$T/out")"
rm -f "$XDG_CONFIG_HOME/ircase/config.yaml"

echo "1..$_tap_n"
