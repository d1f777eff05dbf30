/*
 * test_drill.c: the scenario parser, the drill clock, injects, the
 * after-action report and replay state, against a temporary database.
 * The clock is fixed with IRCASE_TEST_NOW, which test builds read.
 */
#include "unit.h"
#include "case_fixture.h"

#include "drill.h"
#include "replay.h"
#include "scenario.h"

static const char good[] =
    "---\n"
    "title: Unit drill\n"
    "playbook: fixture.md\n"
    "targets:\n"
    "  respond: 1h\n"
    "  Isolate the host: 10m\n"
    "---\n"
    "## Injects\n"
    "- T+10m: second\n"
    "  - observable: ip 192.0.2.7\n"
    "  - expect: Isolate the host\n"
    "- T+0m: first\n"
    "- T+1h30m: third\n"
    "  - severity: critical\n";

static struct irc_scenario *
parse(const char *text)
{
	struct irc_scenario *sc = NULL;
	struct irc_error err;

	assert_int_equal(irc_scenario_parse("s.md", text, strlen(text), &sc,
	    &err), IRC_OK);
	return sc;
}

/* Returns true when sc has a diagnostic on line that contains needle. */
static bool
has_diag(const struct irc_scenario *sc, int line, bool error,
    const char *needle)
{
	for (size_t i = 0; i < sc->ndiags; i++)
		if (sc->diags[i].line == line && sc->diags[i].error == error &&
		    strstr(sc->diags[i].message, needle) != NULL)
			return true;
	return false;
}

static void
duration_forms(void **state)
{
	int64_t us;

	(void)state;
	assert_true(irc_scenario_duration_parse("5m", &us));
	assert_int_equal(us, 300LL * 1000000);
	assert_true(irc_scenario_duration_parse("1h30m", &us));
	assert_int_equal(us, 5400LL * 1000000);
	assert_true(irc_scenario_duration_parse("2d1s", &us));
	assert_int_equal(us, (2LL * 86400 + 1) * 1000000);
	assert_true(irc_scenario_duration_parse("0", &us));
	assert_int_equal(us, 0);
	assert_false(irc_scenario_duration_parse("", &us));
	assert_false(irc_scenario_duration_parse("30m1h", &us));
	assert_false(irc_scenario_duration_parse("5", &us));
	assert_false(irc_scenario_duration_parse("5mm", &us));
	assert_false(irc_scenario_duration_parse("31d", &us));
	assert_false(irc_scenario_duration_parse("-5m", &us));
	assert_false(irc_scenario_duration_parse("99999999999999999999s", &us));
}

static void
offset_format(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(irc_scenario_offset_format(0, false, buf,
	    sizeof buf), "T+0m");
	assert_string_equal(irc_scenario_offset_format(5400LL * 1000000, false,
	    buf, sizeof buf), "T+1h30m");
	assert_string_equal(irc_scenario_offset_format(90LL * 1000000, true,
	    buf, sizeof buf), "1m30s");
}

static void
parse_good(void **state)
{
	struct irc_scenario *sc = parse(good);

	(void)state;
	assert_int_equal(sc->nerrors, 0);
	assert_string_equal(sc->title, "Unit drill");
	assert_string_equal(sc->playbook, "fixture.md");
	assert_int_equal(sc->ntargets, 2);
	assert_true(sc->targets[0].is_phase);
	assert_int_equal(sc->targets[0].phase, IRC_PHASE_RESPOND);
	assert_false(sc->targets[1].is_phase);
	assert_int_equal(sc->targets[1].us, 600LL * 1000000);
	assert_int_equal(sc->ninjects, 3);
	/* Sorted by offset, with the warning about file order. */
	assert_string_equal(sc->injects[0].text, "first");
	assert_int_equal(sc->injects[0].line, 12);
	assert_string_equal(sc->injects[1].text, "second");
	assert_string_equal(sc->injects[1].obs_type, "ip");
	assert_string_equal(sc->injects[1].obs_value, "192.0.2.7");
	assert_string_equal(sc->injects[1].expect, "Isolate the host");
	assert_int_equal(sc->injects[2].severity, 4);
	assert_int_equal(sc->injects[2].offset_us, 5400LL * 1000000);
	assert_true(has_diag(sc, 12, false, "comes after a later one"));
	irc_scenario_free(sc);
}

