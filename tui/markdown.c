/*
 * markdown.c: Markdown to screen lines, by walking the cmark-gfm tree.
 *
 * Inline content of a block (a paragraph, a heading, a table row) is first
 * collected as bytes with a role per byte, then wrapped by display columns
 * and cut back into spans of one role each.  Collecting per byte lets a
 * word that crosses a role change ("**bold**,") wrap as one word.  Each
 * byte also keeps the number of the link it belongs to, so a screen can
 * find and highlight a link after wrapping.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "markdown.h"
#include "mem.h"
#include "sanitize.h"
#include "text.h"

/* Blocks nested deeper than this are drawn without further indent. */
#define MD_MAX_INDENT_DEPTH 16

struct md_ctx {
	struct tui_doc *doc;
	int cols;
	size_t cap;		/* allocated lines in doc */
	char *text;		/* inline content being collected */
	unsigned char *roles;	/* one enum tui_role per byte of text */
	size_t *links;		/* the link number of each byte of text, or 0 */
	size_t len, text_cap;
	size_t link;		/* number of the link being collected, or 0 */
	bool tight;		/* inside an item of a tight list */
};

static void md_blocks(struct md_ctx *m, cmark_node *parent,
    const char *first, const char *rest, int depth);

static void md_add_line(struct md_ctx *m, struct tui_line line)
{
	if (m->doc->nlines == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 32;
		m->doc->lines = irc_xrealloc(m->doc->lines, m->cap,
		    sizeof(*m->doc->lines));
	}
	m->doc->lines[m->doc->nlines++] = line;
}

static void md_span_add(struct tui_line *line, enum tui_role role,
    size_t link, const char *s, size_t len)
{
	if (len == 0)
		return;
	line->spans = irc_xrealloc(line->spans, line->nspans + 1,
	    sizeof(*line->spans));
	line->spans[line->nspans].role = role;
	line->spans[line->nspans].text = irc_xstrndup(s, len);
	line->spans[line->nspans].link = link;
	line->nspans++;
}

/* Adds an empty line unless the last line is already empty. */
static void md_blank(struct md_ctx *m)
{
	struct tui_line empty = { NULL, 0 };

	if (m->doc->nlines == 0 || m->doc->lines[m->doc->nlines - 1].nspans == 0)
		return;
	md_add_line(m, empty);
}

/* Appends text to the inline buffer after sanitising it. */
static void md_put(struct md_ctx *m, const char *s, enum tui_role role)
{
	char *clean;
	size_t n;

	if (s == NULL || *s == '\0')
		return;
	clean = strcmp(s, "\n") == 0 ? irc_xstrdup(s) : irc_sanitize_str(s, 0);
	n = strlen(clean);
	if (m->len + n > m->text_cap) {
		m->text_cap = (m->len + n) * 2;
		m->text = irc_xrealloc(m->text, m->text_cap, 1);
		m->roles = irc_xrealloc(m->roles, m->text_cap, 1);
		m->links = irc_xrealloc(m->links, m->text_cap,
		    sizeof(*m->links));
	}
	memcpy(m->text + m->len, clean, n);
	memset(m->roles + m->len, (int)role, n);
	for (size_t i = 0; i < n; i++)
		m->links[m->len + i] = m->link;
	m->len += n;
	free(clean);
}

/* Emits bytes [from, to) of the inline buffer as one line after prefix. */
static void md_emit(struct md_ctx *m, const char *prefix, size_t from,
    size_t to)
{
	struct tui_line line = { NULL, 0 };
	size_t start = from, link;

	md_span_add(&line, TUI_ROLE_NORMAL, 0, prefix, strlen(prefix));
	for (size_t i = from; i <= to; i++) {
		if (i == to || m->roles[i] != m->roles[start] ||
		    m->links[i] != m->links[start]) {
			link = i > start ? m->links[start] : 0;
			md_span_add(&line, (enum tui_role)m->roles[start], link,
			    m->text + start, i - start);
			/* A link's line is the first one that shows it. */
			if (link > 0 && m->doc->links[link - 1].line == SIZE_MAX)
				m->doc->links[link - 1].line = m->doc->nlines;
			start = i;
		}
	}
	if (line.nspans == 0)
		md_span_add(&line, TUI_ROLE_NORMAL, 0, " ", 1);
	md_add_line(m, line);
}

