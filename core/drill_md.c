/*
 * drill_md.c: the after-action report as Markdown, and a drill scenario
 * written from the log of a past case.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "drill.h"
#include "mem.h"
#include "metrics.h"
#include "playbook.h"
#include "sanitize.h"
#include "timeutil.h"

/* Widest bar of the trend chart, in characters. */
#define TREND_WIDTH 40

/* Formats a drill time offset or duration, "-" when the value is null. */
static const char *
md_us(const json_t *v, char *buf, size_t size)
{
	if (!json_is_integer(v))
		return "-";
	return irc_duration(json_integer_value(v), buf, size);
}

static const char *
md_offset(const json_t *v, char *buf, size_t size)
{
	if (!json_is_integer(v))
		return "-";
	return irc_scenario_offset_format(json_integer_value(v), false, buf,
	    size);
}

static const char *
md_met(const json_t *v)
{
	if (!json_is_boolean(v))
		return "";
	return json_is_true(v) ? "met" : "MISSED";
}

/* Returns the text of a phase's outcome for the table, "" for none. */
static const char *
md_outcome(const json_t *v)
{
	const char *outcome = json_string_value(v);

	if (outcome == NULL)
		return "";
	return strcmp(outcome, "missed") == 0 ? "MISSED" : outcome;
}

/* Returns text for a table cell: one line, '|' escaped (caller frees). */
static char *
md_cell(const char *text)
{
	char *clean = irc_sanitize_str(text != NULL ? text : "", 0);
	struct irc_buf b = { NULL, 0, 0 };

	irc_buf_addf(&b, "%s", "");
	for (const char *p = clean; *p != '\0'; p++) {
		if (*p == '|')
			irc_buf_addf(&b, "\\|");
		else if (*p == '\n')
			irc_buf_addf(&b, " ");
		else
			irc_buf_addf(&b, "%c", *p);
	}
	free(clean);
	return b.data;
}

static void
md_phases(struct irc_buf *b, const json_t *r)
{
	char d[32], t[32];
	size_t i;
	json_t *row;

	irc_buf_addf(b, "\n## Time per phase\n\n| Phase | Steps closed | Time |"
	    " Target | Outcome |\n| --- | --- | --- | --- | --- |\n");
	json_array_foreach(json_object_get(r, "phases"), i, row)
		irc_buf_addf(b, "| %s | %lld/%lld | %s | %s | %s |\n",
		    json_string_value(json_object_get(row, "name")),
		    json_integer_value(json_object_get(row, "closed")),
		    json_integer_value(json_object_get(row, "steps")),
		    md_us(json_object_get(row, "duration_us"), d, sizeof d),
		    md_us(json_object_get(row, "target_us"), t, sizeof t),
		    md_outcome(json_object_get(row, "outcome")));
}

static void
md_steps(struct irc_buf *b, const json_t *r)
{
	char s[32], c[32], d[32], t[32];
	size_t i;
	json_t *row;

	irc_buf_addf(b, "\n## Time per step\n\n| # | Step | State | Started |"
	    " Closed | Time | Target | |\n| --- | --- | --- | --- | --- | --- |"
	    " --- | --- |\n");
	json_array_foreach(json_object_get(r, "steps"), i, row) {
		char *title = md_cell(json_string_value(json_object_get(row,
		    "title")));

		irc_buf_addf(b, "| %lld | %s | %s | %s | %s | %s | %s | %s |\n",
		    json_integer_value(json_object_get(row, "step")), title,
		    json_string_value(json_object_get(row, "state")),
		    md_offset(json_object_get(row, "started_us"), s, sizeof s),
		    md_offset(json_object_get(row, "closed_us"), c, sizeof c),
		    md_us(json_object_get(row, "duration_us"), d, sizeof d),
		    md_us(json_object_get(row, "target_us"), t, sizeof t),
		    md_met(json_object_get(row, "met")));
		free(title);
	}
}

