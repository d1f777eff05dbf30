/*
 * playbook.c: reading a playbook file and checking its bytes.
 *
 * The loader keeps the file's bytes as they are (pb->text, hashed into
 * pb->sha256) and parses a normalised copy: the UTF-8 byte order mark is
 * dropped, CRLF and lone CR become LF, and the YAML front matter is blanked
 * out line by line so that cmark's line numbers stay the file's line
 * numbers.  The mapping onto phases lives in playbook_map.c and the front
 * matter in playbook_meta.c.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "mem.h"
#include "playbook.h"
#include "playbook_internal.h"
#include "sanitize.h"
#include "status.h"

void
irc_pb_warn(struct irc_playbook *pb, int line, const char *fmt, ...)
{
	char text[IRC_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);

	pb_grow(&pb->warnings, pb->nwarnings, sizeof *pb->warnings);
	pb->warnings[pb->nwarnings++] = irc_xasprintf("%d: %s", line, text);
}

static size_t
limit_size(const struct irc_pb_limits *limits)
{
	if (limits == NULL || limits->max_size == 0)
		return IRC_PLAYBOOK_MAX_SIZE;
	return limits->max_size;
}

static int
limit_depth(const struct irc_pb_limits *limits)
{
	if (limits == NULL || limits->max_depth <= 0)
		return IRC_PLAYBOOK_MAX_DEPTH;
	return limits->max_depth;
}

/*
 * Returns the 1-based line of offset in raw text, counting LF, CRLF and a
 * lone CR each as one line end, as the normalised copy does.
 */
static int
line_at(const char *text, size_t offset)
{
	int line = 1;
	size_t i;

	for (i = 0; i < offset; i++) {
		if (text[i] == '\n')
			line++;
		else if (text[i] == '\r' && (i + 1 >= offset ||
		    text[i + 1] != '\n'))
			line++;
	}
	return line;
}

