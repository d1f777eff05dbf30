/*
 * export.c: the export framework: formats, the streaming walk over a
 * case's actions, the output buffer, CSV cells and atomic files.  The
 * writers of each format live in export_json.c, export_csv.c and
 * export_md.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crosscheck.h"
#include "export_internal.h"
#include "mem.h"
#include "sanitize.h"

static const char *const format_names[] = {
	[IRC_EXPORT_JSON] = "json",
	[IRC_EXPORT_CSV] = "csv",
	[IRC_EXPORT_MD] = "md",
	[IRC_EXPORT_TIMESKETCH] = "timesketch",
};

bool
irc_export_format_parse(const char *name, enum irc_export_format *out)
{
	for (size_t i = 0; i < sizeof format_names / sizeof format_names[0];
	    i++) {
		if (strcmp(name, format_names[i]) == 0) {
			*out = (enum irc_export_format)i;
			return true;
		}
	}
	return false;
}

const char *
irc_export_format_name(enum irc_export_format format)
{
	return format_names[format];
}

const char *
irc_export_format_ext(enum irc_export_format format)
{
	return format == IRC_EXPORT_TIMESKETCH ? "jsonl" : format_names[format];
}

void
exp_buf_add(struct exp_buf *b, const char *bytes, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		while (b->len + len + 1 > b->cap)
			b->cap = b->cap != 0 ? b->cap * 2 : 4096;
		b->data = irc_xrealloc(b->data, b->cap, 1);
	}
	memcpy(b->data + b->len, bytes, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
exp_buf_str(struct exp_buf *b, const char *s)
{
	exp_buf_add(b, s, strlen(s));
}

void
exp_buf_printf(struct exp_buf *b, const char *fmt, ...)
{
	char small[256];
	char *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		exp_buf_add(b, small, (size_t)n);
		return;
	}
	big = irc_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	exp_buf_add(b, big, (size_t)n);
	free(big);
}

void
exp_buf_free(struct exp_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}

/* Decodes the code point of a valid UTF-8 sequence of n bytes. */
static uint32_t
utf8_code_point(const unsigned char *s, size_t n)
{
	uint32_t c = n == 2 ? (s[0] & 0x1fu) : n == 3 ? (s[0] & 0x0fu) :
	    (s[0] & 0x07u);

	for (size_t i = 1; i < n; i++)
		c = (c << 6) | (s[i] & 0x3fu);
	return c;
}

void
exp_buf_json_string(struct exp_buf *b, const char *s, bool ascii,
    int64_t *invalid)
{
	size_t len = strlen(s), run = 0, i = 0, n, replaced = 0;
	char *fixed = NULL;
	const unsigned char *p;
	char esc[16];

	if (irc_utf8_invalid_at(s, len) != len) {
		fixed = irc_utf8_repair(s, len, &replaced);
		if (invalid != NULL)
			*invalid += (int64_t)replaced;
		s = fixed;
		len = strlen(s);
	}
	p = (const unsigned char *)s;
	exp_buf_add(b, "\"", 1);
	while (i < len) {
		unsigned char c = p[i];
		const char *short_esc = NULL;

		if (c >= 0x20 && c != '"' && c != '\\' && (c < 0x80 || !ascii)) {
			i++;
			run++;
			continue;
		}
		exp_buf_add(b, s + i - run, run);
		run = 0;
		switch (c) {
		case '"': short_esc = "\\\""; break;
		case '\\': short_esc = "\\\\"; break;
		case '\b': short_esc = "\\b"; break;
		case '\f': short_esc = "\\f"; break;
		case '\n': short_esc = "\\n"; break;
		case '\r': short_esc = "\\r"; break;
		case '\t': short_esc = "\\t"; break;
		default: break;
		}
		if (short_esc != NULL) {
			exp_buf_str(b, short_esc);
			i++;
		} else if (c < 0x80) {
			snprintf(esc, sizeof esc, "\\u%04X", c);
			exp_buf_str(b, esc);
			i++;
		} else {
			uint32_t cp;

			if (c >= 0xf0)
				n = 4;
			else if (c >= 0xe0)
				n = 3;
			else
				n = 2;
			cp = utf8_code_point(p + i, n);
			if (cp >= 0x10000) {
				cp -= 0x10000;
				snprintf(esc, sizeof esc, "\\u%04X\\u%04X",
				    (unsigned)(0xd800 | (cp >> 10)),
				    (unsigned)(0xdc00 | (cp & 0x3ff)));
			} else
				snprintf(esc, sizeof esc, "\\u%04X", (unsigned)cp);
			exp_buf_str(b, esc);
			i += n;
		}
	}
	exp_buf_add(b, s + i - run, run);
	exp_buf_add(b, "\"", 1);
	free(fixed);
}

