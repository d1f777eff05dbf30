/*
 * config.c: reading config.yaml.
 *
 * The file is small and written by the user, so libyaml's document loader
 * reads it whole and each section walks the node tree.  Every node keeps
 * its start mark, so a bad value is reported with its line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "action.h"
#include "clock.h"
#include "config.h"
#include "mem.h"
#include "paths.h"
#include "playbook.h"

struct loader {
	const char *name;
	yaml_document_t doc;
	struct irc_config *cfg;
	struct irc_error *err;
};

static const char *const contact_roles[] = {
	"dpo", "regulator", "insurer", "legal", "other", NULL,
};

static int
node_line(const yaml_node_t *node)
{
	return (int)node->start_mark.line + 1;
}

static enum irc_status
load_fail(struct loader *l, const yaml_node_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum irc_status
load_fail(struct loader *l, const yaml_node_t *node, const char *fmt, ...)
{
	char msg[IRC_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return irc_fail(l->err, IRC_ERR_INVALID, "%s:%d: %s", l->name,
	    node_line(node), msg);
}

static void
load_warn(struct loader *l, const yaml_node_t *node, const char *section,
    const char *key)
{
	struct irc_config *cfg = l->cfg;

	cfg->warnings = irc_xrealloc(cfg->warnings, cfg->nwarnings + 1,
	    sizeof *cfg->warnings);
	cfg->warnings[cfg->nwarnings++] = irc_xasprintf("%s:%d: unknown key "
	    "'%s'%s%s; ignored", l->name, node_line(node), key,
	    section != NULL ? " in " : "", section != NULL ? section : "");
}

static yaml_node_t *
node_get(struct loader *l, int id)
{
	return yaml_document_get_node(&l->doc, id);
}

/* Copies a scalar's value, or fails naming what when node is not a scalar. */
static enum irc_status
load_scalar(struct loader *l, yaml_node_t *node, const char *what,
    char **out)
{
	if (node->type != YAML_SCALAR_NODE)
		return load_fail(l, node, "%s must be a single value", what);
	free(*out);
	*out = irc_xstrndup((const char *)node->data.scalar.value,
	    node->data.scalar.length);
	return IRC_OK;
}

/* Returns the text of a key ("" when not a scalar) and sets *k to its node. */
static const char *
pair_key(struct loader *l, const yaml_node_pair_t *pair, yaml_node_t **k)
{
	*k = node_get(l, pair->key);
	return (*k)->type == YAML_SCALAR_NODE ?
	    (const char *)(*k)->data.scalar.value : "";
}

static enum irc_status
load_mapping_check(struct loader *l, yaml_node_t *node, const char *what)
{
	if (node->type != YAML_MAPPING_NODE)
		return load_fail(l, node, "%s must be a mapping of 'key: value' "
		    "lines", what);
	return IRC_OK;
}

static bool
role_valid(const char *role)
{
	for (size_t i = 0; contact_roles[i] != NULL; i++)
		if (strcmp(role, contact_roles[i]) == 0)
			return true;
	return false;
}

static enum irc_status
load_contact(struct loader *l, yaml_node_t *node)
{
	struct irc_config *cfg = l->cfg;
	struct irc_config_contact *c;
	yaml_node_pair_t *pair;
	enum irc_status st;

	if ((st = load_mapping_check(l, node, "a contact")) != IRC_OK)
		return st;
	cfg->contacts = irc_xrealloc(cfg->contacts, cfg->ncontacts + 1,
	    sizeof *cfg->contacts);
	c = &cfg->contacts[cfg->ncontacts++];
	memset(c, 0, sizeof *c);
	c->line = node_line(node);
	for (pair = node->data.mapping.pairs.start;
	    pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *k;
		yaml_node_t *v = node_get(l, pair->value);
		const char *key = pair_key(l, pair, &k);
		char **field = NULL;

		if (strcmp(key, "role") == 0)
			field = &c->role;
		else if (strcmp(key, "name") == 0)
			field = &c->name;
		else if (strcmp(key, "email") == 0)
			field = &c->email;
		else if (strcmp(key, "phone") == 0)
			field = &c->phone;
		else if (strcmp(key, "note") == 0)
			field = &c->note;
		if (field == NULL) {
			load_warn(l, k, "contacts", key);
			continue;
		}
		if ((st = load_scalar(l, v, key, field)) != IRC_OK)
			return st;
	}
	if (c->name == NULL || c->name[0] == '\0')
		return load_fail(l, node, "contact has no name; add 'name: ...'");
	if (c->role == NULL)
		c->role = irc_xstrdup("other");
	if (!role_valid(c->role))
		return load_fail(l, node, "invalid contact role '%s'; use dpo, "
		    "regulator, insurer, legal or other", c->role);
	return IRC_OK;
}

