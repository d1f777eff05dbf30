/*
 * sign.c: signed checkpoints (sign.h).
 *
 * Signing and checking run "ssh-keygen -Y" (OpenSSH) in a child process,
 * so ircase never reads key material: the private key stays in ssh-agent
 * or in the key file.  Files that ssh-keygen needs by
 * name (the agent's public key, a signature to check) go in a private
 * temporary folder that is removed afterwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>

#include "mem.h"
#include "sign.h"
#include "timeutil.h"

/* Output of a child process, with its exit status (-1: it did not run). */
struct child_output {
	char *out;
	size_t outlen;
	char *err;
	size_t errlen;
	int status;
};

static void
child_output_free(struct child_output *o)
{
	free(o->out);
	free(o->err);
	memset(o, 0, sizeof *o);
}

/* Appends what fd has to read to *buf; returns false at end of file. */
static bool
child_read(int fd, char **buf, size_t *len)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof chunk);

	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0)
		return false;
	*buf = irc_xrealloc(*buf, *len + (size_t)n + 1, 1);
	memcpy(*buf + *len, chunk, (size_t)n);
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	return true;
}

/* Starts argv in a new session (so no prompt reaches the terminal). */
static pid_t
child_start(char *const argv[], int in[2], int out[2], int errp[2])
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	setsid();
	dup2(in[0], 0);
	dup2(out[1], 1);
	dup2(errp[1], 2);
	close(in[0]);
	close(in[1]);
	close(out[0]);
	close(out[1]);
	close(errp[0]);
	close(errp[1]);
	execvp(argv[0], argv);
	_exit(127);
}

/*
 * Runs argv with input on its standard input and collects its standard
 * output and error.  The inputs here are under a kilobyte, so writing
 * them before reading cannot fill the pipe.
 */
static void
child_run(char *const argv[], const char *input, struct child_output *o)
{
	int in[2], out[2], errp[2], ws;
	struct pollfd fds[2];
	pid_t pid;

	memset(o, 0, sizeof *o);
	o->status = -1;
	if (pipe(in) != 0)
		return;
	if (pipe(out) != 0) {
		close(in[0]);
		close(in[1]);
		return;
	}
	if (pipe(errp) != 0) {
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		return;
	}
	pid = child_start(argv, in, out, errp);
	close(in[0]);
	close(out[1]);
	close(errp[1]);
	if (pid > 0 && input != NULL) {
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);

		if (write(in[1], input, strlen(input)) < 0) {
			/* The child exited early, and its exit status is reported. */
		}
		signal(SIGPIPE, old);
	}
	close(in[1]);
	fds[0].fd = out[0];
	fds[1].fd = errp[0];
	fds[0].events = fds[1].events = POLLIN;
	while (pid > 0 && (fds[0].fd >= 0 || fds[1].fd >= 0)) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[0].revents != 0 && !child_read(out[0], &o->out,
		    &o->outlen))
			fds[0].fd = -1;
		if (fds[1].revents != 0 && !child_read(errp[0], &o->err,
		    &o->errlen))
			fds[1].fd = -1;
	}
	close(out[0]);
	close(errp[0]);
	if (pid <= 0)
		return;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	o->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

/*
 * Copies the first line of a child's standard error, or of its standard
 * output when stderr is empty (ssh-keygen -Y verify reports there).
 */
