/*
 * drill.c: starting drills, the drill clock and delivering injects.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "case.h"
#include "drill.h"
#include "mem.h"
#include "observable.h"
#include "timeutil.h"

static enum irc_status
drill_prepare(struct irc_db *db, const char *sql, sqlite3_stmt **stmt,
    struct irc_error *err)
{
	if (sqlite3_prepare_v2(irc_db_handle(db), sql, -1, stmt, NULL) !=
	    SQLITE_OK)
		return irc_db_fail(db, err, "cannot prepare a drill statement");
	return IRC_OK;
}

static enum irc_status
drill_row_insert(struct irc_db *db, int64_t case_id, int speed,
    int64_t now, const struct irc_scenario *sc, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st;

	if ((st = drill_prepare(db, "INSERT INTO drill (case_id, speed,"
	    " started_at, scenario_title, scenario_path, scenario_sha256,"
	    " scenario_text) VALUES (?, ?, ?, ?, ?, ?, ?)", &stmt, err)) !=
	    IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int(stmt, 2, speed);
	sqlite3_bind_int64(stmt, 3, now);
	if (sc != NULL) {
		sqlite3_bind_text(stmt, 4, sc->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, sc->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 6, sc->sha256, -1, SQLITE_STATIC);
		sqlite3_bind_blob64(stmt, 7, sc->text, sc->text_len,
		    SQLITE_STATIC);
	}
	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot store the drill");
	sqlite3_finalize(stmt);
	return st;
}

enum irc_status
irc_drill_start(struct irc_db *db, const struct irc_playbook *pb,
    const struct irc_drill_opts *opts, const struct irc_actor *actor,
    int64_t *case_id, struct irc_error *err)
{
	const struct irc_scenario *sc = opts->scenario;
	json_t *body = NULL;
	int64_t id = 0;
	enum irc_status st;

	if (opts->speed < 1 || opts->speed > IRC_DRILL_SPEED_MAX)
		return irc_fail(err, IRC_ERR_INVALID, "drill speed %d is out of "
		    "range; use 1 (real time) to %d", opts->speed,
		    IRC_DRILL_SPEED_MAX);
	if (sc != NULL && (st = irc_scenario_check(sc, err)) != IRC_OK)
		return st;
	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if ((st = irc_case_create_kind_tx(db, pb, opts->title, opts->severity,
	    "drill", actor, &id, err)) != IRC_OK)
		goto out;
	if ((st = drill_row_insert(db, id, opts->speed, irc_now_us(), sc,
	    err)) != IRC_OK)
		goto out;
	body = json_pack("{s:i, s:I}", "speed", opts->speed, "injects",
	    (json_int_t)(sc != NULL ? sc->ninjects : 0));
	if (sc != NULL) {
		json_object_set_new(body, "scenario", json_string(sc->title));
		json_object_set_new(body, "scenario_path", json_string(sc->name));
		json_object_set_new(body, "scenario_sha256",
		    json_string(sc->sha256));
	}
	if ((st = irc_action_append(db, id, 0, actor, "drill.start", body,
	    NULL, err)) != IRC_OK)
		goto out;
	st = irc_db_commit(db, err);
out:
	json_decref(body);
	if (st != IRC_OK)
		irc_db_rollback(db);
	else
		*case_id = id;
	return st;
}

enum irc_status
irc_drill_load(struct irc_db *db, int64_t case_id, struct irc_drill **out,
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct irc_drill *d = NULL;
	enum irc_status st;
	int rc;

	*out = NULL;
	if ((st = drill_prepare(db, "SELECT d.speed, d.started_at,"
	    " d.scenario_path, d.scenario_text, c.status,"
	    " (SELECT count(*) FROM action a WHERE a.case_id = d.case_id"
	    "  AND a.kind = 'drill.inject')"
	    " FROM drill d JOIN \"case\" c ON c.id = d.case_id"
	    " WHERE d.case_id = ?", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "case %" PRId64 " is not "
		    "a drill; start one with 'ircase drill start'", case_id);
		goto out;
	}
	if (rc != SQLITE_ROW) {
		st = irc_db_fail(db, err, "cannot read the drill");
		goto out;
	}
	d = irc_xcalloc(1, sizeof *d);
	d->case_id = case_id;
	d->speed = sqlite3_column_int(stmt, 0);
	d->started_at = sqlite3_column_int64(stmt, 1);
	d->closed = strcmp((const char *)sqlite3_column_text(stmt, 4),
	    "closed") == 0;
	d->delivered = (size_t)sqlite3_column_int64(stmt, 5);
	if (sqlite3_column_type(stmt, 3) != SQLITE_NULL) {
		const char *name = (const char *)sqlite3_column_text(stmt, 2);

		st = irc_scenario_parse(name != NULL ? name : "scenario",
		    sqlite3_column_blob(stmt, 3) != NULL ?
		    sqlite3_column_blob(stmt, 3) : "",
		    (size_t)sqlite3_column_bytes(stmt, 3), &d->scenario, err);
	}
out:
	sqlite3_finalize(stmt);
	if (st != IRC_OK)
		irc_drill_free(d);
	else
		*out = d;
	return st;
}

void
irc_drill_free(struct irc_drill *d)
{
	if (d == NULL)
		return;
	irc_scenario_free(d->scenario);
	free(d);
}

int64_t
irc_drill_time(const struct irc_drill *d, int64_t wall_us)
{
	return (wall_us - d->started_at) * (int64_t)d->speed;
}

void
irc_drill_clock_window(const struct irc_drill *d, int64_t start_wall_us,
    int64_t deadline_wall_us, int64_t *start_us, int64_t *deadline_us)
{
	*start_us = irc_drill_time(d, start_wall_us);
	*deadline_us = *start_us + (deadline_wall_us - start_wall_us);
}

enum irc_status
irc_drill_stamp(struct irc_db *db, int64_t case_id, int64_t wall_us,
    json_t *body, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st;
	int rc;

	if ((st = drill_prepare(db, "SELECT speed, started_at FROM drill"
	    " WHERE case_id = ?", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		json_object_set_new(body, "drill_time_us", json_integer(
		    (wall_us - sqlite3_column_int64(stmt, 1)) *
		    sqlite3_column_int64(stmt, 0)));
	else if (rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read the drill clock");
	sqlite3_finalize(stmt);
	return st;
}

/* Builds the body of the drill.inject action for inject number index. */
static json_t *
inject_body(const struct irc_inject *in, size_t index)
{
	json_t *body = json_pack("{s:I, s:s, s:I, s:s}", "index",
	    (json_int_t)index, "offset", in->offset_text, "offset_us",
	    (json_int_t)in->offset_us, "text", in->text);

	if (in->obs_type != NULL)
		json_object_set_new(body, "observable", json_pack("{s:s, s:s}",
		    "type", in->obs_type, "value", in->obs_value));
	if (in->severity > 0)
		json_object_set_new(body, "severity", json_integer(in->severity));
	if (in->expect != NULL)
		json_object_set_new(body, "expect", json_string(in->expect));
	return body;
}

