/*
 * config.h: the user's configuration file, config.yaml.
 *
 * The file is YAML, read with libyaml's document loader.  ircase.conf(5)
 * documents every section.  Sections read so far: contacts (people to
 * call during an incident), clocks (notification rules besides the
 * built-in ones), assets (the asset inventory file and its columns),
 * syslog (the facility of the action log's copy), signing (the
 * allowed_signers file that verify checks checkpoints against) and
 * playbooks (the size limit of playbook files).
 * Keys that ircase does not know are warnings, so a newer file still
 * loads; a value of the wrong type or a YAML syntax error is an error
 * naming FILE:LINE.
 */
#ifndef IRC_CONFIG_H
#define IRC_CONFIG_H

#include <stddef.h>

#include "status.h"

/* Maximum size of the configuration file in bytes (1 MiB). */
#define IRC_CONFIG_MAX_SIZE (1024 * 1024)
/* Largest value of playbooks.max_size: 1 GiB. */
#define IRC_CONFIG_PLAYBOOK_SIZE_MAX (1024ull * 1024 * 1024)
/* Maximum hours of a custom clock rule: one year. */
#define IRC_CONFIG_CLOCK_MAX_HOURS 8760

struct irc_config_contact {
	char *role;		/* "dpo", "regulator", "insurer", "legal", "other" */
	char *name;		/* never NULL */
	char *email;		/* NULL when absent */
	char *phone;		/* NULL when absent */
	char *note;		/* NULL when absent */
	int line;		/* 1-based line of the entry in the file */
};

struct irc_config_clock {
	char *name;		/* rule name: lower-case letters, digits, '-', '_' */
	int hours;		/* 0 when the entry only sets applies_to of a built-in rule */
	char *from;		/* "aware", the only start point so far */
	char **applies_to;	/* decision categories that start the clock */
	size_t napplies_to;
	int line;
};

/* One "key: column name" pair of assets.columns. */
struct irc_config_column {
	char *key;		/* the field ircase fills: name, owner, ... */
	char *column;		/* the header of the CSV column it is read from */
};

struct irc_config_assets {
	char *file;		/* path of the inventory, NULL when unset */
	struct irc_config_column *columns;
	size_t ncolumns;
	int line;		/* line of the assets key, 0 when absent */
};

struct irc_config {
	char *path;		/* the file read, or the path that was missing */
	int found;		/* 0 when the file did not exist */
	struct irc_config_contact *contacts;
	size_t ncontacts;
	struct irc_config_clock *clocks;
	size_t nclocks;
	struct irc_config_assets assets;
	char *syslog_facility;	/* syslog.facility, NULL when unset */
	char *allowed_signers;	/* signing.allowed_signers, NULL when unset */
	size_t playbook_max_size;	/* playbooks.max_size in bytes, 0 when unset */
	char **warnings;	/* "FILE:LINE: message" for unknown keys */
	size_t nwarnings;
};

/*
 * Returns the configuration file's path (caller frees): $IRCASE_CONFIG
 * when set, else $XDG_CONFIG_HOME/ircase/config.yaml, else
 * ~/.config/ircase/config.yaml.
 */
enum irc_status irc_config_path(char **out, struct irc_error *err);

/*
 * Reads the configuration at path, or at irc_config_path() when path is
 * NULL.  A missing file at the default path gives an empty configuration
 * with found 0; a missing file named by $IRCASE_CONFIG or by path is
 * IRC_ERR_NOT_FOUND.  A malformed file is IRC_ERR_INVALID with a message
 * that starts "FILE:LINE: ".  On success the caller frees *out with
 * irc_config_free().
 */
enum irc_status irc_config_load(const char *path, struct irc_config **out,
    struct irc_error *err);

/* Parses configuration text; name is used in messages.  As irc_config_load(). */
enum irc_status irc_config_parse(const char *name, const char *text,
    size_t len, struct irc_config **out, struct irc_error *err);

void irc_config_free(struct irc_config *cfg);

/*
 * Returns the largest playbook file to read, in bytes: playbooks.max_size
 * of cfg, or IRC_PLAYBOOK_MAX_SIZE when it is unset or cfg is NULL.
 */
size_t irc_config_playbook_max_size(const struct irc_config *cfg);

/* Returns the rule named name in cfg->clocks, or NULL. */
const struct irc_config_clock *irc_config_clock_find(
    const struct irc_config *cfg, const char *name);

#endif
