/*
 * cmd_milestone.c: "ircase milestone", which records that a case was
 * contained, eradicated or recovered.
 */
#include <getopt.h>

#include "actor.h"
#include "cli_lifecycle.h"

static const char milestone_options[] =
    "Options:\n"
    "  --at TIME        when it was reached: RFC 3339 or local\n"
    "                   \"YYYY-MM-DD HH:MM\" (default: now)\n"
    "  --note TEXT      how\n";

int
cmd_milestone(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_when at = { 0, 0 };
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	const char *note = NULL, *at_text = NULL;
	int64_t case_id;
	int c, status = CLI_EXIT_FAIL;
	const struct cli_opt opts[] = {
		{ "at", 0, CLI_OPT_TEXT, &at_text, NULL },
		{ "note", 0, CLI_OPT_TEXT, &note, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, milestone_options)) != -1)
		return c;
	if ((at_text != NULL && !cli_parse_when(ctx, "--at", at_text, &at)) ||
	    (note != NULL && !cli_check_text(ctx, "--note", note)))
		return CLI_EXIT_USAGE;
	if (argc - optind != 2)
		return cli_usage_error(ctx, "%s; usage: ircase milestone CASE "
		    "contained|eradicated|recovered", argc - optind < 2 ?
		    "missing CASE or milestone" : "too many arguments");
	if (!cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	if (!irc_word_in(argv[optind + 1], irc_milestones))
		return cli_usage_error(ctx, "invalid milestone '%s'; use "
		    "contained, eradicated or recovered", argv[optind + 1]);

	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_case_milestone(db, case_id, argv[optind + 1], at, note, &actor,
	    &err) != IRC_OK)
		status = cli_fail_value(&err);
	else
		status = CLI_EXIT_OK;
	irc_db_close(db);
	return status;
}
