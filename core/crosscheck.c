/*
 * crosscheck.c: derives what the records of a case must read from its
 * action log, then compares the rows with it.
 *
 * Each action kind that writes a record row sets the columns it wrote
 * (crosscheck_internal.h describes how they are kept), and later actions
 * overwrite the columns they change: a step's state, an evidence item's
 * holder, a follow-up marked done, a clock's deadline when the awareness
 * time moves.  Rows are named by their number, name or rule, or, for
 * tables without one (decisions, lessons), by their order within the case.
 * The rows are read once, at the end, from the database or from a JSON
 * export (crosscheck_rows.c).
 *
 * Three kinds of column are compared loosely, each for a stated reason:
 * - Times that a row stamps itself with (added_at, decided_at, since, a
 *   step's started_at and done_at, ...) are read from the clock just
 *   before the action's own time, in the same transaction.  So they must
 *   lie within CC_STAMP_WINDOW_US of the action's time_us.
 * - Times given in a body in whole seconds with an offset (a report's
 *   received_at, a milestone's at, the awareness time) are stored with
 *   their microseconds, so the whole seconds must match.
 * - A clock deadline moved by a later awareness time is recomputed from
 *   that body time, which is in whole seconds, so its seconds must match.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <sqlite3.h>

#include "clock.h"
#include "crosscheck_internal.h"
#include "mem.h"
#include "timeutil.h"

/* How far a row's own time stamp may lie from its action's time_us. */
#define CC_STAMP_WINDOW_US (60 * (int64_t)1000000)

static const struct cc_table cc_tables[] = {
	{ "case", CC_KEY_CASE, NULL, false },
	{ "step", CC_KEY_COLUMN, "seq", false },
	{ "case_role", CC_KEY_COLUMN, "role", false },
	{ "evidence", CC_KEY_COLUMN, "number", true },
	{ "observable", CC_KEY_COLUMN, "number", true },
	{ "asset", CC_KEY_COLUMN, "number", true },
	{ "report", CC_KEY_COLUMN, "number", true },
	{ "decision", CC_KEY_ORDER, NULL, true },
	{ "milestone", CC_KEY_COLUMN, "name", true },
	{ "lesson", CC_KEY_ORDER, NULL, true },
	{ "followup", CC_KEY_COLUMN, "id", true },
	{ "clock", CC_KEY_COLUMN, "rule", true },
	{ "drill", CC_KEY_CASE, NULL, false },
};

#define CC_NTABLES (sizeof cc_tables / sizeof cc_tables[0])

const struct cc_table *
cc_table_find(const char *name)
{
	for (size_t i = 0; i < CC_NTABLES; i++)
		if (strcmp(cc_tables[i].name, name) == 0)
			return &cc_tables[i];
	return NULL;
}

/*
 * Records a mismatch: the first goes to the check's result, and every
 * one to the report callback when there is one.
 */
