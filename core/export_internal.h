/*
 * export_internal.h: what the export writers in core/export*.c share.
 */
#ifndef IRC_EXPORT_INTERNAL_H
#define IRC_EXPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sqlite3.h>

#include "case.h"
#include "export.h"
#include "metrics.h"

/* A growable byte buffer; one action is formatted in it, then written. */
struct exp_buf {
	char *data;
	size_t len, cap;
};

void exp_buf_add(struct exp_buf *b, const char *bytes, size_t len);
void exp_buf_str(struct exp_buf *b, const char *s);
void exp_buf_printf(struct exp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void exp_buf_free(struct exp_buf *b);

/*
 * Adds s as a JSON string literal.  Invalid UTF-8 is replaced and counted
 * in *invalid; with ascii, every non-ASCII character is written as a \u
 * escape.  Escapes are those jansson writes, so output matches
 * json_dumps() byte for byte.
 */
void exp_buf_json_string(struct exp_buf *b, const char *s, bool ascii,
    int64_t *invalid);

/* One export in progress. */
struct exp_ctx {
	struct irc_db *db;
	struct irc_case *kase;		/* loaded without its actions */
	int64_t stored_count;		/* action_count on the case row */
	FILE *out;
	const char *out_name;		/* out in messages: a path or "standard output" */
	int flags;			/* enum irc_export_flags */
	struct irc_export_result *result;
	struct irc_chain_walk walk;
	struct irc_metrics_walk metrics;	/* fed by the JSON writer only */
	struct exp_buf buf;
};

/*
 * Reads every action of the case in chain order, adds each to the chain
 * walk and passes it to each_action.  On return result->verify and
 * result->actions are filled.
 */
enum irc_status exp_walk_actions(struct exp_ctx *x,
    enum irc_status (*each_action)(struct exp_ctx *, const struct irc_action *,
    struct irc_error *), struct irc_error *err);

/* Writes the buffer to the output and empties it; IRC_ERR_IO on failure. */
enum irc_status exp_flush(struct exp_ctx *x, struct irc_error *err);

/*
 * Returns text made safe for the output (caller frees): invalid UTF-8
 * replaced and counted, and, for a terminal, controls in caret form.
 * flags are irc_sanitize() flags.
 */
char *exp_text(struct exp_ctx *x, const char *text, int flags);

enum irc_status exp_write_json(struct exp_ctx *x, struct irc_error *err);
enum irc_status exp_write_timesketch(struct exp_ctx *x, struct irc_error *err);
enum irc_status exp_write_csv(struct exp_ctx *x, struct irc_error *err);
enum irc_status exp_write_md(struct exp_ctx *x, struct irc_error *err);

/*
 * Prepares sql, which reads a table that a newer schema adds.  Sets
 * *stmt to NULL without an error when the table does not exist, so a
 * section can say that nothing is recorded.
 */
enum irc_status exp_prepare_optional(struct irc_db *db, const char *sql,
    sqlite3_stmt **stmt, struct irc_error *err);

#endif
