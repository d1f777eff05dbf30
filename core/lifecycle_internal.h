/*
 * lifecycle_internal.h: what lifecycle.c, followup.c, close.c and clock.c
 * share.  Nothing outside those files includes this header.
 */
#ifndef IRC_LIFECYCLE_INTERNAL_H
#define IRC_LIFECYCLE_INTERNAL_H

#include <stdint.h>
#include <jansson.h>
#include <sqlite3.h>

#include "action.h"
#include "db.h"
#include "lifecycle.h"
#include "status.h"

/* Sets a "now" when (us 0) to the current time and local offset. */
void irc_lc_when_resolve(struct irc_when *when);

/* Returns when as an RFC 3339 JSON string with its offset. */
json_t *irc_lc_when_json(struct irc_when when);

/* Steps stmt to SQLITE_DONE and finalizes it; doing names it in errors. */
enum irc_status irc_lc_run(struct irc_db *db, sqlite3_stmt *stmt,
    const char *doing, struct irc_error *err);

/* Binds text, or NULL as SQL NULL. */
void irc_lc_bind_text(sqlite3_stmt *stmt, int col, const char *text);

/* Begins a transaction and checks that the case exists. */
enum irc_status irc_lc_begin(struct irc_db *db, int64_t case_id,
    struct irc_error *err);

/*
 * Commits when st is IRC_OK, else rolls back; releases body.  Returns the
 * final status.
 */
enum irc_status irc_lc_finish(struct irc_db *db, enum irc_status st,
    json_t *body, struct irc_error *err);

/* Reads the awareness time of a case; 0 when unset. */
enum irc_status irc_lc_case_aware(struct irc_db *db, int64_t case_id,
    int64_t *aware_us, struct irc_error *err);

#endif
