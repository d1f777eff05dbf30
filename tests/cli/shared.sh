#!/bin/sh
# ircase init --shared: a database a group of responders shares, refused on
# a network filesystem; the SSH key fingerprint on actions; two writers on
# one step at once.
. "$(dirname "$0")/../lib.sh"

# --- init --shared: modes and group ---------------------------------------
out=$("$IRCASE" init --shared "$T/team" 2>&1)
check "init --shared exits 0" 0 $?
check "folder is setgid and group-only" 2770 "$(stat -c %a "$T/team")"
check "database is mode 0660" 660 "$(stat -c %a "$T/team/ircase.db")"
check_match "init prints the environment line" "export IRCASE_DB='$T/team/ircase.db'" "$out"
check "database is in WAL mode" wal "$(sqlite3 "$T/team/ircase.db" 'PRAGMA journal_mode')"

out=$("$IRCASE" init --shared "$T/x" --group no-such-group-ircase 2>&1)
check "unknown group exits 1" 1 $?
check_match "unknown group is named" "no group 'no-such-group-ircase'" "$out"
out=$("$IRCASE" init --group wheel 2>&1)
check "--group without --shared is a usage error" 2 $?

# --- network filesystems are refused --------------------------------------
for fs in 6969:NFS ff534d42:CIFS fe534d42:SMB2 517b:SMB; do
	out=$(IRCASE_TEST_FSTYPE=${fs%%:*} "$IRCASE" init --shared "$T/nfs-${fs#*:}" 2>&1)
	rc=$?
	check "${fs#*:} is refused" 1 "$rc"
	check_match "${fs#*:} refusal names the reason" "network filesystem \(${fs#*:}\).*WAL" "$out"
done
check "nothing was created on the refused filesystem" no "$(test -e "$T/nfs-NFS" && echo yes || echo no)"
out=$(IRCASE_TEST_FSTYPE=6969 "$IRCASE" --db "$T/team/ircase.db" list 2>&1)
check "opening a database on NFS exits 1" 1 $?
check_match "opening a database on NFS says why" "network filesystem \(NFS\)" "$out"
IRCASE_TEST_FSTYPE=ef53 "$IRCASE" --db "$T/ext4.db" init >/dev/null 2>&1
check "ext4 is accepted" 0 $?

# --- two users of one group share it --------------------------------------
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	skip "two users share the database" "needs root and setpriv"
else
	pub=$(mktemp -d /tmp/ircase-shared.XXXXXX)
	chmod 711 "$pub"
	"$IRCASE" init --shared "$pub/team" --group 60100 >/dev/null
	chown 60001 "$pub/team/ircase.db"
	as() { u=$1; shift; setpriv --reuid "$u" --regid "$u" --groups 60100 \
	    --inh-caps=-all env IRCASE_DB="$pub/team/ircase.db" HOME="$pub" \
	    XDG_CONFIG_HOME="$pub/config" XDG_STATE_HOME="$pub/state" \
	    IRCASE_SYSLOG_FACILITY=off "$IRCASE" "$@"; }
	as 60001 new --playbook "$IRCASE_TOP/playbooks/phishing.md" --title "Shared" >/dev/null 2>"$T/err"
	check "first user opens a case" "" "$(cat "$T/err")"
	# Keep a reader connected so the -wal and -shm files stay in place.
	(setpriv --reuid 60001 --regid 60001 --groups 60100 --inh-caps=-all \
	    sh -c "(echo 'SELECT count(*) FROM action;'; sleep 3) | sqlite3 '$pub/team/ircase.db'" >/dev/null 2>&1 &)
	sleep 0.5
	as 60001 note 1 "from the first user" 2>"$T/err"
	check "first user writes while the file is open" "" "$(cat "$T/err")"
	check_match "-shm is group-writable" "^-rw-rw----" "$(ls -l "$pub/team/ircase.db-shm" 2>&1)"
	as 60002 note 1 "from the second user" 2>"$T/err"
	check "second user of the group writes" "" "$(cat "$T/err")"
	out=$(setpriv --reuid 60003 --regid 60003 --clear-groups --inh-caps=-all \
	    env IRCASE_DB="$pub/team/ircase.db" "$IRCASE" list 2>&1)
	check_match "a user outside the group cannot read it" "ircase: .*(denied|unable to open|cannot)" "$out"
	check "both notes are in the chain" 2 "$(sqlite3 "$pub/team/ircase.db" "SELECT count(*) FROM action WHERE kind = 'note'")"
	sleep 3
	rm -rf "$pub"
fi

