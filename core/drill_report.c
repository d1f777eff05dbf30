/*
 * drill_report.c: the after-action report of a drill, as JSON and as
 * Markdown, and a scenario written from a past case.
 *
 * Every figure is a difference between two action timestamps, scaled by
 * the drill's speed into drill time: a drill run at speed 60 that took
 * one wall minute shows one hour.  A case that is not a drill is reported
 * at speed 1 from its opening.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case.h"
#include "clock.h"
#include "drill.h"
#include "mem.h"
#include "metrics.h"
#include "timeutil.h"

/* What the report needs from a case: the case, its drill and its clock. */
struct report_ctx {
	struct irc_case *c;
	struct irc_drill *d;	/* NULL for a case that is not a drill */
	int64_t start;		/* wall time of T+0 */
	int64_t speed;
};

/* Returns the drill time of wall time t. */
static int64_t
rc_time(const struct report_ctx *rc, int64_t t)
{
	return (t - rc->start) * rc->speed;
}

static json_t *
json_us(int64_t us)
{
	return us < 0 ? json_null() : json_integer(us);
}

static json_t *
json_met(int64_t value, int64_t target)
{
	if (value < 0 || target < 0)
		return json_null();
	return json_boolean(value <= target);
}

/* Returns the target for a phase key or a step (title or number), or -1. */
static int64_t
target_find(const struct report_ctx *rc, const char *name, int seq)
{
	const struct irc_scenario *sc = rc->d != NULL ? rc->d->scenario : NULL;
	char num[24];
	int64_t found = -1;

	if (sc == NULL)
		return -1;
	snprintf(num, sizeof num, "%d", seq);
	for (size_t i = 0; i < sc->ntargets; i++) {
		const char *t = sc->targets[i].name;

		if (strcasecmp(t, name) == 0 || (seq > 0 && (strcmp(t, num) == 0 ||
		    (t[0] == '#' && strcmp(t + 1, num) == 0))))
			found = sc->targets[i].us;
	}
	return found;
}

/* Returns a step named by title or number ("3", "#3"), or NULL. */
static const struct irc_step *
step_named(const struct irc_case *c, const char *name)
{
	int64_t n;

	if (name == NULL)
		return NULL;
	if (irc_case_number_parse(name, &n)) {
		for (size_t i = 0; i < c->nsteps; i++)
			if (c->steps[i].seq == n)
				return &c->steps[i];
	}
	for (size_t i = 0; i < c->nsteps; i++)
		if (strcasecmp(c->steps[i].title, name) == 0)
			return &c->steps[i];
	return NULL;
}

static json_t *
body_of(const struct irc_action *a)
{
	json_t *body = json_loads(a->body != NULL ? a->body : "{}", 0, NULL);

	return json_is_object(body) ? body : (json_decref(body), json_object());
}

struct step_times {
	int64_t started;	/* wall time first made active, or -1 */
	int64_t closed;		/* wall time last closed, or -1 */
	const char *reason;	/* note of the last skip or n/a, borrowed */
	json_t *body;		/* owns reason */
};

/* Reads a step's times from the step.state actions. */
static void
step_times(const struct irc_case *c, int seq, struct step_times *t)
{
	t->started = t->closed = -1;
	t->reason = NULL;
	t->body = NULL;
	for (size_t i = 0; i < c->nactions; i++) {
		const struct irc_action *a = &c->actions[i];
		enum irc_step_state to;
		json_t *body;

		if (a->step_seq != seq || strcmp(a->kind, "step.state") != 0)
			continue;
		body = body_of(a);
		if (!irc_step_state_parse(json_string_value(json_object_get(body,
		    "to")), &to)) {
			json_decref(body);
			continue;
		}
		if (to == IRC_STEP_ACTIVE && t->started < 0)
			t->started = a->time_us;
		t->closed = irc_step_state_closed(to) ? a->time_us : -1;
		if (to == IRC_STEP_SKIPPED || to == IRC_STEP_NA) {
			json_decref(t->body);
			t->body = body;
			t->reason = json_string_value(json_object_get(body, "note"));
			continue;
		}
		json_decref(body);
	}
}

