/*
 * observable.h: observables on a case (addresses, domains, URLs, hashes,
 * mail addresses, file names, user agents), each with a TLP level, an
 * indicator-of-compromise flag and tags.
 *
 * Values are checked per type before they are stored, and adding one is
 * an "observable.add" action written in the same transaction as its row.
 * A case contains each type and value once.
 */
#ifndef IRC_OBSERVABLE_H
#define IRC_OBSERVABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "actor.h"
#include "db.h"
#include "status.h"

/* Maximum bytes of a value (a long URL or user agent fits). */
#define IRC_OBSERVABLE_VALUE_MAX 8192
/* Maximum bytes of a tag, and maximum tags on one observable. */
#define IRC_OBSERVABLE_TAG_MAX 64
#define IRC_OBSERVABLE_TAGS_MAX 32

enum irc_obs_type {
	IRC_OBS_IP,
	IRC_OBS_DOMAIN,
	IRC_OBS_URL,
	IRC_OBS_HASH,
	IRC_OBS_MAIL,
	IRC_OBS_FILENAME,
	IRC_OBS_USER_AGENT,
	IRC_OBS_OTHER,
	IRC_OBS_TYPE_COUNT
};

/* Type names in enum order, NULL-terminated: "ip", "domain", ... */
extern const char *const irc_obs_types[];

/* Returns the stored name of a type: "ip", "domain", ..., "user-agent". */
const char *irc_obs_type_key(enum irc_obs_type type);

/* Parses a type name as irc_obs_type_key() spells it, case-insensitively. */
bool irc_obs_type_parse(const char *word, enum irc_obs_type *out);

/*
 * Checks value for type and returns its stored form (caller frees) in
 * *out: an IP address as inet_ntop() writes it, a domain, hash or mail
 * domain in lower case without a trailing dot, anything else as typed.
 * An invalid value is IRC_ERR_INVALID with a message that says what the
 * type expects.
 */
enum irc_status irc_obs_normalize(enum irc_obs_type type, const char *value,
    char **out, struct irc_error *err);

/*
 * Parses a TLP level: "clear" (or "white", its TLP 1.0 name), "green",
 * "amber", "amber+strict" or "red", case-insensitively, into its stored
 * name.  Returns NULL when word is none of them.
 */
const char *irc_obs_tlp_parse(const char *word);

struct irc_observable_new {
	enum irc_obs_type type;
	const char *value;
	const char *tlp;	/* a level irc_obs_tlp_parse() accepts, NULL for amber */
	bool ioc;		/* an indicator of compromise, not only context */
	const char *const *tags;
	size_t ntags;
};

/*
 * Checks and records an observable on case case_id.  The same type and
 * stored value twice on one case is IRC_ERR_INVALID naming the number it
 * has.  On success *number (when not NULL) is its number in the case.
 */
enum irc_status irc_observable_add(struct irc_db *db, int64_t case_id,
    const struct irc_observable_new *obs, const struct irc_actor *actor,
    int64_t *number, struct irc_error *err);

/*
 * Does what irc_observable_add() does inside the caller's transaction
 * (irc_db_begin), which the caller commits or rolls back.  When inject is
 * not 0, the body of the observable.add action contains it as "inject", the
 * number of the drill inject that brought the observable.
 */
enum irc_status irc_observable_add_locked(struct irc_db *db, int64_t case_id,
    const struct irc_observable_new *obs, int64_t inject,
    const struct irc_actor *actor, int64_t *number, struct irc_error *err);

struct irc_observable {
	int64_t number;
	enum irc_obs_type type;
	char *value;
	char tlp[16];
	bool ioc;
	char **tags;
	size_t ntags;
	char *added_by;
	int64_t added_at;
};

/* Lists the observables of a case by number; free with irc_observables_free(). */
enum irc_status irc_observable_list(struct irc_db *db, int64_t case_id,
    struct irc_observable **out, size_t *count, struct irc_error *err);
void irc_observables_free(struct irc_observable *list, size_t count);

/* Builds the JSON array documented in ircase(1); the caller owns it. */
json_t *irc_observables_to_json(const struct irc_observable *list,
    size_t count);

#endif
