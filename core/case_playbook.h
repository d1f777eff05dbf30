/*
 * case_playbook.h: the playbook behind an open case and where its
 * "#anchor" links lead in that case.
 *
 * A case stores the exact text of the playbook it was opened from (see
 * irc_case_playbook_text).  Parsing that text again gives the reference
 * panes and the anchors, which the step rows do not hold.
 */
#ifndef IRC_CASE_PLAYBOOK_H
#define IRC_CASE_PLAYBOOK_H

#include <stddef.h>

#include "case.h"
#include "db.h"
#include "playbook.h"
#include "status.h"

/*
 * Parses the playbook snapshot of case c again.  The snapshot was
 * accepted when the case opened, so no size limit applies.  In a file
 * holding several playbooks, the part parsed is the first one with as
 * many steps in each phase as the case, and with its title if several
 * have.  On success the caller frees *out with
 * irc_playbook_free().  Errors: those of irc_case_playbook_text() and
 * irc_playbook_parse(), for example IRC_ERR_TOO_LARGE for nesting deeper
 * than the depth limit.
 */
enum irc_status irc_case_playbook(struct irc_db *db, const struct irc_case *c,
    struct irc_playbook **out, struct irc_error *err);

/* The place in a case that an "#anchor" link of its playbook names. */
struct irc_case_target {
	enum irc_pb_target kind;	/* IRC_PB_TARGET_NONE: nothing has
					   that anchor, or only the title */
	enum irc_phase phase;	/* PHASE and STEP: the phase */
	int seq;		/* STEP: the step's number; PHASE: the number of
				   its first step, or 0 when it has none */
	size_t ref;		/* REF: index into the playbook's refs */
};

/*
 * Resolves slug ("#x" or "x", compared without case) in case c: first
 * against the anchors stored with its steps, then against the anchors of
 * pb, its playbook parsed again (pb may be NULL).  A step anchor of pb
 * names the step at the same position in the same phase of c.
 */
void irc_case_anchor_resolve(const struct irc_case *c,
    const struct irc_playbook *pb, const char *slug,
    struct irc_case_target *out);

#endif
