/*
 * cmd_approve.c: "ircase approve", a second responder's confirmation of a
 * step that its playbook marks as needing approval.
 */
#include <getopt.h>
#include <limits.h>

#include "actor.h"
#include "cli_lifecycle.h"

int
cmd_approve(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	int64_t case_id;
	long step;
	int c, status;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == CLI_OPT_DB) {
			ctx->db_path = optarg;
		} else if (c == 'h') {
			cli_help(ctx, stdout, NULL);
			return CLI_EXIT_OK;
		} else {
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(ctx, "%s; usage: ircase approve CASE N",
		    argc - optind < 2 ? "missing CASE or step number" :
		    "too many arguments");
	if (!cli_parse_case(ctx, argv[optind], &case_id) ||
	    !cli_parse_int(ctx, "step number", argv[optind + 1], 1, INT_MAX,
	    &step))
		return CLI_EXIT_USAGE;

	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_case_step_approve(db, case_id, (int)step, &actor, &err) !=
	    IRC_OK)
		status = cli_fail(&err);
	else
		status = CLI_EXIT_OK;
	irc_db_close(db);
	return status;
}
