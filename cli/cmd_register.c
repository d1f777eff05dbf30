/*
 * cmd_register.c: "ircase register", the incident register of the cases
 * opened in a period, as CSV, XLSX or Markdown (core/register.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "export.h"
#include "register.h"
#include "sanitize.h"

static const char register_options[] =
    "Options:\n"
    "  --from DATE      first day of the period (YYYY-MM-DD, local time,\n"
    "                   or an RFC 3339 time)\n"
    "  --to DATE        last day of the period, included\n"
    "  --format FORMAT  csv (the default), xlsx or md\n"
    "  -o, --output FILE\n"
    "                   write to FILE (replaced only once complete); xlsx\n"
    "                   needs it; '-' is standard output\n"
    "  --drills include|exclude\n"
    "                   list drill cases too (default: exclude)\n";

bool
cli_parse_period(const struct cli_ctx *ctx, const char *from, const char *to,
    struct irc_register_query *q)
{
	struct irc_error err;

	irc_error_clear(&err);
	if (from == NULL || to == NULL) {
		cli_usage_error(ctx, "missing %s; give the period as --from DATE "
		    "--to DATE", from == NULL ? "--from" : "--to");
		return false;
	}
	return cli_parse_bound(ctx, "--from", from, false, &q->from_us) &&
	    cli_parse_bound(ctx, "--to", to, true, &q->to_us) &&
	    cli_check_period(ctx, from, to, q->from_us, q->to_us);
}

bool
cli_parse_bound(const struct cli_ctx *ctx, const char *what,
    const char *text, bool end_of_day, int64_t *out)
{
	struct irc_error err;

	irc_error_clear(&err);
	if (irc_register_date_parse(text, end_of_day, what, out, &err) ==
	    IRC_OK)
		return true;
	/* core's message lists only the time forms, but a bound also takes a date. */
	if (strncmp(err.msg, "invalid time", 12) == 0)
		cli_usage_error(ctx, "invalid date '%s' for %s: give a date as "
		    "YYYY-MM-DD such as 2026-12-01, or a time as RFC 3339 such as "
		    "2026-12-01T14:05:00Z or local \"2026-12-01 15:05\"", text,
		    what);
	else if (strncmp(err.msg, "invalid date '", 14) == 0)
		cli_usage_error(ctx, "%s", err.msg);
	else
		cli_usage_error(ctx, "%s: %s", what, err.msg);
	return false;
}

bool
cli_check_period(const struct cli_ctx *ctx, const char *from, const char *to,
    int64_t from_us, int64_t to_us)
{
	if (to_us > from_us)
		return true;
	cli_usage_error(ctx, "the period from --from %s to --to %s is empty; "
	    "give a --to after --from, or swap them", from, to);
	return false;
}

/*
 * Writes a text register to the terminal with its untrusted titles and
 * categories sanitised.  Returns the exit status.
 */
static int
register_terminal(struct irc_db *db, const struct irc_register_query *q,
    enum irc_register_format format)
{
	struct irc_error err;
	char *text = NULL;
	size_t len = 0;
	int64_t rows;
	FILE *mem;

	irc_error_clear(&err);
	if ((mem = open_memstream(&text, &len)) == NULL)
		return cli_failf("cannot buffer the register: %s",
		    strerror(errno));
	if (irc_register_write(db, q, format, mem, NULL, &rows, &err) !=
	    IRC_OK) {
		fclose(mem);
		free(text);
		return cli_fail(&err);
	}
	if (fclose(mem) != 0) {
		free(text);
		return cli_failf("cannot buffer the register: %s",
		    strerror(errno));
	}
	/* Line by line, so that CSV's CRLF line ends stay as they are. */
	for (char *line = text, *end; *line != '\0'; line = end + 1) {
		bool crlf;

		if ((end = strchr(line, '\n')) == NULL) {
			cli_print_clean(stdout, line, IRC_SAN_KEEP_TAB);
			break;
		}
		crlf = end > line && end[-1] == '\r';
		*(crlf ? end - 1 : end) = '\0';
		cli_print_clean(stdout, line, IRC_SAN_KEEP_TAB);
		fputs(crlf ? "\r\n" : "\n", stdout);
	}
	free(text);
	return CLI_EXIT_OK;
}

/* Writes the register to path, or to stdout.  Returns the exit status. */
static int
register_output(struct irc_db *db, const struct irc_register_query *q,
    enum irc_register_format format, const char *path)
{
	struct irc_atomic_file file;
	struct irc_error err;
	int64_t rows;

	irc_error_clear(&err);
	if (format != IRC_REGISTER_XLSX && path == NULL &&
	    isatty(STDOUT_FILENO))
		return register_terminal(db, q, format);
	if (format == IRC_REGISTER_XLSX || path == NULL) {
		if (irc_register_write(db, q, format, stdout, path, &rows, &err) !=
		    IRC_OK)
			return cli_fail(&err);
		return CLI_EXIT_OK;
	}
	if (irc_atomic_open(&file, path, &err) != IRC_OK)
		return cli_fail(&err);
	if (irc_register_write(db, q, format, file.fp, path, &rows, &err) !=
	    IRC_OK) {
		irc_atomic_abort(&file);
		return cli_fail(&err);
	}
	if (irc_atomic_commit(&file, &err) != IRC_OK)
		return cli_fail(&err);
	return CLI_EXIT_OK;
}

int
cmd_register(struct cli_ctx *ctx, int argc, char **argv)
{
	enum { OPT_FROM = 0x200, OPT_TO, OPT_DRILLS };
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "drills", required_argument, NULL, OPT_DRILLS },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_register_query q = { 0, 0, false };
	enum irc_register_format format = IRC_REGISTER_CSV;
	const char *from = NULL, *to = NULL, *output = NULL;
	struct irc_db *db = NULL;
	int c, status;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FROM:
			from = optarg;
			break;
		case OPT_TO:
			to = optarg;
			break;
		case 'f':
			if (!irc_register_format_parse(optarg, &format))
				return cli_usage_error(ctx, "unsupported format "
				    "'%s'; supported formats: csv, xlsx, md", optarg);
			break;
		case 'o':
			output = cli_output_path(optarg);
			break;
		case OPT_DRILLS:
			if (strcmp(optarg, "include") != 0 &&
			    strcmp(optarg, "exclude") != 0)
				return cli_usage_error(ctx, "invalid --drills '%s'; "
				    "use include or exclude", optarg);
			q.drills = strcmp(optarg, "include") == 0;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, register_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'",
		    argv[optind]);
	if (output != NULL && output[0] == '\0')
		return cli_usage_error(ctx, "-o needs a file name");
	if (format == IRC_REGISTER_XLSX && output == NULL)
		return cli_usage_error(ctx, "xlsx needs -o FILE; a workbook "
		    "cannot be written to standard output");
	if (!cli_parse_period(ctx, from, to, &q))
		return CLI_EXIT_USAGE;

	if (!cli_db_open(ctx, CLI_DB_READ, &db, NULL))
		return CLI_EXIT_FAIL;
	status = register_output(db, &q, format, output);
	irc_db_close(db);
	return status;
}
