# Helpers for the shell suites that sync against the fake TheHive
# (tests/fakehive/fakehive.py); source this file after lib.sh.
#
# It sets the sync's test settings (short backoff, few attempts, no
# proxy, no syslog), skips the whole suite when python3 is missing, and
# stops every fake it started at exit.

FAKE="$IRCASE_TOP/tests/fakehive/fakehive.py"
KEY=fake-key-$$-secret
export IRCASE_SYSLOG_FACILITY=off IRCASE_SYNC_BACKOFF_MS=20
export IRCASE_SYNC_ATTEMPTS=4 IRCASE_THEHIVE_ORG=SOC IRCASE_THEHIVE_TIMEOUT=5
unset https_proxy http_proxy all_proxy HTTPS_PROXY ALL_PROXY no_proxy NO_PROXY IRCASE_TRACE

if ! command -v python3 >/dev/null 2>&1; then
	skip "$(basename "$0" .sh) against the fake TheHive" "python3 is not installed"
	exit 0
fi

# fake_launch NAME [ARGS]: start a fake with ARGS; its URL goes to
# $T/NAME.url and $FAKE_URL, its process id to $FAKE_PID.
fake_launch() {
	_name=$1
	shift
	rm -f "$T/$_name.port"
	python3 "$FAKE" "$@" >"$T/$_name.port" &
	FAKE_PID=$!
	echo "$FAKE_PID" >>"$T/fake.pids"
	_i=0
	while [ ! -s "$T/$_name.port" ] && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
	FAKE_URL="http://127.0.0.1:$(awk '{print $2}' "$T/$_name.port")"
	echo "$FAKE_URL" >"$T/$_name.url"
}

# fake_start [ARGS]: start the suite's fake; sets URL and points the
# production target at it with $KEY.
fake_start() {
	fake_launch fake "$@"
	URL=$FAKE_URL
	export IRCASE_THEHIVE_URL="$URL" IRCASE_THEHIVE_KEY="$KEY"
}

# fake_stop: stop the fake fake_launch started last.
fake_stop() { kill "$FAKE_PID" 2>/dev/null; wait "$FAKE_PID" 2>/dev/null; }

fake_stop_all() {
	[ -f "$T/fake.pids" ] || return 0
	for _p in $(cat "$T/fake.pids"); do
		kill "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
}
trap 'fake_stop_all; rm -rf "$T"' EXIT

# fault JSON: queue a fault in the fake at $URL (see fakehive.py).
fault() { curl -s -X POST -d "$1" "$URL/_fake/fault" >/dev/null; }
