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
	static const struct option longopts[] = {
		{ "step", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	const char *text;
	int64_t case_id;
	long step = 0;
	int c, status = CLI_EXIT_FAIL;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!cli_parse_int(ctx, "--step", optarg, 1, INT_MAX,
			    &step))
				return CLI_EXIT_USAGE;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, note_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
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