static bool
rule_name_valid(const char *name)
{
	if (name[0] == '\0')
		return false;
	for (const char *p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_'))
			return false;
	return true;
}

static enum irc_status
load_applies_to(struct loader *l, yaml_node_t *v, struct irc_config_clock *r)
{
	yaml_node_item_t *item;
	enum irc_status st;

	if (v->type == YAML_SCALAR_NODE) {
		r->applies_to = irc_xcalloc(1, sizeof *r->applies_to);
		r->napplies_to = 1;
		return load_scalar(l, v, "applies_to", &r->applies_to[0]);
	}
	if (v->type != YAML_SEQUENCE_NODE)
		return load_fail(l, v, "applies_to must be a category or a list "
		    "of categories");
	for (item = v->data.sequence.items.start;
	    item < v->data.sequence.items.top; item++) {
		r->applies_to = irc_xrealloc(r->applies_to, r->napplies_to + 1,
		    sizeof *r->applies_to);
		r->applies_to[r->napplies_to] = NULL;
		st = load_scalar(l, node_get(l, *item), "each applies_to entry",
		    &r->applies_to[r->napplies_to]);
		r->napplies_to++;
		if (st != IRC_OK)
			return st;
	}
	return IRC_OK;
}

static enum irc_status
load_hours(struct loader *l, yaml_node_t *v, struct irc_config_clock *r)
{
	char *text = NULL, *end;
	long hours;
	enum irc_status st;

	if ((st = load_scalar(l, v, "hours", &text)) != IRC_OK)
		return st;
	errno = 0;
	hours = strtol(text, &end, 10);
	if (end == text || *end != '\0' || errno != 0 || hours < 1 ||
	    hours > IRC_CONFIG_CLOCK_MAX_HOURS)
		st = load_fail(l, v, "invalid hours '%s'; use a whole number "
		    "from 1 to %d", text, IRC_CONFIG_CLOCK_MAX_HOURS);
	else
		r->hours = (int)hours;
	free(text);
	return st;
}

static enum irc_status
load_clock(struct loader *l, yaml_node_t *node)
{
	struct irc_config *cfg = l->cfg;
	struct irc_config_clock *r;
	yaml_node_pair_t *pair;
	enum irc_status st;

	if ((st = load_mapping_check(l, node, "a clock rule")) != IRC_OK)
		return st;
	cfg->clocks = irc_xrealloc(cfg->clocks, cfg->nclocks + 1,
	    sizeof *cfg->clocks);
	r = &cfg->clocks[cfg->nclocks++];
	memset(r, 0, sizeof *r);
	r->line = node_line(node);
	for (pair = node->data.mapping.pairs.start;
	    pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *k;
		yaml_node_t *v = node_get(l, pair->value);
		const char *key = pair_key(l, pair, &k);

		if (strcmp(key, "name") == 0)
			st = load_scalar(l, v, "name", &r->name);
		else if (strcmp(key, "hours") == 0)
			st = load_hours(l, v, r);
		else if (strcmp(key, "from") == 0)
			st = load_scalar(l, v, "from", &r->from);
		else if (strcmp(key, "applies_to") == 0)
			st = load_applies_to(l, v, r);
		else
			load_warn(l, k, "clocks", key);
		if (st != IRC_OK)
			return st;
	}
	if (r->name == NULL || !rule_name_valid(r->name))
		return load_fail(l, node, "clock rule needs a name of lower-case "
		    "letters, digits, '-' or '_'");
	for (const struct irc_clock_rule *b = irc_clock_builtin_rules();
	    b->name != NULL; b++)
		if (strcmp(b->name, r->name) == 0 && r->hours > 0)
			return load_fail(l, node, "clock rule %s is built in and its "
			    "deadline is fixed; set only applies_to for it, or give "
			    "a rule of your own another name", r->name);
	if (r->from == NULL)
		r->from = irc_xstrdup("aware");
	if (strcmp(r->from, "aware") != 0)
		return load_fail(l, node, "clock rule %s: invalid from '%s'; only "
		    "'aware' (the awareness time) is supported", r->name, r->from);
	for (size_t i = 0; i + 1 < cfg->nclocks; i++)
		if (strcmp(cfg->clocks[i].name, r->name) == 0)
			return load_fail(l, node, "clock rule %s is defined twice "
			    "(first on line %d)", r->name, cfg->clocks[i].line);
	return IRC_OK;
}

static enum irc_status
load_assets(struct loader *l, yaml_node_t *node)
{
	struct irc_config_assets *a = &l->cfg->assets;
	yaml_node_pair_t *pair, *col;
	enum irc_status st;

	if ((st = load_mapping_check(l, node, "assets")) != IRC_OK)
		return st;
	a->line = node_line(node);
	for (pair = node->data.mapping.pairs.start;
	    pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *k;
		yaml_node_t *v = node_get(l, pair->value);
		const char *key = pair_key(l, pair, &k);

		if (strcmp(key, "file") == 0) {
			if ((st = load_scalar(l, v, "assets.file", &a->file)) !=
			    IRC_OK)
				return st;
			continue;
		}
		if (strcmp(key, "columns") != 0) {
			load_warn(l, k, "assets", key);
			continue;
		}
		if ((st = load_mapping_check(l, v, "assets.columns")) != IRC_OK)
			return st;
		for (col = v->data.mapping.pairs.start;
		    col < v->data.mapping.pairs.top; col++) {
			struct irc_config_column *c;

			a->columns = irc_xrealloc(a->columns, a->ncolumns + 1,
			    sizeof *a->columns);
			c = &a->columns[a->ncolumns++];
			memset(c, 0, sizeof *c);
			if ((st = load_scalar(l, node_get(l, col->key),
			    "a column key", &c->key)) != IRC_OK ||
			    (st = load_scalar(l, node_get(l, col->value),
			    "a column name", &c->column)) != IRC_OK)
				return st;
		}
	}
	return IRC_OK;
}

/*
 * Reads a section that has one known key, section.key, into *out; other
 * keys are warnings.
 */
static enum irc_status
load_single_key(struct loader *l, yaml_node_t *node, const char *section,
    const char *key, char **out)
{
	yaml_node_pair_t *pair;
	enum irc_status st;
	char what[64];

	if ((st = load_mapping_check(l, node, section)) != IRC_OK)
		return st;
	snprintf(what, sizeof what, "%s.%s", section, key);
	for (pair = node->data.mapping.pairs.start;
	    pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *k;
		const char *name = pair_key(l, pair, &k);

		if (strcmp(name, key) != 0)
			load_warn(l, k, section, name);
		else if ((st = load_scalar(l, node_get(l, pair->value), what,
		    out)) != IRC_OK)
			return st;
	}
	return IRC_OK;
}

/* Reads syslog.facility, which must name a facility that syslog(3) accepts. */
static enum irc_status
load_syslog(struct loader *l, yaml_node_t *node)
{
	enum irc_status st;

	st = load_single_key(l, node, "syslog", "facility",
	    &l->cfg->syslog_facility);
	if (st == IRC_OK && l->cfg->syslog_facility != NULL &&
	    irc_action_syslog_facility(l->cfg->syslog_facility) == -2)
		return load_fail(l, node, "invalid syslog facility '%s'; use "
		    "local0 to local7, user, daemon, auth, authpriv or off",
		    l->cfg->syslog_facility);
	return st;
}

/*
 * Parses a size: bytes, or a number followed by KiB, MiB or GiB, with
 * optional space between.  Returns false for anything else, for 0 and for
 * more than IRC_CONFIG_PLAYBOOK_SIZE_MAX.
 */
static bool
size_parse(const char *text, size_t *out)
{
	static const struct {
		const char *unit;
		unsigned long long factor;
	} units[] = {
		{ "", 1 }, { "B", 1 }, { "KiB", 1024 }, { "MiB", 1024 * 1024 },
		{ "GiB", 1024 * 1024 * 1024 },
	};
	unsigned long long n;
	char *end;

	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	n = strtoull(text, &end, 10);
	if (errno != 0)
		return false;
	end += strspn(end, " ");
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].unit) != 0)
			continue;
		if (n == 0 || n > IRC_CONFIG_PLAYBOOK_SIZE_MAX / units[i].factor)
			return false;
		*out = (size_t)(n * units[i].factor);
		return true;
	}
	return false;
}

