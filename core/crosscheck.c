/*
 * crosscheck.c: compares the records of a case with its action log.
 *
 * Rows that an action writes are found by the number in the action's body
 * (evidence 3, report 2) or, for tables without a number, by their order
 * within the case (the second decision action wrote the second decision
 * row).  Values that later actions change (the case's severity, a step's
 * state, a role's holder) are tracked while the actions go by and compared
 * at the end.
 *
 * NOTE: times, tags, evidence custody (holder), follow-ups marked done,
 * assets, clocks and the weakness register are not compared yet.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "crosscheck.h"
#include "mem.h"

/* Highest step number tracked: a bound on memory, not a playbook limit. */
#define CC_STEP_MAX 100000
#define CC_ROLE_MAX 16

/*
 * An action kind that inserts one row.  sql reads the row's columns in the
 * order of fields, with ?1 the case and ?2 the body member key, or the
 * row's index (0, 1, ...) within the case when key is NULL.  Each field
 * names the body member that contains the column's value, and a member
 * missing from the body matches NULL or "".  Members that are objects or
 * arrays (times, tags) are not compared.
 */
struct cc_kind {
	const char *kind;
	const char *table;
	const char *key;
	const char *sql;
	const char *fields[7];
};

static const struct cc_kind cc_kinds[] = {
	{ "evidence.add", "evidence", "evidence", "SELECT name, path, size,"
	    " sha256, description, location FROM evidence WHERE case_id = ?1"
	    " AND number = ?2", { "name", "path", "size", "sha256",
	    "description", "location" } },
	{ "decision", "decision", NULL, "SELECT verdict, reason, category"
	    " FROM decision WHERE case_id = ?1 ORDER BY id LIMIT 1 OFFSET ?2",
	    { "verdict", "reason", "category" } },
	{ "report.add", "report", "number", "SELECT reporter, channel, text"
	    " FROM report WHERE case_id = ?1 AND number = ?2",
	    { "by", "channel", "text" } },
	{ "milestone", "milestone", "milestone", "SELECT name, note FROM"
	    " milestone WHERE case_id = ?1 AND name = ?2",
	    { "milestone", "note" } },
	/* A waiver has no "lesson" member: its kind column reads as NULL. */
	{ "lesson.add", "lesson", NULL, "SELECT kind, text FROM lesson"
	    " WHERE case_id = ?1 ORDER BY id LIMIT 1 OFFSET ?2",
	    { "lesson", "text" } },
	{ "lesson.waive", "lesson", NULL, "SELECT CASE kind WHEN 'waiver'"
	    " THEN NULL ELSE kind END AS kind, text FROM lesson"
	    " WHERE case_id = ?1 ORDER BY id LIMIT 1 OFFSET ?2",
	    { "lesson", "reason" } },
	{ "followup.add", "followup", "followup", "SELECT owner, due, text"
	    " FROM followup WHERE case_id = ?1 AND id = ?2",
	    { "owner", "due", "text" } },
	{ "observable.add", "observable", "observable", "SELECT type, value,"
	    " tlp, ioc FROM observable WHERE case_id = ?1 AND number = ?2",
	    { "type", "value", "tlp", "ioc" } },
};

#define CC_NKINDS (sizeof cc_kinds / sizeof cc_kinds[0])

/* Tables whose rows are counted against their actions, in cc_kinds order. */
static const char *const cc_tables[] = {
	"evidence", "decision", "report", "milestone", "lesson", "followup",
	"observable",
};

#define CC_NTABLES (sizeof cc_tables / sizeof cc_tables[0])

struct cc_role {
	char *role;
	char *person;
};

struct irc_crosscheck {
	struct irc_db *db;
	int64_t case_id;
	int64_t rows[CC_NTABLES];	/* rows the actions wrote per table */
	json_t *want_case;		/* case row columns the actions set */
	char *playbook_sha256;		/* from case.open */
	int64_t open_seq;
	char (*states)[16];		/* step state by step number */
	size_t nstates;
	struct cc_role roles[CC_ROLE_MAX];
	size_t nroles;
	struct irc_verify_result result;
};

