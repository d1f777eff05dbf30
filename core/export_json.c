/*
 * export_json.c: the JSON export and the Timesketch JSON Lines timeline.
 *
 * The JSON export has the layout that jansson writes with JSON_INDENT(2),
 * but the actions are formatted one at a time as they are read, never
 * held as one document.  An action's body is stored in the canonical form
 * that its hash covers (compact, keys sorted); when the stored text is in
 * that form it is re-indented as it is, otherwise it is written as a JSON
 * string holding the stored text, so a reader can always recompute the
 * hash from what is exported.  Text fields with invalid UTF-8 are written
 * with U+FFFD and their stored bytes in hex under "raw_hex".
 *
 * The keys after "chain" (lifecycle, metrics, contacts, evidence,
 * observables, assets) are those of show --json.  The metrics are summed
 * as the actions stream by; the other sections are built from their own
 * tables, which stay small however long the log is.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "export_internal.h"
#include "lifecycle.h"
#include "mem.h"
#include "sanitize.h"
#include "timeutil.h"

/* Adds v in decimal; snprintf would cost more than the rest of a field. */
static void
buf_int(struct exp_buf *b, int64_t v)
{
	char buf[24], *p = buf + sizeof buf;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	exp_buf_add(b, p, (size_t)(buf + sizeof buf - p));
}

/* Adds n spaces. */
static void
buf_indent(struct exp_buf *b, int n)
{
	static const char spaces[] = "                                ";

	while (n > 0) {
		int k = n < (int)sizeof spaces - 1 ? n : (int)sizeof spaces - 1;

		exp_buf_add(b, spaces, (size_t)k);
		n -= k;
	}
}

struct indent_sink {
	struct exp_buf *buf;
	int indent;
};

/* json_dump_callback() sink that indents every line after the first. */
static int
indent_sink_write(const char *bytes, size_t len, void *data)
{
	struct indent_sink *sink = data;
	const char *nl;

	while ((nl = memchr(bytes, '\n', len)) != NULL) {
		exp_buf_add(sink->buf, bytes, (size_t)(nl - bytes) + 1);
		buf_indent(sink->buf, sink->indent);
		len -= (size_t)(nl - bytes) + 1;
		bytes = nl + 1;
	}
	exp_buf_add(sink->buf, bytes, len);
	return 0;
}

/* Adds value as jansson writes it with JSON_INDENT(2), nested at indent. */
static void
buf_json_value(struct exp_ctx *x, json_t *value, int indent)
{
	struct indent_sink sink = { &x->buf, indent };
	size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY;

	if (x->flags & IRC_EXPORT_TERMINAL)
		flags |= JSON_ENSURE_ASCII;
	json_dump_callback(value, indent_sink_write, &sink, flags);
}

/*
 * Adds compact JSON text re-indented as JSON_INDENT(2) would write it,
 * nested at indent.  text must be valid compact JSON (no whitespace
 * outside strings).
 */
static void
buf_reindent(struct exp_buf *b, const char *text, int indent)
{
	const char *p = text, *run = text;
	int depth = 0;
	bool in_string = false;

	for (; *p != '\0'; p++) {
		if (in_string) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				in_string = false;
			continue;
		}
		switch (*p) {
		case '"':
			in_string = true;
			break;
		case '{':
		case '[':
			if (p[1] == (*p == '{' ? '}' : ']')) {
				p++;
				break;
			}
			exp_buf_add(b, run, (size_t)(p - run) + 1);
			depth++;
			exp_buf_add(b, "\n", 1);
			buf_indent(b, indent + 2 * depth);
			run = p + 1;
			break;
		case '}':
		case ']':
			exp_buf_add(b, run, (size_t)(p - run));
			depth--;
			exp_buf_add(b, "\n", 1);
			buf_indent(b, indent + 2 * depth);
			run = p;
			break;
		case ',':
			exp_buf_add(b, run, (size_t)(p - run) + 1);
			exp_buf_add(b, "\n", 1);
			buf_indent(b, indent + 2 * depth);
			run = p + 1;
			break;
		case ':':
			exp_buf_add(b, run, (size_t)(p - run) + 1);
			exp_buf_add(b, " ", 1);
			run = p + 1;
			break;
		default:
			break;
		}
	}
	exp_buf_add(b, run, (size_t)(p - run));
}

