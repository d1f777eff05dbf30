/*
 * test_case_playbook.c: a case's playbook parsed again from its stored
 * snapshot, and "#anchor" links resolved to the case's steps, phases and
 * reference panes.
 */
#include "unit.h"

#include "case_playbook.h"
#include "case_fixture.h"

/* Opens a case from a file under the repository; returns its number. */
static int64_t
case_from(struct case_fixture *f, const char *rel, int part)
{
	const char *top = getenv("IRCASE_TOP");
	struct irc_pb_limits limits = { 0, 0, part };
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	char path[512];
	int64_t id = 0;

	snprintf(path, sizeof path, "%s/%s", top != NULL && *top ? top : ".",
	    rel);
	if (irc_playbook_load(path, &limits, &pb, &err) != IRC_OK)
		print_error("%s\n", err.msg);
	assert_non_null(pb);
	assert_int_equal(irc_case_create(f->db, pb, "Links", 2, &f->actor, &id,
	    &err), IRC_OK);
	irc_playbook_free(pb);
	return id;
}

static struct irc_case *
case_get(struct case_fixture *f, int64_t id)
{
	struct irc_case *c = NULL;
	struct irc_error err;

	assert_int_equal(irc_case_load(f->db, id, &c, &err), IRC_OK);
	return c;
}

static void
snapshot_gives_panes(void **state)
{
	struct case_fixture *f = *state;
	int64_t id = case_from(f, "tests/data/playbooks/panes-links.md", 0);
	struct irc_case *c = case_get(f, id);
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	assert_int_equal(irc_case_playbook(f->db, c, &pb, &err), IRC_OK);
	assert_string_equal(pb->title, "Panes and links");
	assert_int_equal(pb->nrefs, 4);
	assert_string_equal(pb->refs[0].title, "Overview");
	assert_string_equal(pb->refs[1].title, "References");
	assert_string_equal(pb->refs[2].title, "MITRE mapping");
	assert_string_equal(pb->refs[3].title, "Appendix: sign-in fields");
	assert_non_null(strstr(pb->refs[0].body, "suspicious sign-in"));
	irc_playbook_free(pb);
	irc_case_free(c);
}

static void
snapshot_over_size_limit_parses(void **state)
{
	struct case_fixture *f = *state;
	int64_t id = case_from(f, "tests/data/playbooks/panes-links.md", 0);
	struct irc_case *c = case_get(f, id);
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	char sql[256];

	/* A snapshot larger than the default limit is still the case's own. */
	snprintf(sql, sizeof sql, "UPDATE playbook_snapshot SET text = "
	    "CAST(text || replace(hex(zeroblob(5000000)), '00', ' ') AS BLOB)"
	    " WHERE id = (SELECT playbook_id FROM \"case\" WHERE id = %lld)",
	    (long long)id);
	assert_int_equal(sqlite3_exec(irc_db_handle(f->db), sql, NULL, NULL,
	    NULL), SQLITE_OK);
	assert_int_equal(irc_case_playbook(f->db, c, &pb, &err), IRC_OK);
	assert_int_equal(pb->nrefs, 4);
	irc_playbook_free(pb);
	irc_case_free(c);
}

static void
snapshot_keeps_its_part(void **state)
{
	struct case_fixture *f = *state;
	int64_t id = case_from(f, "tests/data/playbooks/multi-part.md", 2);
	struct irc_case *c = case_get(f, id);
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	assert_int_equal(irc_case_playbook(f->db, c, &pb, &err), IRC_OK);
	assert_int_equal(pb->part, 2);
	assert_string_equal(pb->title, "Playbook: Second thing");
	assert_int_equal(irc_playbook_step_count(pb), c->nsteps);
	irc_playbook_free(pb);
	irc_case_free(c);
}

static void
anchors_resolve_in_case(void **state)
{
	struct case_fixture *f = *state;
	int64_t id = case_from(f, "tests/data/playbooks/panes-links.md", 0);
	struct irc_case *c = case_get(f, id);
	struct irc_playbook *pb = NULL;
	struct irc_case_target t;
	struct irc_error err;

	assert_int_equal(irc_case_playbook(f->db, c, &pb, &err), IRC_OK);

	/* Steps 1-2 are Assess, 3-4 Respond, 5 Learn. */
	irc_case_anchor_resolve(c, pb, "#reset-the-password", &t);
	assert_int_equal(t.kind, IRC_PB_TARGET_STEP);
	assert_int_equal(t.phase, IRC_PHASE_RESPOND);
	assert_int_equal(t.seq, 4);

	irc_case_anchor_resolve(c, pb, "Check-The-Sign-In-Logs", &t);
	assert_int_equal(t.kind, IRC_PB_TARGET_STEP);
	assert_int_equal(t.seq, 1);

	irc_case_anchor_resolve(c, pb, "#containment", &t);
	assert_int_equal(t.kind, IRC_PB_TARGET_PHASE);
	assert_int_equal(t.phase, IRC_PHASE_RESPOND);
	assert_int_equal(t.seq, 3);

	irc_case_anchor_resolve(c, pb, "#mitre-mapping", &t);
	assert_int_equal(t.kind, IRC_PB_TARGET_REF);
	assert_int_equal(t.ref, 2);

	irc_case_anchor_resolve(c, pb, "#no-such-anchor", &t);
	assert_int_equal(t.kind, IRC_PB_TARGET_NONE);
	irc_case_anchor_resolve(c, pb, "#", &t);
	assert_int_equal(t.kind, IRC_PB_TARGET_NONE);

	/* The stored step anchors work without the parsed playbook. */
	irc_case_anchor_resolve(c, NULL, "#ask-the-user", &t);
	assert_int_equal(t.kind, IRC_PB_TARGET_STEP);
	assert_int_equal(t.seq, 2);
	irc_case_anchor_resolve(c, NULL, "#overview", &t);
	assert_int_equal(t.kind, IRC_PB_TARGET_NONE);

	irc_playbook_free(pb);
	irc_case_free(c);
}

static void
anchors_without_stored_column(void **state)
{
	struct case_fixture *f = *state;
	int64_t id = case_from(f, "tests/data/playbooks/panes-links.md", 0);
	struct irc_playbook *pb = NULL;
	struct irc_case_target t;
	struct irc_error err;
	struct irc_case *c;
	char sql[128];

	/* A case opened before anchors were stored has NULL in the column. */
	snprintf(sql, sizeof sql, "UPDATE step SET anchor = NULL WHERE "
	    "case_id = %lld", (long long)id);
	assert_int_equal(sqlite3_exec(irc_db_handle(f->db), sql, NULL, NULL,
	    NULL), SQLITE_OK);
	c = case_get(f, id);
	assert_null(c->steps[3].anchor);
	assert_int_equal(irc_case_playbook(f->db, c, &pb, &err), IRC_OK);
	irc_case_anchor_resolve(c, pb, "#reset-the-password", &t);
	assert_int_equal(t.kind, IRC_PB_TARGET_STEP);
	assert_int_equal(t.seq, 4);
	irc_playbook_free(pb);
	irc_case_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(snapshot_gives_panes,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(snapshot_over_size_limit_parses,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(snapshot_keeps_its_part,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(anchors_resolve_in_case,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(anchors_without_stored_column,
		    case_fixture_setup, case_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
