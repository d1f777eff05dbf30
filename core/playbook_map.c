/*
 * playbook_map.c: from a Markdown tree to phases, steps and references.
 *
 * cmark-gfm parses the text (tables, task lists and strikethrough on), so
 * a "#" line inside a code fence is never a heading.  The mapping then
 * reads the top-level blocks in order:
 *
 *  - Markers are headings and bold-only lines ("**(C) Containment**"),
 *    which count as level 7, below any heading.  The title heading is
 *    the first heading when it is alone at the shallowest level used.
 *  - The phase level is the shallowest marker level at which at least two
 *    markers name a phase (playbook_lexicon.c).  With none, there is no
 *    phase level and every step goes to Respond.
 *  - A marker at or above the phase level opens a section.  It is a phase
 *    when it names one and a reference pane when it names reference
 *    material.  Any other marker whose section contains lists is a step
 *    group of the open phase (or of Respond), and without lists it is a
 *    reference pane.
 *  - A marker below the phase level opens a step group in its phase, or a
 *    reference pane when it names reference material.
 *  - In a phase, each top-level list item is a step, and so is each task
 *    item at any depth, in lists or in block quotes.
 *
 * Prose between lists in a phase is not kept; see BUGS in
 * ircase-playbook(5).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>

#include "mem.h"
#include "model.h"
#include "playbook.h"
#include "playbook_internal.h"
#include "status.h"

#define BOLD_LEVEL 7		/* marker level of a bold-only line */
#define BOLD_MAX 80		/* longest bold-only line taken as a marker */
#define TITLE_MAX 200		/* bytes kept of a step title */

struct marker {
	cmark_node *node;
	int level;		/* 1-6, or BOLD_LEVEL */
	char *text;		/* plain text */
	int phase;		/* irc_pb_phase_of_heading(), or -1 */
};

enum section_kind {
	SECTION_LOOSE,		/* no phase heading above: steps go to Respond */
	SECTION_PHASE,
	SECTION_REF,
};

struct section {
	enum section_kind kind;
	enum irc_phase phase;	/* for SECTION_PHASE */
	int level;		/* level of the marker that opened it */
};

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

struct map {
	struct irc_playbook *pb;
	cmark_syntax_extension *tasklist;
	struct marker *markers;
	size_t nmarkers;
	size_t cap[IRC_PHASE_COUNT];
	int phase_level;	/* 0 when no level names phases */
	struct section outer;	/* opened by a marker at or above phase_level */
	enum section_kind kind;	/* the kind in force, a deeper ref or outer's */
	const char *group;	/* text of the marker that opened the group */
	size_t ref;		/* index in pb->refs while kind is SECTION_REF */
	struct buf *ref_bodies;	/* the text of each pb->refs entry, growing */
	bool preamble;		/* no marker but the title read yet */
	size_t intro;		/* index in pb->refs of the preamble's prose */
	bool has_intro;

