/*
 * cmd_report.c: "ircase report", which records who reported what on a
 * case, when and through which channel.
 */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "actor.h"
#include "cli_lifecycle.h"

static const char report_options[] =
    "Options:\n"
    "  --by WHO         who reported it (required)\n"
    "  --channel C      email, phone, chat, monitoring or other (required)\n"
    "  --at TIME        when it was received: RFC 3339 or local\n"
    "                   \"YYYY-MM-DD HH:MM\" (default: now)\n";

int
cmd_report(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_when at = { 0, 0 };
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	const char *by = NULL, *channel = NULL, *at_text = NULL;
	int64_t case_id, number = 0;
	int c, status = CLI_EXIT_FAIL;
	const struct cli_opt opts[] = {
		{ "by", 0, CLI_OPT_TEXT, &by, NULL },
		{ "channel", 0, CLI_OPT_TEXT, &channel, NULL },
		{ "at", 0, CLI_OPT_TEXT, &at_text, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, report_options)) != -1)
		return c;
	if (at_text != NULL && !cli_parse_when(ctx, "--at", at_text, &at))
		return CLI_EXIT_USAGE;
	if (argc - optind != 2)
		return cli_usage_error(ctx, "%s; usage: ircase report CASE --by "
		    "WHO --channel C TEXT", argc - optind < 2 ?
		    "missing CASE or TEXT" : "too many arguments (quote TEXT)");
	if (by == NULL || channel == NULL)
		return cli_usage_error(ctx, "missing %s; say who reported it and "
		    "how", by == NULL ? "--by WHO" : "--channel C");
	if (!irc_word_in(channel, irc_report_channels))
		return cli_usage_error(ctx, "invalid channel '%s'; use email, "
		    "phone, chat, monitoring or other", channel);
	if (!cli_parse_case(ctx, argv[optind], &case_id) ||
	    !cli_check_text(ctx, "--by", by) ||
	    !cli_check_text(ctx, "TEXT", argv[optind + 1]))
		return CLI_EXIT_USAGE;

	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_case_report_add(db, case_id, by, channel, at, argv[optind + 1],
	    &actor, &number, &err) != IRC_OK) {
		status = cli_fail_value(&err);
		goto out;
	}
	printf("%" PRId64 "\n", number);
	status = CLI_EXIT_OK;
out:
	irc_db_close(db);
	return status;
}
