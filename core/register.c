/*
 * register.c: the incident register over a period, as CSV, Markdown or
 * XLSX (libxlsxwriter).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "export.h"
#include "mem.h"
#include "register.h"
#include "sanitize.h"
#include "timeutil.h"

const char *const irc_register_milestone_names[IRC_REGISTER_MILESTONES] = {
	"reported", "aware", "assessed", "contained", "recovered", "closed",
};

/* Column names of the text formats, in order. */
static const char *const register_columns[] = {
	"number", "title", "category", "severity", "kind", "status",
	"reported", "aware", "assessed", "contained", "recovered", "closed",
	"reported_to_aware_h", "aware_to_assessed_h", "assessed_to_contained_h",
	"contained_to_recovered_h", "recovered_to_closed_h",
	"clocks_met", "clocks_missed", "clocks_running", "followups_open",
};

#define REGISTER_NCOLUMNS (sizeof register_columns / sizeof register_columns[0])

void
irc_register_milestones(const struct irc_register_row *r,
    int64_t out[IRC_REGISTER_MILESTONES])
{
	out[0] = r->reported;
	out[1] = r->aware;
	out[2] = r->assessed;
	out[3] = r->contained;
	out[4] = r->recovered;
	out[5] = r->closed;
}

bool
irc_register_format_parse(const char *name, enum irc_register_format *out)
{
	if (strcmp(name, "csv") == 0)
		*out = IRC_REGISTER_CSV;
	else if (strcmp(name, "xlsx") == 0)
		*out = IRC_REGISTER_XLSX;
	else if (strcmp(name, "md") == 0)
		*out = IRC_REGISTER_MD;
	else
		return false;
	return true;
}

/* Reads "YYYY-MM-DD" and nothing else. */
static bool
register_date_fields(const char *text, int *year, int *month, int *day)
{
	for (int i = 0; i < 10; i++) {
		bool dash = i == 4 || i == 7;

		if (dash ? text[i] != '-' : (text[i] < '0' || text[i] > '9'))
			return false;
	}
	if (text[10] != '\0')
		return false;
	*year = (int)strtol(text, NULL, 10);
	*month = (int)strtol(text + 5, NULL, 10);
	*day = (int)strtol(text + 8, NULL, 10);
	return true;
}

enum irc_status
irc_register_date_parse(const char *text, bool end_of_day, const char *what,
    int64_t *out, struct irc_error *err)
{
	int year, month, day;
	char date[11], why[64];
	struct tm tm;
	time_t t;

	if (what == NULL)
		what = "the period";
	snprintf(date, sizeof date, "%s", text);
	if (!register_date_fields(date, &year, &month, &day))
		return irc_time_parse(text, out, NULL, err);
	if (!irc_date_valid(year, month, day, why, sizeof why))
		return irc_fail(err, IRC_ERR_INVALID, "invalid date '%s' for %s: "
		    "%s", date, what, why);
	/* A time after the date: irc_time_parse() reads it. */
	if (text[10] != '\0')
		return irc_time_parse(text, out, NULL, err);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = year - 1900;
	tm.tm_mon = month - 1;
	tm.tm_mday = end_of_day ? day + 1 : day;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1 || year < 1970)
		return irc_fail(err, IRC_ERR_INVALID, "date '%s' for %s is out of "
		    "range; give a date after 1970-01-01", text, what);
	*out = (int64_t)t * 1000000;
	return IRC_OK;
}

static const char register_sql[] =
    "SELECT c.id, c.title, coalesce(c.category, ''), c.severity, c.kind,"
    " c.status,"
    " coalesce((SELECT min(received_at) FROM report r WHERE r.case_id = c.id), 0),"
    " coalesce(c.aware_at, 0),"
    " coalesce((SELECT min(decided_at) FROM decision d WHERE d.case_id = c.id), 0),"
    " coalesce((SELECT at FROM milestone m WHERE m.case_id = c.id"
    "  AND m.name = 'contained'), 0),"
    " coalesce((SELECT at FROM milestone m WHERE m.case_id = c.id"
    "  AND m.name = 'recovered'), 0),"
    " coalesce(c.closed_at, 0),"
    " (SELECT count(*) FROM clock k WHERE k.case_id = c.id"
    "  AND k.notified_at IS NOT NULL AND k.notified_at <= k.deadline),"
    " (SELECT count(*) FROM clock k WHERE k.case_id = c.id"
    "  AND (k.notified_at > k.deadline OR (k.notified_at IS NULL"
    "  AND k.deadline < ?4))),"
    " (SELECT count(*) FROM clock k WHERE k.case_id = c.id"
    "  AND k.notified_at IS NULL AND k.deadline >= ?4),"
    " (SELECT count(*) FROM followup f WHERE f.case_id = c.id"
    "  AND f.state = 'open')"
    " FROM \"case\" c WHERE c.opened_at >= ?1 AND c.opened_at < ?2"
    " AND (?3 OR c.kind = 'real') ORDER BY c.id";

