/*
 * thehive.h: the TheHive REST client: settings, the API key, requests and
 * the differences between TheHive 4 and TheHive 5.
 *
 * Settings come from the "thehive" section of config.yaml and from
 * IRCASE_THEHIVE_* environment variables, which win over the file.  The
 * API key is read from $IRCASE_THEHIVE_KEY, a key file or the output of a
 * key command; a key file, or a config file holding a key, that group or
 * others can read is rejected.  The key is sent only in the Authorization
 * header and never appears in a message, a trace line or the database.
 *
 * Requests run on a libcurl multi handle, so several can be in flight on
 * keep-alive connections; irc_hive_perform() drives them.  Proxies come
 * from libcurl's own environment variables (https_proxy, http_proxy,
 * no_proxy), which irc_hive_proxy() reports.
 */
#ifndef IRC_THEHIVE_H
#define IRC_THEHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "status.h"

/* Defaults of the timeouts (seconds) and of parallel connections. */
#define IRC_HIVE_TIMEOUT_DEFAULT 30
#define IRC_HIVE_CONNECT_TIMEOUT_DEFAULT 10
#define IRC_HIVE_PARALLEL_DEFAULT 8
#define IRC_HIVE_PARALLEL_MAX 64

/* One TheHive server that cases go to. */
struct irc_hive_target {
	char *name;		/* "production" or "drill" */
	char *url;		/* base URL without a trailing '/', NULL when unset */
	char *org;		/* X-Organisation, NULL to use the user's default */
	char *key;		/* the API key; never printed */
	char *key_source;	/* where the key came from, for messages */
	char *ca;		/* CA bundle file, NULL for the system's */
	char *custom_field;	/* string custom field for the case uuid, or NULL */
	long timeout;		/* seconds for a whole request */
	long connect_timeout;	/* seconds to connect */
	int parallel;		/* connections at once, 1..IRC_HIVE_PARALLEL_MAX */
	bool insecure;		/* peer verification off (--insecure) */
};

struct irc_hive_config {
	struct irc_hive_target production;
	struct irc_hive_target drill;	/* url NULL: drills are not synced */
	char *source;		/* config file read, or NULL */
};

/*
 * Loads the settings: the "thehive" section of the config file (path, or
 * irc_config_path() when NULL; a missing file is no error), then the
 * environment.  Keys are read here too, so a key file with loose
 * permissions or a failing key command is an error now, naming the file
 * or the variable.  A target without a URL has no key read and is not
 * an error.  The caller frees *out with irc_hive_config_free().
 */
enum irc_status irc_hive_config_load(const char *path,
    struct irc_hive_config **out, struct irc_error *err);

/*
 * Loads the settings as irc_hive_config_load() does but reads no API key,
 * so key and key_source stay NULL and no key command runs.  For commands
 * that send nothing, such as "ircase sync --status".
 */
enum irc_status irc_hive_config_load_settings(const char *path,
    struct irc_hive_config **out, struct irc_error *err);
void irc_hive_config_free(struct irc_hive_config *cfg);

/* The server generation, read from the status endpoints. */
enum irc_hive_version {
	IRC_HIVE_UNKNOWN,
	IRC_HIVE_4,		/* 4.x: v0 task route, "user", RED = 3 */
	IRC_HIVE_5,		/* 5.0 and 5.1: RED = 3 */
	IRC_HIVE_5_2,		/* 5.2 and later: AMBER+STRICT = 3, RED = 4 */
};

struct irc_hive;		/* a connection pool to one target */

/*
 * Creates a client for target, which must outlive it.  Nothing is sent
 * yet.  Free with irc_hive_free().
 */
struct irc_hive *irc_hive_new(const struct irc_hive_target *target);
void irc_hive_free(struct irc_hive *hive);

/*
 * Reads the server version from GET /api/v1/status/public (TheHive 5)
 * or, when that is 404, GET /api/v1/status (TheHive 4), and checks the key
 * with GET /api/v1/user/current.  Fills *version, the version text and the
 * user's login (caller frees both).
 */
enum irc_status irc_hive_detect(struct irc_hive *hive,
    enum irc_hive_version *version, char **version_text, char **login,
    struct irc_error *err);

