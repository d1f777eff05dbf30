#!/bin/sh
# The JSON keys of list --json, show --json and export, exactly as listed
# under JSON OUTPUT in ircase(1).  A new key fails here until the man page
# and this list are updated together.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "Keys" >/dev/null
"$IRCASE" note 1 "case note"
"$IRCASE" step 1 2 start --note "step note"

summary="number uuid title severity severity_name status kind opened_at steps_done steps_total"
records="lifecycle metrics contacts evidence observables assets"
case_keys="$summary closed_at description playbook phases actions chain $records"
export_keys="$summary closed_at description playbook phases actions chain $records verify invalid_utf8"

# keys PROGRAM: runs python3 on the JSON on stdin and prints its result.
keys() {
	python3 -c "import json, sys
d = json.load(sys.stdin)
$1"
}

out=$("$IRCASE" list --json | keys 'print(" ".join(d[0]))')
check "list keys" "$summary" "$out"

"$IRCASE" show 1 --json >"$T/show.json"
check "show case keys" "$case_keys" "$(keys 'print(" ".join(d))' <"$T/show.json")"
check "show playbook keys" "title path sha256" \
    "$(keys 'print(" ".join(d["playbook"]))' <"$T/show.json")"
check "show phase keys" "key name iso27001_2013 iso27001_2022 steps" \
    "$(keys 'print(" ".join(d["phases"][0]))' <"$T/show.json")"
check "show phase order" "prepare report assess respond learn evidence" \
    "$(keys 'print(" ".join(p["key"] for p in d["phases"]))' <"$T/show.json")"
check "show step keys" "number title group state started_at done_at line body" \
    "$(keys 'print(" ".join(next(s for p in d["phases"] for s in p["steps"])))' <"$T/show.json")"
check "show chain keys" "head count" \
    "$(keys 'print(" ".join(d["chain"]))' <"$T/show.json")"
check "show active step times" "active True None" \
    "$(keys '
s = [s for p in d["phases"] for s in p["steps"] if s["number"] == 2][0]
print(s["state"], s["started_at"].endswith("Z"), s["done_at"])' <"$T/show.json")"

"$IRCASE" export 1 >"$T/export.json"
check "export case keys" "$export_keys" "$(keys 'print(" ".join(d))' <"$T/export.json")"
check "export action keys" "id seq step time time_us actor origin kind body prev_hash hash" \
    "$(keys 'print(" ".join(d["actions"][0]))' <"$T/export.json")"
check "export verify keys" "ok checked head" \
    "$(keys 'print(" ".join(d["verify"]))' <"$T/export.json")"
check "export action kinds" "case.open note step.state" \
    "$(keys 'print(" ".join(a["kind"] for a in d["actions"]))' <"$T/export.json")"
check "export action steps" "None None 2" \
    "$(keys 'print(" ".join(str(a["step"]) for a in d["actions"]))' <"$T/export.json")"

# Output is stable: two runs print the same bytes.
"$IRCASE" export 1 >"$T/again.json"
check "export is repeatable" "$(cat "$T/export.json")" "$(cat "$T/again.json")"

# playbook show --json, keys as listed in ircase(1), on a playbook with
# reference panes and "#anchor" links.
"$IRCASE" playbook show --json \
    "$IRCASE_TOP/tests/data/playbooks/panes-links.md" >"$T/playbook.json"
check "playbook keys" "path title id version tlp severity tags iso_controls \
sha256 parts part steps phases references links warnings" \
    "$(keys 'print(" ".join(d))' <"$T/playbook.json")"
check "playbook phase keys" "key name headings steps" \
    "$(keys 'print(" ".join(d["phases"][2]))' <"$T/playbook.json")"
check "playbook heading keys" "text line" \
    "$(keys 'print(" ".join(d["phases"][2]["headings"][0]))' <"$T/playbook.json")"
check "playbook step keys" "n title line parent depth group checked stub \
anchor guidance body" \
    "$(keys 'print(" ".join(d["phases"][2]["steps"][0]))' <"$T/playbook.json")"
check "playbook reference keys" "title line anchor body" \
    "$(keys 'print(" ".join(d["references"][0]))' <"$T/playbook.json")"
check "playbook link keys" "anchor line target" \
    "$(keys 'print(" ".join(d["links"][0]))' <"$T/playbook.json")"
check "playbook link target keys" "kind phase index" \
    "$(keys 'print(" ".join(d["links"][0]["target"]))' <"$T/playbook.json")"
check "playbook link targets" "step reference phase step reference step None reference" \
    "$(keys 'print(" ".join(l["target"]["kind"] if l["target"] else "None" for l in d["links"]))' <"$T/playbook.json")"
check "playbook reference titles" "Overview|References|MITRE mapping|Appendix: sign-in fields" \
    "$(keys 'print("|".join(r["title"] for r in d["references"]))' <"$T/playbook.json")"

# Non-ASCII text stays UTF-8 when stdout is not a terminal.
"$IRCASE" note 1 "Übergabe an das CERT 🚨"
out=$("$IRCASE" export 1 | grep -c 'Übergabe an das CERT 🚨')
check "export keeps UTF-8" 1 "$out"

# On a terminal, non-ASCII is escaped so no C1 or bidirectional control
# in stored text reaches it raw.  script(1) gives the command a terminal.
if command -v script >/dev/null 2>&1; then
	out=$(script -qc "\"$IRCASE\" export 1" /dev/null | grep -a -c 'u00DCbergabe')
	check "export escapes non-ASCII on a terminal" 1 "$out"
