/*
 * prompt.h: the argument of screen_prompt_ops (screen_prompt.c) and the
 * case-view actions built on it and on the record panes (case_keys.c).
 */
#ifndef IRC_TUI_PROMPT_H
#define IRC_TUI_PROMPT_H

#include <stddef.h>
#include <stdint.h>

#include "keys.h"
#include "model.h"
#include "screen.h"

struct tui_prompt {
	const char *title;	/* top bar */
	const char *question;	/* shown before the answer */
	int64_t case_id;
	int64_t number;		/* a step number, or 0 */
	/* Records text; on failure fills err and the prompt stays open. */
	enum irc_status (*submit)(struct tui *t, int64_t case_id,
	    int64_t number, const char *text, struct irc_error *err);
	/* Runs after a successful submit has closed the prompt.  May be NULL. */
	void (*done)(struct tui *t, int64_t case_id);
};

extern const struct screen_ops screen_prompt_ops;

/*
 * Handles the case-view keys that open a record pane, skip step seq with
 * a reason, mark it not applicable, approve step seq for another
 * responder or close the case (listing what is missing first).
 * Returns false when action is none of them.
 */
bool case_keys_records(struct tui *t, int64_t case_id, int seq,
    enum tui_action action);

/* Opens the record pane of phase, as its key 1-6 does. */
void case_keys_phase(struct tui *t, int64_t case_id, enum irc_phase phase);

/*
 * Formats the nearest running notification deadline of a case into buf
 * ("gdpr 71h 59m left", "gdpr overdue 2h 05m") and sets *role to the
 * status colour, TUI_ROLE_WARNING in its last quarter and TUI_ROLE_ERROR
 * when overdue.  Leaves buf empty when no clock runs.
 */
void case_clock_status(struct tui *t, int64_t case_id, char *buf,
    size_t size, enum tui_role *role);

#endif
