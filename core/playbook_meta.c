/*
 * playbook_meta.c: the YAML front matter of a playbook.
 *
 * The front matter is one YAML mapping between a "---" line 1 and the next
 * "---" or "..." line.  The keys read are id, title, version, tlp,
 * severity (1-4 or low, medium, high, critical), tags and iso_controls
 * (a list, or one string of comma-separated words) and phases (a mapping
 * from heading text to a phase name or "reference"); other keys are
 * skipped whatever their value.
 * libyaml's event parser is used instead of its document loader so that
 * the nesting of skipped values stays bounded.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "mem.h"
#include "model.h"
#include "playbook.h"
#include "playbook_internal.h"
#include "status.h"

/* Maximum nesting of the values under unknown keys. */
#define META_MAX_DEPTH 32

struct meta {
	struct irc_playbook *pb;
	const char *name;
	int first_line;		/* file line of the front matter's line 1 */
	yaml_parser_t parser;
	struct irc_error *err;
};

static int
meta_line(const struct meta *m, const yaml_mark_t *mark)
{
	return m->first_line + (int)mark->line;
}

static enum irc_status
meta_syntax_error(struct meta *m)
{
	const yaml_parser_t *p = &m->parser;
	const char *problem = p->problem != NULL ? p->problem : "invalid YAML";

	return irc_fail(m->err, IRC_ERR_PLAYBOOK, "%s:%d: front matter: %s; "
	    "fix the YAML between the two '---' lines", m->name,
	    meta_line(m, &p->problem_mark), problem);
}

static enum irc_status
meta_next(struct meta *m, yaml_event_t *event)
{
	if (!yaml_parser_parse(&m->parser, event))
		return meta_syntax_error(m);
	/* After the end of the stream libyaml returns YAML_NO_EVENT for ever. */
	if (event->type == YAML_NO_EVENT)
		return irc_fail(m->err, IRC_ERR_PLAYBOOK, "%s:%d: front matter "
		    "ends inside a value; fix the YAML between the two '---' "
		    "lines", m->name, meta_line(m, &m->parser.mark));
	return IRC_OK;
}

/* Returns a copy of a scalar's value with line ends as spaces, trimmed. */
static char *
scalar_text(const yaml_event_t *event)
{
	const char *v = (const char *)event->data.scalar.value;
	size_t len = event->data.scalar.length;
	char *copy;

	while (len > 0 && (v[0] == ' ' || v[0] == '\t' || v[0] == '\n')) {
		v++;
		len--;
	}
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
	    v[len - 1] == '\n'))
		len--;
	copy = irc_xstrndup(v, len);
	for (char *p = copy; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	}
	return copy;
}

/*
 * Consumes the rest of a value whose first event is first: nothing more
 * for a scalar or alias, everything up to the matching end for a list or
 * mapping.
 */
static enum irc_status
meta_skip(struct meta *m, const yaml_event_t *first)
{
	yaml_event_t event;
	enum irc_status status;
	int depth;

	if (first->type != YAML_SEQUENCE_START_EVENT &&
	    first->type != YAML_MAPPING_START_EVENT)
		return IRC_OK;
	depth = 1;
	while (depth > 0) {
		status = meta_next(m, &event);
		if (status != IRC_OK)
			return status;
		if (event.type == YAML_SEQUENCE_START_EVENT ||
		    event.type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (event.type == YAML_SEQUENCE_END_EVENT ||
		    event.type == YAML_MAPPING_END_EVENT)
			depth--;
		if (depth > META_MAX_DEPTH) {
			status = irc_fail(m->err, IRC_ERR_PLAYBOOK, "%s:%d: "
			    "front matter is nested more than %d levels deep; "
			    "flatten it", m->name,
			    meta_line(m, &event.start_mark), META_MAX_DEPTH);
			yaml_event_delete(&event);
			return status;
		}
		yaml_event_delete(&event);
	}
	return IRC_OK;
}

static enum irc_status
meta_severity(struct meta *m, const yaml_event_t *value)
{
	char *text;
	bool valid;

	if (value->type != YAML_SCALAR_EVENT)
		goto invalid;
	text = scalar_text(value);
	valid = irc_severity_parse(text, &m->pb->severity);
	free(text);
	if (valid)
		return IRC_OK;
invalid:
	return irc_fail(m->err, IRC_ERR_PLAYBOOK, "%s:%d: front matter: "
	    "severity must be 1-4 or low, medium, high, critical", m->name,
	    meta_line(m, &value->start_mark));
}

static void
meta_add_word(char ***list, size_t *n, const char *tag, size_t len)
{
	while (len > 0 && (*tag == ' ' || *tag == '\t')) {
		tag++;
		len--;
	}
	while (len > 0 && (tag[len - 1] == ' ' || tag[len - 1] == '\t'))
		len--;
	if (len == 0)
		return;
	*list = irc_xrealloc(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = irc_xstrndup(tag, len);
}

static void
meta_clear_words(char ***list, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*list)[i]);
	free(*list);
	*list = NULL;
	*n = 0;
}