/* Records the first mismatch; later ones are not reported. */
static void cc_mismatch(struct irc_crosscheck *cc, int64_t seq,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
cc_mismatch(struct irc_crosscheck *cc, int64_t seq, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!cc->result.ok)
		return;
	cc->result.ok = false;
	cc->result.bad_seq = seq;
	n = snprintf(cc->result.reason, sizeof cc->result.reason, "case %"
	    PRId64 ": ", cc->case_id);
	va_start(ap, fmt);
	vsnprintf(cc->result.reason + n, sizeof cc->result.reason - (size_t)n,
	    fmt, ap);
	va_end(ap);
}

struct irc_crosscheck *
irc_crosscheck_start(struct irc_db *db, int64_t case_id)
{
	struct irc_crosscheck *cc = irc_xcalloc(1, sizeof *cc);

	cc->db = db;
	cc->case_id = case_id;
	cc->want_case = json_object();
	json_object_set_new(cc->want_case, "status", json_string("open"));
	json_object_set_new(cc->want_case, "verdict", json_null());
	cc->result.ok = true;
	return cc;
}

void
irc_crosscheck_free(struct irc_crosscheck *cc)
{
	if (cc == NULL)
		return;
	json_decref(cc->want_case);
	free(cc->playbook_sha256);
	free(cc->states);
	for (size_t i = 0; i < cc->nroles; i++) {
		free(cc->roles[i].role);
		free(cc->roles[i].person);
	}
	free(cc);
}

/*
 * Returns true when column col holds want: a string with the same bytes,
 * the same integer, a boolean as 0 or 1, or NULL or "" for a missing or
 * null member.  Objects and arrays match anything.
 */
static bool
cc_field_matches(const json_t *want, sqlite3_stmt *stmt, int col)
{
	int type = sqlite3_column_type(stmt, col);
	const void *bytes;
	int len;

	if (want == NULL || json_is_null(want))
		return type == SQLITE_NULL || (type == SQLITE_TEXT &&
		    sqlite3_column_bytes(stmt, col) == 0);
	if (json_is_string(want)) {
		if (type != SQLITE_TEXT && type != SQLITE_BLOB)
			return false;
		bytes = sqlite3_column_blob(stmt, col);
		len = sqlite3_column_bytes(stmt, col);
		return (size_t)len == json_string_length(want) &&
		    (len == 0 || memcmp(bytes, json_string_value(want),
		    (size_t)len) == 0);
	}
	if (json_is_integer(want))
		return type == SQLITE_INTEGER &&
		    sqlite3_column_int64(stmt, col) == json_integer_value(want);
	if (json_is_boolean(want))
		return type == SQLITE_INTEGER &&
		    (sqlite3_column_int64(stmt, col) != 0) == json_is_true(want);
	return true;
}

/*
 * Compares the columns of the row stmt stands on with the members of body
 * named in fields.  Returns the index of the first field that differs, or
 * -1 when all match.
 */
static int
cc_row_differs(sqlite3_stmt *stmt, const json_t *body,
    const char *const *fields, size_t nfields)
{
	for (size_t i = 0; i < nfields && fields[i] != NULL; i++)
		if (!cc_field_matches(json_object_get(body, fields[i]), stmt,
		    (int)i))
			return (int)i;
	return -1;
}

static size_t
cc_table_slot(const char *table)
{
	for (size_t i = 0; i < CC_NTABLES; i++)
		if (strcmp(cc_tables[i], table) == 0)
			return i;
	return 0;
}

/* Checks the row that an action of kind k wrote. */
static enum irc_status
cc_check_row(struct irc_crosscheck *cc, const struct cc_kind *k,
    const struct irc_action *a, const json_t *body, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	size_t slot = cc_table_slot(k->table);
	const json_t *key = k->key != NULL ? json_object_get(body, k->key) :
	    NULL;
	char row[64];
	int rc, bad;

	if (sqlite3_prepare_v2(irc_db_handle(cc->db), k->sql, -1, &stmt,
	    NULL) != SQLITE_OK)
		return irc_db_fail(cc->db, err, "cannot read the records");
	sqlite3_bind_int64(stmt, 1, cc->case_id);
	if (k->key == NULL) {
		sqlite3_bind_int64(stmt, 2, cc->rows[slot]);
		snprintf(row, sizeof row, "#%" PRId64 " of the case",
		    cc->rows[slot] + 1);
	} else if (json_is_string(key)) {
		sqlite3_bind_text(stmt, 2, json_string_value(key), -1,
		    SQLITE_TRANSIENT);
		snprintf(row, sizeof row, "'%.40s'", json_string_value(key));
	} else {
		sqlite3_bind_int64(stmt, 2, json_integer_value(key));
		snprintf(row, sizeof row, "%" PRId64,
		    (int64_t)json_integer_value(key));
	}
	cc->rows[slot]++;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		cc_mismatch(cc, a->seq, "table %s has no row %s, which action "
		    "seq %" PRId64 " (%s) recorded: the row was removed",
		    k->table, row, a->seq, a->kind);
	} else if (rc != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return irc_db_fail(cc->db, err, "cannot read the records");
	} else if ((bad = cc_row_differs(stmt, body, k->fields,
	    sizeof k->fields / sizeof k->fields[0])) >= 0) {
		cc_mismatch(cc, a->seq, "table %s row %s field %s does not "
		    "match action seq %" PRId64 " (%s): the record was changed",
		    k->table, row, sqlite3_column_name(stmt, bad), a->seq,
		    a->kind);
	}
	sqlite3_finalize(stmt);
	return IRC_OK;
}

