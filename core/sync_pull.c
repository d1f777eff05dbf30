/*
 * sync_pull.c: bringing changes made in TheHive back into the local log.
 *
 * Task status changes are read before a pass sends anything, so a local
 * change cannot hide a remote one.  New task logs and observables are
 * read after the push; the ones ircase wrote itself carry the case's
 * marker or a stored remote id and are skipped.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "mem.h"
#include "observable.h"
#include "sync_internal.h"

/* Fills actor with "thehive:<login>" from a TheHive object's author. */
static void
remote_actor(struct irc_actor *actor, json_t *obj, const char *field)
{
	const char *login = json_string_value(json_object_get(obj, field));

	memset(actor, 0, sizeof *actor);
	snprintf(actor->login, sizeof actor->login, "%s%s",
	    IRC_SYNC_ACTOR_PREFIX, login != NULL ? login : "unknown");
}

char *
sync_text(json_t *str, size_t *nuls)
{
	const char *v = json_string_value(str);
	size_t len = json_string_length(str), n = 0, o = 0;
	char *out;

	if (nuls != NULL)
		*nuls = 0;
	if (v == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++)
		n += v[i] == '\0';
	if (n == 0)
		return irc_xstrdup(v);
	out = irc_xmalloc(len + n * 2 + 1);
	for (size_t i = 0; i < len; i++) {
		if (v[i] != '\0') {
			out[o++] = v[i];
			continue;
		}
		/* U+2400 SYMBOL FOR NULL, in UTF-8. */
		out[o++] = (char)0xe2;
		out[o++] = (char)0x90;
		out[o++] = (char)0x80;
	}
	out[o] = '\0';
	if (nuls != NULL)
		*nuls = n;
	return out;
}

/* Appends one action and maps it to the remote object it came from. */
static enum irc_status
pull_record(struct sync_pass *p, struct sync_case *c, int step_seq,
    const struct irc_actor *actor, const char *kind, json_t *body,
    const char *remote_id, struct irc_error *err)
{
	struct irc_action a;
	enum irc_status st;

	if ((st = irc_db_begin(p->db, err)) != IRC_OK)
		return st;
	st = irc_action_append(p->db, c->id, step_seq, actor, kind, body, &a,
	    err);
	if (st == IRC_OK && remote_id != NULL)
		st = sync_map_put(p, "pulled", a.id, remote_id, 0, NULL, err);
	if (st == IRC_OK)
		st = irc_db_commit(p->db, err);
	else
		irc_db_rollback(p->db);
	if (st == IRC_OK) {
		p->res->pulled++;
		irc_action_clear(&a);
	}
	return st;
}

static enum irc_status
conflicts_add(struct sync_pass *p, int64_t case_id, struct irc_error *err)
{
	char *sql = irc_xasprintf("INSERT INTO sync_case (target, case_id,"
	    " conflicts) VALUES ('%s', %" PRId64 ", 1) ON CONFLICT (target,"
	    " case_id) DO UPDATE SET conflicts = conflicts + 1",
	    strcmp(p->target->name, "drill") == 0 ? "drill" : "production",
	    case_id);
	enum irc_status st = IRC_OK;

	if (sqlite3_exec(irc_db_handle(p->db), sql, NULL, NULL, NULL) !=
	    SQLITE_OK)
		st = irc_db_fail(p->db, err, "cannot count a conflict");
	free(sql);
	p->res->conflicts++;
	return st;
}

void
sync_approval_reason(char *buf, size_t size, int64_t case_id, int seq,
    const char *requested_by, bool by_sync_account)
{
	const char *how = by_sync_account ?
	    " with the sync account's own API key" : "";

	if (requested_by != NULL)
		snprintf(buf, size, "step %d awaits approval requested by %s; a "
		    "task completed in TheHive%s does not approve it, so another "
		    "responder runs 'ircase approve %" PRId64 " %d'", seq,
		    requested_by, how, case_id, seq);
	else
		snprintf(buf, size, "step %d needs approval; a task completed in "
		    "TheHive%s does not mark it done, so a responder runs 'ircase "
		    "step %" PRId64 " %d done' and another approves it", seq, how,
		    case_id, seq);
}

/*
 * Records that TheHive completed a task whose step needs approval, and
 * leaves the step as it is: its state and any approval request stay.
 * The task's _updatedBy names only the TheHive account that changed it,
 * and when that is the sync account itself (p->login), anyone holding
 * the API key may have done it, ircase included.  So a status change in
 * TheHive never counts as one of the two responders that the approval
 * rule needs, whichever account made it.  The change counts as a
 * conflict, so "ircase sync --status" shows it.
 */
