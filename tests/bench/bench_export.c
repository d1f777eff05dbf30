/*
 * bench_export.c: `ircase export --format json` of one long case against
 * `sqlite3 -json` dumping the same rows, in the same run.
 *
 * Builds a database with one case of N actions (default 1,000,000) whose
 * chain is correct, since the export checks it: each action is hashed
 * with irc_action_hash() as it is inserted, in one transaction.  Then
 * runs, alternately and ROUNDS times each, the ircase binary (export on
 * standard output, chain checked) and sqlite3 (the action rows of the
 * case in the same order, as JSON), both with standard output sent to a
 * file in FOLDER, and prints the median wall time of each, their
 * ratio and each side's peak resident memory (ru_maxrss of the child).
 *
 * usage: bench_export IRCASE FOLDER [ACTIONS] [ROUNDS]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#define BENCH_NAME "bench_export"
#include "bench.h"

#include "action.h"
#include "case.h"
#include "db.h"
#include "mem.h"
#include "playbook.h"

/* Opens a case and appends n notes with a correct chain, in one commit. */
static void
build_case(const char *path, int64_t n)
{
	static const char playbook[] = "# Bench\n\n## Respond\n\n- [ ] Step\n";
	struct irc_playbook *pb = NULL;
	struct irc_actor actor = { .login = "bench", .origin = "192.0.2.1" };
	struct irc_error err;
	struct irc_db *db = NULL;
	struct irc_action a;
	sqlite3_stmt *ins = NULL;
	int64_t case_id, t = 1767225600000000;
	char uuid[37], prev[IRC_HASH_HEX], body[160];

	unlink(path);
	if (irc_db_open(path, &db, &err) != IRC_OK)
		die(path, err.msg);
	if (irc_playbook_parse("bench.md", playbook, sizeof playbook - 1, NULL,
	    &pb, &err) != IRC_OK ||
	    irc_case_create(db, pb, "Bench case", 2, &actor, &case_id, &err) !=
	    IRC_OK)
		die("case", err.msg);
	irc_playbook_free(pb);

	sqlite3 *h = irc_db_handle(db);
	sqlite3_stmt *q;
	sqlite3_prepare_v2(h, "SELECT uuid, head_hash FROM \"case\" WHERE id = ?",
	    -1, &q, NULL);
	sqlite3_bind_int64(q, 1, case_id);
	if (sqlite3_step(q) != SQLITE_ROW)
		die("case", "not found");
	snprintf(uuid, sizeof uuid, "%s", sqlite3_column_text(q, 0));
	snprintf(prev, sizeof prev, "%s", sqlite3_column_text(q, 1));
	sqlite3_finalize(q);

	sqlite3_exec(h, "PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL);
	sqlite3_prepare_v2(h, "INSERT INTO action (case_id, seq, step_seq,"
	    " time_us, actor, origin, kind, body, prev_hash, hash)"
	    " VALUES (?, ?, NULL, ?, ?, ?, 'note', ?, ?, ?)", -1, &ins, NULL);
	memset(&a, 0, sizeof a);
	a.actor = actor.login;
	a.origin = actor.origin;
	a.kind = "note";
	a.body = body;
	for (int64_t seq = 2; seq <= n + 1; seq++) {
		a.seq = seq;
		a.time_us = t + seq * 1000000;
		snprintf(body, sizeof body, "{\"text\":\"Checked host %" PRId64
		    " for the indicator; nothing found, moving on\"}", seq);
		snprintf(a.prev_hash, sizeof a.prev_hash, "%s", prev);
		irc_action_hash(&a, uuid, a.hash);
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, case_id);
		sqlite3_bind_int64(ins, 2, seq);
		sqlite3_bind_int64(ins, 3, a.time_us);
		sqlite3_bind_text(ins, 4, a.actor, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, a.origin, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, body, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 7, a.prev_hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 8, a.hash, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			die("insert", sqlite3_errmsg(h));
		snprintf(prev, sizeof prev, "%s", a.hash);
	}
	sqlite3_finalize(ins);
	sqlite3_prepare_v2(h, "UPDATE \"case\" SET head_hash = ?, action_count = ?"
	    " WHERE id = ?", -1, &q, NULL);
	sqlite3_bind_text(q, 1, prev, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, n + 1);
	sqlite3_bind_int64(q, 3, case_id);
	sqlite3_step(q);
	sqlite3_finalize(q);
	if (sqlite3_exec(h, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)", NULL,
	    NULL, NULL) != SQLITE_OK)
		die("commit", sqlite3_errmsg(h));
	irc_db_close(db);
}

int
main(int argc, char **argv)
{
	const char *ircase, *folder;
	int64_t n = 1000000, t_ircase[16], t_sqlite[16];
	long rss_ircase = 0, rss_sqlite = 0, rss;
	int rounds = 3;
	char *db, *out, *json;

	if (argc < 3)
		die("usage", "bench_export IRCASE FOLDER [ACTIONS] [ROUNDS]");
	ircase = argv[1];
	folder = argv[2];
	if (argc > 3)
		n = strtoll(argv[3], NULL, 10);
	if (argc > 4)
		rounds = (int)strtol(argv[4], NULL, 10);
	if (n < 1 || rounds < 1 || rounds > 16)
		die("usage", "ACTIONS must be positive and ROUNDS 1 to 16");
	db = irc_xasprintf("%s/bench_export.db", folder);
	out = irc_xasprintf("%s/bench_export.out", folder);
	json = irc_xasprintf("%s/bench_export.json", folder);

	fprintf(stderr, "building a case of %" PRId64 " actions...\n", n + 1);
	build_case(db, n);

	char *const ircase_argv[] = { (char *)ircase, "--db", db, "export", "1",
	    "--format", "json", NULL };
	char *const sqlite_argv[] = { "sqlite3", "-json", db, "SELECT * FROM"
	    " action WHERE case_id = 1 ORDER BY seq", NULL };

	for (int i = 0; i < rounds; i++) {
		t_sqlite[i] = run(sqlite_argv, out, &rss);
		if (rss > rss_sqlite)
			rss_sqlite = rss;
		t_ircase[i] = run(ircase_argv, json, &rss);
		if (rss > rss_ircase)
			rss_ircase = rss;
	}
	qsort(t_ircase, (size_t)rounds, sizeof t_ircase[0], cmp_i64);
	qsort(t_sqlite, (size_t)rounds, sizeof t_sqlite[0], cmp_i64);
	printf("actions: %" PRId64 ", rounds: %d\n", n + 1, rounds);
	printf("sqlite3 -json:        median %8.2f s, peak RSS %6.1f MiB\n",
	    t_sqlite[rounds / 2] / 1e6, rss_sqlite / 1024.0);
	printf("ircase export (json): median %8.2f s, peak RSS %6.1f MiB\n",
	    t_ircase[rounds / 2] / 1e6, rss_ircase / 1024.0);
	printf("ratio: %.2f (target at most 1.5); memory target under 32 MiB: %s\n",
	    (double)t_ircase[rounds / 2] / (double)t_sqlite[rounds / 2],
	    rss_ircase < 32 * 1024 ? "met" : "MISSED");
	unlink(out);
	unlink(json);
	free(db);
	free(out);
	free(json);
	return 0;
}
