/* ui_export.h — the files the screen writes where tcpscope was started: `w` (the live capture
 * as pcap: the frames kept so far, then every new one) and `e` (the selected connection's ladder as SVG). */
#ifndef SOCKLAB_UI_EXPORT_H
#define SOCKLAB_UI_EXPORT_H

#include "ui_state.h"

/* `w`: create tcpscope-YYYYmmdd-HHMMSS.pcap, write the frames the capture kept so far
 * (capture_save_keep) and every frame captured from now on (until tcpscope stops); the hint line says the file's name or why nothing was saved. */
void ui_export_save(struct ui_state *s);

/* `e`: write the selected connection's ladder, the bytes `tcpscope -r FILE --format=svg
 * --conn N` writes for it, to tcpscope-conn-N-YYYYmmdd-HHMMSS.svg; the hint line says the
 * file's name or why it could not be written. */
void ui_export_svg(struct ui_state *s);

#endif
