/*
 * test_action_page.c: reading a page of a case's actions and checking
 * only the actions appended since the last check, as the case view does.
 */
#include "unit.h"
#include "case_fixture.h"

#include "action.h"

static void
fixture_notes(struct case_fixture *f, int n)
{
	struct irc_error err;
	char text[32];

	for (int i = 0; i < n; i++) {
		snprintf(text, sizeof text, "note %d", i);
		assert_int_equal(irc_case_note(f->db, f->case_id, 0, text,
		    &f->actor, &err), IRC_OK);
	}
}

static void
fixture_sql(struct case_fixture *f, const char *sql)
{
	assert_int_equal(sqlite3_exec(irc_db_handle(f->db), sql, NULL, NULL,
	    NULL), SQLITE_OK);
}

static void
range_reads_page(void **state)
{
	struct case_fixture *f = *state;
	struct irc_action *page;
	struct irc_error err;
	size_t n;

	fixture_notes(f, 9);	/* seq 2 .. 10 after case.open */
	assert_int_equal(irc_actions_range(f->db, f->case_id, 4, 3, &page, &n,
	    &err), IRC_OK);
	assert_int_equal(n, 3);
	assert_int_equal(page[0].seq, 4);
	assert_int_equal(page[2].seq, 6);
	assert_string_equal(page[1].prev_hash, page[0].hash);
	irc_actions_free(page, n);

	assert_int_equal(irc_actions_range(f->db, f->case_id, 9, 5, &page, &n,
	    &err), IRC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(page[1].seq, 10);
	irc_actions_free(page, n);
}

static void
last_of_kind_finds_newest(void **state)
{
	struct case_fixture *f = *state;
	struct irc_action a;
	struct irc_error err;

	fixture_notes(f, 3);
	assert_int_equal(irc_action_last_of_kind(f->db, f->case_id, "note", &a,
	    &err), IRC_OK);
	assert_int_equal(a.seq, 4);
	assert_non_null(strstr(a.body, "note 2"));
	irc_action_clear(&a);
	assert_int_equal(irc_action_last_of_kind(f->db, f->case_id,
	    "drill.inject", &a, &err), IRC_ERR_NOT_FOUND);
}

static void
verify_after_reads_only_new(void **state)
{
	struct case_fixture *f = *state;
	struct irc_verify_result full, r;
	struct irc_error err;

	fixture_notes(f, 4);
	assert_int_equal(irc_chain_verify(f->db, f->case_id, &full, &err),
	    IRC_OK);
	assert_true(full.ok);
	assert_int_equal(full.count, 5);

	assert_int_equal(irc_chain_verify_after(f->db, f->case_id, full.count,
	    full.head, &r, &err), IRC_OK);
	assert_true(r.ok);
	assert_int_equal(r.checked, 0);
	assert_string_equal(r.head, full.head);

	fixture_notes(f, 2);
	assert_int_equal(irc_chain_verify_after(f->db, f->case_id, full.count,
	    full.head, &r, &err), IRC_OK);
	assert_true(r.ok);
	assert_int_equal(r.checked, 2);
	assert_int_equal(r.count, 7);
}

static void
verify_after_rejects_other_head(void **state)
{
	struct case_fixture *f = *state;
	struct irc_verify_result full, r;
	struct irc_error err;

	fixture_notes(f, 3);
	assert_int_equal(irc_chain_verify(f->db, f->case_id, &full, &err),
	    IRC_OK);
	fixture_notes(f, 1);
	/* A head the new action does not continue: history was rewritten. */
	assert_int_equal(irc_chain_verify_after(f->db, f->case_id, full.count,
	    IRC_CHAIN_GENESIS, &r, &err), IRC_OK);
	assert_false(r.ok);
	assert_int_equal(r.bad_seq, full.count + 1);

	/* Same count, other head: the case row was rewritten. */
	assert_int_equal(irc_chain_verify_after(f->db, f->case_id,
	    full.count + 1, full.head, &r, &err), IRC_OK);
	assert_false(r.ok);
	assert_non_null(strstr(r.reason, "chain head"));
}

static void
verify_after_misses_old_edit(void **state)
{
	struct case_fixture *f = *state;
	struct irc_verify_result full, r;
	struct irc_error err;

	fixture_notes(f, 3);
	assert_int_equal(irc_chain_verify(f->db, f->case_id, &full, &err),
	    IRC_OK);
	fixture_sql(f, "DROP TRIGGER action_no_update;"
	    " UPDATE action SET body = replace(body, 'note 1', 'forged')"
	    " WHERE seq = 3");
	/* The documented limit: only the full check sees an old edit. */
	assert_int_equal(irc_chain_verify_after(f->db, f->case_id, full.count,
	    full.head, &r, &err), IRC_OK);
	assert_true(r.ok);
	assert_int_equal(irc_chain_verify(f->db, f->case_id, &r, &err), IRC_OK);
	assert_false(r.ok);
	assert_int_equal(r.bad_seq, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(range_reads_page,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(last_of_kind_finds_newest,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(verify_after_reads_only_new,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(verify_after_rejects_other_head,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(verify_after_misses_old_edit,
		    case_fixture_setup, case_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
