/*
 * cmd_role.c: "ircase role", which hands a role on a case to a person.
 */
#include <getopt.h>
#include <string.h>

#include "actor.h"
#include "cli_lifecycle.h"
#include "mem.h"

static const char role_options[] =
    "Roles: incident_commander, deputy, scribe, communications,\n"
    "technical_lead, legal, dpo ('-' may stand for '_').\n";

int
cmd_role(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	char *role = NULL;
	int64_t case_id;
	int c, status = CLI_EXIT_USAGE;
	const struct cli_opt opts[] = {
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, role_options)) != -1)
		return c;
	if (argc - optind != 3)
		return cli_usage_error(ctx, "%s; usage: ircase role CASE ROLE "
		    "PERSON", argc - optind < 3 ? "missing arguments" :
		    "too many arguments (quote PERSON when it has spaces)");
	if (!cli_parse_case(ctx, argv[optind], &case_id) ||
	    !cli_check_text(ctx, "PERSON", argv[optind + 2]))
		return CLI_EXIT_USAGE;
	role = irc_xstrdup(argv[optind + 1]);
	cli_word_key(role);
	if (!irc_word_in(role, irc_roles)) {
		cli_usage_error(ctx, "invalid role '%s'; use incident_commander, "
		    "deputy, scribe, communications, technical_lead, legal or "
		    "dpo", argv[optind + 1]);
		goto out;
	}
	status = CLI_EXIT_FAIL;
	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		goto out;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_case_role_set(db, case_id, role, argv[optind + 2], &actor,
	    &err) != IRC_OK)
		cli_fail(&err);
	else
		status = CLI_EXIT_OK;
out:
	free(role);
	irc_db_close(db);
	return status;
}
