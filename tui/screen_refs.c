/*
 * screen_refs.c: the reference panes of a case's playbook.  The pane
 * titles on the left, the selected pane's Markdown on the right.
 *
 * Tab and Shift-Tab select the "#anchor" links of the text and Enter
 * follows one: a link to another pane shows that pane here, a link to a
 * step or phase closes this screen and hands the anchor to the case
 * screen below, which moves its selection there.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "markdown.h"
#include "mem.h"
#include "refs.h"
#include "text.h"

struct refs_screen {
	const struct irc_playbook *pb;
	char **jump;
	size_t sel;		/* index into pb->refs */
	size_t list_top;	/* first pane title shown */
	struct tui_doc text;	/* the selected pane, rendered */
	bool text_valid;
	int text_cols;
	size_t top;		/* first line of text shown */
	size_t link;		/* selected link in text, 0 for none */
	bool text_focus;	/* j/k scroll the text, not the list */
	char message[IRC_ERROR_MAX];
	bool error;
};

/* The list takes a quarter of the width, within these columns. */
#define REFS_LIST_MIN 16
#define REFS_LIST_MAX 32

struct refs_layout {
	int list_w;
	int text_x, text_w;
	int rows;		/* rows of the list; the text has one less */
};

static void refs_layout(struct refs_layout *l)
{
	l->list_w = COLS / 4;
	if (l->list_w < REFS_LIST_MIN)
		l->list_w = REFS_LIST_MIN;
	if (l->list_w > REFS_LIST_MAX)
		l->list_w = REFS_LIST_MAX;
	l->text_x = l->list_w + 2;
	l->text_w = COLS - l->text_x - 1;
	l->rows = LINES - 2;
}

static void refs_message(struct refs_screen *rs, bool error, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void refs_message(struct refs_screen *rs, bool error, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rs->message, sizeof(rs->message), fmt, ap);
	va_end(ap);
	rs->error = error;
}

static void refs_select(struct refs_screen *rs, size_t pane)
{
	rs->sel = pane < rs->pb->nrefs ? pane : 0;
	rs->text_valid = false;
	rs->top = 0;
	rs->link = 0;
}

static bool refs_open(struct tui *t, struct screen *s, const void *arg)
{
	const struct refs_open *o = arg;
	struct refs_screen *rs;

	if (o->pb == NULL || o->pb->nrefs == 0) {
		snprintf(t->notice, sizeof(t->notice), "This playbook has no "
		    "reference panes: every section of it is a phase.");
		return false;
	}
	rs = irc_xcalloc(1, sizeof(*rs));
	rs->pb = o->pb;
	rs->jump = o->jump;
	refs_select(rs, o->pane);
	s->data = rs;
	return true;
}

static void refs_close(struct tui *t, struct screen *s)
{
	struct refs_screen *rs = s->data;

	tui_doc_free(&rs->text);
	free(rs);
}

static void refs_text_build(struct refs_screen *rs, int cols)
{
	const char *body = rs->pb->refs[rs->sel].body;

	tui_doc_free(&rs->text);
	if (body == NULL || body[strspn(body, " \t\r\n")] == '\0')
		body = "*(this section has no text)*";
	tui_markdown_render(body, cols, &rs->text);
	rs->text_valid = true;
	rs->text_cols = cols;
	if (rs->link > rs->text.nlinks)
		rs->link = 0;
}

static void refs_draw_list(struct refs_screen *rs, const struct refs_layout *l)
{
	if (rs->sel < rs->list_top)
		rs->list_top = rs->sel;
	if (rs->sel >= rs->list_top + (size_t)l->rows)
		rs->list_top = rs->sel - (size_t)l->rows + 1;
	for (int y = 0; y < l->rows; y++) {
		size_t i = rs->list_top + (size_t)y;
		enum tui_role role = TUI_ROLE_NORMAL;

		if (i >= rs->pb->nrefs) {
			tui_fill(1 + y, 0, l->list_w, tui_attr(role));
			continue;
		}
		if (i == rs->sel)
			role = rs->text_focus ? TUI_ROLE_SELECTED_DIM :
			    TUI_ROLE_SELECTED;
		tui_draw_pad(1 + y, 0, rs->pb->refs[i].title, l->list_w,
		    tui_attr(role));
	}
}

/* Returns the first line of text that can be on top with rows shown. */
static size_t refs_max_top(const struct refs_screen *rs, int rows)
{
	return rs->text.nlines > (size_t)rows ?
	    rs->text.nlines - (size_t)rows : 0;
}

static void refs_draw_text(struct refs_screen *rs, const struct refs_layout *l)
{
	int rows = l->rows - 1;
	size_t max_top;
	char where[32];

	if (!rs->text_valid || rs->text_cols != l->text_w)
		refs_text_build(rs, l->text_w);
	tui_draw_pad(1, l->text_x, rs->pb->refs[rs->sel].title, l->text_w,
	    tui_attr(TUI_ROLE_HEADING));
	max_top = refs_max_top(rs, rows);
	if (rs->top > max_top)
		rs->top = max_top;
	for (int y = 0; y < rows; y++) {
		size_t i = rs->top + (size_t)y;

		if (i < rs->text.nlines)
			tui_line_draw_link(&rs->text.lines[i], 2 + y, l->text_x,
			    l->text_w, rs->link);
		else
			tui_fill(2 + y, l->text_x, l->text_w,
			    tui_attr(TUI_ROLE_NORMAL));
	}
	if (max_top > 0) {
		snprintf(where, sizeof(where), "%zu%%", rs->top * 100 / max_top);
		tui_draw(1, COLS - 5, where, 4, tui_attr(TUI_ROLE_DIM));
	}
}

