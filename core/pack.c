/*
 * pack.c: building and checking audit packs (pack.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "crosscheck.h"
#include "export.h"
#include "mem.h"
#include "pack.h"
#include "sign.h"
#include "timeutil.h"

/* Paths inside a pack are at most this long. */
#define PACK_PATH_MAX 4096

struct pack_list {
	char **items;
	size_t count, cap;
};

static void
list_add(struct pack_list *l, char *item)
{
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->items = irc_xrealloc(l->items, l->cap, sizeof *l->items);
	}
	l->items[l->count++] = item;
}

static void
list_free(struct pack_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	memset(l, 0, sizeof *l);
}

static int
list_compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the paths of every regular file under dir/rel, relative to dir. */
static enum irc_status
pack_walk_files(const char *dir, const char *rel, struct pack_list *out,
    struct irc_error *err)
{
	char *path = rel[0] != '\0' ? irc_xasprintf("%s/%s", dir, rel) :
	    irc_xstrdup(dir);
	DIR *d = opendir(path);
	struct dirent *e;
	struct stat sb;
	enum irc_status st = IRC_OK;

	if (d == NULL) {
		st = irc_fail(err, IRC_ERR_IO, "cannot read folder %s: %s", path,
		    strerror(errno));
		free(path);
		return st;
	}
	while (st == IRC_OK && (e = readdir(d)) != NULL) {
		char *child, *full;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		child = rel[0] != '\0' ? irc_xasprintf("%s/%s", rel, e->d_name) :
		    irc_xstrdup(e->d_name);
		full = irc_xasprintf("%s/%s", dir, child);
		if (lstat(full, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			st = pack_walk_files(dir, child, out, err);
			free(child);
		} else
			list_add(out, child);
		free(full);
	}
	closedir(d);
	free(path);
	return st;
}

/* Computes the SHA-256 of a file in hex.  Returns false when unreadable. */
static bool
pack_file_sha256(const char *path, char hex[IRC_HASH_HEX])
{
	FILE *f = fopen(path, "rb");
	EVP_MD_CTX *ctx;
	unsigned char md[EVP_MAX_MD_SIZE], buf[65536];
	unsigned int len = 0;
	size_t n;

	if (f == NULL)
		return false;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		abort();
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		EVP_DigestUpdate(ctx, buf, n);
	EVP_DigestFinal_ex(ctx, md, &len);
	EVP_MD_CTX_free(ctx);
	fclose(f);
	for (unsigned int i = 0; i < len && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
	return true;
}

/*
 * A pack while it is built: files go into tmp, a new folder beside dir,
 * which is renamed to dir only once the pack is complete.  Messages name
 * the files as dir/REL, where the user will look for them.
 */
struct pack_out {
	const char *dir;
	char *tmp;
};

static enum irc_status
pack_mkdir(const struct pack_out *po, const char *rel, struct irc_error *err)
{
	char *path = irc_xasprintf("%s/%s", po->tmp, rel);
	enum irc_status st = IRC_OK;

	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		st = irc_fail(err, IRC_ERR_IO, "cannot create folder %s/%s: %s",
		    po->dir, rel, strerror(errno));
	free(path);
	return st;
}

/* Creates po->tmp/rel with mode 0600. */
static enum irc_status
pack_file_open(const struct pack_out *po, const char *rel, FILE **fp,
    struct irc_error *err)
{
	char *path = irc_xasprintf("%s/%s", po->tmp, rel), *name;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	free(path);
	*fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (*fp != NULL)
		return IRC_OK;
	name = irc_xasprintf("%s/%s", po->dir, rel);
	irc_write_fail(err, name, errno);
	free(name);
	if (fd >= 0)
		close(fd);
	return IRC_ERR_IO;
}

/*
 * Flushes, syncs and closes a file of the pack.  When st is not IRC_OK
 * the file is only closed and st is returned.
 */
static enum irc_status
pack_file_close(const struct pack_out *po, const char *rel, FILE *fp,
    enum irc_status st, struct irc_error *err)
{
	bool written;
	int saved;
	char *name;

	if (st != IRC_OK) {
		fclose(fp);
		return st;
	}
	written = fflush(fp) == 0 && !ferror(fp) && fsync(fileno(fp)) == 0;
	saved = errno;
	if (fclose(fp) != 0 && written) {
		written = false;
		saved = errno;
	}
	if (written)
		return IRC_OK;
	name = irc_xasprintf("%s/%s", po->dir, rel);
	st = irc_write_fail(err, name, saved);
	free(name);
	return st;
}

/* Writes text to rel in the pack. */
static enum irc_status
pack_write_text(const struct pack_out *po, const char *rel, const char *text,
    size_t len, struct irc_error *err)
{
	enum irc_status st;
	char *name;
	FILE *fp;

	if ((st = pack_file_open(po, rel, &fp, err)) != IRC_OK)
		return st;
	if (fwrite(text, 1, len, fp) != len) {
		name = irc_xasprintf("%s/%s", po->dir, rel);
		st = irc_write_fail(err, name, errno);
		free(name);
	}
	return pack_file_close(po, rel, fp, st, err);
}

/* Writes the export of one case to rel in the pack. */
static enum irc_status
pack_write_export(struct irc_db *db, int64_t case_id,
    enum irc_export_format format, const struct pack_out *po,
    const char *rel, bool *verified, struct irc_error *err)
{
	struct irc_export_result result;
	char *name = irc_xasprintf("%s/%s", po->dir, rel);
	enum irc_status st;
	FILE *fp;

	if ((st = pack_file_open(po, rel, &fp, err)) != IRC_OK)
		goto out;
	st = irc_export_case(db, case_id, format, 0, fp, name, &result, err);
	if (st == IRC_OK)
		*verified = result.verify.ok;
	st = pack_file_close(po, rel, fp, st, err);
out:
	free(name);
	return st;
}

/* Writes the evidence manifest of one case as CSV. */
static enum irc_status
pack_write_evidence(struct irc_db *db, int64_t case_id,
    const struct pack_out *po, const char *rel, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	char when[40];
	enum irc_status st;
	FILE *fp;
	int rc;

	if ((st = pack_file_open(po, rel, &fp, err)) != IRC_OK)
		return st;
	fputs("number,name,bytes,sha256,kept_at,held_by,added_by,added_at\r\n",
	    fp);
	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT number, name, size,"
	    " sha256, location, holder, added_by, added_at FROM evidence"
	    " WHERE case_id = ? ORDER BY number", -1, &stmt, NULL) != SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot read the evidence");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fprintf(fp, "%" PRId64 ",", (int64_t)sqlite3_column_int64(stmt, 0));
		irc_csv_cell(fp, (const char *)sqlite3_column_text(stmt, 1), true,
		    NULL);
		fprintf(fp, ",%" PRId64 ",", (int64_t)sqlite3_column_int64(stmt,
		    2));
		for (int col = 3; col <= 6; col++) {
			irc_csv_cell(fp, (const char *)sqlite3_column_text(stmt,
			    col), true, NULL);
			fputc(',', fp);
		}
		irc_csv_cell(fp, irc_time_utc(sqlite3_column_int64(stmt, 7), when,
		    sizeof when), true, NULL);
		fputs("\r\n", fp);
	}
	if (rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read the evidence");
out:
	sqlite3_finalize(stmt);
	return pack_file_close(po, rel, fp, st, err);
}

/* Copies the playbook snapshot of a case to playbooks/SHA256.md. */
static enum irc_status
pack_write_playbook(struct irc_db *db, int64_t case_id,
    const struct pack_out *po, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st = IRC_OK;
	char *rel, *path;

	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT p.sha256, p.text FROM"
	    " \"case\" c JOIN playbook_snapshot p ON p.id = c.playbook_id"
	    " WHERE c.id = ?", -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(db, err, "cannot read the playbook snapshot");
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		st = irc_db_fail(db, err, "cannot read the playbook snapshot");
		goto out;
	}
	rel = irc_xasprintf("playbooks/%s.md", sqlite3_column_text(stmt, 0));
	path = irc_xasprintf("%s/%s", po->tmp, rel);
	/* Cases opened from one playbook share its snapshot, named by hash. */
	if (access(path, F_OK) != 0)
		st = pack_write_text(po, rel, sqlite3_column_blob(stmt, 1) !=
		    NULL ? sqlite3_column_blob(stmt, 1) : "",
		    (size_t)sqlite3_column_bytes(stmt, 1), err);
	free(path);
	free(rel);
out:
	sqlite3_finalize(stmt);
	return st;
}