static json_t *
report_steps(const struct report_ctx *rc, json_t **skipped)
{
	json_t *steps = json_array();

	*skipped = json_array();
	for (size_t i = 0; i < rc->c->nsteps; i++) {
		const struct irc_step *s = &rc->c->steps[i];
		struct step_times t;
		int64_t dur = -1, target = target_find(rc, s->title, s->seq);

		step_times(rc->c, s->seq, &t);
		if (t.started >= 0 && t.closed >= t.started &&
		    irc_step_state_closed(s->state))
			dur = (t.closed - t.started) * rc->speed;
		json_array_append_new(steps, json_pack("{s:i, s:s, s:s, s:s,"
		    " s:o, s:o, s:o, s:o, s:o}", "step", s->seq, "title", s->title,
		    "phase", irc_phase_key(s->phase), "state",
		    irc_step_state_key(s->state), "started_us",
		    json_us(t.started < 0 ? -1 : rc_time(rc, t.started)),
		    "closed_us", json_us(t.closed < 0 || !irc_step_state_closed(
		    s->state) ? -1 : rc_time(rc, t.closed)), "duration_us",
		    json_us(dur), "target_us", json_us(target), "met",
		    json_met(dur, target)));
		if (s->state != IRC_STEP_DONE)
			json_array_append_new(*skipped, json_pack("{s:i, s:s,"
			    " s:s, s:o}", "step", s->seq, "title", s->title,
			    "state", irc_step_state_key(s->state), "reason",
			    t.reason != NULL ? json_string(t.reason) :
			    json_null()));
		json_decref(t.body);
	}
	return steps;
}

/*
 * Returns the outcome of a phase against its target.  It is "met" only
 * when every step of the phase closed and the phase took no longer than
 * the target, and "missed" when it took longer, finished or not.  It is
 * "open" when some steps are still open within the target, and "not
 * reached" when no action touched the phase.  NULL without a target or
 * without steps.
 */
static const char *
phase_outcome(int64_t dur, int64_t target, int steps, int closed)
{
	if (target < 0 || steps == 0)
		return NULL;
	if (dur < 0)
		return "not reached";
	if (dur > target)
		return "missed";
	return closed == steps ? "met" : "open";
}

static json_t *
report_phases(const struct report_ctx *rc, const struct irc_metrics *m)
{
	json_t *phases = json_array();

	for (int p = 0; p < IRC_PHASE_COUNT; p++) {
		int64_t dur = m->phase[p] < 0 ? -1 : m->phase[p] * rc->speed;
		int64_t target = target_find(rc, irc_phase_key(p), 0);
		int total = 0, closed = 0;
		const char *outcome;

		for (size_t i = 0; i < rc->c->nsteps; i++) {
			if (rc->c->steps[i].phase != (enum irc_phase)p)
				continue;
			total++;
			closed += irc_step_state_closed(rc->c->steps[i].state);
		}
		outcome = phase_outcome(dur, target, total, closed);
		json_array_append_new(phases, json_pack("{s:s, s:s, s:o, s:o,"
		    " s:o, s:i, s:i, s:o}", "phase", irc_phase_key(p), "name",
		    irc_phase_name(p), "duration_us", json_us(dur), "target_us",
		    json_us(target), "met", outcome == NULL ||
		    strcmp(outcome, "open") == 0 ||
		    strcmp(outcome, "not reached") == 0 ? json_null() :
		    json_boolean(strcmp(outcome, "met") == 0), "steps", total,
		    "closed", closed, "outcome", outcome != NULL ?
		    json_string(outcome) : json_null()));
	}
	return phases;
}

/* Returns true for an observable that a drill inject recorded itself. */
static bool
inject_brought(const struct irc_action *a)
{
	json_t *body;
	bool found;

	if (strcmp(a->kind, "observable.add") != 0)
		return false;
	body = body_of(a);
	found = json_object_get(body, "inject") != NULL;
	json_decref(body);
	return found;
}

/* Returns the first action after index i that a responder recorded. */
static const struct irc_action *
reaction_after(const struct irc_case *c, size_t i)
{
	for (size_t j = i + 1; j < c->nactions; j++) {
		const struct irc_action *a = &c->actions[j];

		if (strncmp(a->kind, "drill.", 6) == 0 ||
		    strncmp(a->kind, "sync.", 5) == 0 || inject_brought(a))
			continue;
		return a;
	}
	return NULL;
}

/* Adds the expected step of an inject and when it closed after it. */
static void
inject_expect(const struct report_ctx *rc, json_t *row, const char *expect,
    int64_t delivered)
{
	const struct irc_step *s = step_named(rc->c, expect);
	struct step_times t;

	json_object_set_new(row, "expect", expect ? json_string(expect) :
	    json_null());
	json_object_set_new(row, "expect_step", s ? json_integer(s->seq) :
	    json_null());
	if (s == NULL) {
		json_object_set_new(row, "expect_closed_us", json_null());
		return;
	}
	step_times(rc->c, s->seq, &t);
	json_object_set_new(row, "expect_closed_us", json_us(t.closed >= 0 &&
	    delivered >= 0 && t.closed >= delivered ?
	    (t.closed - delivered) * rc->speed : -1));
	json_decref(t.body);
}

