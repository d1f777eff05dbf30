/*
 * pane_lifecycle.c: the record panes of the Prepare, Report, Assess,
 * Respond and Learn phases (ISO/IEC 27001:2013 A.16.1.1 to A.16.1.6,
 * 2022 5.24 to 5.27 and 6.8).  Each pane reads the case's records through
 * irc_lifecycle_to_json() and adds them through the lifecycle functions of
 * core/.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clock.h"
#include "config.h"
#include "lifecycle.h"
#include "mem.h"
#include "model.h"
#include "records.h"
#include "timeutil.h"

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/*
 * Formats a time of the lifecycle JSON, integer microseconds or an RFC
 * 3339 string, as local time with its offset (irc_time_local), or "-".
 * A string that does not parse is returned as it is.
 */
static const char *when(json_t *o, const char *key, char *buf, size_t size)
{
	json_t *v = json_object_get(o, key);
	int64_t us;
	int offset;

	if (json_is_string(v)) {
		if (irc_time_parse(json_string_value(v), &us, &offset, NULL) !=
		    IRC_OK)
			return json_string_value(v);
		return irc_time_local(us, buf, size);
	}
	if (!json_is_integer(v))
		return "-";
	return irc_time_local(json_integer_value(v), buf, size);
}

static enum irc_status records_json(struct tui *t, int64_t case_id,
    json_t **out, struct irc_error *err)
{
	return irc_lifecycle_to_json(t->db, case_id, out, err);
}

/* Parses an optional time answer; "" leaves w at 0 (now). */
static enum irc_status answer_time(const char *text, struct irc_when *w,
    struct irc_error *err)
{
	w->us = 0;
	w->offset = 0;
	if (*text == '\0')
		return IRC_OK;
	return irc_time_parse(text, &w->us, &w->offset, err);
}

static enum irc_status prepare_load(struct tui *t, int64_t case_id,
    struct rec_lines *out, struct irc_error *err)
{
	struct irc_config *cfg = NULL;
	json_t *o, *r;
	char buf[64];
	size_t i;

	if (records_json(t, case_id, &o, err) != IRC_OK)
		return err->status;
	rec_add(out, TUI_ROLE_HEADING, 0, "Roles on this case");
	json_array_foreach(json_object_get(o, "roles"), i, r)
		rec_add(out, TUI_ROLE_NORMAL, 0, "  %-20s %s  since %s",
		    str(r, "role"), str(r, "person"),
		    when(r, "assigned_at", buf, sizeof(buf)));
	if (json_array_size(json_object_get(o, "roles")) == 0)
		rec_add(out, TUI_ROLE_DIM, 0, "  none yet: press a to assign one");
	json_decref(o);

	rec_add(out, TUI_ROLE_HEADING, 0, "Contacts (config.yaml)");
	if (irc_config_load(NULL, &cfg, err) != IRC_OK) {
		rec_add(out, TUI_ROLE_ERROR, 0, "  %s", err->msg);
		irc_error_clear(err);
		return IRC_OK;
	}
	for (i = 0; i < cfg->ncontacts; i++) {
		const struct irc_config_contact *c = &cfg->contacts[i];

		rec_add(out, TUI_ROLE_NORMAL, 0, "  %-10s %s  %s  %s", c->role,
		    c->name, rec_opt(c->email), rec_opt(c->phone));
	}
	if (cfg->ncontacts == 0)
		rec_add(out, TUI_ROLE_DIM, 0, "  none configured");
	irc_config_free(cfg);
	return IRC_OK;
}

static enum irc_status prepare_submit(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	enum irc_status st = irc_case_role_set(t->db, case_id, values[0],
	    values[1], &t->actor, err);

	if (st == IRC_OK)
		snprintf(done, done_size, "%s is now %s.", values[1], values[0]);
	return st;
}

static const struct rec_form prepare_forms[] = {
	{ TUI_ACT_REC_ADD, {
	    { "Role: ", "role", false, irc_roles, NULL, false },
	    { "Person: ", "person", false, NULL, NULL, false },
	}, false, NULL, prepare_submit },
};

const struct rec_kind pane_prepare = {
	.title = "Prepare: roles and contacts (A.16.1.1, 5.24)",
	.hint = "a assign a role  ? keys  q back",
	.load = prepare_load,
	.forms = prepare_forms,
	.nforms = 1,
};

static enum irc_status report_load(struct tui *t, int64_t case_id,
    struct rec_lines *out, struct irc_error *err)
{
	json_t *o, *r;
	char buf[64];
	size_t i;

