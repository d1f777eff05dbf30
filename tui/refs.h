/*
 * refs.h: the reference-pane screen, which shows the sections of a case's
 * playbook that are not phases (Overview, References, Appendix...).
 */
#ifndef IRC_TUI_REFS_H
#define IRC_TUI_REFS_H

#include <stddef.h>

#include "playbook.h"
#include "screen.h"

struct refs_open {
	/* Borrowed: the case screen below keeps it until it closes. */
	const struct irc_playbook *pb;
	size_t pane;		/* index into pb->refs to show first */
	/*
	 * Set to a new copy of the "#anchor" of a followed link that names a
	 * step or phase, just before the screen closes; the case screen
	 * below follows it and frees it.
	 */
	char **jump;
};

/* arg: const struct refs_open *; fails to open when pb has no panes */
extern const struct screen_ops screen_refs_ops;

#endif
