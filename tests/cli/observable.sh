#!/bin/sh
# ircase observable: add with per-type checks, TLP, IOC and tags; list in
# text and JSON; the rows and actions written and each failure's status.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "Observables" >/dev/null

out=$("$IRCASE" observable add 1 domain "Login.Example-Bank.COM." --tlp red \
    --ioc --tag phishing --tag lookalike)
check "add prints the number" "1" "$out"
check "add stores the normalised value" \
    "domain|login.example-bank.com|red|1|[\"phishing\",\"lookalike\"]" \
    "$(sqlite3 "$IRCASE_DB" "SELECT type, value, tlp, ioc, tags FROM observable")"
check "add writes an observable.add action" "1|login.example-bank.com" \
    "$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.observable'),
	json_extract(body, '$.value') FROM action WHERE kind = 'observable.add'")"

"$IRCASE" observable add 1 ip 2001:DB8::1 >/dev/null
"$IRCASE" observable add 1 hash D41D8CD98F00B204E9800998ECF8427E --tlp white >/dev/null
"$IRCASE" observable add 1 mail "ceo@Example-Bank.com" >/dev/null
"$IRCASE" observable add 1 url "https://login.example-bank.com/?u=1" >/dev/null
"$IRCASE" observable add 1 user-agent "Mozilla/5.0 (Windows NT 10.0)" >/dev/null
"$IRCASE" observable add 1 filename "invoice.pdf.exe" >/dev/null
"$IRCASE" observable add 1 other "wire transfer request" >/dev/null
check "one row per type" "8" \
    "$(sqlite3 "$IRCASE_DB" "SELECT count(DISTINCT type) FROM observable")"
check "ip stored as inet_ntop writes it" "2001:db8::1" \
    "$(sqlite3 "$IRCASE_DB" "SELECT value FROM observable WHERE type = 'ip'")"
check "white is stored as clear" "clear" \
    "$(sqlite3 "$IRCASE_DB" "SELECT tlp FROM observable WHERE type = 'hash'")"
check "tlp defaults to amber" "amber" \
    "$(sqlite3 "$IRCASE_DB" "SELECT tlp FROM observable WHERE type = 'mail'")"

sum=$(db_sum)
"$IRCASE" observable add 1 ip 192.0.2.300 2>"$T/err"
check "invalid ip fails" 2 $?
check_match "the message names the value" "invalid ip '192.0.2.300'" "$(cat "$T/err")"
"$IRCASE" observable add 1 hash abc 2>"$T/err"
check "short hash fails" 2 $?
"$IRCASE" observable add 1 domain localhost 2>/dev/null
check "one-label domain fails" 2 $?
"$IRCASE" observable add 1 url "example.org/x" 2>/dev/null
check "url without a scheme fails" 2 $?
"$IRCASE" observable add 1 domain login.example-bank.com 2>"$T/err"
check "a repeated value fails" 1 $?
check_match "the message names the first number" "as observable 1" "$(cat "$T/err")"
"$IRCASE" observable add 1 ip 192.0.2.1 --tlp purple 2>"$T/err"
check "invalid TLP fails" 2 $?
"$IRCASE" observable add 1 ipv4 192.0.2.1 2>"$T/err"
check "unknown type is a usage error" 2 $?
check_match "the message lists the types" "use ip, domain, url" "$(cat "$T/err")"
"$IRCASE" observable add 1 ip 2>/dev/null
check "missing value is a usage error" 2 $?
"$IRCASE" observable list 1 --ioc 2>/dev/null
check "list rejects --ioc" 2 $?
"$IRCASE" observable add 9 ip 192.0.2.1 2>"$T/err"
check "missing case fails" 1 $?
check "failed adds change nothing" "$sum" "$(db_sum)"

out=$("$IRCASE" observable list 1)
check_match "list has a header" "^ +OBS +TYPE +TLP +IOC +VALUE" "$out"
check_match "list shows tags" "^ +1 +domain +red +yes +login.example-bank.com +\[phishing, lookalike\]$" "$out"
out=$("$IRCASE" observable list 1 --json | jq -r '.[1].value')
check "list --json" "2001:db8::1" "$out"

esc=$(printf '\033')
"$IRCASE" observable add 1 other "x${esc}[2Jy" >/dev/null
check "list never prints a raw ESC" 0 "$("$IRCASE" observable list 1 | grep -c "$esc")"

"$IRCASE" verify 1 >/dev/null
check "the chain still verifies" 0 $?

echo "1..$_tap_n"