	if (records_json(t, case_id, &o, err) != IRC_OK)
		return err->status;
	json_array_foreach(json_object_get(o, "reports"), i, r) {
		rec_add(out, TUI_ROLE_HEADING, 0, "%lld  %s by %s, received %s",
		    (long long)json_integer_value(json_object_get(r, "number")),
		    str(r, "channel"), str(r, "reporter"),
		    when(r, "received_at", buf, sizeof(buf)));
		rec_add(out, TUI_ROLE_NORMAL, 0, "   %s", str(r, "text"));
	}
	json_decref(o);
	return IRC_OK;
}

static enum irc_status report_submit(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	struct irc_when received;
	int64_t number = 0;
	enum irc_status st;

	if ((st = answer_time(values[2], &received, err)) != IRC_OK)
		return st;
	st = irc_case_report_add(t->db, case_id, values[0], values[1],
	    received, values[3], &t->actor, &number, err);
	if (st == IRC_OK)
		snprintf(done, done_size, "Report %" PRId64 " recorded.", number);
	return st;
}

static const struct rec_form report_forms[] = {
	{ TUI_ACT_REC_ADD, {
	    { "Reported by: ", "reporter", false, NULL, NULL, false },
	    { "Channel: ", "channel", false, irc_report_channels, NULL, false },
	    { "Received (empty for now, or 2026-03-29 15:05): ", "received",
		true, NULL, rec_check_time, false },
	    { "What was said: ", "text", false, NULL, NULL, false },
	}, false, NULL, report_submit },
};

const struct rec_kind pane_report = {
	.title = "Report (A.16.1.2, A.16.1.3, 6.8)",
	.hint = "a add a report  ? keys  q back",
	.load = report_load,
	.forms = report_forms,
	.nforms = 1,
};

static enum irc_status assess_load(struct tui *t, int64_t case_id,
    struct rec_lines *out, struct irc_error *err)
{
	json_t *o, *r;
	char buf[64], left[32];
	size_t i;

	if (records_json(t, case_id, &o, err) != IRC_OK)
		return err->status;
	rec_add(out, TUI_ROLE_HEADING, 0, "Verdict: %s  category: %s  TLP %s  "
	    "PAP %s", *str(o, "verdict") ? str(o, "verdict") : "not decided",
	    *str(o, "category") ? str(o, "category") : "-", str(o, "tlp"),
	    str(o, "pap"));
	rec_add(out, TUI_ROLE_NORMAL, 0, "Aware since: %s",
	    when(o, "aware_at", buf, sizeof(buf)));
	json_array_foreach(json_object_get(o, "decisions"), i, r)
		rec_add(out, TUI_ROLE_NORMAL, 0, "  %s  %s by %s: %s",
		    when(r, "decided_at", buf, sizeof(buf)), str(r, "verdict"),
		    str(r, "decided_by"), str(r, "reason"));
	/* A clock line's id is its position + 1 in irc_clock_list() order. */
	json_array_foreach(json_object_get(o, "clocks"), i, r) {
		const char *deadline = when(r, "deadline", buf, sizeof(buf));
		char sent[64];

		if (strcmp(str(r, "state"), "notified") == 0) {
			rec_add(out, TUI_ROLE_DONE, (int64_t)i + 1, "  clock %s: "
			    "deadline %s, notified %s to %s %s", str(r, "rule"),
			    deadline, when(r, "notified_at", sent, sizeof(sent)),
			    str(r, "notified_to"),
			    str(r, "ref"));
			continue;
		}
		irc_duration(json_integer_value(json_object_get(r,
		    "time_left_us")), left, sizeof(left));
		rec_add(out, TUI_ROLE_DIM, (int64_t)i + 1, "  clock %s: deadline "
		    "%s, %s left", str(r, "rule"), deadline, left);
	}
	json_decref(o);
	return IRC_OK;
}

static enum irc_status assess_check_severity(const char *value,
    struct irc_error *err)
{
	int severity;

	if (irc_severity_parse(value, &severity))
		return IRC_OK;
	return irc_fail(err, IRC_ERR_INVALID, "invalid severity '%s'; use 1 "
	    "(low) to 4 (critical)", value);
}

