/*
 * evidence.h: evidence items on a case and their chain of custody.
 *
 * An item records a file's name, where it was found on disk, its size and
 * SHA-256, a description, where the item is kept and who holds it.  Adding
 * an item is an "evidence.add" action and every custody transfer an
 * "evidence.transfer" action, each written in the same transaction as the
 * row it changes.  Transfers live only in the action log: the list reads
 * them from there.
 */
#ifndef IRC_EVIDENCE_H
#define IRC_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "action.h"
#include "actor.h"
#include "db.h"
#include "status.h"

/* Bytes read per call while hashing: memory stays this flat for any size. */
#define IRC_EVIDENCE_CHUNK (64 * 1024)

/* Maximum bytes of a description, location, purpose, person or seal id. */
#define IRC_EVIDENCE_TEXT_MAX 4096

/*
 * Computes the SHA-256 of the file at path, reading it in chunks of
 * IRC_EVIDENCE_CHUNK bytes into one fixed buffer, and stores the lower-case
 * hex digest in hex and the bytes read in *size.  Only regular files are
 * read: a folder or a device is IRC_ERR_INVALID, a file that cannot be
 * opened or read IRC_ERR_IO or IRC_ERR_NOT_FOUND, each naming the path.
 */
enum irc_status irc_sha256_file(const char *path, char hex[IRC_HASH_HEX],
    uint64_t *size, struct irc_error *err);

/* One custody transfer, as read back from its action. */
struct irc_custody {
	int64_t at;		/* when it happened, UTC microseconds */
	int64_t recorded_at;	/* time of the action */
	char *from;
	char *to;
	char *purpose;
	char *seal;		/* "" when no seal id was given */
	char *actor;		/* who recorded it */
};

struct irc_evidence {
	int64_t number;		/* 1, 2, ... within the case */
	char *name;		/* the file's base name */
	char *path;		/* absolute path when it was added */
	uint64_t size;
	char sha256[IRC_HASH_HEX];
	char *description;	/* "" when none */
	char *location;		/* where the item is kept, "" when unsaid */
	char *holder;		/* current custodian */
	char *added_by;
	int64_t added_at;
	struct irc_custody *custody;	/* transfers in the order recorded */
	size_t ncustody;
};

/*
 * Hashes the file at path (before taking the write lock, so a large file
 * does not block other responders) and records it on case case_id as the
 * next evidence number, held by the actor.  description and location may
 * be NULL.  On success *number (when not NULL) is the new item's number.
 */
enum irc_status irc_evidence_add(struct irc_db *db, int64_t case_id,
    const char *path, const char *description, const char *location,
    const struct irc_actor *actor, int64_t *number, struct irc_error *err);

struct irc_transfer {
	const char *from;	/* must be the item's current holder */
	const char *to;
	const char *purpose;
	const char *seal;	/* NULL or "" when the item is not sealed */
	int64_t at;		/* UTC microseconds, 0 for now */
};

/*
 * Records a custody transfer of item number on case case_id and makes
 * t->to its holder.  A from that is not the current holder, a transfer to
 * the current holder, or a time in the future is IRC_ERR_INVALID.
 */
enum irc_status irc_evidence_transfer(struct irc_db *db, int64_t case_id,
    int64_t number, const struct irc_transfer *t,
    const struct irc_actor *actor, struct irc_error *err);

/*
 * Loads the evidence items of a case, by number, each with its custody
 * transfers.  The caller frees *out with irc_evidence_free().
 */
enum irc_status irc_evidence_list(struct irc_db *db, int64_t case_id,
    struct irc_evidence **out, size_t *count, struct irc_error *err);
void irc_evidence_free(struct irc_evidence *list, size_t count);

/*
 * Builds the JSON array of irc_evidence_list(), as documented in ircase(1)
 * under JSON OUTPUT.  The caller owns the reference.
 */
json_t *irc_evidence_to_json(const struct irc_evidence *list, size_t count);

enum irc_evidence_result {
	IRC_EVIDENCE_MATCH,
	IRC_EVIDENCE_MISMATCH,		/* size or SHA-256 differ */
	IRC_EVIDENCE_UNREACHABLE,	/* the file cannot be read */
};

struct irc_evidence_check {
	int64_t number;
	enum irc_evidence_result result;
	uint64_t size;			/* now, when reachable */
	char sha256[IRC_HASH_HEX];	/* now, when reachable */
	char reason[IRC_ERROR_MAX];	/* why it is unreachable */
};

/*
 * Hashes again every evidence file of a case that is still at its path.
 * Returns IRC_OK when the check ran; each item's result is in *out
 * (*count entries in the order of irc_evidence_list(), freed with free()).
 * It reads only and records nothing.
 */
enum irc_status irc_evidence_check(struct irc_db *db, int64_t case_id,
    struct irc_evidence_check **out, size_t *count, struct irc_error *err);

#endif