enum irc_status
exp_flush(struct exp_ctx *x, struct irc_error *err)
{
	if (x->buf.len != 0 &&
	    fwrite(x->buf.data, 1, x->buf.len, x->out) != x->buf.len)
		return irc_write_fail(err, x->out_name, errno);
	x->buf.len = 0;
	return IRC_OK;
}

char *
exp_text(struct exp_ctx *x, const char *text, int flags)
{
	size_t len, replaced = 0;
	char *fixed, *clean;

	if (text == NULL)
		text = "";
	len = strlen(text);
	if (irc_utf8_invalid_at(text, len) == len)
		fixed = irc_xstrdup(text);
	else
		fixed = irc_utf8_repair(text, len, &replaced);
	x->result->invalid_utf8 += (int64_t)replaced;
	if (!(x->flags & IRC_EXPORT_TERMINAL))
		return fixed;
	clean = irc_sanitize_str(fixed, flags);
	free(fixed);
	return clean;
}

enum irc_status
exp_prepare_optional(struct irc_db *db, const char *sql, sqlite3_stmt **stmt,
    struct irc_error *err)
{
	sqlite3 *h = irc_db_handle(db);

	*stmt = NULL;
	if (sqlite3_prepare_v2(h, sql, -1, stmt, NULL) == SQLITE_OK)
		return IRC_OK;
	*stmt = NULL;
	if (strstr(sqlite3_errmsg(h), "no such table") != NULL ||
	    strstr(sqlite3_errmsg(h), "no such column") != NULL)
		return IRC_OK;
	return irc_db_fail(db, err, "cannot read the case's records");
}

enum irc_status
exp_walk_actions(struct exp_ctx *x,
    enum irc_status (*each_action)(struct exp_ctx *, const struct irc_action *,
    struct irc_error *), struct irc_error *err)
{
	struct irc_action_iter *it = NULL;
	struct irc_crosscheck *cc;
	const struct irc_action *a;
	enum irc_status st;

	irc_chain_walk_start(&x->walk, x->kase->sum.uuid);
	if ((st = irc_action_iter_open(x->db, x->kase->sum.id, &it, err)) !=
	    IRC_OK)
		return st;
	/* The records the export writes are compared with the log as well. */
	cc = irc_crosscheck_start(x->db, x->kase->sum.id);
	for (;;) {
		if ((st = irc_action_iter_next(it, &a, err)) != IRC_OK ||
		    a == NULL)
			break;
		irc_chain_walk_add(&x->walk, a);
		x->result->actions++;
		if (x->walk.result.ok &&
		    (st = irc_crosscheck_add(cc, a, err)) != IRC_OK)
			break;
		if ((st = each_action(x, a, err)) != IRC_OK)
			break;
	}
	irc_action_iter_close(it);
	if (st == IRC_OK) {
		irc_chain_walk_finish(&x->walk, x->kase->sum.id,
		    x->kase->head_hash, x->stored_count);
		if (x->walk.result.ok)
			st = irc_crosscheck_finish(cc, &x->walk.result, err);
	}
	irc_crosscheck_free(cc);
	if (st != IRC_OK)
		return st;
	x->result->verify = x->walk.result;
	return IRC_OK;
}

/* Reads action_count from the case row. */
static enum irc_status
export_stored_count(struct irc_db *db, int64_t case_id, int64_t *count,
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st = IRC_OK;

	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT action_count FROM"
	    " \"case\" WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(db, err, "cannot read the case");
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*count = sqlite3_column_int64(stmt, 0);
	else
		st = irc_db_fail(db, err, "cannot read the case");
	sqlite3_finalize(stmt);
	return st;
}

enum irc_status
irc_export_case(struct irc_db *db, int64_t case_id,
    enum irc_export_format format, int flags, FILE *out, const char *out_name,
    struct irc_export_result *result, struct irc_error *err)
{
	struct exp_ctx x;
	enum irc_status st;