static const char *
column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s != NULL ? (const char *)s : "";
}

enum irc_status
irc_register_walk(struct irc_db *db, const struct irc_register_query *q,
    enum irc_status (*each_row)(const struct irc_register_row *, void *,
    struct irc_error *), void *data, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct irc_register_row r;
	enum irc_status st = IRC_OK;
	int rc;

	if (sqlite3_prepare_v2(irc_db_handle(db), register_sql, -1, &stmt,
	    NULL) != SQLITE_OK)
		return irc_db_fail(db, err, "cannot read the register");
	sqlite3_bind_int64(stmt, 1, q->from_us);
	sqlite3_bind_int64(stmt, 2, q->to_us);
	sqlite3_bind_int(stmt, 3, q->drills ? 1 : 0);
	sqlite3_bind_int64(stmt, 4, irc_now_us());
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		r.number = sqlite3_column_int64(stmt, 0);
		r.title = column_text(stmt, 1);
		r.category = column_text(stmt, 2);
		r.severity = sqlite3_column_int(stmt, 3);
		r.kind = column_text(stmt, 4);
		r.status = column_text(stmt, 5);
		r.reported = sqlite3_column_int64(stmt, 6);
		r.aware = sqlite3_column_int64(stmt, 7);
		r.assessed = sqlite3_column_int64(stmt, 8);
		r.contained = sqlite3_column_int64(stmt, 9);
		r.recovered = sqlite3_column_int64(stmt, 10);
		r.closed = sqlite3_column_int64(stmt, 11);
		r.clocks_met = sqlite3_column_int(stmt, 12);
		r.clocks_missed = sqlite3_column_int(stmt, 13);
		r.clocks_running = sqlite3_column_int(stmt, 14);
		r.followups_open = sqlite3_column_int(stmt, 15);
		if ((st = each_row(&r, data, err)) != IRC_OK)
			break;
	}
	if (st == IRC_OK && rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read the register");
	sqlite3_finalize(stmt);
	return st;
}

/* Formats t as local RFC 3339 with its offset ("2026-03-29T02:30:00+01:00"). */
static char *
register_time(int64_t t, char *buf, size_t size)
{
	time_t secs = (time_t)(t / 1000000);
	struct tm tm;
	long off;
	size_t n;

	buf[0] = '\0';
	if (t == 0 || localtime_r(&secs, &tm) == NULL)
		return buf;
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff;
	snprintf(buf + n, size - n, "%c%02ld:%02ld", off < 0 ? '-' : '+',
	    labs(off) / 3600, labs(off) % 3600 / 60);
	return buf;
}

/* Formats the hours between two milestones, "" when either is missing. */
static char *
register_hours(int64_t from, int64_t to, char *buf, size_t size)
{
	buf[0] = '\0';
	if (from != 0 && to != 0)
		snprintf(buf, size, "%.2f", (double)(to - from) / 3600e6);
	return buf;
}

struct register_text {
	FILE *out;
	const char *out_name;	/* out in messages */
	bool md;
	int64_t rows;
};

/*
 * Writes one cell of a CSV or Markdown row.  Only text cells get the
 * formula rule's apostrophe: a numeric cell such as "-1.10" hours stays a
 * plain number that a spreadsheet can sum.
 */
static void
register_cell(struct register_text *w, const char *text, size_t col,
    bool text_cell)
{
	if (w->md) {
		char *clean = irc_sanitize_str(text, 0);

		fputs(col == 0 ? "| " : " | ", w->out);
		for (const char *p = clean; *p != '\0'; p++) {
			if (*p == '|')
				fputc('\\', w->out);
			fputc(*p, w->out);
		}
		free(clean);
		if (col + 1 == REGISTER_NCOLUMNS)
			fputs(" |\n", w->out);
		return;
	}
	if (col > 0)
		fputc(',', w->out);
	irc_csv_cell(w->out, text, text_cell, NULL);
	if (col + 1 == REGISTER_NCOLUMNS)
		fputs("\r\n", w->out);
}

static enum irc_status
register_text_row(const struct irc_register_row *r, void *data,
    struct irc_error *err)
{
	struct register_text *w = data;
	int64_t ms[IRC_REGISTER_MILESTONES];
	char buf[64];
	size_t col = 0;
	int i;