static const char pack_control_map[] =
    "# Control map\n\n"
    "Where each record that ISO/IEC 27001 incident management asks for is "
    "kept in this pack.  N is a case number.\n\n"
    "| record | 27001:2013 | 27001:2022 | where in this pack |\n"
    "| --- | --- | --- | --- |\n"
    "| roles, contacts, playbook used | A.16.1.1 | 5.24 | cases/N/report.md "
    "(Roles, Summary), playbooks/SHA256.md, cases/N/case.json "
    "(playbook.sha256) |\n"
    "| reports of events and weaknesses | A.16.1.2, A.16.1.3 | 6.8 | "
    "cases/N/case.json (actions of kind report.*), register.csv (reported) |\n"
    "| assessment and decision | A.16.1.4 | 5.25 | cases/N/report.md "
    "(Decision and rationale), register.csv (category, aware, assessed) |\n"
    "| response steps, milestones, notification clocks | A.16.1.5 | 5.26 | "
    "cases/N/report.md (Steps and outcomes, Deviations, Notification "
    "clocks), register.csv (contained, recovered, clocks) |\n"
    "| lessons learned, corrective actions | A.16.1.6 | 5.27 | "
    "cases/N/report.md (Lessons learned, Corrective actions), register.csv "
    "(followups_open) |\n"
    "| evidence and custody | A.16.1.7 | 5.28 | cases/N/evidence.csv, "
    "cases/N/report.md (Evidence manifest) |\n"
    "| the full action log, hash-chained | A.16.1.1-A.16.1.7 | 5.24-5.28, "
    "6.8 | cases/N/case.json (actions, chain, verify) |\n"
    "| incident register of the period | A.16.1.6 | 5.27 | register.csv, "
    "register.md |\n";