/*
 * Records the observable an inject carries on the case, in the open
 * transaction.  One that the case already has, or whose value its type
 * rejects, is left out without failing the tick: the inject is still
 * delivered and the drill goes on.
 */
static enum irc_status
inject_observable(struct irc_db *db, int64_t case_id,
    const struct irc_inject *in, size_t index, const struct irc_actor *actor,
    struct irc_error *err)
{
	struct irc_observable_new obs;
	enum irc_status st;

	memset(&obs, 0, sizeof obs);
	if (in->obs_type == NULL ||
	    !irc_obs_type_parse(in->obs_type, &obs.type))
		return IRC_OK;
	obs.value = in->obs_value;
	st = irc_observable_add_locked(db, case_id, &obs, (int64_t)index, actor,
	    NULL, err);
	if (st == IRC_ERR_INVALID || st == IRC_ERR_CONFLICT) {
		irc_error_clear(err);
		return IRC_OK;
	}
	return st;
}

enum irc_status
irc_drill_tick(struct irc_db *db, int64_t case_id,
    const struct irc_actor *actor, size_t *delivered, struct irc_error *err)
{
	struct irc_drill *d = NULL;
	size_t count = 0;
	int64_t now;
	enum irc_status st;

	if (delivered != NULL)
		*delivered = 0;
	/* Read and write in one transaction, so two TUIs never both deliver. */
	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if ((st = irc_drill_load(db, case_id, &d, err)) != IRC_OK)
		goto out;
	now = irc_drill_time(d, irc_now_us());
	while (!d->closed && d->scenario != NULL &&
	    d->delivered < d->scenario->ninjects &&
	    d->scenario->injects[d->delivered].offset_us <= now) {
		json_t *body = inject_body(&d->scenario->injects[d->delivered],
		    d->delivered + 1);

		st = irc_action_append(db, case_id, 0, actor, "drill.inject",
		    body, NULL, err);
		json_decref(body);
		if (st == IRC_OK)
			st = inject_observable(db, case_id,
			    &d->scenario->injects[d->delivered], d->delivered + 1,
			    actor, err);
		if (st != IRC_OK)
			goto out;
		d->delivered++;
		count++;
	}
	if (count == 0) {
		irc_db_rollback(db);
		goto out;
	}
	st = irc_db_commit(db, err);
out:
	if (st != IRC_OK)
		irc_db_rollback(db);
	else if (delivered != NULL)
		*delivered = count;
	irc_drill_free(d);
	return st;
}
