/*
 * sync.c: one sync pass: the lock, the case and its tasks, the outbox
 * rows sent in lanes, and the case update with the chain head.
 *
 * Rows are sent in outbox order within a lane, one lane per task, and
 * lanes run in parallel on the client's connections.  A row is "sending"
 * while a pass owns it; a pass that finds rows still "sending" knows an
 * earlier pass stopped half-way and treats them as uncertain, so their
 * task's logs are searched for the marker before anything is resent.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "mem.h"
#include "model.h"
#include "sync_internal.h"
#include "timeutil.h"

enum row_op { OP_TASK_PATCH, OP_OBSERVABLE, OP_OBS_LOOKUP, OP_LOG, OP_END };

struct row {
	int64_t outbox_id;
	int64_t action_id;
	int64_t seq;
	int64_t time_us;
	int step_seq;
	char *kind;
	char *actor;
	char *origin;
	char *body;
	bool uncertain;		/* sent before without a known outcome */
	enum row_op ops[4];
	int op;
	int attempts;
	bool done;
	bool failed;
	bool touched;		/* this pass sent something for it */
	char error[IRC_ERROR_MAX];
};

struct lane {
	struct sync_case *c;
	struct sync_step *step;	/* NULL for the case log */
	const char *task;	/* remote task id, "" when missing */
	struct row **rows;
	size_t n, next;
	bool reconcile;
	int64_t page_from;
	struct irc_hive_req *req;
	int64_t wait_until;	/* epoch ms */
	bool stopped;
	struct sync_writes *writes;
};

/*
 * Outcomes the lanes put off writing: remote ids to store and rows whose
 * outbox state changed.  They are written in one transaction once
 * SYNC_FLUSH_WRITES wait or SYNC_FLUSH_MS passed, right after the next
 * requests were sent, so the database work overlaps the server's time
 * on them.  Small batches keep each flush shorter than a request's round
 * trip, so no connection sits idle while one runs.
 *
 * This keeps the sync idempotent.  Every row of the pass was marked
 * "sending" and committed with synchronous=FULL before its first request
 * (rows_take).  If the process or the machine stops before a flush, the
 * rows whose outcome was only in memory are still "sending"; the next
 * pass marks them uncertain and searches their task's logs for the
 * marker each log text ends with (reconcile_page) before it sends
 * anything, so a log TheHive already holds is mapped, not created again.
 * Task status changes are PATCHes of one field and may be sent twice;
 * an observable TheHive already holds is answered "already exists" and
 * looked up.  Losing a flush costs a marker search, never a duplicate.
 */
struct sync_write {
	struct row *row;	/* save this row's outcome, or NULL */
	const char *kind;	/* else store this remote id */
	int64_t local_id;
	char *remote_id;
	char *remote_state;	/* NULL to keep the stored one */
};

struct sync_writes {
	struct sync_write *v;
	size_t n, cap;
	int64_t flushed_at;	/* epoch ms of the last flush */
};

#define SYNC_FLUSH_MS 100
#define SYNC_FLUSH_WRITES 32

void
sync_sleep_ms(int64_t ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int64_t
now_ms(void)
{
	return irc_now_us() / 1000;
}

int64_t
sync_backoff_ms(const struct sync_pass *p, int attempt,
    const struct irc_hive_req *req)
{
	int64_t d = p->backoff_ms;
	unsigned int r = 0;

	if (req != NULL && req->retry_after >= 0 && (req->status == 429 ||
	    req->status == 503))
		return req->retry_after * 1000;
	for (int i = 1; i < attempt && d < SYNC_BACKOFF_MAX_MS; i++)
		d *= 2;
	if (d > SYNC_BACKOFF_MAX_MS)
		d = SYNC_BACKOFF_MAX_MS;
	/* Full jitter on the upper half, so retries from many lanes spread. */
	RAND_bytes((unsigned char *)&r, sizeof r);
	return d / 2 + (int64_t)(r % (unsigned int)(d / 2 + 1));
}

struct irc_hive_req *
sync_send(struct sync_pass *p, struct irc_hive_req *req)
{
	for (int attempt = 1;; attempt++) {
		irc_hive_send(p->hive, req);
		p->res->requests++;
		if (!irc_hive_req_retryable(req) || attempt >= p->max_attempts)
			return req;
		if (req->retry_after > SYNC_RETRY_AFTER_MAX)
			return req;
		sync_sleep_ms(sync_backoff_ms(p, attempt, req));
	}
}

struct irc_hive_req *
sync_query(json_t *steps)
{
	return irc_hive_req_new("POST", json_pack("{s:o}", "query", steps),
	    "/api/v1/query");
}

static const char *const task_status_map[][2] = {
	{ "pending", "Waiting" },
	{ "active", "InProgress" },
	{ "done", "Completed" },
	{ "skipped", "Cancel" },
	{ "not_applicable", "Cancel" },
};

const char *
sync_task_status(const char *state)
{
	for (size_t i = 0; i < sizeof task_status_map /
	    sizeof task_status_map[0]; i++)
		if (strcmp(task_status_map[i][0], state) == 0)
			return task_status_map[i][1];
	return "Waiting";
}

const char *
sync_step_state(const char *status)
{
	for (size_t i = 0; i < sizeof task_status_map /
	    sizeof task_status_map[0]; i++)
		if (strcmp(task_status_map[i][1], status) == 0)
			return task_status_map[i][0];
	return NULL;
}

/* -- the database side ------------------------------------------------ */

static enum irc_status
exec_sql(struct sync_pass *p, const char *sql, struct irc_error *err)
{
	if (sqlite3_exec(irc_db_handle(p->db), sql, NULL, NULL, NULL) !=
	    SQLITE_OK)
		return irc_db_fail(p->db, err, "cannot update the outbox");
	return IRC_OK;
}

/*
 * Returns the statement kept in *slot, prepared on first use.  A pass
 * stores a remote id and updates an outbox row for every request.
 * Preparing both each time took about a third of the client's CPU time
 * in a push of 2,000 logs (callgrind, bench_sync.py's setup).
 */
static sqlite3_stmt *
pass_stmt(struct sync_pass *p, sqlite3_stmt **slot, const char *sql)
{
	if (*slot == NULL && sqlite3_prepare_v3(irc_db_handle(p->db), sql, -1,
	    SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK) {
		sqlite3_finalize(*slot);
		*slot = NULL;
	}
	return *slot;
}

/* Runs a kept statement once and leaves it reset, without bindings. */
static enum irc_status
pass_stmt_run(struct sync_pass *p, sqlite3_stmt *stmt, const char *what,
    struct irc_error *err)
{
	enum irc_status st = IRC_OK;

	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = irc_db_fail(p->db, err, what);
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return st;
}

void
sync_pass_close(struct sync_pass *p)
{
	sqlite3_finalize(p->map_stmt);
	sqlite3_finalize(p->save_stmt);
	p->map_stmt = NULL;
	p->save_stmt = NULL;
}

enum irc_status
sync_map_put(struct sync_pass *p, const char *kind, int64_t local_id,
    const char *remote_id, int64_t number, const char *remote_state,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;

	if ((stmt = pass_stmt(p, &p->map_stmt, "INSERT INTO remote_map"
	    " (target, kind, local_id, remote_id, remote_number, remote_state,"
	    " synced_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
	    " ON CONFLICT (target, kind, local_id) DO UPDATE SET"
	    " remote_id = excluded.remote_id, remote_number ="
	    " coalesce(excluded.remote_number, remote_number), remote_state ="
	    " coalesce(excluded.remote_state, remote_state), synced_at ="
	    " excluded.synced_at")) == NULL)
		return irc_db_fail(p->db, err, "cannot store a remote id");
	sqlite3_bind_text(stmt, 1, p->target->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, local_id);
	sqlite3_bind_text(stmt, 4, remote_id, -1, SQLITE_STATIC);
	if (number > 0)
		sqlite3_bind_int64(stmt, 5, number);
	if (remote_state != NULL)
		sqlite3_bind_text(stmt, 6, remote_state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 7, irc_now_us());
	return pass_stmt_run(p, stmt, "cannot store a remote id", err);
}

bool
sync_map_has_remote(struct sync_pass *p, const char *remote_id)
{
	sqlite3_stmt *stmt = NULL;
	bool found = false;

	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT 1 FROM remote_map"
	    " WHERE target = ? AND remote_id = ?", -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, p->target->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, remote_id, -1, SQLITE_STATIC);
		found = sqlite3_step(stmt) == SQLITE_ROW;
	}
	sqlite3_finalize(stmt);
	return found;
}

