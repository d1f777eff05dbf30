#!/bin/sh
# The new-case screen: a playbook that fails to load shows its error in
# its row, the title input edits wide characters and cancels with Esc,
# an empty title is rejected and severity defaults to the playbook's.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "new case" "tmux is not installed"
	exit 0
fi
printf 'bad \377\376 bytes\n' >"$T/playbooks/broken.md"

tui_start 80 24
check_wait "list drawn" "No cases yet"
keys n
check_wait "picker lists the good playbook" "Fixture 東京 playbook"
check_match "picker shows steps and lint status" \
	"Fixture 東京 playbook +3 +1 warning" "$(screen | grep -F Fixture)"
check_match "broken playbook shows its error in its row" "broken\.md.*broken\.md" \
	"$(screen | grep -F broken.md)"
keys Enter
sleep 0.3
check_no_match "broken playbook does not open the title prompt" "^Title:" "$(screen)"
keys Down Enter
check_wait "title prompt opens" "Title:"
type_text "東京X"
keys BSpace
check_wait "backspace removes one character" "Title: 東京"
check_no_match "X removed" "Title: 東京X" "$(screen)"
keys Escape
sleep 0.3
check_no_match "lone Esc cancels the title" "^Title:" "$(screen)"
keys Enter
check_wait "title prompt again" "Title:"
keys C-u Enter
check_wait "empty title rejected" "A case needs a title"
type_text "Default severity 東京"
keys Enter
check_wait "severity prompt" "Severity:"
keys Enter
check_wait "case created" "Timeline, 1 action"
check "severity from the playbook" "3" \
	"$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.severity') FROM action
	WHERE kind = 'case.open'")"
check "title stored as typed" "Default severity 東京" \
	"$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.title') FROM action
	WHERE kind = 'case.open'")"
keys q q
check_clean_exit "quits cleanly"
