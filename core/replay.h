/*
 * replay.h: rebuilding a case as it stood after its first n actions, for
 * playing a log back without writing to it.
 */
#ifndef IRC_REPLAY_H
#define IRC_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "case.h"

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
