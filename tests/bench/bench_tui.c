/*
 * bench_tui.c: what the terminal interface costs over a slow link and on
 * a large database, each against a baseline measured in the same run.
 *
 * 1. Bytes written to the terminal per key: moving down a case of 200
 *    steps, opening a step's text, typing a 40-character note, against
 *    tig moving down its main view in a git repository of 200 commits.
 *    Both run under a pseudo-terminal of 80x24 with TERM=xterm-256color;
 *    after the first screen, each key is written and the output read
 *    until the program is quiet for QUIET_MS.
 * 2. Time to the first screen and peak memory (ru_maxrss of the child)
 *    with a database of CASES cases and ACTIONS actions against an empty
 *    database, ROUNDS runs each, alternately.
 * 3. SQLite virtual machine instructions per key while scrolling the
 *    timeline of the case of ACTIONS actions against a case of 1,000.
 *
 * IRCASE must be a build with the test hooks (IRC_TEST_BUILD, see
 * tui/tui.c): IRCASE_TEST_FIRST_SCREEN and IRCASE_TEST_VM_STEPS.
 *
 * usage: bench_tui IRCASE FOLDER [ACTIONS] [CASES] [ROUNDS]
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pty.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "bench_tui"
#include "bench.h"

#include "action.h"
#include "case.h"
#include "db.h"
#include "mem.h"
#include "playbook.h"

#define QUIET_MS 60
#define TIG_COMMITS 200
#define STEPS 200
#define SMALL_ACTIONS 1000
#define SCROLL_KEYS 300

static const char *folder;

static char *
bench_path(const char *name)
{
	return irc_xasprintf("%s/%s", folder, name);
}

/* Returns a playbook of one phase with n steps (caller frees). */
static char *
playbook_text(int n)
{
	char *text = irc_xstrdup("# Bench\n\n## Respond\n\n"), *next;

	for (int i = 1; i <= n; i++) {
		next = irc_xasprintf("%s- [ ] Step %d of the bench\n", text, i);
		free(text);
		text = next;
	}
	return text;
}

/*
 * Appends n notes after the case's last action with a correct chain,
 * inserted directly with hashes from irc_action_hash(), in one commit.
 */
static void
append_notes(struct irc_db *db, int64_t case_id, int64_t n)
{
	sqlite3 *h = irc_db_handle(db);
	sqlite3_stmt *q, *ins;
	struct irc_action a;
	char uuid[37], prev[IRC_HASH_HEX], body[160];
	int64_t count, seq;

	sqlite3_prepare_v2(h, "SELECT uuid, head_hash, action_count FROM"
	    " \"case\" WHERE id = ?", -1, &q, NULL);
	sqlite3_bind_int64(q, 1, case_id);
	if (sqlite3_step(q) != SQLITE_ROW)
		die("case", "not found");
	snprintf(uuid, sizeof uuid, "%s", sqlite3_column_text(q, 0));
	snprintf(prev, sizeof prev, "%s", sqlite3_column_text(q, 1));
	count = sqlite3_column_int64(q, 2);
	sqlite3_finalize(q);

	sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
	sqlite3_prepare_v2(h, "INSERT INTO action (case_id, seq, step_seq,"
	    " time_us, actor, origin, kind, body, prev_hash, hash)"
	    " VALUES (?, ?, NULL, ?, 'bench', '', 'note', ?, ?, ?)", -1, &ins,
	    NULL);
	memset(&a, 0, sizeof a);
	a.actor = "bench";
	a.origin = "";
	a.kind = "note";
	a.body = body;
	for (seq = count + 1; seq <= count + n; seq++) {
		a.seq = seq;
		a.time_us = 1767225600000000 + seq * 1000000;
		snprintf(body, sizeof body, "{\"text\":\"Checked host %" PRId64
		    " for the indicator; nothing found\"}", seq);
		snprintf(a.prev_hash, sizeof a.prev_hash, "%s", prev);
		irc_action_hash(&a, uuid, a.hash);
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, case_id);
		sqlite3_bind_int64(ins, 2, seq);
		sqlite3_bind_int64(ins, 3, a.time_us);
		sqlite3_bind_text(ins, 4, body, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, a.prev_hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, a.hash, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			die("insert", sqlite3_errmsg(h));
		snprintf(prev, sizeof prev, "%s", a.hash);
	}
	sqlite3_finalize(ins);
	sqlite3_prepare_v2(h, "UPDATE \"case\" SET head_hash = ?,"
	    " action_count = ? WHERE id = ?", -1, &q, NULL);
	sqlite3_bind_text(q, 1, prev, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, count + n);
	sqlite3_bind_int64(q, 3, case_id);
	sqlite3_step(q);
	sqlite3_finalize(q);
	if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("commit", sqlite3_errmsg(h));
}

