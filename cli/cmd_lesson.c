/*
 * cmd_lesson.c: "ircase lesson", the Learn phase: root cause, what went
 * well or badly, or a waiver with its reason.
 */
#include <getopt.h>

#include "actor.h"
#include "cli_lifecycle.h"

static const char lesson_options[] =
    "Give exactly one of:\n"
    "  --root-cause TEXT   what caused the incident\n"
    "  --went-well TEXT    what worked in the response\n"
    "  --went-badly TEXT   what did not\n"
    "  --waive --reason TEXT\n"
    "                      waive the Learn phase for closing, with why\n";

int
cmd_lesson(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root-cause", required_argument, NULL, 'r' },
		{ "went-well", required_argument, NULL, 'w' },
		{ "went-badly", required_argument, NULL, 'b' },
		{ "waive", no_argument, NULL, 'W' },
		{ "reason", required_argument, NULL, 'R' },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	const char *kind = NULL, *text = NULL, *reason = NULL;
	bool waive = false;
	int64_t case_id;
	int c, given = 0, status;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
		case 'w':
		case 'b':
			kind = c == 'r' ? "root_cause" : c == 'w' ? "went_well" :
			    "went_badly";
			text = optarg;
			given++;
			break;
		case 'W':
			waive = true;
			given++;
			break;
		case 'R':
			reason = optarg;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, lesson_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(ctx, "%s; usage: ircase lesson CASE "
		    "--root-cause|--went-well|--went-badly TEXT", optind >= argc ?
		    "missing CASE" : "too many arguments (quote TEXT)");
	if (!cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	if (given != 1)
		return cli_usage_error(ctx, "give exactly one of --root-cause, "
		    "--went-well, --went-badly or --waive");
	if (waive && reason == NULL)
		return cli_usage_error(ctx, "--waive needs --reason TEXT");
	if (!waive && reason != NULL)
		return cli_usage_error(ctx, "--reason goes with --waive only");
	if (!cli_check_text(ctx, waive ? "--reason" : "TEXT",
	    waive ? reason : text))
		return CLI_EXIT_USAGE;

	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if ((waive ? irc_case_lesson_waive(db, case_id, reason, &actor, &err) :
	    irc_case_lesson_add(db, case_id, kind, text, &actor, &err)) !=
	    IRC_OK)
		status = cli_fail(&err);
	else
		status = CLI_EXIT_OK;
	irc_db_close(db);
	return status;
}
