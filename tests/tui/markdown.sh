#!/bin/sh
# A step's Markdown body is drawn as text: headings, lists, code, and
# links with their URL.  Escape sequences from a playbook show in caret
# form, and wide characters keep the pane border in its column.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "markdown" "tmux is not installed"
	exit 0
fi
fixture_case "Markdown case"

tui_start 80 24
check_wait "list drawn" "Markdown case"
keys Enter
check_wait "body drawn" "Why it matters"
shot=$(screen)
check_match "emphasis drawn without markers" "Isolate quickly and log every command you" "$shot"
check_match "link shows text" "read the guide" "$shot"
check_match "link shows URL after it" "│ <https://example.org/guide> first\\." "$shot"
check_match "ordered list numbered" "│ 1\. first item" "$shot"
check_match "wide text in a list" "2\. second item with 東京 wide text" "$shot"
check_match "nested bullet indented" "│    • nested bullet" "$shot"
check_no_match "no Markdown markers left" '\*\*|\]\(' "$shot"

keys Enter
keys PgDn
check_wait "body scrolls to the code block" "iptables -A INPUT -j DROP"
keys q
keys Down
check_wait "escape sequence in a title shown as text" "^[]0;owned^[\\ escape"
check_no_match "pane border stays in column 37" '^.{36}[^│]' \
	"$(screen | sed -n '2,10p' | grep -v 東京)"
check_match "border after wide title text" "^Prepare 0/0 +│ " "$(screen)"
keys q q
check_clean_exit "quits cleanly"
