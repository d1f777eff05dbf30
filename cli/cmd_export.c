/*
 * cmd_export.c: "ircase export", one case as JSON (every action with its
 * hash and the result of checking the chain), CSV, a Markdown report or a
 * Timesketch timeline; core/export.h writes each format.
 *
 * With -o the export goes to a temporary file in the target's folder that
 * is renamed over the target only once it is complete, so a failure never
 * leaves a half-written file behind.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "export.h"

static const char export_options[] =
    "Options:\n"
    "  --format FORMAT  json (the default), csv (one action per row), md\n"
    "                   (the report) or timesketch (JSON Lines timeline)\n"
    "  -o, --output FILE\n"
    "                   write to FILE (mode 0600, replaced only once the\n"
    "                   export is complete) instead of standard output\n"
    "                   ('-': standard output)\n"
    "\n"
    "Exits 3, after writing the export, when the case's chain does not\n"
    "verify.\n";

/*
 * Writes the export to path through a temporary file, or to stdout when
 * path is NULL.  Returns false after printing the error.
 */
static bool
export_write(struct irc_db *db, int64_t case_id,
    enum irc_export_format format, const char *path,
    struct irc_export_result *result)
{
	struct irc_atomic_file file;
	struct irc_error err;
	int flags = 0;

	irc_error_clear(&err);
	if (path == NULL) {
		if (isatty(STDOUT_FILENO))
			flags |= IRC_EXPORT_TERMINAL;
		if (irc_export_case(db, case_id, format, flags, stdout,
		    "standard output", result, &err) != IRC_OK) {
			cli_fail(&err);
			return false;
		}
		return true;
	}
	if (irc_atomic_open(&file, path, &err) != IRC_OK) {
		cli_fail(&err);
		return false;
	}
	if (irc_export_case(db, case_id, format, flags, file.fp, path, result,
	    &err) != IRC_OK) {
		irc_atomic_abort(&file);
		cli_fail(&err);
		return false;
	}
	if (irc_atomic_commit(&file, &err) != IRC_OK) {
		cli_fail(&err);
		return false;
	}
	return true;
}

int
cmd_export(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_export_result result;
	struct irc_db *db = NULL;
	const char *format_name = "json", *output = NULL;
	enum irc_export_format format;
	int64_t case_id;
	int c, status = CLI_EXIT_FAIL;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format_name = optarg;
			break;
		case 'o':
			output = cli_output_path(optarg);
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, export_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (!irc_export_format_parse(format_name, &format))
		return cli_usage_error(ctx, "unsupported format '%s'; "
		    "supported formats: json, csv, md, timesketch", format_name);
	if (output != NULL && output[0] == '\0')
		return cli_usage_error(ctx, "-o needs a file name");
	if (optind >= argc)
		return cli_usage_error(ctx, "missing CASE; give the case number "
		    "that 'ircase list' shows");
	if (!cli_parse_case(ctx, argv[optind], &case_id))
		return CLI_EXIT_USAGE;
	if (optind + 1 < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'; export "
		    "takes one CASE", argv[optind + 1]);

	/* A JSON export contains the contacts of config.yaml. */
	if (cli_config() == NULL || !cli_db_open(ctx, CLI_DB_READ, &db, NULL))
		return CLI_EXIT_FAIL;
	if (!export_write(db, case_id, format, output, &result))
		goto out;
	if (result.warning[0] != '\0') {
		cli_print_clean(stderr, "ircase: warning: ", 0);
		cli_print_clean(stderr, result.warning, 0);
		fputc('\n', stderr);
	}
	if (result.invalid_utf8 > 0)
		fprintf(stderr, "ircase: case %" PRId64 ": %" PRId64 " byte%s of "
		    "stored text %s not valid UTF-8 and %s replaced with U+FFFD "
		    "in the export\n", case_id, result.invalid_utf8,
		    result.invalid_utf8 == 1 ? "" : "s",
		    result.invalid_utf8 == 1 ? "was" : "were",
		    result.invalid_utf8 == 1 ? "was" : "were");
	if (!result.verify.ok) {
		cli_chain_report(case_id, &result.verify, format == IRC_EXPORT_JSON ?
		    "the export records this under \"verify\"" : NULL);
		status = CLI_EXIT_CHAIN;
		goto out;
	}
	status = CLI_EXIT_OK;
out:
	irc_db_close(db);
	return status;
}
