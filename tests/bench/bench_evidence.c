/*
 * bench_evidence.c: `ircase evidence add` hashing a large sparse file
 * against `sha256sum` on the same file, in the same run.
 *
 * Creates a sparse file of MIB mebibytes (default 1024, so 1 GiB) in
 * FOLDER and a database with one case.  Then runs, alternately and ROUNDS
 * times each, sha256sum on the file and the ircase binary adding it as
 * evidence to the case, which hashes it in IRC_EVIDENCE_CHUNK pieces and
 * records an action.  Prints the median wall time of each, their ratio
 * and each side's peak resident memory (ru_maxrss of the child), and
 * checks that both computed the same SHA-256.
 *
 * usage: bench_evidence IRCASE FOLDER [MIB] [ROUNDS]
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#define BENCH_NAME "bench_evidence"
#include "bench.h"

#include "mem.h"

/* Writes a file of size bytes that holds no data blocks. */
static void
make_sparse(const char *path, off_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, size) != 0 || close(fd) != 0)
		die(path, strerror(errno));
}

/* Reads the first 64 bytes of path (a sha256sum line) into hex. */
static void
read_digest(const char *path, char hex[65])
{
	FILE *f = fopen(path, "r");

	if (f == NULL || fread(hex, 1, 64, f) != 64)
		die(path, "cannot read the sha256sum output");
	hex[64] = '\0';
	fclose(f);
}

/* Checks that every evidence row of the database has the digest hex. */
static void
check_digest(const char *db, const char *hex, int rounds)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *stmt = NULL;
	int same = 0;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM evidence WHERE"
	    " sha256 = ?", -1, &stmt, NULL) != SQLITE_OK)
		die(db, sqlite3_errmsg(h));
	sqlite3_bind_text(stmt, 1, hex, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		same = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(h);
	if (same != rounds)
		die(db, "ircase and sha256sum computed different digests");
}

int
main(int argc, char **argv)
{
	static const char playbook[] = "# Bench\n\n## Evidence\n\n- [ ] Hash\n";
	const char *ircase, *folder;
	int64_t t_ircase[16], t_sum[16];
	long rss_ircase = 0, rss_sum = 0, rss, mib = 1024;
	int rounds = 3;
	char *db, *img, *pb, *out, *wal, hex[65];
	FILE *f;

	if (argc < 3)
		die("usage", "bench_evidence IRCASE FOLDER [MIB] [ROUNDS]");
	ircase = argv[1];
	folder = argv[2];
	if (argc > 3)
		mib = strtol(argv[3], NULL, 10);
	if (argc > 4)
		rounds = (int)strtol(argv[4], NULL, 10);
	if (mib < 1 || mib > 1024 * 1024 || rounds < 1 || rounds > 16)
		die("usage", "MIB must be 1 to 1048576 and ROUNDS 1 to 16");
	db = irc_xasprintf("%s/bench_evidence.db", folder);
	wal = irc_xasprintf("%s/bench_evidence.db-wal", folder);
	img = irc_xasprintf("%s/bench_evidence.img", folder);
	pb = irc_xasprintf("%s/bench_evidence.md", folder);
	out = irc_xasprintf("%s/bench_evidence.out", folder);
	unlink(db);
	unlink(wal);
	if ((f = fopen(pb, "w")) == NULL || fputs(playbook, f) == EOF ||
	    fclose(f) != 0)
		die(pb, strerror(errno));
	make_sparse(img, (off_t)mib * 1024 * 1024);

	char *const new_argv[] = { (char *)ircase, "--db", db, "new",
	    "--playbook", pb, "--title", "Evidence bench", NULL };
	char *const ircase_argv[] = { (char *)ircase, "--db", db, "evidence",
	    "add", "1", img, NULL };
	char *const sum_argv[] = { "sha256sum", img, NULL };

	run(new_argv, out, &rss);
	for (int i = 0; i < rounds; i++) {
		t_sum[i] = run(sum_argv, out, &rss);
		if (rss > rss_sum)
			rss_sum = rss;
		t_ircase[i] = run(ircase_argv, out, &rss);
		if (rss > rss_ircase)
			rss_ircase = rss;
	}
	run(sum_argv, out, &rss);
	read_digest(out, hex);
	check_digest(db, hex, rounds);

	qsort(t_ircase, (size_t)rounds, sizeof t_ircase[0], cmp_i64);
	qsort(t_sum, (size_t)rounds, sizeof t_sum[0], cmp_i64);
	printf("sparse file: %ld MiB, rounds: %d, digests match\n", mib, rounds);
	printf("sha256sum:            median %8.2f s, peak RSS %6.1f MiB\n",
	    t_sum[rounds / 2] / 1e6, rss_sum / 1024.0);
	printf("ircase evidence add:  median %8.2f s, peak RSS %6.1f MiB\n",
	    t_ircase[rounds / 2] / 1e6, rss_ircase / 1024.0);
	printf("ratio: %.2f (target at most 1.5); memory target under 32 MiB: %s\n",
	    (double)t_ircase[rounds / 2] / (double)t_sum[rounds / 2],
	    rss_ircase < 32 * 1024 ? "met" : "MISSED");
	unlink(img);
	unlink(out);
	unlink(pb);
	free(db);
	free(wal);
	free(img);
	free(pb);
	free(out);
	return 0;
}
