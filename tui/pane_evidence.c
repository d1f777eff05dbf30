/*
 * pane_evidence.c: the Evidence pane (ISO/IEC 27001:2013 A.16.1.7,
 * 2022 5.28): items with their SHA-256 and custody, and the forms that
 * add an item from a path and record a custody transfer.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "records.h"
#include "timeutil.h"

static enum irc_status evidence_load(struct tui *t, int64_t case_id,
    struct rec_lines *out, struct irc_error *err)
{
	struct irc_evidence *list;
	char when[64];
	size_t n;
	enum irc_status st;

	if ((st = irc_evidence_list(t->db, case_id, &list, &n, err)) != IRC_OK)
		return st;
	for (size_t i = 0; i < n; i++) {
		const struct irc_evidence *e = &list[i];

		rec_add(out, TUI_ROLE_HEADING, e->number, "%" PRId64 " %s  %"
		    PRIu64 " bytes  held by %s", e->number, e->name, e->size,
		    e->holder);
		rec_add(out, TUI_ROLE_NORMAL, e->number, "  sha256 %s", e->sha256);
		if (*e->description || *e->location)
			rec_add(out, TUI_ROLE_NORMAL, e->number, "  %s%s%s",
			    e->description, *e->description && *e->location ?
			    ", kept at " : *e->location ? "kept at " : "",
			    e->location);
		rec_add(out, TUI_ROLE_DIM, e->number, "  added %s by %s",
		    irc_time_local(e->added_at, when, sizeof(when)), e->added_by);
		for (size_t j = 0; j < e->ncustody; j++) {
			const struct irc_custody *c = &e->custody[j];

			rec_add(out, TUI_ROLE_DIM, e->number, "  %s %s -> %s: %s%s%s",
			    irc_time_local(c->at, when, sizeof(when)), c->from,
			    c->to, c->purpose, *c->seal ? ", seal " : "", c->seal);
		}
	}
	irc_evidence_free(list, n);
	return IRC_OK;
}

static enum irc_status evidence_submit_add(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	int64_t number = 0;
	enum irc_status st;

	st = irc_evidence_add(t->db, case_id, values[0], values[1], values[2],
	    &t->actor, &number, err);
	if (st == IRC_OK)
		snprintf(done, done_size, "Evidence %" PRId64 " hashed and "
		    "recorded.", number);
	return st;
}

static enum irc_status evidence_submit_transfer(struct tui *t,
    int64_t case_id, int64_t id, char **values, char *done,
    size_t done_size, struct irc_error *err)
{
	struct irc_transfer tr = { values[0], values[1], values[2], values[3],
	    0 };
	enum irc_status st;

	if (*values[4] != '\0' &&
	    (st = irc_time_parse(values[4], &tr.at, NULL, err)) != IRC_OK)
		return st;
	st = irc_evidence_transfer(t->db, case_id, id, &tr, &t->actor, err);
	if (st == IRC_OK)
		snprintf(done, done_size, "Evidence %" PRId64 " is now held by "
		    "%s.", id, values[1]);
	return st;
}

static const struct rec_form evidence_forms[] = {
	{ TUI_ACT_REC_ADD, {
	    { "File path: ", "path", false, NULL, NULL, false },
	    { "Description (optional): ", "description", true, NULL, NULL, false },
	    { "Kept at (optional): ", "location", true, NULL, NULL, false },
	}, false, NULL, evidence_submit_add },
	{ TUI_ACT_REC_TRANSFER, {
	    { "From (current holder): ", "from", false, NULL, NULL, false },
	    { "To: ", "to", false, NULL, NULL, false },
	    { "Purpose: ", "purpose", false, NULL, NULL, false },
	    { "Seal id (optional): ", "seal", true, NULL, NULL, false },
	    { "When (empty for now, or 2026-03-29 15:05): ", "time", true,
		NULL, rec_check_time, false },
	}, true, "Select an evidence line first (j, k).",
	    evidence_submit_transfer },
};

const struct rec_kind pane_evidence = {
	.title = "Evidence (A.16.1.7, 5.28)",
	.hint = "a add a file  t transfer the selected item  ? keys  q back",
	.load = evidence_load,
	.forms = evidence_forms,
	.nforms = sizeof(evidence_forms) / sizeof(evidence_forms[0]),
};
