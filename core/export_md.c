/*
 * export_md.c: the case report in Markdown, for a person to read.
 *
 * Sections, in order: summary, reports, decision and rationale (with the
 * awareness time, TLP and PAP), milestones, roles, timeline,
 * steps with their outcomes, deviations from the playbook, notification
 * clocks, lessons and corrective actions, evidence manifest, observables,
 * affected assets, and the chain head with how to verify it.  Records that a database of an older
 * schema has no table for, or that were never entered, give a line that
 * says so, so an empty section is visible rather than missing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "export_internal.h"
#include "lifecycle.h"
#include "mem.h"
#include "sanitize.h"
#include "timeutil.h"

/* Step states shown in the report, indexed by enum irc_step_state. */
static const char *const md_state_names[IRC_STEP_STATE_COUNT] = {
	"pending", "active", "done", "skipped", "not applicable",
};

/*
 * Writes text on one line: newlines become spaces and, inside a table
 * cell, '|' is escaped.
 */
static void
md_inline(struct exp_ctx *x, const char *text, bool cell)
{
	char *clean = exp_text(x, text, IRC_SAN_KEEP_NEWLINE);

	for (char *p = clean; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			fputc(' ', x->out);
		else if (*p == '|' && cell)
			fputs("\\|", x->out);
		else
			fputc(*p, x->out);
	}
	free(clean);
}

/* Writes a local time with its offset, or "-" for 0. */
static void
md_time(struct exp_ctx *x, int64_t t)
{
	char buf[64];

	fputs(t != 0 ? irc_time_local(t, buf, sizeof buf) : "-", x->out);
}

static const char *
col_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s != NULL ? (const char *)s : "";
}

static void
md_summary(struct exp_ctx *x)
{
	const struct irc_case *c = x->kase;

	/* A drill is marked in the heading, so no reader takes it for an incident. */
	fprintf(x->out, "# %sCase %" PRId64 ": ", strcmp(c->sum.kind,
	    "drill") == 0 ? "DRILL " : "", c->sum.id);
	md_inline(x, c->sum.title, false);
	fputs("\n\n## Summary\n\n", x->out);
	fprintf(x->out, "- Number: %" PRId64 "\n- UUID: %s\n", c->sum.id,
	    c->sum.uuid);
	fprintf(x->out, "- Severity: %d (%s)\n", c->sum.severity,
	    irc_severity_name(c->sum.severity));
	fputs("- Status: ", x->out);
	md_inline(x, c->sum.status, false);
	fputs("\n- Kind: ", x->out);
	md_inline(x, c->sum.kind, false);
	fputs("\n- Opened: ", x->out);
	md_time(x, c->sum.opened_at);
	fputs("\n- Closed: ", x->out);
	md_time(x, c->closed_at);
	fputs("\n- Playbook: ", x->out);
	md_inline(x, c->playbook_title, false);
	fputs(" (", x->out);
	md_inline(x, c->playbook_path, false);
	fprintf(x->out, "), snapshot SHA-256 %s\n", c->playbook_sha256);
	fprintf(x->out, "- Steps closed: %d of %d\n", c->sum.steps_done,
	    c->sum.steps_total);
	fprintf(x->out, "- Actions in the log: %" PRId64 "\n", x->stored_count);
	if (c->description != NULL && c->description[0] != '\0') {
		fputs("\n", x->out);
		md_inline(x, c->description, false);
		fputs("\n", x->out);
	}
}

/*
 * Runs sql bound to the case number and calls row for each row.  Writes
 * none_text when the table is missing or has no row for the case.
 */
static enum irc_status
md_rows(struct exp_ctx *x, const char *sql, const char *none_text,
    void (*row)(struct exp_ctx *, sqlite3_stmt *), struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st;
	int rc, n = 0;

	if ((st = exp_prepare_optional(x->db, sql, &stmt, err)) != IRC_OK)
		return st;
	if (stmt != NULL) {
		sqlite3_bind_int64(stmt, 1, x->kase->sum.id);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			row(x, stmt);
			n++;
		}
		if (rc != SQLITE_DONE)
			st = irc_db_fail(x->db, err, "cannot read the case's "
			    "records");
		sqlite3_finalize(stmt);
	}
	if (st == IRC_OK && n == 0)
		fprintf(x->out, "%s\n", none_text);
	return st;
}

