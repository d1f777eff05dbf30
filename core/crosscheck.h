/*
 * crosscheck.h: compares the records of a case with its action log.
 *
 * The action table is append-only and hash-chained, but the tables that
 * hold the case as it stands (the case row, steps, reports, decisions,
 * evidence and so on) are plain rows that a writer with SQLite access can
 * change.  Each of those rows is written together with an action whose
 * body holds the same values, so a verified log tells what the rows must
 * read.  The check is fed the actions one at a time, in chain order, while
 * the chain is walked, keeps what they set, and reads the record rows at
 * the end, one query at a time.  Its memory grows with the number of
 * records, not with the length of the log.  The same check compares the
 * records of a JSON export with the actions in it.
 */
#ifndef IRC_CROSSCHECK_H
#define IRC_CROSSCHECK_H

#include <stdint.h>
#include <jansson.h>

#include "action.h"
#include "db.h"
#include "status.h"

struct irc_crosscheck;

/* Starts a check of case case_id; free it with irc_crosscheck_free(). */
struct irc_crosscheck *irc_crosscheck_start(struct irc_db *db,
    int64_t case_id);

/*
 * Starts a check of the records in doc, a case's JSON export, against
 * the actions in the same export, which the caller feeds in order.  doc
 * must outlive the check.  Every mismatch, not only the first, goes to
 * report as one line naming the case, the table, the row and the field.
 */
struct irc_crosscheck *irc_crosscheck_start_export(const json_t *doc,
    void (*report)(const char *line, void *data), void *data);

/* Returns the number of mismatches found so far. */
int64_t irc_crosscheck_mismatches(const struct irc_crosscheck *cc);

/*
 * Notes what action a sets on the record rows.  Nothing is read until
 * irc_crosscheck_finish(), and memory grows with the number of records,
 * not of actions.  Returns IRC_OK.
 */
enum irc_status irc_crosscheck_add(struct irc_crosscheck *cc,
    const struct irc_action *a, struct irc_error *err);

/*
 * Compares every column that the actions set on the case row, the steps
 * and each record table (crosscheck.c lists them), the number of rows in
 * each, and, for the database, the playbook snapshot.  When
 * the chain result r is intact and the records differ, marks r broken with
 * a reason that names the table, the row and the field.  Returns an error
 * only when a query failed.
 */
enum irc_status irc_crosscheck_finish(struct irc_crosscheck *cc,
    struct irc_verify_result *r, struct irc_error *err);

void irc_crosscheck_free(struct irc_crosscheck *cc);

#endif
