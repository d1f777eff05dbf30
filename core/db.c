/*
 * db.c: opening the database, its pragmas and schema migrations.
 *
 * Migrations run forward only.  Each entry of the migrations table moves
 * the schema from version N to N+1 inside one BEGIN IMMEDIATE
 * transaction, so a failure leaves the previous version in place.  A
 * released migration is never edited; a change to the schema is a new
 * entry at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "action.h"
#include "db.h"
#include "mem.h"
#include "shared.h"

struct irc_db {
	sqlite3 *handle;
	char *path;
};

static const char *const migrations[] = {
	/* 1: cases, playbook snapshots, steps and the action log. */
	"CREATE TABLE playbook_snapshot ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  path TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  text BLOB NOT NULL,"
	"  stored_at INTEGER NOT NULL);"
	"CREATE TABLE \"case\" ("
	"  id INTEGER PRIMARY KEY,"
	"  uuid TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),"
	"  tlp TEXT NOT NULL DEFAULT 'amber',"
	"  pap TEXT NOT NULL DEFAULT 'amber',"
	"  status TEXT NOT NULL DEFAULT 'open'"
	"    CHECK (status IN ('open', 'closed')),"
	"  kind TEXT NOT NULL DEFAULT 'real' CHECK (kind IN ('real', 'drill')),"
	"  opened_at INTEGER NOT NULL,"
	"  aware_at INTEGER,"
	"  closed_at INTEGER,"
	"  playbook_id INTEGER NOT NULL REFERENCES playbook_snapshot(id),"
	"  playbook_path TEXT NOT NULL,"
	"  head_hash TEXT NOT NULL,"
	"  action_count INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE step ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  seq INTEGER NOT NULL,"
	"  phase TEXT NOT NULL CHECK (phase IN ('prepare', 'report', 'assess',"
	"    'respond', 'learn', 'evidence')),"
	"  ord INTEGER NOT NULL,"
	"  grp TEXT,"
	"  title TEXT NOT NULL,"
	"  body TEXT NOT NULL DEFAULT '',"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending',"
	"    'active', 'done', 'skipped', 'not_applicable')),"
	"  assignee TEXT,"
	"  started_at INTEGER,"
	"  done_at INTEGER,"
	"  line INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (case_id, seq));"
	"CREATE TABLE action ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  seq INTEGER NOT NULL,"
	"  step_seq INTEGER,"
	"  time_us INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  origin TEXT NOT NULL DEFAULT '',"
	"  kind TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL,"
	"  UNIQUE (case_id, seq));"
	"CREATE TRIGGER action_no_update BEFORE UPDATE ON action"
	"  BEGIN SELECT RAISE(ABORT, 'actions are append-only'); END;"
	"CREATE TRIGGER action_no_delete BEFORE DELETE ON action"
	"  BEGIN SELECT RAISE(ABORT, 'actions are append-only'); END;",

	/* 2: evidence items, observables and affected assets on a case. */
	"CREATE TABLE evidence ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  number INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  size INTEGER NOT NULL CHECK (size >= 0),"
	"  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
	"  description TEXT NOT NULL DEFAULT '',"
	"  location TEXT NOT NULL DEFAULT '',"
	"  holder TEXT NOT NULL,"
	"  added_by TEXT NOT NULL,"
	"  added_at INTEGER NOT NULL,"
	"  UNIQUE (case_id, number));"
	"CREATE TABLE observable ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  number INTEGER NOT NULL,"
	"  type TEXT NOT NULL CHECK (type IN ('ip', 'domain', 'url', 'hash',"
	"    'mail', 'filename', 'user-agent', 'other')),"
	"  value TEXT NOT NULL,"
	"  tlp TEXT NOT NULL,"
	"  ioc INTEGER NOT NULL DEFAULT 0 CHECK (ioc IN (0, 1)),"
	"  tags TEXT NOT NULL DEFAULT '[]',"
	"  added_by TEXT NOT NULL,"
	"  added_at INTEGER NOT NULL,"
	"  UNIQUE (case_id, number),"
	"  UNIQUE (case_id, type, value));"
	"CREATE TABLE asset ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  number INTEGER NOT NULL,"
	"  inventory_id TEXT,"
	"  name TEXT NOT NULL,"
	"  owner TEXT NOT NULL DEFAULT '',"
	"  classification TEXT NOT NULL DEFAULT '',"
	"  added_by TEXT NOT NULL,"
	"  added_at INTEGER NOT NULL,"
	"  UNIQUE (case_id, number));"
	"CREATE INDEX asset_inventory ON asset (inventory_id);",
	/*
	 * 3: the incident lifecycle: roles, reports, decisions, milestones,
	 * step approvals, lessons, follow-ups, notification clocks and the
	 * weakness register with its own hash chain.
	 */
	"CREATE TABLE case_role ("
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  role TEXT NOT NULL CHECK (role IN ('incident_commander', 'deputy',"
	"    'scribe', 'communications', 'technical_lead', 'legal', 'dpo')),"
	"  person TEXT NOT NULL,"
	"  since INTEGER NOT NULL,"
	"  PRIMARY KEY (case_id, role));"
	"CREATE TABLE report ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  number INTEGER NOT NULL,"
	"  reporter TEXT NOT NULL,"
	"  channel TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'chat',"
	"    'monitoring', 'other')),"
	"  received_at INTEGER NOT NULL,"
	"  received_offset INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  added_by TEXT NOT NULL,"
	"  added_at INTEGER NOT NULL,"
	"  UNIQUE (case_id, number));"
	"CREATE TABLE decision ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('incident', 'event',"
	"    'not_incident')),"
	"  reason TEXT NOT NULL,"
	"  category TEXT,"
	"  decided_by TEXT NOT NULL,"
	"  decided_at INTEGER NOT NULL);"
	"ALTER TABLE \"case\" ADD COLUMN verdict TEXT;"
	"ALTER TABLE \"case\" ADD COLUMN category TEXT;"
	"ALTER TABLE \"case\" ADD COLUMN aware_offset INTEGER;"
	"ALTER TABLE \"case\" ADD COLUMN summary TEXT;"
	"CREATE TABLE milestone ("
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  name TEXT NOT NULL CHECK (name IN ('contained', 'eradicated',"
	"    'recovered')),"
	"  at INTEGER NOT NULL,"
	"  at_offset INTEGER NOT NULL,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  recorded_by TEXT NOT NULL,"
	"  recorded_at INTEGER NOT NULL,"
	"  PRIMARY KEY (case_id, name));"
	"ALTER TABLE step ADD COLUMN requires_approval INTEGER NOT NULL"
	"  DEFAULT 0;"
	"ALTER TABLE step ADD COLUMN approval_requested_by TEXT;"
	"CREATE TABLE lesson ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('root_cause', 'went_well',"
	"    'went_badly', 'waiver')),"
	"  text TEXT NOT NULL,"
	"  added_by TEXT NOT NULL,"
	"  added_at INTEGER NOT NULL);"
	"CREATE TABLE followup ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  owner TEXT NOT NULL,"
	"  due TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),"
	"  added_by TEXT NOT NULL,"
	"  added_at INTEGER NOT NULL,"
	"  done_by TEXT,"
	"  done_at INTEGER,"
	"  done_note TEXT);"
	"CREATE TABLE clock ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  rule TEXT NOT NULL,"
	"  hours INTEGER NOT NULL DEFAULT 0,"
	"  months INTEGER NOT NULL DEFAULT 0,"
	"  deadline INTEGER NOT NULL,"
	"  started_by TEXT NOT NULL,"
	"  started_at INTEGER NOT NULL,"
	"  notified_to TEXT,"
	"  notified_ref TEXT,"
	"  notified_at INTEGER,"
	"  notified_offset INTEGER,"
	"  UNIQUE (case_id, rule));"
	"CREATE TABLE weakness ("
	"  id INTEGER PRIMARY KEY,"
	"  seq INTEGER NOT NULL UNIQUE,"
	"  weakness INTEGER NOT NULL,"
	"  time_us INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  origin TEXT NOT NULL DEFAULT '',"
	"  kind TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL);"
	"CREATE TABLE chain_head ("
	"  name TEXT PRIMARY KEY,"
	"  head_hash TEXT NOT NULL,"
	"  count INTEGER NOT NULL);"
	"CREATE TRIGGER weakness_no_update BEFORE UPDATE ON weakness"
	"  BEGIN SELECT RAISE(ABORT, 'the weakness register is append-only');"
	"  END;"
	"CREATE TRIGGER weakness_no_delete BEFORE DELETE ON weakness"
	"  BEGIN SELECT RAISE(ABORT, 'the weakness register is append-only');"
	"  END;",
	/*
	 * 4: TheHive sync: the outbox of actions to send, with the ones
	 * already written queued, remote ids and each case's sync state.
	 */
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  action_id INTEGER NOT NULL UNIQUE REFERENCES action(id),"
	"  target TEXT NOT NULL CHECK (target IN ('production', 'drill')),"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending',"
	"    'sending', 'done', 'failed')),"
	"  uncertain INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1)),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  updated_at INTEGER);"
	"CREATE INDEX outbox_case_state ON outbox (case_id, state);"
	"INSERT INTO outbox (case_id, action_id, target)"
	"  SELECT a.case_id, a.id, CASE c.kind WHEN 'drill' THEN 'drill'"
	"    ELSE 'production' END"
	"  FROM action a JOIN \"case\" c ON c.id = a.case_id"
	"  WHERE a.actor NOT LIKE 'thehive:%' AND a.kind NOT LIKE 'sync.%'"
	"  ORDER BY a.id;"
	"CREATE TABLE remote_map ("
	"  target TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('case', 'task', 'case_log',"
	"    'log', 'observable', 'pulled')),"
	"  local_id INTEGER NOT NULL,"
	"  remote_id TEXT NOT NULL,"
	"  remote_number INTEGER,"
	"  remote_state TEXT,"
	"  synced_at INTEGER NOT NULL,"
	"  PRIMARY KEY (target, kind, local_id));"
	"CREATE INDEX remote_map_remote ON remote_map (target, remote_id);"
	"CREATE TABLE sync_case ("
	"  target TEXT NOT NULL,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  pushed_head TEXT,"
	"  pulled_at INTEGER NOT NULL DEFAULT 0,"
	"  last_sync INTEGER,"
	"  last_error TEXT,"
	"  conflicts INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (target, case_id));",
	/*
	 * 5: where a step sits in its playbook: the seq of the step it is a
	 * sub-step of, its depth, its anchor for "#anchor" links and the
	 * guidance prose before it.
	 */
	"ALTER TABLE step ADD COLUMN parent_seq INTEGER;"
	"ALTER TABLE step ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE step ADD COLUMN anchor TEXT;"
	"ALTER TABLE step ADD COLUMN guidance TEXT NOT NULL DEFAULT '';",
	/*
	 * 6: who has which case open.  Rows are heartbeats, not actions:
	 * presence.h says why they stay out of the hash chain.
	 */
	"CREATE TABLE presence ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES \"case\"(id),"
	"  login TEXT NOT NULL,"
	"  origin TEXT NOT NULL DEFAULT '',"
	"  pid INTEGER NOT NULL,"
	"  boot_id TEXT NOT NULL,"
	"  since INTEGER NOT NULL,"
	"  heartbeat INTEGER NOT NULL);"
	"CREATE INDEX presence_case ON presence (case_id);",
	/*
	 * 7: drills: the speed of a drill case's clock, when it started and
	 * the scenario it runs, stored whole so that a drill can be replayed
	 * and reported after the file changed.
	 */
	"CREATE TABLE drill ("
	"  case_id INTEGER PRIMARY KEY REFERENCES \"case\"(id),"
	"  speed INTEGER NOT NULL CHECK (speed BETWEEN 1 AND 10000),"
	"  started_at INTEGER NOT NULL,"
	"  scenario_title TEXT,"
	"  scenario_path TEXT,"
	"  scenario_sha256 TEXT,"
	"  scenario_text BLOB);"
	"CREATE TRIGGER drill_no_update BEFORE UPDATE ON drill"
	"  BEGIN SELECT RAISE(ABORT, 'a drill row is written once'); END;"
	"CREATE TRIGGER drill_no_delete BEFORE DELETE ON drill"
	"  BEGIN SELECT RAISE(ABORT, 'a drill row is written once'); END;",
	/*
	 * 8: each case's step counts kept on its row, so that the case list
	 * reads one row per case shown instead of counting steps.  Triggers
	 * keep them in the transaction of every step insert, state change
	 * and delete, whoever writes the step.
	 */
	"ALTER TABLE \"case\" ADD COLUMN steps_total INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE \"case\" ADD COLUMN steps_closed INTEGER NOT NULL"
	"  DEFAULT 0;"
	"UPDATE \"case\" SET"
	"  steps_total = (SELECT count(*) FROM step s WHERE s.case_id ="
	"    \"case\".id),"
	"  steps_closed = (SELECT count(*) FROM step s WHERE s.case_id ="
	"    \"case\".id AND s.state IN ('done', 'skipped', 'not_applicable'));"
	"CREATE TRIGGER step_count_insert AFTER INSERT ON step BEGIN"
	"  UPDATE \"case\" SET steps_total = steps_total + 1,"
	"    steps_closed = steps_closed + (NEW.state IN ('done', 'skipped',"
	"    'not_applicable'))"
	"  WHERE id = NEW.case_id; END;"
	"CREATE TRIGGER step_count_update AFTER UPDATE OF case_id, state ON step"
	"  BEGIN"
	"  UPDATE \"case\" SET steps_total = steps_total - 1,"
	"    steps_closed = steps_closed - (OLD.state IN ('done', 'skipped',"
	"    'not_applicable'))"
	"  WHERE id = OLD.case_id;"
	"  UPDATE \"case\" SET steps_total = steps_total + 1,"
	"    steps_closed = steps_closed + (NEW.state IN ('done', 'skipped',"
	"    'not_applicable'))"
	"  WHERE id = NEW.case_id; END;"
	"CREATE TRIGGER step_count_delete AFTER DELETE ON step BEGIN"
	"  UPDATE \"case\" SET steps_total = steps_total - 1,"
	"    steps_closed = steps_closed - (OLD.state IN ('done', 'skipped',"
	"    'not_applicable'))"
	"  WHERE id = OLD.case_id; END;",
};

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))

int
irc_db_schema_latest(void)
{
	return MIGRATION_COUNT;
}

enum irc_status
irc_db_fail(struct irc_db *db, struct irc_error *err, const char *doing)
{
	int code = sqlite3_extended_errcode(db->handle);
	enum irc_status st = IRC_ERR_DB;

	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
		st = IRC_ERR_BUSY;
		return irc_fail(err, st, "%s: %s: database is locked by another "
		    "process for more than %d ms; try again", db->path, doing,
		    IRC_DB_BUSY_TIMEOUT_MS * IRC_DB_BEGIN_TRIES);
	}
	/* A full disk can also surface as an I/O error on the -shm file. */
	if ((code & 0xff) == SQLITE_FULL ||
	    sqlite3_system_errno(db->handle) == ENOSPC)
		return irc_fail(err, st, "%s: %s: disk full; free some space "
		    "and try again", db->path, doing);
	return irc_fail(err, st, "%s: %s: %s", db->path, doing,
	    sqlite3_errmsg(db->handle));
}