/* Reads a mapping into buf ("" when none) and its state and number. */
static void
map_get(struct sync_pass *p, const char *kind, int64_t local_id, char *buf,
    size_t size, char *state, size_t state_size, int64_t *number)
{
	sqlite3_stmt *stmt = NULL;

	buf[0] = '\0';
	if (state != NULL)
		state[0] = '\0';
	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT remote_id,"
	    " coalesce(remote_state, ''), coalesce(remote_number, 0)"
	    " FROM remote_map WHERE target = ? AND kind = ? AND local_id = ?",
	    -1, &stmt, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(stmt, 1, p->target->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, local_id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		snprintf(buf, size, "%s", sqlite3_column_text(stmt, 0));
		if (state != NULL)
			snprintf(state, state_size, "%s",
			    sqlite3_column_text(stmt, 1));
		if (number != NULL)
			*number = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_finalize(stmt);
}

static char *
col_dup(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return irc_xstrdup(s != NULL ? (const char *)s : "");
}

static void
case_clear(struct sync_case *c)
{
	free(c->title);
	free(c->description);
	free(c->tlp);
	free(c->pap);
	free(c->status);
	free(c->verdict);
	free(c->summary);
	for (size_t i = 0; i < c->nsteps; i++) {
		free(c->steps[i].title);
		free(c->steps[i].body);
		free(c->steps[i].state);
		free(c->steps[i].approval_requested_by);
	}
	free(c->steps);
	memset(c, 0, sizeof *c);
}

/*
 * Marks the steps with a step.state row still waiting, in one scan of
 * the case's outbox.  A subquery per step scanned it once per step, which
 * took about a tenth of the client's CPU time in a push of 2,000 logs.
 */
static enum irc_status
steps_changed(struct sync_pass *p, struct sync_case *c, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc, seq;

	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT DISTINCT"
	    " a.step_seq FROM outbox o JOIN action a ON a.id = o.action_id"
	    " WHERE o.case_id = ? AND o.state != 'done' AND"
	    " a.kind = 'step.state' AND a.step_seq IS NOT NULL", -1, &stmt,
	    NULL) != SQLITE_OK)
		return irc_db_fail(p->db, err, "cannot read the outbox");
	sqlite3_bind_int64(stmt, 1, c->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		seq = sqlite3_column_int(stmt, 0);
		for (size_t k = 0; k < c->nsteps; k++)
			if (c->steps[k].seq == seq)
				c->steps[k].local_changed = true;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return irc_db_fail(p->db, err, "cannot read the outbox");
	return IRC_OK;
}

/* Loads what the sync needs of a case: its fields and its steps. */
static enum irc_status
case_read(struct sync_pass *p, int64_t case_id, struct sync_case *c,
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st = IRC_OK;
	size_t cap = 0;
	int rc;

	memset(c, 0, sizeof *c);
	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT uuid, title,"
	    " description, tlp, pap, status, coalesce(verdict, ''),"
	    " coalesce(summary, ''), severity, opened_at, head_hash,"
	    " action_count FROM \"case\" WHERE id = ?", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return irc_db_fail(p->db, err, "cannot read the case");
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return irc_fail(err, IRC_ERR_NOT_FOUND, "no case %" PRId64, case_id);
	}
	c->id = case_id;
	snprintf(c->uuid, sizeof c->uuid, "%s", sqlite3_column_text(stmt, 0));
	c->title = col_dup(stmt, 1);
	c->description = col_dup(stmt, 2);
	c->tlp = col_dup(stmt, 3);
	c->pap = col_dup(stmt, 4);
	c->status = col_dup(stmt, 5);
	c->verdict = col_dup(stmt, 6);
	c->summary = col_dup(stmt, 7);
	c->severity = sqlite3_column_int(stmt, 8);
	c->opened_at = sqlite3_column_int64(stmt, 9);
	snprintf(c->head, sizeof c->head, "%s", sqlite3_column_text(stmt, 10));
	c->action_count = sqlite3_column_int64(stmt, 11);
	sqlite3_finalize(stmt);

	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT s.id, s.seq,"
	    " s.phase, s.ord, s.title, s.body, s.state, s.requires_approval,"
	    " s.approval_requested_by FROM step s"
	    " WHERE s.case_id = ? ORDER BY s.seq", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return irc_db_fail(p->db, err, "cannot read the steps");
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct sync_step *s;
		enum irc_phase ph = IRC_PHASE_RESPOND;

		if (c->nsteps == cap) {
			cap = cap ? cap * 2 : 16;
			c->steps = irc_xrealloc(c->steps, cap, sizeof *c->steps);
		}
		s = &c->steps[c->nsteps++];
		memset(s, 0, sizeof *s);
		s->id = sqlite3_column_int64(stmt, 0);
		s->seq = sqlite3_column_int(stmt, 1);
		irc_phase_parse((const char *)sqlite3_column_text(stmt, 2), &ph);
		s->phase = (int)ph;
		s->ord = sqlite3_column_int(stmt, 3);
		s->title = col_dup(stmt, 4);
		s->body = col_dup(stmt, 5);
		s->state = col_dup(stmt, 6);
		s->requires_approval = sqlite3_column_int(stmt, 7) != 0;
		if (sqlite3_column_type(stmt, 8) != SQLITE_NULL)
			s->approval_requested_by = col_dup(stmt, 8);
		map_get(p, "task", s->id, s->task, sizeof s->task, s->remote_state,
		    sizeof s->remote_state, NULL);
	}
	if (rc != SQLITE_DONE)
		st = irc_db_fail(p->db, err, "cannot read the steps");
	sqlite3_finalize(stmt);
	if (st == IRC_OK)
		st = steps_changed(p, c, err);
	map_get(p, "case", case_id, c->remote, sizeof c->remote, NULL, 0,
	    &c->number);
	map_get(p, "case_log", case_id, c->case_log, sizeof c->case_log, NULL, 0,
	    NULL);
	return st;
}

/* -- the case and its tasks ---------------------------------------------- */

/* Returns the description TheHive holds: the local one and the chain head. */
static char *
case_description(const struct sync_case *c)
{
	return irc_xasprintf("%s%s---\nircase case `%s`, action log head `%s` "
	    "(%" PRId64 " actions).  Changes made in ircase after this point "
	    "show as a different head.\n", c->description,
	    c->description[0] != '\0' ? "\n\n" : "", c->uuid, c->head,
	    c->action_count);
}

static void
set_custom_field(struct sync_pass *p, const struct sync_case *c, json_t *body)
{
	const char *cf = p->target->custom_field;
	char key[256];

	if (cf == NULL)
		return;
	if (irc_hive_version(p->hive) == IRC_HIVE_4) {
		/* TheHive 4.1 sets one custom field with a dotted key. */
		snprintf(key, sizeof key, "customFields.%s", cf);
		json_object_set_new(body, key, json_string(c->uuid));
	} else
		json_object_set_new(body, "customFields",
		    json_pack("{s:s}", cf, c->uuid));
}

/* Returns TheHive's PAP number (0 CLEAR to 3 RED, the same in 4 and 5). */
static int
pap_number(const char *level)
{
	static const char *const names[] = { "clear", "green", "amber", "red" };

	for (int i = 0; i < 4; i++)
		if (strcmp(level, names[i]) == 0)
			return i;
	return strcmp(level, "white") == 0 ? 0 : 2;
}

static json_t *
case_create_body(struct sync_pass *p, const struct sync_case *c)
{
	char tag[64];
	json_t *body;
	char *desc = case_description(c);

	snprintf(tag, sizeof tag, "ircase:%s", c->uuid);
	body = json_pack("{s:s, s:s, s:I, s:I, s:[s], s:I, s:I, s:b}",
	    "title", c->title, "description", desc,
	    "severity", (json_int_t)c->severity,
	    "startDate", (json_int_t)(c->opened_at / 1000),
	    "tags", tag,
	    "tlp", (json_int_t)irc_hive_tlp(p->hive, c->tlp),
	    "pap", (json_int_t)pap_number(c->pap),
	    "flag", 0);
	free(desc);
	/* TheHive 4's create key for custom fields is not certain; it is set
	   by the PATCH at the end of the pass instead. */
	if (irc_hive_version(p->hive) != IRC_HIVE_4)
		set_custom_field(p, c, body);
	return body;
}