static enum irc_status
pull_approval_kept(struct sync_pass *p, struct sync_case *c,
    struct sync_step *s, const struct irc_actor *actor, const char *status,
    struct irc_error *err)
{
	const char *remote_login = actor->login + strlen(IRC_SYNC_ACTOR_PREFIX);
	bool by_sync_account = p->login != NULL &&
	    strcmp(remote_login, p->login) == 0;
	char reason[IRC_ERROR_MAX];
	enum irc_status st;
	json_t *body;

	sync_approval_reason(reason, sizeof reason, c->id, s->seq,
	    s->approval_requested_by, by_sync_account);
	body = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s?, s:b}", "step",
	    s->seq, "local", s->state, "thehive", status, "thehive_state", "done",
	    "reason", reason, "requested_by", s->approval_requested_by,
	    "sync_account", by_sync_account);
	st = pull_record(p, c, s->seq, actor, "sync.conflict", body, NULL, err);
	json_decref(body);
	if (st == IRC_OK)
		st = conflicts_add(p, c->id, err);
	return st;
}

/* Handles one task whose status TheHive changed since the last pass. */
static enum irc_status
pull_task_state(struct sync_pass *p, struct sync_case *c,
    struct sync_step *s, json_t *task, const char *status,
    struct irc_error *err)
{
	const char *want = sync_step_state(status);
	enum irc_step_state state;
	struct irc_actor actor;
	struct irc_error serr;
	enum irc_status st = IRC_OK;
	json_t *body;

	remote_actor(&actor, task, "_updatedBy");
	if (want == NULL || strcmp(sync_task_status(s->state), status) == 0)
		goto remember;
	if (s->requires_approval && strcmp(want, "done") == 0) {
		st = pull_approval_kept(p, c, s, &actor, status, err);
		goto remember;
	}
	if (s->local_changed) {
		/* Both sides changed the step: keep ours, record theirs. */
		body = json_pack("{s:i, s:s, s:s, s:s}", "step", s->seq, "local",
		    s->state, "thehive", status, "thehive_state", want);
		st = pull_record(p, c, s->seq, &actor, "sync.conflict", body, NULL,
		    err);
		json_decref(body);
		if (st == IRC_OK)
			st = conflicts_add(p, c->id, err);
		goto remember;
	}
	irc_error_clear(&serr);
	if (irc_step_state_parse(want, &state) &&
	    irc_case_step_set(p->db, c->id, s->seq, state, "changed in TheHive",
	    &actor, &serr) == IRC_OK) {
		free(s->state);
		s->state = irc_xstrdup(want);
		p->res->pulled++;
	} else {
		body = json_pack("{s:i, s:s, s:s, s:s}", "step", s->seq, "thehive",
		    status, "local", s->state, "error", serr.msg);
		st = pull_record(p, c, s->seq, &actor, "sync.conflict", body, NULL,
		    err);
		json_decref(body);
	}
remember:
	snprintf(s->remote_state, sizeof s->remote_state, "%s", status);
	if (st != IRC_OK)
		return st;
	if ((st = irc_db_begin(p->db, err)) != IRC_OK)
		return st;
	if ((st = sync_map_put(p, "task", s->id, s->task, 0, status, err)) !=
	    IRC_OK) {
		irc_db_rollback(p->db);
		return st;
	}
	return irc_db_commit(p->db, err);
}

enum irc_status
sync_pull_states(struct sync_pass *p, struct sync_case *c, json_t *tasks,
    struct irc_error *err)
{
	enum irc_status st = IRC_OK;
	size_t i;
	json_t *t;

	json_array_foreach(tasks, i, t) {
		const char *id = json_string_value(json_object_get(t, "_id"));
		const char *status = json_string_value(json_object_get(t,
		    "status"));

		if (id == NULL || status == NULL)
			continue;
		for (size_t k = 0; k < c->nsteps && st == IRC_OK; k++) {
			struct sync_step *s = &c->steps[k];

			if (strcmp(s->task, id) != 0 || s->remote_state[0] == '\0' ||
			    strcmp(s->remote_state, status) == 0)
				continue;
			st = pull_task_state(p, c, s, t, status, err);
		}
		if (st != IRC_OK)
			break;
	}
	return st;
}

