/*
 * scenario.c: parsing drill scenario files (see scenario.h for the form).
 *
 * The front matter is read with libyaml's event parser, so the nesting of
 * values under unknown keys stays bounded, and the body with cmark-gfm,
 * whose source positions give each inject its line.  Problems in the
 * content become diagnostics with a line, so that "ircase scenario lint"
 * can list all of them at once.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmark-gfm.h>
#include <openssl/evp.h>
#include <yaml.h>

#include "mem.h"
#include "observable.h"
#include "playbook.h"
#include "sanitize.h"
#include "scenario.h"

/* Maximum nesting of YAML values under keys the parser skips. */
#define SC_YAML_MAX_DEPTH 32
/* Maximum nesting of Markdown blocks. */
#define SC_MD_MAX_DEPTH 64
/* Longest inject message and attribute kept, in bytes. */
#define SC_TEXT_MAX 2000

static void
sc_diag(struct irc_scenario *sc, int line, bool error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
sc_diag(struct irc_scenario *sc, int line, bool error, const char *fmt, ...)
{
	struct irc_scenario_diag *d;
	char msg[IRC_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sc->diags = irc_xrealloc(sc->diags, sc->ndiags + 1, sizeof *sc->diags);
	d = &sc->diags[sc->ndiags++];
	d->line = line > 0 ? line : 1;
	d->error = error;
	d->message = irc_xstrdup(msg);
	if (error)
		sc->nerrors++;
}

bool
irc_scenario_duration_parse(const char *text, int64_t *us)
{
	static const struct {
		char unit;
		int64_t us;
	} units[] = {
		{ 'd', 86400LL * 1000000 }, { 'h', 3600LL * 1000000 },
		{ 'm', 60LL * 1000000 }, { 's', 1000000 },
	};
	const char *p = text;
	int64_t total = 0;
	size_t next = 0;

	if (text == NULL || *text == '\0')
		return false;
	if (strcmp(text, "0") == 0) {
		*us = 0;
		return true;
	}
	while (*p != '\0') {
		int64_t n = 0;
		size_t u;

		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9') {
			n = n * 10 + (*p++ - '0');
			if (n > 30LL * 86400)
				return false;
		}
		for (u = next; u < 4 && units[u].unit != *p; u++)
			;
		if (u == 4)
			return false;
		total += n * units[u].us;
		if (total > IRC_SCENARIO_MAX_US)
			return false;
		next = u + 1;
		p++;
	}
	*us = total;
	return true;
}

char *
irc_scenario_offset_format(int64_t us, bool plain, char *buf, size_t size)
{
	int64_t s = us < 0 ? -us / 1000000 : us / 1000000;
	int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;
	int64_t sec = s % 60;
	size_t n;

	n = (size_t)snprintf(buf, size, "%s%s", plain ? "" : "T",
	    plain ? (us < 0 ? "-" : "") : (us < 0 ? "-" : "+"));
	if (d > 0 && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%lldd", (long long)d);
	if (h > 0 && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%lldh", (long long)h);
	if ((m > 0 || s == 0) && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%lldm", (long long)m);
	if (sec > 0 && n < size)
		snprintf(buf + n, size - n, "%llds", (long long)sec);
	return buf;
}

/* --- front matter ------------------------------------------------------- */

struct sc_yaml {
	struct irc_scenario *sc;
	yaml_parser_t parser;
	int first_line;
	bool failed;		/* a syntax error was reported; stop reading */
};

static int
yaml_line(const struct sc_yaml *y, const yaml_mark_t *mark)
{
	return y->first_line + (int)mark->line;
}

static bool
yaml_next(struct sc_yaml *y, yaml_event_t *event)
{
	if (yaml_parser_parse(&y->parser, event)) {
		/*
		 * After the end of the stream libyaml keeps returning
		 * YAML_NO_EVENT; a reader still inside a value would loop.
		 */
		if (event->type != YAML_NO_EVENT)
			return true;
		sc_diag(y->sc, yaml_line(y, &y->parser.mark), true,
		    "front matter ends inside a value; fix the YAML between "
		    "the two '---' lines");
		y->failed = true;
		return false;
	}
	sc_diag(y->sc, yaml_line(y, &y->parser.problem_mark), true,
	    "front matter: %s; fix the YAML between the two '---' lines",
	    y->parser.problem != NULL ? y->parser.problem : "invalid YAML");
	y->failed = true;
	return false;
}

/* Consumes the rest of a value whose first event is first. */
static bool
yaml_skip(struct sc_yaml *y, const yaml_event_t *first)
{
	yaml_event_t ev;
	int depth;

	if (first->type != YAML_SEQUENCE_START_EVENT &&
	    first->type != YAML_MAPPING_START_EVENT)
		return true;
	for (depth = 1; depth > 0;) {
		if (!yaml_next(y, &ev))
			return false;
		if (ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (ev.type == YAML_SEQUENCE_END_EVENT ||
		    ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		if (depth > SC_YAML_MAX_DEPTH) {
			sc_diag(y->sc, yaml_line(y, &ev.start_mark), true,
			    "front matter is nested more than %d levels deep; "
			    "flatten it", SC_YAML_MAX_DEPTH);
			yaml_event_delete(&ev);
			y->failed = true;
			return false;
		}
		yaml_event_delete(&ev);
	}
	return true;
}

/* Returns a trimmed one-line copy of a scalar event's value. */
static char *
yaml_text(const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	char *copy;

	while (len > 0 && (*v == ' ' || *v == '\t' || *v == '\n')) {
		v++;
		len--;
	}
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
	    v[len - 1] == '\n'))
		len--;
	if (len > SC_TEXT_MAX)
		len = SC_TEXT_MAX;
	copy = irc_xstrndup(v, len);
	for (char *p = copy; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	return copy;
}

/* Adds one "name: duration" pair of the targets mapping. */
static void
target_add(struct irc_scenario *sc, char *name, const char *value, int line)
{
	struct irc_target *t;
	int64_t us;

	if (name[0] == '\0') {
		sc_diag(sc, line, true, "targets: an empty name; write a phase "
		    "(report, assess, respond, ...) or a step title");
		free(name);
		return;
	}
	if (!irc_scenario_duration_parse(value, &us)) {
		sc_diag(sc, line, true, "targets: '%s' for '%s' is not a "
		    "duration; write it like 15m, 1h30m or 2d", value, name);
		free(name);
		return;
	}
	sc->targets = irc_xrealloc(sc->targets, sc->ntargets + 1,
	    sizeof *sc->targets);
	t = &sc->targets[sc->ntargets++];
	memset(t, 0, sizeof *t);
	t->name = name;
	t->us = us;
	t->line = line;
	t->is_phase = irc_phase_parse(name, &t->phase);
}

static void
yaml_targets(struct sc_yaml *y, const yaml_event_t *value)
{
	yaml_event_t key, val;

	/* "targets:" with nothing after it sets none. */
	if (value->type == YAML_SCALAR_EVENT && value->data.scalar.length == 0)
		return;
	if (value->type != YAML_MAPPING_START_EVENT) {
		sc_diag(y->sc, yaml_line(y, &value->start_mark), true,
		    "targets must be a mapping of phase or step to a duration, "
		    "like 'respond: 2h'");
		yaml_skip(y, value);
		return;
	}
	for (;;) {
		if (!yaml_next(y, &key))
			return;
		if (key.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&key);
			return;
		}
		if (!yaml_next(y, &val)) {
			yaml_event_delete(&key);
			return;
		}
		if (key.type != YAML_SCALAR_EVENT || val.type != YAML_SCALAR_EVENT) {
			sc_diag(y->sc, yaml_line(y, &key.start_mark), true,
			    "targets: each entry must be 'name: duration'");
			if (!yaml_skip(y, &key) || !yaml_skip(y, &val)) {
				yaml_event_delete(&key);
				yaml_event_delete(&val);
				return;
			}
		} else {
			char *v = yaml_text(&val);

			target_add(y->sc, yaml_text(&key), v,
			    yaml_line(y, &key.start_mark));
			free(v);
		}
		yaml_event_delete(&key);
		yaml_event_delete(&val);
	}
}

/* Stores a string key's value in *slot, or reports a value of wrong form. */
static void
yaml_string(struct sc_yaml *y, const char *key, const yaml_event_t *value,
    char **slot)
{
	if (value->type != YAML_SCALAR_EVENT) {
		sc_diag(y->sc, yaml_line(y, &value->start_mark), true,
		    "%s must be one line of text", key);
		yaml_skip(y, value);
		return;
	}
	free(*slot);
	*slot = yaml_text(value);
}

/* Reads the top-level mapping's entries, up to its end. */
static void
yaml_entries(struct sc_yaml *y)
{
	yaml_event_t key, val;

	while (!y->failed) {
		char *name;

		if (!yaml_next(y, &key))
			return;
		if (key.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&key);
			return;
		}
		if (!yaml_next(y, &val)) {
			yaml_event_delete(&key);
			return;
		}
		name = key.type == YAML_SCALAR_EVENT ? yaml_text(&key) :
		    irc_xstrdup("");
		if (strcmp(name, "title") == 0)
			yaml_string(y, "title", &val, &y->sc->title);
		else if (strcmp(name, "playbook") == 0) {
			yaml_string(y, "playbook", &val, &y->sc->playbook);
			y->sc->playbook_line = yaml_line(y, &key.start_mark);
		} else if (strcmp(name, "targets") == 0)
			yaml_targets(y, &val);
		else {
			sc_diag(y->sc, yaml_line(y, &key.start_mark), false,
			    "front matter: unknown key '%s' is ignored; the keys "
			    "are title, playbook and targets", name);
			yaml_skip(y, &key);
			yaml_skip(y, &val);
		}
		free(name);
		yaml_event_delete(&key);
		yaml_event_delete(&val);
	}
}

static void
front_matter_parse(struct irc_scenario *sc, const char *yaml, size_t len,
    int first_line)
{
	struct sc_yaml y;
	yaml_event_t ev;

	memset(&y, 0, sizeof y);
	y.sc = sc;
	y.first_line = first_line;
	if (!yaml_parser_initialize(&y.parser))
		abort();
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)yaml,
	    len);
	/* Stream start, document start, then the mapping. */
	while (yaml_next(&y, &ev)) {
		yaml_event_type_t type = ev.type;

		if (type == YAML_MAPPING_START_EVENT) {
			yaml_event_delete(&ev);
			yaml_entries(&y);
			break;
		}
		if (type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (type != YAML_STREAM_START_EVENT &&
		    type != YAML_DOCUMENT_START_EVENT) {
			sc_diag(sc, yaml_line(&y, &ev.start_mark), true,
			    "the front matter must be a mapping of keys "
			    "(title, playbook, targets)");
			yaml_event_delete(&ev);
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&y.parser);
}

/* Returns true when line[0, len) is delim followed by blanks only. */
static bool
line_is(const char *line, size_t len, const char *delim)
{
	size_t n = strlen(delim);

	if (len < n || memcmp(line, delim, n) != 0)
		return false;
	for (; n < len; n++)
		if (line[n] != ' ' && line[n] != '\t')
			return false;
	return true;
}

/*
 * Parses the front matter when line 1 is "---" and blanks it out, so that
 * cmark reads the rest with the file's line numbers.
 */
static void
front_matter_split(struct irc_scenario *sc, char *md, size_t len)
{
	char *eol = memchr(md, '\n', len), *line, *yaml, *stop = md + len;

	if (eol == NULL || !line_is(md, (size_t)(eol - md), "---")) {
		sc_diag(sc, 1, true, "no front matter; start the file with a "
		    "'---' line, a 'title:' line and a closing '---' line");
		return;
	}
	yaml = eol + 1;
	for (line = yaml;; line = eol + 1) {
		eol = memchr(line, '\n', (size_t)(stop - line));
		if (eol == NULL)
			eol = stop;
		if (line_is(line, (size_t)(eol - line), "---") ||
		    line_is(line, (size_t)(eol - line), "..."))
			break;
		if (eol == stop) {
			sc_diag(sc, 1, true, "the front matter that starts on "
			    "line 1 has no closing '---' line; add one after "
			    "its last key");
			return;
		}
	}
	front_matter_parse(sc, yaml, (size_t)(line - yaml), 2);
	for (char *p = md; p < eol; p++)
		if (*p != '\n')
			*p = ' ';
}

/* --- injects -------------------------------------------------------------- */

/* Appends the plain text of node's inlines to *buf, as one line. */
static void
node_text(cmark_node *node, char **buf, size_t *len)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *cur = cmark_iter_get_node(it);
		const char *lit = NULL;

		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(cur)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_HTML_INLINE:
			lit = cmark_node_get_literal(cur);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			lit = " ";
			break;
		default:
			break;
		}
		if (lit == NULL || *len >= SC_TEXT_MAX)
			continue;
		size_t n = strlen(lit);

		if (*len + n > SC_TEXT_MAX)
			n = SC_TEXT_MAX - *len;
		*buf = irc_xrealloc(*buf, *len + n + 1, 1);
		memcpy(*buf + *len, lit, n);
		*len += n;
		(*buf)[*len] = '\0';
	}
	cmark_iter_free(it);
}