static void
md_skipped(struct irc_buf *b, const json_t *r)
{
	const json_t *list = json_object_get(r, "skipped");
	size_t i;
	json_t *row;

	irc_buf_addf(b, "\n## Steps not done\n\n");
	if (json_array_size(list) == 0) {
		irc_buf_addf(b, "Every step was done.\n");
		return;
	}
	json_array_foreach(list, i, row) {
		char *title = md_cell(json_string_value(json_object_get(row,
		    "title")));
		char *reason = md_cell(json_string_value(json_object_get(row,
		    "reason")));

		irc_buf_addf(b, "- Step %lld, %s: %s%s%s\n",
		    json_integer_value(json_object_get(row, "step")), title,
		    json_string_value(json_object_get(row, "state")),
		    reason[0] ? ", because: " : ", no reason given", reason);
		free(title);
		free(reason);
	}
}

static void
md_injects(struct irc_buf *b, const json_t *r)
{
	const json_t *list = json_object_get(r, "injects");
	char due[32], got[32], react[32], exp[32];
	size_t i;
	json_t *row;

	irc_buf_addf(b, "\n## Injects\n\n");
	if (json_array_size(list) == 0) {
		irc_buf_addf(b, "The drill ran no injects.\n");
		return;
	}
	irc_buf_addf(b, "| # | Due | Delivered | Inject | Reaction | First action |"
	    " Expected step closed after |\n| --- | --- | --- | --- | --- | ---"
	    " | --- |\n");
	json_array_foreach(list, i, row) {
		char *text = md_cell(json_string_value(json_object_get(row,
		    "text")));
		const char *kind = json_string_value(json_object_get(row,
		    "reaction_kind"));

		irc_buf_addf(b, "| %lld | %s | %s | %s | %s | %s | %s |\n",
		    json_integer_value(json_object_get(row, "index")),
		    md_offset(json_object_get(row, "due_us"), due, sizeof due),
		    md_offset(json_object_get(row, "delivered_us"), got,
		    sizeof got), text,
		    md_us(json_object_get(row, "reaction_us"), react,
		    sizeof react), kind != NULL ? kind : "-",
		    md_us(json_object_get(row, "expect_closed_us"), exp,
		    sizeof exp));
		free(text);
	}
}

static void
md_clocks(struct irc_buf *b, const json_t *r)
{
	const json_t *list = json_object_get(r, "clocks");
	char a[32], d[32], n[32];
	size_t i;
	json_t *row;

	irc_buf_addf(b, "\n## Notification clocks in drill time\n\n");
	if (json_array_size(list) == 0) {
		irc_buf_addf(b, "No clock was started.\n");
		return;
	}
	irc_buf_addf(b, "| Clock | Aware | Deadline | Notified | |\n| --- | --- |"
	    " --- | --- | --- |\n");
	json_array_foreach(list, i, row)
		irc_buf_addf(b, "| %s | %s | %s | %s | %s |\n",
		    json_string_value(json_object_get(row, "rule")),
		    md_offset(json_object_get(row, "aware_us"), a, sizeof a),
		    md_offset(json_object_get(row, "deadline_us"), d, sizeof d),
		    md_offset(json_object_get(row, "notified_us"), n, sizeof n),
		    json_is_null(json_object_get(row, "notified_us")) ?
		    "not sent" : md_met(json_object_get(row, "met")));
}