static const char pack_readme[] =
    "# Audit pack\n\n"
    "Written by ircase.  Every file except SHA256SUMS is listed in "
    "SHA256SUMS with its SHA-256.\n\n"
    "## Contents\n\n"
    "- register.csv, register.md: the incident register of the period.\n"
    "- cases/N/case.json: the whole of case N with its hash-chained action "
    "log; cases/N/report.md: the report; cases/N/evidence.csv: the "
    "evidence manifest.\n"
    "- playbooks/SHA256.md: the exact playbook text each case was opened "
    "from, named by its SHA-256.\n"
    "- control-map.md: each record against ISO/IEC 27001:2013 A.16.1.1-"
    "A.16.1.7 and 27001:2022 5.24-5.28 and 6.8, with where it is here.\n\n"
    "## How to check it\n\n"
    "1. With standard tools, in this folder: `sha256sum -c SHA256SUMS`.  "
    "Every line must say OK.  A file that is not listed was added after the "
    "pack was made.\n"
    "2. With ircase: `ircase verify --pack DIR` checks the manifest the same "
    "way, reports files that are not listed, and recomputes the hash chain "
    "of every cases/N/case.json from its exported fields, naming the first "
    "action that does not match.\n"
    "3. Compare each case's chain head (chain.head in case.json, and the "
    "end of report.md) with the signed heads and with the copy of the log "
    "that the organisation's syslog platform holds.\n\n"
    "The encoding each action's hash covers is described in ircase(1) "
    "under JSON OUTPUT.\n";

static enum irc_status
pack_collect(const struct irc_register_row *row, void *data,
    struct irc_error *err)
{
	list_add(data, irc_xasprintf("%" PRId64, row->number));
	(void)err;
	return IRC_OK;
}

/* Fails unless dir is missing or empty. */
static enum irc_status
pack_check_dir(const char *dir, struct irc_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL) {
		if (errno != ENOENT)
			return irc_fail(err, IRC_ERR_IO, "cannot read folder %s: %s",
			    dir, strerror(errno));
		return IRC_OK;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			closedir(d);
			return irc_fail(err, IRC_ERR_INVALID, "folder %s is not "
			    "empty; give a new folder for the pack", dir);
		}
	}
	closedir(d);
	return IRC_OK;
}

/* Removes path and everything under it, as far as it can. */
static void
pack_remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	struct stat sb;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char *child;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		child = irc_xasprintf("%s/%s", path, e->d_name);
		if (lstat(child, &sb) == 0 && S_ISDIR(sb.st_mode))
			pack_remove_tree(child);
		else
			unlink(child);
		free(child);
	}
	if (d != NULL)
		closedir(d);
	rmdir(path);
}

