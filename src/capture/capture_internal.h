/* capture_internal.h — the capture handle, shared by capture.c and capture_readahead.c. */
#ifndef SOCKLAB_CAPTURE_INTERNAL_H
#define SOCKLAB_CAPTURE_INTERNAL_H

#include "socklab/capture.h"

#include <pcap/pcap.h>

struct capture_ra;

struct capture {
	pcap_t *pcap;
	int link;
	bool live;
	double ts_scale;       /* seconds per unit of the header's sub-second field */
	struct capture_ra *ra; /* offline readahead, NULL when reading on the caller's thread */
};

/* One frame's header and bytes to a capture_frame (pkt is where the segment is written). */
void capture_decode(const struct capture *c, const struct pcap_pkthdr *h, const uint8_t *bytes,
                    struct capture_frame *f, struct decode_packet *pkt);

/* capture_readahead.c */
#define CAPTURE_RA_UNAVAILABLE (-100)
bool capture_ra_wanted(const char *file); /* a regular file, and more than one CPU to use */
struct capture_ra *capture_ra_create(void);
/* As capture_dispatch; CAPTURE_RA_UNAVAILABLE if the reader thread could not be started (then
 * nothing was read: the caller destroys c->ra and reads on its own thread). */
int capture_ra_dispatch(struct capture *c, int max, capture_frame_fn fn, void *user, char *err,
                        size_t errlen);
void capture_ra_destroy(struct capture *c);

#endif