/*
 * Canonical-form check of a stored body without parsing it into jansson
 * values, which costs more than the rest of the export together.  Returns
 * true only when text is exactly what json_dumps() with JSON_COMPACT |
 * JSON_SORT_KEYS writes: no whitespace, keys in strcmp order and unique,
 * strings escaped as jansson escapes them, integers without leading zeros.
 * Anything it cannot decide (reals, escaped keys, deep nesting) gives
 * false, and the caller checks with jansson instead.
 */
struct canon {
	const char *p;
	int depth;
};

static bool canon_value(struct canon *c);

static bool
canon_string(struct canon *c, const char **start, size_t *len, bool *escaped)
{
	const unsigned char *p = (const unsigned char *)c->p;

	if (*p++ != '"')
		return false;
	*start = (const char *)p;
	*escaped = false;
	for (;;) {
		if (*p == '"')
			break;
		if (*p < 0x20)
			return false;
		if (*p == '\\') {
			*escaped = true;
			p++;
			if (strchr("\"\\bfnrt", *p) != NULL && *p != '\0') {
				p++;
				continue;
			}
			/* Only controls without a short form use \u00XX. */
			if (p[0] != 'u' || p[1] != '0' || p[2] != '0' ||
			    (p[3] != '0' && p[3] != '1') ||
			    strchr("0123456789ABCDEF", p[4]) == NULL || p[4] == '\0')
				return false;
			if (strchr("\b\f\n\r\t", (p[3] - '0') * 16 +
			    (p[4] <= '9' ? p[4] - '0' : p[4] - 'A' + 10)) != NULL)
				return false;
			p += 5;
			continue;
		}
		p++;
	}
	*len = (size_t)((const char *)p - *start);
	c->p = (const char *)p + 1;
	return true;
}

static bool
canon_number(struct canon *c)
{
	const char *p = c->p;
	size_t digits;

	if (*p == '-')
		p++;
	if (*p == '0' && c->p[0] == '-')
		return false;
	if (*p == '0')
		digits = 1;
	else {
		digits = strspn(p, "0123456789");
		if (digits == 0)
			return false;
	}
	/* Reals and integers that may overflow json_int_t are left to jansson. */
	if (digits > 18 || strchr(".eE0123456789", p[digits]) != NULL)
		return false;
	c->p = p + digits;
	return true;
}

static bool
canon_object(struct canon *c)
{
	const char *key, *prev = NULL;
	size_t len, prev_len = 0;
	bool escaped;
	int cmp;

	c->p++;
	if (*c->p == '}') {
		c->p++;
		return true;
	}
	for (;;) {
		if (!canon_string(c, &key, &len, &escaped) || escaped ||
		    *c->p != ':')
			return false;
		if (prev != NULL) {
			cmp = memcmp(prev, key, len < prev_len ? len : prev_len);
			if (cmp > 0 || (cmp == 0 && prev_len >= len))
				return false;
		}
		prev = key;
		prev_len = len;
		c->p++;
		if (!canon_value(c))
			return false;
		if (*c->p == '}') {
			c->p++;
			return true;
		}
		if (*c->p++ != ',')
			return false;
	}
}

static bool
canon_array(struct canon *c)
{
	c->p++;
	if (*c->p == ']') {
		c->p++;
		return true;
	}
	for (;;) {
		if (!canon_value(c))
			return false;
		if (*c->p == ']') {
			c->p++;
			return true;
		}
		if (*c->p++ != ',')
			return false;
	}
}

static bool
canon_value(struct canon *c)
{
	const char *s;
	size_t len;
	bool escaped, ok;

	if (++c->depth > 32)
		return false;
	switch (*c->p) {
	case '{':
		ok = canon_object(c);
		break;
	case '[':
		ok = canon_array(c);
		break;
	case '"':
		ok = canon_string(c, &s, &len, &escaped);
		break;
	case 't':
		ok = strncmp(c->p, "true", 4) == 0;
		c->p += ok ? 4 : 0;
		break;
	case 'f':
		ok = strncmp(c->p, "false", 5) == 0;
		c->p += ok ? 5 : 0;
		break;
	case 'n':
		ok = strncmp(c->p, "null", 4) == 0;
		c->p += ok ? 4 : 0;
		break;
	default:
		ok = canon_number(c);
		break;
	}
	c->depth--;
	return ok;
}

/* Returns true when body is certainly a canonical JSON object. */
static bool
body_canonical_fast(const char *body)
{
	struct canon c = { body, 0 };

	if (*body != '{' || irc_utf8_invalid_at(body, strlen(body)) !=
	    strlen(body))
		return false;
	return canon_value(&c) && *c.p == '\0';
}

