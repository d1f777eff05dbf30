/*
 * export_csv.c: the action log as CSV, one action per row.
 *
 * Columns are fixed (see csv_columns).  Numeric columns hold plain
 * decimal numbers, or nothing for an action about the whole case in
 * "step"; every text column goes through irc_csv_cell() with formula
 * neutralisation, the rule that ircase(1) states under EXPORT FORMATS.
 * The last column, case_kind, is "drill" or "real" on every row.
 * Rows end in CRLF as RFC 4180 writes them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "sanitize.h"
#include "timeutil.h"

static const char csv_columns[] = "case,case_uuid,seq,action_id,time,"
    "time_us,step,actor,origin,kind,summary,body,prev_hash,hash,case_kind\r\n";

/* Writes a text cell, sanitised first when the output is a terminal. */
static void
csv_text(struct exp_ctx *x, const char *text, bool last)
{
	char *clean = exp_text(x, text, IRC_SAN_KEEP_NEWLINE |
	    IRC_SAN_KEEP_TAB);

	irc_csv_cell(x->out, clean, true, NULL);
	fputs(last ? "\r\n" : ",", x->out);
	free(clean);
}

static enum irc_status
csv_action(struct exp_ctx *x, const struct irc_action *a,
    struct irc_error *err)
{
	char when[40], *summary = irc_action_summary(a);

	fprintf(x->out, "%" PRId64 ",", x->kase->sum.id);
	csv_text(x, x->kase->sum.uuid, false);
	fprintf(x->out, "%" PRId64 ",%" PRId64 ",", a->seq, a->id);
	csv_text(x, irc_time_utc(a->time_us, when, sizeof when), false);
	fprintf(x->out, "%" PRId64 ",", a->time_us);
	if (a->step_seq > 0)
		fprintf(x->out, "%d", a->step_seq);
	fputc(',', x->out);
	csv_text(x, a->actor, false);
	csv_text(x, a->origin, false);
	csv_text(x, a->kind, false);
	csv_text(x, summary, false);
	csv_text(x, a->body, false);
	csv_text(x, a->prev_hash, false);
	csv_text(x, a->hash, false);
	/* Each row is marked, so rows copied out of the file stay marked. */
	fputs(strcmp(x->kase->sum.kind, "drill") == 0 ? "drill\r\n" :
	    "real\r\n", x->out);
	free(summary);
	/* NOTE: errno is the failed write's unless a later call set it. */
	if (ferror(x->out))
		return irc_write_fail(err, x->out_name, errno);
	return IRC_OK;
}

enum irc_status
exp_write_csv(struct exp_ctx *x, struct irc_error *err)
{
	fputs(csv_columns, x->out);
	return exp_walk_actions(x, csv_action, err);
}
