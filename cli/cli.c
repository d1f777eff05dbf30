/*
 * cli.c: helpers shared by the subcommands: opening the database, error
 * messages, and parsing numbers and text from the command line.
 */
#include <errno.h>
#include <inttypes.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "cli.h"
#include "mem.h"
#include "paths.h"
#include "sanitize.h"

bool
cli_db_open(struct cli_ctx *ctx, enum cli_db_mode mode, struct irc_db **out,
    bool *missing)
{
	struct irc_error err;
	struct stat st;
	char *path = NULL;
	enum irc_status rc;
	bool opened = false;

	*out = NULL;
	if (missing != NULL)
		*missing = false;
	irc_error_clear(&err);

	rc = irc_path_db(ctx->db_path, &path, &err);
	if (rc != IRC_OK) {
		cli_fail(&err);
		goto out;
	}

	if (mode != CLI_DB_CREATE && stat(path, &st) != 0 && errno == ENOENT) {
		if (missing != NULL) {
			*missing = true;
			goto out;
		}
		cli_failf("no database at %s; create a case with 'ircase new' "
		    "or pass --db PATH", path);
		goto out;
	}

	if (mode == CLI_DB_CREATE) {
		rc = irc_path_make_parent(path, &err);
		if (rc == IRC_OK)
			rc = irc_db_open(path, out, &err);
	} else if (mode == CLI_DB_WRITE) {
		rc = irc_db_open(path, out, &err);
	} else {
		rc = irc_db_open_existing(path, out, &err);
	}
	if (rc != IRC_OK) {
		*out = NULL;
		cli_fail(&err);
		goto out;
	}
	opened = true;
out:
	free(path);
	return opened;
}

int
cli_fail(const struct irc_error *err)
{
	const char *msg = err->msg[0] != '\0' ? err->msg :
	    irc_strerror(err->status);

	cli_print_clean(stderr, "ircase: ", 0);
	cli_print_clean(stderr, msg, 0);
	fputc('\n', stderr);
	return CLI_EXIT_FAIL;
}

/* Formats into a new string and prints it sanitised, with prefix, as one line. */
static void
print_line(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof buf, fmt, ap);
	fputs(prefix, stderr);
	cli_print_clean(stderr, buf, 0);
	fputc('\n', stderr);
}

int
cli_failf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_line("ircase: ", fmt, ap);
	va_end(ap);
	return CLI_EXIT_FAIL;
}

int
cli_usage_error(const struct cli_ctx *ctx, const char *fmt, ...)
{
	char prefix[64];
	va_list ap;

	if (ctx != NULL && ctx->cmd != NULL)
		snprintf(prefix, sizeof prefix, "ircase %s: ", ctx->cmd);
	else
		snprintf(prefix, sizeof prefix, "ircase: ");
	va_start(ap, fmt);
	print_line(prefix, fmt, ap);
	va_end(ap);
	return CLI_EXIT_USAGE;
}

int
cli_bad_option(const struct cli_ctx *ctx, int c, char **argv)
{
	const char *arg = argv[optind - 1];
	const char *help = ctx->cmd != NULL ? ctx->cmd : "";
	const char *space = ctx->cmd != NULL ? " " : "";
	char shortopt[3] = { '-', (char)optopt, '\0' };

	/*
	 * For a short option glued to others ("-xV"), argv[optind - 1] is the
	 * whole word, so name the letter itself.
	 */
	if (optopt != 0 && strncmp(arg, "--", 2) != 0)
		arg = shortopt;
	if (c == ':')
		return cli_usage_error(ctx, "option %s needs a value; "
		    "see 'ircase %s%s--help'", arg, help, space);
	return cli_usage_error(ctx, "unknown option %s; see 'ircase %s%s--help'",
	    arg, help, space);
}

void
cli_help(const struct cli_ctx *ctx, FILE *out, const char *options_help)
{
	const struct cli_cmd *cmd;

	for (cmd = cli_cmds; cmd->name != NULL; cmd++) {
		if (strcmp(cmd->name, ctx->cmd) != 0)
			continue;
		fprintf(out, "usage: ircase [--db PATH] %s %s\n\n%s\n",
		    cmd->name, cmd->synopsis, cmd->summary);
		break;
	}
	if (options_help != NULL)
		fprintf(out, "\n%s", options_help);
	fputs("  --db PATH        database file (default: $IRCASE_DB, else\n"
	    "                   $XDG_DATA_HOME/ircase/ircase.db)\n"
	    "  -h, --help       show this help\n", out);
}

void
cli_getopt_reset(void)
{
	/* 0 makes glibc reinitialise its scanner, including "+" and permutation. */
	optind = 0;
	opterr = 0;
}

bool
cli_parse_case(const struct cli_ctx *ctx, const char *text, int64_t *out)
{
	if (irc_case_number_parse(text, out))
		return true;
	cli_usage_error(ctx, "invalid case number '%s'; give the number "
	    "that 'ircase list' shows, such as 12 or #12", text);
	return false;
}

bool
cli_parse_int(const struct cli_ctx *ctx, const char *what, const char *text,
    long min, long max, long *out)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (end == text || *end != '\0' || errno == ERANGE || value < min ||
	    value > max) {
		cli_usage_error(ctx, "invalid %s '%s'; expected a whole number "
		    "from %ld to %ld", what, text, min, max);
		return false;
	}
	*out = value;
	return true;
}

bool
cli_check_text(const struct cli_ctx *ctx, const char *what, const char *text)
{
	size_t len = strlen(text);
	size_t bad;

	if (len == 0) {
		cli_usage_error(ctx, "%s is empty; give some text", what);
		return false;
	}
	bad = irc_utf8_invalid_at(text, len);
	if (bad < len) {
		cli_usage_error(ctx, "%s is not valid UTF-8 (byte %zu of %zu); "
		    "convert it to UTF-8 and try again", what, bad + 1, len);
		return false;
	}
	return true;
}

bool
cli_json_print(json_t *json, FILE *out)
{
	size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;

	if (isatty(fileno(out)))
		flags |= JSON_ENSURE_ASCII;
	if (json_dumpf(json, out, flags) != 0)
		return false;
	return fputc('\n', out) != EOF;
}

void
cli_chain_report(int64_t case_id, const struct irc_verify_result *v,
    const char *hint)
{
	const char *sep = hint != NULL ? "; " : "";

	if (hint == NULL)
		hint = "";
	if (v->bad_action_id != 0)
		cli_failf("case %" PRId64 ": action seq %" PRId64 ", id %" PRId64
		    ", does not match the chain: %s%s%s", case_id, v->bad_seq,
		    v->bad_action_id, v->reason, sep, hint);
	else
		cli_failf("case %" PRId64 ": the chain does not match: %s%s%s",
		    case_id, v->reason, sep, hint);
}

void
cli_print_clean(FILE *out, const char *text, int flags)
{
	char *clean = irc_sanitize_str(text, flags);

	fputs(clean, out);
	free(clean);
}