static void
md_history(struct irc_buf *b, const json_t *r)
{
	const json_t *list = json_object_get(r, "history");
	int64_t longest = 1;
	char d[32], c[32], m[32];
	size_t i;
	json_t *row;

	/* The history ends with this drill, so the trend compares it. */
	irc_buf_addf(b, "\n## This drill and earlier drills of this playbook\n\n"
	    "| Case | Started | Duration | Time to contain | Mean reaction |"
	    " Not done |\n| --- | --- | --- | --- | --- | --- |\n");
	json_array_foreach(list, i, row) {
		int64_t v = json_integer_value(json_object_get(row,
		    "duration_us"));
		json_int_t number = json_integer_value(json_object_get(row,
		    "case"));

		if (v > longest)
			longest = v;
		irc_buf_addf(b, "| #%lld%s | %s | %s | %s | %s | %lld |\n",
		    number, number == json_integer_value(json_object_get(r,
		    "case")) ? " (this drill)" : "",
		    json_string_value(json_object_get(row, "started_at")),
		    md_us(json_object_get(row, "duration_us"), d, sizeof d),
		    md_us(json_object_get(row, "time_to_contain_us"), c,
		    sizeof c),
		    md_us(json_object_get(row, "mean_reaction_us"), m, sizeof m),
		    json_integer_value(json_object_get(row, "skipped")));
	}
	irc_buf_addf(b, "\nDuration trend, oldest first:\n\n```\n");
	json_array_foreach(list, i, row) {
		int64_t v = json_integer_value(json_object_get(row,
		    "duration_us"));
		int width = v > 0 ? (int)(v * TREND_WIDTH / longest) : 0;

		irc_buf_addf(b, "#%-5lld %-*.*s%s %s\n",
		    json_integer_value(json_object_get(row, "case")),
		    TREND_WIDTH, width, "########################################",
		    "", md_us(json_object_get(row, "duration_us"), d, sizeof d));
	}
	irc_buf_addf(b, "```\n");
}

char *
irc_drill_report_md(const json_t *r)
{
	struct irc_buf b = { NULL, 0, 0 };
	const char *sc = json_string_value(json_object_get(r, "scenario"));
	char *title = md_cell(json_string_value(json_object_get(r, "title")));
	char dur[32], contain[32], react[32];

	irc_buf_addf(&b, "# %sAfter-action report: #%lld %s\n\n",
	    strcmp(json_string_value(json_object_get(r, "kind")), "drill") == 0 ?
	    "DRILL " : "", json_integer_value(json_object_get(r, "case")),
	    title);
	free(title);
	irc_buf_addf(&b, "- Kind: %s\n- Playbook: %s\n- Scenario: %s\n- Speed: %lld"
	    " drill seconds per wall second\n- Started: %s\n- Status: %s\n"
	    "- Drill time: %s\n- Time to contain: %s\n- Mean reaction to an"
	    " inject: %s\n",
	    json_string_value(json_object_get(r, "kind")),
	    json_string_value(json_object_get(r, "playbook")),
	    sc != NULL ? sc : "none",
	    json_integer_value(json_object_get(r, "speed")),
	    json_string_value(json_object_get(r, "started_at")),
	    json_string_value(json_object_get(r, "status")),
	    md_us(json_object_get(r, "duration_us"), dur, sizeof dur),
	    md_us(json_object_get(json_object_get(r, "times"),
	    "time_to_contain_us"), contain, sizeof contain),
	    md_us(json_object_get(r, "mean_reaction_us"), react, sizeof react));
	md_phases(&b, r);
	md_steps(&b, r);
	md_skipped(&b, r);
	md_injects(&b, r);
	md_clocks(&b, r);
	md_history(&b, r);
	return b.data;
}

