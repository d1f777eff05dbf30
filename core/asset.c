/*
 * asset.c: reading the asset inventory (CSV, or XLSX through xlsx2csv)
 * and recording the assets a case affects.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "action.h"
#include "asset.h"
#include "csv.h"
#include "mem.h"
#include "record.h"
#include "timeutil.h"

enum inv_field { INV_ID, INV_NAME, INV_OWNER, INV_CLASS, INV_FIELD_COUNT };

static const char *const inv_keys[INV_FIELD_COUNT] = {
	"id", "name", "owner", "classification"
};

/* Exit status of a shell-style child whose program was not found. */
#define EXIT_NOT_FOUND 127

/* Reads all of fd into a new buffer of at most IRC_INVENTORY_MAX_SIZE bytes. */
static enum irc_status
read_all(int fd, const char *path, char **out, size_t *len,
    struct irc_error *err)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;
	ssize_t got;

	for (;;) {
		if (n == cap) {
			if (cap >= IRC_INVENTORY_MAX_SIZE) {
				free(buf);
				return irc_fail(err, IRC_ERR_TOO_LARGE, "%s is over "
				    "%u bytes; split the inventory", path,
				    IRC_INVENTORY_MAX_SIZE);
			}
			cap = cap ? cap * 2 : 65536;
			buf = irc_xrealloc(buf, cap + 1, 1);
		}
		got = read(fd, buf + n, cap - n);
		if (got == 0)
			break;
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return irc_fail(err, IRC_ERR_IO, "cannot read %s: %s", path,
			    strerror(errno));
		}
		n += (size_t)got;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return IRC_OK;
}

/*
 * Runs "xlsx2csv PATH" and reads its output.  The program's own messages
 * go to /dev/null, since core/ never writes to the terminal.
 */