/* Reads playbooks.max_size, the largest playbook file that is read. */
static enum irc_status
load_playbooks(struct loader *l, yaml_node_t *node)
{
	char *text = NULL;
	enum irc_status st;

	st = load_single_key(l, node, "playbooks", "max_size", &text);
	if (st == IRC_OK && text != NULL &&
	    !size_parse(text, &l->cfg->playbook_max_size))
		st = load_fail(l, node, "invalid playbooks.max_size '%s'; give "
		    "bytes or a size such as 512KiB or 8MiB, from 1 byte to "
		    "1GiB", text);
	free(text);
	return st;
}

/* Calls load_item on every entry of a list section. */
static enum irc_status
load_list(struct loader *l, yaml_node_t *v, const char *section,
    enum irc_status (*load_item)(struct loader *, yaml_node_t *))
{
	yaml_node_item_t *item;
	enum irc_status st;

	if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
		return IRC_OK;	/* "contacts:" with nothing under it */
	if (v->type != YAML_SEQUENCE_NODE)
		return load_fail(l, v, "%s must be a list of entries starting "
		    "with '- '", section);
	for (item = v->data.sequence.items.start;
	    item < v->data.sequence.items.top; item++)
		if ((st = load_item(l, node_get(l, *item))) != IRC_OK)
			return st;
	return IRC_OK;
}

