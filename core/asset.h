/*
 * asset.h: the organisation's asset inventory and the assets affected by
 * a case.
 *
 * The inventory is a CSV file named in the configuration's assets section,
 * whose columns map the fields id, name, owner and classification to CSV
 * headers.  An XLSX workbook is converted to CSV with the xlsx2csv program
 * (Debian package xlsx2csv) when it is installed.  An affected asset is
 * either picked from the inventory by id or typed in, and adding it is an
 * "asset.add" action written in the same transaction as its row.
 */
#ifndef IRC_ASSET_H
#define IRC_ASSET_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "actor.h"
#include "config.h"
#include "db.h"
#include "status.h"

/* Largest inventory file read, in bytes (64 MiB). */
#define IRC_INVENTORY_MAX_SIZE (64u * 1024 * 1024)
/* Maximum bytes of an asset id, name, owner or classification. */
#define IRC_ASSET_TEXT_MAX 1024

struct irc_asset_row {
	char *id;		/* never empty; the name when no id column */
	char *name;
	char *owner;		/* "" when the inventory has no owner column */
	char *classification;	/* "" when it has no classification column */
	int line;		/* line of the record in the CSV text */
};

struct irc_inventory {
	char *path;		/* the file read */
	struct irc_asset_row *rows;
	size_t nrows;
};

/*
 * Reads the inventory that cfg names.  A relative cfg->file is taken from
 * the folder of config_path (may be NULL for the current folder).  Columns
 * not mapped in cfg->columns are found by their own name (id, name, owner,
 * classification), ignoring case; a name column is required.  An
 * inventory with no file set is IRC_ERR_NOT_FOUND with a message naming
 * the config section.  The caller frees *out with irc_inventory_free().
 */
enum irc_status irc_inventory_load(const struct irc_config_assets *cfg,
    const char *config_path, struct irc_inventory **out,
    struct irc_error *err);

/* Parses inventory CSV text held in memory; name is used in messages. */
enum irc_status irc_inventory_parse(const struct irc_config_assets *cfg,
    const char *name, const char *text, size_t len,
    struct irc_inventory **out, struct irc_error *err);

void irc_inventory_free(struct irc_inventory *inv);

/* Returns the row whose id is id, or NULL. */
const struct irc_asset_row *irc_inventory_find(const struct irc_inventory *inv,
    const char *id);

/* An affected asset as given to irc_asset_add(). */
struct irc_asset_new {
	const char *inventory_id;	/* NULL when typed in */
	const char *name;
	const char *owner;		/* NULL or "" when unknown */
	const char *classification;	/* NULL or "" when unknown */
};

/*
 * Records an affected asset on case case_id.  An inventory id, or for a
 * typed-in asset its name, that the case already lists is
 * IRC_ERR_INVALID.  *number (when not NULL) is its number in the case.
 */
enum irc_status irc_asset_add(struct irc_db *db, int64_t case_id,
    const struct irc_asset_new *asset, const struct irc_actor *actor,
    int64_t *number, struct irc_error *err);

struct irc_asset {
	int64_t number;
	int64_t case_id;
	char *inventory_id;	/* NULL when typed in */
	char *name;
	char *owner;
	char *classification;
	char *added_by;
	int64_t added_at;
};

/*
 * Lists the affected assets of a case, or of every case when case_id is
 * 0 (ordered by case, then number).  Free with irc_assets_free().
 */
enum irc_status irc_asset_list(struct irc_db *db, int64_t case_id,
    struct irc_asset **out, size_t *count, struct irc_error *err);
void irc_assets_free(struct irc_asset *list, size_t count);

/* Builds the JSON array documented in ircase(1); the caller owns it. */
json_t *irc_assets_to_json(const struct irc_asset *list, size_t count);

#endif