/*
 * Creates FOLDER/name with `cases` cases, each from a playbook of `steps`
 * steps, and appends `actions` notes to the last one, which the list
 * shows first.
 */
static char *
build_db(const char *name, int cases, int steps, int64_t actions)
{
	struct irc_actor actor = { .login = "bench" };
	struct irc_playbook *pb = NULL;
	struct irc_error err;
	struct irc_db *db = NULL;
	char *path = bench_path(name), *text = playbook_text(steps), title[64];
	int64_t id = 0;

	unlink(path);
	if (irc_db_open(path, &db, &err) != IRC_OK)
		die(path, err.msg);
	sqlite3_exec(irc_db_handle(db), "PRAGMA synchronous=OFF", NULL, NULL,
	    NULL);
	if (irc_playbook_parse("bench.md", text, strlen(text), NULL, &pb,
	    &err) != IRC_OK)
		die("playbook", err.msg);
	if (cases > 0 && irc_db_begin(db, &err) != IRC_OK)
		die("begin", err.msg);
	for (int i = 1; i <= cases; i++) {
		snprintf(title, sizeof title, "Bench case %d", i);
		if (irc_case_create_tx(db, pb, title, 2, &actor, &id, &err) !=
		    IRC_OK)
			die("case", err.msg);
	}
	if (cases > 0 && irc_db_commit(db, &err) != IRC_OK)
		die("commit", err.msg);
	if (actions > 0)
		append_notes(db, id, actions);
	sqlite3_exec(irc_db_handle(db), "PRAGMA wal_checkpoint(TRUNCATE)", NULL,
	    NULL, NULL);
	irc_playbook_free(pb);
	free(text);
	irc_db_close(db);
	return path;
}

struct term_run {
	pid_t pid;
	int fd;
};

/* Starts argv on a new 80x24 pseudo-terminal, in dir when not NULL. */
static void
term_start(struct term_run *r, char *const argv[], const char *dir,
    const char *hook, const char *hook_value)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };

	r->pid = forkpty(&r->fd, NULL, NULL, &ws);
	if (r->pid < 0)
		die("forkpty", strerror(errno));
	if (r->pid > 0)
		return;
	setenv("TERM", "xterm-256color", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("TZ", "UTC", 1);
	setenv("HOME", folder, 1);
	setenv("XDG_CONFIG_HOME", folder, 1);
	setenv("XDG_STATE_HOME", folder, 1);
	setenv("IRCASE_SYSLOG_FACILITY", "off", 1);
	unsetenv("NO_COLOR");
	if (hook != NULL)
		setenv(hook, hook_value, 1);
	if (dir != NULL && chdir(dir) != 0)
		_exit(126);
	execv(argv[0], argv);
	_exit(127);
}

/*
 * Reads output until the program is quiet for quiet_ms and returns the
 * bytes read.  With wait_first, waits up to 120 s for the first byte.
 */
static size_t
term_drain(struct term_run *r, int quiet_ms, bool wait_first)
{
	char buf[65536];
	size_t total = 0;
	ssize_t n;

	for (;;) {
		struct pollfd p = { r->fd, POLLIN, 0 };
		int timeout = wait_first && total == 0 ? 120000 : quiet_ms;

		if (poll(&p, 1, timeout) <= 0)
			break;
		n = read(r->fd, buf, sizeof buf);
		if (n <= 0)
			break;
		total += (size_t)n;
	}
	return total;
}

/* Writes keys, one at a time, and returns the output bytes of all. */
static size_t
term_keys(struct term_run *r, const char *keys, size_t n)
{
	size_t total = 0;

	for (size_t i = 0; i < n; i++) {
		if (write(r->fd, &keys[i], 1) != 1)
			die("write", strerror(errno));
		total += term_drain(r, QUIET_MS, true);
	}
	return total;
}

static void
term_send(struct term_run *r, const char *keys)
{
	term_keys(r, keys, strlen(keys));
}

