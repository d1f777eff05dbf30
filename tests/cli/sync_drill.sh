#!/bin/sh
# ircase sync with drill cases and no drill target: drills are skipped
# cleanly (exit 0, not pending, not in --dry-run) and never reach the
# production TheHive.  Also: --status states the chain head of every case.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_fake.sh"

PB="$IRCASE_TOP/playbooks/phishing.md"
unset IRCASE_THEHIVE_DRILL_URL IRCASE_THEHIVE_DRILL_KEY

fake_launch production --version 5.2 --key "$KEY=sync@soc"
fake_launch drill --version 5.2 --key "$KEY=sync@soc"
PROD=$(cat "$T/production.url")
DRILL=$(cat "$T/drill.url")
export IRCASE_THEHIVE_URL="$PROD" IRCASE_THEHIVE_KEY="$KEY"
q() { sqlite3 "$IRCASE_DB" "$1"; }
# titles URL: the titles of the cases a fake holds.
titles() {
	curl -s "$1/_fake/state" | python3 -c "import json,sys
print(' '.join(c['title'] for c in json.load(sys.stdin)['cases']))"
}
# mentions URL TEXT: how many requests a fake received that contain TEXT.
mentions() {
	curl -s "$1/_fake/state" | python3 -c "import json,sys
print(sum('$2' in json.dumps(r) for r in json.load(sys.stdin)['requests']))"
}

"$IRCASE" drill start --playbook "$PB" --title "Tabletop drill" >/dev/null
"$IRCASE" new --playbook "$PB" --title "Real incident" >/dev/null
"$IRCASE" note 1 "drill note" >/dev/null
drill_uuid=$(q "SELECT uuid FROM \"case\" WHERE id = 1")

# --- status before any sync: every case states its chain head ------------
"$IRCASE" sync --status >"$T/status" 2>&1
check "status before sync exits 0" 0 $?
check_match "status: drill not synced" \
    "^case 1 \\(drill\\): not synced \\(no drill target\\)$" "$(cat "$T/status")"
check_no_match "status: drill not pending" "case 1 \\(drill\\).*pending" "$(cat "$T/status")"
check_match "status: real case pending" "^case 2 \\(production\\): not in TheHive yet, [1-9][0-9]* pending" "$(cat "$T/status")"
check "status before sync: a head line per case" 2 \
    "$(grep -c '^  TheHive holds no chain head yet; the local head is ' "$T/status")"

# --- dry run: drill actions are not counted -------------------------------
real_rows=$(q "SELECT count(*) FROM outbox WHERE case_id = 2 AND state != 'done'")
"$IRCASE" sync --dry-run >"$T/dry" 2>&1
check "dry run exits 0" 0 $?
check_no_match "dry run: no drill action" "^case 1 " "$(cat "$T/dry")"
check_match "dry run: only real actions counted" "^$real_rows actions? would be sent$" "$(cat "$T/dry")"

# --- sync: exit 0, drills skipped, nothing of them in production ----------
"$IRCASE" sync >"$T/out" 2>"$T/err"
check "sync with drills exits 0" 0 $?
check_no_match "sync: no failure message" "not sent" "$(cat "$T/err")"
check_match "sync: nothing pending" " 0 failed, 0 pending" "$(cat "$T/out")"
check_match "sync: drill skip said" "^1 drill case not synced: no drill target is configured" "$(cat "$T/out")"
check "production holds only the real case" "Real incident" "$(titles "$PROD")"
check "production got no drill request" 0 "$(mentions "$PROD" "$drill_uuid")"
check "drill rows left waiting" "$(q "SELECT count(*) FROM outbox WHERE case_id = 1")" \
    "$(q "SELECT count(*) FROM outbox WHERE case_id = 1 AND state = 'pending'")"
"$IRCASE" sync 1 >"$T/out" 2>&1
check "sync of the drill alone exits 0" 0 $?
"$IRCASE" sync -q >"$T/out" 2>&1
check "quiet sync exits 0" 0 $?
check "quiet sync prints nothing" "" "$(cat "$T/out")"
check "production still got no drill request" 0 "$(mentions "$PROD" "$drill_uuid")"

# --- status after the sync: the real case holds the current head ---------
"$IRCASE" sync --status >"$T/status" 2>&1
check_match "status: real head current" "^  TheHive holds the current chain head [0-9a-f]{12}$" "$(cat "$T/status")"
check_match "status: drill still not synced" "^case 1 \\(drill\\): not synced \\(no drill target\\)$" "$(cat "$T/status")"
"$IRCASE" note 2 "after the sync" >/dev/null
pushed=$(q "SELECT substr(pushed_head, 1, 12) FROM sync_case WHERE case_id = 2")
head=$(q "SELECT substr(head_hash, 1, 12) FROM \"case\" WHERE id = 2")
check_match "status: real head differs" \
    "^  TheHive holds chain head $pushed; the local head is $head \\(changed since the last sync\\)$" \
    "$("$IRCASE" sync --status 2)"
check "status: a head line per case" 2 \
    "$("$IRCASE" sync --status | grep -c '^  TheHive holds ')"

# --- with a drill target the drill goes there, and only there -------------
IRCASE_THEHIVE_DRILL_URL="$DRILL" IRCASE_THEHIVE_DRILL_KEY="$KEY" "$IRCASE" sync >"$T/out" 2>&1
check "sync with a drill target exits 0" 0 $?
check "drill target holds the drill" "Tabletop drill" "$(titles "$DRILL")"
check "production still holds only the real case" "Real incident" "$(titles "$PROD")"
check "production never got a drill request" 0 "$(mentions "$PROD" "$drill_uuid")"
IRCASE_THEHIVE_DRILL_URL="$DRILL" "$IRCASE" sync --status 1 >"$T/status" 2>&1
check_match "status with a drill target: drill in TheHive" \
    "^case 1 \\(drill\\): TheHive case #1 \\(~[0-9]+\\), 0 pending, 0 failed" "$(cat "$T/status")"
check "status with a drill target: drill head current" 1 \
    "$(grep -c '^  TheHive holds the current chain head ' "$T/status")"
