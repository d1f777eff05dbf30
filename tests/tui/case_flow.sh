#!/bin/sh
# A responder's first case, driven through tmux at 80x24: start a case
# from a real playbook, close two steps, add a note that contains non-ASCII
# text and an ESC [2J sequence, quit.  Then the database, `ircase export`
# and `ircase verify` must show exactly what was done, and the note's
# escape sequence must have been drawn as "^[", not sent to the terminal.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"

if ! need_tmux; then
	skip "case flow" "tmux is not installed"
	exit 0
fi
if ! need_shared; then
	skip "case flow" "IRCASE_SHARED is not set"
	exit 0
fi

# A zone east of UTC shows that times are drawn local, with their offset.
if [ -f /usr/share/zoneinfo/Europe/Zurich ]; then
	TZ=Europe/Zurich
	export TZ
fi

book=counteractive__playbook-phishing.md
export IRCASE_PLAYBOOK_PATH="$IRCASE_SHARED/playbooks-real"
# The picker lists that folder first, sorted by byte value.
index=$(cd "$IRCASE_PLAYBOOK_PATH" && ls -- *.md | LC_ALL=C sort |
	grep -nxF -- "$book" | cut -d: -f1)
esc=$(printf '\033')
note="Zürich 東京 ✓ ${esc}[2J after"

tui_start 80 24
check_wait "empty list shows the hint" "No cases yet"

keys n
check_wait "picker lists the playbook" "Playbook: Phishing"
i=1
while [ "$i" -lt "$index" ]; do
	keys Down
	i=$((i + 1))
done
keys Enter
check_wait "title prompt opens" "Title:"
type_text "Phishing at Zürich 東京"
keys Enter
check_wait "severity prompt opens" "Severity:"
keys 3 Enter
check_wait "case view opens" "Timeline, 1 action"
check_match "title bar shows the case" "#1 Phishing at Zürich 東京 +high, open" "$(screen)"

keys x
check_wait "first step shown done" "Timeline, 2 actions"
keys Down x
check_wait "second step shown done" "Timeline, 3 actions"
check_match "status bar counts closed steps" "#1 +open .* 2/[0-9]+ done" "$(screen)"

keys n
check_wait "note prompt opens" "Note on step 2:"
type_text "$note"
check_wait "ESC in the input shows in caret form" "^[[2J after"
keys Enter
check_wait "note saved" "Note saved."
shot=$(screen)
check_match "timeline shows the note with ESC as ^[" \
	"note step 2: Zürich 東京 ✓ \^\[\[2J after" "$shot"
check_match "phase pane still drawn after the note" "^Prepare [0-9]+/[0-9]+ " "$shot"
check_match "steps shown done after the note" "^  2 \\[x\\] " "$shot"
check_match "title bar still drawn after the note" "#1 Phishing at Zürich" "$shot"
check_match "timeline header counts the note" "Timeline, 4 actions" "$shot"
if [ "$TZ" = Europe/Zurich ]; then
	check_match "timeline in local time with offset" \
		"^20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} \+0[12]00 " "$shot"
fi

keys q
# The title is on the case view too: wait for the list's own title bar.
check_wait "q goes back to the list" "ircase: cases"
check_match "list shows the closed steps" "2/[0-9]+ *$" "$(screen | grep 'Phishing at')"
keys q
check_clean_exit "q quits with status 0"

kinds=$(sqlite3 "$IRCASE_DB" "SELECT group_concat(kind, ' ') FROM
	(SELECT kind FROM action WHERE case_id = 1 ORDER BY seq)")
check "actions in order" "case.open step.state step.state note" "$kinds"
check "action steps" "|1|2|2" "$(sqlite3 "$IRCASE_DB" "SELECT group_concat(
	coalesce(step_seq, ''), '|') FROM (SELECT step_seq FROM action
	WHERE case_id = 1 ORDER BY seq)")"
check "times strictly increase" "0" "$(sqlite3 "$IRCASE_DB" "SELECT count(*)
	FROM action a JOIN action b ON b.case_id = a.case_id AND b.seq = a.seq + 1
	WHERE b.time_us <= a.time_us")"
check "actor is the login name" "$(id -un)" "$(sqlite3 "$IRCASE_DB" \
	"SELECT group_concat(DISTINCT actor) FROM action")"
check "case opened from the chosen playbook" "$book" "$(sqlite3 "$IRCASE_DB" \
	"SELECT json_extract(body, '$.playbook_path') FROM action
	WHERE kind = 'case.open'" | sed 's|.*/||')"
check "stored note keeps the ESC byte and the text" \
	"$(printf '%s' "$note" | od -An -tx1 | tr -d ' \n')" \
	"$(sqlite3 "$IRCASE_DB" "SELECT lower(hex(json_extract(body, '$.text')))
	FROM action WHERE kind = 'note'")"
check "steps 1 and 2 done in the database" "1|done 2|done" \
	"$(sqlite3 "$IRCASE_DB" "SELECT seq || '|' || state FROM step
	WHERE case_id = 1 AND seq <= 2 ORDER BY seq" | tr '\n' ' ' | sed 's/ $//')"

"$IRCASE" verify >"$T/verify.out" 2>&1
check "ircase verify exits 0" "0" "$?"

if "$IRCASE" export 1 --format json >"$T/export.json" 2>"$T/export.err"; then
	check "export lists the same actions" \
		"case.open step.state step.state note" \
		"$(jq -r '[.actions[].kind] | join(" ")' "$T/export.json")"
	check "export note text matches" "$note" \
		"$(jq -r '.actions[3].body.text' "$T/export.json")"
	check "export times increase" "true" "$(jq '[.actions[].time_us] as $t |
		[range(1; $t | length) | $t[.] > $t[. - 1]] | all' "$T/export.json")"
else
	not_ok "ircase export runs" "$(cat "$T/export.err")"
fi
"$IRCASE" show 1 --json >"$T/show.json" 2>"$T/show.err"
check "show --json counts two closed steps" "2" \
	"$(jq '.steps_done' "$T/show.json" 2>/dev/null)"