static void
md_decision_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	fputs("- ", x->out);
	md_time(x, sqlite3_column_int64(stmt, 4));
	fputs(": **", x->out);
	md_inline(x, col_text(stmt, 0), false);
	fputs("**", x->out);
	if (sqlite3_column_type(stmt, 2) != SQLITE_NULL) {
		fputs(" (category ", x->out);
		md_inline(x, col_text(stmt, 2), false);
		fputs(")", x->out);
	}
	fputs(" by ", x->out);
	md_inline(x, col_text(stmt, 3), false);
	fputs(". Reason: ", x->out);
	md_inline(x, col_text(stmt, 1), false);
	fputs("\n", x->out);
}

/* Writes a time recorded with its own UTC offset, or "-" for NULL. */
static void
md_time_offset(struct exp_ctx *x, sqlite3_stmt *stmt, int col, int offset_col)
{
	char buf[48];

	if (sqlite3_column_type(stmt, col) == SQLITE_NULL) {
		fputs("-", x->out);
		return;
	}
	fputs(irc_time_with_offset(sqlite3_column_int64(stmt, col),
	    sqlite3_column_int(stmt, offset_col), buf, sizeof buf), x->out);
}

/* The case's awareness time and its TLP and PAP, above the decisions. */
static void
md_awareness_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	fputs("- Awareness time: ", x->out);
	md_time_offset(x, stmt, 0, 1);
	fputs("\n- TLP: ", x->out);
	md_inline(x, col_text(stmt, 2), false);
	fputs("\n- PAP: ", x->out);
	md_inline(x, col_text(stmt, 3), false);
	fputs("\n", x->out);
}

static void
md_report_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	fprintf(x->out, "- Report %" PRId64 ", received ",
	    (int64_t)sqlite3_column_int64(stmt, 0));
	md_time_offset(x, stmt, 3, 4);
	fputs(" from ", x->out);
	md_inline(x, col_text(stmt, 1), false);
	fputs(" by ", x->out);
	md_inline(x, col_text(stmt, 2), false);
	fputs(", recorded by ", x->out);
	md_inline(x, col_text(stmt, 6), false);
	fputs(": ", x->out);
	md_inline(x, col_text(stmt, 5), false);
	fputs("\n", x->out);
}

static void
md_milestone_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	fputs("- ", x->out);
	md_inline(x, col_text(stmt, 0), false);
	if (sqlite3_column_type(stmt, 1) == SQLITE_NULL) {
		fputs(": not reached\n", x->out);
		return;
	}
	fputs(": ", x->out);
	md_time_offset(x, stmt, 1, 2);
	fputs(", recorded by ", x->out);
	md_inline(x, col_text(stmt, 4), false);
	if (col_text(stmt, 3)[0] != '\0') {
		fputs(": ", x->out);
		md_inline(x, col_text(stmt, 3), false);
	}
	fputs("\n", x->out);
}

static void
md_role_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	fputs("- ", x->out);
	md_inline(x, col_text(stmt, 0), false);
	fputs(": ", x->out);
	md_inline(x, col_text(stmt, 1), false);
	fputs(", since ", x->out);
	md_time(x, sqlite3_column_int64(stmt, 2));
	fputs("\n", x->out);
}

/* Per step: the reason given when it was last skipped or set aside. */
struct md_walk {
	char **reasons;		/* indexed by step number */
	size_t nreasons;
	int64_t deviations;	/* step actions other than step.state */
};

static struct md_walk md_walk_state;

static enum irc_status
md_timeline_action(struct exp_ctx *x, const struct irc_action *a,
    struct irc_error *err)
{
	char *summary = irc_action_summary(a);
	struct md_walk *w = &md_walk_state;

	fputs("- ", x->out);
	md_time(x, a->time_us);
	fputs(" ", x->out);
	md_inline(x, a->actor, false);
	if (a->origin[0] != '\0') {
		fputs(" (", x->out);
		md_inline(x, a->origin, false);
		fputs(")", x->out);
	}
	fputs(" `", x->out);
	md_inline(x, a->kind, false);
	fputs("`: ", x->out);
	md_inline(x, summary, false);
	fputs("\n", x->out);

	if (strcmp(a->kind, "step.state") == 0 && a->step_seq > 0 &&
	    (size_t)a->step_seq < w->nreasons) {
		json_t *body = json_loads(a->body, 0, NULL);
		const char *note = json_string_value(json_object_get(body,
		    "note"));

		free(w->reasons[a->step_seq]);
		w->reasons[a->step_seq] = note != NULL ? irc_xstrdup(note) : NULL;
		json_decref(body);
	} else if (strncmp(a->kind, "step.", 5) == 0)
		w->deviations++;
	free(summary);
	if (ferror(x->out))
		return irc_write_fail(err, x->out_name, errno);
	return IRC_OK;
}

