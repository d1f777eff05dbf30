/*
 * case_view.h: the panes of the case screen (steps, step text, timeline)
 * drawn from a case the caller owns, for screens that show a case without
 * changing it, such as the replay.
 */
#ifndef IRC_TUI_CASE_VIEW_H
#define IRC_TUI_CASE_VIEW_H

#include "case.h"

struct case_screen;

/* Returns an empty view; free it with case_view_free(). */
struct case_screen *case_view_new(void);

/*
 * Shows c, which the view borrows until the next case_view_set() or
 * case_view_free(): selects step seq (the first when it has none), keeps
 * the newest action in view and puts banner (may be NULL) on the row
 * under the title bar.
 */
void case_view_set(struct case_screen *cs, struct irc_case *c, int seq,
    const char *banner);

/* Draws the banner and the three panes; the caller draws both bars. */
void case_view_draw(struct case_screen *cs);

void case_view_free(struct case_screen *cs);

#endif
