/*
 * test_lifecycle.c: the incident-lifecycle records (roles, reports,
 * decisions, milestones, approval, lessons, follow-ups, clocks, closing,
 * metrics, the weakness register) and the clock arithmetic across DST
 * changes in Europe/London and in Africa/Lagos, which has none.
 */
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "unit_db.h"

#include "case.h"
#include "clock.h"
#include "db.h"
#include "lifecycle.h"
#include "metrics.h"
#include "timeutil.h"
#include "weakness.h"

#define HOUR ((int64_t)3600 * 1000000)

struct fixture {
	char dir[64];
	char path[96];
	struct irc_db *db;
	struct irc_actor alice, bob;
	int64_t case_id;
};

static const char playbook_text[] =
    "# Test\n"
    "## Contain\n"
    "- [ ] Isolate the host (approval)\n"
    "- [ ] Reset passwords\n"
    "## Lessons learned\n"
    "- [ ] Hold a review\n";

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	snprintf(f->dir, sizeof f->dir, "/tmp/ircase-unit.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	snprintf(f->alice.login, sizeof f->alice.login, "alice");
	snprintf(f->bob.login, sizeof f->bob.login, "bob");
	assert_int_equal(irc_db_open(f->path, &f->db, &err), IRC_OK);
	assert_int_equal(irc_playbook_parse("test.md", playbook_text,
	    strlen(playbook_text), NULL, &pb, &err), IRC_OK);
	assert_int_equal(irc_case_create(f->db, pb, "Case", 2, &f->alice,
	    &f->case_id, &err), IRC_OK);
	irc_playbook_free(pb);
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

static void
zone_set(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static int64_t
parse(const char *text)
{
	int64_t t = 0;

	assert_int_equal(irc_time_parse(text, &t, NULL, NULL), IRC_OK);
	return t;
}

static void
tables_created(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name IN ('case_role', 'report',"
	    " 'decision', 'milestone', 'lesson', 'followup', 'clock',"
	    " 'weakness', 'chain_head')"), 9);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'trigger' AND tbl_name = 'weakness'"), 2);
}

static void
hours_cross_london_dst(void **state)
{
	int64_t start, end;
	char buf[64];

	zone_set("Europe/London");
	/* 72 h from Friday noon GMT ends Monday 13:00 BST: same instant + 72 h. */
	start = parse("2026-03-27 12:00");
	end = irc_clock_deadline(start, 72, 0);
	assert_true(end - start == 72 * HOUR);
	assert_string_equal(irc_time_local(end, buf, sizeof buf),
	    "2026-03-30 13:00:00 +0100");
	/* Back to GMT in October: the local clock shows an hour earlier. */
	start = parse("2026-10-23 12:00");
	end = irc_clock_deadline(start, 72, 0);
	assert_string_equal(irc_time_local(end, buf, sizeof buf),
	    "2026-10-26 11:00:00 +0000");
}

static void
month_keeps_local_time(void **state)
{
	int64_t start, end;
	char buf[64];

	zone_set("Europe/London");
	start = parse("2026-03-10 09:00");
	end = irc_clock_deadline(start, 0, 1);
	assert_string_equal(irc_time_local(end, buf, sizeof buf),
	    "2026-04-10 09:00:00 +0100");
	assert_true(end - start == (31 * 24 - 1) * HOUR);
	/* 31 January plus one month is the last day of February. */
	start = parse("2026-01-31 08:00");
	end = irc_clock_deadline(start, 0, 1);
	assert_string_equal(irc_time_local(end, buf, sizeof buf),
	    "2026-02-28 08:00:00 +0000");
	/* December rolls into the next year. */
	end = irc_clock_deadline(parse("2026-12-15 08:00"), 0, 1);
	assert_string_equal(irc_time_local(end, buf, sizeof buf),
	    "2027-01-15 08:00:00 +0000");
}

static void
lagos_has_no_dst(void **state)
{
	int64_t start, end;
	char buf[64];

	zone_set("Africa/Lagos");
	start = parse("2026-03-27 12:00");
	assert_true(start == parse("2026-03-27T11:00:00Z"));
	end = irc_clock_deadline(start, 72, 0);
	assert_string_equal(irc_time_local(end, buf, sizeof buf),
	    "2026-03-30 12:00:00 +0100");
	end = irc_clock_deadline(parse("2026-03-10 09:00"), 0, 1);
	assert_string_equal(irc_time_local(end, buf, sizeof buf),
	    "2026-04-10 09:00:00 +0100");
}

static void
local_time_gap_rejected(void **state)
{
	struct irc_error err;
	int64_t t;
	int offset = 0;

	zone_set("Europe/London");
	irc_error_clear(&err);
	assert_int_equal(irc_time_parse("2026-03-29 01:30", &t, &offset, &err),
	    IRC_ERR_INVALID);
	assert_int_equal(irc_time_parse("2026-10-25 01:30", &t, &offset, &err),
	    IRC_ERR_INVALID);
	assert_int_equal(irc_time_parse("2026-07-01 12:00", &t, &offset, &err),
	    IRC_OK);
	assert_int_equal(offset, 3600);
}

static void
builtin_rules_found(void **state)
{
	struct irc_clock_rule r;

	assert_true(irc_clock_rule_find(NULL, "gdpr", &r));
	assert_int_equal(r.hours, 72);
	assert_true(irc_clock_rule_find(NULL, "ndpr", &r));
	assert_int_equal(r.hours, 72);
	assert_true(irc_clock_rule_find(NULL, "nis2-early-warning", &r));
	assert_int_equal(r.hours, 24);
	assert_true(irc_clock_rule_find(NULL, "nis2-notification", &r));
	assert_int_equal(r.hours, 72);
	assert_true(irc_clock_rule_find(NULL, "nis2-final-report", &r));
	assert_int_equal(r.months, 1);
	assert_true(irc_clock_rule_find(NULL, "pci-dss", &r));
	assert_int_equal(r.hours, 24);
	assert_false(irc_clock_rule_find(NULL, "sla", &r));
}

static void
role_handover_recorded(void **state)
{
	struct fixture *f = *state;
	struct irc_error err;

	assert_int_equal(irc_case_role_set(f->db, f->case_id, "scribe", "Ada",
	    &f->alice, &err), IRC_OK);
	assert_int_equal(irc_case_role_set(f->db, f->case_id, "scribe", "Bola",
	    &f->alice, &err), IRC_OK);
	assert_int_equal(irc_case_role_set(f->db, f->case_id, "scribe", "Bola",
	    &f->alice, &err), IRC_ERR_INVALID);
	assert_int_equal(irc_case_role_set(f->db, f->case_id, "boss", "X",
	    &f->alice, &err), IRC_ERR_INVALID);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM action WHERE"
	    " kind = 'role.assign'"), 2);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM case_role"), 1);
}

