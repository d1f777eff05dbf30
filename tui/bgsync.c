/*
 * bgsync.c: a child "ircase sync -q --no-wait" every few seconds, so the
 * input loop never waits on the network.
 *
 * The child is the CLI itself (/proc/self/exe) on the same database, with
 * its output sent to /dev/null; it takes the sync lock, so it never runs
 * beside another pass, and its commits reach the screens through the
 * loop's data_version check.  The loop reaps it with waitpid(WNOHANG).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bgsync.h"
#include "screen.h"
#include "sync.h"
#include "text.h"
#include "thehive.h"

extern char **environ;

/* Seconds between two background passes when IRCASE_SYNC_INTERVAL is unset. */
#define BGSYNC_INTERVAL_DEFAULT 30
#define BGSYNC_INTERVAL_MAX 86400

static struct {
	bool checked;		/* the settings were read */
	bool enabled;		/* a TheHive URL is configured */
	long interval;		/* seconds between passes */
	pid_t child;		/* running pass, or 0 */
	time_t started;		/* when the last pass started */
	struct irc_hive_config *cfg;	/* settings without keys, or NULL */
} bg;

/*
 * Reads the settings once: is any target configured, and the interval.
 * The API keys are not read here, so no key command runs beside the
 * screen; the child pass reads them.
 */
static void
bgsync_check(void)
{
	struct irc_hive_config *cfg = NULL;
	struct irc_error err;
	const char *v = getenv("IRCASE_SYNC_INTERVAL");
	char *end;

	bg.checked = true;
	bg.interval = BGSYNC_INTERVAL_DEFAULT;
	if (v != NULL && *v != '\0') {
		long n = strtol(v, &end, 10);

		if (*end == '\0' && n >= 0 && n <= BGSYNC_INTERVAL_MAX)
			bg.interval = n;
	}
	irc_error_clear(&err);
	if (irc_hive_config_load_settings(NULL, &cfg, &err) != IRC_OK)
		return;
	bg.enabled = cfg->production.url != NULL || cfg->drill.url != NULL;
	bg.cfg = cfg;
}

/*
 * Starts the child pass; leaves bg.child 0 when it could not.  posix_spawn()
 * runs no fork handlers in the child (a forked child of the sanitizer
 * build hung before its exec).
 */
static void
bgsync_start(struct tui *t)
{
	char self[PATH_MAX];
	char *argv[] = { "ircase", "--db", (char *)irc_db_path(t->db), "sync",
	    "-q", "--no-wait", NULL };
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	posix_spawn_file_actions_t fa;
	pid_t pid;

	bg.started = time(NULL);
	if (n <= 0)
		return;
	self[n] = '\0';
	/* The child has no terminal and no output. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
	    O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
	    O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
	    O_WRONLY, 0);
	if (posix_spawn(&pid, self, &fa, NULL, argv, environ) == 0)
		bg.child = pid;
	posix_spawn_file_actions_destroy(&fa);
}

void
tui_bgsync_tick(struct tui *t)
{
	if (!bg.checked)
		bgsync_check();
	if (bg.child > 0) {
		pid_t r = waitpid(bg.child, NULL, WNOHANG);

		if (r == 0 || (r < 0 && errno == EINTR))
			return;
		bg.child = 0;
	}
	if (!bg.enabled || bg.interval == 0 ||
	    (bg.started != 0 && time(NULL) - bg.started < bg.interval))
		return;
	bgsync_start(t);
}

/* The columns a sync error may take in the status bar. */
#define BGSYNC_ERROR_COLS 24

/*
 * Words one sync state short enough for an 80-column status bar: "sync ok
 * 10:31:02", "syncing: 3 pending", "sync failed: <error>".  A drill's
 * state starts with "drill ".
 */
static void
bgsync_word(const struct irc_sync_status *st, bool running, const char *when,
    char *buf, size_t size)
{
	const char *drill = strcmp(st->target, "drill") == 0 ? "drill " : "";
	int64_t pending = st->pending + st->failed;

	if (st->last_error != NULL && *st->last_error != '\0') {
		size_t fit = tui_text_fit(st->last_error, strlen(st->last_error),
		    BGSYNC_ERROR_COLS, NULL);

		snprintf(buf, size, "%ssync failed: %.*s%s", drill, (int)fit,
		    st->last_error, fit < strlen(st->last_error) ?
		    tui_ellipsis() : "");
	} else if (pending > 0)
		snprintf(buf, size, "%s%s: %" PRId64 " pending", drill,
		    running ? "syncing" : "sync", pending);
	else if (running)
		snprintf(buf, size, "%ssyncing", drill);
	else if (when[0] != '\0')
		snprintf(buf, size, "%ssync ok %s", drill, when);
	else
		snprintf(buf, size, "%ssync: not yet run", drill);
}

bool
tui_bgsync_status(struct irc_db *db, int64_t case_id, char *buf, size_t size)
{
	struct irc_sync_status *list = NULL;
	struct irc_error err;
	size_t n = 0;
	char when[16] = "";

	buf[0] = '\0';
	if (!bg.checked)
		bgsync_check();
	if (!bg.enabled)
		return false;
	irc_error_clear(&err);
	if (irc_sync_status(db, bg.cfg, case_id, &list, &n, &err) != IRC_OK ||
	    n == 0) {
		irc_sync_status_free(list, n);
		snprintf(buf, size, "sync: not yet run");
		return true;
	}
	if (list[0].last_sync_us > 0) {
		time_t s = (time_t)(list[0].last_sync_us / 1000000);
		struct tm tm;

		if (localtime_r(&s, &tm) != NULL)
			strftime(when, sizeof(when), "%H:%M:%S", &tm);
	}
	if (list[0].skipped) {
		snprintf(buf, size, "sync: no drill target");
		irc_sync_status_free(list, n);
		return true;
	}
	bgsync_word(&list[0], bg.child > 0, when, buf, size);
	irc_sync_status_free(list, n);
	return true;
}
