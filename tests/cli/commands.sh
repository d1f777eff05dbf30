#!/bin/sh
# The subcommands on a good database: what they print, what they store and
# how they exit.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"

# new: prints the number alone, stores the case and its first action.
out=$("$IRCASE" new --playbook "$pb" --title "Phish at finance" 2>"$T/err")
check "new exit status" 0 "$?"
check "new prints the number alone" 1 "$out"
check "new prints nothing on stderr" "" "$(cat "$T/err")"
check "new stores the title" "Phish at finance" \
    "$(sqlite3 "$IRCASE_DB" 'SELECT title FROM "case" WHERE id = 1')"
check "new takes playbook severity" 3 \
    "$(sqlite3 "$IRCASE_DB" 'SELECT severity FROM "case" WHERE id = 1')"
check "new records case.open" "1|case.open" \
    "$(sqlite3 "$IRCASE_DB" 'SELECT seq, kind FROM action WHERE case_id = 1')"
steps=$(sqlite3 "$IRCASE_DB" 'SELECT count(*) FROM step')
check_match "new stores steps" '^[1-9][0-9]*$' "$steps"

out=$("$IRCASE" new --playbook "$pb" --title "Second" --severity 1)
check "second case number" 2 "$out"
check "severity option wins" 1 \
    "$(sqlite3 "$IRCASE_DB" 'SELECT severity FROM "case" WHERE id = 2')"

# --db after the subcommand name, and before it.
other="$T/other.db"
out=$("$IRCASE" new --db "$other" --playbook "$pb" --title "Elsewhere")
check "db after subcommand" 1 "$out"
check "db after subcommand writes there" 1 \
    "$(sqlite3 "$other" 'SELECT count(*) FROM "case"')"
out=$("$IRCASE" --db "$other" list --json | python3 -c \
    'import json, sys; print(json.load(sys.stdin)[0]["title"])')
check "db before subcommand" "Elsewhere" "$out"
check "default database untouched by --db" 2 \
    "$(sqlite3 "$IRCASE_DB" 'SELECT count(*) FROM "case"')"

# list: newest first, text and JSON.
out=$("$IRCASE" list)
check "list exit status" 0 "$?"
check "list has header and two rows" 3 "$(printf '%s\n' "$out" | wc -l)"
check_match "list shows first case" '^ +1 +high +open +real .*Phish at finance$' \
    "$out"
