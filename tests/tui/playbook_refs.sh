#!/bin/sh
# The reference panes of a case's playbook (r in the case view) and
# "#anchor" links: Tab selects a link in a step's text or a pane, Enter
# follows it to a step, a phase or another pane.  The playbook is
# tests/data/playbooks/panes-links.md; its steps are 1-2 in Assess
# (Check the sign-in logs, Ask the user), 3-4 in Respond (Isolate the
# account, Reset the password) and 5 in Learn.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"

if ! need_tmux; then
	skip "playbook panes" "tmux is not installed"
	exit 0
fi
"$IRCASE" new --playbook "$IRCASE_TOP/tests/data/playbooks/panes-links.md" \
    --title "Sign-in case" >/dev/null

tui_start 100 30
check_wait "list drawn" "Sign-in case"
keys Enter
check_wait "case drawn" "Check the sign-in logs"

keys r
check_wait "panes listed" "Reference panes: Panes and links"
shot=$(screen)
check_match "Overview pane listed" "^Overview +│" "$shot"
check_match "References pane listed" "^References +│" "$shot"
check_match "MITRE mapping pane listed" "^MITRE mapping +│" "$shot"
check_match "Appendix pane listed" "^Appendix: sign-in fields +│" "$shot"
check_match "Overview text rendered" "This playbook covers a suspicious sign-in" "$shot"
check_no_match "no Markdown link markers" '\]\(#' "$shot"

keys Down
check_wait "References pane shown" "NIST SP 800-61r3 <https://csrc.nist.gov"
keys Down
check_wait "table in a pane" "Initial Access | T1078 Valid Accounts"

# A pane longer than the screen scrolls.
keys Down
check_wait "Appendix shown" "Field 01: user principal name"
check_no_match "appendix end below the screen" "the last field of the appendix" "$(screen)"
keys PgDn PgDn PgDn
check_wait "appendix scrolls to its end" "the last field of the appendix"
keys g
check_wait "back to the top" "Field 01: user principal name"

# From the Overview: the second link names another pane.
keys k k k
check_wait "Overview again" "This playbook covers a suspicious sign-in"
keys Tab
check_wait "first link selected" "Enter follows the link"
keys Tab Enter
check_wait "link to a pane shows it" "Showing References."
check_match "References text drawn" "NIST SP 800-61r3" "$(screen)"

# From References, Tab selects the link back to the Overview; Shift-Tab
# from nothing selected picks the last link, which is the same one.
keys BTab Enter
check_wait "link back to the Overview" "Showing Overview."

# The first Overview link names step 1: the case view selects it.
keys Tab Enter
check_wait "pane link leads to a step" "Step 1."
shot=$(screen)
check_match "step 1 text shown" "Step 1, Assess: pending" "$shot"
check_no_match "reference screen closed" "Reference panes:" "$shot"

# In step 1's text: #containment (a phase), #reset-the-password (a step),
# #mitre-mapping (a pane).
keys Tab
check_wait "step link selected" "Enter follows the link to #containment."
keys Tab
check_wait "second link selected" "Enter follows the link to #reset-the-password."
keys Enter
check_wait "step link selects the step" "Step 4."
check_match "step 4 text shown" "Step 4, Respond: pending" "$(screen)"

# Step 4 links back to step 1 and to an anchor that names nothing.
keys Tab Tab
check_wait "dangling link selected" "Enter follows the link to #no-such-anchor."
keys Enter
check_wait "dangling link named in the error" "The link to #no-such-anchor names no step, phase or reference pane"
keys BTab
check_wait "Shift-Tab selects the previous link" "Enter follows the link to #check-the-sign-in-logs."
keys Enter
check_wait "link back to step 1" "Step 1."

keys Tab Tab Tab
check_wait "pane link selected" "Enter follows the link to #mitre-mapping."
keys Enter
check_wait "step link opens its pane" "Reference panes: Panes and links"
check_match "MITRE pane selected" "3/4" "$(screen)"
check_match "MITRE text drawn" "Initial Access" "$(screen)"
keys q
check_wait "q goes back to the case" "Step 1, Assess"

keys BTab BTab
check_wait "Shift-Tab back to the first link" "Enter follows the link to #containment."
keys Enter
check_wait "phase link selects its first step" "Respond: its first step, step 3."
check_match "step 3 text shown" "Step 3, Respond: pending" "$(screen)"

# Step 3 has no links: Tab focuses the timeline as before.
keys Tab
check_wait "Tab without links reaches the timeline" "Enter open the action"

keys q q q
check_clean_exit "quits cleanly"

# The picker reads playbooks.max_size from config.yaml: the playbook, which
# is larger than 1 KiB, shows the limit in its row.
mkdir -p "$XDG_CONFIG_HOME/ircase" "$T/playbooks"
cp "$IRCASE_TOP/tests/data/playbooks/panes-links.md" "$T/playbooks/"
printf 'playbooks:\n  max_size: 1KiB\n' >"$XDG_CONFIG_HOME/ircase/config.yaml"
tui_start 100 30 IRCASE_PLAYBOOK_PATH="$T/playbooks"
check_wait "list drawn again" "Sign-in case"
keys n
check_wait "picker shows the configured limit" "1024-byte limit"
keys Escape q
check_clean_exit "quits cleanly after the picker"
