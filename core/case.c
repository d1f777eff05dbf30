/*
 * case.c: creating, listing, loading and changing cases.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/rand.h>

#include "case.h"
#include "lifecycle.h"
#include "mem.h"
#include "record.h"
#include "sanitize.h"
#include "timeutil.h"

/* Maximum title length, in bytes. */
#define CASE_TITLE_MAX 500

/* Fills out with a random version 4 UUID in lower-case hex. */
static enum irc_status
case_uuid(char out[37], struct irc_error *err)
{
	unsigned char b[16];

	if (RAND_bytes(b, sizeof b) != 1)
		return irc_fail(err, IRC_ERR_IO,
		    "cannot read random bytes for the case uuid");
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return IRC_OK;
}

/* Checks that a user-supplied text is non-empty, valid UTF-8 and short. */
static enum irc_status
case_check_text(const char *what, const char *text, size_t max,
    struct irc_error *err)
{
	return irc_record_check_text(what, text, max, err);
}

static enum irc_status
case_prepare(struct irc_db *db, const char *sql, sqlite3_stmt **stmt,
    struct irc_error *err)
{
	if (sqlite3_prepare_v2(irc_db_handle(db), sql, -1, stmt, NULL) !=
	    SQLITE_OK)
		return irc_db_fail(db, err, "cannot prepare a statement");
	return IRC_OK;
}

