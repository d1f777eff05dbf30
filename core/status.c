/*
 * status.c: status codes and the messages that go with them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "status.h"

static const char *const status_text[] = {
	[IRC_OK] = "success",
	[IRC_ERR_IO] = "file error",
	[IRC_ERR_DB] = "database error",
	[IRC_ERR_INVALID] = "invalid value",
	[IRC_ERR_NOT_FOUND] = "not found",
	[IRC_ERR_PLAYBOOK] = "invalid playbook",
	[IRC_ERR_TOO_LARGE] = "input too large",
	[IRC_ERR_CHAIN] = "action chain broken",
	[IRC_ERR_BUSY] = "database locked",
	[IRC_ERR_SCHEMA] = "database schema too new",
	[IRC_ERR_CONFLICT] = "conflicts with the case's state",
};

const char *
irc_strerror(enum irc_status status)
{
	if ((size_t)status < sizeof status_text / sizeof status_text[0] &&
	    status_text[status] != NULL)
		return status_text[status];
	return "unknown error";
}

enum irc_status
irc_fail(struct irc_error *err, enum irc_status status, const char *fmt, ...)
{
	va_list ap;
	char *p;

	if (err == NULL)
		return status;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);

	/* A message may quote a file name or a value the user typed. */
	for (p = err->msg; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f)
			*p = '?';
	}
	return status;
}

void
irc_error_clear(struct irc_error *err)
{
	if (err == NULL)
		return;
	err->status = IRC_OK;
	err->msg[0] = '\0';
}
