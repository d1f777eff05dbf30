/*
 * screen_new.c: starting a case in three stages: pick a playbook, type a
 * title, choose a severity.  A drill adds two more: pick a scenario that
 * names the chosen playbook (or none), then type the drill clock's speed.
 * The case is created only after the last stage, as "ircase new" or
 * "ircase drill start" would create it, and then the case view opens in
 * place of this screen.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "config.h"
#include "drill.h"
#include "input.h"
#include "keys.h"
#include "mem.h"
#include "playbook.h"
#include "scenario.h"
#include "screen.h"
#include "text.h"

enum new_stage {
	NEW_PICK,
	NEW_TITLE,
	NEW_SEVERITY,
	NEW_SCENARIO,		/* drills only */
	NEW_SPEED,		/* drills only */
};

/* A scenario file from irc_scenario_find(). */
struct new_scenario {
	char *path;
	struct irc_scenario *sc;	/* NULL where loading failed */
	char *playbook;		/* real path of the playbook it names, or NULL */
};

struct new_screen {
	char **paths;		/* from irc_playbook_find() */
	size_t count;
	struct irc_playbook **books;	/* NULL where loading failed */
	char **errors;		/* the load error of each failed file */
	char (*lint)[32];	/* "ok", "2 warnings", "1 error" per book */
	size_t sel, top;
	enum new_stage stage;
	struct tui_input title;
	int severity;
	bool drill;		/* start a drill case instead of a real one */
	struct new_scenario *scens;
	size_t nscens;
	size_t *matches;	/* scens naming the chosen playbook */
	size_t nmatches;
	size_t scen_sel, scen_top;	/* 0 is "no scenario", k is matches[k-1] */
	struct tui_input speed;
	char message[IRC_ERROR_MAX];
	bool error;
};

/* Writes "ok", "N errors" or "N warnings" for pb to out (32 bytes). */
static void new_lint_summary(const struct irc_playbook *pb, char out[32])
{
	struct irc_pb_diag *diags = NULL;
	size_t n = 0, errors = 0;

	irc_playbook_lint(pb, &diags, &n);
	for (size_t k = 0; k < n; k++)
		errors += diags[k].error;
	if (errors > 0)
		snprintf(out, 32, "%zu error%s", errors, errors == 1 ? "" : "s");
	else if (n > 0)
		snprintf(out, 32, "%zu warning%s", n, n == 1 ? "" : "s");
	else
		snprintf(out, 32, "ok");
	irc_playbook_diags_free(diags, n);
}

static void new_message(struct new_screen *ns, bool error, const char *text)
{
	snprintf(ns->message, sizeof(ns->message), "%s", text);
	ns->error = error;
}

/*
 * Loads every scenario on the search path and resolves the playbook each
 * one names, as "ircase drill start --scenario" does, so that the
 * scenario stage can offer those of the chosen playbook.
 */
static void new_scenarios_load(struct new_screen *ns)
{
	struct irc_error err;
	char **paths = NULL;
	size_t count = 0;

	if (irc_scenario_find(&paths, &count, &err) != IRC_OK) {
		new_message(ns, true, err.msg);
		return;
	}
	ns->scens = irc_xcalloc(count + 1, sizeof(*ns->scens));
	ns->matches = irc_xcalloc(count + 1, sizeof(*ns->matches));
	for (size_t i = 0; i < count; i++) {
		struct new_scenario *e = &ns->scens[ns->nscens++];
		char *copy, *named;

		e->path = irc_xstrdup(paths[i]);
		if (irc_scenario_load(paths[i], &e->sc, &err) != IRC_OK) {
			e->sc = NULL;
			continue;
		}
		copy = irc_xstrdup(paths[i]);
		named = irc_scenario_playbook_path(e->sc, dirname(copy));
		free(copy);
		if (named != NULL)
			e->playbook = realpath(named, NULL);
		free(named);
	}
	irc_playbook_paths_free(paths);
}

/* Fills ns->matches with the scenarios that name the selected playbook. */
static void new_scenarios_match(struct new_screen *ns)
{
	char *chosen = realpath(ns->paths[ns->sel], NULL);

	ns->nmatches = 0;
	ns->scen_sel = 0;
	ns->scen_top = 0;
	for (size_t i = 0; chosen != NULL && i < ns->nscens; i++)
		if (ns->scens[i].playbook != NULL &&
		    strcmp(ns->scens[i].playbook, chosen) == 0)
			ns->matches[ns->nmatches++] = i;
	free(chosen);
}

