/*
 * cmd_decide.c: "ircase decide", the Assess decision on a case.
 */
#include <getopt.h>
#include <string.h>

#include "actor.h"
#include "cli_lifecycle.h"
#include "mem.h"

static const char decide_options[] =
    "Options:\n"
    "  --reason TEXT    why (required)\n"
    "  --category TEXT  the incident's category; clock rules in config.yaml\n"
    "                   whose applies_to lists it start for an incident\n"
    "  --severity N     1 (low) to 4 (critical)\n"
    "  --tlp LEVEL      clear, green, amber, amber+strict or red\n"
    "  --pap LEVEL      clear, green, amber, amber+strict or red\n"
    "  --aware-at TIME  when the organisation became aware: RFC 3339 or\n"
    "                   local \"YYYY-MM-DD HH:MM\"; starts the clocks\n";

int
cmd_decide(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "category", required_argument, NULL, 'c' },
		{ "severity", required_argument, NULL, 's' },
		{ "tlp", required_argument, NULL, 't' },
		{ "pap", required_argument, NULL, 'p' },
		{ "aware-at", required_argument, NULL, 'a' },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_decision_input in;
	struct irc_config *cfg = NULL;
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	char *verdict = NULL;
	int64_t case_id;
	long severity;
	int c, status = CLI_EXIT_USAGE;

	memset(&in, 0, sizeof in);
	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			in.reason = optarg;
			break;
		case 'c':
			in.category = optarg;
			break;
		case 's':
			if (!cli_parse_int(ctx, "--severity", optarg, 1, 4,
			    &severity))
				return CLI_EXIT_USAGE;
			in.severity = (int)severity;
			break;
		case 't':
		case 'p':
			if (!irc_word_in(optarg, irc_tlp_levels))
				return cli_usage_error(ctx, "invalid --%s '%s'; use "
				    "clear, green, amber, amber+strict or red",
				    c == 't' ? "tlp" : "pap", optarg);
			*(c == 't' ? &in.tlp : &in.pap) = optarg;
			break;
		case 'a':
			if (!cli_parse_when(ctx, "--aware-at", optarg, &in.aware))
				return CLI_EXIT_USAGE;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, decide_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (argc - optind != 2)
		return cli_usage_error(ctx, "%s; usage: ircase decide CASE "
		    "incident|event|not-incident --reason TEXT", argc - optind < 2 ?
		    "missing CASE or decision" : "too many arguments");
	if (!cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	if (in.reason == NULL)
		return cli_usage_error(ctx, "missing --reason TEXT; say why");
	if (!cli_check_text(ctx, "--reason", in.reason) ||
	    (in.category != NULL && !cli_check_text(ctx, "--category",
	    in.category)))
		return CLI_EXIT_USAGE;
	verdict = irc_xstrdup(argv[optind + 1]);
	cli_word_key(verdict);
	if (strcmp(verdict, "incident") != 0 && strcmp(verdict, "event") != 0 &&
	    strcmp(verdict, "not_incident") != 0) {
		cli_usage_error(ctx, "invalid decision '%s'; use incident, event "
		    "or not-incident", argv[optind + 1]);
		goto out;
	}
	in.verdict = verdict;

	status = CLI_EXIT_FAIL;
	if (!cli_config_load(&cfg) || !cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		goto out;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_case_decide(db, case_id, &in, cfg, &actor, &err) != IRC_OK)
		cli_fail(&err);
	else
		status = CLI_EXIT_OK;
out:
	free(verdict);
	irc_config_free(cfg);
	irc_db_close(db);
	return status;
}
