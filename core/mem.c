/*
 * mem.c: allocation wrappers; mem.h states the policy.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

void *
irc_xmalloc(size_t size)
{
	void *p = malloc(size == 0 ? 1 : size);

	if (p == NULL)
		abort();
	return p;
}

void *
irc_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);

	if (p == NULL)
		abort();
	return p;
}

void *
irc_xrealloc(void *ptr, size_t count, size_t size)
{
	void *p;

	if (size != 0 && count > SIZE_MAX / size)
		abort();
	p = realloc(ptr, count * size == 0 ? 1 : count * size);
	if (p == NULL)
		abort();
	return p;
}

char *
irc_xstrdup(const char *s)
{
	return irc_xstrndup(s, strlen(s));
}

char *
irc_xstrndup(const char *s, size_t len)
{
	char *p = irc_xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
irc_xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	p = irc_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
irc_buf_addf(struct irc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->data = irc_xrealloc(b->data, b->cap, 1);
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}