# --- SSH key fingerprint ---------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C test -f "$T/key" >/dev/null
want=$(ssh-keygen -l -E sha256 -f "$T/key.pub" | cut -d' ' -f2)
printf 'keyboard-interactive\npublickey %s\n' "$(cut -d' ' -f1,2 "$T/key.pub")" >"$T/auth"
"$IRCASE" new --playbook "$IRCASE_TOP/playbooks/phishing.md" --title "Keyed" >/dev/null
SSH_USER_AUTH="$T/auth" "$IRCASE" note 1 "signed in with a key"
got=$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.key_fingerprint') FROM action WHERE kind = 'note'")
check "fingerprint matches ssh-keygen" "$want" "$got"
check "an ordinary action has no clock_went_back_us" "" \
    "$(sqlite3 "$IRCASE_DB" "SELECT json_extract(body, '$.clock_went_back_us') FROM action WHERE kind = 'note'")"
"$IRCASE" verify 1 >/dev/null
check "chain with a fingerprint verifies" 0 $?
sqlite3 "$IRCASE_DB" "PRAGMA foreign_keys=OFF; DROP TRIGGER action_no_update;
    UPDATE action SET body = replace(body, '$want', 'SHA256:forged') WHERE kind = 'note'"
"$IRCASE" verify 1 >/dev/null 2>&1
check "changing the fingerprint breaks the chain" 3 $?

ssh-keygen -q -t rsa -b 2048 -N '' -f "$T/rsa" >/dev/null
want=$(ssh-keygen -l -E sha256 -f "$T/rsa.pub" | cut -d' ' -f2)
printf 'publickey %s\n' "$(cut -d' ' -f1,2 "$T/rsa.pub")" >"$T/auth"
"$IRCASE" --db "$T/rsa.db" new --playbook "$IRCASE_TOP/playbooks/phishing.md" --title R >/dev/null
SSH_USER_AUTH="$T/auth" "$IRCASE" --db "$T/rsa.db" note 1 "rsa"
check "RSA fingerprint matches ssh-keygen" "$want" \
    "$(sqlite3 "$T/rsa.db" "SELECT json_extract(body, '$.key_fingerprint') FROM action WHERE kind = 'note'")"
printf 'password\n' >"$T/auth"
SSH_USER_AUTH="$T/auth" "$IRCASE" --db "$T/rsa.db" note 1 "password login"
check "no fingerprint without a key" "" \
    "$(sqlite3 "$T/rsa.db" "SELECT json_extract(body, '$.key_fingerprint') FROM action WHERE body LIKE '%password login%'")"

# --- two responders change one step at the same moment --------------------
"$IRCASE" --db "$T/race.db" new --playbook "$IRCASE_TOP/playbooks/phishing.md" --title Race >/dev/null
i=0
while [ $i -lt 10 ]; do
	IRCASE_TEST_LOGIN=alice "$IRCASE" --db "$T/race.db" step 1 2 start 2>/dev/null &
	IRCASE_TEST_LOGIN=bob "$IRCASE" --db "$T/race.db" step 1 2 done 2>/dev/null &
	wait
	"$IRCASE" --db "$T/race.db" step 1 2 pending >/dev/null 2>&1
	i=$((i + 1))
done
last=$(sqlite3 "$T/race.db" "SELECT json_extract(body, '$.to') FROM action WHERE kind = 'step.state' AND step_seq = 2 ORDER BY seq DESC LIMIT 1")
check "step shows the state of the last action" "$last" \
    "$(sqlite3 "$T/race.db" "SELECT state FROM step WHERE case_id = 1 AND seq = 2")"
check "both responders' actions are kept" 2 \
    "$(sqlite3 "$T/race.db" "SELECT count(DISTINCT actor) FROM action WHERE kind = 'step.state' AND actor IN ('alice', 'bob')")"
# Each action's "from" is the "to" of the one before it: commit order.
check "every change starts from the state before it" 0 \
    "$(sqlite3 "$T/race.db" "SELECT count(*) FROM action a JOIN action b ON b.case_id = a.case_id AND b.seq = (SELECT max(seq) FROM action WHERE case_id = a.case_id AND seq < a.seq AND kind = 'step.state' AND step_seq = 2) WHERE a.kind = 'step.state' AND a.step_seq = 2 AND json_extract(a.body, '$.from') != json_extract(b.body, '$.to')")"
"$IRCASE" --db "$T/race.db" verify 1 >/dev/null
check "chain verifies after the race" 0 $?
out=$("$IRCASE" --db "$T/race.db" show 1)
check_match "show lists both responders on step 2" "alice.*step 2|step 2.*alice" "$out"