static enum irc_status assess_submit(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	struct irc_decision_input in;
	struct irc_config *cfg = NULL;
	const char *verdict = values[0];
	enum irc_status st;

	memset(&in, 0, sizeof(in));
	in.verdict = verdict;
	in.reason = values[1];
	in.category = *values[3] ? values[3] : NULL;
	in.tlp = *values[5] ? values[5] : NULL;
	if (*values[2] != '\0' && !irc_severity_parse(values[2], &in.severity))
		return assess_check_severity(values[2], err);
	if ((st = answer_time(values[4], &in.aware, err)) == IRC_OK &&
	    (st = irc_config_load(NULL, &cfg, err)) == IRC_OK)
		st = irc_case_decide(t->db, case_id, &in, cfg, &t->actor, err);
	if (st == IRC_OK)
		snprintf(done, done_size, "Decision recorded: %s.", verdict);
	irc_config_free(cfg);
	return st;
}

/* Stops the selected clock (id from assess_load) with a notification. */
static enum irc_status assess_submit_notify(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	struct irc_clock *list = NULL;
	struct irc_when at;
	size_t n = 0;
	enum irc_status st;

	if ((st = answer_time(values[2], &at, err)) != IRC_OK ||
	    (st = irc_clock_list(t->db, case_id, false, &list, &n, err)) !=
	    IRC_OK)
		return st;
	if (id < 1 || (size_t)id > n)
		st = irc_fail(err, IRC_ERR_INVALID, "select a clock line first "
		    "(j, k)");
	else
		st = irc_clock_notify(t->db, case_id, list[id - 1].rule,
		    values[0], *values[1] ? values[1] : NULL, at, &t->actor,
		    err);
	if (st == IRC_OK)
		snprintf(done, done_size, "Clock %s stopped: %s notified.",
		    list[id - 1].rule, values[0]);
	irc_clocks_free(list, n);
	return st;
}

static const struct rec_form assess_forms[] = {
	{ TUI_ACT_REC_ADD, {
	    { "Verdict: ", "decision", false, irc_verdicts, NULL, false },
	    { "Reason: ", "reason", false, NULL, NULL, false },
	    { "Severity 1-4 or low..critical (empty to keep): ", "severity",
		true, NULL, assess_check_severity, false },
	    { "Category (empty to keep): ", "category", true, NULL, NULL, false },
	    { "Aware since (empty to keep, or 2026-03-29 15:05): ", "aware",
		true, NULL, rec_check_time, false },
	    { "TLP (empty to keep): ", "TLP", true, irc_tlp_levels, NULL, false },
	}, false, NULL, assess_submit },
	{ TUI_ACT_REC_NOTIFY, {
	    { "Notified whom: ", "recipient", false, NULL, NULL, false },
	    { "Reference (optional): ", "reference", true, NULL, NULL, false },
	    { "Sent (empty for now, or 2026-03-29 15:05): ", "time", true,
		NULL, rec_check_time, false },
	}, true, "Select a clock line first (j, k).", assess_submit_notify },
};

const struct rec_kind pane_assess = {
	.title = "Assess: the decision (A.16.1.4, 5.25)",
	.hint = "a record the decision  n notify (selected clock)  ? keys  q back",
	.load = assess_load,
	.forms = assess_forms,
	.nforms = sizeof(assess_forms) / sizeof(assess_forms[0]),
};

static enum irc_status respond_load(struct tui *t, int64_t case_id,
    struct rec_lines *out, struct irc_error *err)
{
	json_t *o, *r;
	char buf[64];
	size_t i;

	if (records_json(t, case_id, &o, err) != IRC_OK)
		return err->status;
	rec_add(out, TUI_ROLE_HEADING, 0, "Milestones");
	for (i = 0; irc_milestones[i] != NULL; i++) {
		json_t *found = NULL;
		size_t j;

		json_array_foreach(json_object_get(o, "milestones"), j, r)
			if (strcmp(str(r, "name"), irc_milestones[i]) == 0)
				found = r;
		if (found != NULL)
			rec_add(out, TUI_ROLE_DONE, 0, "  [x] %-11s %s by %s %s",
			    irc_milestones[i], when(found, "reached_at", buf,
			    sizeof(buf)), str(found, "recorded_by"),
			    str(found, "note"));
		else
			rec_add(out, TUI_ROLE_NORMAL, 0, "  [ ] %s",
			    irc_milestones[i]);
	}
	rec_add(out, TUI_ROLE_DIM, 0, "The playbook's Respond steps are in the "
	    "case view.");
	json_decref(o);
	return IRC_OK;
}

static enum irc_status respond_submit(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	struct irc_when at;
	enum irc_status st;

	if ((st = answer_time(values[1], &at, err)) != IRC_OK)
		return st;
	st = irc_case_milestone(t->db, case_id, values[0], at,
	    *values[2] ? values[2] : NULL, &t->actor, err);
	if (st == IRC_OK)
		snprintf(done, done_size, "Milestone %s recorded.", values[0]);
	return st;
}

