/*
 * record.h: helpers shared by the modules that keep records on a case
 * (evidence, observables, assets): checking typed text, checking that the
 * case exists and numbering records within a case.
 */
#ifndef IRC_RECORD_H
#define IRC_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "db.h"
#include "status.h"

/*
 * Checks that text is non-empty, not only blanks, valid UTF-8 and at most
 * max bytes.  what names the field in the message ("description").
 */
enum irc_status irc_record_check_text(const char *what, const char *text,
    size_t max, struct irc_error *err);

/* Like irc_record_check_text(), but NULL and "" are accepted. */
enum irc_status irc_record_check_optional(const char *what, const char *text,
    size_t max, struct irc_error *err);

/* Prepares sql on db's handle; the caller finalizes *stmt. */
enum irc_status irc_record_prepare(struct irc_db *db, const char *sql,
    sqlite3_stmt **stmt, struct irc_error *err);

/*
 * Returns IRC_ERR_NOT_FOUND, with a message naming the number, when case
 * case_id does not exist.
 */
enum irc_status irc_record_case_exists(struct irc_db *db, int64_t case_id,
    struct irc_error *err);

/*
 * Sets *number to one more than the highest number in table (a constant
 * table name, never user input) for case_id, or 1 for the first record.
 * Run it inside the transaction that inserts the record.
 */
enum irc_status irc_record_next_number(struct irc_db *db, const char *table,
    int64_t case_id, int64_t *number, struct irc_error *err);

/*
 * Returns a copy of a text column (caller frees): NULL for SQL NULL when
 * null_ok, else "" in its place.
 */
char *irc_record_column(sqlite3_stmt *stmt, int col, bool null_ok);

/*
 * Steps stmt to its end and finalises it, growing an array of rows of size
 * bytes: fill gets each new row zeroed and fills it from the statement's
 * current row.  Sets *out (caller frees it with free_rows) and *count.  On
 * a read error, frees the rows read with free_rows and fails with a
 * message naming what ("assets"), leaving *out NULL and *count 0.
 */
enum irc_status irc_record_rows(struct irc_db *db, sqlite3_stmt *stmt,
    size_t size, void (*fill)(sqlite3_stmt *, void *),
    void (*free_rows)(void *, size_t), const char *what, void **out,
    size_t *count, struct irc_error *err);

#endif
