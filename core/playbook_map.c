/*
 * playbook_map.c: from a Markdown tree to phases, steps and references.
 *
 * cmark-gfm parses the text (tables, task lists and strikethrough on), so
 * a "#" line inside a code fence is never a heading.  The mapping then
 * reads the top-level blocks in order:
 *
 *  - Markers are headings and bold-only lines followed by a list
 *    ("**(C) Containment**"), which count as level 7, below any heading.  The title heading is
 *    the first heading when it is alone at the shallowest level used.
 *    A file with two or more "Playbook: ..." headings contains several
 *    playbooks; one of them is mapped.
 *  - The phase level is the shallowest marker level at which at least two
 *    markers name a phase (playbook_lexicon.c, or the front matter's
 *    phases map).  With none, the phases may come from the columns of an
 *    HTML table or from the name of the file's folder, and otherwise
 *    every step goes to Respond.
 *  - A marker at or above the phase level opens a section.  It is a phase
 *    when it names one and a reference pane when it names reference
 *    material.  Any other marker whose section contains lists is a step
 *    group of the open phase (or of Respond), and without lists it is a
 *    reference pane.
 *  - A marker below the phase level opens a step group in its phase, or a
 *    reference pane when it names reference material.
 *  - In a phase, each top-level list item is a step, and so is each task
 *    item in a block quote.  Task items nested in a step are its
 *    sub-steps.  Other prose is guidance for the next step, or part of
 *    the body of the section's last step; a section with prose and no
 *    list is one step named after its heading.  A list whose items repeat
 *    later headings is a summary and goes to a reference pane.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
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
#define LATER_MAX 64		/* later headings a summary list is checked on */

struct marker {
	cmark_node *node;
	int level;		/* 1-6, or BOLD_LEVEL */
	char *text;		/* plain text */
	int phase;		/* first phase named, or -1 */
	unsigned phases;	/* every phase named */
	bool ref;		/* the front matter maps it to a reference pane */
	size_t anchor;		/* index in pb->anchors, or SIZE_MAX */
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

struct map {
	struct irc_playbook *pb;
	cmark_syntax_extension *tasklist;
	struct marker *markers;
	size_t nmarkers;
	/* Words of recent markers for the summary check, marker i in slot i % 128. */
	struct pb_words ring[2 * LATER_MAX];
	size_t ring_tag[2 * LATER_MAX];	/* marker index + 1 in each slot */
	int phase_level;	/* 0 when no level names phases */
	struct section outer;	/* opened by a marker at or above phase_level */
	enum section_kind kind;	/* the kind in force, a deeper ref or outer's */
	const char *group;	/* text of the marker that opened the group */
	size_t ref;		/* index in pb->refs while kind is SECTION_REF */
	struct pb_buf *ref_bodies;	/* the text of each pb->refs entry */
	bool preamble;		/* no marker but the title read yet */
	size_t intro;		/* index in pb->refs of the preamble's prose */
	bool has_intro;
	size_t next;		/* index of the next marker to meet */
	struct pb_slugset slugs;

	/* The phase heading open now, to warn when it gets no steps. */
	const struct marker *phase_marker;
	size_t steps_at_phase;

	/* The section since the last marker, for its prose. */
	const struct marker *sec_marker;	/* NULL before any */
	enum irc_phase sec_phase;
	int sec_last;		/* last top-level step of the section, or -1 */
	size_t sec_steps;	/* steps added in the section */
	struct pb_buf guidance;	/* prose waiting for the next step */

