#!/bin/sh
# Eight processes append notes to one case at once: every note is stored,
# the chain is one valid sequence, and no "database is locked" reaches
# the user.
#
# WRITERS_ACTIONS sets the notes per process (25 here; 'make stress' runs
# 500, 4,000 in all).
. "$(dirname "$0")/../lib.sh"

per=${WRITERS_ACTIONS:-25}
writers=8
"$IRCASE" new --playbook "$IRCASE_TOP/playbooks/phishing.md" --title "Writers" >/dev/null
w=1
while [ $w -le $writers ]; do
	(
		k=1
		while [ $k -le "$per" ]; do
			"$IRCASE" note 1 "writer $w note $k" || echo "FAILED writer $w note $k"
			k=$((k + 1))
		done
	) >"$T/out-$w" 2>"$T/err-$w" &
	w=$((w + 1))
done
wait

check "no writer failed" "" "$(cat "$T"/out-*)"
check "no error reached the user" "" "$(cat "$T"/err-*)"
check "all $((writers * per)) notes are stored" "$((writers * per))" \
    "$(sqlite3 "$IRCASE_DB" "SELECT count(*) FROM action WHERE kind = 'note'")"
check "sequence numbers have no gaps" "$((writers * per + 1))" \
    "$(sqlite3 "$IRCASE_DB" 'SELECT count(DISTINCT seq) || "" FROM action WHERE case_id = 1 AND seq BETWEEN 1 AND (SELECT max(seq) FROM action)')"
"$IRCASE" verify 1 >/dev/null
check "one valid chain" 0 $?
check "integrity_check is ok" ok "$(sqlite3 "$IRCASE_DB" 'PRAGMA integrity_check')"
