/*
 * playbook_lint.c: what `ircase playbook lint` and the playbook picker
 * report about a playbook that loaded.
 *
 * A playbook that fails to load has one error, its load error.  One that
 * loads gets the loader's warnings and these checks: a playbook without
 * a single step is an error, and so is a TLP label that is not one of
 * FIRST's TLP 2.0 labels (CLEAR, GREEN, AMBER, AMBER+STRICT, RED; the
 * TLP 1.0 WHITE is accepted).  When headings name phases, each of the six
 * phases without a step gets a warning.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"
#include "model.h"
#include "playbook.h"

struct diags {
	struct irc_pb_diag *list;
	size_t n;
};

static void
diag_add(struct diags *d, int line, bool error, char *message)
{
	d->list = irc_xrealloc(d->list, d->n + 1, sizeof *d->list);
	d->list[d->n].line = line;
	d->list[d->n].error = error;
	d->list[d->n].message = message;
	d->n++;
}

static bool
tlp_valid(const char *tlp)
{
	static const char *labels[] = {
		"CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED", "WHITE",
	};

	if (strncasecmp(tlp, "TLP:", 4) == 0)
		tlp += 4;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		if (strcasecmp(tlp, labels[i]) == 0)
			return true;
	}
	return false;
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct irc_pb_diag *x = a, *y = b;

	if (x->line != y->line)
		return (x->line > y->line) - (x->line < y->line);
	return (x->error < y->error) - (x->error > y->error);
}

void
irc_playbook_lint(const struct irc_playbook *pb, struct irc_pb_diag **out,
    size_t *count)
{
	struct diags d = { NULL, 0 };

	for (size_t i = 0; i < pb->nwarnings; i++) {
		const char *w = pb->warnings[i];
		char *end;
		long line;

		errno = 0;
		line = strtol(w, &end, 10);
		if (errno != 0 || end == w || line < 1 || line > 0x7fffffff ||
		    strncmp(end, ": ", 2) != 0) {
			diag_add(&d, 1, false, irc_xstrdup(w));
			continue;
		}
		diag_add(&d, (int)line, false, irc_xstrdup(end + 2));
	}
	if (irc_playbook_step_count(pb) == 0) {
		diag_add(&d, 1, true, irc_xstrdup("no steps: put the actions "
		    "in Markdown lists under headings that name the phases"));
	} else if (pb->nheadings > 0) {
		for (int p = 0; p < IRC_PHASE_COUNT; p++) {
			if (pb->phases[p].nsteps > 0)
				continue;
			diag_add(&d, 1, false, irc_xasprintf("no steps in %s; "
			    "add a heading that names it, or map one to it in "
			    "the front matter's phases", irc_phase_name(p)));
		}
	}
	if (pb->tlp != NULL && !tlp_valid(pb->tlp)) {
		diag_add(&d, 1, true, irc_xasprintf("front matter: tlp '%s' is "
		    "not a TLP label; use CLEAR, GREEN, AMBER, AMBER+STRICT or "
		    "RED", pb->tlp));
	}
	if (d.n > 1)
		qsort(d.list, d.n, sizeof *d.list, diag_cmp);
	*out = d.list;
	*count = d.n;
}

void
irc_playbook_diags_free(struct irc_pb_diag *diags, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(diags[i].message);
	free(diags);
}
