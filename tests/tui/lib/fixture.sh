# A small playbook for the TUI suites, with Markdown in a step body, wide
# characters and an escape sequence in a title.  Source after tmux.sh;
# writes $T/playbooks/fixture.md and points IRCASE_PLAYBOOK_PATH at it.

mkdir -p "$T/playbooks"
export IRCASE_PLAYBOOK_PATH="$T/playbooks"
fixture_esc=$(printf '\033')
cat >"$T/playbooks/fixture.md" <<EOS
---
title: Fixture 東京 playbook
severity: 3
---
# Respond

- [ ] Contain the host

  ## Why it matters

  Isolate *quickly* and **log** every \`command\` you run; read
  [the guide](https://example.org/guide) first.

  1. first item
  2. second item with 東京 wide text
     - nested bullet

  \`\`\`
  iptables -A INPUT -j DROP
  \`\`\`

- [ ] Title with ${fixture_esc}]0;owned${fixture_esc}\\\\ escape
- [ ] Third step
EOS

# fixture_case TITLE: create a case from the fixture with the CLI.
fixture_case() {
	"$IRCASE" new --playbook "$T/playbooks/fixture.md" --title "$1" >/dev/null
}