	/* The Markdown parsed, for copying top-level blocks as written. */
	const char *md;
	size_t md_len;
	size_t *line_at;	/* offset of each line's start; [0] unused */
	size_t nlines;
};

static void
render_add(struct map *m, struct pb_buf *b, cmark_node *block)
{
	char *md = cmark_render_commonmark(block, CMARK_OPT_DEFAULT, 0);
	size_t len = strlen(md);

	m->pb->work += len / 64 + 1;
	while (len > 0 && md[len - 1] == '\n')
		len--;
	if (b->len > 0 && len > 0)
		pb_buf_add(b, "\n\n", 2);
	pb_buf_add(b, md, len);
	free(md);
}

/* Records where each line of md starts, so blocks can be copied by line. */
static void
lines_index(struct map *m, const char *md, size_t len)
{
	size_t n = 1, cap = 64;

	m->md = md;
	m->md_len = len;
	m->line_at = irc_xmalloc(cap * sizeof *m->line_at);
	m->line_at[0] = 0;
	m->line_at[n++] = 0;
	for (const char *p = md; (p = memchr(p, '\n', len - (size_t)(p - md)))
	    != NULL; p++) {
		if (n == cap) {
			cap *= 2;
			m->line_at = irc_xrealloc(m->line_at, cap,
			    sizeof *m->line_at);
		}
		m->line_at[n++] = (size_t)(p - md) + 1;
	}
	m->nlines = n - 1;
}

/*
 * Appends a top-level block to b as the file has it: its source lines,
 * without trailing blank lines.  Cheaper than rendering it and keeps the
 * author's Markdown; blocks the mapping changed are rendered instead.
 */
static void
block_copy(struct map *m, struct pb_buf *b, cmark_node *block)
{
	int first = cmark_node_get_start_line(block);
	int last = cmark_node_get_end_line(block);
	size_t start, end;

	if (first < 1 || last < first || (size_t)last > m->nlines ||
	    cmark_node_parent(block) == NULL ||
	    cmark_node_get_type(cmark_node_parent(block)) != CMARK_NODE_DOCUMENT) {
		render_add(m, b, block);
		return;
	}
	start = m->line_at[first];
	end = (size_t)last < m->nlines ? m->line_at[last + 1] : m->md_len;
	while (end > start && (m->md[end - 1] == '\n' || m->md[end - 1] == ' ' ||
	    m->md[end - 1] == '\t'))
		end--;
	m->pb->work += (end - start) / 64 + 1;
	if (b->len > 0 && end > start)
		pb_buf_add(b, "\n\n", 2);
	pb_buf_add(b, m->md + start, end - start);
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

	text = pb_trim(text, &len);
	if (len < 4 || strncasecmp(text, "todo", 4) != 0)
		return false;
	return len == 4 || text[4] == ':' || text[4] == '.';
}

static char *
render_blocks(struct map *m, cmark_node *first)
{
	struct pb_buf b = { 0 };

	for (cmark_node *n = first; n != NULL; n = cmark_node_next(n))
		render_add(m, &b, n);
	return pb_buf_finish(&b);
}

/*
 * Takes a leading **bold** run of para as the title and removes it, with
 * the ":" or dash after it, from the paragraph.  Returns NULL when the
 * paragraph does not start with a bold run.
 */
static char *
take_bold_title(struct map *m, cmark_node *para)
{
	cmark_node *strong = cmark_node_first_child(para), *next;
	char *title;
	size_t len;

	if (strong == NULL || cmark_node_get_type(strong) != CMARK_NODE_STRONG)
		return NULL;
	title = pb_node_text(strong, &m->pb->work);
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

/*
 * Fills step's title and body from what is left of item once its nested
 * task items are gone.
 */
static void
step_fill(struct map *m, struct irc_pb_step *step, cmark_node *item)
{
	cmark_node *first = cmark_node_first_child(item), *body = first;
	size_t *work = &m->pb->work;
	char *all, *title = NULL;

	all = pb_node_text(item, work);
	step->stub = is_stub_text(all);
	free(all);

	if (first != NULL && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
		struct pb_buf b = { 0 };
		char *full;

		title = take_bold_title(m, first);
		pb_plain_text(first, &b, work);
		full = pb_buf_finish(&b);
		if (title == NULL) {
			/* The paragraph stays in the body when it has more than the title. */
			size_t n = strlen(full);
			const char *t = pb_trim(full, &n);

			title = pb_one_line(full, first_sentence(full));
			if (strlen(title) == n && strncmp(title, t, n) == 0)
				body = cmark_node_next(first);
		} else if (pb_blank(full))
			body = cmark_node_next(first);
		free(full);
	} else if (first != NULL) {
		struct pb_buf b = { 0 };
		char *full;

		pb_plain_text(first, &b, work);
		full = pb_buf_finish(&b);
		title = pb_one_line(full, first_sentence(full));
		free(full);
	}
	if (title == NULL || *title == '\0') {
		free(title);
		title = irc_xstrdup("(empty step)");
		step->stub = true;
	}
	step->title = title;
	step->body = render_blocks(m, body);
}

struct irc_pb_step *
pb_step_new(struct irc_playbook *pb, enum irc_phase phase, int parent,
    int line)
{
	struct irc_pb_phase *ph = &pb->phases[phase];
	struct irc_pb_step *step;
	size_t n = ph->nsteps;

	pb_grow(&ph->steps, n, sizeof *ph->steps);
	step = &ph->steps[ph->nsteps++];
	memset(step, 0, sizeof *step);
	step->line = line;
	step->parent = parent;
	step->depth = parent >= 0 ? ph->steps[parent].depth + 1 : 0;
	return step;
}

void
pb_heading_add(struct irc_playbook *pb, const char *text, int line,
    enum irc_phase phase, unsigned phases)
{
	struct irc_pb_heading *h;

	pb_grow(&pb->headings, pb->nheadings, sizeof *pb->headings);
	h = &pb->headings[pb->nheadings++];
	h->text = irc_xstrdup(text);
	h->line = line;
	h->phase = phase;
	h->phases = phases | (1u << phase);
}

/*
 * Starts a step for item in phase and returns its index; a top-level step
 * takes the guidance waiting in the section.
 */
static size_t
step_push(struct map *m, enum irc_phase phase, cmark_node *item, int parent)
{
	struct irc_pb_step *step;
	size_t at;

	step = pb_step_new(m->pb, phase, parent,
	    cmark_node_get_start_line(item));
	at = m->pb->phases[phase].nsteps - 1;
	step->group = m->group != NULL ? irc_xstrdup(m->group) : NULL;
	if (parent < 0) {
		step->guidance = pb_buf_finish(&m->guidance);
		memset(&m->guidance, 0, sizeof m->guidance);
		m->sec_last = (int)at;
		m->sec_phase = phase;
	} else
		step->guidance = irc_xstrdup("");
	m->sec_steps++;
	if (is_task(m, item))
		step->checked = task_take_checked(m, item);
	return at;
}

/* Appends the task items under node, but not under those, to *list. */
static void
tasks_collect(struct map *m, cmark_node *node, cmark_node ***list,
    size_t *n)
{
	for (cmark_node *c = cmark_node_first_child(node); c != NULL;
	    c = cmark_node_next(c)) {
		m->pb->work++;
		if (is_task(m, c)) {
			pb_grow(list, *n, sizeof **list);
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

static void step_add(struct map *, enum irc_phase, cmark_node *, int);

/*
 * Turns each task item under node into a step and removes it from node.
 * parent is the step that node belongs to, or -1.
 */
static void
tasks_take(struct map *m, enum irc_phase phase, cmark_node *node, int parent)
{
	cmark_node **tasks = NULL;
	size_t n = 0;

	tasks_collect(m, node, &tasks, &n);
	for (size_t i = 0; i < n; i++) {
		step_add(m, phase, tasks[i], parent);
		prune(tasks[i], node);
	}
	free(tasks);
}

/*
 * Adds item as a step, followed by the task items nested in it, which
 * leave its body and become its sub-steps.
 */
static void
step_add(struct map *m, enum irc_phase phase, cmark_node *item, int parent)
{
	size_t at = step_push(m, phase, item, parent);
	struct irc_pb_step *step;

	tasks_take(m, phase, item, (int)at);
	step = &m->pb->phases[phase].steps[at];
	step_fill(m, step, item);
	if (step->stub) {
		irc_pb_warn(m->pb, step->line, "step \"%s\" is a placeholder "
		    "with no instructions yet", step->title);
	}
}

/*
 * Adds a stub step for a paragraph that is only a `TODO: ...` code span,
 * the placeholder that template playbooks leave in empty phases.  Returns
 * false when the paragraph is something else.
 */
static bool
todo_paragraph_add(struct map *m, enum irc_phase phase, cmark_node *para)
{
	cmark_node *code = cmark_node_first_child(para);
	struct irc_pb_step *step;
	size_t at;

	if (code == NULL || cmark_node_next(code) != NULL ||
	    cmark_node_get_type(code) != CMARK_NODE_CODE ||
	    !is_stub_text(cmark_node_get_literal(code)))
		return false;
	at = step_push(m, phase, para, -1);
	step = &m->pb->phases[phase].steps[at];
	step->title = pb_node_text(para, &m->pb->work);
	step->body = irc_xstrdup("");
	step->stub = true;
	irc_pb_warn(m->pb, step->line, "step \"%s\" is a placeholder with no "
	    "instructions yet", step->title);
	return true;
}

static bool
is_bold_line(struct map *m, cmark_node *para)
{
	cmark_node *c = cmark_node_first_child(para);
	char *text;
	size_t len;

	if (c == NULL || cmark_node_get_type(c) != CMARK_NODE_STRONG)
		return false;
	/* Only a bold line that introduces a list marks a section. */
	if (cmark_node_next(para) == NULL ||
	    cmark_node_get_type(cmark_node_next(para)) != CMARK_NODE_LIST)
		return false;
	for (cmark_node *n = cmark_node_next(c); n != NULL;
	    n = cmark_node_next(n)) {
		const char *lit = cmark_node_get_literal(n);

		if (cmark_node_get_type(n) != CMARK_NODE_TEXT ||
		    lit[strspn(lit, " :")] != '\0')
			return false;
	}
	text = pb_node_text(c, &m->pb->work);
	len = strlen(text);
	free(text);
	return len > 0 && len <= BOLD_MAX;
}

/* Sets the phase of mk from the front matter's phases map, or the lexicon. */
static void
marker_classify(const struct map *m, struct marker *mk)
{
	const struct irc_playbook *pb = m->pb;

	for (size_t i = 0; i < pb->nmap; i++) {
		if (strcasecmp(pb->map_text[i], mk->text) != 0)
			continue;
		if (pb->map_phase[i] < 0) {
			mk->phase = -1;
			mk->phases = 0;
			mk->ref = true;
		} else {
			mk->phase = pb->map_phase[i];
			mk->phases = 1u << mk->phase;
		}
		return;
	}
	mk->phases = irc_pb_phases_of_heading(mk->text, &mk->phase);
}

static void
markers_collect(struct map *m, cmark_node *doc)
{
	for (cmark_node *n = cmark_node_first_child(doc); n != NULL;
	    n = cmark_node_next(n)) {
		struct marker *mk;
		size_t len;
		int level;

		m->pb->work++;
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING)
			level = cmark_node_get_heading_level(n);
		else if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH &&
		    is_bold_line(m, n))
			level = BOLD_LEVEL;
		else
			continue;
		pb_grow(&m->markers, m->nmarkers, sizeof *m->markers);
		mk = &m->markers[m->nmarkers++];
		memset(mk, 0, sizeof *mk);
		mk->node = n;
		mk->level = level;
		mk->anchor = SIZE_MAX;
		mk->text = pb_node_text(n, &m->pb->work);
		len = strlen(mk->text);
		while (len > 0 && mk->text[len - 1] == ':')
			mk->text[--len] = '\0';
		marker_classify(m, mk);
	}
}

/* Gives every heading of the file its GitHub anchor, in file order. */
static void
markers_anchor(struct map *m)
{
	for (size_t i = 0; i < m->nmarkers; i++) {
		struct marker *mk = &m->markers[i];

		if (mk->level == BOLD_LEVEL)
			continue;
		pb_anchor_add(m->pb, &m->slugs, mk->text, IRC_PB_TARGET_NONE,
		    IRC_PHASE_RESPOND, 0, cmark_node_get_start_line(mk->node));
		mk->anchor = m->pb->nanchors - 1;
	}
}

/* Points the anchor of mk at a target. */
static void
marker_target(struct map *m, const struct marker *mk,
    enum irc_pb_target kind, enum irc_phase phase, size_t index)
{
	struct irc_pb_anchor *a;

	if (mk->anchor == SIZE_MAX)
		return;
	a = &m->pb->anchors[mk->anchor];
	a->kind = kind;
	a->phase = phase;
	a->index = index;
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
	size_t n = m->pb->nrefs;

	if ((n & (n - 1)) == 0) {
		size_t cap = n < 8 ? 8 : 2 * n;

		m->pb->refs = irc_xrealloc(m->pb->refs, cap, sizeof *m->pb->refs);
		m->ref_bodies = irc_xrealloc(m->ref_bodies, cap,
		    sizeof *m->ref_bodies);
	}
	ref = &m->pb->refs[n];
	memset(ref, 0, sizeof *ref);
	ref->title = irc_xstrdup(title[0] != '\0' ? title : "(untitled)");
	ref->line = line;
	memset(&m->ref_bodies[n], 0, sizeof *m->ref_bodies);
	return m->pb->nrefs++;
}

static void
ref_open(struct map *m, const struct marker *mk)
{
	m->ref = ref_new(m, mk->text, cmark_node_get_start_line(mk->node));
	m->kind = SECTION_REF;
	marker_target(m, mk, IRC_PB_TARGET_REF, IRC_PHASE_RESPOND, m->ref);
	if (mk->anchor != SIZE_MAX)
		m->pb->refs[m->ref].anchor =
		    irc_xstrdup(m->pb->anchors[mk->anchor].slug);
}

/* Appends block, as Markdown, to the body of reference pane index. */
static void
ref_append(struct map *m, size_t index, cmark_node *block)
{
	block_copy(m, &m->ref_bodies[index], block);
}

/* Moves the reference bodies built while mapping into pb->refs. */
static void
ref_bodies_finish(struct map *m)
{
	for (size_t i = 0; i < m->pb->nrefs; i++) {
		if (m->pb->refs[i].body == NULL)
			m->pb->refs[i].body = pb_buf_finish(&m->ref_bodies[i]);
		else
			free(m->ref_bodies[i].data);
		if (m->pb->refs[i].anchor == NULL)
			m->pb->refs[i].anchor = irc_xstrdup("");
	}
	free(m->ref_bodies);
	m->ref_bodies = NULL;
}

static bool
has_task(struct map *m, cmark_node *node)
{
	cmark_iter *iter = cmark_iter_new(node);
	cmark_event_type ev;
	bool found = false;

	while (!found && (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		m->pb->work++;
		if (ev == CMARK_EVENT_ENTER && is_task(m, cmark_iter_get_node(iter)))
			found = true;
	}
	cmark_iter_free(iter);
	return found;
}

/*
 * Returns true when list summarises the markers from next_marker on.  The
 * words of each marker are split once and kept in a ring, because lists
 * are checked in file order against the next LATER_MAX markers.
 */
static bool
list_is_summary(struct map *m, cmark_node *list, size_t next_marker)
{
	const struct pb_words *later[LATER_MAX];
	size_t n = 0;

	for (size_t i = next_marker; i < m->nmarkers && n < LATER_MAX; i++) {
		size_t slot = i % (2 * LATER_MAX);

		if (m->ring_tag[slot] != i + 1) {
			pb_words_of(m->markers[i].text, &m->ring[slot]);
			m->ring_tag[slot] = i + 1;
		}
		later[n++] = &m->ring[slot];
	}
	return pb_list_is_summary(list, later, n, &m->pb->work);
}

/*
 * Returns true when the section of marker i, up to the next marker at or
 * above the phase level, contains a list or a task item that is not a
 * summary of later headings.
 */
static bool
section_has_steps(struct map *m, size_t i)
{
	cmark_node *stop = NULL;
	size_t next = i + 1;

	for (size_t k = i + 1; k < m->nmarkers; k++) {
		if (m->markers[k].level <= m->phase_level) {
			stop = m->markers[k].node;
			break;
		}
	}
	for (cmark_node *n = cmark_node_next(m->markers[i].node);
	    n != NULL && n != stop; n = cmark_node_next(n)) {
		while (next < m->nmarkers && m->markers[next].node != n &&
		    cmark_node_get_start_line(m->markers[next].node) <
		    cmark_node_get_start_line(n))
			next++;
		if (cmark_node_get_type(n) == CMARK_NODE_LIST &&
		    !list_is_summary(m, n, next))
			return true;
		if (cmark_node_get_type(n) != CMARK_NODE_LIST && has_task(m, n))
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

/*
 * Ends the section since the last marker: prose still waiting joins the
 * body of the section's last step, or, when the section has no step, it
 * becomes one step named after the section's heading.
 */
static void
section_end(struct map *m)
{
	struct irc_pb_step *step;
	char *prose;

	if (m->guidance.len == 0) {
		free(m->guidance.data);
		goto out;
	}
	prose = pb_buf_finish(&m->guidance);
	if (m->sec_last >= 0) {
		struct pb_buf b = { 0 };

		step = &m->pb->phases[m->sec_phase].steps[m->sec_last];
		pb_buf_add(&b, step->body, strlen(step->body));
		if (b.len > 0)
			pb_buf_add(&b, "\n\n", 2);
		pb_buf_add(&b, prose, strlen(prose));
		free(step->body);
		step->body = pb_buf_finish(&b);
		free(prose);
	} else if (m->sec_marker != NULL && m->outer.kind != SECTION_PHASE) {
		/* Outside any phase, prose under a heading is reference text. */
		size_t ref = ref_new(m, m->sec_marker->text,
		    cmark_node_get_start_line(m->sec_marker->node));

		pb_buf_add(&m->ref_bodies[ref], prose, strlen(prose));
		free(prose);
	} else if (m->sec_marker != NULL) {
		enum irc_phase phase = open_phase(m);

		step = pb_step_new(m->pb, phase, -1,
		    cmark_node_get_start_line(m->sec_marker->node));
		step->title = irc_xstrdup(m->sec_marker->text[0] != '\0' ?
		    m->sec_marker->text : "(untitled)");
		step->body = prose;
		step->guidance = irc_xstrdup("");
		step->group = m->group != NULL ? irc_xstrdup(m->group) : NULL;
	} else {
		if (!m->has_intro) {
			m->intro = ref_new(m, "Introduction", 1);
			m->has_intro = true;
		}
		pb_buf_add(&m->ref_bodies[m->intro], prose, strlen(prose));
		free(prose);
	}
out:
	memset(&m->guidance, 0, sizeof m->guidance);
	m->sec_last = -1;
	m->sec_steps = 0;
	m->sec_marker = NULL;
}

/* Opens the section of a marker at or above the phase level. */
static void
section_open_outer(struct map *m, size_t i)
{
	const struct marker *mk = &m->markers[i];
	bool in_outer_ref = m->outer.kind == SECTION_REF &&
	    m->outer.level < mk->level;
	enum irc_phase phase;

	phase_close(m);
	m->group = NULL;
	if (mk->phase >= 0) {
		phase = (enum irc_phase)mk->phase;
		m->outer = (struct section){ SECTION_PHASE, phase, mk->level };
		m->kind = SECTION_PHASE;
		m->phase_marker = mk;
		m->steps_at_phase = steps_total(m);
		if (phase == IRC_PHASE_RESPOND &&
		    irc_pb_is_respond_subphase(mk->text))
			m->group = mk->text;
		m->sec_marker = mk;
		pb_heading_add(m->pb, mk->text,
		    cmark_node_get_start_line(mk->node), phase, mk->phases);
		marker_target(m, mk, IRC_PB_TARGET_PHASE, phase,
		    m->pb->phases[phase].nsteps);
		return;
	}
	if (mk->ref || irc_pb_is_ref_heading(mk->text) || in_outer_ref ||
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
	m->sec_marker = mk;
	marker_target(m, mk, IRC_PB_TARGET_STEP, open_phase(m),
	    m->pb->phases[open_phase(m)].nsteps);
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
		marker_target(m, mk, IRC_PB_TARGET_REF, IRC_PHASE_RESPOND, m->ref);
		return;
	}
	if (mk->ref || (mk->phase < 0 && irc_pb_is_ref_heading(mk->text))) {
		ref_open(m, mk);
		return;
	}
	m->kind = m->outer.kind;
	m->group = mk->text;
	m->sec_marker = mk;
	marker_target(m, mk, IRC_PB_TARGET_STEP, open_phase(m),
	    m->pb->phases[open_phase(m)].nsteps);
}

/* Returns true when an HTML block holds only tags and comments. */
static bool
html_is_only_tags(const char *html)
{
	bool in_tag = false;

	for (const char *p = html; *p != '\0'; p++) {
		if (*p == '<')
			in_tag = true;
		else if (*p == '>')
			in_tag = false;
		else if (!in_tag && *p != ' ' && *p != '\t' && *p != '\n')
			return false;
	}
	return true;
}

/* Puts a summary list in a reference pane named after its section. */
static void
summary_add(struct map *m, cmark_node *list)
{
	const char *title = m->sec_marker != NULL ? m->sec_marker->text :
	    "Contents";
	size_t ref = ref_new(m, title, cmark_node_get_start_line(list));

	ref_append(m, ref, list);
	irc_pb_warn(m->pb, cmark_node_get_start_line(list), "the list here "
	    "repeats later headings, so it is read as a summary and its items "
	    "are not steps");
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
	if (type == CMARK_NODE_HTML_BLOCK && m->phase_level == 0 &&
	    m->pb->nheadings == 0 &&
	    pb_html_table_map(m->pb, cmark_node_get_literal(block),
	    cmark_node_get_start_line(block)) > 0)
		return;
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
	switch (type) {
	case CMARK_NODE_LIST:
		if (list_is_summary(m, block, m->next)) {
			summary_add(m, block);
			break;
		}
		for (cmark_node *item = cmark_node_first_child(block);
		    item != NULL; item = cmark_node_next(item))
			step_add(m, phase, item, -1);
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		tasks_take(m, phase, block, -1);
		if (cmark_node_first_child(block) != NULL)
			render_add(m, &m->guidance, block);
		break;
	case CMARK_NODE_PARAGRAPH:
		if (!todo_paragraph_add(m, phase, block))
			block_copy(m, &m->guidance, block);
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		break;
	case CMARK_NODE_HTML_BLOCK:
		if (!html_is_only_tags(cmark_node_get_literal(block)))
			block_copy(m, &m->guidance, block);
		break;
	default:
		block_copy(m, &m->guidance, block);
		break;
	}
}

static void
map_blocks(struct map *m, cmark_node *first, cmark_node *stop, size_t title)
{
	cmark_node *n = first;

	m->outer = (struct section){ SECTION_LOOSE, 0, 0 };
	m->kind = SECTION_LOOSE;
	m->preamble = true;
	m->sec_last = -1;
	m->next = 0;
	while (n != NULL && n != stop) {
		cmark_node *following = cmark_node_next(n);

		m->pb->work++;
		if (m->next < m->nmarkers && m->markers[m->next].node == n) {
			size_t i = m->next++;

			section_end(m);
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
	section_end(m);
	phase_close(m);
}

/* Returns the deepest nesting of lists and block quotes under doc. */
static int
depth_of(struct map *m, cmark_node *doc)
{
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_event_type ev;
	int depth = 0, max = 0;

	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node_type t = cmark_node_get_type(cmark_iter_get_node(iter));

		m->pb->work++;
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

static bool
is_part_heading(const struct marker *mk)
{
	return mk->level != BOLD_LEVEL &&
	    strncasecmp(mk->text, "playbook:", 9) == 0;
}

/*
 * Finds the playbooks of a file that contains several: two or more headings
 * that start with "Playbook:".  Keeps only the markers of the part
 * requested (1-based, 0 for the first) and sets [*first, *stop) to its
 * blocks.
 */
static enum irc_status
parts_select(struct map *m, const char *name, cmark_node *doc, int part,
    cmark_node **first, cmark_node **stop, struct irc_error *err)
{
	struct irc_playbook *pb = m->pb;
	size_t *at = NULL, lo, hi, n = 0;

	*first = cmark_node_first_child(doc);
	*stop = NULL;
	for (size_t i = 0; i < m->nmarkers; i++) {
		if (is_part_heading(&m->markers[i])) {
			at = irc_xrealloc(at, n + 1, sizeof *at);
			at[n++] = i;
		}
	}
	if (n < 2) {
		free(at);
		pb->part = 1;
		if (part > 1) {
			return irc_fail(err, IRC_ERR_INVALID, "%s: holds one "
			    "playbook, so there is no part %d; leave out the "
			    "part", name, part);
		}
		return IRC_OK;
	}
	if (part > (int)n) {
		free(at);
		return irc_fail(err, IRC_ERR_INVALID, "%s: holds %zu "
		    "playbooks, so there is no part %d; give 1 to %zu", name,
		    n, part, n);
	}
	pb->parts = irc_xcalloc(n, sizeof *pb->parts);
	for (size_t k = 0; k < n; k++)
		pb->parts[k] = irc_xstrdup(m->markers[at[k]].text);
	pb->nparts = n;
	pb->part = part < 1 ? 1 : part;

	lo = pb->part == 1 ? 0 : at[pb->part - 1];
	hi = (size_t)pb->part < n ? at[pb->part] : m->nmarkers;
	if (pb->part > 1)
		*first = m->markers[lo].node;
	if (hi < m->nmarkers)
		*stop = m->markers[hi].node;
	for (size_t i = 0; i < m->nmarkers; i++) {
		if (i < lo || i >= hi)
			free(m->markers[i].text);
	}
	memmove(m->markers, m->markers + lo, (hi - lo) * sizeof *m->markers);
	m->nmarkers = hi - lo;
	irc_pb_warn(pb, cmark_node_get_start_line(m->markers[0].node),
	    "the file holds %zu playbooks; part %d, \"%s\", is "
	    "loaded", n, pb->part, pb->parts[pb->part - 1]);
	free(at);
	return IRC_OK;
}

/*
 * Returns the phase that the name of the folder holding name names
 * ("Actions/03. Contain/x.md"), or -1.
 */
static int
folder_phase(const char *name, char *folder, size_t size)
{
	const char *end = strrchr(name, '/'), *start;

	if (end == NULL || end == name)
		return -1;
	start = end;
	while (start > name && start[-1] != '/')
		start--;
	snprintf(folder, size, "%.*s", (int)(end - start), start);
	return irc_pb_phase_of_heading(folder);
}

/* Without phase headings, takes the phase from the folder name. */
static void
folder_fallback(struct irc_playbook *pb, const char *name)
{
	char folder[256];
	int phase = folder_phase(name, folder, sizeof folder);
	struct irc_pb_phase tmp;

	if (phase < 0 || pb->nheadings > 0)
		return;
	pb_heading_add(pb, folder, 0, (enum irc_phase)phase, 1u << phase);
	if (phase == IRC_PHASE_RESPOND)
		return;
	tmp = pb->phases[IRC_PHASE_RESPOND];
	pb->phases[IRC_PHASE_RESPOND] = pb->phases[phase];
	pb->phases[phase] = tmp;
	pb->phases[IRC_PHASE_RESPOND].phase = IRC_PHASE_RESPOND;
	pb->phases[phase].phase = (enum irc_phase)phase;
}

/* Gives each step the slug of its title as its anchor. */
static void
steps_anchor(struct map *m)
{
	for (int p = 0; p < IRC_PHASE_COUNT; p++) {
		struct irc_pb_phase *ph = &m->pb->phases[p];

		for (size_t i = 0; i < ph->nsteps; i++) {
			struct irc_pb_anchor *a;

			a = pb_anchor_add(m->pb, &m->slugs, ph->steps[i].title,
			    IRC_PB_TARGET_STEP, (enum irc_phase)p, i,
			    ph->steps[i].line);
			ph->steps[i].anchor = irc_xstrdup(a->slug);
			if (ph->steps[i].guidance == NULL)
				ph->steps[i].guidance = irc_xstrdup("");
		}
	}
	/* A group heading whose section got no step names its phase. */
	for (size_t i = 0; i < m->pb->nanchors; i++) {
		struct irc_pb_anchor *a = &m->pb->anchors[i];

		if (a->kind == IRC_PB_TARGET_STEP &&
		    a->index >= m->pb->phases[a->phase].nsteps)
			a->kind = IRC_PB_TARGET_PHASE;
	}
}

enum irc_status
irc_pb_map(struct irc_playbook *pb, const char *name, const char *md,
    size_t len, int max_depth, int part, struct irc_error *err)
{
	struct map m = { 0 };
	enum irc_status status = IRC_OK;
	cmark_node *doc, *first, *stop;
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
	depth = depth_of(&m, doc);
	if (depth > max_depth) {
		status = irc_fail(err, IRC_ERR_TOO_LARGE, "%s: lists and quotes "
		    "are nested %d deep, over the limit of %d; flatten them",
		    name, depth, max_depth);
		goto out;
	}

	lines_index(&m, md, len);
	markers_collect(&m, doc);
	markers_anchor(&m);
	status = parts_select(&m, name, doc, part, &first, &stop, err);
	if (status != IRC_OK)
		goto out;
	pb_links_collect(pb, doc);

	title = title_marker(&m);
	if (pb->nparts >= 2)
		title = 0;
	if (title < m.nmarkers && pb->title == NULL)
		pb->title = irc_xstrdup(m.markers[title].text);
	m.phase_level = phase_level(&m, title);
	map_blocks(&m, first, stop, title);

	if (m.phase_level == 0)
		folder_fallback(pb, name);
	if (m.phase_level == 0 && pb->nheadings == 0 &&
	    irc_playbook_step_count(pb) > 0) {
		irc_pb_warn(pb, pb->phases[IRC_PHASE_RESPOND].steps[0].line,
		    "no two headings name a phase, so every step is in %s",
		    irc_phase_name(IRC_PHASE_RESPOND));
	}
	steps_anchor(&m);
	pb_links_resolve(pb, &m.slugs);
out:
	ref_bodies_finish(&m);
	free(m.guidance.data);
	free(m.line_at);
	for (size_t i = 0; i < m.nmarkers; i++)
		free(m.markers[i].text);
	free(m.markers);
	pb_slugset_free(&m.slugs);
	if (doc != NULL)
		cmark_node_free(doc);
	return status;
}