	/* The phase heading open now, to warn when it gets no steps. */
	const struct marker *phase_marker;
	size_t steps_at_phase;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->data = irc_xrealloc(b->data, b->cap, 1);
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static char *
buf_finish(struct buf *b)
{
	if (b->data == NULL)
		return irc_xstrdup("");
	return b->data;
}

/* Appends the plain text of node and what is under it to b. */
static void
plain_text(cmark_node *node, struct buf *b)
{
	cmark_iter *iter = cmark_iter_new(node);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *cur = cmark_iter_get_node(iter);
		const char *lit;

		switch (cmark_node_get_type(cur)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			lit = cmark_node_get_literal(cur);
			if (ev == CMARK_EVENT_ENTER && lit != NULL)
				buf_add(b, lit, strlen(lit));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_add(b, "\n", 1);
			break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			if (ev == CMARK_EVENT_EXIT)
				buf_add(b, "\n", 1);
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

/* Trims Unicode spaces from both ends of s[0, *len). */
static const char *
trim(const char *s, size_t *len)
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

/*
 * Returns a one-line copy of s[0, len): trimmed, control characters as
 * spaces, and cut to TITLE_MAX bytes on a character boundary.
 */
static char *
one_line(const char *s, size_t len)
{
	char *out;

	s = trim(s, &len);
	if (len > TITLE_MAX) {
		len = TITLE_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		s = trim(s, &len);
	}
	out = irc_xstrndup(s, len);
	for (char *p = out; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	}
	return out;
}

static char *
node_text(cmark_node *node)
{
	struct buf b = { 0 };
	char *text, *line;

	plain_text(node, &b);
	text = buf_finish(&b);
	line = one_line(text, strlen(text));
	free(text);
	return line;
}

/* Returns true when the word ending at s[end] is an abbreviation. */
static bool
ends_abbreviation(const char *s, size_t end)
{
	static const char *abbrev[] = { "e.g", "i.e", "etc", "vs", "cf", "no" };
	size_t start = end;

	while (start > 0 && s[start - 1] != ' ')
		start--;
	for (size_t i = 0; i < sizeof abbrev / sizeof abbrev[0]; i++) {
		size_t n = strlen(abbrev[i]);

		if (end - start == n && strncasecmp(s + start, abbrev[i], n) == 0)
			return true;
	}
	return false;
}

/* Returns the length of the first line and sentence of text. */
static size_t
first_sentence(const char *text)
{
	size_t n = strcspn(text, "\n");

	for (size_t i = 1; i + 1 < n; i++) {
		if ((text[i] == '.' || text[i] == '?' || text[i] == '!') &&
		    text[i + 1] == ' ' && !ends_abbreviation(text, i))
			return text[i] == '.' ? i : i + 1;
	}
	return n;
}

/*
 * Returns the first text node of item when its paragraph starts with a
 * task marker ("[ ] ", "[x] ") that the tasklist extension missed: cmark-gfm
 * 0.29.0.gfm.6 does not see task items inside block quotes.
 */
static cmark_node *
literal_task_marker(cmark_node *item)
{
	cmark_node *para = cmark_node_first_child(item), *text;
	const char *lit;

	if (para == NULL || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return NULL;
	text = cmark_node_first_child(para);
	if (text == NULL || cmark_node_get_type(text) != CMARK_NODE_TEXT)
		return NULL;
	lit = cmark_node_get_literal(text);
	if (lit[0] != '[' || strchr(" xX", lit[1]) == NULL || lit[1] == '\0' ||
	    lit[2] != ']' || (lit[3] != ' ' && lit[3] != '\t' && lit[3] != '\0'))
		return NULL;
	return text;
}

static bool
is_task(const struct map *m, cmark_node *node)
{
	if (cmark_node_get_type(node) != CMARK_NODE_ITEM)
		return false;
	return cmark_node_get_syntax_extension(node) == m->tasklist ||
	    literal_task_marker(node) != NULL;
}

/* Returns whether a task item is checked, and drops a literal marker. */
static bool
task_take_checked(const struct map *m, cmark_node *item)
{
	cmark_node *text;
	const char *lit;
	bool checked;
	char *rest;

	if (cmark_node_get_syntax_extension(item) == m->tasklist)
		return cmark_gfm_extensions_get_tasklist_item_checked(item);
	text = literal_task_marker(item);
	if (text == NULL)
		return false;
	lit = cmark_node_get_literal(text);
	checked = lit[1] != ' ';
	rest = irc_xstrdup(lit + 3 + strspn(lit + 3, " \t"));
	cmark_node_set_literal(text, rest);
	free(rest);
	return checked;
}

/* Returns true when text is only a placeholder: "TODO", "TODO: ...". */
static bool
is_stub_text(const char *text)
{
	size_t len = strlen(text);

	text = trim(text, &len);
	if (len < 4 || strncasecmp(text, "todo", 4) != 0)
		return false;
	return len == 4 || text[4] == ':' || text[4] == '.';
}

static char *
render_blocks(cmark_node *first)
{
	struct buf b = { 0 };
	char *md;

	for (cmark_node *n = first; n != NULL; n = cmark_node_next(n)) {
		md = cmark_render_commonmark(n, CMARK_OPT_DEFAULT, 0);
		if (b.len > 0)
			buf_add(&b, "\n", 1);
		buf_add(&b, md, strlen(md));
		free(md);
	}
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	return buf_finish(&b);
}

/*
 * Takes a leading **bold** run of para as the title and removes it, with
 * the ":" or dash after it, from the paragraph.  Returns NULL when the
 * paragraph does not start with a bold run.
 */
static char *
take_bold_title(cmark_node *para)
{
	cmark_node *strong = cmark_node_first_child(para), *next;
	char *title;
	size_t len;

	if (strong == NULL || cmark_node_get_type(strong) != CMARK_NODE_STRONG)
		return NULL;
	title = node_text(strong);
	len = strlen(title);
	while (len > 0 && (title[len - 1] == ':' || title[len - 1] == ' '))
		title[--len] = '\0';
	if (len == 0) {
		free(title);
		return NULL;
	}

	next = cmark_node_next(strong);
	cmark_node_free(strong);
	if (next != NULL && cmark_node_get_type(next) == CMARK_NODE_TEXT) {
		const char *lit = cmark_node_get_literal(next);
		size_t skip = strspn(lit, " :-\t");

		if (strncmp(lit + skip, "\xE2\x80\x94", 3) == 0)	/* em dash */
			skip += 3 + strspn(lit + skip + 3, " ");
		if (skip > 0) {
			char *rest = irc_xstrdup(lit + skip);

			cmark_node_set_literal(next, rest);
			free(rest);
		}
	}
	return title;
}

static bool
blank(const char *s)
{
	size_t len = strlen(s);

	trim(s, &len);
	return len == 0;
}

/*
 * Fills step's title and body from what is left of item once its nested
 * task items are gone.
 */
static void
step_fill(struct irc_pb_step *step, cmark_node *item)
{
	cmark_node *first = cmark_node_first_child(item), *body = first;
	char *all, *title = NULL;

	all = node_text(item);
	step->stub = is_stub_text(all);
	free(all);

	if (first != NULL && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
		struct buf b = { 0 };
		char *full;

		title = take_bold_title(first);
		plain_text(first, &b);
		full = buf_finish(&b);
		if (title == NULL) {
			title = one_line(full, first_sentence(full));
			/* The paragraph stays in the body when it has more than the title. */
			size_t n = strlen(full);
			const char *t = trim(full, &n);
			if (strlen(title) == n && strncmp(title, t, n) == 0)
				body = cmark_node_next(first);
		} else if (blank(full))
			body = cmark_node_next(first);
		free(full);
	} else if (first != NULL) {
		struct buf b = { 0 };
		char *full;

		plain_text(first, &b);
		full = buf_finish(&b);
		title = one_line(full, first_sentence(full));
		free(full);
	}
	if (title == NULL || *title == '\0') {
		free(title);
		title = irc_xstrdup("(empty step)");
		step->stub = true;
	}
	step->title = title;
	step->body = render_blocks(body);
}

static size_t
step_push(struct map *m, enum irc_phase phase, cmark_node *item)
{
	struct irc_pb_phase *ph = &m->pb->phases[phase];
	struct irc_pb_step *step;

	if (ph->nsteps == m->cap[phase]) {
		m->cap[phase] = m->cap[phase] == 0 ? 8 : m->cap[phase] * 2;
		ph->steps = irc_xrealloc(ph->steps, m->cap[phase],
		    sizeof *ph->steps);
	}
	step = &ph->steps[ph->nsteps];
	memset(step, 0, sizeof *step);
	step->line = cmark_node_get_start_line(item);
	step->group = m->group != NULL ? irc_xstrdup(m->group) : NULL;
	if (is_task(m, item))
		step->checked = task_take_checked(m, item);
	return ph->nsteps++;
}

/* Appends the task items under node, but not under those, to *list. */
static void
tasks_collect(const struct map *m, cmark_node *node, cmark_node ***list,
    size_t *n)
{
	for (cmark_node *c = cmark_node_first_child(node); c != NULL;
	    c = cmark_node_next(c)) {
		if (is_task(m, c)) {
			*list = irc_xrealloc(*list, *n + 1, sizeof **list);
			(*list)[(*n)++] = c;
		} else
			tasks_collect(m, c, list, n);
	}
}

/* Frees node and then each container above it, up to stop, left empty. */
static void
prune(cmark_node *node, cmark_node *stop)
{
	cmark_node *parent;

	while (node != NULL && node != stop) {
		parent = cmark_node_parent(node);
		cmark_node_free(node);
		if (parent == NULL || parent == stop ||
		    cmark_node_first_child(parent) != NULL)
			break;
		node = parent;
	}
}

static void step_add(struct map *, enum irc_phase, cmark_node *);

/* Turns each task item under node into a step and removes it from node. */
static void
tasks_take(struct map *m, enum irc_phase phase, cmark_node *node)
{
	cmark_node **tasks = NULL;
	size_t n = 0;

	tasks_collect(m, node, &tasks, &n);
	for (size_t i = 0; i < n; i++) {
		step_add(m, phase, tasks[i]);
		prune(tasks[i], node);
	}
	free(tasks);
}

/*
 * Adds item as a step, followed by the task items nested in it, which
 * leave its body.
 */
static void
step_add(struct map *m, enum irc_phase phase, cmark_node *item)
{
	size_t at = step_push(m, phase, item);
	struct irc_pb_step *step;

	tasks_take(m, phase, item);
	step = &m->pb->phases[phase].steps[at];
	step_fill(step, item);
	if (step->stub) {
		irc_pb_warn(m->pb, step->line, "step \"%s\" is a placeholder "
		    "with no instructions yet", step->title);
	}
}

/*
 * Adds a stub step for a paragraph that is only a `TODO: ...` code span,
 * the placeholder that template playbooks leave in empty phases.
 */
static void
todo_paragraph_add(struct map *m, enum irc_phase phase, cmark_node *para)
{
	cmark_node *code = cmark_node_first_child(para);
	struct irc_pb_step *step;
	size_t at;

	if (code == NULL || cmark_node_next(code) != NULL ||
	    cmark_node_get_type(code) != CMARK_NODE_CODE ||
	    !is_stub_text(cmark_node_get_literal(code)))
		return;
	at = step_push(m, phase, para);
	step = &m->pb->phases[phase].steps[at];
	step->title = node_text(para);
	step->body = irc_xstrdup("");
	step->stub = true;
	irc_pb_warn(m->pb, step->line, "step \"%s\" is a placeholder with no "
	    "instructions yet", step->title);
}

static bool
is_bold_line(cmark_node *para)
{
	cmark_node *c = cmark_node_first_child(para);
	char *text;
	size_t len;

	if (c == NULL || cmark_node_get_type(c) != CMARK_NODE_STRONG)
		return false;
	for (cmark_node *n = cmark_node_next(c); n != NULL;
	    n = cmark_node_next(n)) {
		const char *lit = cmark_node_get_literal(n);

		if (cmark_node_get_type(n) != CMARK_NODE_TEXT ||
		    lit[strspn(lit, " :")] != '\0')
			return false;
	}
	text = node_text(c);
	len = strlen(text);
	free(text);
	return len > 0 && len <= BOLD_MAX;
}

static void
markers_collect(struct map *m, cmark_node *doc)
{
	for (cmark_node *n = cmark_node_first_child(doc); n != NULL;
	    n = cmark_node_next(n)) {
		struct marker *mk;
		int level;

		if (cmark_node_get_type(n) == CMARK_NODE_HEADING)
			level = cmark_node_get_heading_level(n);
		else if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH &&
		    is_bold_line(n))
			level = BOLD_LEVEL;
		else
			continue;
		m->markers = irc_xrealloc(m->markers, m->nmarkers + 1,
		    sizeof *m->markers);
		mk = &m->markers[m->nmarkers++];
		mk->node = n;
		mk->level = level;
		mk->text = node_text(n);
		{
			size_t len = strlen(mk->text);

			while (len > 0 && mk->text[len - 1] == ':')
				mk->text[--len] = '\0';
		}
		mk->phase = irc_pb_phase_of_heading(mk->text);
	}
}

/*
 * Returns the index of the title heading: the first heading, when no other
 * heading is at its level or above.  Returns nmarkers when there is none.
 */
static size_t
title_marker(const struct map *m)
{
	size_t first = m->nmarkers;

	for (size_t i = 0; i < m->nmarkers; i++) {
		if (m->markers[i].level == BOLD_LEVEL)
			continue;
		if (first == m->nmarkers) {
			first = i;
			continue;
		}
		if (m->markers[i].level <= m->markers[first].level)
			return m->nmarkers;
	}
	if (first < m->nmarkers && m->markers[first].text[0] == '\0')
		return m->nmarkers;
	return first;
}

static int
phase_level(const struct map *m, size_t title)
{
	int count[BOLD_LEVEL + 1] = { 0 };

	for (size_t i = 0; i < m->nmarkers; i++) {
		if (i != title && m->markers[i].phase >= 0)
			count[m->markers[i].level]++;
	}
	for (int level = 1; level <= BOLD_LEVEL; level++) {
		if (count[level] >= 2)
			return level;
	}
	return 0;
}

static size_t
ref_new(struct map *m, const char *title, int line)
{
	struct irc_pb_ref *ref;

	m->pb->refs = irc_xrealloc(m->pb->refs, m->pb->nrefs + 1,
	    sizeof *m->pb->refs);
	ref = &m->pb->refs[m->pb->nrefs];
	ref->title = irc_xstrdup(title[0] != '\0' ? title : "(untitled)");
	ref->body = NULL;
	ref->line = line;
	m->ref_bodies = irc_xrealloc(m->ref_bodies, m->pb->nrefs + 1,
	    sizeof *m->ref_bodies);
	memset(&m->ref_bodies[m->pb->nrefs], 0, sizeof *m->ref_bodies);
	return m->pb->nrefs++;
}

static void
ref_open(struct map *m, const struct marker *mk)
{
	m->ref = ref_new(m, mk->text, cmark_node_get_start_line(mk->node));
	m->kind = SECTION_REF;
}

/* Appends block, as Markdown, to the body of reference pane index. */
static void
ref_append(struct map *m, size_t index, cmark_node *block)
{
	struct buf *body = &m->ref_bodies[index];
	char *md = cmark_render_commonmark(block, CMARK_OPT_DEFAULT, 0);
	size_t len = strlen(md);

	while (len > 0 && md[len - 1] == '\n')
		len--;
	if (body->len > 0)
		buf_add(body, "\n\n", 2);
	buf_add(body, md, len);
	free(md);
}

/* Moves the reference bodies built while mapping into pb->refs. */
static void
ref_bodies_finish(struct map *m)
{
	for (size_t i = 0; i < m->pb->nrefs; i++) {
		if (m->pb->refs[i].body == NULL)
			m->pb->refs[i].body = buf_finish(&m->ref_bodies[i]);
		else
			free(m->ref_bodies[i].data);
	}
	free(m->ref_bodies);
	m->ref_bodies = NULL;
}

static bool
has_task(const struct map *m, cmark_node *node)
{
	cmark_iter *iter = cmark_iter_new(node);
	cmark_event_type ev;
	bool found = false;

	while (!found && (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		if (ev == CMARK_EVENT_ENTER && is_task(m, cmark_iter_get_node(iter)))
			found = true;
	}
	cmark_iter_free(iter);
	return found;
}

/*
 * Returns true when the section of marker i, up to the next marker at or
 * above the phase level, contains a list or a task item.
 */
static bool
section_has_steps(const struct map *m, size_t i)
{
	cmark_node *stop = NULL;

	for (size_t k = i + 1; k < m->nmarkers; k++) {
		if (m->markers[k].level <= m->phase_level) {
			stop = m->markers[k].node;
			break;
		}
	}
	for (cmark_node *n = cmark_node_next(m->markers[i].node);
	    n != NULL && n != stop; n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_LIST || has_task(m, n))
			return true;
	}
	return false;
}

static size_t
steps_total(const struct map *m)
{
	return irc_playbook_step_count(m->pb);
}

/* Warns when the phase heading that is open got no steps, and closes it. */
static void
phase_close(struct map *m)
{
	const struct marker *mk = m->phase_marker;

	if (mk != NULL && steps_total(m) == m->steps_at_phase) {
		irc_pb_warn(m->pb, cmark_node_get_start_line(mk->node),
		    "phase heading \"%s\" (%s) has no steps", mk->text,
		    irc_phase_name((enum irc_phase)mk->phase));
	}
	m->phase_marker = NULL;
}

static enum irc_phase
open_phase(const struct map *m)
{
	return m->outer.kind == SECTION_PHASE ? m->outer.phase :
	    IRC_PHASE_RESPOND;
}

/* Opens the section of a marker at or above the phase level. */
static void
section_open_outer(struct map *m, size_t i)
{
	const struct marker *mk = &m->markers[i];
	bool in_outer_ref = m->outer.kind == SECTION_REF &&
	    m->outer.level < mk->level;

	phase_close(m);
	m->group = NULL;
	if (mk->phase >= 0) {
		m->outer = (struct section){ SECTION_PHASE,
		    (enum irc_phase)mk->phase, mk->level };
		m->kind = SECTION_PHASE;
		m->phase_marker = mk;
		m->steps_at_phase = steps_total(m);
		return;
	}
	if (irc_pb_is_ref_heading(mk->text) || in_outer_ref ||
	    !section_has_steps(m, i)) {
		if (!in_outer_ref)
			m->outer = (struct section){ SECTION_REF, 0, mk->level };
		ref_open(m, mk);
		return;
	}

	/* A heading with steps that names no phase: a group, with a warning. */
	if (mk->level < m->phase_level || m->outer.kind != SECTION_PHASE)
		m->outer = (struct section){ SECTION_LOOSE, 0, mk->level };
	m->kind = m->outer.kind;
	m->group = mk->text;
	irc_pb_warn(m->pb, cmark_node_get_start_line(mk->node), "heading "
	    "\"%s\" does not name a phase, so its steps go to %s", mk->text,
	    irc_phase_name(open_phase(m)));
}

/* Opens the section of a marker below the phase level. */
static void
section_open_inner(struct map *m, size_t i)
{
	const struct marker *mk = &m->markers[i];

	if (m->outer.kind == SECTION_REF) {
		m->kind = SECTION_REF;
		ref_append(m, m->ref, mk->node);
		return;
	}
	if (mk->phase < 0 && irc_pb_is_ref_heading(mk->text)) {
		ref_open(m, mk);
		return;
	}
	m->kind = m->outer.kind;
	m->group = mk->text;
}

static void
block_map(struct map *m, cmark_node *block)
{
	cmark_node_type type = cmark_node_get_type(block);
	enum irc_phase phase;

	if (m->kind == SECTION_REF) {
		ref_append(m, m->ref, block);
		return;
	}
	phase = open_phase(m);
	if (m->preamble && type != CMARK_NODE_LIST && !has_task(m, block) &&
	    type != CMARK_NODE_THEMATIC_BREAK) {
		/* Prose between the title and the first section. */
		if (!m->has_intro) {
			m->intro = ref_new(m, "Introduction",
			    cmark_node_get_start_line(block));
			m->has_intro = true;
		}
		ref_append(m, m->intro, block);
		return;
	}
	if (type == CMARK_NODE_LIST) {
		cmark_node *item = cmark_node_first_child(block);

		while (item != NULL) {
			step_add(m, phase, item);
			item = cmark_node_next(item);
		}
	} else if (type == CMARK_NODE_BLOCK_QUOTE)
		tasks_take(m, phase, block);
	else if (type == CMARK_NODE_PARAGRAPH)
		todo_paragraph_add(m, phase, block);
}

static void
map_blocks(struct map *m, cmark_node *doc, size_t title)
{
	size_t next = 0;
	cmark_node *n = cmark_node_first_child(doc);

	m->outer = (struct section){ SECTION_LOOSE, 0, 0 };
	m->kind = SECTION_LOOSE;
	m->preamble = true;
	while (n != NULL) {
		cmark_node *following = cmark_node_next(n);

		if (next < m->nmarkers && m->markers[next].node == n) {
			size_t i = next++;

			if (i != title)
				m->preamble = false;
			if (i == title) {
				phase_close(m);
				m->outer = (struct section){ SECTION_LOOSE, 0, 0 };
				m->kind = SECTION_LOOSE;
				m->group = NULL;
			} else if (m->phase_level > 0 &&
			    m->markers[i].level <= m->phase_level)
				section_open_outer(m, i);
			else
				section_open_inner(m, i);
		} else
			block_map(m, n);
		n = following;
	}
	phase_close(m);
}

/* Returns the deepest nesting of lists and block quotes under doc. */
static int
depth_of(cmark_node *doc)
{
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_event_type ev;
	int depth = 0, max = 0;

	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node_type t = cmark_node_get_type(cmark_iter_get_node(iter));

		if (t != CMARK_NODE_LIST && t != CMARK_NODE_BLOCK_QUOTE)
			continue;
		if (ev == CMARK_EVENT_ENTER && ++depth > max)
			max = depth;
		else if (ev == CMARK_EVENT_EXIT)
			depth--;
	}
	cmark_iter_free(iter);
	return max;
}

static cmark_node *
parse_markdown(const char *md, size_t len, cmark_syntax_extension **tasklist)
{
	static const char *names[] = { "table", "tasklist", "strikethrough" };
	cmark_parser *parser;
	cmark_node *doc;

	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new(CMARK_OPT_SOURCEPOS);
	if (parser == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(names[i]);

		if (ext != NULL)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	*tasklist = cmark_find_syntax_extension("tasklist");
	cmark_parser_feed(parser, md, len);
	doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	/* One text node per run of text, so a task marker is never split. */
	if (doc != NULL)
		cmark_consolidate_text_nodes(doc);
	return doc;
}

enum irc_status
irc_pb_map(struct irc_playbook *pb, const char *name, const char *md,
    size_t len, int max_depth, struct irc_error *err)
{
	struct map m = { 0 };
	enum irc_status status = IRC_OK;
	cmark_node *doc;
	size_t title;
	int depth;

	m.pb = pb;
	doc = parse_markdown(md, len, &m.tasklist);
	if (doc == NULL || m.tasklist == NULL) {
		status = irc_fail(err, IRC_ERR_PLAYBOOK, "%s: the Markdown "
		    "parser could not start; check that cmark-gfm and its "
		    "extensions are installed", name);
		goto out;
	}
	depth = depth_of(doc);
	if (depth > max_depth) {
		status = irc_fail(err, IRC_ERR_TOO_LARGE, "%s: lists and quotes "
		    "are nested %d deep, over the limit of %d; flatten them",
		    name, depth, max_depth);
		goto out;
	}

	markers_collect(&m, doc);
	title = title_marker(&m);
	if (title < m.nmarkers && pb->title == NULL)
		pb->title = irc_xstrdup(m.markers[title].text);
	m.phase_level = phase_level(&m, title);
	map_blocks(&m, doc, title);

	if (m.phase_level == 0 && irc_playbook_step_count(pb) > 0) {
		irc_pb_warn(pb, pb->phases[IRC_PHASE_RESPOND].steps[0].line,
		    "no two headings name a phase, so every step is in %s",
		    irc_phase_name(IRC_PHASE_RESPOND));
	}
out:
	ref_bodies_finish(&m);
	for (size_t i = 0; i < m.nmarkers; i++)
		free(m.markers[i].text);
	free(m.markers);
	if (doc != NULL)
		cmark_node_free(doc);
	return status;
}