/* Ends the program with quit_keys (then SIGTERM) and reaps it. */
static void
term_end(struct term_run *r, const char *quit_keys, struct rusage *ru)
{
	struct rusage spare;
	int status;

	if (quit_keys != NULL && write(r->fd, quit_keys, strlen(quit_keys)) < 0)
		die("write", strerror(errno));
	term_drain(r, 500, false);
	if (waitpid(r->pid, &status, WNOHANG) == 0)
		kill(r->pid, SIGTERM);
	term_drain(r, 200, false);
	wait4(r->pid, &status, 0, ru != NULL ? ru : &spare);
	close(r->fd);
}

static char *
tig_repo(void)
{
	char *dir = bench_path("tig-repo"), *cmd;

	cmd = irc_xasprintf("rm -rf '%s' && git init -q '%s' && cd '%s' &&"
	    " i=1; while [ $i -le %d ]; do git -c user.name=bench"
	    " -c user.email=bench@example.invalid commit -q --allow-empty"
	    " -m \"Bench commit $i\" || exit 1; i=$((i + 1)); done",
	    dir, dir, dir, TIG_COMMITS);
	if (system(cmd) != 0)
		die("git", "cannot build the tig repository");
	free(cmd);
	return dir;
}

static void
bench_bytes(const char *ircase)
{
	static const char note[] = "Isolated the host, reset the two accounts";
	char *repo = tig_repo(), *db = build_db("steps.db", 1, STEPS, 0);
	char *tig_argv[] = { "/usr/bin/tig", NULL };
	char *ircase_argv[] = { (char *)ircase, "--db", db, NULL };
	char down[100];
	struct term_run r;
	size_t tig_down, irc_down, irc_open, irc_note;
	int keys = (int)sizeof down;

	memset(down, 'j', sizeof down);
	term_start(&r, tig_argv, repo, NULL, NULL);
	term_drain(&r, 500, true);
	tig_down = term_keys(&r, down, sizeof down);
	term_end(&r, "q", NULL);

	term_start(&r, ircase_argv, NULL, NULL, NULL);
	term_drain(&r, 500, true);
	term_send(&r, "\r");
	irc_down = term_keys(&r, down, sizeof down);
	irc_open = term_keys(&r, "\r", 1);	/* focus the step's text */
	term_send(&r, "\033");			/* back to the steps */
	term_drain(&r, 300, false);
	term_send(&r, "n");
	irc_note = term_keys(&r, note, strlen(note));
	term_end(&r, "\033qq", NULL);

	printf("bytes per key, 80x24, xterm-256color (%d keys each):\n", keys);
	printf("  tig j (main view)       %8.1f\n", (double)tig_down / keys);
	printf("  ircase j (steps pane)   %8.1f  ratio %.2f\n",
	    (double)irc_down / keys, (double)irc_down / (double)tig_down);
	printf("  ircase Enter (step)     %8.1f  ratio %.2f\n", (double)irc_open,
	    (double)irc_open * keys / (double)tig_down);
	printf("  ircase note character   %8.1f  ratio %.2f\n",
	    (double)irc_note / (double)strlen(note),
	    ((double)irc_note / (double)strlen(note)) /
	    ((double)tig_down / keys));
	free(repo);
	free(db);
}

/* Runs the first screen once; returns wall µs and sets *rss_kib. */
static int64_t
first_screen(const char *ircase, const char *db, long *rss_kib)
{
	char *argv[] = { (char *)ircase, "--db", (char *)db, NULL };
	struct term_run r;
	struct rusage ru;
	int64_t start = mono_us(), took;

	term_start(&r, argv, NULL, "IRCASE_TEST_FIRST_SCREEN", "1");
	term_drain(&r, 2000, true);
	wait4(r.pid, NULL, 0, &ru);
	took = mono_us() - start;
	close(r.fd);
	*rss_kib = ru.ru_maxrss;
	return took;
}