static enum irc_status
load_root(struct loader *l, yaml_node_t *root)
{
	yaml_node_pair_t *pair;
	enum irc_status st = IRC_OK;

	if (root == NULL)
		return IRC_OK;	/* an empty file */
	if (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)
		return IRC_OK;
	if ((st = load_mapping_check(l, root, "the file")) != IRC_OK)
		return st;
	for (pair = root->data.mapping.pairs.start;
	    pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *k;
		yaml_node_t *v = node_get(l, pair->value);
		const char *key = pair_key(l, pair, &k);

		if (strcmp(key, "contacts") == 0)
			st = load_list(l, v, "contacts", load_contact);
		else if (strcmp(key, "clocks") == 0)
			st = load_list(l, v, "clocks", load_clock);
		else if (strcmp(key, "assets") == 0)
			st = load_assets(l, v);
		else if (strcmp(key, "syslog") == 0)
			st = load_syslog(l, v);
		else if (strcmp(key, "signing") == 0)
			st = load_single_key(l, v, "signing", "allowed_signers",
			    &l->cfg->allowed_signers);
		else if (strcmp(key, "playbooks") == 0)
			st = load_playbooks(l, v);
		else if (strcmp(key, "thehive") == 0)
			continue;	/* read by irc_hive_config_load() */
		else
			load_warn(l, k, NULL, key);
		if (st != IRC_OK)
			return st;
	}
	return IRC_OK;
}

enum irc_status
irc_config_parse(const char *name, const char *text, size_t len,
    struct irc_config **out, struct irc_error *err)
{
	struct loader l;
	yaml_parser_t parser;
	enum irc_status st;

	*out = NULL;
	memset(&l, 0, sizeof l);
	l.name = name;
	l.err = err;
	l.cfg = irc_xcalloc(1, sizeof *l.cfg);
	l.cfg->path = irc_xstrdup(name);
	l.cfg->found = 1;
	if (!yaml_parser_initialize(&parser))
		abort();
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &l.doc)) {
		st = irc_fail(err, IRC_ERR_INVALID, "%s:%d: %s; fix the YAML "
		    "syntax", name, (int)parser.problem_mark.line + 1,
		    parser.problem != NULL ? parser.problem : "invalid YAML");
		yaml_parser_delete(&parser);
		irc_config_free(l.cfg);
		return st;
	}
	st = load_root(&l, yaml_document_get_root_node(&l.doc));
	yaml_document_delete(&l.doc);
	yaml_parser_delete(&parser);
	if (st != IRC_OK) {
		irc_config_free(l.cfg);
		return st;
	}
	*out = l.cfg;
	return IRC_OK;
}

enum irc_status
irc_config_path(char **out, struct irc_error *err)
{
	const char *env;

	*out = NULL;
	env = getenv("IRCASE_CONFIG");
	if (env != NULL && *env != '\0') {
		*out = irc_xstrdup(env);
		return IRC_OK;
	}
	env = getenv("XDG_CONFIG_HOME");
	if (env != NULL && *env == '/') {
		*out = irc_xasprintf("%s/ircase/config.yaml", env);
		return IRC_OK;
	}
	env = getenv("HOME");
	if (env == NULL || *env == '\0')
		return irc_fail(err, IRC_ERR_INVALID, "HOME is not set: set "
		    "IRCASE_CONFIG to the configuration file");
	*out = irc_xasprintf("%s/.config/ircase/config.yaml", env);
	return IRC_OK;
}