static json_t *
report_injects(const struct report_ctx *rc)
{
	const struct irc_scenario *sc = rc->d != NULL ? rc->d->scenario : NULL;
	json_t *injects = json_array();
	size_t next = 0;

	for (size_t i = 0; i < rc->c->nactions; i++) {
		const struct irc_action *a = &rc->c->actions[i], *r;
		json_t *body, *row;

		if (strcmp(a->kind, "drill.inject") != 0)
			continue;
		body = body_of(a);
		r = reaction_after(rc->c, i);
		row = json_pack("{s:O, s:O, s:O, s:I, s:O, s:o, s:o}", "index",
		    json_object_get(body, "index"), "offset",
		    json_object_get(body, "offset"), "due_us",
		    json_object_get(body, "offset_us"), "delivered_us",
		    (json_int_t)rc_time(rc, a->time_us), "text",
		    json_object_get(body, "text"), "reaction_us",
		    json_us(r ? (r->time_us - a->time_us) * rc->speed : -1),
		    "reaction_kind", r ? json_string(r->kind) : json_null());
		if (row == NULL)	/* a body without the inject keys */
			row = json_pack("{s:I, s:I}", "index", (json_int_t)next + 1,
			    "delivered_us", (json_int_t)rc_time(rc, a->time_us));
		inject_expect(rc, row, json_string_value(json_object_get(body,
		    "expect")), a->time_us);
		json_array_append_new(injects, row);
		json_decref(body);
		next++;
	}
	/* Injects the drill never reached, so the report shows them too. */
	for (size_t i = next; sc != NULL && i < sc->ninjects; i++) {
		const struct irc_inject *in = &sc->injects[i];
		json_t *row = json_pack("{s:I, s:s, s:I, s:n, s:s, s:n, s:n}",
		    "index", (json_int_t)i + 1, "offset", in->offset_text,
		    "due_us", (json_int_t)in->offset_us, "delivered_us", "text",
		    in->text, "reaction_us", "reaction_kind");

		inject_expect(rc, row, in->expect, -1);
		json_array_append_new(injects, row);
	}
	return injects;
}

static json_t *
report_clocks(struct irc_db *db, const struct report_ctx *rc,
    struct irc_error *err)
{
	struct irc_clock *clocks = NULL;
	size_t n = 0;
	json_t *out;

	if (irc_clock_list(db, rc->c->sum.id, false, &clocks, &n, err) != IRC_OK)
		return NULL;
	out = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct irc_clock *k = &clocks[i];
		/* The legal window runs in drill time from the awareness time. */
		int64_t aware = rc_time(rc, k->start);
		int64_t deadline = aware + (k->deadline - k->start);
		int64_t notified = k->notified_at ? rc_time(rc, k->notified_at) :
		    -1;

		json_array_append_new(out, json_pack("{s:s, s:I, s:I, s:o, s:o}",
		    "rule", k->rule, "aware_us", (json_int_t)aware, "deadline_us",
		    (json_int_t)deadline, "notified_us", json_us(notified), "met",
		    json_met(notified, deadline)));
	}
	irc_clocks_free(clocks, n);
	return out;
}

/* Mean reaction time over the injects answered, or -1. */
static int64_t
mean_reaction(const json_t *injects)
{
	int64_t sum = 0, n = 0;
	size_t i;
	json_t *row;

	json_array_foreach(injects, i, row) {
		json_t *r = json_object_get(row, "reaction_us");

		if (json_is_integer(r)) {
			sum += json_integer_value(r);
			n++;
		}
	}
	return n > 0 ? sum / n : -1;
}

static enum irc_status
report_ctx_load(struct irc_db *db, int64_t case_id, struct report_ctx *rc,
    struct irc_error *err)
{
	enum irc_status st;

	memset(rc, 0, sizeof *rc);
	if ((st = irc_case_load(db, case_id, &rc->c, err)) != IRC_OK)
		return st;
	st = irc_drill_load(db, case_id, &rc->d, err);
	if (st == IRC_ERR_NOT_FOUND) {
		rc->start = rc->c->sum.opened_at;
		rc->speed = 1;
		return IRC_OK;
	}
	if (st != IRC_OK) {
		irc_case_free(rc->c);
		return st;
	}
	rc->start = rc->d->started_at;
	rc->speed = rc->d->speed;
	return IRC_OK;
}

static void
report_ctx_free(struct report_ctx *rc)
{
	irc_case_free(rc->c);
	irc_drill_free(rc->d);
}

/* Returns the drill time from T+0 to the close, or to the last action. */
static int64_t
report_duration(const struct report_ctx *rc)
{
	int64_t end = rc->c->closed_at;

	if (end == 0)
		end = rc->c->nactions > 0 ?
		    rc->c->actions[rc->c->nactions - 1].time_us : rc->start;
	return rc_time(rc, end);
}

