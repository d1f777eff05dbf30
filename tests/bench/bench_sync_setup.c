/*
 * bench_sync_setup.c: builds the database for the sync benchmark: one
 * case from a playbook with N notes spread over its steps.  The notes
 * are written with synchronous=OFF, since only the sync is measured.
 *
 * usage: bench_sync_setup DB PLAYBOOK N
 */
#include <stdio.h>
#include <stdlib.h>

#include "case.h"
#include "db.h"
#include "playbook.h"

int
main(int argc, char **argv)
{
	struct irc_playbook *pb = NULL;
	struct irc_db *db = NULL;
	struct irc_actor actor;
	struct irc_error err;
	struct irc_case *c = NULL;
	int64_t id;
	long n;
	char text[200];

	if (argc != 4 || (n = strtol(argv[3], NULL, 10)) <= 0) {
		fputs("usage: bench_sync_setup DB PLAYBOOK N\n", stderr);
		return 2;
	}
	irc_actor_current(&actor);
	if (irc_db_open(argv[1], &db, &err) != IRC_OK ||
	    irc_playbook_load(argv[2], NULL, &pb, &err) != IRC_OK ||
	    irc_case_create(db, pb, "Sync benchmark", 2, &actor, &id, &err) !=
	    IRC_OK || irc_case_load_meta(db, id, &c, &err) != IRC_OK) {
		fprintf(stderr, "bench_sync_setup: %s\n", err.msg);
		return 1;
	}
	sqlite3_exec(irc_db_handle(db), "PRAGMA synchronous=OFF", NULL, NULL,
	    NULL);
	for (long i = 0; i < n; i++) {
		snprintf(text, sizeof text, "benchmark log %ld: checked host "
		    "web-%03ld, nothing found", i, i % 200);
		if (irc_case_note(db, id, (int)(i % (long)c->nsteps) + 1, text,
		    &actor, &err) != IRC_OK) {
			fprintf(stderr, "bench_sync_setup: %s\n", err.msg);
			return 1;
		}
	}
	irc_case_free(c);
	irc_playbook_free(pb);
	irc_db_close(db);
	return 0;
}