/*
 * Wraps the collected inline content into lines: first starts the first
 * line and rest every other.  Empties the buffer.
 */
static void md_flush(struct md_ctx *m, const char *first, const char *rest)
{
	size_t pos = 0, i = 0, space, fit;
	const char *prefix = first;
	int avail, width;

	while (pos < m->len) {
		avail = m->cols - tui_text_width(prefix);
		if (avail < 8)
			avail = 8;
		/*
		 * The line ends at a forced break, the end or the last space.
		 * The next break is found again only once pos has passed it,
		 * so a long paragraph is scanned once, not once per line.
		 */
		if (i < pos || pos == 0)
			for (i = pos; i < m->len && m->text[i] != '\n'; i++)
				;
		fit = pos + tui_text_fit(m->text + pos, i - pos, avail, &width);
		if (fit == i) {
			md_emit(m, prefix, pos, i);
			pos = i < m->len ? i + 1 : i;
		} else {
			for (space = fit; space > pos && m->text[space] != ' '; space--)
				;
			if (space == pos)
				space = fit > pos ? fit : pos + 1;
			md_emit(m, prefix, pos, space);
			pos = space;
			while (pos < m->len && m->text[pos] == ' ')
				pos++;
		}
		prefix = rest;
	}
	m->len = 0;
}

static void md_inlines(struct md_ctx *m, cmark_node *parent,
    enum tui_role role);

/* Adds a link to the document and returns its number. */
static size_t md_link_add(struct md_ctx *m, const char *url)
{
	struct tui_doc *doc = m->doc;

	doc->links = irc_xrealloc(doc->links, doc->nlinks + 1,
	    sizeof(*doc->links));
	doc->links[doc->nlinks].url = irc_xstrdup(url != NULL ? url : "");
	doc->links[doc->nlinks].line = SIZE_MAX;
	return ++doc->nlinks;
}

/* Inline nodes keep the outer role unless they set a stronger one. */
static void md_inline(struct md_ctx *m, cmark_node *node, enum tui_role role)
{
	enum tui_role inner = role == TUI_ROLE_NORMAL ? TUI_ROLE_EMPH : role;
	const char *type = cmark_node_get_type_string(node);
	const char *url;

	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_TEXT:
		md_put(m, cmark_node_get_literal(node), role);
		return;
	case CMARK_NODE_SOFTBREAK:
		md_put(m, " ", role);
		return;
	case CMARK_NODE_LINEBREAK:
		md_put(m, "\n", role);
		return;
	case CMARK_NODE_CODE:
		md_put(m, cmark_node_get_literal(node), TUI_ROLE_CODE);
		return;
	case CMARK_NODE_HTML_INLINE:
		md_put(m, cmark_node_get_literal(node), TUI_ROLE_DIM);
		return;
	case CMARK_NODE_EMPH:
		md_inlines(m, node, inner);
		return;
	case CMARK_NODE_STRONG:
		md_inlines(m, node, role == TUI_ROLE_NORMAL ||
		    role == TUI_ROLE_EMPH ? TUI_ROLE_STRONG : role);
		return;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE: {
		size_t before = m->len, outer = m->link;

		url = cmark_node_get_url(node);
		/* An image inside a link stays part of that link. */
		if (cmark_node_get_type(node) == CMARK_NODE_LINK)
			m->link = md_link_add(m, url);
		if (cmark_node_get_type(node) == CMARK_NODE_IMAGE)
			md_put(m, "[image: ", role);
		md_inlines(m, node, TUI_ROLE_LINK);
		if (cmark_node_get_type(node) == CMARK_NODE_IMAGE)
			md_put(m, "]", role);
		/* An autolink's text is its URL already; show it once. */
		if (url != NULL && *url != '\0' &&
		    (m->len - before != strlen(url) ||
		    memcmp(m->text + before, url, m->len - before) != 0)) {
			md_put(m, " <", TUI_ROLE_DIM);
			md_put(m, url, TUI_ROLE_DIM);
			md_put(m, ">", TUI_ROLE_DIM);
		}
		m->link = outer;
		return;
	}
	case CMARK_NODE_FOOTNOTE_REFERENCE:
		md_put(m, "[^", role);
		md_put(m, cmark_node_get_literal(node), role);
		md_put(m, "]", role);
		return;
	default:
		break;
	}
	if (type != NULL && strcmp(type, "strikethrough") == 0) {
		md_put(m, "~~", TUI_ROLE_DIM);
		md_inlines(m, node, TUI_ROLE_DIM);
		md_put(m, "~~", TUI_ROLE_DIM);
		return;
	}
	md_inlines(m, node, role);
}

