/*
 * cmd_step.c: "ircase step", which moves a step of a case to a new state.
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>

#include "actor.h"
#include "case.h"
#include "cli.h"
#include "model.h"

static const char step_options[] =
    "States: start (active), done, skip (skipped), na (not applicable),\n"
    "pending.\n"
    "\n"
    "Options:\n"
    "  --note TEXT      record why, with the change of state (required\n"
    "                   for skip)\n"
    "\n"
    "A step whose playbook marks it as needing approval stays active when\n"
    "marked done, until another responder runs 'ircase approve CASE N'.\n";

int
cmd_step(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	enum irc_step_state state;
	const char *note = NULL;
	int64_t case_id;
	long step;
	int c, status = CLI_EXIT_FAIL;
	const struct cli_opt opts[] = {
		{ "note", 'n', CLI_OPT_TEXT, &note, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, step_options)) != -1)
		return c;
	if (argc - optind < 3)
		return cli_usage_error(ctx, "missing %s; usage: ircase step "
		    "CASE N start|done|skip|na|pending",
		    argc - optind == 0 ? "CASE" :
		    argc - optind == 1 ? "step number N" : "state");
	if (argc - optind > 3)
		return cli_usage_error(ctx, "unexpected argument '%s'; give "
		    "a reason with --note TEXT", argv[optind + 3]);
	if (!cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	if (!cli_parse_int(ctx, "step number", argv[optind + 1], 1, INT_MAX,
	    &step))
		return CLI_EXIT_USAGE;
	if (!irc_step_state_parse(argv[optind + 2], &state))
		return cli_usage_error(ctx, "invalid state '%s'; use start, "
		    "done, skip, na or pending", argv[optind + 2]);
	if (note != NULL && !cli_check_text(ctx, "--note", note))
		return CLI_EXIT_USAGE;
	if (state == IRC_STEP_SKIPPED && note == NULL)
		return cli_usage_error(ctx, "skipping a step needs a reason; add "
		    "--note TEXT");

	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	cli_chain_warn(db, case_id);
	if (irc_case_step_set(db, case_id, (int)step, state, note, &actor,
	    &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	status = CLI_EXIT_OK;
out:
	irc_db_close(db);
	return status;
}
