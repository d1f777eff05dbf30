#!/bin/sh
# ircase sync and the two-person rule: a task completed in TheHive never
# approves, or marks done, a step that needs approval, whether the sync
# account itself or another TheHive user completed it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib_fake.sh"

# The sync key belongs to "analyst", and "bob" is another TheHive user.
fake_start --version 5.2 --key "$KEY=analyst" --key "bob-key=bob"
q() { sqlite3 "$IRCASE_DB" "$1"; }
# complete KEY STEP: set the task of step STEP of case 1 to Completed.
complete() {
	task=$(q "SELECT remote_id FROM remote_map m JOIN step s ON s.id = m.local_id WHERE m.kind = 'task' AND s.case_id = 1 AND s.seq = $2")
	curl -s -X PATCH -H "Authorization: Bearer $1" \
	    -H "Content-Type: application/json" -d '{"status":"Completed"}' \
	    "$URL/api/v1/task/$task" >/dev/null
}
task_status() {
	task=$(q "SELECT remote_id FROM remote_map m JOIN step s ON s.id = m.local_id WHERE m.kind = 'task' AND s.case_id = 1 AND s.seq = $1")
	curl -s "$URL/_fake/state" | python3 -c "import json,sys
print([t['status'] for t in json.load(sys.stdin)['tasks'] if t['_id'] == '$task'][0])"
}

cat >"$T/approve.md" <<'MD'
---
title: Approval sync test
---
## Contain
- [ ] Isolate the host
- [ ] Wipe the host (approval)
- [ ] Restore from backup (approval)
MD
export IRCASE_TEST_LOGIN=alice
"$IRCASE" new --playbook "$T/approve.md" --title "Approval over sync" >/dev/null
"$IRCASE" step 1 2 done >/dev/null
check "request: step awaits approval" "active|alice" \
    "$(q "SELECT state, approval_requested_by FROM step WHERE case_id = 1 AND seq = 2")"
"$IRCASE" sync >"$T/out" 2>&1
check "first sync exits 0" 0 $?

# The sync account completes the awaiting step in TheHive.
complete "$KEY" 2
"$IRCASE" sync >"$T/out" 2>&1
check "own key: sync exits 0" 0 $?
check "own key: step still awaits approval" "active|alice" \
    "$(q "SELECT state, approval_requested_by FROM step WHERE case_id = 1 AND seq = 2")"
check "own key: no approval recorded" 0 \
    "$(q "SELECT count(*) FROM action WHERE kind = 'step.approve'")"
check "own key: no state change recorded" 0 \
    "$(q "SELECT count(*) FROM action WHERE kind = 'step.state' AND actor LIKE 'thehive:%'")"
check "own key: conflict recorded" "thehive:analyst|2|active|Completed|alice|1" \
    "$(q "SELECT actor, json_extract(body, '\$.step'), json_extract(body, '\$.local'), json_extract(body, '\$.thehive'), json_extract(body, '\$.requested_by'), json_extract(body, '\$.sync_account') FROM action WHERE kind = 'sync.conflict'")"
check_match "own key: conflict shown" "1 conflict" "$("$IRCASE" sync --status)"
check_match "own key: reason in show" "awaits approval requested by alice; a task completed in TheHive with the sync account's own API key does not approve it" \
    "$("$IRCASE" show 1)"
check_match "own key: show still awaits" "step 2 awaits approval \\(requested by alice\\)" "$("$IRCASE" show 1)"

# A pass after that records nothing new.
"$IRCASE" sync >"$T/out" 2>&1
check "own key: recorded once" 1 "$(q "SELECT count(*) FROM action WHERE kind = 'sync.conflict'")"

# Another TheHive user completes a step that needs approval and was never
# requested: it is not marked done and no request is made for anyone.
complete bob-key 3
"$IRCASE" sync >"$T/out" 2>&1
check "other user: sync exits 0" 0 $?
check "other user: step unchanged" "pending|" \
    "$(q "SELECT state, coalesce(approval_requested_by, '') FROM step WHERE case_id = 1 AND seq = 3")"
check "other user: no request recorded" 1 \
    "$(q "SELECT count(*) FROM action WHERE kind = 'step.approval_request'")"
check "other user: conflict recorded" "thehive:bob|3|0" \
    "$(q "SELECT actor, json_extract(body, '\$.step'), json_extract(body, '\$.sync_account') FROM action WHERE kind = 'sync.conflict' ORDER BY id DESC LIMIT 1")"
check_match "other user: conflicts shown" "2 conflicts" "$("$IRCASE" sync --status)"

# A step without approval still follows TheHive.
complete bob-key 1
"$IRCASE" sync >"$T/out" 2>&1
check "plain step: done from TheHive" "done|thehive:bob" \
    "$(q "SELECT s.state, a.actor FROM step s JOIN action a ON a.case_id = s.case_id AND a.step_seq = s.seq AND a.kind = 'step.state' WHERE s.case_id = 1 AND s.seq = 1")"

# The two-person rule still works here, and TheHive gets the outcome.
IRCASE_TEST_LOGIN=bob "$IRCASE" approve 1 2 >/dev/null
check "local approval: step done" "done" \
    "$(q "SELECT state FROM step WHERE case_id = 1 AND seq = 2")"
check "local approval: approved by bob" "alice|bob" \
    "$(q "SELECT json_extract(body, '\$.requested_by'), json_extract(body, '\$.approved_by') FROM action WHERE kind = 'step.approve'")"
"$IRCASE" sync >"$T/out" 2>&1
check "local approval: sync exits 0" 0 $?
check "local approval: task Completed" "Completed" "$(task_status 2)"

# An imported TheHive case whose task needing approval is already
# Completed: the step stays pending and nobody is recorded as requester.
api() {
	curl -s -H "Authorization: Bearer bob-key" \
	    -H "Content-Type: application/json" "$@"
}
rcase=$(api -d '{"title":"Made in TheHive","description":"d"}' "$URL/api/v1/case" |
    python3 -c "import json,sys; c=json.load(sys.stdin); print(c['_id'], c['number'])")
api -d '{"title":"Wipe the host (approval)","group":"Contain","status":"Completed"}' \
    "$URL/api/v1/case/${rcase% *}/task" >/dev/null
"$IRCASE" sync --import "${rcase#* }" >"$T/out" 2>&1
check "import: exits 0" 0 $?
n=$(q "SELECT max(id) FROM \"case\"")
check "import: step needs approval" "1" \
    "$(q "SELECT requires_approval FROM step WHERE case_id = $n AND seq = 1")"
check "import: step left pending" "pending|" \
    "$(q "SELECT state, coalesce(approval_requested_by, '') FROM step WHERE case_id = $n AND seq = 1")"
check "import: no request recorded" 0 \
    "$(q "SELECT count(*) FROM action WHERE case_id = $n AND kind IN ('step.approval_request', 'step.approve', 'step.state')")"
check "import: conflict recorded" "thehive:bob|Completed" \
    "$(q "SELECT actor, json_extract(body, '\$.thehive') FROM action WHERE case_id = $n AND kind = 'sync.conflict'")"
