/*
 * cmd_assets.c: "ircase assets", the asset inventory with the cases that
 * affect each asset, then the typed-in assets that are not in it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "asset.h"
#include "cli.h"
#include "config.h"
#include "mem.h"

static const char assets_options[] =
    "Options:\n"
    "  --json           print a JSON array (keys under JSON OUTPUT in\n"
    "                   ircase(1))\n";

/* Returns the JSON array of case numbers that list inventory id (or, for
 * a typed-in asset, name). */
static json_t *
assets_cases(const struct irc_asset *used, size_t nused, const char *id,
    const char *name)
{
	json_t *cases = json_array();

	for (size_t i = 0; i < nused; i++) {
		const struct irc_asset *a = &used[i];

		if (id != NULL ? (a->inventory_id == NULL ||
		    strcmp(a->inventory_id, id) != 0) :
		    (a->inventory_id != NULL || strcmp(a->name, name) != 0))
			continue;
		if (json_array_size(cases) > 0 && json_integer_value(
		    json_array_get(cases, json_array_size(cases) - 1)) ==
		    a->case_id)
			continue;	/* listed by case, so repeats are adjacent */
		json_array_append_new(cases, json_integer(a->case_id));
	}
	return cases;
}

static json_t *
assets_entry(const char *id, const char *name, const char *owner,
    const char *classification, json_t *cases)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", id ? json_string(id) : json_null());
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "owner", json_string(owner));
	json_object_set_new(o, "classification", json_string(classification));
	json_object_set_new(o, "in_inventory", json_boolean(id != NULL));
	json_object_set_new(o, "cases", cases);
	return o;
}

/* Builds the register: inventory rows, then typed-in assets once each. */
static json_t *
assets_register(const struct irc_inventory *inv, const struct irc_asset *used,
    size_t nused)
{
	json_t *arr = json_array();

	for (size_t i = 0; inv != NULL && i < inv->nrows; i++) {
		const struct irc_asset_row *r = &inv->rows[i];

		json_array_append_new(arr, assets_entry(r->id, r->name, r->owner,
		    r->classification, assets_cases(used, nused, r->id, NULL)));
	}
	for (size_t i = 0; i < nused; i++) {
		const struct irc_asset *a = &used[i];
		size_t j;

		if (a->inventory_id != NULL)
			continue;
		for (j = 0; j < i; j++)
			if (used[j].inventory_id == NULL &&
			    strcmp(used[j].name, a->name) == 0)
				break;
		if (j < i)
			continue;
		json_array_append_new(arr, assets_entry(NULL, a->name, a->owner,
		    a->classification, assets_cases(used, nused, NULL, a->name)));
	}
	return arr;
}

static void
assets_print(json_t *reg)
{
	size_t i, k;
	json_t *e, *c;

	if (json_array_size(reg) == 0)
		return;
	printf("%-16s  %-20s  %-16s  %-14s  %s\n", "ID", "NAME", "OWNER",
	    "CLASSIFICATION", "CASES");
	json_array_foreach(reg, i, e) {
		const char *id = json_string_value(json_object_get(e, "id"));

		cli_print_padded(stdout, id ? id : "(typed)", 16);
		fputs("  ", stdout);
		cli_print_padded(stdout, json_string_value(json_object_get(e,
		    "name")), 20);
		fputs("  ", stdout);
		cli_print_padded(stdout, json_string_value(json_object_get(e,
		    "owner")), 16);
		fputs("  ", stdout);
		cli_print_padded(stdout, json_string_value(json_object_get(e,
		    "classification")), 14);
		printf("  %zu", json_array_size(json_object_get(e, "cases")));
		json_array_foreach(json_object_get(e, "cases"), k, c)
			printf("%s#%" JSON_INTEGER_FORMAT, k ? ", " : " (",
			    json_integer_value(c));
		fputs(k > 0 ? ")\n" : "\n", stdout);
	}
}

int
cmd_assets(struct cli_ctx *ctx, int argc, char **argv)
{
	struct irc_inventory *inv = NULL;
	const struct irc_config *cfg;
	struct irc_asset *used = NULL;
	struct irc_db *db = NULL;
	struct irc_error err;
	json_t *reg = NULL;
	size_t nused = 0;
	bool as_json = false, missing;
	int c, status = CLI_EXIT_FAIL;
	const struct cli_opt opts[] = {
		{ "json", 0, CLI_OPT_FLAG, &as_json, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	if ((c = cli_options(ctx, argc, argv, opts, assets_options)) != -1)
		return c;
	if (optind < argc)
		return cli_usage_error(ctx, "unexpected argument '%s'; "
		    "'ircase assets' takes only --json", argv[optind]);

	irc_error_clear(&err);
	if ((cfg = cli_config()) == NULL)
		goto out;
	if (irc_inventory_load(&cfg->assets, cfg->path, &inv, &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if (!cli_db_open(ctx, CLI_DB_READ, &db, &missing) && !missing)
		goto out;
	if (db != NULL && irc_asset_list(db, 0, &used, &nused, &err) != IRC_OK) {
		status = cli_fail(&err);
		goto out;
	}
	reg = assets_register(inv, used, nused);
	if (!as_json)
		assets_print(reg);
	else if (!cli_json_print(reg, stdout)) {
		status = cli_failf("cannot write the assets: %s", strerror(errno));
		goto out;
	}
	status = CLI_EXIT_OK;
out:
	json_decref(reg);
	irc_assets_free(used, nused);
	irc_inventory_free(inv);
	irc_db_close(db);
	return status;
}
