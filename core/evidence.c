/*
 * evidence.c: hashing evidence files, recording items and custody
 * transfers, and checking the files again later.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "evidence.h"
#include "mem.h"
#include "record.h"
#include "record_time.h"
#include "timeutil.h"

static void
hex_encode(const unsigned char *md, unsigned int len, char hex[IRC_HASH_HEX])
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned int i = 0; i < len && i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0x0f];
	}
	hex[64] = '\0';
}

/* Feeds the whole of fd to ctx through one IRC_EVIDENCE_CHUNK buffer. */
static enum irc_status
sha256_stream(int fd, const char *path, EVP_MD_CTX *ctx, uint64_t *size,
    struct irc_error *err)
{
	unsigned char *buf = irc_xmalloc(IRC_EVIDENCE_CHUNK);
	enum irc_status st = IRC_OK;
	ssize_t n;

	*size = 0;
	for (;;) {
		n = read(fd, buf, IRC_EVIDENCE_CHUNK);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			st = irc_fail(err, IRC_ERR_IO, "cannot read %s: %s",
			    path, strerror(errno));
			break;
		}
		if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1) {
			st = irc_fail(err, IRC_ERR_IO, "SHA-256 of %s failed "
			    "in OpenSSL", path);
			break;
		}
		*size += (uint64_t)n;
	}
	free(buf);
	return st;
}

enum irc_status
irc_sha256_file(const char *path, char hex[IRC_HASH_HEX], uint64_t *size,
    struct irc_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = NULL;
	struct stat sb;
	enum irc_status st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return irc_fail(err, errno == ENOENT ? IRC_ERR_NOT_FOUND :
		    IRC_ERR_IO, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &sb) != 0) {
		st = irc_fail(err, IRC_ERR_IO, "cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		st = irc_fail(err, IRC_ERR_INVALID, "%s is not a regular file; "
		    "add each file, or an archive of a folder", path);
		goto out;
	}
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		st = irc_fail(err, IRC_ERR_IO, "cannot start SHA-256 in OpenSSL");
		goto out;
	}
	if ((st = sha256_stream(fd, path, ctx, size, err)) != IRC_OK)
		goto out;
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32) {
		st = irc_fail(err, IRC_ERR_IO, "SHA-256 of %s failed in OpenSSL",
		    path);
		goto out;
	}
	hex_encode(md, mdlen, hex);
out:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return st;
}

/* Returns the base name of path as a new string. */
static char *
evidence_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return irc_xstrdup(slash != NULL ? slash + 1 : path);
}

