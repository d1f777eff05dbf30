/*
 * screen_prompt.c: one question with a one-line answer, for actions on a
 * case that need a reason or a summary (skipping a step, closing the
 * case).  The answer goes to the opener's submit function; on failure the
 * message shows and the answer stays for another try.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "mem.h"
#include "prompt.h"
#include "text.h"

struct prompt_screen {
	struct tui_prompt p;
	struct tui_input input;
	char message[IRC_ERROR_MAX];
};

static bool prompt_open(struct tui *t, struct screen *s, const void *arg)
{
	struct prompt_screen *ps = irc_xcalloc(1, sizeof(*ps));

	ps->p = *(const struct tui_prompt *)arg;
	tui_input_clear(&ps->input);
	s->data = ps;
	return true;
}

static void prompt_close(struct tui *t, struct screen *s)
{
	struct prompt_screen *ps = s->data;

	tui_input_free(&ps->input);
	free(ps);
}

/*
 * Draws the question and the answer line from row 1.  tui_input_draw()
 * gives a prompt at most half the width, so a longer question wraps on
 * lines of its own above an answer line that starts with "> ".  Returns
 * the row below the answer.  Drawn last, so the cursor stays in the answer.
 */
static int prompt_draw_question(struct prompt_screen *ps, bool draw)
{
	char **lines;
	size_t n;
	int y = 1;

	if (tui_text_width(ps->p.question) < COLS / 2) {
		if (draw)
			tui_input_draw(&ps->input, y, ps->p.question, COLS);
		return y + 1;
	}
	n = tui_text_wrap(ps->p.question, COLS > 4 ? COLS - 2 : 2, &lines);
	for (size_t i = 0; i < n && y < LINES - 4; i++, y++)
		if (draw)
			tui_draw_pad(y, 0, lines[i], COLS,
			    tui_attr(TUI_ROLE_HEADING));
	tui_lines_free(lines, n);
	if (draw)
		tui_input_draw(&ps->input, y, "> ", COLS);
	return y + 1;
}

static void prompt_draw(struct tui *t, struct screen *s)
{
	struct prompt_screen *ps = s->data;
	char **lines;
	size_t n;
	int y;

	tui_draw_title(ps->p.title, NULL);
	y = prompt_draw_question(ps, false) + 1;
	n = tui_text_wrap(ps->message, COLS > 4 ? COLS - 2 : 2, &lines);
	for (size_t i = 0; i < n && y < LINES - 2; i++)
		tui_draw(y++, 1, lines[i], COLS - 2,
		    tui_attr(TUI_ROLE_ERROR));
	tui_lines_free(lines, n);
	tui_draw_status("Enter saves, Esc or Ctrl-G cancels", NULL, false);
	prompt_draw_question(ps, true);
}

static void prompt_key(struct tui *t, struct screen *s, int key)
{
	struct prompt_screen *ps = s->data;
	struct irc_error err;
	char *text;

	switch (tui_input_key(&ps->input, key)) {
	case TUI_INPUT_ACCEPT:
		text = tui_input_text(&ps->input);
		irc_error_clear(&err);
		if (ps->p.submit(t, ps->p.case_id, ps->p.number, text, &err) ==
		    IRC_OK) {
			struct tui_prompt p = ps->p;	/* tui_pop() frees ps */

			free(text);
			tui_pop(t);
			if (p.done != NULL)
				p.done(t, p.case_id);
			return;
		}
		snprintf(ps->message, sizeof(ps->message), "%s", err.msg);
		free(text);
		break;
	case TUI_INPUT_CANCEL:
		tui_pop(t);
		break;
	case TUI_INPUT_EDITING:
		break;
	}
}

static void prompt_resize(struct tui *t, struct screen *s)
{
}

const struct screen_ops screen_prompt_ops = {
	.name = "prompt",
	.open = prompt_open,
	.draw = prompt_draw,
	.key = prompt_key,
	.resize = prompt_resize,
	.reload = NULL,
	.close = prompt_close,
};