static enum irc_status
xlsx_convert(const char *path, char **out, size_t *len, struct irc_error *err)
{
	int fds[2], status = 0, devnull;
	enum irc_status st;
	pid_t pid;

	if (pipe(fds) != 0)
		return irc_fail(err, IRC_ERR_IO, "cannot convert %s: %s", path,
		    strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return irc_fail(err, IRC_ERR_IO, "cannot convert %s: %s", path,
		    strerror(errno));
	}
	if (pid == 0) {
		devnull = open("/dev/null", O_RDWR);
		dup2(fds[1], STDOUT_FILENO);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDERR_FILENO);
		}
		close(fds[0]);
		close(fds[1]);
		execlp("xlsx2csv", "xlsx2csv", path, (char *)NULL);
		_exit(EXIT_NOT_FOUND);
	}
	close(fds[1]);
	st = read_all(fds[0], path, out, len, err);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (st != IRC_OK)
		return st;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return IRC_OK;
	free(*out);
	*out = NULL;
	if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_NOT_FOUND)
		return irc_fail(err, IRC_ERR_NOT_FOUND, "%s is an XLSX workbook "
		    "and xlsx2csv is not installed; install the Debian package "
		    "xlsx2csv, or save the inventory as CSV", path);
	return irc_fail(err, IRC_ERR_IO, "xlsx2csv could not convert %s (exit "
	    "status %d); check that it opens in a spreadsheet, or save it as "
	    "CSV", path, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static bool
is_xlsx(const char *path, const char *head, size_t len)
{
	size_t n = strlen(path);

	return (n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0) ||
	    (len >= 4 && memcmp(head, "PK\x03\x04", 4) == 0);
}

/* Returns the column that cfg maps key to, or key itself. */
static const char *
column_for(const struct irc_config_assets *cfg, const char *key, bool *mapped)
{
	for (size_t i = 0; cfg != NULL && i < cfg->ncolumns; i++) {
		if (strcmp(cfg->columns[i].key, key) == 0) {
			*mapped = true;
			return cfg->columns[i].column;
		}
	}
	*mapped = false;
	return key;
}

/* Compares a header cell with a column name, ignoring case and blanks. */
static bool
header_is(const char *cell, const char *column)
{
	size_t len;

	cell += strspn(cell, " \t");
	len = strlen(cell);
	while (len > 0 && (cell[len - 1] == ' ' || cell[len - 1] == '\t'))
		len--;
	return strlen(column) == len && strncasecmp(cell, column, len) == 0;
}

/* Finds the header index of each field; -1 for a field with no column. */
static enum irc_status
inventory_columns(const struct irc_config_assets *cfg, const char *name,
    const struct irc_csv_record *header, long index[INV_FIELD_COUNT],
    struct irc_error *err)
{
	const char *column;
	bool mapped;

	for (int f = 0; f < INV_FIELD_COUNT; f++) {
		index[f] = -1;
		column = column_for(cfg, inv_keys[f], &mapped);
		for (size_t i = 0; i < header->nfields; i++)
			if (header_is(header->fields[i], column))
				index[f] = (long)i;
		if (index[f] < 0 && (mapped || f == INV_NAME))
			return irc_fail(err, IRC_ERR_INVALID, "%s:%d: no column "
			    "'%s' for the asset %s; name the header in the "
			    "config's assets.columns.%s", name, header->line,
			    column, inv_keys[f], inv_keys[f]);
	}
	return IRC_OK;
}

static char *
field_at(const struct irc_csv_record *rec, long index)
{
	if (index < 0 || (size_t)index >= rec->nfields)
		return irc_xstrdup("");
	return irc_xstrdup(rec->fields[index]);
}

/* Adds one record to inv; empty records are skipped. */
static enum irc_status
inventory_add(struct irc_inventory *inv, const char *name,
    const struct irc_csv_record *rec, const long index[INV_FIELD_COUNT],
    struct irc_error *err)
{
	struct irc_asset_row row;
	const struct irc_asset_row *seen;

	row.name = field_at(rec, index[INV_NAME]);
	row.id = index[INV_ID] >= 0 ? field_at(rec, index[INV_ID]) :
	    irc_xstrdup(row.name);
	row.owner = field_at(rec, index[INV_OWNER]);
	row.classification = field_at(rec, index[INV_CLASS]);
	row.line = rec->line;
	if (*row.id == '\0' && *row.name == '\0') {
		free(row.id);
		free(row.name);
		free(row.owner);
		free(row.classification);
		return IRC_OK;
	}
	inv->rows = irc_xrealloc(inv->rows, inv->nrows + 1, sizeof *inv->rows);
	inv->rows[inv->nrows++] = row;
	if (*row.id == '\0' || *row.name == '\0')
		return irc_fail(err, IRC_ERR_INVALID, "%s:%d: the asset has no "
		    "%s; fill it in the inventory", name, row.line,
		    *row.id == '\0' ? "id" : "name");
	seen = irc_inventory_find(inv, row.id);
	if (seen != &inv->rows[inv->nrows - 1])
		return irc_fail(err, IRC_ERR_INVALID, "%s:%d: asset id '%s' "
		    "is also on line %d; ids must be unique", name, row.line,
		    row.id, seen->line);
	return IRC_OK;
}

enum irc_status
irc_inventory_parse(const struct irc_config_assets *cfg, const char *name,
    const char *text, size_t len, struct irc_inventory **out,
    struct irc_error *err)
{
	struct irc_inventory *inv = irc_xcalloc(1, sizeof *inv);
	struct irc_csv_record header = { 0 }, rec = { 0 };
	long index[INV_FIELD_COUNT];
	struct irc_csv csv;
	enum irc_status st;

	*out = NULL;
	inv->path = irc_xstrdup(name);
	irc_csv_init(&csv, name, text, len);
	if ((st = irc_csv_next(&csv, &header, err)) != IRC_OK)
		goto out;
	if (header.nfields == 0) {
		st = irc_fail(err, IRC_ERR_INVALID, "%s is empty; the first line "
		    "must name the columns", name);
		goto out;
	}
	if ((st = inventory_columns(cfg, name, &header, index, err)) != IRC_OK)
		goto out;
	for (;;) {
		irc_csv_record_free(&rec);
		if ((st = irc_csv_next(&csv, &rec, err)) != IRC_OK ||
		    rec.nfields == 0)
			break;
		if ((st = inventory_add(inv, name, &rec, index, err)) != IRC_OK)
			break;
	}
out:
	irc_csv_record_free(&header);
	irc_csv_record_free(&rec);
	if (st != IRC_OK) {
		irc_inventory_free(inv);
		return st;
	}
	*out = inv;
	return IRC_OK;
}

/* Returns cfg->file, taken from the folder of config_path when relative. */
static char *
inventory_path(const char *file, const char *config_path)
{
	const char *slash = config_path ? strrchr(config_path, '/') : NULL;

	if (file[0] == '/' || slash == NULL)
		return irc_xstrdup(file);
	return irc_xasprintf("%.*s/%s", (int)(slash - config_path), config_path,
	    file);
}

enum irc_status
irc_inventory_load(const struct irc_config_assets *cfg,
    const char *config_path, struct irc_inventory **out,
    struct irc_error *err)
{
	char *path, *text = NULL, head[4] = { 0 };
	size_t len = 0;
	ssize_t got;
	enum irc_status st;
	int fd;

	*out = NULL;
	if (cfg == NULL || cfg->file == NULL)
		return irc_fail(err, IRC_ERR_NOT_FOUND, "no asset inventory is "
		    "configured; set assets.file in %s, or type the asset in "
		    "with --name", config_path ? config_path : "config.yaml");
	path = inventory_path(cfg->file, config_path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		st = irc_fail(err, errno == ENOENT ? IRC_ERR_NOT_FOUND :
		    IRC_ERR_IO, "cannot open the asset inventory %s: %s", path,
		    strerror(errno));
		free(path);
		return st;
	}
	got = pread(fd, head, sizeof head, 0);
	if (is_xlsx(path, head, got > 0 ? (size_t)got : 0))
		st = xlsx_convert(path, &text, &len, err);
	else
		st = read_all(fd, path, &text, &len, err);
	close(fd);
	if (st == IRC_OK)
		st = irc_inventory_parse(cfg, path, text, len, out, err);
	free(text);
	free(path);
	return st;
}

void
irc_inventory_free(struct irc_inventory *inv)
{
	if (inv == NULL)
		return;
	for (size_t i = 0; i < inv->nrows; i++) {
		free(inv->rows[i].id);
		free(inv->rows[i].name);
		free(inv->rows[i].owner);
		free(inv->rows[i].classification);
	}
	free(inv->rows);
	free(inv->path);
	free(inv);
}

const struct irc_asset_row *
irc_inventory_find(const struct irc_inventory *inv, const char *id)
{
	for (size_t i = 0; i < inv->nrows; i++)
		if (strcmp(inv->rows[i].id, id) == 0)
			return &inv->rows[i];
	return NULL;
}

/* Rejects an asset the case already lists, by inventory id or by name. */
static enum irc_status
asset_unique(struct irc_db *db, int64_t case_id,
    const struct irc_asset_new *a, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	int rc;

	if ((st = irc_record_prepare(db, a->inventory_id != NULL ?
	    "SELECT number FROM asset WHERE case_id = ? AND inventory_id = ?" :
	    "SELECT number FROM asset WHERE case_id = ? AND inventory_id IS NULL"
	    " AND name = ?", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, a->inventory_id != NULL ? a->inventory_id :
	    a->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		st = irc_fail(err, IRC_ERR_CONFLICT, "case %" PRId64 " already "
		    "lists '%s' as asset %lld", case_id, a->inventory_id ?
		    a->inventory_id : a->name,
		    (long long)sqlite3_column_int64(stmt, 0));
	else if (rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read the assets");
	sqlite3_finalize(stmt);
	return st;
}

static enum irc_status
asset_insert(struct irc_db *db, int64_t case_id, int64_t number,
    const struct irc_asset_new *a, const struct irc_actor *actor,
    struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;

	if ((st = irc_record_prepare(db, "INSERT INTO asset (case_id, number,"
	    " inventory_id, name, owner, classification, added_by, added_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int64(stmt, 2, number);
	if (a->inventory_id != NULL)
		sqlite3_bind_text(stmt, 3, a->inventory_id, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 3);
	sqlite3_bind_text(stmt, 4, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, a->owner ? a->owner : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, a->classification ? a->classification : "",
	    -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 8, irc_now_us());
	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot store the asset");
	sqlite3_finalize(stmt);
	return st;
}

enum irc_status
irc_asset_add(struct irc_db *db, int64_t case_id,
    const struct irc_asset_new *a, const struct irc_actor *actor,
    int64_t *number, struct irc_error *err)
{
	json_t *body = NULL;
	int64_t n = 0;
	enum irc_status st;

	if ((st = irc_record_check_text("asset name", a->name,
	    IRC_ASSET_TEXT_MAX, err)) != IRC_OK ||
	    (a->inventory_id != NULL && (st = irc_record_check_text("asset id",
	    a->inventory_id, IRC_ASSET_TEXT_MAX, err)) != IRC_OK) ||
	    (st = irc_record_check_optional("owner", a->owner,
	    IRC_ASSET_TEXT_MAX, err)) != IRC_OK ||
	    (st = irc_record_check_optional("classification",
	    a->classification, IRC_ASSET_TEXT_MAX, err)) != IRC_OK)
		return st;
	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if ((st = irc_record_case_exists(db, case_id, err)) != IRC_OK ||
	    (st = asset_unique(db, case_id, a, err)) != IRC_OK ||
	    (st = irc_record_next_number(db, "asset", case_id, &n, err)) !=
	    IRC_OK ||
	    (st = asset_insert(db, case_id, n, a, actor, err)) != IRC_OK)
		goto out;
	body = json_pack("{s:I, s:s?, s:s, s:s, s:s}", "asset", (json_int_t)n,
	    "inventory_id", a->inventory_id, "name", a->name, "owner",
	    a->owner ? a->owner : "", "classification",
	    a->classification ? a->classification : "");
	if ((st = irc_action_append(db, case_id, 0, actor, "asset.add", body,
	    NULL, err)) != IRC_OK)
		goto out;
	if ((st = irc_db_commit(db, err)) == IRC_OK && number != NULL)
		*number = n;
out:
	if (st != IRC_OK)
		irc_db_rollback(db);
	json_decref(body);
	return st;
}

static void
asset_fill(sqlite3_stmt *stmt, void *row)
{
	struct irc_asset *a = row;

	a->number = sqlite3_column_int64(stmt, 0);
	a->case_id = sqlite3_column_int64(stmt, 1);
	a->inventory_id = irc_record_column(stmt, 2, true);
	a->name = irc_record_column(stmt, 3, true);
	a->owner = irc_record_column(stmt, 4, true);
	a->classification = irc_record_column(stmt, 5, true);
	a->added_by = irc_record_column(stmt, 6, true);
	a->added_at = sqlite3_column_int64(stmt, 7);
}

static void
assets_free_rows(void *rows, size_t count)
{
	irc_assets_free(rows, count);
}

enum irc_status
irc_asset_list(struct irc_db *db, int64_t case_id, struct irc_asset **out,
    size_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	void *rows;

	*out = NULL;
	*count = 0;
	if ((case_id != 0 &&
	    (st = irc_record_case_exists(db, case_id, err)) != IRC_OK) ||
	    (st = irc_record_prepare(db, "SELECT number, case_id, inventory_id,"
	    " name, owner, classification, added_by, added_at FROM asset"
	    " WHERE ?1 = 0 OR case_id = ?1 ORDER BY case_id, number", &stmt,
	    err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	st = irc_record_rows(db, stmt, sizeof **out, asset_fill,
	    assets_free_rows, "assets", &rows, count, err);
	*out = rows;
	return st;
}

void
irc_assets_free(struct irc_asset *list, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(list[i].inventory_id);
		free(list[i].name);
		free(list[i].owner);
		free(list[i].classification);
		free(list[i].added_by);
	}
	free(list);
}

json_t *
irc_assets_to_json(const struct irc_asset *list, size_t count)
{
	json_t *arr = json_array();
	char when[40];

	for (size_t i = 0; i < count; i++) {
		const struct irc_asset *a = &list[i];
		json_t *o = json_object();

		json_object_set_new(o, "number", json_integer(a->number));
		json_object_set_new(o, "case", json_integer(a->case_id));
		json_object_set_new(o, "inventory_id", a->inventory_id ?
		    json_string(a->inventory_id) : json_null());
		json_object_set_new(o, "name", json_string(a->name));
		json_object_set_new(o, "owner", json_string(a->owner));
		json_object_set_new(o, "classification",
		    json_string(a->classification));
		json_object_set_new(o, "added_by", json_string(a->added_by));
		json_object_set_new(o, "added_at", json_string(irc_time_utc(
		    a->added_at, when, sizeof when)));
		json_array_append_new(arr, o);
	}
	return arr;
}