/* Notes the state a step.state action leaves its step in. */
static void
cc_note_step(struct irc_crosscheck *cc, const json_t *body)
{
	json_int_t step = json_integer_value(json_object_get(body, "step"));
	const char *to = json_string_value(json_object_get(body, "to"));

	if (to == NULL || step < 1 || step > CC_STEP_MAX)
		return;
	if ((size_t)step >= cc->nstates) {
		size_t n = (size_t)step + 64;

		cc->states = irc_xrealloc(cc->states, n, sizeof cc->states[0]);
		memset(cc->states + cc->nstates, 0,
		    (n - cc->nstates) * sizeof cc->states[0]);
		cc->nstates = n;
	}
	snprintf(cc->states[step], sizeof cc->states[step], "%s", to);
}

/* Notes the holder a role.assign action gives its role. */
static void
cc_note_role(struct irc_crosscheck *cc, const json_t *body)
{
	const char *role = json_string_value(json_object_get(body, "role"));
	const char *to = json_string_value(json_object_get(body, "to"));
	size_t i;

	if (role == NULL || to == NULL)
		return;
	for (i = 0; i < cc->nroles; i++)
		if (strcmp(cc->roles[i].role, role) == 0)
			break;
	if (i == cc->nroles) {
		if (cc->nroles == CC_ROLE_MAX)
			return;
		cc->roles[cc->nroles++].role = irc_xstrdup(role);
	}
	free(cc->roles[i].person);
	cc->roles[i].person = irc_xstrdup(to);
}

/* Notes what case.open, decision and case.close set on the case row. */
static void
cc_note_case(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	const json_t *v;

	if (strcmp(a->kind, "case.open") == 0) {
		json_object_set(cc->want_case, "title",
		    json_object_get(body, "title"));
		json_object_set(cc->want_case, "severity",
		    json_object_get(body, "severity"));
		free(cc->playbook_sha256);
		v = json_object_get(body, "playbook_sha256");
		cc->playbook_sha256 = irc_xstrdup(json_is_string(v) ?
		    json_string_value(v) : "");
		cc->open_seq = a->seq;
	} else if (strcmp(a->kind, "decision") == 0) {
		json_object_set(cc->want_case, "verdict",
		    json_object_get(body, "verdict"));
		v = json_object_get(body, "severity");
		if (json_is_integer(v))
			json_object_set(cc->want_case, "severity", (json_t *)v);
	} else if (strcmp(a->kind, "case.close") == 0) {
		json_object_set_new(cc->want_case, "status",
		    json_string("closed"));
	}
}

/* Returns true for the kinds this check reads, so notes are not parsed. */
static bool
cc_kind_tracked(const char *kind)
{
	static const char *const other[] = {
		"step.state", "role.assign", "case.open", "decision", "case.close",
	};

	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		if (strcmp(other[i], kind) == 0)
			return true;
	for (size_t i = 0; i < CC_NKINDS; i++)
		if (strcmp(cc_kinds[i].kind, kind) == 0)
			return true;
	return false;
}

enum irc_status
irc_crosscheck_add(struct irc_crosscheck *cc, const struct irc_action *a,
    struct irc_error *err)
{
	json_t *body;
	enum irc_status st = IRC_OK;

