/*
 * crosscheck_internal.h: shared between crosscheck.c, which derives what
 * the record rows must read from the actions, and crosscheck_rows.c,
 * which reads the rows from the database or from a JSON export.
 *
 * A row is a JSON object keyed by column name, in the database's names
 * and units: times are integers of UTC microseconds, booleans 0 or 1 or
 * true or false, observable tags an array.  A source leaves out the
 * columns it does not have, and those are not compared.
 */
#ifndef IRC_CROSSCHECK_INTERNAL_H
#define IRC_CROSSCHECK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "crosscheck.h"

/* The lookup of a record table's rows. */
enum cc_key {
	CC_KEY_CASE,		/* the case row itself */
	CC_KEY_COLUMN,		/* by the value of key_column */
	CC_KEY_ORDER,		/* by position within the case (0, 1, ...) */
};

struct cc_table {
	const char *name;
	enum cc_key key;
	const char *key_column;
	bool counted;		/* its rows are counted against their actions */
};

/* Returns the descriptor of table name, NULL when it is not a record table. */
const struct cc_table *cc_table_find(const char *name);

/*
 * Sets *row to a new object holding row key of table t, or NULL when the
 * source has no such row.  key is the key column's value, or the position
 * for CC_KEY_ORDER, or NULL for the case row.
 */
enum irc_status cc_source_row(struct irc_crosscheck *cc,
    const struct cc_table *t, const json_t *key, json_t **row,
    struct irc_error *err);

/* Sets *n to the number of rows of table t in the source. */
enum irc_status cc_source_count(struct irc_crosscheck *cc,
    const struct cc_table *t, int64_t *n, struct irc_error *err);

/*
 * Calls fn with each row of table t (steps, roles) and its key; fn must
 * not keep row.  Stops early when fn returns false.
 */
enum irc_status cc_source_each(struct irc_crosscheck *cc,
    const struct cc_table *t,
    bool (*fn)(struct irc_crosscheck *cc, const json_t *key, json_t *row),
    struct irc_error *err);

/* The check's state; crosscheck.c owns it, crosscheck_rows.c reads db/doc. */
struct irc_crosscheck {
	struct irc_db *db;		/* the database source, or NULL */
	const json_t *doc;		/* the JSON export source, or NULL */
	int64_t case_id;
	/*
	 * What the actions set: table -> row label -> column -> { "want":
	 * value, "seq": action seq, "kind": action kind }.  The member ""
	 * of a row is its key.  It grows with the number of records,
	 * not of actions.
	 */
	json_t *want;
	json_t *rows;			/* table -> rows its actions wrote */
	char *playbook_sha256;		/* from case.open */
	int64_t open_seq;
	int64_t aware_us;		/* the case's awareness time so far */
	int64_t approval_seq;		/* step of the last approval action */
	void (*report)(const char *line, void *data);
	void *report_data;
	int64_t mismatches;
	struct irc_verify_result result;
};

#endif
