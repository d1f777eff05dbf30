/*
 * db.h: the SQLite database behind ircase.
 *
 * One database file holds every case.  It is opened in WAL mode with
 * synchronous=FULL, foreign keys on and a busy timeout, so several
 * responders on one host can share it.  Every write runs inside
 * BEGIN IMMEDIATE, which takes the write lock up front instead of failing
 * half-way through a transaction.
 */
#ifndef IRC_DB_H
#define IRC_DB_H

#include <stdint.h>
#include <sqlite3.h>

#include "status.h"

/* Milliseconds a writer waits for another process's lock. */
#define IRC_DB_BUSY_TIMEOUT_MS 5000

/* Times irc_db_begin() waits out the busy timeout before it gives up. */
#define IRC_DB_BEGIN_TRIES 6

struct irc_db;

/*
 * Opens the database at path, creating it with mode 0600 when it does not
 * exist (the folder must exist), and migrates its schema to the current
 * version.  A path on a network filesystem gives IRC_ERR_INVALID (see
 * shared.h), and a group-writable database clears the group bits of the
 * process umask so files created beside it stay shared.  On success the caller closes *out with irc_db_close().
 * A database written by a newer ircase gives IRC_ERR_SCHEMA.
 */
enum irc_status irc_db_open(const char *path, struct irc_db **out,
    struct irc_error *err);

/*
 * Opens an existing database without creating or migrating it; for
 * commands that only read.  A missing file is IRC_ERR_NOT_FOUND.
 */
enum irc_status irc_db_open_existing(const char *path, struct irc_db **out,
    struct irc_error *err);

void irc_db_close(struct irc_db *db);

/* Returns the SQLite handle; core/ modules use it for their statements. */
sqlite3 *irc_db_handle(struct irc_db *db);

/* Returns the path the database was opened with. */
const char *irc_db_path(const struct irc_db *db);

/* Returns the schema version stored in the database. */
int irc_db_schema_version(struct irc_db *db);

/* Returns the schema version this program writes. */
int irc_db_schema_latest(void);

/* BEGIN IMMEDIATE, COMMIT and ROLLBACK with messages naming the database. */
enum irc_status irc_db_begin(struct irc_db *db, struct irc_error *err);
enum irc_status irc_db_commit(struct irc_db *db, struct irc_error *err);
void irc_db_rollback(struct irc_db *db);

/*
 * Returns PRAGMA data_version: a number that changes when another
 * connection commits, so a screen knows when to reload.
 */
int64_t irc_db_data_version(struct irc_db *db);

/*
 * Fills err from the handle's last SQLite error, prefixed with what was
 * being done, and returns IRC_ERR_BUSY or IRC_ERR_DB.
 */
enum irc_status irc_db_fail(struct irc_db *db, struct irc_error *err,
    const char *doing);

#endif
