/*
 * cmd_new.c: "ircase new", which opens a case from a playbook and prints
 * its number.
 *
 * The playbook is loaded before the database is opened, so a playbook
 * that cannot be read or parsed leaves the database as it was, or not
 * created at all.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "actor.h"
#include "case.h"
#include "cli.h"
#include "model.h"
#include "playbook.h"

static const char new_options[] =
    "Options:\n"
    "  --playbook FILE  Markdown playbook to open the case from; a name\n"
    "                   without '/' that is not a file is looked up in the\n"
    "                   playbook search path (see IRCASE_PLAYBOOK_PATH)\n"
    "  --title TEXT     title of the case (UTF-8)\n"
    "  --severity N     1 low, 2 medium, 3 high, 4 critical (default: the\n"
    "                   playbook's severity, else 2)\n";

/*
 * Returns the search-path playbook whose file name is name or name.md,
 * or NULL (caller frees the result).
 */
static char *
playbook_search(const char *name)
{
	struct irc_error err;
	char **paths = NULL;
	char *found = NULL;
	size_t count = 0, i, len = strlen(name);

	if (irc_playbook_find(&paths, &count, &err) != IRC_OK)
		return NULL;
	for (i = 0; i < count && found == NULL; i++) {
		const char *slash = strrchr(paths[i], '/');
		const char *base = slash != NULL ? slash + 1 : paths[i];

		if (strcmp(base, name) == 0 || (strncmp(base, name, len) == 0 &&
		    strcmp(base + len, ".md") == 0))
			found = strdup(paths[i]);
	}
	irc_playbook_paths_free(paths);
	return found;
}

/*
 * Loads the playbook named on the command line.  A path that exists, or
 * that contains a '/', is loaded as given, so errors name it.  A bare name
 * that is not a file is looked up in the search path.
 */
static enum irc_status
playbook_open(const char *arg, struct irc_playbook **out,
    struct irc_error *err)
{
	struct stat st;
	char *found = NULL;
	enum irc_status rc;

	if (stat(arg, &st) != 0 && strchr(arg, '/') == NULL)
		found = playbook_search(arg);
	rc = irc_playbook_load(found != NULL ? found : arg, NULL, out, err);
	free(found);
	return rc;
}

int
cmd_new(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "playbook", required_argument, NULL, 'p' },
		{ "title", required_argument, NULL, 't' },
		{ "severity", required_argument, NULL, 's' },
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct irc_playbook *pb = NULL;
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	const char *pb_arg = NULL, *title = NULL, *sev_arg = NULL;
	int64_t case_id;
	long severity = 0;
	int c, status = CLI_EXIT_FAIL;

	cli_getopt_reset();
	while ((c = getopt_long(argc, argv, ":p:t:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			pb_arg = optarg;
			break;
		case 't':
			title = optarg;
			break;
		case 's':
			sev_arg = optarg;
			break;
		case CLI_OPT_DB:
			ctx->db_path = optarg;
			break;
		case 'h':
			cli_help(ctx, stdout, new_options);
			return CLI_EXIT_OK;
		default:
			return cli_bad_option(ctx, c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'; give the "
		    "title with --title TEXT", argv[optind]);
	if (pb_arg == NULL)
		return cli_usage_error(ctx, "missing --playbook FILE; name the "
		    "Markdown playbook to open the case from");
	if (title == NULL)
		return cli_usage_error(ctx, "missing --title TEXT; give the case "
		    "a title");
	if (!cli_check_text(ctx, "--title", title))
		return CLI_EXIT_USAGE;
	if (sev_arg != NULL && !cli_parse_int(ctx, "--severity", sev_arg,
	    IRC_SEVERITY_MIN, IRC_SEVERITY_MAX, &severity))
		return CLI_EXIT_USAGE;

	irc_error_clear(&err);
	if (playbook_open(pb_arg, &pb, &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if (severity == 0)
		severity = pb->severity != 0 ? pb->severity :
		    IRC_SEVERITY_DEFAULT;

	if (!cli_db_open(ctx, CLI_DB_CREATE, &db, NULL))
		goto out;
	irc_actor_current(&actor);
	if (irc_case_create(db, pb, title, (int)severity, &actor, &case_id,
	    &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	printf("%" PRId64 "\n", case_id);
	status = CLI_EXIT_OK;
out:
	if (db != NULL)
		irc_db_close(db);
	if (pb != NULL)
		irc_playbook_free(pb);
	return status;
}
