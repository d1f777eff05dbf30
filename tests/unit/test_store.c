/*
 * test_store.c: the database schema, the action chain and its checks.
 *
 * Tampering tests edit the database the way an attacker with write access
 * would: drop the append-only triggers, then change rows with plain SQL.
 */
#include <stdbool.h>
#include <unistd.h>
#include <sys/stat.h>

#include "unit.h"
#include "unit_db.h"

#include "action.h"
#include "case.h"
#include "db.h"
#include "mem.h"

struct fixture {
	char dir[64];
	char path[96];
	struct irc_db *db;
	struct irc_actor actor;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/ircase-unit.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	snprintf(f->actor.login, sizeof f->actor.login, "alice");
	snprintf(f->actor.origin, sizeof f->actor.origin, "192.0.2.7");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	irc_db_close(f->db);
	unit_db_remove(f->path, f->dir);
	free(f);
	return 0;
}

/* Builds a two-phase playbook in memory; freed with playbook_free_fake. */
static struct irc_playbook *
playbook_fake(void)
{
	static struct irc_pb_step respond[] = {
		{ .title = "Isolate the host", .body = "Pull the cable.", .line = 3 },
		{ .title = "Reset credentials", .body = "", .line = 4 },
		{ .title = "Block the sender", .body = "", .line = 5 },
	};
	static struct irc_pb_step learn[] = {
		{ .title = "Hold a review", .body = "", .line = 8 },
	};
	struct irc_playbook *pb = calloc(1, sizeof *pb);

	pb->path = "fake.md";
	pb->title = "Fake playbook";
	pb->text = "# Fake\n";
	pb->text_len = 7;
	/* The real SHA-256 of text: verify recomputes it. */
	snprintf(pb->sha256, sizeof pb->sha256, "%s",
	    "52368e0e1d1b9eb5af727ba1e9961403a32d12502465d79607c8405a9b1e5bf8");
	for (int p = 0; p < IRC_PHASE_COUNT; p++)
		pb->phases[p].phase = (enum irc_phase)p;
	pb->phases[IRC_PHASE_RESPOND].steps = respond;
	pb->phases[IRC_PHASE_RESPOND].nsteps = 3;
	pb->phases[IRC_PHASE_LEARN].steps = learn;
	pb->phases[IRC_PHASE_LEARN].nsteps = 1;
	return pb;
}

static int64_t
case_fake(struct fixture *f)
{
	struct irc_playbook *pb = playbook_fake();
	struct irc_error err;
	int64_t id = 0;

	assert_int_equal(irc_db_open(f->path, &f->db, &err), IRC_OK);
	assert_int_equal(irc_case_create(f->db, pb, "Phish at finance", 3,
	    &f->actor, &id, &err), IRC_OK);
	free(pb);
	return id;
}

static void
sql_exec(struct irc_db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(irc_db_handle(db), sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static void
migrate_from_empty(void **state)
{
	struct fixture *f = *state;
	struct irc_error err;
	struct stat sb;

	assert_int_equal(irc_db_open(f->path, &f->db, &err), IRC_OK);
	assert_int_equal(irc_db_schema_version(f->db), irc_db_schema_latest());
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM sqlite_master"
	    " WHERE name IN ('case', 'playbook_snapshot', 'step', 'action')"), 4);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'trigger' AND tbl_name = 'action'"), 2);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	/* Opening again applies nothing and records nothing new. */
	irc_db_close(f->db);
	assert_int_equal(irc_db_open(f->path, &f->db, &err), IRC_OK);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM schema_version"),
	    irc_db_schema_latest());
}

