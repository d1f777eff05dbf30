/*
 * cmd_close.c: "ircase close", which closes a case once its decision,
 * Respond steps and Learn phase are recorded, and lists what is missing
 * otherwise.  Closing a drill prints its after-action report.
 */
#include <getopt.h>
#include <inttypes.h>

#include "actor.h"
#include "cli_drill.h"
#include "cli_lifecycle.h"
#include "cli_sign.h"

static const char close_options[] =
    "Options:\n"
    "  --summary TEXT   a closing summary\n"
    "\n"
    "A closed case's chain head is signed as 'ircase sign' does; without\n"
    "ssh-agent or IRCASE_SIGN_KEY the case closes unsigned, with a notice.\n";

int
cmd_close(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "summary", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	const char *summary = NULL;
	char **missing = NULL;
	size_t nmissing = 0;
	int64_t case_id;
	int c, status;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!cli_check_text(ctx, "--summary", optarg))
				return CLI_EXIT_USAGE;
			summary = optarg;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, close_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(ctx, "usage: ircase close CASE "
		    "[--summary TEXT]");
	if (!cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	status = CLI_EXIT_OK;
	if (irc_case_close(db, case_id, summary, &actor, &missing, &nmissing,
	    &err) != IRC_OK) {
		status = cli_fail(&err);
		for (size_t i = 0; i < nmissing; i++) {
			fputs("  ", stderr);
			cli_print_clean(stderr, missing[i], 0);
			fputc('\n', stderr);
		}
	} else {
		/* Without a key this prints why and the case stays closed. */
		cli_sign_case(db, case_id, IRC_SIGN_ALWAYS, false, true);
		cli_drill_close_report(db, case_id);
	}
	irc_strings_free(missing, nmissing);
	irc_db_close(db);
	return status;
}
