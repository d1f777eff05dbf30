/*
 * action.c: appending to and checking the hash-chained action log.
 *
 * action.h documents the canonical encoding that each hash covers.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "action.h"
#include "mem.h"
#include "timeutil.h"

/* Feeds one netstring field ("LEN:BYTES,") to the digest. */
static void
hash_field(EVP_MD_CTX *ctx, const char *bytes, size_t len)
{
	char prefix[32];
	int n = snprintf(prefix, sizeof prefix, "%zu:", len);

	EVP_DigestUpdate(ctx, prefix, (size_t)n);
	EVP_DigestUpdate(ctx, bytes, len);
	EVP_DigestUpdate(ctx, ",", 1);
}

static void
hash_str(EVP_MD_CTX *ctx, const char *s)
{
	hash_field(ctx, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static void
hash_int(EVP_MD_CTX *ctx, int64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%" PRId64, v);

	hash_field(ctx, buf, (size_t)n);
}

void
irc_action_hash(const struct irc_action *a, const char *case_uuid,
    char hex[IRC_HASH_HEX])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (ctx == NULL)
		abort();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	hash_str(ctx, "ircase-action-v1");
	hash_str(ctx, a->prev_hash);
	hash_str(ctx, case_uuid);
	hash_int(ctx, a->seq);
	if (a->step_seq > 0)
		hash_int(ctx, a->step_seq);
	else
		hash_str(ctx, "");
	hash_int(ctx, a->time_us);
	hash_str(ctx, a->actor);
	hash_str(ctx, a->origin);
	hash_str(ctx, a->kind);
	hash_str(ctx, a->body);
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);

	for (unsigned int i = 0; i < len && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
}

void
irc_action_clear(struct irc_action *a)
{
	if (a == NULL)
		return;
	free(a->actor);
	free(a->origin);
	free(a->kind);
	free(a->body);
	memset(a, 0, sizeof *a);
}

/* Copies a text column into a fixed hash buffer, empty when NULL. */
static void
copy_hash(char dst[IRC_HASH_HEX], sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	snprintf(dst, IRC_HASH_HEX, "%s", s != NULL ? (const char *)s : "");
}

static char *
column_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return irc_xstrdup(s != NULL ? (const char *)s : "");
}

enum irc_status
irc_action_append(struct irc_db *db, int64_t case_id, int step_seq,
    const struct irc_actor *actor, const char *kind, json_t *body,
    struct irc_action *out, struct irc_error *err)
{
	sqlite3 *h = irc_db_handle(db);
	sqlite3_stmt *stmt = NULL;
	struct irc_action a;
	json_t *obj = NULL;
	char uuid[37];
	int64_t last_time = 0;
	enum irc_status st = IRC_OK;

	memset(&a, 0, sizeof a);
	if (sqlite3_prepare_v2(h, "SELECT c.uuid, c.head_hash, c.action_count,"
	    " (SELECT time_us FROM action WHERE case_id = c.id"
	    "  ORDER BY seq DESC LIMIT 1)"
	    " FROM \"case\" c WHERE c.id = ?", -1, &stmt, NULL) != SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot read the chain head");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	switch (sqlite3_step(stmt)) {
	case SQLITE_ROW:
		break;
	case SQLITE_DONE:
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "no case %" PRId64, case_id);
		goto out;
	default:
		st = irc_db_fail(db, err, "cannot read the chain head");
		goto out;
	}
	snprintf(uuid, sizeof uuid, "%s",
	    (const char *)sqlite3_column_text(stmt, 0));
	copy_hash(a.prev_hash, stmt, 1);
	a.seq = sqlite3_column_int64(stmt, 2) + 1;
	last_time = sqlite3_column_int64(stmt, 3);
	sqlite3_finalize(stmt);
	stmt = NULL;

	a.case_id = case_id;
	a.step_seq = step_seq;
	a.time_us = irc_now_us();
	a.actor = irc_xstrdup(actor->login);
	a.origin = irc_xstrdup(actor->origin);
	a.kind = irc_xstrdup(kind);

	obj = body != NULL ? json_deep_copy(body) : json_object();
	if (obj == NULL || !json_is_object(obj)) {
		st = irc_fail(err, IRC_ERR_INVALID, "action body must be an object");
		goto out;
	}
	if (a.seq > 1 && a.time_us < last_time)
		json_object_set_new(obj, "clock_went_back_us",
		    json_integer(last_time - a.time_us));
	a.body = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
	if (a.body == NULL)
		abort();
	irc_action_hash(&a, uuid, a.hash);

	if (sqlite3_prepare_v2(h, "INSERT INTO action (case_id, seq, step_seq,"
	    " time_us, actor, origin, kind, body, prev_hash, hash)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) !=
	    SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot append the action");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int64(stmt, 2, a.seq);
	if (step_seq > 0)
		sqlite3_bind_int(stmt, 3, step_seq);
	else
		sqlite3_bind_null(stmt, 3);
	sqlite3_bind_int64(stmt, 4, a.time_us);
	sqlite3_bind_text(stmt, 5, a.actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, a.origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, a.kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, a.body, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 9, a.prev_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 10, a.hash, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot append the action");
		goto out;
	}
	a.id = sqlite3_last_insert_rowid(h);
	sqlite3_finalize(stmt);
	stmt = NULL;

	if (sqlite3_prepare_v2(h, "UPDATE \"case\" SET head_hash = ?,"
	    " action_count = ? WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot update the chain head");
		goto out;
	}
	sqlite3_bind_text(stmt, 1, a.hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, a.seq);
	sqlite3_bind_int64(stmt, 3, case_id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot update the chain head");
		goto out;
	}
out:
	sqlite3_finalize(stmt);
	json_decref(obj);
	if (st == IRC_OK && out != NULL)
		*out = a;
	else
		irc_action_clear(&a);
	return st;
}

static const char action_columns[] =
    "SELECT id, case_id, seq, coalesce(step_seq, 0), time_us, actor, origin,"
    " kind, body, prev_hash, hash FROM action";

static void
action_from_row(sqlite3_stmt *stmt, struct irc_action *a)
{
	a->id = sqlite3_column_int64(stmt, 0);
	a->case_id = sqlite3_column_int64(stmt, 1);
	a->seq = sqlite3_column_int64(stmt, 2);
	a->step_seq = sqlite3_column_int(stmt, 3);
	a->time_us = sqlite3_column_int64(stmt, 4);
	a->actor = column_dup(stmt, 5);
	a->origin = column_dup(stmt, 6);
	a->kind = column_dup(stmt, 7);
	a->body = column_dup(stmt, 8);
	copy_hash(a->prev_hash, stmt, 9);
	copy_hash(a->hash, stmt, 10);
}

enum irc_status
irc_actions_load(struct irc_db *db, int64_t case_id, struct irc_action **out,
    size_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct irc_action *list = NULL;
	size_t n = 0, cap = 0;
	char *sql = irc_xasprintf("%s WHERE case_id = ? ORDER BY seq, id",
	    action_columns);
	enum irc_status st = IRC_OK;
	int rc;

	*out = NULL;
	*count = 0;
	if (sqlite3_prepare_v2(irc_db_handle(db), sql, -1, &stmt, NULL) !=
	    SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot read actions");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			list = irc_xrealloc(list, cap, sizeof *list);
		}
		memset(&list[n], 0, sizeof list[n]);
		action_from_row(stmt, &list[n++]);
	}
	if (rc != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot read actions");
		irc_actions_free(list, n);
		goto out;
	}
	*out = list;
	*count = n;
out:
	sqlite3_finalize(stmt);
	free(sql);
	return st;
}

