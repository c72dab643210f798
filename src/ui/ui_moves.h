/* ui_moves.h — what the diagram and the lesson layout say about each endpoint at the cursor:
 * its state, the last edge it took up to there, and that edge's reason from the tracker. */
#ifndef SOCKLAB_UI_MOVES_H
#define SOCKLAB_UI_MOVES_H

#include <stdbool.h>
#include <stdint.h>

#include "ui_state.h"

struct ui_move {
	enum track_state state;
	bool has_edge, by_rst; /* by_rst: the segment of that move carried RST */
	enum track_state from, to;
	const char *why;  /* the tracker's reason ("" when it has left the log) */
	const char *text; /* the endpoint, "127.0.0.1:45670" */
	uint32_t at;      /* the record of that move: kept index + 1 (0: not known) */
};

/* Both endpoints of the connection shown (the replay's or the selected one, *id; 0: none), as
 * they were after the cursor's record while a replay or the cursor runs, else as they are. */
void ui_moves_collect(const struct ui_state *s, struct ui_move mv[2], uint64_t *id);

#endif
