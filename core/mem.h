/*
 * mem.h: allocation for core/ and the front ends.
 *
 * Policy: the irc_x* functions never return NULL.  When the C library cannot
 * allocate they call abort(), which leaves the database as its last committed
 * transaction (SQLite's journal rolls back anything unfinished), so no
 * half-written record survives.  Every other failure is a returned status,
 * never an abort.  Each header says who frees what it returns; strings and
 * arrays from core/ are freed with free() unless a *_free function is named.
 */
#ifndef IRC_MEM_H
#define IRC_MEM_H

#include <stddef.h>

void *irc_xmalloc(size_t size);
void *irc_xcalloc(size_t count, size_t size);
void *irc_xrealloc(void *ptr, size_t count, size_t size);
char *irc_xstrdup(const char *s);
char *irc_xstrndup(const char *s, size_t len);

/* Formats into a new string that the caller frees. */
char *irc_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A string that grows as text is appended; data is NULL until then. */
struct irc_buf {
	char *data;		/* NUL-terminated, owned: the caller frees it */
	size_t len;
	size_t cap;
};

/* Appends formatted text to b, growing it as needed. */
void irc_buf_addf(struct irc_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
