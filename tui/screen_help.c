/*
 * screen_help.c: the `?` screen, listing the key table with the keys of
 * the screen it was opened from first.
 */
#include <stdio.h>
#include <stdlib.h>

#include "keys.h"
#include "mem.h"
#include "screen.h"
#include "text.h"

struct help_line {
	char *text;
	enum tui_role role;
};

struct help_screen {
	enum tui_keyctx first;	/* the context shown at the top */
	struct help_line *lines;
	size_t count;
	size_t top;
};

static void help_add(struct help_screen *hs, char *text, enum tui_role role)
{
	hs->lines = irc_xrealloc(hs->lines, hs->count + 1, sizeof(*hs->lines));
	hs->lines[hs->count].text = text;
	hs->lines[hs->count].role = role;
	hs->count++;
}

static void help_add_ctx(struct help_screen *hs, enum tui_keyctx ctx)
{
	const struct tui_key *keys;
	size_t nkeys, n;
	char **wrapped;
	int help_w = COLS - 23;

	if (hs->count > 0)
		help_add(hs, irc_xstrdup(""), TUI_ROLE_NORMAL);
	help_add(hs, irc_xstrdup(tui_keyctx_name(ctx)), TUI_ROLE_HEADING);
	keys = tui_keys(&nkeys);
	for (size_t i = 0; i < nkeys; i++) {
		if (keys[i].ctx != ctx)
			continue;
		n = tui_text_wrap(keys[i].help, help_w > 10 ? help_w : 10,
		    &wrapped);
		for (size_t j = 0; j < n; j++)
			help_add(hs, irc_xasprintf("  %-16s %s",
			    j == 0 ? keys[i].names : "", wrapped[j]),
			    TUI_ROLE_NORMAL);
		tui_lines_free(wrapped, n);
	}
}

static void help_build(struct help_screen *hs)
{
	for (size_t i = 0; i < hs->count; i++)
		free(hs->lines[i].text);
	free(hs->lines);
	hs->lines = NULL;
	hs->count = 0;
	help_add_ctx(hs, hs->first);
	for (int c = 0; c < TUI_CTX_COUNT; c++)
		if ((enum tui_keyctx)c != hs->first)
			help_add_ctx(hs, (enum tui_keyctx)c);
}

static bool help_open(struct tui *t, struct screen *s, const void *arg)
{
	struct help_screen *hs = irc_xcalloc(1, sizeof(*hs));

	hs->first = arg ? *(const enum tui_keyctx *)arg : TUI_CTX_LIST;
	help_build(hs);
	s->data = hs;
	return true;
}

static void help_close(struct tui *t, struct screen *s)
{
	struct help_screen *hs = s->data;

	for (size_t i = 0; i < hs->count; i++)
		free(hs->lines[i].text);
	free(hs->lines);
	free(hs);
}

static int help_rows(void)
{
	return LINES - 2;
}

static void help_draw(struct tui *t, struct screen *s)
{
	struct help_screen *hs = s->data;
	char where[64];

	snprintf(where, sizeof(where), "%zu-%zu of %zu", hs->top + 1,
	    hs->top + (size_t)help_rows() < hs->count ?
	    hs->top + (size_t)help_rows() : hs->count, hs->count);
	tui_draw_title("ircase: keys", where);
	for (int r = 0; r < help_rows() && hs->top + (size_t)r < hs->count; r++)
		tui_draw(1 + r, 1, hs->lines[hs->top + r].text, COLS - 2,
		    tui_attr(hs->lines[hs->top + r].role));
	tui_draw_status("q close  j/k scroll", NULL, false);
}

static void help_key(struct tui *t, struct screen *s, int key)
{
	struct help_screen *hs = s->data;
	enum tui_action action = tui_key_action(TUI_CTX_HELP, key);

	if (tui_scroll_key(action, &hs->top, hs->count, help_rows()))
		return;
	switch (action) {
	case TUI_ACT_BACK:
		tui_pop(t);
		break;
	default:
		break;
	}
}

static void help_resize(struct tui *t, struct screen *s)
{
	struct help_screen *hs = s->data;

	help_build(hs);
	tui_scroll(&hs->top, 0, hs->count, help_rows());
}

const struct screen_ops screen_help_ops = {
	.name = "help",
	.open = help_open,
	.draw = help_draw,
	.key = help_key,
	.resize = help_resize,
	.reload = NULL,
	.close = help_close,
};

void tui_view_key(struct tui *t, enum tui_keyctx ctx, int key, size_t *top,
    size_t count, int rows)
{
	enum tui_action action = tui_key_action(ctx, key);

	if (tui_scroll_key(action, top, count, rows))
		return;
	if (action == TUI_ACT_HELP)
		tui_push(t, &screen_help_ops, &ctx);
	else if (action == TUI_ACT_BACK)
		tui_pop(t);
}
