/*
 * test_links.c: the pieces behind several responders on one host: the
 * sanitiser's handling of terminal controls, network filesystem types,
 * SSH key fingerprints, drafts and presence rows.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

#include "actor.h"
#include "db.h"
#include "draft.h"
#include "presence.h"
#include "sanitize.h"
#include "shared.h"

static const struct {
	const char *name;
	const char *in;
	const char *out;
} sanitize_cases[] = {
	{ "plain ASCII", "contain host", "contain host" },
	{ "ESC in caret form", "a\033[2Jb", "a^[[2Jb" },
	{ "OSC title write", "\033]0;owned\007", "^[]0;owned^G" },
	{ "OSC 52 clipboard write", "\033]52;c;ZXZpbA==\033\\",
	    "^[]52;c;ZXZpbA==^[\\" },
	{ "CR", "ok\rEVIL", "ok^MEVIL" },
	{ "newline without the flag", "a\nb", "a^Jb" },
	{ "tab without the flag", "a\tb", "a^Ib" },
	{ "NUL-free C0 BEL and BS", "x\007\010y", "x^G^Hy" },
	{ "DEL", "x\177y", "x^?y" },
	{ "C1 CSI", "x\302\233" "31my", "x<U+009B>31my" },
	{ "C1 NEL", "x\302\205y", "x<U+0085>y" },
	{ "bidi RLO", "abc\342\200\256def", "abc<U+202E>def" },
	{ "bidi isolate", "\342\201\246x\342\201\251", "<U+2066>x<U+2069>" },
	{ "RLM and LRM", "\342\200\217\342\200\216", "<U+200F><U+200E>" },
	{ "Arabic letter mark", "\330\234", "<U+061C>" },
	{ "invalid byte", "a\377b", "a\357\277\275b" },
	{ "truncated sequence", "a\342\200", "a\357\277\275\357\277\275" },
	{ "wide characters kept", "東京", "東京" },
	{ "combining accent kept", "e\314\201", "e\314\201" },
	{ "emoji kept", "\360\237\224\245", "\360\237\224\245" },
};

static void
sanitize_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof sanitize_cases / sizeof sanitize_cases[0];
	    i++) {
		char *got = irc_sanitize_str(sanitize_cases[i].in, 0);

		if (strcmp(got, sanitize_cases[i].out) != 0)
			fail_msg("%s: got \"%s\", expected \"%s\"",
			    sanitize_cases[i].name, got, sanitize_cases[i].out);
		free(got);
	}
}

static void
sanitize_keeps_flagged_whitespace(void **state)
{
	char *got;

	(void)state;
	got = irc_sanitize_str("a\nb\tc\rd", IRC_SAN_KEEP_NEWLINE |
	    IRC_SAN_KEEP_TAB);
	assert_string_equal(got, "a\nb\tc^Md");
	free(got);
}

static void
network_filesystems_named(void **state)
{
	(void)state;
	assert_string_equal(irc_fs_network_name(0x6969), "NFS");
	assert_string_equal(irc_fs_network_name((long)0xFF534D42), "CIFS");
	assert_string_equal(irc_fs_network_name((long)0xFE534D42), "SMB2");
	assert_string_equal(irc_fs_network_name(0x517B), "SMB");
	assert_null(irc_fs_network_name(0xEF53));	/* ext4 */
	assert_null(irc_fs_network_name(0x01021994));	/* tmpfs */
	assert_null(irc_fs_network_name(0x58465342));	/* xfs */
}

static void
fingerprint_of_known_key(void **state)
{
	/* ssh-keygen -l -E sha256 prints this for the key below. */
	static const char key[] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGiYN"
	    "wTvRhvZ0Fq0oF2yUr4K6tNtvZ+MWvfuuNGdO3r8 test";
	char fp[IRC_KEY_FINGERPRINT_MAX];

	(void)state;
	assert_true(irc_actor_key_fingerprint(key, fp, sizeof fp));
	assert_string_equal(fp,
	    "SHA256:zscLA4W8+Nu9HfBwiZE5nRbTYoh1PZzDROJsGel+bEQ");
	assert_false(irc_actor_key_fingerprint("ssh-ed25519 !!!!", fp,
	    sizeof fp));
	assert_string_equal(fp, "");
	assert_false(irc_actor_key_fingerprint("ssh-ed25519", fp, sizeof fp));
}

