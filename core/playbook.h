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

#include <jansson.h>

#include "model.h"
#include "status.h"

/* Default maximum size of a playbook file in bytes (4 MiB). */
#define IRC_PLAYBOOK_MAX_SIZE (4u * 1024 * 1024)
/* Default maximum nesting depth of blocks (lists, quotes) in a playbook. */
#define IRC_PLAYBOOK_MAX_DEPTH 256

struct irc_pb_limits {
	size_t max_size;	/* bytes; 0 means IRC_PLAYBOOK_MAX_SIZE */
	int max_depth;		/* 0 means IRC_PLAYBOOK_MAX_DEPTH */
	int part;		/* 1-based playbook of a file holding several;
				   0 means the first */
};

struct irc_pb_step {
	char *title;		/* one line, plain text, never empty */
	char *body;		/* Markdown of the nested content, may be "" */
	char *group;		/* heading the step sits under, or NULL */
	char *guidance;		/* Markdown of the prose before the step, or "" */
	char *anchor;		/* slug of the title, unique in the playbook */
	int line;		/* 1-based source line of the list item */
	int parent;		/* index in the phase of the step this one is
				   a sub-step of, or -1 */
	int depth;		/* 0 for a step, parent's depth + 1 below it */
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
	char *anchor;		/* GitHub slug of the heading, or "" */
	int line;
};

/* A heading, bold line or table column that the loader took as a phase. */
struct irc_pb_heading {
	char *text;		/* plain text */
	int line;
	enum irc_phase phase;	/* where its steps go */
	unsigned phases;	/* every phase it names, bit (1u << phase) */
};

enum irc_pb_target {
	IRC_PB_TARGET_NONE,	/* a heading outside the part loaded, or the title */
	IRC_PB_TARGET_PHASE,	/* phase is the target */
	IRC_PB_TARGET_STEP,	/* steps[index] of phase */
	IRC_PB_TARGET_REF,	/* refs[index] */
};

/* A link target: "#slug" names a phase heading, a step or a reference. */
struct irc_pb_anchor {
	char *slug;		/* lower case, without the '#' */
	enum irc_pb_target kind;
	enum irc_phase phase;
	size_t index;
	int line;		/* line of the heading or step it names */
};

/* An "#anchor" link found in the playbook's text. */
struct irc_pb_link {
	char *slug;		/* without the '#' */
	int line;
	const struct irc_pb_anchor *target;	/* NULL when it names nothing */
};

struct irc_playbook {
	char *path;		/* as given to irc_playbook_load, or the name */
	char *title;		/* front matter title, first heading or file name */
	char *id;		/* front matter id, or NULL */
	char *version;		/* front matter version, or NULL */
	char *tlp;		/* front matter tlp ("TLP:AMBER"...), or NULL */
	int severity;		/* front matter severity 1-4, or 0 when unset */
	char **tags;		/* front matter tags, ntags of them */
	size_t ntags;
	char **iso_controls;	/* front matter iso_controls, niso of them */
	size_t niso;
	char **map_text;	/* front matter phases: heading text ... */
	int *map_phase;		/* ... and its phase, or -1 for a
				   reference pane */
	size_t nmap;
	char **parts;		/* titles of the playbooks in one file */
	size_t nparts;		/* 0 or 1 when the file holds one */
	int part;		/* 1-based part that was loaded */
	char *text;		/* the file's bytes, NUL-terminated */
	size_t text_len;
	char sha256[65];	/* lower-case hex SHA-256 of text */
	struct irc_pb_phase phases[IRC_PHASE_COUNT];	/* indexed by enum irc_phase */
	struct irc_pb_ref *refs;
	size_t nrefs;
	struct irc_pb_heading *headings;	/* in file order */
	size_t nheadings;
	struct irc_pb_anchor *anchors;
	size_t nanchors;
	struct irc_pb_link *links;
	size_t nlinks;
	char **warnings;	/* "LINE: message" strings for lint, may be empty */
	size_t nwarnings;
	size_t work;		/* nodes visited while mapping, for the
				   linear-time test */
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

/*
 * Returns the target of "#slug" or "slug" (compared without case), or
 * NULL when nothing in pb has that anchor.
 */
const struct irc_pb_anchor *irc_playbook_anchor_find(
    const struct irc_playbook *pb, const char *slug);

/*
 * Writes the GitHub anchor slug of heading text to out (size bytes): lower
 * case, spaces as '-', punctuation other than '-' and '_' dropped.  Bytes
 * of multi-byte characters are kept.
 */
void irc_playbook_slug(const char *text, char *out, size_t size);

/* One finding of irc_playbook_lint(). */
struct irc_pb_diag {
	int line;		/* 1-based; 1 for the file as a whole */
	bool error;		/* false for a warning */
	char *message;
};

/*
 * Lints a loaded playbook: the loader's warnings (placeholders, phase
 * headings without steps, links that name nothing, summary lists) and
 * checks of its own (no steps at all, an empty phase, an unknown TLP
 * label).  *out is sorted by line; free it with irc_playbook_diags_free().
 */
void irc_playbook_lint(const struct irc_playbook *pb,
    struct irc_pb_diag **out, size_t *count);
void irc_playbook_diags_free(struct irc_pb_diag *diags, size_t count);

/*
 * Writes a Markdown playbook for a TheHive case template (the JSON text
 * in json[0, len), name used in messages) to *out, which the caller
 * frees.  Each task becomes a task-list step under the heading of the
 * phase its title names (else the phase of the task before it, else
 * Respond) and a "###" heading for its group; the description is the
 * step's body.  Errors: IRC_ERR_INVALID naming the file and the field.
 */
enum irc_status irc_playbook_from_thehive(const char *name, const char *json,
    size_t len, char **out, struct irc_error *err);

/*
 * Returns a new TheHive case template (the caller owns the reference):
 * name, description (the preamble's prose), severity, tlp, pap, tags and
 * one task per top-level step, its group the step's group or else its
 * phase's name, its description the step's guidance, body and sub-steps.
 */
json_t *irc_playbook_to_thehive(const struct irc_playbook *pb);

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
