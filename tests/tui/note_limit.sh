#!/bin/sh
# A note pasted into the TUI is accepted up to the core's limit, as the CLI
# accepts it, and a longer paste is cut with the cut shown in the prompt,
# never silently.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "note length limit" "tmux is not installed"
	exit 0
fi

fixture_case "Long note case"
max=65536
long=$(head -c 70000 /dev/zero | tr '\0' a)

# note_lengths: the length of each note of case 1, in order.
note_lengths() {
	sqlite3 "$IRCASE_DB" "SELECT length(json_extract(body, '$.text'))
	    FROM action WHERE case_id = 1 AND kind = 'note' ORDER BY seq" |
	    tr '\n' ' '
}

tui_start 100 30
check_wait "case list shows the case" "Long note case"
keys Enter
check_wait "case view opens" "Timeline, 1 action"

keys n
check_wait "note prompt opens" "Note on step 1:"
type_text "$(printf '%s' "$long" | head -c 5000)"
sleep 1
check_no_match "5000 characters are not cut" "cut at" "$(screen)"
keys Enter
check_wait "5000-character note saved" "Note saved." 30
check "5000 characters stored whole" "5000 " "$(note_lengths)"

keys n
check_wait "second note prompt opens" "Note on step 1:"
# tmux rejects one 70,000-byte command ("command too long"): send pieces.
i=0
while [ "$i" -lt 7 ]; do
	type_text "$(printf '%s' "$long" | head -c 10000)"
	i=$((i + 1))
done
check_wait "the prompt says the text was cut" "[cut at $max characters]" 60
keys Enter
check_wait "long note saved" "Note saved." 30
check "the note is cut at the limit" "5000 $max " "$(note_lengths)"

keys q
keys q
check_clean_exit "exits cleanly"
echo "1..$_tap_n"
