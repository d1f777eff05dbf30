/*
 * playbook_links.c: anchors, "#anchor" links and summary lists.
 *
 * Each heading gets the id GitHub gives it (see irc_playbook_slug; a
 * repeated slug gets "-1", "-2"... in file order) and each step the slug
 * of its title, unless a heading took it first.  A link "[text](#slug)"
 * resolves to the phase, step or reference pane behind that anchor.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm.h>

#include "mem.h"
#include "playbook.h"
#include "playbook_internal.h"

#define SLUG_MAX 256

static uint64_t
slug_hash(const char *s)
{
	uint64_t h = 1469598103934665603u;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* Returns the slot of slug in set: its entry, or the empty slot for it. */
static struct pb_slug *
slug_slot(struct pb_slugset *set, const char *slug)
{
	size_t mask = set->cap - 1, i = (size_t)slug_hash(slug) & mask;

	while (set->slots[i].slug != NULL && strcmp(set->slots[i].slug, slug) != 0)
		i = (i + 1) & mask;
	return &set->slots[i];
}

static void
slug_grow(struct pb_slugset *set)
{
	struct pb_slug *old = set->slots;
	size_t oldcap = set->cap;

	set->cap = oldcap == 0 ? 64 : oldcap * 2;
	set->slots = irc_xcalloc(set->cap, sizeof *set->slots);
	for (size_t i = 0; i < oldcap; i++) {
		if (old[i].slug != NULL)
			*slug_slot(set, old[i].slug) = old[i];
	}
	free(old);
}

/* Adds slug to set (the set keeps a copy) and returns its entry. */
static struct pb_slug *
slug_insert(struct pb_slugset *set, const char *slug)
{
	struct pb_slug *e;

	if ((set->count + 1) * 2 > set->cap)
		slug_grow(set);
	e = slug_slot(set, slug);
	if (e->slug == NULL) {
		e->slug = irc_xstrdup(slug);
		e->next = 1;
		set->count++;
	}
	return e;
}

void
pb_slugset_free(struct pb_slugset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i].slug);
	free(set->slots);
	memset(set, 0, sizeof *set);
}

struct irc_pb_anchor *
pb_anchor_add(struct irc_playbook *pb, struct pb_slugset *set,
    const char *text, enum irc_pb_target kind, enum irc_phase phase,
    size_t index, int line)
{
	char base[SLUG_MAX], slug[SLUG_MAX + 24];
	struct irc_pb_anchor *a;
	struct pb_slug *e;

	irc_playbook_slug(text, base, sizeof base);
	snprintf(slug, sizeof slug, "%s", base);
	if (set->cap > 0 && slug_slot(set, base)->slug != NULL) {
		/* A repeat: "x-1", "x-2"... from where the last repeat ended. */
		e = slug_slot(set, base);
		for (int k = e->next;; k++) {
			snprintf(slug, sizeof slug, "%s-%d", base, k);
			if (slug_slot(set, slug)->slug == NULL) {
				slug_slot(set, base)->next = k + 1;
				break;
			}
		}
	}
	slug_insert(set, slug)->anchor = pb->nanchors;
	pb_grow(&pb->anchors, pb->nanchors, sizeof *pb->anchors);
	a = &pb->anchors[pb->nanchors++];
	a->slug = irc_xstrdup(slug);
	a->kind = kind;
	a->phase = phase;
	a->index = index;
	a->line = line;
	return a;
}

const struct irc_pb_anchor *
irc_playbook_anchor_find(const struct irc_playbook *pb, const char *slug)
{
	if (pb == NULL || slug == NULL)
		return NULL;
	if (slug[0] == '#')
		slug++;
	for (size_t i = 0; i < pb->nanchors; i++) {
		if (strcasecmp(pb->anchors[i].slug, slug) == 0)
			return &pb->anchors[i];
	}
	return NULL;
}

/* Returns the line of node, or of the nearest block above it that has one. */
static int
node_line(cmark_node *node)
{
	while (node != NULL && cmark_node_get_start_line(node) <= 0)
		node = cmark_node_parent(node);
	return node != NULL ? cmark_node_get_start_line(node) : 0;
}

void
pb_links_collect(struct irc_playbook *pb, cmark_node *doc)
{
	cmark_iter *iter = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(iter);
		const char *url;
		struct irc_pb_link *link;

		pb->work++;
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_LINK)
			continue;
		url = cmark_node_get_url(n);
		if (url == NULL || url[0] != '#' || url[1] == '\0')
			continue;
		pb_grow(&pb->links, pb->nlinks, sizeof *pb->links);
		link = &pb->links[pb->nlinks++];
		link->slug = irc_xstrndup(url + 1, strnlen(url + 1, SLUG_MAX));
		link->line = node_line(n);
		link->target = NULL;
	}
	cmark_iter_free(iter);
}

