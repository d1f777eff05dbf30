/*
 * cmd_observable.c: "ircase observable", which records observables on a
 * case (add) and lists them (list).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "cli.h"
#include "mem.h"
#include "observable.h"
#include "timeutil.h"

static const char observable_options[] =
    "Subcommands:\n"
    "  add CASE TYPE VALUE [--tlp LEVEL] [--ioc] [--tag TAG]...\n"
    "                   check VALUE for TYPE and record it\n"
    "  list CASE [--json]\n"
    "                   list the observables of a case\n"
    "\n"
    "Types: ip, domain, url, hash, mail, filename, user-agent, other.\n"
    "\n"
    "Options:\n"
    "  --tlp LEVEL      clear, green, amber (default), amber+strict or red\n"
    "  --ioc            mark it an indicator of compromise\n"
    "  --tag TAG        add a tag; repeat for more\n"
    "  --json           print a JSON array (keys under JSON OUTPUT in\n"
    "                   ircase(1))\n";

struct observable_args {
	const char *tlp;
	bool ioc, json;
	const char **tags;
	size_t ntags;
};

/* Parses the options; returns -1 to go on, else an exit status. */
static int
observable_options_parse(struct cli_ctx *ctx, int argc, char **argv,
    struct observable_args *a)
{
	const struct cli_opt opts[] = {
		{ "tlp", 0, CLI_OPT_TEXT, &a->tlp, NULL },
		{ "ioc", 0, CLI_OPT_FLAG, &a->ioc, NULL },
		{ "tag", 0, CLI_OPT_LIST, a->tags, &a->ntags },
		{ "json", 0, CLI_OPT_FLAG, &a->json, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	return cli_options(ctx, argc, argv, opts, observable_options);
}

static int
observable_add(struct cli_ctx *ctx, struct irc_db *db, int64_t case_id,
    char **pos, const struct observable_args *a)
{
	struct irc_observable_new obs = { 0 };
	struct irc_actor actor;
	struct irc_error err;
	int64_t number;

	obs.value = pos[1];
	obs.tlp = a->tlp;
	obs.ioc = a->ioc;
	obs.tags = a->tags;
	obs.ntags = a->ntags;
	if (!irc_obs_type_parse(pos[0], &obs.type))
		return cli_usage_error(ctx, "invalid type '%s'; use ip, domain, "
		    "url, hash, mail, filename, user-agent or other", pos[0]);
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_observable_add(db, case_id, &obs, &actor, &number, &err) !=
	    IRC_OK)
		return cli_fail_value(&err);
	printf("%" PRId64 "\n", number);
	return CLI_EXIT_OK;
}

static void
observable_print(const struct irc_observable *list, size_t count)
{
	if (count == 0)
		return;
	printf("%4s  %-10s  %-12s  %-3s  %s\n", "OBS", "TYPE", "TLP", "IOC",
	    "VALUE  [TAGS]");
	for (size_t i = 0; i < count; i++) {
		const struct irc_observable *o = &list[i];

		printf("%4" PRId64 "  %-10s  %-12s  %-3s  ", o->number,
		    irc_obs_type_key(o->type), o->tlp, o->ioc ? "yes" : "no");
		cli_print_clean(stdout, o->value, 0);
		for (size_t j = 0; j < o->ntags; j++) {
			fputs(j == 0 ? "  [" : ", ", stdout);
			cli_print_clean(stdout, o->tags[j], 0);
		}
		fputs(o->ntags > 0 ? "]\n" : "\n", stdout);
	}
}

static int
observable_list(struct irc_db *db, int64_t case_id, bool as_json)
{
	struct irc_observable *list;
	struct irc_error err;
	size_t n;
	int status = CLI_EXIT_OK;

	irc_error_clear(&err);
	if (irc_observable_list(db, case_id, &list, &n, &err) != IRC_OK)
		return cli_fail(&err);
	if (as_json) {
		status = cli_json_emit(irc_observables_to_json(list, n),
		    "the observables");
	} else {
		observable_print(list, n);
	}
	irc_observables_free(list, n);
	return status;
}

int
cmd_observable(struct cli_ctx *ctx, int argc, char **argv)
{
	struct observable_args a = { 0 };
	struct irc_db *db = NULL;
	int64_t case_id;
	int npos, status;
	bool add;

	/* Every argument could be a --tag: argc bounds their number. */
	a.tags = irc_xcalloc((size_t)argc + 1, sizeof *a.tags);
	if ((status = observable_options_parse(ctx, argc, argv, &a)) >= 0)
		goto out;
	npos = argc - optind;
	status = CLI_EXIT_USAGE;
	if (npos == 0) {
		cli_usage_error(ctx, "missing subcommand; use add or list");
		goto out;
	}
	add = strcmp(argv[optind], "add") == 0;
	if (!add && strcmp(argv[optind], "list") != 0) {
		cli_usage_error(ctx, "unknown subcommand '%s'; use add or list",
		    argv[optind]);
		goto out;
	}
	if (npos != (add ? 4 : 2)) {
		cli_usage_error(ctx, "%s arguments; usage: ircase observable %s",
		    npos < (add ? 4 : 2) ? "missing" : "too many", add ?
		    "add CASE TYPE VALUE" : "list CASE [--json]");
		goto out;
	}
	if (add ? a.json : (a.tlp != NULL || a.ioc || a.ntags > 0)) {
		cli_usage_error(ctx, "'observable %s' does not take %s; see "
		    "'ircase observable --help'", argv[optind], add ? "--json" :
		    "--tlp, --ioc or --tag");
		goto out;
	}
	if (!cli_parse_case(ctx, argv[optind + 1], &case_id))
		goto out;

	status = CLI_EXIT_FAIL;
	if (!cli_db_open(ctx, add ? CLI_DB_WRITE : CLI_DB_READ, &db, NULL))
		goto out;
	if (add)
		status = observable_add(ctx, db, case_id, argv + optind + 2, &a);
	else
		status = observable_list(db, case_id, a.json);
	irc_db_close(db);
out:
	free(a.tags);
	return status;
}
