/*
 * cmd_replay.c: "ircase replay", which plays the log of a case back in
 * the terminal interface without writing to it, or with --as-drill
 * writes a drill scenario that rehearses the case.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tui/tui.h"
#include "case.h"
#include "cli.h"
#include "cli_drill.h"
#include "drill.h"
#include "scenario.h"
#include "timeutil.h"

static const char replay_options[] =
    "Options:\n"
    "  --speed N        play N seconds of the log per second, 1-10000\n"
    "                   (default 1, the pace recorded)\n"
    "  --from T         start at T: an offset from the case's opening\n"
    "                   (30m, T+1h30m) or a time (RFC 3339)\n"
    "  --as-drill       write a drill scenario from the case instead: its\n"
    "                   reports and observables become injects\n"
    "  -o, --output FILE\n"
    "                   with --as-drill, write the scenario to FILE\n"
    "                   ('-': standard output, the default)\n"
    "\n"
    "Keys while replaying: Space pause, Right and Left step one action,\n"
    "1-6 jump to a phase, q quit.\n";

/* Parses --from: an offset ("30m", "T+30m") or a time; false when neither. */
static bool
from_parse(const char *text, struct tui_replay_opts *o)
{
	int64_t us;

	if (irc_scenario_duration_parse(strncmp(text, "T+", 2) == 0 ?
	    text + 2 : text, &us)) {
		o->from_offset_us = us;
		return true;
	}
	if (irc_time_parse(text, &us, NULL, NULL) == IRC_OK) {
		o->from_time_us = us;
		return true;
	}
	return false;
}

static int
replay_as_drill(struct cli_ctx *ctx, int64_t case_id, const char *output)
{
	struct irc_db *db = NULL;
	struct irc_error err;
	char *text = NULL;
	int status = CLI_EXIT_FAIL;

	if (!cli_db_open(ctx, CLI_DB_READ, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_error_clear(&err);
	if (irc_drill_scenario_from_case(db, case_id, &text, &err) != IRC_OK)
		status = cli_fail(&err);
	else if (cli_text_write(output, text))
		status = CLI_EXIT_OK;
	free(text);
	irc_db_close(db);
	return status;
}

int
cmd_replay(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "speed", required_argument, NULL, 'x' },
		{ "from", required_argument, NULL, 'f' },
		{ "as-drill", no_argument, NULL, 'D' },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tui_replay_opts o;
	struct irc_db *db = NULL;
	const char *output = NULL;
	bool as_drill = false;
	long speed = 1;
	int c, status;

	memset(&o, 0, sizeof o);
	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":x:f:Do:h", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'x':
			if (!cli_parse_int(ctx, "--speed", optarg, 1,
			    IRC_DRILL_SPEED_MAX, &speed))
				return CLI_EXIT_USAGE;
			break;
		case 'f':
			if (!from_parse(optarg, &o))
				return cli_usage_error(ctx, "invalid --from '%s'; "
				    "give an offset like 30m or T+1h30m, or a "
				    "time like 2026-03-29T10:00:00Z", optarg);
			break;
		case 'D':
			as_drill = true;
			break;
		case 'o':
			output = optarg;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, replay_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error(ctx, "missing CASE; give the number of the "
		    "case to replay");
	if (!cli_parse_case(ctx, argv[optind], &o.case_id))
		return CLI_EXIT_USAGE;
	if (optind + 1 < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'; replay "
		    "takes one CASE", argv[optind + 1]);
	if (output != NULL && !as_drill)
		return cli_usage_error(ctx, "-o is only for --as-drill; a replay "
		    "plays in the terminal");
	if (output != NULL && output[0] == '\0')
		return cli_usage_error(ctx, "-o needs a file name");
	if (as_drill)
		return replay_as_drill(ctx, o.case_id, cli_output_path(output));

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("ircase: replay needs a terminal on standard input and "
		    "output; use 'ircase drill report' or 'ircase export' for "
		    "text\n", stderr);
		return CLI_EXIT_FAIL;
	}
	o.speed = (int)speed;
	if (!cli_db_open(ctx, CLI_DB_READ, &db, NULL))
		return CLI_EXIT_FAIL;
	status = tui_replay(db, &o);
	irc_db_close(db);
	return status;
}
