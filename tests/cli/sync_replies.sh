#!/bin/sh
# ircase sync against replies that do not say what happened: a 2xx whose
# body carries no new id, a create slower than the timeout, a reply too
# large to read.  Each local object ends up exactly once in the fake.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_fake.sh"

PB="$IRCASE_TOP/playbooks/phishing.md"
fake_start --version 5.2 --key "$KEY=sync@soc"
# held KIND TEXT: how many objects of KIND in the fake hold TEXT.
held() {
	curl -s "$URL/_fake/state" | python3 -c "import json,sys
print(sum('$2' in json.dumps(o) for o in json.load(sys.stdin)['$1']))"
}
pending() { sqlite3 "$IRCASE_DB" "SELECT count(*) FROM outbox WHERE state != 'done'"; }

# fresh NAME: a database whose case is in the fake already.
fresh() {
	export IRCASE_DB="$T/$1.db"
	rm -f "$IRCASE_DB"*
	curl -s -X POST "$URL/_fake/reset" >/dev/null
	"$IRCASE" new --playbook "$PB" --title "Replies $1" >/dev/null
	"$IRCASE" sync >/dev/null 2>&1
}

# One pass with a single attempt leaves the row pending with the error;
# the next pass finds or sends it once.
for spec in '"{not json"' '""' '"[]"' '"null"' '"{}"' \
    '"<html><body>Log in</body></html>"'; do
	for commit in false true; do
		n=$((${n:-0} + 1))
		# log creation
		fresh "log$n"
		"$IRCASE" note 1 "NOTE-$n" >/dev/null
		fault "{\"method\":\"POST\",\"path\":\"/api/v1/task/.*/log\",\"status\":200,\"content_type\":\"application/json\",\"commit\":$commit,\"body\":$spec}"
		out=$(IRCASE_SYNC_ATTEMPTS=1 "$IRCASE" sync 2>&1)
		check "log $spec commit=$commit: first pass fails" 1 $?
		check_no_match "log $spec commit=$commit: not reported sent" "0 failed, 0 pending" "$out"
		check_match "log $spec commit=$commit: pending with the error" \
		    "HTTP 200 with .*TheHive may have stored it" "$("$IRCASE" sync --status)"
		"$IRCASE" sync >/dev/null 2>&1
		check "log $spec commit=$commit: one copy" 1 "$(held logs "NOTE-$n")"
		check "log $spec commit=$commit: outbox empty" 0 "$(pending)"
		# observable creation
		fresh "obs$n"
		"$IRCASE" observable add 1 domain "obs$n.example.org" >/dev/null
		fault "{\"method\":\"POST\",\"path\":\"/api/v1/case/.*/observable\",\"status\":200,\"content_type\":\"application/json\",\"commit\":$commit,\"body\":$spec}"
		IRCASE_SYNC_ATTEMPTS=1 "$IRCASE" sync >/dev/null 2>&1
		check "observable $spec commit=$commit: first pass fails" 1 $?
		check_match "observable $spec commit=$commit: pending with the error" \
		    "HTTP 200 with .*TheHive may have stored it" "$("$IRCASE" sync --status)"
		"$IRCASE" sync >/dev/null 2>&1
		check "observable $spec commit=$commit: one copy" 1 \
		    "$(held observables "obs$n.example.org")"
		check "observable $spec commit=$commit: outbox empty" 0 "$(pending)"
	done
done

# A case or task create answered 200 without an id: found, not doubled.
for path in /api/v1/case '/api/v1/case/.*/task'; do
	for body in '"{}"' '"<html>Log in</html>"'; do
		m=$((${m:-0} + 1))
		export IRCASE_DB="$T/create$m.db"
		rm -f "$IRCASE_DB"*
		curl -s -X POST "$URL/_fake/reset" >/dev/null
		"$IRCASE" new --playbook "$PB" --title "Create $m" >/dev/null
		fault "{\"method\":\"POST\",\"path\":\"$path\",\"status\":200,\"commit\":true,\"body\":$body}"
		"$IRCASE" sync >/dev/null 2>&1
		"$IRCASE" sync >/dev/null 2>&1
		check "create $path $body: one case" 1 "$(held cases "Create $m")"
		check "create $path $body: tasks once" "$(sqlite3 "$IRCASE_DB" \
		    "SELECT count(*) + 1 FROM step WHERE case_id = 1")" \
		    "$(curl -s "$URL/_fake/state" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['tasks']))")"
		check "create $path $body: outbox empty" 0 "$(pending)"
	done
done

# Within one pass the retry looks for the marker first: one copy.
fresh inpass
"$IRCASE" note 1 "NOTE-inpass" >/dev/null
fault '{"method":"POST","path":"/api/v1/task/.*/log","status":200,"commit":true,"body":"{}"}'
"$IRCASE" sync >/dev/null 2>&1
check "one pass: sync exits 0" 0 $?
check "one pass: one copy" 1 "$(held logs NOTE-inpass)"

# slow NAME FAULT: a log whose create meets FAULT with a 1 s timeout, then
# a pass after the server is done: exactly one copy.
slow() {
	fresh "$1"
	"$IRCASE" note 1 "NOTE-$1" >/dev/null
	fault "$2"
	IRCASE_THEHIVE_TIMEOUT=1 "$IRCASE" sync >/dev/null 2>&1
	sleep 3
	"$IRCASE" sync >/dev/null 2>&1
	check "$1: one copy" 1 "$(held logs "NOTE-$1")"
	check "$1: outbox empty" 0 "$(pending)"
}
# Stored at once, answered after the timeout: the marker search finds it.
slow commit-then-delay '{"method":"POST","path":"/api/v1/task/.*/log","delay_ms":3000,"commit_first":true}'
# Stored late, within twice the timeout: the retry waits one more timeout
# before the marker search.
slow delay-then-commit '{"method":"POST","path":"/api/v1/task/.*/log","delay_ms":1500,"commit":true}'

# A reply larger than the cap fails with its path, and nothing is lost.
fresh big
"$IRCASE" note 1 "NOTE-big" >/dev/null
fault '{"method":"POST","path":"/api/v1/task/.*/log","status":200,"commit":true,"body_bytes":17000000}'
out=$(IRCASE_SYNC_ATTEMPTS=1 "$IRCASE" sync 2>&1)
check "big reply: sync exits 1" 1 $?
check_match "big reply: reported with the path" \
    "POST /api/v1/task/[^ ]*/log: reply larger than 16777216 bytes" "$out"
"$IRCASE" sync >/dev/null 2>&1
check "big reply: one copy" 1 "$(held logs NOTE-big)"
check "big reply: outbox empty" 0 "$(pending)"
