/*
 * sanitize.c: untrusted text made safe to show on a terminal.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "sanitize.h"

/*
 * Decodes one UTF-8 sequence at s (n bytes available) following RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF.  Returns its
 * length and stores the code point, or returns 0 when the bytes are not
 * valid UTF-8.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

size_t
irc_utf8_invalid_at(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

/* Returns true for code points that reorder or hide text on display. */
static int
is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

char *
irc_sanitize(const char *text, size_t len, int flags)
{
	const unsigned char *s = (const unsigned char *)text;
	/* Worst case: every byte becomes "<U+XXXX>" (8) or U+FFFD (3). */
	size_t cap = len * 8 + 1, o = 0, i = 0, n;
	char *out = irc_xmalloc(cap);
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		if ((cp == '\n' && (flags & IRC_SAN_KEEP_NEWLINE)) ||
		    (cp == '\t' && (flags & IRC_SAN_KEEP_TAB))) {
			out[o++] = (char)cp;
		} else if (cp < 0x20 || cp == 0x7f) {
			out[o++] = '^';
			out[o++] = cp == 0x7f ? '?' : (char)(cp + 0x40);
		} else if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp)) {
			o += (size_t)snprintf(out + o, cap - o, "<U+%04X>",
			    (unsigned)cp);
		} else {
			memcpy(out + o, s + i, n);
			o += n;
		}
		i += n;
	}
	out[o] = '\0';
	return out;
}

char *
irc_sanitize_str(const char *text, int flags)
{
	if (text == NULL)
		return irc_xstrdup("");
	return irc_sanitize(text, strlen(text), flags);
}

char *
irc_utf8_repair(const char *text, size_t len, size_t *replaced)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t o = 0, i = 0, n, count = 0;
	char *out = irc_xmalloc(len * 3 + 1);
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			count++;
			continue;
		}
		memcpy(out + o, s + i, n);
		o += n;
		i += n;
	}
	out[o] = '\0';
	if (replaced != NULL)
		*replaced += count;
	return out;
}