/* Searches TheHive for the case's marker tag.  Sets c->remote when found. */
static struct irc_hive_req *
case_lookup(struct sync_pass *p, struct sync_case *c)
{
	char tag[64];
	struct irc_hive_req *req;
	json_t *hit;

	snprintf(tag, sizeof tag, "ircase:%s", c->uuid);
	req = sync_send(p, sync_query(json_pack("[{s:s}, {s:s, s:{s:s, s:s}},"
	    " {s:s, s:i, s:i}]", "_name", "listCase", "_name", "filter", "_is",
	    "_field", "tags", "_value", tag, "_name", "page", "from", 0, "to",
	    2)));
	if (req->status == 200 && (hit = json_array_get(req->reply, 0)) != NULL &&
	    json_string_value(json_object_get(hit, "_id")) != NULL) {
		snprintf(c->remote, sizeof c->remote, "%s",
		    json_string_value(json_object_get(hit, "_id")));
		c->number = json_integer_value(json_object_get(hit, "number"));
	}
	return req;
}

/* Finds or creates the TheHive case.  Returns false with err set. */
static bool
case_ensure(struct sync_pass *p, struct sync_case *c, struct irc_error *err)
{
	struct irc_hive_req *req;
	const char *id;

	if (c->remote[0] != '\0')
		return true;
	for (int attempt = 1; attempt <= p->max_attempts; attempt++) {
		req = case_lookup(p, c);
		if (req->status != 200) {
			irc_fail(err, IRC_ERR_IO, "%s", req->error);
			irc_hive_req_free(req);
			return false;
		}
		irc_hive_req_free(req);
		if (c->remote[0] != '\0')
			break;
		req = irc_hive_req_new("POST", case_create_body(p, c),
		    "/api/v1/case");
		irc_hive_send(p->hive, req);
		p->res->requests++;
		if ((id = irc_hive_req_created(req)) != NULL) {
			snprintf(c->remote, sizeof c->remote, "%s", id);
			c->number = json_integer_value(json_object_get(req->reply,
			    "number"));
			irc_hive_req_free(req);
			break;
		}
		if (!irc_hive_req_retryable(req) || attempt == p->max_attempts) {
			irc_fail(err, IRC_ERR_IO, "%s", req->error);
			irc_hive_req_free(req);
			return false;
		}
		sync_sleep_ms(sync_backoff_ms(p, attempt, req));
		if (req->timed_out)
			/* Give a slow server time to store it before the lookup. */
			sync_sleep_ms(p->target->timeout * 1000);
		irc_hive_req_free(req);
	}
	if (c->remote[0] == '\0')
		return irc_fail(err, IRC_ERR_IO, "case %" PRId64 " was not created "
		    "in TheHive", c->id), false;
	if (exec_sql(p, "BEGIN IMMEDIATE", err) != IRC_OK)
		return false;
	if (sync_map_put(p, "case", c->id, c->remote, c->number, NULL, err) !=
	    IRC_OK) {
		irc_db_rollback(p->db);
		return false;
	}
	return irc_db_commit(p->db, err) == IRC_OK;
}

/* The marker in a task description. */
static char *
task_marker(const struct sync_case *c, const struct sync_step *s)
{
	if (s == NULL)
		return irc_xasprintf("<!-- ircase:%s:case-log -->", c->uuid);
	return irc_xasprintf("<!-- ircase:%s:step:%d -->", c->uuid, s->seq);
}

/* Cuts a UTF-8 string to at most max bytes on a character boundary. */
static char *
utf8_cut(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return irc_xstrdup(s);
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return irc_xstrndup(s, n);
}

static json_t *
task_body(struct sync_pass *p, const struct sync_case *c,
    const struct sync_step *s)
{
	char *marker = task_marker(c, s);
	char *title, *desc;
	json_t *body;

	if (s == NULL) {
		title = irc_xstrdup("Case log");
		desc = irc_xasprintf("Everything recorded on the case in ircase "
		    "that is not about one step.\n\n%s", marker);
	} else {
		/* TheHive limits task titles to 128 characters. */
		title = utf8_cut(s->title, 128);
		desc = irc_xasprintf("%s\n\n%s", s->body, marker);
	}
	body = json_pack("{s:s, s:s, s:s, s:s, s:I}", "title", title,
	    "group", s == NULL ? "ircase" : irc_phase_name((enum irc_phase)
	    s->phase), "description", desc, "status", s == NULL ?
	    "InProgress" : sync_task_status(s->state), "order", (json_int_t)(s ==
	    NULL ? 0 : (s->phase + 1) * 1000 + s->ord));
	free(title);
	free(desc);
	free(marker);
	return body;
}

/*
 * Fails with the advice for a case TheHive no longer has: a 404 on the
 * case's own id means it was deleted (or merged) there.
 */
static enum irc_status
case_gone(const struct sync_case *c, const struct irc_hive_req *req,
    struct irc_error *err)
{
	return irc_fail(err, IRC_ERR_IO, "TheHive no longer has case #%" PRId64
	    " (%s) that case %" PRId64 " is linked to (%s); if it was deleted "
	    "there, run 'ircase sync %" PRId64 " --relink' and the next sync "
	    "creates it again", c->number, c->remote, c->id, req->error,
	    c->id);
}

/* Lists the case's tasks; returns a new JSON array or NULL with err set. */
static json_t *
tasks_list(struct sync_pass *p, struct sync_case *c, struct irc_error *err)
{
	json_t *all = json_array();
	struct irc_hive_req *req;
	bool bad;

	for (int from = 0;; from += SYNC_PAGE) {
		req = sync_send(p, sync_query(json_pack("[{s:s, s:s}, {s:s},"
		    " {s:s, s:[{s:s}]}, {s:s, s:i, s:i}]", "_name", "getCase",
		    "idOrName", c->remote, "_name", "tasks", "_name", "sort",
		    "_fields", "_createdAt", "asc", "_name", "page", "from", from,
		    "to", from + SYNC_PAGE)));
		bad = req->status != 200 || !json_is_array(req->reply);
		if (req->status == 404)
			case_gone(c, req, err);
		else if (bad)
			irc_fail(err, IRC_ERR_IO, "%s", req->error[0] ? req->error :
			    "cannot list the case's tasks");
		if (bad) {
			irc_hive_req_free(req);
			json_decref(all);
			return NULL;
		}
		json_array_extend(all, req->reply);
		if (json_array_size(req->reply) < SYNC_PAGE) {
			irc_hive_req_free(req);
			return all;
		}
		irc_hive_req_free(req);
	}
}

/* Maps listed tasks to steps by their markers; returns how many steps lack one. */
static size_t
tasks_match(struct sync_pass *p, struct sync_case *c, json_t *tasks)
{
	size_t i, missing = 0;
	json_t *t;

	for (size_t k = 0; k <= c->nsteps; k++) {
		struct sync_step *s = k < c->nsteps ? &c->steps[k] : NULL;
		char *id = s != NULL ? s->task : c->case_log;
		char *marker;

		if (id[0] != '\0')
			continue;
		marker = task_marker(c, s);
		json_array_foreach(tasks, i, t) {
			const char *d = json_string_value(json_object_get(t,
			    "description"));

			if (d != NULL && strstr(d, marker) != NULL) {
				snprintf(id, 64, "%s", json_string_value(
				    json_object_get(t, "_id")));
				if (s != NULL)
					snprintf(s->remote_state,
					    sizeof s->remote_state, "%s",
					    json_string_value(json_object_get(t,
					    "status")));
				break;
			}
		}
		free(marker);
		if (id[0] == '\0')
			missing++;
	}
	(void)p;
	return missing;
}

static enum irc_status
tasks_store(struct sync_pass *p, struct sync_case *c, struct irc_error *err)
{
	enum irc_status st;

	if ((st = exec_sql(p, "BEGIN IMMEDIATE", err)) != IRC_OK)
		return st;
	for (size_t k = 0; k < c->nsteps && st == IRC_OK; k++)
		if (c->steps[k].task[0] != '\0' && c->steps[k].task[0] != '-')
			st = sync_map_put(p, "task", c->steps[k].id, c->steps[k].task,
			    0, c->steps[k].remote_state[0] ?
			    c->steps[k].remote_state : NULL, err);
	if (st == IRC_OK && c->case_log[0] != '\0' && c->case_log[0] != '-')
		st = sync_map_put(p, "case_log", c->id, c->case_log, 0, NULL, err);
	if (st != IRC_OK) {
		irc_db_rollback(p->db);
		return st;
	}
	return irc_db_commit(p->db, err);
}