/* Adds the hex of s to the raw_hex object under key, creating it. */
static void
raw_hex_add(json_t **raw, const char *key, const char *s)
{
	size_t len = strlen(s);
	char *hex = irc_xmalloc(len * 2 + 1);

	for (size_t i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)s[i]);
	if (*raw == NULL)
		*raw = json_object();
	json_object_set_new(*raw, key, json_string(hex));
	free(hex);
}

/* Adds a text field of an action; records its bytes when not UTF-8. */
static void
action_text(struct exp_ctx *x, const char *key, const char *value,
    json_t **raw, int indent)
{
	bool ascii = (x->flags & IRC_EXPORT_TERMINAL) != 0;

	exp_buf_str(&x->buf, ",\n");
	buf_indent(&x->buf, indent);
	exp_buf_str(&x->buf, "\"");
	exp_buf_str(&x->buf, key);
	exp_buf_str(&x->buf, "\": ");
	if (irc_utf8_invalid_at(value, strlen(value)) != strlen(value))
		raw_hex_add(raw, key, value);
	exp_buf_json_string(&x->buf, value, ascii, &x->result->invalid_utf8);
}

/*
 * Adds the body: re-indented when the stored text is canonical, else as
 * a string holding the stored text.
 */
static void
action_body(struct exp_ctx *x, const struct irc_action *a, json_t **raw,
    int indent)
{
	json_t *body = NULL;
	char *canon = NULL;

	exp_buf_str(&x->buf, ",\n");
	buf_indent(&x->buf, indent);
	exp_buf_str(&x->buf, "\"body\": ");
	if (!(x->flags & IRC_EXPORT_TERMINAL) && body_canonical_fast(a->body)) {
		buf_reindent(&x->buf, a->body, indent);
		return;
	}
	body = json_loads(a->body, JSON_REJECT_DUPLICATES, NULL);
	if (body != NULL && json_is_object(body))
		canon = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	if (canon != NULL && strcmp(canon, a->body) == 0) {
		if (x->flags & IRC_EXPORT_TERMINAL)
			buf_json_value(x, body, indent);
		else
			buf_reindent(&x->buf, a->body, indent);
	} else {
		if (irc_utf8_invalid_at(a->body, strlen(a->body)) !=
		    strlen(a->body))
			raw_hex_add(raw, "body", a->body);
		exp_buf_json_string(&x->buf, a->body,
		    (x->flags & IRC_EXPORT_TERMINAL) != 0,
		    &x->result->invalid_utf8);
	}
	free(canon);
	json_decref(body);
}

static enum irc_status
json_action(struct exp_ctx *x, const struct irc_action *a,
    struct irc_error *err)
{
	char when[40];
	json_t *raw = NULL;
	const int in = 6;

	exp_buf_str(&x->buf, x->result->actions > 1 ? ",\n" : "\n");
	buf_indent(&x->buf, 4);
	exp_buf_str(&x->buf, "{\n");
	buf_indent(&x->buf, in);
	exp_buf_str(&x->buf, "\"id\": ");
	buf_int(&x->buf, a->id);
	exp_buf_str(&x->buf, ",\n");
	buf_indent(&x->buf, in);
	exp_buf_str(&x->buf, "\"seq\": ");
	buf_int(&x->buf, a->seq);
	exp_buf_str(&x->buf, ",\n");
	buf_indent(&x->buf, in);
	exp_buf_str(&x->buf, "\"step\": ");
	if (a->step_seq > 0)
		buf_int(&x->buf, a->step_seq);
	else
		exp_buf_str(&x->buf, "null");
	exp_buf_str(&x->buf, ",\n");
	buf_indent(&x->buf, in);
	exp_buf_str(&x->buf, "\"time\": \"");
	exp_buf_str(&x->buf, irc_time_utc(a->time_us, when, sizeof when));
	exp_buf_str(&x->buf, "\",\n");
	buf_indent(&x->buf, in);
	exp_buf_str(&x->buf, "\"time_us\": ");
	buf_int(&x->buf, a->time_us);
	action_text(x, "actor", a->actor, &raw, in);
	action_text(x, "origin", a->origin, &raw, in);
	action_text(x, "kind", a->kind, &raw, in);
	action_body(x, a, &raw, in);
	exp_buf_str(&x->buf, ",\n");
	buf_indent(&x->buf, in);
	exp_buf_str(&x->buf, "\"prev_hash\": \"");
	exp_buf_str(&x->buf, a->prev_hash);
	exp_buf_str(&x->buf, "\",\n");
	buf_indent(&x->buf, in);
	exp_buf_str(&x->buf, "\"hash\": \"");
	exp_buf_str(&x->buf, a->hash);
	exp_buf_str(&x->buf, "\"");
	if (raw != NULL) {
		exp_buf_str(&x->buf, ",\n");
		buf_indent(&x->buf, in);
		exp_buf_str(&x->buf, "\"raw_hex\": ");
		buf_json_value(x, raw, in);
		json_decref(raw);
	}
	exp_buf_str(&x->buf, "\n");
	buf_indent(&x->buf, 4);
	exp_buf_str(&x->buf, "}");
	/* Write every 64 KiB, so the buffer stays small. */
	if (x->buf.len >= 64 * 1024)
		return exp_flush(x, err);
	return IRC_OK;
}