static void
parse_errors(void **state)
{
	struct irc_scenario *sc = parse(
	    "---\n"
	    "targets: [1, 2]\n"
	    "colour: blue\n"
	    "---\n"
	    "- T+5q: bad\n"
	    "- T+5m:\n"
	    "- T+6m: ok\n"
	    "  - observable: nothing 1\n"
	    "  - severity: 7\n"
	    "  - when: now\n");

	(void)state;
	assert_true(has_diag(sc, 1, true, "no title"));
	assert_true(has_diag(sc, 2, true, "targets must be a mapping"));
	assert_true(has_diag(sc, 3, false, "unknown key 'colour'"));
	assert_true(has_diag(sc, 5, true, "offset 'T+5q' is not valid"));
	assert_true(has_diag(sc, 6, true, "has no message"));
	assert_true(has_diag(sc, 8, true, "observable type 'nothing'"));
	assert_true(has_diag(sc, 9, true, "severity '7'"));
	assert_true(has_diag(sc, 10, true, "unknown inject attribute 'when'"));
	assert_int_equal(sc->ninjects, 1);
	irc_scenario_free(sc);
}

static void
parse_no_front_matter(void **state)
{
	struct irc_scenario *sc = parse("- T+1m: alone\n");

	(void)state;
	assert_true(has_diag(sc, 1, true, "no front matter"));
	irc_scenario_free(sc);
	sc = parse("---\ntitle: x\n- T+1m: never closed\n");
	assert_true(has_diag(sc, 1, true, "no closing '---'"));
	irc_scenario_free(sc);
	sc = parse("---\ntitle: [unclosed\n---\n- T+1m: a\n");
	assert_true(sc->nerrors > 0);
	irc_scenario_free(sc);
}

static void
parse_bad_bytes(void **state)
{
	struct irc_scenario *sc = NULL;
	struct irc_error err;

	(void)state;
	assert_int_equal(irc_scenario_parse("b.md", "---\n\0", 5, &sc, &err),
	    IRC_ERR_INVALID);
	assert_null(sc);
	assert_non_null(strstr(err.msg, "b.md:2"));
	assert_int_equal(irc_scenario_parse("b.md", "a\n\xff", 3, &sc, &err),
	    IRC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "invalid UTF-8"));
}

/*
 * A front matter whose value is still open at the end of the stream once
 * made the parser loop for ever (found by fuzz_scenario); it must end
 * with an error diagnostic.
 */
static void
parse_yaml_open_at_end(void **state)
{
	const char *rel = "tests/data/scenarios/crashes/yaml-ends-inside-value.md";
	const char *top = getenv("IRCASE_TOP");
	struct irc_scenario *sc = NULL;
	struct irc_error err;
	char path[4096], text[8192];
	size_t len;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof path, "%s/%s", top != NULL ? top : ".", rel);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	len = fread(text, 1, sizeof text, fp);
	fclose(fp);
	if (irc_scenario_parse("hang.md", text, len, &sc, &err) == IRC_OK) {
		assert_true(sc->nerrors > 0);
		irc_scenario_free(sc);
	}
}

/* Starts a drill of the fixture playbook at speed 60 at 10:00:00Z. */
static int64_t
drill_start(struct case_fixture *f, struct irc_scenario *sc)
{
	struct irc_playbook *pb = NULL;
	struct irc_drill_opts opts = { "Unit drill", 2, 60, sc };
	struct irc_error err;
	int64_t id = 0;

	setenv("IRCASE_TEST_NOW", "2026-03-02T10:00:00Z", 1);
	assert_int_equal(irc_playbook_parse("fixture.md", case_fixture_playbook,
	    sizeof case_fixture_playbook - 1, NULL, &pb, &err), IRC_OK);
	assert_int_equal(irc_drill_start(f->db, pb, &opts, &f->actor, &id,
	    &err), IRC_OK);
	irc_playbook_free(pb);
	return id;
}

