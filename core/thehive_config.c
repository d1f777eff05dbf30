/*
 * thehive_config.c: the TheHive settings and the API key.
 *
 * The "thehive" section of config.yaml is read here with libyaml's
 * document loader; config.c reads the other sections of the same file.
 * Every setting can be overridden by an IRCASE_THEHIVE_* variable (the
 * drill target by IRCASE_THEHIVE_DRILL_*).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <yaml.h>

#include "config.h"
#include "mem.h"
#include "paths.h"
#include "thehive.h"

extern char **environ;

/* Longest API key accepted, in bytes. */
#define KEY_MAX 4096

/* Where each setting of one target came from, before the key is read. */
struct target_src {
	char *key;		/* inline key from the file */
	char *key_file;
	char *key_cmd;
	char key_origin[64];	/* "config" or the variable that set the key */
};

static void
set_str(char **dst, const char *value)
{
	free(*dst);
	*dst = value != NULL && *value != '\0' ? irc_xstrdup(value) : NULL;
}

/* Parses a whole number between min and max for setting name. */
static enum irc_status
parse_long(const char *name, const char *text, long min, long max, long *out,
    struct irc_error *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
		return irc_fail(err, IRC_ERR_INVALID, "%s: invalid value '%s'; "
		    "use a whole number from %ld to %ld", name, text, min, max);
	*out = v;
	return IRC_OK;
}

/* Applies one "name: value" setting from the file or the environment. */
static enum irc_status
target_set(struct irc_hive_target *t, struct target_src *src,
    const char *name, const char *value, const char *where,
    struct irc_error *err)
{
	char what[160];
	long v;
	enum irc_status st;

	snprintf(what, sizeof what, "%s %s", where, name);
	if (strcmp(name, "url") == 0)
		set_str(&t->url, value);
	else if (strcmp(name, "organisation") == 0 ||
	    strcmp(name, "org") == 0)
		set_str(&t->org, value);
	else if (strcmp(name, "ca") == 0)
		set_str(&t->ca, value);
	else if (strcmp(name, "custom_field") == 0)
		set_str(&t->custom_field, value);
	else if (strcmp(name, "key") == 0)
		set_str(&src->key, value);
	else if (strcmp(name, "key_file") == 0)
		set_str(&src->key_file, value);
	else if (strcmp(name, "key_command") == 0)
		set_str(&src->key_cmd, value);
	else if (strcmp(name, "timeout") == 0) {
		if ((st = parse_long(what, value, 1, 3600, &v, err)) != IRC_OK)
			return st;
		t->timeout = v;
	} else if (strcmp(name, "connect_timeout") == 0) {
		if ((st = parse_long(what, value, 1, 600, &v, err)) != IRC_OK)
			return st;
		t->connect_timeout = v;
	} else if (strcmp(name, "parallel") == 0) {
		if ((st = parse_long(what, value, 1, IRC_HIVE_PARALLEL_MAX, &v,
		    err)) != IRC_OK)
			return st;
		t->parallel = (int)v;
	} else
		return irc_fail(err, IRC_ERR_INVALID, "%s: unknown setting '%s' in "
		    "thehive; see ircase.conf(5)", where, name);
	return IRC_OK;
}

/*
 * Rejects a path that is not a regular file, then a file that group or
 * others may read, since it contains a key.  The type goes first: a mode
 * change cannot turn a folder into a key file.
 */
static enum irc_status
check_private(const char *path, const char *what, struct irc_error *err)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		return irc_fail(err, IRC_ERR_IO, "cannot read %s %s: %s", what,
		    path, strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return irc_fail(err, IRC_ERR_INVALID, "%s %s is a directory, not "
		    "a %s; give the path of the file that holds the TheHive API "
		    "key", what, path, what);
	if (!S_ISREG(sb.st_mode))
		return irc_fail(err, IRC_ERR_INVALID, "%s %s is not a regular "
		    "file; give the path of the file that holds the TheHive API "
		    "key", what, path);
	if ((sb.st_mode & 077) != 0)
		return irc_fail(err, IRC_ERR_INVALID, "%s %s holds the TheHive "
		    "API key but group or others can access it (mode %04o); "
		    "run 'chmod 600 %s'", what, path,
		    (unsigned)(sb.st_mode & 07777), path);
	return IRC_OK;
}

