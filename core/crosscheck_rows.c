/*
 * crosscheck_rows.c: reads the record rows that crosscheck.c compares,
 * from the database or from a case's JSON export (export_json.c), as
 * JSON objects in the database's column names and units.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>

#include "crosscheck_internal.h"
#include "timeutil.h"

/* ---- the database ------------------------------------------------------ */

/* Returns the current row of stmt as a new object keyed by column name. */
static json_t *
db_row(sqlite3_stmt *stmt)
{
	json_t *row = json_object(), *v;

	for (int i = 0; i < sqlite3_column_count(stmt); i++) {
		const char *name = sqlite3_column_name(stmt, i);

		switch (sqlite3_column_type(stmt, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(stmt, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(stmt, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default:
			/* Stored bytes as they are, valid UTF-8 or not. */
			v = json_stringn_nocheck((const char *)
			    sqlite3_column_blob(stmt, i),
			    (size_t)sqlite3_column_bytes(stmt, i));
			break;
		}
		/* Observable tags are stored as JSON text. */
		if (strcmp(name, "tags") == 0 && json_is_string(v)) {
			json_t *tags = json_loads(json_string_value(v), 0, NULL);

			if (tags != NULL) {
				json_decref(v);
				v = tags;
			}
		}
		json_object_set_new(row, name, v);
	}
	return row;
}

/* Prepares sql with ?1 bound to the case. */
static enum irc_status
db_prepare(struct irc_crosscheck *cc, const char *sql, sqlite3_stmt **stmt,
    struct irc_error *err)
{
	if (sqlite3_prepare_v2(irc_db_handle(cc->db), sql, -1, stmt, NULL) !=
	    SQLITE_OK)
		return irc_db_fail(cc->db, err, "cannot read the case records");
	sqlite3_bind_int64(*stmt, 1, cc->case_id);
	return IRC_OK;
}

/* Table names come from the table list in crosscheck.c, never from input. */
static enum irc_status
db_row_get(struct irc_crosscheck *cc, const struct cc_table *t,
    const json_t *key, json_t **row, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	char sql[160];
	enum irc_status st;
	int rc;

	if (t->key == CC_KEY_CASE)
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" WHERE %s = ?1",
		    t->name, strcmp(t->name, "case") == 0 ? "id" : "case_id");
	else if (t->key == CC_KEY_ORDER)
		snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE case_id = ?1"
		    " ORDER BY id LIMIT 1 OFFSET ?2", t->name);
	else
		snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE case_id = ?1"
		    " AND %s = ?2", t->name, t->key_column);
	if ((st = db_prepare(cc, sql, &stmt, err)) != IRC_OK)
		return st;
	if (json_is_string(key))
		sqlite3_bind_text(stmt, 2, json_string_value(key), -1,
		    SQLITE_TRANSIENT);
	else if (json_is_integer(key))
		sqlite3_bind_int64(stmt, 2, json_integer_value(key));
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*row = db_row(stmt);
	else if (rc != SQLITE_DONE)
		st = irc_db_fail(cc->db, err, "cannot read the case records");
	sqlite3_finalize(stmt);
	return st;
}

/* ---- the JSON export --------------------------------------------------- */

/* An export key and the column it holds; time keys are RFC 3339 text. */
struct ex_field {
	const char *key;
	const char *column;
	bool time;
};

struct ex_table {
	const char *table;
	const char *section;		/* top-level key, or under lifecycle */
	bool in_lifecycle;
	struct ex_field fields[12];
};