/*
 * Reads a list of words (tags, iso_controls) as "a, b" or as a list of
 * scalars.
 */
static enum irc_status
meta_words(struct meta *m, const char *key, const yaml_event_t *value,
    char ***list, size_t *n)
{
	yaml_event_t event;
	enum irc_status status;
	char *text, *p, *comma;

	meta_clear_words(list, n);
	if (value->type == YAML_SCALAR_EVENT) {
		text = scalar_text(value);
		for (p = text; (comma = strchr(p, ',')) != NULL; p = comma + 1)
			meta_add_word(list, n, p, comma - p);
		meta_add_word(list, n, p, strlen(p));
		free(text);
		return IRC_OK;
	}
	if (value->type != YAML_SEQUENCE_START_EVENT)
		goto invalid;
	for (;;) {
		status = meta_next(m, &event);
		if (status != IRC_OK)
			return status;
		if (event.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&event);
			return IRC_OK;
		}
		if (event.type != YAML_SCALAR_EVENT) {
			yaml_event_delete(&event);
			goto invalid;
		}
		text = scalar_text(&event);
		meta_add_word(list, n, text, strlen(text));
		free(text);
		yaml_event_delete(&event);
	}
invalid:
	return irc_fail(m->err, IRC_ERR_PLAYBOOK, "%s:%d: front matter: %s "
	    "must be a list of words, such as [a, b]", m->name,
	    meta_line(m, &value->start_mark), key);
}

/*
 * Reads the phases map: heading text to one of the six phases, or to
 * "reference" for a reference pane.
 */
static enum irc_status
meta_phase_map(struct meta *m, const yaml_event_t *value)
{
	struct irc_playbook *pb = m->pb;
	yaml_event_t key, val;
	enum irc_status status;
	enum irc_phase phase;
	int line;
	char *text;

	if (value->type != YAML_MAPPING_START_EVENT) {
		return irc_fail(m->err, IRC_ERR_PLAYBOOK, "%s:%d: front "
		    "matter: phases must map heading text to a phase, such as "
		    "'Containment: respond'", m->name,
		    meta_line(m, &value->start_mark));
	}
	for (;;) {
		status = meta_next(m, &key);
		if (status != IRC_OK)
			return status;
		if (key.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&key);
			return IRC_OK;
		}
		status = meta_next(m, &val);
		if (status != IRC_OK) {
			yaml_event_delete(&key);
			return status;
		}
		line = meta_line(m, &val.start_mark);
		if (key.type != YAML_SCALAR_EVENT ||
		    val.type != YAML_SCALAR_EVENT) {
			yaml_event_delete(&key);
			yaml_event_delete(&val);
			return irc_fail(m->err, IRC_ERR_PLAYBOOK, "%s:%d: front "
			    "matter: each phases entry must be 'heading text: "
			    "phase'", m->name, line);
		}
		text = scalar_text(&val);
		pb->map_text = irc_xrealloc(pb->map_text, pb->nmap + 1,
		    sizeof *pb->map_text);
		pb->map_phase = irc_xrealloc(pb->map_phase, pb->nmap + 1,
		    sizeof *pb->map_phase);
		if (strcasecmp(text, "reference") == 0)
			pb->map_phase[pb->nmap] = -1;
		else if (irc_phase_parse(text, &phase))
			pb->map_phase[pb->nmap] = (int)phase;
		else {
			status = irc_fail(m->err, IRC_ERR_PLAYBOOK, "%s:%d: "
			    "front matter: phases: '%s' is not a phase; use "
			    "prepare, report, assess, respond, learn, evidence "
			    "or reference", m->name, line, text);
			free(text);
			yaml_event_delete(&key);
			yaml_event_delete(&val);
			return status;
		}
		free(text);
		pb->map_text[pb->nmap++] = scalar_text(&key);
		yaml_event_delete(&key);
		yaml_event_delete(&val);
	}
}

