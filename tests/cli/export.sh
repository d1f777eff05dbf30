#!/bin/sh
# export --format json|csv|md|timesketch: round trips through python3's
# json and csv modules, formula neutralisation, invalid UTF-8 in every
# stored text field, and control characters on a terminal.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "Export, \"quoted\"" >/dev/null

# Notes whose text a spreadsheet would run as a formula, and others it
# would not.  Each line: the note text, then whether it must be neutralised.
cat >"$T/formulas" <<'EOF'
=1+2	yes
+SUM(A1)	yes
-2+3	yes
@cmd	yes
＝1+2	yes
＋1	yes
－1	yes
＠x	yes
 =not at start	no
plain, with comma	no
'already quoted	no
line one
line two	no
EOF
python3 - "$T/formulas" "$T/notes" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
items, cur = [], []
for line in lines:
    if "\t" in line:
        text, want = line.rsplit("\t", 1)
        cur.append(text)
        items.append(("\n".join(cur), want))
        cur = []
    elif line:
        cur.append(line)
items.append(("\ttab first", "yes"))
items.append(("\rcr first", "yes"))
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for text, want in items:
        f.write(text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + "\t" + want + "\n")
EOF
while IFS="$(printf '\t')" read -r text want; do
	"$IRCASE" note 1 -- "$(printf '%b' "$text")" || not_ok "note stored: $text"
done <"$T/notes"
"$IRCASE" step 1 2 skip --note "out of scope, said the IC"

# CSV: every value survives, formula-like text cells gain one apostrophe.
"$IRCASE" export 1 --format csv -o "$T/case.csv"
check "csv exit status" 0 "$?"
"$IRCASE" export 1 --format json -o "$T/case.json"
out=$(python3 - "$T/case.csv" "$T/case.json" "$T/notes" <<'EOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
d = json.load(open(sys.argv[2], encoding="utf-8"))
want = {}
for line in open(sys.argv[3], encoding="utf-8"):
    text, flag = line.rstrip("\n").split("\t")
    text = text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
    want[text] = flag == "yes"
header = rows[0]
problems = []
if header != "case,case_uuid,seq,action_id,time,time_us,step,actor,origin,kind,summary,body,prev_hash,hash,case_kind".split(","):
    problems.append("header %r" % header)
if len(rows) - 1 != len(d["actions"]):
    problems.append("rows %d actions %d" % (len(rows) - 1, len(d["actions"])))
def plain(cell, original):
    formula = original[:1] in ("=", "+", "-", "@", "\t", "\r") or original[:1] in "＝＋－＠"
    if formula:
        if not cell.startswith("'"):
            problems.append("not neutralised: %r" % original)
        return cell[1:]
    return cell
for row, a in zip(rows[1:], d["actions"]):
    r = dict(zip(header, row))
    for col in ("case", "seq", "action_id", "time_us"):
        if not r[col].isdigit():
            problems.append("%s not a plain number: %r" % (col, r[col]))
    if r["case_kind"] != "real":
        problems.append("case_kind %r at seq %s" % (r["case_kind"], r["seq"]))
    if int(r["seq"]) != a["seq"] or int(r["time_us"]) != a["time_us"] or r["hash"] != a["hash"]:
        problems.append("seq %s differs" % r["seq"])
    if (r["step"] or None) != (str(a["step"]) if a["step"] else None):
        problems.append("step differs at seq %s" % r["seq"])
    body = json.loads(r["body"])
    if body != a["body"]:
        problems.append("body differs at seq %s" % r["seq"])
    if a["kind"] == "note":
        text = a["body"]["text"]
        if plain(r["summary"], text) != text:
            problems.append("summary %r != %r" % (r["summary"], text))
        if text in want and want[text] != (r["summary"] == "'" + text):
            problems.append("neutralisation of %r" % text)
        want.pop(text, None)
if want:
    problems.append("notes missing: %r" % list(want))
print("\n".join(problems) if problems else "same")
EOF
)
check "csv round trip and neutralisation" same "$out"
check "csv rows end in CRLF" True "$(python3 -c 'import sys; print(open(sys.argv[1], "rb").readline().endswith(b"case_kind\r\n"))' "$T/case.csv")"