static void md_inlines(struct md_ctx *m, cmark_node *parent,
    enum tui_role role)
{
	for (cmark_node *c = cmark_node_first_child(parent); c != NULL;
	    c = cmark_node_next(c))
		md_inline(m, c, role);
}

/* Emits literal text (a code block) line by line; a line wider than the
 * pane wraps like a paragraph. */
static void md_literal(struct md_ctx *m, const char *text, enum tui_role role,
    const char *first, const char *rest)
{
	const char *p = text != NULL ? text : "", *nl;
	const char *prefix = first;
	char *line;
	size_t n;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		line = irc_xstrndup(p, n);
		/* Tabs would show as ^I; code is laid out with them. */
		for (char *t = line; *t; t++)
			if (*t == '\t')
				*t = ' ';
		md_put(m, line, role);
		free(line);
		if (m->len == 0)
			md_put(m, " ", role);
		md_flush(m, prefix, rest);
		prefix = rest;
		p = nl ? nl + 1 : p + n;
	}
}

static char *md_join(const char *a, const char *b, int depth)
{
	if (depth > MD_MAX_INDENT_DEPTH)
		return irc_xstrdup(a);
	return irc_xasprintf("%s%s", a, b);
}

static void md_list(struct md_ctx *m, cmark_node *list, const char *first,
    const char *rest, int depth)
{
	bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
	bool tight_before = m->tight;
	int number = cmark_node_get_list_start(list);
	const char *type, *prefix = first;
	char *bullet, *item_first, *item_rest, *pad;

	m->tight = cmark_node_get_list_tight(list);
	for (cmark_node *item = cmark_node_first_child(list); item != NULL;
	    item = cmark_node_next(item)) {
		type = cmark_node_get_type_string(item);
		if (ordered)
			bullet = irc_xasprintf("%d. ", number++);
		else
			bullet = irc_xstrdup("• ");
		if (type != NULL && strcmp(type, "tasklist") == 0) {
			char *task = irc_xasprintf("%s[%c] ", bullet,
			    cmark_gfm_extensions_get_tasklist_item_checked(item)
			    ? 'x' : ' ');
			free(bullet);
			bullet = task;
		}
		pad = irc_xasprintf("%*s", tui_text_width(bullet), "");
		item_first = md_join(prefix, bullet, depth);
		item_rest = md_join(rest, pad, depth);
		if (!m->tight && item != cmark_node_first_child(list))
			md_blank(m);
		md_blocks(m, item, item_first, item_rest, depth + 1);
		free(bullet);
		free(pad);
		free(item_first);
		free(item_rest);
		prefix = rest;
	}
	m->tight = tight_before;
}

/*
 * Collects the inline content of one table cell and returns its display
 * width.  With measure_only, the content and any links it added are
 * dropped again, so a first pass can size the columns.
 */
static int md_cell(struct md_ctx *m, cmark_node *cell, enum tui_role role,
    bool measure_only)
{
	size_t start = m->len, nlinks = m->doc->nlinks;
	int width;

	md_inlines(m, cell, role);
	width = tui_text_width_n(m->text + start, m->len - start);
	if (measure_only) {
		m->len = start;
		while (m->doc->nlinks > nlinks)
			free(m->doc->links[--m->doc->nlinks].url);
	}
	return width;
}

/*
 * Renders a GFM table one row per line, each column padded to its widest
 * cell and divided by " | ", with a rule under the header row.  A row
 * wider than the screen wraps like a paragraph.
 */
