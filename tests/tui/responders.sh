#!/bin/sh
# Two responders on one case in two TUIs: each sees the other's commits
# within a second without losing a half-typed note, sees who else has the
# case open, and a killed session drops out of that list.  SIGHUP and a
# killed tmux session save the note being typed as a draft that the next
# start brings back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "responders" "tmux is not installed"
	exit 0
fi
export XDG_STATE_HOME="$T/state"
fixture_case "Shared case"

# start_as NAME LOGIN ORIGIN: a TUI in tmux session NAME; its pid goes to
# $T/pid-NAME (exec keeps it), its stderr to $T/stderr-NAME.
start_as() {
	cat >"$T/run-$1.sh" <<EOS
#!/bin/sh
echo \$\$ >"$T/pid-$1"
exec env TERM=xterm-256color TZ=UTC LC_ALL=C.UTF-8 IRCASE_TEST_LOGIN=$2 \
    SSH_CONNECTION="$3 50000 192.0.2.1 22" "\$IRCASE" 2>"$T/stderr-$1"
EOS
	rm -f "$T/pid-$1"
	tm new-session -d -s "$1" -x 80 -y 24 "sh $T/run-$1.sh"
}

# on NAME: the text of session NAME's pane.
on() {
	tm capture-pane -p -t "$1" 2>/dev/null
}

# wait_on NAME TEXT [SECONDS]: poll session NAME until it shows TEXT.
wait_on() {
	_end=$(( $(date +%s) + ${3:-10} ))
	while [ "$(date +%s)" -le "$_end" ]; do
		on "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	return 1
}

# check_on NAME TEXT LABEL [SECONDS]
check_on() {
	if wait_on "$1" "$2" "${4:-10}"; then ok "$3"; else not_ok "$3" "expected: $2" "$(on "$1")"; fi
}

# gone PID SECONDS: true when PID has exited within SECONDS.
gone() {
	_n=0
	while kill -0 "$1" 2>/dev/null; do
		_n=$((_n + 1))
		[ "$_n" -gt $(($2 * 10)) ] && return 1
		sleep 0.1
	done
	return 0
}

start_as a alice 192.0.2.7
start_as b bob 198.51.100.9
check_on a "Shared case" "alice sees the list"
check_on b "Shared case" "bob sees the list"
tm send-keys -t a Enter
tm send-keys -t b Enter
check_on a "Timeline, 1 action" "alice opens the case"
check_on b "Timeline, 1 action" "bob opens the case"
check_on a "Also here: bob@198.51.100.9 since" "alice sees bob in the case" 3
check_on b "Also here: alice@192.0.2.7 since" "bob sees alice in the case" 3

# alice types half a note; bob closes step 1 meanwhile.
tm send-keys -t a Down n
tm send-keys -t a -l "half typed"
check_on a "Note on step 2: half typed" "alice's note editor shows her text"
tm send-keys -t b x
start=$(date +%s%N)
check_on a "Timeline, 2 actions" "bob's change reaches alice" 3
took=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$took" -le 1500 ]; then ok "within a second and a half ($took ms)"; else not_ok "within a second and a half" "took $took ms"; fi
check_match "alice's half-typed note survives the reload" "Note on step 2: half typed" "$(on a)"
check_match "alice's selection stays on step 2" "Step 2, Respond" "$(on a)"
tm send-keys -t a -l " and finished"
tm send-keys -t a Enter
check_on a "Note saved." "alice saves the note"
check "the note holds all that was typed" "half typed and finished" \
    "$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.text') FROM action WHERE kind = 'note'")"
check "the note is on step 2" 2 "$(sqlite3 "$IRCASE_DB" "SELECT step_seq FROM action WHERE kind = 'note'")"
check_on b "Timeline, 3 actions" "bob sees alice's note" 3

# A killed session disappears from the others' view.
kill -9 "$(cat "$T/pid-b")"
start=$(date +%s%N)
if wait_on_gone=$(
	_end=$(( $(date +%s) + 5 ))
	while [ "$(date +%s)" -le "$_end" ]; do
		on a | grep -qF "Also here" || { echo yes; break; }
		sleep 0.1
	done); [ "$wait_on_gone" = yes ]; then
	ok "killed session leaves the presence list ($(( ($(date +%s%N) - start) / 1000000 )) ms)"
else
	not_ok "killed session leaves the presence list" "$(on a)" \
	    "$(sqlite3 "$IRCASE_DB" 'SELECT * FROM presence')" "$(ps -o pid,stat,comm -p "$(cat "$T/pid-b")")"
fi
tm kill-session -t b 2>/dev/null

# SIGHUP while typing: the process ends within 2 s and the draft is kept.
tm send-keys -t a n
tm send-keys -t a -l "draft before hangup"
check_on a "draft before hangup" "alice types a second note"
pid=$(cat "$T/pid-a")
kill -HUP "$pid"
if gone "$pid" 2; then ok "SIGHUP ends the TUI within 2 s"; else not_ok "SIGHUP ends the TUI within 2 s"; fi
check "no sanitizer report after SIGHUP" "" "$(cat "$T/stderr-a" 2>/dev/null)"
check "draft file is written" 1 "$(ls "$T/state/ircase/drafts" 2>/dev/null | wc -l)"
check "presence row is removed on the way out" 0 \
    "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM presence WHERE login = 'alice'")"
tm kill-session -t a 2>/dev/null

start_as a alice 192.0.2.7
check_on a "Draft note restored" "next start reopens the case with the draft"
check_match "the draft text is back in the editor" "Note on step 2: draft before hangup" "$(on a)"
tm send-keys -t a -l " restored"
tm send-keys -t a Enter
check_on a "Note saved." "the restored draft saves"
check "restored draft reaches the database" "draft before hangup restored" \
    "$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.text') FROM action WHERE kind = 'note' ORDER BY seq DESC LIMIT 1")"
check "saving removes the draft" 0 "$(ls "$T/state/ircase/drafts" | wc -l)"

# The tmux session is killed (the SSH link drops): same outcome.
tm send-keys -t a n
tm send-keys -t a -l "typed when the link dropped"
check_on a "typed when the link dropped" "alice types a third note"
pid=$(cat "$T/pid-a")
tm kill-session -t a
if gone "$pid" 2; then ok "a killed tmux session ends the TUI within 2 s"; else not_ok "a killed tmux session ends the TUI within 2 s"; fi
check "no sanitizer report after the link drops" "" "$(cat "$T/stderr-a" 2>/dev/null)"
start_as a alice 192.0.2.7
check_on a "Note on step 2: typed when the link dropped" "the draft is back after the link dropped"
tm send-keys -t a Escape
check_on a "Note not saved." "Esc discards the draft"
check "discarding removes the draft" 0 "$(ls "$T/state/ircase/drafts" | wc -l)"
tm send-keys -t a q q
pid=$(cat "$T/pid-a")
if gone "$pid" 5; then ok "quits"; else not_ok "quits"; fi
check "no sanitizer report at quit" "" "$(cat "$T/stderr-a" 2>/dev/null)"