/* Sets the version without asking the server (tests, after a detect). */
void irc_hive_set_version(struct irc_hive *hive, enum irc_hive_version v);
enum irc_hive_version irc_hive_version(const struct irc_hive *hive);

/* Returns the TheHive TLP number for "clear" ... "red" on this version. */
int irc_hive_tlp(const struct irc_hive *hive, const char *level);

/* One HTTP request and, when it finished, its outcome. */
struct irc_hive_req {
	/* Set by the caller. */
	const char *method;	/* "GET", "POST", "PATCH" */
	char *path;		/* from the base URL, starts with '/'; owned */
	json_t *body;		/* owned; NULL for none */
	void *user;		/* the caller's pointer */
	bool once;		/* creates an object: never resent by libcurl */

	/* Set when the request finished. */
	bool done;
	long status;		/* HTTP status, 0 when none arrived */
	json_t *reply;		/* parsed JSON reply, or NULL */
	char *text;		/* raw reply body, NUL-terminated */
	size_t text_len;
	long retry_after;	/* seconds from Retry-After, -1 when absent */
	bool transport_error;	/* no complete answer: timeout, reset, refused */
	bool timed_out;		/* the request took longer than the timeout */
	bool unusable;		/* a 2xx create reply without the new id */
	char error[IRC_ERROR_MAX];	/* what went wrong, for the user */

	/* Private to the client. */
	void *priv;
	struct irc_hive_req *next;
};

/*
 * Creates a request; path is formatted like printf.  A POST to any path
 * but /api/v1/query creates an object, so it is marked once: libcurl may
 * not send it a second time on its own (see irc_hive_start()).  Free with
 * irc_hive_req_free().
 */
struct irc_hive_req *irc_hive_req_new(const char *method, json_t *body,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void irc_hive_req_free(struct irc_hive_req *req);

/* Starts a request.  It finishes in a later irc_hive_perform(). */
void irc_hive_start(struct irc_hive *hive, struct irc_hive_req *req);

/*
 * Runs transfers for at most timeout_ms and returns the requests that
 * finished, linked through ->next (NULL when none did).  Returns the number
 * still running in *running.
 */
struct irc_hive_req *irc_hive_perform(struct irc_hive *hive, int timeout_ms,
    int *running);

/* Sends one request and waits for it.  Returns req. */
struct irc_hive_req *irc_hive_send(struct irc_hive *hive,
    struct irc_hive_req *req);

/* Largest reply body read, in bytes; a longer one fails the request. */
#define IRC_HIVE_REPLY_MAX (16L * 1024 * 1024)

/*
 * Returns the id ("_id", or "id" as TheHive 4's v0 routes write it) of the
 * object a create made: the reply is that object, an array whose first
 * element it is, or a 207's {"success": [...]}.  For a 2xx reply without
 * one (empty, not JSON, null, [] or {}, a login page), sets req->unusable
 * and req->error and returns NULL: the outcome is unknown.  Returns NULL
 * for a reply that is not 2xx, too.
 */
const char *irc_hive_req_created(struct irc_hive_req *req);

/*
 * Returns true when the outcome of req is unknown: no answer, a timeout,
 * a reset, a 5xx, or a create's 2xx reply without the new id (see
 * irc_hive_req_created()).  The server may have stored the object.
 */
bool irc_hive_req_uncertain(const struct irc_hive_req *req);

/*
 * Returns true for an outcome worth retrying: no answer, 408, 429, 5xx,
 * or an unusable create reply.
 */
bool irc_hive_req_retryable(const struct irc_hive_req *req);

/* Returns true for a 400 whose message says the object already exists. */
bool irc_hive_req_exists(const struct irc_hive_req *req);

/*
 * Returns url as a new string (caller frees) with any user:password@ in
 * its authority replaced by "***@", for messages and output.
 */
char *irc_hive_url_masked(const char *url);

/*
 * Describes the proxy that libcurl will use for the target's URL, from
 * the environment, into buf: "none" or the proxy URL without credentials.
 */
void irc_hive_proxy(const struct irc_hive_target *target, char *buf,
    size_t size);

/*
 * Writes one line per request to $IRCASE_TRACE when set: method, path,
 * status and body size, never a header.  Called by the client.
 */
void irc_hive_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
