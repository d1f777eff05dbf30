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

struct list_screen {
	struct irc_case_summary *cases;
	size_t count;
	size_t sel;
	size_t top;		/* first row shown */
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

static void list_load(struct tui *t, struct list_screen *ls)
{
	struct irc_error err;
	int64_t sel_id = ls->count > 0 ? ls->cases[ls->sel].id : 0;

	irc_case_summaries_free(ls->cases, ls->count);
	ls->cases = NULL;
	ls->count = 0;
	if (irc_case_list(t->db, &ls->cases, &ls->count, &err) != IRC_OK) {
		snprintf(ls->message, sizeof(ls->message), "%s", err.msg);
		ls->error = true;
	}
	ls->sel = 0;
	for (size_t i = 0; i < ls->count; i++)
		if (ls->cases[i].id == sel_id)
			ls->sel = i;
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

static int list_rows(void)
{
	return LINES - 3;	/* title bar, column heads, status bar */
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

	snprintf(count, sizeof(count), "%zu case%s", ls->count,
	    ls->count == 1 ? "" : "s");
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
	if (ls->sel < ls->top)
		ls->top = ls->sel;
	if (ls->sel >= ls->top + (size_t)rows)
		ls->top = ls->sel - (size_t)rows + 1;
	for (int r = 0; r < rows && ls->top + (size_t)r < ls->count; r++)
		list_draw_row(&ls->cases[ls->top + r], 2 + r,
		    ls->top + (size_t)r == ls->sel);

	tui_draw_status(ls->message[0] ? ls->message :
	    "Enter open  n new case  ? keys  q quit", NULL, ls->error);
}

static void list_move(struct list_screen *ls, long delta)
{
	long sel = (long)ls->sel + delta;

	if (ls->count == 0)
		return;
	if (sel < 0)
		sel = 0;
	if (sel >= (long)ls->count)
		sel = (long)ls->count - 1;
	ls->sel = (size_t)sel;
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
		list_move(ls, -1);
		break;
	case TUI_ACT_DOWN:
		list_move(ls, 1);
		break;
	case TUI_ACT_PAGE_UP:
		list_move(ls, -list_rows());
		break;
	case TUI_ACT_PAGE_DOWN:
		list_move(ls, list_rows());
		break;
	case TUI_ACT_FIRST:
		list_move(ls, -(long)ls->count);
		break;
	case TUI_ACT_LAST:
		list_move(ls, (long)ls->count);
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