else
	skip "export escapes non-ASCII on a terminal" "script is not installed"
fi

# evidence list --json: one object per item, custody transfers inside.
printf 'abc' >"$T/item.bin"
"$IRCASE" evidence add 1 "$T/item.bin" >/dev/null
"$IRCASE" evidence transfer 1 1 --from "$(id -un)" --to bob --purpose lab \
    >/dev/null
"$IRCASE" evidence list 1 --json >"$T/evidence.json"
check "evidence keys" \
    "number name path size sha256 description location holder added_by added_at custody" \
    "$(keys 'print(" ".join(d[0]))' <"$T/evidence.json")"
check "evidence custody keys" "at from to purpose seal recorded_by recorded_at" \
    "$(keys 'print(" ".join(d[0]["custody"][0]))' <"$T/evidence.json")"

# observable list --json: one object per observable.
"$IRCASE" observable add 1 ip 192.0.2.7 --tag c2 >/dev/null
check "observable keys" "number type value tlp ioc tags added_by added_at" \
    "$(keys 'print(" ".join(d[0]))' <<EOS
$("$IRCASE" observable list 1 --json)
EOS
)"

# asset list --json and assets --json.
"$IRCASE" asset add 1 --name "web01" >/dev/null
check "asset keys" \
    "number case inventory_id name owner classification added_by added_at" \
    "$("$IRCASE" asset list 1 --json | keys 'print(" ".join(d[0]))')"
mkdir -p "$XDG_CONFIG_HOME/ircase"
printf 'id,name\nA-1,mail01\n' >"$XDG_CONFIG_HOME/ircase/inventory.csv"
printf 'assets:\n  file: inventory.csv\n' >"$XDG_CONFIG_HOME/ircase/config.yaml"
check "assets keys" "id name owner classification in_inventory cases" \
    "$("$IRCASE" assets --json | keys 'print(" ".join(d[0]))')"

# show --json and export carry the same records: evidence with its
# custody transfers, observables, assets, lifecycle, metrics, contacts.
printf 'contacts:\n  - role: dpo\n    name: Dana\n' \
    >>"$XDG_CONFIG_HOME/ircase/config.yaml"
"$IRCASE" decide 1 incident --reason "phish clicked" >/dev/null
"$IRCASE" show 1 --json >"$T/show2.json"
"$IRCASE" export 1 >"$T/export2.json"
check "show evidence custody" "1 bob lab" "$(keys '
e = d["evidence"][0]
print(e["number"], e["custody"][0]["to"], e["custody"][0]["purpose"])' <"$T/show2.json")"
check "show observables" "ip 192.0.2.7 c2" "$(keys '
o = d["observables"][0]
print(o["type"], o["value"], " ".join(o["tags"]))' <"$T/show2.json")"
check "show assets" "web01 None" "$(keys '
a = d["assets"][0]
print(a["name"], a["inventory_id"])' <"$T/show2.json")"
for key in evidence observables assets lifecycle metrics contacts; do
	check "export $key matches show" \
	    "$(keys "print(json.dumps(d['$key'], sort_keys=True))" <"$T/show2.json")" \
	    "$(keys "print(json.dumps(d['$key'], sort_keys=True))" <"$T/export2.json")"
done
check "export metrics assess set" "True" \
    "$(keys 'print(d["metrics"]["time_to_assess_us"] > 0)' <"$T/export2.json")"
check "export contacts" "dpo Dana" \
    "$(keys 'print(d["contacts"][0]["role"], d["contacts"][0]["name"])' <"$T/export2.json")"
check "export verdict" "incident" \
    "$(keys 'print(d["lifecycle"]["verdict"])' <"$T/export2.json")"

# A config.yaml that cannot be read stops the export, as it stops every
# command that reads it, with FILE:LINE on stderr and nothing written.
printf 'contacts: [\n' >"$XDG_CONFIG_HOME/ircase/config.yaml"
"$IRCASE" export 1 >"$T/export3.json" 2>"$T/export3.err"
check "export with bad config exits 1" 1 "$?"
check "export with bad config writes nothing" "" "$(cat "$T/export3.json")"
check_match "export with bad config names the line" "config.yaml:2: " \
    "$(cat "$T/export3.err")"
rm -f "$XDG_CONFIG_HOME/ircase/config.yaml"

# The after-action report of a drill, keys as listed in ircase(1).
drill=$("$IRCASE" drill start --playbook "$pb" --title "Drill keys")
"$IRCASE" drill report "$drill" --format json >"$T/report.json"
check "drill report keys" "case title kind status playbook scenario speed \
started_at duration_us times phases steps skipped injects clocks \
mean_reaction_us history" "$(keys 'print(" ".join(d))' <"$T/report.json")"
check "drill report step keys" "step title phase state started_us closed_us \
duration_us target_us met" \
    "$(keys 'print(" ".join(d["steps"][0]))' <"$T/report.json")"
check "drill report phase keys" "phase name duration_us target_us met \
steps closed outcome" \
    "$(keys 'print(" ".join(d["phases"][0]))' <"$T/report.json")"
check "drill report history keys" "case started_at duration_us \
time_to_contain_us mean_reaction_us skipped" \
    "$(keys 'print(" ".join(d["history"][0]))' <"$T/report.json")"

echo "1..$_tap_n"
