/*
 * metrics.c: time to assess, contain, eradicate, recover and close, and
 * time per phase, from the action log; and their summary over cases.
 */
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "metrics.h"
#include "mem.h"
#include "record.h"
#include "replay.h"

static const char *const metric_keys[IRC_METRIC_COUNT] = {
	"time_to_assess_us", "time_to_contain_us", "time_to_eradicate_us",
	"time_to_recover_us", "time_to_close_us",
};

const char *
irc_metric_key(enum irc_metric m)
{
	return (unsigned)m < IRC_METRIC_COUNT ? metric_keys[m] : "?";
}

/* Returns the phase an action belongs to, or -1. */
static int
action_phase(const struct irc_case *c, const struct irc_action *a)
{
	return irc_replay_action_phase(c, a);
}

/* Returns the metric a milestone action reaches, or -1. */
static int
milestone_metric(const struct irc_action *a)
{
	json_t *body = json_loads(a->body, 0, NULL);
	const char *name = json_string_value(json_object_get(body, "milestone"));
	int m = -1;

	if (name != NULL && strcmp(name, "contained") == 0)
		m = IRC_METRIC_CONTAIN;
	else if (name != NULL && strcmp(name, "eradicated") == 0)
		m = IRC_METRIC_ERADICATE;
	else if (name != NULL && strcmp(name, "recovered") == 0)
		m = IRC_METRIC_RECOVER;
	json_decref(body);
	return m;
}

void
irc_metrics_start(struct irc_metrics_walk *w, const struct irc_case *c)
{
	memset(w, 0, sizeof *w);
	w->kase = c;
	w->opened = c->sum.opened_at;
	for (int i = 0; i < IRC_METRIC_COUNT; i++)
		w->m.to[i] = -1;
	for (int p = 0; p < IRC_PHASE_COUNT; p++)
		w->m.phase[p] = -1;
}

void
irc_metrics_add(struct irc_metrics_walk *w, const struct irc_action *a)
{
	struct irc_metrics *m = &w->m;
	int metric = -1, p = action_phase(w->kase, a);

	/* Times count from the first action, the case's opening. */
	if (!w->started) {
		w->opened = a->time_us;
		w->started = true;
	}
	if (strcmp(a->kind, "decision") == 0)
		metric = IRC_METRIC_ASSESS;
	else if (strcmp(a->kind, "milestone") == 0)
		metric = milestone_metric(a);
	else if (strcmp(a->kind, "case.close") == 0)
		metric = IRC_METRIC_CLOSE;
	if (metric >= 0 && m->to[metric] < 0)
		m->to[metric] = a->time_us - w->opened;
	if (p < 0)
		return;
	if (m->phase[p] < 0)
		w->first[p] = a->time_us;
	m->phase[p] = a->time_us - w->first[p];
}

void
irc_metrics_compute(const struct irc_case *c, struct irc_metrics *m)
{
	struct irc_metrics_walk w;

	irc_metrics_start(&w, c);
	for (size_t i = 0; i < c->nactions; i++)
		irc_metrics_add(&w, &c->actions[i]);
	*m = w.m;
}

json_t *
irc_metrics_to_json(const struct irc_metrics *m)
{
	json_t *o = json_object(), *phases = json_object();

	for (int i = 0; i < IRC_METRIC_COUNT; i++)
		json_object_set_new(o, metric_keys[i], m->to[i] >= 0 ?
		    json_integer(m->to[i]) : json_null());
	for (int p = 0; p < IRC_PHASE_COUNT; p++)
		json_object_set_new(phases, irc_phase_key((enum irc_phase)p),
		    m->phase[p] >= 0 ? json_integer(m->phase[p]) : json_null());
	json_object_set_new(o, "phase_us", phases);
	return o;
}

static int
compare_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Builds {"count", "mean_us", "median_us", "max_us"} of n values. */
static json_t *
summary_json(int64_t *values, size_t n)
{
	int64_t sum = 0;

	if (n == 0)
		return json_pack("{s:i, s:n, s:n, s:n}", "count", 0, "mean_us",
		    "median_us", "max_us");
	qsort(values, n, sizeof *values, compare_int64);
	for (size_t i = 0; i < n; i++)
		sum += values[i];
	return json_pack("{s:I, s:I, s:I, s:I}", "count", (json_int_t)n,
	    "mean_us", (json_int_t)(sum / (int64_t)n),
	    "median_us", (json_int_t)(n % 2 ? values[n / 2] :
	    (values[n / 2 - 1] + values[n / 2]) / 2),
	    "max_us", (json_int_t)values[n - 1]);
}

enum irc_status
irc_stats(struct irc_db *db, int64_t from_us, int64_t to_us, json_t **out,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	int64_t *values[IRC_METRIC_COUNT + IRC_PHASE_COUNT];
	size_t nvalues[IRC_METRIC_COUNT + IRC_PHASE_COUNT] = { 0 }, ncases = 0;
	json_t *o = NULL, *verdicts = json_object(), *metrics, *phases;
	enum irc_status st;
	int rc;

	*out = NULL;
	for (int i = 0; i < IRC_METRIC_COUNT + IRC_PHASE_COUNT; i++)
		values[i] = NULL;
	if ((st = irc_record_prepare(db, "SELECT id, coalesce(verdict, 'none')"
	    " FROM \"case\" WHERE (?1 = 0 OR opened_at >= ?1)"
	    " AND (?2 = 0 OR opened_at < ?2) ORDER BY id", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, from_us);
	sqlite3_bind_int64(stmt, 2, to_us);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *verdict = (const char *)sqlite3_column_text(stmt, 1);
		struct irc_case *c = NULL;
		struct irc_metrics m;

		if ((st = irc_case_load(db, sqlite3_column_int64(stmt, 0), &c,
		    err)) != IRC_OK)
			break;
		ncases++;
		json_object_set_new(verdicts, verdict, json_integer(
		    json_integer_value(json_object_get(verdicts, verdict)) + 1));
		irc_metrics_compute(c, &m);
		irc_case_free(c);
		for (int i = 0; i < IRC_METRIC_COUNT + IRC_PHASE_COUNT; i++) {
			int64_t v = i < IRC_METRIC_COUNT ? m.to[i] :
			    m.phase[i - IRC_METRIC_COUNT];

			if (v < 0)
				continue;
			values[i] = irc_xrealloc(values[i], nvalues[i] + 1,
			    sizeof *values[i]);
			values[i][nvalues[i]++] = v;
		}
	}
	if (st == IRC_OK && rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read the cases");
	sqlite3_finalize(stmt);
	if (st != IRC_OK)
		goto out;

	metrics = json_object();
	for (int i = 0; i < IRC_METRIC_COUNT; i++)
		json_object_set_new(metrics, metric_keys[i],
		    summary_json(values[i], nvalues[i]));
	phases = json_object();
	for (int p = 0; p < IRC_PHASE_COUNT; p++)
		json_object_set_new(phases, irc_phase_key((enum irc_phase)p),
		    summary_json(values[IRC_METRIC_COUNT + p],
		    nvalues[IRC_METRIC_COUNT + p]));
	json_object_set_new(metrics, "phase_us", phases);
	o = json_pack("{s:I, s:O, s:o}", "cases", (json_int_t)ncases,
	    "verdicts", verdicts, "metrics", metrics);
	*out = o;
out:
	json_decref(verdicts);
	for (int i = 0; i < IRC_METRIC_COUNT + IRC_PHASE_COUNT; i++)
		free(values[i]);
	return st;
}
