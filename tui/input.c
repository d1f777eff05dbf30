/*
 * input.c: the one-line text editor behind the title and note prompts.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "keys.h"
#include "mem.h"
#include "sanitize.h"
#include "screen.h"
#include "text.h"

void tui_input_clear(struct tui_input *in)
{
	if (in->buf == NULL)
		in->buf = irc_xcalloc(TUI_INPUT_MAX + 1, sizeof(wchar_t));
	in->len = 0;
	in->cursor = 0;
	in->cut = false;
	in->buf[0] = L'\0';
}

void tui_input_free(struct tui_input *in)
{
	free(in->buf);
	in->buf = NULL;
	in->len = in->cursor = 0;
}

static void input_insert(struct tui_input *in, wchar_t wc)
{
	if (in->len >= TUI_INPUT_MAX) {
		in->cut = true;
		return;
	}
	memmove(in->buf + in->cursor + 1, in->buf + in->cursor,
	    (in->len - in->cursor) * sizeof(wchar_t));
	in->buf[in->cursor++] = wc;
	in->buf[++in->len] = L'\0';
}

void tui_input_set(struct tui_input *in, const char *text)
{
	mbstate_t ps;
	size_t left = strlen(text), n;
	wchar_t wc;

	tui_input_clear(in);
	memset(&ps, 0, sizeof(ps));
	while (left > 0) {
		n = mbrtowc(&wc, text, left, &ps);
		if (n == (size_t)-1 || n == (size_t)-2) {
			wc = 0xFFFD;
			n = 1;
			memset(&ps, 0, sizeof(ps));
		} else if (n == 0) {
			break;
		}
		input_insert(in, wc);
		text += n;
		left -= n;
	}
}

static void input_erase(struct tui_input *in, size_t at, size_t count)
{
	memmove(in->buf + at, in->buf + at + count,
	    (in->len - at - count) * sizeof(wchar_t));
	in->len -= count;
	in->buf[in->len] = L'\0';
	if (in->cursor > at)
		in->cursor = in->cursor >= at + count ? in->cursor - count : at;
}

/*
 * Returns the key that follows a just-read cancel key without waiting, or
 * ERR when none is queued.  For an ESC curses has already waited ESCDELAY
 * for a function key sequence, so bytes that came with it are queued by
 * now; a paste arrives in one write, so its bytes are queued too.
 */
static int input_peek(void)
{
	wint_t wc;
	int rc;

	nodelay(stdscr, TRUE);
	rc = get_wch(&wc);
	nodelay(stdscr, FALSE);
	timeout(TUI_TICK_MS);
	if (rc == ERR)
		return ERR;
	return rc == KEY_CODE_YES ? TUI_FKEY(wc) : (int)wc;
}

/*
 * Ends the input.  Unless another input follows, whatever is still queued
 * from the same paste is thrown away, so that the rest of the paste never
 * runs as keys of the screen behind the input.
 */
static enum tui_input_result input_close(const struct tui_input *in,
    enum tui_input_result result)
{
	if (!in->chained)
		flushinp();
	return result;
}

enum tui_input_result tui_input_key(struct tui_input *in, int key)
{
	enum tui_action action;
	int next;

	if (in->buf == NULL)
		tui_input_clear(in);
	action = tui_key_action(TUI_CTX_INPUT, key);
	/*
	 * A cancel key (Esc, Ctrl-G) cancels only when pressed alone.  When
	 * more input is already queued it came in the same paste or escape
	 * sequence: keep it as text, shown in caret form.
	 */
	while (action == TUI_ACT_CANCEL && key > 0 && key < 0x80) {
		next = input_peek();
		if (next == ERR)
			return input_close(in, TUI_INPUT_CANCEL);
		input_insert(in, (wchar_t)key);
		key = next;
		action = tui_key_action(TUI_CTX_INPUT, key);
	}
	switch (action) {
	case TUI_ACT_ACCEPT:
		return input_close(in, TUI_INPUT_ACCEPT);
	case TUI_ACT_CANCEL:
		return input_close(in, TUI_INPUT_CANCEL);
	case TUI_ACT_ERASE_BACK:
		if (in->cursor > 0)
			input_erase(in, in->cursor - 1, 1);
		break;
	case TUI_ACT_ERASE_FORWARD:
		if (in->cursor < in->len)
			input_erase(in, in->cursor, 1);
		break;
	case TUI_ACT_ERASE_LINE:
		input_erase(in, 0, in->cursor);
		break;
	case TUI_ACT_LEFT:
		if (in->cursor > 0)
			in->cursor--;
		break;
	case TUI_ACT_RIGHT:
		if (in->cursor < in->len)
			in->cursor++;
		break;
	case TUI_ACT_LINE_START:
		in->cursor = 0;
		break;
	case TUI_ACT_LINE_END:
		in->cursor = in->len;
		break;
	default:
		/* Other function keys are ignored; characters are text. */
		if ((key & TUI_FKEY(0)) == 0 && key > 0)
			input_insert(in, (wchar_t)key);
		break;
	}
	return TUI_INPUT_EDITING;
}

char *tui_input_text(const struct tui_input *in)
{
	char *out, *p;
	mbstate_t state;
	size_t n;

	out = irc_xmalloc(in->len * MB_LEN_MAX + 1);
	p = out;
	memset(&state, 0, sizeof(state));
	for (size_t i = 0; i < in->len; i++) {
		n = wcrtomb(p, in->buf[i], &state);
		if (n == (size_t)-1) {
			memset(&state, 0, sizeof(state));
			continue;
		}
		p += n;
	}
	*p = '\0';
	return out;
}

/* Returns character i as it will be drawn (sanitised), in a new string. */
static char *input_shown(const struct tui_input *in, size_t i)
{
	char mb[MB_LEN_MAX + 1];
	mbstate_t state;
	size_t n;

	memset(&state, 0, sizeof(state));
	n = wcrtomb(mb, in->buf[i], &state);
	if (n == (size_t)-1)
		n = 0;
	mb[n] = '\0';
	return irc_sanitize(mb, n, 0);
}

void tui_input_draw(const struct tui_input *in, int y, const char *prompt,
    int cols)
{
	int pw, avail, before = 0, x, w;
	size_t start, i;
	char *shown, *cutprompt = NULL;

	tui_fill(y, 0, cols, tui_attr(TUI_ROLE_NORMAL));
	if (in->cut) {
		cutprompt = irc_xasprintf("[cut at %d characters] %s",
		    TUI_INPUT_MAX, prompt);
		prompt = cutprompt;
	}
	pw = tui_draw(y, 0, prompt, cols / 2, tui_attr(in->cut ?
	    TUI_ROLE_ERROR : TUI_ROLE_HEADING));
	free(cutprompt);
	avail = cols - pw - 1;
	if (avail < 1 || in->buf == NULL)
		return;

	/* Start as far left of the cursor as fits, measuring only that. */
	start = in->cursor;
	while (start > 0) {
		shown = input_shown(in, start - 1);
		w = tui_text_width(shown);
		free(shown);
		if (before + w >= avail)
			break;
		before += w;
		start--;
	}

	x = pw;
	for (i = start; i < in->len; i++) {
		shown = input_shown(in, i);
		w = tui_text_width(shown);
		if (x + w > pw + avail) {
			free(shown);
			break;
		}
		tui_draw(y, x, shown, w, tui_attr(TUI_ROLE_NORMAL));
		x += w;
		free(shown);
	}
	move(y, pw + before);
	curs_set(1);
}
