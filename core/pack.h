/*
 * pack.h: the audit pack, a folder that an auditor can check with
 * standard tools.
 *
 * Layout:
 *	README.md		what is in the pack and how to check it
 *	SHA256SUMS		sha256sum(1) manifest of every other file
 *	control-map.md		each record kind against ISO/IEC 27001:2013
 *				A.16.1.1-A.16.1.7 and 27001:2022 5.24-5.28, 6.8
 *	register.csv, register.md	the incident register of the period
 *	cases/N/case.json	the JSON export of case N, with its chain
 *	cases/N/report.md	the Markdown report of case N
 *	cases/N/evidence.csv	the evidence manifest of case N
 *	playbooks/SHA256.md	each playbook snapshot used, byte for byte
 */
#ifndef IRC_PACK_H
#define IRC_PACK_H

#include <stdint.h>

#include "db.h"
#include "register.h"
#include "status.h"

/*
 * Writes the pack for the cases of query into dir, which must not exist
 * or be empty.  The pack is built in a new folder beside dir and renamed
 * to dir once complete.  On failure that folder is removed and dir is
 * left as it was, and err names the file that could not be written.  *cases
 * is the number of cases packed.  A case whose chain does not verify is
 * packed anyway (its export records the failure) and counted in *broken.
 */
enum irc_status irc_pack_build(struct irc_db *db,
    const struct irc_register_query *query, const char *dir,
    int64_t *cases, int64_t *broken, struct irc_error *err);

/*
 * Checks a pack: every file against SHA256SUMS (changed, missing, or not
 * listed), then the chain of every cases/N/case.json recomputed from its
 * exported fields, the records it exports against the actions in it
 * (crosscheck.h), one finding per differing field, and its signed
 * checkpoints (sign.h) against the
 * allowed_signers file (NULL: only that each signed head is in the
 * chain).  Calls problem once per finding with a line naming the file,
 * and the action where one is at fault, and note (may be NULL) once per
 * checkpoint that holds.  Returns IRC_OK when the check ran; *problems
 * counts the findings.
 */
enum irc_status irc_pack_verify(const char *dir, const char *allowed_signers,
    void (*problem)(const char *line, void *data),
    void (*note)(const char *line, void *data), void *data,
    int64_t *files, int64_t *problems, struct irc_error *err);

#endif