static enum irc_status
evidence_insert(struct irc_db *db, int64_t case_id, int64_t number,
    const char *name, const char *path, uint64_t size, const char *hex,
    const char *description, const char *location,
    const struct irc_actor *actor, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;

	if ((st = irc_record_prepare(db, "INSERT INTO evidence (case_id,"
	    " number, name, path, size, sha256, description, location, holder,"
	    " added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int64(stmt, 2, number);
	sqlite3_bind_text(stmt, 3, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, (sqlite3_int64)size);
	sqlite3_bind_text(stmt, 6, hex, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 7, description ? description : "", -1,
	    SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, location ? location : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 9, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 10, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 11, irc_now_us());
	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot store the evidence item");
	sqlite3_finalize(stmt);
	return st;
}

enum irc_status
irc_evidence_add(struct irc_db *db, int64_t case_id, const char *path,
    const char *description, const char *location,
    const struct irc_actor *actor, int64_t *number, struct irc_error *err)
{
	char hex[IRC_HASH_HEX], *real = NULL, *name = NULL;
	json_t *body = NULL;
	uint64_t size = 0;
	int64_t n = 0;
	enum irc_status st;

	if ((st = irc_record_check_text("file name", path, PATH_MAX, err)) !=
	    IRC_OK ||
	    (st = irc_record_check_optional("description", description,
	    IRC_EVIDENCE_TEXT_MAX, err)) != IRC_OK ||
	    (st = irc_record_check_optional("location", location,
	    IRC_EVIDENCE_TEXT_MAX, err)) != IRC_OK)
		return st;
	if ((st = irc_sha256_file(path, hex, &size, err)) != IRC_OK)
		return st;
	real = realpath(path, NULL);
	if (real == NULL)
		return irc_fail(err, IRC_ERR_IO, "cannot resolve %s: %s", path,
		    strerror(errno));
	name = evidence_basename(real);

	if ((st = irc_db_begin(db, err)) != IRC_OK)
		goto out;
	if ((st = irc_record_case_exists(db, case_id, err)) != IRC_OK ||
	    (st = irc_record_next_number(db, "evidence", case_id, &n, err)) !=
	    IRC_OK ||
	    (st = evidence_insert(db, case_id, n, name, real, size, hex,
	    description, location, actor, err)) != IRC_OK)
		goto out;
	body = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s}", "evidence",
	    (json_int_t)n, "name", name, "path", real, "size", (json_int_t)size,
	    "sha256", hex, "description", description ? description : "",
	    "location", location ? location : "");
	if ((st = irc_action_append(db, case_id, 0, actor, "evidence.add", body,
	    NULL, err)) != IRC_OK)
		goto out;
	if ((st = irc_db_commit(db, err)) == IRC_OK && number != NULL)
		*number = n;
out:
	if (st != IRC_OK)
		irc_db_rollback(db);
	json_decref(body);
	free(real);
	free(name);
	return st;
}

/* Reads the holder of item number; IRC_ERR_NOT_FOUND names both numbers. */
static enum irc_status
evidence_holder(struct irc_db *db, int64_t case_id, int64_t number,
    char **holder, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	int rc;

	if ((st = irc_record_prepare(db, "SELECT holder FROM evidence"
	    " WHERE case_id = ? AND number = ?", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int64(stmt, 2, number);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*holder = irc_xstrdup((const char *)sqlite3_column_text(stmt, 0));
	else if (rc == SQLITE_DONE)
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "case %" PRId64 " has no "
		    "evidence item %" PRId64 "; run 'ircase evidence list %"
		    PRId64 "'", case_id, number, case_id);
	else
		st = irc_db_fail(db, err, "cannot read the evidence item");
	sqlite3_finalize(stmt);
	return st;
}

static enum irc_status
transfer_check(const struct irc_transfer *t, int64_t now,
    struct irc_error *err)
{
	enum irc_status st;

	if ((st = irc_record_check_text("person handing over (--from)", t->from,
	    IRC_EVIDENCE_TEXT_MAX, err)) != IRC_OK ||
	    (st = irc_record_check_text("person receiving (--to)", t->to,
	    IRC_EVIDENCE_TEXT_MAX, err)) != IRC_OK ||
	    (st = irc_record_check_text("purpose", t->purpose,
	    IRC_EVIDENCE_TEXT_MAX, err)) != IRC_OK ||
	    (st = irc_record_check_optional("seal id", t->seal,
	    IRC_EVIDENCE_TEXT_MAX, err)) != IRC_OK)
		return st;
	if (strcmp(t->from, t->to) == 0)
		return irc_fail(err, IRC_ERR_INVALID, "--from and --to are both "
		    "'%s'; a transfer needs two people", t->from);
	return irc_record_time_past("the transfer time", t->at, now, err);
}

enum irc_status
irc_evidence_transfer(struct irc_db *db, int64_t case_id, int64_t number,
    const struct irc_transfer *t, const struct irc_actor *actor,
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	int64_t now = irc_now_us(), at = t->at != 0 ? t->at : now;
	char *holder = NULL, when[40];
	json_t *body = NULL;
	enum irc_status st;

	if ((st = transfer_check(t, now, err)) != IRC_OK)
		return st;
	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if ((st = irc_record_case_exists(db, case_id, err)) != IRC_OK ||
	    (st = evidence_holder(db, case_id, number, &holder, err)) != IRC_OK)
		goto out;
	if (strcmp(holder, t->from) != 0) {
		st = irc_fail(err, IRC_ERR_CONFLICT, "evidence %" PRId64 " is "
		    "held by '%s', not '%s'; pass --from '%s'", number, holder,
		    t->from, holder);
		goto out;
	}
	if ((st = irc_record_prepare(db, "UPDATE evidence SET holder = ?"
	    " WHERE case_id = ? AND number = ?", &stmt, err)) != IRC_OK)
		goto out;
	sqlite3_bind_text(stmt, 1, t->to, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, case_id);
	sqlite3_bind_int64(stmt, 3, number);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot record the new holder");
		goto out;
	}
	body = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "evidence",
	    (json_int_t)number, "from", t->from, "to", t->to, "purpose",
	    t->purpose, "at", irc_time_utc(at, when, sizeof when), "at_us",
	    (json_int_t)at, "seal", t->seal ? t->seal : "");
	if ((st = irc_action_append(db, case_id, 0, actor, "evidence.transfer",
	    body, NULL, err)) != IRC_OK)
		goto out;
	st = irc_db_commit(db, err);
out:
	if (st != IRC_OK)
		irc_db_rollback(db);
	sqlite3_finalize(stmt);
	json_decref(body);
	free(holder);
	return st;
}

static const char *
body_str(json_t *body, const char *key)
{
	const char *s = json_string_value(json_object_get(body, key));

	return s != NULL ? s : "";
}

/* Appends the transfers recorded in the action log to their items. */
static enum irc_status
evidence_load_custody(struct irc_db *db, int64_t case_id,
    struct irc_evidence *list, size_t count, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	int rc;

	if ((st = irc_record_prepare(db, "SELECT body, time_us, actor FROM action"
	    " WHERE case_id = ? AND kind = 'evidence.transfer' ORDER BY seq",
	    &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		json_t *body = json_loads((const char *)sqlite3_column_text(stmt,
		    0), 0, NULL);
		int64_t number = json_integer_value(json_object_get(body,
		    "evidence"));
		struct irc_custody *c;

		for (size_t i = 0; i < count; i++) {
			if (list[i].number != number)
				continue;
			list[i].custody = irc_xrealloc(list[i].custody,
			    list[i].ncustody + 1, sizeof *list[i].custody);
			c = &list[i].custody[list[i].ncustody++];
			c->at = json_integer_value(json_object_get(body, "at_us"));
			c->recorded_at = sqlite3_column_int64(stmt, 1);
			c->from = irc_xstrdup(body_str(body, "from"));
			c->to = irc_xstrdup(body_str(body, "to"));
			c->purpose = irc_xstrdup(body_str(body, "purpose"));
			c->seal = irc_xstrdup(body_str(body, "seal"));
			c->actor = irc_record_column(stmt, 2, false);
		}
		json_decref(body);
	}
	if (rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read the custody transfers");
	sqlite3_finalize(stmt);
	return st;
}

static void
evidence_fill(sqlite3_stmt *stmt, void *row)
{
	struct irc_evidence *e = row;

	e->number = sqlite3_column_int64(stmt, 0);
	e->name = irc_record_column(stmt, 1, false);
	e->path = irc_record_column(stmt, 2, false);
	e->size = (uint64_t)sqlite3_column_int64(stmt, 3);
	snprintf(e->sha256, sizeof e->sha256, "%s",
	    (const char *)sqlite3_column_text(stmt, 4));
	e->description = irc_record_column(stmt, 5, false);
	e->location = irc_record_column(stmt, 6, false);
	e->holder = irc_record_column(stmt, 7, false);
	e->added_by = irc_record_column(stmt, 8, false);
	e->added_at = sqlite3_column_int64(stmt, 9);
}

static void
evidence_free_rows(void *rows, size_t count)
{
	irc_evidence_free(rows, count);
}

enum irc_status
irc_evidence_list(struct irc_db *db, int64_t case_id,
    struct irc_evidence **out, size_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st;
	void *rows;
	size_t n;

	*out = NULL;
	*count = 0;
	if ((st = irc_record_case_exists(db, case_id, err)) != IRC_OK ||
	    (st = irc_record_prepare(db, "SELECT number, name, path, size,"
	    " sha256, description, location, holder, added_by, added_at"
	    " FROM evidence WHERE case_id = ? ORDER BY number", &stmt, err)) !=
	    IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	if ((st = irc_record_rows(db, stmt, sizeof **out, evidence_fill,
	    evidence_free_rows, "evidence items", &rows, &n, err)) != IRC_OK)
		return st;
	if ((st = evidence_load_custody(db, case_id, rows, n, err)) !=
	    IRC_OK) {
		irc_evidence_free(rows, n);
		return st;
	}
	*out = rows;
	*count = n;
	return IRC_OK;
}

void
irc_evidence_free(struct irc_evidence *list, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		struct irc_evidence *e = &list[i];

		for (size_t j = 0; j < e->ncustody; j++) {
			free(e->custody[j].from);
			free(e->custody[j].to);
			free(e->custody[j].purpose);
			free(e->custody[j].seal);
			free(e->custody[j].actor);
		}
		free(e->custody);
		free(e->name);
		free(e->path);
		free(e->description);
		free(e->location);
		free(e->holder);
		free(e->added_by);
	}
	free(list);
}

static json_t *
json_utc(int64_t t)
{
	char buf[40];

	return json_string(irc_time_utc(t, buf, sizeof buf));
}

static json_t *
custody_to_json(const struct irc_custody *c)
{
	json_t *o = json_object();

	json_object_set_new(o, "at", json_utc(c->at));
	json_object_set_new(o, "from", json_string(c->from));
	json_object_set_new(o, "to", json_string(c->to));
	json_object_set_new(o, "purpose", json_string(c->purpose));
	json_object_set_new(o, "seal", json_string(c->seal));
	json_object_set_new(o, "recorded_by", json_string(c->actor));
	json_object_set_new(o, "recorded_at", json_utc(c->recorded_at));
	return o;
}

json_t *
irc_evidence_to_json(const struct irc_evidence *list, size_t count)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < count; i++) {
		const struct irc_evidence *e = &list[i];
		json_t *o = json_object(), *custody = json_array();

		json_object_set_new(o, "number", json_integer(e->number));
		json_object_set_new(o, "name", json_string(e->name));
		json_object_set_new(o, "path", json_string(e->path));
		json_object_set_new(o, "size", json_integer((json_int_t)e->size));
		json_object_set_new(o, "sha256", json_string(e->sha256));
		json_object_set_new(o, "description", json_string(e->description));
		json_object_set_new(o, "location", json_string(e->location));
		json_object_set_new(o, "holder", json_string(e->holder));
		json_object_set_new(o, "added_by", json_string(e->added_by));
		json_object_set_new(o, "added_at", json_utc(e->added_at));
		for (size_t j = 0; j < e->ncustody; j++)
			json_array_append_new(custody,
			    custody_to_json(&e->custody[j]));
		json_object_set_new(o, "custody", custody);
		json_array_append_new(arr, o);
	}
	return arr;
}

enum irc_status
irc_evidence_check(struct irc_db *db, int64_t case_id,
    struct irc_evidence_check **out, size_t *count, struct irc_error *err)
{
	struct irc_evidence *list;
	struct irc_evidence_check *res;
	struct irc_error ferr;
	size_t n;
	enum irc_status st;

	*out = NULL;
	*count = 0;
	if ((st = irc_evidence_list(db, case_id, &list, &n, err)) != IRC_OK)
		return st;
	res = irc_xcalloc(n + 1, sizeof *res);
	for (size_t i = 0; i < n; i++) {
		res[i].number = list[i].number;
		irc_error_clear(&ferr);
		if (irc_sha256_file(list[i].path, res[i].sha256, &res[i].size,
		    &ferr) != IRC_OK) {
			res[i].result = IRC_EVIDENCE_UNREACHABLE;
			snprintf(res[i].reason, sizeof res[i].reason, "%s",
			    ferr.msg);
		} else if (res[i].size != list[i].size ||
		    strcmp(res[i].sha256, list[i].sha256) != 0) {
			res[i].result = IRC_EVIDENCE_MISMATCH;
		} else {
			res[i].result = IRC_EVIDENCE_MATCH;
		}
	}
	irc_evidence_free(list, n);
	*out = res;
	*count = n;
	return IRC_OK;
}