static void
child_first_line(const struct child_output *o, char *buf, size_t size)
{
	const char *text = o->err != NULL && o->err[0] != '\0' ? o->err :
	    o->out != NULL ? o->out : "";

	snprintf(buf, size, "%.*s", (int)strcspn(text, "\r\n"), text);
	for (char *p = buf; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

/* Creates a private temporary folder (caller frees and removes it). */
static char *
temp_dir_make(struct irc_error *err)
{
	const char *base = getenv("TMPDIR");
	char *dir;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	dir = irc_xasprintf("%s/ircase-sign.XXXXXX", base);
	if (mkdtemp(dir) == NULL) {
		irc_fail(err, IRC_ERR_IO, "cannot create a temporary folder in "
		    "%s: %s; set TMPDIR to a writable folder", base,
		    strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

static void
temp_dir_remove(char *dir, const char *const names[])
{
	char *path;

	if (dir == NULL)
		return;
	for (size_t i = 0; names[i] != NULL; i++) {
		path = irc_xasprintf("%s/%s", dir, names[i]);
		unlink(path);
		free(path);
	}
	rmdir(dir);
	free(dir);
}

/* Writes text to dir/name with mode 0600; returns the path or NULL. */
static char *
temp_file_write(const char *dir, const char *name, const char *text,
    struct irc_error *err)
{
	char *path = irc_xasprintf("%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	size_t len = strlen(text);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		irc_fail(err, IRC_ERR_IO, "cannot write %s: %s", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

char *
irc_sign_text(const char *case_uuid, int64_t case_number, int64_t actions,
    const char *head, int64_t time_us)
{
	char when[40];

	return irc_xasprintf(IRC_SIGN_VERSION "\ncase-uuid: %s\ncase: %" PRId64
	    "\nactions: %" PRId64 "\nhead: %s\ntime: %s\n", case_uuid,
	    case_number, actions, head, irc_time_utc(time_us, when,
	    sizeof when));
}

/* -- signing ------------------------------------------------------------- */

/* The key that signs: a file, or a public key read from ssh-agent. */
struct sign_key {
	char *path;		/* passed to ssh-keygen -f */
	char fingerprint[IRC_KEY_FINGERPRINT_MAX];
};

/*
 * Reads the first key that ssh-agent lists into dir/agent.pub.  Returns
 * IRC_OK with notice set when there is no agent or it has no key.
 */
static enum irc_status
key_from_agent(const char *dir, struct sign_key *key, char *notice,
    size_t size, struct irc_error *err)
{
	char *argv[] = { "ssh-add", "-L", NULL };
	const char *sock = getenv("SSH_AUTH_SOCK");
	struct child_output o;
	char *line;

	if (sock == NULL || *sock == '\0') {
		snprintf(notice, size, "no ssh-agent (SSH_AUTH_SOCK is unset) "
		    "and no IRCASE_SIGN_KEY");
		return IRC_OK;
	}
	child_run(argv, NULL, &o);
	if (o.status != 0 || o.out == NULL) {
		if (o.status == 127 || o.status == -1)
			snprintf(notice, size, "ssh-add is not installed; install "
			    "openssh-client");
		else if (o.status == 1)
			snprintf(notice, size, "ssh-agent holds no key; add one "
			    "with ssh-add or set IRCASE_SIGN_KEY");
		else
			snprintf(notice, size, "cannot reach ssh-agent at %s",
			    sock);
		child_output_free(&o);
		return IRC_OK;
	}
	line = irc_xstrndup(o.out, strcspn(o.out, "\n"));
	child_output_free(&o);
	if (!irc_actor_key_fingerprint(line, key->fingerprint,
	    sizeof key->fingerprint)) {
		free(line);
		snprintf(notice, size, "ssh-agent listed a key that cannot be "
		    "read");
		return IRC_OK;
	}
	key->path = temp_file_write(dir, "agent.pub", line, err);
	free(line);
	return key->path != NULL ? IRC_OK : IRC_ERR_IO;
}

/* Uses the key file at path; ssh-keygen -l prints its fingerprint. */
static enum irc_status
key_from_file(const char *path, struct sign_key *key, struct irc_error *err)
{
	char *argv[] = { "ssh-keygen", "-l", "-E", "sha256", "-f",
	    (char *)path, NULL };
	struct child_output o;
	char msg[256];
	const char *fp;

	child_run(argv, NULL, &o);
	if (o.status != 0 || o.out == NULL ||
	    (fp = strstr(o.out, "SHA256:")) == NULL) {
		child_first_line(&o, msg, sizeof msg);
		child_output_free(&o);
		return irc_fail(err, IRC_ERR_IO, "IRCASE_SIGN_KEY %s is not a "
		    "usable SSH key: %s", path, msg[0] != '\0' ? msg :
		    "ssh-keygen -l failed");
	}
	snprintf(key->fingerprint, sizeof key->fingerprint, "%.*s",
	    (int)strcspn(fp, " \n"), fp);
	child_output_free(&o);
	key->path = irc_xstrdup(path);
	return IRC_OK;
}

/* Signs text with the key; *armor receives the SSHSIG (caller frees). */
static enum irc_status
key_sign(const struct sign_key *key, const char *text, char **armor,
    struct irc_error *err)
{
	char *argv[] = { "ssh-keygen", "-q", "-Y", "sign", "-n",
	    IRC_SIGN_NAMESPACE, "-f", key->path, NULL };
	struct child_output o;
	char msg[256];

	*armor = NULL;
	child_run(argv, text, &o);
	if (o.status != 0 || o.out == NULL ||
	    strncmp(o.out, "-----BEGIN SSH SIGNATURE-----", 29) != 0) {
		child_first_line(&o, msg, sizeof msg);
		child_output_free(&o);
		return irc_fail(err, IRC_ERR_IO, "ssh-keygen -Y sign with %s "
		    "failed: %s", key->fingerprint, msg[0] != '\0' ? msg :
		    "no signature written");
	}
	*armor = o.out;
	o.out = NULL;
	child_output_free(&o);
	return IRC_OK;
}

/* Reads the case's uuid, head, count and the kind of its last action. */
static enum irc_status
sign_case_read(struct irc_db *db, int64_t case_id, char uuid[37],
    struct irc_sign_result *r, bool *last_is_sign, struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	enum irc_status st = IRC_OK;
	const unsigned char *kind;
	int rc;

	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT c.uuid, c.head_hash,"
	    " c.action_count, (SELECT a.kind FROM action a WHERE a.case_id ="
	    " c.id ORDER BY a.seq DESC LIMIT 1) FROM \"case\" c WHERE c.id = ?",
	    -1, &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(db, err, "cannot read the case");
	sqlite3_bind_int64(stmt, 1, case_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		snprintf(uuid, 37, "%s", sqlite3_column_text(stmt, 0));
		snprintf(r->head, sizeof r->head, "%s",
		    sqlite3_column_text(stmt, 1));
		r->actions = sqlite3_column_int64(stmt, 2);
		kind = sqlite3_column_text(stmt, 3);
		*last_is_sign = kind != NULL &&
		    strcmp((const char *)kind, IRC_SIGN_KIND) == 0;
	} else if (rc == SQLITE_DONE) {
		st = irc_fail(err, IRC_ERR_NOT_FOUND, "no case %" PRId64 "; run "
		    "'ircase list' to see case numbers", case_id);
	} else {
		st = irc_db_fail(db, err, "cannot read the case");
	}
	sqlite3_finalize(stmt);
	return st;
}

/* Appends the chain.sign action in its own transaction. */
static enum irc_status
sign_append(struct irc_db *db, int64_t case_id,
    const struct irc_actor *actor, const char *text, const char *armor,
    const struct irc_sign_result *r, struct irc_error *err)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s}", "checkpoint", text,
	    "signature", armor, "signer_fingerprint", r->fingerprint,
	    "principal", r->principal);
	enum irc_status st;

	if (body == NULL)
		return irc_fail(err, IRC_ERR_INVALID, "the signature or principal "
		    "is not valid UTF-8");
	if ((st = irc_db_begin(db, err)) == IRC_OK) {
		st = irc_action_append(db, case_id, 0, actor, IRC_SIGN_KIND, body,
		    NULL, err);
		if (st == IRC_OK)
			st = irc_db_commit(db, err);
		else
			irc_db_rollback(db);
	}
	json_decref(body);
	return st;
}

/* Returns true when the last action of case_id was signed by fingerprint. */
static bool
last_signed_by(struct irc_db *db, int64_t case_id, const char *fingerprint)
{
	sqlite3_stmt *stmt;
	bool same = false;

	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT json_extract(body,"
	    " '$.signer_fingerprint') FROM action WHERE case_id = ?"
	    " ORDER BY seq DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(stmt, 1, case_id);
	if (sqlite3_step(stmt) == SQLITE_ROW &&
	    sqlite3_column_type(stmt, 0) == SQLITE_TEXT)
		same = strcmp((const char *)sqlite3_column_text(stmt, 0),
		    fingerprint) == 0;
	sqlite3_finalize(stmt);
	return same;
}

enum irc_status
irc_case_sign(struct irc_db *db, int64_t case_id,
    const struct irc_actor *actor, enum irc_sign_mode mode,
    struct irc_sign_result *r, struct irc_error *err)
{
	static const char *const temp_names[] = { "agent.pub", NULL };
	const char *key_file = getenv("IRCASE_SIGN_KEY");
	const char *principal = getenv("IRCASE_SIGN_PRINCIPAL");
	struct sign_key key = { NULL, "" };
	char uuid[37], *dir = NULL, *text = NULL, *armor = NULL;
	bool last_is_sign = false;
	enum irc_status st;

	memset(r, 0, sizeof *r);
	if ((st = sign_case_read(db, case_id, uuid, r, &last_is_sign, err)) !=
	    IRC_OK)
		return st;
	if (mode == IRC_SIGN_IF_CHANGED && last_is_sign) {
		r->unchanged = true;
		return IRC_OK;
	}
	snprintf(r->principal, sizeof r->principal, "%s",
	    principal != NULL && *principal != '\0' ? principal : actor->login);

	if (key_file != NULL && *key_file != '\0') {
		st = key_from_file(key_file, &key, err);
	} else {
		if ((dir = temp_dir_make(err)) == NULL)
			return IRC_ERR_IO;
		st = key_from_agent(dir, &key, r->notice, sizeof r->notice, err);
	}
	if (st != IRC_OK || key.path == NULL)
		goto out;
	snprintf(r->fingerprint, sizeof r->fingerprint, "%s", key.fingerprint);
	/*
	 * A second checkpoint of the same head by the same key proves
	 * nothing new; another key's co-signature does, so it is added.
	 */
	if (last_is_sign && last_signed_by(db, case_id, key.fingerprint)) {
		r->unchanged = true;
		goto out;
	}
	text = irc_sign_text(uuid, case_id, r->actions, r->head, irc_now_us());
	if ((st = key_sign(&key, text, &armor, err)) != IRC_OK)
		goto out;
	if ((st = sign_append(db, case_id, actor, text, armor, r, err)) ==
	    IRC_OK)
		r->done = true;
out:
	free(text);
	free(armor);
	free(key.path);
	temp_dir_remove(dir, temp_names);
	return st;
}

/* -- checking ------------------------------------------------------------ */

struct sign_entry {
	struct irc_sign_check check;
	char *text;		/* the checkpoint as signed */
	char *signature;	/* the armored SSHSIG */
	bool head_seen;		/* action `actions` had the signed hash */
};

struct irc_sign_walk {
	char uuid[37];
	int64_t case_number;
	char prev[IRC_HASH_HEX];	/* recomputed hash of the last action */
	struct sign_entry *entries;
	size_t count;
};

struct irc_sign_walk *
irc_sign_walk_new(const char *case_uuid, int64_t case_number)
{
	struct irc_sign_walk *w = irc_xcalloc(1, sizeof *w);

	snprintf(w->uuid, sizeof w->uuid, "%s", case_uuid);
	w->case_number = case_number;
	snprintf(w->prev, sizeof w->prev, "%s", IRC_CHAIN_GENESIS);
	return w;
}

void
irc_sign_walk_free(struct irc_sign_walk *w)
{
	if (w == NULL)
		return;
	for (size_t i = 0; i < w->count; i++) {
		free(w->entries[i].text);
		free(w->entries[i].signature);
	}
	free(w->entries);
	free(w);
}

/* Returns the value of "name: value" in text, or NULL (caller frees). */
static char *
text_field(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = text; p != NULL && *p != '\0';
	    p = strchr(p, '\n') != NULL ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, name, len) == 0 && p[len] == ':' &&
		    p[len + 1] == ' ')
			return irc_xstrndup(p + len + 2, strcspn(p + len + 2,
			    "\n"));
	return NULL;
}

static bool
number_parse(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return false;
	*out = v;
	return true;
}

/* Reads the checkpoint text into e->check; false when it is malformed. */
static bool
entry_parse_text(struct irc_sign_walk *w, struct sign_entry *e)
{
	struct irc_sign_check *c = &e->check;
	char *uuid = text_field(e->text, "case-uuid");
	char *number = text_field(e->text, "case");
	char *actions = text_field(e->text, "actions");
	char *head = text_field(e->text, "head");
	char *when = text_field(e->text, "time");
	int64_t n = -1;
	bool ok = false;

	if (strncmp(e->text, IRC_SIGN_VERSION "\n",
	    strlen(IRC_SIGN_VERSION) + 1) != 0)
		snprintf(c->detail, sizeof c->detail, "not an %s text",
		    IRC_SIGN_VERSION);
	else if (uuid == NULL || strcmp(uuid, w->uuid) != 0)
		snprintf(c->detail, sizeof c->detail, "it names another case "
		    "(uuid %.36s)", uuid != NULL ? uuid : "missing");
	else if (!number_parse(number, &n) || n != w->case_number)
		snprintf(c->detail, sizeof c->detail, "it names case %.20s",
		    number != NULL ? number : "(missing)");
	else if (!number_parse(actions, &c->actions) || head == NULL ||
	    strlen(head) != IRC_HASH_HEX - 1 || when == NULL ||
	    irc_time_parse(when, &c->time_us, NULL, NULL) != IRC_OK)
		snprintf(c->detail, sizeof c->detail, "its actions, head or time "
		    "line is missing or invalid");
	else
		ok = true;
	if (head != NULL)
		snprintf(c->head, sizeof c->head, "%s", head);
	free(uuid);
	free(number);
	free(actions);
	free(head);
	free(when);
	return ok;
}

void
irc_sign_walk_expect(struct irc_sign_walk *w, int64_t seq, const char *body)
{
	json_t *obj = json_loads(body != NULL ? body : "", 0, NULL);
	const char *text = json_string_value(json_object_get(obj, "checkpoint"));
	const char *sig = json_string_value(json_object_get(obj, "signature"));
	const char *principal = json_string_value(json_object_get(obj,
	    "principal"));
	const char *fp = json_string_value(json_object_get(obj,
	    "signer_fingerprint"));
	struct sign_entry *e;

	w->entries = irc_xrealloc(w->entries, w->count + 1, sizeof *w->entries);
	e = &w->entries[w->count++];
	memset(e, 0, sizeof *e);
	e->check.seq = seq;
	e->check.state = IRC_SIGN_MALFORMED;
	snprintf(e->check.principal, sizeof e->check.principal, "%s",
	    principal != NULL ? principal : "?");
	snprintf(e->check.fingerprint, sizeof e->check.fingerprint, "%s",
	    fp != NULL ? fp : "?");
	if (text == NULL || sig == NULL || principal == NULL) {
		snprintf(e->check.detail, sizeof e->check.detail, "the action "
		    "body has no checkpoint, signature or principal");
	} else {
		e->text = irc_xstrdup(text);
		e->signature = irc_xstrdup(sig);
		if (entry_parse_text(w, e))
			e->check.state = IRC_SIGN_UNCHECKED;
	}
	json_decref(obj);
}

void
irc_sign_walk_add(struct irc_sign_walk *w, const struct irc_action *a)
{
	struct irc_action copy = *a;

	/* Chain from the recomputed hash, so rewritten hashes do not help. */
	snprintf(copy.prev_hash, sizeof copy.prev_hash, "%s", w->prev);
	irc_action_hash(&copy, w->uuid, w->prev);
	for (size_t i = 0; i < w->count; i++) {
		struct sign_entry *e = &w->entries[i];

		if (e->check.actions == a->seq && e->check.seq > a->seq &&
		    strcmp(e->check.head, w->prev) == 0)
			e->head_seen = true;
	}
}

/* Runs ssh-keygen -Y verify on one checkpoint. */
static void
entry_verify(struct sign_entry *e, const char *dir,
    const char *allowed_signers)
{
	static int serial;
	char name[32], *path, msg[256];
	struct child_output o;
	struct irc_error err;

	snprintf(name, sizeof name, "sig%d", serial++);
	path = temp_file_write(dir, name, e->signature, &err);
	if (path == NULL) {
		e->check.state = IRC_SIGN_BAD;
		snprintf(e->check.detail, sizeof e->check.detail, "%s", err.msg);
		return;
	}
	{
		char *argv[] = { "ssh-keygen", "-Y", "verify", "-n",
		    IRC_SIGN_NAMESPACE, "-f", (char *)allowed_signers, "-I",
		    e->check.principal, "-s", path, NULL };

		child_run(argv, e->text, &o);
	}
	unlink(path);
	free(path);
	if (o.status == 0) {
		e->check.state = IRC_SIGN_GOOD;
	} else {
		child_first_line(&o, msg, sizeof msg);
		e->check.state = IRC_SIGN_BAD;
		snprintf(e->check.detail, sizeof e->check.detail, "ssh-keygen "
		    "rejects the signature for %s with %s: %s",
		    e->check.principal, allowed_signers, msg[0] != '\0' ? msg :
		    o.status == 127 ? "ssh-keygen is not installed" :
		    "verification failed");
	}
	child_output_free(&o);
}

int64_t
irc_sign_walk_finish(struct irc_sign_walk *w, const char *allowed_signers,
    void (*report)(const struct irc_sign_check *, void *), void *data)
{
	static const char *const none[] = { NULL };
	struct irc_error err;
	char *dir = NULL;
	int64_t bad = 0;

	irc_error_clear(&err);
	if (allowed_signers != NULL && w->count > 0)
		dir = temp_dir_make(&err);
	for (size_t i = 0; i < w->count; i++) {
		struct sign_entry *e = &w->entries[i];

		if (e->check.state == IRC_SIGN_UNCHECKED && !e->head_seen) {
			e->check.state = IRC_SIGN_HEAD_GONE;
			snprintf(e->check.detail, sizeof e->check.detail, "the "
			    "signed head %.12s... is no longer action %" PRId64
			    " of the chain: the actions up to it were changed",
			    e->check.head, e->check.actions);
		}
		if (e->check.state == IRC_SIGN_UNCHECKED &&
		    allowed_signers != NULL) {
			if (dir != NULL)
				entry_verify(e, dir, allowed_signers);
			else
				snprintf(e->check.detail, sizeof e->check.detail,
				    "%s", err.msg);
		}
		if (e->check.state != IRC_SIGN_GOOD &&
		    e->check.state != IRC_SIGN_UNCHECKED)
			bad++;
		report(&e->check, data);
	}
	temp_dir_remove(dir, none);
	return bad;
}

/* Passes every chain.sign action of a case to the walk. */
static enum irc_status
verify_expect(struct irc_db *db, int64_t case_id, struct irc_sign_walk *w,
    struct irc_error *err)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (sqlite3_prepare_v2(irc_db_handle(db), "SELECT seq, body FROM action"
	    " WHERE case_id = ? AND kind = '" IRC_SIGN_KIND "' ORDER BY seq", -1,
	    &stmt, NULL) != SQLITE_OK)
		return irc_db_fail(db, err, "cannot read the checkpoints");
	sqlite3_bind_int64(stmt, 1, case_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		irc_sign_walk_expect(w, sqlite3_column_int64(stmt, 0),
		    (const char *)sqlite3_column_text(stmt, 1));
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE)
		return irc_db_fail(db, err, "cannot read the checkpoints");
	return IRC_OK;
}

enum irc_status
irc_sign_verify(struct irc_db *db, int64_t case_id,
    const char *allowed_signers,
    void (*report)(const struct irc_sign_check *, void *), void *data,
    int64_t *total, int64_t *bad, struct irc_error *err)
{
	struct irc_sign_result head;
	struct irc_sign_walk *w = NULL;
	struct irc_action_iter *it = NULL;
	const struct irc_action *a;
	char uuid[37];
	bool last_is_sign;
	enum irc_status st;

	*total = 0;
	*bad = 0;
	memset(&head, 0, sizeof head);
	if ((st = sign_case_read(db, case_id, uuid, &head, &last_is_sign, err)) !=
	    IRC_OK)
		return st;
	w = irc_sign_walk_new(uuid, case_id);
	if ((st = verify_expect(db, case_id, w, err)) != IRC_OK || w->count == 0)
		goto out;
	if ((st = irc_action_iter_open(db, case_id, &it, err)) != IRC_OK)
		goto out;
	while ((st = irc_action_iter_next(it, &a, err)) == IRC_OK && a != NULL)
		irc_sign_walk_add(w, a);
	irc_action_iter_close(it);
	if (st != IRC_OK)
		goto out;
	*total = (int64_t)w->count;
	*bad = irc_sign_walk_finish(w, allowed_signers, report, data);
out:
	irc_sign_walk_free(w);
	return st;
}
