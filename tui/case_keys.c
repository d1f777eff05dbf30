/*
 * case_keys.c: what the case view opens from its record keys: the record
 * pane of each phase, observables, assets and metrics, the skip,
 * not-applicable and approval prompts, the close check and prompt (then a
 * drill's after-action report), and the notification deadline shown in
 * its status bar.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "clock.h"
#include "drill.h"
#include "lifecycle.h"
#include "prompt.h"
#include "records.h"
#include "sign.h"
#include "timeutil.h"

static const struct {
	enum tui_action action;
	const struct rec_kind *kind;
} case_panes[] = {
	{ TUI_ACT_PANE_PREPARE, &pane_prepare },
	{ TUI_ACT_PANE_REPORT, &pane_report },
	{ TUI_ACT_PANE_ASSESS, &pane_assess },
	{ TUI_ACT_PANE_RESPOND, &pane_respond },
	{ TUI_ACT_PANE_LEARN, &pane_learn },
	{ TUI_ACT_PANE_EVIDENCE, &pane_evidence },
	{ TUI_ACT_PANE_OBSERVABLES, &pane_observables },
	{ TUI_ACT_PANE_ASSETS, &pane_assets },
	{ TUI_ACT_PANE_METRICS, &pane_metrics },
};

static enum irc_status case_skip_submit(struct tui *t, int64_t case_id,
    int64_t number, const char *text, struct irc_error *err)
{
	if (text[strspn(text, " ")] == '\0')
		return irc_fail(err, IRC_ERR_INVALID, "a skipped step needs a "
		    "reason; type it, or press Esc");
	return irc_case_step_set(t->db, case_id, (int)number, IRC_STEP_SKIPPED,
	    text, &t->actor, err);
}

/* Records step number as not applicable, with the reason when one is typed. */
static enum irc_status case_na_submit(struct tui *t, int64_t case_id,
    int64_t number, const char *text, struct irc_error *err)
{
	bool blank = text[strspn(text, " ")] == '\0';

	return irc_case_step_set(t->db, case_id, (int)number, IRC_STEP_NA,
	    blank ? NULL : text, &t->actor, err);
}

/*
 * Closes the case.  C checked the close rule before it showed this prompt,
 * but another responder may have reopened a step since.  Such items are
 * only counted here, because C lists them in full.
 */
static enum irc_status case_close_submit(struct tui *t, int64_t case_id,
    int64_t number, const char *text, struct irc_error *err)
{
	struct irc_close_missing *missing = NULL;
	size_t nmissing = 0;
	enum irc_status st;

	st = irc_case_close(t->db, case_id, *text ? text : NULL, &t->actor,
	    &missing, &nmissing, err);
	if (st != IRC_OK && nmissing > 0)
		irc_fail(err, st, "%zu item%s missing now; press Esc, then C "
		    "to list them", nmissing, nmissing == 1 ? " is" : "s are");
	irc_close_missing_free(missing, nmissing);

	/*
	 * Sign the closed chain's head as 'ircase close' does.  Without a key
	 * the case stays closed and unsigned; ssh-keygen's output is captured,
	 * so nothing reaches the screen.
	 */
	if (st == IRC_OK) {
		struct irc_sign_result signed_head;
		struct irc_error sign_err;

		irc_case_sign(t->db, case_id, &t->actor, IRC_SIGN_ALWAYS,
		    &signed_head, &sign_err);
	}
	return st;
}

/* Shows the after-action report once a drill is closed. */
static void case_close_done(struct tui *t, int64_t case_id)
{
	struct irc_drill *d = NULL;

	if (irc_drill_load(t->db, case_id, &d, NULL) != IRC_OK)
		return;
	irc_drill_free(d);
	/* NOTE: a report that cannot be built leaves the case closed, and
	 * "ircase drill report" shows the error. */
	tui_push(t, &screen_report_ops, &case_id);
}

/* Records the approval; core rejects a step that does not await one. */
static enum irc_status case_approve_submit(struct tui *t, int64_t case_id,
    int64_t number, const char *text, struct irc_error *err)
{
	return irc_case_step_approve(t->db, case_id, (int)number, &t->actor,
	    err);
}