void
irc_actions_free(struct irc_action *actions, size_t count)
{
	for (size_t i = 0; i < count; i++)
		irc_action_clear(&actions[i]);
	free(actions);
}

/* Records the first mismatch in result; later ones are not reported. */
static void
verify_mismatch(struct irc_verify_result *r, const struct irc_action *a,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
verify_mismatch(struct irc_verify_result *r, const struct irc_action *a,
    const char *fmt, ...)
{
	va_list ap;

	if (!r->ok)
		return;
	r->ok = false;
	r->bad_action_id = a != NULL ? a->id : 0;
	r->bad_seq = a != NULL ? a->seq : 0;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	va_end(ap);
}

enum irc_status
irc_chain_verify(struct irc_db *db, int64_t case_id,
    struct irc_verify_result *r, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	char *sql = NULL;
	char uuid[37], head[IRC_HASH_HEX], expect[IRC_HASH_HEX];
	char prev[IRC_HASH_HEX] = IRC_CHAIN_GENESIS;
	int64_t stored_count, want_seq = 1;
	struct irc_action a;
	enum irc_status st = IRC_OK;
	int rc;

	memset(r, 0, sizeof *r);
	r->ok = true;
	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT uuid, head_hash,"
	    " action_count FROM \"case\" WHERE id = ?", -1, &stmt, NULL) !=
	    SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot read the case");
		goto out;
	}
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
	snprintf(uuid, sizeof uuid, "%s",
	    (const char *)sqlite3_column_text(stmt, 0));
	copy_hash(head, stmt, 1);
	stored_count = sqlite3_column_int64(stmt, 2);
	sqlite3_finalize(stmt);

	/*
	 * Walk in rowid order: rows are only ever appended, so rowid order is
	 * commit order, and an action whose seq was changed shows up here.
	 */
	sql = irc_xasprintf("%s WHERE case_id = ? ORDER BY id", action_columns);
	if (sqlite3_prepare_v2(irc_db_handle(db), sql, -1, &stmt, NULL) !=
	    SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot read actions");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		action_from_row(stmt, &a);
		if (a.seq != want_seq)
			verify_mismatch(r, &a, "action id %" PRId64 " has sequence "
			    "number %" PRId64 " where %" PRId64 " was expected",
			    a.id, a.seq, want_seq);
		else if (strcmp(a.prev_hash, prev) != 0)
			verify_mismatch(r, &a, "action id %" PRId64 " (seq %" PRId64
			    ") does not follow the previous action's hash: an "
			    "action before it was removed or changed", a.id, a.seq);
		irc_action_hash(&a, uuid, expect);
		if (strcmp(expect, a.hash) != 0)
			verify_mismatch(r, &a, "action id %" PRId64 " (seq %" PRId64
			    ") does not match its hash: its content was changed",
			    a.id, a.seq);
		snprintf(prev, sizeof prev, "%s", a.hash);
		want_seq++;
		r->checked++;
		irc_action_clear(&a);
	}
	if (rc != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot read actions");
		goto out;
	}
	snprintf(r->head, sizeof r->head, "%s", prev);
	if (r->checked != stored_count)
		verify_mismatch(r, NULL, "case %" PRId64 " records %" PRId64
		    " actions but %" PRId64 " were found", case_id, stored_count,
		    r->checked);
	else if (strcmp(head, prev) != 0)
		verify_mismatch(r, NULL, "case %" PRId64 " records chain head %.12s"
		    " but the last action's hash is %.12s", case_id, head, prev);
out:
	sqlite3_finalize(stmt);
	free(sql);
	return st;
}
