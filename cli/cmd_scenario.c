/*
 * cmd_scenario.c: "ircase scenario lint FILE...", which checks drill
 * scenarios and prints each problem as FILE:LINE: error|warning: MESSAGE.
 *
 * When the scenario names a playbook that can be found (beside the
 * scenario, as given or on the playbook search path), its targets and
 * expected steps are checked against that playbook's steps too.
 */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_drill.h"
#include "mem.h"
#include "scenario.h"

static const char scenario_options[] =
    "Subcommands:\n"
    "  lint FILE...     check scenarios; prints FILE:LINE: error|warning:\n"
    "                   MESSAGE lines and exits 1 when any has an error\n"
    "\n"
    "Options:\n"
    "  --playbook FILE  check targets and expected steps against this\n"
    "                   playbook instead of the one the scenario names\n";

static void
lint_print(const char *path, int line, bool error, const char *message)
{
	cli_print_clean(stdout, path, 0);
	printf(":%d: %s: ", line, error ? "error" : "warning");
	cli_print_clean(stdout, message, 0);
	putchar('\n');
}

/* Loads the playbook to check against; adds a diagnostic when missing. */
static struct irc_playbook *
lint_playbook(const char *path, const char *given, struct irc_scenario *sc)
{
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	char *copy, *dir, *found;

	if (given != NULL) {
		if (cli_playbook_open(given, &pb, &err) != IRC_OK)
			lint_print(given, 1, true, err.msg);
		return pb;
	}
	if (sc->playbook == NULL) {
		lint_print(path, 1, false, "the front matter names no playbook; "
		    "'ircase drill start' then needs --playbook");
		return NULL;
	}
	copy = irc_xstrdup(path);
	dir = dirname(copy);
	found = irc_scenario_playbook_path(sc, dir);
	if (found == NULL) {
		char *tried = irc_scenario_playbook_tried(sc, dir);
		char *msg = irc_xasprintf("playbook '%s' not found: %s",
		    sc->playbook, tried);

		lint_print(path, sc->playbook_line, true, msg);
		free(msg);
		free(tried);
		free(copy);
		return NULL;
	}
	free(copy);
	if (cli_playbook_open(found, &pb, &err) != IRC_OK)
		lint_print(path, sc->playbook_line, true, err.msg);
	free(found);
	return pb;
}

/* Lints one file; returns true when it has no error. */
static bool
lint_one(const char *path, const char *playbook)
{
	struct irc_scenario *sc = NULL;
	struct irc_playbook *pb;
	struct irc_error err;
	bool ok;

	if (irc_scenario_load(path, &sc, &err) != IRC_OK) {
		lint_print(path, 1, true, err.msg);
		return false;
	}
	pb = lint_playbook(path, playbook, sc);
	ok = pb != NULL || (playbook == NULL && sc->playbook == NULL);
	if (pb != NULL)
		irc_scenario_check_playbook(sc, pb);
	for (size_t i = 0; i < sc->ndiags; i++)
		lint_print(path, sc->diags[i].line, sc->diags[i].error,
		    sc->diags[i].message);
	ok = ok && sc->nerrors == 0;
	irc_playbook_free(pb);
	irc_scenario_free(sc);
	return ok;
}

int
cmd_scenario(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "playbook", required_argument, NULL, 'p' },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *playbook = NULL;
	int c, status = CLI_EXIT_OK;

	if (argc >= 2 && strcmp(argv[1], "lint") != 0 &&
	    strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0)
		return cli_usage_error(ctx, "unknown scenario subcommand '%s'; "
		    "use lint", argv[1]);
	if (argc < 2)
		return cli_usage_error(ctx, "missing subcommand; use 'ircase "
		    "scenario lint FILE'");
	if (strcmp(argv[1], "lint") == 0) {
		argc--;
		argv++;
	}
	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			playbook = optarg;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, scenario_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (optind >= argc)
		return cli_usage_error(ctx, "lint needs at least one scenario "
		    "FILE");
	for (int i = optind; i < argc; i++)
		if (!lint_one(argv[i], playbook))
			status = CLI_EXIT_FAIL;
	return status;
}
