/*
 * screen_list.c: the case list, the first screen.  Columns: number, title,
 * severity, status, opened (local time) and steps closed out of all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "keys.h"
#include "mem.h"
#include "screen.h"
#include "text.h"
#include "timeutil.h"
#include "tui.h"

/*
 * The list holds a window of cases, not all of them: the rows from the
 * top row shown down, one screen and one page more, read by keyset
 * paging (irc_case_list_page()).  A move past the window reads a new one
 * anchored at the new top row, so no key reads more than two screens of
 * rows, however many cases the database holds.
 */
struct list_screen {
	struct irc_case_summary *cases;	/* window; cases[0] is the top row */
	size_t count;
	size_t sel;		/* selected row, an index into cases */
	int64_t total;		/* cases in the database */
	bool at_newest;		/* the top row is the newest case */
	char message[IRC_ERROR_MAX];
	bool error;
};

/* Column widths; the title takes what is left. */
#define COL_NUM 5
#define COL_SEV 9
#define COL_STATUS 7
#define COL_OPENED 17
#define COL_STEPS 7

/* Speed of a replay started from the list: an hour of log per minute. */
#define LIST_REPLAY_SPEED 60

static int list_rows(void)
{
	int rows = LINES - 3;	/* title bar, column heads, status bar */

	return rows > 1 ? rows : 1;
}

/* Rows a window holds: the screen's and one page below it. */
static size_t list_window(void)
{
	return (size_t)list_rows() * 2 + 1;
}

static void list_fail(struct list_screen *ls, const struct irc_error *err)
{
	snprintf(ls->message, sizeof(ls->message), "%s", err->msg);
	ls->error = true;
}

/* Returns the number of the newest case above the case numbered id, or 0. */
static int64_t list_newer(struct tui *t, struct list_screen *ls, int64_t id,
    size_t n, size_t *found)
{
	struct irc_case_summary *cases;
	struct irc_error err;
	int64_t top = 0;

	*found = 0;
	if (irc_case_list_page(t->db, id, IRC_CASE_PAGE_NEWER, n, &cases,
	    found, &err) != IRC_OK) {
		list_fail(ls, &err);
		return 0;
	}
	if (*found > 0)
		top = cases[0].id;
	irc_case_summaries_free(cases, *found);
	return top;
}

/*
 * Reads the window whose top row is the case numbered top, or the newest
 * case when top is 0, and selects the row of case sel_id when it is in
 * the window (else row 0).
 */
static bool list_read(struct tui *t, struct list_screen *ls, int64_t top,
    int64_t sel_id)
{
	struct irc_case_summary *cases;
	struct irc_error err;
	size_t n, newer;

	if (irc_case_list_page(t->db, top > 0 ? top + 1 : 0,
	    IRC_CASE_PAGE_OLDER, list_window(), &cases, &n, &err) != IRC_OK) {
		list_fail(ls, &err);
		return false;
	}
	irc_case_summaries_free(ls->cases, ls->count);
	ls->cases = cases;
	ls->count = n;
	ls->sel = 0;
	for (size_t i = 0; i < n; i++)
		if (cases[i].id == sel_id)
			ls->sel = i;
	ls->at_newest = top == 0 || list_newer(t, ls, top, 1, &newer) == 0;
	return true;
}

/*
 * Rereads the window at the same place after a commit or a screen closed
 * above the list: the same top row (the newest case when the list showed
 * it, so that new cases appear), the same selected case, kept on screen.
 */
static void list_load(struct tui *t, struct list_screen *ls)
{
	struct irc_error err;
	int64_t sel_id = ls->count > 0 ? ls->cases[ls->sel].id : 0;
	int64_t top = ls->count > 0 && !ls->at_newest ? ls->cases[0].id : 0;
	size_t rows = (size_t)list_rows();

	if (irc_case_count(t->db, &ls->total, &err) != IRC_OK)
		list_fail(ls, &err);
	if (!list_read(t, ls, top, sel_id))
		return;
	if (sel_id != 0 && (ls->count == 0 || ls->cases[ls->sel].id != sel_id))
		/* More new cases than the window holds pushed it out. */
		list_read(t, ls, sel_id, sel_id);
	else if (ls->sel >= rows)
		list_read(t, ls, ls->cases[ls->sel - rows + 1].id, sel_id);
}

