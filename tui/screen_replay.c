/*
 * screen_replay.c: a case's log played back, read-only.
 *
 * The case is loaded once with all its actions.  A cursor counts the
 * actions shown; the step states are rebuilt from the actions before it
 * (core/replay.h), so the phases fill in and the timeline grows in the
 * recorded order.  While playing, the cursor follows the recorded times
 * scaled by the speed, measured on the monotonic clock.  Nothing here
 * writes to the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "case_view.h"
#include "keys.h"
#include "mem.h"
#include "replay.h"
#include "scenario.h"
#include "screen.h"
#include "text.h"
#include "tui.h"

struct replay_screen {
	struct irc_case *full;		/* the case with every action */
	struct irc_case view;		/* full cut at the cursor */
	struct irc_step *steps;		/* view's steps with rebuilt states */
	struct case_screen *cv;
	size_t cursor;			/* actions shown */
	int speed;
	bool paused;
	int64_t anchor_wall;		/* monotonic us when play resumed */
	int64_t anchor_log;		/* log time shown at that moment */
	char message[IRC_ERROR_MAX];
};

static int64_t
replay_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Returns the log time at the cursor: the last action shown, or the opening. */
static int64_t
replay_log_time(const struct replay_screen *rs)
{
	if (rs->cursor == 0)
		return rs->full->sum.opened_at;
	return rs->full->actions[rs->cursor - 1].time_us;
}

/* Rebuilds the view of the case after the first rs->cursor actions. */
static void
replay_rebuild(struct replay_screen *rs)
{
	enum irc_step_state *states;
	const struct irc_action *last = rs->cursor > 0 ?
	    &rs->full->actions[rs->cursor - 1] : NULL;
	char when[32], *banner;

	states = irc_xcalloc(rs->full->nsteps + 1, sizeof(*states));
	irc_replay_states(rs->full, rs->cursor, states);
	for (size_t i = 0; i < rs->full->nsteps; i++)
		rs->steps[i].state = states[i];
	free(states);
	rs->view.nactions = rs->cursor;
	irc_scenario_offset_format(replay_log_time(rs) -
	    rs->full->sum.opened_at, false, when, sizeof(when));
	banner = irc_xasprintf("REPLAY%s %s  action %zu/%zu  x%d  %s",
	    strcmp(rs->full->sum.kind, "drill") == 0 ? " of a DRILL" : "", when,
	    rs->cursor, rs->full->nactions, rs->speed,
	    rs->cursor == rs->full->nactions ? "end of the log" :
	    rs->paused ? "paused" : "playing");
	case_view_set(rs->cv, &rs->view, last != NULL ? last->step_seq : 0,
	    banner);
	free(banner);
}

static bool
replay_open(struct tui *t, struct screen *s, const void *arg)
{
	const struct tui_replay_opts *o = arg;
	struct replay_screen *rs;
	struct irc_error err;
	struct irc_case *c;
	int64_t from = 0;

	if (irc_replay_load(t->db, o->case_id, tui_stop_flag(), &c, &err) !=
	    IRC_OK) {
		snprintf(t->notice, sizeof(t->notice), "%s", err.msg);
		return false;
	}
	rs = irc_xcalloc(1, sizeof(*rs));
	rs->full = c;
	rs->view = *c;
	rs->steps = irc_xcalloc(c->nsteps + 1, sizeof(*rs->steps));
	memcpy(rs->steps, c->steps, c->nsteps * sizeof(*rs->steps));
	rs->view.steps = rs->steps;
	rs->cv = case_view_new();
	rs->speed = o->speed > 0 ? o->speed : 1;
	if (o->from_time_us != 0)
		from = o->from_time_us;
	else if (o->from_offset_us != 0)
		from = c->sum.opened_at + o->from_offset_us;
	rs->cursor = from != 0 ? irc_replay_count_before(c, from) : 0;
	rs->anchor_wall = replay_mono_us();
	rs->anchor_log = from != 0 ? from : replay_log_time(rs);
	replay_rebuild(rs);
	s->data = rs;
	return true;
}

