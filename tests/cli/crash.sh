#!/bin/sh
# Nothing lost: kill -9 the CLI at random moments while it appends notes,
# then check that every note it reported as written is in the database,
# that the chain verifies and that SQLite's integrity check passes.
#
# CRASH_ROUNDS sets the number of kills (30 here; 'make stress' runs 200).
. "$(dirname "$0")/../lib.sh"

rounds=${CRASH_ROUNDS:-30}
"$IRCASE" new --playbook "$IRCASE_TOP/playbooks/phishing.md" --title "Crash" >/dev/null
: >"$T/written"
i=0
while [ $i -lt "$rounds" ]; do
	sh -c '
		k=0
		while :; do
			k=$((k + 1))
			if "$IRCASE" note 1 "round '$i' note $k" --step $((k % 5 + 1)) 2>>"'"$T"'/stderr"; then
				echo "round '$i' note $k" >>"'"$T"'/written"
			fi
		done' &
	pid=$!
	# 20 to 400 ms: sometimes before the first commit, sometimes mid-write.
	sleep "0.$(printf '%03d' $(( $(od -An -N2 -tu2 /dev/urandom) % 380 + 20 )))"
	# Stop the loop so it starts no new CLI, kill the CLI, then the loop.
	kill -STOP "$pid" 2>/dev/null
	pkill -9 -P "$pid" 2>/dev/null
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	i=$((i + 1))
done

crash_check_notes "$T/written" reported
written=$(wc -l <"$T/written")
if [ "$written" -gt 0 ]; then ok "some notes were written"; else not_ok "some notes were written"; fi
check_no_match "no 'database is locked' reached the user" "locked" "$(cat "$T/stderr" 2>/dev/null)"