static void
md_steps(struct exp_ctx *x)
{
	const struct irc_case *c = x->kase;

	fputs("\n## Steps and outcomes\n\n", x->out);
	for (int p = 0; p < IRC_PHASE_COUNT; p++) {
		fprintf(x->out, "### %s (ISO/IEC 27001:2013 %s, 27001:2022 %s)\n\n",
		    irc_phase_name((enum irc_phase)p),
		    irc_phase_iso2013((enum irc_phase)p),
		    irc_phase_iso2022((enum irc_phase)p));
		int n = 0;

		for (size_t i = 0; i < c->nsteps; i++) {
			const struct irc_step *s = &c->steps[i];

			if (s->phase != (enum irc_phase)p)
				continue;
			fprintf(x->out, "%d. ", s->seq);
			md_inline(x, s->title, false);
			fprintf(x->out, ": %s", md_state_names[s->state]);
			if (s->started_at != 0) {
				fputs(", started ", x->out);
				md_time(x, s->started_at);
			}
			if (s->done_at != 0) {
				fputs(", closed ", x->out);
				md_time(x, s->done_at);
			}
			fputs("\n", x->out);
			n++;
		}
		fputs(n == 0 ? "No steps in this phase.\n\n" : "\n", x->out);
	}
}

static void
md_deviations(struct exp_ctx *x)
{
	const struct irc_case *c = x->kase;
	struct md_walk *w = &md_walk_state;
	int n = 0;

	fputs("## Deviations from the playbook\n\n", x->out);
	for (size_t i = 0; i < c->nsteps; i++) {
		const struct irc_step *s = &c->steps[i];
		const char *reason;

		if (s->state != IRC_STEP_SKIPPED && s->state != IRC_STEP_NA)
			continue;
		reason = (size_t)s->seq < w->nreasons ? w->reasons[s->seq] : NULL;
		fprintf(x->out, "- Step %d (", s->seq);
		md_inline(x, s->title, false);
		fprintf(x->out, ") %s. Reason: ", md_state_names[s->state]);
		md_inline(x, reason != NULL ? reason : "none given", false);
		fputs("\n", x->out);
		n++;
	}
	if (w->deviations > 0)
		fprintf(x->out, "- %" PRId64 " other change%s to the steps "
		    "(added, moved or edited); see the timeline.\n",
		    w->deviations, w->deviations == 1 ? "" : "s");
	if (n == 0 && w->deviations == 0)
		fputs("No step was skipped, set aside, added or reordered.\n",
		    x->out);
}

static void
md_clock_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	int64_t deadline = sqlite3_column_int64(stmt, 1);
	int64_t notified = sqlite3_column_int64(stmt, 2);
	const char *verdict;

	if (sqlite3_column_type(stmt, 2) == SQLITE_NULL)
		verdict = deadline < irc_now_us() ? "MISSED (no notification "
		    "recorded)" : "running";
	else
		verdict = notified <= deadline ? "met" : "MISSED";
	fputs("- ", x->out);
	md_inline(x, col_text(stmt, 0), false);
	fputs(": deadline ", x->out);
	md_time(x, deadline);
	fputs(", notified ", x->out);
	md_time(x, notified);
	if (sqlite3_column_type(stmt, 3) != SQLITE_NULL) {
		fputs(" to ", x->out);
		md_inline(x, col_text(stmt, 3), false);
	}
	fprintf(x->out, ": %s\n", verdict);
}

static void
md_lesson_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	fputs("- ", x->out);
	md_inline(x, col_text(stmt, 0), false);
	fputs(": ", x->out);
	md_inline(x, col_text(stmt, 1), false);
	fputs("\n", x->out);
}

static void
md_followup_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	fputs("- [", x->out);
	fputs(strcmp(col_text(stmt, 3), "done") == 0 ? "x" : " ", x->out);
	fputs("] ", x->out);
	md_inline(x, col_text(stmt, 2), false);
	fputs(" (owner ", x->out);
	md_inline(x, col_text(stmt, 0), false);
	fputs(", due ", x->out);
	md_inline(x, col_text(stmt, 1), false);
	fputs(")\n", x->out);
}

static void
md_evidence_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	fprintf(x->out, "| %" PRId64 " | ",
	    (int64_t)sqlite3_column_int64(stmt, 0));
	md_inline(x, col_text(stmt, 1), true);
	fprintf(x->out, " | %" PRId64 " | `%s` | ",
	    (int64_t)sqlite3_column_int64(stmt, 2), col_text(stmt, 3));
	md_inline(x, col_text(stmt, 4), true);
	fputs(" | ", x->out);
	md_inline(x, col_text(stmt, 5), true);
	fputs(" |\n", x->out);
}