/* Builds the report without its history of earlier drills. */
static enum irc_status
report_build(struct irc_db *db, int64_t case_id, json_t **out,
    struct irc_error *err)
{
	struct report_ctx rc;
	struct irc_metrics m;
	json_t *r, *skipped, *clocks, *times;
	char when[40];
	enum irc_status st;

	*out = NULL;
	if ((st = report_ctx_load(db, case_id, &rc, err)) != IRC_OK)
		return st;
	if ((clocks = report_clocks(db, &rc, err)) == NULL) {
		report_ctx_free(&rc);
		return err != NULL ? err->status : IRC_ERR_DB;
	}
	irc_metrics_compute(rc.c, &m);
	times = json_object();
	for (int i = 0; i < IRC_METRIC_COUNT; i++)
		json_object_set_new(times, irc_metric_key(i),
		    json_us(m.to[i] < 0 ? -1 : m.to[i] * rc.speed));
	r = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:I, s:s, s:I}",
	    "case", (json_int_t)case_id, "title", rc.c->sum.title, "kind",
	    rc.c->sum.kind, "status", rc.c->sum.status, "playbook",
	    rc.c->playbook_title, "scenario", rc.d && rc.d->scenario &&
	    rc.d->scenario->title ? json_string(rc.d->scenario->title) :
	    json_null(), "speed", (json_int_t)rc.speed, "started_at",
	    irc_time_utc(rc.start, when, sizeof when), "duration_us",
	    (json_int_t)report_duration(&rc));
	json_object_set_new(r, "times", times);
	json_object_set_new(r, "phases", report_phases(&rc, &m));
	json_object_set_new(r, "steps", report_steps(&rc, &skipped));
	json_object_set_new(r, "skipped", skipped);
	json_object_set_new(r, "injects", report_injects(&rc));
	json_object_set_new(r, "clocks", clocks);
	json_object_set_new(r, "mean_reaction_us",
	    json_us(mean_reaction(json_object_get(r, "injects"))));
	report_ctx_free(&rc);
	*out = r;
	return IRC_OK;
}

/* Returns the history row of one report. */
static json_t *
history_row(const json_t *r)
{
	return json_pack("{s:O, s:O, s:O, s:O, s:O, s:I}", "case",
	    json_object_get(r, "case"), "started_at",
	    json_object_get(r, "started_at"), "duration_us",
	    json_object_get(r, "duration_us"), "time_to_contain_us",
	    json_object_get(json_object_get(r, "times"), "time_to_contain_us"),
	    "mean_reaction_us", json_object_get(r, "mean_reaction_us"),
	    "skipped", (json_int_t)json_array_size(json_object_get(r,
	    "skipped")));
}

/* Lists the drills of the same playbook title up to case_id, oldest first. */
static enum irc_status
report_history(struct irc_db *db, int64_t case_id, json_t *report,
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	json_t *rows = json_array();
	enum irc_status st = IRC_OK;
	int rc;

	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT c.id FROM \"case\" c"
	    " JOIN playbook_snapshot p ON p.id = c.playbook_id"
	    " WHERE c.kind = 'drill' AND c.id < ?1 AND p.title = (SELECT"
	    "  p2.title FROM \"case\" c2 JOIN playbook_snapshot p2"
	    "  ON p2.id = c2.playbook_id WHERE c2.id = ?1)"
	    " ORDER BY c.id", -1, &stmt, NULL) != SQLITE_OK) {
		json_decref(rows);
		return irc_db_fail(db, err, "cannot list earlier drills");
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *earlier;

		if ((st = report_build(db, sqlite3_column_int64(stmt, 0),
		    &earlier, err)) != IRC_OK)
			goto out;
		json_array_append_new(rows, history_row(earlier));
		json_decref(earlier);
	}
	if (rc != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot list earlier drills");
		goto out;
	}
	json_array_append_new(rows, history_row(report));
out:
	sqlite3_finalize(stmt);
	if (st == IRC_OK)
		json_object_set_new(report, "history", rows);
	else
		json_decref(rows);
	return st;
}

enum irc_status
irc_drill_report(struct irc_db *db, int64_t case_id, json_t **out,
    struct irc_error *err)
{
	json_t *r;
	enum irc_status st;

	*out = NULL;
	if ((st = report_build(db, case_id, &r, err)) != IRC_OK)
		return st;
	if ((st = report_history(db, case_id, r, err)) != IRC_OK) {
		json_decref(r);
		return st;
	}
	*out = r;
	return IRC_OK;
}
