/*
 * witness.h: checking a case against copies of its log kept elsewhere.
 *
 * Each committed action is sent to syslog as one line (see
 * irc_action_syslog_line()), so the organisation's log platform holds a
 * copy that a person with write access to the database cannot rewrite.
 */
#ifndef IRC_WITNESS_H
#define IRC_WITNESS_H

#include <stdint.h>
#include <stdio.h>

#include "db.h"
#include "status.h"

struct irc_syslog_result {
	int64_t lines;		/* syslog lines about this case */
	int64_t matched;	/* actions found in syslog with the same fields */
	int64_t problems;	/* findings passed to the problem callback */
};

/*
 * Reads lines exported from a log platform (any prefix before the
 * IRC_SYSLOG_TAG word is ignored, as are lines without it) and compares
 * those about case_id with its actions: an action whose hash, kind, actor
 * or id differs, an action missing from syslog, and a syslog line for an
 * action that the database no longer has.  Calls problem once per
 * finding.  Returns IRC_OK when the check ran.
 */
enum irc_status irc_syslog_verify(struct irc_db *db, int64_t case_id,
    FILE *lines, void (*problem)(const char *line, void *data), void *data,
    struct irc_syslog_result *result, struct irc_error *err);

#endif
