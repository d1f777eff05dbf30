/*
 * cmd_clock.c: "ircase clock", which starts a notification clock on a
 * case, and "ircase notify", which stops one with a notification record.
 */
#include <getopt.h>
#include <string.h>

#include "actor.h"
#include "clock.h"
#include "cli_lifecycle.h"

static const char clock_options[] =
    "Rules: gdpr, ndpr, nis2-early-warning, nis2-notification,\n"
    "nis2-final-report, pci-dss, and the rules in config.yaml\n"
    "(ircase.conf(5)).  The clock runs from the case's awareness time.\n";

static const char notify_options[] =
    "Options:\n"
    "  --to WHO         who was notified (required)\n"
    "  --ref TEXT       their reference or ticket number\n"
    "  --at TIME        when: RFC 3339 or local \"YYYY-MM-DD HH:MM\"\n"
    "                   (default: now)\n";

int
cmd_clock(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct irc_config *cfg;
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	int64_t case_id;
	int c, status = CLI_EXIT_FAIL;
	const struct cli_opt opts[] = {
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, clock_options)) != -1)
		return c;
	if (argc - optind != 3 || strcmp(argv[optind + 1], "start") != 0)
		return cli_usage_error(ctx, "usage: ircase clock CASE start RULE");
	if (!cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	if ((cfg = cli_config()) == NULL ||
	    !cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		goto out;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_clock_start(db, case_id, argv[optind + 2], cfg, &actor, &err) !=
	    IRC_OK)
		cli_fail(&err);
	else
		status = CLI_EXIT_OK;
out:
	irc_db_close(db);
	return status;
}

int
cmd_notify(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_when at = { 0, 0 };
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	const char *to = NULL, *ref = NULL, *at_text = NULL;
	int64_t case_id;
	int c, status;
	const struct cli_opt opts[] = {
		{ "to", 0, CLI_OPT_TEXT, &to, NULL },
		{ "ref", 0, CLI_OPT_TEXT, &ref, NULL },
		{ "at", 0, CLI_OPT_TEXT, &at_text, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, notify_options)) != -1)
		return c;
	if (at_text != NULL && !cli_parse_when(ctx, "--at", at_text, &at))
		return CLI_EXIT_USAGE;
	if (argc - optind != 2)
		return cli_usage_error(ctx, "usage: ircase notify CASE CLOCK --to "
		    "WHO [--ref TEXT] [--at TIME]");
	if (to == NULL)
		return cli_usage_error(ctx, "missing --to WHO; say who was "
		    "notified");
	if (!cli_parse_case(ctx, argv[optind], &case_id) ||
	    !cli_check_text(ctx, "--to", to) ||
	    (ref != NULL && !cli_check_text(ctx, "--ref", ref)))
		return CLI_EXIT_USAGE;
	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_clock_notify(db, case_id, argv[optind + 1], to, ref, at, &actor,
	    &err) != IRC_OK)
		status = cli_fail_value(&err);
	else
		status = CLI_EXIT_OK;
	irc_db_close(db);
	return status;
}