static const struct ex_table ex_tables[] = {
	{ "step", NULL, false, { { "number", "seq", false },
	    { "state", "state", false }, { "started_at", "started_at", true },
	    { "done_at", "done_at", true } } },
	{ "case_role", "roles", true, { { "role", "role", false },
	    { "person", "person", false }, { "assigned_at", "since", true } } },
	{ "evidence", "evidence", false, { { "number", "number", false },
	    { "name", "name", false }, { "path", "path", false },
	    { "size", "size", false }, { "sha256", "sha256", false },
	    { "description", "description", false },
	    { "location", "location", false }, { "holder", "holder", false },
	    { "added_by", "added_by", false },
	    { "added_at", "added_at", true } } },
	{ "observable", "observables", false, { { "number", "number", false },
	    { "type", "type", false }, { "value", "value", false },
	    { "tlp", "tlp", false }, { "ioc", "ioc", false },
	    { "tags", "tags", false }, { "added_by", "added_by", false },
	    { "added_at", "added_at", true } } },
	{ "asset", "assets", false, { { "number", "number", false },
	    { "inventory_id", "inventory_id", false }, { "name", "name", false },
	    { "owner", "owner", false },
	    { "classification", "classification", false },
	    { "added_by", "added_by", false },
	    { "added_at", "added_at", true } } },
	{ "report", "reports", true, { { "number", "number", false },
	    { "reporter", "reporter", false }, { "channel", "channel", false },
	    { "received_at", "received_at", true }, { "text", "text", false },
	    { "added_by", "added_by", false } } },
	{ "decision", "decisions", true, { { "verdict", "verdict", false },
	    { "reason", "reason", false }, { "category", "category", false },
	    { "decided_by", "decided_by", false },
	    { "decided_at", "decided_at", true } } },
	{ "milestone", "milestones", true, { { "name", "name", false },
	    { "reached_at", "at", true }, { "note", "note", false },
	    { "recorded_by", "recorded_by", false } } },
	{ "lesson", "lessons", true, { { "kind", "kind", false },
	    { "text", "text", false }, { "added_by", "added_by", false },
	    { "added_at", "added_at", true } } },
	{ "followup", "followups", true, { { "id", "id", false },
	    { "owner", "owner", false }, { "due", "due", false },
	    { "text", "text", false }, { "state", "state", false },
	    { "done_at", "done_at", true },
	    { "done_note", "done_note", false } } },
	{ "clock", "clocks", true, { { "rule", "rule", false },
	    { "hours", "hours", false }, { "months", "months", false },
	    { "deadline", "deadline", true },
	    { "notified_at", "notified_at", true },
	    { "notified_to", "notified_to", false },
	    { "ref", "notified_ref", false } } },
	{ "case", NULL, false, { { "title", "title", false },
	    { "severity", "severity", false }, { "status", "status", false },
	    { "kind", "kind", false }, { "opened_at", "opened_at", true },
	    { "closed_at", "closed_at", true },
	    { "description", "description", false } } },
	{ "case", NULL, true, { { "verdict", "verdict", false },
	    { "category", "category", false },
	    { "aware_at", "aware_at", true }, { "tlp", "tlp", false },
	    { "pap", "pap", false }, { "summary", "summary", false } } },
};

#define EX_NTABLES (sizeof ex_tables / sizeof ex_tables[0])

/* Adds the fields of m found in item to row, converting times. */
static void
ex_convert(const struct ex_table *m, const json_t *item, json_t *row)
{
	for (size_t i = 0; i < sizeof m->fields / sizeof m->fields[0] &&
	    m->fields[i].key != NULL; i++) {
		const struct ex_field *f = &m->fields[i];
		json_t *v = json_object_get(item, f->key);
		int64_t us;

		if (v == NULL)
			continue;
		if (f->time && json_is_string(v) &&
		    irc_time_parse(json_string_value(v), &us, NULL, NULL) ==
		    IRC_OK)
			json_object_set_new(row, f->column, json_integer(us));
		else
			json_object_set(row, f->column, v);
	}
}

static const struct ex_table *
ex_table_find(const char *table)
{
	for (size_t i = 0; i < EX_NTABLES; i++)
		if (strcmp(ex_tables[i].table, table) == 0)
			return &ex_tables[i];
	return NULL;
}