static void
replay_close(struct tui *t, struct screen *s)
{
	struct replay_screen *rs = s->data;

	case_view_free(rs->cv);
	free(rs->steps);
	irc_case_free(rs->full);
	free(rs);
}

static void
replay_draw(struct tui *t, struct screen *s)
{
	struct replay_screen *rs = s->data;
	char *title;

	title = irc_xasprintf("#%lld %s", (long long)rs->full->sum.id,
	    rs->full->sum.title);
	tui_draw_title(title, "replay, read-only");
	free(title);
	case_view_draw(rs->cv);
	tui_draw_status(rs->message[0] ? rs->message :
	    "Space pause  Left/Right step  1-6 phase  ? keys  q quit", NULL,
	    false);
}

/* Moves the cursor to n actions, paused. */
static void
replay_seek(struct replay_screen *rs, size_t n)
{
	rs->cursor = n > rs->full->nactions ? rs->full->nactions : n;
	rs->paused = true;
	rs->anchor_log = replay_log_time(rs);
	replay_rebuild(rs);
}

/* Jumps to just after the first action of phase p. */
static void
replay_phase(struct replay_screen *rs, enum irc_phase p)
{
	for (size_t i = 0; i < rs->full->nactions; i++)
		if (irc_replay_action_phase(rs->full, &rs->full->actions[i]) ==
		    (int)p) {
			replay_seek(rs, i + 1);
			return;
		}
	snprintf(rs->message, sizeof(rs->message), "No action of %s in this "
	    "log.", irc_phase_name(p));
}

static void
replay_key(struct tui *t, struct screen *s, int key)
{
	struct replay_screen *rs = s->data;
	enum tui_action act = tui_key_action(TUI_CTX_REPLAY, key);
	enum tui_keyctx ctx = TUI_CTX_REPLAY;

	rs->message[0] = '\0';
	switch (act) {
	case TUI_ACT_PAUSE:
		rs->paused = !rs->paused;
		rs->anchor_wall = replay_mono_us();
		rs->anchor_log = replay_log_time(rs);
		replay_rebuild(rs);
		break;
	case TUI_ACT_RIGHT:
		replay_seek(rs, rs->cursor + 1);
		break;
	case TUI_ACT_LEFT:
		replay_seek(rs, rs->cursor > 0 ? rs->cursor - 1 : 0);
		break;
	case TUI_ACT_PANE_PREPARE:
	case TUI_ACT_PANE_REPORT:
	case TUI_ACT_PANE_ASSESS:
	case TUI_ACT_PANE_RESPOND:
	case TUI_ACT_PANE_LEARN:
	case TUI_ACT_PANE_EVIDENCE:
		replay_phase(rs, (enum irc_phase)(act - TUI_ACT_PANE_PREPARE));
		break;
	case TUI_ACT_HELP:
		tui_push(t, &screen_help_ops, &ctx);
		break;
	case TUI_ACT_BACK:
		tui_pop(t);
		break;
	default:
		break;
	}
}

/* Shows the actions whose recorded time the scaled playback has reached. */
static void
replay_tick(struct tui *t, struct screen *s)
{
	struct replay_screen *rs = s->data;
	int64_t target;
	size_t before = rs->cursor;

	if (rs->paused || rs->cursor >= rs->full->nactions)
		return;
	target = rs->anchor_log + (replay_mono_us() - rs->anchor_wall) *
	    rs->speed;
	while (rs->cursor < rs->full->nactions &&
	    rs->full->actions[rs->cursor].time_us <= target)
		rs->cursor++;
	if (rs->cursor != before || rs->cursor == rs->full->nactions)
		replay_rebuild(rs);
}

static void
replay_resize(struct tui *t, struct screen *s)
{
	struct replay_screen *rs = s->data;

	replay_rebuild(rs);
}

const struct screen_ops screen_replay_ops = {
	.name = "replay",
	.open = replay_open,
	.draw = replay_draw,
	.key = replay_key,
	.resize = replay_resize,
	.reload = NULL,
	.close = replay_close,
	.tick = replay_tick,
};

int
tui_replay(struct irc_db *db, const struct tui_replay_opts *opts)
{
	return tui_run_first(db, &screen_replay_ops, opts);
}
