/*
 * pane_assets.c: the assets a case affects, and the form that adds one
 * from the inventory by id or typed in.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "asset.h"
#include "config.h"
#include "records.h"

static enum irc_status assets_load(struct tui *t, int64_t case_id,
    struct rec_lines *out, struct irc_error *err)
{
	struct irc_asset *list;
	size_t n;
	enum irc_status st;

	if ((st = irc_asset_list(t->db, case_id, &list, &n, err)) != IRC_OK)
		return st;
	for (size_t i = 0; i < n; i++) {
		const struct irc_asset *a = &list[i];

		rec_add(out, TUI_ROLE_NORMAL, a->number, "%3" PRId64 " %-14s %s"
		    "  owner %s  %s", a->number, a->inventory_id ?
		    a->inventory_id : "(typed)", a->name,
		    *a->owner ? a->owner : "-", a->classification);
	}
	irc_assets_free(list, n);
	return IRC_OK;
}

/* Loads the configured inventory; free *inv with irc_inventory_free(). */
static enum irc_status assets_inventory(struct irc_inventory **inv,
    struct irc_error *err)
{
	struct irc_config *cfg = NULL;
	enum irc_status st;

	if ((st = irc_config_load(NULL, &cfg, err)) != IRC_OK)
		return st;
	st = irc_inventory_load(&cfg->assets, cfg->path, inv, err);
	irc_config_free(cfg);
	return st;
}

/* Finds the row of id in inv, or fails naming the inventory file. */
static const struct irc_asset_row *assets_find(const struct irc_inventory *inv,
    const char *id, struct irc_error *err)
{
	const struct irc_asset_row *row = irc_inventory_find(inv, id);

	if (row == NULL)
		irc_fail(err, IRC_ERR_NOT_FOUND, "no asset with id '%s' in %s; "
		    "correct the id, or leave it empty to type the asset in",
		    id, inv->path);
	return row;
}

/* Checks that the inventory has an asset with id value. */
static enum irc_status assets_check_id(const char *value,
    struct irc_error *err)
{
	struct irc_inventory *inv = NULL;
	enum irc_status st;

	if ((st = assets_inventory(&inv, err)) != IRC_OK)
		return st;
	if (assets_find(inv, value, err) == NULL)
		st = err->status;
	irc_inventory_free(inv);
	return st;
}

/* Returns true when needle occurs in hay, ignoring ASCII case. */
static bool assets_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return n == 0;
}

/*
 * Lists the inventory rows whose id or name contains what is typed, as
 * many as buf holds, so the responder picks an id instead of typing it
 * blind.  Nothing without an inventory.
 */
static void assets_suggest(const struct rec_form *form, int field,
    const char *typed, char *buf, size_t size)
{
	struct irc_inventory *inv = NULL;
	struct irc_error err;
	size_t used = 0, matches = 0, shown = 0;

	buf[0] = '\0';
	/* Only the inventory id of the add form has candidates. */
	if (form->action != TUI_ACT_REC_ADD || field != 0 ||
	    assets_inventory(&inv, &err) != IRC_OK)
		return;
	if (inv->nrows > 0)
		used = (size_t)snprintf(buf, size, "Inventory: ");
	for (size_t i = 0; i < inv->nrows; i++) {
		const struct irc_asset_row *r = &inv->rows[i];
		char item[256];
		int n;

		if (!assets_contains(r->id, typed) &&
		    !assets_contains(r->name, typed))
			continue;
		matches++;
		n = snprintf(item, sizeof(item), "%s%s %s", shown > 0 ? ", " :
		    "", r->id, r->name);
		/* Keep room for the count of rows left out. */
		if (n < 0 || used + (size_t)n + 40 >= size)
			continue;
		memcpy(buf + used, item, (size_t)n + 1);
		used += (size_t)n;
		shown++;
	}
	if (inv->nrows > 0 && matches == 0)
		snprintf(buf, size, "No inventory asset matches '%s'.", typed);
	else if (shown < matches)
		snprintf(buf + used, size - used, ", and %zu more; type to narrow",
		    matches - shown);
	irc_inventory_free(inv);
}

/* Adds the inventory asset whose id is id. */
static enum irc_status assets_add_inventory(struct tui *t, int64_t case_id,
    const char *id, int64_t *number, struct irc_error *err)
{
	struct irc_inventory *inv = NULL;
	const struct irc_asset_row *row;
	struct irc_asset_new a;
	enum irc_status st;

	if ((st = assets_inventory(&inv, err)) != IRC_OK)
		return st;
	if ((row = assets_find(inv, id, err)) == NULL) {
		st = err->status;
	} else {
		a.inventory_id = row->id;
		a.name = row->name;
		a.owner = row->owner;
		a.classification = row->classification;
		st = irc_asset_add(t->db, case_id, &a, &t->actor, number, err);
	}
	irc_inventory_free(inv);
	return st;
}

static enum irc_status assets_submit(struct tui *t, int64_t case_id,
    int64_t id, char **values, char *done, size_t done_size,
    struct irc_error *err)
{
	struct irc_asset_new a = { NULL, values[1], values[2], values[3] };
	int64_t number = 0;
	enum irc_status st;

	if (*values[0] != '\0')
		st = assets_add_inventory(t, case_id, values[0], &number, err);
	else
		st = irc_asset_add(t->db, case_id, &a, &t->actor, &number, err);
	if (st == IRC_OK)
		snprintf(done, done_size, "Asset %" PRId64 " recorded.", number);
	return st;
}

static const struct rec_form assets_forms[] = {
	{ TUI_ACT_REC_ADD, {
	    { "Inventory id (empty to type the asset in): ", "id", true, NULL,
		assets_check_id, true },
	    { "Name: ", "asset name", false, NULL, NULL, false },
	    { "Owner (optional): ", "owner", true, NULL, NULL, false },
	    { "Classification (optional): ", "classification", true, NULL,
		NULL, false },
	}, false, NULL, assets_submit },
};

const struct rec_kind pane_assets = {
	.title = "Affected assets",
	.hint = "a add an asset  ? keys  q back",
	.load = assets_load,
	.forms = assets_forms,
	.nforms = 1,
	.suggest = assets_suggest,
};