static bool list_open(struct tui *t, struct screen *s, const void *arg)
{
	struct list_screen *ls = irc_xcalloc(1, sizeof(*ls));

	s->data = ls;
	list_load(t, ls);
	return true;
}

static void list_close(struct tui *t, struct screen *s)
{
	struct list_screen *ls = s->data;

	irc_case_summaries_free(ls->cases, ls->count);
	free(ls);
}

static void list_draw_row(const struct irc_case_summary *c, int y, bool sel)
{
	attr_t attr = tui_attr(sel ? TUI_ROLE_SELECTED : TUI_ROLE_NORMAL);
	int title_w = COLS - COL_NUM - COL_SEV - COL_STATUS - COL_OPENED -
	    COL_STEPS - 1;
	char num[24], opened[64], steps[32];
	int x = 0;

	snprintf(num, sizeof(num), "%4lld", (long long)c->id);
	irc_time_local(c->opened_at, opened, sizeof(opened));
	opened[16] = '\0';	/* "YYYY-MM-DD HH:MM" */
	snprintf(steps, sizeof(steps), "%d/%d", c->steps_done, c->steps_total);

	tui_fill(y, 0, COLS, attr);
	tui_draw_pad(y, x, num, COL_NUM, attr);
	x += COL_NUM;
	if (strcmp(c->kind, "drill") == 0) {
		/* Drills are tagged so that no one takes one for an incident. */
		char *tagged = irc_xasprintf("[DRILL] %s", c->title);

		tui_draw_pad(y, x, tagged, title_w, attr);
		free(tagged);
	} else
		tui_draw_pad(y, x, c->title, title_w, attr);
	x += title_w + 1;
	tui_draw_pad(y, x, irc_severity_name(c->severity), COL_SEV, attr);
	x += COL_SEV;
	tui_draw_pad(y, x, c->status, COL_STATUS, attr);
	x += COL_STATUS;
	tui_draw_pad(y, x, opened, COL_OPENED, attr);
	x += COL_OPENED;
	tui_draw_pad(y, x, steps, COL_STEPS, attr);
}

static void list_draw(struct tui *t, struct screen *s)
{
	struct list_screen *ls = s->data;
	int rows = list_rows();
	int title_w = COLS - COL_NUM - COL_SEV - COL_STATUS - COL_OPENED -
	    COL_STEPS - 1;
	attr_t head = tui_attr(TUI_ROLE_HEADING);
	char count[64];

	snprintf(count, sizeof(count), "%lld case%s", (long long)ls->total,
	    ls->total == 1 ? "" : "s");
	tui_draw_title("ircase: cases", count);

	tui_draw_pad(1, 0, "   #", COL_NUM, head);
	tui_draw_pad(1, COL_NUM, "Title", title_w + 1, head);
	tui_draw_pad(1, COL_NUM + title_w + 1, "Severity", COL_SEV, head);
	tui_draw_pad(1, COLS - COL_STEPS - COL_OPENED - COL_STATUS, "Status",
	    COL_STATUS, head);
	tui_draw_pad(1, COLS - COL_STEPS - COL_OPENED, "Opened", COL_OPENED, head);
	tui_draw_pad(1, COLS - COL_STEPS, "Steps", COL_STEPS, head);

	if (ls->count == 0)
		tui_draw(3, 2, "No cases yet. Press n to start one from a playbook.",
		    COLS - 4, tui_attr(TUI_ROLE_NORMAL));
	for (int r = 0; r < rows && (size_t)r < ls->count; r++)
		list_draw_row(&ls->cases[r], 2 + r, (size_t)r == ls->sel);

	tui_draw_status(ls->message[0] ? ls->message :
	    "Enter open  n new case  ? keys  q quit", NULL, ls->error);
}

