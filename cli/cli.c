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
#include <wchar.h>

#include "case.h"
#include "cli.h"
#include "config.h"
#include "mem.h"
#include "paths.h"
#include "playbook.h"
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

	/*
	 * A command that writes appends actions, and their syslog copy reads
	 * syslog.facility, so it checks config.yaml before anything changes.
	 */
	if (mode != CLI_DB_READ && cli_config() == NULL)
		goto out;

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

int
cli_fail_value(const struct irc_error *err)
{
	cli_fail(err);
	return err->status == IRC_ERR_INVALID ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
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

const char *
cli_output_path(const char *arg)
{
	return arg != NULL && strcmp(arg, "-") == 0 ? NULL : arg;
}

int
cli_usage_error(const struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_line("ircase: ", fmt, ap);
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
	static const char common[] =
	    "  --db PATH        database file (default: $IRCASE_DB, else\n"
	    "                   $XDG_DATA_HOME/ircase/ircase.db)\n"
	    "  -h, --help       show this help\n";
	const struct cli_cmd *cmd;
	const char *opts, *end;

	for (cmd = cli_cmds; cmd->name != NULL; cmd++) {
		if (strcmp(cmd->name, ctx->cmd) != 0)
			continue;
		fprintf(out, "usage: ircase [--db PATH] %s %s\n\n%s\n",
		    cmd->name, cmd->synopsis, cmd->summary);
		break;
	}
	if (options_help == NULL)
		options_help = "";

	/*
	 * The options every command shares go at the end of the command's
	 * "Options:" block, which ends at the first blank line, so that the
	 * paragraphs after it stay after it.
	 */
	opts = strstr(options_help, "Options:\n");
	if (opts == NULL) {
		fprintf(out, "\nOptions:\n%s", common);
		if (*options_help != '\0')
			fprintf(out, "\n%s", options_help);
		return;
	}
	end = strstr(opts, "\n\n");
	end = end != NULL ? end + 1 : opts + strlen(opts);
	fprintf(out, "\n%.*s%s%s", (int)(end - options_help), options_help,
	    common, end);
}

void
cli_getopt_reset(void)
{
	/* 0 makes glibc reinitialise its scanner, including "+" and permutation. */
	optind = 0;
	opterr = 0;
}

int
cli_options(struct cli_ctx *ctx, int argc, char **argv,
    const struct cli_opt *opts, const char *options_help)
{
	enum { OPT_FIRST = 0x200, OPT_MAX = 24 };
	struct option longopts[OPT_MAX + 3];
	char shortopts[2 * OPT_MAX + 3] = ":h";
	size_t n = 0, s = 2;
	int c;

	for (; opts[n].name != NULL; n++) {
		if (n == OPT_MAX)
			abort();	/* a table longer than any command needs */
		longopts[n] = (struct option){ opts[n].name,
		    opts[n].kind == CLI_OPT_FLAG ? no_argument :
		    required_argument, NULL, OPT_FIRST + (int)n };
		if (opts[n].letter != 0) {
			shortopts[s++] = opts[n].letter;
			if (opts[n].kind != CLI_OPT_FLAG)
				shortopts[s++] = ':';
		}
	}
	shortopts[s] = '\0';
	longopts[n] = (struct option){ "db", required_argument, NULL,
	    CLI_OPT_DB };
	longopts[n + 1] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n + 2] = (struct option){ NULL, 0, NULL, 0 };

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct cli_opt *o = NULL;

		if (c == CLI_OPT_DB) {
			ctx->db_path = optarg;
			continue;
		}
		if (c == 'h') {
			cli_help(ctx, stdout, options_help);
			return CLI_EXIT_OK;
		}
		if (c >= OPT_FIRST && c < OPT_FIRST + (int)n)
			o = &opts[c - OPT_FIRST];
		for (size_t i = 0; o == NULL && i < n; i++)
			if (opts[i].letter != 0 && c == opts[i].letter)
				o = &opts[i];
		if (o == NULL)
			return cli_bad_option(ctx, c, argv);
		switch (o->kind) {
		case CLI_OPT_TEXT:
			*(const char **)o->value = optarg;
			break;
		case CLI_OPT_FLAG:
			*(bool *)o->value = true;
			break;
		case CLI_OPT_LIST:
			((const char **)o->value)[(*o->count)++] = optarg;
			break;
		}
	}
	return -1;
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

	if (text[strspn(text, " \t\n\r")] == '\0') {
		cli_usage_error(ctx, "%s is %s; give some text", what,
		    len == 0 ? "empty" : "only white space");
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

int
cli_json_emit(json_t *json, const char *what)
{
	int status = CLI_EXIT_OK;

	if (!cli_json_print(json, stdout))
		status = cli_failf("cannot write %s: %s", what, strerror(errno));
	json_decref(json);
	return status;
}

void
cli_chain_report(int64_t case_id, const struct irc_verify_result *v,
    const char *hint)
{
	const char *sep = hint != NULL ? "; " : "";

	if (hint == NULL)
		hint = "";
	/* core's reason names the action, or the case when no action is at
	 * fault, so the case number is added only in front of an action. */
	if (v->bad_action_id != 0)
		cli_failf("case %" PRId64 ": %s%s%s", case_id, v->reason, sep,
		    hint);
	else
		cli_failf("%s%s%s", v->reason, sep, hint);
}

void
cli_chain_warn(struct irc_db *db, int64_t case_id)
{
	struct irc_verify_result v;
	struct irc_error err;

	irc_error_clear(&err);
	if (irc_chain_verify(db, case_id, &v, &err) != IRC_OK || v.ok)
		return;
	fprintf(stderr, "ircase: warning: the action log of case %" PRId64
	    " is already broken; this change is recorded anyway; run "
	    "'ircase verify %" PRId64 "' for details\n", case_id, case_id);
}

int
cli_text_width(const char *text)
{
	char *clean = irc_sanitize_str(text, 0);
	size_t len = strlen(clean), i = 0, n;
	mbstate_t state;
	wchar_t wc;
	int total = 0, w;

	memset(&state, 0, sizeof state);
	while (i < len) {
		n = mbrtowc(&wc, clean + i, len - i, &state);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&state, 0, sizeof state);
			n = 1;
			w = 1;
		} else {
			w = wcwidth(wc);
			if (w < 0)
				w = 1;
		}
		total += w;
		i += n;
	}
	free(clean);
	return total;
}