static void refs_draw(struct tui *t, struct screen *s)
{
	static const char *const hints[] = {
		"j/k panes  Enter text  Tab links  ? keys  q back",
		"j/k scroll  Tab links  Enter list  ? keys  q back",
		"Enter follows the link  Tab next  Shift-Tab previous  q back",
	};
	struct refs_screen *rs = s->data;
	struct refs_layout l;
	char *title, count[32];
	const char *left;

	refs_layout(&l);
	title = irc_xasprintf("Reference panes: %s", rs->pb->title);
	snprintf(count, sizeof(count), "%zu/%zu", rs->sel + 1, rs->pb->nrefs);
	tui_draw_title(title, count);
	free(title);
	refs_draw_list(rs, &l);
	for (int y = 1; y <= l.rows; y++)
		tui_draw(y, l.list_w, tui_vline(), 1, tui_attr(rs->text_focus ?
		    TUI_ROLE_ACTIVE : TUI_ROLE_DIM));
	tui_fill(1, l.list_w + 1, 1, tui_attr(TUI_ROLE_NORMAL));
	refs_draw_text(rs, &l);
	left = rs->message[0] ? rs->message : hints[rs->link > 0 ? 2 :
	    rs->text_focus ? 1 : 0];
	tui_draw_status(left, NULL, rs->error);
}

/*
 * Follows the link to slug: another pane is shown here, a step or phase
 * goes back to the case with the anchor in *jump.
 */
static void refs_follow(struct tui *t, struct refs_screen *rs,
    const char *slug)
{
	const struct irc_pb_anchor *a = irc_playbook_anchor_find(rs->pb, slug);

	if (a == NULL || a->kind == IRC_PB_TARGET_NONE) {
		refs_message(rs, true, "The link to %s names no step, phase or "
		    "reference pane in this playbook.", slug);
		return;
	}
	if (a->kind == IRC_PB_TARGET_REF) {
		refs_select(rs, a->index);
		rs->text_focus = false;
		refs_message(rs, false, "Showing %s.", rs->pb->refs[rs->sel].title);
		return;
	}
	if (rs->jump != NULL) {
		free(*rs->jump);
		*rs->jump = irc_xstrdup(slug);
	}
	tui_pop(t);
}

/* Selects the next or previous link; wraps around at either end. */
static void refs_link_step(struct refs_screen *rs, const struct refs_layout *l,
    bool back)
{
	if (!rs->text_valid || rs->text_cols != l->text_w)
		refs_text_build(rs, l->text_w);
	if (!tui_doc_link_step(&rs->text, &rs->link, &rs->top, l->rows - 1,
	    back)) {
		rs->link = 0;
		if (!tui_doc_link_step(&rs->text, &rs->link, &rs->top,
		    l->rows - 1, back)) {
			refs_message(rs, false, "%s has no #anchor links.",
			    rs->pb->refs[rs->sel].title);
			return;
		}
	}
	rs->text_focus = true;
}

/* Scrolls the text by delta lines; draw keeps it within the end. */
static void refs_scroll(struct refs_screen *rs, long delta)
{
	long v = (long)rs->top + delta;

	rs->top = v < 0 ? 0 : (size_t)v;
}

static void refs_key(struct tui *t, struct screen *s, int key)
{
	struct refs_screen *rs = s->data;
	enum tui_keyctx ctx = TUI_CTX_REFS;
	struct refs_layout l;

	rs->message[0] = '\0';
	rs->error = false;
	refs_layout(&l);
	switch (tui_key_action(TUI_CTX_REFS, key)) {
	case TUI_ACT_UP:
		if (rs->text_focus)
			refs_scroll(rs, -1);
		else if (rs->sel > 0)
			refs_select(rs, rs->sel - 1);
		break;
	case TUI_ACT_DOWN:
		if (rs->text_focus)
			refs_scroll(rs, 1);
		else if (rs->sel + 1 < rs->pb->nrefs)
			refs_select(rs, rs->sel + 1);
		break;
	case TUI_ACT_PAGE_UP:
		refs_scroll(rs, -(long)(l.rows > 2 ? l.rows - 2 : 1));
		break;
	case TUI_ACT_PAGE_DOWN:
		refs_scroll(rs, l.rows > 2 ? l.rows - 2 : 1);
		break;
	case TUI_ACT_FIRST:
		rs->top = 0;
		break;
	case TUI_ACT_LAST:
		rs->top = rs->text.nlines;
		break;
	case TUI_ACT_FOCUS:
	case TUI_ACT_FOCUS_BACK:
		refs_link_step(rs, &l, tui_key_action(TUI_CTX_REFS, key) ==
		    TUI_ACT_FOCUS_BACK);
		break;
	case TUI_ACT_OPEN:
		if (rs->link > 0 && rs->link <= rs->text.nlinks)
			refs_follow(t, rs, rs->text.links[rs->link - 1].url);
		else
			rs->text_focus = !rs->text_focus;
		break;
	case TUI_ACT_HELP:
		tui_push(t, &screen_help_ops, &ctx);
		break;
	case TUI_ACT_BACK:
		if (rs->text_focus || rs->link > 0) {
			rs->text_focus = false;
			rs->link = 0;
		} else {
			tui_pop(t);
		}
		break;
	default:
		break;
	}
}

static void refs_resize(struct tui *t, struct screen *s)
{
	struct refs_screen *rs = s->data;

	rs->text_valid = false;
}

const struct screen_ops screen_refs_ops = {
	.name = "refs",
	.open = refs_open,
	.draw = refs_draw,
	.key = refs_key,
	.resize = refs_resize,
	.close = refs_close,
};
