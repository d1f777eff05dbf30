/*
 * input.h: a one-line text editor for titles and notes.
 *
 * The text is kept as wide characters so the cursor moves by character.
 * Control characters typed or pasted (an ESC inside a pasted escape
 * sequence, say) stay in the text as they are and show in caret form.
 */
#ifndef IRC_TUI_INPUT_H
#define IRC_TUI_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "case.h"

/*
 * Maximum characters in one input line: the core's note limit, so that a
 * note the CLI accepts fits.  The core still checks the length in bytes.
 */
#define TUI_INPUT_MAX IRC_CASE_NOTE_MAX

struct tui_input {
	wchar_t *buf;
	size_t len;
	size_t cursor;		/* index into buf, 0..len */
	bool cut;		/* text beyond TUI_INPUT_MAX was dropped */
	/* Another input follows this one, so keys queued after its Enter are
	 * typed ahead for the next and are kept. */
	bool chained;
};

enum tui_input_result {
	TUI_INPUT_EDITING,
	TUI_INPUT_ACCEPT,
	TUI_INPUT_CANCEL,
};

/* Empties the editor; the first use allocates. */
void tui_input_clear(struct tui_input *in);
void tui_input_free(struct tui_input *in);

/*
 * Applies one key (keys.h form).  A lone ESC or Ctrl-G cancels; one
 * followed at once by more input, as in a pasted text or sequence, is
 * inserted as text.  On accept or cancel, input still queued from the same
 * paste is discarded.
 */
enum tui_input_result tui_input_key(struct tui_input *in, int key);

/*
 * Replaces the text with UTF-8 text (a restored draft), cut at
 * TUI_INPUT_MAX characters, with the cursor at its end.  Bytes that do
 * not decode become U+FFFD.
 */
void tui_input_set(struct tui_input *in, const char *text);

/* Returns the text as a new UTF-8 string that the caller frees. */
char *tui_input_text(const struct tui_input *in);

/*
 * Draws prompt and the text at row y across cols columns, scrolled so the
 * cursor shows, and places the terminal cursor.  After text was cut at
 * TUI_INPUT_MAX characters the prompt says so.
 */
void tui_input_draw(const struct tui_input *in, int y, const char *prompt,
    int cols);

#endif
