/*
 * markdown.h: a step's Markdown body turned into lines for the screen.
 *
 * The body is parsed with cmark-gfm and its GFM extensions (tables, task
 * lists, strikethrough, autolinks) and the tree is walked into lines of at
 * most a given number of columns.  Every piece of text is sanitised on the
 * way, so the lines are safe to draw as they are.
 */
#ifndef IRC_TUI_MARKDOWN_H
#define IRC_TUI_MARKDOWN_H

#include <stddef.h>

#include "screen.h"

struct tui_span {
	enum tui_role role;
	char *text;
};

struct tui_line {
	struct tui_span *spans;
	size_t nspans;
};

struct tui_doc {
	struct tui_line *lines;
	size_t nlines;
};

/*
 * Renders Markdown text into doc, wrapped to cols columns.  Headings,
 * emphasis and code keep their roles; a link shows its text and then its
 * URL in angle brackets.  The caller frees doc with tui_doc_free().
 */
void tui_markdown_render(const char *text, int cols, struct tui_doc *doc);
void tui_doc_free(struct tui_doc *doc);

/* Draws one rendered line at y, x, padded to cols columns. */
void tui_line_draw(const struct tui_line *line, int y, int x, int cols);

#endif
