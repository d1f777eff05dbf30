/*
 * screen.h: the screen stack that tui.c drives, and what every screen
 * shares: colour roles and the status line.
 *
 * Each screen is one file with a struct screen_ops.  tui.c keeps a stack
 * of screens, draws the top one, passes it every key and notifies all of them
 * about resizes and about commits by other processes.  Only tui.c reads
 * keys, so KEY_RESIZE is handled in one place.
 */
#ifndef IRC_TUI_SCREEN_H
#define IRC_TUI_SCREEN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <curses.h>

#include "actor.h"
#include "db.h"
#include "keys.h"
#include "status.h"

/* The smallest terminal the screens are laid out for. */
#define TUI_MIN_COLS 60
#define TUI_MIN_ROWS 16

#define TUI_STACK_MAX 8

/* Milliseconds get_wch() waits before the loop checks for other commits. */
#define TUI_TICK_MS 500

/* Colours are chosen by what a piece of text is, never by colour name. */
enum tui_role {
	TUI_ROLE_NORMAL,
	TUI_ROLE_TITLE,		/* the top bar */
	TUI_ROLE_STATUS,	/* the bottom bar */
	TUI_ROLE_SELECTED,	/* the selected row in the focused pane */
	TUI_ROLE_SELECTED_DIM,	/* the selected row in a pane without focus */
	TUI_ROLE_HEADING,	/* phase names, Markdown headings, column heads */
	TUI_ROLE_DIM,		/* secondary text: times, file names */
	TUI_ROLE_ERROR,
	TUI_ROLE_DONE,		/* closed steps */
	TUI_ROLE_ACTIVE,	/* active steps */
	TUI_ROLE_CODE,		/* Markdown code */
	TUI_ROLE_EMPH,
	TUI_ROLE_STRONG,
	TUI_ROLE_LINK,
	TUI_ROLE_WARNING,	/* a deadline in its last quarter */
	TUI_ROLE_COUNT
};

struct tui;

struct screen {
	const struct screen_ops *ops;
	void *data;		/* owned by the screen, freed by its close */
};

struct screen_ops {
	const char *name;
	/* Sets up s->data from arg.  Returns false when the screen cannot
	 * open, with the reason in tui.notice for the screen below. */
	bool (*open)(struct tui *t, struct screen *s, const void *arg);
	void (*draw)(struct tui *t, struct screen *s);
	/* key is a character or TUI_FKEY(code), see keys.h */
	void (*key)(struct tui *t, struct screen *s, int key);
	/* Called after the terminal changed size, before the next draw. */
	void (*resize)(struct tui *t, struct screen *s);
	/* Called when the database may have changed: another process
	 * committed, or the screen above it closed.  May be NULL. */
	void (*reload)(struct tui *t, struct screen *s);
	void (*close)(struct tui *t, struct screen *s);
	/* Called when no key came within TUI_TICK_MS.  May be NULL. */
	void (*tick)(struct tui *t, struct screen *s);
	/*
	 * Saves text typed but not yet saved as a draft (core/draft.h),
	 * before the program exits on SIGHUP, SIGTERM, SIGINT or a lost
	 * terminal.  Runs from the loop, never from a signal handler.
	 * May be NULL.
	 */
	void (*save_draft)(struct tui *t, struct screen *s);
};

struct tui {
	struct irc_db *db;
	struct irc_actor actor;
	struct screen stack[TUI_STACK_MAX];
	int depth;
	bool mono;		/* NO_COLOR or no colour support */
	bool quit;
	bool lost;		/* the terminal hung up or reached end of file */
	int exit_status;
	char fatal[IRC_ERROR_MAX];	/* printed after endwin when set */
	char notice[IRC_ERROR_MAX];	/* why the last tui_push() failed */
	int64_t data_version;
};

/* Returns the curses attributes for a role, in colour or monochrome. */
attr_t tui_attr(enum tui_role role);

/* Opens a screen on top of the stack; false when it did not open. */
bool tui_push(struct tui *t, const struct screen_ops *ops, const void *arg);

/* Closes the top screen and reloads the one below it. */
void tui_pop(struct tui *t);

/*
 * Handles a key of a read-only text screen in key context ctx: the
 * scrolling keys move *top over count lines shown in rows rows, the help
 * key opens the help of ctx, and the back key closes the screen.
 */
void tui_view_key(struct tui *t, enum tui_keyctx ctx, int key, size_t *top,
    size_t count, int rows);

/*
 * Returns the flag that the SIGHUP, SIGTERM and SIGINT handlers set to
 * the signal's number, for long core/ calls that can stop early.
 */
const volatile sig_atomic_t *tui_stop_flag(void);

/* Ends the program after this key with a fatal message (exit status 1). */
void tui_fatal(struct tui *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Runs the TUI as tui_run() does, with first (opened with arg) as the
 * bottom screen: quitting it ends the program.
 */
int tui_run_first(struct irc_db *db, const struct screen_ops *first,
    const void *arg);

/*
 * Draws the top bar (row 0) and bottom bar (last row) of a screen.  An
 * error too long for the bar wraps onto the row above it, over the
 * screen's last line, and is cut only after two lines.
 */
void tui_draw_title(const char *left, const char *right);
void tui_draw_status(const char *left, const char *right, bool error);

/* As tui_draw_status(), wrapping a long left text (error or not) when wrap. */
void tui_draw_status_message(const char *left, const char *right,
    bool error, bool wrap);

/* Shows the help screen for a key context (screen_help.c). */
extern const struct screen_ops screen_help_ops;
extern const struct screen_ops screen_list_ops;
extern const struct screen_ops screen_new_ops;
extern const struct screen_ops screen_case_ops;	/* arg: const int64_t *case_id */
extern const struct screen_ops screen_records_ops;	/* arg: const struct rec_open * */
/* arg: const struct irc_action *, copied when the screen opens */
extern const struct screen_ops screen_action_ops;
/* arg: const struct tui_replay_opts * */
extern const struct screen_ops screen_replay_ops;
/* arg: const int64_t *case_id of a drill; shows its after-action report */
extern const struct screen_ops screen_report_ops;
extern const struct screen_ops screen_close_ops;	/* arg: const int64_t *case_id */

#endif