/* Returns a new array of the export's rows of table, converted. */
static json_t *
ex_rows(const json_t *doc, const char *table)
{
	const struct ex_table *m = ex_table_find(table);
	json_t *out = json_array(), *item, *phase, *step;
	size_t i, j;

	if (m == NULL)
		return out;
	if (strcmp(table, "step") == 0) {
		json_array_foreach(json_object_get(doc, "phases"), i, phase)
			json_array_foreach(json_object_get(phase, "steps"), j,
			    step) {
				json_t *row = json_object();

				ex_convert(m, step, row);
				json_array_append_new(out, row);
			}
		return out;
	}
	json_array_foreach(json_object_get(m->in_lifecycle ?
	    json_object_get(doc, "lifecycle") : doc, m->section), i, item) {
		json_t *row = json_object();

		ex_convert(m, item, row);
		json_array_append_new(out, row);
	}
	return out;
}

/* Returns the case row: the top-level fields and those under lifecycle. */
static json_t *
ex_case_row(const json_t *doc)
{
	json_t *row = json_object();

	for (size_t i = 0; i < EX_NTABLES; i++)
		if (strcmp(ex_tables[i].table, "case") == 0)
			ex_convert(&ex_tables[i], ex_tables[i].in_lifecycle ?
			    json_object_get(doc, "lifecycle") : doc, row);
	json_object_set(row, "playbook_path", json_object_get(
	    json_object_get(doc, "playbook"), "path"));
	return row;
}

static void
ex_row_get(struct irc_crosscheck *cc, const struct cc_table *t,
    const json_t *key, json_t **row)
{
	json_t *rows, *item;
	size_t i;

	if (strcmp(t->name, "case") == 0) {
		*row = ex_case_row(cc->doc);
		return;
	}
	if (ex_table_find(t->name) == NULL) {
		/* Not in the export (the drill row): nothing to compare. */
		*row = json_object();
		return;
	}
	rows = ex_rows(cc->doc, t->name);
	if (t->key == CC_KEY_ORDER) {
		*row = json_incref(json_array_get(rows,
		    (size_t)json_integer_value(key)));
	} else {
		json_array_foreach(rows, i, item)
			if (json_equal(json_object_get(item, t->key_column), key)) {
				*row = json_incref(item);
				break;
			}
	}
	json_decref(rows);
}

/* ---- either source ----------------------------------------------------- */

enum irc_status
cc_source_row(struct irc_crosscheck *cc, const struct cc_table *t,
    const json_t *key, json_t **row, struct irc_error *err)
{
	*row = NULL;
	if (cc->db != NULL)
		return db_row_get(cc, t, key, row, err);
	ex_row_get(cc, t, key, row);
	return IRC_OK;
}

enum irc_status
cc_source_count(struct irc_crosscheck *cc, const struct cc_table *t,
    int64_t *n, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	char sql[128];
	enum irc_status st;

	*n = -1;
	if (cc->db == NULL) {
		json_t *rows = ex_rows(cc->doc, t->name);

		if (ex_table_find(t->name) != NULL)
			*n = (int64_t)json_array_size(rows);
		json_decref(rows);
		return IRC_OK;
	}
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE case_id = ?1",
	    t->name);
	if ((st = db_prepare(cc, sql, &stmt, err)) != IRC_OK)
		return st;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*n = sqlite3_column_int64(stmt, 0);
	else
		st = irc_db_fail(cc->db, err, "cannot count the records");
	sqlite3_finalize(stmt);
	return st;
}

enum irc_status
cc_source_each(struct irc_crosscheck *cc, const struct cc_table *t,
    bool (*fn)(struct irc_crosscheck *, const json_t *, json_t *),
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	json_t *rows, *row;
	char sql[128];
	enum irc_status st;
	size_t i;
	int rc;

	if (cc->db == NULL) {
		rows = ex_rows(cc->doc, t->name);
		json_array_foreach(rows, i, row)
			if (!fn(cc, json_object_get(row, t->key_column), row))
				break;
		json_decref(rows);
		return IRC_OK;
	}
	snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE case_id = ?1"
	    " ORDER BY %s", t->name, t->key_column);
	if ((st = db_prepare(cc, sql, &stmt, err)) != IRC_OK)
		return st;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		bool more;

		row = db_row(stmt);
		more = fn(cc, json_object_get(row, t->key_column), row);
		json_decref(row);
		if (!more)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = irc_db_fail(cc->db, err, "cannot read the case records");
	sqlite3_finalize(stmt);
	return st;
}
