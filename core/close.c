/*
 * close.c: the rule for closing a case, and the JSON form of its
 * lifecycle records.
 *
 * A case closes only with a decision.  An incident also needs every
 * Respond step done, not applicable or skipped with a reason, and its
 * Learn phase filled (a root cause and one lesson on what went well or
 * badly) or waived.  An event or a not-an-incident decision needs nothing
 * more, since no response ran; its records stay on the case.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "lifecycle.h"
#include "lifecycle_internal.h"
#include "mem.h"
#include "record.h"
#include "timeutil.h"

struct missing {
	struct irc_close_missing *items;
	size_t n;
};

/* Appends one item; title and state are copied and may be NULL. */
static void
missing_add(struct missing *m, enum irc_close_missing_kind kind, int step,
    const char *title, const char *state)
{
	struct irc_close_missing *item;

	m->items = irc_xrealloc(m->items, m->n + 1, sizeof *m->items);
	item = &m->items[m->n++];
	item->kind = kind;
	item->step = step;
	item->title = title != NULL ? irc_xstrdup(title) : NULL;
	item->state = state != NULL ? irc_xstrdup(state) : NULL;
}

void
irc_close_missing_free(struct irc_close_missing *list, size_t count)
{
	for (size_t i = 0; list != NULL && i < count; i++) {
		free(list[i].title);
		free(list[i].state);
	}
	free(list);
}

void
irc_strings_free(char **list, size_t count)
{
	for (size_t i = 0; list != NULL && i < count; i++)
		free(list[i]);
	free(list);
}

