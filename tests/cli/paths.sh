#!/bin/sh
# Where the database goes: --db, then $IRCASE_DB, then $XDG_DATA_HOME, then
# ~/.local/share; created with mode 0600 in a folder of mode 0700.
. "$(dirname "$0")/../lib.sh"

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
umask 022

# XDG_DATA_HOME, with the ircase folder missing.
unset IRCASE_DB
out=$("$IRCASE" new --playbook "$pb" --title "xdg")
check "xdg new exit status" 0 "$?"
check "xdg new number" 1 "$out"
db="$XDG_DATA_HOME/ircase/ircase.db"
check "xdg database created" yes "$([ -f "$db" ] && echo yes)"
check "xdg database mode" 600 "$(stat -c %a "$db")"
check "xdg folder mode" 700 "$(stat -c %a "$XDG_DATA_HOME/ircase")"
check "xdg database holds the case" xdg \
    "$(sqlite3 "$db" 'SELECT title FROM "case"')"

# HOME fallback when XDG_DATA_HOME is unset.
home="$T/home"
mkdir "$home"
out=$(env -u XDG_DATA_HOME HOME="$home" "$IRCASE" new --playbook "$pb" \
    --title "home")
check "home new exit status" 0 "$?"
db="$home/.local/share/ircase/ircase.db"
check "home database created" yes "$([ -f "$db" ] && echo yes)"
check "home database mode" 600 "$(stat -c %a "$db")"
check "home folder mode" 700 "$(stat -c %a "$home/.local/share/ircase")"

# $IRCASE_DB wins over XDG, and --db wins over $IRCASE_DB.
IRCASE_DB="$T/env/cases.db" "$IRCASE" new --playbook "$pb" --title env \
    >/dev/null
check "env database created" env \
    "$(sqlite3 "$T/env/cases.db" 'SELECT title FROM "case"')"
check "env folder mode" 700 "$(stat -c %a "$T/env")"
IRCASE_DB="$T/env/cases.db" "$IRCASE" --db "$T/opt.db" new \
    --playbook "$pb" --title opt >/dev/null
check "db option wins" opt "$(sqlite3 "$T/opt.db" 'SELECT title FROM "case"')"
check "env database untouched" 1 \
    "$(sqlite3 "$T/env/cases.db" 'SELECT count(*) FROM "case"')"
check "opt database mode" 600 "$(stat -c %a "$T/opt.db")"

# An existing folder keeps its mode.
mkdir -m 755 "$T/shared"
"$IRCASE" --db "$T/shared/team.db" new --playbook "$pb" --title team \
    >/dev/null
check "existing folder mode kept" 755 "$(stat -c %a "$T/shared")"
check "database in existing folder mode" 600 \
    "$(stat -c %a "$T/shared/team.db")"

# A database path that cannot be created gives one line naming it.
touch "$T/file"
"$IRCASE" --db "$T/file/sub/x.db" new --playbook "$pb" --title t \
    >"$T/out" 2>"$T/err"
check "uncreatable path exit status" 1 "$?"
check "uncreatable path one line" 1 "$(wc -l <"$T/err")"
check_match "uncreatable path names it" "$T/file" "$(cat "$T/err")"

echo "1..$_tap_n"
