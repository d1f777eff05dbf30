/*
 * test_evidence.c: hashing evidence files in flat memory, recording items
 * and custody transfers in the action chain, and checking files again.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <openssl/sha.h>

#include "unit.h"
#include "case_fixture.h"

#include "evidence.h"

#define SHA256_EMPTY \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA256_ABC \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static long
peak_rss_kib(void)
{
	struct rusage ru;

	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

/*
 * A 1 GiB sparse file is hashed with the peak resident size growing by
 * well under 4 MiB: the file is never held in memory.  It runs first,
 * before other tests raise the peak and hide growth.
 */
static void
hash_1gib_flat_memory(void **state)
{
	struct case_fixture *f = *state;
	char path[128], hex[IRC_HASH_HEX];
	struct irc_error err;
	uint64_t size = 0;
	long before;
	int fd;

	snprintf(path, sizeof path, "%s/sparse.img", f->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)1 << 30), 0);
	close(fd);

	/* A first small hash loads OpenSSL's code and tables. */
	assert_int_equal(irc_sha256_file(f->path, hex, &size, &err), IRC_OK);
	before = peak_rss_kib();
	assert_int_equal(irc_sha256_file(path, hex, &size, &err), IRC_OK);
	assert_int_equal(size, (uint64_t)1 << 30);
	/* SHA-256 of 2^30 zero bytes, computed once with sha256sum. */
	assert_string_equal(hex,
	    "49bc20df15e412a64472421e13fe86ff1c5165e18b2afccf160d4dc19fe68a14");
	assert_true(peak_rss_kib() - before < 4 * 1024);
	unlink(path);
}

static void
hash_known_content(void **state)
{
	struct case_fixture *f = *state;
	char hex[IRC_HASH_HEX], *empty, *abc;
	struct irc_error err;
	uint64_t size = 1;

	empty = case_fixture_file(f, "empty", "", 0);
	abc = case_fixture_file(f, "abc", "abc", 3);
	assert_int_equal(irc_sha256_file(empty, hex, &size, &err), IRC_OK);
	assert_string_equal(hex, SHA256_EMPTY);
	assert_int_equal(size, 0);
	assert_int_equal(irc_sha256_file(abc, hex, &size, &err), IRC_OK);
	assert_string_equal(hex, SHA256_ABC);
	assert_int_equal(size, 3);
	free(empty);
	free(abc);
}

/* Sizes around the chunk length hash as OpenSSL's one-shot SHA256() does. */
static void
hash_chunk_boundaries(void **state)
{
	static const size_t sizes[] = { IRC_EVIDENCE_CHUNK - 1,
	    IRC_EVIDENCE_CHUNK, IRC_EVIDENCE_CHUNK + 1, 3 * IRC_EVIDENCE_CHUNK };
	struct case_fixture *f = *state;
	unsigned char md[SHA256_DIGEST_LENGTH];
	char hex[IRC_HASH_HEX], want[IRC_HASH_HEX], *path;
	char *data = malloc(3 * IRC_EVIDENCE_CHUNK);
	struct irc_error err;
	uint64_t size;

	for (size_t i = 0; i < 3 * IRC_EVIDENCE_CHUNK; i++)
		data[i] = (char)(i * 7 + i / 251);
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		path = case_fixture_file(f, "chunk", data, sizes[k]);
		SHA256((const unsigned char *)data, sizes[k], md);
		for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
			snprintf(want + 2 * i, 3, "%02x", md[i]);
		assert_int_equal(irc_sha256_file(path, hex, &size, &err), IRC_OK);
		assert_string_equal(hex, want);
		assert_int_equal(size, sizes[k]);
		free(path);
	}
	free(data);
}

static void
hash_rejects_folder_and_missing(void **state)
{
	struct case_fixture *f = *state;
	char hex[IRC_HASH_HEX], path[128];
	struct irc_error err;
	uint64_t size;

	assert_int_equal(irc_sha256_file(f->dir, hex, &size, &err),
	    IRC_ERR_INVALID);
	assert_non_null(strstr(err.msg, "not a regular file"));
	snprintf(path, sizeof path, "%s/missing", f->dir);
	assert_int_equal(irc_sha256_file(path, hex, &size, &err),
	    IRC_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, path));
}

static void
tables_migrated(void **state)
{
	struct case_fixture *f = *state;

	assert_int_equal(case_fixture_int(f, "SELECT count(*) FROM sqlite_master"
	    " WHERE name IN ('evidence', 'observable', 'asset')"), 3);
}

static void
add_records_row_and_action(void **state)
{
	struct case_fixture *f = *state;
	struct irc_evidence *list;
	struct irc_error err;
	struct irc_verify_result v;
	int64_t number = 0;
	size_t n;
	char *path = case_fixture_file(f, "mail.eml", "abc", 3);

	assert_int_equal(irc_evidence_add(f->db, f->case_id, path,
	    "original message", "safe 3", &f->actor, &number, &err), IRC_OK);
	assert_int_equal(number, 1);
	assert_int_equal(case_fixture_int(f, "SELECT count(*) FROM action"
	    " WHERE kind = 'evidence.add' AND json_extract(body, '$.sha256') = '"
	    SHA256_ABC "' AND json_extract(body, '$.evidence') = 1"), 1);
	assert_int_equal(irc_evidence_list(f->db, f->case_id, &list, &n, &err),
	    IRC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "mail.eml");
	assert_string_equal(list[0].sha256, SHA256_ABC);
	assert_int_equal(list[0].size, 3);
	assert_string_equal(list[0].description, "original message");
	assert_string_equal(list[0].location, "safe 3");
	assert_string_equal(list[0].holder, "alice");
	assert_string_equal(list[0].path, path);
	irc_evidence_free(list, n);
	assert_int_equal(irc_chain_verify(f->db, f->case_id, &v, &err), IRC_OK);
	assert_true(v.ok);
	free(path);
}

