/*
 * playbook_internal.h: what the playbook loader's source files share.
 *
 * playbook.c reads and checks the bytes, playbook_meta.c parses the YAML
 * front matter, playbook_map.c turns the Markdown tree into phases, steps
 * and reference panes, playbook_text.c holds the text helpers they share,
 * playbook_links.c builds anchors and finds summary lists, playbook_html.c
 * reads phases from the columns of an HTML table, and playbook_find.c
 * lists the files on the search path.  Nothing outside those files
 * includes this header.
 */
#ifndef IRC_PLAYBOOK_INTERNAL_H
#define IRC_PLAYBOOK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "playbook.h"
#include "status.h"

/* A growing NUL-terminated string. */
struct pb_buf {
	char *data;
	size_t len;
	size_t cap;
};

void pb_buf_add(struct pb_buf *b, const char *s, size_t n);

/* Returns the string built in b, or "" when nothing was added. */
char *pb_buf_finish(struct pb_buf *b);

/*
 * Appends the plain text of node and what is under it to b, and adds the
 * number of nodes visited to *work.
 */
void pb_plain_text(cmark_node *node, struct pb_buf *b, size_t *work);

/* Trims Unicode spaces from both ends of s[0, *len). */
const char *pb_trim(const char *s, size_t *len);

/*
 * Returns a one-line copy of s[0, len): trimmed, control characters as
 * spaces, and cut to IRC_PB_TITLE_MAX bytes on a character boundary.
 */
char *pb_one_line(const char *s, size_t len);

/* Returns the plain text of node on one line; the caller frees it. */
char *pb_node_text(cmark_node *node, size_t *work);

/* Returns true when s holds nothing but Unicode spaces. */
bool pb_blank(const char *s);

/*
 * Makes room in *array for element n (n elements in use, each size
 * bytes): the capacity doubles whenever n reaches a power of two, so
 * appending n elements costs O(n) in all.
 */
void pb_grow(void *array, size_t n, size_t size);

#define IRC_PB_TITLE_MAX 200	/* bytes kept of a step title */

/* Appends "LINE: message" to pb->warnings. */
void irc_pb_warn(struct irc_playbook *pb, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Parses the YAML front matter in yaml (len bytes, not NUL-terminated),
 * whose first line is line first_line of the file, into pb's id, title,
 * version, severity, tlp, tags, iso_controls and phase map.  Unknown keys
 * are ignored.  Errors are IRC_ERR_PLAYBOOK with "name:LINE: ..." in err.
 */
enum irc_status irc_pb_meta_parse(struct irc_playbook *pb, const char *name,
    const char *yaml, size_t len, int first_line, struct irc_error *err);

/*
 * Parses md (len bytes of UTF-8 with LF line ends) as CommonMark with the
 * GFM extensions and fills pb's phases, refs, headings, anchors, links,
 * warnings and, when pb->title is still NULL, its title.  part is the
 * 1-based playbook to load from a file holding several (0 for the first).
 * A document nested deeper than max_depth blocks is IRC_ERR_TOO_LARGE.
 */
enum irc_status irc_pb_map(struct irc_playbook *pb, const char *name,
    const char *md, size_t len, int max_depth, int part,
    struct irc_error *err);

/*
 * Returns the phases that a heading's text names as a bit set (bit
 * 1u << phase), and sets *first to the one named first, or to -1 when it
 * names none.  "Part 2 - Contain" is Respond; "Detection and Reporting"
 * is Assess and Report.
 */
unsigned irc_pb_phases_of_heading(const char *text, int *first);

/* Returns irc_pb_phases_of_heading()'s first phase, or -1. */
int irc_pb_phase_of_heading(const char *text);

/* Returns true when a heading's text names a reference section. */
bool irc_pb_is_ref_heading(const char *text);

/*
 * Returns true when a heading that names Respond names one of its
 * sub-phases (containment, eradication, recovery, remediation), so its
 * text is kept as the step group.
 */
bool irc_pb_is_respond_subphase(const char *text);

/* The anchor slugs given out so far: a hash set, for linear time. */
struct pb_slug {
	char *slug;		/* NULL in an empty slot */
	int next;		/* next suffix to try for a repeat of slug */
	size_t anchor;		/* index in pb->anchors */
};

struct pb_slugset {
	struct pb_slug *slots;
	size_t cap;		/* a power of two, or 0 */
	size_t count;
};

void pb_slugset_free(struct pb_slugset *set);

/*
 * Appends an anchor for text to pb->anchors.  A slug already in set gets
 * "-1", "-2"... as GitHub does.  Returns the new anchor, which moves when
 * the next one is added.
 */
struct irc_pb_anchor *pb_anchor_add(struct irc_playbook *pb,
    struct pb_slugset *set, const char *text, enum irc_pb_target kind,
    enum irc_phase phase, size_t index, int line);

/*
 * Records every "#anchor" link under doc in pb->links.  Call
 * pb_links_resolve() once the anchors are all in.
 */
void pb_links_collect(struct irc_playbook *pb, cmark_node *doc);

/* Points each link at its anchor and warns about the ones that name none. */
void pb_links_resolve(struct irc_playbook *pb, struct pb_slugset *set);

#define PB_WORDS_MAX 16
#define PB_WORD_LEN 24

/* The words of a heading or item that tie a summary item to a heading. */
struct pb_words {
	char w[PB_WORDS_MAX][PB_WORD_LEN];
	size_t n;
};

/*
 * Splits text into lower-case ASCII words of three letters or more,
 * leaving out common words such as "the" and "with".
 */
void pb_words_of(const char *text, struct pb_words *out);

/*
 * Returns true when list is a summary or table of contents: three or
 * more items, at least 60% of them linking to an anchor or sharing the
 * words of a heading in later[0, nlater).
 */
bool pb_list_is_summary(cmark_node *list, const struct pb_words *const *later,
    size_t nlater, size_t *work);

/*
 * Reads phase columns from an HTML table in block (an HTML block whose
 * first line is line): when two or more <th> cells name phases, each
 * line of text in a column's <td> cells becomes a step of that phase.
 * Returns the number of phase columns found.
 */
size_t pb_html_table_map(struct irc_playbook *pb, const char *html,
    int line);

/*
 * Appends an empty step to phase and returns it; parent is an index in
 * the phase or -1.
 */
struct irc_pb_step *pb_step_new(struct irc_playbook *pb, enum irc_phase phase,
    int parent, int line);

/* Records a heading taken as a phase. */
void pb_heading_add(struct irc_playbook *pb, const char *text, int line,
    enum irc_phase phase, unsigned phases);

#endif
