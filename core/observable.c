/*
 * observable.c: checking observable values by type and recording them.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "mem.h"
#include "observable.h"
#include "record.h"
#include "sanitize.h"
#include "timeutil.h"

const char *const irc_obs_types[IRC_OBS_TYPE_COUNT + 1] = {
	[IRC_OBS_IP] = "ip",
	[IRC_OBS_DOMAIN] = "domain",
	[IRC_OBS_URL] = "url",
	[IRC_OBS_HASH] = "hash",
	[IRC_OBS_MAIL] = "mail",
	[IRC_OBS_FILENAME] = "filename",
	[IRC_OBS_USER_AGENT] = "user-agent",
	[IRC_OBS_OTHER] = "other",
};

/* TLP 2.0 levels; "white" is the TLP 1.0 name of clear. */
static const char *const tlp_levels[] = {
	"clear", "green", "amber", "amber+strict", "red", NULL
};

const char *
irc_obs_type_key(enum irc_obs_type type)
{
	return type < IRC_OBS_TYPE_COUNT ? irc_obs_types[type] : "other";
}

bool
irc_obs_type_parse(const char *word, enum irc_obs_type *out)
{
	for (int i = 0; i < IRC_OBS_TYPE_COUNT; i++) {
		if (strcasecmp(word, irc_obs_types[i]) == 0) {
			*out = (enum irc_obs_type)i;
			return true;
		}
	}
	return false;
}

const char *
irc_obs_tlp_parse(const char *word)
{
	if (word == NULL)
		return NULL;
	if (strcasecmp(word, "white") == 0)
		return "clear";
	for (size_t i = 0; tlp_levels[i] != NULL; i++)
		if (strcasecmp(word, tlp_levels[i]) == 0)
			return tlp_levels[i];
	return NULL;
}

/* Returns true when text has a C0 control or DEL. */
static bool
has_control(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

static void
lower_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static enum irc_status
obs_ip(const char *value, char **out, struct irc_error *err)
{
	unsigned char addr[sizeof(struct in6_addr)];
	char text[INET6_ADDRSTRLEN];
	int family = strchr(value, ':') != NULL ? AF_INET6 : AF_INET;

	if (inet_pton(family, value, addr) != 1 ||
	    inet_ntop(family, addr, text, sizeof text) == NULL)
		return irc_fail(err, IRC_ERR_INVALID, "invalid ip '%s'; give an "
		    "IPv4 address such as 192.0.2.7 or an IPv6 address such as "
		    "2001:db8::7, without a prefix length or port", value);
	*out = irc_xstrdup(text);
	return IRC_OK;
}

/* Checks one DNS label: 1-63 bytes of letters, digits, '-', '_' or UTF-8. */
static bool
label_ok(const char *label, size_t len)
{
	if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)label[i];

		if (!isalnum(c) && c != '-' && c != '_' && c < 0x80)
			return false;
	}
	return true;
}

/* Lower-cases a domain in place, drops one trailing dot and checks it. */
static bool
domain_ok(char *name)
{
	size_t len = strlen(name);
	const char *label = name, *dot;
	int labels = 0;

	if (len > 0 && name[len - 1] == '.')
		name[--len] = '\0';
	if (len == 0 || len > 253)
		return false;
	lower_ascii(name);
	for (;;) {
		dot = strchr(label, '.');
		if (!label_ok(label, dot ? (size_t)(dot - label) : strlen(label)))
			return false;
		labels++;
		if (dot == NULL)
			break;
		label = dot + 1;
	}
	return labels >= 2;
}

static enum irc_status
obs_domain(const char *value, char **out, struct irc_error *err)
{
	char *name = irc_xstrdup(value);

	if (!domain_ok(name)) {
		free(name);
		return irc_fail(err, IRC_ERR_INVALID, "invalid domain '%s'; give "
		    "a name such as mail.example.org: two or more labels of "
		    "letters, digits and '-', each at most 63 bytes", value);
	}
	*out = name;
	return IRC_OK;
}

