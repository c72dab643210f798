/* ui_markers.h — the labs' syscall markers on the screen: taken from the receiver as segments
 * are tracked (a row before the segment each call sent) and when they wait for nothing. */
#ifndef SOCKLAB_UI_MARKERS_H
#define SOCKLAB_UI_MARKERS_H

#include "socklab/track.h"
#include "ui_state.h"

/* Feeds one tracker event to the model; for a segment, the markers placed at it go on the
 * row before it (and in the log before its transitions). Without markers: ui_model_on_event. */
void ui_markers_on_event(struct ui_state *s, const struct track_event *ev);

/* Reads the marker socket and puts the markers that wait for nothing (no connection, or no
 * segment from their socket within MARKER_HOLD_SECS) in the log. wall: CLOCK_REALTIME. */
void ui_markers_poll(struct ui_state *s, double wall);

#endif
