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

/* Formats the duration member key of a summary, or "-" when it is null. */
static const char *
stats_duration(json_t *summary, const char *key, char *buf, size_t size)
{
	json_t *v = json_object_get(summary, key);

	if (!json_is_integer(v))
		return "-";
	return irc_duration(json_integer_value(v), buf, size);
}

/* Prints one row: label, count, mean, median and max of a summary. */
static void
stats_row(const char *prefix, const char *key, json_t *summary)
{
	char label[64], mean[24], median[24], max[24];
	size_t len;

	/* "time_to_assess_us" reads as "time to assess". */
	snprintf(label, sizeof label, "%s%s", prefix, key);
	len = strlen(label);
	if (len > 3 && strcmp(label + len - 3, "_us") == 0)
		label[len - 3] = '\0';
	for (char *p = label; *p != '\0'; p++)
		if (*p == '_')
			*p = ' ';
	printf("%-26s %5" JSON_INTEGER_FORMAT " %10s %10s %10s\n", label,
	    json_integer_value(json_object_get(summary, "count")),
	    stats_duration(summary, "mean_us", mean, sizeof mean),
	    stats_duration(summary, "median_us", median, sizeof median),
	    stats_duration(summary, "max_us", max, sizeof max));
}

static void
stats_print(json_t *s)
{
	json_t *metrics = json_object_get(s, "metrics"), *v;
	const char *key;

	printf("cases      %" JSON_INTEGER_FORMAT "\n",
	    json_integer_value(json_object_get(s, "cases")));
	json_object_foreach(json_object_get(s, "verdicts"), key, v)
		printf("  %-16s %" JSON_INTEGER_FORMAT "\n", key,
		    json_integer_value(v));
	printf("\n%-26s %5s %10s %10s %10s\n", "metric", "cases", "mean",
	    "median", "max");
	json_object_foreach(metrics, key, v) {
		if (strcmp(key, "phase_us") != 0)
			stats_row("", key, v);
	}
	json_object_foreach(json_object_get(metrics, "phase_us"), key, v)
		stats_row("phase ", key, v);
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
	if ((from_text != NULL && !cli_parse_bound(ctx, "--from", from_text,
	    false, &from)) || (to_text != NULL && !cli_parse_bound(ctx, "--to",
	    to_text, true, &to)))
		return CLI_EXIT_USAGE;
	if (from_text != NULL && to_text != NULL &&
	    !cli_check_period(ctx, from_text, to_text, from, to))
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