/* Writes SHA256SUMS over every file in the pack. */
static enum irc_status
pack_write_manifest(const struct pack_out *po, struct irc_error *err)
{
	struct pack_list files = { NULL, 0, 0 };
	char hex[IRC_HASH_HEX], *path, *text = NULL;
	size_t len = 0, cap = 0;
	enum irc_status st;

	if ((st = pack_walk_files(po->tmp, "", &files, err)) != IRC_OK)
		goto out;
	qsort(files.items, files.count, sizeof *files.items, list_compare);
	for (size_t i = 0; i < files.count; i++) {
		char *line;
		size_t n;

		if (strcmp(files.items[i], "SHA256SUMS") == 0)
			continue;
		path = irc_xasprintf("%s/%s", po->tmp, files.items[i]);
		if (!pack_file_sha256(path, hex)) {
			st = irc_fail(err, IRC_ERR_IO, "cannot read %s/%s: %s",
			    po->dir, files.items[i], strerror(errno));
			free(path);
			goto out;
		}
		free(path);
		line = irc_xasprintf("%s  %s\n", hex, files.items[i]);
		n = strlen(line);
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			text = irc_xrealloc(text, cap, 1);
		}
		memcpy(text + len, line, n + 1);
		len += n;
		free(line);
	}
	st = pack_write_text(po, "SHA256SUMS", text != NULL ? text : "", len,
	    err);
out:
	free(text);
	list_free(&files);
	return st;
}

/* Writes the register of the period as CSV and as Markdown. */
static enum irc_status
pack_write_register(struct irc_db *db, const struct irc_register_query *q,
    const struct pack_out *po, struct irc_error *err)
{
	enum irc_status st = IRC_OK;
	int64_t rows;

	for (int i = 0; i < 2 && st == IRC_OK; i++) {
		const char *rel = i == 0 ? "register.csv" : "register.md";
		char *name = irc_xasprintf("%s/%s", po->dir, rel);
		FILE *fp;

		if ((st = pack_file_open(po, rel, &fp, err)) == IRC_OK) {
			st = irc_register_write(db, q, i == 0 ? IRC_REGISTER_CSV :
			    IRC_REGISTER_MD, fp, name, &rows, err);
			st = pack_file_close(po, rel, fp, st, err);
		}
		free(name);
	}
	return st;
}

/* Writes the files of one case and its playbook; counts a broken chain. */
static enum irc_status
pack_write_case(struct irc_db *db, const char *number,
    const struct pack_out *po, int64_t *broken, struct irc_error *err)
{
	int64_t id = strtoll(number, NULL, 10);
	bool ok_json = true, ok_md = true;
	enum irc_status st;
	char rel[64];

	snprintf(rel, sizeof rel, "cases/%s", number);
	if ((st = pack_mkdir(po, rel, err)) != IRC_OK)
		return st;
	snprintf(rel, sizeof rel, "cases/%s/case.json", number);
	if ((st = pack_write_export(db, id, IRC_EXPORT_JSON, po, rel, &ok_json,
	    err)) != IRC_OK)
		return st;
	snprintf(rel, sizeof rel, "cases/%s/report.md", number);
	if ((st = pack_write_export(db, id, IRC_EXPORT_MD, po, rel, &ok_md,
	    err)) != IRC_OK)
		return st;
	snprintf(rel, sizeof rel, "cases/%s/evidence.csv", number);
	if ((st = pack_write_evidence(db, id, po, rel, err)) != IRC_OK ||
	    (st = pack_write_playbook(db, id, po, err)) != IRC_OK)
		return st;
	if (!ok_json)
		(*broken)++;
	return IRC_OK;
}

/*
 * Moves the top-level entries of po->tmp into dir, SHA256SUMS last, and
 * removes po->tmp.  Used when dir cannot be replaced whole, as "." or a
 * mount point cannot.  On failure the entries moved so far go back.
 */
