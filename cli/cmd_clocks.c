/*
 * cmd_clocks.c: "ircase clocks", the running notification clocks of every
 * case, nearest deadline first, with the time left or overdue.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "clock.h"
#include "cli_lifecycle.h"
#include "timeutil.h"

static const char clocks_options[] =
    "Options:\n"
    "  --all            also list the clocks stopped by a notification\n"
    "  --json           print them as JSON (keys under JSON OUTPUT in\n"
    "                   ircase(1))\n";

static void
clock_print(const struct irc_clock *k, int64_t now)
{
	char deadline[64], left[32];

	irc_time_local(k->deadline, deadline, sizeof deadline);
	if (k->notified_at != 0)
		snprintf(left, sizeof left, "notified");
	else if (now > k->deadline)
		snprintf(left, sizeof left, "OVERDUE %s",
		    irc_duration(now - k->deadline, (char[24]){ 0 }, 24));
	else
		snprintf(left, sizeof left, "%s left",
		    irc_duration(k->deadline - now, (char[24]){ 0 }, 24));
	printf("#%-4" PRId64 " %-19s %s  %-16s ", k->case_id, k->rule, deadline,
	    left);
	cli_print_clean(stdout, k->case_title, 0);
	fputc('\n', stdout);
}

int
cmd_clocks(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_clock *list = NULL;
	struct irc_db *db = NULL;
	struct irc_error err;
	bool all = false, as_json = false, missing;
	int64_t now = irc_now_us();
	json_t *json = NULL;
	size_t n = 0;
	int status = CLI_EXIT_FAIL;
	const struct cli_opt opts[] = {
		{ "all", 0, CLI_OPT_FLAG, &all, NULL },
		{ "json", 0, CLI_OPT_FLAG, &as_json, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((status = cli_options(ctx, argc, argv, opts, clocks_options)) !=
	    -1)
		return status;
	status = CLI_EXIT_FAIL;
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'",
		    argv[optind]);
	if (!cli_db_open(ctx, CLI_DB_READ, &db, &missing) && !missing)
		return CLI_EXIT_FAIL;
	irc_error_clear(&err);
	if (db != NULL && irc_clock_list(db, 0, !all, &list, &n, &err) !=
	    IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if (as_json) {
		json = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(json, irc_clock_to_json(&list[i],
			    now));
		if (!cli_json_print(json, stdout)) {
			status = cli_failf("cannot write the clocks: %s",
			    strerror(errno));
			goto out;
		}
	} else if (n == 0) {
		printf("no %s clocks\n", all ? "notification" : "running");
	} else {
		printf("%-5s %-19s %-25s  %-16s %s\n", "CASE", "RULE",
		    "DEADLINE", "LEFT", "TITLE");
		for (size_t i = 0; i < n; i++)
			clock_print(&list[i], now);
	}
	status = CLI_EXIT_OK;
out:
	json_decref(json);
	irc_clocks_free(list, n);
	irc_db_close(db);
	return status;
}