/* Returns the chosen scenario, or NULL for none. */
static const struct new_scenario *new_scenario_chosen(
    const struct new_screen *ns)
{
	if (ns->scen_sel == 0 || ns->scen_sel > ns->nmatches)
		return NULL;
	return &ns->scens[ns->matches[ns->scen_sel - 1]];
}

static bool new_open(struct tui *t, struct screen *s, const void *arg)
{
	struct new_screen *ns;
	struct irc_pb_limits limits = { 0, 0, 0 };
	struct irc_config *cfg = NULL;
	struct irc_error err;
	char **paths;
	size_t count;

	if (irc_playbook_find(&paths, &count, &err) != IRC_OK) {
		snprintf(t->notice, sizeof(t->notice), "%s", err.msg);
		return false;
	}
	if (count == 0) {
		irc_playbook_paths_free(paths);
		snprintf(t->notice, sizeof(t->notice), "No playbooks found; "
		    "put *.md files in ./playbooks or set IRCASE_PLAYBOOK_PATH.");
		return false;
	}
	ns = irc_xcalloc(1, sizeof(*ns));
	ns->paths = paths;
	ns->count = count;
	ns->books = irc_xcalloc(count, sizeof(*ns->books));
	ns->errors = irc_xcalloc(count, sizeof(*ns->errors));
	ns->lint = irc_xcalloc(count, sizeof(*ns->lint));
	/* A configuration that cannot be read leaves the default limit. */
	if (irc_config_load(NULL, &cfg, &err) != IRC_OK)
		new_message(ns, true, err.msg);
	limits.max_size = irc_config_playbook_max_size(cfg);
	irc_config_free(cfg);
	for (size_t i = 0; i < count; i++) {
		if (irc_playbook_load(paths[i], &limits, &ns->books[i], &err) !=
		    IRC_OK)
			ns->errors[i] = irc_xstrdup(err.msg);
		else
			new_lint_summary(ns->books[i], ns->lint[i]);
	}
	tui_input_clear(&ns->title);
	ns->title.chained = true;	/* the severity follows */
	tui_input_clear(&ns->speed);
	ns->severity = IRC_SEVERITY_DEFAULT;
	new_scenarios_load(ns);
	s->data = ns;
	return true;
}

static void new_close(struct tui *t, struct screen *s)
{
	struct new_screen *ns = s->data;

	for (size_t i = 0; i < ns->count; i++) {
		irc_playbook_free(ns->books[i]);
		free(ns->errors[i]);
	}
	free(ns->books);
	free(ns->errors);
	free(ns->lint);
	irc_playbook_paths_free(ns->paths);
	for (size_t i = 0; i < ns->nscens; i++) {
		free(ns->scens[i].path);
		irc_scenario_free(ns->scens[i].sc);
		free(ns->scens[i].playbook);
	}
	free(ns->scens);
	free(ns->matches);
	tui_input_free(&ns->title);
	tui_input_free(&ns->speed);
	free(ns);
}

static int new_rows(void)
{
	return LINES - 5;	/* title bar, heading, two prompt rows, status */
}

static const char *new_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * Draws the column heads of a list: name, a count count_w columns wide
 * at count_x, lint status and file name; and scrolls *top so that sel
 * shows in the list's rows.
 */
static void new_draw_heads(const char *name, const char *count, int count_x,
    int count_w, size_t sel, size_t *top)
{
	int name_w = COLS / 4, rows = new_rows();

	tui_draw_pad(1, 0, name, count_x, tui_attr(TUI_ROLE_HEADING));
	tui_draw_pad(1, count_x, count, count_w, tui_attr(TUI_ROLE_HEADING));
	tui_draw_pad(1, COLS - name_w - 14, "Lint", 13,
	    tui_attr(TUI_ROLE_HEADING));
	tui_draw_pad(1, COLS - name_w - 1, "File", name_w + 1,
	    tui_attr(TUI_ROLE_HEADING));
	if (sel < *top)
		*top = sel;
	if (sel >= *top + (size_t)rows)
		*top = sel - (size_t)rows + 1;
}

