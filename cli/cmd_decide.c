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
	struct irc_decision_input in;
	const struct irc_config *cfg;
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	char *verdict = NULL;
	const char *severity_text = NULL, *aware_text = NULL;
	int64_t case_id;
	long severity;
	int c, status = CLI_EXIT_USAGE;
	const struct cli_opt opts[] = {
		{ "reason", 0, CLI_OPT_TEXT, &in.reason, NULL },
		{ "category", 0, CLI_OPT_TEXT, &in.category, NULL },
		{ "severity", 0, CLI_OPT_TEXT, &severity_text, NULL },
		{ "tlp", 0, CLI_OPT_TEXT, &in.tlp, NULL },
		{ "pap", 0, CLI_OPT_TEXT, &in.pap, NULL },
		{ "aware-at", 0, CLI_OPT_TEXT, &aware_text, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	memset(&in, 0, sizeof in);
	if ((c = cli_options(ctx, argc, argv, opts, decide_options)) != -1)
		return c;
	if (severity_text != NULL) {
		if (!cli_parse_int(ctx, "--severity", severity_text, 1, 4,
		    &severity))
			return CLI_EXIT_USAGE;
		in.severity = (int)severity;
	}
	if (in.tlp != NULL && !irc_word_in(in.tlp, irc_tlp_levels))
		return cli_usage_error(ctx, "invalid --tlp '%s'; use clear, "
		    "green, amber, amber+strict or red", in.tlp);
	if (in.pap != NULL && !irc_word_in(in.pap, irc_tlp_levels))
		return cli_usage_error(ctx, "invalid --pap '%s'; use clear, "
		    "green, amber, amber+strict or red", in.pap);
	if (aware_text != NULL && !cli_parse_when(ctx, "--aware-at", aware_text,
	    &in.aware))
		return CLI_EXIT_USAGE;
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
	if ((cfg = cli_config()) == NULL ||
	    !cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		goto out;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_case_decide(db, case_id, &in, cfg, &actor, &err) != IRC_OK)
		status = cli_fail_value(&err);
	else
		status = CLI_EXIT_OK;
out:
	free(verdict);
	irc_db_close(db);
	return status;
}
