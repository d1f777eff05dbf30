#!/bin/sh
# The timeline as a new user reads it.  Every entry opens in full with
# Enter, long text is cut with an ellipsis and the SSH origin shows.  The
# step pane grows with the terminal, 60x16 keeps a usable hint, Left and
# Right pick the severity, states read as words, and a tampered case
# shows a warning banner.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "timeline" "tmux is not installed"
	exit 0
fi
fixture_case "Timeline case"
long="Headers show the mail came from a lookalike domain registered two days ago; SPF soft-failed and DKIM was missing, so the gateway let it through to 14 people in finance END"
SSH_CONNECTION="192.0.2.7 50022 192.0.2.1 22" "$IRCASE" note 1 "$long" --step 1
"$IRCASE" step 1 2 na

tui_start 80 24
check_wait "list drawn" "Timeline case"
keys Enter
check_wait "case view opens" "Timeline, 3 actions"
shot=$(screen)
check_match "timeline shows login@origin" "^20[0-9-]+ [0-9:]+ [+-][0-9]{4} $(id -un)@192\\.0\\.2\\.7 note step 1: Headers" "$shot"
check_match "cut timeline line ends in an ellipsis" "…$" "$(printf '%s\n' "$shot" | grep -a '@192\.0\.2\.7 note')"
check_match "state change in words" "step 2: pending -> not applicable$" "$shot"
check_no_match "no raw state key on screen" "not_applicable" "$shot"

# Tab twice focuses the timeline; the newest entry is selected, Up moves.
keys Tab Tab
check_wait "timeline hint" "Enter open the action"
keys Up Enter
check_wait "detail view opens" "Action 2 of case #1"
shot=$(screen)
check_match "detail shows the actor and origin" "^ Actor +$(id -un)@192\\.0\\.2\\.7$" "$shot"
check_match "detail shows the kind" "^ Kind +note$" "$shot"
check_match "detail shows the step" "^ Step +1$" "$shot"
check_match "detail shows local time" "^ Time +20[0-9-]+ [0-9:]+ [+-][0-9]{4}$" "$shot"
check_match "detail shows UTC time" "^ +20[0-9-]+T[0-9:.]+Z$" "$shot"
check_match "detail wraps the whole note" "to 14 people in finance END$" "$shot"
hash=$(sqlite3 "$IRCASE_DB" "SELECT hash FROM action WHERE case_id = 1 AND seq = 2")
prev=$(sqlite3 "$IRCASE_DB" "SELECT prev_hash FROM action WHERE case_id = 1 AND seq = 2")
check_match "detail shows the hash" "^ Hash +$hash$" "$shot"
check_match "detail shows the previous hash" "^ Previous +$prev$" "$shot"
keys q
check_wait "q goes back to the case" "Timeline, 3 actions"
keys Enter
check_wait "Enter again opens the detail" "Action 2 of case #1"
keys Escape
check_wait "Esc goes back to the case" "Timeline, 3 actions"
keys q q
check_wait "back in the list" "Timeline case"

# At 100 columns the step pane is 45 columns wide, so titles show more.
tm resize-window -x 100 -y 24
keys Enter
check_wait "case view at 100 columns" "Timeline, 3 actions"
check_match "step pane border in column 46" "^Prepare 0/0 {34}│" "$(screen)"

# At 60x16 the hint and the timeline fit.
tm resize-window -x 60 -y 16
check_wait "60x16 draws" " x done  n note  ? keys  q back "
shot=$(screen)
check_match "60 columns hint is whole" "^ x done  n note  \\? keys  q back " "$shot"
check_match "60 columns state change fits" "step 2: pending -> not applicable *$" "$shot"
check_match "60 columns step pane is 27 wide" "^Prepare 0/0 {16}│" "$shot"
keys q q
check_clean_exit "quits cleanly"

# A tampered case shows a banner; the intact one does not.
fixture_case "Intact case"
triggers=$(sqlite3 "$IRCASE_DB" \
    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'action'")
for t in $triggers; do
	sqlite3 "$IRCASE_DB" "DROP TRIGGER \"$t\""
done
tui_start 80 24
check_wait "list drawn again" "Intact case"
keys Enter
check_wait "intact case opens" "#2 Intact case"
check_no_match "intact case has no banner" "BROKEN" "$(screen)"
keys q Down Enter
check_wait "first case opens" "#1 Timeline case"
check_no_match "first case intact so far" "BROKEN" "$(screen)"
sqlite3 "$IRCASE_DB" "UPDATE action SET body = json_set(body, '$.text', 'forged') WHERE case_id = 1 AND seq = 2"
check_wait "banner after a reload" "Action log BROKEN, run 'ircase verify 1': action id 2" 5
check_match "panes move down under the banner" "^Prepare 0/0 +│" "$(screen | sed -n 3p)"
keys q q
check_clean_exit "quits cleanly after the banner"

# Left and Right choose the severity on its row.
tui_start 80 24
check_wait "list for a new case" "Intact case"
keys n
check_wait "picker" "Fixture 東京 playbook"
keys Enter
check_wait "title prompt" "Title:"
type_text "Arrow severity"
keys Enter
check_wait "severity prompt" "Severity:"
keys Right Enter
check_wait "case created with Right" "#3 Arrow severity"
check "Right raises the severity" 4 \
    "$(sqlite3 "$IRCASE_DB" 'SELECT severity FROM "case" WHERE id = 3')"
keys q n
check_wait "picker again" "Fixture 東京 playbook"
keys Enter
check_wait "title prompt again" "Title:"
type_text "Left severity"
keys Enter
check_wait "severity prompt again" "Severity:"
keys Left Left Enter
check_wait "case created with Left" "#4 Left severity"
check "Left lowers the severity" 1 \
    "$(sqlite3 "$IRCASE_DB" 'SELECT severity FROM "case" WHERE id = 4')"
keys q q
check_clean_exit "quits cleanly after new cases"

# A long step title shows 36 columns of text and an ellipsis at 100.
cat >"$T/long.md" <<'EOS'
# Respond

- [ ] Collect the full mail headers from the reporting user's mailbox
EOS
"$IRCASE" new --playbook "$T/long.md" --title "Long titles" >/dev/null
tui_start 100 24
check_wait "list with the long case" "Long titles"
keys Enter
check_wait "long case opens" "#5 Long titles"
check_match "long title cut with an ellipsis" \
    "^  1 \\[ \\] Collect the full mail headers from t…│ " "$(screen)"
keys q q
check_clean_exit "quits cleanly after the long title"

# A body key wider than the label column keeps a blank before its value.
"$IRCASE" asset add 5 --name "Mail gateway" --classification Confidential \
    >/dev/null
tui_start 80 24
check_wait "list for the asset case" "Long titles"
keys Enter
check_wait "asset case opens" "#5 Long titles"
keys Tab Tab Enter
check_wait "asset action opens" "Action 2 of case #5"
shot=$(screen)
check_match "long key keeps a blank" "^ classification: Confidential$" "$shot"
check_match "short key aligned" "^ name: +Mail gateway$" "$shot"
keys Escape
check_wait "back in the asset case" "Timeline, 2 actions"
keys q q
check_wait "list after the asset case" "5 cases"
keys q
check_clean_exit "quits cleanly after the asset action"

echo "1..$_tap_n"
