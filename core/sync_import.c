/*
 * sync_import.c: a local case made from a TheHive case found by its
 * number, linked to it so later passes push and pull as for a case that
 * ircase created.
 *
 * The tasks become steps, grouped by phase from their group name (others
 * go to Respond) in TheHive's order; a task carrying an ircase step marker
 * keeps that marker's order.  The "Case log" task of a case that another
 * ircase created is linked as this case's log too.  The new case gets its
 * own uuid, so the other database's logs (marked with its uuid) are pulled
 * here as "thehive:<login>" actions and this database's logs go back.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "mem.h"
#include "model.h"
#include "playbook.h"
#include "sync_internal.h"

struct import_task {
	json_t *task;		/* borrowed from the listing */
	int phase;
	int64_t order;
	int marker_seq;		/* step seq in an ircase marker, or 0 */
};

static int
task_cmp(const void *a, const void *b)
{
	const struct import_task *x = a, *y = b;

	if (x->phase != y->phase)
		return x->phase < y->phase ? -1 : 1;
	if (x->marker_seq != y->marker_seq && x->marker_seq && y->marker_seq)
		return x->marker_seq < y->marker_seq ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return 0;
}

/* Returns the step seq of "<!-- ircase:UUID:step:N -->" in text, or 0. */
static int
marker_step(const char *text)
{
	const char *at = text != NULL ? strstr(text, "<!-- ircase:") : NULL;
	const char *step = at != NULL ? strstr(at, ":step:") : NULL;

	return step != NULL ? (int)strtol(step + 6, NULL, 10) : 0;
}

/* Returns text without its ircase markers and trailing blank lines. */
static char *
strip_markers(const char *text)
{
	char *out = irc_xstrdup(text != NULL ? text : "");
	char *at, *end;
	size_t n;

	while ((at = strstr(out, "<!-- ircase:")) != NULL &&
	    (end = strstr(at, "-->")) != NULL)
		memmove(at, end + 3, strlen(end + 3) + 1);
	n = strlen(out);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
	return out;
}

/* Reads the remote case with this number; NULL with err set when none. */
static json_t *
import_find_case(struct sync_pass *p, int64_t number, struct irc_error *err)
{
	struct irc_hive_req *req;
	json_t *hit = NULL;

	req = sync_send(p, sync_query(json_pack("[{s:s}, {s:s, s:{s:s, s:I}},"
	    " {s:s, s:i, s:i}]", "_name", "listCase", "_name", "filter", "_is",
	    "_field", "number", "_value", (json_int_t)number, "_name", "page",
	    "from", 0, "to", 1)));
	if (req->status != 200 || !json_is_array(req->reply))
		irc_fail(err, IRC_ERR_IO, "%s", req->error[0] ? req->error :
		    "cannot search TheHive's cases");
	else if ((hit = json_array_get(req->reply, 0)) == NULL)
		irc_fail(err, IRC_ERR_NOT_FOUND, "TheHive has no case #%" PRId64
		    " in this organisation; check the number in TheHive",
		    number);
	else
		json_incref(hit);
	irc_hive_req_free(req);
	return hit;
}

/* Lists the tasks of remote case id; NULL with err set on failure. */
static json_t *
import_tasks(struct sync_pass *p, const char *id, struct irc_error *err)
{
	struct irc_hive_req *req;
	json_t *tasks = NULL;

	req = sync_send(p, sync_query(json_pack("[{s:s, s:s}, {s:s},"
	    " {s:s, s:[{s:s}]}, {s:s, s:i, s:i}]", "_name", "getCase",
	    "idOrName", id, "_name", "tasks", "_name", "sort", "_fields",
	    "_createdAt", "asc", "_name", "page", "from", 0, "to", 10000)));
	if (req->status != 200 || !json_is_array(req->reply))
		irc_fail(err, IRC_ERR_IO, "%s", req->error[0] ? req->error :
		    "cannot list the case's tasks");
	else
		tasks = json_incref(req->reply);
	irc_hive_req_free(req);
	return tasks;
}

/* Returns the local case already linked to remote id, or 0. */
static int64_t
import_linked(struct sync_pass *p, const char *id)
{
	sqlite3_stmt *stmt = NULL;
	int64_t local = 0;

	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT local_id FROM"
	    " remote_map WHERE target = ? AND kind = 'case' AND remote_id = ?",
	    -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, p->target->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			local = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return local;
}

