/*
 * crosscheck.h: compares the records of a case with its action log.
 *
 * The action table is append-only and hash-chained, but the tables that
 * hold the case as it stands (the case row, steps, reports, decisions,
 * evidence and so on) are plain rows that a writer with SQLite access can
 * change.  Each of those rows is written together with an action whose
 * body holds the same values, so a verified log tells what the rows must
 * read.  The check is fed the actions one at a time, in chain order, while
 * the chain is walked, and reads the record rows one query at a time, so
 * its memory does not grow with the log.
 */
#ifndef IRC_CROSSCHECK_H
#define IRC_CROSSCHECK_H

#include <stdint.h>

#include "action.h"
#include "db.h"
#include "status.h"

struct irc_crosscheck;

/* Starts a check of case case_id; free it with irc_crosscheck_free(). */
struct irc_crosscheck *irc_crosscheck_start(struct irc_db *db,
    int64_t case_id);

/*
 * Compares the row that action a wrote, if any, with a's body and notes
 * what a sets on the case row and the steps.  The first mismatch goes to
 * the check's own result.  Returns an error only when a query failed.
 */
enum irc_status irc_crosscheck_add(struct irc_crosscheck *cc,
    const struct irc_action *a, struct irc_error *err);

/*
 * Compares the case row, the steps, the roles, the playbook snapshot and
 * the number of rows in each record table with what the actions set.  When
 * the chain result r is intact and the records differ, marks r broken with
 * a reason that names the table, the row and the field.  Returns an error
 * only when a query failed.
 */
enum irc_status irc_crosscheck_finish(struct irc_crosscheck *cc,
    struct irc_verify_result *r, struct irc_error *err);

void irc_crosscheck_free(struct irc_crosscheck *cc);

#endif
