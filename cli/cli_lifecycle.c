/*
 * cli_lifecycle.c: helpers for the incident-lifecycle subcommands.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli_lifecycle.h"
#include "timeutil.h"

bool
cli_parse_when(const struct cli_ctx *ctx, const char *what, const char *text,
    struct irc_when *out)
{
	struct irc_error err;

	irc_error_clear(&err);
	if (irc_time_parse(text, &out->us, &out->offset, &err) != IRC_OK) {
		cli_usage_error(ctx, "%s: %s", what, err.msg);
		return false;
	}
	return true;
}

void
cli_word_key(char *word)
{
	for (char *p = word; *p != '\0'; p++)
		if (*p == '-')
			*p = '_';
}