static void
drill_kind_and_outbox(void **state)
{
	struct case_fixture *f = *state;
	struct irc_scenario *sc = parse(good);
	int64_t id = drill_start(f, sc);
	char sql[160];

	assert_int_equal(case_fixture_int(f, "SELECT count(*) FROM sqlite_master"
	    " WHERE name IN ('drill', 'drill_no_update', 'drill_no_delete')"), 3);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM \"case\" WHERE id = %lld"
	    " AND kind = 'drill'", (long long)id);
	assert_int_equal(case_fixture_int(f, sql), 1);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE case_id ="
	    " %lld AND target <> 'drill'", (long long)id);
	assert_int_equal(case_fixture_int(f, sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE case_id ="
	    " %lld", (long long)id);
	assert_int_equal(case_fixture_int(f, sql), 2);
	irc_scenario_free(sc);
	unsetenv("IRCASE_TEST_NOW");
}

static void
drill_tick_in_order(void **state)
{
	struct case_fixture *f = *state;
	struct irc_scenario *sc = parse(good);
	int64_t id = drill_start(f, sc);
	struct irc_error err;
	size_t n = 99;
	char sql[200];

	/* 5 wall seconds at speed 60: T+5m, so only the T+0m inject. */
	setenv("IRCASE_TEST_NOW", "2026-03-02T10:00:05Z", 1);
	assert_int_equal(irc_drill_tick(f->db, id, &f->actor, &n, &err), IRC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(irc_drill_tick(f->db, id, &f->actor, &n, &err), IRC_OK);
	assert_int_equal(n, 0);
	/* T+100m: the other two, in offset order. */
	setenv("IRCASE_TEST_NOW", "2026-03-02T10:01:40Z", 1);
	assert_int_equal(irc_drill_tick(f->db, id, &f->actor, &n, &err), IRC_OK);
	assert_int_equal(n, 2);
	snprintf(sql, sizeof sql, "SELECT json_extract(body, '$.drill_time_us')"
	    " FROM action WHERE case_id = %lld AND kind = 'drill.inject'"
	    " ORDER BY seq DESC LIMIT 1", (long long)id);
	assert_int_equal(case_fixture_int(f, sql), 6000LL * 1000000);
	snprintf(sql, sizeof sql, "SELECT json_extract(body, '$.index')"
	    " FROM action WHERE case_id = %lld AND kind = 'drill.inject'"
	    " ORDER BY seq DESC LIMIT 1", (long long)id);
	assert_int_equal(case_fixture_int(f, sql), 3);
	/* A case that is not a drill has no injects to deliver. */
	assert_int_equal(irc_drill_tick(f->db, f->case_id, &f->actor, &n, &err),
	    IRC_ERR_NOT_FOUND);
	irc_scenario_free(sc);
	unsetenv("IRCASE_TEST_NOW");
}

static void
drill_report_figures(void **state)
{
	struct case_fixture *f = *state;
	struct irc_scenario *sc = parse(good);
	int64_t id = drill_start(f, sc);
	struct irc_error err;
	json_t *r = NULL, *step, *inject;
	size_t n;

	setenv("IRCASE_TEST_NOW", "2026-03-02T10:00:10Z", 1);	/* T+10m */
	assert_int_equal(irc_drill_tick(f->db, id, &f->actor, &n, &err), IRC_OK);
	assert_int_equal(n, 2);
	setenv("IRCASE_TEST_NOW", "2026-03-02T10:00:13Z", 1);	/* T+13m */
	assert_int_equal(irc_case_step_set(f->db, id, 1, IRC_STEP_ACTIVE, NULL,
	    &f->actor, &err), IRC_OK);
	setenv("IRCASE_TEST_NOW", "2026-03-02T10:00:21Z", 1);	/* T+21m */
	assert_int_equal(irc_case_step_set(f->db, id, 1, IRC_STEP_DONE, NULL,
	    &f->actor, &err), IRC_OK);
	assert_int_equal(irc_case_step_set(f->db, id, 2, IRC_STEP_SKIPPED,
	    "no passwords here", &f->actor, &err), IRC_OK);
	assert_int_equal(irc_drill_report(f->db, id, &r, &err), IRC_OK);

	step = json_array_get(json_object_get(r, "steps"), 0);
	assert_int_equal(json_integer_value(json_object_get(step, "started_us")),
	    780LL * 1000000);
	assert_int_equal(json_integer_value(json_object_get(step,
	    "duration_us")), 480LL * 1000000);
	assert_int_equal(json_integer_value(json_object_get(step, "target_us")),
	    600LL * 1000000);
	assert_true(json_is_true(json_object_get(step, "met")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(r, "skipped"), 0), "reason")), "no passwords here");
	/* The second inject came at T+10m; the first action after it at T+13m. */
	inject = json_array_get(json_object_get(r, "injects"), 1);
	assert_int_equal(json_integer_value(json_object_get(inject,
	    "reaction_us")), 180LL * 1000000);
	assert_int_equal(json_integer_value(json_object_get(inject,
	    "expect_step")), 1);
	assert_int_equal(json_integer_value(json_object_get(inject,
	    "expect_closed_us")), 660LL * 1000000);
	/* The third inject is not due yet and is listed undelivered. */
	inject = json_array_get(json_object_get(r, "injects"), 2);
	assert_true(json_is_null(json_object_get(inject, "delivered_us")));
	assert_int_equal(json_array_size(json_object_get(r, "history")), 1);
	json_decref(r);
	irc_scenario_free(sc);
	unsetenv("IRCASE_TEST_NOW");
}