static void new_draw_books(struct new_screen *ns)
{
	int rows = new_rows(), name_w = COLS / 4, x;
	int lint_x = COLS - name_w - 14, steps_x = lint_x - 7;
	char steps[32], title[256];
	attr_t attr;

	new_draw_heads(" Playbook", "Steps", steps_x, 7, ns->sel, &ns->top);
	for (int r = 0; r < rows && ns->top + (size_t)r < ns->count; r++) {
		size_t i = ns->top + (size_t)r;
		bool sel = i == ns->sel;

		attr = tui_attr(sel ? (ns->stage == NEW_PICK ? TUI_ROLE_SELECTED :
		    TUI_ROLE_SELECTED_DIM) : TUI_ROLE_NORMAL);
		tui_fill(2 + r, 0, COLS, attr);
		x = 1;
		if (ns->books[i] != NULL) {
			const struct irc_playbook *pb = ns->books[i];

			snprintf(title, sizeof(title), "%s%s%s", pb->title,
			    pb->version != NULL ? "  v" : "",
			    pb->version != NULL ? pb->version : "");
			tui_draw(2 + r, x, title, steps_x - 2, attr);
			snprintf(steps, sizeof(steps), "%zu",
			    irc_playbook_step_count(pb));
			tui_draw(2 + r, steps_x, steps, 6, attr);
			tui_draw(2 + r, lint_x, ns->lint[i], 13, sel ? attr :
			    tui_attr(strcmp(ns->lint[i], "ok") == 0 ?
			    TUI_ROLE_DIM : TUI_ROLE_ERROR));
		} else {
			tui_draw(2 + r, x, ns->errors[i], COLS - name_w - 2,
			    sel ? attr : tui_attr(TUI_ROLE_ERROR));
		}
		tui_draw(2 + r, COLS - name_w - 1, new_basename(ns->paths[i]),
		    name_w, sel ? attr : tui_attr(TUI_ROLE_DIM));
	}
}

/* Writes a scenario's title ("(no title)" when missing) and lint summary. */
static void new_scenario_describe(const struct irc_scenario *sc,
    char *title, size_t title_size, char lint[32])
{
	size_t warnings = sc->ndiags - sc->nerrors;

	snprintf(title, title_size, "%s", sc->title != NULL ? sc->title :
	    "(no title)");
	if (sc->nerrors > 0)
		snprintf(lint, 32, "%zu error%s", sc->nerrors,
		    sc->nerrors == 1 ? "" : "s");
	else if (warnings > 0)
		snprintf(lint, 32, "%zu warning%s", warnings,
		    warnings == 1 ? "" : "s");
	else
		snprintf(lint, 32, "ok");
}

/* Draws "no scenario" and the scenarios of the chosen playbook. */
static void new_draw_scenarios(struct new_screen *ns)
{
	int rows = new_rows(), name_w = COLS / 4;
	int lint_x = COLS - name_w - 14, injects_x = lint_x - 9;
	char injects[32], title[256], lint[32];
	size_t total = ns->nmatches + 1;

	new_draw_heads(" Scenario", "Injects", injects_x, 9, ns->scen_sel,
	    &ns->scen_top);
	for (int r = 0; r < rows && ns->scen_top + (size_t)r < total; r++) {
		size_t k = ns->scen_top + (size_t)r;
		attr_t attr = tui_attr(k == ns->scen_sel ? TUI_ROLE_SELECTED :
		    TUI_ROLE_NORMAL);
		const struct new_scenario *e;

		tui_fill(2 + r, 0, COLS, attr);
		if (k == 0) {
			tui_draw(2 + r, 1, "No scenario: a drill without injects",
			    COLS - 2, attr);
			continue;
		}
		e = &ns->scens[ns->matches[k - 1]];
		new_scenario_describe(e->sc, title, sizeof(title), lint);
		snprintf(injects, sizeof(injects), "%zu", e->sc->ninjects);
		tui_draw(2 + r, 1, title, injects_x - 2, attr);
		tui_draw(2 + r, injects_x, injects, 8, attr);
		tui_draw(2 + r, lint_x, lint, 13, k == ns->scen_sel ? attr :
		    tui_attr(strcmp(lint, "ok") == 0 ? TUI_ROLE_DIM :
		    TUI_ROLE_ERROR));
		tui_draw(2 + r, COLS - name_w - 1, new_basename(e->path),
		    name_w, k == ns->scen_sel ? attr : tui_attr(TUI_ROLE_DIM));
	}
}

static void new_draw_severity(struct new_screen *ns, int y)
{
	int x = 0;
	char label[32];

	x += tui_draw(y, x, "Severity: ", COLS, tui_attr(TUI_ROLE_HEADING));
	for (int sev = IRC_SEVERITY_MIN; sev <= IRC_SEVERITY_MAX; sev++) {
		snprintf(label, sizeof(label), " %d %s ", sev,
		    irc_severity_name(sev));
		x += tui_draw(y, x, label, COLS - x, tui_attr(sev == ns->severity ?
		    TUI_ROLE_SELECTED : TUI_ROLE_NORMAL));
	}
}

