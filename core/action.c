/*
 * action.c: appending to and checking the hash-chained action log.
 *
 * action.h documents the canonical encoding that each hash covers.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "action.h"
#include "config.h"
#include "crosscheck.h"
#include "drill.h"
#include "mem.h"
#include "sanitize.h"
#include "sync.h"
#include "timeutil.h"

/*
 * Writes v in decimal at the end of buf (size 24) and returns where the
 * digits start.  Exports hash every action they write, so this avoids
 * snprintf's cost.
 */
static char *
decimal_format(uint64_t v, char buf[24])
{
	char *p = buf + 23;

	*p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return p;
}

/*
 * The netstrings of one action, collected so that the digest gets them in
 * one update: a million actions made 29 million small EVP_DigestUpdate()
 * calls, whose overhead cost more than the hashing itself.
 */
struct hash_text {
	char *p;
	size_t len, cap;
};

/* Appends one netstring field ("LEN:BYTES,") to t. */
static void
hash_field(struct hash_text *t, const char *bytes, size_t len)
{
	char buf[24];
	char *digits = decimal_format(len, buf);
	size_t ndigits = (size_t)(buf + 23 - digits);

	if (t->len + ndigits + len + 2 > t->cap) {
		t->cap = 2 * (t->len + ndigits + len + 2);
		t->p = irc_xrealloc(t->p, t->cap, 1);
	}
	memcpy(t->p + t->len, digits, ndigits);
	t->len += ndigits;
	t->p[t->len++] = ':';
	memcpy(t->p + t->len, bytes, len);
	t->len += len;
	t->p[t->len++] = ',';
}