/* Creates the missing tasks in parallel.  Returns the requests' last error. */
static void
tasks_create(struct sync_pass *p, struct sync_case *c, char *error,
    size_t size)
{
	struct irc_hive_req **reqs = irc_xcalloc(c->nsteps + 1, sizeof *reqs);
	struct irc_hive_req *done;
	size_t k, started = 0, finished = 0;
	bool slow = false;
	int running;

	for (k = 0; k <= c->nsteps; k++) {
		struct sync_step *s = k < c->nsteps ? &c->steps[k] : NULL;

		if ((s != NULL ? s->task : c->case_log)[0] != '\0')
			continue;
		if (irc_hive_version(p->hive) == IRC_HIVE_4)
			/* TheHive 4.1 creates tasks only on its v0 route. */
			reqs[k] = irc_hive_req_new("POST", task_body(p, c, s),
			    "/api/case/%s/task", c->remote);
		else
			reqs[k] = irc_hive_req_new("POST", task_body(p, c, s),
			    "/api/v1/case/%s/task", c->remote);
		reqs[k]->user = s;
		started++;
	}
	k = 0;
	while (finished < started) {
		for (; k <= c->nsteps && started - finished > 0; k++) {
			if (reqs[k] == NULL)
				continue;
			irc_hive_start(p->hive, reqs[k]);
			p->res->requests++;
		}
		done = irc_hive_perform(p->hive, 100, &running);
		for (; done != NULL; done = done->next) {
			struct sync_step *s = done->user;
			const char *id = irc_hive_req_created(done);

			finished++;
			slow = slow || done->timed_out;
			if (id != NULL) {
				snprintf(s != NULL ? s->task : c->case_log, 64, "%s", id);
				if (s != NULL)
					snprintf(s->remote_state,
					    sizeof s->remote_state, "%s",
					    sync_task_status(s->state));
			} else {
				snprintf(error, size, "%s", done->error);
				/* A rejected task is not asked for again this pass. */
				if (!irc_hive_req_retryable(done))
					snprintf(s != NULL ? s->task : c->case_log, 64,
					    "-");
			}
		}
	}
	for (k = 0; k <= c->nsteps; k++)
		irc_hive_req_free(reqs[k]);
	free(reqs);
	if (slow)
		/* Give a slow server time to store them before the listing. */
		sync_sleep_ms(p->target->timeout * 1000);
}

/*
 * Finds or creates every task of the case.  Pulls TheHive's task state
 * changes from the listing first, before this pass overwrites them.
 * Tasks that could not be created keep an empty id; their lane fails.
 */
static enum irc_status
tasks_ensure(struct sync_pass *p, struct sync_case *c, char *error,
    size_t size, struct irc_error *err)
{
	json_t *tasks;
	enum irc_status st;

	for (int attempt = 1;; attempt++) {
		if ((tasks = tasks_list(p, c, err)) == NULL)
			return IRC_ERR_IO;
		if (attempt == 1 && !p->opts->push_only &&
		    strcmp(c->status, "closed") != 0 &&
		    (st = sync_pull_states(p, c, tasks, err)) != IRC_OK) {
			json_decref(tasks);
			return st;
		}
		if (tasks_match(p, c, tasks) == 0 || attempt > p->max_attempts) {
			json_decref(tasks);
			break;
		}
		json_decref(tasks);
		if ((st = tasks_store(p, c, err)) != IRC_OK)
			return st;
		if (attempt > 1)
			sync_sleep_ms(sync_backoff_ms(p, attempt - 1, NULL));
		tasks_create(p, c, error, size);
		/* Store what was created before anything else can fail. */
		if ((st = tasks_store(p, c, err)) != IRC_OK)
			return st;
	}
	return tasks_store(p, c, err);
}

/* -- outbox rows and lanes ------------------------------------------------ */

static void
rows_free(struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].kind);
		free(rows[i].actor);
		free(rows[i].origin);
		free(rows[i].body);
	}
	free(rows);
}

/* Chooses the requests one row needs, in order. */
static void
row_plan(struct row *r)
{
	int n = 0;

	if (strcmp(r->kind, "step.state") == 0 && r->step_seq > 0)
		r->ops[n++] = OP_TASK_PATCH;
	if (strcmp(r->kind, "observable.add") == 0)
		r->ops[n++] = OP_OBSERVABLE;
	r->ops[n++] = OP_LOG;
	r->ops[n] = OP_END;
}

/*
 * Takes the case's rows that are not done: marks them "sending" (rows an
 * earlier pass left "sending" become uncertain first) and loads them.
 */
static enum irc_status
rows_take(struct sync_pass *p, struct sync_case *c, struct row **out,
    size_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct row *rows = NULL;
	size_t n = 0, cap = 0;
	enum irc_status st;
	char *sql;
	int rc;

	*out = NULL;
	*count = 0;
	if ((st = exec_sql(p, "BEGIN IMMEDIATE", err)) != IRC_OK)
		return st;
	sql = irc_xasprintf("UPDATE outbox SET uncertain = 1 WHERE case_id ="
	    " %" PRId64 " AND state = 'sending';"
	    "UPDATE outbox SET state = 'sending' WHERE case_id = %" PRId64
	    " AND state IN ('pending', 'failed')", c->id, c->id);
	st = exec_sql(p, sql, err);
	free(sql);
	if (st != IRC_OK) {
		irc_db_rollback(p->db);
		return st;
	}
	if ((st = irc_db_commit(p->db, err)) != IRC_OK)
		return st;

	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT o.id, a.id, a.seq,"
	    " a.time_us, coalesce(a.step_seq, 0), a.kind, a.actor, a.origin,"
	    " a.body, o.uncertain, o.attempts FROM outbox o JOIN action a"
	    " ON a.id = o.action_id WHERE o.case_id = ? AND o.state = 'sending'"
	    " ORDER BY o.id", -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(p->db, err, "cannot read the outbox");
	sqlite3_bind_int64(stmt, 1, c->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct row *r;

		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			rows = irc_xrealloc(rows, cap, sizeof *rows);
		}
		r = &rows[n++];
		memset(r, 0, sizeof *r);
		r->outbox_id = sqlite3_column_int64(stmt, 0);
		r->action_id = sqlite3_column_int64(stmt, 1);
		r->seq = sqlite3_column_int64(stmt, 2);
		r->time_us = sqlite3_column_int64(stmt, 3);
		r->step_seq = sqlite3_column_int(stmt, 4);
		r->kind = col_dup(stmt, 5);
		r->actor = col_dup(stmt, 6);
		r->origin = col_dup(stmt, 7);
		r->body = col_dup(stmt, 8);
		r->uncertain = sqlite3_column_int(stmt, 9) != 0;
		r->attempts = sqlite3_column_int(stmt, 10);
		row_plan(r);
	}
	if (rc != SQLITE_DONE) {
		st = irc_db_fail(p->db, err, "cannot read the outbox");
		rows_free(rows, n);
		rows = NULL;
		n = 0;
	}
	sqlite3_finalize(stmt);
	*out = rows;
	*count = n;
	return st;
}

/* Writes a row's outcome; must run inside a transaction. */
static enum irc_status
row_save(struct sync_pass *p, struct row *r, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	const char *state = r->done ? "done" : r->failed ? "failed" : "pending";

	if ((stmt = pass_stmt(p, &p->save_stmt, "UPDATE outbox SET"
	    " state = ?, uncertain = ?, attempts = ?, last_error = ?,"
	    " updated_at = ? WHERE id = ?")) == NULL)
		return irc_db_fail(p->db, err, "cannot update the outbox");
	sqlite3_bind_text(stmt, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, r->done ? 0 : r->uncertain);
	sqlite3_bind_int(stmt, 3, r->attempts);
	if (r->error[0] != '\0' && !r->done)
		sqlite3_bind_text(stmt, 4, r->error, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, irc_now_us());
	sqlite3_bind_int64(stmt, 6, r->outbox_id);
	if (r->done)
		p->res->sent++;
	else if (r->failed)
		p->res->failed++;
	return pass_stmt_run(p, stmt, "cannot update the outbox", err);
}

static void
writes_push(struct sync_writes *w, struct row *r, const char *kind,
    int64_t local_id, const char *remote_id, const char *remote_state)
{
	struct sync_write *x;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->v = irc_xrealloc(w->v, w->cap, sizeof *w->v);
	}
	x = &w->v[w->n++];
	x->row = r;
	x->kind = kind;
	x->local_id = local_id;
	x->remote_id = remote_id != NULL ? irc_xstrdup(remote_id) : NULL;
	x->remote_state = remote_state != NULL ? irc_xstrdup(remote_state) :
	    NULL;
}