static void cc_mismatch(struct irc_crosscheck *cc, int64_t seq,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
cc_mismatch(struct irc_crosscheck *cc, int64_t seq, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	n = snprintf(line, sizeof line, "case %" PRId64 ": ", cc->case_id);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	cc->mismatches++;
	if (cc->report != NULL)
		cc->report(line, cc->report_data);
	if (!cc->result.ok)
		return;
	cc->result.ok = false;
	cc->result.bad_seq = seq;
	/* The result keeps what fits of the line. */
	n = (int)strnlen(line, sizeof cc->result.reason - 1);
	memcpy(cc->result.reason, line, (size_t)n);
	cc->result.reason[n] = '\0';
}

/* Returns true when the check should stop at the first mismatch. */
static bool
cc_stopped(const struct irc_crosscheck *cc)
{
	return !cc->result.ok && cc->report == NULL;
}

static struct irc_crosscheck *
cc_new(int64_t case_id)
{
	struct irc_crosscheck *cc = irc_xcalloc(1, sizeof *cc);

	cc->case_id = case_id;
	cc->want = json_object();
	cc->rows = json_object();
	cc->result.ok = true;
	return cc;
}

struct irc_crosscheck *
irc_crosscheck_start(struct irc_db *db, int64_t case_id)
{
	struct irc_crosscheck *cc = cc_new(case_id);

	cc->db = db;
	return cc;
}

struct irc_crosscheck *
irc_crosscheck_start_export(const json_t *doc,
    void (*report)(const char *line, void *data), void *data)
{
	struct irc_crosscheck *cc = cc_new(json_integer_value(
	    json_object_get(doc, "number")));

	cc->doc = doc;
	cc->report = report;
	cc->report_data = data;
	return cc;
}

int64_t
irc_crosscheck_mismatches(const struct irc_crosscheck *cc)
{
	return cc->mismatches;
}

void
irc_crosscheck_free(struct irc_crosscheck *cc)
{
	if (cc == NULL)
		return;
	json_decref(cc->want);
	json_decref(cc->rows);
	free(cc->playbook_sha256);
	free(cc);
}

/* ---- what the actions set ---------------------------------------------- */

/* A row being described: its table, label and key, and the action. */
struct cc_row {
	struct irc_crosscheck *cc;
	const struct irc_action *a;
	json_t *cols;			/* the row's object in cc->want */
};

/*
 * Opens the row labelled label in table, creating it with key (stolen,
 * may be NULL) as the action a's record.
 */
static struct cc_row
cc_row_open(struct irc_crosscheck *cc, const struct irc_action *a,
    const char *table, const char *label, json_t *key)
{
	json_t *rows = json_object_get(cc->want, table), *cols;
	struct cc_row r = { cc, a, NULL };

	if (rows == NULL) {
		rows = json_object();
		json_object_set_new(cc->want, table, rows);
	}
	cols = json_object_get(rows, label);
	if (cols == NULL) {
		cols = json_object();
		json_object_set_new(cols, "", key != NULL ? key : json_null());
		json_object_set_new(cols, "@seq", json_integer(a->seq));
		json_object_set_new(cols, "@kind", json_string(a->kind));
		json_object_set_new(rows, label, cols);
	} else {
		json_decref(key);
	}
	r.cols = cols;
	return r;
}

/* Opens a row of a table with a number or name key. */
static struct cc_row
cc_row_keyed(struct irc_crosscheck *cc, const struct irc_action *a,
    const char *table, const json_t *key)
{
	char label[64];

	if (json_is_string(key))
		snprintf(label, sizeof label, "'%.40s'", json_string_value(key));
	else
		snprintf(label, sizeof label, "%" PRId64,
		    (int64_t)json_integer_value(key));
	return cc_row_open(cc, a, table, label, json_deep_copy(key));
}

/* Opens the next row of a table without a key, counting it. */
static struct cc_row
cc_row_next(struct irc_crosscheck *cc, const struct irc_action *a,
    const char *table)
{
	json_int_t n = json_integer_value(json_object_get(cc->rows, table));
	char label[64];

	snprintf(label, sizeof label, "#%" PRId64 " of the case",
	    (int64_t)n + 1);
	return cc_row_open(cc, a, table, label, json_integer(n));
}

/* Counts a row written to a counted table. */
static void
cc_count(struct irc_crosscheck *cc, const char *table)
{
	json_int_t n = json_integer_value(json_object_get(cc->rows, table));

	json_object_set_new(cc->rows, table, json_integer(n + 1));
}

/* Sets column col of row r to want (stolen). */
static void
cc_set(struct cc_row r, const char *col, json_t *want)
{
	json_object_set_new(r.cols, col, json_pack("{s:o, s:I, s:s}", "want",
	    want != NULL ? want : json_null(), "seq", (json_int_t)r.a->seq,
	    "kind", r.a->kind));
}

/* Sets column col to body member m (NULL when missing). */
static void
cc_set_member(struct cc_row r, const char *col, const json_t *body,
    const char *m)
{
	json_t *v = json_object_get(body, m);

	cc_set(r, col, v != NULL ? json_deep_copy(v) : json_null());
}

/* Sets col to a time stamped by the row's own writer. */
static void
cc_set_stamp(struct cc_row r, const char *col)
{
	cc_set(r, col, json_pack("{s:I}", "near_us", (json_int_t)r.a->time_us));
}

/* Parses body member m as a time; false when it is missing or invalid. */
static bool
cc_body_time(const json_t *body, const char *m, int64_t *us, int *offset)
{
	const char *text = json_string_value(json_object_get(body, m));

	return text != NULL && irc_time_parse(text, us, offset, NULL) == IRC_OK;
}

/* Sets col (and offset_col, when not NULL) to a time given in seconds. */
static void
cc_set_seconds(struct cc_row r, const char *col, const char *offset_col,
    const json_t *body, const char *m)
{
	int64_t us;
	int offset;

	if (!cc_body_time(body, m, &us, &offset)) {
		cc_set(r, col, json_null());
		return;
	}
	cc_set(r, col, json_pack("{s:I}", "sec_us", (json_int_t)us));
	if (offset_col != NULL)
		cc_set(r, offset_col, json_integer(offset));
}

/* Sets the columns that record who added a row and when. */
static void
cc_set_added(struct cc_row r, const char *by, const char *at)
{
	cc_set(r, by, json_string(r.a->actor));
	cc_set_stamp(r, at);
}

/* Opens the case row, labelled with the case number. */
static struct cc_row
cc_row_case(struct irc_crosscheck *cc, const struct irc_action *a)
{
	char label[32];

	snprintf(label, sizeof label, "%" PRId64, cc->case_id);
	return cc_row_open(cc, a, "case", label, NULL);
}

static void
cc_case_open(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	struct cc_row r = cc_row_case(cc, a);
	const json_t *kind = json_object_get(body, "kind");
	const json_t *sha = json_object_get(body, "playbook_sha256");

	cc_set_member(r, "title", body, "title");
	cc_set_member(r, "severity", body, "severity");
	cc_set(r, "status", json_string("open"));
	cc_set(r, "kind", json_string(json_is_string(kind) ?
	    json_string_value(kind) : "real"));
	cc_set_member(r, "playbook_path", body, "playbook_path");
	cc_set(r, "description", json_string(""));
	cc_set_stamp(r, "opened_at");
	cc_set(r, "verdict", json_null());
	cc_set(r, "category", json_null());
	cc_set(r, "tlp", json_string("amber"));
	cc_set(r, "pap", json_string("amber"));
	cc_set(r, "aware_at", json_null());
	cc_set(r, "aware_offset", json_null());
	cc_set(r, "closed_at", json_null());
	cc_set(r, "summary", json_null());
	free(cc->playbook_sha256);
	cc->playbook_sha256 = irc_xstrdup(json_is_string(sha) ?
	    json_string_value(sha) : "");
	cc->open_seq = a->seq;
}

/*
 * Moves the deadline of every clock started so far to the one computed
 * from the new awareness time, as irc_clock_restart_tx() does.
 */
static void
cc_clocks_restart(struct irc_crosscheck *cc, const struct irc_action *a,
    int64_t aware_us)
{
	json_t *rows = json_object_get(cc->want, "clock"), *cols;
	const char *label;

	json_object_foreach(rows, label, cols) {
		struct cc_row r = { cc, a, cols };
		json_t *hours = json_object_get(json_object_get(cols, "hours"),
		    "want");
		json_t *months = json_object_get(json_object_get(cols, "months"),
		    "want");

		cc_set(r, "deadline", json_pack("{s:I}", "sec_us",
		    (json_int_t)irc_clock_deadline(aware_us,
		    (int)json_integer_value(hours),
		    (int)json_integer_value(months))));
	}
}

static void
cc_decision(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	struct cc_row r = cc_row_next(cc, a, "decision");
	struct cc_row c = cc_row_case(cc, a);
	int64_t aware;
	int offset;

	cc_count(cc, "decision");
	cc_set_member(r, "verdict", body, "verdict");
	cc_set_member(r, "reason", body, "reason");
	cc_set_member(r, "category", body, "category");
	cc_set_added(r, "decided_by", "decided_at");

	cc_set_member(c, "verdict", body, "verdict");
	if (json_is_string(json_object_get(body, "category")))
		cc_set_member(c, "category", body, "category");
	if (json_is_integer(json_object_get(body, "severity")))
		cc_set_member(c, "severity", body, "severity");
	if (json_is_string(json_object_get(body, "tlp")))
		cc_set_member(c, "tlp", body, "tlp");
	if (json_is_string(json_object_get(body, "pap")))
		cc_set_member(c, "pap", body, "pap");
	if (!cc_body_time(body, "aware_at", &aware, &offset))
		return;
	cc_set_seconds(c, "aware_at", "aware_offset", body, "aware_at");
	if (aware / 1000000 != cc->aware_us / 1000000)
		cc_clocks_restart(cc, a, aware);
	cc->aware_us = aware;
}

static void
cc_case_close(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	struct cc_row c = cc_row_case(cc, a);

	cc_set(c, "status", json_string("closed"));
	cc_set_stamp(c, "closed_at");
	cc_set_member(c, "summary", body, "summary");
}

static void
cc_drill_start(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	char label[32];
	struct cc_row r;

	snprintf(label, sizeof label, "%" PRId64, cc->case_id);
	r = cc_row_open(cc, a, "drill", label, NULL);
	cc_set_member(r, "speed", body, "speed");
	cc_set_stamp(r, "started_at");
	cc_set_member(r, "scenario_title", body, "scenario");
	cc_set_member(r, "scenario_path", body, "scenario_path");
	cc_set_member(r, "scenario_sha256", body, "scenario_sha256");
}

/*
 * A step.state action.  One that follows an approval action of the same
 * step was written by the approval, which sets approval_requested_by
 * itself; any other clears it.
 */
static void
cc_step_state(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body, bool after_approval)
{
	struct cc_row r = cc_row_keyed(cc, a, "step", json_object_get(body,
	    "step"));
	const char *to = json_string_value(json_object_get(body, "to"));
	json_t *started = json_object_get(json_object_get(r.cols,
	    "started_at"), "want");

	if (to == NULL)
		return;
	cc_set(r, "state", json_string(to));
	if (strcmp(to, "active") == 0 && (started == NULL ||
	    json_is_null(started)))
		cc_set_stamp(r, "started_at");
	else if (started == NULL)
		cc_set(r, "started_at", json_null());
	if (strcmp(to, "done") == 0 || (!after_approval &&
	    (strcmp(to, "skipped") == 0 || strcmp(to, "not_applicable") == 0)))
		cc_set_stamp(r, "done_at");
	else
		cc_set(r, "done_at", json_null());
	if (!after_approval)
		cc_set(r, "approval_requested_by", json_null());
}

/* step.approval_request and step.approve. */
static void
cc_step_approval(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	struct cc_row r = cc_row_keyed(cc, a, "step", json_object_get(body,
	    "step"));
	json_t *started = json_object_get(json_object_get(r.cols,
	    "started_at"), "want");

	if (strcmp(a->kind, "step.approve") == 0) {
		cc_set(r, "approval_requested_by", json_null());
		cc_set_stamp(r, "done_at");
		return;
	}
	cc_set_member(r, "approval_requested_by", body, "requested_by");
	cc_set(r, "done_at", json_null());
	if (started == NULL || json_is_null(started))
		cc_set_stamp(r, "started_at");
}

static void
cc_role_assign(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	struct cc_row r = cc_row_keyed(cc, a, "case_role",
	    json_object_get(body, "role"));

	cc_set_member(r, "person", body, "to");
	cc_set_stamp(r, "since");
}

static void
cc_report_add(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	struct cc_row r = cc_row_keyed(cc, a, "report", json_object_get(body,
	    "number"));

	cc_count(cc, "report");
	cc_set_member(r, "reporter", body, "by");
	cc_set_member(r, "channel", body, "channel");
	cc_set_member(r, "text", body, "text");
	cc_set_seconds(r, "received_at", "received_offset", body,
	    "received_at");
	cc_set_added(r, "added_by", "added_at");
}

static void
cc_milestone(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	struct cc_row r = cc_row_keyed(cc, a, "milestone",
	    json_object_get(body, "milestone"));
	const json_t *note = json_object_get(body, "note");

	cc_count(cc, "milestone");
	cc_set_member(r, "name", body, "milestone");
	cc_set_seconds(r, "at", "at_offset", body, "at");
	cc_set(r, "note", json_string(json_is_string(note) ?
	    json_string_value(note) : ""));
	cc_set_added(r, "recorded_by", "recorded_at");
}

/* lesson.add and lesson.waive, whose reason is the text of a waiver. */
static void
cc_lesson(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	struct cc_row r = cc_row_next(cc, a, "lesson");
	bool waiver = strcmp(a->kind, "lesson.waive") == 0;

	cc_count(cc, "lesson");
	if (waiver)
		cc_set(r, "kind", json_string("waiver"));
	else
		cc_set_member(r, "kind", body, "lesson");
	cc_set_member(r, "text", body, waiver ? "reason" : "text");
	cc_set_added(r, "added_by", "added_at");
}

static void
cc_followup(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	struct cc_row r = cc_row_keyed(cc, a, "followup",
	    json_object_get(body, "followup"));

	if (strcmp(a->kind, "followup.done") == 0) {
		cc_set(r, "state", json_string("done"));
		cc_set(r, "done_by", json_string(a->actor));
		cc_set_stamp(r, "done_at");
		cc_set_member(r, "done_note", body, "note");
		return;
	}
	cc_count(cc, "followup");
	cc_set_member(r, "owner", body, "owner");
	cc_set_member(r, "due", body, "due");
	cc_set_member(r, "text", body, "text");
	cc_set(r, "state", json_string("open"));
	cc_set_added(r, "added_by", "added_at");
	cc_set(r, "done_by", json_null());
	cc_set(r, "done_at", json_null());
	cc_set(r, "done_note", json_null());
}

static void
cc_evidence(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	static const char *const copied[] = {
		"name", "path", "size", "sha256", "description", "location",
	};
	struct cc_row r = cc_row_keyed(cc, a, "evidence",
	    json_object_get(body, "evidence"));

	if (strcmp(a->kind, "evidence.transfer") == 0) {
		cc_set_member(r, "holder", body, "to");
		return;
	}
	cc_count(cc, "evidence");
	for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++)
		cc_set_member(r, copied[i], body, copied[i]);
	cc_set(r, "holder", json_string(a->actor));
	cc_set_added(r, "added_by", "added_at");
}