/* Strips trailing white space (the newline after a key). */
static void
strip_end(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' ||
	    s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* Reads the first line of a stream into a new string, at most KEY_MAX bytes. */
static char *
read_key_line(FILE *fp)
{
	char *buf = irc_xmalloc(KEY_MAX + 2);

	if (fgets(buf, KEY_MAX + 2, fp) == NULL) {
		free(buf);
		return NULL;
	}
	strip_end(buf);
	return buf;
}

static enum irc_status
key_from_file(struct irc_hive_target *t, const char *path,
    struct irc_error *err)
{
	enum irc_status st;
	FILE *fp;

	if ((st = check_private(path, "key file", err)) != IRC_OK)
		return st;
	if ((st = irc_path_open_regular(path, "key file", &fp, err)) != IRC_OK)
		return st;
	t->key = read_key_line(fp);
	fclose(fp);
	if (t->key == NULL || t->key[0] == '\0')
		return irc_fail(err, IRC_ERR_INVALID, "key file %s is empty; "
		    "write the TheHive API key on its first line", path);
	t->key_source = irc_xasprintf("key file %s", path);
	return IRC_OK;
}

/* Most output read from a key command; a key is one line of KEY_MAX. */
#define KEY_CMD_OUTPUT_MAX (64 * 1024)
/* Seconds a key command may run when no request timeout is set. */
#define KEY_CMD_TIMEOUT_DEFAULT 10

/*
 * Reads the command's output from fd into buf until end of file, the
 * deadline (CLOCK_MONOTONIC, ms) or size - 1 bytes.  Returns the bytes
 * read, or -1 at the deadline and -2 past the size.
 */
static ssize_t
key_cmd_read(int fd, char *buf, size_t size, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec now;
	size_t n = 0;
	ssize_t r;
	int64_t left;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = deadline - ((int64_t)now.tv_sec * 1000 + now.tv_nsec /
		    1000000);
		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd.revents == 0)
			continue;
		if (n + 1 >= size)
			return -2;
		r = read(fd, buf + n, size - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	return (ssize_t)n;
}

/*
 * Runs the key command with /bin/sh in a process group of its own and
 * keeps the first line of its output.  A command still running after the
 * target's request timeout, or printing more than KEY_CMD_OUTPUT_MAX, is
 * killed with its whole group, so nothing it started keeps running.  The
 * output is never shown, even when the command fails.
 */
static enum irc_status
key_from_command(struct irc_hive_target *t, const char *cmd,
    const char *origin, struct irc_error *err)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	long secs = t->timeout > 0 ? t->timeout : KEY_CMD_TIMEOUT_DEFAULT;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct timespec now;
	char *out = NULL;
	int fds[2], status = 0, rc;
	ssize_t n;
	pid_t pid;

	if (pipe(fds) != 0 || fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0)
		return irc_fail(err, IRC_ERR_IO, "cannot run the key command "
		    "from %s: %s", origin, strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	rc = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		return irc_fail(err, IRC_ERR_IO, "cannot run the key command "
		    "from %s: %s", origin, strerror(rc));
	}
	out = irc_xmalloc(KEY_CMD_OUTPUT_MAX + 1);
	clock_gettime(CLOCK_MONOTONIC, &now);
	n = key_cmd_read(fds[0], out, KEY_CMD_OUTPUT_MAX + 1,
	    (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 + secs * 1000);
	close(fds[0]);
	if (n < 0)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n >= 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		irc_fail(err, IRC_ERR_IO, "the key command from %s failed "
		    "(exit status %d); run it by hand to see why", origin,
		    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	else if (n == -1)
		irc_fail(err, IRC_ERR_IO, "the key command '%.200s' from %s did "
		    "not finish within %ld s and was stopped; run it by hand to "
		    "see what it waits for, or raise the thehive timeout", cmd,
		    origin, secs);
	else if (n == -2)
		irc_fail(err, IRC_ERR_INVALID, "the key command '%.200s' from %s "
		    "printed more than %d bytes and was stopped; it must print "
		    "only the API key", cmd, origin, KEY_CMD_OUTPUT_MAX);
	else {
		out[strcspn(out, "\n")] = '\0';
		strip_end(out);
		if (out[0] == '\0')
			irc_fail(err, IRC_ERR_INVALID, "the key command from %s "
			    "printed nothing; it must print the API key", origin);
		else if (strlen(out) > KEY_MAX)
			irc_fail(err, IRC_ERR_INVALID, "the key command from %s "
			    "printed a line longer than %d bytes; it must print "
			    "only the API key", origin, KEY_MAX);
		else {
			t->key = irc_xstrdup(out);
			t->key_source = irc_xasprintf("key command from %s",
			    origin);
		}
	}
	explicit_bzero(out, KEY_CMD_OUTPUT_MAX + 1);
	free(out);
	return t->key != NULL ? IRC_OK : err->status;
}

/* Reads the key of a target from the first source that is set. */
static enum irc_status
target_key(struct irc_hive_target *t, struct target_src *src,
    const char *config_path, struct irc_error *err)
{
	enum irc_status st;
	char *url;

	if (t->url == NULL)
		return IRC_OK;
	if (src->key != NULL) {
		if (strcmp(src->key_origin, "config") == 0 &&
		    (st = check_private(config_path, "config file", err)) !=
		    IRC_OK)
			return st;
		t->key = irc_xstrdup(src->key);
		t->key_source = strcmp(src->key_origin, "config") == 0 ?
		    irc_xasprintf("config file %s", config_path) :
		    irc_xstrdup(src->key_origin);
		return IRC_OK;
	}
	if (src->key_file != NULL)
		return key_from_file(t, src->key_file, err);
	if (src->key_cmd != NULL)
		return key_from_command(t, src->key_cmd, src->key_origin, err);
	url = irc_hive_url_masked(t->url);
	st = irc_fail(err, IRC_ERR_INVALID, "no API key for the %s TheHive "
	    "target at %s; set IRCASE_THEHIVE%s_KEY_FILE, _KEY_CMD or _KEY",
	    t->name, url, strcmp(t->name, "drill") == 0 ? "_DRILL" : "");
	free(url);
	return st;
}

char *
irc_hive_url_masked(const char *url)
{
	const char *host, *end, *at = NULL;

	host = strstr(url, "://");
	host = host != NULL ? host + 3 : url;
	end = host + strcspn(host, "/?#");
	/* The last '@' ends the userinfo, which may itself hold an '@'. */
	for (const char *c = host; c < end; c++)
		if (*c == '@')
			at = c;
	if (at == NULL)
		return irc_xstrdup(url);
	return irc_xasprintf("%.*s***@%s", (int)(host - url), url, at + 1);
}

static const char *const env_names[] = {
	"URL", "ORG", "KEY", "KEY_FILE", "KEY_CMD", "CA", "CUSTOM_FIELD",
	"TIMEOUT", "CONNECT_TIMEOUT", "PARALLEL", NULL,
};
static const char *const env_settings[] = {
	"url", "organisation", "key", "key_file", "key_command", "ca",
	"custom_field", "timeout", "connect_timeout", "parallel", NULL,
};

/* Applies IRCASE_THEHIVE_* (prefix "") or IRCASE_THEHIVE_DRILL_*. */
static enum irc_status
target_env(struct irc_hive_target *t, struct target_src *src,
    const char *infix, struct irc_error *err)
{
	char var[64];
	const char *value;
	enum irc_status st;

	for (size_t i = 0; env_names[i] != NULL; i++) {
		snprintf(var, sizeof var, "IRCASE_THEHIVE_%s%s", infix,
		    env_names[i]);
		if ((value = getenv(var)) == NULL || *value == '\0')
			continue;
		if (strncmp(env_settings[i], "key", 3) == 0) {
			/* A key source from the environment replaces the file's. */
			set_str(&src->key, NULL);
			set_str(&src->key_file, NULL);
			set_str(&src->key_cmd, NULL);
			snprintf(src->key_origin, sizeof src->key_origin, "%s", var);
		}
		if ((st = target_set(t, src, env_settings[i], value, var, err)) !=
		    IRC_OK)
			return st;
	}
	return IRC_OK;
}

/* Reads a mapping of settings into a target (and "drill" into the other). */
static enum irc_status
yaml_target(yaml_document_t *doc, yaml_node_t *map, const char *path,
    struct irc_hive_target *t, struct target_src *src,
    struct irc_hive_target *drill, struct target_src *dsrc,
    struct irc_error *err)
{
	char where[PATH_MAX + 32];
	yaml_node_pair_t *p;
	enum irc_status st;

	if (map->type != YAML_MAPPING_NODE)
		return irc_fail(err, IRC_ERR_INVALID, "%s:%d: thehive must be a "
		    "mapping of settings", path, (int)map->start_mark.line + 1);
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	    p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		const char *name;

		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE)
			continue;
		name = (const char *)k->data.scalar.value;
		snprintf(where, sizeof where, "%s:%d:", path,
		    (int)v->start_mark.line + 1);
		if (strcmp(name, "drill") == 0 && drill != NULL) {
			if ((st = yaml_target(doc, v, path, drill, dsrc, NULL, NULL,
			    err)) != IRC_OK)
				return st;
			continue;
		}
		if (v->type != YAML_SCALAR_NODE)
			return irc_fail(err, IRC_ERR_INVALID, "%s thehive %s must be "
			    "a single value", where, name);
		if ((st = target_set(t, src, name,
		    (const char *)v->data.scalar.value, where, err)) != IRC_OK)
			return st;
		if (strncmp(name, "key", 3) == 0)
			snprintf(src->key_origin, sizeof src->key_origin,
			    "config");
	}
	return IRC_OK;
}