static void
replay_rebuilds_states(void **state)
{
	struct case_fixture *f = *state;
	struct irc_case *c = NULL;
	struct irc_error err;
	enum irc_step_state st[2];

	assert_int_equal(irc_case_step_set(f->db, f->case_id, 1,
	    IRC_STEP_ACTIVE, NULL, &f->actor, &err), IRC_OK);
	assert_int_equal(irc_case_step_set(f->db, f->case_id, 1, IRC_STEP_DONE,
	    NULL, &f->actor, &err), IRC_OK);
	assert_int_equal(irc_case_load(f->db, f->case_id, &c, &err), IRC_OK);
	assert_int_equal(c->nactions, 3);
	irc_replay_states(c, 1, st);
	assert_int_equal(st[0], IRC_STEP_PENDING);
	irc_replay_states(c, 2, st);
	assert_int_equal(st[0], IRC_STEP_ACTIVE);
	irc_replay_states(c, 3, st);
	assert_int_equal(st[0], IRC_STEP_DONE);
	assert_int_equal(st[1], IRC_STEP_PENDING);
	assert_int_equal(irc_replay_action_phase(c, &c->actions[1]),
	    IRC_PHASE_RESPOND);
	assert_int_equal(irc_replay_count_before(c, c->actions[1].time_us + 1),
	    c->actions[2].time_us > c->actions[1].time_us ? 2 : 3);
	irc_case_free(c);
}

static void
scenario_from_case_lints(void **state)
{
	struct case_fixture *f = *state;
	struct irc_scenario *sc;
	struct irc_error err;
	char *text = NULL;

	assert_int_equal(irc_drill_scenario_from_case(f->db, f->case_id, &text,
	    &err), IRC_OK);
	sc = parse(text);
	assert_int_equal(sc->nerrors, 0);
	assert_int_equal(sc->ninjects, 1);
	irc_scenario_free(sc);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(duration_forms),
		cmocka_unit_test(offset_format),
		cmocka_unit_test(parse_good),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(parse_no_front_matter),
		cmocka_unit_test(parse_bad_bytes),
		cmocka_unit_test(parse_yaml_open_at_end),
		cmocka_unit_test_setup_teardown(drill_kind_and_outbox,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(drill_tick_in_order,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(drill_report_figures,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(replay_rebuilds_states,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(scenario_from_case_lints,
		    case_fixture_setup, case_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
