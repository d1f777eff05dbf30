/*
 * replay.h: rebuilding a case as it stood after its first n actions, for
 * playing a log back without writing to it.
 */
#ifndef IRC_REPLAY_H
#define IRC_REPLAY_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"

/*
 * Loads a case with all its actions for a replay, as irc_case_load()
 * does.  It gives up once *stop is non-zero (a signal handler sets it),
 * so SIGTERM or a hang-up need not wait for a long log to load.  Giving
 * up returns IRC_ERR_DB with SQLite's "interrupted" message and sets
 * *out to NULL.
 */
enum irc_status irc_replay_load(struct irc_db *db, int64_t case_id,
    const volatile sig_atomic_t *stop, struct irc_case **out,
    struct irc_error *err);

/*
 * Fills states[i] with the state of c->steps[i] after the first n actions
 * of c (loaded with its actions): pending, changed by each "step.state"
 * action in chain order.  states has room for c->nsteps entries.
 */
void irc_replay_states(const struct irc_case *c, size_t n,
    enum irc_step_state *states);

/*
 * Returns the phase an action belongs to, as irc_metrics_compute() counts
 * it (a step's phase, or its kind's), or -1 for none.
 */
int irc_replay_action_phase(const struct irc_case *c,
    const struct irc_action *a);

/*
 * Returns the number of actions of c recorded before time_us, so a
 * replay from that time shows the case as it stood then.
 */
size_t irc_replay_count_before(const struct irc_case *c, int64_t time_us);

#endif
