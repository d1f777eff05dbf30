/*
 * cmd_followups.c: "ircase followups", the follow-ups of every case, with
 * overdue ones marked.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "cli_lifecycle.h"
#include "timeutil.h"

static const char followups_options[] =
    "Options:\n"
    "  --open           only the follow-ups not yet done\n"
    "  --json           print them as JSON (keys under JSON OUTPUT in\n"
    "                   ircase(1))\n";

static json_t *
followup_json(const struct irc_followup *f, int64_t now)
{
	char buf[40];

	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:b, s:o, s:o}",
	    "id", (json_int_t)f->id, "case", (json_int_t)f->case_id,
	    "owner", f->owner, "due", f->due, "text", f->text,
	    "state", f->done ? "done" : "open",
	    "overdue", irc_followup_overdue(f, now),
	    "done_at", f->done_at ? json_string(irc_time_utc(f->done_at, buf,
	    sizeof buf)) : json_null(),
	    "done_note", f->done_note ? json_string(f->done_note) : json_null());
}

static void
followup_print(const struct irc_followup *f, int64_t now)
{
	printf("%4" PRId64 "  #%-4" PRId64 " %s  %-7s ", f->id, f->case_id,
	    f->due, irc_followup_overdue(f, now) ? "OVERDUE" :
	    f->done ? "done" : "open");
	cli_print_clean(stdout, f->owner, 0);
	fputs(": ", stdout);
	cli_print_clean(stdout, f->text, 0);
	fputc('\n', stdout);
}

int
cmd_followups(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_followup *list = NULL;
	struct irc_db *db = NULL;
	struct irc_error err;
	bool open_only = false, as_json = false, missing;
	int64_t now = irc_now_us();
	json_t *json = NULL;
	size_t n = 0;
	int status;
	const struct cli_opt opts[] = {
		{ "open", 0, CLI_OPT_FLAG, &open_only, NULL },
		{ "json", 0, CLI_OPT_FLAG, &as_json, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((status = cli_options(ctx, argc, argv, opts, followups_options)) !=
	    -1)
		return status;
	status = CLI_EXIT_FAIL;
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'",
		    argv[optind]);
	if (!cli_db_open(ctx, CLI_DB_READ, &db, &missing) && !missing)
		return CLI_EXIT_FAIL;
	irc_error_clear(&err);
	if (db != NULL && irc_followup_list(db, 0, open_only, &list, &n, &err) !=
	    IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if (as_json) {
		json = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(json, followup_json(&list[i], now));
		if (!cli_json_print(json, stdout)) {
			status = cli_failf("cannot write the follow-ups: %s",
			    strerror(errno));
			goto out;
		}
	} else {
		if (n > 0)
			printf("%4s  %-5s %-10s  %-7s %s\n", "ID", "CASE", "DUE",
			    "STATE", "OWNER: TEXT");
		for (size_t i = 0; i < n; i++)
			followup_print(&list[i], now);
	}
	status = CLI_EXIT_OK;
out:
	json_decref(json);
	irc_followups_free(list, n);
	irc_db_close(db);
	return status;
}
