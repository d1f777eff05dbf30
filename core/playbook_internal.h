/*
 * playbook_internal.h: what the playbook loader's source files share.
 *
 * playbook.c reads and checks the bytes, playbook_meta.c parses the YAML
 * front matter, playbook_map.c turns the Markdown tree into phases, steps
 * and reference panes, and playbook_find.c lists the files on the search
 * path.  Nothing outside those files includes this header.
 */
#ifndef IRC_PLAYBOOK_INTERNAL_H
#define IRC_PLAYBOOK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "playbook.h"
#include "status.h"

/* Appends "LINE: message" to pb->warnings. */
void irc_pb_warn(struct irc_playbook *pb, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Parses the YAML front matter in yaml (len bytes, not NUL-terminated),
 * whose first line is line first_line of the file, into pb's id, title,
 * version, severity and tags.  Unknown keys are ignored.  Errors are
 * IRC_ERR_PLAYBOOK with "name:LINE: ..." in err.
 */
enum irc_status irc_pb_meta_parse(struct irc_playbook *pb, const char *name,
    const char *yaml, size_t len, int first_line, struct irc_error *err);

/*
 * Parses md (len bytes of UTF-8 with LF line ends) as CommonMark with the
 * GFM extensions and fills pb's phases, refs, warnings and, when pb->title
 * is still NULL, its title.  A document nested deeper than max_depth
 * blocks is IRC_ERR_TOO_LARGE.
 */
enum irc_status irc_pb_map(struct irc_playbook *pb, const char *name,
    const char *md, size_t len, int max_depth, struct irc_error *err);

/*
 * Returns the phase that a heading's text names ("Part 2 - Contain" is
 * Respond), or -1 when it names none.
 */
int irc_pb_phase_of_heading(const char *text);

/* Returns true when a heading's text names a reference section. */
bool irc_pb_is_ref_heading(const char *text);

#endif