static void
hash_str(struct hash_text *t, const char *s)
{
	hash_field(t, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static void
hash_int(struct hash_text *t, int64_t v)
{
	char buf[24];
	char *digits;

	if (v < 0) {
		char neg[32];
		int n = snprintf(neg, sizeof neg, "%" PRId64, v);

		hash_field(t, neg, (size_t)n);
		return;
	}
	digits = decimal_format((uint64_t)v, buf);
	hash_field(t, digits, strlen(digits));
}

void
irc_action_hash(const struct irc_action *a, const char *case_uuid,
    char hex[IRC_HASH_HEX])
{
	/*
	 * The digest and its context are kept for the life of the process:
	 * looking SHA-256 up in OpenSSL 3's providers takes locks and costs
	 * more than hashing a short action.
	 */
	static EVP_MD *sha256;
	static EVP_MD_CTX *ctx;
	static struct hash_text text;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (sha256 == NULL)
		sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (ctx == NULL)
		ctx = EVP_MD_CTX_new();
	if (sha256 == NULL || ctx == NULL)
		abort();
	text.len = 0;
	hash_str(&text, "ircase-action-v1");
	hash_str(&text, a->prev_hash);
	hash_str(&text, case_uuid);
	hash_int(&text, a->seq);
	if (a->step_seq > 0)
		hash_int(&text, a->step_seq);
	else
		hash_str(&text, "");
	hash_int(&text, a->time_us);
	hash_str(&text, a->actor);
	hash_str(&text, a->origin);
	hash_str(&text, a->kind);
	hash_str(&text, a->body);
	EVP_DigestInit_ex(ctx, sha256, NULL);
	EVP_DigestUpdate(ctx, text.p, text.len);
	EVP_DigestFinal_ex(ctx, md, &len);

	for (unsigned int i = 0; i < len && i < 32; i++) {
		hex[2 * i] = "0123456789abcdef"[md[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[md[i] & 0x0f];
	}
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
	size_t len = s != NULL ? strnlen((const char *)s, IRC_HASH_HEX - 1) : 0;

	if (len > 0)
		memcpy(dst, s, len);
	dst[len] = '\0';
}

static char *
column_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return irc_xstrdup(s != NULL ? (const char *)s : "");
}

/*
 * Syslog copy of the log.  Each appended action is queued here and sent
 * only when its transaction commits (irc_action_syslog_flush(), called by
 * irc_db_commit() and irc_db_rollback()), so the log platform never holds
 * an action that the database does not.
 */
struct syslog_pending {
	struct irc_db *db;
	char *line;
	struct syslog_pending *next;
};

static struct syslog_pending *syslog_head, **syslog_tail = &syslog_head;

int
irc_action_syslog_facility(const char *name)
{
	static const struct {
		const char *name;
		int facility;
	} names[] = {
		{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
		{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
		{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
		{ "user", LOG_USER }, { "daemon", LOG_DAEMON },
		{ "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV },
	};

	if (strcasecmp(name, "off") == 0)
		return -1;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i].name) == 0)
			return names[i].facility;
	return -2;
}

/*
 * Returns the facility to log with, -1 for "off": $IRCASE_SYSLOG_FACILITY,
 * else syslog.facility in config.yaml (read once per process), else
 * local5.  A configuration file that does not load counts as unset,
 * because the commands that read it report its error.
 */
static int
syslog_facility(void)
{
	static int from_config = -3;
	const char *want = getenv("IRCASE_SYSLOG_FACILITY");
	struct irc_config *cfg = NULL;
	int facility;

	if (want != NULL && *want != '\0') {
		facility = irc_action_syslog_facility(want);
		/* NOTE: an unknown name falls back to local5 without a warning. */
		return facility == -2 ? LOG_LOCAL5 : facility;
	}
	if (from_config == -3) {
		from_config = LOG_LOCAL5;
		if (irc_config_load(NULL, &cfg, NULL) == IRC_OK &&
		    cfg->syslog_facility != NULL &&
		    irc_action_syslog_facility(cfg->syslog_facility) != -2)
			from_config = irc_action_syslog_facility(
			    cfg->syslog_facility);
		irc_config_free(cfg);
	}
	return from_config;
}

/* Returns a JSON string of text with invalid UTF-8 replaced. */
static json_t *
syslog_text(const char *text)
{
	char *fixed = irc_utf8_repair(text, strlen(text), NULL);
	json_t *v = json_string(fixed);

	free(fixed);
	return v;
}

char *
irc_action_syslog_line(const struct irc_action *a, int64_t case_id,
    const char *case_uuid)
{
	json_t *obj = json_object();
	char *json, *line;

	json_object_set_new(obj, "case", json_integer(case_id));
	json_object_set_new(obj, "uuid", json_string(case_uuid));
	json_object_set_new(obj, "action", json_integer(a->id));
	json_object_set_new(obj, "seq", json_integer(a->seq));
	json_object_set_new(obj, "time_us", json_integer(a->time_us));
	json_object_set_new(obj, "kind", syslog_text(a->kind));
	json_object_set_new(obj, "actor", syslog_text(a->actor));
	json_object_set_new(obj, "origin", syslog_text(a->origin));
	json_object_set_new(obj, "hash", json_string(a->hash));
	json = json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII |
	    JSON_PRESERVE_ORDER);
	json_decref(obj);
	if (json == NULL)
		abort();
	line = irc_xasprintf("%s %s", IRC_SYSLOG_TAG, json);
	free(json);
	return line;
}

static void
syslog_queue(struct irc_db *db, const struct irc_action *a, int64_t case_id,
    const char *case_uuid)
{
	struct syslog_pending *p;

	if (syslog_facility() < 0)
		return;
	p = irc_xcalloc(1, sizeof *p);
	p->db = db;
	p->line = irc_action_syslog_line(a, case_id, case_uuid);
	*syslog_tail = p;
	syslog_tail = &p->next;
}

/*
 * Test builds only: with IRCASE_TEST_SYSLOG set, appends the line, with a
 * prefix like a log platform's, to that file and returns true, so tests
 * can read what syslog would get.
 */
static bool
syslog_test_file(const char *line)
{
#ifdef IRC_TEST_BUILD
	const char *path = getenv("IRCASE_TEST_SYSLOG");
	FILE *f;

	if (path == NULL || *path == '\0')
		return false;
	f = fopen(path, "a");
	if (f == NULL)
		return false;
	fprintf(f, "Dec  4 20:00:00 host ircase[%ld]: %s\n", (long)getpid(),
	    line);
	fclose(f);
	return true;
#else
	(void)line;
	return false;
#endif
}

void
irc_action_syslog_flush(struct irc_db *db, bool committed)
{
	static bool opened;
	struct syslog_pending **pp = &syslog_head, *p;
	int facility = syslog_facility();

	while ((p = *pp) != NULL) {
		if (p->db != db) {
			pp = &p->next;
			continue;
		}
		if (committed && facility >= 0 && syslog_test_file(p->line)) {
			/* The test build wrote the line to a file instead. */
		} else if (committed && facility >= 0) {
			if (!opened) {
				openlog("ircase", LOG_PID | LOG_NDELAY, facility);
				opened = true;
			}
			syslog(facility | LOG_INFO, "%s", p->line);
		}
		*pp = p->next;
		free(p->line);
		free(p);
	}
	syslog_tail = pp;
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
	/* The body is hashed, so the key that signed in is covered too. */
	if (actor->key_fingerprint[0] != '\0' &&
	    json_object_get(obj, "key_fingerprint") == NULL)
		json_object_set_new(obj, "key_fingerprint",
		    json_string(actor->key_fingerprint));
	if (a.seq > 1 && a.time_us < last_time)
		json_object_set_new(obj, "clock_went_back_us",
		    json_integer(last_time - a.time_us));
	if ((st = irc_drill_stamp(db, case_id, a.time_us, obj, err)) != IRC_OK)
		goto out;
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
	if ((st = irc_sync_outbox_add(db, case_id, a.id, a.actor, a.kind,
	    err)) != IRC_OK)
		goto out;
	syslog_queue(db, &a, case_id, uuid);

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

/* Returns a text column without copying it, "" for NULL. */
static char *
column_borrow(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return (char *)(s != NULL ? (const char *)s : "");
}

/*
 * Fills a from a row of action_columns.  With borrow, its strings point
 * into the statement instead of being copied.
 */
static void
action_from_row(sqlite3_stmt *stmt, struct irc_action *a, bool borrow)
{
	char *(*text)(sqlite3_stmt *, int) = borrow ? column_borrow :
	    column_dup;
	int64_t step;

	/*
	 * A value of a type or range that ircase never writes ('2abc' in
	 * time_us, a step number past INT_MAX) could hash like the original
	 * once converted while sqlite3 shows something else, so the chain
	 * walk rejects such a row.  The types are read before any conversion.
	 */
	a->malformed = sqlite3_column_type(stmt, 2) != SQLITE_INTEGER ||
	    sqlite3_column_type(stmt, 3) != SQLITE_INTEGER ||
	    sqlite3_column_type(stmt, 4) != SQLITE_INTEGER;
	for (int col = 5; col <= 10; col++)
		if (sqlite3_column_type(stmt, col) != SQLITE_TEXT)
			a->malformed = true;
	step = sqlite3_column_int64(stmt, 3);
	if (step < 0 || step > INT_MAX)
		a->malformed = true;

	a->id = sqlite3_column_int64(stmt, 0);
	a->case_id = sqlite3_column_int64(stmt, 1);
	a->seq = sqlite3_column_int64(stmt, 2);
	a->step_seq = step >= 0 && step <= INT_MAX ? (int)step : 0;
	a->time_us = sqlite3_column_int64(stmt, 4);
	a->actor = text(stmt, 5);
	a->origin = text(stmt, 6);
	a->kind = text(stmt, 7);
	a->body = text(stmt, 8);
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
		action_from_row(stmt, &list[n++], false);
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

void
irc_chain_walk_start(struct irc_chain_walk *w, const char *case_uuid)
{
	memset(w, 0, sizeof *w);
	snprintf(w->uuid, sizeof w->uuid, "%s", case_uuid);
	snprintf(w->prev, sizeof w->prev, "%s", IRC_CHAIN_GENESIS);
	w->want_seq = 1;
	w->result.ok = true;
}

void
irc_chain_walk_resume(struct irc_chain_walk *w, const char *case_uuid,
    int64_t after_seq, const char *after_hash)
{
	irc_chain_walk_start(w, case_uuid);
	snprintf(w->prev, sizeof w->prev, "%s", after_hash);
	w->want_seq = after_seq + 1;
	w->result.checked = after_seq;
}

void
irc_chain_walk_add(struct irc_chain_walk *w, const struct irc_action *a)
{
	struct irc_verify_result *r = &w->result;
	char expect[IRC_HASH_HEX];

	if (a->seq != w->want_seq)
		verify_mismatch(r, a, "action id %" PRId64 " has sequence "
		    "number %" PRId64 " where %" PRId64 " was expected",
		    a->id, a->seq, w->want_seq);
	else if (strcmp(a->prev_hash, w->prev) != 0)
		verify_mismatch(r, a, "action id %" PRId64 " (seq %" PRId64
		    ") does not follow the previous action's hash: an "
		    "action before it was removed or changed", a->id, a->seq);
	irc_action_hash(a, w->uuid, expect);
	if (a->malformed)
		verify_mismatch(r, a, "action id %" PRId64 " (seq %" PRId64
		    ") has a value of a type or range that ircase never writes: "
		    "the row was changed", a->id, a->seq);
	else if (strcmp(expect, a->hash) != 0)
		verify_mismatch(r, a, "action id %" PRId64 " (seq %" PRId64
		    ") does not match its hash: its content was changed",
		    a->id, a->seq);
	snprintf(w->prev, sizeof w->prev, "%s", a->hash);
	w->want_seq++;
	r->checked++;
}

void
irc_chain_walk_finish(struct irc_chain_walk *w, int64_t case_id,
    const char *stored_head, int64_t stored_count)
{
	struct irc_verify_result *r = &w->result;

	snprintf(r->head, sizeof r->head, "%s", w->prev);
	r->count = stored_count;
	if (r->checked != stored_count)
		verify_mismatch(r, NULL, "case %" PRId64 " records %" PRId64
		    " actions but %" PRId64 " were found", case_id, stored_count,
		    r->checked);
	else if (strcmp(stored_head, w->prev) != 0)
		verify_mismatch(r, NULL, "case %" PRId64 " records chain head %.12s"
		    " but the last action's hash is %.12s", case_id, stored_head,
		    w->prev);
}

/*
 * Walks the actions of a case after after_seq (0 for all of them) from
 * after_hash and compares the end with the case row.  The whole chain is
 * walked in rowid order: rows are only ever appended, so rowid order is
 * commit order, and an action whose seq was changed shows up there.  A
 * tail is read through the (case_id, seq) index instead.
 */
static enum irc_status
chain_check(struct irc_db *db, int64_t case_id, int64_t after_seq,
    const char *after_hash, struct irc_verify_result *r, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	char *sql = NULL;
	char uuid[37], head[IRC_HASH_HEX];
	int64_t stored_count;
	struct irc_chain_walk walk;
	struct irc_crosscheck *cc = NULL;
	struct irc_action a;
	enum irc_status st = IRC_OK;
	bool own_txn = false;
	int rc;

	memset(r, 0, sizeof *r);
	r->ok = true;
	/*
	 * Read the case row and its actions from one snapshot, so a commit by
	 * another process between the two reads is not taken for a broken
	 * chain.  Inside a caller's transaction that one already holds.
	 */
	if (sqlite3_get_autocommit(irc_db_handle(db))) {
		if (sqlite3_exec(irc_db_handle(db), "BEGIN", NULL, NULL, NULL) !=
		    SQLITE_OK)
			return irc_db_fail(db, err, "cannot read the case");
		own_txn = true;
	}
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
	stmt = NULL;

	irc_chain_walk_resume(&walk, uuid, after_seq, after_hash);
	if (after_seq > 0 && stored_count == after_seq &&
	    strcmp(head, after_hash) == 0) {
		/* Nothing was appended since the caller's check. */
		irc_chain_walk_finish(&walk, case_id, head, stored_count);
		*r = walk.result;
		r->checked = 0;
		goto out;
	}
	if (after_seq > 0)
		sql = irc_xasprintf("%s WHERE case_id = ? AND seq > ?"
		    " ORDER BY seq, id", action_columns);
	else
		sql = irc_xasprintf("%s WHERE case_id = ? ORDER BY id",
		    action_columns);
	if (sqlite3_prepare_v2(irc_db_handle(db), sql, -1, &stmt, NULL) !=
	    SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot read actions");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	if (after_seq > 0)
		sqlite3_bind_int64(stmt, 2, after_seq);
	/* A whole-chain check also compares the case's records with it. */
	if (after_seq == 0)
		cc = irc_crosscheck_start(db, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&a, 0, sizeof a);
		action_from_row(stmt, &a, false);
		irc_chain_walk_add(&walk, &a);
		if (cc != NULL && walk.result.ok)
			st = irc_crosscheck_add(cc, &a, err);
		irc_action_clear(&a);
		if (st != IRC_OK)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot read actions");
		goto out;
	}
	irc_chain_walk_finish(&walk, case_id, head, stored_count);
	if (cc != NULL && walk.result.ok &&
	    (st = irc_crosscheck_finish(cc, &walk.result, err)) != IRC_OK)
		goto out;
	*r = walk.result;
	r->checked -= after_seq;
out:
	irc_crosscheck_free(cc);
	sqlite3_finalize(stmt);
	free(sql);
	if (own_txn)
		sqlite3_exec(irc_db_handle(db), "COMMIT", NULL, NULL, NULL);
	return st;
}

enum irc_status
irc_chain_verify(struct irc_db *db, int64_t case_id,
    struct irc_verify_result *r, struct irc_error *err)
{
	return chain_check(db, case_id, 0, IRC_CHAIN_GENESIS, r, err);
}

enum irc_status
irc_chain_verify_after(struct irc_db *db, int64_t case_id, int64_t after_seq,
    const char *after_hash, struct irc_verify_result *r, struct irc_error *err)
{
	return chain_check(db, case_id, after_seq < 0 ? 0 : after_seq,
	    after_seq > 0 ? after_hash : IRC_CHAIN_GENESIS, r, err);
}

/*
 * Loads at most max actions of a case that match where, whose one
 * parameter is text, or number when text is NULL.
 */
static enum irc_status
actions_query(struct irc_db *db, const char *where, int64_t case_id,
    int64_t number, const char *text, size_t max, struct irc_action **out,
    size_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct irc_action *list = NULL;
	size_t n = 0;
	char *sql = irc_xasprintf("%s WHERE case_id = ? %s LIMIT ?",
	    action_columns, where);
	enum irc_status st = IRC_OK;
	int rc = SQLITE_DONE;

	*out = NULL;
	*count = 0;
	if (sqlite3_prepare_v2(irc_db_handle(db), sql, -1, &stmt, NULL) !=
	    SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot read actions");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	if (text != NULL)
		sqlite3_bind_text(stmt, 2, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(stmt, 2, number);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)max);
	list = irc_xcalloc(max > 0 ? max : 1, sizeof *list);
	while (n < max && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		action_from_row(stmt, &list[n++], false);
	if (n < max && rc != SQLITE_DONE) {
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

enum irc_status
irc_actions_range(struct irc_db *db, int64_t case_id, int64_t first_seq,
    size_t max, struct irc_action **out, size_t *count, struct irc_error *err)
{
	return actions_query(db, "AND seq >= ? ORDER BY seq, id", case_id,
	    first_seq, NULL, max, out, count, err);
}

enum irc_status
irc_action_last_of_kind(struct irc_db *db, int64_t case_id, const char *kind,
    struct irc_action *out, struct irc_error *err)
{
	struct irc_action *list;
	size_t n;
	enum irc_status st;

	memset(out, 0, sizeof *out);
	st = actions_query(db, "AND kind = ? ORDER BY seq DESC", case_id, 0,
	    kind, 1, &list, &n, err);
	if (st != IRC_OK)
		return st;
	if (n == 0) {
		free(list);
		return irc_fail(err, IRC_ERR_NOT_FOUND, "case %" PRId64
		    " has no %s action", case_id, kind);
	}
	*out = list[0];
	free(list);
	return IRC_OK;
}

struct irc_action_iter {
	struct irc_db *db;
	sqlite3_stmt *stmt;
	struct irc_action row;	/* borrows the statement's column text */
};

enum irc_status
irc_action_iter_open(struct irc_db *db, int64_t case_id,
    struct irc_action_iter **out, struct irc_error *err)
{
	struct irc_action_iter *it;
	char *sql = irc_xasprintf("%s WHERE case_id = ? ORDER BY seq, id",
	    action_columns);

	*out = NULL;
	it = irc_xcalloc(1, sizeof *it);
	it->db = db;
	if (sqlite3_prepare_v2(irc_db_handle(db), sql, -1, &it->stmt, NULL) !=
	    SQLITE_OK) {
		free(sql);
		irc_action_iter_close(it);
		return irc_db_fail(db, err, "cannot read actions");
	}
	free(sql);
	sqlite3_bind_int64(it->stmt, 1, case_id);
	*out = it;
	return IRC_OK;
}

enum irc_status
irc_action_iter_next(struct irc_action_iter *it,
    const struct irc_action **action, struct irc_error *err)
{
	struct irc_action *a = &it->row;
	sqlite3_stmt *stmt = it->stmt;
	int rc;

	*action = NULL;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		return IRC_OK;
	if (rc != SQLITE_ROW)
		return irc_db_fail(it->db, err, "cannot read actions");
	action_from_row(stmt, a, true);
	*action = a;
	return IRC_OK;
}

void
irc_action_iter_close(struct irc_action_iter *it)
{
	if (it == NULL)
		return;
	sqlite3_finalize(it->stmt);
	free(it);
}