	memset(result, 0, sizeof *result);
	memset(&x, 0, sizeof x);
	x.db = db;
	x.out = out;
	x.out_name = out_name;
	x.flags = flags;
	x.result = result;
	/* One read transaction, so the case and its log are one snapshot. */
	if (sqlite3_exec(irc_db_handle(db), "BEGIN", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return irc_db_fail(db, err, "cannot start reading");
	if ((st = irc_case_load_meta(db, case_id, &x.kase, err)) != IRC_OK ||
	    (st = export_stored_count(db, case_id, &x.stored_count, err)) !=
	    IRC_OK)
		goto out;

	switch (format) {
	case IRC_EXPORT_JSON:
		st = exp_write_json(&x, err);
		break;
	case IRC_EXPORT_TIMESKETCH:
		st = exp_write_timesketch(&x, err);
		break;
	case IRC_EXPORT_CSV:
		st = exp_write_csv(&x, err);
		break;
	case IRC_EXPORT_MD:
		st = exp_write_md(&x, err);
		break;
	}
	if (st == IRC_OK)
		st = exp_flush(&x, err);
	if (st == IRC_OK && (fflush(out) != 0 || ferror(out)))
		st = irc_write_fail(err, out_name, errno);
out:
	sqlite3_exec(irc_db_handle(db), "COMMIT", NULL, NULL, NULL);
	exp_buf_free(&x.buf);
	irc_case_free(x.kase);
	return st;
}

bool
irc_csv_formula_like(const char *text)
{
	static const char *const wide[] = {
		"\xef\xbc\x9d",	/* U+FF1D FULLWIDTH EQUALS SIGN */
		"\xef\xbc\x8b",	/* U+FF0B FULLWIDTH PLUS SIGN */
		"\xef\xbc\x8d",	/* U+FF0D FULLWIDTH HYPHEN-MINUS */
		"\xef\xbc\xa0",	/* U+FF20 FULLWIDTH COMMERCIAL AT */
	};

	if (text[0] != '\0' && strchr("=+-@\t\r", text[0]) != NULL)
		return true;
	for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (strncmp(text, wide[i], 3) == 0)
			return true;
	return false;
}

void
irc_csv_cell(FILE *out, const char *text, bool neutralise, int64_t *invalid)
{
	size_t len = strlen(text), replaced = 0;
	char *fixed = NULL;
	const char *p, *prefix;

	if (irc_utf8_invalid_at(text, len) != len) {
		fixed = irc_utf8_repair(text, len, &replaced);
		if (invalid != NULL)
			*invalid += (int64_t)replaced;
		text = fixed;
	}
	/* The apostrophe goes inside the quotes, as part of the value. */
	prefix = neutralise && irc_csv_formula_like(text) ? "'" : "";
	if (strpbrk(text, ",\"\r\n") == NULL) {
		fputs(prefix, out);
		fputs(text, out);
		free(fixed);
		return;
	}
	fputc('"', out);
	fputs(prefix, out);
	for (p = text; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
	free(fixed);
}

enum irc_status
irc_write_fail(struct irc_error *err, const char *name, int errnum)
{
	const char *advice = "";

	if (errnum == 0)
		errnum = EIO;
	if (errnum == ENOSPC || errnum == EDQUOT)
		advice = "; free some space and run again";
	else if (errnum == EFBIG)
		advice = "; raise the file size limit (ulimit -f) or write to "
		    "another file system";
	return irc_fail(err, IRC_ERR_IO, "cannot write %s: %s%s", name,
	    strerror(errnum), advice);
}

enum irc_status
irc_output_path_check(const char *path, struct irc_error *err)
{
	struct stat sb;

	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return irc_fail(err, IRC_ERR_INVALID, "%s is not a regular file; "
		    "give the path of a file to write, or leave out -o to write "
		    "to standard output", path);
	return IRC_OK;
}

enum irc_status
irc_atomic_open(struct irc_atomic_file *f, const char *path,
    struct irc_error *err)
{
	int fd;

	memset(f, 0, sizeof *f);
	if (irc_output_path_check(path, err) != IRC_OK)
		return IRC_ERR_INVALID;
	f->path = irc_xstrdup(path);
	f->tmp = irc_xasprintf("%s.XXXXXX", path);
	fd = mkstemp(f->tmp);
	if (fd < 0) {
		irc_fail(err, IRC_ERR_IO, "cannot create a temporary file beside "
		    "%s: %s", path, strerror(errno));
		goto fail;
	}
	f->fp = fdopen(fd, "w");
	if (f->fp == NULL) {
		irc_fail(err, IRC_ERR_IO, "%s: %s", f->tmp, strerror(errno));
		close(fd);
		unlink(f->tmp);
		goto fail;
	}
	return IRC_OK;
fail:
	free(f->path);
	free(f->tmp);
	memset(f, 0, sizeof *f);
	return IRC_ERR_IO;
}

enum irc_status
irc_atomic_commit(struct irc_atomic_file *f, struct irc_error *err)
{
	enum irc_status st = IRC_OK;
	bool written = fflush(f->fp) == 0 && !ferror(f->fp) &&
	    fsync(fileno(f->fp)) == 0;
	int saved = errno;

	if (fclose(f->fp) != 0 && written) {
		written = false;
		saved = errno;
	}
	f->fp = NULL;
	if (!written)
		st = irc_write_fail(err, f->path, saved);
	else if (rename(f->tmp, f->path) != 0)
		st = irc_fail(err, IRC_ERR_IO, "cannot rename %s to %s: %s",
		    f->tmp, f->path, strerror(errno));
	if (st != IRC_OK)
		unlink(f->tmp);
	free(f->path);
	free(f->tmp);
	memset(f, 0, sizeof *f);
	return st;
}

void
irc_atomic_abort(struct irc_atomic_file *f)
{
	if (f->fp != NULL)
		fclose(f->fp);
	if (f->tmp != NULL)
		unlink(f->tmp);
	free(f->path);
	free(f->tmp);
	memset(f, 0, sizeof *f);
}