	if (!cc->result.ok || !cc_kind_tracked(a->kind))
		return IRC_OK;
	body = json_loads(a->body, 0, NULL);
	if (!json_is_object(body)) {
		json_decref(body);
		return IRC_OK;
	}
	if (strcmp(a->kind, "step.state") == 0)
		cc_note_step(cc, body);
	else if (strcmp(a->kind, "role.assign") == 0)
		cc_note_role(cc, body);
	else
		cc_note_case(cc, a, body);
	for (size_t i = 0; i < CC_NKINDS; i++)
		if (strcmp(cc_kinds[i].kind, a->kind) == 0) {
			st = cc_check_row(cc, &cc_kinds[i], a, body, err);
			break;
		}
	json_decref(body);
	return st;
}

/* Runs sql with ?1 bound to the case; the caller steps and finalizes. */
static enum irc_status
cc_query(struct irc_crosscheck *cc, const char *sql, sqlite3_stmt **stmt,
    struct irc_error *err)
{
	if (sqlite3_prepare_v2(irc_db_handle(cc->db), sql, -1, stmt, NULL) !=
	    SQLITE_OK)
		return irc_db_fail(cc->db, err, "cannot read the case records");
	sqlite3_bind_int64(*stmt, 1, cc->case_id);
	return IRC_OK;
}

/* Compares the case row with what case.open, decisions and close set. */
static enum irc_status
cc_finish_case(struct irc_crosscheck *cc, struct irc_error *err)
{
	static const char *const fields[] = {
		"title", "severity", "status", "verdict",
	};
	sqlite3_stmt *stmt;
	enum irc_status st;
	int bad;

	if (cc->playbook_sha256 == NULL) {
		cc_mismatch(cc, 0, "the log has no case.open action");
		return IRC_OK;
	}
	if ((st = cc_query(cc, "SELECT title, severity, status, verdict"
	    " FROM \"case\" WHERE id = ?1", &stmt, err)) != IRC_OK)
		return st;
	if (sqlite3_step(stmt) == SQLITE_ROW && (bad = cc_row_differs(stmt,
	    cc->want_case, fields, sizeof fields / sizeof fields[0])) >= 0)
		cc_mismatch(cc, 0, "table case row %" PRId64 " field %s does not "
		    "match the value its actions set: the record was changed",
		    cc->case_id, fields[bad]);
	sqlite3_finalize(stmt);
	return IRC_OK;
}

/* Compares each step's state with its last step.state action. */
static enum irc_status
cc_finish_steps(struct irc_crosscheck *cc, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	int rc;

	if ((st = cc_query(cc, "SELECT seq, state FROM step WHERE case_id = ?1"
	    " ORDER BY seq", &stmt, err)) != IRC_OK)
		return st;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(stmt, 0);
		const char *state = (const char *)sqlite3_column_text(stmt, 1);
		const char *want = seq > 0 && (size_t)seq < cc->nstates &&
		    cc->states[seq][0] != '\0' ? cc->states[seq] : "pending";

		if (state == NULL || strcmp(state, want) != 0) {
			cc_mismatch(cc, 0, "table step row %" PRId64 " field state "
			    "reads %.16s but its step.state actions leave it %s: "
			    "the record was changed", seq, state != NULL ? state :
			    "NULL", want);
			break;
		}
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return irc_db_fail(cc->db, err, "cannot read the steps");
	return IRC_OK;
}

/* Compares the roles with the last role.assign action of each. */
static enum irc_status
cc_finish_roles(struct irc_crosscheck *cc, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	size_t seen = 0;
	int rc;

	if ((st = cc_query(cc, "SELECT role, person FROM case_role"
	    " WHERE case_id = ?1 ORDER BY role", &stmt, err)) != IRC_OK)
		return st;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *role = (const char *)sqlite3_column_text(stmt, 0);
		const char *person = (const char *)sqlite3_column_text(stmt, 1);
		const char *want = NULL;

		for (size_t i = 0; i < cc->nroles && role != NULL; i++)
			if (strcmp(cc->roles[i].role, role) == 0)
				want = cc->roles[i].person;
		seen++;
		if (want == NULL || person == NULL || strcmp(want, person) != 0) {
			cc_mismatch(cc, 0, "table case_role row %.40s field person "
			    "does not match its role.assign actions: the record "
			    "was changed", role != NULL ? role : "NULL");
			break;
		}
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return irc_db_fail(cc->db, err, "cannot read the roles");
	if (seen < cc->nroles)
		cc_mismatch(cc, 0, "table case_role has %zu rows but the "
		    "role.assign actions name %zu roles: a row was removed", seen,
		    cc->nroles);
	return IRC_OK;
}