	irc_register_milestones(r, ms);
	snprintf(buf, sizeof buf, "%" PRId64, r->number);
	register_cell(w, buf, col++, false);
	register_cell(w, r->title, col++, true);
	register_cell(w, r->category, col++, true);
	snprintf(buf, sizeof buf, "%d", r->severity);
	register_cell(w, buf, col++, false);
	register_cell(w, r->kind, col++, true);
	register_cell(w, r->status, col++, true);
	for (i = 0; i < IRC_REGISTER_MILESTONES; i++)
		register_cell(w, register_time(ms[i], buf, sizeof buf), col++,
		    true);
	for (i = 0; i + 1 < IRC_REGISTER_MILESTONES; i++)
		register_cell(w, register_hours(ms[i], ms[i + 1], buf,
		    sizeof buf), col++, false);
	snprintf(buf, sizeof buf, "%d", r->clocks_met);
	register_cell(w, buf, col++, false);
	snprintf(buf, sizeof buf, "%d", r->clocks_missed);
	register_cell(w, buf, col++, false);
	snprintf(buf, sizeof buf, "%d", r->clocks_running);
	register_cell(w, buf, col++, false);
	snprintf(buf, sizeof buf, "%d", r->followups_open);
	register_cell(w, buf, col++, false);
	w->rows++;
	if (ferror(w->out))
		return irc_write_fail(err, w->out_name, errno);
	return IRC_OK;
}

static enum irc_status
register_write_text(struct irc_db *db, const struct irc_register_query *q,
    FILE *out, const char *out_name, bool md, int64_t *rows,
    struct irc_error *err)
{
	struct register_text w = { out, out_name, md, 0 };
	enum irc_status st;
	size_t i;

	if (md)
		fputs("# Incident register\n\n", out);
	for (i = 0; i < REGISTER_NCOLUMNS; i++)
		register_cell(&w, register_columns[i], i, true);
	if (md) {
		for (i = 0; i < REGISTER_NCOLUMNS; i++)
			fputs(i == 0 ? "| --- " : "| --- ", out);
		fputs("|\n", out);
	}
	st = irc_register_walk(db, q, register_text_row, &w, err);
	*rows = w.rows;
	if (st == IRC_OK && md && w.rows == 0)
		fputs("\nNo cases were opened in this period.\n", out);
	return st;
}

struct register_xlsx {
	lxw_worksheet *sheet;
	lxw_format *date;
	int64_t rows;
};

/* Writes t as a typed date cell in local time, or leaves the cell empty. */
static void
xlsx_time(struct register_xlsx *w, lxw_row_t row, lxw_col_t col, int64_t t)
{
	time_t secs = (time_t)(t / 1000000);
	lxw_datetime dt;
	struct tm tm;

	if (t == 0 || localtime_r(&secs, &tm) == NULL)
		return;
	dt.year = tm.tm_year + 1900;
	dt.month = tm.tm_mon + 1;
	dt.day = tm.tm_mday;
	dt.hour = tm.tm_hour;
	dt.min = tm.tm_min;
	dt.sec = tm.tm_sec + (double)(t % 1000000) / 1e6;
	worksheet_write_datetime(w->sheet, row, col, &dt, w->date);
}

static enum irc_status
register_xlsx_row(const struct irc_register_row *r, void *data,
    struct irc_error *err)
{
	struct register_xlsx *w = data;
	lxw_row_t row = (lxw_row_t)(w->rows + 1);
	int64_t ms[IRC_REGISTER_MILESTONES];
	lxw_col_t col = 0;
	char *title = irc_utf8_repair(r->title, strlen(r->title), NULL);
	int i;

	irc_register_milestones(r, ms);
	worksheet_write_number(w->sheet, row, col++, (double)r->number, NULL);
	worksheet_write_string(w->sheet, row, col++, title, NULL);
	worksheet_write_string(w->sheet, row, col++, r->category, NULL);
	worksheet_write_number(w->sheet, row, col++, r->severity, NULL);
	worksheet_write_string(w->sheet, row, col++, r->kind, NULL);
	worksheet_write_string(w->sheet, row, col++, r->status, NULL);
	for (i = 0; i < IRC_REGISTER_MILESTONES; i++)
		xlsx_time(w, row, col++, ms[i]);
	for (i = 0; i + 1 < IRC_REGISTER_MILESTONES; i++, col++)
		if (ms[i] != 0 && ms[i + 1] != 0)
			worksheet_write_number(w->sheet, row, col,
			    (double)(ms[i + 1] - ms[i]) / 3600e6, NULL);
	worksheet_write_number(w->sheet, row, col++, r->clocks_met, NULL);
	worksheet_write_number(w->sheet, row, col++, r->clocks_missed, NULL);
	worksheet_write_number(w->sheet, row, col++, r->clocks_running, NULL);
	worksheet_write_number(w->sheet, row, col++, r->followups_open, NULL);
	free(title);
	w->rows++;
	(void)err;
	return IRC_OK;
}

