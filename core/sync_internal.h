/*
 * sync_internal.h: what the files of the sync engine share.
 */
#ifndef IRC_SYNC_INTERNAL_H
#define IRC_SYNC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>

#include "sync.h"

/* Requests a lane may keep waiting before it is given up for this pass. */
#define SYNC_ATTEMPTS_DEFAULT 6
#define SYNC_BACKOFF_BASE_MS 250
#define SYNC_BACKOFF_MAX_MS 30000
/* Longest Retry-After honoured, in seconds; a longer one ends the pass. */
#define SYNC_RETRY_AFTER_MAX 120
/* Objects asked for per query page. */
#define SYNC_PAGE 1000

struct sync_step {
	int64_t id;
	int seq;
	int phase;
	int ord;
	char *title;
	char *body;
	char *state;
	char task[64];		/* remote task id, "" when none */
	char remote_state[32];	/* status TheHive had at the last pass */
	bool local_changed;	/* a step.state row of it is waiting */
	bool requires_approval;	/* done only when a second responder approves */
	char *approval_requested_by;	/* login awaiting approval, or NULL */
};

struct sync_case {
	int64_t id;
	char uuid[37];
	char *title;
	char *description;
	char *tlp;
	char *pap;
	char *status;
	char *verdict;
	char *summary;
	int severity;
	int64_t opened_at;
	int64_t action_count;
	char head[IRC_HASH_HEX];
	char remote[64];	/* remote case id, "" before it exists */
	int64_t number;
	char case_log[64];	/* remote id of the "Case log" task */
	struct sync_step *steps;
	size_t nsteps;
	int64_t pulled_at;	/* newest _createdAt pulled, epoch ms */
};

struct sync_pass {
	struct irc_db *db;
	struct irc_hive *hive;
	const struct irc_hive_target *target;
	const struct irc_sync_opts *opts;
	struct irc_sync_result *res;
	int max_attempts;
	int64_t backoff_ms;
	sqlite3_stmt *map_stmt;		/* sync_map_put's, kept for the pass */
	sqlite3_stmt *save_stmt;	/* the outbox row update, likewise */
	const char *login;	/* the API key's own TheHive login, or NULL */
};

/* Finalizes the statements the pass kept.  Safe to call twice. */
void sync_pass_close(struct sync_pass *p);

/* Sends req with retries and backoff; returns it finished.  Frees nothing. */
struct irc_hive_req *sync_send(struct sync_pass *p, struct irc_hive_req *req);

/* Returns the delay before retry number attempt (from 1), in ms. */
int64_t sync_backoff_ms(const struct sync_pass *p, int attempt,
    const struct irc_hive_req *req);

/* Stores a remote id; must run inside a transaction. */
enum irc_status sync_map_put(struct sync_pass *p, const char *kind,
    int64_t local_id, const char *remote_id, int64_t number,
    const char *remote_state, struct irc_error *err);

/* Returns true when remote_id is already mapped on this target. */
bool sync_map_has_remote(struct sync_pass *p, const char *remote_id);

/* Returns a query request over steps (a JSON array, taken). */
struct irc_hive_req *sync_query(json_t *steps);

/* The TheHive task status for a local step state, and back. */
const char *sync_task_status(const char *state);
const char *sync_step_state(const char *task_status);

/*
 * Writes into buf why a task completed in TheHive did not complete step
 * seq, which needs approval: requested_by is the login awaiting approval
 * (NULL when none), by_sync_account whether the sync's own API key made
 * the change.
 */
void sync_approval_reason(char *buf, size_t size, int64_t case_id, int seq,
    const char *requested_by, bool by_sync_account);

/*
 * Returns a new copy of the JSON string str, every NUL in it replaced by
 * U+2400 (a C string would end at the first), with their count in *nuls;
 * NULL when str is not a string.
 */
char *sync_text(json_t *str, size_t *nuls);

/* Pulls task states (before the push) and logs and observables (after). */
enum irc_status sync_pull_states(struct sync_pass *p, struct sync_case *c,
    json_t *tasks, struct irc_error *err);
enum irc_status sync_pull_new(struct sync_pass *p, struct sync_case *c,
    struct irc_error *err);

/* Sleeps ms milliseconds. */
void sync_sleep_ms(int64_t ms);

#endif