# JSON: the chain recomputed from the exported fields gives every hash.
out=$(python3 - "$T/case.json" <<'EOF'
import hashlib, json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
def field(b):
    return str(len(b)).encode() + b":" + b + b","
prev = "0" * 64
bad = []
for a in d["actions"]:
    raw = a.get("raw_hex", {})
    def text(k):
        return bytes.fromhex(raw[k]) if k in raw else a[k].encode()
    body = a["body"]
    if isinstance(body, str):
        body_bytes = text("body")
    else:
        body_bytes = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    parts = [b"ircase-action-v1", prev.encode(), d["uuid"].encode(), str(a["seq"]).encode(),
             str(a["step"]).encode() if a["step"] else b"", str(a["time_us"]).encode(),
             text("actor"), text("origin"), text("kind"), body_bytes]
    h = hashlib.sha256(b"".join(field(p) for p in parts)).hexdigest()
    if h != a["hash"] or a["prev_hash"] != prev:
        bad.append(a["seq"])
    prev = a["hash"]
print("bad %s" % bad if bad else "chain %d %s" % (len(d["actions"]), prev == d["chain"]["head"] == d["verify"]["head"]))
EOF
)
check_match "json chain recomputes" "^chain [0-9]+ True$" "$out"
check "json verify ok" "True 0" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["verify"]["ok"], d["invalid_utf8"])' "$T/case.json")"

# Timesketch: one event per action with the mandatory fields.
"$IRCASE" export 1 --format timesketch >"$T/case.jsonl"
check "timesketch exit status" 0 "$?"
out=$(python3 - "$T/case.jsonl" "$T/case.json" <<'EOF'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
d = json.load(open(sys.argv[2], encoding="utf-8"))
ok = len(events) == len(d["actions"])
for e, a in zip(events, d["actions"]):
    ok = ok and e["datetime"] == a["time"] and e["timestamp"] == a["time_us"]
    ok = ok and e["timestamp_desc"] and e["message"].startswith(a["kind"] + ": ")
    ok = ok and e["case"] == d["number"] and e["hash"] == a["hash"]
print(ok)
EOF
)
check "timesketch events match actions" True "$out"

# md: every section is there, empty ones say so.
"$IRCASE" export 1 --format md -o "$T/case.md"
check "md exit status" 0 "$?"
for section in "Summary" "Reports (ISO/IEC 27001:2013 A.16.1.2, 27001:2022 6.8)" \
    "Decision and rationale" "Milestones" "Roles" "Timeline" \
    "Steps and outcomes" "Deviations from the playbook" "Notification clocks" \
    "Lessons learned" "Corrective actions" "Evidence manifest" \
    "Observables" "Affected assets" "Chain head and how to verify it"; do
	check_match "md has $section" "^## $(printf '%s' "$section" |
	    sed 's/[().]/\\&/g')\$" "$(cat "$T/case.md")"
done
check_match "md says no reports" "^No reports recorded\.$" "$(cat "$T/case.md")"
check_match "md milestone not reached" "^- eradicated: not reached$" \
    "$(cat "$T/case.md")"
check_match "md names skip reason" "Step 2 .* skipped\. Reason: out of scope, said the IC" "$(cat "$T/case.md")"
check_match "md says no observables" "no observables recorded" "$(cat "$T/case.md")"
check_match "md gives chain head" "Chain head: \`$(sqlite3 "$IRCASE_DB" 'SELECT head_hash FROM "case" WHERE id = 1')\`" "$(cat "$T/case.md")"
"$IRCASE" observable add 1 domain Evil.Example --tag phish --tag c2 --ioc >/dev/null
"$IRCASE" asset add 1 --name "mail|gw" --owner "IT ops" >/dev/null
"$IRCASE" report 1 --by "bob" --channel email --at 2026-03-01T09:00:00+01:00 \
    "phish seen" >/dev/null
"$IRCASE" decide 1 incident --reason "creds typed" --tlp red --pap green \
    --aware-at 2026-03-01T09:30:00+01:00 >/dev/null 2>&1
"$IRCASE" milestone 1 contained --note "host isolated" >/dev/null
"$IRCASE" export 1 --format md -o "$T/records.md"
md=$(cat "$T/records.md")
check_match "md report row" \
    '^- Report 1, received 2026-03-01T09:00:00\+01:00 from bob by email, recorded by [^:]+: phish seen$' "$md"
