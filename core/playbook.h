/*
 * playbook.h: loading a Markdown incident-response playbook.
 *
 * A playbook is a CommonMark/GFM file with optional YAML front matter.  The
 * loader parses it with cmark-gfm (task-list and table extensions), maps
 * its headings onto the six phases of model.h and turns list items into
 * steps.  Sections that are not phases (Overview, References, ...) become
 * reference panes.  The raw bytes and their SHA-256 are kept so a case can
 * store the exact text it was opened from.
 */
#ifndef IRC_PLAYBOOK_H
#define IRC_PLAYBOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "status.h"

/* Default maximum size of a playbook file in bytes (4 MiB). */
#define IRC_PLAYBOOK_MAX_SIZE (4u * 1024 * 1024)
/* Default maximum nesting depth of blocks (lists, quotes) in a playbook. */
#define IRC_PLAYBOOK_MAX_DEPTH 256

struct irc_pb_limits {
	size_t max_size;	/* bytes; 0 means IRC_PLAYBOOK_MAX_SIZE */
	int max_depth;		/* 0 means IRC_PLAYBOOK_MAX_DEPTH */
};

struct irc_pb_step {
	char *title;		/* one line, plain text, never empty */
	char *body;		/* Markdown of the nested content, may be "" */
	char *group;		/* heading the step sits under, or NULL */
	int line;		/* 1-based source line of the list item */
	bool checked;		/* a GFM task item written as [x] */
	bool stub;		/* the text is only a TODO placeholder */
};

struct irc_pb_phase {
	enum irc_phase phase;
	struct irc_pb_step *steps;
	size_t nsteps;
};

/* A section that is not a phase: Overview, References, Appendix, ... */
struct irc_pb_ref {
	char *title;
	char *body;		/* Markdown */
	int line;
};

struct irc_playbook {
	char *path;		/* as given to irc_playbook_load, or the name */
	char *title;		/* front matter title, first heading or file name */
	char *id;		/* front matter id, or NULL */
	char *version;		/* front matter version, or NULL */
	int severity;		/* front matter severity 1-4, or 0 when unset */
	char **tags;		/* front matter tags, ntags of them */
	size_t ntags;
	char *text;		/* the file's bytes, NUL-terminated */
	size_t text_len;
	char sha256[65];	/* lower-case hex SHA-256 of text */
	struct irc_pb_phase phases[IRC_PHASE_COUNT];	/* indexed by enum irc_phase */
	struct irc_pb_ref *refs;
	size_t nrefs;
	char **warnings;	/* "LINE: message" strings for lint, may be empty */
	size_t nwarnings;
};

/*
 * Reads and parses the playbook at path.  limits may be NULL for the
 * defaults.  On success *out is a playbook that the caller frees with
 * irc_playbook_free().  Errors name the file: a missing file or a
 * directory is IRC_ERR_IO or IRC_ERR_NOT_FOUND, a file over the size or
 * depth limit IRC_ERR_TOO_LARGE, a binary file or invalid UTF-8
 * IRC_ERR_PLAYBOOK with the line of the first bad byte.
 */
enum irc_status irc_playbook_load(const char *path,
    const struct irc_pb_limits *limits, struct irc_playbook **out,
    struct irc_error *err);

/*
 * Parses a playbook from memory; name is used in messages and as the
 * fallback title.  The bytes are copied.  Same results as
 * irc_playbook_load().
 */
enum irc_status irc_playbook_parse(const char *name, const char *text,
    size_t len, const struct irc_pb_limits *limits,
    struct irc_playbook **out, struct irc_error *err);

/* Returns the number of steps over all phases. */
size_t irc_playbook_step_count(const struct irc_playbook *pb);

void irc_playbook_free(struct irc_playbook *pb);

/*
 * Lists the playbook files (*.md) found in the search path, in this order:
 * each folder of $IRCASE_PLAYBOOK_PATH (colon-separated), ./playbooks,
 * $XDG_DATA_HOME/ircase/playbooks (or ~/.local/share/ircase/playbooks) and
 * the installed share folder.  Files in each folder are sorted by name.
 * *out is a NULL-terminated array of paths; free it with
 * irc_playbook_paths_free().  Folders that do not exist are skipped.
 */
enum irc_status irc_playbook_find(char ***out, size_t *count,
    struct irc_error *err);
void irc_playbook_paths_free(char **paths);

/*
 * Returns the folders of the search path in the order irc_playbook_find()
 * reads them, whether they exist or not, as a NULL-terminated array to
 * free with irc_playbook_paths_free().
 */
char **irc_playbook_dirs(void);

#endif