static void
bench_first(const char *ircase, const char *big, const char *empty,
    int rounds)
{
	int64_t *t_big = irc_xcalloc((size_t)rounds, sizeof *t_big);
	int64_t *t_empty = irc_xcalloc((size_t)rounds, sizeof *t_empty);
	long rss, rss_big = 0, rss_empty = 0;

	for (int i = 0; i < rounds; i++) {
		t_empty[i] = first_screen(ircase, empty, &rss);
		rss_empty = rss > rss_empty ? rss : rss_empty;
		t_big[i] = first_screen(ircase, big, &rss);
		rss_big = rss > rss_big ? rss : rss_big;
	}
	printf("first screen, median of %d runs:\n", rounds);
	printf("  empty database          %8.1f ms  peak RSS %6.1f MiB\n",
	    median(t_empty, rounds) / 1000.0, rss_empty / 1024.0);
	printf("  large database          %8.1f ms  peak RSS %6.1f MiB\n",
	    median(t_big, rounds) / 1000.0, rss_big / 1024.0);
	printf("  ratio                   %8.2f\n",
	    (double)median(t_big, rounds) / (double)median(t_empty, rounds));
	free(t_big);
	free(t_empty);
}

/*
 * Opens the first case of db, focuses the timeline and moves the
 * selection up SCROLL_KEYS times; returns the mean VM instructions per
 * key (in hundreds) and the maximum of any one key.
 */
static double
scroll_steps(const char *ircase, const char *db, long *max_key)
{
	char *argv[] = { (char *)ircase, "--db", (char *)db, NULL };
	char *file = bench_path("vm-steps.txt"), up[SCROLL_KEYS], line[64];
	struct term_run r;
	FILE *f;
	long v, sum = 0, n = 0, skip = 3;

	unlink(file);
	memset(up, 'k', sizeof up);
	term_start(&r, argv, NULL, "IRCASE_TEST_VM_STEPS", file);
	term_drain(&r, 500, true);
	term_send(&r, "\r");
	term_drain(&r, 1000, false);
	term_send(&r, "\t\t");
	term_keys(&r, up, sizeof up);
	term_end(&r, "qqq", NULL);

	/* The lines of Enter and the two Tabs come first. */
	*max_key = 0;
	if ((f = fopen(file, "r")) == NULL)
		die(file, strerror(errno));
	while (fgets(line, sizeof line, f) != NULL) {
		v = strtol(line, NULL, 10);
		if (skip > 0) {
			skip--;
			continue;
		}
		if (n == SCROLL_KEYS)
			break;
		sum += v;
		n++;
		*max_key = v > *max_key ? v : *max_key;
	}
	fclose(f);
	free(file);
	if (n < SCROLL_KEYS)
		die("scroll", "fewer key lines than keys sent");
	return (double)sum / (double)n;
}

static void
bench_scroll(const char *ircase, const char *big, int64_t actions)
{
	char *small = build_db("small.db", 1, 5, SMALL_ACTIONS - 1);
	long max_big, max_small;
	double big_mean = scroll_steps(ircase, big, &max_big);
	double small_mean = scroll_steps(ircase, small, &max_small);

	printf("timeline scroll, SQLite VM instructions per key (x100),"
	    " %d keys:\n", SCROLL_KEYS);
	printf("  %7d actions           mean %8.1f  max %6ld\n",
	    SMALL_ACTIONS, small_mean, max_small);
	printf("  %7" PRId64 " actions           mean %8.1f  max %6ld\n",
	    actions + 1, big_mean, max_big);
	printf("  ratio                   %8.2f\n", big_mean / small_mean);
	free(small);
}

int
main(int argc, char **argv)
{
	const char *ircase;
	int64_t actions = 1000000;
	int cases = 10000, rounds = 5;
	char *big, *empty;
	int64_t t0;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_tui IRCASE FOLDER [ACTIONS] [CASES]"
		    " [ROUNDS]\n");
		return 2;
	}
	ircase = argv[1];
	folder = argv[2];
	if (argc > 3)
		actions = strtoll(argv[3], NULL, 10);
	if (argc > 4)
		cases = (int)strtol(argv[4], NULL, 10);
	if (argc > 5)
		rounds = (int)strtol(argv[5], NULL, 10);
	if (actions < 1 || cases < 1 || rounds < 1) {
		fprintf(stderr, "bench_tui: ACTIONS, CASES and ROUNDS must be"
		    " positive\n");
		return 2;
	}

	bench_bytes(ircase);
	t0 = mono_us();
	big = build_db("big.db", cases, 5, actions);
	empty = build_db("empty.db", 0, 5, 0);
	fprintf(stderr, "bench_tui: built %d cases and %" PRId64 " actions in"
	    " %.1f s\n", cases, actions + cases, (mono_us() - t0) / 1e6);
	bench_first(ircase, big, empty, rounds);
	bench_scroll(ircase, big, actions);
	free(big);
	free(empty);
	return 0;
}