static void
cc_observable(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	static const char *const copied[] = {
		"type", "value", "tlp", "ioc", "tags",
	};
	struct cc_row r = cc_row_keyed(cc, a, "observable",
	    json_object_get(body, "observable"));

	cc_count(cc, "observable");
	for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++)
		cc_set_member(r, copied[i], body, copied[i]);
	cc_set_added(r, "added_by", "added_at");
}

static void
cc_asset(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	static const char *const copied[] = {
		"inventory_id", "name", "owner", "classification",
	};
	struct cc_row r = cc_row_keyed(cc, a, "asset", json_object_get(body,
	    "asset"));

	cc_count(cc, "asset");
	for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++)
		cc_set_member(r, copied[i], body, copied[i]);
	cc_set_added(r, "added_by", "added_at");
}

static void
cc_clock(struct irc_crosscheck *cc, const struct irc_action *a,
    const json_t *body)
{
	struct cc_row r = cc_row_keyed(cc, a, "clock", json_object_get(body,
	    "rule"));
	int64_t deadline;
	int offset;

	if (strcmp(a->kind, "clock.notify") == 0) {
		cc_set_member(r, "notified_to", body, "to");
		cc_set_member(r, "notified_ref", body, "ref");
		cc_set_seconds(r, "notified_at", "notified_offset", body, "at");
		return;
	}
	cc_count(cc, "clock");
	cc_set_member(r, "rule", body, "rule");
	cc_set_member(r, "hours", body, "hours");
	cc_set_member(r, "months", body, "months");
	cc_set(r, "deadline", cc_body_time(body, "deadline", &deadline,
	    &offset) ? json_integer(deadline) : json_null());
	cc_set_added(r, "started_by", "started_at");
	cc_set(r, "notified_to", json_null());
	cc_set(r, "notified_ref", json_null());
	cc_set(r, "notified_at", json_null());
	cc_set(r, "notified_offset", json_null());
}

