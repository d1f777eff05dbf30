#!/bin/sh
# C in the case view checks the close rule before it asks for a summary:
# a case with items missing lists every one of them, worded with the TUI's
# keys, in a view that scrolls; N marks the selected step not applicable
# with an optional reason; a complete case closes after the summary.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"

if ! need_tmux; then
	skip "close check" "tmux is not installed"
	exit 0
fi

# Thirty Respond steps: with the two Learn items, more than a screen.
mkdir -p "$T/playbooks"
export IRCASE_PLAYBOOK_PATH="$T/playbooks"
{
	printf -- '---\ntitle: Long close\nseverity: 2\n---\n# Respond\n\n'
	i=1
	while [ "$i" -le 30 ]; do
		printf -- '- [ ] Respond item %d\n' "$i"
		i=$((i + 1))
	done
} >"$T/playbooks/long.md"
"$IRCASE" new --playbook "$T/playbooks/long.md" --title "Long close" \
    >/dev/null
n=$(sqlite3 "$IRCASE_DB" "SELECT max(id) FROM \"case\"")
"$IRCASE" decide "$n" incident --reason "confirmed" >/dev/null

tui_start 80 24
check_wait "list shows the case" "Long close"
keys Enter
check_wait "case opens" "Respond item 1"
keys C
check_wait "close check lists what is missing" "32 items are missing"
shot=$(screen)
check_match "first step listed with TUI keys" \
    "Respond step 1 \(Respond item 1\) is pending: select it and" "$shot"
check_match "TUI wording names the N key" "N \(not" "$shot"
check_no_match "no CLI wording" "--note|mark it na|ircase " "$shot"
check_no_match "no summary asked yet" "Summary \(optional\)" "$shot"
check_match "status bar counts lines" "lines 1-22 of" "$shot"
check_no_match "list fits 80 columns" ".{81}" "$shot"
keys G
check_wait "list scrolls to the last item" "nothing on what went well"
shot=$(screen)
check_match "last step listed" "Respond step 30 \(Respond item 30\)" "$shot"
check_match "root cause listed" "Learn: no root cause" "$shot"
check_no_match "first item scrolled away" "Respond item 1\)" "$shot"
keys g
check_wait "list scrolls back to the top" "32 items are missing"
keys q
check_wait "back in the case" "Timeline,"

# N on the selected first step, with a reason.
keys N
check_wait "not-applicable prompt opens" "Why is step 1 not applicable? (optional)"
type_text "no such host here"
keys Enter
check_wait "prompt closes" "Timeline,"
check "step 1 marked na" "not_applicable" "$(sqlite3 "$IRCASE_DB" \
    "SELECT state FROM step WHERE case_id = $n AND seq = 1")"
check "na reason recorded" "no such host here" "$(sqlite3 "$IRCASE_DB" \
    "SELECT json_extract(body, '\$.note') FROM action WHERE case_id = $n
    AND kind = 'step.state' AND step_seq = 1 ORDER BY seq DESC LIMIT 1")"

# N with no reason on step 2.
keys Down
keys N
check_wait "second prompt opens" "step 2 not applicable"
keys Enter
check_wait "second prompt closes" "Timeline,"
check "step 2 marked na without a reason" "not_applicable|" \
    "$(sqlite3 "$IRCASE_DB" "SELECT s.state, (SELECT coalesce(json_extract(
    a.body, '\$.note'), '') FROM action a WHERE a.case_id = s.case_id AND
    a.step_seq = s.seq AND a.kind = 'step.state' ORDER BY a.seq DESC
    LIMIT 1) FROM step s WHERE s.case_id = $n AND s.seq = 2")"
keys C
check_wait "list shrinks by two" "30 items are missing"
keys q
check_wait "back again" "Timeline,"

# Everything else recorded with the CLI: C now asks for the summary.
i=3
while [ "$i" -le 30 ]; do
	"$IRCASE" step "$n" "$i" done >/dev/null
	i=$((i + 1))
done
"$IRCASE" lesson "$n" --root-cause "weak password" >/dev/null
"$IRCASE" lesson "$n" --went-well "fast isolation" >/dev/null
sleep 1
keys C
check_wait "complete case asks for the summary" "Summary (optional):"
type_text "all contained"
keys Enter
check_wait "case closed" "closed after"
keys q q
check_clean_exit "TUI exits cleanly"
check "case closed with the summary" "closed|all contained" \
    "$(sqlite3 "$IRCASE_DB" "SELECT status, summary FROM \"case\"
    WHERE id = $n")"

echo "1..$_tap_n"
