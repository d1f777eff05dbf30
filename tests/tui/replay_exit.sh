#!/bin/sh
# `ircase replay` exits within two seconds when its tmux session is
# killed, on SIGTERM and SIGHUP, and when its terminal goes away without
# a signal (a process in its own session, as under setsid).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib/tmux.sh"
. "$(dirname "$0")/lib/fixture.sh"

if ! need_tmux; then
	skip "replay exit" "tmux is not installed"
	exit 0
fi
fixture_case "Replay exit case"
i=1
while [ $i -le 5 ]; do
	"$IRCASE" note 1 "replayed note $i" >/dev/null
	i=$((i + 1))
done

# replay_start [WRAPPER]: start `ircase replay 1` in a new session, at the
# recorded pace so that it is still playing, under WRAPPER when given.
replay_start() {
	rm -f "$T/rc" "$T/stderr"
	cat >"$T/run.sh" <<EOS
#!/bin/sh
env TERM=xterm-256color TZ='$TZ' LC_ALL=C.UTF-8 ${1:-} "\$IRCASE" replay --speed 1 --db '$IRCASE_DB' 1 2>"$T/stderr"
echo \$? >"$T/rc"
EOS
	tm new-session -d -x 80 -y 24 "sh $T/run.sh"
}

# replay_pid: the pid of the replay process in the pane, or nothing.
replay_pid() {
	_deadline=$(( $(date +%s) + 5 ))
	while [ "$(date +%s)" -le "$_deadline" ]; do
		_pid=$(pgrep -f -n -- "replay --speed 1 --db $IRCASE_DB" 2>/dev/null)
		if [ -n "$_pid" ] && tm list-sessions >/dev/null 2>&1; then
			echo "$_pid"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# check_gone NAME PID: PID exits within 2 seconds.
check_gone() {
	if [ -z "$2" ]; then
		not_ok "$1" "no replay process to watch"
		return
	fi
	_tries=0
	while kill -0 "$2" 2>/dev/null && [ $_tries -lt 20 ]; do
		sleep 0.1
		_tries=$((_tries + 1))
	done
	if kill -0 "$2" 2>/dev/null; then
		not_ok "$1" "process $2 still running after 2 s:" \
		    "$(ps -o pid,stat,args -p "$2" 2>/dev/null)"
		kill -9 "$2" 2>/dev/null
	else
		ok "$1"
	fi
}

# check_no_reports NAME: the replay wrote nothing to stderr (sanitizers).
check_no_reports() {
	if [ -s "$T/stderr" ]; then
		not_ok "$1" "stderr: $(head -c 2000 "$T/stderr")"
	else
		ok "$1"
	fi
}

replay_start
check_wait "replay drawn" "REPLAY"
pid=$(replay_pid)
check_match "replay process found" "^[0-9]+$" "$pid"
tm kill-session
check_gone "gone after its tmux session is killed" "$pid"
check_no_reports "no reports after the session is killed"
tui_stop

replay_start
check_wait "replay drawn again" "REPLAY"
pid=$(replay_pid)
kill -TERM "$pid"
check_gone "gone after SIGTERM" "$pid"
check "SIGTERM exit status" 143 "$(wait_exit 5)"
check_no_reports "no reports after SIGTERM"
tui_stop

replay_start
check_wait "replay drawn for SIGHUP" "REPLAY"
pid=$(replay_pid)
kill -HUP "$pid"
check_gone "gone after SIGHUP" "$pid"
check "SIGHUP exit status" 129 "$(wait_exit 5)"
tui_stop

# In its own session the pane's terminal is not its controlling
# terminal, so killing the pane sends no SIGHUP: the replay has to see
# the hang-up on standard input.
replay_start "setsid -w"
check_wait "replay drawn under setsid" "REPLAY"
pid=$(replay_pid)
tm kill-session
check_gone "gone when its terminal goes away" "$pid"
tui_stop
