/*
 * case_fixture.h: a temporary database with one open case, for the unit
 * tests of records kept on a case (evidence, observables, assets).
 */
#ifndef IRC_CASE_FIXTURE_H
#define IRC_CASE_FIXTURE_H

#include <unistd.h>

#include "case.h"
#include "db.h"
#include "playbook.h"

struct case_fixture {
	char dir[64];
	char path[96];
	struct irc_db *db;
	struct irc_actor actor;
	int64_t case_id;
};

static const char case_fixture_playbook[] =
    "# Respond\n\n- [ ] Isolate the host\n- [ ] Reset passwords\n";

static inline int
case_fixture_setup(void **state)
{
	struct case_fixture *f = calloc(1, sizeof *f);
	struct irc_playbook *pb = NULL;
	struct irc_error err;

	snprintf(f->dir, sizeof f->dir, "/tmp/ircase-unit.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof f->path, "%s/test.db", f->dir);
	snprintf(f->actor.login, sizeof f->actor.login, "alice");
	assert_int_equal(irc_db_open(f->path, &f->db, &err), IRC_OK);
	assert_int_equal(irc_playbook_parse("fixture.md", case_fixture_playbook,
	    sizeof case_fixture_playbook - 1, NULL, &pb, &err), IRC_OK);
	assert_int_equal(irc_case_create(f->db, pb, "Fixture case", 2,
	    &f->actor, &f->case_id, &err), IRC_OK);
	irc_playbook_free(pb);
	*state = f;
	return 0;
}

static inline int
case_fixture_teardown(void **state)
{
	struct case_fixture *f = *state;
	char cmd[160];

	irc_db_close(f->db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "# cannot remove %s\n", f->dir);
	free(f);
	return 0;
}

/* Runs a query that returns one integer, or -1 when it returns no row. */
static inline int64_t
case_fixture_int(struct case_fixture *f, const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(irc_db_handle(f->db), sql, -1,
	    &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

/* Writes len bytes of text to dir/name and returns the path (caller frees). */
static inline char *
case_fixture_file(struct case_fixture *f, const char *name, const char *text,
    size_t len)
{
	size_t n = strlen(f->dir) + strlen(name) + 2;
	char *path = malloc(n);
	FILE *fp;

	snprintf(path, n, "%s/%s", f->dir, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

#endif
