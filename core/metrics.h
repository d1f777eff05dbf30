/*
 * metrics.h: response times computed from the action log.
 *
 * Every metric is the difference between two action timestamps, never a
 * typed time: from "case.open" to the first "decision" (time to assess),
 * to the first "milestone" action for contained, eradicated and recovered,
 * and to "case.close".  The time of a phase is the span from the first to
 * the last action recorded in it: steps count in their phase, role.* in
 * Prepare, report.* in Report, decision in Assess, milestone in Respond,
 * lesson.* and followup.* in Learn, evidence.* and custody.* in Evidence.
 */
#ifndef IRC_METRICS_H
#define IRC_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "case.h"
#include "db.h"
#include "model.h"
#include "status.h"

enum irc_metric {
	IRC_METRIC_ASSESS,
	IRC_METRIC_CONTAIN,
	IRC_METRIC_ERADICATE,
	IRC_METRIC_RECOVER,
	IRC_METRIC_CLOSE,
	IRC_METRIC_COUNT
};

struct irc_metrics {
	int64_t to[IRC_METRIC_COUNT];	/* microseconds from opening, -1 when not reached */
	int64_t phase[IRC_PHASE_COUNT];	/* microseconds, -1 when the phase has no action */
};

/* Returns "time_to_assess_us", ... for a metric: its JSON key. */
const char *irc_metric_key(enum irc_metric m);

/* Computes the metrics of a case loaded with its actions. */
void irc_metrics_compute(const struct irc_case *c, struct irc_metrics *m);

/*
 * The same computation fed one action at a time, for a writer that
 * streams the log: irc_metrics_start(), irc_metrics_add() for each action
 * in chain order, then read walk->m.  c needs its steps, not its actions,
 * and must outlive the walk.
 */
struct irc_metrics_walk {
	struct irc_metrics m;
	const struct irc_case *kase;
	int64_t opened;			/* time of the first action */
	int64_t first[IRC_PHASE_COUNT];	/* first action in each phase */
	bool started;
};

void irc_metrics_start(struct irc_metrics_walk *w, const struct irc_case *c);
void irc_metrics_add(struct irc_metrics_walk *w, const struct irc_action *a);

/* Builds {"time_to_assess_us": N|null, ..., "phase_us": {"prepare": ...}}. */
json_t *irc_metrics_to_json(const struct irc_metrics *m);

/*
 * Summarises the cases opened in [from_us, to_us) (0 for no bound): the
 * number of cases, per decision, and for each metric the count, mean,
 * median and maximum.  ircase(1) documents the keys.
 */
enum irc_status irc_stats(struct irc_db *db, int64_t from_us, int64_t to_us,
    json_t **out, struct irc_error *err);

#endif
