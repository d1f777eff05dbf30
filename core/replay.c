/*
 * replay.c: a case's step states rebuilt from its log.
 */
#include <stdint.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "replay.h"

/* SQLite virtual machine instructions between two looks at the stop flag. */
#define REPLAY_STOP_CHECK_OPS 100

static const struct {
	const char *prefix;
	enum irc_phase phase;
} replay_kind_phases[] = {
	{ "role.", IRC_PHASE_PREPARE },
	{ "report.", IRC_PHASE_REPORT },
	{ "decision", IRC_PHASE_ASSESS },
	{ "milestone", IRC_PHASE_RESPOND },
	{ "lesson.", IRC_PHASE_LEARN },
	{ "followup.", IRC_PHASE_LEARN },
	{ "evidence.", IRC_PHASE_EVIDENCE },
	{ "custody.", IRC_PHASE_EVIDENCE },
};

static long
step_index(const struct irc_case *c, int seq)
{
	for (size_t i = 0; i < c->nsteps; i++)
		if (c->steps[i].seq == seq)
			return (long)i;
	return -1;
}

void
irc_replay_states(const struct irc_case *c, size_t n,
    enum irc_step_state *states)
{
	for (size_t i = 0; i < c->nsteps; i++)
		states[i] = IRC_STEP_PENDING;
	for (size_t i = 0; i < n && i < c->nactions; i++) {
		const struct irc_action *a = &c->actions[i];
		enum irc_step_state to;
		long k;
		json_t *body;

		if (a->step_seq <= 0 || strcmp(a->kind, "step.state") != 0 ||
		    (k = step_index(c, a->step_seq)) < 0)
			continue;
		body = json_loads(a->body != NULL ? a->body : "{}", 0, NULL);
		if (irc_step_state_parse(json_string_value(json_object_get(body,
		    "to")), &to))
			states[k] = to;
		json_decref(body);
	}
}

int
irc_replay_action_phase(const struct irc_case *c, const struct irc_action *a)
{
	long k;

	if (a->step_seq > 0 && (k = step_index(c, a->step_seq)) >= 0)
		return (int)c->steps[k].phase;
	for (size_t i = 0; i < sizeof replay_kind_phases /
	    sizeof replay_kind_phases[0]; i++)
		if (strncmp(a->kind, replay_kind_phases[i].prefix,
		    strlen(replay_kind_phases[i].prefix)) == 0)
			return (int)replay_kind_phases[i].phase;
	return -1;
}

size_t
irc_replay_count_before(const struct irc_case *c, int64_t time_us)
{
	size_t n = 0;

	while (n < c->nactions && c->actions[n].time_us < time_us)
		n++;
	return n;
}

/* A progress handler: non-zero makes SQLite interrupt the statement. */
static int
replay_load_stopped(void *arg)
{
	const volatile sig_atomic_t *stop = arg;

	return *stop != 0;
}

enum irc_status
irc_replay_load(struct irc_db *db, int64_t case_id,
    const volatile sig_atomic_t *stop, struct irc_case **out,
    struct irc_error *err)
{
	sqlite3 *h = irc_db_handle(db);
	enum irc_status st;

	*out = NULL;
	sqlite3_progress_handler(h, REPLAY_STOP_CHECK_OPS, replay_load_stopped,
	    (void *)(uintptr_t)stop);
	st = irc_case_load(db, case_id, out, err);
	sqlite3_progress_handler(h, 0, NULL, NULL);
	return st;
}
