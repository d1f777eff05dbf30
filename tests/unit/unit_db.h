/*
 * unit_db.h: helpers for unit tests that keep a database in a temporary
 * folder and read values back with SQL.
 */
#ifndef IRC_UNIT_DB_H
#define IRC_UNIT_DB_H

#include <sqlite3.h>
#include <unistd.h>

#include "unit.h"
#include "db.h"

/* Returns the first column of the first row of sql, or -1 without a row. */
static inline int64_t
unit_sql_int(struct irc_db *db, const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(irc_db_handle(db), sql, -1, &stmt,
	    NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* Removes the database at path with its WAL files, then its folder dir. */
static inline void
unit_db_remove(const char *path, const char *dir)
{
	char side[4096];

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	rmdir(dir);
}

#endif