static void
hash_hex(const char *text, size_t len, char hex[65])
{
	/*
	 * Fetched once: OpenSSL 3 looks the algorithm up again on every
	 * EVP_Digest() call given EVP_sha256(), which costs more than
	 * hashing a small playbook.
	 */
	static EVP_MD *sha256;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (sha256 == NULL)
		sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (sha256 == NULL ||
	    EVP_Digest(text, len, md, &mdlen, sha256, NULL) != 1 ||
	    mdlen != 32) {
		/* Only an OpenSSL build without SHA-256 gets here. */
		memset(hex, '0', 64);
		hex[64] = '\0';
		return;
	}
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/*
 * Returns a copy of text without a leading byte order mark and with every
 * CRLF and lone CR turned into LF.  *out_len is set to its length.
 */
static char *
normalise(const char *text, size_t len, size_t *out_len)
{
	char *copy;
	size_t i = 0, n = 0;

	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	copy = irc_xmalloc(len - i + 1);
	for (; i < len; i++) {
		if (text[i] == '\r') {
			copy[n++] = '\n';
			if (i + 1 < len && text[i + 1] == '\n')
				i++;
		} else
			copy[n++] = text[i];
	}
	copy[n] = '\0';
	*out_len = n;
	return copy;
}

static int
count_lines(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int lines = 1;

	while ((p = memchr(p, '\n', end - p)) != NULL) {
		lines++;
		p++;
	}
	return lines;
}

/* Returns true when the line at text[start, end) is delim plus blanks. */
static bool
line_is(const char *line, size_t len, const char *delim)
{
	size_t n = strlen(delim);

	if (len < n || memcmp(line, delim, n) != 0)
		return false;
	for (; n < len; n++) {
		if (line[n] != ' ' && line[n] != '\t')
			return false;
	}
	return true;
}

/*
 * Parses the front matter when line 1 of md is "---" and blanks it out so
 * that cmark reads the rest from line 1 with the file's line numbers.
 */
static enum irc_status
split_front_matter(struct irc_playbook *pb, const char *name, char *md,
    size_t len, struct irc_error *err)
{
	const char *eol, *line, *yaml;
	enum irc_status status;
	size_t end;

	eol = memchr(md, '\n', len);
	if (eol == NULL || !line_is(md, eol - md, "---"))
		return IRC_OK;

	yaml = line = eol + 1;
	for (;;) {
		const char *stop = md + len;

		eol = memchr(line, '\n', stop - line);
		if (eol == NULL)
			eol = stop;
		if (line_is(line, eol - line, "---") ||
		    line_is(line, eol - line, "..."))
			break;
		if (eol == stop) {
			return irc_fail(err, IRC_ERR_PLAYBOOK, "%s:1: the "
			    "front matter that starts on line 1 has no closing "
			    "'---' line; add one after its last key", name);
		}
		line = eol + 1;
	}

	status = irc_pb_meta_parse(pb, name, yaml, line - yaml, 2, err);
	if (status != IRC_OK)
		return status;

	end = eol - md;
	for (size_t i = 0; i < end; i++) {
		if (md[i] != '\n')
			md[i] = ' ';
	}
	return IRC_OK;
}

/* Returns name without its folders and without a ".md" ending. */
static char *
base_title(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *base = slash != NULL ? slash + 1 : name;
	size_t n = strlen(base);

	if (n > 3 && strcasecmp(base + n - 3, ".md") == 0)
		n -= 3;
	else if (n > 9 && strcasecmp(base + n - 9, ".markdown") == 0)
		n -= 9;
	if (n == 0)
		return irc_xstrdup("playbook");
	return irc_xstrndup(base, n);
}

static enum irc_status
check_bytes(const char *name, const char *raw, size_t raw_len,
    const char *md, size_t md_len, struct irc_error *err)
{
	const char *nul;
	size_t bad;

	nul = memchr(raw, '\0', raw_len);
	if (nul != NULL) {
		return irc_fail(err, IRC_ERR_PLAYBOOK, "%s:%d: contains a NUL "
		    "byte, so it is a binary file and not a Markdown playbook; "
		    "give the path of a UTF-8 text file", name,
		    line_at(raw, nul - raw));
	}
	bad = irc_utf8_invalid_at(md, md_len);
	if (bad < md_len) {
		return irc_fail(err, IRC_ERR_PLAYBOOK, "%s:%d: invalid UTF-8 "
		    "(byte 0x%02X); save the file as UTF-8", name,
		    count_lines(md, bad), (unsigned char)md[bad]);
	}
	return IRC_OK;
}

enum irc_status
irc_playbook_parse(const char *name, const char *text, size_t len,
    const struct irc_pb_limits *limits, struct irc_playbook **out,
    struct irc_error *err)
{
	struct irc_playbook *pb = NULL;
	enum irc_status status;
	char *md = NULL;
	size_t md_len, max = limit_size(limits);

	if (out != NULL)
		*out = NULL;
	if (name == NULL)
		name = "playbook";
	if (out == NULL || (text == NULL && len > 0)) {
		return irc_fail(err, IRC_ERR_INVALID, "%s: no playbook text "
		    "or no place for the result", name);
	}
	if (len > max) {
		return irc_fail(err, IRC_ERR_TOO_LARGE, "%s: %zu bytes is over "
		    "the %zu-byte limit for a playbook; split it into smaller "
		    "files or raise playbooks.max_size in config.yaml", name,
		    len, max);
	}

	pb = irc_xcalloc(1, sizeof *pb);
	pb->path = irc_xstrdup(name);
	pb->text = irc_xmalloc(len + 1);
	if (len > 0)
		memcpy(pb->text, text, len);
	pb->text[len] = '\0';
	pb->text_len = len;
	hash_hex(pb->text, len, pb->sha256);
	for (int i = 0; i < IRC_PHASE_COUNT; i++)
		pb->phases[i].phase = (enum irc_phase)i;

	md = normalise(pb->text, len, &md_len);
	status = check_bytes(name, pb->text, len, md, md_len, err);
	if (status != IRC_OK)
		goto out;
	status = split_front_matter(pb, name, md, md_len, err);
	if (status != IRC_OK)
		goto out;
	status = irc_pb_map(pb, name, md, md_len, limit_depth(limits),
	    limits != NULL ? limits->part : 0, err);
	if (status != IRC_OK)
		goto out;
	if (pb->title == NULL)
		pb->title = base_title(name);

	*out = pb;
	pb = NULL;
out:
	free(md);
	irc_playbook_free(pb);
	return status;
}

/* Reads the whole of fd, which fstat reported as size bytes, into *out. */
static enum irc_status
read_all(int fd, const char *path, size_t size, size_t max, char **out,
    size_t *out_len, struct irc_error *err)
{
	char *buf;
	size_t cap = size + 1, len = 0;
	ssize_t n;

	buf = irc_xmalloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap > max) {
				free(buf);
				return irc_fail(err, IRC_ERR_TOO_LARGE, "%s: "
				    "grew past the %zu-byte limit for a "
				    "playbook while being read; split it into "
				    "smaller files", path, max);
			}
			cap *= 2;
			buf = irc_xrealloc(buf, cap, 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return irc_fail(err, IRC_ERR_IO, "%s: read failed: %s",
			    path, strerror(errno));
		}
		len += (size_t)n;
	}
	if (len > max) {
		free(buf);
		return irc_fail(err, IRC_ERR_TOO_LARGE, "%s: %zu bytes is over "
		    "the %zu-byte limit for a playbook; split it into smaller "
		    "files or raise playbooks.max_size in config.yaml", path,
		    len, max);
	}
	*out = buf;
	*out_len = len;
	return IRC_OK;
}

