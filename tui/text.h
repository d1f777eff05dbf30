/*
 * text.h: measuring, cutting, padding and wrapping UTF-8 text by display
 * columns (wcwidth), never by bytes, so wide and combining characters keep
 * the layout intact.
 */
#ifndef IRC_TUI_TEXT_H
#define IRC_TUI_TEXT_H

#include <stddef.h>
#include <curses.h>

/* Returns the display width of the first len bytes of s. */
int tui_text_width_n(const char *s, size_t len);

/* Returns the display width of the NUL-terminated string s. */
int tui_text_width(const char *s);

/*
 * Returns how many bytes of s (len bytes) fit in cols columns without
 * splitting a character.  Zero-width characters right after the last
 * character that fits are counted in, so combining marks stay with it.  *width (when not NULL) receives the columns
 * those bytes take.
 */
size_t tui_text_fit(const char *s, size_t len, int cols, int *width);

/*
 * Wraps s into lines of at most cols columns, breaking at spaces and
 * cutting words longer than a line.  '\n' starts a new line.  Returns the
 * number of lines; *lines is an array of new strings that the caller frees
 * with tui_lines_free().
 */
size_t tui_text_wrap(const char *s, int cols, char ***lines);
void tui_lines_free(char **lines, size_t count);

/*
 * Sanitises s with irc_sanitize_str() and draws it on stdscr at y, x with
 * attr.  Text longer than cols columns is cut to cols - 1 and ended with
 * tui_ellipsis().  Returns the columns drawn.
 */
int tui_draw(int y, int x, const char *s, int cols, attr_t attr);

/* Like tui_draw(), then pads with spaces in attr up to cols columns. */
void tui_draw_pad(int y, int x, const char *s, int cols, attr_t attr);

/* Returns the one-column mark of cut text: U+2026 in a UTF-8 locale, else '~'. */
const char *tui_ellipsis(void);

/* Returns a one-column vertical line: U+2502 in a UTF-8 locale, else '|'. */
const char *tui_vline(void);

/* Fills cols columns at y, x with spaces in attr. */
void tui_fill(int y, int x, int cols, attr_t attr);

#endif