static void
report_and_milestone_keep_offset(void **state)
{
	struct fixture *f = *state;
	struct irc_when at = { 0, 0 };
	struct irc_error err;
	int64_t n = 0;

	/* After the fixture case opened (now), so the milestone may be there. */
	setenv("IRCASE_TEST_NOW", "2099-06-01T12:00:00Z", 1);
	at.us = parse("2099-06-01T10:00:00+01:00");
	at.offset = 3600;
	assert_int_equal(irc_case_report_add(f->db, f->case_id, "SOC", "chat",
	    at, "Beacon seen", &f->alice, &n, &err), IRC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(irc_case_report_add(f->db, f->case_id, "SOC", "fax",
	    at, "x", &f->alice, &n, &err), IRC_ERR_INVALID);
	assert_int_equal(unit_sql_int(f->db, "SELECT count(*) FROM action WHERE"
	    " json_extract(body, '$.received_at') = '2099-06-01T10:00:00+01:00'"),
	    1);
	assert_int_equal(irc_case_milestone(f->db, f->case_id, "contained", at,
	    NULL, &f->alice, &err), IRC_OK);
	assert_int_equal(irc_case_milestone(f->db, f->case_id, "contained", at,
	    NULL, &f->alice, &err), IRC_ERR_CONFLICT);
	assert_int_equal(irc_case_milestone(f->db, f->case_id, "done", at,
	    NULL, &f->alice, &err), IRC_ERR_INVALID);

	/* Record times: milestones in order, none past the clock's slack. */
	at.us = parse("2099-06-01T08:59:00Z");
	assert_int_equal(irc_case_milestone(f->db, f->case_id, "recovered", at,
	    NULL, &f->alice, &err), IRC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "would be before contained"));
	at.us = parse("2099-06-01T12:06:00Z");
	assert_int_equal(irc_case_milestone(f->db, f->case_id, "recovered", at,
	    NULL, &f->alice, &err), IRC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "in the future"));
	at.us = parse("2099-06-01T12:04:00Z");
	assert_int_equal(irc_case_milestone(f->db, f->case_id, "recovered", at,
	    NULL, &f->alice, &err), IRC_OK);
	unsetenv("IRCASE_TEST_NOW");
}

