/*
 * screen_action.c: one action of the timeline in full.  Its time in local
 * time and UTC, the actor and SSH origin, kind, step, the whole body
 * wrapped by display columns, its hash and the previous hash.
 *
 * The screen copies the action when it opens, because the case view
 * below it may reload its case (and free the action) while this is shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "action.h"
#include "keys.h"
#include "mem.h"
#include "sanitize.h"
#include "screen.h"
#include "text.h"
#include "timeutil.h"

/* Width of the field names ("Previous  ") before their values. */
#define ACTION_LABEL_W 10

struct action_line {
	char *text;
	enum tui_role role;
};

struct action_screen {
	struct irc_action a;	/* a copy; the strings are owned here */
	struct action_line *lines;	/* built for lines_cols columns */
	size_t count;
	int lines_cols;
	size_t top;
};

static void action_add(struct action_screen *as, char *text,
    enum tui_role role)
{
	as->lines = irc_xrealloc(as->lines, as->count + 1, sizeof(*as->lines));
	as->lines[as->count].text = text;
	as->lines[as->count].role = role;
	as->count++;
}

/*
 * Adds "Label     value", the value sanitised (newlines kept) and wrapped
 * to the columns after the label.
 */
static void action_field(struct action_screen *as, const char *label,
    const char *value, int cols)
{
	char *clean = irc_sanitize_str(value, IRC_SAN_KEEP_NEWLINE);
	char **wrapped;
	size_t n;
	/* A label as wide as the column or wider keeps a blank before the value. */
	int width = tui_text_width(label) + 1;

	if (width < ACTION_LABEL_W)
		width = ACTION_LABEL_W;
	if (width > cols / 2)
		width = cols / 2;
	n = tui_text_wrap(clean, cols - width > 1 ? cols - width : 1, &wrapped);
	for (size_t i = 0; i < n; i++)
		action_add(as, irc_xasprintf("%-*s%s", width,
		    i == 0 ? label : "", wrapped[i]), TUI_ROLE_NORMAL);
	tui_lines_free(wrapped, n);
	free(clean);
}

/* Adds each string member of the body in full, such as a note's text. */
static void action_body_text(struct action_screen *as, json_t *body, int cols)
{
	const char *key;
	json_t *value;
	char *label;

	json_object_foreach(body, key, value) {
		if (!json_is_string(value))
			continue;
		label = irc_xasprintf("%s:", key);
		action_field(as, label, json_string_value(value), cols);
		free(label);
	}
}

static void action_lines_free(struct action_screen *as)
{
	for (size_t i = 0; i < as->count; i++)
		free(as->lines[i].text);
	free(as->lines);
	as->lines = NULL;
	as->count = 0;
}

/* Builds the lines for cols columns. */
static void action_build(struct action_screen *as, int cols)
{
	const struct irc_action *a = &as->a;
	char when[64], step[32];
	char *actor;
	json_t *body;

	action_lines_free(as);
	as->lines_cols = cols;
	irc_time_local(a->time_us, when, sizeof(when));
	action_field(as, "Time", when, cols);
	irc_time_utc(a->time_us, when, sizeof(when));
	action_field(as, "", when, cols);
	actor = a->origin[0] != '\0' ?
	    irc_xasprintf("%s@%s", a->actor, a->origin) :
	    irc_xasprintf("%s (local)", a->actor);
	action_field(as, "Actor", actor, cols);
	free(actor);
	action_field(as, "Kind", a->kind, cols);
	if (a->step_seq > 0)
		snprintf(step, sizeof(step), "%d", a->step_seq);
	else
		snprintf(step, sizeof(step), "the whole case");
	action_field(as, "Step", step, cols);
	action_add(as, irc_xstrdup(""), TUI_ROLE_NORMAL);

	body = json_loads(a->body, 0, NULL);
	if (json_is_object(body)) {
		action_body_text(as, body, cols);
		action_add(as, irc_xstrdup(""), TUI_ROLE_NORMAL);
	}
	json_decref(body);
	action_field(as, "Body", a->body, cols);
	action_add(as, irc_xstrdup(""), TUI_ROLE_NORMAL);
	action_field(as, "Hash", a->hash, cols);
	action_field(as, "Previous", a->prev_hash, cols);
}

static bool action_open(struct tui *t, struct screen *s, const void *arg)
{
	const struct irc_action *from = arg;
	struct action_screen *as = irc_xcalloc(1, sizeof(*as));

	as->a = *from;
	as->a.actor = irc_xstrdup(from->actor ? from->actor : "");
	as->a.origin = irc_xstrdup(from->origin ? from->origin : "");
	as->a.kind = irc_xstrdup(from->kind ? from->kind : "");
	as->a.body = irc_xstrdup(from->body ? from->body : "{}");
	s->data = as;
	return true;
}

static void action_close(struct tui *t, struct screen *s)
{
	struct action_screen *as = s->data;

	action_lines_free(as);
	irc_action_clear(&as->a);
	free(as);
}

static int action_rows(void)
{
	return LINES - 2;
}

static void action_draw(struct tui *t, struct screen *s)
{
	struct action_screen *as = s->data;
	char *title, where[64];

	if (as->lines == NULL || as->lines_cols != COLS - 2) {
		action_build(as, COLS - 2);
		tui_scroll(&as->top, 0, as->count, action_rows());
	}
	title = irc_xasprintf("Action %lld of case #%lld",
	    (long long)as->a.seq, (long long)as->a.case_id);
	snprintf(where, sizeof(where), "%zu-%zu of %zu", as->top + 1,
	    as->top + (size_t)action_rows() < as->count ?
	    as->top + (size_t)action_rows() : as->count, as->count);
	tui_draw_title(title, where);
	free(title);
	for (int r = 0; r < action_rows() && as->top + (size_t)r < as->count; r++)
		tui_draw(1 + r, 1, as->lines[as->top + r].text, COLS - 2,
		    tui_attr(as->lines[as->top + r].role));
	tui_draw_status("q back  j/k scroll", NULL, false);
}

static void action_key(struct tui *t, struct screen *s, int key)
{
	struct action_screen *as = s->data;

	tui_view_key(t, TUI_CTX_ACTION, key, &as->top, as->count, action_rows());
}

static void action_resize(struct tui *t, struct screen *s)
{
	struct action_screen *as = s->data;

	as->lines_cols = 0;	/* rebuilt for the new width on the next draw */
}

const struct screen_ops screen_action_ops = {
	.name = "action",
	.open = action_open,
	.draw = action_draw,
	.key = action_key,
	.resize = action_resize,
	.reload = NULL,
	.close = action_close,
};
