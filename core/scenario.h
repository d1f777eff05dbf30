/*
 * scenario.h: drill scenario files.
 *
 * A scenario is a Markdown file with YAML front matter:
 *
 *	---
 *	title: Phishing with a second wave
 *	playbook: phishing.md
 *	targets:
 *	  report: 15m
 *	  respond: 2h
 *	  "Block the sender": 10m
 *	---
 *	## Injects
 *	- T+0m: The service desk forwards a suspicious mail.
 *	  - observable: domain login-example.invalid
 *	  - severity: 3
 *	  - expect: Block the sender
 *
 * The front matter keys are title (required), playbook (a path, read
 * relative to the scenario's folder first, then on the playbook search
 * path) and targets: a mapping from a phase key (prepare, report, assess,
 * respond, learn, evidence) or a step title or number to a duration.
 * Each list item whose text starts with an offset "T+..." is an inject;
 * its nested items "observable: TYPE VALUE", "severity: 1-4 or a name" and
 * "expect: STEP" add to it.  Durations are written as whole numbers with
 * the units d, h, m and s in that order ("1h30m", "90s").
 */
#ifndef IRC_SCENARIO_H
#define IRC_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "status.h"

/* Maximum size of a scenario file in bytes. */
#define IRC_SCENARIO_MAX_SIZE (1024u * 1024)
/* Maximum number of injects in one scenario. */
#define IRC_SCENARIO_MAX_INJECTS 1000
/* Latest offset or longest target accepted: 30 days, in microseconds. */
#define IRC_SCENARIO_MAX_US (30LL * 86400 * 1000000)

struct irc_inject {
	int64_t offset_us;	/* drill time after T+0 */
	char *offset_text;	/* as written: "T+1h30m" */
	char *text;		/* the message, one line, never empty */
	char *obs_type;		/* observable type key, or NULL */
	char *obs_value;	/* observable value, or NULL */
	int severity;		/* 1-4, or 0 when the inject sets none */
	char *expect;		/* step title or number expected, or NULL */
	int line;		/* 1-based line of the list item */
};

struct irc_target {
	char *name;		/* phase key, step title or step number */
	bool is_phase;
	enum irc_phase phase;	/* when is_phase */
	int64_t us;		/* target duration */
	int line;
};

struct irc_scenario_diag {
	int line;		/* 1-based; 1 for the file as a whole */
	bool error;		/* false for a warning */
	char *message;
};

struct irc_scenario {
	char *name;		/* as given to the parser */
	char *title;		/* front matter title, or NULL when missing */
	char *playbook;		/* front matter playbook, or NULL */
	int playbook_line;
	struct irc_target *targets;
	size_t ntargets;
	struct irc_inject *injects;	/* sorted by offset, file order kept
					   for equal offsets */
	size_t ninjects;
	struct irc_scenario_diag *diags;	/* sorted by line */
	size_t ndiags;
	size_t nerrors;		/* diags with error set */
	char *text;		/* the file's bytes, NUL-terminated */
	size_t text_len;
	char sha256[65];
};

/*
 * Parses a scenario from memory; name is used in messages.  Problems in
 * the content (a bad offset, a missing title, an unknown key) do not fail
 * the call: they are kept in sc->diags with their lines, and a scenario
 * with nerrors > 0 must not be run.  The call fails only for input that is
 * not a text file: over IRC_SCENARIO_MAX_SIZE (IRC_ERR_TOO_LARGE), a NUL
 * byte or invalid UTF-8 (IRC_ERR_INVALID, with the line).  The caller
 * frees *out with irc_scenario_free().
 */
enum irc_status irc_scenario_parse(const char *name, const char *text,
    size_t len, struct irc_scenario **out, struct irc_error *err);

/* Reads the file at path and parses it as irc_scenario_parse() does. */
enum irc_status irc_scenario_load(const char *path,
    struct irc_scenario **out, struct irc_error *err);

void irc_scenario_free(struct irc_scenario *sc);

/*
 * Returns the first error of a parsed scenario as "NAME:LINE: message" in
 * err (IRC_ERR_INVALID), or IRC_OK when it has none.
 */
enum irc_status irc_scenario_check(const struct irc_scenario *sc,
    struct irc_error *err);

/*
 * Parses a duration such as "1h30m", "90s" or "2d" (units d, h, m, s in
 * that order, each a whole number; "0" alone is zero) into *us.  Returns
 * false for anything else or for more than IRC_SCENARIO_MAX_US.
 */
bool irc_scenario_duration_parse(const char *text, int64_t *us);

/* Writes us as "T+1h30m" style text (without "T+" when plain) to buf. */
char *irc_scenario_offset_format(int64_t us, bool plain, char *buf,
    size_t size);

struct irc_playbook;

/*
 * Adds diagnostics for the targets and expected steps that name no step of
 * pb (by title, case-insensitively, or by number).
 */
void irc_scenario_check_playbook(struct irc_scenario *sc,
    const struct irc_playbook *pb);

/*
 * Resolves the scenario's playbook to a file path (caller frees): as
 * written when absolute, else beside the scenario file (dir, may be NULL),
 * else the first playbook on the search path with that file name.
 * Returns NULL when the scenario names none or none exists.
 */
char *irc_scenario_playbook_path(const struct irc_scenario *sc,
    const char *dir);

/*
 * Returns where irc_scenario_playbook_path() looked for the scenario's
 * playbook, for an error message (caller frees): "tried DIR/P and P, and
 * searched FOLDER, FOLDER, ... for NAME".
 */
char *irc_scenario_playbook_tried(const struct irc_scenario *sc,
    const char *dir);


/*
 * Lists the *.md files of the "scenarios" folder in each folder of the
 * playbook search path (playbook.h), in search-path order and by name
 * within a folder.  *out is a NULL-terminated array of *count paths; free
 * it with irc_playbook_paths_free().  Folders that do not exist are
 * skipped, and one that cannot be read is IRC_ERR_IO.
 */
enum irc_status irc_scenario_find(char ***out, size_t *count,
    struct irc_error *err);

#endif