/*
 * Points stderr at /dev/null and returns the old stderr, or -1 when it
 * cannot.  libxlsxwriter 1.1.4 prints "[ERROR]" lines to stderr when a
 * write fails and has no option to turn them off, and its messages name
 * its temporary file, so the caller reports the failure in one line of
 * its own.
 */
static int
xlsx_quiet_stderr(void)
{
	int saved, null;

	fflush(stderr);
	if ((saved = dup(STDERR_FILENO)) < 0)
		return -1;
	if ((null = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0 ||
	    dup2(null, STDERR_FILENO) < 0) {
		if (null >= 0)
			close(null);
		close(saved);
		return -1;
	}
	close(null);
	return saved;
}

static void
xlsx_restore_stderr(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/* Stores why workbook_close() failed, naming path instead of its temporary file. */
static enum irc_status
xlsx_close_fail(struct irc_error *err, const char *path, lxw_error lerr,
    int errnum)
{
	switch (lerr) {
	case LXW_ERROR_CREATING_XLSX_FILE:
	case LXW_ERROR_CREATING_TMPFILE:
	case LXW_ERROR_ZIP_FILE_OPERATION:
	case LXW_ERROR_ZIP_CLOSE:
		if (errnum != 0)
			return irc_write_fail(err, path, errnum);
		break;
	default:
		break;
	}
	return irc_fail(err, IRC_ERR_IO, "cannot write %s: %s", path,
	    lxw_strerror(lerr));
}

/*
 * Writes the workbook to a temporary file beside path and renames it
 * over path once libxlsxwriter has closed it.
 */
static enum irc_status
register_write_xlsx(struct irc_db *db, const struct irc_register_query *q,
    const char *path, int64_t *rows, struct irc_error *err)
{
	char *tmp = irc_xasprintf("%s.XXXXXX", path);
	struct register_xlsx w;
	lxw_workbook *book = NULL;
	lxw_format *bold;
	lxw_error lerr;
	enum irc_status st;
	int fd, quiet = -1, close_errno;

	memset(&w, 0, sizeof w);
	if ((st = irc_output_path_check(path, err)) != IRC_OK) {
		free(tmp);
		return st;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		st = irc_fail(err, IRC_ERR_IO, "cannot create a temporary file "
		    "beside %s: %s", path, strerror(errno));
		free(tmp);
		return st;
	}
	close(fd);
	quiet = xlsx_quiet_stderr();
	book = workbook_new(tmp);
	if (book == NULL) {
		st = irc_fail(err, IRC_ERR_IO, "cannot create workbook %s: %s",
		    path, strerror(errno != 0 ? errno : ENOMEM));
		goto out;
	}
	w.sheet = workbook_add_worksheet(book, "Register");
	bold = workbook_add_format(book);
	format_set_bold(bold);
	w.date = workbook_add_format(book);
	format_set_num_format(w.date, "yyyy-mm-dd hh:mm:ss");
	for (size_t i = 0; i < REGISTER_NCOLUMNS; i++)
		worksheet_write_string(w.sheet, 0, (lxw_col_t)i,
		    register_columns[i], bold);
	worksheet_set_column(w.sheet, 6, 11, 20, NULL);
	worksheet_freeze_panes(w.sheet, 1, 0);
	st = irc_register_walk(db, q, register_xlsx_row, &w, err);
	*rows = w.rows;
	errno = 0;
	lerr = workbook_close(book);
	close_errno = errno;
	book = NULL;
	if (st == IRC_OK && lerr != LXW_NO_ERROR)
		st = xlsx_close_fail(err, path, lerr, close_errno);
	if (st == IRC_OK && rename(tmp, path) != 0)
		st = irc_fail(err, IRC_ERR_IO, "cannot rename %s to %s: %s", tmp,
		    path, strerror(errno));
out:
	if (book != NULL)
		workbook_close(book);
	xlsx_restore_stderr(quiet);
	if (st != IRC_OK)
		unlink(tmp);
	free(tmp);
	return st;
}

enum irc_status
irc_register_write(struct irc_db *db, const struct irc_register_query *q,
    enum irc_register_format format, FILE *out, const char *path,
    int64_t *rows, struct irc_error *err)
{
	*rows = 0;
	if (format == IRC_REGISTER_XLSX)
		return register_write_xlsx(db, q, path, rows, err);
	return register_write_text(db, q, out, path != NULL ? path :
	    "standard output", format == IRC_REGISTER_MD, rows,
	    err);
}