/* Returns the local case whose uuid the remote case's marker tag names, or 0. */
static int64_t
import_marked(struct sync_pass *p, json_t *rcase)
{
	sqlite3_stmt *stmt = NULL;
	int64_t local = 0;
	size_t i;
	json_t *tag;

	json_array_foreach(json_object_get(rcase, "tags"), i, tag) {
		const char *t = json_string_value(tag);

		if (t == NULL || strncmp(t, "ircase:", 7) != 0)
			continue;
		if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT id FROM"
		    " \"case\" WHERE uuid = ?", -1, &stmt, NULL) != SQLITE_OK)
			return 0;
		sqlite3_bind_text(stmt, 1, t + 7, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			local = sqlite3_column_int64(stmt, 0);
		sqlite3_finalize(stmt);
	}
	return local;
}

/*
 * Sorts the steps' tasks into *out (caller frees) and returns how many;
 * the Case log task, when there is one, goes to *case_log.
 */
static size_t
import_sort(json_t *tasks, struct import_task **out, json_t **case_log)
{
	struct import_task *list = irc_xcalloc(json_array_size(tasks) + 1,
	    sizeof *list);
	size_t i, n = 0;
	json_t *t;

	*case_log = NULL;
	json_array_foreach(tasks, i, t) {
		const char *group = json_string_value(json_object_get(t, "group"));
		const char *desc = json_string_value(json_object_get(t,
		    "description"));
		enum irc_phase ph = IRC_PHASE_RESPOND;

		if (desc != NULL && strstr(desc, ":case-log -->") != NULL) {
			*case_log = t;
			continue;
		}
		if (group != NULL)
			irc_phase_parse(group, &ph);
		list[n].task = t;
		list[n].phase = (int)ph;
		list[n].order = json_integer_value(json_object_get(t, "order"));
		list[n].marker_seq = marker_step(desc);
		n++;
	}
	qsort(list, n, sizeof *list, task_cmp);
	*out = list;
	return n;
}

/* Writes a playbook with one step per task, by phase. */
static char *
import_playbook_text(const char *title, const struct import_task *list,
    size_t n)
{
	size_t cap = 256, len = 0;
	char *text = irc_xmalloc(cap);
	int phase = -1;

	len = (size_t)snprintf(text, cap, "# %s\n", title);
	for (size_t i = 0; i < n; i++) {
		char *cut = irc_xstrdup(json_string_value(json_object_get(
		    list[i].task, "title")) ?: "Task");
		char *line;

		/* A title is one line in a playbook. */
		for (char *c = cut; *c != '\0'; c++)
			if (*c == '\n' || *c == '\r')
				*c = ' ';
		line = list[i].phase != phase ? irc_xasprintf("\n## %s\n\n- [ ] %s\n",
		    irc_phase_name((enum irc_phase)list[i].phase), cut) :
		    irc_xasprintf("- [ ] %s\n", cut);
		phase = list[i].phase;
		if (len + strlen(line) + 1 > cap) {
			cap = (len + strlen(line) + 1) * 2;
			text = irc_xrealloc(text, cap, 1);
		}
		memcpy(text + len, line, strlen(line) + 1);
		len += strlen(line);
		free(line);
		free(cut);
	}
	return text;
}

/* Sets each step's body from its task's description and links the two. */
static enum irc_status
import_steps(struct sync_pass *p, int64_t case_id,
    const struct import_task *list, size_t n, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st = IRC_OK;
	size_t k = 0;
	int rc;

	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT id FROM step"
	    " WHERE case_id = ? ORDER BY seq", -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(p->db, err, "cannot read the steps");
	sqlite3_bind_int64(stmt, 1, case_id);
	while (st == IRC_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW &&
	    k < n) {
		json_t *t = list[k++].task;
		char *body = strip_markers(json_string_value(json_object_get(t,
		    "description")));
		char *sql = sqlite3_mprintf("UPDATE step SET body = %Q WHERE"
		    " id = %lld", body, (long long)sqlite3_column_int64(stmt, 0));

		if (sqlite3_exec(irc_db_handle(p->db), sql, NULL, NULL, NULL) !=
		    SQLITE_OK)
			st = irc_db_fail(p->db, err, "cannot store a step");
		sqlite3_free(sql);
		free(body);
		if (st == IRC_OK)
			st = sync_map_put(p, "task", sqlite3_column_int64(stmt, 0),
			    json_string_value(json_object_get(t, "_id")), 0,
			    "Waiting", err);
	}
	sqlite3_finalize(stmt);
	if (st == IRC_OK && k != n)
		st = irc_fail(err, IRC_ERR_INVALID, "the case's %zu tasks made %zu "
		    "steps; a task title may read as more than one step", n, k);
	return st;
}

