/*
 * bench_append.c: the cost of a durable note against a bare SQLite insert.
 *
 * Both sides use one database file each in the same folder, the same
 * pragmas (WAL, synchronous=FULL) and one BEGIN IMMEDIATE transaction per
 * write.  The ircase side appends a note through irc_case_note(), which
 * also reads the chain head, hashes the action and updates the case row.
 * Rounds alternate between the two sides so that disk and cache drift hit
 * both alike.  Prints median and 99th percentile in microseconds and the
 * ratio of the medians.
 *
 * usage: bench_append [ROUNDS] [FOLDER]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "bench_append"
#include "bench.h"

#include "case.h"
#include "db.h"
#include "mem.h"
#include "timeutil.h"

static int64_t
percentile(int64_t *v, int n, int pct)
{
	int i = (n * pct + 99) / 100 - 1;

	return v[i < 0 ? 0 : i];
}

static sqlite3 *
baseline_open(const char *path)
{
	sqlite3 *h;

	if (sqlite3_open(path, &h) != SQLITE_OK)
		die(path, sqlite3_errmsg(h));
	sqlite3_busy_timeout(h, IRC_DB_BUSY_TIMEOUT_MS);
	if (sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    " PRAGMA foreign_keys=ON; CREATE TABLE IF NOT EXISTS note ("
	    " id INTEGER PRIMARY KEY, time_us INTEGER, body TEXT)",
	    NULL, NULL, NULL) != SQLITE_OK)
		die(path, sqlite3_errmsg(h));
	return h;
}

static void
baseline_insert(sqlite3 *h, sqlite3_stmt *ins, const char *text)
{
	if (sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		die("begin", sqlite3_errmsg(h));
	sqlite3_reset(ins);
	sqlite3_bind_int64(ins, 1, irc_now_us());
	sqlite3_bind_text(ins, 2, text, -1, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE)
		die("insert", sqlite3_errmsg(h));
	if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("commit", sqlite3_errmsg(h));
}

int
main(int argc, char **argv)
{
	int rounds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 500;
	const char *dir = argc > 2 ? argv[2] : "build/bench";
	char *ipath, *bpath;
	struct irc_playbook pb = { 0 };
	struct irc_pb_step step = { .title = "Contain", .body = "", .line = 1 };
	struct irc_actor actor = { .login = "bench", .origin = "" };
	struct irc_error err;
	struct irc_db *db;
	sqlite3 *base;
	sqlite3_stmt *ins;
	int64_t *ti, *tb, t0, id;
	const char *text = "Isolated host ws-0042 from the network; ticket INC-1234.";

	if (rounds < 10)
		die("ROUNDS", "use at least 10 rounds");
	ipath = irc_xasprintf("%s/bench-ircase.db", dir);
	bpath = irc_xasprintf("%s/bench-baseline.db", dir);
	unlink(ipath);
	unlink(bpath);

	pb.path = "bench.md";
	pb.title = "Bench";
	pb.text = "- Contain\n";
	pb.text_len = strlen(pb.text);
	snprintf(pb.sha256, sizeof pb.sha256, "%064d", 0);
	pb.phases[IRC_PHASE_RESPOND].steps = &step;
	pb.phases[IRC_PHASE_RESPOND].nsteps = 1;
	if (irc_db_open(ipath, &db, &err) != IRC_OK ||
	    irc_case_create(db, &pb, "Bench case", 2, &actor, &id, &err) != IRC_OK)
		die(ipath, err.msg);
	base = baseline_open(bpath);
	if (sqlite3_prepare_v2(base, "INSERT INTO note (time_us, body)"
	    " VALUES (?, ?)", -1, &ins, NULL) != SQLITE_OK)
		die("prepare", sqlite3_errmsg(base));

	ti = irc_xcalloc((size_t)rounds, sizeof *ti);
	tb = irc_xcalloc((size_t)rounds, sizeof *tb);
	for (int i = 0; i < rounds; i++) {
		t0 = mono_us();
		baseline_insert(base, ins, text);
		tb[i] = mono_us() - t0;

		t0 = mono_us();
		if (irc_case_note(db, id, 0, text, &actor, &err) != IRC_OK)
			die("note", err.msg);
		ti[i] = mono_us() - t0;
	}
	qsort(ti, (size_t)rounds, sizeof *ti, cmp_i64);
	qsort(tb, (size_t)rounds, sizeof *tb, cmp_i64);

	printf("durable append, %d rounds, folder %s\n", rounds, dir);
	printf("%-28s %10s %10s\n", "", "median us", "p99 us");
	printf("%-28s %10lld %10lld\n", "bare SQLite insert",
	    (long long)percentile(tb, rounds, 50),
	    (long long)percentile(tb, rounds, 99));
	printf("%-28s %10lld %10lld\n", "ircase note (chained)",
	    (long long)percentile(ti, rounds, 50),
	    (long long)percentile(ti, rounds, 99));
	printf("ratio of medians: %.2f (target at most 1.30)\n",
	    (double)percentile(ti, rounds, 50) /
	    (double)percentile(tb, rounds, 50));
	printf("ratio of p99: %.2f\n", (double)percentile(ti, rounds, 99) /
	    (double)percentile(tb, rounds, 99));

	sqlite3_finalize(ins);
	sqlite3_close(base);
	irc_db_close(db);
	free(ti);
	free(tb);
	free(ipath);
	free(bpath);
	return 0;
}
