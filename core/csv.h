/*
 * csv.h: a reader for CSV text as RFC 4180 describes it.
 *
 * Fields are separated by commas and records by CRLF or LF.  A field in
 * double quotes may hold commas, line breaks and quotes written twice
 * ("").  A UTF-8 byte order mark before the first record is skipped, and
 * empty lines between records are ignored.  The reader works on text in
 * memory and copies each field, so the text may be freed after the last
 * call.
 */
#ifndef IRC_CSV_H
#define IRC_CSV_H

#include <stddef.h>

#include "status.h"

/* Maximum fields in one record. */
#define IRC_CSV_MAX_FIELDS 1024

struct irc_csv {
	const char *name;	/* file name for messages */
	const char *text;
	size_t len;
	size_t pos;		/* offset of the next byte to read */
	int line;		/* line of the next byte, from 1 */
};

struct irc_csv_record {
	char **fields;		/* nfields NUL-terminated strings */
	size_t nfields;
	int line;		/* line the record starts on */
};

/* Starts reading len bytes of text; name is used in messages. */
void irc_csv_init(struct irc_csv *csv, const char *name, const char *text,
    size_t len);

/*
 * Reads the next record into *rec, which the caller clears with
 * irc_csv_record_free() (also after an error).  Returns IRC_OK with
 * rec->nfields 0 at the end of the text.  A quote that is never closed,
 * text right after a closing quote, a NUL byte or more than
 * IRC_CSV_MAX_FIELDS fields is IRC_ERR_INVALID with "NAME:LINE: ".
 */
enum irc_status irc_csv_next(struct irc_csv *csv, struct irc_csv_record *rec,
    struct irc_error *err);

void irc_csv_record_free(struct irc_csv_record *rec);

#endif