static const struct rec_form respond_forms[] = {
	{ TUI_ACT_REC_ADD, {
	    { "Milestone: ", "milestone", false, irc_milestones, NULL, false },
	    { "Reached (empty for now, or 2026-03-29 15:05): ", "time", true,
		NULL, rec_check_time, false },
	    { "Note (optional): ", "note", true, NULL, NULL, false },
	}, false, NULL, respond_submit },
};

const struct rec_kind pane_respond = {
	.title = "Respond: milestones (A.16.1.5, 5.26)",
	.hint = "a record a milestone  ? keys  q back",
	.load = respond_load,
	.forms = respond_forms,
	.nforms = 1,
};

static enum irc_status learn_load(struct tui *t, int64_t case_id,
    struct rec_lines *out, struct irc_error *err)
{
	json_t *o, *r;
	size_t i;

	if (records_json(t, case_id, &o, err) != IRC_OK)
		return err->status;
	rec_add(out, TUI_ROLE_HEADING, 0, "Lessons");
	json_array_foreach(json_object_get(o, "lessons"), i, r)
		rec_add(out, TUI_ROLE_NORMAL, 0, "  %-10s %s", str(r, "kind"),
		    str(r, "text"));
	rec_add(out, TUI_ROLE_HEADING, 0, "Follow-ups");
	json_array_foreach(json_object_get(o, "followups"), i, r)
		rec_add(out, strcmp(str(r, "state"), "done") == 0 ?
		    TUI_ROLE_DONE : TUI_ROLE_NORMAL,
		    json_integer_value(json_object_get(r, "id")),
		    "  %lld %s due %s, %s: %s",
		    (long long)json_integer_value(json_object_get(r, "id")),
		    str(r, "state"), str(r, "due"), str(r, "owner"),
		    str(r, "text"));
	json_decref(o);
	return IRC_OK;
}

static enum irc_status learn_submit_lesson(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	enum irc_status st = irc_case_lesson_add(t->db, case_id, values[0],
	    values[1], &t->actor, err);

	if (st == IRC_OK)
		snprintf(done, done_size, "Lesson recorded.");
	return st;
}

static enum irc_status learn_submit_followup(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	int64_t number = 0;
	enum irc_status st = irc_followup_add(t->db, case_id, values[0],
	    values[1], values[2], &t->actor, &number, err);

	if (st == IRC_OK)
		snprintf(done, done_size, "Follow-up %" PRId64 " recorded.",
		    number);
	return st;
}

static enum irc_status learn_submit_waive(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	enum irc_status st = irc_case_lesson_waive(t->db, case_id, values[0],
	    &t->actor, err);

	if (st == IRC_OK)
		snprintf(done, done_size, "Learn phase waived.");
	return st;
}

static enum irc_status learn_submit_done(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	enum irc_status st = irc_followup_done(t->db, id,
	    *values[0] ? values[0] : NULL, &t->actor, err);

	if (st == IRC_OK)
		snprintf(done, done_size, "Follow-up %" PRId64 " done.", id);
	return st;
}

static const struct rec_form learn_forms[] = {
	{ TUI_ACT_REC_ADD, {
	    { "Kind: ", "lesson kind", false, irc_lesson_kinds, NULL, false },
	    { "Lesson: ", "lesson", false, NULL, NULL, false },
	}, false, NULL, learn_submit_lesson },
	{ TUI_ACT_REC_FOLLOWUP, {
	    { "Owner: ", "owner", false, NULL, NULL, false },
	    { "Due (YYYY-MM-DD): ", "due date", false, NULL,
		irc_followup_due_check, false },
	    { "Corrective action: ", "text", false, NULL, NULL, false },
	}, false, NULL, learn_submit_followup },
	{ TUI_ACT_REC_WAIVE, {
	    { "Reason to waive the lessons: ", "reason", false, NULL, NULL, false },
	}, false, NULL, learn_submit_waive },
	{ TUI_ACT_REC_DONE, {
	    { "Done; note (optional): ", "note", true, NULL, NULL, false },
	}, true, "Select a follow-up line first (j, k).", learn_submit_done },
};

const struct rec_kind pane_learn = {
	.title = "Learn: lessons and follow-ups (A.16.1.6, 5.27)",
	.hint = "a lesson  f follow-up  d done (selected)  w waive  ? keys  q back",
	.load = learn_load,
	.forms = learn_forms,
	.nforms = sizeof(learn_forms) / sizeof(learn_forms[0]),
};