static void md_table(struct md_ctx *m, cmark_node *table, const char *first,
    const char *rest)
{
	const char *prefix = first;
	enum tui_role role;
	int *widths = NULL, w;
	size_t ncols = 0, col;

	for (cmark_node *row = cmark_node_first_child(table); row != NULL;
	    row = cmark_node_next(row)) {
		col = 0;
		for (cmark_node *cell = cmark_node_first_child(row);
		    cell != NULL; cell = cmark_node_next(cell), col++) {
			if (col == ncols) {
				widths = irc_xrealloc(widths, ncols + 1,
				    sizeof(*widths));
				widths[ncols++] = 0;
			}
			w = md_cell(m, cell, TUI_ROLE_NORMAL, true);
			if (w > widths[col])
				widths[col] = w;
		}
	}
	for (cmark_node *row = cmark_node_first_child(table); row != NULL;
	    row = cmark_node_next(row)) {
		const char *type = cmark_node_get_type_string(row);
		bool header = type != NULL && strcmp(type, "table_header") == 0;

		role = header ? TUI_ROLE_HEADING : TUI_ROLE_NORMAL;
		col = 0;
		for (cmark_node *cell = cmark_node_first_child(row);
		    cell != NULL; cell = cmark_node_next(cell), col++) {
			if (col > 0)
				md_put(m, " | ", TUI_ROLE_DIM);
			for (w = md_cell(m, cell, role, false);
			    cmark_node_next(cell) != NULL && w < widths[col]; w++)
				md_put(m, " ", role);
		}
		if (m->len == 0)
			md_put(m, " ", role);
		md_flush(m, prefix, rest);
		prefix = rest;
		if (header) {
			for (col = 0; col < ncols; col++) {
				if (col > 0)
					md_put(m, "-+-", TUI_ROLE_DIM);
				for (w = 0; w < widths[col]; w++)
					md_put(m, "-", TUI_ROLE_DIM);
			}
			md_flush(m, prefix, rest);
		}
	}
	free(widths);
}

static bool md_is_comment(const char *html)
{
	size_t n;

	if (html == NULL || strncmp(html, "<!--", 4) != 0)
		return false;
	n = strlen(html);
	while (n > 0 && (html[n - 1] == '\n' || html[n - 1] == ' '))
		n--;
	return n >= 7 && strncmp(html + n - 3, "-->", 3) == 0 &&
	    strstr(html + 4, "-->") == html + n - 3;
}

/* Renders one block; first prefixes its first line and rest the others. */
static void md_block(struct md_ctx *m, cmark_node *node, const char *first,
    const char *rest, int depth)
{
	const char *type = cmark_node_get_type_string(node);
	char *quote_first, *quote_rest, *rule;
	int width;

	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_PARAGRAPH:
		md_inlines(m, node, TUI_ROLE_NORMAL);
		md_flush(m, first, rest);
		return;
	case CMARK_NODE_HEADING:
		md_inlines(m, node, TUI_ROLE_HEADING);
		md_flush(m, first, rest);
		return;
	case CMARK_NODE_CODE_BLOCK:
		md_literal(m, cmark_node_get_literal(node), TUI_ROLE_CODE,
		    first, rest);
		return;
	case CMARK_NODE_HTML_BLOCK:
		/* A comment is not for the reader; cmark's own Markdown
		 * output adds "<!-- end list -->" between adjacent lists. */
		if (md_is_comment(cmark_node_get_literal(node)))
			return;
		md_literal(m, cmark_node_get_literal(node), TUI_ROLE_DIM,
		    first, rest);
		return;
	case CMARK_NODE_THEMATIC_BREAK:
		width = m->cols - tui_text_width(rest);
		if (width > 40)
			width = 40;
		if (width < 3)
			width = 3;
		rule = irc_xmalloc((size_t)width * 3 + 1);
		for (int i = 0; i < width; i++)
			memcpy(rule + i * 3, "\xe2\x94\x80", 3);
		rule[width * 3] = '\0';
		md_put(m, rule, TUI_ROLE_DIM);
		md_flush(m, first, rest);
		free(rule);
		return;
	case CMARK_NODE_LIST:
		md_list(m, node, first, rest, depth);
		return;
	case CMARK_NODE_BLOCK_QUOTE:
		quote_first = md_join(first, "\xe2\x94\x82 ", depth);
		quote_rest = md_join(rest, "\xe2\x94\x82 ", depth);
		md_blocks(m, node, quote_first, quote_rest, depth + 1);
		free(quote_first);
		free(quote_rest);
		return;
	default:
		break;
	}
	if (type != NULL && strcmp(type, "table") == 0) {
		md_table(m, node, first, rest);
		return;
	}
	md_blocks(m, node, first, rest, depth + 1);
}

