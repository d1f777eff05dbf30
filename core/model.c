/*
 * model.c: names of phases, step states and severities.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <strings.h>

#include "model.h"

static const struct {
	const char *name;
	const char *key;
	const char *iso2013;
	const char *iso2022;
} phases[IRC_PHASE_COUNT] = {
	[IRC_PHASE_PREPARE] = { "Prepare", "prepare", "A.16.1.1", "5.24" },
	[IRC_PHASE_REPORT] = { "Report", "report", "A.16.1.2, A.16.1.3", "6.8" },
	[IRC_PHASE_ASSESS] = { "Assess", "assess", "A.16.1.4", "5.25" },
	[IRC_PHASE_RESPOND] = { "Respond", "respond", "A.16.1.5", "5.26" },
	[IRC_PHASE_LEARN] = { "Learn", "learn", "A.16.1.6", "5.27" },
	[IRC_PHASE_EVIDENCE] = { "Evidence", "evidence", "A.16.1.7", "5.28" },
};

static const char *const state_keys[IRC_STEP_STATE_COUNT] = {
	[IRC_STEP_PENDING] = "pending",
	[IRC_STEP_ACTIVE] = "active",
	[IRC_STEP_DONE] = "done",
	[IRC_STEP_SKIPPED] = "skipped",
	[IRC_STEP_NA] = "not_applicable",
};

static const char *const state_labels[IRC_STEP_STATE_COUNT] = {
	[IRC_STEP_PENDING] = "pending",
	[IRC_STEP_ACTIVE] = "active",
	[IRC_STEP_DONE] = "done",
	[IRC_STEP_SKIPPED] = "skipped",
	[IRC_STEP_NA] = "not applicable",
};

static const char *const severity_names[] = {
	"low", "medium", "high", "critical",
};

/* The words `ircase step` accepts, besides the keys above. */
static const struct {
	const char *word;
	enum irc_step_state state;
} state_words[] = {
	{ "start", IRC_STEP_ACTIVE },
	{ "skip", IRC_STEP_SKIPPED },
	{ "na", IRC_STEP_NA },
	{ "n/a", IRC_STEP_NA },
	{ "reopen", IRC_STEP_PENDING },
};

const char *
irc_phase_name(enum irc_phase phase)
{
	return (unsigned)phase < IRC_PHASE_COUNT ? phases[phase].name : "?";
}

const char *
irc_phase_key(enum irc_phase phase)
{
	return (unsigned)phase < IRC_PHASE_COUNT ? phases[phase].key : "?";
}

const char *
irc_phase_iso2013(enum irc_phase phase)
{
	return (unsigned)phase < IRC_PHASE_COUNT ? phases[phase].iso2013 : "";
}

const char *
irc_phase_iso2022(enum irc_phase phase)
{
	return (unsigned)phase < IRC_PHASE_COUNT ? phases[phase].iso2022 : "";
}

bool
irc_phase_parse(const char *word, enum irc_phase *out)
{
	for (int i = 0; i < IRC_PHASE_COUNT; i++) {
		if (strcasecmp(word, phases[i].key) == 0) {
			*out = (enum irc_phase)i;
			return true;
		}
	}
	return false;
}

const char *
irc_step_state_key(enum irc_step_state state)
{
	return (unsigned)state < IRC_STEP_STATE_COUNT ? state_keys[state] : "?";
}

const char *
irc_step_state_label(enum irc_step_state state)
{
	return (unsigned)state < IRC_STEP_STATE_COUNT ? state_labels[state] : "?";
}

bool
irc_step_state_parse(const char *word, enum irc_step_state *out)
{
	for (int i = 0; i < IRC_STEP_STATE_COUNT; i++) {
		if (strcasecmp(word, state_keys[i]) == 0) {
			*out = (enum irc_step_state)i;
			return true;
		}
	}
	for (size_t i = 0; i < sizeof state_words / sizeof state_words[0]; i++) {
		if (strcasecmp(word, state_words[i].word) == 0) {
			*out = state_words[i].state;
			return true;
		}
	}
	return false;
}

/*
 * Space moves a step forward through pending, active and done, and from
 * any closed state back to pending.  Skipping and "not applicable" have
 * their own keys, so one press too many never turns finished work into a
 * skipped step.
 */
enum irc_step_state
irc_step_state_next(enum irc_step_state state)
{
	switch (state) {
	case IRC_STEP_PENDING:
		return IRC_STEP_ACTIVE;
	case IRC_STEP_ACTIVE:
		return IRC_STEP_DONE;
	default:
		return IRC_STEP_PENDING;
	}
}

bool
irc_step_state_closed(enum irc_step_state state)
{
	return state == IRC_STEP_DONE || state == IRC_STEP_SKIPPED ||
	    state == IRC_STEP_NA;
}

const char *
irc_severity_name(int severity)
{
	if (severity < IRC_SEVERITY_MIN || severity > IRC_SEVERITY_MAX)
		return "unknown";
	return severity_names[severity - IRC_SEVERITY_MIN];
}

bool
irc_severity_parse(const char *text, int *out)
{
	char *end;
	long n;

	for (int i = IRC_SEVERITY_MIN; i <= IRC_SEVERITY_MAX; i++) {
		if (strcasecmp(text, severity_names[i - IRC_SEVERITY_MIN]) == 0) {
			*out = i;
			return true;
		}
	}
	errno = 0;
	n = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' ||
	    n < IRC_SEVERITY_MIN || n > IRC_SEVERITY_MAX)
		return false;
	*out = (int)n;
	return true;
}
