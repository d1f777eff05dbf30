/*
 * cmd_note.c: "ircase note", which records a note on a case or on one of
 * its steps.
 */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>

#include "actor.h"
#include "case.h"
#include "cli.h"

static const char note_options[] =
    "Options:\n"
    "  --step N         attach the note to step N (the number 'ircase show'\n"
    "                   prints)\n"
    "\n"
    "Put -- before a TEXT that starts with '-'.\n";

int
cmd_note(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	const char *text;
	int64_t case_id;
	const char *step_text = NULL;
	long step = 0;
	int c, status = CLI_EXIT_FAIL;
	const struct cli_opt opts[] = {
		{ "step", 's', CLI_OPT_TEXT, &step_text, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, note_options)) != -1)
		return c;
	if (step_text != NULL && !cli_parse_int(ctx, "--step", step_text, 1,
	    INT_MAX, &step))
		return CLI_EXIT_USAGE;
	if (argc - optind < 2)
		return cli_usage_error(ctx, "missing %s; usage: ircase note "
		    "CASE TEXT [--step N]", optind < argc ? "TEXT" : "CASE");
	if (argc - optind > 2)
		return cli_usage_error(ctx, "unexpected argument '%s'; quote "
		    "TEXT when it has spaces", argv[optind + 2]);
	if (!cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	text = argv[optind + 1];
	if (!cli_check_text(ctx, "TEXT", text))
		return CLI_EXIT_USAGE;

	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	cli_chain_warn(db, case_id);
	if (irc_case_note(db, case_id, (int)step, text, &actor, &err) !=
	    IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	status = CLI_EXIT_OK;
out:
	irc_db_close(db);
	return status;
}
