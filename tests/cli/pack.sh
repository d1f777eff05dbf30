#!/bin/sh
# audit-pack and verify --pack: the pack checks with sha256sum and with
# ircase, and each kind of tampering (a file edited, a file removed, an
# action edited with the manifest updated to match, a file added, records
# edited or removed with the manifest updated to match) is found and
# named.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
IRCASE_TEST_NOW=2026-05-04T10:00:00Z "$IRCASE" new --playbook "$pb" --title "Pack one" >/dev/null
IRCASE_TEST_NOW=2026-05-05T10:00:00Z "$IRCASE" new --playbook "$pb" --title "Pack two" >/dev/null
IRCASE_TEST_NOW=2026-05-05T11:00:00Z "$IRCASE" note 1 "first note"
IRCASE_TEST_NOW=2026-05-05T11:05:00Z "$IRCASE" step 1 2 skip --note "not needed"
printf 'mail\n' >"$T/mail.eml"
IRCASE_TEST_NOW=2026-05-05T11:10:00Z "$IRCASE" report 1 --by alice --channel email "odd mail" >/dev/null
IRCASE_TEST_NOW=2026-05-05T11:20:00Z "$IRCASE" decide 1 incident --reason "credentials entered" --tlp red >/dev/null
IRCASE_TEST_NOW=2026-05-05T11:30:00Z "$IRCASE" evidence add 1 "$T/mail.eml" >/dev/null
IRCASE_TEST_NOW=2026-05-05T11:40:00Z "$IRCASE" observable add 1 domain bad.example --tag phish >/dev/null

