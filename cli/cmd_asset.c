/*
 * cmd_asset.c: "ircase asset", which records the assets a case affects,
 * picked from the asset inventory by id or typed in (add), and lists
 * them (list).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "asset.h"
#include "cli.h"
#include "config.h"

static const char asset_options[] =
    "Subcommands:\n"
    "  add CASE ID      add the inventory asset whose id is ID\n"
    "  add CASE --name TEXT [--owner TEXT] [--classification TEXT]\n"
    "                   add an asset that is not in the inventory\n"
    "  list CASE [--json]\n"
    "                   list the assets a case affects\n"
    "\n"
    "Options:\n"
    "  --name TEXT      the asset's name, for one typed in\n"
    "  --owner TEXT     who owns it\n"
    "  --classification TEXT\n"
    "                   its information classification\n"
    "  --json           print a JSON array (keys under JSON OUTPUT in\n"
    "                   ircase(1))\n"
    "\n"
    "The inventory is the CSV file named under assets in config.yaml\n"
    "(see ircase.conf(5)).\n";

struct asset_args {
	struct irc_asset_new asset;
	bool json;
};

/* Parses the options; returns -1 to go on, else an exit status. */
static int
asset_options_parse(struct cli_ctx *ctx, int argc, char **argv,
    struct asset_args *a)
{
	const struct cli_opt opts[] = {
		{ "name", 0, CLI_OPT_TEXT, &a->asset.name, NULL },
		{ "owner", 0, CLI_OPT_TEXT, &a->asset.owner, NULL },
		{ "classification", 0, CLI_OPT_TEXT, &a->asset.classification, NULL },
		{ "json", 0, CLI_OPT_FLAG, &a->json, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	return cli_options(ctx, argc, argv, opts, asset_options);
}

/* Fills the asset from the inventory row whose id is id. */
static int
asset_from_inventory(const char *id, struct irc_asset_new *asset,
    struct irc_inventory **inv)
{
	const struct irc_asset_row *row;
	const struct irc_config *cfg;
	struct irc_error err;

	irc_error_clear(&err);
	if ((cfg = cli_config()) == NULL)
		return CLI_EXIT_FAIL;
	if (irc_inventory_load(&cfg->assets, cfg->path, inv, &err) != IRC_OK)
		return cli_fail(&err);
	row = irc_inventory_find(*inv, id);
	if (row == NULL)
		return cli_failf("no asset with id '%s' in %s; run 'ircase "
		    "assets' to see the ids, or type it in with --name", id,
		    (*inv)->path);
	asset->inventory_id = row->id;
	asset->name = row->name;
	asset->owner = row->owner;
	asset->classification = row->classification;
	return CLI_EXIT_OK;
}

static int
asset_add(struct irc_db *db, int64_t case_id, const char *id,
    struct asset_args *a)
{
	struct irc_inventory *inv = NULL;
	struct irc_actor actor;
	struct irc_error err;
	int64_t number;
	int status;

	if (id != NULL &&
	    (status = asset_from_inventory(id, &a->asset, &inv)) != CLI_EXIT_OK)
		goto out;
	irc_actor_current(&actor);
	irc_error_clear(&err);
	if (irc_asset_add(db, case_id, &a->asset, &actor, &number, &err) !=
	    IRC_OK) {
		status = cli_fail_value(&err);
		goto out;
	}
	printf("%" PRId64 "\n", number);
	status = CLI_EXIT_OK;
out:
	irc_inventory_free(inv);
	return status;
}

static void
asset_print(const struct irc_asset *list, size_t count)
{
	if (count == 0)
		return;
	printf("%5s  %-16s  %-20s  %-16s  %s\n", "ASSET", "ID", "NAME", "OWNER",
	    "CLASSIFICATION");
	for (size_t i = 0; i < count; i++) {
		const struct irc_asset *a = &list[i];

		printf("%5" PRId64 "  ", a->number);
		cli_print_padded(stdout, a->inventory_id ? a->inventory_id :
		    "(typed)", 16);
		fputs("  ", stdout);
		cli_print_padded(stdout, a->name, 20);
		fputs("  ", stdout);
		cli_print_padded(stdout, a->owner, 16);
		fputs("  ", stdout);
		cli_print_clean(stdout, a->classification, 0);
		fputc('\n', stdout);
	}
}

static int
asset_list(struct irc_db *db, int64_t case_id, bool as_json)
{
	struct irc_asset *list;
	struct irc_error err;
	size_t n;
	int status = CLI_EXIT_OK;

	irc_error_clear(&err);
	if (irc_asset_list(db, case_id, &list, &n, &err) != IRC_OK)
		return cli_fail(&err);
	if (as_json) {
		status = cli_json_emit(irc_assets_to_json(list, n), "the assets");
	} else {
		asset_print(list, n);
	}
	irc_assets_free(list, n);
	return status;
}

/* Checks the arguments of add: an ID or --name, not both. */
static bool
asset_add_args(struct cli_ctx *ctx, int npos, const struct asset_args *a)
{
	if (a->json) {
		cli_usage_error(ctx, "'asset add' does not take --json");
		return false;
	}
	if (npos == 3 && a->asset.name != NULL) {
		cli_usage_error(ctx, "give an inventory ID or --name, not both");
		return false;
	}
	if (npos == 3 && (a->asset.owner != NULL ||
	    a->asset.classification != NULL)) {
		cli_usage_error(ctx, "an inventory asset takes its owner and "
		    "classification from the inventory; leave out --owner and "
		    "--classification");
		return false;
	}
	if ((npos == 2 && a->asset.name == NULL) || npos < 2 || npos > 3) {
		cli_usage_error(ctx, "usage: ircase asset add CASE ID, or ircase "
		    "asset add CASE --name TEXT");
		return false;
	}
	return true;
}

int
cmd_asset(struct cli_ctx *ctx, int argc, char **argv)
{
	struct asset_args a = { 0 };
	struct irc_db *db = NULL;
	int64_t case_id;
	int npos, status;
	bool add;

	if ((status = asset_options_parse(ctx, argc, argv, &a)) >= 0)
		return status;
	npos = argc - optind;
	if (npos == 0)
		return cli_usage_error(ctx, "missing subcommand; use add or list");
	add = strcmp(argv[optind], "add") == 0;
	if (!add && strcmp(argv[optind], "list") != 0)
		return cli_usage_error(ctx, "unknown subcommand '%s'; use add "
		    "or list", argv[optind]);
	if (add && !asset_add_args(ctx, npos, &a))
		return CLI_EXIT_USAGE;
	if (!add && (npos != 2 || a.asset.name || a.asset.owner ||
	    a.asset.classification))
		return cli_usage_error(ctx, "usage: ircase asset list CASE "
		    "[--json]");
	if (!cli_parse_case(ctx, argv[optind + 1], &case_id))
		return CLI_EXIT_USAGE;

	if (!cli_db_open(ctx, add ? CLI_DB_WRITE : CLI_DB_READ, &db, NULL))
		return CLI_EXIT_FAIL;
	if (add)
		status = asset_add(db, case_id, npos == 3 ? argv[optind + 2] :
		    NULL, &a);
	else
		status = asset_list(db, case_id, a.json);
	irc_db_close(db);
	return status;
}
