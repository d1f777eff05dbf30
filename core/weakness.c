/*
 * weakness.c: the weakness register and its hash chain.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "lifecycle.h"
#include "lifecycle_internal.h"
#include "mem.h"
#include "record.h"
#include "timeutil.h"
#include "weakness.h"

/* Appends one entry to the register's chain inside the caller's transaction. */
static enum irc_status
register_append(struct irc_db *db, int64_t weakness, const char *kind,
    json_t *body, const struct irc_actor *actor, int64_t *seq,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	struct irc_action a;
	enum irc_status st;

	memset(&a, 0, sizeof a);
	snprintf(a.prev_hash, sizeof a.prev_hash, "%s", IRC_CHAIN_GENESIS);
	if ((st = irc_record_prepare(db, "SELECT head_hash, count FROM"
	    " chain_head WHERE name = ?", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_text(stmt, 1, IRC_WEAKNESS_CHAIN, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		snprintf(a.prev_hash, sizeof a.prev_hash, "%s",
		    (const char *)sqlite3_column_text(stmt, 0));
		a.seq = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	a.seq++;
	a.time_us = irc_now_us();
	a.actor = irc_xstrdup(actor->login);
	a.origin = irc_xstrdup(actor->origin);
	a.kind = irc_xstrdup(kind);
	a.body = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	if (a.body == NULL)
		abort();
	irc_action_hash(&a, IRC_WEAKNESS_CHAIN, a.hash);

	if ((st = irc_record_prepare(db, "INSERT INTO weakness (seq, weakness,"
	    " time_us, actor, origin, kind, body, prev_hash, hash)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_int64(stmt, 1, a.seq);
	sqlite3_bind_int64(stmt, 2, weakness != 0 ? weakness : a.seq);
	sqlite3_bind_int64(stmt, 3, a.time_us);
	sqlite3_bind_text(stmt, 4, a.actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, a.origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, a.kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, a.body, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, a.prev_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 9, a.hash, -1, SQLITE_STATIC);
	if ((st = irc_lc_run(db, stmt, "cannot append to the weakness register",
	    err)) != IRC_OK)
		goto out;
	if ((st = irc_record_prepare(db, "INSERT INTO chain_head (name,"
	    " head_hash, count) VALUES (?1, ?2, ?3) ON CONFLICT (name)"
	    " DO UPDATE SET head_hash = ?2, count = ?3", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_text(stmt, 1, IRC_WEAKNESS_CHAIN, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, a.hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, a.seq);
	st = irc_lc_run(db, stmt, "cannot update the register head", err);
	if (st == IRC_OK && seq != NULL)
		*seq = a.seq;
out:
	irc_action_clear(&a);
	return st;
}

enum irc_status
irc_weakness_add(struct irc_db *db, const char *reporter, const char *text,
    const struct irc_actor *actor, int64_t *id, struct irc_error *err)
{
	json_t *body;
	enum irc_status st;

	if ((st = irc_record_check_text("reporter", reporter,
	    IRC_LIFECYCLE_NAME_MAX, err)) != IRC_OK ||
	    (st = irc_record_check_text("weakness", text,
	    IRC_LIFECYCLE_TEXT_MAX, err)) != IRC_OK)
		return st;
	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	body = json_pack("{s:s, s:s}", "by", reporter, "text", text);
	st = register_append(db, 0, "weakness.add", body, actor, id, err);
	return irc_lc_finish(db, st, body, err);
}

/* Reads weakness id's state: *exists, and *case_id when promoted. */
static enum irc_status
weakness_state(struct irc_db *db, int64_t id, bool *exists, int64_t *case_id,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;

	*exists = false;
	*case_id = 0;
	if ((st = irc_record_prepare(db, "SELECT kind,"
	    " coalesce(json_extract(body, '$.case'), 0) FROM weakness"
	    " WHERE weakness = ? ORDER BY seq", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, id);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		*exists = true;
		if (strcmp((const char *)sqlite3_column_text(stmt, 0),
		    "weakness.promote") == 0)
			*case_id = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	return IRC_OK;
}

enum irc_status
irc_weakness_promote(struct irc_db *db, int64_t id,
    const struct irc_playbook *pb, const char *title, int severity,
    const struct irc_actor *actor, int64_t *case_id, struct irc_error *err)
{
	json_t *body = NULL;
	int64_t promoted = 0, new_case = 0;
	bool exists;
	enum irc_status st;

	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if ((st = weakness_state(db, id, &exists, &promoted, err)) != IRC_OK)
		goto out;
	if (!exists) {
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "no weakness %" PRId64
		    "; run 'ircase weakness list' to see them", id);
		goto out;
	}
	if (promoted != 0) {
		st = irc_fail(err, IRC_ERR_INVALID, "weakness %" PRId64 " was "
		    "already promoted to case %" PRId64, id, promoted);
		goto out;
	}
	if ((st = irc_case_create_tx(db, pb, title, severity, actor, &new_case,
	    err)) != IRC_OK)
		goto out;
	body = json_pack("{s:I, s:s}", "case", (json_int_t)new_case, "title",
	    title);
	if ((st = register_append(db, id, "weakness.promote", body, actor, NULL,
	    err)) != IRC_OK)
		goto out;
	json_decref(body);
	body = json_pack("{s:I}", "weakness", (json_int_t)id);
	st = irc_action_append(db, new_case, 0, actor, "weakness.promoted", body,
	    NULL, err);
	if (st == IRC_OK)
		*case_id = new_case;
out:
	return irc_lc_finish(db, st, body, err);
}

static void
weakness_fill(sqlite3_stmt *stmt, void *row)
{
	struct irc_weakness *w = row;

	w->id = sqlite3_column_int64(stmt, 0);
	w->time_us = sqlite3_column_int64(stmt, 1);
	w->actor = irc_record_column(stmt, 2, false);
	w->reporter = irc_record_column(stmt, 3, false);
	w->text = irc_record_column(stmt, 4, false);
	w->case_id = sqlite3_column_int64(stmt, 5);
}

static void
weaknesses_free_rows(void *rows, size_t count)
{
	irc_weaknesses_free(rows, count);
}

enum irc_status
irc_weakness_list(struct irc_db *db, struct irc_weakness **out,
    size_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	void *rows;

	*out = NULL;
	*count = 0;
	if ((st = irc_record_prepare(db, "SELECT w.weakness, w.time_us, w.actor,"
	    " json_extract(w.body, '$.by'), json_extract(w.body, '$.text'),"
	    " (SELECT json_extract(p.body, '$.case') FROM weakness p"
	    "  WHERE p.weakness = w.weakness AND p.kind = 'weakness.promote')"
	    " FROM weakness w WHERE w.kind = 'weakness.add' ORDER BY w.seq",
	    &stmt, err)) != IRC_OK)
		return st;
	st = irc_record_rows(db, stmt, sizeof **out, weakness_fill,
	    weaknesses_free_rows, "weakness register", &rows, count, err);
	*out = rows;
	return st;
}

void
irc_weaknesses_free(struct irc_weakness *list, size_t count)
{
	for (size_t i = 0; list != NULL && i < count; i++) {
		free(list[i].actor);
		free(list[i].reporter);
		free(list[i].text);
	}
	free(list);
}

/*
 * Names the first bad entry of the register in r's reason, since the
 * chain walk words its reasons for a case's actions.  before is the walk
 * as it stood before a was added.
 */
static void
weakness_mismatch(struct irc_verify_result *r,
    const struct irc_chain_walk *before, const struct irc_action *a,
    int64_t weakness)
{
	char what[160];

	if (a->seq != before->want_seq)
		snprintf(what, sizeof what, "has sequence number %" PRId64
		    " where %" PRId64 " was expected", a->seq,
		    before->want_seq);
	else if (strcmp(a->prev_hash, before->prev) != 0)
		snprintf(what, sizeof what, "does not follow the previous "
		    "entry's hash: an entry before it was removed or changed");
	else
		snprintf(what, sizeof what, "does not match its hash: its "
		    "content was changed");
	snprintf(r->reason, sizeof r->reason, "weakness register entry %"
	    PRId64 " (weakness %" PRId64 ", %.40s) %s", a->seq, weakness,
	    a->kind != NULL ? a->kind : "?", what);
}

enum irc_status
irc_weakness_verify(struct irc_db *db, struct irc_verify_result *result,
    struct irc_error *err)
{
	struct irc_chain_walk walk, before;
	struct irc_verify_result *r = &walk.result;
	sqlite3_stmt *stmt;
	char head[IRC_HASH_HEX] = IRC_CHAIN_GENESIS;
	int64_t count = 0;
	enum irc_status st;
	int rc;

	if ((st = irc_record_prepare(db, "SELECT head_hash, count FROM"
	    " chain_head WHERE name = ?", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_text(stmt, 1, IRC_WEAKNESS_CHAIN, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		snprintf(head, sizeof head, "%s",
		    (const char *)sqlite3_column_text(stmt, 0));
		count = sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);

	irc_chain_walk_start(&walk, IRC_WEAKNESS_CHAIN);
	if ((st = irc_record_prepare(db, "SELECT id, seq, time_us, actor, origin,"
	    " kind, body, prev_hash, hash, weakness FROM weakness ORDER BY id",
	    &stmt, err)) != IRC_OK)
		return st;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct irc_action a;

		memset(&a, 0, sizeof a);
		a.id = sqlite3_column_int64(stmt, 0);
		a.seq = sqlite3_column_int64(stmt, 1);
		a.time_us = sqlite3_column_int64(stmt, 2);
		a.actor = (char *)sqlite3_column_text(stmt, 3);
		a.origin = (char *)sqlite3_column_text(stmt, 4);
		a.kind = (char *)sqlite3_column_text(stmt, 5);
		a.body = (char *)sqlite3_column_text(stmt, 6);
		snprintf(a.prev_hash, sizeof a.prev_hash, "%s",
		    (const char *)sqlite3_column_text(stmt, 7));
		snprintf(a.hash, sizeof a.hash, "%s",
		    (const char *)sqlite3_column_text(stmt, 8));
		before = walk;
		irc_chain_walk_add(&walk, &a);
		if (before.result.ok && !r->ok)
			weakness_mismatch(r, &before, &a,
			    sqlite3_column_int64(stmt, 9));
	}
	if (rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read the weakness register");
	sqlite3_finalize(stmt);

	/* The walk's own end checks would name "case 0": word them here. */
	snprintf(r->head, sizeof r->head, "%s", walk.prev);
	if (r->ok && r->checked != count) {
		r->ok = false;
		snprintf(r->reason, sizeof r->reason, "the weakness register "
		    "records %" PRId64 " entries but %" PRId64 " were found",
		    count, r->checked);
	} else if (r->ok && strcmp(head, walk.prev) != 0) {
		r->ok = false;
		snprintf(r->reason, sizeof r->reason, "the weakness register "
		    "records chain head %.12s but the last entry's hash is %.12s",
		    head, walk.prev);
	}
	*result = walk.result;
	return st;
}