static enum irc_status
pack_move_entries(const struct pack_out *po, struct irc_error *err)
{
	struct pack_list names = { NULL, 0, 0 };
	enum irc_status st = IRC_OK;
	DIR *d = opendir(po->tmp);
	struct dirent *e;
	size_t moved;

	if (d == NULL)
		return irc_fail(err, IRC_ERR_IO, "cannot read folder %s: %s",
		    po->tmp, strerror(errno));
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    strcmp(e->d_name, "SHA256SUMS") != 0)
			list_add(&names, irc_xstrdup(e->d_name));
	closedir(d);
	list_add(&names, irc_xstrdup("SHA256SUMS"));
	for (moved = 0; moved < names.count && st == IRC_OK; moved++) {
		char *from = irc_xasprintf("%s/%s", po->tmp, names.items[moved]);
		char *to = irc_xasprintf("%s/%s", po->dir, names.items[moved]);

		if (rename(from, to) != 0)
			st = irc_fail(err, IRC_ERR_IO, "cannot move %s to %s: %s",
			    from, to, strerror(errno));
		free(from);
		free(to);
	}
	/* The entry at moved - 1 failed: put back the ones before it. */
	for (size_t i = 0; st != IRC_OK && i + 1 < moved; i++) {
		char *from = irc_xasprintf("%s/%s", po->dir, names.items[i]);
		char *to = irc_xasprintf("%s/%s", po->tmp, names.items[i]);

		rename(from, to);
		free(from);
		free(to);
	}
	if (st == IRC_OK)
		rmdir(po->tmp);
	list_free(&names);
	return st;
}

/* Returns dir without trailing slashes (caller frees); "/" stays "/". */
static char *
pack_trim_dir(const char *dir)
{
	char *out = irc_xstrdup(dir);
	size_t n = strlen(out);

	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
	return out;
}

enum irc_status
irc_pack_build(struct irc_db *db, const struct irc_register_query *q,
    const char *dir, int64_t *cases, int64_t *broken, struct irc_error *err)
{
	struct pack_list ids = { NULL, 0, 0 };
	char *base = pack_trim_dir(dir);
	struct pack_out po = { base, NULL };
	enum irc_status st;

	*cases = 0;
	*broken = 0;
	if ((st = pack_check_dir(dir, err)) != IRC_OK ||
	    (st = irc_register_walk(db, q, pack_collect, &ids, err)) != IRC_OK)
		goto out;
	po.tmp = irc_xasprintf("%s.XXXXXX", base);
	if (mkdtemp(po.tmp) == NULL) {
		st = irc_fail(err, IRC_ERR_IO, "cannot create a temporary folder "
		    "beside %s: %s", dir, strerror(errno));
		free(po.tmp);
		po.tmp = NULL;
		goto out;
	}
	if ((st = pack_write_register(db, q, &po, err)) != IRC_OK ||
	    (st = pack_mkdir(&po, "cases", err)) != IRC_OK ||
	    (st = pack_mkdir(&po, "playbooks", err)) != IRC_OK)
		goto out;
	for (size_t i = 0; i < ids.count; i++) {
		if ((st = pack_write_case(db, ids.items[i], &po, broken, err)) !=
		    IRC_OK)
			goto out;
		(*cases)++;
	}
	if ((st = pack_write_text(&po, "control-map.md", pack_control_map,
	    sizeof pack_control_map - 1, err)) != IRC_OK ||
	    (st = pack_write_text(&po, "README.md", pack_readme,
	    sizeof pack_readme - 1, err)) != IRC_OK ||
	    (st = pack_write_manifest(&po, err)) != IRC_OK)
		goto out;
	/* rename(2) replaces dir when it is an empty folder. */
	if (rename(po.tmp, base) != 0) {
		if (errno == EBUSY || errno == EINVAL)
			st = pack_move_entries(&po, err);
		else
			st = irc_fail(err, IRC_ERR_IO, "cannot rename %s to %s: %s",
			    po.tmp, dir, strerror(errno));
	}
out:
	if (st != IRC_OK && po.tmp != NULL)
		pack_remove_tree(po.tmp);
	if (st != IRC_OK)
		*cases = 0;
	free(po.tmp);
	free(base);
	list_free(&ids);
	return st;
}

/* Decodes hex into a new string; NULL when it is not hex. */
static char *
hex_decode(const char *hex)
{
	size_t len = strlen(hex);
	char *out;

	if (len % 2 != 0)
		return NULL;
	out = irc_xmalloc(len / 2 + 1);
	for (size_t i = 0; i < len / 2; i++) {
		unsigned int byte;

		if (sscanf(hex + 2 * i, "%2x", &byte) != 1) {
			free(out);
			return NULL;
		}
		out[i] = (char)byte;
	}
	out[len / 2] = '\0';
	return out;
}