/* Returns the text of an item's first paragraph, trimmed (caller frees). */
static char *
item_text(cmark_node *item)
{
	cmark_node *para = cmark_node_first_child(item);
	char *buf = irc_xstrdup(""), *start, *end;
	size_t len = 0;

	if (para != NULL && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH)
		node_text(para, &buf, &len);
	for (char *p = buf; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	start = buf + strspn(buf, " ");
	end = start + strlen(start);
	while (end > start && end[-1] == ' ')
		end--;
	*end = '\0';
	memmove(buf, start, (size_t)(end - start) + 1);
	return buf;
}

/*
 * Splits "T+5m: text" into the offset word and the message.  Returns
 * false when text does not start with "T+".
 */
static bool
offset_split(const char *text, char **offset, const char **message)
{
	size_t n;

	if (strncmp(text, "T+", 2) != 0 && strncmp(text, "t+", 2) != 0)
		return false;
	n = 2 + strcspn(text + 2, " \t:");
	*offset = irc_xstrndup(text, n);
	text += n;
	text += strspn(text, " \t");
	if (*text == ':' || *text == '-')
		text++;
	*message = text + strspn(text, " \t");
	return true;
}

static void
inject_attr(struct irc_scenario *sc, struct irc_inject *in, const char *text,
    int line)
{
	const char *colon = strchr(text, ':');
	const char *value;
	size_t klen;

	if (colon == NULL) {
		sc_diag(sc, line, true, "inject attribute '%s' has no ':'; write "
		    "observable: TYPE VALUE, severity: N or expect: STEP", text);
		return;
	}
	klen = (size_t)(colon - text);
	value = colon + 1 + strspn(colon + 1, " \t");
	if (*value == '\0') {
		sc_diag(sc, line, true, "inject attribute '%.*s' has no value",
		    (int)klen, text);
		return;
	}
	if (klen == 10 && strncasecmp(text, "observable", klen) == 0) {
		enum irc_obs_type type;
		size_t tlen = strcspn(value, " \t");
		char *word = irc_xstrndup(value, tlen);
		const char *v = value + tlen + strspn(value + tlen, " \t");

		if (!irc_obs_type_parse(word, &type))
			sc_diag(sc, line, true, "observable type '%s' is not "
			    "known; use one of the types 'ircase observable add "
			    "--help' lists", word);
		else if (*v == '\0')
			sc_diag(sc, line, true, "observable '%s' has no value; "
			    "write observable: TYPE VALUE", word);
		else {
			free(in->obs_type);
			free(in->obs_value);
			in->obs_type = irc_xstrdup(irc_obs_type_key(type));
			in->obs_value = irc_xstrdup(v);
		}
		free(word);
	} else if (klen == 8 && strncasecmp(text, "severity", klen) == 0) {
		if (!irc_severity_parse(value, &in->severity))
			sc_diag(sc, line, true, "severity '%s' is not valid; use "
			    "1-4 or low, medium, high, critical", value);
	} else if (klen == 6 && strncasecmp(text, "expect", klen) == 0) {
		free(in->expect);
		in->expect = irc_xstrdup(value);
	} else
		sc_diag(sc, line, true, "unknown inject attribute '%.*s'; use "
		    "observable, severity or expect", (int)klen, text);
}

static void
inject_add(struct irc_scenario *sc, cmark_node *item, const char *text)
{
	struct irc_inject in;
	const char *message;
	int line = cmark_node_get_start_line(item);
	int64_t us;

	memset(&in, 0, sizeof in);
	in.line = line;
	if (!offset_split(text, &in.offset_text, &message))
		return;
	if (!irc_scenario_duration_parse(in.offset_text + 2, &us)) {
		sc_diag(sc, line, true, "offset '%s' is not valid; write it like "
		    "T+5m or T+1h30m (units d, h, m, s, in that order)",
		    in.offset_text);
		free(in.offset_text);
		return;
	}
	if (*message == '\0') {
		sc_diag(sc, line, true, "inject %s has no message; write the "
		    "text after the offset", in.offset_text);
		free(in.offset_text);
		return;
	}
	if (sc->ninjects == IRC_SCENARIO_MAX_INJECTS) {
		sc_diag(sc, line, true, "more than %d injects; split the "
		    "scenario", IRC_SCENARIO_MAX_INJECTS);
		free(in.offset_text);
		return;
	}
	in.offset_us = us;
	in.text = irc_xstrdup(message);
	for (cmark_node *sub = cmark_node_first_child(item); sub != NULL;
	    sub = cmark_node_next(sub)) {
		if (cmark_node_get_type(sub) != CMARK_NODE_LIST)
			continue;
		for (cmark_node *li = cmark_node_first_child(sub); li != NULL;
		    li = cmark_node_next(li)) {
			char *attr = item_text(li);

			inject_attr(sc, &in, attr, cmark_node_get_start_line(li));
			free(attr);
		}
	}
	if (sc->ninjects > 0 && sc->injects[sc->ninjects - 1].offset_us > us)
		sc_diag(sc, line, false, "inject %s comes after a later one; "
		    "they are delivered in order of time, not of the file",
		    in.offset_text);
	sc->injects = irc_xrealloc(sc->injects, sc->ninjects + 1,
	    sizeof *sc->injects);
	sc->injects[sc->ninjects++] = in;
}

/* Walks the lists of the document; an item starting "T+" is an inject. */
static void
injects_collect(struct irc_scenario *sc, cmark_node *node, int depth)
{
	if (depth > SC_MD_MAX_DEPTH) {
		sc_diag(sc, cmark_node_get_start_line(node), true, "Markdown is "
		    "nested more than %d blocks deep; flatten it",
		    SC_MD_MAX_DEPTH);
		return;
	}
	for (cmark_node *child = cmark_node_first_child(node); child != NULL;
	    child = cmark_node_next(child)) {
		cmark_node_type type = cmark_node_get_type(child);

		if (type == CMARK_NODE_ITEM) {
			char *text = item_text(child);

			if (strncasecmp(text, "T+", 2) == 0) {
				inject_add(sc, child, text);
				free(text);
				continue;
			}
			free(text);
		}
		if (type == CMARK_NODE_LIST || type == CMARK_NODE_ITEM ||
		    type == CMARK_NODE_BLOCK_QUOTE)
			injects_collect(sc, child, depth + 1);
	}
}

static int
inject_cmp(const void *a, const void *b)
{
	const struct irc_inject *x = a, *y = b;

	if (x->offset_us != y->offset_us)
		return x->offset_us < y->offset_us ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct irc_scenario_diag *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/* Checks what the whole file needs once it is read. */
static void
scenario_finish(struct irc_scenario *sc)
{
	if (sc->title == NULL || sc->title[0] == '\0')
		sc_diag(sc, 1, true, "the front matter has no title; add "
		    "'title: ...'");
	if (sc->ninjects == 0)
		sc_diag(sc, 1, true, "no injects; add list items like "
		    "'- T+5m: what happens'");
	for (size_t i = 0; i < sc->ntargets; i++)
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(sc->targets[i].name,
			    sc->targets[j].name) == 0)
				sc_diag(sc, sc->targets[i].line, false,
				    "targets: '%s' is given twice; the last one "
				    "counts", sc->targets[i].name);
	/* A stable sort: equal offsets keep their file order by line. */
	if (sc->ninjects > 1)
		qsort(sc->injects, sc->ninjects, sizeof *sc->injects, inject_cmp);
	if (sc->ndiags > 1)
		qsort(sc->diags, sc->ndiags, sizeof *sc->diags, diag_cmp);
}

static void
sha256_hex(const char *text, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	memset(hex, '0', 64);
	hex[64] = '\0';
	if (EVP_Digest(text, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return;
	for (unsigned int i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* Returns the 1-based line of byte offset at in text. */
static int
line_of(const char *text, size_t at)
{
	int line = 1;

	for (size_t i = 0; i < at; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* Returns a copy with CRLF and lone CR as LF. */
static char *
normalise(const char *text, size_t len, size_t *out_len)
{
	char *copy = irc_xmalloc(len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
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

enum irc_status
irc_scenario_parse(const char *name, const char *text, size_t len,
    struct irc_scenario **out, struct irc_error *err)
{
	struct irc_scenario *sc;
	cmark_node *doc;
	const char *nul;
	char *md;
	size_t md_len, bad;

	*out = NULL;
	if (len > IRC_SCENARIO_MAX_SIZE)
		return irc_fail(err, IRC_ERR_TOO_LARGE, "%s: %zu bytes is over "
		    "the %u-byte limit for a scenario; split it", name, len,
		    IRC_SCENARIO_MAX_SIZE);
	if ((nul = memchr(text, '\0', len)) != NULL)
		return irc_fail(err, IRC_ERR_INVALID, "%s:%d: contains a NUL "
		    "byte, so it is not a Markdown scenario; give a UTF-8 text "
		    "file", name, line_of(text, (size_t)(nul - text)));
	if ((bad = irc_utf8_invalid_at(text, len)) < len)
		return irc_fail(err, IRC_ERR_INVALID, "%s:%d: invalid UTF-8 "
		    "(byte 0x%02X); save the file as UTF-8", name,
		    line_of(text, bad), (unsigned char)text[bad]);

	sc = irc_xcalloc(1, sizeof *sc);
	sc->name = irc_xstrdup(name);
	sc->text = irc_xstrndup(text, len);
	sc->text_len = len;
	sha256_hex(text, len, sc->sha256);

	md = normalise(text, len, &md_len);
	front_matter_split(sc, md, md_len);
	doc = cmark_parse_document(md, md_len, CMARK_OPT_SOURCEPOS);
	injects_collect(sc, doc, 0);
	cmark_node_free(doc);
	free(md);
	scenario_finish(sc);
	*out = sc;
	return IRC_OK;
}

enum irc_status
irc_scenario_load(const char *path, struct irc_scenario **out,
    struct irc_error *err)
{
	FILE *f;
	char *buf;
	size_t len;
	enum irc_status st;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL)
		return irc_fail(err, errno == ENOENT ? IRC_ERR_NOT_FOUND :
		    IRC_ERR_IO, "cannot open scenario %s: %s", path,
		    strerror(errno));
	buf = irc_xmalloc(IRC_SCENARIO_MAX_SIZE + 1);
	len = fread(buf, 1, IRC_SCENARIO_MAX_SIZE + 1, f);
	if (ferror(f)) {
		st = irc_fail(err, IRC_ERR_IO, "cannot read scenario %s: %s",
		    path, strerror(errno));
		goto out;
	}
	st = irc_scenario_parse(path, buf, len, out, err);
out:
	fclose(f);
	free(buf);
	return st;
}

void
irc_scenario_free(struct irc_scenario *sc)
{
	if (sc == NULL)
		return;
	for (size_t i = 0; i < sc->ninjects; i++) {
		free(sc->injects[i].offset_text);
		free(sc->injects[i].text);
		free(sc->injects[i].obs_type);
		free(sc->injects[i].obs_value);
		free(sc->injects[i].expect);
	}
	for (size_t i = 0; i < sc->ntargets; i++)
		free(sc->targets[i].name);
	for (size_t i = 0; i < sc->ndiags; i++)
		free(sc->diags[i].message);
	free(sc->injects);
	free(sc->targets);
	free(sc->diags);
	free(sc->name);
	free(sc->title);
	free(sc->playbook);
	free(sc->text);
	free(sc);
}

enum irc_status
irc_scenario_check(const struct irc_scenario *sc, struct irc_error *err)
{
	for (size_t i = 0; i < sc->ndiags; i++)
		if (sc->diags[i].error)
			return irc_fail(err, IRC_ERR_INVALID, "%s:%d: %s; run "
			    "'ircase scenario lint %s' for every problem",
			    sc->name, sc->diags[i].line, sc->diags[i].message,
			    sc->name);
	return IRC_OK;
}

char *
irc_scenario_playbook_path(const struct irc_scenario *sc, const char *dir)
{
	const char *base;
	char **paths = NULL;
	size_t n = 0;
	char *found = NULL;

	if (sc->playbook == NULL || sc->playbook[0] == '\0')
		return NULL;
	if (sc->playbook[0] == '/')
		return access(sc->playbook, R_OK) == 0 ?
		    irc_xstrdup(sc->playbook) : NULL;
	if (dir != NULL) {
		found = irc_xasprintf("%s/%s", dir, sc->playbook);
		if (access(found, R_OK) == 0)
			return found;
		free(found);
		found = NULL;
	}
	if (access(sc->playbook, R_OK) == 0)
		return irc_xstrdup(sc->playbook);
	base = strrchr(sc->playbook, '/');
	base = base != NULL ? base + 1 : sc->playbook;
	if (irc_playbook_find(&paths, &n, NULL) != IRC_OK)
		return NULL;
	for (size_t i = 0; i < n && found == NULL; i++) {
		const char *slash = strrchr(paths[i], '/');

		if (strcmp(slash != NULL ? slash + 1 : paths[i], base) == 0)
			found = irc_xstrdup(paths[i]);
	}
	irc_playbook_paths_free(paths);
	return found;
}

char *
irc_scenario_playbook_tried(const struct irc_scenario *sc, const char *dir)
{
	const char *name = sc->playbook != NULL ? sc->playbook : "";
	const char *base = strrchr(name, '/');
	char **dirs;
	char *out, *next;

	if (name[0] == '/')
		return irc_xasprintf("tried %s", name);
	if (dir != NULL)
		out = irc_xasprintf("tried %s/%s and %s (from the current folder)",
		    dir, name, name);
	else
		out = irc_xasprintf("tried %s (from the current folder)", name);
	dirs = irc_playbook_dirs();
	for (char **d = dirs; *d != NULL; d++) {
		next = irc_xasprintf("%s%s%s", out, d == dirs ?
		    ", and searched " : ", ", *d);
		free(out);
		out = next;
	}
	next = irc_xasprintf("%s for %s", out, base != NULL ? base + 1 : name);
	free(out);
	irc_playbook_paths_free(dirs);
	return next;
}

/* Returns true when name is a step title or number ("3", "#3") of pb. */
static bool
playbook_has_step(const struct irc_playbook *pb, const char *name)
{
	char *end;
	long n;

	n = strtol(name[0] == '#' ? name + 1 : name, &end, 10);
	if (*end == '\0' && end != name && n > 0 &&
	    (size_t)n <= irc_playbook_step_count(pb))
		return true;
	for (int p = 0; p < IRC_PHASE_COUNT; p++)
		for (size_t i = 0; i < pb->phases[p].nsteps; i++)
			if (strcasecmp(pb->phases[p].steps[i].title, name) == 0)
				return true;
	return false;
}

void
irc_scenario_check_playbook(struct irc_scenario *sc,
    const struct irc_playbook *pb)
{
	for (size_t i = 0; i < sc->ntargets; i++)
		if (!sc->targets[i].is_phase &&
		    !playbook_has_step(pb, sc->targets[i].name))
			sc_diag(sc, sc->targets[i].line, true, "targets: '%s' is "
			    "neither a phase nor a step of playbook '%s'; use a "
			    "phase key or a step title as 'ircase playbook show' "
			    "lists it", sc->targets[i].name, pb->title);
	for (size_t i = 0; i < sc->ninjects; i++)
		if (sc->injects[i].expect != NULL &&
		    !playbook_has_step(pb, sc->injects[i].expect))
			sc_diag(sc, sc->injects[i].line, true, "inject %s expects "
			    "step '%s', which playbook '%s' does not have",
			    sc->injects[i].offset_text, sc->injects[i].expect,
			    pb->title);
	if (sc->ndiags > 1)
		qsort(sc->diags, sc->ndiags, sizeof *sc->diags, diag_cmp);
}
