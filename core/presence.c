/*
 * presence.c: heartbeat rows for who has a case open.  presence.h explains
 * when a row counts as gone and why presence is kept out of the chain.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "presence.h"
#include "timeutil.h"

/* The boot id read once, or "" when /proc does not give one. */
static const char *
presence_boot_id(void)
{
	static char boot[64];
	static bool read_once;
	FILE *f;

	if (read_once)
		return boot;
	read_once = true;
	f = fopen("/proc/sys/kernel/random/boot_id", "r");
	if (f == NULL)
		return boot;
	if (fgets(boot, sizeof boot, f) == NULL)
		boot[0] = '\0';
	boot[strcspn(boot, "\n")] = '\0';
	fclose(f);
	return boot;
}

/*
 * Returns true when pid is a zombie: it has exited and its parent (sshd,
 * tmux) has not collected it yet, which kill(pid, 0) does not tell.
 */
static bool
presence_zombie(pid_t pid)
{
	char path[64], buf[256], *paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "PID (COMM) STATE ...": COMM may hold spaces and parentheses. */
	paren = strrchr(buf, ')');
	return paren != NULL && paren[1] == ' ' && paren[2] == 'Z';
}

/*
 * Returns true when a row still has a live process: its heartbeat is
 * recent, and when it was written in this boot, its process exists and
 * is not a zombie.  A
 * process of another user gives EPERM from kill(), so it exists.
 */
static bool
presence_alive(int64_t heartbeat_us, pid_t pid, const char *boot,
    int64_t now_us)
{
	const char *ours = presence_boot_id();

	if (now_us - heartbeat_us > (int64_t)IRC_PRESENCE_STALE_S * 1000000)
		return false;
	if (ours[0] == '\0' || strcmp(boot, ours) != 0 || pid <= 0)
		return true;
	if (kill(pid, 0) != 0 && errno == ESRCH)
		return false;
	return !presence_zombie(pid);
}

enum irc_status
irc_presence_enter(struct irc_db *db, int64_t case_id,
    const struct irc_actor *actor, int64_t *id, struct irc_error *err)
{
	sqlite3 *h = irc_db_handle(db);
	sqlite3_stmt *stmt = NULL;
	int64_t now = irc_now_us();
	enum irc_status st;

	*id = 0;
	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if (sqlite3_prepare_v2(h, "INSERT INTO presence (case_id, login,"
	    " origin, pid, boot_id, since, heartbeat)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL) != SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot record who has the case open");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, case_id);
	sqlite3_bind_text(stmt, 2, actor->login, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, actor->origin, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, (int64_t)getpid());
	sqlite3_bind_text(stmt, 5, presence_boot_id(), -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 6, now);
	sqlite3_bind_int64(stmt, 7, now);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot record who has the case open");
		goto out;
	}
	*id = sqlite3_last_insert_rowid(h);
	st = irc_db_commit(db, err);
out:
	sqlite3_finalize(stmt);
	if (st != IRC_OK) {
		irc_db_rollback(db);
		*id = 0;
	}
	return st;
}

/* Deletes the rows of every case that count as gone. */
static enum irc_status
presence_prune(struct irc_db *db, int64_t now, struct irc_error *err)
{
	sqlite3 *h = irc_db_handle(db);
	sqlite3_stmt *sel = NULL, *del = NULL;
	enum irc_status st = IRC_OK;
	int rc;

	if (sqlite3_prepare_v2(h, "SELECT id, pid, boot_id, heartbeat"
	    " FROM presence", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "DELETE FROM presence WHERE id = ?", -1,
	    &del, NULL) != SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot prune who has cases open");
		goto out;
	}
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *boot = (const char *)sqlite3_column_text(sel, 2);

		if (presence_alive(sqlite3_column_int64(sel, 3),
		    (pid_t)sqlite3_column_int64(sel, 1), boot ? boot : "", now))
			continue;
		sqlite3_bind_int64(del, 1, sqlite3_column_int64(sel, 0));
		if (sqlite3_step(del) != SQLITE_DONE) {
			st = irc_db_fail(db, err, "cannot prune who has cases open");
			goto out;
		}
		sqlite3_reset(del);
	}
	if (rc != SQLITE_DONE)
		st = irc_db_fail(db, err, "cannot prune who has cases open");
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(del);
	return st;
}

enum irc_status
irc_presence_beat(struct irc_db *db, int64_t id, struct irc_error *err)
{
	sqlite3 *h = irc_db_handle(db);
	sqlite3_stmt *stmt = NULL;
	int64_t now = irc_now_us();
	enum irc_status st;

	if ((st = irc_db_begin(db, err)) != IRC_OK)
		return st;
	if (sqlite3_prepare_v2(h, "UPDATE presence SET heartbeat = ?"
	    " WHERE id = ?", -1, &stmt, NULL) != SQLITE_OK) {
		st = irc_db_fail(db, err, "cannot refresh the heartbeat");
		goto out;
	}
	sqlite3_bind_int64(stmt, 1, now);
	sqlite3_bind_int64(stmt, 2, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot refresh the heartbeat");
		goto out;
	}
	if (sqlite3_changes(h) == 0)
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "presence row %lld was "
		    "pruned", (long long)id);
	else
		st = presence_prune(db, now, err);
	if (st == IRC_OK)
		st = irc_db_commit(db, err);
out:
	sqlite3_finalize(stmt);
	if (st != IRC_OK)
		irc_db_rollback(db);
	return st;
}

void
irc_presence_leave(struct irc_db *db, int64_t id)
{
	sqlite3_stmt *stmt = NULL;

	if (id <= 0)
		return;
	if (sqlite3_prepare_v2(irc_db_handle(db), "DELETE FROM presence"
	    " WHERE id = ?", -1, &stmt, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(stmt, 1, id);
		sqlite3_step(stmt);
	}
	sqlite3_finalize(stmt);
}

enum irc_status
irc_presence_list(struct irc_db *db, int64_t case_id,
    struct irc_presence **out, size_t *count, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	struct irc_presence *v = NULL, *p;
	size_t n = 0;
	int64_t now = irc_now_us();
	enum irc_status st = IRC_OK;
	int rc;

	*out = NULL;
	*count = 0;
	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT id, login, origin,"
	    " pid, boot_id, since, heartbeat FROM presence WHERE case_id = ?"
	    " ORDER BY since, id", -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(db, err, "cannot read who has the case open");
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *boot = (const char *)sqlite3_column_text(stmt, 4);
		const char *login = (const char *)sqlite3_column_text(stmt, 1);
		const char *origin = (const char *)sqlite3_column_text(stmt, 2);

		if (!presence_alive(sqlite3_column_int64(stmt, 6),
		    (pid_t)sqlite3_column_int64(stmt, 3), boot ? boot : "", now))
			continue;
		v = irc_xrealloc(v, n + 1, sizeof *v);
		p = &v[n++];
		memset(p, 0, sizeof *p);
		p->id = sqlite3_column_int64(stmt, 0);
		snprintf(p->login, sizeof p->login, "%s", login ? login : "");
		snprintf(p->origin, sizeof p->origin, "%s", origin ? origin : "");
		p->pid = (pid_t)sqlite3_column_int64(stmt, 3);
		p->since_us = sqlite3_column_int64(stmt, 5);
		p->heartbeat_us = sqlite3_column_int64(stmt, 6);
	}
	if (rc != SQLITE_DONE) {
		st = irc_db_fail(db, err, "cannot read who has the case open");
		free(v);
		v = NULL;
		n = 0;
	}
	sqlite3_finalize(stmt);
	*out = v;
	*count = n;
	return st;
}
