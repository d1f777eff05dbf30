/*
 * test_case_list.c: the case list read a page at a time (keyset paging)
 * and the step counts that triggers keep on each case row.
 */
#include "unit.h"
#include "case_fixture.h"

#include "mem.h"

/* Cases in the fixture database: the fixture's one and these. */
#define LIST_EXTRA 24

static int
list_setup(void **state)
{
	struct case_fixture *f;
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	char title[32];
	int64_t id;

	case_fixture_setup(state);
	f = *state;
	assert_int_equal(irc_playbook_parse("fixture.md", case_fixture_playbook,
	    sizeof case_fixture_playbook - 1, NULL, &pb, &err), IRC_OK);
	for (int i = 0; i < LIST_EXTRA; i++) {
		snprintf(title, sizeof title, "Case %d", i + 2);
		assert_int_equal(irc_case_create(f->db, pb, title, 2, &f->actor,
		    &id, &err), IRC_OK);
	}
	irc_playbook_free(pb);
	return 0;
}

static void
page_older_walks_all(void **state)
{
	struct case_fixture *f = *state;
	struct irc_case_summary *page;
	struct irc_error err;
	int64_t from = 0, expect = LIST_EXTRA + 1;
	size_t n;
	int pages = 0;

	do {
		assert_int_equal(irc_case_list_page(f->db, from,
		    IRC_CASE_PAGE_OLDER, 7, &page, &n, &err), IRC_OK);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(page[i].id, expect--);
		if (n > 0)
			from = page[n - 1].id;
		irc_case_summaries_free(page, n);
		pages++;
	} while (n == 7);
	assert_int_equal(expect, 0);
	assert_int_equal(pages, 4);	/* 7 + 7 + 7 + 4 */
}