static void
md_custody_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	struct irc_action a;
	char *summary;

	memset(&a, 0, sizeof a);
	a.kind = (char *)col_text(stmt, 2);
	a.body = (char *)col_text(stmt, 3);
	summary = irc_action_summary(&a);
	fputs("- ", x->out);
	md_time(x, sqlite3_column_int64(stmt, 0));
	fputs(" ", x->out);
	md_inline(x, col_text(stmt, 1), false);
	fputs(" `", x->out);
	md_inline(x, col_text(stmt, 2), false);
	fputs("`: ", x->out);
	md_inline(x, summary, false);
	fputs("\n", x->out);
	free(summary);
}

static void
md_observable_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	json_t *tags = json_loads(col_text(stmt, 5), 0, NULL);
	json_t *tag;
	size_t i;

	fprintf(x->out, "| %" PRId64 " | ",
	    (int64_t)sqlite3_column_int64(stmt, 0));
	md_inline(x, col_text(stmt, 1), true);
	fputs(" | `", x->out);
	md_inline(x, col_text(stmt, 2), true);
	fputs("` | ", x->out);
	md_inline(x, col_text(stmt, 3), true);
	fputs(sqlite3_column_int(stmt, 4) ? " | yes | " : " | no | ", x->out);
	json_array_foreach(tags, i, tag) {
		if (!json_is_string(tag))
			continue;
		fputs(i > 0 ? ", " : "", x->out);
		md_inline(x, json_string_value(tag), true);
	}
	fputs(" |\n", x->out);
	json_decref(tags);
}

static void
md_asset_row(struct exp_ctx *x, sqlite3_stmt *stmt)
{
	fprintf(x->out, "| %" PRId64 " | ",
	    (int64_t)sqlite3_column_int64(stmt, 0));
	md_inline(x, col_text(stmt, 1), true);
	fputs(" | ", x->out);
	if (sqlite3_column_type(stmt, 2) == SQLITE_NULL)
		fputs("typed in", x->out);
	else
		md_inline(x, col_text(stmt, 2), true);
	fputs(" | ", x->out);
	md_inline(x, col_text(stmt, 3), true);
	fputs(" | ", x->out);
	md_inline(x, col_text(stmt, 4), true);
	fputs(" |\n", x->out);
}

static void
md_chain(struct exp_ctx *x)
{
	const struct irc_verify_result *v = &x->result->verify;

	fputs("\n## Chain head and how to verify it\n\n", x->out);
	fprintf(x->out, "- Chain head: `%s`\n- Actions: %" PRId64 "\n",
	    x->kase->head_hash, x->result->actions);
	if (v->ok)
		fputs("- Checked when this report was written: intact.\n",
		    x->out);
	else {
		fputs("- Checked when this report was written: **BROKEN**: ",
		    x->out);
		md_inline(x, v->reason, false);
		fputs("\n", x->out);
	}
	fprintf(x->out, "\nEach action's SHA-256 covers the previous action's "
	    "hash, so changing, removing or reordering any action changes "
	    "the head.  To check the log, run `ircase verify %" PRId64 "` on "
	    "the database, or `ircase verify --pack DIR` on an audit pack "
	    "that holds this case's JSON export; compare the head above with "
	    "the signed heads and with the syslog copy (`ircase verify "
	    "--against FILE`).\n", x->kase->sum.id);
}

static void
md_walk_reset(size_t nsteps)
{
	struct md_walk *w = &md_walk_state;

	for (size_t i = 0; i < w->nreasons; i++)
		free(w->reasons[i]);
	free(w->reasons);
	memset(w, 0, sizeof *w);
	if (nsteps > 0) {
		w->nreasons = nsteps + 1;
		w->reasons = irc_xcalloc(w->nreasons, sizeof *w->reasons);
	}
}