static void
pragmas_set(void **state)
{
	struct fixture *f = *state;
	struct irc_error err;
	sqlite3_stmt *stmt;

	assert_int_equal(irc_db_open(f->path, &f->db, &err), IRC_OK);
	assert_int_equal(sqlite3_prepare_v2(irc_db_handle(f->db),
	    "PRAGMA journal_mode", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	assert_int_equal(unit_sql_int(f->db, "PRAGMA synchronous"), 2);	/* FULL */
	assert_int_equal(unit_sql_int(f->db, "PRAGMA foreign_keys"), 1);
}

static void
newer_schema_rejected(void **state)
{
	struct fixture *f = *state;
	struct irc_error err;

	assert_int_equal(irc_db_open(f->path, &f->db, &err), IRC_OK);
	sql_exec(f->db, "INSERT INTO schema_version VALUES (999, 0)");
	irc_db_close(f->db);
	f->db = NULL;
	assert_int_equal(irc_db_open(f->path, &f->db, &err), IRC_ERR_SCHEMA);
	assert_non_null(strstr(err.msg, "999"));

	/* Read-only commands give the same advice: upgrade, not migrate. */
	assert_int_equal(irc_db_open_existing(f->path, &f->db, &err),
	    IRC_ERR_SCHEMA);
	assert_non_null(strstr(err.msg, "upgrade ircase"));
}

static void
case_create_stores_snapshot(void **state)
{
	struct fixture *f = *state;
	struct irc_case *c = NULL;
	struct irc_error err;
	int64_t id = case_fake(f);

	assert_int_equal(id, 1);
	assert_int_equal(irc_case_load(f->db, id, &c, &err), IRC_OK);
	assert_string_equal(c->sum.title, "Phish at finance");
	assert_int_equal(c->sum.severity, 3);
	assert_int_equal(c->nsteps, 4);
	assert_int_equal(c->steps[0].seq, 1);
	assert_int_equal(c->steps[0].phase, IRC_PHASE_RESPOND);
	assert_int_equal(c->steps[3].phase, IRC_PHASE_LEARN);
	assert_string_equal(c->steps[3].title, "Hold a review");
	assert_int_equal(c->nactions, 1);
	assert_string_equal(c->actions[0].kind, "case.open");
	assert_string_equal(c->actions[0].actor, "alice");
	assert_string_equal(c->actions[0].origin, "192.0.2.7");
	assert_string_equal(c->actions[0].prev_hash, IRC_CHAIN_GENESIS);
	assert_string_equal(c->head_hash, c->actions[0].hash);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM playbook_snapshot"
	    " WHERE CAST(text AS TEXT) = '# Fake' || char(10)"), 1);
	irc_case_free(c);
}

static void
case_create_rejects_bad_title(void **state)
{
	struct fixture *f = *state;
	struct irc_playbook *pb = playbook_fake();
	struct irc_error err;
	int64_t id = 0;

	assert_int_equal(irc_db_open(f->path, &f->db, &err), IRC_OK);
	assert_int_equal(irc_case_create(f->db, pb, "", 2, &f->actor, &id, &err),
	    IRC_ERR_INVALID);
	assert_int_equal(irc_case_create(f->db, pb, "bad \xff byte", 2,
	    &f->actor, &id, &err), IRC_ERR_INVALID);
	assert_int_equal(irc_case_create(f->db, pb, "ok", 5, &f->actor, &id,
	    &err), IRC_ERR_INVALID);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM \"case\""), 0);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM step"), 0);
	free(pb);
}

