/*
 * tui.c: the curses session, the screen stack and the one input loop.
 *
 * The loop draws the top screen, waits up to TUI_TICK_MS for a key and
 * passes it on.  A timeout is the moment to look at PRAGMA data_version,
 * so commits by other processes (the CLI, another responder) show without
 * a key press.  KEY_RESIZE is handled here only.
 *
 * Signals only set a flag.  SIGHUP, SIGTERM and SIGINT, and a terminal
 * that reports hang-up or end of file (a dropped SSH link), end the loop;
 * each screen then saves what was typed as a draft, and the program exits
 * without touching the terminal again beyond endwin().  No transaction is
 * open while the loop waits for a key or while curses has the process
 * stopped by Ctrl-Z: every core/ call commits or rolls back before it
 * returns.
 */
#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bgsync.h"
#include "draft.h"
#include "keys.h"
#include "mem.h"
#include "screen.h"
#include "term.h"
#include "text.h"
#include "tui.h"

/* Milliseconds curses waits after ESC for the rest of a key sequence. */
#define TUI_ESC_DELAY_MS 50

static volatile sig_atomic_t tui_signalled;

/*
 * Times in a row get_wch() may fail well before its timeout before the
 * terminal counts as gone, for a terminal that fails without reporting
 * hang-up in poll().
 */
#define TUI_FAST_ERR_MAX 50

/*
 * Maximum keys handled in a row without a redraw while more input is
 * queued, as in a paste.  A redraw after each character made a 64 KiB
 * paste take most of a minute.
 */
#define TUI_BURST_MAX 4096
static bool tui_mono;

struct role_style {
	short fg, bg;		/* colour pair, -1 for the terminal default */
	attr_t colour_attr;	/* added in colour */
	attr_t mono_attr;	/* used alone without colour */
};

static const struct role_style role_styles[TUI_ROLE_COUNT] = {
	[TUI_ROLE_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[TUI_ROLE_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[TUI_ROLE_STATUS] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TUI_ROLE_SELECTED] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE },
	[TUI_ROLE_SELECTED_DIM] = { -1, -1, A_REVERSE | A_DIM, A_UNDERLINE },
	[TUI_ROLE_HEADING] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[TUI_ROLE_DIM] = { -1, -1, A_DIM, A_DIM },
	[TUI_ROLE_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[TUI_ROLE_DONE] = { COLOR_GREEN, -1, A_NORMAL, A_DIM },
	[TUI_ROLE_ACTIVE] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[TUI_ROLE_CODE] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[TUI_ROLE_EMPH] = { -1, -1, A_UNDERLINE, A_UNDERLINE },
	[TUI_ROLE_STRONG] = { -1, -1, A_BOLD, A_BOLD },
	[TUI_ROLE_LINK] = { COLOR_BLUE, -1, A_UNDERLINE, A_UNDERLINE },
	[TUI_ROLE_WARNING] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD },
};

attr_t tui_attr(enum tui_role role)
{
	const struct role_style *st;

	if (role >= TUI_ROLE_COUNT)
		role = TUI_ROLE_NORMAL;
	st = &role_styles[role];
	if (tui_mono)
		return st->mono_attr;
	if (st->fg == -1 && st->bg == -1)
		return st->colour_attr;
	return COLOR_PAIR(role) | st->colour_attr;
}

static void tui_colours_init(struct tui *t)
{
	const char *no_color = getenv("NO_COLOR");

	t->mono = (no_color != NULL && *no_color != '\0') || !has_colors();
	tui_mono = t->mono;
	if (t->mono)
		return;
	start_color();
	use_default_colors();
	for (int r = 1; r < TUI_ROLE_COUNT; r++)
		init_pair((short)r, role_styles[r].fg, role_styles[r].bg);
}

static void tui_on_signal(int sig)
{
	tui_signalled = sig;
}

const volatile sig_atomic_t *tui_stop_flag(void)
{
	return &tui_signalled;
}

static void tui_signals_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tui_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void tui_fatal(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->fatal, sizeof(t->fatal), fmt, ap);
	va_end(ap);
	t->quit = true;
	t->exit_status = 1;
}

bool tui_push(struct tui *t, const struct screen_ops *ops, const void *arg)
{
	struct screen *s;

	if (t->depth == TUI_STACK_MAX)
		return false;
	s = &t->stack[t->depth];
	s->ops = ops;
	s->data = NULL;
	if (!ops->open(t, s, arg))
		return false;
	t->depth++;
	return true;
}

void tui_pop(struct tui *t)
{
	struct screen *s;

	if (t->depth == 0)
		return;
	s = &t->stack[--t->depth];
	s->ops->close(t, s);
	s->data = NULL;
	if (t->depth == 0) {
		t->quit = true;
		return;
	}
	s = &t->stack[t->depth - 1];
	if (s->ops->reload != NULL)
		s->ops->reload(t, s);
}

