/*
 * pane_metrics.c: the response times of a case, as "ircase show" prints
 * them: time to assess, contain, eradicate, recover and close, counted
 * from the case's first action, and the time spent in each phase.  All of
 * them come from irc_metrics_compute() over the action log, so the pane
 * shows nothing that a responder typed in.
 */
#include <stdio.h>

#include "case.h"
#include "metrics.h"
#include "records.h"
#include "timeutil.h"

static const char *const metric_labels[IRC_METRIC_COUNT] = {
	[IRC_METRIC_ASSESS] = "Time to assess",
	[IRC_METRIC_CONTAIN] = "Time to contain",
	[IRC_METRIC_ERADICATE] = "Time to eradicate",
	[IRC_METRIC_RECOVER] = "Time to recover",
	[IRC_METRIC_CLOSE] = "Time to close",
};

/* Writes a duration, or "not yet" for a metric that was not reached. */
static const char *metric_text(int64_t us, char *buf, size_t size)
{
	if (us < 0)
		return "not yet";
	return irc_duration(us, buf, size);
}

static enum irc_status metrics_load(struct tui *t, int64_t case_id,
    struct rec_lines *out, struct irc_error *err)
{
	struct irc_case *c = NULL;
	struct irc_metrics m;
	char buf[32];

	if (irc_case_load(t->db, case_id, &c, err) != IRC_OK)
		return err->status;
	irc_metrics_compute(c, &m);
	irc_case_free(c);

	rec_add(out, TUI_ROLE_HEADING, 0, "From the case's opening");
	for (int i = 0; i < IRC_METRIC_COUNT; i++)
		rec_add(out, m.to[i] < 0 ? TUI_ROLE_DIM : TUI_ROLE_NORMAL, 0,
		    "  %-20s %s", metric_labels[i],
		    metric_text(m.to[i], buf, sizeof(buf)));
	rec_add(out, TUI_ROLE_HEADING, 0, "Time spent per phase (first to "
	    "last action in it)");
	for (int p = 0; p < IRC_PHASE_COUNT; p++)
		rec_add(out, m.phase[p] < 0 ? TUI_ROLE_DIM : TUI_ROLE_NORMAL, 0,
		    "  %-20s %s", irc_phase_name((enum irc_phase)p),
		    m.phase[p] < 0 ? "no action yet" :
		    irc_duration(m.phase[p], buf, sizeof(buf)));
	rec_add(out, TUI_ROLE_DIM, 0, "Computed from the action log's "
	    "timestamps; updates as the case changes.");
	return IRC_OK;
}

const struct rec_kind pane_metrics = {
	.title = "Metrics: response times from the action log",
	.hint = "? keys  q back",
	.load = metrics_load,
	.forms = NULL,
	.nforms = 0,
};