/* The prompts on the selected step; the question is "before N after". */
static const struct {
	enum tui_action action;
	const char *title;
	const char *before;
	const char *after;
	enum irc_status (*submit)(struct tui *t, int64_t case_id,
	    int64_t number, const char *text, struct irc_error *err);
} step_prompts[] = {
	{ TUI_ACT_STEP_SKIP, "Skip a step", "Why skip step", "? ",
	    case_skip_submit },
	{ TUI_ACT_STEP_NA, "Mark a step not applicable", "Why is step",
	    " not applicable? (optional) ", case_na_submit },
	{ TUI_ACT_STEP_APPROVE, "Approve a step", "Approve step",
	    "? Enter approves, Esc cancels ", case_approve_submit },
};

void case_keys_phase(struct tui *t, int64_t case_id, enum irc_phase phase)
{
	/* The panes of the six phases come first in case_panes, in order. */
	struct rec_open o = { case_id, case_panes[phase].kind };

	tui_push(t, &screen_records_ops, &o);
}

bool case_keys_records(struct tui *t, int64_t case_id, int seq,
    enum tui_action action)
{
	static char question[96];
	struct tui_prompt p = { NULL, NULL, case_id, seq, NULL, NULL };
	struct rec_open o = { case_id, NULL };

	for (size_t i = 0; i < sizeof(case_panes) / sizeof(case_panes[0]); i++) {
		if (case_panes[i].action != action)
			continue;
		o.kind = case_panes[i].kind;
		tui_push(t, &screen_records_ops, &o);
		return true;
	}
	for (size_t i = 0; i < sizeof(step_prompts) / sizeof(step_prompts[0]);
	    i++) {
		if (step_prompts[i].action != action)
			continue;
		if (seq <= 0)
			return true;
		snprintf(question, sizeof(question), "%s %d%s",
		    step_prompts[i].before, seq, step_prompts[i].after);
		p.title = step_prompts[i].title;
		p.question = question;
		p.submit = step_prompts[i].submit;
		tui_push(t, &screen_prompt_ops, &p);
		return true;
	}
	if (action == TUI_ACT_CLOSE_CASE) {
		struct irc_close_missing *missing = NULL;
		size_t nmissing = 0;
		struct irc_error err;

		/* The summary is asked for only once nothing is missing. */
		if (irc_case_close_check(t->db, case_id, &missing, &nmissing,
		    &err) != IRC_OK || nmissing > 0) {
			irc_close_missing_free(missing, nmissing);
			tui_push(t, &screen_close_ops, &case_id);
			return true;
		}
		p.title = "Close the case";
		p.question = "Summary (optional): ";
		p.submit = case_close_submit;
		p.done = case_close_done;
		tui_push(t, &screen_prompt_ops, &p);
		return true;
	}
	return false;
}

void case_clock_status(struct tui *t, int64_t case_id, char *buf,
    size_t size, enum tui_role *role)
{
	struct irc_drill *drill = NULL;
	struct irc_clock c;
	struct irc_error err;
	int64_t now = irc_now_us();
	const char *scale = "";
	char left[32];
	bool found = false;

	buf[0] = '\0';
	*role = TUI_ROLE_STATUS;
	if (irc_clock_nearest(t->db, case_id, &c, &found, &err) != IRC_OK ||
	    !found)
		return;
	/* A drill's clock runs in drill time, at the drill's speed. */
	if (irc_drill_load(t->db, case_id, &drill, &err) == IRC_OK) {
		irc_drill_clock_window(drill, c.start, c.deadline, &c.start,
		    &c.deadline);
		now = irc_drill_time(drill, now);
		scale = " (drill)";
		irc_drill_free(drill);
	}
	if (now > c.deadline) {
		irc_duration(now - c.deadline, left, sizeof(left));
		snprintf(buf, size, " %s overdue %s%s ", c.rule, left, scale);
		*role = TUI_ROLE_ERROR;
	} else {
		irc_duration(c.deadline - now, left, sizeof(left));
		snprintf(buf, size, " %s %s left%s ", c.rule, left, scale);
		if (irc_clock_elapsed_fraction(&c, now) >= 0.75)
			*role = TUI_ROLE_WARNING;
	}
	irc_clock_clear(&c);
}