/* Feeds an action to the metrics, then writes it. */
static enum irc_status
json_action_metrics(struct exp_ctx *x, const struct irc_action *a,
    struct irc_error *err)
{
	irc_metrics_add(&x->metrics, a);
	return json_action(x, a, err);
}

/* The verify object; keys documented in ircase(1). */
static json_t *
verify_to_json(const struct irc_verify_result *v)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "ok", json_boolean(v->ok));
	json_object_set_new(obj, "checked", json_integer(v->checked));
	json_object_set_new(obj, "head", json_string(v->head));
	if (!v->ok) {
		json_object_set_new(obj, "bad_seq", json_integer(v->bad_seq));
		json_object_set_new(obj, "bad_action_id",
		    json_integer(v->bad_action_id));
		json_object_set_new(obj, "reason", json_string(v->reason));
	}
	return obj;
}

/* Adds "key": value at the top level, after a comma unless first. */
static void
json_member(struct exp_ctx *x, const char *key, json_t *value, bool first)
{
	exp_buf_str(&x->buf, first ? "\n  " : ",\n  ");
	exp_buf_json_string(&x->buf, key, false, NULL);
	exp_buf_str(&x->buf, ": ");
	buf_json_value(x, value, 2);
}

/* Counts invalid UTF-8 in a string that the case JSON replaces. */
static void
count_invalid(struct exp_ctx *x, const char *s)
{
	size_t replaced = 0;
	char *fixed;

	if (s == NULL || irc_utf8_invalid_at(s, strlen(s)) == strlen(s))
		return;
	fixed = irc_utf8_repair(s, strlen(s), &replaced);
	free(fixed);
	x->result->invalid_utf8 += (int64_t)replaced;
}

static void
count_case_invalid(struct exp_ctx *x)
{
	const struct irc_case *c = x->kase;

	count_invalid(x, c->sum.title);
	count_invalid(x, c->description);
	count_invalid(x, c->playbook_title);
	count_invalid(x, c->playbook_path);
	for (size_t i = 0; i < c->nsteps; i++) {
		count_invalid(x, c->steps[i].title);
		count_invalid(x, c->steps[i].grp);
		count_invalid(x, c->steps[i].body);
	}
}

/*
 * Writes the keys that show --json adds after "chain".  A config.yaml
 * that cannot be read leaves "contacts" empty and says why in
 * result->warning, since the rest of the export is still worth having.
 */
static enum irc_status
json_case_records(struct exp_ctx *x, struct irc_error *err)
{
	struct irc_config *cfg = NULL;
	struct irc_error cfg_err;
	json_t *lifecycle = NULL, *records = json_object(), *value;
	const char *key;
	enum irc_status st;

	if ((st = irc_lifecycle_to_json(x->db, x->kase->sum.id, &lifecycle,
	    err)) != IRC_OK ||
	    (st = irc_case_records_to_json(x->db, x->kase->sum.id, records,
	    err)) != IRC_OK)
		goto out;
	json_member(x, "lifecycle", lifecycle, false);
	value = irc_metrics_to_json(&x->metrics.m);
	json_member(x, "metrics", value, false);
	json_decref(value);
	irc_error_clear(&cfg_err);
	if (irc_config_load(NULL, &cfg, &cfg_err) != IRC_OK)
		snprintf(x->result->warning, sizeof x->result->warning,
		    "contacts not exported: %s", cfg_err.msg);
	value = irc_contacts_to_json(cfg);
	json_member(x, "contacts", value, false);
	json_decref(value);
	irc_config_free(cfg);
	json_object_foreach(records, key, value)
		json_member(x, key, value, false);
out:
	json_decref(lifecycle);
	json_decref(records);
	return st;
}