static void new_draw(struct tui *t, struct screen *s)
{
	struct new_screen *ns = s->data;
	static const char *const hints[] = {
		[NEW_PICK] = "Enter use this playbook  d drill  q back  ? keys",
		[NEW_TITLE] = "Type the case title, Enter to go on, Esc to cancel",
		[NEW_SEVERITY] = "1-4 or arrows choose, Enter starts the case, d drill, q back",
		[NEW_SCENARIO] = "Enter use this scenario  q back  ? keys",
		[NEW_SPEED] = "Drill seconds per wall second, 1-10000; Enter starts the drill, Esc back",
	};
	static const char *const drill_hint =
	    "1-4 or arrows choose, Enter picks a scenario, d real case, q back";
	const char *hint = hints[ns->stage];
	int y = LINES - 3;

	if (ns->stage == NEW_SEVERITY && ns->drill)
		hint = drill_hint;
	tui_draw_title(ns->drill ? "ircase: new DRILL (not a real incident)" :
	    "ircase: new case", ns->drill ? "title, severity, scenario, "
	    "speed" : "playbook, title, severity");
	if (ns->stage >= NEW_SCENARIO)
		new_draw_scenarios(ns);
	else
		new_draw_books(ns);
	if (ns->stage == NEW_SEVERITY || ns->stage == NEW_SCENARIO)
		new_draw_severity(ns, y + 1);
	tui_draw_status(ns->message[0] ? ns->message : hint, NULL, ns->error);
	if (ns->stage >= NEW_TITLE)
		tui_input_draw(&ns->title, y, "Title: ", COLS);
	if (ns->stage == NEW_SPEED)
		tui_input_draw(&ns->speed, y + 1, "Speed (empty for 1): ",
		    COLS);
	else if (ns->stage >= NEW_SEVERITY)
		curs_set(0);
}

/*
 * Creates the case, or the drill at speed (ignored for a real case), and
 * replaces this screen with its case view.
 */
static void new_create(struct tui *t, struct new_screen *ns, int speed)
{
	struct irc_error err;
	int64_t id;
	char *title = tui_input_text(&ns->title);
	enum irc_status st;

	if (ns->drill) {
		const struct new_scenario *e = new_scenario_chosen(ns);
		struct irc_drill_opts opts = { title, ns->severity, speed,
		    e != NULL ? e->sc : NULL };

		st = irc_drill_start(t->db, ns->books[ns->sel], &opts, &t->actor,
		    &id, &err);
	} else
		st = irc_case_create(t->db, ns->books[ns->sel], title,
		    ns->severity, &t->actor, &id, &err);
	free(title);
	if (st != IRC_OK) {
		new_message(ns, true, err.msg);
		return;
	}
	tui_pop(t);
	if (!tui_push(t, &screen_case_ops, &id))
		tui_fatal(t, "%s", t->notice);
}

static void new_pick(struct tui *t, struct new_screen *ns)
{
	const struct irc_playbook *pb = ns->books[ns->sel];

	if (pb == NULL) {
		new_message(ns, true, ns->errors[ns->sel]);
		return;
	}
	ns->severity = pb->severity >= IRC_SEVERITY_MIN &&
	    pb->severity <= IRC_SEVERITY_MAX ? pb->severity : IRC_SEVERITY_DEFAULT;
	ns->stage = NEW_TITLE;
}

static void new_key_title(struct new_screen *ns, int key)
{
	char *title;

	switch (tui_input_key(&ns->title, key)) {
	case TUI_INPUT_ACCEPT:
		title = tui_input_text(&ns->title);
		if (title[strspn(title, " ")] == '\0')
			new_message(ns, true, "A case needs a title; type one or press Esc.");
		else
			ns->stage = NEW_SEVERITY;
		free(title);
		break;
	case TUI_INPUT_CANCEL:
		tui_input_clear(&ns->title);
		ns->stage = NEW_PICK;
		break;
	case TUI_INPUT_EDITING:
		break;
	}
}

/* Starts the drill at the typed speed, or shows why the speed is invalid. */
static void new_key_speed(struct tui *t, struct new_screen *ns, int key)
{
	char *text, *end;
	long speed;

	switch (tui_input_key(&ns->speed, key)) {
	case TUI_INPUT_ACCEPT:
		text = tui_input_text(&ns->speed);
		errno = 0;
		speed = strtol(text, &end, 10);
		/* The field starts empty so that typing replaces the default. */
		if (*text == '\0') {
			new_create(t, ns, 1);
		} else if (errno != 0 || end == text || *end != '\0' ||
		    speed < 1 || speed > IRC_DRILL_SPEED_MAX) {
			char msg[IRC_ERROR_MAX];

			snprintf(msg, sizeof(msg), "Invalid speed '%s'; type a "
			    "whole number from 1 to %d.", text,
			    IRC_DRILL_SPEED_MAX);
			new_message(ns, true, msg);
		} else {
			new_create(t, ns, (int)speed);
		}
		free(text);
		break;
	case TUI_INPUT_CANCEL:
		ns->stage = NEW_SCENARIO;
		break;
	case TUI_INPUT_EDITING:
		break;
	}
}

