/*
 * cmd_followup.c: "ircase followup add|done", corrective actions from the
 * Learn phase.
 */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "actor.h"
#include "cli_lifecycle.h"

static const char followup_options[] =
    "  ircase followup add CASE --owner WHO --due YYYY-MM-DD TEXT\n"
    "  ircase followup done ID [--note TEXT]\n"
    "\n"
    "add prints the follow-up's number; 'ircase followups' lists them.\n"
    "\n"
    "Options:\n"
    "  --owner WHO      who carries it out (add)\n"
    "  --due DATE       due date, YYYY-MM-DD (add)\n"
    "  --note TEXT      how it was done (done)\n";

int
cmd_followup(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	const char *owner = NULL, *due = NULL, *note = NULL, *verb;
	int64_t id = 0;
	bool add;
	int c, status = CLI_EXIT_FAIL;
	const struct cli_opt opts[] = {
		{ "owner", 0, CLI_OPT_TEXT, &owner, NULL },
		{ "due", 0, CLI_OPT_TEXT, &due, NULL },
		{ "note", 0, CLI_OPT_TEXT, &note, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, followup_options)) != -1)
		return c;
	verb = optind < argc ? argv[optind] : "";
	add = strcmp(verb, "add") == 0;
	if (!add && strcmp(verb, "done") != 0)
		return cli_usage_error(ctx, "%s '%s'; use 'followup add' or "
		    "'followup done'", *verb ? "invalid action" : "missing action",
		    verb);
	if (add && argc - optind != 3)
		return cli_usage_error(ctx, "usage: ircase followup add CASE "
		    "--owner WHO --due YYYY-MM-DD TEXT");
	if (!add && argc - optind != 2)
		return cli_usage_error(ctx, "usage: ircase followup done ID "
		    "[--note TEXT]");
	if (add && (owner == NULL || due == NULL))
		return cli_usage_error(ctx, "missing %s", owner == NULL ?
		    "--owner WHO" : "--due YYYY-MM-DD");
	if (!irc_case_number_parse(argv[optind + 1], &id))
		return cli_usage_error(ctx, "invalid %s '%s'", add ? "case number" :
		    "follow-up number", argv[optind + 1]);
	if ((add && (!cli_check_text(ctx, "--owner", owner) ||
	    !cli_check_text(ctx, "TEXT", argv[optind + 2]))) ||
	    (note != NULL && !cli_check_text(ctx, "--note", note)))
		return CLI_EXIT_USAGE;

	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (add) {
		int64_t new_id = 0;

		if (irc_followup_add(db, id, owner, due, argv[optind + 2], &actor,
		    &new_id, &err) != IRC_OK) {
			status = cli_fail_value(&err);
			goto out;
		}
		printf("%" PRId64 "\n", new_id);
	} else if (irc_followup_done(db, id, note, &actor, &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	status = CLI_EXIT_OK;
out:
	irc_db_close(db);
	return status;
}
