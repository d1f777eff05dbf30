/*
 * test_crosscheck.c: comparing a case's records with its action log, both
 * through irc_chain_verify() and through the streaming interface.
 */
#include <stdbool.h>

#include "unit.h"
#include "case_fixture.h"

#include "crosscheck.h"
#include "evidence.h"

/* Runs sql on the fixture's database with foreign keys off. */
static void
exec_sql(struct case_fixture *f, const char *sql)
{
	assert_int_equal(sqlite3_exec(irc_db_handle(f->db), sql, NULL, NULL,
	    NULL), SQLITE_OK);
}

/* Adds a step change and an evidence item to the fixture case. */
static void
add_records(struct case_fixture *f)
{
	struct irc_error err;
	char *path = case_fixture_file(f, "mail.eml", "abc", 3);

	assert_int_equal(irc_case_step_set(f->db, f->case_id, 1,
	    IRC_STEP_ACTIVE, NULL, &f->actor, &err), IRC_OK);
	assert_int_equal(irc_evidence_add(f->db, f->case_id, path, NULL, NULL,
	    &f->actor, NULL, &err), IRC_OK);
	free(path);
}

/* Verifies the fixture case and returns whether it is intact. */
static bool
verify(struct case_fixture *f, struct irc_verify_result *v)
{
	struct irc_error err;

	assert_int_equal(irc_chain_verify(f->db, f->case_id, v, &err), IRC_OK);
	return v->ok;
}

static void
intact_records_verify(void **state)
{
	struct case_fixture *f = *state;
	struct irc_verify_result v;

	add_records(f);
	assert_true(verify(f, &v));
	assert_int_equal(v.checked, 3);
}

static void
edited_evidence_hash_is_named(void **state)
{
	struct case_fixture *f = *state;
	struct irc_verify_result v;

	add_records(f);
	exec_sql(f, "UPDATE evidence SET sha256 = substr('0000000000000000"
	    "000000000000000000000000000000000000000000000000', 1, 64)");
	assert_false(verify(f, &v));
	assert_int_equal(v.bad_seq, 3);
	assert_non_null(strstr(v.reason, "table evidence row 1 field sha256 "
	    "does not match action seq 3 (evidence.add)"));
}

static void
edited_step_and_case_are_named(void **state)
{
	struct case_fixture *f = *state;
	struct irc_verify_result v;

	add_records(f);
	exec_sql(f, "UPDATE step SET state = 'done' WHERE seq = 1");
	assert_false(verify(f, &v));
	assert_non_null(strstr(v.reason, "table step row 1 field state reads "
	    "done but its step.state actions leave it active"));

	exec_sql(f, "UPDATE step SET state = 'active' WHERE seq = 1;"
	    " UPDATE \"case\" SET severity = 4");
	assert_false(verify(f, &v));
	assert_non_null(strstr(v.reason, "table case row 1 field severity"));

	exec_sql(f, "UPDATE \"case\" SET severity = 2");
	assert_true(verify(f, &v));
}

static void
edited_snapshot_is_named(void **state)
{
	struct case_fixture *f = *state;
	struct irc_verify_result v;

	exec_sql(f, "UPDATE playbook_snapshot SET text = 'tampered'");
	assert_false(verify(f, &v));
	assert_non_null(strstr(v.reason, "table playbook_snapshot row 1 field "
	    "text does not match its sha256"));
}

/* A broken chain is reported before the records are compared. */
static void
chain_break_comes_first(void **state)
{
	struct case_fixture *f = *state;
	struct irc_verify_result v;

	add_records(f);
	exec_sql(f, "DROP TRIGGER action_no_update;"
	    " UPDATE action SET body = '{}' WHERE seq = 3;"
	    " UPDATE evidence SET name = 'x'");
	assert_false(verify(f, &v));
	assert_non_null(strstr(v.reason, "does not match its hash"));
}

/* The streaming interface that exports use gives the same verdict. */
static void
streaming_matches_verify(void **state)
{
	struct case_fixture *f = *state;
	struct irc_verify_result v, walk;
	struct irc_action_iter *it;
	const struct irc_action *a;
	struct irc_crosscheck *cc;
	struct irc_error err;

	add_records(f);
	exec_sql(f, "UPDATE evidence SET size = 4");
	assert_false(verify(f, &v));
	memset(&walk, 0, sizeof walk);
	walk.ok = true;
	cc = irc_crosscheck_start(f->db, f->case_id);
	assert_int_equal(irc_action_iter_open(f->db, f->case_id, &it, &err),
	    IRC_OK);
	while (irc_action_iter_next(it, &a, &err) == IRC_OK && a != NULL)
		assert_int_equal(irc_crosscheck_add(cc, a, &err), IRC_OK);
	irc_action_iter_close(it);
	assert_int_equal(irc_crosscheck_finish(cc, &walk, &err), IRC_OK);
	irc_crosscheck_free(cc);
	assert_false(walk.ok);
	assert_string_equal(walk.reason, v.reason);
	assert_non_null(strstr(walk.reason, "field size"));
}