/*
 * Moves the selection down delta rows, or up when delta is negative, and
 * scrolls as the old full list did: a row above the screen becomes the
 * top row, a row below it the bottom row.
 */
static void list_move(struct tui *t, struct list_screen *ls, long delta)
{
	size_t rows = (size_t)list_rows(), found;
	int64_t sel_id, top;
	long target = (long)ls->sel + delta;

	if (ls->count == 0)
		return;
	if (target < 0) {
		/* Rows above the window: the -target newer cases. */
		top = list_newer(t, ls, ls->cases[0].id, (size_t)-target, &found);
		if (top == 0)
			target = 0;
		else {
			target += (long)found;
			if (target < 0)
				target = 0;
			list_read(t, ls, top, 0);
		}
		ls->sel = (size_t)target;
		return;
	}
	if ((size_t)target >= ls->count)
		target = (long)ls->count - 1;
	if ((size_t)target < rows) {
		ls->sel = (size_t)target;
		return;
	}
	sel_id = ls->cases[target].id;
	list_read(t, ls, ls->cases[(size_t)target - rows + 1].id, sel_id);
}

/* Selects the newest case, or the oldest one when last is true. */
static void list_end(struct tui *t, struct list_screen *ls, bool last)
{
	size_t found;
	int64_t top;

	if (!last) {
		list_read(t, ls, 0, 0);
		return;
	}
	top = list_newer(t, ls, 0, (size_t)list_rows(), &found);
	if (top == 0)
		return;
	if (list_read(t, ls, top, 0) && ls->count > 0)
		ls->sel = ls->count - 1;
}

/* Shows why a screen did not open. */
static void list_notice(struct tui *t, struct list_screen *ls)
{
	snprintf(ls->message, sizeof(ls->message), "%s", t->notice);
	ls->error = true;
}

static void list_key(struct tui *t, struct screen *s, int key)
{
	struct list_screen *ls = s->data;
	int64_t id;

	ls->message[0] = '\0';
	ls->error = false;
	switch (tui_key_action(TUI_CTX_LIST, key)) {
	case TUI_ACT_UP:
		list_move(t, ls, -1);
		break;
	case TUI_ACT_DOWN:
		list_move(t, ls, 1);
		break;
	case TUI_ACT_PAGE_UP:
		list_move(t, ls, -list_rows());
		break;
	case TUI_ACT_PAGE_DOWN:
		list_move(t, ls, list_rows());
		break;
	case TUI_ACT_FIRST:
		list_end(t, ls, false);
		break;
	case TUI_ACT_LAST:
		list_end(t, ls, true);
		break;
	case TUI_ACT_OPEN:
		if (ls->count == 0)
			break;
		id = ls->cases[ls->sel].id;
		if (!tui_push(t, &screen_case_ops, &id))
			list_notice(t, ls);
		break;
	case TUI_ACT_NEW:
		if (!tui_push(t, &screen_new_ops, NULL))
			list_notice(t, ls);
		break;
	case TUI_ACT_REPLAY: {
		struct tui_replay_opts o = { 0, LIST_REPLAY_SPEED, 0, 0 };

		if (ls->count == 0)
			break;
		o.case_id = ls->cases[ls->sel].id;
		if (!tui_push(t, &screen_replay_ops, &o))
			list_notice(t, ls);
		break;
	}
	case TUI_ACT_HELP: {
		enum tui_keyctx ctx = TUI_CTX_LIST;

		tui_push(t, &screen_help_ops, &ctx);
		break;
	}
	case TUI_ACT_BACK:
		tui_pop(t);
		break;
	default:
		break;
	}
}

static void list_resize(struct tui *t, struct screen *s)
{
	list_load(t, s->data);
}

static void list_reload(struct tui *t, struct screen *s)
{
	list_load(t, s->data);
}

const struct screen_ops screen_list_ops = {
	.name = "list",
	.open = list_open,
	.draw = list_draw,
	.key = list_key,
	.resize = list_resize,
	.reload = list_reload,
	.close = list_close,
};