/* Pulls the new logs of one task. */
static enum irc_status
pull_logs(struct sync_pass *p, struct sync_case *c, const char *task,
    int step_seq, int64_t since, int64_t *newest, struct irc_error *err)
{
	struct irc_hive_req *req;
	struct irc_actor actor;
	char marker[64];
	enum irc_status st = IRC_OK;
	json_t *lg, *body;
	size_t i, n, nuls;

	snprintf(marker, sizeof marker, "<!-- ircase:%s:", c->uuid);
	for (int from = 0; st == IRC_OK; from += SYNC_PAGE) {
		req = sync_send(p, sync_query(json_pack("[{s:s, s:s}, {s:s},"
		    " {s:s, s:{s:I}}, {s:s, s:[{s:s}]}, {s:s, s:i, s:i}]", "_name",
		    "getTask", "idOrName", task, "_name", "logs", "_name", "filter",
		    "_gte", "_createdAt", (json_int_t)since, "_name", "sort",
		    "_fields", "_createdAt", "asc", "_name", "page", "from", from,
		    "to", from + SYNC_PAGE)));
		if (req->status != 200 || !json_is_array(req->reply)) {
			st = irc_fail(err, IRC_ERR_IO, "cannot read the logs of task "
			    "%s: %s", task, req->error[0] ? req->error :
			    "the reply is not a list");
			irc_hive_req_free(req);
			return st;
		}
		json_array_foreach(req->reply, i, lg) {
			const char *id = json_string_value(json_object_get(lg, "_id"));
			char *msg = sync_text(json_object_get(lg, "message"), &nuls);
			json_int_t at = json_integer_value(json_object_get(lg,
			    "_createdAt"));

			if (at > *newest)
				*newest = at;
			if (id == NULL || msg == NULL || strstr(msg, marker) != NULL ||
			    sync_map_has_remote(p, id)) {
				free(msg);
				continue;
			}
			remote_actor(&actor, lg, "_createdBy");
			body = json_pack("{s:s, s:s, s:I}", "text", msg, "thehive_id",
			    id, "thehive_date", json_integer_value(json_object_get(lg,
			    "date")));
			free(msg);
			if (nuls > 0)
				/* Say what was changed: the text is not TheHive's byte
				   for byte. */
				json_object_set_new(body, "nul_shown_as_u2400",
				    json_integer((json_int_t)nuls));
			st = pull_record(p, c, step_seq, &actor, "thehive.log", body,
			    id, err);
			json_decref(body);
			if (st != IRC_OK)
				break;
		}
		n = json_array_size(req->reply);
		irc_hive_req_free(req);
		if (n < SYNC_PAGE)
			break;
	}
	return st;
}

/* Returns the local TLP name of TheHive's TLP number on this version. */
static const char *
local_tlp(const struct sync_pass *p, json_int_t n)
{
	bool new_scale = irc_hive_version(p->hive) == IRC_HIVE_5_2;

	switch (n) {
	case 0:
		return "clear";
	case 1:
		return "green";
	case 3:
		return new_scale ? "amber+strict" : "red";
	case 4:
		return "red";
	default:
		return "amber";
	}
}

/* Returns the local type of a TheHive data type: fqdn and hostname are domains. */
static bool
local_obs_type(const char *data_type, enum irc_obs_type *out)
{
	if (data_type == NULL)
		return false;
	if (strcmp(data_type, "fqdn") == 0 || strcmp(data_type, "hostname") == 0)
		data_type = "domain";
	return irc_obs_type_parse(data_type, out);
}

