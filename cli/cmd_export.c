/*
 * cmd_export.c: "ircase export", the whole case with every action, its
 * hash and the result of checking the chain, as evidence for an audit.
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

#include "action.h"
#include "case.h"
#include "cli.h"
#include "mem.h"

static const char export_options[] =
    "Options:\n"
    "  --format FORMAT  output format; supported: json (the default)\n"
    "  -o, --output FILE\n"
    "                   write to FILE (mode 0600, replaced only once the\n"
    "                   export is complete) instead of standard output\n"
    "\n"
    "Exits 3, after writing the export, when the case's chain does not\n"
    "verify.\n";

/* The verify object added to the export; keys documented in ircase(1). */
static json_t *
verify_to_json(const struct irc_verify_result *v)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "ok", json_boolean(v->ok));
	json_object_set_new(obj, "checked", json_integer(v->checked));
	json_object_set_new(obj, "head", json_string(v->head));
	if (!v->ok) {
		json_object_set_new(obj, "bad_seq", json_integer(v->bad_seq));
		json_object_set_new(obj, "bad_action_id",
		    json_integer(v->bad_action_id));
		json_object_set_new(obj, "reason", json_string(v->reason));
	}
	return obj;
}

/*
 * Writes json to a temporary file beside path, flushes it to disk and
 * renames it to path.  Returns false after printing the error; the
 * temporary file is removed then.
 */
static bool
export_write_file(json_t *json, const char *path)
{
	char *tmp = irc_xasprintf("%s.XXXXXX", path);
	FILE *out = NULL;
	bool written = false;
	int fd;

	fd = mkstemp(tmp);
	if (fd < 0) {
		cli_failf("cannot create a temporary file beside %s: %s", path,
		    strerror(errno));
		goto out;
	}
	out = fdopen(fd, "w");
	if (out == NULL) {
		cli_failf("%s: %s", tmp, strerror(errno));
		close(fd);
		goto out_unlink;
	}
	if (json_dumpf(json, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', out) == EOF || fflush(out) != 0 ||
	    fsync(fileno(out)) != 0) {
		cli_failf("cannot write %s: %s", tmp, strerror(errno));
		fclose(out);
		goto out_unlink;
	}
	if (fclose(out) != 0) {
		cli_failf("cannot write %s: %s", tmp, strerror(errno));
		goto out_unlink;
	}
	if (rename(tmp, path) != 0) {
		cli_failf("cannot rename %s to %s: %s", tmp, path,
		    strerror(errno));
		goto out_unlink;
	}
	written = true;
	goto out;

out_unlink:
	unlink(tmp);
out:
	free(tmp);
	return written;
}

/*
 * Loads the case, checks its chain and builds the export.  Returns NULL
 * after printing the error.
 */
static json_t *
export_build(struct irc_db *db, int64_t case_id,
    struct irc_verify_result *verify)
{
	struct irc_case *kase = NULL;
	struct irc_error err;
	json_t *json = NULL;

	irc_error_clear(&err);
	if (irc_case_load(db, case_id, &kase, &err) != IRC_OK ||
	    irc_chain_verify(db, case_id, verify, &err) != IRC_OK) {
		cli_fail(&err);
		goto out;
	}
	json = irc_case_to_json(kase, true);
	if (json == NULL) {
		cli_failf("cannot build the JSON export of case %" PRId64,
		    case_id);
		goto out;
	}
	json_object_set_new(json, "verify", verify_to_json(verify));
out:
	if (kase != NULL)
		irc_case_free(kase);
	return json;
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
	struct irc_verify_result verify;
	struct irc_db *db = NULL;
	const char *format = "json", *output = NULL;
	json_t *json = NULL;
	int64_t case_id;
	int c, status = CLI_EXIT_FAIL;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'o':
			output = optarg;
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
	if (strcmp(format, "json") != 0)
		return cli_usage_error(ctx, "unsupported format '%s'; "
		    "supported formats: json", format);
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

	if (!cli_db_open(ctx, CLI_DB_READ, &db, NULL))
		return CLI_EXIT_FAIL;
	memset(&verify, 0, sizeof verify);
	json = export_build(db, case_id, &verify);
	if (json == NULL)
		goto out;

	if (output != NULL) {
		if (!export_write_file(json, output))
			goto out;
	} else if (!cli_json_print(json, stdout)) {
		status = cli_failf("cannot write the export of case %" PRId64
		    ": %s", case_id, strerror(errno));
		goto out;
	}

	if (!verify.ok) {
		cli_chain_report(case_id, &verify,
		    "the export records this under \"verify\"");
		status = CLI_EXIT_CHAIN;
		goto out;
	}
	status = CLI_EXIT_OK;
out:
	json_decref(json);
	irc_db_close(db);
	return status;
}