/* Stores a one-value key (id, title, version) in *slot. */
static enum irc_status
meta_string(struct meta *m, const char *key, const yaml_event_t *value,
    char **slot)
{
	if (value->type != YAML_SCALAR_EVENT) {
		return irc_fail(m->err, IRC_ERR_PLAYBOOK, "%s:%d: front "
		    "matter: %s must be a single value, not a list or mapping",
		    m->name, meta_line(m, &value->start_mark), key);
	}
	free(*slot);
	*slot = scalar_text(value);
	if (**slot == '\0') {
		free(*slot);
		*slot = NULL;
	}
	return IRC_OK;
}

static enum irc_status
meta_pair(struct meta *m, const char *key, const yaml_event_t *value)
{
	struct irc_playbook *pb = m->pb;

	if (strcmp(key, "id") == 0)
		return meta_string(m, key, value, &pb->id);
	if (strcmp(key, "title") == 0)
		return meta_string(m, key, value, &pb->title);
	if (strcmp(key, "version") == 0)
		return meta_string(m, key, value, &pb->version);
	if (strcmp(key, "tlp") == 0)
		return meta_string(m, key, value, &pb->tlp);
	if (strcmp(key, "tags") == 0)
		return meta_words(m, key, value, &pb->tags, &pb->ntags);
	if (strcmp(key, "iso_controls") == 0)
		return meta_words(m, key, value, &pb->iso_controls, &pb->niso);
	if (strcmp(key, "phases") == 0)
		return meta_phase_map(m, value);
	if (strcmp(key, "severity") == 0)
		return meta_severity(m, value);
	return meta_skip(m, value);
}

/* Reads the pairs of the top-level mapping up to its end. */
static enum irc_status
meta_mapping(struct meta *m)
{
	yaml_event_t key, value;
	enum irc_status status;
	char *name;

	for (;;) {
		status = meta_next(m, &key);
		if (status != IRC_OK)
			return status;
		if (key.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&key);
			return IRC_OK;
		}
		if (key.type != YAML_SCALAR_EVENT) {
			status = irc_fail(m->err, IRC_ERR_PLAYBOOK, "%s:%d: "
			    "front matter: a key must be a plain word such as "
			    "title", m->name, meta_line(m, &key.start_mark));
			yaml_event_delete(&key);
			return status;
		}
		name = scalar_text(&key);
		yaml_event_delete(&key);

		status = meta_next(m, &value);
		if (status == IRC_OK) {
			status = meta_pair(m, name, &value);
			yaml_event_delete(&value);
		}
		free(name);
		if (status != IRC_OK)
			return status;
	}
}

enum irc_status
irc_pb_meta_parse(struct irc_playbook *pb, const char *name,
    const char *yaml, size_t len, int first_line, struct irc_error *err)
{
	struct meta m = { pb, name, first_line, { 0 }, err };
	yaml_event_t event;
	enum irc_status status;
	bool done = false;

	if (!yaml_parser_initialize(&m.parser))
		return irc_fail(err, IRC_ERR_PLAYBOOK, "%s: cannot start the "
		    "YAML parser for the front matter", name);
	yaml_parser_set_input_string(&m.parser, (const unsigned char *)yaml,
	    len);

	while (!done) {
		status = meta_next(&m, &event);
		if (status != IRC_OK)
			goto out;
		switch (event.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_MAPPING_START_EVENT:
			status = meta_mapping(&m);
			break;
		case YAML_SCALAR_EVENT:
			/* An empty front matter is one empty scalar. */
			if (event.data.scalar.length == 0)
				break;
			/* FALLTHROUGH */
		case YAML_SEQUENCE_START_EVENT:
		case YAML_ALIAS_EVENT:
			status = irc_fail(err, IRC_ERR_PLAYBOOK, "%s:%d: front "
			    "matter must be 'key: value' lines, such as "
			    "'title: Phishing'", name,
			    meta_line(&m, &event.start_mark));
			break;
		default:
			break;
		}
		yaml_event_delete(&event);
		if (status != IRC_OK)
			goto out;
	}
	status = IRC_OK;
out:
	yaml_parser_delete(&m.parser);
	return status;
}