/* Collects the lines that an export check reports. */
struct report_lines {
	int n;
	char text[4][512];
};

static void
report_line(const char *line, void *data)
{
	struct report_lines *l = data;

	if (l->n < 4)
		snprintf(l->text[l->n], sizeof l->text[0], "%s", line);
	l->n++;
}

/* Feeds an action with the given kind and body to cc. */
static void
feed(struct irc_crosscheck *cc, int64_t seq, const char *kind,
    const char *body)
{
	struct irc_action a;

	memset(&a, 0, sizeof a);
	a.seq = seq;
	a.time_us = 1767225600000000 + seq;
	a.actor = (char *)"alice";
	a.origin = (char *)"";
	a.kind = (char *)kind;
	a.body = (char *)body;
	assert_int_equal(irc_crosscheck_add(cc, &a, NULL), IRC_OK);
}

/* An export check reports every differing field, not only the first. */
static void
export_mismatches_all_named(void **state)
{
	struct report_lines lines = { 0 };
	struct irc_verify_result r = { .ok = true };
	struct irc_crosscheck *cc;
	json_t *doc = json_loads("{\"number\": 7, \"title\": \"Mail\","
	    " \"severity\": 2, \"status\": \"open\", \"kind\": \"real\","
	    " \"playbook\": {\"path\": \"p.md\"},"
	    " \"phases\": [{\"steps\": [{\"number\": 1, \"state\": \"done\"},"
	    " {\"number\": 2, \"state\": \"pending\"}]}],"
	    " \"lifecycle\": {\"reports\": [{\"number\": 1, \"reporter\":"
	    " \"bob\", \"channel\": \"email\", \"text\": \"odd\","
	    " \"received_at\": \"2026-01-01T00:00:00+00:00\"}]}}", 0, NULL);

	(void)state;
	assert_non_null(doc);
	cc = irc_crosscheck_start_export(doc, report_line, &lines);
	feed(cc, 1, "case.open", "{\"playbook_path\":\"p.md\","
	    "\"playbook_sha256\":\"ab\",\"severity\":2,\"title\":\"Mail\"}");
	feed(cc, 2, "note", "{\"text\":\"not parsed\"}");
	feed(cc, 3, "report.add", "{\"by\":\"alice\",\"channel\":\"email\","
	    "\"number\":1,\"received_at\":\"2026-01-01T00:00:00+00:00\","
	    "\"text\":\"odd\"}");
	assert_int_equal(irc_crosscheck_finish(cc, &r, NULL), IRC_OK);
	assert_int_equal(irc_crosscheck_mismatches(cc), 2);
	irc_crosscheck_free(cc);
	json_decref(doc);

	assert_int_equal(lines.n, 2);
	assert_non_null(strstr(lines.text[0], "case 7: table report row 1 "
	    "field reporter does not match action seq 3 (report.add)"));
	assert_non_null(strstr(lines.text[1], "case 7: table step row 1 field "
	    "state reads done but its step.state actions leave it pending"));
	assert_false(r.ok);
	assert_int_equal(r.bad_seq, 3);
}

/* A row's own time stamp must lie within a minute of its action's time. */
static void
stamp_window_is_enforced(void **state)
{
	struct case_fixture *f = *state;
	struct irc_verify_result v;

	add_records(f);
	exec_sql(f, "UPDATE evidence SET added_at = added_at - 50000000");
	assert_true(verify(f, &v));
	exec_sql(f, "UPDATE evidence SET added_at = added_at - 20000000");
	assert_false(verify(f, &v));
	assert_non_null(strstr(v.reason, "table evidence row 1 field added_at "
	    "does not match action seq 3 (evidence.add)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(intact_records_verify,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(edited_evidence_hash_is_named,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(edited_step_and_case_are_named,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(edited_snapshot_is_named,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(chain_break_comes_first,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(streaming_matches_verify,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test(export_mismatches_all_named),
		cmocka_unit_test_setup_teardown(stamp_window_is_enforced,
		    case_fixture_setup, case_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