static void md_blocks(struct md_ctx *m, cmark_node *parent,
    const char *first, const char *rest, int depth)
{
	const char *prefix = first;

	for (cmark_node *c = cmark_node_first_child(parent); c != NULL;
	    c = cmark_node_next(c)) {
		if (!m->tight)
			md_blank(m);
		md_block(m, c, prefix, rest, depth);
		prefix = rest;
	}
}

void tui_markdown_render(const char *text, int cols, struct tui_doc *doc)
{
	static const char *const extensions[] = {
		"table", "tasklist", "strikethrough", "autolink",
	};
	struct md_ctx m;
	cmark_parser *parser;
	cmark_node *root;

	memset(doc, 0, sizeof(*doc));
	memset(&m, 0, sizeof(m));
	m.doc = doc;
	m.cols = cols < 1 ? 1 : cols;

	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new(CMARK_OPT_DEFAULT);
	for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);

		if (ext != NULL)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	cmark_parser_feed(parser, text ? text : "", text ? strlen(text) : 0);
	root = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	if (root != NULL) {
		md_blocks(&m, root, "", "", 0);
		cmark_node_free(root);
	}
	free(m.text);
	free(m.roles);
	free(m.links);
}

void tui_doc_free(struct tui_doc *doc)
{
	for (size_t i = 0; i < doc->nlines; i++) {
		for (size_t j = 0; j < doc->lines[i].nspans; j++)
			free(doc->lines[i].spans[j].text);
		free(doc->lines[i].spans);
	}
	free(doc->lines);
	for (size_t i = 0; i < doc->nlinks; i++)
		free(doc->links[i].url);
	free(doc->links);
	memset(doc, 0, sizeof(*doc));
}

void tui_doc_append(struct tui_doc *dst, struct tui_doc *src)
{
	size_t base_line = dst->nlines, base_link = dst->nlinks;

	dst->lines = irc_xrealloc(dst->lines, dst->nlines + src->nlines + 1,
	    sizeof(*dst->lines));
	for (size_t i = 0; i < src->nlines; i++) {
		struct tui_line *line = &src->lines[i];

		for (size_t j = 0; j < line->nspans; j++)
			if (line->spans[j].link > 0)
				line->spans[j].link += base_link;
		dst->lines[dst->nlines++] = *line;
	}
	dst->links = irc_xrealloc(dst->links, dst->nlinks + src->nlinks + 1,
	    sizeof(*dst->links));
	for (size_t i = 0; i < src->nlinks; i++) {
		dst->links[dst->nlinks] = src->links[i];
		if (src->links[i].line != SIZE_MAX)
			dst->links[dst->nlinks].line += base_line;
		dst->nlinks++;
	}
	free(src->lines);
	free(src->links);
	memset(src, 0, sizeof(*src));
}

bool tui_doc_link_step(const struct tui_doc *doc, size_t *link, size_t *top,
    int rows, bool back)
{
	size_t i = *link > doc->nlinks ? 0 : *link, line;

	if (back && i == 0)
		i = doc->nlinks + 1;
	for (;;) {
		if (back ? i <= 1 : i >= doc->nlinks)
			return false;
		i = back ? i - 1 : i + 1;
		/* A link with no text on screen is skipped. */
		if (doc->links[i - 1].url[0] == '#' &&
		    doc->links[i - 1].line != SIZE_MAX)
			break;
	}
	*link = i;
	line = doc->links[i - 1].line;
	if (line < *top)
		*top = line;
	else if (rows > 0 && line >= *top + (size_t)rows)
		*top = line - (size_t)rows + 1;
	return true;
}

void tui_line_draw_link(const struct tui_line *line, int y, int x, int cols,
    size_t sel)
{
	int used = 0;

	for (size_t i = 0; i < line->nspans && used < cols; i++) {
		enum tui_role role = line->spans[i].role;

		if (sel > 0 && line->spans[i].link == sel)
			role = TUI_ROLE_SELECTED;
		used += tui_draw(y, x + used, line->spans[i].text, cols - used,
		    tui_attr(role));
	}
	tui_fill(y, x + used, cols - used, tui_attr(TUI_ROLE_NORMAL));
}

void tui_line_draw(const struct tui_line *line, int y, int x, int cols)
{
	tui_line_draw_link(line, y, x, cols, 0);
}