out=$("$IRCASE" audit-pack --from 2026-05-01 --to 2026-05-31 "$T/pack")
check "audit-pack exit status" 0 "$?"
check "audit-pack output" "$T/pack: 2 cases packed" "$out"
files=$(cd "$T/pack" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')
sha=$(sqlite3 "$IRCASE_DB" "SELECT sha256 FROM playbook_snapshot")
check "pack files" "README.md SHA256SUMS cases/1/case.json cases/1/evidence.csv cases/1/report.md cases/2/case.json cases/2/evidence.csv cases/2/report.md control-map.md playbooks/$sha.md register.csv register.md " "$files"
check "pack playbook is the snapshot" "$(sqlite3 "$IRCASE_DB" "SELECT hex(text) FROM playbook_snapshot")" \
    "$(od -An -tx1 -v "$T/pack/playbooks/$sha.md" | tr -d ' \n' | tr a-f A-F)"
out=$(cd "$T/pack" && sha256sum -c SHA256SUMS 2>&1 | grep -vc ': OK$')
check "sha256sum accepts the pack" 0 "$out"
for control in A.16.1.1 A.16.1.2 A.16.1.3 A.16.1.4 A.16.1.5 A.16.1.6 A.16.1.7 5.24 5.25 5.26 5.27 5.28 6.8; do
	check_match "control map names $control" "$control" "$(cat "$T/pack/control-map.md")"
done
out=$("$IRCASE" verify --pack "$T/pack")
check "verify --pack intact" 0 "$?"
check_match "verify --pack counts files" "intact, 11 files" "$out"

"$IRCASE" audit-pack --from 2026-05-01 --to 2026-05-31 "$T/pack" 2>"$T/err"
check "audit-pack into a full folder" 1 "$?"
check_match "audit-pack names the folder" "not empty" "$(cat "$T/err")"

# 1. A file edited.
cp -r "$T/pack" "$T/p1"
printf 'x' >>"$T/p1/register.csv"
"$IRCASE" verify --pack "$T/p1" 2>"$T/err"
check "edited file exit status" 3 "$?"
check_match "edited file named" "^ircase: register.csv: changed" "$(cat "$T/err")"

# 2. A file removed.
cp -r "$T/pack" "$T/p2"
rm "$T/p2/cases/1/report.md"
"$IRCASE" verify --pack "$T/p2" 2>"$T/err"
check "removed file exit status" 3 "$?"
check_match "removed file named" "^ircase: cases/1/report.md: missing" "$(cat "$T/err")"

# 3. An action edited, with SHA256SUMS rewritten to match: only the
# chain recomputed from the exported fields can find it.
cp -r "$T/pack" "$T/p3"
python3 - "$T/p3/cases/1/case.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
d["actions"][1]["body"]["text"] = "a different note"
json.dump(d, open(sys.argv[1], "w"), indent=2)
EOF
(cd "$T/p3" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
out=$(cd "$T/p3" && sha256sum -c SHA256SUMS 2>&1 | grep -vc ': OK$')
check "sha256sum misses the edited action" 0 "$out"
"$IRCASE" verify --pack "$T/p3" 2>"$T/err"
check "edited action exit status" 3 "$?"
check_match "edited action named" "^ircase: cases/1/case.json: chain broken: action id [0-9]+ \(seq 2\) does not match its hash" "$(cat "$T/err")"

# 4. A file added.
cp -r "$T/pack" "$T/p4"
echo extra >"$T/p4/cases/2/notes.txt"
"$IRCASE" verify --pack "$T/p4" 2>"$T/err"
check "added file exit status" 3 "$?"
check_match "added file named" "^ircase: cases/2/notes.txt: not listed in SHA256SUMS" "$(cat "$T/err")"

# 5. Records in a case.json edited to read differently from the actions in
# the same file, with the manifest updated, so only comparing the records
# with the actions finds it.  Every edited field is named.
cp -r "$T/pack" "$T/p5"
cat >"$T/edit.py" <<'EOF'
import hashlib, json, sys
pack, what = sys.argv[1], sys.argv[2]
path = pack + "/cases/1/case.json"
d = json.load(open(path, encoding="utf-8"))
if what == "fields":
    d["title"] = "Nothing happened"
    d["lifecycle"]["reports"][0]["text"] = "all fine"
    d["lifecycle"]["decisions"][0]["verdict"] = "not_incident"
    d["lifecycle"]["tlp"] = "clear"
    d["evidence"][0]["sha256"] = "0" * 64
    d["observables"][0]["tags"] = ["benign"]
    d["phases"][2]["steps"][0]["state"] = "done"
else:
    d["observables"] = []
json.dump(d, open(path, "w", encoding="utf-8"), indent=2)
lines = []
for line in open(pack + "/SHA256SUMS", encoding="utf-8"):
    digest, name = line.rstrip("\n").split("  ", 1)
    if name == "cases/1/case.json":
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    lines.append(digest + "  " + name + "\n")
open(pack + "/SHA256SUMS", "w", encoding="utf-8").writelines(lines)
EOF
python3 "$T/edit.py" "$T/p5" fields
out=$(cd "$T/p5" && sha256sum -c SHA256SUMS 2>&1 | grep -vc ': OK$')
check "sha256sum misses the edited records" 0 "$out"
"$IRCASE" verify --pack "$T/p5" 2>"$T/err"
check "edited records exit status" 3 "$?"
err=$(cat "$T/err")
for want in \
    "table case row 1 field title does not match action seq 1 \(case.open\)" \
    "table case row 1 field tlp does not match action seq [0-9]+ \(decision\)" \
    "table report row 1 field text does not match action seq [0-9]+ \(report.add\)" \
    "table decision row #1 of the case field verdict" \
    "table evidence row 1 field sha256 does not match action seq [0-9]+ \(evidence.add\)" \
    "table observable row 1 field tags" \
    "table step row 2 field state reads done but its step.state actions leave it skipped"; do
	check_match "edited records: $want" \
	    "^ircase: cases/1/case.json: record differs from its actions: case 1: $want" "$err"
done
check_match "edited records counted" "7 problems found" "$err"
check_no_match "edited records: other case intact" "cases/2/case.json" "$err"

# 6. A record removed from a case.json, with the manifest updated.
cp -r "$T/pack" "$T/p6"
python3 "$T/edit.py" "$T/p6" remove
"$IRCASE" verify --pack "$T/p6" 2>"$T/err"
check "removed record exit status" 3 "$?"
check_match "removed record named" "table observable has no row 1, which action seq [0-9]+ \(observable.add\) recorded" "$(cat "$T/err")"

"$IRCASE" verify --pack "$T/nothing" 2>"$T/err"
check "verify --pack missing folder" 1 "$?"
"$IRCASE" verify --pack "$T/pack" 1 2>"$T/err"
check "verify --pack with a case" 2 "$?"

echo "1..$_tap_n"
