/*
 * pane_observables.c: the observables of a case, and the form that adds
 * one (type, value, TLP, IOC flag, tags separated by commas).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "observable.h"
#include "records.h"

static enum irc_status observables_load(struct tui *t, int64_t case_id,
    struct rec_lines *out, struct irc_error *err)
{
	struct irc_observable *list;
	size_t n;
	enum irc_status st;

	if ((st = irc_observable_list(t->db, case_id, &list, &n, err)) != IRC_OK)
		return st;
	for (size_t i = 0; i < n; i++) {
		const struct irc_observable *o = &list[i];
		char tags[512] = "";
		size_t used = 0;

		for (size_t j = 0; j < o->ntags && used < sizeof(tags); j++)
			used += (size_t)snprintf(tags + used, sizeof(tags) - used,
			    "%s%s", j ? ", " : "  [", o->tags[j]);
		rec_add(out, o->ioc ? TUI_ROLE_ACTIVE : TUI_ROLE_NORMAL,
		    o->number, "%3" PRId64 " %-10s %-12s %s %s%s%s", o->number,
		    irc_obs_type_key(o->type), o->tlp, o->ioc ? "IOC" : "   ",
		    o->value, tags, o->ntags ? "]" : "");
	}
	irc_observables_free(list, n);
	return IRC_OK;
}

/* Splits "a, b,c" into trimmed, non-empty tags in place. */
static size_t observables_tags(char *text, const char **tags, size_t max)
{
	size_t n = 0;

	for (char *tok = strtok(text, ","); tok != NULL && n < max;
	    tok = strtok(NULL, ",")) {
		size_t len;

		tok += strspn(tok, " ");
		len = strlen(tok);
		while (len > 0 && tok[len - 1] == ' ')
			tok[--len] = '\0';
		if (len > 0)
			tags[n++] = tok;
	}
	return n;
}

static enum irc_status observables_submit(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	const char *tags[IRC_OBSERVABLE_TAGS_MAX];
	struct irc_observable_new obs = { 0 };
	int64_t number = 0;
	enum irc_status st;

	if (!irc_obs_type_parse(values[0], &obs.type))
		return irc_fail(err, IRC_ERR_INVALID, "invalid type '%s'; use ip, "
		    "domain, url, hash, mail, filename, user-agent or other",
		    values[0]);
	obs.value = values[1];
	obs.tlp = *values[2] ? values[2] : NULL;
	obs.ioc = values[3][0] == 'y' || values[3][0] == 'Y';
	obs.tags = tags;
	obs.ntags = observables_tags(values[4], tags, IRC_OBSERVABLE_TAGS_MAX);
	st = irc_observable_add(t->db, case_id, &obs, &t->actor, &number, err);
	if (st == IRC_OK)
		snprintf(done, done_size, "Observable %" PRId64 " recorded.",
		    number);
	return st;
}

static enum irc_status observables_check_tlp(const char *value,
    struct irc_error *err)
{
	if (irc_obs_tlp_parse(value) != NULL)
		return IRC_OK;
	return irc_fail(err, IRC_ERR_INVALID, "invalid TLP '%s'; use clear, "
	    "green, amber, amber+strict or red", value);
}

static const char *const observables_yes_no[] = { "y", "n", "yes", "no",
	NULL };

static const struct rec_form observables_forms[] = {
	{ TUI_ACT_REC_ADD, {
	    { "Type: ", "type", false, irc_obs_types, NULL, false },
	    { "Value: ", "value", false, NULL, NULL, false },
	    { "TLP (empty for amber): ", "TLP", true, NULL,
		observables_check_tlp, false },
	    { "Indicator of compromise? (y/n): ", "indicator", true,
		observables_yes_no, NULL, false },
	    { "Tags (comma-separated, optional): ", "tags", true, NULL, NULL, false },
	}, false, NULL, observables_submit },
};

const struct rec_kind pane_observables = {
	.title = "Observables",
	.hint = "a add an observable  ? keys  q back",
	.load = observables_load,
	.forms = observables_forms,
	.nforms = 1,
};