/*
 * Recomputes the SHA-256 of the case's playbook snapshot and compares it
 * with the snapshot's sha256 column and with case.open's playbook_sha256.
 */
static enum irc_status
cc_finish_snapshot(struct irc_crosscheck *cc, struct irc_error *err)
{
	static const char hexd[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char hex[IRC_HASH_HEX];
	sqlite3_stmt *stmt;
	enum irc_status st;
	const char *stored;
	int64_t id;

	if ((st = cc_query(cc, "SELECT s.id, s.sha256, s.text FROM"
	    " playbook_snapshot s JOIN \"case\" c ON c.playbook_id = s.id"
	    " WHERE c.id = ?1", &stmt, err)) != IRC_OK)
		return st;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		cc_mismatch(cc, 0, "table playbook_snapshot has no row for the "
		    "case: the record was removed");
		goto out;
	}
	id = sqlite3_column_int64(stmt, 0);
	stored = (const char *)sqlite3_column_text(stmt, 1);
	if (EVP_Digest(sqlite3_column_blob(stmt, 2),
	    (size_t)sqlite3_column_bytes(stmt, 2), md, &mdlen, EVP_sha256(),
	    NULL) != 1 || mdlen != 32) {
		sqlite3_finalize(stmt);
		return irc_fail(err, IRC_ERR_IO, "cannot compute SHA-256");
	}
	for (unsigned int i = 0; i < mdlen; i++) {
		hex[2 * i] = hexd[md[i] >> 4];
		hex[2 * i + 1] = hexd[md[i] & 0xf];
	}
	hex[64] = '\0';
	if (stored == NULL || strcmp(stored, hex) != 0)
		cc_mismatch(cc, 0, "table playbook_snapshot row %" PRId64 " field "
		    "text does not match its sha256: the record was changed", id);
	else if (strcmp(hex, cc->playbook_sha256) != 0)
		cc_mismatch(cc, cc->open_seq, "table playbook_snapshot row %"
		    PRId64 " field sha256 does not match action seq %" PRId64
		    " (case.open): the record was changed", id, cc->open_seq);
out:
	sqlite3_finalize(stmt);
	return IRC_OK;
}

/* Compares the number of rows in each record table with its actions. */
static enum irc_status
cc_finish_counts(struct irc_crosscheck *cc, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	char sql[128];

	for (size_t i = 0; i < CC_NTABLES && cc->result.ok; i++) {
		int64_t n;

		/* Table names come from cc_tables, never from input. */
		snprintf(sql, sizeof sql, "SELECT count(*) FROM %s"
		    " WHERE case_id = ?1", cc_tables[i]);
		if ((st = cc_query(cc, sql, &stmt, err)) != IRC_OK)
			return st;
		n = sqlite3_step(stmt) == SQLITE_ROW ?
		    sqlite3_column_int64(stmt, 0) : -1;
		sqlite3_finalize(stmt);
		if (n < 0)
			return irc_db_fail(cc->db, err, "cannot count the "
			    "records");
		if (n != cc->rows[i])
			cc_mismatch(cc, 0, "table %s has %" PRId64 " rows but its "
			    "actions wrote %" PRId64 ": a row was added or removed",
			    cc_tables[i], n, cc->rows[i]);
	}
	return IRC_OK;
}

enum irc_status
irc_crosscheck_finish(struct irc_crosscheck *cc, struct irc_verify_result *r,
    struct irc_error *err)
{
	enum irc_status st = IRC_OK;

	if (cc->result.ok &&
	    ((st = cc_finish_case(cc, err)) != IRC_OK ||
	    (cc->result.ok && (st = cc_finish_snapshot(cc, err)) != IRC_OK) ||
	    (cc->result.ok && (st = cc_finish_steps(cc, err)) != IRC_OK) ||
	    (cc->result.ok && (st = cc_finish_roles(cc, err)) != IRC_OK) ||
	    (st = cc_finish_counts(cc, err)) != IRC_OK))
		return st;
	if (r->ok && !cc->result.ok) {
		r->ok = false;
		r->bad_seq = cc->result.bad_seq;
		r->bad_action_id = 0;
		snprintf(r->reason, sizeof r->reason, "%s", cc->result.reason);
	}
	return IRC_OK;
}