typedef void cc_kind_fn(struct irc_crosscheck *, const struct irc_action *,
    const json_t *);

static const struct {
	const char *kind;
	cc_kind_fn *fn;
} cc_kinds[] = {
	{ "case.open", cc_case_open },
	{ "decision", cc_decision },
	{ "case.close", cc_case_close },
	{ "drill.start", cc_drill_start },
	{ "step.approval_request", cc_step_approval },
	{ "step.approve", cc_step_approval },
	{ "role.assign", cc_role_assign },
	{ "report.add", cc_report_add },
	{ "milestone", cc_milestone },
	{ "lesson.add", cc_lesson },
	{ "lesson.waive", cc_lesson },
	{ "followup.add", cc_followup },
	{ "followup.done", cc_followup },
	{ "evidence.add", cc_evidence },
	{ "evidence.transfer", cc_evidence },
	{ "observable.add", cc_observable },
	{ "asset.add", cc_asset },
	{ "clock.start", cc_clock },
	{ "clock.notify", cc_clock },
};

#define CC_NKINDS (sizeof cc_kinds / sizeof cc_kinds[0])

enum irc_status
irc_crosscheck_add(struct irc_crosscheck *cc, const struct irc_action *a,
    struct irc_error *err)
{
	bool after_approval = cc->approval_seq != 0 &&
	    cc->approval_seq == a->step_seq;
	cc_kind_fn *fn = NULL;
	json_t *body;

