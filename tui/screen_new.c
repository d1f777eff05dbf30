/*
 * screen_new.c: starting a case in three stages: pick a playbook, type a
 * title, choose a severity.  The case is created only after the last one,
 * and then the case view opens in place of this screen.
 */
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
#include "screen.h"
#include "text.h"

enum new_stage {
	NEW_PICK,
	NEW_TITLE,
	NEW_SEVERITY,
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
	ns->severity = IRC_SEVERITY_DEFAULT;
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
	tui_input_free(&ns->title);
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

static void new_draw_books(struct new_screen *ns)
{
	int rows = new_rows(), name_w = COLS / 4, x;
	int lint_x = COLS - name_w - 14, steps_x = lint_x - 7;
	char steps[32], title[256];
	attr_t attr;

	tui_draw_pad(1, 0, " Playbook", steps_x, tui_attr(TUI_ROLE_HEADING));
	tui_draw_pad(1, steps_x, "Steps", 7, tui_attr(TUI_ROLE_HEADING));
	tui_draw_pad(1, lint_x, "Lint", 13, tui_attr(TUI_ROLE_HEADING));
	tui_draw_pad(1, COLS - name_w - 1, "File", name_w + 1,
	    tui_attr(TUI_ROLE_HEADING));
	if (ns->sel < ns->top)
		ns->top = ns->sel;
	if (ns->sel >= ns->top + (size_t)rows)
		ns->top = ns->sel - (size_t)rows + 1;
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
	};
	int y = LINES - 3;

	tui_draw_title(ns->drill ? "ircase: new DRILL (not a real incident)" :
	    "ircase: new case", "playbook, title, severity");
	new_draw_books(ns);
	if (ns->stage == NEW_SEVERITY)
		new_draw_severity(ns, y + 1);
	tui_draw_status(ns->message[0] ? ns->message : hints[ns->stage], NULL,
	    ns->error);
	if (ns->stage >= NEW_TITLE)
		tui_input_draw(&ns->title, y, "Title: ", COLS);
	if (ns->stage == NEW_SEVERITY)
		curs_set(0);
}

/* Creates the case and replaces this screen with its case view. */
static void new_create(struct tui *t, struct new_screen *ns)
{
	struct irc_error err;
	int64_t id;
	char *title = tui_input_text(&ns->title);
	enum irc_status st;

	if (ns->drill) {
		struct irc_drill_opts opts = { title, ns->severity, 1, NULL };

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

static void new_move(struct new_screen *ns, long delta)
{
	long sel = (long)ns->sel + delta;

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
		ns->drill = !ns->drill;
		new_message(ns, false, ns->drill ? "The case will start as a "
		    "drill." : "The case will start as a real incident.");
		break;
	case TUI_ACT_OPEN:
		if (ns->stage == NEW_PICK)
			new_pick(t, ns);
		else
			new_create(t, ns);
		break;
	case TUI_ACT_HELP:
		tui_push(t, &screen_help_ops, &ctx);
		break;
	case TUI_ACT_BACK:
		if (ns->stage == NEW_SEVERITY)
			ns->stage = NEW_TITLE;
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