/* Takes the selected scenario, unless it has errors, and opens the speed stage. */
static void new_pick_scenario(struct new_screen *ns)
{
	const struct new_scenario *e = new_scenario_chosen(ns);
	struct irc_error err;

	if (e != NULL && irc_scenario_check(e->sc, &err) != IRC_OK) {
		new_message(ns, true, err.msg);
		return;
	}
	tui_input_clear(&ns->speed);
	ns->stage = NEW_SPEED;
}

static void new_move(struct new_screen *ns, long delta)
{
	long sel = (long)ns->sel + delta;

	if (ns->stage == NEW_SCENARIO) {
		sel = (long)ns->scen_sel + delta;
		if (sel > (long)ns->nmatches)
			sel = (long)ns->nmatches;
		ns->scen_sel = sel < 0 ? 0 : (size_t)sel;
		return;
	}

	if (ns->stage == NEW_SEVERITY) {
		ns->severity += delta < 0 ? -1 : 1;
		if (ns->severity < IRC_SEVERITY_MIN)
			ns->severity = IRC_SEVERITY_MIN;
		if (ns->severity > IRC_SEVERITY_MAX)
			ns->severity = IRC_SEVERITY_MAX;
		return;
	}
	if (sel < 0)
		sel = 0;
	if (sel >= (long)ns->count)
		sel = (long)ns->count - 1;
	ns->sel = (size_t)sel;
}

static void new_key(struct tui *t, struct screen *s, int key)
{
	struct new_screen *ns = s->data;
	enum tui_keyctx ctx = TUI_CTX_NEW;

	ns->message[0] = '\0';
	ns->error = false;
	if (ns->stage == NEW_TITLE) {
		new_key_title(ns, key);
		return;
	}
	if (ns->stage == NEW_SPEED) {
		new_key_speed(t, ns, key);
		return;
	}
	switch (tui_key_action(TUI_CTX_NEW, key)) {
	case TUI_ACT_UP:
		new_move(ns, -1);
		break;
	case TUI_ACT_DOWN:
		new_move(ns, 1);
		break;
	case TUI_ACT_LEFT:
	case TUI_ACT_RIGHT:
		/* The severities are drawn as a row, so Left and Right pick too. */
		if (ns->stage == NEW_SEVERITY)
			new_move(ns, tui_key_action(TUI_CTX_NEW, key) ==
			    TUI_ACT_LEFT ? -1 : 1);
		break;
	case TUI_ACT_PAGE_UP:
		new_move(ns, -new_rows());
		break;
	case TUI_ACT_PAGE_DOWN:
		new_move(ns, new_rows());
		break;
	case TUI_ACT_SEVERITY:
		if (ns->stage == NEW_SEVERITY)
			ns->severity = key - '0';
		break;
	case TUI_ACT_DRILL:
		if (ns->stage != NEW_PICK && ns->stage != NEW_SEVERITY)
			break;
		ns->drill = !ns->drill;
		new_message(ns, false, ns->drill ? "The case will start as a "
		    "drill." : "The case will start as a real incident.");
		break;
	case TUI_ACT_OPEN:
		if (ns->stage == NEW_PICK)
			new_pick(t, ns);
		else if (ns->stage == NEW_SCENARIO)
			new_pick_scenario(ns);
		else if (ns->drill) {
			new_scenarios_match(ns);
			ns->stage = NEW_SCENARIO;
		} else
			new_create(t, ns, 1);
		break;
	case TUI_ACT_HELP:
		tui_push(t, &screen_help_ops, &ctx);
		break;
	case TUI_ACT_BACK:
		if (ns->stage == NEW_SEVERITY)
			ns->stage = NEW_TITLE;
		else if (ns->stage == NEW_SCENARIO)
			ns->stage = NEW_SEVERITY;
		else
			tui_pop(t);
		break;
	default:
		break;
	}
}

static void new_resize(struct tui *t, struct screen *s)
{
}

const struct screen_ops screen_new_ops = {
	.name = "new",
	.open = new_open,
	.draw = new_draw,
	.key = new_key,
	.resize = new_resize,
	.reload = NULL,
	.close = new_close,
};
