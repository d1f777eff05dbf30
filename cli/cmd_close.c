/*
 * cmd_close.c: "ircase close", which closes a case once its decision,
 * Respond steps and Learn phase are recorded, and lists what is missing
 * otherwise.  Closing a drill prints its after-action report.
 */
#include <getopt.h>
#include <inttypes.h>

#include "actor.h"
#include "cli_drill.h"
#include "cli_lifecycle.h"
#include "cli_sign.h"

static const char close_options[] =
    "Options:\n"
    "  --summary TEXT   a closing summary\n"
    "\n"
    "A closed case's chain head is signed as 'ircase sign' does; without\n"
    "ssh-agent or IRCASE_SIGN_KEY the case closes unsigned, with a notice.\n";

/* Prints one missing item as a line of stderr, naming the command to run. */
static void
close_print_missing(int64_t case_id, const struct irc_close_missing *m)
{
	char line[1024];
	const char *title = m->title != NULL ? m->title : "";

	switch (m->kind) {
	case IRC_MISSING_DECISION:
		snprintf(line, sizeof(line), "Assess: no decision: 'ircase "
		    "decide %" PRId64 " incident|event|not-incident --reason "
		    "TEXT'", case_id);
		break;
	case IRC_MISSING_APPROVAL:
		snprintf(line, sizeof(line), "Respond step %d (%s) awaits "
		    "approval by a second responder: 'ircase approve %" PRId64
		    " %d'", m->step, title, case_id, m->step);
		break;
	case IRC_MISSING_SKIP_REASON:
		snprintf(line, sizeof(line), "Respond step %d (%s) was skipped "
		    "without a reason: set it to pending, then 'ircase step %"
		    PRId64 " %d skip --note TEXT'", m->step, title, case_id,
		    m->step);
		break;
	case IRC_MISSING_STEP_OPEN:
		snprintf(line, sizeof(line), "Respond step %d (%s) is %s: "
		    "'ircase step %" PRId64 " %d done', 'skip --note TEXT' or "
		    "'na'", m->step, title, m->state != NULL ? m->state : "open",
		    case_id, m->step);
		break;
	case IRC_MISSING_ROOT_CAUSE:
		snprintf(line, sizeof(line), "Learn: no root cause: 'ircase "
		    "lesson %" PRId64 " --root-cause TEXT', or waive it with "
		    "'ircase lesson %" PRId64 " --waive --reason TEXT'", case_id,
		    case_id);
		break;
	case IRC_MISSING_LESSON:
	default:
		snprintf(line, sizeof(line), "Learn: nothing on what went well "
		    "or badly: 'ircase lesson %" PRId64 " --went-well TEXT' or "
		    "'--went-badly TEXT'", case_id);
		break;
	}
	fputs("  ", stderr);
	cli_print_clean(stderr, line, 0);
	fputc('\n', stderr);
}

int
cmd_close(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	const char *summary = NULL;
	struct irc_close_missing *missing = NULL;
	size_t nmissing = 0;
	int64_t case_id;
	int c, status;
	const struct cli_opt opts[] = {
		{ "summary", 0, CLI_OPT_TEXT, &summary, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, close_options)) != -1)
		return c;
	if (summary != NULL && !cli_check_text(ctx, "--summary", summary))
		return CLI_EXIT_USAGE;
	if (argc - optind != 1)
		return cli_usage_error(ctx, "usage: ircase close CASE "
		    "[--summary TEXT]");
	if (!cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	status = CLI_EXIT_OK;
	if (irc_case_close(db, case_id, summary, &actor, &missing, &nmissing,
	    &err) != IRC_OK) {
		status = cli_fail(&err);
		for (size_t i = 0; i < nmissing; i++)
			close_print_missing(case_id, &missing[i]);
	} else {
		/* Without a key this prints why and the case stays closed. */
		cli_sign_case(db, case_id, IRC_SIGN_ALWAYS, false, true);
		cli_drill_close_report(db, case_id);
	}
	irc_close_missing_free(missing, nmissing);
	irc_db_close(db);
	return status;
}
