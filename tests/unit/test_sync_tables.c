/*
 * test_sync_tables.c: the outbox, remote_map and sync_case tables from an
 * empty database, and the sync state read back from them.
 */
#include <stdbool.h>
#include <unistd.h>

#include "unit.h"
#include "unit_db.h"
#include "action.h"
#include "case.h"
#include "db.h"
#include "sync.h"

struct fixture {
	char dir[64];
	char path[96];
	struct irc_db *db;
	struct irc_actor actor;
	int64_t case_id;
};

static struct irc_pb_step respond_steps[] = {
	{ .title = "Isolate the host", .body = "Pull the cable.", .line = 3 },
	{ .title = "Reset credentials", .body = "", .line = 4 },
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct irc_playbook pb;
	struct irc_error err;

	snprintf(f->dir, sizeof f->dir, "/tmp/ircase-unit.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	snprintf(f->actor.login, sizeof f->actor.login, "alice");
	assert_int_equal(irc_db_open(f->path, &f->db, &err), IRC_OK);

	memset(&pb, 0, sizeof pb);
	pb.path = "fake.md";
	pb.title = "Fake playbook";
	pb.text = "# Fake\n";
	pb.text_len = 7;
	snprintf(pb.sha256, sizeof pb.sha256, "%064d", 1);
	for (int p = 0; p < IRC_PHASE_COUNT; p++)
		pb.phases[p].phase = (enum irc_phase)p;
	pb.phases[IRC_PHASE_RESPOND].steps = respond_steps;
	pb.phases[IRC_PHASE_RESPOND].nsteps = 2;
	assert_int_equal(irc_case_create(f->db, &pb, "Phish at finance", 3,
	    &f->actor, &f->case_id, &err), IRC_OK);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];

	irc_db_close(f->db);
	unlink(f->path);
	snprintf(path, sizeof path, "%s-wal", f->path);
	unlink(path);
	snprintf(path, sizeof path, "%s-shm", f->path);
	unlink(path);
	snprintf(path, sizeof path, "%s.sync-lock", f->path);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int
sql_rc(struct irc_db *db, const char *sql)
{
	/* The primary code: the database reports extended ones. */
	return sqlite3_exec(irc_db_handle(db), sql, NULL, NULL, NULL) & 0xff;
}

/* Appends one action of kind by login in its own transaction. */
static void
append(struct fixture *f, const char *login, const char *kind)
{
	struct irc_actor actor;
	struct irc_action a;
	struct irc_error err;
	json_t *body = json_pack("{s:s}", "text", "hello");

	memset(&actor, 0, sizeof actor);
	snprintf(actor.login, sizeof actor.login, "%s", login);
	assert_int_equal(irc_db_begin(f->db, &err), IRC_OK);
	assert_int_equal(irc_action_append(f->db, f->case_id, 0, &actor, kind,
	    body, &a, &err), IRC_OK);
	assert_int_equal(irc_db_commit(f->db, &err), IRC_OK);
	irc_action_clear(&a);
	json_decref(body);
}

static void
tables_exist_empty(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name IN ('outbox', 'remote_map',"
	    " 'sync_case')"), 3);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM remote_map"), 0);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM sync_case"), 0);
}

static void
outbox_row_per_action(void **state)
{
	struct fixture *f = *state;
	int64_t actions = unit_sql_int(f->db, "SELECT count(*) FROM action");

	assert_true(actions > 0);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM outbox"), actions);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM outbox WHERE"
	    " state = 'pending' AND target = 'production' AND uncertain = 0"),
	    actions);
	append(f, "alice", "note");
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM outbox"),
	    actions + 1);
}

static void
outbox_skips_pulled(void **state)
{
	struct fixture *f = *state;
	int64_t before = unit_sql_int(f->db, "SELECT count(*) FROM outbox");

	append(f, "thehive:analyst@soc", "thehive.log");
	append(f, "alice", "sync.conflict");
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM outbox"), before);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM action WHERE"
	    " kind IN ('thehive.log', 'sync.conflict')"), 2);
}

