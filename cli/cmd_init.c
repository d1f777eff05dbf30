/*
 * cmd_init.c: "ircase init", which creates the database, alone or in a
 * folder that a group of responders shares (see core/shared.h).
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>

#include "cli.h"
#include "shared.h"

static const char init_options[] =
    "Options:\n"
    "  --shared DIR     create the database in DIR for a group of\n"
    "                   responders: DIR gets mode 2770 and the group, the\n"
    "                   database mode 0660; DIR must be on a local disk\n"
    "  --group NAME     the group that shares it (default: DIR's group, or\n"
    "                   your own group for a new DIR)\n"
    "\n"
    "Without --shared, creates the database at the usual path (see --db).\n";

/* Prints where the shared database is and what responders need. */
static void
init_print_shared(const struct irc_shared_info *info)
{
	char real[PATH_MAX];
	const char *path = realpath(info->db_path, real) ? real :
	    info->db_path;

	printf("Shared database ready: ");
	cli_print_clean(stdout, path, 0);
	printf("\nGroup %s can read and write it; other users cannot read "
	    "it.\n\n", info->group);
	printf("For each responder:\n"
	    "  - add them to the group: usermod -a -G %s LOGIN (takes effect "
	    "at their next login)\n"
	    "  - put this line in their environment (~/.profile):\n"
	    "      export IRCASE_DB='", info->group);
	cli_print_clean(stdout, path, 0);
	printf("'\n\n"
	    "To record each responder's SSH key fingerprint on their actions, "
	    "set 'ExposeAuthInfo yes' in sshd_config.\n");
}

int
cmd_init(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "shared", required_argument, NULL, 's' },
		{ "group", required_argument, NULL, 'g' },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_shared_info info;
	struct irc_error err;
	struct irc_db *db = NULL;
	const char *dir = NULL, *group = NULL;
	int c;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":s:g:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			dir = optarg;
			break;
		case 'g':
			group = optarg;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, init_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'; usage: "
		    "ircase init [--shared DIR [--group NAME]]", argv[optind]);
	if (group != NULL && dir == NULL)
		return cli_usage_error(ctx, "--group needs --shared DIR; usage: "
		    "ircase init --shared DIR --group NAME");
	if (dir != NULL && ctx->db_path != NULL)
		return cli_usage_error(ctx, "--db and --shared both name the "
		    "database; pass only one");
	if (dir != NULL && *dir == '\0')
		return cli_usage_error(ctx, "--shared needs a folder name");

	if (dir == NULL) {
		if (!cli_db_open(ctx, CLI_DB_CREATE, &db, NULL))
			return CLI_EXIT_FAIL;
		printf("Database ready: ");
		cli_print_clean(stdout, irc_db_path(db), 0);
		putchar('\n');
		irc_db_close(db);
		return CLI_EXIT_OK;
	}
	irc_error_clear(&err);
	if (irc_shared_prepare(dir, group, &info, &err) != IRC_OK)
		return cli_fail(&err);
	init_print_shared(&info);
	free(info.db_path);
	return CLI_EXIT_OK;
}