/* Queues a row's outcome.  row_save() reads the row at the flush. */
static void
writes_row(struct lane *l, struct row *r)
{
	writes_push(l->writes, r, NULL, 0, NULL, NULL);
}

static void
writes_map(struct lane *l, const char *kind, int64_t local_id,
    const char *remote_id, const char *remote_state)
{
	writes_push(l->writes, NULL, kind, local_id, remote_id, remote_state);
}

static void
writes_clear(struct sync_writes *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].remote_id);
		free(w->v[i].remote_state);
	}
	w->n = 0;
}

/* Writes the queued outcomes in one transaction and empties the queue. */
static enum irc_status
writes_flush(struct sync_pass *p, struct sync_writes *w, struct irc_error *err)
{
	enum irc_status st = IRC_OK;

	w->flushed_at = now_ms();
	if (w->n == 0)
		return IRC_OK;
	if ((st = exec_sql(p, "BEGIN IMMEDIATE", err)) != IRC_OK)
		goto out;
	for (size_t i = 0; i < w->n && st == IRC_OK; i++) {
		struct sync_write *x = &w->v[i];

		if (x->row != NULL)
			st = row_save(p, x->row, err);
		else
			st = sync_map_put(p, x->kind, x->local_id, x->remote_id, 0,
			    x->remote_state, err);
	}
	if (st != IRC_OK)
		irc_db_rollback(p->db);
	else
		st = irc_db_commit(p->db, err);
out:
	writes_clear(w);
	return st;
}

/* The text of a task log for one action, ending with its marker. */
static char *
log_text(const struct sync_case *c, const struct row *r, json_t *body)
{
	const char *text = json_string_value(json_object_get(body, "text"));
	char when[64], *content, *out;

	irc_time_utc(r->time_us, when, sizeof when);
	if (strcmp(r->kind, "note") == 0 && text != NULL)
		content = irc_xstrdup(text);
	else if (strcmp(r->kind, "step.state") == 0) {
		const char *note = json_string_value(json_object_get(body, "note"));

		content = irc_xasprintf("Step %d: %s -> %s%s%s", r->step_seq,
		    json_string_value(json_object_get(body, "from")) ?: "?",
		    json_string_value(json_object_get(body, "to")) ?: "?",
		    note != NULL ? "\n\n" : "", note != NULL ? note : "");
	} else {
		char *dump = json_dumps(body, JSON_INDENT(2) | JSON_SORT_KEYS);

		content = irc_xasprintf("```json\n%s\n```", dump ? dump : r->body);
		free(dump);
	}
	out = irc_xasprintf("**%s** by %s%s%s%s at %s\n\n%s\n\n"
	    "<!-- ircase:%s:%" PRId64 " -->", r->kind, r->actor,
	    r->origin[0] ? " (from " : "", r->origin, r->origin[0] ? ")" : "",
	    when, content, c->uuid, r->seq);
	free(content);
	return out;
}

static struct irc_hive_req *
row_request(struct sync_pass *p, struct lane *l, struct row *r)
{
	struct sync_case *c = l->c;
	json_t *body = json_loads(r->body, 0, NULL);
	struct irc_hive_req *req = NULL;
	char *text;

	switch (r->ops[r->op]) {
	case OP_TASK_PATCH:
		req = irc_hive_req_new("PATCH", json_pack("{s:s}", "status",
		    sync_task_status(json_string_value(json_object_get(body,
		    "to")) ?: "pending")), "/api/v1/task/%s", l->task);
		break;
	case OP_OBSERVABLE:
		req = irc_hive_req_new("POST", json_pack("{s:s, s:s, s:s, s:I,"
		    " s:b, s:I, s:O*}", "dataType", json_string_value(json_object_get(
		    body, "type")) ?: "other", "data", json_string_value(
		    json_object_get(body, "value")) ?: "", "message",
		    "Added in ircase", "tlp", (json_int_t)irc_hive_tlp(p->hive,
		    json_string_value(json_object_get(body, "tlp"))), "ioc",
		    json_is_true(json_object_get(body, "ioc")), "startDate",
		    (json_int_t)(r->time_us / 1000), "tags", json_object_get(body,
		    "tags")), "/api/v1/case/%s/observable",
		    c->remote);
		break;
	case OP_OBS_LOOKUP:
		req = sync_query(json_pack("[{s:s, s:s}, {s:s}, {s:s, s:[{s:{s:s,"
		    " s:s}}, {s:{s:s, s:s}}]}, {s:s, s:i, s:i}]", "_name",
		    "getCase", "idOrName", c->remote, "_name", "observables",
		    "_name", "filter", "_and", "_is", "_field", "dataType",
		    "_value", json_string_value(json_object_get(body, "type")) ?:
		    "other", "_is", "_field", "data", "_value",
		    json_string_value(json_object_get(body, "value")) ?: "",
		    "_name", "page", "from", 0, "to", 1));
		break;
	case OP_LOG:
		text = log_text(c, r, body);
		req = irc_hive_req_new("POST", json_pack("{s:s, s:I}", "message",
		    text, "startDate", (json_int_t)(r->time_us / 1000)),
		    "/api/v1/task/%s/log", l->task);
		free(text);
		break;
	case OP_END:
		break;
	}
	json_decref(body);
	return req;
}

/* Reads one page of the lane's task logs to find rows already sent. */
static struct irc_hive_req *
reconcile_request(struct lane *l)
{
	return sync_query(json_pack("[{s:s, s:s}, {s:s}, {s:s, s:[{s:s}]},"
	    " {s:s, s:I, s:I}]", "_name", "getTask", "idOrName", l->task,
	    "_name", "logs", "_name", "sort", "_fields", "_createdAt", "asc",
	    "_name", "page", "from", (json_int_t)l->page_from, "to",
	    (json_int_t)(l->page_from + SYNC_PAGE)));
}

/* Marks the lane's rows whose marker appears in a page of logs as done. */
static void
reconcile_page(struct lane *l, json_t *logs)
{
	char prefix[64];
	size_t i, plen;
	json_t *lg;

	plen = (size_t)snprintf(prefix, sizeof prefix, "<!-- ircase:%s:",
	    l->c->uuid);
	json_array_foreach(logs, i, lg) {
		const char *m = json_string_value(json_object_get(lg, "message"));
		const char *at = m != NULL ? strstr(m, prefix) : NULL;
		int64_t seq;

		if (at == NULL)
			continue;
		seq = strtoll(at + plen, NULL, 10);
		for (size_t k = l->next; k < l->n; k++) {
			struct row *r = l->rows[k];

			if (r->seq != seq || r->done || r->ops[r->op] != OP_LOG)
				continue;
			r->done = true;
			if (json_string_value(json_object_get(lg, "_id")) != NULL)
				writes_map(l, "log", r->action_id,
				    json_string_value(json_object_get(lg, "_id")),
				    NULL);
			writes_row(l, r);
		}
	}
}