enum irc_status
exp_write_json(struct exp_ctx *x, struct irc_error *err)
{
	json_t *head = irc_case_to_json(x->kase, false), *chain;
	const char *key;
	json_t *value;
	bool first = true;
	enum irc_status st = IRC_OK;

	count_case_invalid(x);
	exp_buf_str(&x->buf, "{");
	/* The actions go just before "chain", as in irc_case_to_json(). */
	json_object_foreach(head, key, value) {
		if (strcmp(key, "chain") != 0) {
			json_member(x, key, value, first);
			first = false;
			continue;
		}
		exp_buf_str(&x->buf, ",\n  \"actions\": [");
		irc_metrics_start(&x->metrics, x->kase);
		if ((st = exp_walk_actions(x, json_action_metrics, err)) !=
		    IRC_OK)
			goto out;
		exp_buf_str(&x->buf, x->result->actions > 0 ? "\n  ]" : "]");
		chain = json_pack("{s:s, s:I}", "head", x->kase->head_hash,
		    "count", (json_int_t)x->result->actions);
		json_member(x, "chain", chain, false);
		json_decref(chain);
		if ((st = json_case_records(x, err)) != IRC_OK)
			goto out;
	}
	value = verify_to_json(&x->result->verify);
	json_member(x, "verify", value, false);
	json_decref(value);
	value = json_integer(x->result->invalid_utf8);
	json_member(x, "invalid_utf8", value, false);
	json_decref(value);
	exp_buf_str(&x->buf, "\n}\n");
out:
	json_decref(head);
	return st;
}

/* One Timesketch event: message, datetime, timestamp_desc, then fields. */
static enum irc_status
timesketch_action(struct exp_ctx *x, const struct irc_action *a,
    struct irc_error *err)
{
	bool ascii = (x->flags & IRC_EXPORT_TERMINAL) != 0;
	int64_t *bad = &x->result->invalid_utf8;
	char when[40], *summary = irc_action_summary(a);
	char *message = irc_xasprintf("%s: %s", a->kind, summary);

	exp_buf_str(&x->buf, "{\"message\": ");
	exp_buf_json_string(&x->buf, message, ascii, bad);
	exp_buf_printf(&x->buf, ", \"datetime\": \"%s\", \"timestamp\": %"
	    PRId64 ", \"timestamp_desc\": \"Action recorded\", \"case\": %"
	    PRId64 ", \"case_uuid\": \"%s\", \"case_title\": ",
	    irc_time_utc(a->time_us, when, sizeof when), a->time_us,
	    x->kase->sum.id, x->kase->sum.uuid);
	exp_buf_json_string(&x->buf, x->kase->sum.title, ascii, bad);
	exp_buf_printf(&x->buf, ", \"case_kind\": \"%s\"",
	    strcmp(x->kase->sum.kind, "drill") == 0 ? "drill" : "real");
	exp_buf_printf(&x->buf, ", \"seq\": %" PRId64 ", \"action_id\": %"
	    PRId64 ", \"step\": ", a->seq, a->id);
	if (a->step_seq > 0)
		exp_buf_printf(&x->buf, "%d", a->step_seq);
	else
		exp_buf_str(&x->buf, "null");
	exp_buf_str(&x->buf, ", \"kind\": ");
	exp_buf_json_string(&x->buf, a->kind, ascii, bad);
	exp_buf_str(&x->buf, ", \"actor\": ");
	exp_buf_json_string(&x->buf, a->actor, ascii, bad);
	exp_buf_str(&x->buf, ", \"origin\": ");
	exp_buf_json_string(&x->buf, a->origin, ascii, bad);
	exp_buf_str(&x->buf, ", \"body\": ");
	exp_buf_json_string(&x->buf, a->body, ascii, bad);
	exp_buf_printf(&x->buf, ", \"hash\": \"%s\"}\n", a->hash);
	free(message);
	free(summary);
	if (x->buf.len >= 64 * 1024)
		return exp_flush(x, err);
	return IRC_OK;
}

enum irc_status
exp_write_timesketch(struct exp_ctx *x, struct irc_error *err)
{
	return exp_walk_actions(x, timesketch_action, err);
}
