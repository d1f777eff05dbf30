/*
 * records.h: what a record pane supplies to screen_records.c.
 *
 * A record pane shows the records of one kind on a case (evidence items,
 * roles, reports, ...) as lines, and adds records through forms: a
 * sequence of one-line prompts whose answers go to a submit function
 * that calls core/.  Each kind is defined in its own file (pane_*.c).
 */
#ifndef IRC_TUI_RECORDS_H
#define IRC_TUI_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

#include "keys.h"
#include "screen.h"

#define REC_FIELDS_MAX 8

struct rec_line {
	char *text;
	enum tui_role role;
	int64_t id;		/* the record a form acts on, 0 for none */
};

struct rec_lines {
	struct rec_line *lines;
	size_t count;
};

/* Adds a line (text is formatted and sanitised when drawn). */
void rec_add(struct rec_lines *out, enum tui_role role, int64_t id,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* One prompt of a form and the check its answer passes before the next. */
struct rec_field {
	const char *prompt;	/* "Severity 1-4 (empty to keep): " */
	/* The field as core's messages name it ("severity"), so that a failed
	 * submit returns to the field its message names. */
	const char *name;
	bool optional;		/* may be left empty */
	/* Words accepted, a '-' typed standing for '_', shown above the
	 * prompt; the answer becomes the word.  NULL for free text. */
	const char *const *choices;
	/* Checks a non-empty answer, NULL to accept any text. */
	enum irc_status (*check)(const char *value, struct irc_error *err);
	/* A non-empty answer completes the form: the fields after it are
	 * for the other way of filling it in and are left empty. */
	bool last_when_set;
};

struct rec_form {
	enum tui_action action;	/* the key that opens it, from keys.c */
	/* The prompts in order, ended by one whose prompt is NULL. */
	struct rec_field fields[REC_FIELDS_MAX];
	/* Acts on the selected line's record; select_hint (NULL for "Select
	 * a record first") names the lines to select. */
	bool needs_selection;
	const char *select_hint;
	/*
	 * Records the answers (values[i] for fields[i], "" when left empty)
	 * on case case_id; id is the selected line's record.  Returns the
	 * message to show on success in done.
	 */
	enum irc_status (*submit)(struct tui *t, int64_t case_id, int64_t id,
	    char **values, char *done, size_t done_size, struct irc_error *err);
};

struct rec_kind {
	const char *title;	/* "Evidence (A.16.1.7, 5.28)" */
	const char *hint;	/* status bar text: "a add  t transfer  q back" */
	/* Fills out with the lines of case case_id; errors go in err. */
	enum irc_status (*load)(struct tui *t, int64_t case_id,
	    struct rec_lines *out, struct irc_error *err);
	const struct rec_form *forms;
	size_t nforms;
	/* Fills buf with the candidates for field field of form that match
	 * what is typed so far, shown above the prompt; "" for none.  NULL
	 * when no field of the kind has candidates. */
	void (*suggest)(const struct rec_form *form, int field,
	    const char *typed, char *buf, size_t size);
};

/* The argument of screen_records_ops. */
struct rec_open {
	int64_t case_id;
	const struct rec_kind *kind;
};

extern const struct rec_kind pane_prepare, pane_report, pane_assess,
    pane_respond, pane_learn, pane_evidence, pane_observables, pane_assets,
    pane_metrics;

/* Returns "" for NULL, for optional answers passed on to core/. */
const char *rec_opt(const char *value);

/* Checks a time answer: RFC 3339 or local "2026-03-29 15:05". */
enum irc_status rec_check_time(const char *value, struct irc_error *err);

#endif