/* Returns text sanitised and on one line (caller frees). */
static char *
one_line(const char *text)
{
	char *clean = irc_sanitize_str(text != NULL ? text : "", 0);

	for (char *p = clean; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	return clean;
}

/* Writes an inject for a report or observable action of a past case. */
static void
scenario_inject(struct irc_buf *b, const struct irc_action *a, int64_t opened)
{
	json_t *body = json_loads(a->body != NULL ? a->body : "{}", 0, NULL);
	const char *type = json_string_value(json_object_get(body, "type"));
	const char *value = json_string_value(json_object_get(body, "value"));
	char *text = NULL, *obs = NULL, *line;
	char off[32];

	if (strcmp(a->kind, "report.add") == 0) {
		const char *by = json_string_value(json_object_get(body, "by"));
		const char *ch = json_string_value(json_object_get(body,
		    "channel"));
		const char *what = json_string_value(json_object_get(body,
		    "text"));

		text = irc_xasprintf("%s reports through %s: %s", by ? by : "?",
		    ch ? ch : "?", what ? what : "");
	} else if (strcmp(a->kind, "observable.add") == 0 && type != NULL &&
	    value != NULL) {
		text = irc_xasprintf("A new %s is seen: %s", type, value);
		obs = irc_xasprintf("%s %s", type, value);
	}
	if (text != NULL) {
		irc_scenario_offset_format(a->time_us > opened ?
		    a->time_us - opened : 0, false, off, sizeof off);
		line = one_line(text);
		irc_buf_addf(b, "- %s: %s\n", off, line);
		free(line);
	}
	if (obs != NULL) {
		line = one_line(obs);
		irc_buf_addf(b, "  - observable: %s\n", line);
		free(line);
	}
	free(text);
	free(obs);
	json_decref(body);
}

/*
 * Returns the playbook path to write in a scenario (caller frees), one
 * that irc_scenario_playbook_path() resolves from any folder.  It is the
 * file name alone when a search path folder given as an absolute path
 * contains this same file, else the file's absolute path.  A
 * playbook that no longer exists where the case opened it is named by
 * its file name when the search path has one of that name, else as
 * stored.
 */
static char *
scenario_playbook(const char *stored)
{
	const char *slash = strrchr(stored, '/');
	const char *base = slash != NULL ? slash + 1 : stored;
	char *real = realpath(stored, NULL), *named = NULL;
	char **paths = NULL;
	size_t n = 0;

	if (irc_playbook_find(&paths, &n, NULL) == IRC_OK) {
		for (size_t i = 0; i < n && named == NULL; i++) {
			const char *p = paths[i], *ps = strrchr(p, '/');
			char *pr;

			if (p[0] != '/' ||
			    strcmp(ps != NULL ? ps + 1 : p, base) != 0)
				continue;
			pr = realpath(p, NULL);
			if (real == NULL ||
			    (pr != NULL && strcmp(pr, real) == 0))
				named = irc_xstrdup(base);
			free(pr);
		}
		irc_playbook_paths_free(paths);
	}
	if (named == NULL)
		named = irc_xstrdup(real != NULL ? real : stored);
	free(real);
	return named;
}

enum irc_status
irc_drill_scenario_from_case(struct irc_db *db, int64_t case_id, char **out,
    struct irc_error *err)
{
	struct irc_case *c = NULL;
	struct irc_metrics m;
	struct irc_buf b = { NULL, 0, 0 };
	char *title, *path, *resolved;
	size_t before;
	enum irc_status st;

	*out = NULL;
	if ((st = irc_case_load(db, case_id, &c, err)) != IRC_OK)
		return st;
	irc_metrics_compute(c, &m);
	/* YAML double-quoted scalars: no '"' or '\\' inside. */
	title = one_line(c->sum.title);
	resolved = scenario_playbook(c->playbook_path);
	path = one_line(resolved);
	free(resolved);
	for (char *p = title; *p != '\0'; p++)
		if (*p == '"' || *p == '\\')
			*p = '\'';
	for (char *p = path; *p != '\0'; p++)
		if (*p == '"' || *p == '\\')
			*p = '_';
	irc_buf_addf(&b, "---\ntitle: \"Rehearsal of case %" PRId64 ": %s\"\n"
	    "playbook: \"%s\"\ntargets:\n", case_id, title, path);
	free(title);
	free(path);
	for (int p = 0; p < IRC_PHASE_COUNT; p++) {
		char d[32];

		if (m.phase[p] > 0)
			irc_buf_addf(&b, "  %s: %s\n", irc_phase_key(p),
			    irc_scenario_offset_format(m.phase[p], true, d,
			    sizeof d));
	}
	irc_buf_addf(&b, "---\n\n## Injects\n\nWritten from the log of case %" PRId64
	    ": its reports and observables, at the offsets they were recorded"
	    " after the case opened.\n\n", case_id);
	before = b.len;
	for (size_t i = 0; i < c->nactions; i++)
		scenario_inject(&b, &c->actions[i], c->sum.opened_at);
	if (b.len == before)
		irc_buf_addf(&b, "- T+0m: Case %" PRId64 " opens: the log holds no"
		    " report or observable to replay.\n", case_id);
	irc_case_free(c);
	*out = b.data;
	return IRC_OK;
}