/* Handles a finished request of a lane; queues what it has to write. */
static void
lane_finish(struct sync_pass *p, struct lane *l, struct irc_hive_req *req)
{
	struct row *r = l->next < l->n ? l->rows[l->next] : NULL;
	const char *id;
	json_t *obj;

	l->req = NULL;
	if (l->reconcile) {
		if (req->status == 200 && json_is_array(req->reply)) {
			reconcile_page(l, req->reply);
			if (json_array_size(req->reply) < SYNC_PAGE)
				l->reconcile = false;
			else
				l->page_from += SYNC_PAGE;
			return;
		}
		if (r != NULL)
			snprintf(r->error, sizeof r->error, "%s", req->error);
		goto retry;
	}
	if (r == NULL)
		return;
	r->touched = true;
	if (req->status >= 200 && req->status < 300) {
		switch (r->ops[r->op]) {
		case OP_OBSERVABLE:
			obj = json_object_get(req->reply, "failure");
			if (json_array_size(obj) > 0 && json_array_size(
			    json_object_get(req->reply, "success")) == 0) {
				/* A 207 with only a failure: it already exists. */
				r->ops[r->op] = OP_OBS_LOOKUP;
				return;
			}
			if ((id = irc_hive_req_created(req)) == NULL) {
				/* Unknown outcome: look for it before a new create. */
				snprintf(r->error, sizeof r->error, "%s", req->error);
				r->ops[r->op] = OP_OBS_LOOKUP;
				goto retry;
			}
			writes_map(l, "observable", r->action_id, id, NULL);
			break;
		case OP_OBS_LOOKUP:
			obj = json_array_get(req->reply, 0);
			id = json_string_value(json_object_get(obj, "_id"));
			if (!json_is_array(req->reply) || (obj != NULL &&
			    id == NULL)) {
				snprintf(r->error, sizeof r->error, "%s %s: HTTP %ld "
				    "with a reply that is not a list of "
				    "observables", req->method, req->path,
				    req->status);
				goto retry;
			}
			if (id == NULL) {
				/* Not stored after all: create it (again). */
				r->ops[r->op] = OP_OBSERVABLE;
				if (r->error[0] == '\0')
					snprintf(r->error, sizeof r->error, "%s %s: "
					    "TheHive holds no such observable",
					    req->method, req->path);
				goto retry;
			}
			writes_map(l, "observable", r->action_id, id, NULL);
			break;
		case OP_LOG:
			if ((id = irc_hive_req_created(req)) == NULL) {
				snprintf(r->error, sizeof r->error, "%s", req->error);
				r->uncertain = true;
				l->reconcile = true;
				l->page_from = 0;
				goto retry;
			}
			writes_map(l, "log", r->action_id, id, NULL);
			break;
		case OP_TASK_PATCH:
			if (l->step != NULL) {
				snprintf(l->step->remote_state,
				    sizeof l->step->remote_state, "%s",
				    json_string_value(json_object_get(req->body,
				    "status")));
				writes_map(l, "task", l->step->id, l->task,
				    l->step->remote_state);
			}
			break;
		case OP_END:
			break;
		}
		r->op++;
		r->attempts = 0;
		r->error[0] = '\0';
		if (r->ops[r->op] == OP_END) {
			r->done = true;
			l->next++;
			writes_row(l, r);
		}
		return;
	}
	snprintf(r->error, sizeof r->error, "%s", req->error);
	if (r->ops[r->op] == OP_OBSERVABLE && irc_hive_req_exists(req)) {
		r->ops[r->op] = OP_OBS_LOOKUP;
		return;
	}
	if (irc_hive_req_uncertain(req) && r->ops[r->op] == OP_LOG) {
		r->uncertain = true;
		l->reconcile = true;
		l->page_from = 0;
	}
	if (!irc_hive_req_retryable(req)) {
		/* Rejected for good: later rows of the task still go. */
		r->failed = true;
		l->next++;
		writes_row(l, r);
		return;
	}
retry:
	if (r == NULL)
		return;
	r->attempts++;
	if (r->attempts >= p->max_attempts ||
	    req->retry_after > SYNC_RETRY_AFTER_MAX) {
		/* Keep order within the task: stop the lane until next pass. */
		l->stopped = true;
		snprintf(p->res->last_error, sizeof p->res->last_error, "%s",
		    r->error);
		writes_row(l, r);
		return;
	}
	l->wait_until = now_ms() + sync_backoff_ms(p, r->attempts, req);
	if (req->timed_out && r->uncertain)
		/*
		 * A server slower than the timeout may still store the log:
		 * give it one more timeout before the marker search.
		 */
		l->wait_until += p->target->timeout * 1000;
}

/* Returns the lane's next request, or NULL when it has nothing to send. */
static struct irc_hive_req *
lane_next(struct sync_pass *p, struct lane *l)
{
	if (l->stopped || l->req != NULL || l->wait_until > now_ms())
		return NULL;
	while (l->next < l->n && l->rows[l->next]->done)
		l->next++;
	if (l->next >= l->n)
		return NULL;
	if (l->reconcile)
		return reconcile_request(l);
	return row_request(p, l, l->rows[l->next]);
}

static bool
lane_idle(const struct lane *l)
{
	return l->stopped || (l->req == NULL && l->next >= l->n);
}

/* Returns how many rows the lane has left if it may send now, else 0. */
static size_t
lane_ready(const struct lane *l, int64_t now)
{
	if (l->stopped || l->req != NULL || l->wait_until > now)
		return 0;
	return l->n - l->next;
}

/*
 * Starts requests on the free connections, the lane with the most rows
 * left first, so the lanes end at about the same time and every
 * connection stays busy to the end.  Taking lanes in index order left
 * the last few lanes running alone on part of the connections.
 */
static void
lanes_start(struct sync_pass *p, struct lane *lanes, size_t nlanes,
    int limit, int *running)
{
	int64_t now = now_ms();

	for (size_t tries = 0; tries < nlanes && *running < limit; tries++) {
		struct lane *best = NULL;
		size_t left, max_left = 0;

		for (size_t i = 0; i < nlanes; i++)
			if ((left = lane_ready(&lanes[i], now)) > max_left) {
				max_left = left;
				best = &lanes[i];
			}
		if (best == NULL || (best->req = lane_next(p, best)) == NULL)
			continue;
		best->req->user = best;
		irc_hive_start(p->hive, best->req);
		p->res->requests++;
		(*running)++;
	}
}

/* Sends the rows of every lane, lanes in parallel, each lane in order. */
static enum irc_status
lanes_run(struct sync_pass *p, struct lane *lanes, size_t nlanes,
    struct irc_error *err)
{
	struct sync_writes writes;
	struct irc_hive_req *done, *next;
	int running = 0, wait_ms;
	enum irc_status st = IRC_OK;
	bool busy, due;
	size_t i;

	memset(&writes, 0, sizeof writes);
	writes.flushed_at = now_ms();
	for (i = 0; i < nlanes; i++)
		lanes[i].writes = &writes;
	for (;;) {
		busy = false;
		for (i = 0; i < nlanes && !busy; i++)
			busy = !lane_idle(&lanes[i]);
		if (!busy)
			break;
		lanes_start(p, lanes, nlanes, p->target->parallel, &running);
		due = writes.n >= SYNC_FLUSH_WRITES || (writes.n > 0 &&
		    now_ms() - writes.flushed_at >= SYNC_FLUSH_MS);
		/* A due flush runs after the new requests are sent, not before. */
		wait_ms = running > 0 ? 50 : 10;
		if (due)
			wait_ms = 0;
		done = irc_hive_perform(p->hive, wait_ms, &running);
		if (due)
			st = writes_flush(p, &writes, err);
		if (done == NULL && running == 0 && !due)
			/* Every lane with rows left waits for a retry. */
			sync_sleep_ms(10);
		for (; done != NULL; done = next) {
			next = done->next;
			if (st == IRC_OK)
				lane_finish(p, done->user, done);
			irc_hive_req_free(done);
		}
		if (st != IRC_OK)
			break;
	}
	if (st == IRC_OK)
		st = writes_flush(p, &writes, err);
	writes_clear(&writes);
	free(writes.v);
	return st;
}

/* Gives each row a lane: its step's task, or the case log. */
static struct lane *
lanes_build(struct sync_case *c, struct row *rows, size_t nrows,
    size_t *count)
{
	struct lane *lanes = irc_xcalloc(c->nsteps + 1, sizeof *lanes);
	size_t *lane_of = irc_xcalloc(nrows + 1, sizeof *lane_of);
	size_t i, k;

	/* Count each lane's rows first: a lane holds only its own. */
	for (i = 0; i < nrows; i++) {
		lane_of[i] = c->nsteps;
		for (k = 0; k < c->nsteps && rows[i].step_seq > 0; k++)
			if (c->steps[k].seq == rows[i].step_seq)
				lane_of[i] = k;
		lanes[lane_of[i]].n++;
	}
	for (k = 0; k <= c->nsteps; k++) {
		lanes[k].c = c;
		lanes[k].step = k < c->nsteps ? &c->steps[k] : NULL;
		lanes[k].task = k < c->nsteps ? c->steps[k].task : c->case_log;
		lanes[k].rows = irc_xcalloc(lanes[k].n + 1, sizeof *lanes[k].rows);
		lanes[k].n = 0;
	}
	for (i = 0; i < nrows; i++) {
		struct lane *l = &lanes[lane_of[i]];

		if (rows[i].uncertain)
			l->reconcile = true;
		l->rows[l->n++] = &rows[i];
	}
	free(lane_of);
	*count = c->nsteps + 1;
	return lanes;
}

/* Records on the rows of lanes whose task does not exist why they wait. */
static void
lanes_without_task(struct lane *lanes, size_t n, const char *why)
{
	for (size_t k = 0; k < n; k++) {
		if (lanes[k].task[0] != '\0' && lanes[k].task[0] != '-')
			continue;
		lanes[k].stopped = true;
		for (size_t i = 0; i < lanes[k].n; i++)
			snprintf(lanes[k].rows[i]->error,
			    sizeof lanes[k].rows[i]->error, "the task for %s%.0d "
			    "was not created in TheHive: %.400s", lanes[k].step ?
			    "step " : "the case log", lanes[k].step ?
			    lanes[k].step->seq : 0, why);
	}
}