static void
checks_reject_bad_rows(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sql_rc(f->db, "UPDATE outbox SET state = 'lost'"),
	    SQLITE_CONSTRAINT);
	assert_int_equal(sql_rc(f->db, "UPDATE outbox SET target = 'staging'"),
	    SQLITE_CONSTRAINT);
	assert_int_equal(sql_rc(f->db, "INSERT INTO remote_map (target, kind,"
	    " local_id, remote_id, synced_at) VALUES ('production', 'alert', 1,"
	    " '~1', 0)"), SQLITE_CONSTRAINT);
	assert_int_equal(sql_rc(f->db, "INSERT INTO remote_map (target, kind,"
	    " local_id, remote_id, synced_at) VALUES ('production', 'case', 1,"
	    " '~1', 0)"), SQLITE_OK);
	assert_int_equal(sql_rc(f->db, "INSERT INTO remote_map (target, kind,"
	    " local_id, remote_id, synced_at) VALUES ('production', 'case', 1,"
	    " '~2', 0)"), SQLITE_CONSTRAINT);
	assert_int_equal(sql_rc(f->db, "INSERT INTO outbox (case_id, action_id,"
	    " target) SELECT case_id, id, 'production' FROM action LIMIT 1"),
	    SQLITE_CONSTRAINT);
}

static void
status_reads_tables(void **state)
{
	struct fixture *f = *state;
	struct irc_sync_status *list = NULL;
	struct irc_sync_pending *pending = NULL;
	struct irc_error err;
	int64_t actions = unit_sql_int(f->db, "SELECT count(*) FROM outbox");
	size_t n = 0;

	assert_int_equal(irc_sync_status(f->db, NULL, 0, &list, &n, &err),
	    IRC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].case_id, f->case_id);
	assert_string_equal(list[0].target, "production");
	assert_string_equal(list[0].remote_id, "");
	assert_int_equal(list[0].pending, actions);
	assert_int_equal(list[0].failed, 0);
	assert_null(list[0].last_error);
	irc_sync_status_free(list, n);

	assert_int_equal(sql_rc(f->db, "UPDATE outbox SET state = 'done';"
	    "UPDATE outbox SET state = 'failed', last_error = 'HTTP 413'"
	    " WHERE id = (SELECT max(id) FROM outbox);"
	    "INSERT INTO remote_map (target, kind, local_id, remote_id,"
	    " remote_number, synced_at) VALUES ('production', 'case', 1, '~9',"
	    " 7, 0)"), SQLITE_OK);
	assert_int_equal(irc_sync_status(f->db, NULL, f->case_id, &list, &n,
	    &err), IRC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].remote_id, "~9");
	assert_int_equal(list[0].remote_number, 7);
	assert_int_equal(list[0].pending, 0);
	assert_int_equal(list[0].failed, 1);
	assert_string_equal(list[0].last_error, "HTTP 413");
	irc_sync_status_free(list, n);

	assert_int_equal(irc_sync_pending_list(f->db, NULL, 0, &pending, &n,
	    &err), IRC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(pending[0].state, "failed");
	assert_string_equal(pending[0].last_error, "HTTP 413");
	irc_sync_pending_free(pending, n);
}

/* A drill case while the settings have no drill URL: skipped, not listed. */
static void
status_skips_drills_without_target(void **state)
{
	struct fixture *f = *state;
	struct irc_hive_config cfg;
	char drill_url[] = "http://127.0.0.1:9";
	struct irc_sync_status *list = NULL;
	struct irc_sync_pending *pending = NULL;
	struct irc_error err;
	int64_t rows = unit_sql_int(f->db, "SELECT count(*) FROM outbox");
	size_t n = 0;

	assert_true(rows > 0);
	assert_int_equal(sql_rc(f->db, "UPDATE \"case\" SET kind = 'drill';"
	    "UPDATE outbox SET target = 'drill'"), SQLITE_OK);
	memset(&cfg, 0, sizeof cfg);

	assert_int_equal(irc_sync_status(f->db, &cfg, 0, &list, &n, &err),
	    IRC_OK);
	assert_int_equal(n, 1);
	assert_true(list[0].skipped);
	irc_sync_status_free(list, n);
	assert_int_equal(irc_sync_pending_list(f->db, &cfg, 0, &pending, &n,
	    &err), IRC_OK);
	assert_int_equal(n, 0);
	irc_sync_pending_free(pending, n);

	/* Unknown settings and a drill URL both keep the drill listed. */
	assert_int_equal(irc_sync_status(f->db, NULL, 0, &list, &n, &err),
	    IRC_OK);
	assert_false(list[0].skipped);
	irc_sync_status_free(list, n);
	cfg.drill.url = drill_url;
	assert_int_equal(irc_sync_status(f->db, &cfg, 0, &list, &n, &err),
	    IRC_OK);
	assert_false(list[0].skipped);
	irc_sync_status_free(list, n);
	assert_int_equal(irc_sync_pending_list(f->db, &cfg, 0, &pending, &n,
	    &err), IRC_OK);
	assert_int_equal((int64_t)n, rows);
	irc_sync_pending_free(pending, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tables_exist_empty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(outbox_row_per_action, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(outbox_skips_pulled, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(checks_reject_bad_rows, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(status_reads_tables, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(status_skips_drills_without_target,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
