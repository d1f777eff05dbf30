/*
 * screen_close.c: what keeps a case from closing, shown when C finds items
 * missing (irc_case_close_check()).  Every item is listed in full, worded
 * with the case-view keys that fix it, and the list scrolls when it is
 * longer than the screen.  The list is checked again whenever the database
 * changes, so a fix made in another terminal shows at once.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "lifecycle.h"
#include "mem.h"
#include "prompt.h"
#include "sanitize.h"
#include "text.h"

struct close_screen {
	int64_t case_id;
	char **lines;		/* the list wrapped to lines_cols columns */
	size_t nlines;
	int lines_cols;
	char *text;		/* the list as one text, '\n' between items */
	bool error;		/* text is an error, not a list */
	size_t top;
};

/* Words one missing item with the keys that fix it in the case view. */
static char *close_item_text(const struct irc_close_missing *m)
{
	char *title = irc_sanitize_str(m->title, 0);
	char *state = irc_sanitize_str(m->state, 0);
	char *text;

	switch (m->kind) {
	case IRC_MISSING_DECISION:
		text = irc_xstrdup("Assess: no decision. Press 3, then a to "
		    "record whether this is an incident.");
		break;
	case IRC_MISSING_APPROVAL:
		text = irc_xasprintf("Respond step %d (%s) awaits approval: "
		    "another responder selects it and presses A.", m->step,
		    title);
		break;
	case IRC_MISSING_SKIP_REASON:
		text = irc_xasprintf("Respond step %d (%s) was skipped without a "
		    "reason: select it and press x (done) or N (not "
		    "applicable), or Space (back to pending) and then s to skip "
		    "it with a reason.", m->step, title);
		break;
	case IRC_MISSING_STEP_OPEN:
		text = irc_xasprintf("Respond step %d (%s) is %s: select it and "
		    "press x (done), s (skip, with a reason) or N (not "
		    "applicable).", m->step, title, state);
		break;
	case IRC_MISSING_ROOT_CAUSE:
		text = irc_xstrdup("Learn: no root cause. Press 5, then a to add "
		    "one, or w to waive the lessons with a reason.");
		break;
	case IRC_MISSING_LESSON:
	default:
		text = irc_xstrdup("Learn: nothing on what went well or badly. "
		    "Press 5, then a to add a lesson.");
		break;
	}
	free(state);
	free(title);
	return text;
}

/* Runs the close rule again and words its result into cs->text. */
static void close_check(struct tui *t, struct close_screen *cs)
{
	struct irc_close_missing *missing = NULL;
	struct irc_error err;
	size_t n = 0, len = 0;

	free(cs->text);
	cs->text = NULL;
	tui_lines_free(cs->lines, cs->nlines);
	cs->lines = NULL;
	cs->nlines = 0;
	irc_error_clear(&err);
	cs->error = irc_case_close_check(t->db, cs->case_id, &missing, &n,
	    &err) != IRC_OK;
	if (cs->error) {
		cs->text = irc_xstrdup(err.msg);
		return;
	}
	if (n == 0) {
		cs->text = irc_xstrdup("Nothing is missing now: press q, then C "
		    "to close the case with a summary.");
		return;
	}
	cs->text = irc_xasprintf("Case %" PRId64 " cannot close yet; %zu "
	    "item%s missing:\n", cs->case_id, n, n == 1 ? " is" : "s are");
	len = strlen(cs->text);
	for (size_t i = 0; i < n; i++) {
		char *item = close_item_text(&missing[i]);
		size_t add = strlen(item) + 4;

		cs->text = irc_xrealloc(cs->text, len + add + 1, 1);
		snprintf(cs->text + len, add + 1, "\n- %s", item);
		len += strlen(cs->text + len);
		free(item);
	}
	irc_close_missing_free(missing, n);
}

static int close_rows(void)
{
	return LINES - 2;	/* between the title bar and the status bar */
}

/* Wraps the text again when the width changed; items indent under "- ". */
static void close_layout(struct close_screen *cs)
{
	char **items, **wrapped;
	size_t nitems, nwrapped;
	int cols = COLS - 2;

	if (cs->lines != NULL && cs->lines_cols == cols)
		return;
	tui_lines_free(cs->lines, cs->nlines);
	cs->lines = NULL;
	cs->nlines = 0;
	cs->lines_cols = cols;
	nitems = tui_text_wrap(cs->text, 1 << 20, &items);
	for (size_t i = 0; i < nitems; i++) {
		bool bullet = strncmp(items[i], "- ", 2) == 0;

		nwrapped = tui_text_wrap(bullet ? items[i] + 2 : items[i],
		    bullet ? cols - 2 : cols, &wrapped);
		if (nwrapped == 0) {
			nwrapped = 1;
			wrapped = irc_xcalloc(1, sizeof(*wrapped));
			wrapped[0] = irc_xstrdup("");
		}
		cs->lines = irc_xrealloc(cs->lines, cs->nlines + nwrapped,
		    sizeof(*cs->lines));
		for (size_t j = 0; j < nwrapped; j++)
			cs->lines[cs->nlines++] = bullet ? irc_xasprintf("%s%s",
			    j == 0 ? "- " : "  ", wrapped[j]) :
			    irc_xstrdup(wrapped[j]);
		tui_lines_free(wrapped, nwrapped);
	}
	tui_lines_free(items, nitems);
	tui_scroll(&cs->top, 0, cs->nlines, close_rows());
}

static bool close_open(struct tui *t, struct screen *s, const void *arg)
{
	struct close_screen *cs = irc_xcalloc(1, sizeof(*cs));

	cs->case_id = *(const int64_t *)arg;
	close_check(t, cs);
	s->data = cs;
	return true;
}

static void close_close(struct tui *t, struct screen *s)
{
	struct close_screen *cs = s->data;

	tui_lines_free(cs->lines, cs->nlines);
	free(cs->text);
	free(cs);
}

static void close_draw(struct tui *t, struct screen *s)
{
	struct close_screen *cs = s->data;
	char status[64];

	close_layout(cs);
	tui_draw_title("Close the case", "j/k PgUp/PgDn scroll  q back");
	for (int r = 0; r < close_rows(); r++) {
		size_t i = cs->top + (size_t)r;

		if (i < cs->nlines)
			tui_draw_pad(1 + r, 1, cs->lines[i], COLS - 2,
			    tui_attr(cs->error ? TUI_ROLE_ERROR : i == 0 ?
			    TUI_ROLE_HEADING : TUI_ROLE_NORMAL));
		else
			tui_fill(1 + r, 0, COLS, tui_attr(TUI_ROLE_NORMAL));
	}
	if (cs->nlines > (size_t)close_rows())
		snprintf(status, sizeof(status), "lines %zu-%zu of %zu",
		    cs->top + 1, cs->top + (size_t)close_rows(), cs->nlines);
	else
		status[0] = '\0';
	tui_draw_status(status, NULL, false);
}

static void close_key(struct tui *t, struct screen *s, int key)
{
	struct close_screen *cs = s->data;

	tui_view_key(t, TUI_CTX_CLOSE, key, &cs->top, cs->nlines, close_rows());
}

static void close_resize(struct tui *t, struct screen *s)
{
	close_layout(s->data);
}

static void close_reload(struct tui *t, struct screen *s)
{
	struct close_screen *cs = s->data;

	close_check(t, cs);
	close_layout(cs);
}

const struct screen_ops screen_close_ops = {
	.name = "close",
	.open = close_open,
	.draw = close_draw,
	.key = close_key,
	.resize = close_resize,
	.reload = close_reload,
	.close = close_close,
};
