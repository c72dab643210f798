/* capture_save.h — -w: the frames of a live capture copied to a pcap file as they arrive. */
#ifndef SOCKLAB_CAPTURE_SAVE_H
#define SOCKLAB_CAPTURE_SAVE_H

#include <stddef.h>

#include "socklab/capture.h"

/* Starts copying every frame the live capture c hands over (capture_dispatch*) to a pcap file
 * at path ("-": standard output, written through its own descriptor, so the caller may point
 * stdout elsewhere afterwards). Call it before the privilege drop: the file is created with
 * the rights tcpscope started with. The frames are written as captured (live: the first 256
 * bytes of each, the headers; the pcap header keeps each frame's length on the wire).
 * Returns 0, or -1 with a one-line message in err (the capture is unchanged). */
int capture_save_open(struct capture *c, const char *path, char *err, size_t errlen);

/* The same, into fd, a file the caller has just created (the screen's `w`, which runs after
 * the privilege drop and creates the file itself with openat). The capture owns fd from here
 * on, failure included. Returns 0, or -1 with a one-line message in err. */
int capture_save_open_fd(struct capture *c, int fd, char *err, size_t errlen);

/* Live: keep the latest frames handed over (up to max_frames, at most 4 MiB) until a save
 * starts, which then writes them first: the screen's `w` saves what was captured before the
 * key. Returns 0, or -1 if out of memory (nothing kept then). */
int capture_save_keep(struct capture *c, uint32_t max_frames);

/* The frames a save started now would write first (kept), and those seen since keeping
 * started that were overwritten by newer ones (forgotten). */
void capture_save_kept(const struct capture *c, uint64_t *kept, uint64_t *forgotten);

/* Writes out what is buffered, so the file is complete up to the last frame handed over;
 * returns 0, or -1 if writing failed. capture_close also flushes and closes the file. */
int capture_save_flush(struct capture *c);

/* Flushes and closes the file (if any); returns 0, or -1 if a write failed on the way. */
int capture_save_close(struct capture *c);

#endif
