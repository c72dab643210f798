/* capture_internal.h — the capture handle and its blocks, shared by the capture module's files. */
#ifndef SOCKLAB_CAPTURE_INTERNAL_H
#define SOCKLAB_CAPTURE_INTERNAL_H

#include "socklab/capture.h"

#include <pcap/pcap.h>

struct capture_ra;

/* A file is read in blocks of frames, each a copy of the captured bytes, so a run of them
 * stays valid together (capture_dispatch_batch): on a second thread ahead of the caller
 * (capture_readahead.c), or on the caller's when there is no second CPU to use. A block is
 * decoded once, as a whole, by whichever thread has the time (capture_block_decode). */
#define CAPTURE_BLOCK_FRAMES 512
/* A frame's capture is at most 256 KiB (libpcap's largest snaplen), so any one frame fits an
 * empty block; a block is full early when the next frame does not fit. */
#define CAPTURE_BLOCK_BYTES (512u * 1024u)

/* A frame's capture header, as read (seconds and the sub-second field, lengths), and where
 * its bytes are in the block. */
struct capture_raw {
	int64_t sec;
	int64_t subsec; /* micro- or nanoseconds: capture's ts_scale says which */
	uint32_t caplen, wirelen;
	uint32_t off;
};

struct capture_block {
	uint32_t n;       /* frames in it */
	uint32_t used;    /* bytes of bytes[] in use */
	uint32_t decoded; /* frames [0, decoded) have f and pkt set */
	bool end;         /* the file ends after these frames */
	bool failed;      /* ... with a read error (the message is in the filler's err) */
	struct capture_raw raw[CAPTURE_BLOCK_FRAMES];
	struct capture_frame f[CAPTURE_BLOCK_FRAMES];
	struct decode_packet pkt[CAPTURE_BLOCK_FRAMES]; /* payloads point into bytes[] */
	uint8_t bytes[CAPTURE_BLOCK_BYTES];             /* the frames as captured */
};

/* Where filling blocks from one file stands between blocks. */
struct capture_filler {
	struct pcap_pkthdr *h; /* with data: a frame read that did not fit the last block */
	const uint8_t *data;
	bool held;
	char err[PCAP_ERRBUF_SIZE + 32]; /* the read error that ended the file */
};

/* The screen's `w`: the latest live frames, kept until saving starts (capture_save.c). */
struct capture_keep {
	struct pcap_pkthdr *hdr; /* caplen: the bytes kept, at most slot */
	uint8_t *bytes;          /* cap slots of slot bytes */
	uint32_t slot, cap, head, count;
	uint64_t forgotten; /* frames overwritten by newer ones */
};

struct capture {
	pcap_t *pcap;
	int link;
	bool live;
	bool loopback;         /* live on a loopback device: the kernel counts each frame twice */
	double ts_scale;       /* seconds per unit of the header's sub-second field */
	struct capture_ra *ra; /* offline readahead, NULL when reading on the caller's thread */
	/* A file read on the caller's thread: one block, filled for each dispatch. */
	struct capture_block *blk;
	struct capture_filler
	    fill;                  /* where reading the file stands (the reader thread's, if any) */
	bool ended;                /* the file's end (or read error) has been handed over */
	pcap_dumper_t *dump;       /* -w: live frames are copied here (capture_save.c), or NULL */
	struct capture_keep *keep; /* capture_save_keep: remembered until dump opens, or NULL */
};

/* Copies one live frame into c->keep's ring (capture_save.c); no allocation. */
void capture_save_remember(struct capture *c, const struct pcap_pkthdr *h, const uint8_t *bytes);

/* capture_frame.c: one frame's header and bytes to a capture_frame (pkt is where the segment
 * is written). */
void capture_decode(const struct capture *c, const struct capture_raw *r, const uint8_t *bytes,
                    struct capture_frame *f, struct decode_packet *pkt);

/* capture_block.c: empties b, then copies frames into it until it holds limit (at most
 * CAPTURE_BLOCK_FRAMES), the next does not fit, or the file ends (b->end; b->failed with the
 * message in fl->err). Nothing is decoded yet. */
void capture_block_fill(const struct capture *c, struct capture_block *b, uint32_t limit,
                        struct capture_filler *fl);
/* Decodes the frames of b not yet decoded (their f, pkt and tuple hashes). */
void capture_block_decode(const struct capture *c, struct capture_block *b);

/* capture_readahead.c */
#define CAPTURE_RA_UNAVAILABLE (-100)
/* a regular file (path, or the stream when one is given), and more than one CPU to use */
bool capture_ra_wanted(const char *file, FILE *stream);
struct capture_ra *capture_ra_create(void);
/* As capture_dispatch_batch; CAPTURE_RA_UNAVAILABLE if the reader thread could not be
 * started (then nothing was read: the caller destroys c->ra and reads on its own thread). */
int capture_ra_dispatch(struct capture *c, int max, capture_batch_fn fn, void *user, char *err,
                        size_t errlen);
void capture_ra_destroy(struct capture *c);

#endif
