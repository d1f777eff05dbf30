/*
 * csv.c: the RFC 4180 reader.  One pass over the text, one field at a
 * time, with a small state machine for quoted fields.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "mem.h"

/* A growing byte buffer for the field being read. */
struct csv_buf {
	char *data;
	size_t len, cap;
};

static void
buf_add(struct csv_buf *b, char c)
{
	if (b->len + 1 >= b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->data = irc_xrealloc(b->data, b->cap, 1);
	}
	b->data[b->len++] = c;
}

void
irc_csv_init(struct irc_csv *csv, const char *name, const char *text,
    size_t len)
{
	memset(csv, 0, sizeof *csv);
	csv->name = name;
	csv->text = text;
	csv->len = len;
	csv->line = 1;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		csv->pos = 3;
}

void
irc_csv_record_free(struct irc_csv_record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++)
		free(rec->fields[i]);
	free(rec->fields);
	memset(rec, 0, sizeof *rec);
}

/* Returns true at a record end (LF, CRLF or a CR alone) and moves past it. */
static bool
csv_at_eol(struct irc_csv *csv)
{
	char c = csv->text[csv->pos];

	if (c == '\n') {
		csv->pos++;
		csv->line++;
		return true;
	}
	if (c == '\r') {
		csv->pos++;
		if (csv->pos < csv->len && csv->text[csv->pos] == '\n')
			csv->pos++;
		csv->line++;
		return true;
	}
	return false;
}

/* Reads a quoted field, the opening quote already read. */
static enum irc_status
csv_quoted(struct irc_csv *csv, struct csv_buf *b, struct irc_error *err)
{
	int start = csv->line;
	char c;

	while (csv->pos < csv->len) {
		c = csv->text[csv->pos++];
		if (c == '"') {
			if (csv->pos < csv->len && csv->text[csv->pos] == '"') {
				buf_add(b, '"');
				csv->pos++;
				continue;
			}
			return IRC_OK;
		}
		if (c == '\0')
			return irc_fail(err, IRC_ERR_INVALID, "%s:%d: NUL byte in "
			    "a field; save the file as CSV text", csv->name,
			    csv->line);
		if (c == '\n' || (c == '\r' && (csv->pos >= csv->len ||
		    csv->text[csv->pos] != '\n')))
			csv->line++;
		buf_add(b, c);
	}
	return irc_fail(err, IRC_ERR_INVALID, "%s:%d: the quote opened here is "
	    "never closed; close it with \"", csv->name, start);
}

/* Reads one field; *more is true when a comma follows it. */
static enum irc_status
csv_field(struct irc_csv *csv, struct csv_buf *b, bool *more,
    struct irc_error *err)
{
	enum irc_status st;
	char c;

	*more = false;
	b->len = 0;
	if (csv->pos < csv->len && csv->text[csv->pos] == '"') {
		csv->pos++;
		if ((st = csv_quoted(csv, b, err)) != IRC_OK)
			return st;
		if (csv->pos < csv->len && csv->text[csv->pos] != ',' &&
		    csv->text[csv->pos] != '\n' && csv->text[csv->pos] != '\r')
			return irc_fail(err, IRC_ERR_INVALID, "%s:%d: text after "
			    "a closing quote; quote the whole field and write a "
			    "quote inside it as \"\"", csv->name, csv->line);
	} else {
		while (csv->pos < csv->len) {
			c = csv->text[csv->pos];
			if (c == ',' || c == '\n' || c == '\r')
				break;
			if (c == '\0')
				return irc_fail(err, IRC_ERR_INVALID, "%s:%d: NUL "
				    "byte in a field; save the file as CSV text",
				    csv->name, csv->line);
			buf_add(b, c);
			csv->pos++;
		}
	}
	if (csv->pos < csv->len && csv->text[csv->pos] == ',') {
		csv->pos++;
		*more = true;
	} else if (csv->pos < csv->len) {
		csv_at_eol(csv);
	}
	return IRC_OK;
}

enum irc_status
irc_csv_next(struct irc_csv *csv, struct irc_csv_record *rec,
    struct irc_error *err)
{
	struct csv_buf b = { NULL, 0, 0 };
	enum irc_status st = IRC_OK;
	bool more = true;

	memset(rec, 0, sizeof *rec);
	while (csv->pos < csv->len && csv_at_eol(csv))
		;	/* empty lines between records */
	if (csv->pos >= csv->len)
		return IRC_OK;
	rec->line = csv->line;
	while (more) {
		if (rec->nfields == IRC_CSV_MAX_FIELDS) {
			st = irc_fail(err, IRC_ERR_INVALID, "%s:%d: more than %d "
			    "fields in one record", csv->name, rec->line,
			    IRC_CSV_MAX_FIELDS);
			break;
		}
		if ((st = csv_field(csv, &b, &more, err)) != IRC_OK)
			break;
		rec->fields = irc_xrealloc(rec->fields, rec->nfields + 1,
		    sizeof *rec->fields);
		rec->fields[rec->nfields++] = irc_xstrndup(b.data ? b.data : "",
		    b.len);
	}
	free(b.data);
	return st;
}