check "list newest first" 2 "$(printf '%s\n' "$out" | sed -n 2p | awk '{print $1}')"
out=$("$IRCASE" list --json | python3 -c '
import json, sys
cases = json.load(sys.stdin)
keys = sorted(cases[0])
print(len(cases), cases[0]["number"], cases[1]["number"], " ".join(keys))')
check "list json" "2 2 1 kind number opened_at severity severity_name status steps_done steps_total title uuid" "$out"

# note and step: rows in the action table.
"$IRCASE" note 1 "Headers saved to the ticket"
check "note exit status" 0 "$?"
check "note stored" "note|Headers saved to the ticket" \
    "$(sqlite3 "$IRCASE_DB" "SELECT kind, json_extract(body, '$.text') FROM action WHERE case_id = 1 AND seq = 2")"
"$IRCASE" note '#1' "About step two" --step 2
check "note on step exit status" 0 "$?"
check "note on step stored" "2" \
    "$(sqlite3 "$IRCASE_DB" "SELECT step_seq FROM action WHERE case_id = 1 AND seq = 3")"

"$IRCASE" step 1 2 start --note "Looking now"
check "step start exit status" 0 "$?"
check "step start stored" "active" \
    "$(sqlite3 "$IRCASE_DB" "SELECT state FROM step WHERE case_id = 1 AND seq = 2")"
check "step start action" "step.state|pending|active|Looking now" \
    "$(sqlite3 "$IRCASE_DB" "SELECT kind, json_extract(body, '$.from'), json_extract(body, '$.to'), json_extract(body, '$.note') FROM action WHERE case_id = 1 AND seq = 4")"
"$IRCASE" step 1 2 done
check "step done exit status" 0 "$?"
"$IRCASE" step 1 3 skip --note "No sender domain to block"
check "step skip exit status" 0 "$?"
"$IRCASE" step 1 1 na
check "step na exit status" 0 "$?"
check "step states stored" "1|not_applicable 2|done 3|skipped" \
    "$(sqlite3 "$IRCASE_DB" "SELECT seq || '|' || state FROM step WHERE case_id = 1 AND seq <= 3 ORDER BY seq" | tr '\n' ' ' | sed 's/ $//')"
"$IRCASE" step 1 2 done 2>"$T/err"
check "step same state fails" 1 "$?"
check "step same state one line" 1 "$(wc -l <"$T/err")"

# The SSH client address is recorded as the action's origin.
SSH_CONNECTION="192.0.2.7 50022 192.0.2.1 22" "$IRCASE" note 2 "over ssh"
check "ssh origin stored" "192.0.2.7" \
    "$(sqlite3 "$IRCASE_DB" "SELECT origin FROM action WHERE case_id = 2 AND kind = 'note'")"
check_match "show prints origin" '@192\.0\.2\.7  note +over ssh$' "$("$IRCASE" show 2)"

# show: phases, numbered steps, states and timeline.
out=$("$IRCASE" show 1)
check "show exit status" 0 "$?"
check_match "show title" '^Case #1: Phish at finance$' "$out"
check_match "show phase" '^Respond ' "$out"
check_match "show step 2 done" '^ +2\. \[x\] ' "$out"
check_match "show step 3 skipped" '^ +3\. \[-\] .*\(skipped\)$' "$out"
check_match "show timeline note" \
    '^  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} [+-][0-9]{4}  [^ ]+ +note +Headers saved to the ticket$' \
    "$out"
check_match "show timeline step" 'step\.state  step 2: pending -> active: Looking now$' "$out"
check_match "show timeline count" '^Timeline \(7 actions\)$' "$out"

# show in another zone prints the offset of that zone.
out=$(TZ=Asia/Kolkata "$IRCASE" show 1)
check_match "show local time offset" '^  [0-9-]{10} [0-9:]{8} \+0530  ' "$out"

out=$("$IRCASE" show 1 --json | python3 -c '
import json, sys
c = json.load(sys.stdin)
names = [p["name"] for p in c["phases"]]
steps = [s for p in c["phases"] for s in p["steps"]]
print(c["number"], ",".join(names), len(c["actions"]), c["chain"]["count"],
      [s["state"] for s in steps if s["number"] == 2][0])')
check "show json" "1 Prepare,Report,Assess,Respond,Learn,Evidence 7 7 done" "$out"

# Stored text is sanitised on the terminal but kept as typed.
esc=$(printf 'Title \033]0;pwned\007 end')
out=$("$IRCASE" new --playbook "$pb" --title "$esc")
check "escape title accepted" 3 "$out"
"$IRCASE" note 3 "$(printf 'wipe \033[2J now')"
check "title stored as typed" "$esc" \
    "$(sqlite3 "$IRCASE_DB" 'SELECT title FROM "case" WHERE id = 3')"
out=$("$IRCASE" show 3)
check_no_match "show prints no ESC" "$(printf '\033')" "$out"
check_no_match "show prints no BEL" "$(printf '\007')" "$out"
check_match "show title in caret form" '^Case #3: Title \^\[\]0;pwned\^G end$' "$out"
check_match "show note in caret form" 'wipe \^\[\[2J now$' "$out"
out=$("$IRCASE" list)
check_no_match "list prints no ESC" "$(printf '\033')" "$out"

# export to stdout and to a file.
"$IRCASE" export 1 --format json >"$T/stdout.json"
check "export stdout exit status" 0 "$?"
"$IRCASE" export 1 -o "$T/case1.json"
check "export file exit status" 0 "$?"
check "export file equals stdout" "$(cat "$T/stdout.json")" "$(cat "$T/case1.json")"
out=$(python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))
acts = c["actions"]
print(len(acts), c["chain"]["count"], c["chain"]["head"] == acts[-1]["hash"],
      c["verify"]["ok"], c["verify"]["head"] == acts[-1]["hash"],
      acts[0]["prev_hash"] == "0" * 64,
      all(a["prev_hash"] == b["hash"] for b, a in zip(acts, acts[1:])))
' "$T/case1.json")
check "export chain head is last hash" "7 7 True True True True True" "$out"
check "export chain head matches db" \
    "$(sqlite3 "$IRCASE_DB" 'SELECT hash FROM action WHERE case_id = 1 ORDER BY seq DESC LIMIT 1')" \
    "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["chain"]["head"])' "$T/case1.json")"
check "export leaves no temp file" "case1.json" "$(ls "$T" | grep '^case1')"
check "export file mode" "600" "$(stat -c %a "$T/case1.json")"

# export -o replaces an older file only when complete.
echo old >"$T/keep.json"
"$IRCASE" export 999 -o "$T/keep.json" 2>"$T/err"
check "export unknown case exit status" 1 "$?"
check "export failure keeps old file" old "$(cat "$T/keep.json")"
check "export failure leaves no temp" "keep.json" "$(ls "$T" | grep '^keep')"
"$IRCASE" export 1 -o "$T/no/such/dir/x.json" 2>"$T/err"
check "export to missing folder exit status" 1 "$?"
check "export to missing folder one line" 1 "$(wc -l <"$T/err")"
check_match "export to missing folder names it" "no/such/dir/x.json" "$(cat "$T/err")"

# verify: every case, and chosen ones.
out=$("$IRCASE" verify)
check "verify exit status" 0 "$?"
check "verify one line per case" 3 "$(printf '%s\n' "$out" | wc -l)"
check_match "verify names head" "^case 1: intact, 7 actions, head $(sqlite3 "$IRCASE_DB" 'SELECT head_hash FROM "case" WHERE id = 1')\$" "$out"
out=$("$IRCASE" verify 2 '#3')
check "verify chosen exit status" 0 "$?"
check "verify chosen lines" 2 "$(printf '%s\n' "$out" | wc -l)"
"$IRCASE" verify 999 2>"$T/err"
check "verify unknown case exit status" 1 "$?"
check_match "verify unknown case names it" '^ircase: .*999' "$(cat "$T/err")"

# A failed write to stdout is an error, not a silent success.
if [ -w /dev/full ]; then
	"$IRCASE" list >/dev/full 2>"$T/err"
	check "list to full disk exit status" 1 "$?"
	check "list to full disk one line" 1 "$(wc -l <"$T/err")"
	"$IRCASE" export 1 >/dev/full 2>"$T/err"
	check "export to full disk exit status" 1 "$?"
	check "export to full disk one line" 1 "$(wc -l <"$T/err")"
else
	skip "write errors" "/dev/full is not writable"
fi

# help and version.
out=$("$IRCASE" --version)
check_match "version" '^ircase [0-9]+\.[0-9]+\.[0-9]+$' "$out"
out=$("$IRCASE" -V)
check_match "version short" '^ircase [0-9]' "$out"
out=$("$IRCASE" --help)
check "help exit status" 0 "$?"
for cmd in new list show note step export verify; do
	check_match "help lists $cmd" "^  $cmd " "$out"
	sub=$("$IRCASE" $cmd --help)
	check "$cmd help exit status" 0 "$?"
	check_match "$cmd help usage" "^usage: ircase \\[--db PATH\\] $cmd" "$sub"
done
check_match "help shows keys" 'Case list:' "$out"

echo "1..$_tap_n"
