/*
 * cmd_stats.c: "ircase stats", response times over the cases opened in a
 * period, computed from their action logs.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_lifecycle.h"
#include "metrics.h"
#include "timeutil.h"

static const char stats_options[] =
    "Options:\n"
    "  --from DATE      cases opened at or after DATE (YYYY-MM-DD, local\n"
    "                   midnight) or a time (RFC 3339 or local)\n"
    "  --to DATE        cases opened before the end of DATE, or before a\n"
    "                   time\n"
    "  --json           print the summary as JSON (keys under JSON OUTPUT\n"
    "                   in ircase(1))\n";

/* Parses a date (local midnight, or the next one when end) or a time. */
static bool
stats_bound(const struct cli_ctx *ctx, const char *what, const char *text,
    bool end, int64_t *out)
{
	struct irc_when w;
	char buf[32];

	if (strlen(text) == 10) {
		snprintf(buf, sizeof buf, "%s 00:00", text);
		if (!cli_parse_when(ctx, what, buf, &w))
			return false;
		/* The next local midnight: 24 h later, then back to 00:00. */
		if (end) {
			time_t next = (time_t)(w.us / 1000000) + 36 * 3600;
			struct tm tm;

			localtime_r(&next, &tm);
			tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
			tm.tm_isdst = -1;
			w.us = (int64_t)mktime(&tm) * 1000000;
		}
	} else if (!cli_parse_when(ctx, what, text, &w)) {
		return false;
	}
	*out = w.us;
	return true;
}

static void
stats_print(json_t *s)
{
	json_t *metrics = json_object_get(s, "metrics"), *v;
	const char *key;
	char mean[24], median[24], max[24];

	printf("cases      %" JSON_INTEGER_FORMAT "\n",
	    json_integer_value(json_object_get(s, "cases")));
	json_object_foreach(json_object_get(s, "verdicts"), key, v)
		printf("  %-16s %" JSON_INTEGER_FORMAT "\n", key,
		    json_integer_value(v));
	printf("\n%-22s %5s %10s %10s %10s\n", "metric", "cases", "mean",
	    "median", "max");
	json_object_foreach(metrics, key, v) {
		if (strcmp(key, "phase_us") == 0)
			continue;
		printf("%-22s %5" JSON_INTEGER_FORMAT " %10s %10s %10s\n", key,
		    json_integer_value(json_object_get(v, "count")),
		    irc_duration(json_integer_value(json_object_get(v, "mean_us")),
		    mean, sizeof mean),
		    irc_duration(json_integer_value(json_object_get(v,
		    "median_us")), median, sizeof median),
		    irc_duration(json_integer_value(json_object_get(v, "max_us")),
		    max, sizeof max));
	}
	json_object_foreach(json_object_get(metrics, "phase_us"), key, v)
		printf("phase %-16s %5" JSON_INTEGER_FORMAT " %10s %10s %10s\n",
		    key, json_integer_value(json_object_get(v, "count")),
		    irc_duration(json_integer_value(json_object_get(v, "mean_us")),
		    mean, sizeof mean),
		    irc_duration(json_integer_value(json_object_get(v,
		    "median_us")), median, sizeof median),
		    irc_duration(json_integer_value(json_object_get(v, "max_us")),
		    max, sizeof max));
}

int
cmd_stats(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_db *db = NULL;
	struct irc_error err;
	const char *from_text = NULL, *to_text = NULL;
	int64_t from = 0, to = 0;
	bool as_json = false;
	json_t *json = NULL;
	int c, status = CLI_EXIT_FAIL;
	const struct cli_opt opts[] = {
		{ "from", 0, CLI_OPT_TEXT, &from_text, NULL },
		{ "to", 0, CLI_OPT_TEXT, &to_text, NULL },
		{ "json", 0, CLI_OPT_FLAG, &as_json, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, stats_options)) != -1)
		return c;
	if ((from_text != NULL && !stats_bound(ctx, "--from", from_text,
	    false, &from)) || (to_text != NULL && !stats_bound(ctx, "--to",
	    to_text, true, &to)))
		return CLI_EXIT_USAGE;
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'",
		    argv[optind]);
	if (!cli_db_open(ctx, CLI_DB_READ, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_error_clear(&err);
	if (irc_stats(db, from, to, &json, &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if (as_json) {
		if (!cli_json_print(json, stdout)) {
			status = cli_failf("cannot write the summary: %s",
			    strerror(errno));
			goto out;
		}
	} else {
		stats_print(json);
	}
	status = CLI_EXIT_OK;
out:
	json_decref(json);
	irc_db_close(db);
	return status;
}
