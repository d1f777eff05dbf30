/*
 * cmd_drill.c: "ircase drill start|tick|report".
 *
 * start opens a case of kind drill, optionally running a scenario at a
 * chosen speed; tick delivers the injects that are due, for scripts and
 * for drills run without the terminal interface; report writes the
 * after-action report.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actor.h"
#include "cli.h"
#include "cli_drill.h"
#include "drill.h"
#include "export.h"
#include "mem.h"
#include "model.h"
#include "sanitize.h"

static const char drill_options[] =
    "Subcommands:\n"
    "  start --playbook FILE | --scenario FILE [--playbook FILE]\n"
    "        [--title TEXT] [--speed N] [--severity LEVEL]\n"
    "                   open a drill case and print its number\n"
    "  tick CASE        deliver the injects that are due, one line each\n"
    "  report CASE [--format md|json] [-o FILE]\n"
    "                   write the after-action report\n"
    "\n"
    "Options:\n"
    "  --playbook FILE  playbook of the drill (default: the scenario's)\n"
    "  --scenario FILE  scenario whose injects the drill delivers\n"
    "  --title TEXT     case title (default: the scenario's title)\n"
    "  --speed N        drill seconds per wall second, 1-10000 (default 1)\n"
    "  --severity LEVEL 1-4 or low, medium, high, critical\n"
    "  --format FORMAT  md (the default) or json\n"
    "  -o, --output FILE\n"
    "                   write the report to FILE instead of standard output\n"
    "                   ('-': standard output)\n";

bool
cli_text_write(const char *path, const char *text)
{
	struct irc_atomic_file file;
	struct irc_error err;

	if (path == NULL) {
		/* Titles and notes in the text are untrusted: no raw escapes. */
		if (isatty(STDOUT_FILENO))
			cli_print_clean(stdout, text,
			    IRC_SAN_KEEP_NEWLINE | IRC_SAN_KEEP_TAB);
		else
			fputs(text, stdout);
		return true;
	}
	irc_error_clear(&err);
	if (irc_atomic_open(&file, path, &err) != IRC_OK) {
		cli_fail(&err);
		return false;
	}
	if (fputs(text, file.fp) == EOF) {
		irc_write_fail(&err, path, errno);
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

struct start_args {
	const char *playbook;
	const char *scenario;
	const char *title;
	const char *severity;
	long speed;
};

/*
 * Loads the scenario (when given) and the playbook: --playbook, else the
 * one the scenario names.  Returns an exit status.
 */
static int
start_load(struct cli_ctx *ctx, const struct start_args *a,
    struct irc_scenario **sc, struct irc_playbook **pb)
{
	struct irc_error err;
	char *dir = NULL, *path = NULL;
	int status = CLI_EXIT_FAIL;

	irc_error_clear(&err);
	if (a->scenario != NULL) {
		if (irc_scenario_load(a->scenario, sc, &err) != IRC_OK ||
		    irc_scenario_check(*sc, &err) != IRC_OK)
			return cli_fail(&err);
	}
	if (a->playbook == NULL && *sc != NULL) {
		char *copy = irc_xstrdup(a->scenario);

		dir = irc_xstrdup(dirname(copy));
		free(copy);
		path = irc_scenario_playbook_path(*sc, dir);
		if (path == NULL) {
			char *tried = irc_scenario_playbook_tried(*sc, dir);

			/* A playbook that cannot be loaded exits 1, as below. */
			if ((*sc)->playbook == NULL)
				status = cli_failf("the scenario %s names no "
				    "playbook; give one with --playbook FILE",
				    a->scenario);
			else
				status = cli_failf("playbook '%s' of the scenario "
				    "%s not found: %s; give one with --playbook "
				    "FILE", (*sc)->playbook, a->scenario, tried);
			free(tried);
			goto out;
		}
	} else if (a->playbook == NULL) {
		status = cli_usage_error(ctx, "missing --playbook FILE; name the "
		    "playbook to rehearse");
		goto out;
	}
	if (cli_playbook_open(path != NULL ? path : a->playbook, pb, &err) !=
	    IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	status = CLI_EXIT_OK;
out:
	free(dir);
	free(path);
	return status;
}

static int
drill_start(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "playbook", required_argument, NULL, 'p' },
		{ "scenario", required_argument, NULL, 'S' },
		{ "title", required_argument, NULL, 't' },
		{ "speed", required_argument, NULL, 'x' },
		{ "severity", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct start_args a = { NULL, NULL, NULL, NULL, 1 };
	struct irc_scenario *sc = NULL;
	struct irc_playbook *pb = NULL;
	struct irc_db *db = NULL;
	struct irc_drill_opts opts;
	struct irc_actor actor;
	struct irc_error err;
	char *title = NULL;
	int64_t case_id;
	int c, severity = 0, status;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":p:S:t:x:s:h", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'p': a.playbook = optarg; break;
		case 'S': a.scenario = optarg; break;
		case 't': a.title = optarg; break;
		case 's': a.severity = optarg; break;
		case 'x':
			if (!cli_parse_int(ctx, "--speed", optarg, 1,
			    IRC_DRILL_SPEED_MAX, &a.speed))
				return CLI_EXIT_USAGE;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, drill_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'; give the "
		    "title with --title TEXT", argv[optind]);
	if (a.title != NULL && !cli_check_text(ctx, "--title", a.title))
		return CLI_EXIT_USAGE;
	if (a.severity != NULL && !irc_severity_parse(a.severity, &severity))
		return cli_usage_error(ctx, "invalid --severity '%s'; use 1-4 "
		    "or low, medium, high, critical", a.severity);
	if ((status = start_load(ctx, &a, &sc, &pb)) != CLI_EXIT_OK)
		goto out;
	status = CLI_EXIT_FAIL;
	if (a.title != NULL)
		title = irc_xstrdup(a.title);
	else if (sc != NULL)
		title = irc_xstrdup(sc->title);
	else
		title = irc_xasprintf("Drill: %s", pb->title);
	opts.title = title;
	opts.severity = severity != 0 ? severity : pb->severity != 0 ?
	    pb->severity : IRC_SEVERITY_DEFAULT;
	opts.speed = (int)a.speed;
	opts.scenario = sc;
	if (!cli_db_open(ctx, CLI_DB_CREATE, &db, NULL))
		goto out;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_drill_start(db, pb, &opts, &actor, &case_id, &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	printf("%" PRId64 "\n", case_id);
	status = CLI_EXIT_OK;
out:
	free(title);
	irc_db_close(db);
	irc_playbook_free(pb);
	irc_scenario_free(sc);
	return status;
}

/* Parses "CASE" as the only argument left after the options. */
static bool
one_case(struct cli_ctx *ctx, int argc, char **argv, int64_t *case_id)
{
	if (optind >= argc) {
		cli_usage_error(ctx, "missing CASE; give the number of a drill "
		    "case ('ircase list' shows them)");
		return false;
	}
	if (!cli_parse_case(ctx, argv[optind], case_id))
		return false;
	if (optind + 1 < argc) {
		cli_usage_error(ctx, "unexpected argument '%s'; give one CASE",
		    argv[optind + 1]);
		return false;
	}
	return true;
}

/*
 * Returns the number of the observable that inject index recorded, or 0
 * when it recorded none because the case had it already or the value was
 * not valid.
 */
static int64_t
tick_observable(const struct irc_action *actions, size_t n, int64_t index)
{
	int64_t number = 0;

	for (size_t i = 0; i < n && number == 0; i++) {
		json_t *body;

		if (strcmp(actions[i].kind, "observable.add") != 0)
			continue;
		body = json_loads(actions[i].body, 0, NULL);
		if (json_integer_value(json_object_get(body, "inject")) == index)
			number = json_integer_value(json_object_get(body,
			    "observable"));
		json_decref(body);
	}
	return number;
}

/* Prints an inject's observable and severity, each on an indented line. */
static void
tick_print_extras(const struct irc_action *actions, size_t n, json_t *body)
{
	json_t *obs = json_object_get(body, "observable");
	json_int_t severity = json_integer_value(json_object_get(body,
	    "severity"));

	if (json_is_object(obs)) {
		int64_t number = tick_observable(actions, n,
		    json_integer_value(json_object_get(body, "index")));
		const char *type = json_string_value(json_object_get(obs, "type"));
		const char *value = json_string_value(json_object_get(obs,
		    "value"));

		fputs("  observable: ", stdout);
		cli_print_clean(stdout, type != NULL ? type : "?", 0);
		fputc(' ', stdout);
		cli_print_clean(stdout, value != NULL ? value : "?", 0);
		if (number > 0)
			printf(", recorded as observable %" PRId64 "\n", number);
		else
			fputs(", not recorded: the case has it already or its"
			    " value is not valid for the type\n", stdout);
	}
	if (severity >= 1 && severity <= 4)
		printf("  severity: %d (%s), for the responders to assess\n",
		    (int)severity, irc_severity_name((int)severity));
}

/*
 * Prints the last count injects of the log, oldest first: a line with
 * the offset and text, then the observable and severity it carries.
 */
static void
tick_print(struct irc_db *db, int64_t case_id, size_t count)
{
	struct irc_action *actions = NULL;
	size_t n = 0, total = 0, seen = 0;

	if (count == 0 ||
	    irc_actions_load(db, case_id, &actions, &n, NULL) != IRC_OK)
		return;
	for (size_t i = 0; i < n; i++)
		total += strcmp(actions[i].kind, "drill.inject") == 0;
	for (size_t i = 0; i < n; i++) {
		const char *offset, *text;
		json_t *body;

		if (strcmp(actions[i].kind, "drill.inject") != 0 ||
		    ++seen <= total - count)
			continue;
		body = json_loads(actions[i].body, 0, NULL);
		offset = json_string_value(json_object_get(body, "offset"));
		text = json_string_value(json_object_get(body, "text"));
		cli_print_clean(stdout, offset != NULL ? offset : "?", 0);
		fputc(' ', stdout);
		cli_print_clean(stdout, text != NULL ? text : "", 0);
		fputc('\n', stdout);
		tick_print_extras(actions, n, body);
		json_decref(body);
	}
	irc_actions_free(actions, n);
}

static int
drill_tick(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	int64_t case_id;
	size_t count = 0;
	int c, status = CLI_EXIT_FAIL;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == CLI_OPT_DB)
			ctx->db_path = optarg;
		else if (c == 'h') {
			cli_help(ctx, stdout, drill_options);
			return CLI_EXIT_OK;
		} else
			return cli_bad_option(ctx, c, argv);
	}
	if (!one_case(ctx, argc, argv, &case_id))
		return CLI_EXIT_USAGE;
	if (!cli_db_open(ctx, CLI_DB_WRITE, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_drill_tick(db, case_id, &actor, &count, &err) != IRC_OK)
		status = cli_fail(&err);
	else {
		tick_print(db, case_id, count);
		status = CLI_EXIT_OK;
	}
	irc_db_close(db);
	return status;
}

static int
drill_report(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "md", *output = NULL;
	struct irc_db *db = NULL;
	struct irc_error err;
	json_t *report = NULL;
	char *text = NULL;
	int64_t case_id;
	int c, status = CLI_EXIT_FAIL;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'o': output = cli_output_path(optarg); break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, drill_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (strcmp(format, "md") != 0 && strcmp(format, "json") != 0)
		return cli_usage_error(ctx, "unsupported format '%s'; use md or "
		    "json", format);
	if (output != NULL && output[0] == '\0')
		return cli_usage_error(ctx, "-o needs a file name");
	if (!one_case(ctx, argc, argv, &case_id))
		return CLI_EXIT_USAGE;
	if (!cli_db_open(ctx, CLI_DB_READ, &db, NULL))
		return CLI_EXIT_FAIL;
	irc_error_clear(&err);
	if (irc_drill_report(db, case_id, &report, &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if (strcmp(format, "json") == 0) {
		size_t jflags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
		char *json;

		/* On a terminal, as the --json commands: \u escapes only. */
		if (output == NULL && isatty(STDOUT_FILENO))
			jflags |= JSON_ENSURE_ASCII;
		json = json_dumps(report, jflags);

		text = irc_xasprintf("%s\n", json != NULL ? json : "{}");
		free(json);
	} else
		text = irc_drill_report_md(report);
	if (cli_text_write(output, text))
		status = CLI_EXIT_OK;
out:
	free(text);
	json_decref(report);
	irc_db_close(db);
	return status;
}

void
cli_drill_close_report(struct irc_db *db, int64_t case_id)
{
	struct irc_drill *d = NULL;
	struct irc_error err;
	json_t *report = NULL;
	char *text;

	if (irc_drill_load(db, case_id, &d, NULL) != IRC_OK)
		return;
	irc_drill_free(d);
	irc_error_clear(&err);
	if (irc_drill_report(db, case_id, &report, &err) != IRC_OK) {
		cli_fail(&err);
		return;
	}
	text = irc_drill_report_md(report);
	cli_text_write(NULL, text);
	free(text);
	json_decref(report);
}

int
cmd_drill(struct cli_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(ctx, "missing subcommand; use drill "
		    "start, tick or report (see 'ircase drill --help')");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_help(ctx, stdout, drill_options);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "start") == 0)
		return drill_start(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "tick") == 0)
		return drill_tick(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "report") == 0)
		return drill_report(ctx, argc - 1, argv + 1);
	return cli_usage_error(ctx, "unknown drill subcommand '%s'; use "
	    "start, tick or report", argv[1]);
}