static enum irc_status
obs_mail(const char *value, char **out, struct irc_error *err)
{
	const char *at = strrchr(value, '@');
	char *domain;

	if (at == NULL || at == value || at - value > 64 ||
	    strpbrk(value, " \t") != NULL || has_control(value))
		return irc_fail(err, IRC_ERR_INVALID, "invalid mail address "
		    "'%s'; give one such as user@example.org", value);
	domain = irc_xstrdup(at + 1);
	if (!domain_ok(domain)) {
		free(domain);
		return irc_fail(err, IRC_ERR_INVALID, "invalid mail address "
		    "'%s': the part after '@' is not a domain name", value);
	}
	*out = irc_xasprintf("%.*s@%s", (int)(at - value), value, domain);
	free(domain);
	return IRC_OK;
}

static enum irc_status
obs_url(const char *value, char **out, struct irc_error *err)
{
	const char *p = value;

	if (isalpha((unsigned char)*p))
		while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
		    *p == '.')
			p++;
	if (p == value || *p != ':' || p[1] == '\0' ||
	    strpbrk(value, " \t") != NULL || has_control(value))
		return irc_fail(err, IRC_ERR_INVALID, "invalid url '%s'; give "
		    "the whole URL with its scheme, such as "
		    "https://example.org/login, with spaces written as %%20",
		    value);
	*out = irc_xstrdup(value);
	return IRC_OK;
}

static enum irc_status
obs_hash(const char *value, char **out, struct irc_error *err)
{
	size_t len = strlen(value);

	if (strspn(value, "0123456789abcdefABCDEF") != len ||
	    (len != 32 && len != 40 && len != 56 && len != 64 && len != 96 &&
	    len != 128))
		return irc_fail(err, IRC_ERR_INVALID, "invalid hash '%s'; give "
		    "the hex digits of an MD5 (32), SHA-1 (40), SHA-224 (56), "
		    "SHA-256 (64), SHA-384 (96) or SHA-512 (128) hash", value);
	*out = irc_xstrdup(value);
	lower_ascii(*out);
	return IRC_OK;
}

/* File names and user agents: one line of printable text. */
static enum irc_status
obs_line(enum irc_obs_type type, const char *value, char **out,
    struct irc_error *err)
{
	if (has_control(value))
		return irc_fail(err, IRC_ERR_INVALID, "invalid %s: it contains a "
		    "control character; give one line of text",
		    irc_obs_type_key(type));
	*out = irc_xstrdup(value);
	return IRC_OK;
}

enum irc_status
irc_obs_normalize(enum irc_obs_type type, const char *value, char **out,
    struct irc_error *err)
{
	enum irc_status st;

	*out = NULL;
	if ((st = irc_record_check_text("observable value", value,
	    IRC_OBSERVABLE_VALUE_MAX, err)) != IRC_OK)
		return st;
	switch (type) {
	case IRC_OBS_IP:
		return obs_ip(value, out, err);
	case IRC_OBS_DOMAIN:
		return obs_domain(value, out, err);
	case IRC_OBS_URL:
		return obs_url(value, out, err);
	case IRC_OBS_HASH:
		return obs_hash(value, out, err);
	case IRC_OBS_MAIL:
		return obs_mail(value, out, err);
	case IRC_OBS_FILENAME:
	case IRC_OBS_USER_AGENT:
		return obs_line(type, value, out, err);
	default:
		*out = irc_xstrdup(value);
		return IRC_OK;
	}
}

/* Checks the tags and builds their JSON array, dropping repeats. */
static enum irc_status
obs_tags(const struct irc_observable_new *obs, json_t **out,
    struct irc_error *err)
{
	json_t *tags = json_array();
	enum irc_status st;
	size_t i, j;

