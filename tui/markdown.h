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

#include <stdbool.h>
#include <stddef.h>

#include "screen.h"

struct tui_span {
	enum tui_role role;
	char *text;
	size_t link;		/* 1-based index into the doc's links, 0 for none */
};

/* A link in a rendered document, in the order the text shows them. */
struct tui_link {
	char *url;		/* as written: "#anchor", "https://..." */
	size_t line;		/* first line of the doc that shows it */
};

struct tui_line {
	struct tui_span *spans;
	size_t nspans;
};

struct tui_doc {
	struct tui_line *lines;
	size_t nlines;
	struct tui_link *links;
	size_t nlinks;
};

/*
 * Renders Markdown text into doc, wrapped to cols columns.  Headings,
 * emphasis and code keep their roles; a link shows its text and then its
 * URL in angle brackets, and its spans carry the link's number in
 * doc->links.  The caller frees doc with tui_doc_free().
 */
void tui_markdown_render(const char *text, int cols, struct tui_doc *doc);
void tui_doc_free(struct tui_doc *doc);

/*
 * Moves the lines and links of src to the end of dst, renumbering the
 * links, and leaves src empty.
 */
void tui_doc_append(struct tui_doc *dst, struct tui_doc *src);

/*
 * Moves *link to the next "#anchor" link of doc after it, or to the
 * previous one when back is true (from 0: the first or the last), and
 * scrolls *top so that the link's first line is among rows lines from
 * *top.  Returns false and leaves both as they were when there is none
 * that way.
 */
bool tui_doc_link_step(const struct tui_doc *doc, size_t *link, size_t *top,
    int rows, bool back);

/* Draws one rendered line at y, x, padded to cols columns. */
void tui_line_draw(const struct tui_line *line, int y, int x, int cols);

/* As tui_line_draw(), with the spans of link number sel drawn selected. */
void tui_line_draw_link(const struct tui_line *line, int y, int x, int cols,
    size_t sel);

#endif
