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
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	int64_t case_id;
	long step;
	int c, status;
	const struct cli_opt opts[] = {
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, NULL)) != -1)
		return c;
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
