/*
 * witness.c: checking a case against its syslog copy (witness.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "action.h"
#include "mem.h"
#include "witness.h"

struct syslog_entry {
	int64_t seq, id;
	char *kind, *actor;
	char hash[IRC_HASH_HEX];
	bool seen;
};

static int
entry_compare(const void *a, const void *b)
{
	const struct syslog_entry *x = a, *y = b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

struct witness_report {
	void (*problem)(const char *line, void *data);
	void *data;
	struct irc_syslog_result *result;
};

static void witness_problem(struct witness_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
witness_problem(struct witness_report *r, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	r->problem(line, r->data);
	r->result->problems++;
}

/* Parses one line; returns false when it is not about the case. */
static bool
witness_parse(const char *line, int64_t case_id, const char *uuid,
    struct syslog_entry *e)
{
	const char *tag = strstr(line, IRC_SYSLOG_TAG " {");
	json_t *obj;
	const char *kind, *actor, *hash, *line_uuid;
	bool ok;

	if (tag == NULL)
		return false;
	obj = json_loads(tag + strlen(IRC_SYSLOG_TAG) + 1,
	    JSON_DISABLE_EOF_CHECK, NULL);
	if (obj == NULL)
		return false;
	line_uuid = json_string_value(json_object_get(obj, "uuid"));
	kind = json_string_value(json_object_get(obj, "kind"));
	actor = json_string_value(json_object_get(obj, "actor"));
	hash = json_string_value(json_object_get(obj, "hash"));
	ok = json_integer_value(json_object_get(obj, "case")) == case_id &&
	    line_uuid != NULL && strcmp(line_uuid, uuid) == 0 && kind != NULL &&
	    actor != NULL && hash != NULL;
	if (ok) {
		memset(e, 0, sizeof *e);
		e->seq = json_integer_value(json_object_get(obj, "seq"));
		e->id = json_integer_value(json_object_get(obj, "action"));
		e->kind = irc_xstrdup(kind);
		e->actor = irc_xstrdup(actor);
		snprintf(e->hash, sizeof e->hash, "%s", hash);
	}
	json_decref(obj);
	return ok;
}

/* Reads the case's uuid. */
static enum irc_status
witness_uuid(struct irc_db *db, int64_t case_id, char uuid[37],
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st = IRC_OK;
	int rc;

	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT uuid FROM \"case\""
	    " WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(db, err, "cannot read the case");
	sqlite3_bind_int64(stmt, 1, case_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		snprintf(uuid, 37, "%s", sqlite3_column_text(stmt, 0));
	else if (rc == SQLITE_DONE)
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "no case %" PRId64 "; run "
		    "'ircase list' to see case numbers", case_id);
	else
		st = irc_db_fail(db, err, "cannot read the case");
	sqlite3_finalize(stmt);
	return st;
}

/* Compares one database action with its syslog line, if any. */
static void
witness_compare(struct witness_report *r, const struct irc_action *a,
    struct syslog_entry *entries, size_t count)
{
	struct syslog_entry key, *e;

	key.seq = a->seq;
	e = bsearch(&key, entries, count, sizeof *entries, entry_compare);
	if (e == NULL) {
		witness_problem(r, "action seq %" PRId64 " (id %" PRId64 ", %s) "
		    "is not in the syslog copy: it was added without being logged, "
		    "or the log lost it", a->seq, a->id, a->kind);
		return;
	}
	e->seen = true;
	if (strcmp(e->hash, a->hash) != 0 || strcmp(e->kind, a->kind) != 0 ||
	    strcmp(e->actor, a->actor) != 0 || e->id != a->id)
		witness_problem(r, "action seq %" PRId64 " (id %" PRId64 ") differs "
		    "from syslog: the database has %s by %s, hash %.12s...; syslog "
		    "has %s by %s, hash %.12s...", a->seq, a->id, a->kind, a->actor,
		    a->hash, e->kind, e->actor, e->hash);
	else
		r->result->matched++;
}

enum irc_status
irc_syslog_verify(struct irc_db *db, int64_t case_id, FILE *lines,
    void (*problem)(const char *, void *), void *data,
    struct irc_syslog_result *result, struct irc_error *err)
{
	struct witness_report r = { problem, data, result };
	struct syslog_entry *entries = NULL, e;
	struct irc_action_iter *it = NULL;
	const struct irc_action *a;
	size_t count = 0, cap = 0, n;
	char uuid[37], *line = NULL;
	size_t linecap = 0;
	enum irc_status st;

	memset(result, 0, sizeof *result);
	if ((st = witness_uuid(db, case_id, uuid, err)) != IRC_OK)
		return st;
	while (getline(&line, &linecap, lines) != -1) {
		if (!witness_parse(line, case_id, uuid, &e))
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			entries = irc_xrealloc(entries, cap, sizeof *entries);
		}
		entries[count++] = e;
	}
	free(line);
	result->lines = (int64_t)count;
	qsort(entries, count, sizeof *entries, entry_compare);

	if ((st = irc_action_iter_open(db, case_id, &it, err)) != IRC_OK)
		goto out;
	while ((st = irc_action_iter_next(it, &a, err)) == IRC_OK && a != NULL)
		witness_compare(&r, a, entries, count);
	irc_action_iter_close(it);
	if (st != IRC_OK)
		goto out;
	for (n = 0; n < count; n++)
		if (!entries[n].seen)
			witness_problem(&r, "syslog has action seq %" PRId64
			    " (id %" PRId64 ", %s, hash %.12s...) that the database "
			    "does not: it was removed or rewritten", entries[n].seq,
			    entries[n].id, entries[n].kind, entries[n].hash);
out:
	for (n = 0; n < count; n++) {
		free(entries[n].kind);
		free(entries[n].actor);
	}
	free(entries);
	return st;
}
