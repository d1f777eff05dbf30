/*
 * sync_outbox.c: the outbox rows written beside actions, and the sync
 * state read back for "ircase sync --status" and the status bar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "sync.h"

enum irc_status
irc_sync_outbox_add(struct irc_db *db, int64_t case_id, int64_t action_id,
    const char *actor, const char *kind, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st = IRC_OK;

	if (strncmp(actor, IRC_SYNC_ACTOR_PREFIX,
	    strlen(IRC_SYNC_ACTOR_PREFIX)) == 0 || strncmp(kind, "sync.", 5) == 0)
		return IRC_OK;
	if (sqlite3_prepare_v2(irc_db_handle(db), "INSERT INTO outbox (case_id,"
	    " action_id, target, updated_at) SELECT id, ?, CASE kind WHEN"
	    " 'drill' THEN 'drill' ELSE 'production' END, NULL"
	    " FROM \"case\" WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(db, err, "cannot queue the action for TheHive");
	sqlite3_bind_int64(stmt, 1, action_id);
	sqlite3_bind_int64(stmt, 2, case_id);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot queue the action for TheHive");
	sqlite3_finalize(stmt);
	return st;
}

static void
copy_text(char *dst, size_t size, sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	snprintf(dst, size, "%s", s != NULL ? (const char *)s : "");
}

static char *
dup_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s != NULL ? irc_xstrdup((const char *)s) : NULL;
}

/* Returns true when cfg is known and has no drill URL. */
static bool
drills_skipped(const struct irc_hive_config *cfg)
{
	return cfg != NULL && cfg->drill.url == NULL;
}

enum irc_status
irc_sync_status(struct irc_db *db, const struct irc_hive_config *cfg,
    int64_t case_id, struct irc_sync_status **out, size_t *count,
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct irc_sync_status *list = NULL;
	size_t n = 0, cap = 0;
	enum irc_status st = IRC_OK;
	int rc;

	*out = NULL;
	*count = 0;
	/* The last error of a case: its sync_case row's, else its newest row's. */
	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT o.case_id, o.target,"
	    " coalesce(m.remote_id, ''), coalesce(m.remote_number, 0),"
	    " sum(o.state IN ('pending', 'sending')), sum(o.state = 'failed'),"
	    " coalesce(s.last_sync, 0), coalesce(s.pushed_head, ''), c.head_hash,"
	    " coalesce(s.conflicts, 0), coalesce(s.last_error, (SELECT last_error"
	    "   FROM outbox x WHERE x.case_id = o.case_id AND x.state != 'done'"
	    "   AND x.last_error IS NOT NULL ORDER BY x.id DESC LIMIT 1))"
	    " FROM outbox o JOIN \"case\" c ON c.id = o.case_id"
	    " LEFT JOIN remote_map m ON m.target = o.target AND m.kind = 'case'"
	    "   AND m.local_id = o.case_id"
	    " LEFT JOIN sync_case s ON s.target = o.target AND s.case_id = o.case_id"
	    " WHERE ?1 = 0 OR o.case_id = ?1"
	    " GROUP BY o.case_id, o.target ORDER BY o.case_id", -1, &stmt,
	    NULL) != SQLITE_OK)
		return irc_db_fail(db, err, "cannot read the sync state");
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct irc_sync_status *s;

		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			list = irc_xrealloc(list, cap, sizeof *list);
		}
		s = &list[n++];
		memset(s, 0, sizeof *s);
		s->case_id = sqlite3_column_int64(stmt, 0);
		copy_text(s->target, sizeof s->target, stmt, 1);
		s->skipped = drills_skipped(cfg) &&
		    strcmp(s->target, "drill") == 0;
		copy_text(s->remote_id, sizeof s->remote_id, stmt, 2);
		s->remote_number = sqlite3_column_int64(stmt, 3);
		s->pending = sqlite3_column_int64(stmt, 4);
		s->failed = sqlite3_column_int64(stmt, 5);
		s->last_sync_us = sqlite3_column_int64(stmt, 6);
		copy_text(s->pushed_head, sizeof s->pushed_head, stmt, 7);
		copy_text(s->local_head, sizeof s->local_head, stmt, 8);
		s->conflicts = sqlite3_column_int64(stmt, 9);
		s->last_error = dup_text(stmt, 10);
	}
	if (rc != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot read the sync state");
		irc_sync_status_free(list, n);
		goto out;
	}
	*out = list;
	*count = n;
out:
	sqlite3_finalize(stmt);
	return st;
}

void
irc_sync_status_free(struct irc_sync_status *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(list[i].last_error);
	free(list);
}

enum irc_status
irc_sync_pending_list(struct irc_db *db, const struct irc_hive_config *cfg,
    int64_t case_id, struct irc_sync_pending **out, size_t *count,
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct irc_sync_pending *list = NULL;
	size_t n = 0, cap = 0;
	enum irc_status st = IRC_OK;
	int rc;

	*out = NULL;
	*count = 0;
	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT o.case_id, a.seq,"
	    " a.kind, o.target, o.state, o.last_error FROM outbox o"
	    " JOIN action a ON a.id = o.action_id"
	    " WHERE o.state != 'done' AND (?1 = 0 OR o.case_id = ?1)"
	    " AND NOT (?2 AND o.target = 'drill')"
	    " ORDER BY o.case_id, o.id", -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(db, err, "cannot read the outbox");
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int(stmt, 2, drills_skipped(cfg));
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct irc_sync_pending *p;

		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			list = irc_xrealloc(list, cap, sizeof *list);
		}
		p = &list[n++];
		p->case_id = sqlite3_column_int64(stmt, 0);
		p->seq = sqlite3_column_int64(stmt, 1);
		p->kind = dup_text(stmt, 2);
		p->target = dup_text(stmt, 3);
		p->state = dup_text(stmt, 4);
		p->last_error = dup_text(stmt, 5);
	}
	if (rc != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot read the outbox");
		irc_sync_pending_free(list, n);
		goto out;
	}
	*out = list;
	*count = n;
out:
	sqlite3_finalize(stmt);
	return st;
}

void
irc_sync_pending_free(struct irc_sync_pending *list, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(list[i].kind);
		free(list[i].target);
		free(list[i].state);
		free(list[i].last_error);
	}
	free(list);
}