	(void)err;
	cc->approval_seq = 0;
	if (cc_stopped(cc))
		return IRC_OK;
	if (strcmp(a->kind, "step.state") != 0) {
		/* Notes, the most common kind, are not parsed. */
		for (size_t i = 0; i < CC_NKINDS && fn == NULL; i++)
			if (strcmp(cc_kinds[i].kind, a->kind) == 0)
				fn = cc_kinds[i].fn;
		if (fn == NULL)
			return IRC_OK;
	}
	body = json_loads(a->body, 0, NULL);
	if (json_is_object(body)) {
		if (fn != NULL)
			fn(cc, a, body);
		else
			cc_step_state(cc, a, body, after_approval);
	}
	if (strncmp(a->kind, "step.appro", 10) == 0)
		cc->approval_seq = a->step_seq;
	json_decref(body);
	return IRC_OK;
}

/* ---- comparing the rows ------------------------------------------------ */

/*
 * Returns true when have, a column as the source read it, matches want:
 * the same string bytes, integer, boolean (also as 0 or 1) or array, and
 * NULL or "" for null.  The objects that cc_set_stamp() and
 * cc_set_seconds() make match a time within the window or in the same
 * whole second.
 */
static bool
cc_value_matches(const json_t *want, const json_t *have)
{
	const json_t *t;

	if (json_is_object(want)) {
		if ((t = json_object_get(want, "near_us")) != NULL)
			return json_is_integer(have) &&
			    llabs(json_integer_value(have) -
			    json_integer_value(t)) <= CC_STAMP_WINDOW_US;
		if ((t = json_object_get(want, "sec_us")) != NULL)
			return json_is_integer(have) &&
			    json_integer_value(have) / 1000000 ==
			    json_integer_value(t) / 1000000;
		return json_equal(want, have);
	}
	if (json_is_null(want))
		return json_is_null(have) || (json_is_string(have) &&
		    json_string_length(have) == 0);
	if (json_is_boolean(want) && json_is_integer(have))
		return (json_integer_value(have) != 0) == json_is_true(want);
	if (json_is_string(want) && json_is_null(have))
		return json_string_length(want) == 0;
	return json_equal(want, have);
}