static void
add_missing_case_writes_nothing(void **state)
{
	struct case_fixture *f = *state;
	struct irc_error err;
	char *path = case_fixture_file(f, "x", "abc", 3);

	assert_int_equal(irc_evidence_add(f->db, 99, path, NULL, NULL,
	    &f->actor, NULL, &err), IRC_ERR_NOT_FOUND);
	assert_int_equal(case_fixture_int(f, "SELECT count(*) FROM evidence"), 0);
	free(path);
}

static void
transfer_moves_custody(void **state)
{
	struct case_fixture *f = *state;
	struct irc_transfer t = { "alice", "bob", "disk imaging", "SEAL-0042",
	    INT64_C(1774000000) * 1000000 };
	struct irc_transfer back = { "bob", "alice", "return", NULL, 0 };
	struct irc_evidence *list;
	struct irc_error err;
	size_t n;
	char *path = case_fixture_file(f, "disk", "abc", 3);

	assert_int_equal(irc_evidence_add(f->db, f->case_id, path, NULL, NULL,
	    &f->actor, NULL, &err), IRC_OK);
	assert_int_equal(irc_evidence_transfer(f->db, f->case_id, 1, &t,
	    &f->actor, &err), IRC_OK);
	assert_int_equal(irc_evidence_transfer(f->db, f->case_id, 1, &back,
	    &f->actor, &err), IRC_OK);
	assert_int_equal(irc_evidence_list(f->db, f->case_id, &list, &n, &err),
	    IRC_OK);
	assert_int_equal(list[0].ncustody, 2);
	assert_string_equal(list[0].custody[0].from, "alice");
	assert_string_equal(list[0].custody[0].to, "bob");
	assert_string_equal(list[0].custody[0].purpose, "disk imaging");
	assert_string_equal(list[0].custody[0].seal, "SEAL-0042");
	assert_int_equal(list[0].custody[0].at, t.at);
	assert_string_equal(list[0].custody[1].seal, "");
	assert_string_equal(list[0].holder, "alice");
	irc_evidence_free(list, n);
	free(path);
}

static void
transfer_rejects_wrong_holder(void **state)
{
	struct case_fixture *f = *state;
	struct irc_transfer t = { "mallory", "bob", "analysis", NULL, 0 };
	struct irc_transfer future = { "alice", "bob", "analysis", NULL,
	    INT64_C(4102444800) * 1000000 };
	struct irc_error err;
	int64_t before;
	char *path = case_fixture_file(f, "disk", "abc", 3);

	assert_int_equal(irc_evidence_add(f->db, f->case_id, path, NULL, NULL,
	    &f->actor, NULL, &err), IRC_OK);
	before = case_fixture_int(f, "SELECT count(*) FROM action");
	assert_int_equal(irc_evidence_transfer(f->db, f->case_id, 1, &t,
	    &f->actor, &err), IRC_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "held by 'alice'"));
	assert_int_equal(irc_evidence_transfer(f->db, f->case_id, 1, &future,
	    &f->actor, &err), IRC_ERR_INVALID);
	assert_int_equal(irc_evidence_transfer(f->db, f->case_id, 2, &t,
	    &f->actor, &err), IRC_ERR_NOT_FOUND);
	assert_int_equal(case_fixture_int(f, "SELECT count(*) FROM action"),
	    before);
	assert_int_equal(case_fixture_int(f, "SELECT count(*) FROM evidence"
	    " WHERE holder = 'alice'"), 1);
	free(path);
}

static void
check_reports_each_result(void **state)
{
	struct case_fixture *f = *state;
	struct irc_evidence_check *res;
	struct irc_error err;
	size_t n;
	char *a = case_fixture_file(f, "a", "abc", 3);
	char *b = case_fixture_file(f, "b", "abc", 3);
	char *c = case_fixture_file(f, "c", "abc", 3);

	assert_int_equal(irc_evidence_add(f->db, f->case_id, a, NULL, NULL,
	    &f->actor, NULL, &err), IRC_OK);
	assert_int_equal(irc_evidence_add(f->db, f->case_id, b, NULL, NULL,
	    &f->actor, NULL, &err), IRC_OK);
	assert_int_equal(irc_evidence_add(f->db, f->case_id, c, NULL, NULL,
	    &f->actor, NULL, &err), IRC_OK);
	free(case_fixture_file(f, "b", "abd", 3));
	unlink(c);
	assert_int_equal(irc_evidence_check(f->db, f->case_id, &res, &n, &err),
	    IRC_OK);
	assert_int_equal(n, 3);
	assert_int_equal(res[0].result, IRC_EVIDENCE_MATCH);
	assert_int_equal(res[1].result, IRC_EVIDENCE_MISMATCH);
	assert_int_equal(res[2].result, IRC_EVIDENCE_UNREACHABLE);
	assert_non_null(strstr(res[2].reason, c));
	free(res);
	free(a);
	free(b);
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(hash_1gib_flat_memory,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(hash_known_content,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(hash_chunk_boundaries,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(hash_rejects_folder_and_missing,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(tables_migrated,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(add_records_row_and_action,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(add_missing_case_writes_nothing,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(transfer_moves_custody,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(transfer_rejects_wrong_holder,
		    case_fixture_setup, case_fixture_teardown),
		cmocka_unit_test_setup_teardown(check_reports_each_result,
		    case_fixture_setup, case_fixture_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