check_match "md awareness time" '^- Awareness time: 2026-03-01T09:30:00\+01:00$' "$md"
check_match "md TLP" '^- TLP: red$' "$md"
check_match "md PAP" '^- PAP: green$' "$md"
check_match "md contained milestone" \
    '^- contained: [0-9T:-]+[+-][0-9]{2}:[0-9]{2}, recorded by [^:]+: host isolated$' "$md"
check_match "md recovered not reached" '^- recovered: not reached$' "$md"
check_match "md lists observable" '^\| 1 \| domain \| `evil\.example` \| amber \| yes \| phish, c2 \|$' "$(cat "$T/records.md")"
check_match "md lists asset" '^\| 1 \| mail\\\|gw \| typed in \| IT ops \|  \|$' "$(cat "$T/records.md")"

# Unknown format: usage error naming it.
"$IRCASE" export 1 --format xml 2>"$T/err"
check "unknown format exit status" 2 "$?"
check_match "unknown format named" "'xml'" "$(cat "$T/err")"

# Invalid UTF-8 in every stored text field: each export stays valid
# UTF-8 and counts what it replaced.
"$IRCASE" new --playbook "$pb" --title "Broken text" >/dev/null
sqlite3 "$IRCASE_DB" "
DROP TRIGGER action_no_update;
UPDATE \"case\" SET title = CAST(X'41FF42' AS TEXT), description = CAST(X'C328' AS TEXT) WHERE id = 2;
UPDATE step SET title = CAST(X'80' AS TEXT), body = CAST(X'E282' AS TEXT), grp = CAST(X'F0' AS TEXT) WHERE case_id = 2 AND seq = 1;
UPDATE playbook_snapshot SET title = CAST(X'C0AF' AS TEXT);
UPDATE action SET actor = CAST(X'61FE' AS TEXT), origin = CAST(X'FF' AS TEXT), kind = CAST(X'6EFF' AS TEXT), body = CAST(X'7B2274223A2280227D' AS TEXT) WHERE case_id = 2 AND seq = 1;"
for fmt in json csv md timesketch; do
	"$IRCASE" export 2 --format $fmt -o "$T/broken.$fmt" 2>"$T/err.$fmt"
	check "invalid utf-8 $fmt exit status" 3 "$?"
	check "invalid utf-8 $fmt decodes" ok "$(python3 -c 'import sys; open(sys.argv[1], encoding="utf-8", errors="strict").read(); print("ok")' "$T/broken.$fmt" 2>&1 | tail -1)"
	check_match "invalid utf-8 $fmt counted" "[0-9]+ bytes of stored text were not valid UTF-8" "$(cat "$T/err.$fmt")"
done
check "json counts replaced bytes" "12 ['actor', 'origin', 'kind', 'body']" \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["invalid_utf8"], list(d["actions"][0]["raw_hex"]))' "$T/broken.json")"

# On a terminal, control characters in text formats are made visible.
"$IRCASE" note 1 "$(printf 'bell\007 esc\033[2J end')"
if command -v script >/dev/null 2>&1; then
	for fmt in csv md; do
		out=$(script -qc "\"$IRCASE\" export 1 --format $fmt" /dev/null | tr -d '\r')
		check_match "$fmt on a terminal shows controls" 'bell\^G esc\^\[\[2J end' "$out"
		check_no_match "$fmt on a terminal has no raw ESC" "$(printf '\033')\\[2J" "$out"
	done
else
	skip "text formats on a terminal" "script is not installed"
fi

# -o renames a finished temporary file over its target, which would turn a
# device or FIFO into a regular file: such a target is rejected instead.
mkfifo "$T/fifo"
"$IRCASE" export 1 --format json -o "$T/fifo" 2>"$T/err"
rc=$?
check "export to a FIFO fails" 1 "$([ "$rc" -ne 0 ] && echo 1 || echo 0)"
check_match "export to a FIFO names it" "fifo is not a regular file" "$(cat "$T/err")"
check "FIFO left in place" fifo "$([ -p "$T/fifo" ] && echo fifo || echo replaced)"
"$IRCASE" register --from 2000-01-01 --to 2100-01-01 --format xlsx -o "$T/fifo" 2>/dev/null
check "register xlsx to a FIFO keeps it" fifo "$([ -p "$T/fifo" ] && echo fifo || echo replaced)"

echo "1..$_tap_n"