enum irc_status
irc_playbook_load(const char *path, const struct irc_pb_limits *limits,
    struct irc_playbook **out, struct irc_error *err)
{
	enum irc_status status;
	struct stat st;
	char *buf = NULL;
	size_t len = 0, max = limit_size(limits);
	int fd = -1;

	if (out != NULL)
		*out = NULL;
	if (path == NULL || *path == '\0' || out == NULL) {
		return irc_fail(err, IRC_ERR_INVALID, "no playbook path given; "
		    "give the path of a Markdown file");
	}

	/*
	 * O_NONBLOCK keeps a FIFO from blocking the open (fstat rejects it
	 * below) and has no effect on reading a regular file.
	 */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			return irc_fail(err, IRC_ERR_NOT_FOUND, "%s: playbook "
			    "file not found; check the path", path);
		}
		return irc_fail(err, IRC_ERR_IO, "%s: cannot open the "
		    "playbook: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		status = irc_fail(err, IRC_ERR_IO, "%s: cannot read the "
		    "playbook's size: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		status = irc_fail(err, IRC_ERR_IO, "%s: is a folder, not a "
		    "playbook; give the path of a .md file in it", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		status = irc_fail(err, IRC_ERR_IO, "%s: is not a regular "
		    "file; give the path of a Markdown file", path);
		goto out;
	}
	if ((unsigned long long)st.st_size > max) {
		status = irc_fail(err, IRC_ERR_TOO_LARGE, "%s: %lld bytes is "
		    "over the %zu-byte limit for a playbook; split it into "
		    "smaller files or raise playbooks.max_size in config.yaml",
		    path, (long long)st.st_size, max);
		goto out;
	}
	status = read_all(fd, path, (size_t)st.st_size, max, &buf, &len, err);
	if (status != IRC_OK)
		goto out;
	status = irc_playbook_parse(path, buf, len, limits, out, err);
out:
	free(buf);
	close(fd);
	return status;
}

size_t
irc_playbook_step_count(const struct irc_playbook *pb)
{
	size_t n = 0;

	if (pb == NULL)
		return 0;
	for (int i = 0; i < IRC_PHASE_COUNT; i++)
		n += pb->phases[i].nsteps;
	return n;
}

static void
free_strings(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void
irc_playbook_free(struct irc_playbook *pb)
{
	if (pb == NULL)
		return;
	for (int i = 0; i < IRC_PHASE_COUNT; i++) {
		struct irc_pb_phase *ph = &pb->phases[i];

		for (size_t j = 0; j < ph->nsteps; j++) {
			free(ph->steps[j].title);
			free(ph->steps[j].body);
			free(ph->steps[j].group);
			free(ph->steps[j].guidance);
			free(ph->steps[j].anchor);
		}
		free(ph->steps);
	}
	for (size_t i = 0; i < pb->nrefs; i++) {
		free(pb->refs[i].title);
		free(pb->refs[i].body);
		free(pb->refs[i].anchor);
	}
	free(pb->refs);
	for (size_t i = 0; i < pb->nheadings; i++)
		free(pb->headings[i].text);
	free(pb->headings);
	for (size_t i = 0; i < pb->nanchors; i++)
		free(pb->anchors[i].slug);
	free(pb->anchors);
	for (size_t i = 0; i < pb->nlinks; i++)
		free(pb->links[i].slug);
	free(pb->links);
	free_strings(pb->warnings, pb->nwarnings);
	free_strings(pb->tags, pb->ntags);
	free_strings(pb->iso_controls, pb->niso);
	free_strings(pb->map_text, pb->nmap);
	free(pb->map_phase);
	free_strings(pb->parts, pb->nparts);
	free(pb->tlp);
	free(pb->path);
	free(pb->title);
	free(pb->id);
	free(pb->version);
	free(pb->text);
	free(pb);
}