void tui_draw_title(const char *left, const char *right)
{
	int rw = right ? tui_text_width(right) : 0;

	if (rw > COLS / 2)
		rw = COLS / 2;
	tui_fill(0, 0, COLS, tui_attr(TUI_ROLE_TITLE));
	tui_draw(0, 1, left, COLS - rw - 3, tui_attr(TUI_ROLE_TITLE));
	if (right)
		tui_draw(0, COLS - rw - 1, right, rw, tui_attr(TUI_ROLE_TITLE));
}

void tui_draw_status(const char *left, const char *right, bool error)
{
	tui_draw_status_message(left, right, error, error);
}

void tui_draw_status_message(const char *left, const char *right,
    bool error, bool wrap)
{
	attr_t role = tui_attr(error ? TUI_ROLE_ERROR : TUI_ROLE_STATUS);
	attr_t bar = tui_attr(TUI_ROLE_STATUS);
	int rw = right ? tui_text_width(right) : 0;
	int y = LINES - 1, cols;
	char **lines = NULL, *rest = NULL;
	size_t n = 0, len = 0;

	if (rw > COLS / 2)
		rw = COLS / 2;
	cols = COLS - rw - 3;
	tui_fill(y, 0, COLS, bar);
	if (right)
		tui_draw(y, COLS - rw - 1, right, rw, bar);
	if (!wrap || left == NULL || tui_text_width(left) <= cols) {
		tui_draw(y, 1, left, cols, role);
		return;
	}

	/* A message too long for the bar starts on the row above it. */
	n = tui_text_wrap(left, cols, &lines);
	for (size_t i = 1; i < n; i++) {
		size_t add = strlen(lines[i]);

		rest = irc_xrealloc(rest, len + add + 2, 1);
		snprintf(rest + len, add + 2, "%s%s", len > 0 ? " " : "",
		    lines[i]);
		len += strlen(rest + len);
	}
	tui_draw_pad(y - 1, 0, " ", 1, role);
	tui_draw_pad(y - 1, 1, n > 0 ? lines[0] : "", COLS - 1, role);
	tui_draw(y, 1, rest != NULL ? rest : "", cols, role);
	free(rest);
	tui_lines_free(lines, n);
}

/* Draws the screen shown instead of any other below the minimum size. */
static void tui_draw_too_small(void)
{
	char msg[128];
	char **lines;
	size_t n;

	erase();
	snprintf(msg, sizeof(msg),
	    "Terminal too small: %dx%d.\nircase needs at least %dx%d.\n"
	    "Enlarge the window, or press Ctrl-C to quit.",
	    COLS, LINES, TUI_MIN_COLS, TUI_MIN_ROWS);
	n = tui_text_wrap(msg, COLS > 2 ? COLS - 1 : 1, &lines);
	for (size_t i = 0; i < n && (int)i < LINES; i++)
		tui_draw(i, 0, lines[i], COLS, tui_attr(TUI_ROLE_ERROR));
	tui_lines_free(lines, n);
}

static bool tui_too_small(void)
{
	return COLS < TUI_MIN_COLS || LINES < TUI_MIN_ROWS;
}

static void tui_draw_top(struct tui *t)
{
	struct screen *s = &t->stack[t->depth - 1];

	curs_set(0);
	if (tui_too_small()) {
		tui_draw_too_small();
	} else {
		erase();
		s->ops->draw(t, s);
	}
	refresh();
}

/* Lets every screen on the stack know about a commit by another process. */
static void tui_check_version(struct tui *t)
{
	int64_t version = irc_db_data_version(t->db);

	if (version == t->data_version)
		return;
	t->data_version = version;
	for (int i = 0; i < t->depth; i++)
		if (t->stack[i].ops->reload != NULL)
			t->stack[i].ops->reload(t, &t->stack[i]);
}

