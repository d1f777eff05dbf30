#!/bin/sh
# Signed checkpoints: ircase sign through a test ssh-agent, verify against
# allowed_signers files, the checkpoint that close adds, a chain edited
# after signing, verify --pack on a signed case, and no agent at all.
. "$(dirname "$0")/../lib.sh"

if ! command -v ssh-keygen >/dev/null || ! command -v ssh-agent >/dev/null; then
	skip "sign suite" "openssh-client is not installed"
	exit 0
fi

pb="$IRCASE_TOP/tests/data/cli/phishing.md"
q() { sqlite3 "$IRCASE_DB" "$1"; }
me=$(id -un)

# No agent and no key: sign fails, close succeeds unsigned.
"$IRCASE" new --playbook "$pb" --title "Unsigned" >/dev/null
"$IRCASE" sign 1 2>"$T/err"
check "sign without agent exit status" 1 "$?"
check_match "sign without agent says why" "^ircase: case 1 left unsigned: no ssh-agent" "$(cat "$T/err")"
check "sign without agent writes nothing" 0 "$(q "SELECT count(*) FROM action WHERE kind = 'chain.sign'")"
"$IRCASE" decide 1 not-incident --reason "test" >/dev/null
"$IRCASE" close 1 >"$T/out" 2>"$T/err"
check "close without agent exit status" 0 "$?"
check "close without agent closes" closed "$(q 'SELECT status FROM "case" WHERE id = 1')"
check "close without agent notice is one line" 1 "$(wc -l <"$T/err")"
check_match "close without agent notice" "case 1 left unsigned: no ssh-agent" "$(cat "$T/err")"

# A throwaway key in a throwaway agent.
ssh-keygen -q -t ed25519 -N '' -C "ircase test" -f "$T/key"
ssh-keygen -q -t ed25519 -N '' -C "someone else" -f "$T/other"
eval "$(ssh-agent -s)" >/dev/null
trap 'ssh-agent -k >/dev/null 2>&1; rm -rf "$T"' EXIT
ssh-add -q "$T/key" 2>/dev/null
echo "$me $(cat "$T/key.pub")" >"$T/allowed"
echo "$me $(cat "$T/other.pub")" >"$T/allowed_other"
fp=$(ssh-keygen -l -E sha256 -f "$T/key.pub" | cut -d' ' -f2)
# The fingerprint is base64, whose '+' and '/' must not act in a regex.
fp_re=$(printf '%s' "$fp" | sed 's/[+.]/\\&/g')

"$IRCASE" new --playbook "$pb" --title "Signed" >/dev/null
"$IRCASE" note 2 "before the checkpoint"
head=$(q 'SELECT head_hash FROM "case" WHERE id = 2')
out=$("$IRCASE" sign 2)
check "sign exit status" 0 "$?"
check_match "sign names head and key" "^case 2: signed head $(printf %.12s "$head")\.\.\. \(2 actions\) as $me with $fp_re$" "$out"
check "sign adds a chain.sign action" "3|chain.sign" "$(q "SELECT seq, kind FROM action WHERE case_id = 2 ORDER BY seq DESC LIMIT 1")"
text=$(q "SELECT json_extract(body, '$.checkpoint') FROM action WHERE case_id = 2 AND seq = 3")
uuid=$(q 'SELECT uuid FROM "case" WHERE id = 2')
check_match "checkpoint names the case" "^case-uuid: $uuid$" "$text"
check_match "checkpoint names the head" "^head: $head$" "$text"
check_match "checkpoint counts actions" "^actions: 2$" "$text"
check "checkpoint records the key" "$fp|$me" \
    "$(q "SELECT json_extract(body, '$.signer_fingerprint'), json_extract(body, '$.principal') FROM action WHERE case_id = 2 AND seq = 3")"
out=$("$IRCASE" sign 2)
check "sign twice exit status" 0 "$?"
check_match "sign twice says already signed" "^case 2: head .* is already signed by $fp_re; nothing added$" "$out"
check "sign twice adds no action" 3 "$(q "SELECT max(seq) FROM action WHERE case_id = 2")"