/* Returns the id of the "observable.add" action of observable number. */
static int64_t
observable_action_id(struct sync_pass *p, int64_t case_id, int64_t number)
{
	sqlite3_stmt *stmt = NULL;
	int64_t id = 0;

	if (sqlite3_prepare_v2(irc_db_handle(p->db), "SELECT id FROM action"
	    " WHERE case_id = ? AND kind = 'observable.add' AND"
	    " json_extract(body, '$.observable') = ?", -1, &stmt, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_int64(stmt, 1, case_id);
		sqlite3_bind_int64(stmt, 2, number);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			id = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	return id;
}

/*
 * Records one observable made in TheHive as a local observable, added by
 * "thehive:<login>".  A type ircase does not know, or a value it rejects
 * or already has, is recorded as a "thehive.observable" action instead.
 */
static enum irc_status
pull_observable(struct sync_pass *p, struct sync_case *c, json_t *o,
    const char *id, struct irc_error *err)
{
	struct irc_observable_new obs;
	struct irc_actor actor;
	struct irc_error oerr;
	const char *tags[IRC_OBSERVABLE_TAGS_MAX];
	json_t *tag, *body;
	int64_t number = 0;
	size_t i, nuls;
	char *value;
	enum irc_status st;

	remote_actor(&actor, o, "_createdBy");
	memset(&obs, 0, sizeof obs);
	value = sync_text(json_object_get(o, "data"), &nuls);
	obs.value = value;
	obs.tlp = local_tlp(p, json_integer_value(json_object_get(o, "tlp")));
	obs.ioc = json_is_true(json_object_get(o, "ioc"));
	json_array_foreach(json_object_get(o, "tags"), i, tag)
		if (json_is_string(tag) && obs.ntags < IRC_OBSERVABLE_TAGS_MAX)
			tags[obs.ntags++] = json_string_value(tag);
	obs.tags = tags;
	irc_error_clear(&oerr);
	if (nuls > 0)
		/* A NUL shown as U+2400 is not the value TheHive holds. */
		snprintf(oerr.msg, sizeof oerr.msg, "the value contains %zu NUL "
		    "character%s, shown as U+2400", nuls, nuls == 1 ? "" : "s");
	else if (obs.value != NULL && local_obs_type(json_string_value(
	    json_object_get(o, "dataType")), &obs.type) &&
	    irc_observable_add(p->db, c->id, &obs, &actor, &number, &oerr) ==
	    IRC_OK) {
		p->res->pulled++;
		free(value);
		if ((st = irc_db_begin(p->db, err)) != IRC_OK)
			return st;
		st = sync_map_put(p, "pulled", observable_action_id(p, c->id,
		    number), id, 0, NULL, err);
		if (st == IRC_OK)
			return irc_db_commit(p->db, err);
		irc_db_rollback(p->db);
		return st;
	}
	body = json_pack("{s:s?, s:s?, s:s, s:s?}", "type", json_string_value(
	    json_object_get(o, "dataType")), "value", obs.value, "thehive_id", id,
	    "reason", oerr.msg[0] != '\0' ? oerr.msg : NULL);
	st = pull_record(p, c, 0, &actor, "thehive.observable", body, id, err);
	json_decref(body);
	free(value);
	return st;
}

/* Pulls observables added in TheHive. */
static enum irc_status
pull_observables(struct sync_pass *p, struct sync_case *c,
    struct irc_error *err)
{
	struct irc_hive_req *req;
	enum irc_status st = IRC_OK;
	json_t *o;
	size_t i;

	req = sync_send(p, sync_query(json_pack("[{s:s, s:s}, {s:s},"
	    " {s:s, s:[{s:s}]}, {s:s, s:i, s:i}]", "_name", "getCase", "idOrName",
	    c->remote, "_name", "observables", "_name", "sort", "_fields",
	    "_createdAt", "asc", "_name", "page", "from", 0, "to", 10000)));
	if (req->status != 200 || !json_is_array(req->reply)) {
		st = irc_fail(err, IRC_ERR_IO, "cannot read the case's observables: "
		    "%s", req->error[0] ? req->error : "the reply is not a list");
		irc_hive_req_free(req);
		return st;
	}
	json_array_foreach(req->reply, i, o) {
		const char *id = json_string_value(json_object_get(o, "_id"));

		if (id == NULL || sync_map_has_remote(p, id))
			continue;
		if ((st = pull_observable(p, c, o, id, err)) != IRC_OK)
			break;
	}
	irc_hive_req_free(req);
	return st;
}

/*
 * One task whose logs cannot be read does not stop the others or the
 * observables: each failure is kept, and the last one is returned.
 * pulled_at moves only when every task was read, since the next pass
 * asks for logs from pulled_at on; logs read twice are skipped by their
 * stored remote ids.  A database error stops the pull at once.
 */
enum irc_status
sync_pull_new(struct sync_pass *p, struct sync_case *c, struct irc_error *err)
{
	int64_t newest = c->pulled_at;
	enum irc_status st, failed = IRC_OK;
	struct irc_error one;

	for (size_t k = 0; k <= c->nsteps; k++) {
		const char *task = k < c->nsteps ? c->steps[k].task : c->case_log;

		if (task[0] == '\0' || task[0] == '-')
			continue;
		irc_error_clear(&one);
		st = pull_logs(p, c, task, k < c->nsteps ? c->steps[k].seq : 0,
		    c->pulled_at, &newest, &one);
		if (st == IRC_OK)
			continue;
		*err = one;
		if (st != IRC_ERR_IO)
			return st;
		failed = st;
	}
	if (c->remote[0] != '\0') {
		irc_error_clear(&one);
		if ((st = pull_observables(p, c, &one)) != IRC_OK) {
			*err = one;
			if (st != IRC_ERR_IO)
				return st;
			failed = st;
		}
	}
	if (failed == IRC_OK)
		c->pulled_at = newest;
	return failed;
}