void
cli_print_padded(FILE *out, const char *text, int width)
{
	int used = cli_text_width(text);

	cli_print_clean(out, text, 0);
	for (; used < width; used++)
		fputc(' ', out);
}

void
cli_print_clean(FILE *out, const char *text, int flags)
{
	char *clean = irc_sanitize_str(text, flags);

	fputs(clean, out);
	free(clean);
}

/* The configuration that cli_config() loaded, freed at exit. */
static struct irc_config *config_loaded;

static void
config_release(void)
{
	irc_config_free(config_loaded);
	config_loaded = NULL;
}

enum irc_status
cli_config_get(const struct irc_config **out, struct irc_error *err)
{
	struct irc_config *cfg = NULL;
	enum irc_status st;

	*out = config_loaded;
	if (config_loaded != NULL)
		return IRC_OK;
	if ((st = irc_config_load(NULL, &cfg, err)) != IRC_OK)
		return st;
	for (size_t i = 0; i < cfg->nwarnings; i++) {
		cli_print_clean(stderr, "ircase: warning: ", 0);
		cli_print_clean(stderr, cfg->warnings[i], 0);
		fputc('\n', stderr);
	}
	config_loaded = cfg;
	atexit(config_release);
	*out = cfg;
	return IRC_OK;
}

const struct irc_config *
cli_config(void)
{
	const struct irc_config *cfg;
	struct irc_error err;

	irc_error_clear(&err);
	if (cli_config_get(&cfg, &err) != IRC_OK) {
		cli_fail(&err);
		return NULL;
	}
	return cfg;
}

bool
cli_playbook_limits(struct irc_pb_limits *limits, struct irc_error *err)
{
	const struct irc_config *cfg;

	if (limits->max_size != 0)
		return true;
	if (cli_config_get(&cfg, err) != IRC_OK)
		return false;
	limits->max_size = irc_config_playbook_max_size(cfg);
	return true;
}