# The stored signature verifies with ssh-keygen alone.
q "SELECT json_extract(body, '$.signature') FROM action WHERE case_id = 2 AND seq = 3" >"$T/sig"
q "SELECT json_extract(body, '$.checkpoint') FROM action WHERE case_id = 2 AND seq = 3" | head -c -1 >"$T/msg"
ssh-keygen -Y verify -n ircase -f "$T/allowed" -I "$me" -s "$T/sig" <"$T/msg" >/dev/null 2>&1
check "ssh-keygen verifies the stored signature" 0 "$?"

out=$("$IRCASE" verify 2 --allowed-signers "$T/allowed")
check "verify good exit status" 0 "$?"
check_match "verify reports who signed which head" "^case 2: head $(printf %.12s "$head")\.\.\. \(2 actions\) signed by $me with $fp_re .*: good signature$" "$out"
out=$(IRCASE_ALLOWED_SIGNERS="$T/allowed" "$IRCASE" verify 2)
check_match "verify reads IRCASE_ALLOWED_SIGNERS" "good signature" "$out"
mkdir -p "$T/config/ircase"
printf 'signing:\n  allowed_signers: %s\n' "$T/allowed" >"$T/config/ircase/config.yaml"
out=$("$IRCASE" verify 2)
check_match "verify reads config.yaml" "good signature" "$out"
rm "$T/config/ircase/config.yaml"
out=$("$IRCASE" verify 2)
check "verify unchecked exit status" 0 "$?"
check_match "verify without allowed_signers says so" "signature not checked" "$out"

"$IRCASE" verify 2 --allowed-signers "$T/allowed_other" >/dev/null 2>"$T/err"
check "verify other key exit status" 3 "$?"
check_match "verify other key names the checkpoint" "^ircase: case 2: head .* signed by $me .*\(action seq 3\): ssh-keygen rejects the signature" "$(cat "$T/err")"
"$IRCASE" verify 2 --allowed-signers "$T/missing" 2>"$T/err"
check "verify missing allowed_signers exit status" 1 "$?"
check_match "verify missing allowed_signers named" "cannot read the allowed_signers file $T/missing" "$(cat "$T/err")"

# Closing signs the head that includes case.close.
"$IRCASE" decide 2 not-incident --reason "test" >/dev/null
"$IRCASE" close 2 2>"$T/err"
check "close with agent exit status" 0 "$?"
check "close with agent is quiet" "" "$(cat "$T/err")"
check "close signs after case.close" "case.close chain.sign" \
    "$(q "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM action WHERE case_id = 2 ORDER BY seq DESC LIMIT 2)" | awk '{print $2, $1}')"
out=$("$IRCASE" verify 2 --allowed-signers "$T/allowed")
check "verify after close exit status" 0 "$?"
check "verify reports both checkpoints" 2 "$(printf '%s\n' "$out" | grep -c 'good signature')"

# A signed case in an audit pack.
"$IRCASE" audit-pack --from 2000-01-01 --to 2099-12-31 "$T/pack" >/dev/null
out=$("$IRCASE" verify --pack "$T/pack" --allowed-signers "$T/allowed")
check "verify --pack signed exit status" 0 "$?"
check "verify --pack reports checkpoints" 2 "$(printf '%s\n' "$out" | grep -c 'cases/2/case.json: .*good signature')"
"$IRCASE" verify --pack "$T/pack" --allowed-signers "$T/allowed_other" >/dev/null 2>"$T/err"
check "verify --pack other key exit status" 3 "$?"
check_match "verify --pack names the checkpoint" "cases/2/case.json: checkpoint at action seq 3 signed by $me: ssh-keygen rejects" "$(cat "$T/err")"

# An action edited after signing, with the hashes recomputed so that the
# chain is consistent again: only the signed head shows it.
cp "$IRCASE_DB" "$T/orig.db"
python3 - "$IRCASE_DB" "$IRCASE_TOP" <<'EOF'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA foreign_keys=OFF")
for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'action'").fetchall():
    db.execute('DROP TRIGGER "%s"' % name)
db.execute("""UPDATE action SET body = '{"text":"rewritten"}' WHERE case_id = 2 AND seq = 2""")
uuid = db.execute('SELECT uuid FROM "case" WHERE id = 2').fetchone()[0]
def ns(b):
    return str(len(b)).encode() + b":" + b + b","
