/*
 * test_replay.c: loading a case for a replay, and stopping that load when
 * a signal handler sets the stop flag.
 */
#include "unit.h"
#include "case_fixture.h"

#include "replay.h"

static void
load_reads_actions(void **state)
{
	struct case_fixture *f = *state;
	volatile sig_atomic_t stop = 0;
	struct irc_case *c = NULL;
	struct irc_error err;

	assert_int_equal(irc_case_note(f->db, f->case_id, 0, "first note",
	    &f->actor, &err), IRC_OK);
	assert_int_equal(irc_replay_load(f->db, f->case_id, &stop, &c, &err),
	    IRC_OK);
	assert_non_null(c);
	assert_int_equal(c->nactions, 2);
	assert_int_equal(c->nsteps, 2);
	assert_string_equal(c->actions[1].kind, "note");
	irc_case_free(c);
}

static void
load_stops_on_flag(void **state)
{
	struct case_fixture *f = *state;
	volatile sig_atomic_t stop = SIGTERM;
	struct irc_case *c = NULL;
	struct irc_error err;

	/* Enough actions for the load to run past one stop check. */
	for (int i = 0; i < 50; i++)
		assert_int_equal(irc_case_note(f->db, f->case_id, 0, "a note",
		    &f->actor, &err), IRC_OK);
	assert_int_equal(irc_replay_load(f->db, f->case_id, &stop, &c, &err),
	    IRC_ERR_DB);
	assert_null(c);
	assert_non_null(strstr(err.msg, "interrupt"));

	/* The handler is gone afterwards: other reads are not stopped. */
	assert_int_equal(irc_case_load(f->db, f->case_id, &c, &err), IRC_OK);
	irc_case_free(c);
}

static void
load_missing_case(void **state)
{
	struct case_fixture *f = *state;
	volatile sig_atomic_t stop = 0;
	struct irc_case *c = NULL;
	struct irc_error err;

	assert_int_equal(irc_replay_load(f->db, 99, &stop, &c, &err),
	    IRC_ERR_NOT_FOUND);
	assert_null(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(load_reads_actions,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(load_stops_on_flag,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(load_missing_case,
		    case_fixture_setup, case_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
