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
#include "cli_drill.h"
#include "mem.h"
#include "model.h"
#include "playbook.h"

static const char new_options[] =
    "Options:\n"
    "  --playbook FILE  Markdown playbook to open the case from; a name\n"
    "                   without '/' that is not a file is looked up in the\n"
    "                   playbook search path (see IRCASE_PLAYBOOK_PATH)\n"
    "  --title TEXT     title of the case (UTF-8)\n"
    "  --severity LEVEL 1-4 or low, medium, high, critical (default: the\n"
    "                   playbook's severity, else medium)\n";

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
 * Fails with a message naming the folders that were searched for the bare
 * playbook name.
 */
static enum irc_status
playbook_not_found(const char *name, struct irc_error *err)
{
	char **dirs = irc_playbook_dirs();
	char *list = irc_xstrdup(""), *next;
	enum irc_status rc;

	for (char **d = dirs; *d != NULL; d++) {
		next = irc_xasprintf("%s%s%s", list, *list ? ", " : "", *d);
		free(list);
		list = next;
	}
	rc = irc_fail(err, IRC_ERR_NOT_FOUND, "playbook '%s' not found in the "
	    "current folder or the search path (%s); give its path or put it "
	    "in one of those folders", name, list);
	free(list);
	irc_playbook_paths_free(dirs);
	return rc;
}

/*
 * A path that exists, or that contains a '/', is loaded as given, so
 * errors name it.
 */
enum irc_status
cli_playbook_open(const char *arg, struct irc_playbook **out,
    struct irc_error *err)
{
	struct irc_pb_limits limits = { 0, 0, 0 };
	struct stat st;
	char *found = NULL;
	enum irc_status rc;

	if (!cli_playbook_limits(&limits, err))
		return err->status;
	if (stat(arg, &st) != 0 && strchr(arg, '/') == NULL) {
		found = playbook_search(arg);
		if (found == NULL)
			return playbook_not_found(arg, err);
	}
	rc = irc_playbook_load(found != NULL ? found : arg, &limits, out, err);
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
	int severity = 0;
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
	if (sev_arg != NULL && !irc_severity_parse(sev_arg, &severity))
		return cli_usage_error(ctx, "invalid --severity '%s'; use 1-4 "
		    "or low, medium, high, critical", sev_arg);

	irc_error_clear(&err);
	if (cli_playbook_open(pb_arg, &pb, &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if (severity == 0)
		severity = pb->severity != 0 ? pb->severity :
		    IRC_SEVERITY_DEFAULT;

	if (!cli_db_open(ctx, CLI_DB_CREATE, &db, NULL))
		goto out;
	irc_actor_current(&actor);
	if (irc_case_create(db, pb, title, severity, &actor, &case_id,
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
