/*
 * status.h: the status codes and error messages that core/ returns.
 *
 * Every fallible core/ function returns an enum irc_status and, on failure,
 * fills a struct irc_error with one line for the user: what failed, on which
 * value (file and line, case and action) and what to do next.  Callers may
 * pass a NULL error when they only need the code.  New codes go at the end.
 */
#ifndef IRC_STATUS_H
#define IRC_STATUS_H

enum irc_status {
	IRC_OK = 0,
	IRC_ERR_IO,		/* a file could not be read or written */
	IRC_ERR_DB,		/* SQLite reported an error */
	IRC_ERR_INVALID,	/* the caller passed a value that is not valid */
	IRC_ERR_NOT_FOUND,	/* no such case, step or file */
	IRC_ERR_PLAYBOOK,	/* a playbook could not be loaded */
	IRC_ERR_TOO_LARGE,	/* an input is over its size or depth limit */
	IRC_ERR_CHAIN,		/* an action does not match its hash chain */
	IRC_ERR_BUSY,		/* the database stayed locked past the timeout */
	IRC_ERR_SCHEMA,		/* the database is newer than this program */
	IRC_ERR_CONFLICT,	/* valid, but the case's state rules it out
				   (a milestone recorded twice) */
};

/* Length of a message, including its terminating NUL. */
#define IRC_ERROR_MAX 512

struct irc_error {
	enum irc_status status;
	char msg[IRC_ERROR_MAX];
};

/* Returns a short constant description of a status code. */
const char *irc_strerror(enum irc_status status);

/*
 * Stores status and a printf-style message in err (when err is not NULL)
 * and returns status, so a failure reads as one statement:
 *	return irc_fail(err, IRC_ERR_IO, "%s: %s", path, strerror(errno));
 * Control characters in the formatted message are replaced with '?'.
 */
enum irc_status irc_fail(struct irc_error *err, enum irc_status status,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Clears err to IRC_OK with an empty message. */
void irc_error_clear(struct irc_error *err);

#endif
