#!/bin/sh
# "ircase new" opens a case from every real-world playbook and every
# shipped one; each case then shows, exports and verifies.
. "$(dirname "$0")/../lib.sh"

# try_playbook FILE: opens a case from FILE and checks it end to end.
try_playbook() {
	file=$1
	name=$(basename "$file")
	out=$("$IRCASE" new --playbook "$file" --title "From $name" 2>"$T/err")
	rc=$?
	check "$name new exit status" 0 "$rc"
	[ "$rc" -eq 0 ] || { sed 's/^/# /' "$T/err"; return; }
	check_match "$name new prints a number" '^[1-9][0-9]*$' "$out"
	id=$out
	check "$name snapshot stored" \
	    "$(sha256sum <"$file" | cut -c1-64)" \
	    "$(sqlite3 "$IRCASE_DB" "SELECT p.sha256 FROM playbook_snapshot p JOIN \"case\" c ON c.playbook_id = p.id WHERE c.id = $id")"
	stored=$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM step WHERE case_id = $id")
	shown=$("$IRCASE" show "$id" --json | python3 -c '
import json, sys
c = json.load(sys.stdin)
steps = [s["number"] for p in c["phases"] for s in p["steps"]]
assert sorted(steps) == list(range(1, len(steps) + 1)), steps
print(len(steps))')
	check "$name steps numbered 1..n" "$stored" "$shown"
	"$IRCASE" show "$id" >"$T/show" 2>"$T/err"
	check "$name show exit status" 0 "$?"
	check_no_match "$name show has no ESC" "$(printf '\033')" "$(cat "$T/show")"
	"$IRCASE" export "$id" -o "$T/export.json"
	check "$name export exit status" 0 "$?"
	"$IRCASE" verify "$id" >/dev/null
	check "$name verify exit status" 0 "$?"
}

if need_shared; then
	for file in "$IRCASE_SHARED"/playbooks-real/*; do
		[ -f "$file" ] || continue
		try_playbook "$file"
	done
else
	skip "real playbooks" "IRCASE_SHARED is not set"
fi

shipped=0
for file in "$IRCASE_TOP"/playbooks/*.md; do
	[ -f "$file" ] || continue
	try_playbook "$file"
	shipped=$((shipped + 1))
done
[ "$shipped" -gt 0 ] || skip "shipped playbooks" "playbooks/ has no .md files yet"

# A bare name is looked up in IRCASE_PLAYBOOK_PATH, with or without .md.
mkdir "$T/pbdir"
cp "$IRCASE_TOP/tests/data/cli/phishing.md" "$T/pbdir/phish-test.md"
out=$(cd "$T" && IRCASE_PLAYBOOK_PATH="$T/pbdir" "$IRCASE" new \
    --playbook phish-test --title "by name" 2>"$T/err")
check "search path by name exit status" 0 "$?"
check_match "search path by name number" '^[1-9][0-9]*$' "$out"
check "search path by name stores path" "$T/pbdir/phish-test.md" \
    "$(sqlite3 "$IRCASE_DB" "SELECT playbook_path FROM \"case\" WHERE id = ${out:-0}")"
out=$(cd "$T" && IRCASE_PLAYBOOK_PATH="$T/pbdir" "$IRCASE" new \
    --playbook phish-test.md --title "by file name" 2>"$T/err")
check "search path by file name exit status" 0 "$?"
(cd "$T" && IRCASE_PLAYBOOK_PATH="$T/pbdir" "$IRCASE" new \
    --playbook no-such-playbook --title t) >/dev/null 2>"$T/err"
check "search path miss exit status" 1 "$?"
check_match "search path miss names it" "no-such-playbook" "$(cat "$T/err")"

echo "1..$_tap_n"