/* Reads the thehive section of the config file, when there is one. */
static enum irc_status
config_file(const char *path, struct irc_hive_config *cfg,
    struct target_src *psrc, struct target_src *dsrc, struct irc_error *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	yaml_node_pair_t *p;
	enum irc_status st = IRC_OK;
	FILE *fp;

	if ((st = irc_path_open_regular(path, "config file", &fp, err)) !=
	    IRC_OK) {
		if (st != IRC_ERR_NOT_FOUND)
			return st;
		irc_error_clear(err);
		return IRC_OK;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, &doc)) {
		st = irc_fail(err, IRC_ERR_INVALID, "%s:%d: %s", path,
		    (int)parser.problem_mark.line + 1,
		    parser.problem != NULL ? parser.problem : "invalid YAML");
		yaml_parser_delete(&parser);
		fclose(fp);
		return st;
	}
	cfg->source = irc_xstrdup(path);
	root = yaml_document_get_root_node(&doc);
	if (root != NULL && root->type == YAML_MAPPING_NODE) {
		for (p = root->data.mapping.pairs.start;
		    p < root->data.mapping.pairs.top && st == IRC_OK; p++) {
			yaml_node_t *k = yaml_document_get_node(&doc, p->key);

			if (k == NULL || k->type != YAML_SCALAR_NODE ||
			    strcmp((const char *)k->data.scalar.value,
			    "thehive") != 0)
				continue;
			st = yaml_target(&doc, yaml_document_get_node(&doc,
			    p->value), path, &cfg->production, psrc, &cfg->drill,
			    dsrc, err);
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(fp);
	return st;
}

static void
target_init(struct irc_hive_target *t, const char *name)
{
	memset(t, 0, sizeof *t);
	t->name = irc_xstrdup(name);
	t->timeout = IRC_HIVE_TIMEOUT_DEFAULT;
	t->connect_timeout = IRC_HIVE_CONNECT_TIMEOUT_DEFAULT;
	t->parallel = IRC_HIVE_PARALLEL_DEFAULT;
}

static void
src_clear(struct target_src *s)
{
	free(s->key);
	free(s->key_file);
	free(s->key_cmd);
}

/* Drops the trailing '/' of a URL so paths can be appended. */
static void
url_trim(char *url)
{
	size_t n;

	if (url == NULL)
		return;
	n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		url[--n] = '\0';
}

/* Loads the settings, and the keys too when read_keys is set. */
static enum irc_status
config_load(const char *path, bool read_keys, struct irc_hive_config **out,
    struct irc_error *err)
{
	struct irc_hive_config *cfg = irc_xcalloc(1, sizeof *cfg);
	struct target_src psrc = { NULL, NULL, NULL, "config" };
	struct target_src dsrc = { NULL, NULL, NULL, "config" };

	char *default_path = NULL;
	enum irc_status st;

	*out = NULL;
	target_init(&cfg->production, "production");
	target_init(&cfg->drill, "drill");
	if (path == NULL) {
		if ((st = irc_config_path(&default_path, err)) != IRC_OK)
			goto out;
		path = default_path;
	}
	if ((st = config_file(path, cfg, &psrc, &dsrc, err)) != IRC_OK)
		goto out;
	if ((st = target_env(&cfg->production, &psrc, "", err)) != IRC_OK ||
	    (st = target_env(&cfg->drill, &dsrc, "DRILL_", err)) != IRC_OK)
		goto out;
	url_trim(cfg->production.url);
	url_trim(cfg->drill.url);
	if (read_keys &&
	    ((st = target_key(&cfg->production, &psrc, path, err)) != IRC_OK ||
	    (st = target_key(&cfg->drill, &dsrc, path, err)) != IRC_OK))
		goto out;
	*out = cfg;
out:
	src_clear(&psrc);
	src_clear(&dsrc);
	free(default_path);
	if (st != IRC_OK)
		irc_hive_config_free(cfg);
	return st;
}

enum irc_status
irc_hive_config_load(const char *path, struct irc_hive_config **out,
    struct irc_error *err)
{
	return config_load(path, true, out, err);
}

enum irc_status
irc_hive_config_load_settings(const char *path,
    struct irc_hive_config **out, struct irc_error *err)
{
	return config_load(path, false, out, err);
}

static void
target_clear(struct irc_hive_target *t)
{
	free(t->name);
	free(t->url);
	free(t->org);
	if (t->key != NULL) {
		/* Wipe the key before the memory goes back to the allocator. */
		volatile char *p = t->key;

		while (*p != '\0')
			*p++ = '\0';
		free(t->key);
	}
	free(t->key_source);
	free(t->ca);
	free(t->custom_field);
}

void
irc_hive_config_free(struct irc_hive_config *cfg)
{
	if (cfg == NULL)
		return;
	target_clear(&cfg->production);
	target_clear(&cfg->drill);
	free(cfg->source);
	free(cfg);
}
