/*
 * lifecycle_json.c: the "lifecycle" object of show --json, built from the
 * lifecycle tables, and the other per-case records that show --json and
 * the JSON export add.  ircase(1) documents the keys under JSON OUTPUT.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset.h"
#include "clock.h"
#include "evidence.h"
#include "lifecycle.h"
#include "lifecycle_internal.h"
#include "mem.h"
#include "observable.h"
#include "record.h"
#include "timeutil.h"

/* Returns true when name ends with suffix. */
static bool
ends_with(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n >= s && strcmp(name + n - s, suffix) == 0;
}

/*
 * Converts column col of a row to JSON.  A "*_at" integer column is a
 * time: RFC 3339 with the offset in the next column when that column is
 * "*_offset" (then *skip is set), else UTC.
 */
static json_t *
column_json(sqlite3_stmt *stmt, int col, int ncols, bool *skip)
{
	const char *name = sqlite3_column_name(stmt, col);
	char buf[48];

	*skip = false;
	switch (sqlite3_column_type(stmt, col)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		if (!ends_with(name, "_at"))
			return json_integer(sqlite3_column_int64(stmt, col));
		if (col + 1 < ncols &&
		    ends_with(sqlite3_column_name(stmt, col + 1), "_offset")) {
			*skip = true;
			return json_string(irc_time_with_offset(
			    sqlite3_column_int64(stmt, col),
			    sqlite3_column_int(stmt, col + 1), buf, sizeof buf));
		}
		return json_string(irc_time_utc(sqlite3_column_int64(stmt, col),
		    buf, sizeof buf));
	default: {
		json_t *v = json_string((const char *)sqlite3_column_text(stmt,
		    col));

		return v != NULL ? v : json_string("\xef\xbf\xbd");
	}
	}
}

/* Runs sql with the case id as ?1; each row becomes an object keyed by column. */
static enum irc_status
rows_json(struct irc_db *db, int64_t case_id, const char *sql, json_t **out,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	json_t *rows = json_array();
	enum irc_status st;
	int rc;

	*out = NULL;
	if ((st = irc_record_prepare(db, sql, &stmt, err)) != IRC_OK) {
		json_decref(rows);
		return st;
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int ncols = sqlite3_column_count(stmt);
		json_t *row = json_object();
		bool skip;

		for (int c = 0; c < ncols; c++) {
			json_object_set_new(row, sqlite3_column_name(stmt, c),
			    column_json(stmt, c, ncols, &skip));
			if (skip)
				c++;
		}
		json_array_append_new(rows, row);
	}
	if (rc != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot read the case's records");
		json_decref(rows);
	} else {
		*out = rows;
	}
	sqlite3_finalize(stmt);
	return st;
}

static const struct {
	const char *key;
	const char *sql;
} sections[] = {
	{ "case", "SELECT verdict, category, aware_at, aware_offset, tlp, pap,"
	    " summary FROM \"case\" WHERE id = ?1" },
	{ "roles", "SELECT role, person, since AS assigned_at FROM case_role"
	    " WHERE case_id = ?1 ORDER BY role" },
	{ "reports", "SELECT number, reporter, channel, received_at,"
	    " received_offset, text, added_by FROM report WHERE case_id = ?1"
	    " ORDER BY number" },
	{ "decisions", "SELECT verdict, reason, category, decided_by,"
	    " decided_at FROM decision WHERE case_id = ?1 ORDER BY id" },
	{ "milestones", "SELECT name, at AS reached_at, at_offset AS"
	    " reached_offset, note, recorded_by FROM milestone"
	    " WHERE case_id = ?1 ORDER BY at" },
	{ "lessons", "SELECT kind, text, added_by, added_at FROM lesson"
	    " WHERE case_id = ?1 ORDER BY id" },
	{ "followups", "SELECT id, owner, due, text, state, done_at, done_note"
	    " FROM followup WHERE case_id = ?1 ORDER BY due, id" },
};

enum irc_status
irc_lifecycle_to_json(struct irc_db *db, int64_t case_id, json_t **out,
    struct irc_error *err)
{
	json_t *o = json_object(), *rows, *clocks;
	struct irc_clock *list = NULL;
	size_t n = 0;
	int64_t now = irc_now_us();
	enum irc_status st;

	*out = NULL;
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		if ((st = rows_json(db, case_id, sections[i].sql, &rows, err)) !=
		    IRC_OK)
			goto fail;
		if (i == 0) {
			/* The case row's keys go at the top of the object. */
			json_object_update(o, json_array_get(rows, 0));
			json_decref(rows);
			continue;
		}
		json_object_set_new(o, sections[i].key, rows);
	}
	if ((st = irc_clock_list(db, case_id, false, &list, &n, err)) != IRC_OK)
		goto fail;
	clocks = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(clocks, irc_clock_to_json(&list[i], now));
	irc_clocks_free(list, n);
	json_object_set_new(o, "clocks", clocks);
	*out = o;
	return IRC_OK;
fail:
	json_decref(o);
	return st;
}

enum irc_status
irc_case_records_to_json(struct irc_db *db, int64_t case_id, json_t *obj,
    struct irc_error *err)
{
	struct irc_evidence *evidence = NULL;
	struct irc_observable *observables = NULL;
	struct irc_asset *assets = NULL;
	size_t n = 0;
	enum irc_status st;

	if ((st = irc_evidence_list(db, case_id, &evidence, &n, err)) !=
	    IRC_OK)
		return st;
	json_object_set_new(obj, "evidence", irc_evidence_to_json(evidence, n));
	irc_evidence_free(evidence, n);
	if ((st = irc_observable_list(db, case_id, &observables, &n, err)) !=
	    IRC_OK)
		return st;
	json_object_set_new(obj, "observables",
	    irc_observables_to_json(observables, n));
	irc_observables_free(observables, n);
	if ((st = irc_asset_list(db, case_id, &assets, &n, err)) != IRC_OK)
		return st;
	json_object_set_new(obj, "assets", irc_assets_to_json(assets, n));
	irc_assets_free(assets, n);
	return IRC_OK;
}

json_t *
irc_contacts_to_json(const struct irc_config *cfg)
{
	json_t *a = json_array();

	for (size_t i = 0; cfg != NULL && i < cfg->ncontacts; i++) {
		const struct irc_config_contact *c = &cfg->contacts[i];

		json_array_append_new(a, json_pack("{s:s, s:s, s:s?, s:s?, s:s?}",
		    "role", c->role, "name", c->name, "email", c->email,
		    "phone", c->phone, "note", c->note));
	}
	return a;
}