static void
append_links_chain(void **state)
{
	struct fixture *f = *state;
	struct irc_verify_result r;
	struct irc_case *c = NULL;
	struct irc_error err;
	int64_t id = case_fake(f);

	assert_int_equal(irc_case_step_set(f->db, id, 1, IRC_STEP_DONE, "ok",
	    &f->actor, &err), IRC_OK);
	assert_int_equal(irc_case_note(f->db, id, 2, "Z\xc3\xbcrich \x1b[2J",
	    &f->actor, &err), IRC_OK);
	assert_int_equal(irc_case_load(f->db, id, &c, &err), IRC_OK);
	assert_int_equal(c->nactions, 3);
	for (size_t i = 1; i < c->nactions; i++) {
		assert_string_equal(c->actions[i].prev_hash,
		    c->actions[i - 1].hash);
		assert_true(c->actions[i].time_us >= c->actions[i - 1].time_us);
		assert_int_equal(c->actions[i].seq, (int64_t)i + 1);
	}
	assert_string_equal(c->actions[1].kind, "step.state");
	assert_string_equal(c->actions[1].body,
	    "{\"from\":\"pending\",\"note\":\"ok\",\"step\":1,\"to\":\"done\"}");
	assert_int_equal(c->actions[2].step_seq, 2);
	assert_non_null(strstr(c->actions[2].body, "\\u001B[2J"));
	assert_int_equal(c->steps[0].state, IRC_STEP_DONE);
	assert_true(c->steps[0].done_at > 0);
	assert_string_equal(c->head_hash, c->actions[2].hash);

	assert_int_equal(irc_chain_verify(f->db, id, &r, &err), IRC_OK);
	assert_true(r.ok);
	assert_int_equal(r.checked, 3);
	assert_string_equal(r.head, c->head_hash);
	irc_case_free(c);
}

static void
step_set_same_state_rejected(void **state)
{
	struct fixture *f = *state;
	struct irc_error err;
	int64_t id = case_fake(f);

	assert_int_equal(irc_case_step_set(f->db, id, 1, IRC_STEP_PENDING, NULL,
	    &f->actor, &err), IRC_ERR_INVALID);
	assert_int_equal(irc_case_step_set(f->db, id, 99, IRC_STEP_DONE, NULL,
	    &f->actor, &err), IRC_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "step 99"));
	assert_int_equal(irc_case_note(f->db, 42, 0, "x", &f->actor, &err),
	    IRC_ERR_NOT_FOUND);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM action"), 1);
}