/* Returns true when step seq of the case needs approval. */
static bool
import_needs_approval(struct sync_pass *p, int64_t case_id, int seq)
{
	sqlite3_stmt *stmt = NULL;
	bool needs = false;

	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT requires_approval"
	    " FROM step WHERE case_id = ? AND seq = ?", -1, &stmt, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_int64(stmt, 1, case_id);
		sqlite3_bind_int(stmt, 2, seq);
		needs = sqlite3_step(stmt) == SQLITE_ROW &&
		    sqlite3_column_int(stmt, 0) != 0;
	}
	sqlite3_finalize(stmt);
	return needs;
}

/*
 * Records that a task was completed in TheHive while its step needs
 * approval, and leaves the step pending.  As in a pull, a TheHive
 * status is never a responder's request or approval.
 */
static enum irc_status
import_approval_kept(struct sync_pass *p, int64_t case_id, int seq,
    const char *status, const struct irc_actor *actor, struct irc_error *err)
{
	char reason[IRC_ERROR_MAX];
	enum irc_status st;
	json_t *body;

	sync_approval_reason(reason, sizeof reason, case_id, seq, NULL, false);
	body = json_pack("{s:i, s:s, s:s, s:s, s:s}", "step", seq, "local",
	    "pending", "thehive", status, "thehive_state", "done", "reason",
	    reason);
	if ((st = irc_db_begin(p->db, err)) == IRC_OK) {
		st = irc_action_append(p->db, case_id, seq, actor,
		    "sync.conflict", body, NULL, err);
		if (st == IRC_OK)
			st = irc_db_commit(p->db, err);
		else
			irc_db_rollback(p->db);
	}
	json_decref(body);
	return st;
}

/*
 * Moves each step to its task's state, as a change by the TheHive user
 * who last updated the task.  A completed task whose step needs approval
 * leaves the step pending (import_approval_kept()).  Runs after the case
 * is committed.
 */
static enum irc_status
import_states(struct sync_pass *p, int64_t case_id,
    const struct import_task *list, size_t n, struct irc_error *err)
{
	enum irc_status st = IRC_OK;

	for (size_t k = 0; k < n && st == IRC_OK; k++) {
		json_t *t = list[k].task;
		const char *status = json_string_value(json_object_get(t,
		    "status"));
		const char *want = status != NULL ? sync_step_state(status) : NULL;
		enum irc_step_state state;
		struct irc_actor actor;
		const char *login = json_string_value(json_object_get(t,
		    json_object_get(t, "_updatedBy") ? "_updatedBy" :
		    "_createdBy"));

		if (want == NULL || strcmp(want, "pending") == 0 ||
		    !irc_step_state_parse(want, &state))
			continue;
		memset(&actor, 0, sizeof actor);
		snprintf(actor.login, sizeof actor.login, "%s%s",
		    IRC_SYNC_ACTOR_PREFIX, login != NULL ? login : "unknown");
		if (state == IRC_STEP_DONE &&
		    import_needs_approval(p, case_id, (int)k + 1))
			st = import_approval_kept(p, case_id, (int)k + 1, status,
			    &actor, err);
		else
			st = irc_case_step_set(p->db, case_id, (int)k + 1, state,
			    "state in TheHive when imported", &actor, err);
	}
	return st;
}

/* Stores the remote state of every mapped task of the case. */
static enum irc_status
import_remote_states(struct sync_pass *p, int64_t case_id,
    const struct import_task *list, size_t n, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st;
	size_t k = 0;

	if ((st = irc_db_begin(p->db, err)) != IRC_OK)
		return st;
	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT id FROM step"
	    " WHERE case_id = ? ORDER BY seq", -1, &stmt, NULL) != SQLITE_OK) {
		irc_db_rollback(p->db);
		return irc_db_fail(p->db, err, "cannot read the steps");
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	while (st == IRC_OK && k < n && sqlite3_step(stmt) == SQLITE_ROW) {
		json_t *t = list[k++].task;

		st = sync_map_put(p, "task", sqlite3_column_int64(stmt, 0),
		    json_string_value(json_object_get(t, "_id")), 0,
		    json_string_value(json_object_get(t, "status")), err);
	}
	sqlite3_finalize(stmt);
	if (st != IRC_OK) {
		irc_db_rollback(p->db);
		return st;
	}
	return irc_db_commit(p->db, err);
}

/* Creates the local case and links it; runs in one transaction. */
static enum irc_status
import_create(struct sync_pass *p, json_t *rcase, const struct import_task
    *list, size_t n, json_t *case_log, bool drill, int64_t *case_id,
    struct irc_error *err)
{
	const char *title = json_string_value(json_object_get(rcase, "title"));
	const char *login = json_string_value(json_object_get(rcase,
	    "_createdBy"));
	json_int_t severity = json_integer_value(json_object_get(rcase,
	    "severity"));
	struct irc_playbook *pb = NULL;
	struct irc_actor actor;
	char name[64], *text;
	enum irc_status st;

