/*
 * case_playbook.c: parsing a case's playbook snapshot again and resolving
 * its "#anchor" links to steps, phases and reference panes of the case.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case_playbook.h"
#include "mem.h"

/*
 * Returns how well a parsed part fits case c: 2 when it has as many steps
 * in each phase as c, plus 1 when its title is c's playbook title.
 */
static int
part_score(const struct irc_playbook *pb, const struct irc_case *c)
{
	size_t count[IRC_PHASE_COUNT] = { 0 };
	int score = 2;

	for (size_t i = 0; i < c->nsteps; i++)
		count[c->steps[i].phase]++;
	for (int p = 0; p < IRC_PHASE_COUNT; p++)
		if (pb->phases[p].nsteps != count[p])
			score = 0;
	if (c->playbook_title != NULL && pb->title != NULL &&
	    strcmp(pb->title, c->playbook_title) == 0)
		score++;
	return score;
}

enum irc_status
irc_case_playbook(struct irc_db *db, const struct irc_case *c,
    struct irc_playbook **out, struct irc_error *err)
{
	struct irc_pb_limits limits;
	struct irc_playbook *pb = NULL, *part;
	enum irc_status st;
	char *text = NULL;
	size_t len = 0;
	const char *name;
	int best;

	*out = NULL;
	if ((st = irc_case_playbook_text(db, c->sum.id, &text, &len,
	    err)) != IRC_OK)
		return st;
	memset(&limits, 0, sizeof limits);
	limits.max_size = len > 0 ? len : 1;
	name = c->playbook_path != NULL ? c->playbook_path : "playbook";
	if ((st = irc_playbook_parse(name, text, len, &limits, &pb,
	    err)) != IRC_OK)
		goto out;
	/*
	 * The part a case came from is not stored: take the one that fits
	 * its steps and title best, the first of equals.
	 */
	best = part_score(pb, c);
	for (size_t i = 1; i < pb->nparts && best < 3; i++) {
		limits.part = (int)i + 1;
		if (irc_playbook_parse(name, text, len, &limits, &part,
		    err) != IRC_OK)
			continue;
		if (part_score(part, c) > best) {
			best = part_score(part, c);
			irc_playbook_free(pb);
			pb = part;
		} else {
			irc_playbook_free(part);
		}
	}
	*out = pb;
out:
	free(text);
	return st;
}

/* Returns the number of the step at 0-based index of phase, or 0. */
static int
case_step_at(const struct irc_case *c, enum irc_phase phase, size_t index)
{
	for (size_t i = 0; i < c->nsteps; i++) {
		if (c->steps[i].phase == phase &&
		    c->steps[i].ord == (int)index + 1)
			return c->steps[i].seq;
	}
	return 0;
}

void
irc_case_anchor_resolve(const struct irc_case *c,
    const struct irc_playbook *pb, const char *slug,
    struct irc_case_target *out)
{
	const struct irc_pb_anchor *anchor;
	const char *bare = slug != NULL && slug[0] == '#' ? slug + 1 : slug;

	memset(out, 0, sizeof *out);
	out->kind = IRC_PB_TARGET_NONE;
	if (bare == NULL || *bare == '\0')
		return;
	/* Headings take a slug before steps do, so a stored one is unique. */
	for (size_t i = 0; i < c->nsteps; i++) {
		if (c->steps[i].anchor != NULL &&
		    strcasecmp(c->steps[i].anchor, bare) == 0) {
			out->kind = IRC_PB_TARGET_STEP;
			out->phase = c->steps[i].phase;
			out->seq = c->steps[i].seq;
			return;
		}
	}
	if ((anchor = irc_playbook_anchor_find(pb, bare)) == NULL)
		return;
	switch (anchor->kind) {
	case IRC_PB_TARGET_STEP:
		out->seq = case_step_at(c, anchor->phase, anchor->index);
		if (out->seq == 0)
			return;
		out->kind = IRC_PB_TARGET_STEP;
		out->phase = anchor->phase;
		return;
	case IRC_PB_TARGET_PHASE:
		out->kind = IRC_PB_TARGET_PHASE;
		out->phase = anchor->phase;
		out->seq = case_step_at(c, anchor->phase, 0);
		return;
	case IRC_PB_TARGET_REF:
		out->kind = IRC_PB_TARGET_REF;
		out->ref = anchor->index;
		return;
	default:
		return;
	}
}
