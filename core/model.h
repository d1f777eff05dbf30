/*
 * model.h: the incident lifecycle phases and step states shared by every
 * part of ircase.
 *
 * The six phases follow ISO/IEC 27001 incident management: 2013 Annex A
 * controls A.16.1.1 to A.16.1.7 and 2022 controls 5.24 to 5.28 and 6.8.
 * Their order here is the order of a case on screen and in exports.
 */
#ifndef IRC_MODEL_H
#define IRC_MODEL_H

#include <stdbool.h>

enum irc_phase {
	IRC_PHASE_PREPARE,	/* A.16.1.1, 5.24 */
	IRC_PHASE_REPORT,	/* A.16.1.2, A.16.1.3, 6.8 */
	IRC_PHASE_ASSESS,	/* A.16.1.4, 5.25 */
	IRC_PHASE_RESPOND,	/* A.16.1.5, 5.26 */
	IRC_PHASE_LEARN,	/* A.16.1.6, 5.27 */
	IRC_PHASE_EVIDENCE,	/* A.16.1.7, 5.28 */
	IRC_PHASE_COUNT
};

enum irc_step_state {
	IRC_STEP_PENDING,
	IRC_STEP_ACTIVE,
	IRC_STEP_DONE,
	IRC_STEP_SKIPPED,
	IRC_STEP_NA,		/* not applicable to this incident */
	IRC_STEP_STATE_COUNT
};

/* Returns the phase's display name ("Prepare" ... "Evidence"). */
const char *irc_phase_name(enum irc_phase phase);

/* Returns the phase's stored and JSON key ("prepare" ... "evidence"). */
const char *irc_phase_key(enum irc_phase phase);

/* Returns the 2013 and 2022 control labels of a phase ("A.16.1.4", "5.25"). */
const char *irc_phase_iso2013(enum irc_phase phase);
const char *irc_phase_iso2022(enum irc_phase phase);

/* Parses a phase key or display name, case-insensitively. */
bool irc_phase_parse(const char *word, enum irc_phase *out);

/*
 * Returns the stored and JSON name of a state: "pending", "active", "done",
 * "skipped", "not_applicable".
 */
const char *irc_step_state_key(enum irc_step_state state);

/*
 * Parses a state as the CLI spells it ("start", "done", "skip", "na",
 * "pending") or as irc_step_state_key() does.
 */
bool irc_step_state_parse(const char *word, enum irc_step_state *out);

/*
 * Returns the state in words for people to read: "pending", "active",
 * "done", "skipped", "not applicable".  JSON and storage use
 * irc_step_state_key().
 */
const char *irc_step_state_label(enum irc_step_state state);

/* Returns the state that the TUI's space key moves a step to. */
enum irc_step_state irc_step_state_next(enum irc_step_state state);

/* Returns true for done, skipped and not applicable. */
bool irc_step_state_closed(enum irc_step_state state);

/* Severity runs from 1 (low) to 4 (critical). */
#define IRC_SEVERITY_MIN 1
#define IRC_SEVERITY_MAX 4
#define IRC_SEVERITY_DEFAULT 2

/* Returns "low", "medium", "high" or "critical", or "unknown". */
const char *irc_severity_name(int severity);

/*
 * Parses a severity given as a number 1-4 or as its name (low, medium,
 * high, critical; any case).  Returns false for anything else.
 */
bool irc_severity_parse(const char *text, int *out);

#endif