static void
triggers_reject_changes(void **state)
{
	struct fixture *f = *state;

	case_fake(f);
	assert_int_not_equal(sqlite3_exec(irc_db_handle(f->db),
	    "UPDATE action SET body = '{}'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(irc_db_handle(f->db),
	    "DELETE FROM action", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM action"), 1);
}

/* Builds a case with five actions and drops the triggers for tampering. */
static int64_t
case_tamperable(struct fixture *f)
{
	struct irc_error err;
	int64_t id = case_fake(f);

	for (int seq = 1; seq <= 3; seq++)
		assert_int_equal(irc_case_step_set(f->db, id, seq, IRC_STEP_DONE,
		    NULL, &f->actor, &err), IRC_OK);
	assert_int_equal(irc_case_note(f->db, id, 0, "closing soon", &f->actor,
	    &err), IRC_OK);
	/* Rows that refer to actions (outbox, records) would block removal. */
	sql_exec(f->db, "PRAGMA foreign_keys = OFF; DROP TRIGGER action_no_update;"
	    " DROP TRIGGER action_no_delete");
	return id;
}

static void
verify_detects_edit(void **state)
{
	struct fixture *f = *state;
	struct irc_verify_result r;
	struct irc_error err;
	int64_t id = case_tamperable(f);

	sql_exec(f->db, "UPDATE action SET body = replace(body, 'done',"
	    " 'skipped') WHERE seq = 3");
	assert_int_equal(irc_chain_verify(f->db, id, &r, &err), IRC_OK);
	assert_false(r.ok);
	assert_int_equal(r.bad_seq, 3);
	assert_non_null(strstr(r.reason, "content was changed"));
}

static void
verify_detects_delete(void **state)
{
	struct fixture *f = *state;
	struct irc_verify_result r;
	struct irc_error err;
	int64_t id = case_tamperable(f);

	sql_exec(f->db, "DELETE FROM action WHERE seq = 2");
	assert_int_equal(irc_chain_verify(f->db, id, &r, &err), IRC_OK);
	assert_false(r.ok);
	assert_int_equal(r.bad_seq, 3);
}

static void
verify_detects_last_delete(void **state)
{
	struct fixture *f = *state;
	struct irc_verify_result r;
	struct irc_error err;
	int64_t id = case_tamperable(f);

	sql_exec(f->db, "DELETE FROM action WHERE seq = 5");
	assert_int_equal(irc_chain_verify(f->db, id, &r, &err), IRC_OK);
	assert_false(r.ok);
	assert_non_null(strstr(r.reason, "records 5 actions but 4"));
}

static void
verify_detects_reorder(void **state)
{
	struct fixture *f = *state;
	struct irc_verify_result r;
	struct irc_error err;
	int64_t id = case_tamperable(f);

	/* Swap the sequence numbers of actions 2 and 3. */
	sql_exec(f->db, "UPDATE action SET seq = -2 WHERE seq = 2;"
	    " UPDATE action SET seq = 2 WHERE seq = 3;"
	    " UPDATE action SET seq = 3 WHERE seq = -2");
	assert_int_equal(irc_chain_verify(f->db, id, &r, &err), IRC_OK);
	assert_false(r.ok);
	assert_int_equal(r.bad_seq, 3);
	assert_non_null(strstr(r.reason, "sequence number"));
}

static void
verify_detects_swapped_rows(void **state)
{
	struct fixture *f = *state;
	struct irc_verify_result r;
	struct irc_error err;
	int64_t id = case_tamperable(f);

	/* Move a whole row to the end, keeping every column but its rowid. */
	sql_exec(f->db, "CREATE TEMP TABLE a2 AS SELECT * FROM action WHERE seq = 2;"
	    " DELETE FROM action WHERE seq = 2;"
	    " INSERT INTO action (case_id, seq, step_seq, time_us, actor, origin,"
	    " kind, body, prev_hash, hash) SELECT case_id, seq, step_seq,"
	    " time_us, actor, origin, kind, body, prev_hash, hash FROM a2");
	assert_int_equal(irc_chain_verify(f->db, id, &r, &err), IRC_OK);
	assert_false(r.ok);
	assert_int_equal(r.bad_seq, 3);
}

static void
verify_missing_case(void **state)
{
	struct fixture *f = *state;
	struct irc_verify_result r;
	struct irc_error err;

	case_fake(f);
	assert_int_equal(irc_chain_verify(f->db, 77, &r, &err), IRC_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "77"));
}

static void
hash_encoding_fixed(void **state)
{
	struct irc_action a = {
		.seq = 1, .step_seq = 0, .time_us = 1700000000000000,
		.actor = "alice", .origin = "", .kind = "note",
		.body = "{\"text\":\"hi\"}",
	};
	char hex[IRC_HASH_HEX];

	(void)state;
	snprintf(a.prev_hash, sizeof a.prev_hash, "%s", IRC_CHAIN_GENESIS);
	irc_action_hash(&a, "00000000-0000-4000-8000-000000000000", hex);
	/*
	 * The same bytes through sha256sum:
	 * 16:ircase-action-v1,64:000...000,36:00000000-0000-4000-8000-
	 * 000000000000,1:1,0:,16:1700000000000000,5:alice,0:,4:note,
	 * 13:{"text":"hi"},
	 */
	assert_string_equal(hex,
	    "a9ddb0ad59b458cb9d4177634da29e5b4c58ddd07ecb795b04ea279898fb117e");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrate_from_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(pragmas_set, setup, teardown),
		cmocka_unit_test_setup_teardown(newer_schema_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(case_create_stores_snapshot, setup, teardown),
		cmocka_unit_test_setup_teardown(case_create_rejects_bad_title, setup, teardown),
		cmocka_unit_test_setup_teardown(append_links_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(step_set_same_state_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(triggers_reject_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(verify_detects_edit, setup, teardown),
		cmocka_unit_test_setup_teardown(verify_detects_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(verify_detects_last_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(verify_detects_reorder, setup, teardown),
		cmocka_unit_test_setup_teardown(verify_detects_swapped_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(verify_missing_case, setup, teardown),
		cmocka_unit_test(hash_encoding_fixed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