/* Returns true when standard input reports hang-up or an error. */
static bool tui_terminal_lost(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	if (poll(&pfd, 1, 0) < 0)
		return false;
	return (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static int64_t tui_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void tui_tick(struct tui *t)
{
	tui_bgsync_tick(t);
	tui_check_version(t);
	for (int i = 0; i < t->depth; i++)
		if (t->stack[i].ops->tick != NULL)
			t->stack[i].ops->tick(t, &t->stack[i]);
}

#ifdef IRC_TEST_BUILD
#include <sqlite3.h>

#include "db.h"

/*
 * Test-build hooks for tests/bench/bench_tui.c.  IRCASE_TEST_FIRST_SCREEN
 * ends the loop once the first screen is drawn.  IRCASE_TEST_VM_STEPS
 * names a file that gets one line per key: the SQLite virtual machine
 * instructions that the key and the redraw after it ran, counted in
 * hundreds by a progress handler.
 */
static long tui_vm_hundreds;

static int tui_vm_count(void *arg)
{
	tui_vm_hundreds++;
	return 0;
}

static FILE *tui_vm_open(struct tui *t)
{
	const char *path = getenv("IRCASE_TEST_VM_STEPS");
	FILE *f;

	if (path == NULL || (f = fopen(path, "a")) == NULL)
		return NULL;
	sqlite3_progress_handler(irc_db_handle(t->db), 100, tui_vm_count, NULL);
	return f;
}
#endif

static void tui_loop(struct tui *t)
{
	struct screen *s;
	wint_t wc;
	int rc, fast_errors = 0, burst = 0;
	int64_t waited;
#ifdef IRC_TEST_BUILD
	FILE *vm = tui_vm_open(t);
	bool first_only = getenv("IRCASE_TEST_FIRST_SCREEN") != NULL;
	bool keyed = false;
#endif

	while (!t->quit && t->depth > 0) {
		if (burst > 0 && burst < TUI_BURST_MAX) {
			/* After a key, read the next one without waiting. */
			nodelay(stdscr, TRUE);
			rc = get_wch(&wc);
			timeout(TUI_TICK_MS);
			if (rc != ERR)
				goto key;
		}
		burst = 0;
		tui_draw_top(t);
#ifdef IRC_TEST_BUILD
		if (first_only)
			break;
		if (vm != NULL && keyed) {
			fprintf(vm, "%ld\n", tui_vm_hundreds);
			fflush(vm);
			keyed = false;
		}
#endif
		waited = tui_now_ms();
		rc = get_wch(&wc);
		waited = tui_now_ms() - waited;
key:
		if (tui_signalled)
			break;
		if (rc == ERR) {
			/* A closed terminal returns at once, again and again. */
			fast_errors = waited < TUI_TICK_MS / 2 ? fast_errors + 1 : 0;
			if (tui_terminal_lost() || fast_errors > TUI_FAST_ERR_MAX) {
				t->lost = true;
				break;
			}
			tui_tick(t);
			continue;
		}
		fast_errors = 0;
		if (rc == KEY_CODE_YES && wc == KEY_RESIZE) {
			for (int i = 0; i < t->depth; i++)
				t->stack[i].ops->resize(t, &t->stack[i]);
			burst = 0;
			continue;
		}
		if (tui_too_small())
			continue;
		s = &t->stack[t->depth - 1];
#ifdef IRC_TEST_BUILD
		tui_vm_hundreds = 0;
		keyed = true;
#endif
		s->ops->key(t, s, rc == KEY_CODE_YES ? TUI_FKEY(wc) : (int)wc);
		burst++;
	}
#ifdef IRC_TEST_BUILD
	if (vm != NULL)
		fclose(vm);
#endif
}

/* Reopens the case of a draft left by an earlier run, with its note. */
static void tui_restore_draft(struct tui *t)
{
	struct irc_draft draft;
	struct irc_error err;
	int64_t case_id;

	if (irc_draft_find(t->db, &case_id, &draft, &err) != IRC_OK)
		return;
	free(draft.text);
	tui_push(t, &screen_case_ops, &case_id);
}

int tui_run(struct irc_db *db)
{
	return tui_run_first(db, &screen_list_ops, NULL);
}

int tui_run_first(struct irc_db *db, const struct screen_ops *first,
    const void *arg)
{
	struct tui t;

	memset(&t, 0, sizeof(t));
	t.db = db;
	irc_actor_current(&t.actor);
	setlocale(LC_ALL, "");
	tui_signals_init();

	if (!tui_term_check())
		return 1;
	if (initscr() == NULL) {
		fprintf(stderr, "ircase: cannot start the terminal interface; "
		    "check that TERM names a known terminal\n");
		return 1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(TUI_ESC_DELAY_MS);
	timeout(TUI_TICK_MS);
	tui_colours_init(&t);
	t.data_version = irc_db_data_version(db);

	if (tui_push(&t, first, arg)) {
		if (first == &screen_list_ops)
			tui_restore_draft(&t);
		tui_loop(&t);
	} else if (t.notice[0] != '\0')
		tui_fatal(&t, "%s", t.notice);
	if (tui_signalled || t.lost)
		for (int i = 0; i < t.depth; i++)
			if (t.stack[i].ops->save_draft != NULL)
				t.stack[i].ops->save_draft(&t, &t.stack[i]);
	while (t.depth > 0) {
		struct screen *s = &t.stack[--t.depth];

		s->ops->close(&t, s);
	}
	endwin();

	if (tui_signalled == SIGHUP || tui_signalled == SIGTERM)
		return 128 + tui_signalled;
	if (t.lost)
		return 1;
	if (t.fatal[0] != '\0') {
		fprintf(stderr, "ircase: %s\n", t.fatal);
		return 1;
	}
	return t.exit_status;
}
