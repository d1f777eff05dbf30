/*
 * followup.c: follow-ups, the corrective actions that the Learn phase
 * assigns to an owner with a due date.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lifecycle.h"
#include "lifecycle_internal.h"
#include "mem.h"
#include "record.h"
#include "timeutil.h"

enum irc_status
irc_followup_due_check(const char *due, struct irc_error *err)
{
	struct tm tm, back;
	time_t t;
	int y, m, d, used = 0;

	memset(&tm, 0, sizeof tm);
	if (due == NULL || strlen(due) != 10 ||
	    sscanf(due, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10)
		goto bad;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 12;
	t = timegm(&tm);
	/* timegm() normalises tm, so compare with the fields as typed. */
	if (gmtime_r(&t, &back) == NULL || back.tm_year != y - 1900 ||
	    back.tm_mon != m - 1 || back.tm_mday != d)
		goto bad;
	return IRC_OK;
bad:
	return irc_fail(err, IRC_ERR_INVALID, "invalid due date '%s'; use "
	    "YYYY-MM-DD, such as 2026-12-31", due != NULL ? due : "");
}

enum irc_status
irc_followup_add(struct irc_db *db, int64_t case_id, const char *owner,
    const char *due, const char *text, const struct irc_actor *actor,
    int64_t *id, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	json_t *body = NULL;
	int64_t new_id;
	enum irc_status st;

	if ((st = irc_record_check_text("owner", owner, IRC_LIFECYCLE_NAME_MAX,
	    err)) != IRC_OK ||
	    (st = irc_followup_due_check(due, err)) != IRC_OK ||
	    (st = irc_record_check_text("follow-up", text,
	    IRC_LIFECYCLE_TEXT_MAX, err)) != IRC_OK)
		return st;
	if ((st = irc_lc_begin(db, case_id, err)) != IRC_OK)
		return st;
	if ((st = irc_record_prepare(db, "INSERT INTO followup (case_id, owner,"
	    " due, text, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)", &stmt,
	    err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, due, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, irc_now_us());
	if ((st = irc_lc_run(db, stmt, "cannot store the follow-up", err)) !=
	    IRC_OK)
		goto out;
	new_id = sqlite3_last_insert_rowid(irc_db_handle(db));
	body = json_pack("{s:I, s:s, s:s, s:s}", "followup", (json_int_t)new_id,
	    "owner", owner, "due", due, "text", text);
	st = irc_action_append(db, case_id, 0, actor, "followup.add", body, NULL,
	    err);
	if (st == IRC_OK && id != NULL)
		*id = new_id;
out:
	return irc_lc_finish(db, st, body, err);
}

enum irc_status
irc_followup_done(struct irc_db *db, int64_t id, const char *note,
    const struct irc_actor *actor, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	json_t *body = NULL;
	int64_t case_id = 0;
	enum irc_status st;
	int rc;

	if ((st = irc_record_check_optional("note", note, IRC_LIFECYCLE_TEXT_MAX,
	    err)) != IRC_OK)
		return st;
	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if ((st = irc_record_prepare(db, "SELECT case_id, state FROM followup"
	    " WHERE id = ?", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "no follow-up %" PRId64
		    "; run 'ircase followups' to see them", id);
	else if (rc != SQLITE_ROW)
		st = irc_db_fail(db, err, "cannot read the follow-up");
	else if (strcmp((const char *)sqlite3_column_text(stmt, 1), "done") == 0)
		st = irc_fail(err, IRC_ERR_INVALID, "follow-up %" PRId64 " is "
		    "already done", id);
	else
		case_id = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (st != IRC_OK)
		goto out;

	if ((st = irc_record_prepare(db, "UPDATE followup SET state = 'done',"
	    " done_by = ?, done_at = ?, done_note = ? WHERE id = ?", &stmt,
	    err)) != IRC_OK)
		goto out;
	sqlite3_bind_text(stmt, 1, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, irc_now_us());
	irc_lc_bind_text(stmt, 3, note != NULL && *note != '\0' ? note : NULL);
	sqlite3_bind_int64(stmt, 4, id);
	if ((st = irc_lc_run(db, stmt, "cannot update the follow-up", err)) !=
	    IRC_OK)
		goto out;
	body = json_pack("{s:I}", "followup", (json_int_t)id);
	if (note != NULL && *note != '\0')
		json_object_set_new(body, "note", json_string(note));
	st = irc_action_append(db, case_id, 0, actor, "followup.done", body,
	    NULL, err);
out:
	return irc_lc_finish(db, st, body, err);
}

static void
followup_fill(sqlite3_stmt *stmt, void *row)
{
	struct irc_followup *f = row;

	f->id = sqlite3_column_int64(stmt, 0);
	f->case_id = sqlite3_column_int64(stmt, 1);
	f->owner = irc_record_column(stmt, 2, false);
	snprintf(f->due, sizeof f->due, "%s",
	    (const char *)sqlite3_column_text(stmt, 3));
	f->text = irc_record_column(stmt, 4, false);
	f->done = strcmp((const char *)sqlite3_column_text(stmt, 5),
	    "done") == 0;
	f->added_at = sqlite3_column_int64(stmt, 6);
	f->done_at = sqlite3_column_int64(stmt, 7);
	f->done_note = irc_record_column(stmt, 8, true);
}

static void
followups_free_rows(void *rows, size_t count)
{
	irc_followups_free(rows, count);
}

enum irc_status
irc_followup_list(struct irc_db *db, int64_t case_id, bool open_only,
    struct irc_followup **out, size_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	void *rows;

	*out = NULL;
	*count = 0;
	if ((st = irc_record_prepare(db, "SELECT id, case_id, owner, due, text,"
	    " state, added_at, coalesce(done_at, 0), done_note FROM followup"
	    " WHERE (?1 = 0 OR case_id = ?1) AND (?2 = 0 OR state = 'open')"
	    " ORDER BY due, id", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int(stmt, 2, open_only);
	st = irc_record_rows(db, stmt, sizeof **out, followup_fill,
	    followups_free_rows, "follow-ups", &rows, count, err);
	*out = rows;
	return st;
}

void
irc_followups_free(struct irc_followup *list, size_t count)
{
	for (size_t i = 0; list != NULL && i < count; i++) {
		free(list[i].owner);
		free(list[i].text);
		free(list[i].done_note);
	}
	free(list);
}

bool
irc_followup_overdue(const struct irc_followup *f, int64_t now)
{
	time_t sec = (time_t)(now / 1000000);
	struct tm tm;
	char today[16];

	if (f->done || localtime_r(&sec, &tm) == NULL)
		return false;
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	return strcmp(f->due, today) < 0;
}
