/*
 * playbook_text.c: text helpers that the playbook loader's files share:
 * a growing string, plain text of a Markdown node, trimming of Unicode
 * spaces, one-line titles and GitHub anchor slugs.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "mem.h"
#include "playbook.h"
#include "playbook_internal.h"

void
pb_buf_add(struct pb_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = irc_xrealloc(b->data, b->cap, 1);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
pb_grow(void *array, size_t n, size_t size)
{
	void **p = array;

	if ((n & (n - 1)) == 0)
		*p = irc_xrealloc(*p, n < 8 ? 8 : 2 * n, size);
}

char *
pb_buf_finish(struct pb_buf *b)
{
	if (b->data == NULL)
		return irc_xstrdup("");
	return b->data;
}

void
pb_plain_text(cmark_node *node, struct pb_buf *b, size_t *work)
{
	cmark_iter *iter = cmark_iter_new(node);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *cur = cmark_iter_get_node(iter);
		const char *lit;

		(*work)++;
		switch (cmark_node_get_type(cur)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			lit = cmark_node_get_literal(cur);
			if (ev == CMARK_EVENT_ENTER && lit != NULL)
				pb_buf_add(b, lit, strlen(lit));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			pb_buf_add(b, "\n", 1);
			break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			if (ev == CMARK_EVENT_EXIT)
				pb_buf_add(b, "\n", 1);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(iter);
}

/* Returns the length of the Unicode space at s, or 0. */
static size_t
space_len(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' ||
	    s[0] == '\r' || s[0] == '\v' || s[0] == '\f'))
		return 1;
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)	/* U+00A0 */
		return 2;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
	    ((s[2] >= 0x80 && s[2] <= 0x8B) || s[2] == 0xAF))
		return 3;			/* U+2000-U+200B, U+202F */
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
		return 3;			/* U+205F */
	if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;			/* U+3000 */
	if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return 3;			/* U+FEFF */
	return 0;
}

const char *
pb_trim(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = *len, k;

	while (n > 0 && (k = space_len(p, n)) > 0) {
		p += k;
		n -= k;
	}
	for (;;) {
		size_t back = 0;

		for (k = 1; k <= 3 && k <= n; k++) {
			if (space_len(p + n - k, k) == k) {
				back = k;
				break;
			}
		}
		if (back == 0)
			break;
		n -= back;
	}
	*len = n;
	return (const char *)p;
}

char *
pb_one_line(const char *s, size_t len)
{
	char *out;

	s = pb_trim(s, &len);
	if (len > IRC_PB_TITLE_MAX) {
		len = IRC_PB_TITLE_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		s = pb_trim(s, &len);
	}
	out = irc_xstrndup(s, len);
	for (char *p = out; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	}
	return out;
}

char *
pb_node_text(cmark_node *node, size_t *work)
{
	struct pb_buf b = { 0 };
	char *text, *line;

	pb_plain_text(node, &b, work);
	text = pb_buf_finish(&b);
	line = pb_one_line(text, strlen(text));
	free(text);
	return line;
}

bool
pb_blank(const char *s)
{
	size_t len = strlen(s);

	pb_trim(s, &len);
	return len == 0;
}

/*
 * Returns true for a code point that GitHub keeps in a slug: letters and
 * digits of the common scripts.  Punctuation (U+2000-U+206F), symbols,
 * emoji and variation selectors are dropped.
 */
static bool
slug_keeps(unsigned long cp)
{
	if (cp == 0xD7 || cp == 0xF7)
		return false;
	return (cp >= 0xC0 && cp <= 0x24F) || (cp >= 0x370 && cp <= 0x1FFF) ||
	    (cp >= 0x3040 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

/* Decodes the UTF-8 character at p (valid input) into *cp; returns its length. */
static size_t
utf8_decode(const unsigned char *p, unsigned long *cp)
{
	size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC0 ? 2 : 1;

	*cp = n == 1 ? p[0] : p[0] & (0x3F >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return i;
		*cp = (*cp << 6) | (p[i] & 0x3F);
	}
	return n;
}

/*
 * GitHub's rule for heading ids: lower-case the text, drop every
 * character that is not a letter, digit, space, '-' or '_', then turn
 * each space into '-'.  Case folding is ASCII only.
 */
void
irc_playbook_slug(const char *text, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = 0;

	if (size == 0)
		return;
	while (*p != '\0') {
		unsigned char c = *p;
		unsigned long cp;
		size_t len;

		if (c < 0x80) {
			char keep = 0;

			if (c >= 'A' && c <= 'Z')
				keep = (char)(c - 'A' + 'a');
			else if ((c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_')
				keep = (char)c;
			else if (c == ' ')
				keep = '-';
			if (keep != 0 && n + 1 < size)
				out[n++] = keep;
			p++;
			continue;
		}
		len = utf8_decode(p, &cp);
		if (slug_keeps(cp) && n + len < size) {
			memcpy(out + n, p, len);
			n += len;
		}
		p += len;
	}
	out[n] = '\0';
}