static enum irc_status
db_exec(struct irc_db *db, const char *sql, const char *doing,
    struct irc_error *err)
{
	if (sqlite3_exec(db->handle, sql, NULL, NULL, NULL) != SQLITE_OK)
		return irc_db_fail(db, err, doing);
	return IRC_OK;
}

/*
 * Starts a write transaction.  SQLite's busy handler waits up to the busy
 * timeout for the lock; under many writers one process can lose that
 * race several times in a row, so BEGIN is tried again before the lock
 * counts as stuck.
 */
enum irc_status
irc_db_begin(struct irc_db *db, struct irc_error *err)
{
	enum irc_status st = IRC_OK;

	for (int i = 0; i < IRC_DB_BEGIN_TRIES; i++) {
		st = db_exec(db, "BEGIN IMMEDIATE", "cannot start a transaction",
		    err);
		if (st != IRC_ERR_BUSY)
			break;
	}
	return st;
}

enum irc_status
irc_db_commit(struct irc_db *db, struct irc_error *err)
{
	enum irc_status st = db_exec(db, "COMMIT", "cannot commit", err);

	if (st != IRC_OK)
		irc_db_rollback(db);
	else
		irc_action_syslog_flush(db, true);
	return st;
}

void
irc_db_rollback(struct irc_db *db)
{
	if (!sqlite3_get_autocommit(db->handle))
		sqlite3_exec(db->handle, "ROLLBACK", NULL, NULL, NULL);
	irc_action_syslog_flush(db, false);
}

