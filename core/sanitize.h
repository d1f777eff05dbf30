/*
 * sanitize.h: making untrusted text safe for a terminal.
 *
 * Text from playbooks, notes, other responders and TheHive may hold escape
 * sequences that a terminal would act on (clear the screen, set the title,
 * write the clipboard) or bidirectional overrides that reorder what is
 * shown.  Every such string passes through irc_sanitize() before it is
 * drawn or printed.
 */
#ifndef IRC_SANITIZE_H
#define IRC_SANITIZE_H

#include <stddef.h>

enum irc_sanitize_flags {
	IRC_SAN_KEEP_NEWLINE = 1 << 0,	/* keep '\n'; otherwise it shows as "^J" */
	IRC_SAN_KEEP_TAB = 1 << 1,	/* keep '\t'; otherwise it shows as "^I" */
};

/*
 * Returns a new string (caller frees) in which every C0 control and DEL is
 * shown in caret form ("^[" for ESC), every C1 control and bidirectional
 * control (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) as
 * "<U+XXXX>", and every byte that is not valid UTF-8 as U+FFFD.  Printable
 * text, including wide and combining characters, is unchanged.
 */
char *irc_sanitize(const char *text, size_t len, int flags);

/* irc_sanitize() of a NUL-terminated string; NULL gives "". */
char *irc_sanitize_str(const char *text, int flags);

/*
 * Returns the offset of the first byte that is not valid UTF-8 in text,
 * or len when all of it is valid.
 */
size_t irc_utf8_invalid_at(const char *text, size_t len);

/*
 * Returns a copy of text (caller frees) in which every byte that is not
 * part of a valid UTF-8 sequence is replaced with U+FFFD, and adds the
 * number of replaced bytes to *replaced when it is not NULL.  Everything
 * else, controls included, is kept as it is.
 */
char *irc_utf8_repair(const char *text, size_t len, size_t *replaced);

#endif