static void
decision_moves_clocks(void **state)
{
	struct fixture *f = *state;
	struct irc_decision_input in;
	struct irc_clock c;
	struct irc_error err;
	bool found = false;

	zone_set("UTC");
	memset(&in, 0, sizeof in);
	in.verdict = "incident";
	in.reason = "confirmed";
	in.aware.us = parse("2026-05-01T08:00:00Z");
	assert_int_equal(irc_case_decide(f->db, f->case_id, &in, NULL, &f->alice,
	    &err), IRC_OK);
	assert_int_equal(irc_clock_start(f->db, f->case_id, "nis2-early-warning",
	    NULL, &f->alice, &err), IRC_OK);
	assert_int_equal(irc_clock_start(f->db, f->case_id, "gdpr", NULL,
	    &f->alice, &err), IRC_OK);
	assert_int_equal(irc_clock_nearest(f->db, f->case_id, &c, &found, &err),
	    IRC_OK);
	assert_true(found);
	assert_string_equal(c.rule, "nis2-early-warning");
	assert_true(c.deadline == parse("2026-05-02T08:00:00Z"));
	assert_true(irc_clock_elapsed_fraction(&c, parse("2026-05-01T20:00:00Z"))
	    == 0.5);
	irc_clock_clear(&c);

	/* A later decision with an earlier awareness time moves the deadlines. */
	in.aware.us = parse("2026-05-01T02:00:00Z");
	assert_int_equal(irc_case_decide(f->db, f->case_id, &in, NULL, &f->alice,
	    &err), IRC_OK);
	assert_int_equal(irc_clock_nearest(f->db, f->case_id, &c, &found, &err),
	    IRC_OK);
	assert_true(c.deadline == parse("2026-05-02T02:00:00Z"));
	irc_clock_clear(&c);

	assert_int_equal(irc_clock_notify(f->db, f->case_id,
	    "nis2-early-warning", "CSIRT", "REF-1", (struct irc_when){ 0, 0 },
	    &f->alice, &err), IRC_OK);
	assert_int_equal(irc_clock_nearest(f->db, f->case_id, &c, &found, &err),
	    IRC_OK);
	assert_string_equal(c.rule, "gdpr");
	irc_clock_clear(&c);
	in.verdict = "maybe";
	assert_int_equal(irc_case_decide(f->db, f->case_id, &in, NULL, &f->alice,
	    &err), IRC_ERR_INVALID);
}

static void
approval_needs_second_login(void **state)
{
	struct fixture *f = *state;
	struct irc_error err;

	assert_int_equal(irc_case_step_set(f->db, f->case_id, 1, IRC_STEP_DONE,
	    NULL, &f->alice, &err), IRC_OK);
	assert_int_equal(unit_sql_int(f->db, "SELECT state = 'active' AND"
	    " approval_requested_by = 'alice' FROM step WHERE seq = 1"), 1);
	assert_int_equal(irc_case_step_approve(f->db, f->case_id, 1, &f->alice,
	    &err), IRC_ERR_INVALID);
	assert_int_equal(irc_case_step_approve(f->db, f->case_id, 1, &f->bob,
	    &err), IRC_OK);
	assert_int_equal(unit_sql_int(f->db, "SELECT state = 'done' FROM step"
	    " WHERE seq = 1"), 1);
	assert_int_equal(irc_case_step_approve(f->db, f->case_id, 2, &f->bob,
	    &err), IRC_ERR_INVALID);
}