/* Compares one row that the actions set with the source's row. */
static enum irc_status
cc_check_row(struct irc_crosscheck *cc, const struct cc_table *t,
    const char *label, json_t *cols, struct irc_error *err)
{
	json_t *row = NULL, *spec;
	const char *col;
	enum irc_status st;

	if ((st = cc_source_row(cc, t, json_object_get(cols, ""), &row,
	    err)) != IRC_OK)
		return st;
	if (row == NULL) {
		cc_mismatch(cc, json_integer_value(json_object_get(cols, "@seq")),
		    "table %s has no row %s, which action seq %" PRId64 " (%s) "
		    "recorded: the row was removed", t->name, label,
		    (int64_t)json_integer_value(json_object_get(cols, "@seq")),
		    json_string_value(json_object_get(cols, "@kind")));
		return IRC_OK;
	}
	json_object_foreach(cols, col, spec) {
		json_t *have = json_object_get(row, col);
		json_t *want = json_object_get(spec, "want");
		int64_t seq = json_integer_value(json_object_get(spec, "seq"));

		/* The key, the row's own notes, and columns the source lacks. */
		if (*col == '\0' || *col == '@' || have == NULL ||
		    cc_value_matches(want, have))
			continue;
		if (strcmp(t->name, "step") == 0 && strcmp(col, "state") == 0 &&
		    json_is_string(have))
			cc_mismatch(cc, seq, "table step row %s field state reads "
			    "%.16s but its step.state actions leave it %s: the "
			    "record was changed", label, json_string_value(have),
			    json_string_value(want));
		else
			cc_mismatch(cc, seq, "table %s row %s field %s does not "
			    "match action seq %" PRId64 " (%s): the record was "
			    "changed", t->name, label, col, seq,
			    json_string_value(json_object_get(spec, "kind")));
		if (cc_stopped(cc))
			break;
	}
	json_decref(row);
	return IRC_OK;
}