/* Runs a query that returns one integer; returns fallback on any error. */
static int64_t
db_query_int(struct irc_db *db, const char *sql, int64_t fallback)
{
	sqlite3_stmt *stmt = NULL;
	int64_t v = fallback;

	if (sqlite3_prepare_v2(db->handle, sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

int
irc_db_schema_version(struct irc_db *db)
{
	return (int)db_query_int(db,
	    "SELECT max(version) FROM schema_version", 0);
}

int64_t
irc_db_data_version(struct irc_db *db)
{
	return db_query_int(db, "PRAGMA data_version", -1);
}

sqlite3 *
irc_db_handle(struct irc_db *db)
{
	return db->handle;
}

const char *
irc_db_path(const struct irc_db *db)
{
	return db->path;
}

/* Applies each migration the database has not had yet. */
static enum irc_status
db_migrate(struct irc_db *db, struct irc_error *err)
{
	enum irc_status st;
	int version;
	char *sql;

	st = db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version ("
	    " version INTEGER NOT NULL, applied_at INTEGER NOT NULL)",
	    "cannot create the schema_version table", err);
	if (st != IRC_OK)
		return st;

	for (;;) {
		if ((st = irc_db_begin(db, err)) != IRC_OK)
			return st;
		/* Read inside the lock: another process may have migrated. */
		version = irc_db_schema_version(db);
		if (version > MIGRATION_COUNT) {
			irc_db_rollback(db);
			return irc_fail(err, IRC_ERR_SCHEMA, "%s: database schema "
			    "version %d is newer than this ircase supports (%d); "
			    "upgrade ircase", db->path, version, MIGRATION_COUNT);
		}
		if (version == MIGRATION_COUNT) {
			irc_db_rollback(db);
			return IRC_OK;
		}
		st = db_exec(db, migrations[version], "cannot migrate the schema",
		    err);
		if (st == IRC_OK) {
			sql = irc_xasprintf("INSERT INTO schema_version VALUES (%d,"
			    " CAST((julianday('now') - 2440587.5) * 86400000000"
			    " AS INTEGER))", version + 1);
			st = db_exec(db, sql, "cannot record the schema version",
			    err);
			free(sql);
		}
		if (st != IRC_OK) {
			irc_db_rollback(db);
			return st;
		}
		if ((st = irc_db_commit(db, err)) != IRC_OK)
			return st;
	}
}

/*
 * Creates the file with mode 0600 before SQLite opens it, since SQLite
 * would create it with the umask's mode.  SQLite gives the -wal and -shm
 * files the same mode as the database.
 */
static enum irc_status
db_create_file(const char *path, struct irc_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0) {
		close(fd);
		return IRC_OK;
	}
	if (errno == EEXIST)
		return IRC_OK;
	return irc_fail(err, IRC_ERR_IO, "cannot create database %s: %s",
	    path, strerror(errno));
}

/* Opens name with flags and the settings of db_open(), closing any handle. */
static enum irc_status
db_open_flags(struct irc_db *db, const char *name, int flags,
    struct irc_error *err)
{
	sqlite3_close_v2(db->handle);
	db->handle = NULL;
	/*
	 * A handle is used by one thread only, so SQLite's own mutexes are
	 * not needed: they were taken on every column read.
	 */
	if (sqlite3_open_v2(name, &db->handle, flags | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK)
		return irc_fail(err, IRC_ERR_DB, "cannot open database %s: %s",
		    db->path, db->handle ? sqlite3_errmsg(db->handle) :
		    "out of memory");
	sqlite3_busy_timeout(db->handle, IRC_DB_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db->handle, 1);
	return db_exec(db, "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;"
	    " SELECT count(*) FROM sqlite_schema", "cannot read the database",
	    err);
}

/*
 * Opens a database file that this process may not write, such as a copy
 * handed to an auditor.  SQLite reads a WAL database read-only when it can
 * create or open the -shm file beside it.  In a folder that is read-only
 * too, the file is opened as immutable, which suits a copy that no
 * process writes while it is read.
 */
static enum irc_status
db_open_readonly(struct irc_db *db, struct irc_error *err)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/";
	size_t size = 3 * strlen(db->path) + 32, n;
	struct stat wal;
	enum irc_status st;
	char *uri, *wal_path;
	bool pending;

	if (db_open_flags(db, db->path, SQLITE_OPEN_READONLY, err) == IRC_OK)
		return IRC_OK;
	/* Immutable mode would not read changes still in the -wal file. */
	wal_path = irc_xasprintf("%s-wal", db->path);
	pending = stat(wal_path, &wal) == 0 && wal.st_size > 0;
	free(wal_path);
	if (pending)
		return irc_fail(err, IRC_ERR_IO, "cannot read %s: it is read-only "
		    "and its folder too, and its -wal file holds changes; copy "
		    "the database with its -wal file to a writable folder",
		    db->path);
	/* A URI filename, every byte but unreserved ones percent-encoded. */
	uri = irc_xcalloc(size, 1);
	n = (size_t)snprintf(uri, size, "file:");
	for (const unsigned char *p = (const unsigned char *)db->path; *p;
	    p++) {
		if (strchr(plain, *p) != NULL)
			uri[n++] = (char)*p;
		else
			n += (size_t)snprintf(uri + n, size - n, "%%%02X", *p);
	}
	snprintf(uri + n, size - n, "?immutable=1");
	irc_error_clear(err);
	st = db_open_flags(db, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
	    err);
	free(uri);
	return st;
}

static enum irc_status
db_open(const char *path, bool create, struct irc_db **out,
    struct irc_error *err)
{
	struct irc_db *db;
	struct stat sb;
	enum irc_status st;

	*out = NULL;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return irc_fail(err, IRC_ERR_INVALID,
		    "%s is not a regular file; pass a database file with --db",
		    path);
	if (create) {
		if ((st = db_create_file(path, err)) != IRC_OK)
			return st;
	} else if (access(path, F_OK) != 0 && errno == ENOENT)
		return irc_fail(err, IRC_ERR_NOT_FOUND, "no database at %s; "
		    "create a case first or pass --db", path);
	else if (access(path, R_OK) != 0)
		return irc_fail(err, IRC_ERR_IO, "cannot open database %s: %s; "
		    "a shared database needs membership of its group", path,
		    strerror(errno));

	if ((st = irc_fs_check_local(path, err)) != IRC_OK)
		return st;
	/* A shared database (see shared.h): keep its group's access. */
	if (irc_shared_is_group_writable(path))
		umask(007);

	if (create && access(path, W_OK) != 0)
		return irc_fail(err, IRC_ERR_IO, "cannot write database %s: %s; "
		    "ask its owner for write access, or use a command that only "
		    "reads (list, show, export, verify)", path, strerror(errno));

	db = irc_xcalloc(1, sizeof *db);
	db->path = irc_xstrdup(path);
	/* Only readers get here without write access: a copy for an audit. */
	if (!create && access(path, W_OK) != 0)
		st = db_open_readonly(db, err);
	else if ((st = db_open_flags(db, path, SQLITE_OPEN_READWRITE, err)) ==
	    IRC_OK)
		st = db_exec(db, "PRAGMA journal_mode=WAL;"
		    " PRAGMA synchronous=FULL;", "cannot set up the database",
		    err);
	if (st != IRC_OK)
		goto fail;
	if (create)
		st = db_migrate(db, err);
	else if (irc_db_schema_version(db) > MIGRATION_COUNT)
		st = irc_fail(err, IRC_ERR_SCHEMA, "%s: database schema version "
		    "%d is newer than this ircase supports (%d); upgrade ircase",
		    path, irc_db_schema_version(db), MIGRATION_COUNT);
	else if (irc_db_schema_version(db) != MIGRATION_COUNT)
		st = irc_fail(err, IRC_ERR_SCHEMA, "%s: schema version %d, "
		    "expected %d; open it once with a write command to migrate",
		    path, irc_db_schema_version(db), MIGRATION_COUNT);
	if (st != IRC_OK)
		goto fail;
	*out = db;
	return IRC_OK;
fail:
	irc_db_close(db);
	return st;
}

enum irc_status
irc_db_open(const char *path, struct irc_db **out, struct irc_error *err)
{
	return db_open(path, true, out, err);
}

enum irc_status
irc_db_open_existing(const char *path, struct irc_db **out,
    struct irc_error *err)
{
	return db_open(path, false, out, err);
}

void
irc_db_close(struct irc_db *db)
{
	if (db == NULL)
		return;
	irc_action_syslog_flush(db, false);
	sqlite3_close_v2(db->handle);
	free(db->path);
	free(db);
}
