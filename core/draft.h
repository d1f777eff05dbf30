/*
 * draft.h: text a responder typed but did not save yet, kept in a file so
 * that a dropped SSH link, SIGHUP, SIGTERM or a full disk does not lose it.
 *
 * One draft per case, in $XDG_STATE_HOME/ircase/drafts/ (else
 * ~/.local/state/ircase/drafts/), named after the case's uuid so drafts
 * of different databases never mix.  The file is written to a temporary
 * name, synced and renamed over the old one, mode 0600, so a crash leaves
 * either the old draft or the new one.
 */
#ifndef IRC_DRAFT_H
#define IRC_DRAFT_H

#include <stdint.h>

#include "db.h"
#include "status.h"

struct irc_draft {
	char uuid[37];		/* the case's uuid */
	int step;		/* step number the note is on, 0 for the case */
	char *text;		/* UTF-8; caller frees */
};

/*
 * Writes the draft for a case, replacing any earlier one.  Uses only
 * open, write, fsync and rename after the path is built, so it can run
 * on the way out after a signal (from the main loop, not the handler).
 */
enum irc_status irc_draft_save(const struct irc_draft *draft,
    struct irc_error *err);

/*
 * Reads the draft of case uuid into *out (free out->text).  Returns
 * IRC_ERR_NOT_FOUND when there is none.
 */
enum irc_status irc_draft_load(const char *uuid, struct irc_draft *out,
    struct irc_error *err);

/*
 * Finds a draft left for a case of db: the first file in the drafts
 * folder whose uuid names a case there.  Sets *case_id and *out (free
 * out->text) and returns IRC_OK, or IRC_ERR_NOT_FOUND when there is none.
 */
enum irc_status irc_draft_find(struct irc_db *db, int64_t *case_id,
    struct irc_draft *out, struct irc_error *err);

/* Deletes the draft of case uuid; a missing draft is not an error. */
void irc_draft_remove(const char *uuid);

#endif
