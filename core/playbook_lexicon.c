/*
 * playbook_lexicon.c: the words that make a heading a phase or a
 * reference section.
 *
 * A heading is split into lower-case ASCII words; digits, punctuation,
 * emoji and bold markers are separators, so "### **Part 2** - Contain",
 * "3.1 Containment" and "(C) Containment" all read as containment.  A
 * heading may name several phases ("Detection and Reporting"); its steps
 * go to the first one named.  The names come from
 * NIST SP 800-61 (rev. 2 and 3), SANS PICERL, the Counteractive playbooks
 * and ISO/IEC 27035.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "model.h"
#include "playbook_internal.h"

#define WORD_MAX 32
#define WORDS_MAX 24

struct stem {
	const char *prefix;
	enum irc_phase phase;
};

static const struct stem phase_stems[] = {
	{ "prepar", IRC_PHASE_PREPARE },
	{ "readiness", IRC_PHASE_PREPARE },
	{ "report", IRC_PHASE_REPORT },
	{ "intake", IRC_PHASE_REPORT },
	{ "identif", IRC_PHASE_ASSESS },
	{ "detect", IRC_PHASE_ASSESS },
	{ "analy", IRC_PHASE_ASSESS },
	{ "triage", IRC_PHASE_ASSESS },
	{ "assess", IRC_PHASE_ASSESS },
	{ "investigat", IRC_PHASE_ASSESS },
	{ "scope", IRC_PHASE_ASSESS },
	{ "scoping", IRC_PHASE_ASSESS },
	{ "decision", IRC_PHASE_ASSESS },
	{ "contain", IRC_PHASE_RESPOND },
	{ "eradicat", IRC_PHASE_RESPOND },
	{ "remediat", IRC_PHASE_RESPOND },
	{ "mitigat", IRC_PHASE_RESPOND },
	{ "recover", IRC_PHASE_RESPOND },
	{ "restor", IRC_PHASE_RESPOND },
	{ "resolution", IRC_PHASE_RESPOND },
	{ "responses", IRC_PHASE_RESPOND },
	{ "communicat", IRC_PHASE_RESPOND },
	{ "notif", IRC_PHASE_RESPOND },
	{ "lesson", IRC_PHASE_LEARN },
	{ "learn", IRC_PHASE_LEARN },
	{ "review", IRC_PHASE_LEARN },
	{ "retrospective", IRC_PHASE_LEARN },
	{ "postmortem", IRC_PHASE_LEARN },
	{ "followup", IRC_PHASE_LEARN },
	{ "evidence", IRC_PHASE_EVIDENCE },
	{ "forensic", IRC_PHASE_EVIDENCE },
	{ "preserv", IRC_PHASE_EVIDENCE },
	{ "custody", IRC_PHASE_EVIDENCE },
};

/* Two-word names: "post incident", "follow up", "initial response". */
struct pair {
	const char *first;
	const char *second;	/* a prefix of the second word */
	enum irc_phase phase;
};

static const struct pair phase_pairs[] = {
	{ "post", "incident", IRC_PHASE_LEARN },
	{ "post", "mortem", IRC_PHASE_LEARN },
	{ "follow", "up", IRC_PHASE_LEARN },
	{ "initial", "respons", IRC_PHASE_REPORT },
};

/* Prefixes of words that mark a section as reference material. */
static const char *ref_stems[] = {
	"overview", "summary", "introduction", "intro", "referenc", "resourc",
	"appendi", "revision", "histor", "changelog", "mitre", "tool",
	"contents", "glossar", "licen", "about", "background", "purpose",
	"definition", "reading", "links", "related", "metadata", "usage",
	"faq", "additional", "information", "see", "further", "sources",
	"attribution", "credits",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct words {
	char word[WORDS_MAX][WORD_MAX];
	size_t n;
};

/* Splits text into lower-case ASCII words; longer words are cut. */
static void
words_split(const char *text, struct words *w)
{
	size_t len = 0;

	w->n = 0;
	for (const char *p = text;; p++) {
		char c = *p;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c >= 'a' && c <= 'z') {
			if (len + 1 < WORD_MAX && w->n < WORDS_MAX)
				w->word[w->n][len++] = c;
			continue;
		}
		if (len > 0) {
			w->word[w->n++][len] = '\0';
			len = 0;
		}
		if (c == '\0' || w->n == WORDS_MAX)
			break;
	}
}

static bool
has_prefix(const char *word, const char *prefix)
{
	return strncmp(word, prefix, strlen(prefix)) == 0;
}

static int
word_phase(const struct words *w, size_t i)
{
	const char *word = w->word[i];
	enum irc_phase own;

	/* ircase's own names: Prepare, Report, Assess, Respond, Learn, ... */
	if (irc_phase_parse(word, &own))
		return (int)own;
	for (size_t k = 0; k < NELEM(phase_pairs); k++) {
		if (i + 1 < w->n && strcmp(word, phase_pairs[k].first) == 0 &&
		    has_prefix(w->word[i + 1], phase_pairs[k].second))
			return (int)phase_pairs[k].phase;
	}
	/* "Container security" is not containment. */
	if (has_prefix(word, "container"))
		return -1;
	for (size_t k = 0; k < NELEM(phase_stems); k++) {
		if (has_prefix(word, phase_stems[k].prefix))
			return (int)phase_stems[k].phase;
	}
	return -1;
}

static bool
word_is_ref(const char *word)
{
	for (size_t k = 0; k < NELEM(ref_stems); k++) {
		if (has_prefix(word, ref_stems[k]))
			return true;
	}
	return false;
}

unsigned
irc_pb_phases_of_heading(const char *text, int *first)
{
	struct words w;
	unsigned set = 0;
	int phase;

	*first = -1;
	words_split(text, &w);
	/* "Reference: Remediation Resources" is a reference, not a phase. */
	if (w.n > 0 && word_is_ref(w.word[0]))
		return 0;
	for (size_t i = 0; i < w.n; i++) {
		phase = word_phase(&w, i);
		if (phase < 0)
			continue;
		if (*first < 0)
			*first = phase;
		set |= 1u << phase;
	}
	return set;
}

int
irc_pb_phase_of_heading(const char *text)
{
	int first;

	irc_pb_phases_of_heading(text, &first);
	return first;
}

bool
irc_pb_is_respond_subphase(const char *text)
{
	static const char *stems[] = {
		"contain", "eradicat", "recover", "remediat", "mitigat",
		"restor",
	};
	struct words w;

	words_split(text, &w);
	for (size_t i = 0; i < w.n; i++) {
		if (has_prefix(w.word[i], "container"))
			continue;
		for (size_t k = 0; k < NELEM(stems); k++) {
			if (has_prefix(w.word[i], stems[k]))
				return true;
		}
	}
	return false;
}

bool
irc_pb_is_ref_heading(const char *text)
{
	struct words w;

	words_split(text, &w);
	for (size_t i = 0; i < w.n; i++) {
		if (word_is_ref(w.word[i]))
			return true;
	}
	return false;
}
