/*
 * record.c: helpers shared by the per-case record modules.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "record.h"
#include "sanitize.h"

enum irc_status
irc_record_check_text(const char *what, const char *text, size_t max,
    struct irc_error *err)
{
	size_t len = text != NULL ? strlen(text) : 0, bad;

	if (len == 0 || strspn(text, " \t\n\r") == len)
		return irc_fail(err, IRC_ERR_INVALID, "the %s is empty; "
		    "type some text", what);
	if (len > max)
		return irc_fail(err, IRC_ERR_INVALID, "the %s is %zu bytes, "
		    "over the limit of %zu; shorten it", what, len, max);
	bad = irc_utf8_invalid_at(text, len);
	if (bad != len)
		return irc_fail(err, IRC_ERR_INVALID, "the %s is not valid "
		    "UTF-8 (byte %zu); convert it to UTF-8 and try again", what,
		    bad + 1);
	return IRC_OK;
}

enum irc_status
irc_record_check_optional(const char *what, const char *text, size_t max,
    struct irc_error *err)
{
	if (text == NULL || *text == '\0')
		return IRC_OK;
	return irc_record_check_text(what, text, max, err);
}

enum irc_status
irc_record_prepare(struct irc_db *db, const char *sql, sqlite3_stmt **stmt,
    struct irc_error *err)
{
	*stmt = NULL;
	if (sqlite3_prepare_v2(irc_db_handle(db), sql, -1, stmt, NULL) !=
	    SQLITE_OK)
		return irc_db_fail(db, err, "cannot prepare a statement");
	return IRC_OK;
}

enum irc_status
irc_record_case_exists(struct irc_db *db, int64_t case_id,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	int rc;

	if ((st = irc_record_prepare(db, "SELECT 1 FROM \"case\" WHERE id = ?",
	    &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE)
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "no case %" PRId64
		    "; run 'ircase list' to see case numbers", case_id);
	else if (rc != SQLITE_ROW)
		st = irc_db_fail(db, err, "cannot read the case");
	sqlite3_finalize(stmt);
	return st;
}

enum irc_status
irc_record_next_number(struct irc_db *db, const char *table, int64_t case_id,
    int64_t *number, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	char *sql;

	sql = irc_xasprintf("SELECT coalesce(max(number), 0) + 1 FROM %s"
	    " WHERE case_id = ?", table);
	st = irc_record_prepare(db, sql, &stmt, err);
	free(sql);
	if (st != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*number = sqlite3_column_int64(stmt, 0);
	else
		st = irc_db_fail(db, err, "cannot number the record");
	sqlite3_finalize(stmt);
	return st;
}

char *
irc_record_column(sqlite3_stmt *stmt, int col, bool null_ok)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	if (s == NULL)
		return null_ok ? NULL : irc_xstrdup("");
	return irc_xstrdup((const char *)s);
}

enum irc_status
irc_record_rows(struct irc_db *db, sqlite3_stmt *stmt, size_t size,
    void (*fill)(sqlite3_stmt *, void *), void (*free_rows)(void *, size_t),
    const char *what, void **out, size_t *count, struct irc_error *err)
{
	unsigned char *rows = NULL;
	size_t n = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			rows = irc_xrealloc(rows, cap, size);
		}
		memset(rows + n * size, 0, size);
		fill(stmt, rows + n * size);
		n++;
	}
	if (rc != SQLITE_DONE) {
		char doing[64];
		enum irc_status st;

		snprintf(doing, sizeof doing, "cannot read the %s", what);
		st = irc_db_fail(db, err, doing);
		sqlite3_finalize(stmt);
		free_rows(rows, n);
		*out = NULL;
		*count = 0;
		return st;
	}
	sqlite3_finalize(stmt);
	*out = rows;
	*count = n;
	return IRC_OK;
}