static void
draft_round_trip(void **state)
{
	char dir[] = "/tmp/ircase-unit.XXXXXX";
	struct irc_draft d = { "11111111-2222-4333-8444-555555555555", 7,
	    (char *)"half typed \342\200\256 note\nsecond line" };
	struct irc_draft back;
	struct irc_error err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	assert_int_equal(irc_draft_load(d.uuid, &back, &err), IRC_ERR_NOT_FOUND);
	assert_int_equal(irc_draft_save(&d, &err), IRC_OK);
	assert_int_equal(irc_draft_load(d.uuid, &back, &err), IRC_OK);
	assert_int_equal(back.step, 7);
	assert_string_equal(back.text, d.text);
	free(back.text);
	irc_draft_remove(d.uuid);
	assert_int_equal(irc_draft_load(d.uuid, &back, &err), IRC_ERR_NOT_FOUND);
	/* A uuid with a path in it is never turned into a file name. */
	snprintf(d.uuid, sizeof d.uuid, "../../etc/passwd");
	assert_int_not_equal(irc_draft_save(&d, &err), IRC_OK);
	rmdir(dir);
}

static void
presence_prunes_dead_process(void **state)
{
	char dir[] = "/tmp/ircase-unit.XXXXXX", path[64];
	struct irc_actor alice = { "alice", "192.0.2.7", "" };
	struct irc_presence *list;
	struct irc_error err;
	struct irc_db *db;
	int64_t id, dead_id;
	size_t n;
	pid_t child;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/p.db", dir);
	assert_int_equal(irc_db_open(path, &db, &err), IRC_OK);
	assert_int_equal(sqlite3_exec(irc_db_handle(db),
	    "INSERT INTO playbook_snapshot VALUES (1, 'x', 'p', 't', '', 0);"
	    "INSERT INTO \"case\" (id, uuid, title, severity, opened_at,"
	    " playbook_id, playbook_path, head_hash) VALUES (1, 'u', 't', 2, 0,"
	    " 1, 'p', 'h')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(irc_presence_enter(db, 1, &alice, &id, &err), IRC_OK);

	/* A row written by a process that has exited since. */
	child = fork();
	if (child == 0) {
		struct irc_db *cdb;
		int64_t cid;

		if (irc_db_open(path, &cdb, &err) != IRC_OK ||
		    irc_presence_enter(cdb, 1, &alice, &cid, &err) != IRC_OK)
			_exit(1);
		_exit(0);
	}
	assert_true(child > 0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	dead_id = id + 1;

	assert_int_equal(irc_presence_list(db, 1, &list, &n, &err), IRC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, id);
	assert_string_equal(list[0].origin, "192.0.2.7");
	free(list);

	/* The heartbeat deletes the dead row; a stale heartbeat goes too. */
	assert_int_equal(irc_presence_beat(db, id, &err), IRC_OK);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(irc_db_handle(db),
		    "SELECT count(*) FROM presence WHERE id = ?", -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_int64(st, 1, dead_id);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 0);
		sqlite3_finalize(st);
	}
	assert_int_equal(sqlite3_exec(irc_db_handle(db), "UPDATE presence SET"
	    " heartbeat = heartbeat - 31000000", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(irc_presence_list(db, 1, &list, &n, &err), IRC_OK);
	assert_int_equal(n, 0);
	free(list);
	assert_int_equal(irc_presence_beat(db, id, &err), IRC_OK);
	irc_presence_leave(db, id);
	assert_int_equal(irc_presence_beat(db, id, &err), IRC_ERR_NOT_FOUND);
	irc_db_close(db);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sanitize_table),
		cmocka_unit_test(sanitize_keeps_flagged_whitespace),
		cmocka_unit_test(network_filesystems_named),
		cmocka_unit_test(fingerprint_of_known_key),
		cmocka_unit_test(draft_round_trip),
		cmocka_unit_test(presence_prunes_dead_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
