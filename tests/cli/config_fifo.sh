#!/bin/sh
# A config file that is a FIFO is rejected at once instead of blocking
# every command that reads it: the general settings and TheHive's.
. "$(dirname "$0")/../lib.sh"

"$IRCASE" new --playbook "$IRCASE_TOP/playbooks/phishing.md" \
    --title "Fifo case" >/dev/null
mkdir -p "$XDG_CONFIG_HOME/ircase"
mkfifo "$XDG_CONFIG_HOME/ircase/config.yaml"

timeout 5 "$IRCASE" show 1 >/dev/null 2>"$T/err"
rc=$?
check_no_match "show with a FIFO config does not hang" "^124$" "$rc"
check_match "show names the FIFO" "config.yaml is not a regular file" \
    "$(cat "$T/err")"

timeout 5 "$IRCASE" thehive check >/dev/null 2>"$T/err"
rc=$?
check_no_match "thehive check does not hang" "^124$" "$rc"
check_match "thehive check names the FIFO" \
    "config.yaml is not a regular file" "$(cat "$T/err")"

mkfifo "$T/key"
chmod 600 "$T/key"
IRCASE_THEHIVE_URL=http://127.0.0.1:9 IRCASE_THEHIVE_KEY_FILE="$T/key" \
    timeout 5 "$IRCASE" thehive check >/dev/null 2>"$T/err"
rc=$?
check_no_match "a FIFO key file does not hang" "^124$" "$rc"

echo "1..$_tap_n"