/* Returns an action's text field, from raw_hex when the export has it. */
static char *
pack_action_text(json_t *action, const char *key)
{
	const char *hex = json_string_value(json_object_get(json_object_get(
	    action, "raw_hex"), key));
	const char *text = json_string_value(json_object_get(action, key));

	if (hex != NULL) {
		char *raw = hex_decode(hex);

		if (raw != NULL)
			return raw;
	}
	return irc_xstrdup(text != NULL ? text : "");
}

struct pack_report {
	void (*problem)(const char *line, void *data);
	void *data;
	int64_t count;
	const char *allowed_signers;
	void (*note)(const char *line, void *data);
	const char *rel;	/* the case.json being checked */
};

static void pack_problem(struct pack_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
pack_problem(struct pack_report *r, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	r->problem(line, r->data);
	r->count++;
}

/* Reports one checkpoint of a case.json: bad ones as problems. */
static void
pack_sign_report(const struct irc_sign_check *c, void *data)
{
	struct pack_report *r = data;
	char line[1024];

	if (c->state == IRC_SIGN_GOOD || c->state == IRC_SIGN_UNCHECKED) {
		snprintf(line, sizeof line, "%s: head %.12s... (%" PRId64 " actions)"
		    " signed by %s with %s: %s", r->rel, c->head, c->actions,
		    c->principal, c->fingerprint, c->state == IRC_SIGN_GOOD ?
		    "good signature" : "signature not checked; pass "
		    "--allowed-signers FILE");
		if (r->note != NULL)
			r->note(line, r->data);
		return;
	}
	pack_problem(r, "%s: checkpoint at action seq %" PRId64 " signed by %s: "
	    "%s", r->rel, c->seq, c->principal, c->detail);
}

/* Passes the chain.sign actions of an exported case to the walk. */
static void
pack_sign_expect(struct irc_sign_walk *sw, json_t *actions)
{
	json_t *item;
	size_t i;

	json_array_foreach(actions, i, item) {
		const char *kind = json_string_value(json_object_get(item, "kind"));
		json_t *body = json_object_get(item, "body");
		char *text;

		if (kind == NULL || strcmp(kind, IRC_SIGN_KIND) != 0)
			continue;
		text = json_is_object(body) ? json_dumps(body, JSON_COMPACT) :
		    NULL;
		irc_sign_walk_expect(sw, json_integer_value(json_object_get(item,
		    "seq")), text);
		free(text);
	}
}

/* Reports one record of a case.json that does not match its actions. */
static void
pack_record_report(const char *line, void *data)
{
	struct pack_report *r = data;

	pack_problem(r, "%s: record differs from its actions: %s", r->rel,
	    line);
}

/*
 * Recomputes the chain of one exported case and, when it holds, compares
 * the exported records with the actions in the same file.
 */
static void
pack_verify_case(const char *dir, const char *rel, struct pack_report *r)
{
	struct irc_sign_walk *sw;
	struct irc_crosscheck *cc;
	char *path = irc_xasprintf("%s/%s", dir, rel);
	json_t *doc = json_load_file(path, 0, NULL), *actions, *item;
	struct irc_chain_walk walk;
	const char *uuid, *head;
	size_t i;

	free(path);
	if (doc == NULL || !json_is_object(doc)) {
		pack_problem(r, "%s: not valid JSON", rel);
		json_decref(doc);
		return;
	}
	uuid = json_string_value(json_object_get(doc, "uuid"));
	head = json_string_value(json_object_get(json_object_get(doc, "chain"),
	    "head"));
	actions = json_object_get(doc, "actions");
	if (uuid == NULL || head == NULL || !json_is_array(actions)) {
		pack_problem(r, "%s: no uuid, chain head or actions", rel);
		json_decref(doc);
		return;
	}
	r->rel = rel;
	irc_chain_walk_start(&walk, uuid);
	cc = irc_crosscheck_start_export(doc, pack_record_report, r);
	sw = irc_sign_walk_new(uuid, json_integer_value(json_object_get(doc,
	    "number")));
	pack_sign_expect(sw, actions);
	json_array_foreach(actions, i, item) {
		struct irc_action a;
		json_t *body = json_object_get(item, "body");
		const char *prev, *hash;

		memset(&a, 0, sizeof a);
		a.id = json_integer_value(json_object_get(item, "id"));
		a.seq = json_integer_value(json_object_get(item, "seq"));
		a.step_seq = (int)json_integer_value(json_object_get(item, "step"));
		a.time_us = json_integer_value(json_object_get(item, "time_us"));
		a.actor = pack_action_text(item, "actor");
		a.origin = pack_action_text(item, "origin");
		a.kind = pack_action_text(item, "kind");
		if (json_is_object(body))
			a.body = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
		else
			a.body = pack_action_text(item, "body");
		prev = json_string_value(json_object_get(item, "prev_hash"));
		hash = json_string_value(json_object_get(item, "hash"));
		snprintf(a.prev_hash, sizeof a.prev_hash, "%s",
		    prev != NULL ? prev : "");
		snprintf(a.hash, sizeof a.hash, "%s", hash != NULL ? hash : "");
		irc_chain_walk_add(&walk, &a);
		irc_sign_walk_add(sw, &a);
		irc_crosscheck_add(cc, &a, NULL);
		irc_action_clear(&a);
	}
	irc_sign_walk_finish(sw, r->allowed_signers, pack_sign_report, r);
	irc_sign_walk_free(sw);
	irc_chain_walk_finish(&walk, json_integer_value(json_object_get(doc,
	    "number")), head, (int64_t)json_integer_value(json_object_get(
	    json_object_get(doc, "chain"), "count")));
	if (!walk.result.ok)
		pack_problem(r, "%s: chain broken: %s", rel, walk.result.reason);
	else
		irc_crosscheck_finish(cc, &walk.result, NULL);
	irc_crosscheck_free(cc);
	json_decref(doc);
}

enum irc_status
irc_pack_verify(const char *dir, const char *allowed_signers,
    void (*problem)(const char *, void *), void (*note)(const char *, void *),
    void *data, int64_t *files, int64_t *problems, struct irc_error *err)
{
	struct pack_report r = { problem, data, 0, allowed_signers, note, NULL };
	struct pack_list present = { NULL, 0, 0 }, listed = { NULL, 0, 0 };
	char *manifest = irc_xasprintf("%s/SHA256SUMS", dir), line[PACK_PATH_MAX];
	char hex[IRC_HASH_HEX];
	FILE *f = fopen(manifest, "r");
	enum irc_status st = IRC_OK;

	*files = 0;
	*problems = 0;
	if (f == NULL) {
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "cannot open %s: %s; is %s "
		    "an audit pack?", manifest, strerror(errno), dir);
		goto out;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		char *rel, *path;
		size_t n = strcspn(line, "\n");

		line[n] = '\0';
		if (n < 67 || line[64] != ' ' || line[65] != ' ') {
			pack_problem(&r, "SHA256SUMS: malformed line '%.80s'", line);
			continue;
		}
		rel = line + 66;
		list_add(&listed, irc_xstrdup(rel));
		path = irc_xasprintf("%s/%s", dir, rel);
		(*files)++;
		if (!pack_file_sha256(path, hex))
			pack_problem(&r, "%s: missing (listed in SHA256SUMS)", rel);
		else if (strncmp(hex, line, 64) != 0)
			pack_problem(&r, "%s: changed (SHA-256 %.12s..., SHA256SUMS "
			    "lists %.12s...)", rel, hex, line);
		free(path);
	}
	fclose(f);

	if ((st = pack_walk_files(dir, "", &present, err)) != IRC_OK)
		goto out;
	qsort(listed.items, listed.count, sizeof *listed.items, list_compare);
	qsort(present.items, present.count, sizeof *present.items, list_compare);
	for (size_t i = 0; i < present.count; i++) {
		const char *rel = present.items[i];
		size_t len = strlen(rel);

		if (strcmp(rel, "SHA256SUMS") != 0 && bsearch(&rel, listed.items,
		    listed.count, sizeof *listed.items, list_compare) == NULL)
			pack_problem(&r, "%s: not listed in SHA256SUMS (added after "
			    "the pack was made)", rel);
		if (strncmp(rel, "cases/", 6) == 0 && len > 10 &&
		    strcmp(rel + len - 10, "/case.json") == 0)
			pack_verify_case(dir, rel, &r);
	}
out:
	*problems = r.count;
	list_free(&present);
	list_free(&listed);
	free(manifest);
	return st;
}