prev = "0" * 64
rows = db.execute("SELECT a.id, a.seq, coalesce(a.step_seq, 0), a.time_us, a.actor, a.origin, a.kind, a.body FROM action a WHERE a.case_id = 2 ORDER BY a.seq").fetchall()
for (aid, seq, step, t, actor, origin, kind, body) in rows:
    enc = b"".join(ns(x.encode()) for x in ["ircase-action-v1", prev, uuid, str(seq), str(step) if step else "", str(t), actor, origin, kind, body])
    h = hashlib.sha256(enc).hexdigest()
    db.execute("UPDATE action SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, aid))
    prev = h
db.execute('UPDATE "case" SET head_hash = ? WHERE id = 2', (prev,))
db.commit()
EOF
"$IRCASE" verify 2 --allowed-signers "$T/allowed" >"$T/out" 2>"$T/err"
check "rewritten chain exit status" 3 "$?"
check_match "rewritten chain passes the hash check" "^case 2: intact" "$(cat "$T/out")"
check_match "rewritten chain names the signed head" "\(action seq 3\): the signed head [0-9a-f]{12}\.\.\. is no longer action 2 of the chain" "$(cat "$T/err")"

# An action edited without recomputing anything.
cp "$T/orig.db" "$IRCASE_DB"
sqlite3 "$IRCASE_DB" "PRAGMA foreign_keys=OFF; DROP TRIGGER action_no_update; UPDATE action SET body = '{\"text\":\"edited\"}' WHERE case_id = 2 AND seq = 2;"
"$IRCASE" verify 2 --allowed-signers "$T/allowed" >/dev/null 2>"$T/err"
check "edited action exit status" 3 "$?"
check_match "edited action breaks the chain" "case 2: .*seq 2" "$(head -n 1 "$T/err")"
check_match "edited action loses the signed head" "\(action seq 3\): the signed head" "$(cat "$T/err")"

# IRCASE_SIGN_KEY names a key file; the agent is not needed.
cp "$T/orig.db" "$IRCASE_DB"
out=$(SSH_AUTH_SOCK= IRCASE_SIGN_KEY="$T/other" IRCASE_SIGN_PRINCIPAL=other@example.org "$IRCASE" sign 2)
check "sign with a key file exit status" 0 "$?"
check_match "sign with a key file names its principal" "as other@example.org with SHA256:" "$out"
echo "other@example.org $(cat "$T/other.pub")" >>"$T/allowed"
out=$("$IRCASE" verify 2 --allowed-signers "$T/allowed")
check "verify two signers exit status" 0 "$?"
check "verify two signers reports three" 3 "$(printf '%s\n' "$out" | grep -c 'good signature')"
SSH_AUTH_SOCK= IRCASE_SIGN_KEY="$T/nonexistent" "$IRCASE" sign 2 2>"$T/err"
check "sign with a missing key file exit status" 1 "$?"
check_match "sign with a missing key file names it" "IRCASE_SIGN_KEY $T/nonexistent is not a usable SSH key" "$(cat "$T/err")"

# Syslog facility from config.yaml; the environment still wins.
printf 'syslog:\n  facility: local9\n' >"$T/config/ircase/config.yaml"
"$IRCASE" verify 2 >/dev/null 2>"$T/err"
check "config bad facility stops verify" 1 "$?"
check_match "config bad facility named with its line" "config.yaml:2: invalid syslog facility 'local9'" "$(cat "$T/err")"
printf 'syslog:\n  facility: off\n' >"$T/config/ircase/config.yaml"
export IRCASE_TEST_SYSLOG="$T/syslog.txt"
"$IRCASE" note 2 "not logged"
check "config facility off sends nothing" no "$([ -s "$T/syslog.txt" ] && echo yes || echo no)"
IRCASE_SYSLOG_FACILITY=local5 "$IRCASE" note 2 "logged"
check "environment facility wins over config" 1 "$(wc -l <"$T/syslog.txt" 2>/dev/null || echo 0)"
unset IRCASE_TEST_SYSLOG
rm "$T/config/ircase/config.yaml"

echo "1..$_tap_n"