static void
page_newer_nearest_first(void **state)
{
	struct case_fixture *f = *state;
	struct irc_case_summary *page;
	struct irc_error err;
	size_t n;

	/* The three cases just above case 10, newest first. */
	assert_int_equal(irc_case_list_page(f->db, 10, IRC_CASE_PAGE_NEWER, 3,
	    &page, &n, &err), IRC_OK);
	assert_int_equal(n, 3);
	assert_int_equal(page[0].id, 13);
	assert_int_equal(page[1].id, 12);
	assert_int_equal(page[2].id, 11);
	irc_case_summaries_free(page, n);

	/* From 0: the oldest cases. */
	assert_int_equal(irc_case_list_page(f->db, 0, IRC_CASE_PAGE_NEWER, 2,
	    &page, &n, &err), IRC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(page[0].id, 2);
	assert_int_equal(page[1].id, 1);
	assert_string_equal(page[1].title, "Fixture case");
	irc_case_summaries_free(page, n);

	/* Nothing above the newest case. */
	assert_int_equal(irc_case_list_page(f->db, LIST_EXTRA + 1,
	    IRC_CASE_PAGE_NEWER, 5, &page, &n, &err), IRC_OK);
	assert_int_equal(n, 0);
	assert_null(page);
}

static void
page_older_bounds(void **state)
{
	struct case_fixture *f = *state;
	struct irc_case_summary *page;
	struct irc_error err;
	size_t n;

	assert_int_equal(irc_case_list_page(f->db, 3, IRC_CASE_PAGE_OLDER, 10,
	    &page, &n, &err), IRC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(page[0].id, 2);
	assert_int_equal(page[1].id, 1);
	irc_case_summaries_free(page, n);

	assert_int_equal(irc_case_list_page(f->db, 1, IRC_CASE_PAGE_OLDER, 10,
	    &page, &n, &err), IRC_OK);
	assert_int_equal(n, 0);

	assert_int_equal(irc_case_list_page(f->db, 0, IRC_CASE_PAGE_OLDER, 0,
	    &page, &n, &err), IRC_OK);
	assert_int_equal(n, 0);
}

static void
page_matches_full_list(void **state)
{
	struct case_fixture *f = *state;
	struct irc_case_summary *all, *page;
	struct irc_error err;
	size_t n_all, n;
	int64_t total;

	assert_int_equal(irc_case_list(f->db, &all, &n_all, &err), IRC_OK);
	assert_int_equal(irc_case_list_page(f->db, 0, IRC_CASE_PAGE_OLDER,
	    1000, &page, &n, &err), IRC_OK);
	assert_int_equal(n, n_all);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(page[i].id, all[i].id);
		assert_string_equal(page[i].uuid, all[i].uuid);
		assert_string_equal(page[i].title, all[i].title);
		assert_int_equal(page[i].steps_total, 2);
	}
	irc_case_summaries_free(all, n_all);
	irc_case_summaries_free(page, n);
	assert_int_equal(irc_case_count(f->db, &total, &err), IRC_OK);
	assert_int_equal(total, LIST_EXTRA + 1);
}

/* Returns the summary of case id from a one-row page. */
static struct irc_case_summary *
summary_of(struct case_fixture *f, int64_t id)
{
	struct irc_case_summary *page;
	struct irc_error err;
	size_t n;

	assert_int_equal(irc_case_list_page(f->db, id + 1, IRC_CASE_PAGE_OLDER,
	    1, &page, &n, &err), IRC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(page[0].id, id);
	return page;
}

static void
step_counts_follow_states(void **state)
{
	struct case_fixture *f = *state;
	struct irc_case_summary *s;
	struct irc_error err;

	s = summary_of(f, f->case_id);
	assert_int_equal(s->steps_done, 0);
	assert_int_equal(s->steps_total, 2);
	irc_case_summaries_free(s, 1);

	assert_int_equal(irc_case_step_set(f->db, f->case_id, 1, IRC_STEP_DONE,
	    NULL, &f->actor, &err), IRC_OK);
	assert_int_equal(irc_case_step_set(f->db, f->case_id, 2,
	    IRC_STEP_ACTIVE, NULL, &f->actor, &err), IRC_OK);
	s = summary_of(f, f->case_id);
	assert_int_equal(s->steps_done, 1);
	irc_case_summaries_free(s, 1);

	assert_int_equal(irc_case_step_set(f->db, f->case_id, 2,
	    IRC_STEP_SKIPPED, NULL, &f->actor, &err), IRC_OK);
	s = summary_of(f, f->case_id);
	assert_int_equal(s->steps_done, 2);
	irc_case_summaries_free(s, 1);

	/* Reopened: no longer closed. */
	assert_int_equal(irc_case_step_set(f->db, f->case_id, 1,
	    IRC_STEP_ACTIVE, NULL, &f->actor, &err), IRC_OK);
	s = summary_of(f, f->case_id);
	assert_int_equal(s->steps_done, 1);
	assert_int_equal(s->steps_total, 2);
	irc_case_summaries_free(s, 1);

	/* Other cases keep their counts. */
	s = summary_of(f, 2);
	assert_int_equal(s->steps_done, 0);
	assert_int_equal(s->steps_total, 2);
	irc_case_summaries_free(s, 1);
}

/* The counts equal a count of the step rows after direct SQL writes. */
static void
step_counts_match_rows(void **state)
{
	struct case_fixture *f = *state;
	sqlite3 *h = irc_db_handle(f->db);

	assert_int_equal(sqlite3_exec(h, "UPDATE step SET state = 'done'"
	    " WHERE case_id = 3 AND seq = 2;"
	    "DELETE FROM step WHERE case_id = 4 AND seq = 1;", NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(case_fixture_int(f, "SELECT count(*) FROM \"case\" c"
	    " WHERE c.steps_total != (SELECT count(*) FROM step s"
	    "   WHERE s.case_id = c.id)"
	    " OR c.steps_closed != (SELECT count(*) FROM step s"
	    "   WHERE s.case_id = c.id AND s.state IN ('done', 'skipped',"
	    "   'not_applicable'))"), 0);
	assert_int_equal(case_fixture_int(f, "SELECT steps_closed FROM \"case\""
	    " WHERE id = 3"), 1);
	assert_int_equal(case_fixture_int(f, "SELECT steps_total FROM \"case\""
	    " WHERE id = 4"), 1);
}

/* The schema version whose migration adds the step counts. */
#define STEP_COUNT_VERSION 8

/*
 * A database from before the counts were kept: the upgrade fills them in
 * from the step rows.  The older schema is made by undoing that
 * migration, which works only while it is the latest one.
 */
static void
upgrade_fills_step_counts(void **state)
{
	struct case_fixture *f = *state;
	struct irc_error err;
	char *undo;

	if (irc_db_schema_latest() != STEP_COUNT_VERSION) {
		/* NOTE: later migrations cannot be undone here. */
		skip();
	}
	assert_int_equal(irc_case_step_set(f->db, f->case_id, 1, IRC_STEP_DONE,
	    NULL, &f->actor, &err), IRC_OK);
	undo = irc_xasprintf("DROP TRIGGER step_count_insert;"
	    "DROP TRIGGER step_count_update;"
	    "DROP TRIGGER step_count_delete;"
	    "ALTER TABLE \"case\" DROP COLUMN steps_total;"
	    "ALTER TABLE \"case\" DROP COLUMN steps_closed;"
	    "DELETE FROM schema_version WHERE version = %d;",
	    STEP_COUNT_VERSION);
	assert_int_equal(sqlite3_exec(irc_db_handle(f->db), undo, NULL, NULL,
	    NULL), SQLITE_OK);
	free(undo);
	irc_db_close(f->db);

	assert_int_equal(irc_db_open(f->path, &f->db, &err), IRC_OK);
	assert_int_equal(irc_db_schema_version(f->db), irc_db_schema_latest());
	assert_int_equal(case_fixture_int(f, "SELECT steps_closed FROM \"case\""
	    " WHERE id = 1"), 1);
	assert_int_equal(case_fixture_int(f, "SELECT steps_total FROM \"case\""
	    " WHERE id = 1"), 2);
	assert_int_equal(case_fixture_int(f, "SELECT sum(steps_total) FROM"
	    " \"case\""), 2 * (LIST_EXTRA + 1));

	/* The triggers are back. */
	assert_int_equal(irc_case_step_set(f->db, f->case_id, 2, IRC_STEP_DONE,
	    NULL, &f->actor, &err), IRC_OK);
	assert_int_equal(case_fixture_int(f, "SELECT steps_closed FROM \"case\""
	    " WHERE id = 1"), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(page_older_walks_all,
		    list_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(page_newer_nearest_first,
		    list_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(page_older_bounds,
		    list_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(page_matches_full_list,
		    list_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(step_counts_follow_states,
		    list_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(step_counts_match_rows,
		    list_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(upgrade_fills_step_counts,
		    list_setup, case_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