/*
 * Compares a step that no action touched with its initial state.  Called
 * for each step row of the source.
 */
static bool
cc_check_untouched_step(struct irc_crosscheck *cc, const json_t *key,
    json_t *row)
{
	static const char *const empty[] = {
		"started_at", "done_at", "approval_requested_by",
	};
	json_t *steps = json_object_get(cc->want, "step");
	const char *state = json_string_value(json_object_get(row, "state"));
	char label[32];

	snprintf(label, sizeof label, "%" PRId64,
	    (int64_t)json_integer_value(key));
	if (json_object_get(steps, label) != NULL)
		return true;
	if (state != NULL && strcmp(state, "pending") != 0) {
		cc_mismatch(cc, 0, "table step row %s field state reads %.16s but "
		    "its step.state actions leave it pending: the record was "
		    "changed", label, state);
		return !cc_stopped(cc);
	}
	for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
		json_t *have = json_object_get(row, empty[i]);

		if (have != NULL && !cc_value_matches(json_null(), have)) {
			cc_mismatch(cc, 0, "table step row %s field %s is set but "
			    "no action set it: the record was changed", label,
			    empty[i]);
			return !cc_stopped(cc);
		}
	}
	return true;
}

/* Compares the number of rows in each counted table with its actions. */
static enum irc_status
cc_check_counts(struct irc_crosscheck *cc, struct irc_error *err)
{
	const struct cc_table *role = cc_table_find("case_role");
	int64_t n, want;
	enum irc_status st;

	for (size_t i = 0; i < CC_NTABLES && !cc_stopped(cc); i++) {
		const struct cc_table *t = &cc_tables[i];

		if (!t->counted)
			continue;
		if ((st = cc_source_count(cc, t, &n, err)) != IRC_OK)
			return st;
		want = json_integer_value(json_object_get(cc->rows, t->name));
		if (n >= 0 && n != want)
			cc_mismatch(cc, 0, "table %s has %" PRId64 " rows but its "
			    "actions wrote %" PRId64 ": a row was added or removed",
			    t->name, n, want);
	}
	if (cc_stopped(cc))
		return IRC_OK;
	if ((st = cc_source_count(cc, role, &n, err)) != IRC_OK)
		return st;
	want = (int64_t)json_object_size(json_object_get(cc->want,
	    "case_role"));
	if (n >= 0 && n != want)
		cc_mismatch(cc, 0, "table case_role has %" PRId64 " rows but the "
		    "role.assign actions name %" PRId64 " roles: a row was added "
		    "or removed", n, want);
	return IRC_OK;
}

