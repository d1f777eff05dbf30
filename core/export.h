/*
 * export.h: one case written out for an audit or for another tool.
 *
 * Every format streams the action log from SQLite one row at a time
 * (irc_action_iter_open()), so memory stays flat however long the log is,
 * and the chain is checked as the rows go by.  Text that is not valid
 * UTF-8 is written with each bad byte replaced by U+FFFD; the result
 * counts the replaced bytes.
 *
 * Formats:
 *	json		the whole case, as documented under JSON OUTPUT in
 *			ircase(1), with "verify" and "invalid_utf8" at the end;
 *			the contacts come from config.yaml (irc_config_load())
 *	csv		one action per row (RFC 4180), formula-like text cells
 *			neutralised with a leading apostrophe
 *	md		the report a person reads
 *	timesketch	JSON Lines in the Timesketch import format, one event
 *			per action
 */
#ifndef IRC_EXPORT_H
#define IRC_EXPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "action.h"
#include "db.h"
#include "status.h"

enum irc_export_format {
	IRC_EXPORT_JSON,
	IRC_EXPORT_CSV,
	IRC_EXPORT_MD,
	IRC_EXPORT_TIMESKETCH,
};

enum irc_export_flags {
	/*
	 * The output is a terminal: JSON escapes every non-ASCII character,
	 * and the text formats show control characters in caret form
	 * (irc_sanitize()).
	 */
	IRC_EXPORT_TERMINAL = 1 << 0,
};

struct irc_export_result {
	struct irc_verify_result verify;	/* the chain, checked while writing */
	int64_t actions;			/* actions written */
	int64_t invalid_utf8;			/* bytes replaced with U+FFFD */
	/*
	 * Why the JSON export's "contacts" is empty although contacts may
	 * be configured (config.yaml could not be read), or "".
	 */
	char warning[IRC_ERROR_MAX + 64];
};

/* Parses "json", "csv", "md" or "timesketch". */
bool irc_export_format_parse(const char *name, enum irc_export_format *out);

/* Returns the format's name, and the file name extension it uses. */
const char *irc_export_format_name(enum irc_export_format format);
const char *irc_export_format_ext(enum irc_export_format format);

/*
 * Writes case case_id to out in the given format.  Returns IRC_OK once
 * the whole export is written, whether or not the chain verified:
 * result->verify tells.  A write error is IRC_ERR_IO with a message that
 * names out_name (the file out writes to, or "standard output") and the
 * reason; the caller discards what was written (irc_atomic_abort()).
 */
enum irc_status irc_export_case(struct irc_db *db, int64_t case_id,
    enum irc_export_format format, int flags, FILE *out, const char *out_name,
    struct irc_export_result *result, struct irc_error *err);

/*
 * Stores "cannot write NAME: REASON" in err, where REASON is
 * strerror(errnum) (EIO when errnum is 0), with what to do when the disk
 * is full (ENOSPC, EDQUOT) or the file is over the size limit (EFBIG),
 * and returns IRC_ERR_IO.
 */
enum irc_status irc_write_fail(struct irc_error *err, const char *name,
    int errnum);

/*
 * Writes one CSV cell (RFC 4180): quoted when it holds a comma, a quote,
 * CR or LF, with quotes doubled.  When neutralise is true and the text
 * starts with = + - @, TAB or CR, or their full-width forms U+FF1D U+FF0B
 * U+FF0D U+FF20, an apostrophe is put before it so that a spreadsheet
 * shows it as text instead of running it as a formula.  Invalid UTF-8 is
 * replaced and counted in *invalid when it is not NULL.
 */
void irc_csv_cell(FILE *out, const char *text, bool neutralise,
    int64_t *invalid);

/* Returns true when irc_csv_cell() would neutralise text. */
bool irc_csv_formula_like(const char *text);

/*
 * A file written under a temporary name beside its target and renamed
 * over it only once complete, so a failure never leaves a partial file.
 * The file has mode 0600.
 */
struct irc_atomic_file {
	char *path;
	char *tmp;
	FILE *fp;
};

/* Creates the temporary file; on success write to f->fp. */
/*
 * Fails unless path is missing or a regular file.  Output is written to a
 * temporary file and renamed over path, which would replace a device,
 * FIFO or socket (/dev/null, say) with a regular file.
 */
enum irc_status irc_output_path_check(const char *path, struct irc_error *err);

enum irc_status irc_atomic_open(struct irc_atomic_file *f, const char *path,
    struct irc_error *err);

/*
 * Flushes, syncs and closes the temporary file and renames it to its
 * target.  On failure the temporary file is removed.  Frees f's strings
 * either way.
 */
enum irc_status irc_atomic_commit(struct irc_atomic_file *f,
    struct irc_error *err);

/* Closes and removes the temporary file and frees f's strings. */
void irc_atomic_abort(struct irc_atomic_file *f);

/*
 * Returns a one-line sentence on an action (caller frees), as summary.c's
 * rule for its kind writes it: "step N: " for an action on a step, then
 * "evidence 1 root -> Frank (Analysis), seal S-001", "incident lead
 * assigned to alice", and so on.  A kind without a rule, or a body that is
 * not a JSON object, gives the body as stored.  The text is not
 * sanitised: callers pass it through irc_sanitize_str() before display.
 */
char *irc_action_summary(const struct irc_action *action);

/* Returns true when irc_action_summary() has a rule for kind. */
bool irc_action_summary_known(const char *kind);

#endif
