/*
 * keys.h: the one key table.  Key handling, the `?` help screen, --help and
 * the KEY BINDINGS section of ircase(1) are all generated from it.
 */
#ifndef IRC_TUI_KEYS_H
#define IRC_TUI_KEYS_H

#include <curses.h>

/*
 * A key as the input loop passes it on: a character (wchar_t value) or a
 * curses function key code marked with TUI_FKEY, because get_wch() returns
 * both in overlapping ranges.
 */
#define TUI_FKEY(code) ((int)(code) | (1 << 30))
#define TUI_CTRL(c) ((c) & 0x1f)
#define TUI_ESC 27

/* Key context: the screen or prompt a binding applies to, and one block
 * of the help screen. */
enum tui_keyctx {
	TUI_CTX_LIST,
	TUI_CTX_NEW,
	TUI_CTX_CASE,
	TUI_CTX_INPUT,
	TUI_CTX_HELP,
	TUI_CTX_ACTION,
	TUI_CTX_RECORDS,
	TUI_CTX_REPLAY,
	TUI_CTX_REFS,
	TUI_CTX_REPORT,
	TUI_CTX_CLOSE,
	TUI_CTX_COUNT
};

enum tui_action {
	TUI_ACT_NONE,
	TUI_ACT_UP,
	TUI_ACT_DOWN,
	TUI_ACT_PAGE_UP,
	TUI_ACT_PAGE_DOWN,
	TUI_ACT_FIRST,
	TUI_ACT_LAST,
	TUI_ACT_OPEN,
	TUI_ACT_NEW,
	TUI_ACT_BACK,
	TUI_ACT_HELP,
	TUI_ACT_SEVERITY,
	TUI_ACT_FOCUS,
	TUI_ACT_STEP_NEXT,
	TUI_ACT_STEP_DONE,
	TUI_ACT_NOTE,
	TUI_ACT_ACCEPT,
	TUI_ACT_CANCEL,
	TUI_ACT_ERASE_BACK,
	TUI_ACT_ERASE_FORWARD,
	TUI_ACT_ERASE_LINE,
	TUI_ACT_LEFT,
	TUI_ACT_RIGHT,
	TUI_ACT_LINE_START,
	TUI_ACT_LINE_END,
	TUI_ACT_PANE_PREPARE,
	TUI_ACT_PANE_REPORT,
	TUI_ACT_PANE_ASSESS,
	TUI_ACT_PANE_RESPOND,
	TUI_ACT_PANE_LEARN,
	TUI_ACT_PANE_EVIDENCE,
	TUI_ACT_PANE_OBSERVABLES,
	TUI_ACT_PANE_ASSETS,
	TUI_ACT_STEP_SKIP,
	TUI_ACT_CLOSE_CASE,
	TUI_ACT_REC_ADD,
	TUI_ACT_REC_TRANSFER,
	TUI_ACT_REC_FOLLOWUP,
	TUI_ACT_REC_WAIVE,
	TUI_ACT_REPLAY,
	TUI_ACT_PAUSE,
	TUI_ACT_DRILL,
	TUI_ACT_STEP_APPROVE,
	TUI_ACT_REC_DONE,
	TUI_ACT_REC_NOTIFY,
	TUI_ACT_REFS,
	TUI_ACT_FOCUS_BACK,
	TUI_ACT_PANE_METRICS,
	TUI_ACT_STEP_NA,
};

/* Returns the action bound to key in ctx, or TUI_ACT_NONE. */
enum tui_action tui_key_action(enum tui_keyctx ctx, int key);

/*
 * Moves *top, the first of count lines shown in rows rows, by delta lines
 * and keeps it in range so that the last page is full.
 */
void tui_scroll(size_t *top, long delta, size_t count, int rows);

/*
 * Scrolls *top with tui_scroll() for a scrolling action (up, down, a page,
 * first, last).  Returns false, leaving *top alone, for any other action.
 */
bool tui_scroll_key(enum tui_action action, size_t *top, size_t count,
    int rows);

/* Returns the heading of a context as shown in help ("Case view"). */
const char *tui_keyctx_name(enum tui_keyctx ctx);

struct tui_key {
	enum tui_keyctx ctx;
	enum tui_action action;
	int keys[5];		/* keys that trigger it, ended by 0 */
	const char *names;	/* the keys as help shows them: "j, Down" */
	const char *help;	/* what the action does, one line */
};

/* Returns the key table, grouped by context: *count rows. */
const struct tui_key *tui_keys(size_t *count);

#endif