	if (title == NULL || *title == '\0')
		title = "Case from TheHive";
	if (severity < 1 || severity > 4)
		severity = 2;
	snprintf(name, sizeof name, "thehive-case-%" JSON_INTEGER_FORMAT,
	    json_integer_value(json_object_get(rcase, "number")));
	text = import_playbook_text(title, list, n);
	st = irc_playbook_parse(name, text, strlen(text), NULL, &pb, err);
	free(text);
	if (st != IRC_OK)
		return st;
	memset(&actor, 0, sizeof actor);
	snprintf(actor.login, sizeof actor.login, "%s%s", IRC_SYNC_ACTOR_PREFIX,
	    login != NULL ? login : "unknown");
	if ((st = irc_db_begin(p->db, err)) != IRC_OK)
		goto out;
	st = irc_case_create_kind_tx(p->db, pb, title, (int)severity, drill ?
	    "drill" : "real", &actor, case_id, err);
	if (st == IRC_OK)
		st = import_steps(p, *case_id, list, n, err);
	if (st == IRC_OK)
		st = sync_map_put(p, "case", *case_id, json_string_value(
		    json_object_get(rcase, "_id")), json_integer_value(
		    json_object_get(rcase, "number")), NULL, err);
	if (st == IRC_OK && case_log != NULL)
		st = sync_map_put(p, "case_log", *case_id, json_string_value(
		    json_object_get(case_log, "_id")), 0, NULL, err);
	if (st == IRC_OK)
		st = irc_db_commit(p->db, err);
	else
		irc_db_rollback(p->db);
out:
	irc_playbook_free(pb);
	return st;
}

enum irc_status
irc_sync_import(struct irc_db *db, const struct irc_hive_config *cfg,
    int64_t number, bool drill, int64_t *case_id, struct irc_error *err)
{
	const struct irc_hive_target *t = drill ? &cfg->drill : &cfg->production;
	struct irc_sync_result res;
	struct irc_sync_opts opts;
	struct sync_pass p;
	struct import_task *list = NULL;
	enum irc_hive_version version;
	char *vtext = NULL, *login = NULL;
	json_t *rcase = NULL, *tasks = NULL, *case_log;
	int64_t linked;
	size_t n = 0;
	enum irc_status st;

	*case_id = 0;
	if (t->url == NULL)
		return irc_fail(err, IRC_ERR_INVALID, "no %s TheHive URL is "
		    "configured; set IRCASE_THEHIVE%s_URL", t->name, drill ?
		    "_DRILL" : "");
	memset(&p, 0, sizeof p);
	memset(&opts, 0, sizeof opts);
	memset(&res, 0, sizeof res);
	p.db = db;
	p.target = t;
	p.opts = &opts;
	p.res = &res;
	p.max_attempts = SYNC_ATTEMPTS_DEFAULT;
	p.backoff_ms = SYNC_BACKOFF_BASE_MS;
	p.hive = irc_hive_new(t);
	if ((st = irc_hive_detect(p.hive, &version, &vtext, &login, err)) !=
	    IRC_OK)
		goto out;
	if ((rcase = import_find_case(&p, number, err)) == NULL) {
		st = err->status;
		goto out;
	}
	linked = import_linked(&p, json_string_value(json_object_get(rcase,
	    "_id")));
	if (linked == 0)
		linked = import_marked(&p, rcase);
	if (linked != 0) {
		st = irc_fail(err, IRC_ERR_INVALID, "TheHive case #%" PRId64 " is "
		    "already case %" PRId64 " here; use 'ircase sync %" PRId64 "'",
		    number, linked, linked);
		goto out;
	}
	if ((tasks = import_tasks(&p, json_string_value(json_object_get(rcase,
	    "_id")), err)) == NULL) {
		st = err->status;
		goto out;
	}
	n = import_sort(tasks, &list, &case_log);
	if ((st = import_create(&p, rcase, list, n, case_log, drill, case_id,
	    err)) != IRC_OK)
		goto out;
	if ((st = import_states(&p, *case_id, list, n, err)) == IRC_OK)
		st = import_remote_states(&p, *case_id, list, n, err);
out:
	sync_pass_close(&p);
	free(list);
	json_decref(tasks);
	json_decref(rcase);
	free(vtext);
	free(login);
	irc_hive_free(p.hive);
	return st;
}