/* Reads a whole file of at most IRC_CONFIG_MAX_SIZE bytes. */
static enum irc_status
config_read(const char *path, char **text, size_t *len,
    struct irc_error *err)
{
	enum irc_status st;
	struct stat sb;
	FILE *f;
	size_t n;

	*text = NULL;
	if ((st = irc_path_open_regular(path, "config file", &f, err)) !=
	    IRC_OK)
		return st;
	if (fstat(fileno(f), &sb) != 0) {
		fclose(f);
		return irc_fail(err, IRC_ERR_IO, "cannot read %s: %s", path,
		    strerror(errno));
	}
	if (sb.st_size > IRC_CONFIG_MAX_SIZE) {
		fclose(f);
		return irc_fail(err, IRC_ERR_TOO_LARGE, "%s is %lld bytes, over "
		    "the limit of %d", path, (long long)sb.st_size,
		    IRC_CONFIG_MAX_SIZE);
	}
	*text = irc_xmalloc((size_t)sb.st_size + 1);
	n = fread(*text, 1, (size_t)sb.st_size, f);
	if (ferror(f)) {
		fclose(f);
		free(*text);
		*text = NULL;
		return irc_fail(err, IRC_ERR_IO, "cannot read %s: %s", path,
		    strerror(errno));
	}
	fclose(f);
	(*text)[n] = '\0';
	*len = n;
	return IRC_OK;
}

enum irc_status
irc_config_load(const char *path, struct irc_config **out,
    struct irc_error *err)
{
	char *chosen = NULL, *text = NULL;
	const char *env = getenv("IRCASE_CONFIG");
	bool explicit = path != NULL || (env != NULL && *env != '\0');
	size_t len = 0;
	enum irc_status st;

	*out = NULL;
	if (path != NULL)
		chosen = irc_xstrdup(path);
	else if ((st = irc_config_path(&chosen, err)) != IRC_OK)
		return st;
	st = config_read(chosen, &text, &len, err);
	if (st == IRC_ERR_NOT_FOUND && !explicit) {
		*out = irc_xcalloc(1, sizeof **out);
		(*out)->path = chosen;
		irc_error_clear(err);
		return IRC_OK;
	}
	if (st == IRC_OK)
		st = irc_config_parse(chosen, text, len, out, err);
	free(text);
	free(chosen);
	return st;
}

void
irc_config_free(struct irc_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	for (size_t i = 0; i < cfg->ncontacts; i++) {
		struct irc_config_contact *c = &cfg->contacts[i];

		free(c->role);
		free(c->name);
		free(c->email);
		free(c->phone);
		free(c->note);
	}
	free(cfg->contacts);
	for (size_t i = 0; i < cfg->nclocks; i++) {
		free(cfg->clocks[i].name);
		free(cfg->clocks[i].from);
		for (size_t j = 0; j < cfg->clocks[i].napplies_to; j++)
			free(cfg->clocks[i].applies_to[j]);
		free(cfg->clocks[i].applies_to);
	}
	free(cfg->clocks);
	free(cfg->assets.file);
	for (size_t i = 0; i < cfg->assets.ncolumns; i++) {
		free(cfg->assets.columns[i].key);
		free(cfg->assets.columns[i].column);
	}
	free(cfg->assets.columns);
	free(cfg->syslog_facility);
	free(cfg->allowed_signers);
	for (size_t i = 0; i < cfg->nwarnings; i++)
		free(cfg->warnings[i]);
	free(cfg->warnings);
	free(cfg);
}

const struct irc_config_clock *
irc_config_clock_find(const struct irc_config *cfg, const char *name)
{
	if (cfg == NULL)
		return NULL;
	for (size_t i = 0; i < cfg->nclocks; i++)
		if (strcmp(cfg->clocks[i].name, name) == 0)
			return &cfg->clocks[i];
	return NULL;
}

size_t
irc_config_playbook_max_size(const struct irc_config *cfg)
{
	if (cfg == NULL || cfg->playbook_max_size == 0)
		return IRC_PLAYBOOK_MAX_SIZE;
	return cfg->playbook_max_size;
}