/* Writes the SHA-256 of column col of stmt's row to hex; false on error. */
static bool
cc_column_sha256(sqlite3_stmt *stmt, int col, char hex[IRC_HASH_HEX])
{
	static const char hexd[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (EVP_Digest(sqlite3_column_blob(stmt, col),
	    (size_t)sqlite3_column_bytes(stmt, col), md, &mdlen, EVP_sha256(),
	    NULL) != 1 || mdlen != 32)
		return false;
	for (unsigned int i = 0; i < mdlen; i++) {
		hex[2 * i] = hexd[md[i] >> 4];
		hex[2 * i + 1] = hexd[md[i] & 0xf];
	}
	hex[64] = '\0';
	return true;
}

/*
 * Recomputes the SHA-256 of the case's playbook snapshot and compares it
 * with the snapshot's sha256 column and with case.open's playbook_sha256.
 */
static enum irc_status
cc_check_snapshot(struct irc_crosscheck *cc, struct irc_error *err)
{
	char hex[IRC_HASH_HEX];
	sqlite3_stmt *stmt;
	const char *stored;
	int64_t id;

	if (sqlite3_prepare_v2(irc_db_handle(cc->db), "SELECT s.id, s.sha256,"
	    " s.text FROM playbook_snapshot s JOIN \"case\" c"
	    " ON c.playbook_id = s.id WHERE c.id = ?1", -1, &stmt, NULL) !=
	    SQLITE_OK)
		return irc_db_fail(cc->db, err, "cannot read the case records");
	sqlite3_bind_int64(stmt, 1, cc->case_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		cc_mismatch(cc, 0, "table playbook_snapshot has no row for the "
		    "case: the record was removed");
		goto out;
	}
	id = sqlite3_column_int64(stmt, 0);
	stored = (const char *)sqlite3_column_text(stmt, 1);
	if (!cc_column_sha256(stmt, 2, hex)) {
		sqlite3_finalize(stmt);
		return irc_fail(err, IRC_ERR_IO, "cannot compute SHA-256");
	}
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

/*
 * Compares a drill's stored scenario text with its scenario_sha256, which
 * the row check compares with drill.start's body.
 */
static enum irc_status
cc_check_scenario(struct irc_crosscheck *cc, struct irc_error *err)
{
	char hex[IRC_HASH_HEX];
	sqlite3_stmt *stmt;
	const char *stored;

	if (sqlite3_prepare_v2(irc_db_handle(cc->db), "SELECT scenario_sha256,"
	    " scenario_text FROM drill WHERE case_id = ?1"
	    " AND scenario_text IS NOT NULL", -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(cc->db, err, "cannot read the drill");
	sqlite3_bind_int64(stmt, 1, cc->case_id);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		stored = (const char *)sqlite3_column_text(stmt, 0);
		if (!cc_column_sha256(stmt, 1, hex)) {
			sqlite3_finalize(stmt);
			return irc_fail(err, IRC_ERR_IO, "cannot compute SHA-256");
		}
		if (stored == NULL || strcmp(stored, hex) != 0)
			cc_mismatch(cc, 0, "table drill row %" PRId64 " field "
			    "scenario_text does not match its scenario_sha256: the "
			    "record was changed", cc->case_id);
	}
	sqlite3_finalize(stmt);
	return IRC_OK;
}

/* Compares every row that the actions set, in the order of cc_tables. */
static enum irc_status
cc_check_rows(struct irc_crosscheck *cc, struct irc_error *err)
{
	enum irc_status st;

	for (size_t i = 0; i < CC_NTABLES && !cc_stopped(cc); i++) {
		json_t *rows = json_object_get(cc->want, cc_tables[i].name), *cols;
		const char *label;

		json_object_foreach(rows, label, cols) {
			if ((st = cc_check_row(cc, &cc_tables[i], label, cols,
			    err)) != IRC_OK)
				return st;
			if (cc_stopped(cc))
				break;
		}
	}
	return IRC_OK;
}

enum irc_status
irc_crosscheck_finish(struct irc_crosscheck *cc, struct irc_verify_result *r,
    struct irc_error *err)
{
	enum irc_status st = IRC_OK;

	if (cc->playbook_sha256 == NULL)
		cc_mismatch(cc, 0, "the log has no case.open action");
	if (!cc_stopped(cc) && cc->db != NULL)
		st = cc_check_snapshot(cc, err);
	if (st == IRC_OK && !cc_stopped(cc) && cc->db != NULL)
		st = cc_check_scenario(cc, err);
	if (st == IRC_OK && !cc_stopped(cc))
		st = cc_check_rows(cc, err);
	if (st == IRC_OK && !cc_stopped(cc))
		st = cc_source_each(cc, cc_table_find("step"),
		    cc_check_untouched_step, err);
	if (st == IRC_OK && !cc_stopped(cc))
		st = cc_check_counts(cc, err);
	if (st != IRC_OK)
		return st;
	if (r->ok && !cc->result.ok) {
		r->ok = false;
		r->bad_seq = cc->result.bad_seq;
		r->bad_action_id = 0;
		snprintf(r->reason, sizeof r->reason, "%s", cc->result.reason);
	}
	return IRC_OK;
}
