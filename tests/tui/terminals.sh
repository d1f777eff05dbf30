#!/bin/sh
# Terminals of every kind: each TERM value works or prints why not, NO_COLOR
# and monochrome terminals use attributes, resize storms and tiny sizes
# neither crash nor corrupt the screen, Ctrl-Z and fg restore it, and no
# write lock is held while the TUI waits or is stopped.  Untrusted text
# reaches the screen with its controls made visible.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "terminals" "tmux is not installed"
	exit 0
fi
fixture_case "Terminal case"

# run_term TERM: the TUI under that TERM in a fresh session.
run_term() {
	cat >"$T/run.sh" <<EOS
#!/bin/sh
env TERM='$1' TZ=UTC LC_ALL=C.UTF-8 "\$IRCASE" 2>"$T/stderr"
echo \$? >"$T/rc"
EOS
	rm -f "$T/rc" "$T/stderr"
	tm kill-server 2>/dev/null
	tm new-session -d -x 80 -y 24 "sh $T/run.sh"
}

for term in xterm-256color screen tmux-256color vt100 linux; do
	if ! infocmp "$term" >/dev/null 2>&1; then
		skip "TERM=$term works" "no terminfo entry on this host"
		continue
	fi
	run_term "$term"
	check_wait "TERM=$term draws the list" "Terminal case"
	keys Enter
	check_wait "TERM=$term opens the case" "Timeline, 1 action"
	keys q q
	check_clean_exit "TERM=$term quits cleanly"
done

for term in dumb no-such-terminal-xyz; do
	run_term "$term"
	rc=$(wait_exit 5)
	check "TERM=$term exits 1" 1 "$rc"
	check_match "TERM=$term names TERM and what to set" \
	    "^ircase: TERM=$term .*set TERM" "$(cat "$T/stderr")"
	check "TERM=$term message is one line" 1 "$(wc -l <"$T/stderr")"
done

# --- untrusted text: OSC title and clipboard writes, C1, CR, bidi --------
esc=$(printf '\033')
bel=$(printf '\007')
title="T${esc}]0;pwned${bel}x${esc}]52;c;ZXZpbA==${bel}y$(printf '\302\233')31mz$(printf '\342\200\256')abc$(printf '\r')E 東京e$(printf '\314\201')"
"$IRCASE" new --playbook "$T/playbooks/fixture.md" --title "$title" >/dev/null
"$IRCASE" note 2 "note${esc}[2J${esc}]0;owned${bel}$(printf '\342\200\256')evil" >/dev/null
tui_start 80 24
check_wait "list drawn" "Terminal case"
check_match "OSC title write is shown, not run" '\^\[\]0;pwned\^Gx' "$(screen)"
check_match "OSC 52 clipboard write is shown" '\^\[\]52;c;ZXZpbA==\^G' "$(screen)"
pane_title=$(tm display-message -p '#{pane_title}')
check_no_match "the pane title was not changed" "pwned|owned" "$pane_title"
# The newest case is the first row.
keys Enter
check_wait "case with the title opens" "Timeline, 2 actions"
check_match "C1 CSI is shown as a code point" '<U\+009B>31m' "$(screen)"
check_match "bidi override is shown as a code point" '<U\+202E>abc' "$(screen)"
check_match "CR is shown in caret form" 'abc\^ME' "$(screen)"
check_match "wide text keeps the title bar's right edge" '東… +high, open$' "$(screen | head -1)"
check_match "note's clear-screen sequence is shown" '\^\[\[2J\^\[\]0;owned\^G<U\+202E>evil' "$(screen)"
check_no_match "the pane title is still ours" "owned" "$(tm display-message -p '#{pane_title}')"
# Wide and combining characters keep the status bar in its columns.
check_match "status bar ends at column 80" '0/3 done *$' "$(screen | tail -1)"
keys q q
check_clean_exit "quits after untrusted text"

# --- NO_COLOR and monochrome ----------------------------------------------
tui_start 80 24 NO_COLOR=1
check_wait "NO_COLOR draws" "Terminal case"
attrs=$(tm capture-pane -p -e)
check_no_match "NO_COLOR sends no colour codes" '\[(3|4)[0-7]m|\[(3|4)8;' "$attrs"
check_match "NO_COLOR uses reverse video" '\[7m' "$attrs"
keys q
check_clean_exit "NO_COLOR quits"

# --- resize storm and tiny sizes ------------------------------------------
tui_start 80 24
check_wait "storm: list drawn" "Terminal case"
keys Enter
check_wait "storm: case open" "Timeline, 2 actions"
i=0
while [ $i -lt 300 ]; do
	tm resize-window -x $((20 + i % 100)) -y $((5 + i % 40)) 2>/dev/null
	i=$((i + 1))
done
tm resize-window -x 20 -y 5
check_wait "20x5 shows the too-small screen" "Terminal too" 5
tm resize-window -x 80 -y 24
check_wait "80x24 after the storm redraws the case" "Timeline, 2 actions" 5
check_match "80x24 shows steps, body, timeline and status" \
    "Contain the host" "$(screen)"
check_match "80x24 shows the status bar" "#2 +open .* 0/3 done" "$(screen)"
keys q q
check_clean_exit "quits cleanly after 300 resizes"

# --- Ctrl-Z and fg; no write lock while waiting or stopped -----------------
tm kill-server 2>/dev/null
tm new-session -d -x 80 -y 24 "env -i PATH=$PATH HOME=$T TERM=xterm-256color LC_ALL=C.UTF-8 TZ=UTC IRCASE=$IRCASE IRCASE_DB=$IRCASE_DB XDG_STATE_HOME=$T/state PS1='PROMPT$ ' sh -i"
sleep 0.5
type_text "\"\$IRCASE\""
keys Enter
check_wait "TUI runs under a shell" "Terminal case"
lock=$(sqlite3 -cmd '.timeout 200' "$IRCASE_DB" 'BEGIN IMMEDIATE; ROLLBACK;' 2>&1)
check "no write lock while the TUI waits for a key" "" "$lock"
keys C-z
check_wait "Ctrl-Z returns to the shell" "PROMPT$" 5
lock=$(sqlite3 -cmd '.timeout 200' "$IRCASE_DB" 'BEGIN IMMEDIATE; ROLLBACK;' 2>&1)
check "no write lock while the TUI is stopped" "" "$lock"
"$IRCASE" note 2 "written while stopped" >/dev/null
type_text "fg"
keys Enter
check_wait "fg redraws the TUI" "Terminal case" 5
keys Enter
check_wait "the note written while stopped shows" "written while stopped" 5
keys q q
check_wait "quits back to the shell" "PROMPT$" 5
