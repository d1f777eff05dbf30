# Helpers for the TUI suites: drive the program in a private tmux server.
# It lives under lib/ so that tests/run.sh, which runs tests/tui/*.sh,
# does not run it as a suite.
# Source after tests/lib.sh.
#
# The program runs in a pane of fixed size with TERM, TZ and the locale
# fixed.  Its exit status goes to $T/rc and its stderr (sanitizer reports
# included) to $T/stderr.

TMUX_SOCKET="ircase-test-$$"
: "${TZ:=UTC}"
export TZ

tm() {
	tmux -L "$TMUX_SOCKET" -f /dev/null "$@"
}

tui_stop() {
	tm kill-server 2>/dev/null || true
}
trap 'tui_stop; rm -rf "$T"' EXIT

# need_tmux: true when tmux is installed; suites skip otherwise.
need_tmux() {
	command -v tmux >/dev/null 2>&1
}

# tui_start COLS ROWS [VAR=VALUE...]: start the program in a new session.
tui_start() {
	_cols=$1
	_rows=$2
	shift 2
	rm -f "$T/rc" "$T/stderr"
	cat >"$T/run.sh" <<EOS
#!/bin/sh
env TERM=xterm-256color TZ='$TZ' LC_ALL=C.UTF-8 $* "\$IRCASE" 2>"$T/stderr"
echo \$? >"$T/rc"
EOS
	tm new-session -d -x "$_cols" -y "$_rows" "sh $T/run.sh"
}

# screen: the pane's text now.
screen() {
	tm capture-pane -p 2>/dev/null
}

# wait_for TEXT [SECONDS]: poll the pane until it shows TEXT (a fixed
# string); false after SECONDS (default 10).
wait_for() {
	_deadline=$(( $(date +%s) + ${2:-10} ))
	while [ "$(date +%s)" -le "$_deadline" ]; do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# wait_exit [SECONDS]: wait until the program has exited; prints its status.
wait_exit() {
	_deadline=$(( $(date +%s) + ${1:-10} ))
	while [ "$(date +%s)" -le "$_deadline" ]; do
		if [ -s "$T/rc" ]; then
			cat "$T/rc"
			return 0
		fi
		sleep 0.1
	done
	echo timeout
	return 1
}

# keys ARGS...: send tmux key names ("Enter", "Down", "q").
keys() {
	tm send-keys "$@"
}

# type_text TEXT: send TEXT literally, bytes as they are.
type_text() {
	tm send-keys -l -- "$1"
}

# check_wait NAME TEXT [SECONDS]: one TAP line for wait_for.
check_wait() {
	if wait_for "$2" "${3:-10}"; then
		ok "$1"
	else
		not_ok "$1" "expected on screen: $2" "screen:" "$(screen)"
	fi
}

# check_clean_exit NAME: the program exited 0 with nothing on stderr.
check_clean_exit() {
	_rc=$(wait_exit 15)
	if [ "$_rc" = 0 ] && [ ! -s "$T/stderr" ]; then
		ok "$1"
	else
		not_ok "$1" "exit status: $_rc" "stderr: $(head -c 2000 "$T/stderr" 2>/dev/null)"
	fi
}