/* Stores the playbook text once per SHA-256 and returns its row id. */
static enum irc_status
case_store_snapshot(struct irc_db *db, const struct irc_playbook *pb,
    int64_t now, int64_t *id, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st;

	st = case_prepare(db, "INSERT INTO playbook_snapshot (sha256, path,"
	    " title, text, stored_at) VALUES (?, ?, ?, ?, ?)"
	    " ON CONFLICT (sha256) DO NOTHING", &stmt, err);
	if (st != IRC_OK)
		return st;
	sqlite3_bind_text(stmt, 1, pb->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, pb->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, pb->title, -1, SQLITE_STATIC);
	sqlite3_bind_blob64(stmt, 4, pb->text, pb->text_len, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, now);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot store the playbook snapshot");
		goto out;
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if ((st = case_prepare(db, "SELECT id FROM playbook_snapshot"
	    " WHERE sha256 = ?", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_text(stmt, 1, pb->sha256, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		st = irc_db_fail(db, err, "cannot find the playbook snapshot");
		goto out;
	}
	*id = sqlite3_column_int64(stmt, 0);
out:
	sqlite3_finalize(stmt);
	return st;
}

/* Inserts one row per playbook step, numbered over the whole case. */
static enum irc_status
case_store_steps(struct irc_db *db, int64_t case_id,
    const struct irc_playbook *pb, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st;
	int seq = 0;
	size_t napproval = 0, title_len;
	char **approval = irc_pb_approval_titles(pb, &napproval);

	st = case_prepare(db, "INSERT INTO step (case_id, seq, phase, ord, grp,"
	    " title, body, state, line, requires_approval, parent_seq, depth,"
	    " anchor, guidance)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err);
	if (st != IRC_OK)
		goto out;
	for (int p = 0; p < IRC_PHASE_COUNT; p++) {
		const struct irc_pb_phase *ph = &pb->phases[p];
		int base = seq;	/* a sub-step's parent is steps[parent] */

		for (size_t i = 0; i < ph->nsteps; i++) {
			const struct irc_pb_step *s = &ph->steps[i];

			sqlite3_reset(stmt);
			if (s->parent >= 0)
				sqlite3_bind_int(stmt, 11, base + s->parent + 1);
			else
				sqlite3_bind_null(stmt, 11);
			sqlite3_bind_int(stmt, 12, s->depth);
			sqlite3_bind_text(stmt, 13, s->anchor, -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 14, s->guidance != NULL ?
			    s->guidance : "", -1, SQLITE_STATIC);
			sqlite3_bind_int64(stmt, 1, case_id);
			sqlite3_bind_int(stmt, 2, ++seq);
			sqlite3_bind_text(stmt, 3, irc_phase_key((enum irc_phase)p),
			    -1, SQLITE_STATIC);
			sqlite3_bind_int(stmt, 4, (int)i + 1);
			if (s->group != NULL)
				sqlite3_bind_text(stmt, 5, s->group, -1,
				    SQLITE_STATIC);
			else
				sqlite3_bind_null(stmt, 5);
			sqlite3_bind_int(stmt, 10, irc_pb_step_approval(s->title,
			    approval, napproval, &title_len));
			sqlite3_bind_text(stmt, 6, s->title, (int)title_len,
			    SQLITE_STATIC);
			sqlite3_bind_text(stmt, 7, s->body ? s->body : "", -1,
			    SQLITE_STATIC);
			/*
			 * A step ticked in the source ([x]) still starts
			 * pending: only an action in the log marks it done.
			 */
			sqlite3_bind_text(stmt, 8, "pending", -1, SQLITE_STATIC);
			sqlite3_bind_int(stmt, 9, s->line);
			if (sqlite3_step(stmt) != SQLITE_DONE) {
				st = irc_db_fail(db, err, "cannot store a step");
				goto out;
			}
		}
	}
out:
	sqlite3_finalize(stmt);
	irc_strings_free(approval, napproval);
	return st;
}

enum irc_status
irc_case_create(struct irc_db *db, const struct irc_playbook *pb,
    const char *title, int severity, const struct irc_actor *actor,
    int64_t *case_id, struct irc_error *err)
{
	enum irc_status st;

	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	st = irc_case_create_tx(db, pb, title, severity, actor, case_id, err);
	if (st == IRC_OK)
		return irc_db_commit(db, err);
	irc_db_rollback(db);
	return st;
}

enum irc_status
irc_case_create_tx(struct irc_db *db, const struct irc_playbook *pb,
    const char *title, int severity, const struct irc_actor *actor,
    int64_t *case_id, struct irc_error *err)
{
	return irc_case_create_kind_tx(db, pb, title, severity, "real", actor,
	    case_id, err);
}

enum irc_status
irc_case_create_kind_tx(struct irc_db *db, const struct irc_playbook *pb,
    const char *title, int severity, const char *kind,
    const struct irc_actor *actor, int64_t *case_id, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	char uuid[37];
	int64_t now = irc_now_us(), snapshot = 0, id;
	json_t *body = NULL;
	enum irc_status st;

	if ((st = case_check_text("title", title, CASE_TITLE_MAX, err)) !=
	    IRC_OK)
		return st;
	if (severity < IRC_SEVERITY_MIN || severity > IRC_SEVERITY_MAX)
		return irc_fail(err, IRC_ERR_INVALID, "severity %d is out of "
		    "range; use 1 (low) to 4 (critical)", severity);
	if ((st = case_uuid(uuid, err)) != IRC_OK)
		return st;
	if ((st = case_store_snapshot(db, pb, now, &snapshot, err)) != IRC_OK)
		goto out;

	if ((st = case_prepare(db, "INSERT INTO \"case\" (uuid, title, severity,"
	    " opened_at, playbook_id, playbook_path, head_hash, kind)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_text(stmt, 8, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, title, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, severity);
	sqlite3_bind_int64(stmt, 4, now);
	sqlite3_bind_int64(stmt, 5, snapshot);
	sqlite3_bind_text(stmt, 6, pb->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, IRC_CHAIN_GENESIS, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot create the case");
		goto out;
	}
	id = sqlite3_last_insert_rowid(irc_db_handle(db));

	if ((st = case_store_steps(db, id, pb, err)) != IRC_OK)
		goto out;
	body = json_pack("{s:s, s:i, s:s, s:s, s:s, s:I}", "title", title,
	    "severity", severity, "playbook_title", pb->title,
	    "playbook_path", pb->path, "playbook_sha256", pb->sha256,
	    "steps", (json_int_t)irc_playbook_step_count(pb));
	if (body == NULL) {
		st = irc_fail(err, IRC_ERR_INVALID, "cannot encode the case "
		    "title or playbook path as JSON; they must be UTF-8");
		goto out;
	}
	if (strcmp(kind, "real") != 0)
		json_object_set_new(body, "kind", json_string(kind));
	if ((st = irc_action_append(db, id, 0, actor, "case.open", body, NULL,
	    err)) != IRC_OK)
		goto out;
	*case_id = id;
out:
	sqlite3_finalize(stmt);
	json_decref(body);
	return st;
}

static char *
col_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return irc_xstrdup(s != NULL ? (const char *)s : "");
}

static char *
col_dup_null(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s != NULL ? irc_xstrdup((const char *)s) : NULL;
}

/* The step counts are kept on the case row by triggers (core/db.c). */
static const char summary_columns[] =
    "SELECT c.id, c.uuid, c.title, c.severity, c.status, c.kind, c.opened_at,"
    " c.steps_closed, c.steps_total";

static void
summary_from_row(sqlite3_stmt *stmt, struct irc_case_summary *s)
{
	s->id = sqlite3_column_int64(stmt, 0);
	snprintf(s->uuid, sizeof s->uuid, "%s",
	    (const char *)sqlite3_column_text(stmt, 1));
	s->title = col_dup(stmt, 2);
	s->severity = sqlite3_column_int(stmt, 3);
	s->status = col_dup(stmt, 4);
	s->kind = col_dup(stmt, 5);
	s->opened_at = sqlite3_column_int64(stmt, 6);
	s->steps_done = sqlite3_column_int(stmt, 7);
	s->steps_total = sqlite3_column_int(stmt, 8);
}

static void
summary_clear(struct irc_case_summary *s)
{
	free(s->title);
	free(s->status);
	free(s->kind);
}

/*
 * Steps a prepared summary query to its end into *out and *count.  The
 * rows come out in the order of the query, reversed when reverse is true.
 */
static enum irc_status
summaries_read(struct irc_db *db, sqlite3_stmt *stmt, bool reverse,
    struct irc_case_summary **out, size_t *count, struct irc_error *err)
{
	struct irc_case_summary *list = NULL, tmp;
	size_t n = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			list = irc_xrealloc(list, cap, sizeof *list);
		}
		summary_from_row(stmt, &list[n++]);
	}
	if (rc != SQLITE_DONE) {
		irc_case_summaries_free(list, n);
		return irc_db_fail(db, err, "cannot list cases");
	}
	for (size_t i = 0; reverse && i < n / 2; i++) {
		tmp = list[i];
		list[i] = list[n - 1 - i];
		list[n - 1 - i] = tmp;
	}
	*out = list;
	*count = n;
	return IRC_OK;
}

enum irc_status
irc_case_list(struct irc_db *db, struct irc_case_summary **out, size_t *count,
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	char *sql = irc_xasprintf("%s FROM \"case\" c ORDER BY c.id DESC",
	    summary_columns);
	enum irc_status st;

	*out = NULL;
	*count = 0;
	if ((st = case_prepare(db, sql, &stmt, err)) == IRC_OK)
		st = summaries_read(db, stmt, false, out, count, err);
	sqlite3_finalize(stmt);
	free(sql);
	return st;
}

enum irc_status
irc_case_list_page(struct irc_db *db, int64_t from, enum irc_case_page dir,
    size_t limit, struct irc_case_summary **out, size_t *count,
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	char *sql;
	enum irc_status st;

	*out = NULL;
	*count = 0;
	if (limit == 0)
		return IRC_OK;
	if (limit > INT64_MAX)
		limit = INT64_MAX;
	/*
	 * The id is the rowid, so both directions walk the table's own
	 * b-tree from the key and stop after limit rows.
	 */
	if (dir == IRC_CASE_PAGE_OLDER)
		sql = irc_xasprintf("%s FROM \"case\" c WHERE c.id < ?"
		    " ORDER BY c.id DESC LIMIT ?", summary_columns);
	else
		sql = irc_xasprintf("%s FROM \"case\" c WHERE c.id > ?"
		    " ORDER BY c.id ASC LIMIT ?", summary_columns);
	if ((st = case_prepare(db, sql, &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, dir == IRC_CASE_PAGE_OLDER && from <= 0 ?
	    INT64_MAX : from);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)limit);
	st = summaries_read(db, stmt, dir == IRC_CASE_PAGE_NEWER, out, count,
	    err);
out:
	sqlite3_finalize(stmt);
	free(sql);
	return st;
}

enum irc_status
irc_case_count(struct irc_db *db, int64_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st;

	*count = 0;
	if ((st = case_prepare(db, "SELECT count(*) FROM \"case\"", &stmt,
	    err)) != IRC_OK)
		return st;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*count = sqlite3_column_int64(stmt, 0);
	else
		st = irc_db_fail(db, err, "cannot count cases");
	sqlite3_finalize(stmt);
	return st;
}

void
irc_case_summaries_free(struct irc_case_summary *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		summary_clear(&list[i]);
	free(list);
}

static enum irc_status
case_load_steps(struct irc_db *db, struct irc_case *c, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	size_t cap = 0;
	enum irc_status st;
	int rc;

	if ((st = case_prepare(db, "SELECT id, seq, phase, ord, grp, title, body,"
	    " state, coalesce(started_at, 0), coalesce(done_at, 0), line,"
	    " requires_approval, approval_requested_by, anchor"
	    " FROM step WHERE case_id = ? ORDER BY seq", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, c->sum.id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct irc_step *s;

		if (c->nsteps == cap) {
			cap = cap ? cap * 2 : 32;
			c->steps = irc_xrealloc(c->steps, cap, sizeof *c->steps);
		}
		s = &c->steps[c->nsteps++];
		memset(s, 0, sizeof *s);
		s->id = sqlite3_column_int64(stmt, 0);
		s->seq = sqlite3_column_int(stmt, 1);
		if (!irc_phase_parse((const char *)sqlite3_column_text(stmt, 2),
		    &s->phase))
			s->phase = IRC_PHASE_RESPOND;
		s->ord = sqlite3_column_int(stmt, 3);
		s->grp = col_dup_null(stmt, 4);
		s->title = col_dup(stmt, 5);
		s->body = col_dup(stmt, 6);
		if (!irc_step_state_parse((const char *)sqlite3_column_text(stmt,
		    7), &s->state))
			s->state = IRC_STEP_PENDING;
		s->started_at = sqlite3_column_int64(stmt, 8);
		s->done_at = sqlite3_column_int64(stmt, 9);
		s->line = sqlite3_column_int(stmt, 10);
		s->requires_approval = sqlite3_column_int(stmt, 11) != 0;
		s->approval_requested_by = col_dup_null(stmt, 12);
		s->anchor = col_dup_null(stmt, 13);
	}
	if (rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read steps");
	sqlite3_finalize(stmt);
	return st;
}

/* Loads a case with its steps, and with its actions when with_actions. */
static enum irc_status
case_load(struct irc_db *db, int64_t case_id, bool with_actions,
    struct irc_case **out, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct irc_case *c = NULL;
	char *sql = irc_xasprintf("%s, c.description, p.title, c.playbook_path,"
	    " p.sha256, coalesce(c.closed_at, 0), c.head_hash,"
	    " c.action_count FROM \"case\" c"
	    " JOIN playbook_snapshot p ON p.id = c.playbook_id WHERE c.id = ?",
	    summary_columns);
	enum irc_status st;
	int rc;

	*out = NULL;
	if ((st = case_prepare(db, sql, &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, case_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "no case %" PRId64
		    "; run 'ircase list' to see case numbers", case_id);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		st = irc_db_fail(db, err, "cannot read the case");
		goto out;
	}
	c = irc_xcalloc(1, sizeof *c);
	summary_from_row(stmt, &c->sum);
	c->description = col_dup(stmt, 9);
	c->playbook_title = col_dup(stmt, 10);
	c->playbook_path = col_dup(stmt, 11);
	snprintf(c->playbook_sha256, sizeof c->playbook_sha256, "%s",
	    (const char *)sqlite3_column_text(stmt, 12));
	c->closed_at = sqlite3_column_int64(stmt, 13);
	snprintf(c->head_hash, sizeof c->head_hash, "%s",
	    (const char *)sqlite3_column_text(stmt, 14));
	c->action_count = sqlite3_column_int64(stmt, 15);

	if ((st = case_load_steps(db, c, err)) != IRC_OK)
		goto out;
	if (with_actions)
		st = irc_actions_load(db, case_id, &c->actions, &c->nactions,
		    err);
out:
	sqlite3_finalize(stmt);
	free(sql);
	if (st != IRC_OK)
		irc_case_free(c);
	else
		*out = c;
	return st;
}

enum irc_status
irc_case_load(struct irc_db *db, int64_t case_id, struct irc_case **out,
    struct irc_error *err)
{
	return case_load(db, case_id, true, out, err);
}

enum irc_status
irc_case_load_meta(struct irc_db *db, int64_t case_id, struct irc_case **out,
    struct irc_error *err)
{
	return case_load(db, case_id, false, out, err);
}

void
irc_case_free(struct irc_case *c)
{
	if (c == NULL)
		return;
	summary_clear(&c->sum);
	free(c->description);
	free(c->playbook_title);
	free(c->playbook_path);
	for (size_t i = 0; i < c->nsteps; i++) {
		free(c->steps[i].grp);
		free(c->steps[i].title);
		free(c->steps[i].body);
		free(c->steps[i].approval_requested_by);
		free(c->steps[i].anchor);
	}
	free(c->steps);
	irc_actions_free(c->actions, c->nactions);
	free(c);
}

struct irc_step *
irc_case_step(struct irc_case *c, int seq)
{
	for (size_t i = 0; i < c->nsteps; i++)
		if (c->steps[i].seq == seq)
			return &c->steps[i];
	return NULL;
}

/* Reads a step's state inside the caller's transaction. */
static enum irc_status
case_step_state(struct irc_db *db, int64_t case_id, int seq,
    enum irc_step_state *state, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st;
	int rc;

	if ((st = case_prepare(db, "SELECT state FROM step WHERE case_id = ?"
	    " AND seq = ?", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int(stmt, 2, seq);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		irc_step_state_parse((const char *)sqlite3_column_text(stmt, 0),
		    state);
	else if (rc == SQLITE_DONE)
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "case %" PRId64 " has no "
		    "step %d; run 'ircase show %" PRId64 "' to see its steps",
		    case_id, seq, case_id);
	else
		st = irc_db_fail(db, err, "cannot read the step");
	sqlite3_finalize(stmt);
	return st;
}

/* Fails with IRC_ERR_NOT_FOUND when the case does not exist. */
static enum irc_status
case_must_exist(struct irc_db *db, int64_t case_id, struct irc_error *err)
{
	return irc_record_case_exists(db, case_id, err);
}

enum irc_status
irc_case_step_set(struct irc_db *db, int64_t case_id, int seq,
    enum irc_step_state state, const char *note,
    const struct irc_actor *actor, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_step_state old = IRC_STEP_PENDING;
	json_t *body = NULL;
	enum irc_status st;

	if (note != NULL && *note != '\0' &&
	    (st = case_check_text("note", note, IRC_CASE_NOTE_MAX, err)) != IRC_OK)
		return st;
	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if ((st = case_must_exist(db, case_id, err)) != IRC_OK ||
	    (st = case_step_state(db, case_id, seq, &old, err)) != IRC_OK)
		goto out;
	if (old == state) {
		st = irc_fail(err, IRC_ERR_INVALID, "step %d of case %" PRId64
		    " is already %s", seq, case_id, irc_step_state_key(state));
		goto out;
	}
	if (state == IRC_STEP_DONE) {
		bool handled = false;

		/* A step that needs approval is done only once a second responder confirms. */
		if ((st = irc_step_approval_gate(db, case_id, seq, note,
		    actor, &handled, err)) != IRC_OK)
			goto out;
		if (handled) {
			st = irc_db_commit(db, err);
			goto out;
		}
	}

	/*
	 * started_at keeps the first time the step became active, so a step
	 * closed straight from pending has none.  done_at is the time it was
	 * last closed, cleared when it is reopened.
	 */
	if ((st = case_prepare(db, "UPDATE step SET state = ?1,"
	    " approval_requested_by = NULL,"
	    " started_at = CASE WHEN ?1 = 'active' THEN"
	    "  coalesce(started_at, ?2) ELSE started_at END,"
	    " done_at = CASE WHEN ?1 IN ('done', 'skipped', 'not_applicable')"
	    "  THEN ?2 ELSE NULL END"
	    " WHERE case_id = ?3 AND seq = ?4", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_text(stmt, 1, irc_step_state_key(state), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, irc_now_us());
	sqlite3_bind_int64(stmt, 3, case_id);
	sqlite3_bind_int(stmt, 4, seq);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot change the step");
		goto out;
	}

	body = json_pack("{s:i, s:s, s:s}", "step", seq,
	    "from", irc_step_state_key(old), "to", irc_step_state_key(state));
	if (note != NULL && *note != '\0')
		json_object_set_new(body, "note", json_string(note));
	if ((st = irc_action_append(db, case_id, seq, actor, "step.state", body,
	    NULL, err)) != IRC_OK)
		goto out;
	st = irc_db_commit(db, err);
out:
	sqlite3_finalize(stmt);
	json_decref(body);
	if (st != IRC_OK)
		irc_db_rollback(db);
	return st;
}

enum irc_status
irc_case_note(struct irc_db *db, int64_t case_id, int seq, const char *text,
    const struct irc_actor *actor, struct irc_error *err)
{
	enum irc_step_state ignored;
	json_t *body = NULL;
	enum irc_status st;

	if ((st = case_check_text("note", text, IRC_CASE_NOTE_MAX, err)) != IRC_OK)
		return st;
	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if ((st = case_must_exist(db, case_id, err)) != IRC_OK)
		goto out;
	if (seq > 0 &&
	    (st = case_step_state(db, case_id, seq, &ignored, err)) != IRC_OK)
		goto out;
	body = json_pack("{s:s}", "text", text);
	if (seq > 0)
		json_object_set_new(body, "step", json_integer(seq));
	if ((st = irc_action_append(db, case_id, seq, actor, "note", body, NULL,
	    err)) != IRC_OK)
		goto out;
	st = irc_db_commit(db, err);
out:
	json_decref(body);
	if (st != IRC_OK)
		irc_db_rollback(db);
	return st;
}

enum irc_status
irc_case_playbook_text(struct irc_db *db, int64_t case_id, char **text,
    size_t *len, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st;
	int rc;

	*text = NULL;
	*len = 0;
	if ((st = case_prepare(db, "SELECT p.text FROM \"case\" c JOIN"
	    " playbook_snapshot p ON p.id = c.playbook_id WHERE c.id = ?",
	    &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(stmt, 0);
		*text = irc_xstrndup(sqlite3_column_blob(stmt, 0) ?
		    sqlite3_column_blob(stmt, 0) : "", *len);
	} else if (rc == SQLITE_DONE)
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "no case %" PRId64, case_id);
	else
		st = irc_db_fail(db, err, "cannot read the playbook snapshot");
	sqlite3_finalize(stmt);
	return st;
}

bool
irc_case_number_parse(const char *text, int64_t *out)
{
	char *end;
	long long v;

	if (text == NULL)
		return false;
	if (*text == '#')
		text++;
	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0)
		return false;
	*out = v;
	return true;
}
