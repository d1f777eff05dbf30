/*
 * cmd_list.c: "ircase list", one line per case, newest first, or the
 * same list as JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "cli.h"
#include "model.h"
#include "timeutil.h"

static const char list_options[] =
    "Options:\n"
    "  --json           print a JSON array (keys under JSON OUTPUT in\n"
    "                   ircase(1))\n";

static void
list_print_text(const struct irc_case_summary *list, size_t count)
{
	char opened[64];
	size_t i;

	printf("%5s  %-8s  %-6s  %-5s  %7s  %-25s  %s\n", "CASE", "SEVERITY",
	    "STATUS", "KIND", "STEPS", "OPENED", "TITLE");
	/* The hint goes to stderr so that stdout stays an empty table. */
	if (count == 0)
		fputs("ircase: no cases yet; open one with 'ircase new' or press "
		    "n in ircase\n", stderr);
	for (i = 0; i < count; i++) {
		const struct irc_case_summary *s = &list[i];
		char steps[32];

		snprintf(steps, sizeof steps, "%d/%d", s->steps_done,
		    s->steps_total);
		irc_time_local(s->opened_at, opened, sizeof opened);
		printf("%5" PRId64 "  %-8s  ", s->id,
		    irc_severity_name(s->severity));
		cli_print_padded(stdout, s->status, 6);
		fputs("  ", stdout);
		cli_print_padded(stdout, s->kind, 5);
		printf("  %7s  %-25s  ", steps, opened);
		cli_print_clean(stdout, s->title, 0);
		fputc('\n', stdout);
	}
}

int
cmd_list(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_case_summary *list = NULL;
	struct irc_db *db = NULL;
	struct irc_error err;
	json_t *json = NULL;
	size_t count = 0;
	bool as_json = false, missing;
	int c, status = CLI_EXIT_FAIL;
	const struct cli_opt opts[] = {
		{ "json", 0, CLI_OPT_FLAG, &as_json, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, list_options)) != -1)
		return c;
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'; "
		    "'ircase list' takes only --json", argv[optind]);

	/* A database that does not exist yet contains no cases. */
	if (!cli_db_open(ctx, CLI_DB_READ, &db, &missing) && !missing)
		return CLI_EXIT_FAIL;
	irc_error_clear(&err);
	if (db != NULL && irc_case_list(db, &list, &count, &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}

	if (as_json) {
		json = irc_case_list_to_json(list, count);
		if (!cli_json_print(json, stdout)) {
			status = cli_failf("cannot write the case list: %s",
			    strerror(errno));
			goto out;
		}
	} else {
		list_print_text(list, count);
	}
	status = CLI_EXIT_OK;
out:
	json_decref(json);
	if (list != NULL)
		irc_case_summaries_free(list, count);
	if (db != NULL)
		irc_db_close(db);
	return status;
}