/* Puts rows that were taken but not finished back to pending. */
static enum irc_status
rows_release(struct sync_pass *p, struct row *rows, size_t n,
    struct irc_error *err)
{
	enum irc_status st;

	if ((st = exec_sql(p, "BEGIN IMMEDIATE", err)) != IRC_OK)
		return st;
	for (size_t i = 0; i < n && st == IRC_OK; i++)
		if (!rows[i].done && !rows[i].failed) {
			st = row_save(p, &rows[i], err);
			p->res->pending++;
		}
	if (st != IRC_OK) {
		irc_db_rollback(p->db);
		return st;
	}
	return irc_db_commit(p->db, err);
}

/* -- the case update and close ------------------------------------------ */

static void
close_fields(struct sync_pass *p, const struct sync_case *c, json_t *body)
{
	const char *resolution = "Indeterminate", *impact = "NotApplicable";

	if (strcmp(c->verdict, "incident") == 0) {
		resolution = "TruePositive";
		impact = "WithImpact";
	} else if (strcmp(c->verdict, "not_incident") == 0) {
		resolution = "FalsePositive";
		impact = "NoImpact";
	} else if (strcmp(c->verdict, "event") == 0) {
		resolution = "Other";
		impact = "NoImpact";
	}
	if (irc_hive_version(p->hive) == IRC_HIVE_4) {
		json_object_set_new(body, "status", json_string("Resolved"));
		json_object_set_new(body, "resolutionStatus",
		    json_string(resolution));
	} else
		/* TheHive 5 folds the resolution into the status. */
		json_object_set_new(body, "status", json_string(resolution));
	json_object_set_new(body, "impactStatus", json_string(impact));
	json_object_set_new(body, "summary", json_string(c->summary[0] ?
	    c->summary : "Closed in ircase."));
}

/* Sends the case fields, the chain head and, once closed, the close. */
static enum irc_status
case_update(struct sync_pass *p, struct sync_case *c, struct irc_error *err)
{
	struct irc_hive_req *req;
	char *desc = case_description(c);
	json_t *body;
	enum irc_status st = IRC_OK;

	body = json_pack("{s:s, s:s, s:I, s:I, s:I}", "title", c->title,
	    "description", desc, "severity", (json_int_t)c->severity, "tlp",
	    (json_int_t)irc_hive_tlp(p->hive, c->tlp), "pap",
	    (json_int_t)pap_number(c->pap));
	free(desc);
	set_custom_field(p, c, body);
	if (strcmp(c->status, "closed") == 0)
		close_fields(p, c, body);
	req = sync_send(p, irc_hive_req_new("PATCH", body, "/api/v1/case/%s",
	    c->remote));
	if (req->status == 404)
		st = case_gone(c, req, err);
	else if (req->status != 204 && req->status != 200)
		st = irc_fail(err, IRC_ERR_IO, "%s", req->error);
	irc_hive_req_free(req);
	return st;
}

