#!/bin/sh
# A TheHive key file path that is not a regular file is rejected for its
# type before its mode: advice to chmod a folder would not help.
. "$(dirname "$0")/../lib.sh"

mkdir -m 755 "$T/keys"
IRCASE_THEHIVE_URL=http://127.0.0.1:9 IRCASE_THEHIVE_KEY_FILE="$T/keys" \
    "$IRCASE" thehive check >/dev/null 2>"$T/err"
check "key file folder exits 1" 1 "$?"
check_match "key file folder is named a directory" \
    "key file $T/keys is a directory, not a key file" "$(cat "$T/err")"
check_no_match "key file folder gets no chmod advice" "chmod" \
    "$(cat "$T/err")"

cd "$T/keys" || exit 1
IRCASE_THEHIVE_URL=http://127.0.0.1:9 IRCASE_THEHIVE_KEY_FILE=. \
    "$IRCASE" thehive check >/dev/null 2>"$T/err"
check_match "key file . is named a directory" \
    "key file \. is a directory" "$(cat "$T/err")"
cd "$T" || exit 1

printf 'secret\n' >"$T/key"
chmod 644 "$T/key"
IRCASE_THEHIVE_URL=http://127.0.0.1:9 IRCASE_THEHIVE_KEY_FILE="$T/key" \
    "$IRCASE" thehive check >/dev/null 2>"$T/err"
check_match "readable key file still gets chmod advice" \
    "chmod 600 $T/key" "$(cat "$T/err")"

echo "1..$_tap_n"
