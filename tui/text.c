/*
 * text.c: UTF-8 text measured, cut, padded and wrapped by display columns.
 *
 * Widths come from mbrtowc() and wcwidth() under the locale set by
 * tui_run().  A byte that is not valid UTF-8 counts as one column, and so
 * does a character that wcwidth() reports as unprintable.  tui_draw()
 * replaces both through irc_sanitize() before drawing, so these counts
 * only have to keep the layout from overflowing.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "mem.h"
#include "sanitize.h"
#include "text.h"

/*
 * Decodes the character at s (at most len bytes).  Returns its length in
 * bytes (at least 1) and stores its display width in *width.
 */
static size_t text_next(const char *s, size_t len, int *width)
{
	mbstate_t state;
	wchar_t wc;
	size_t n;
	int w;

	memset(&state, 0, sizeof(state));
	n = mbrtowc(&wc, s, len, &state);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*width = 1;
		return 1;
	}
	w = wcwidth(wc);
	*width = w < 0 ? 1 : w;
	return n;
}

int tui_text_width_n(const char *s, size_t len)
{
	size_t i = 0;
	int total = 0, w;

	while (i < len) {
		i += text_next(s + i, len - i, &w);
		total += w;
	}
	return total;
}

int tui_text_width(const char *s)
{
	return tui_text_width_n(s, strlen(s));
}

size_t tui_text_fit(const char *s, size_t len, int cols, int *width)
{
	size_t i = 0, n;
	int used = 0, w;

	while (i < len) {
		n = text_next(s + i, len - i, &w);
		if (used + w > cols)
			break;
		used += w;
		i += n;
	}
	if (width != NULL)
		*width = used;
	return i;
}

struct wrap_out {
	char **lines;
	size_t count, cap;
};

static void wrap_push(struct wrap_out *out, const char *s, size_t len)
{
	if (out->count == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 8;
		out->lines = irc_xrealloc(out->lines, out->cap, sizeof(*out->lines));
	}
	out->lines[out->count++] = irc_xstrndup(s, len);
}

/* Wraps one line of text (no '\n') into out. */
static void wrap_line(struct wrap_out *out, const char *s, size_t len, int cols)
{
	size_t fit, cut;

	for (;;) {
		fit = tui_text_fit(s, len, cols, NULL);
		if (fit == len) {
			wrap_push(out, s, len);
			return;
		}
		/* Break at the last space that fits; cut the word when none. */
		cut = fit;
		while (cut > 0 && s[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = fit > 0 ? fit : 1;
		wrap_push(out, s, cut);
		s += cut;
		len -= cut;
		while (len > 0 && *s == ' ') {
			s++;
			len--;
		}
		if (len == 0)
			return;
	}
}

size_t tui_text_wrap(const char *s, int cols, char ***lines)
{
	struct wrap_out out = { NULL, 0, 0 };
	const char *nl;

	if (cols < 1)
		cols = 1;
	for (;;) {
		nl = strchr(s, '\n');
		wrap_line(&out, s, nl ? (size_t)(nl - s) : strlen(s), cols);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	*lines = out.lines;
	return out.count;
}

void tui_lines_free(char **lines, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(lines[i]);
	free(lines);
}

const char *tui_ellipsis(void)
{
	return MB_CUR_MAX > 1 ? "\xe2\x80\xa6" : "~";
}

int tui_draw(int y, int x, const char *s, int cols, attr_t attr)
{
	char *clean;
	size_t n, len;
	int used;
	bool cut;

	if (cols <= 0)
		return 0;
	clean = irc_sanitize_str(s, 0);
	len = strlen(clean);
	n = tui_text_fit(clean, len, cols, &used);
	/* A cut string ends in a one-column ellipsis that marks the cut. */
	cut = n < len;
	if (cut)
		n = tui_text_fit(clean, len, cols - 1, &used);
	attrset(attr);
	if (n > 0)
		mvaddnstr(y, x, clean, (int)n);
	if (cut) {
		mvaddstr(y, x + used, tui_ellipsis());
		used++;
	}
	attrset(A_NORMAL);
	free(clean);
	return used;
}

const char *tui_vline(void)
{
	return MB_CUR_MAX > 1 ? "\xe2\x94\x82" : "|";
}

void tui_fill(int y, int x, int cols, attr_t attr)
{
	attrset(attr);
	for (int i = 0; i < cols; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

void tui_draw_pad(int y, int x, const char *s, int cols, attr_t attr)
{
	int used = tui_draw(y, x, s, cols, attr);

	tui_fill(y, x + used, cols - used, attr);
}