/* Stores the case's sync state after a pass over it. */
static enum irc_status
case_state_save(struct sync_pass *p, struct sync_case *c, const char *head,
    const char *error, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st = IRC_OK;

	if (sqlite3_prepare_v2(irc_db_handle(p->db), "INSERT INTO sync_case"
	    " (target, case_id, pushed_head, pulled_at, last_sync, last_error)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (target, case_id) DO"
	    " UPDATE SET pushed_head = coalesce(?3, pushed_head),"
	    " pulled_at = max(pulled_at, ?4), last_sync = ?5, last_error = ?6",
	    -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(p->db, err, "cannot store the sync state");
	sqlite3_bind_text(stmt, 1, p->target->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, c->id);
	if (head != NULL)
		sqlite3_bind_text(stmt, 3, head, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, c->pulled_at);
	sqlite3_bind_int64(stmt, 5, irc_now_us());
	if (error != NULL && error[0] != '\0')
		sqlite3_bind_text(stmt, 6, error, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = irc_db_fail(p->db, err, "cannot store the sync state");
	sqlite3_finalize(stmt);
	return st;
}

static int64_t
pulled_at_read(struct sync_pass *p, int64_t case_id)
{
	sqlite3_stmt *stmt = NULL;
	int64_t v = 0;

	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT pulled_at FROM"
	    " sync_case WHERE target = ? AND case_id = ?", -1, &stmt, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, p->target->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, case_id);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			v = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return v;
}

/* Syncs one case: push its rows, pull what changed, update the case. */
static enum irc_status
case_sync(struct sync_pass *p, int64_t case_id, struct irc_error *err)
{
	struct sync_case c;
	struct row *rows = NULL;
	struct lane *lanes = NULL;
	size_t nrows = 0, nlanes = 0;
	char task_error[IRC_ERROR_MAX] = "", pull_error[IRC_ERROR_MAX] = "";
	struct irc_error cerr;
	enum irc_status st;
	bool pushed;

	irc_error_clear(&cerr);
	if ((st = case_read(p, case_id, &c, err)) != IRC_OK)
		goto out;
	c.pulled_at = pulled_at_read(p, case_id);
	p->res->cases++;
	if ((st = rows_take(p, &c, &rows, &nrows, err)) != IRC_OK)
		goto out;
	/*
	 * The "sending" marks above were committed with synchronous=FULL.
	 * Results may skip the fsync: if the machine loses them, the rows are
	 * still "sending", so the next pass searches for their markers.
	 */
	sqlite3_exec(irc_db_handle(p->db), "PRAGMA synchronous=NORMAL", NULL,
	    NULL, NULL);
	if (!case_ensure(p, &c, &cerr) ||
	    tasks_ensure(p, &c, task_error, sizeof task_error, &cerr) !=
	    IRC_OK) {
		for (size_t i = 0; i < nrows; i++)
			snprintf(rows[i].error, sizeof rows[i].error, "%s",
			    cerr.msg);
		snprintf(p->res->last_error, sizeof p->res->last_error, "%s",
		    cerr.msg);
		p->res->errors++;
		goto release;
	}
	lanes = lanes_build(&c, rows, nrows, &nlanes);
	lanes_without_task(lanes, nlanes, task_error);
	if ((st = lanes_run(p, lanes, nlanes, err)) != IRC_OK)
		goto release;
	if (!p->opts->push_only && (st = sync_pull_new(p, &c, &cerr)) != IRC_OK) {
		if (st != IRC_ERR_IO) {
			*err = cerr;
			goto release;
		}
		p->res->errors++;
		snprintf(p->res->last_error, sizeof p->res->last_error, "%s",
		    cerr.msg);
		snprintf(pull_error, sizeof pull_error, "%s", cerr.msg);
	}
	irc_error_clear(&cerr);
	/* Reread the head: the pull may have added actions. */
	case_clear(&c);
	if ((st = case_read(p, case_id, &c, err)) != IRC_OK)
		goto release;
	c.pulled_at = pulled_at_read(p, case_id);
	pushed = case_update(p, &c, &cerr) == IRC_OK;
	if (!pushed) {
		p->res->errors++;
		snprintf(p->res->last_error, sizeof p->res->last_error, "%s",
		    cerr.msg);
	}
	/* The first failure of the pass is the one kept: later ones follow
	   from it or are less telling. */
	st = case_state_save(p, &c, pushed ? c.head : NULL, pull_error[0] ?
	    pull_error : task_error[0] ? task_error : cerr.msg, err);
	irc_error_clear(&cerr);
release:
	if (rows != NULL) {
		enum irc_status st2 = rows_release(p, rows, nrows, err);

		if (st == IRC_OK)
			st = st2;
	}
	if (c.id != 0 && cerr.msg[0] != '\0' && st == IRC_OK)
		st = case_state_save(p, &c, NULL, cerr.msg, err);
out:
	sqlite3_exec(irc_db_handle(p->db), "PRAGMA synchronous=FULL", NULL, NULL,
	    NULL);
	for (size_t k = 0; k < nlanes; k++)
		free(lanes[k].rows);
	free(lanes);
	rows_free(rows, nrows);
	case_clear(&c);
	return st;
}

/* -- the pass ------------------------------------------------------------ */

/* Takes the lock file beside the database; returns its descriptor or -1. */
static int
pass_lock(struct irc_db *db, bool no_wait, bool *busy, struct irc_error *err)
{
	char *path = irc_xasprintf("%s.sync-lock", irc_db_path(db));
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	*busy = false;
	if (fd < 0) {
		irc_fail(err, IRC_ERR_IO, "cannot open the sync lock %s: %s", path,
		    strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	if (flock(fd, LOCK_EX | (no_wait ? LOCK_NB : 0)) != 0) {
		*busy = errno == EWOULDBLOCK;
		if (!*busy)
			irc_fail(err, IRC_ERR_IO, "cannot lock the sync lock: %s",
			    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Lists the cases with rows waiting for one target. */
static enum irc_status
cases_pending(struct sync_pass *p, const char *target, int64_t only,
    int64_t **ids, size_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*count = 0;
	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT DISTINCT case_id"
	    " FROM outbox WHERE target = ?1 AND (state != 'done' OR ?3 OR"
	    " (?4 AND case_id IN (SELECT local_id FROM remote_map"
	    "  WHERE target = ?1 AND kind = 'case')))"
	    " AND (?2 = 0 OR case_id = ?2)"
	    /* An imported case may have nothing of its own to send yet. */
	    " UNION SELECT local_id FROM remote_map WHERE ?4 AND target = ?1"
	    " AND kind = 'case' AND (?2 = 0 OR local_id = ?2)"
	    " ORDER BY 1", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return irc_db_fail(p->db, err, "cannot read the outbox");
	sqlite3_bind_text(stmt, 1, target, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, only);
	/* A named case is visited even with nothing to send, to pull. */
	sqlite3_bind_int(stmt, 3, only != 0);
	/* Cases already in TheHive are visited to pull what changed there. */
	sqlite3_bind_int(stmt, 4, !p->opts->push_only);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (*count == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = irc_xrealloc(*ids, cap, sizeof **ids);
		}
		(*ids)[(*count)++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*count = 0;
		return irc_db_fail(p->db, err, "cannot read the outbox");
	}
	return IRC_OK;
}

/* Records why the rows of a target wait, without sending anything. */
static enum irc_status
target_blocked(struct sync_pass *p, const char *target, const char *why,
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st = IRC_OK;

	if (sqlite3_prepare_v2(irc_db_handle(p->db), "UPDATE outbox SET"
	    " last_error = ? WHERE target = ? AND state != 'done'", -1, &stmt,
	    NULL) != SQLITE_OK)
		return irc_db_fail(p->db, err, "cannot update the outbox");
	sqlite3_bind_text(stmt, 1, why, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, target, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = irc_db_fail(p->db, err, "cannot update the outbox");
	sqlite3_finalize(stmt);
	p->res->pending += sqlite3_changes(irc_db_handle(p->db));
	return st;
}

/* Syncs every waiting case of one target. */
static enum irc_status
target_sync(struct sync_pass *p, const struct irc_hive_target *t,
    struct irc_error *err)
{
	enum irc_hive_version version;
	char *vtext = NULL, *login = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	enum irc_status st;

	p->target = t;
	if ((st = cases_pending(p, t->name, p->opts->case_id, &ids, &n, err)) !=
	    IRC_OK || n == 0)
		goto out;
	/*
	 * Drills never go to production, so without a drill URL their cases
	 * are skipped: nothing is sent and nothing counts as pending.
	 */
	if (t->url == NULL && strcmp(t->name, "drill") == 0) {
		p->res->cases_skipped += (int)n;
		goto out;
	}
	if (t->url == NULL) {
		st = target_blocked(p, t->name, "no TheHive URL is configured "
		    "(IRCASE_THEHIVE_URL)", err);
		goto out;
	}
	p->hive = irc_hive_new(t);
	if ((st = irc_hive_detect(p->hive, &version, &vtext, &login, err)) !=
	    IRC_OK) {
		target_blocked(p, t->name, err->msg, NULL);
		goto out;
	}
	p->login = login;
	for (size_t i = 0; i < n && st == IRC_OK; i++)
		st = case_sync(p, ids[i], err);
out:
	irc_hive_free(p->hive);
	p->hive = NULL;
	p->login = NULL;
	free(vtext);
	free(login);
	free(ids);
	return st;
}

enum irc_status
irc_sync_run(struct irc_db *db, const struct irc_hive_config *cfg,
    const struct irc_sync_opts *opts, struct irc_sync_result *res,
    struct irc_error *err)
{
	struct sync_pass p;
	enum irc_status st;
	int fd;

	memset(res, 0, sizeof *res);
	memset(&p, 0, sizeof p);
	p.db = db;
	p.opts = opts;
	p.res = res;
	p.max_attempts = opts->max_attempts > 0 ? opts->max_attempts :
	    SYNC_ATTEMPTS_DEFAULT;
	p.backoff_ms = opts->backoff_base_ms > 0 ? opts->backoff_base_ms :
	    SYNC_BACKOFF_BASE_MS;
	if ((fd = pass_lock(db, opts->no_wait, &res->busy, err)) < 0)
		return res->busy ? IRC_OK : err->status;
	st = target_sync(&p, &cfg->production, err);
	if (st == IRC_OK)
		st = target_sync(&p, &cfg->drill, err);
	sync_pass_close(&p);
	close(fd);
	return st;
}

/* -- forgetting a deleted remote case ------------------------------------ */

enum irc_status
irc_sync_relink(struct irc_db *db, int64_t case_id,
    const struct irc_actor *actor, char *remote, size_t remote_size,
    struct irc_error *err)
{
	static const char *const forget[] = {
		"DELETE FROM remote_map WHERE target = ?1 AND kind IN ('case',"
		" 'case_log') AND local_id = ?2",
		"DELETE FROM remote_map WHERE target = ?1 AND kind = 'task' AND"
		" local_id IN (SELECT id FROM step WHERE case_id = ?2)",
		"DELETE FROM remote_map WHERE target = ?1 AND kind IN ('log',"
		" 'observable') AND local_id IN (SELECT id FROM action"
		" WHERE case_id = ?2)",
		/* Sent again, each after a search for its marker. */
		"UPDATE outbox SET state = 'pending', uncertain = 1, attempts = 0,"
		" last_error = NULL WHERE target = ?1 AND case_id = ?2",
		"UPDATE sync_case SET pushed_head = NULL, last_error = NULL"
		" WHERE target = ?1 AND case_id = ?2",
	};
	sqlite3_stmt *stmt = NULL;
	struct irc_hive_target t;
	struct sync_pass p;
	const char *target;
	int64_t number = 0;
	enum irc_status st;
	bool busy;
	json_t *body;
	int fd;

	memset(&p, 0, sizeof p);
	p.db = db;
	remote[0] = '\0';
	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT kind FROM \"case\""
	    " WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(db, err, "cannot read the case");
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return irc_fail(err, IRC_ERR_NOT_FOUND, "no case %" PRId64
		    "; see 'ircase list'", case_id);
	}
	target = strcmp((const char *)sqlite3_column_text(stmt, 0), "drill") ==
	    0 ? "drill" : "production";
	sqlite3_finalize(stmt);
	/* map_get reads only the target's name. */
	memset(&t, 0, sizeof t);
	t.name = (char *)target;
	p.target = &t;
	if ((fd = pass_lock(db, true, &busy, err)) < 0)
		return busy ? irc_fail(err, IRC_ERR_BUSY, "a sync is running; "
		    "run 'ircase sync %" PRId64 " --relink' again when it ends",
		    case_id) : err->status;
	if ((st = irc_db_begin(db, err)) != IRC_OK)
		goto out;
	map_get(&p, "case", case_id, remote, remote_size, NULL, 0, &number);
	if (remote[0] == '\0') {
		irc_db_rollback(db);
		st = irc_fail(err, IRC_ERR_INVALID, "case %" PRId64 " is not linked "
		    "to a TheHive case; there is nothing to forget", case_id);
		goto out;
	}
	for (size_t i = 0; i < sizeof forget / sizeof forget[0]; i++) {
		if (sqlite3_prepare_v2(irc_db_handle(db), forget[i], -1, &stmt,
		    NULL) != SQLITE_OK) {
			st = irc_db_fail(db, err, "cannot forget the TheHive case");
			break;
		}
		sqlite3_bind_text(stmt, 1, target, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, case_id);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			st = irc_db_fail(db, err, "cannot forget the TheHive case");
		sqlite3_finalize(stmt);
		if (st != IRC_OK)
			break;
	}
	if (st == IRC_OK) {
		body = json_pack("{s:s, s:s, s:I}", "target", target,
		    "thehive_id", remote, "thehive_number", (json_int_t)number);
		st = irc_action_append(db, case_id, 0, actor, "sync.relink", body,
		    NULL, err);
		json_decref(body);
	}
	if (st == IRC_OK)
		st = irc_db_commit(db, err);
	else
		irc_db_rollback(db);
out:
	close(fd);
	return st;
}