	*out = NULL;
	if (obs->ntags > IRC_OBSERVABLE_TAGS_MAX) {
		json_decref(tags);
		return irc_fail(err, IRC_ERR_INVALID, "%zu tags given; at most %d "
		    "fit on one observable", obs->ntags, IRC_OBSERVABLE_TAGS_MAX);
	}
	for (i = 0; i < obs->ntags; i++) {
		const char *tag = obs->tags[i];

		st = irc_record_check_text("tag", tag, IRC_OBSERVABLE_TAG_MAX, err);
		if (st == IRC_OK && has_control(tag))
			st = irc_fail(err, IRC_ERR_INVALID, "invalid tag: it "
			    "contains a control character");
		if (st != IRC_OK) {
			json_decref(tags);
			return st;
		}
		for (j = 0; j < json_array_size(tags); j++)
			if (strcmp(json_string_value(json_array_get(tags, j)),
			    tag) == 0)
				break;
		if (j == json_array_size(tags))
			json_array_append_new(tags, json_string(tag));
	}
	*out = tags;
	return IRC_OK;
}

/* Returns IRC_ERR_CONFLICT when the case already has this type and value. */
static enum irc_status
obs_unique(struct irc_db *db, int64_t case_id, const char *type,
    const char *value, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	int rc;

	if ((st = irc_record_prepare(db, "SELECT number FROM observable"
	    " WHERE case_id = ? AND type = ? AND value = ?", &stmt, err)) !=
	    IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		st = irc_fail(err, IRC_ERR_CONFLICT, "case %" PRId64 " already has "
		    "%s '%s' as observable %lld", case_id, type, value,
		    (long long)sqlite3_column_int64(stmt, 0));
	else if (rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot read the observables");
	sqlite3_finalize(stmt);
	return st;
}

static enum irc_status
obs_insert(struct irc_db *db, int64_t case_id, int64_t number,
    const char *type, const char *value, const char *tlp, bool ioc,
    const char *tags, const struct irc_actor *actor, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;

	if ((st = irc_record_prepare(db, "INSERT INTO observable (case_id,"
	    " number, type, value, tlp, ioc, tags, added_by, added_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_int64(stmt, 2, number);
	sqlite3_bind_text(stmt, 3, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, value, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, tlp, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 6, ioc ? 1 : 0);
	sqlite3_bind_text(stmt, 7, tags, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 8, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 9, irc_now_us());
	if (sqlite3_step(stmt) != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot store the observable");
	sqlite3_finalize(stmt);
	return st;
}

enum irc_status
irc_observable_add_locked(struct irc_db *db, int64_t case_id,
    const struct irc_observable_new *obs, int64_t inject,
    const struct irc_actor *actor, int64_t *number, struct irc_error *err)
{
	const char *type = irc_obs_type_key(obs->type);
	const char *tlp = irc_obs_tlp_parse(obs->tlp ? obs->tlp : "amber");
	char *value = NULL, *tags_text = NULL;
	json_t *tags = NULL, *body = NULL;
	int64_t n = 0;
	enum irc_status st;

	if (tlp == NULL)
		return irc_fail(err, IRC_ERR_INVALID, "invalid TLP '%s'; use "
		    "clear, green, amber, amber+strict or red", obs->tlp);
	if ((st = irc_obs_normalize(obs->type, obs->value, &value, err)) !=
	    IRC_OK || (st = obs_tags(obs, &tags, err)) != IRC_OK) {
		free(value);
		return st;
	}
	tags_text = json_dumps(tags, JSON_COMPACT);
	if ((st = irc_record_case_exists(db, case_id, err)) != IRC_OK ||
	    (st = obs_unique(db, case_id, type, value, err)) != IRC_OK ||
	    (st = irc_record_next_number(db, "observable", case_id, &n, err)) !=
	    IRC_OK ||
	    (st = obs_insert(db, case_id, n, type, value, tlp, obs->ioc,
	    tags_text, actor, err)) != IRC_OK)
		goto out;
	body = json_pack("{s:I, s:s, s:s, s:s, s:b, s:O}", "observable",
	    (json_int_t)n, "type", type, "value", value, "tlp", tlp, "ioc",
	    obs->ioc, "tags", tags);
	if (inject > 0)
		json_object_set_new(body, "inject", json_integer(inject));
	if ((st = irc_action_append(db, case_id, 0, actor, "observable.add",
	    body, NULL, err)) == IRC_OK && number != NULL)
		*number = n;
out:
	json_decref(body);
	json_decref(tags);
	free(tags_text);
	free(value);
	return st;
}

enum irc_status
irc_observable_add(struct irc_db *db, int64_t case_id,
    const struct irc_observable_new *obs, const struct irc_actor *actor,
    int64_t *number, struct irc_error *err)
{
	int64_t n = 0;
	enum irc_status st;

	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if ((st = irc_observable_add_locked(db, case_id, obs, 0, actor, &n,
	    err)) == IRC_OK)
		st = irc_db_commit(db, err);
	if (st != IRC_OK) {
		irc_db_rollback(db);
		return st;
	}
	if (number != NULL)
		*number = n;
	return IRC_OK;
}

/* Reads the JSON array of tags stored with an observable. */
static void
obs_tags_load(struct irc_observable *o, const char *text)
{
	json_t *tags = json_loads(text != NULL ? text : "[]", 0, NULL);
	size_t i;
	json_t *tag;

	o->tags = irc_xcalloc(json_array_size(tags) + 1, sizeof *o->tags);
	json_array_foreach(tags, i, tag)
		if (json_is_string(tag))
			o->tags[o->ntags++] = irc_xstrdup(json_string_value(tag));
	json_decref(tags);
}

static void
observable_fill(sqlite3_stmt *stmt, void *row)
{
	struct irc_observable *o = row;

	o->number = sqlite3_column_int64(stmt, 0);
	if (!irc_obs_type_parse((const char *)sqlite3_column_text(stmt, 1),
	    &o->type))
		o->type = IRC_OBS_OTHER;
	o->value = irc_record_column(stmt, 2, false);
	snprintf(o->tlp, sizeof o->tlp, "%s",
	    (const char *)sqlite3_column_text(stmt, 3));
	o->ioc = sqlite3_column_int(stmt, 4) != 0;
	obs_tags_load(o, (const char *)sqlite3_column_text(stmt, 5));
	o->added_by = irc_record_column(stmt, 6, false);
	o->added_at = sqlite3_column_int64(stmt, 7);
}

static void
observables_free_rows(void *rows, size_t count)
{
	irc_observables_free(rows, count);
}

enum irc_status
irc_observable_list(struct irc_db *db, int64_t case_id,
    struct irc_observable **out, size_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt;
	enum irc_status st;
	void *rows;

	*out = NULL;
	*count = 0;
	if ((st = irc_record_case_exists(db, case_id, err)) != IRC_OK ||
	    (st = irc_record_prepare(db, "SELECT number, type, value, tlp, ioc,"
	    " tags, added_by, added_at FROM observable WHERE case_id = ?"
	    " ORDER BY number", &stmt, err)) != IRC_OK)
		return st;
	sqlite3_bind_int64(stmt, 1, case_id);
	st = irc_record_rows(db, stmt, sizeof **out, observable_fill,
	    observables_free_rows, "observables", &rows, count, err);
	*out = rows;
	return st;
}

void
irc_observables_free(struct irc_observable *list, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		for (size_t j = 0; j < list[i].ntags; j++)
			free(list[i].tags[j]);
		free(list[i].tags);
		free(list[i].value);
		free(list[i].added_by);
	}
	free(list);
}

json_t *
irc_observables_to_json(const struct irc_observable *list, size_t count)
{
	json_t *arr = json_array();
	char when[40];

	for (size_t i = 0; i < count; i++) {
		const struct irc_observable *o = &list[i];
		json_t *obj = json_object(), *tags = json_array();

		for (size_t j = 0; j < o->ntags; j++)
			json_array_append_new(tags, json_string(o->tags[j]));
		json_object_set_new(obj, "number", json_integer(o->number));
		json_object_set_new(obj, "type",
		    json_string(irc_obs_type_key(o->type)));
		json_object_set_new(obj, "value", json_string(o->value));
		json_object_set_new(obj, "tlp", json_string(o->tlp));
		json_object_set_new(obj, "ioc", json_boolean(o->ioc));
		json_object_set_new(obj, "tags", tags);
		json_object_set_new(obj, "added_by", json_string(o->added_by));
		json_object_set_new(obj, "added_at", json_string(irc_time_utc(
		    o->added_at, when, sizeof when)));
		json_array_append_new(arr, obj);
	}
	return arr;
}
