#!/bin/sh
# A password in the TheHive URL (user:password@host) is masked wherever
# the URL is shown, as the proxy's is: thehive check, the missing-key
# error and the trace.  The port is a closed one on loopback.
. "$(dirname "$0")/../lib.sh"

url="http://bob:UrlPass_777@127.0.0.1:9"

IRCASE_THEHIVE_URL=$url IRCASE_THEHIVE_KEY=k IRCASE_TRACE="$T/trace" \
    timeout 10 "$IRCASE" thehive check >"$T/out" 2>&1
check_match "check shows the masked URL" "^url +http://\*\*\*@127\.0\.0\.1:9$" \
    "$(cat "$T/out")"
check_no_match "check hides the password" "UrlPass_777" "$(cat "$T/out")"
check_no_match "trace hides the password" "UrlPass_777" \
    "$(cat "$T/trace" 2>/dev/null)"

IRCASE_THEHIVE_URL=$url timeout 10 "$IRCASE" thehive check >"$T/out" 2>&1
check_match "missing-key error names the masked URL" \
    "target at http://\*\*\*@127\.0\.0\.1:9;" "$(cat "$T/out")"
check_no_match "missing-key error hides the password" "UrlPass_777" \
    "$(cat "$T/out")"

# An '@' in the password is masked too; one in the path is not userinfo.
IRCASE_THEHIVE_URL="http://bob:Url@Pass_777@127.0.0.1:9/th@ive" \
    IRCASE_THEHIVE_KEY=k timeout 10 "$IRCASE" thehive check >"$T/out" 2>&1
check_match "an @ in the password is masked" \
    "^url +http://\*\*\*@127\.0\.0\.1:9/th@ive$" "$(cat "$T/out")"

echo "1..$_tap_n"