enum irc_status
exp_write_md(struct exp_ctx *x, struct irc_error *err)
{
	enum irc_status st;

	md_walk_reset((size_t)x->kase->sum.steps_total + x->kase->nsteps);
	md_summary(x);
	fputs("\n## Reports (ISO/IEC 27001:2013 A.16.1.2, 27001:2022 6.8)\n\n",
	    x->out);
	if ((st = md_rows(x, "SELECT number, reporter, channel, received_at,"
	    " received_offset, text, added_by FROM report WHERE case_id = ?"
	    " ORDER BY number", "No reports recorded.", md_report_row, err)) !=
	    IRC_OK)
		goto out;
	fputs("\n## Decision and rationale\n\n", x->out);
	if ((st = md_rows(x, "SELECT aware_at, aware_offset, tlp, pap"
	    " FROM \"case\" WHERE id = ?", "", md_awareness_row, err)) !=
	    IRC_OK)
		goto out;
	if ((st = md_rows(x, "SELECT verdict, reason, category, decided_by,"
	    " decided_at FROM decision WHERE case_id = ? ORDER BY decided_at, id",
	    "No decision recorded.", md_decision_row, err)) != IRC_OK)
		goto out;
	fputs("\n## Milestones\n\n", x->out);
	if ((st = md_rows(x, "SELECT n.name, m.at, m.at_offset, m.note,"
	    " m.recorded_by FROM (SELECT 'contained' AS name, 1 AS ord UNION"
	    " ALL SELECT 'eradicated', 2 UNION ALL SELECT 'recovered', 3) n"
	    " LEFT JOIN milestone m ON m.case_id = ?1 AND m.name = n.name"
	    " ORDER BY n.ord", "No milestones recorded.", md_milestone_row,
	    err)) != IRC_OK)
		goto out;
	fputs("\n## Roles\n\n", x->out);
	if ((st = md_rows(x, "SELECT role, person, since FROM case_role"
	    " WHERE case_id = ? ORDER BY role", "No roles assigned.",
	    md_role_row, err)) != IRC_OK)
		goto out;
	fputs("\n## Timeline\n\n", x->out);
	if ((st = exp_walk_actions(x, md_timeline_action, err)) != IRC_OK)
		goto out;
	md_steps(x);
	md_deviations(x);
	fputs("\n## Notification clocks\n\n", x->out);
	if ((st = md_rows(x, "SELECT rule, deadline, notified_at, notified_to"
	    " FROM clock WHERE case_id = ? ORDER BY deadline",
	    "No notification clock was started.", md_clock_row, err)) != IRC_OK)
		goto out;
	fputs("\n## Lessons learned\n\n", x->out);
	if ((st = md_rows(x, "SELECT kind, text FROM lesson WHERE case_id = ?"
	    " ORDER BY id", "No lessons recorded.", md_lesson_row, err)) !=
	    IRC_OK)
		goto out;
	fputs("\n## Corrective actions\n\n", x->out);
	if ((st = md_rows(x, "SELECT owner, due, text, state FROM followup"
	    " WHERE case_id = ? ORDER BY id", "No corrective actions recorded.",
	    md_followup_row, err)) != IRC_OK)
		goto out;
	fputs("\n## Evidence manifest\n\n| # | name | bytes | SHA-256 |"
	    " kept at | held by |\n| --: | --- | --: | --- | --- | --- |\n",
	    x->out);
	if ((st = md_rows(x, "SELECT number, name, size, sha256, location,"
	    " holder FROM evidence WHERE case_id = ? ORDER BY number",
	    "| | no evidence recorded | | | | |", md_evidence_row, err)) !=
	    IRC_OK)
		goto out;
	fputs("\nCustody:\n\n", x->out);
	if ((st = md_rows(x, "SELECT time_us, actor, kind, body FROM action"
	    " WHERE case_id = ? AND kind LIKE 'evidence.%' ORDER BY seq",
	    "No custody transfers recorded.", md_custody_row, err)) != IRC_OK)
		goto out;
	fputs("\n## Observables\n\n| # | type | value | TLP | IOC | tags |\n"
	    "| --: | --- | --- | --- | --- | --- |\n", x->out);
	if ((st = md_rows(x, "SELECT number, type, value, tlp, ioc, tags"
	    " FROM observable WHERE case_id = ? ORDER BY number",
	    "| | no observables recorded | | | | |", md_observable_row, err)) !=
	    IRC_OK)
		goto out;
	fputs("\n## Affected assets\n\n| # | name | inventory id | owner |"
	    " classification |\n| --: | --- | --- | --- | --- |\n", x->out);
	if ((st = md_rows(x, "SELECT number, name, inventory_id, owner,"
	    " classification FROM asset WHERE case_id = ? ORDER BY number",
	    "| | no affected assets recorded | | | |", md_asset_row, err)) !=
	    IRC_OK)
		goto out;
	md_chain(x);
	if (ferror(x->out))
		st = irc_write_fail(err, x->out_name, errno);
out:
	md_walk_reset(0);
	return st;
}
