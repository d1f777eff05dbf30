#!/bin/sh
# The syslog copy of the log (each committed action as one line) and
# verify --against, which compares a case with lines exported from a log
# platform.  The test build writes the lines to $IRCASE_TEST_SYSLOG
# instead of syslog(3).
. "$(dirname "$0")/../lib.sh"

export IRCASE_TEST_SYSLOG="$T/syslog.txt"
pb="$IRCASE_TOP/tests/data/cli/phishing.md"
"$IRCASE" new --playbook "$pb" --title "Logged" >/dev/null
"$IRCASE" note 1 "first"
"$IRCASE" step 1 2 start
"$IRCASE" new --playbook "$pb" --title "Other case" >/dev/null
check "one line per action" 4 "$(wc -l <"$T/syslog.txt")"
out=$(python3 - "$T/syslog.txt" "$IRCASE_DB" <<'EOF2'
import json, sqlite3, sys
lines = open(sys.argv[1], encoding="ascii").read().splitlines()
db = sqlite3.connect(sys.argv[2])
ok = True
for line in lines:
    tag, rest = line.split(": ", 1)
    word, obj = rest.split(" ", 1)
    d = json.loads(obj)
    ok = ok and word == "ircase-action" and list(d) == ["case", "uuid", "action", "seq", "time_us", "kind", "actor", "origin", "hash"]
    row = db.execute("SELECT id, kind, hash FROM action WHERE case_id = ? AND seq = ?", (d["case"], d["seq"])).fetchone()
    ok = ok and row == (d["action"], d["kind"], d["hash"])
print(ok)
EOF2
)
check "lines carry each action's fields" True "$out"

# A rolled-back write sends nothing: a note on a missing step fails.
"$IRCASE" note 1 "lost" --step 99 2>/dev/null
check "failed write not logged" 4 "$(wc -l <"$T/syslog.txt")"

out=$("$IRCASE" verify 1 --against "$T/syslog.txt")
check "against intact exit status" 0 "$?"
check_match "against intact" "case 1: matches syslog, 3 actions" "$out"

# The database rewritten whole: a consistent new chain, but syslog still
# holds the old hashes.
cp "$IRCASE_DB" "$T/orig.db"
# Flip the first hex digit; a fixed 'f' would change nothing one time in 16.
sqlite3 "$IRCASE_DB" "DROP TRIGGER action_no_update; UPDATE action SET hash = CASE substr(hash, 1, 1) WHEN 'f' THEN 'e' ELSE 'f' END || substr(hash, 2) WHERE case_id = 1 AND seq = 3;"
"$IRCASE" verify 1 --against "$T/syslog.txt" 2>"$T/err"
check "against rewritten exit status" 3 "$?"
check_match "against names the action" "action seq 3 \(id [0-9]+\) differs from syslog" "$(cat "$T/err")"

# An action appended without going through ircase is not in syslog.
cp "$T/orig.db" "$IRCASE_DB"
unset IRCASE_TEST_SYSLOG
IRCASE_SYSLOG_FACILITY=off "$IRCASE" note 1 "not logged"
"$IRCASE" verify 1 --against "$T/syslog.txt" 2>"$T/err"
check "against unlogged exit status" 3 "$?"
check_match "against names the unlogged action" "action seq 4 .* is not in the syslog copy" "$(cat "$T/err")"

# A removed action (the last one, with the head rewound) stays in syslog.
sqlite3 "$T/orig.db" "DROP TRIGGER action_no_delete; DELETE FROM action WHERE case_id = 1 AND seq = 3;"
"$IRCASE" --db "$T/orig.db" verify 1 --against "$T/syslog.txt" 2>"$T/err"
check "against removed exit status" 3 "$?"
check_match "against names the removed action" "syslog has action seq 3 .* that the database does not" "$(cat "$T/err")"

"$IRCASE" verify --against "$T/syslog.txt" 2>"$T/err"
check "against needs one case" 2 "$?"
"$IRCASE" verify 1 --against "$T/none.txt" 2>"$T/err"
check "against missing file" 1 "$?"

echo "1..$_tap_n"