/* Returns the number of missing items the close rule lists now. */
static size_t
missing_count(struct fixture *f)
{
	struct irc_error err;
	struct irc_close_missing *missing = NULL;
	size_t n = 0;

	assert_int_equal(irc_case_close_check(f->db, f->case_id, &missing, &n,
	    &err), IRC_OK);
	irc_close_missing_free(missing, n);
	return n;
}

static void
close_rule_each_piece(void **state)
{
	struct fixture *f = *state;
	struct irc_decision_input in;
	struct irc_error err;
	struct irc_close_missing *missing = NULL;
	size_t n = 0;

	/* No decision: one item. */
	assert_int_equal(missing_count(f), 1);
	memset(&in, 0, sizeof in);
	in.verdict = "incident";
	in.reason = "confirmed";
	assert_int_equal(irc_case_decide(f->db, f->case_id, &in, NULL, &f->alice,
	    &err), IRC_OK);
	/* Two Respond steps and two Learn items. */
	assert_int_equal(missing_count(f), 4);
	assert_int_equal(irc_case_step_set(f->db, f->case_id, 1, IRC_STEP_NA,
	    NULL, &f->alice, &err), IRC_OK);
	/* A skip without a note is still missing. */
	assert_int_equal(irc_case_step_set(f->db, f->case_id, 2,
	    IRC_STEP_SKIPPED, NULL, &f->alice, &err), IRC_OK);
	assert_int_equal(missing_count(f), 3);
	assert_int_equal(irc_case_step_set(f->db, f->case_id, 2,
	    IRC_STEP_PENDING, NULL, &f->alice, &err), IRC_OK);
	assert_int_equal(irc_case_step_set(f->db, f->case_id, 2,
	    IRC_STEP_SKIPPED, "not needed", &f->alice, &err), IRC_OK);
	assert_int_equal(missing_count(f), 2);
	assert_int_equal(irc_case_lesson_add(f->db, f->case_id, "root_cause",
	    "weak password", &f->alice, &err), IRC_OK);
	assert_int_equal(missing_count(f), 1);
	assert_int_equal(irc_case_close(f->db, f->case_id, NULL, &f->alice,
	    &missing, &n, &err), IRC_ERR_INVALID);
	assert_int_equal(n, 1);
	assert_int_equal(missing[0].kind, IRC_MISSING_LESSON);
	assert_int_equal(missing[0].step, 0);
	irc_close_missing_free(missing, n);
	assert_int_equal(irc_case_lesson_waive(f->db, f->case_id, "drill",
	    &f->alice, &err), IRC_OK);
	assert_int_equal(irc_case_close(f->db, f->case_id, "done", &f->alice,
	    &missing, &n, &err), IRC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(unit_sql_int(f->db, "SELECT status = 'closed' FROM"
	    " \"case\""), 1);
}

static void
followup_overdue_marked(void **state)
{
	struct fixture *f = *state;
	struct irc_followup *list = NULL;
	struct irc_error err;
	size_t n = 0;
	int64_t id = 0;

	zone_set("UTC");
	assert_int_equal(irc_followup_add(f->db, f->case_id, "IT", "2026-03-01",
	    "Enable MFA", &f->alice, &id, &err), IRC_OK);
	assert_int_equal(irc_followup_add(f->db, f->case_id, "IT", "2026-13-01",
	    "x", &f->alice, &id, &err), IRC_ERR_INVALID);
	assert_int_equal(irc_followup_list(f->db, 0, true, &list, &n, &err),
	    IRC_OK);
	assert_int_equal(n, 1);
	assert_true(irc_followup_overdue(&list[0], parse("2026-03-02T00:00:00Z")));
	assert_false(irc_followup_overdue(&list[0],
	    parse("2026-03-01T23:00:00Z")));
	irc_followups_free(list, n);
	assert_int_equal(irc_followup_done(f->db, 1, NULL, &f->bob, &err),
	    IRC_OK);
	assert_int_equal(irc_followup_done(f->db, 1, NULL, &f->bob, &err),
	    IRC_ERR_INVALID);
	assert_int_equal(irc_followup_done(f->db, 99, NULL, &f->bob, &err),
	    IRC_ERR_NOT_FOUND);
}

static void
metrics_from_log(void **state)
{
	struct fixture *f = *state;
	struct irc_decision_input in;
	struct irc_case *c = NULL;
	struct irc_metrics m;
	struct irc_error err;

	/* Later than the fixture case opened, so the milestone is valid. */
	setenv("IRCASE_TEST_NOW", "2099-05-01T10:00:00Z", 1);
	memset(&in, 0, sizeof in);
	in.verdict = "incident";
	in.reason = "confirmed";
	assert_int_equal(irc_case_decide(f->db, f->case_id, &in, NULL, &f->alice,
	    &err), IRC_OK);
	setenv("IRCASE_TEST_NOW", "2099-05-01T12:30:00Z", 1);
	assert_int_equal(irc_case_milestone(f->db, f->case_id, "contained",
	    (struct irc_when){ 0, 0 }, NULL, &f->alice, &err), IRC_OK);
	unsetenv("IRCASE_TEST_NOW");
	assert_int_equal(irc_case_load(f->db, f->case_id, &c, &err), IRC_OK);
	irc_metrics_compute(c, &m);
	assert_true(m.to[IRC_METRIC_CONTAIN] - m.to[IRC_METRIC_ASSESS] ==
	    (int64_t)150 * 60 * 1000000);
	assert_true(m.to[IRC_METRIC_RECOVER] == -1);
	assert_true(m.phase[IRC_PHASE_ASSESS] == 0);
	assert_true(m.phase[IRC_PHASE_PREPARE] == -1);
	irc_case_free(c);
}

static void
weakness_chain_checked(void **state)
{
	struct fixture *f = *state;
	struct irc_verify_result v;
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	int64_t id = 0, case_id = 0;

	assert_int_equal(irc_weakness_add(f->db, "Sam", "Open share", &f->alice,
	    &id, &err), IRC_OK);
	assert_int_equal(id, 1);
	assert_int_equal(irc_weakness_add(f->db, "Sam", "Old TLS", &f->alice,
	    &id, &err), IRC_OK);
	assert_int_equal(irc_playbook_parse("t.md", playbook_text,
	    strlen(playbook_text), NULL, &pb, &err), IRC_OK);
	assert_int_equal(irc_weakness_promote(f->db, 1, pb, "Share", 2,
	    &f->alice, &case_id, &err), IRC_OK);
	assert_int_equal(irc_weakness_promote(f->db, 1, pb, "Share", 2,
	    &f->alice, &case_id, &err), IRC_ERR_INVALID);
	assert_int_equal(irc_weakness_promote(f->db, 9, pb, "Share", 2,
	    &f->alice, &case_id, &err), IRC_ERR_NOT_FOUND);
	irc_playbook_free(pb);
	assert_int_equal(irc_weakness_verify(f->db, &v, &err), IRC_OK);
	assert_true(v.ok);
	assert_int_equal(v.checked, 3);
	assert_int_equal(sqlite3_exec(irc_db_handle(f->db), "DROP TRIGGER"
	    " weakness_no_delete; DELETE FROM weakness WHERE seq = 3", NULL,
	    NULL, NULL), SQLITE_OK);
	assert_int_equal(irc_weakness_verify(f->db, &v, &err), IRC_OK);
	assert_false(v.ok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tables_created, setup, teardown),
		cmocka_unit_test(hours_cross_london_dst),
		cmocka_unit_test(month_keeps_local_time),
		cmocka_unit_test(lagos_has_no_dst),
		cmocka_unit_test(local_time_gap_rejected),
		cmocka_unit_test(builtin_rules_found),
		cmocka_unit_test_setup_teardown(role_handover_recorded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(report_and_milestone_keep_offset,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(decision_moves_clocks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(approval_needs_second_login,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(close_rule_each_piece, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(followup_overdue_marked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(metrics_from_log, setup, teardown),
		cmocka_unit_test_setup_teardown(weakness_chain_checked, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