/* Runs a query of one integer with the case id bound to ?1. */
static int64_t
case_count(struct irc_db *db, int64_t case_id, const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t v = 0;

	if (irc_record_prepare(db, sql, &stmt, NULL) != IRC_OK)
		return 0;
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* Lists the Respond steps that are not closed, or skipped with no reason. */
static enum irc_status
check_respond(struct irc_db *db, int64_t case_id, struct missing *m,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	int rc;

	/* The reason of a skip is the note of the action that skipped it. */
	if ((st = irc_record_prepare(db, "SELECT s.seq, s.title, s.state,"
	    " s.approval_requested_by, (SELECT json_extract(a.body, '$.note')"
	    "  FROM action a WHERE a.case_id = s.case_id AND a.step_seq = s.seq"
	    "  AND a.kind = 'step.state' ORDER BY a.seq DESC LIMIT 1)"
	    " FROM step s WHERE s.case_id = ? AND s.phase = 'respond'"
	    " ORDER BY s.seq", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int seq = sqlite3_column_int(stmt, 0);
		const char *title = (const char *)sqlite3_column_text(stmt, 1);
		const char *state = (const char *)sqlite3_column_text(stmt, 2);
		const unsigned char *note = sqlite3_column_text(stmt, 4);

		if (sqlite3_column_type(stmt, 3) != SQLITE_NULL)
			missing_add(m, IRC_MISSING_APPROVAL, seq, title, state);
		else if (strcmp(state, "skipped") == 0 &&
		    (note == NULL || *note == '\0'))
			missing_add(m, IRC_MISSING_SKIP_REASON, seq, title, state);
		else if (strcmp(state, "done") != 0 &&
		    strcmp(state, "skipped") != 0 &&
		    strcmp(state, "not_applicable") != 0)
			missing_add(m, IRC_MISSING_STEP_OPEN, seq, title, state);
	}
	if (rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read the steps");
	sqlite3_finalize(stmt);
	return st;
}

static void
check_learn(struct irc_db *db, int64_t case_id, struct missing *m)
{
	if (case_count(db, case_id, "SELECT count(*) FROM lesson WHERE"
	    " case_id = ?1 AND kind = 'waiver'") > 0)
		return;
	if (case_count(db, case_id, "SELECT count(*) FROM lesson WHERE"
	    " case_id = ?1 AND kind = 'root_cause'") == 0)
		missing_add(m, IRC_MISSING_ROOT_CAUSE, 0, NULL, NULL);
	if (case_count(db, case_id, "SELECT count(*) FROM lesson WHERE"
	    " case_id = ?1 AND kind IN ('went_well', 'went_badly')") == 0)
		missing_add(m, IRC_MISSING_LESSON, 0, NULL, NULL);
}

/* Runs the close rule inside the caller's transaction. */
static enum irc_status
close_check_tx(struct irc_db *db, int64_t case_id, char **verdict,
    struct missing *m, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	const unsigned char *v;
	enum irc_status st;

	*verdict = NULL;
	if ((st = irc_record_prepare(db, "SELECT status, verdict FROM \"case\""
	    " WHERE id = ?", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return irc_fail(err, IRC_ERR_NOT_FOUND, "no case %" PRId64
		    "; run 'ircase list' to see case numbers", case_id);
	}
	if (strcmp((const char *)sqlite3_column_text(stmt, 0), "closed") == 0) {
		sqlite3_finalize(stmt);
		return irc_fail(err, IRC_ERR_INVALID, "case %" PRId64 " is "
		    "already closed", case_id);
	}
	v = sqlite3_column_text(stmt, 1);
	*verdict = v != NULL ? irc_xstrdup((const char *)v) : NULL;
	sqlite3_finalize(stmt);

	if (*verdict == NULL) {
		missing_add(m, IRC_MISSING_DECISION, 0, NULL, NULL);
		return IRC_OK;
	}
	if (strcmp(*verdict, "incident") != 0)
		return IRC_OK;
	if ((st = check_respond(db, case_id, m, err)) != IRC_OK)
		return st;
	check_learn(db, case_id, m);
	return IRC_OK;
}

enum irc_status
irc_case_close_check(struct irc_db *db, int64_t case_id,
    struct irc_close_missing **missing, size_t *nmissing,
    struct irc_error *err)
{
	struct missing m = { NULL, 0 };
	char *verdict = NULL;
	enum irc_status st;

	*missing = NULL;
	*nmissing = 0;
	st = close_check_tx(db, case_id, &verdict, &m, err);
	free(verdict);
	if (st != IRC_OK) {
		irc_close_missing_free(m.items, m.n);
		return st;
	}
	*missing = m.items;
	*nmissing = m.n;
	return IRC_OK;
}

enum irc_status
irc_case_close(struct irc_db *db, int64_t case_id, const char *summary,
    const struct irc_actor *actor, struct irc_close_missing **missing,
    size_t *nmissing, struct irc_error *err)
{
	struct missing m = { NULL, 0 };
	sqlite3_stmt *stmt;
	char *verdict = NULL;
	json_t *body = NULL;
	enum irc_status st;

	*missing = NULL;
	*nmissing = 0;
	if ((st = irc_record_check_optional("summary", summary,
	    IRC_LIFECYCLE_TEXT_MAX, err)) != IRC_OK)
		return st;
	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if ((st = close_check_tx(db, case_id, &verdict, &m, err)) != IRC_OK)
		goto out;
	if (m.n > 0) {
		st = irc_fail(err, IRC_ERR_INVALID, "case %" PRId64 " cannot "
		    "close: %zu item%s missing", case_id, m.n, m.n == 1 ? " is" :
		    "s are");
		goto out;
	}
	if ((st = irc_record_prepare(db, "UPDATE \"case\" SET status = 'closed',"
	    " closed_at = ?, summary = ? WHERE id = ?", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, irc_now_us());
	irc_lc_bind_text(stmt, 2, summary != NULL && *summary != '\0' ?
	    summary : NULL);
	sqlite3_bind_int64(stmt, 3, case_id);
	if ((st = irc_lc_run(db, stmt, "cannot close the case", err)) != IRC_OK)
		goto out;
	body = json_pack("{s:s}", "verdict", verdict);
	if (summary != NULL && *summary != '\0')
		json_object_set_new(body, "summary", json_string(summary));
	st = irc_action_append(db, case_id, 0, actor, "case.close", body, NULL,
	    err);
out:
	free(verdict);
	if (m.n > 0) {
		*missing = m.items;
		*nmissing = m.n;
	}
	return irc_lc_finish(db, st, body, err);
}