void
pb_links_resolve(struct irc_playbook *pb, struct pb_slugset *set)
{
	for (size_t i = 0; i < pb->nlinks; i++) {
		struct irc_pb_link *link = &pb->links[i];
		char lower[SLUG_MAX + 1];
		struct pb_slug *e;
		size_t n = 0;

		for (const char *p = link->slug; *p != '\0' && n < SLUG_MAX; p++)
			lower[n++] = (*p >= 'A' && *p <= 'Z') ?
			    (char)(*p - 'A' + 'a') : *p;
		lower[n] = '\0';
		link->target = NULL;
		if (set->cap > 0) {
			e = slug_slot(set, lower);
			if (e->slug != NULL)
				link->target = &pb->anchors[e->anchor];
		}
		if (link->target == NULL) {
			irc_pb_warn(pb, link->line, "link to #%s names no "
			    "heading or step in this playbook", link->slug);
		}
	}
}

/* Words too common to tie a summary item to a heading. */
static bool
stop_word(const char *w)
{
	static const char *stop[] = {
		"the", "and", "for", "with", "from", "that", "this", "any",
		"all", "are", "you", "your", "our", "its", "etc", "may", "been",
		"have", "has", "into", "onto", "other", "was", "were",
	};

	for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++) {
		if (strcmp(w, stop[i]) == 0)
			return true;
	}
	return false;
}

void
pb_words_of(const char *text, struct pb_words *out)
{
	size_t len = 0;

	out->n = 0;
	for (const char *p = text;; p++) {
		char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c >= 'a' && c <= 'z') {
			if (len + 1 < PB_WORD_LEN && out->n < PB_WORDS_MAX)
				out->w[out->n][len++] = c;
			continue;
		}
		if (len > 0 && out->n < PB_WORDS_MAX) {
			out->w[out->n][len] = '\0';
			if (len >= 3 && !stop_word(out->w[out->n]))
				out->n++;
		}
		len = 0;
		if (c == '\0')
			break;
	}
}

static size_t
words_shared(const struct pb_words *a, const struct pb_words *b)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n; i++) {
		for (size_t j = 0; j < b->n; j++) {
			/* "Communication" and "communications" are one word. */
			if (strncmp(a->w[i], b->w[j], 5) == 0 &&
			    (strlen(a->w[i]) >= 5 || strcmp(a->w[i], b->w[j]) == 0)) {
				n++;
				break;
			}
		}
	}
	return n;
}

/* Returns true when an item's text names one of the later headings. */
static bool
item_names_heading(const char *text, const struct pb_words *const *later,
    size_t nlater)
{
	struct pb_words item;

	pb_words_of(text, &item);
	/* A summary item is a short line; a step with prose is not one. */
	if (item.n > 10)
		return false;
	for (size_t i = 0; i < nlater; i++) {
		const struct pb_words *head = later[i];
		size_t shared;

		if (head->n == 0)
			continue;
		shared = words_shared(head, &item);
		if ((shared >= 2 || (head->n == 1 && shared == 1)) &&
		    shared * 2 >= item.n)
			return true;
	}
	return false;
}

static bool
item_has_anchor_link(cmark_node *item, size_t *work)
{
	cmark_iter *iter = cmark_iter_new(item);
	cmark_event_type ev;
	bool found = false;

	while (!found && (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(iter);
		const char *url;

		(*work)++;
		if (cmark_node_get_type(n) != CMARK_NODE_LINK)
			continue;
		url = cmark_node_get_url(n);
		found = url != NULL && strchr(url, '#') != NULL;
	}
	cmark_iter_free(iter);
	return found;
}

bool
pb_list_is_summary(cmark_node *list, const struct pb_words *const *later,
    size_t nlater, size_t *work)
{
	size_t items = 0, hits = 0, misses = 0, allowed;

	for (cmark_node *it = cmark_node_first_child(list); it != NULL;
	    it = cmark_node_next(it))
		items++;
	if (items < 3)
		return false;
	/* Stop at the first miss that puts 60% out of reach. */
	allowed = items - (items * 6 + 9) / 10;
	for (cmark_node *it = cmark_node_first_child(list); it != NULL &&
	    misses <= allowed; it = cmark_node_next(it)) {
		cmark_node *para = cmark_node_first_child(it);
		char *text;
		bool hit;

		if (item_has_anchor_link(it, work)) {
			hits++;
			continue;
		}
		if (para == NULL) {
			misses++;
			continue;
		}
		/* Only the item's first block is compared. */
		text = pb_node_text(para, work);
		hit = item_names_heading(text, later, nlater);
		free(text);
		if (hit)
			hits++;
		else
			misses++;
	}
	return hits * 10 >= items * 6;
}
