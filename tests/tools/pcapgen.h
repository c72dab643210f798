/* pcapgen.h — crafts TCP segments as link-layer frames and writes them to capture files. */
#ifndef SOCKLAB_PCAPGEN_H
#define SOCKLAB_PCAPGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "socklab/decode.h" /* struct decode_addr, DECODE_LINK_*, DECODE_TCP_* (types only) */

#define PCAPGEN_MAX_FRAME 65600 /* link header + the largest IP packet */
#define PCAPGEN_MAX_SACK  4

/* One TCP segment to write. Lengths and checksums are computed by pcapgen_build. */
struct pcapgen_segment {
	struct decode_addr src, dst; /* same family for both */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags; /* DECODE_TCP_* bits */
	uint16_t window, urgent;
	uint8_t ttl;
	uint32_t len;        /* payload bytes */
	const uint8_t *data; /* payload content (len bytes), or NULL for a repeating pattern */
	bool has_mss, has_wscale, sack_permitted, has_timestamps;
	uint16_t mss;
	uint8_t wscale;
	uint32_t ts_val, ts_ecr;
	uint8_t sack_count;
	uint32_t sack[PCAPGEN_MAX_SACK][2];
	bool bad_checksum; /* write a wrong TCP checksum on purpose */
	/* Lies, for malformed-input tests: header fields written as given instead of computed. */
	bool set_doff, set_iplen;
	uint8_t doff_words; /* TCP data offset field (0..15, in 32-bit words) */
	uint16_t iplen;     /* IPv4 total length / IPv6 payload length */
};

/* Builds the frame for link (EN10MB, LINUX_SLL, LINUX_SLL2, NULL, LOOP, RAW, IPV4, IPV6) into
 * buf. Returns its length, or 0 with a message in err (unknown link, options too long, frame
 * too big). */
size_t pcapgen_build(int link, const struct pcapgen_segment *s, uint8_t *buf, size_t cap, char *err,
                     size_t errlen);

/* The Internet checksum (RFC 1071) of a TCP segment with its pseudo-header; 0 means the
 * segment's checksum field is right. Exposed for tests. */
uint16_t pcapgen_tcp_checksum(const struct decode_addr *src, const struct decode_addr *dst,
                              const uint8_t *seg, size_t len);

enum pcapgen_format {
	PCAPGEN_PCAP,   /* classic libpcap, microsecond timestamps */
	PCAPGEN_PCAPNG, /* one section, one interface, enhanced packet blocks */
	PCAPGEN_FUZZ,   /* records for the fuzz targets (tests/fuzz/fuzz_input.h) */
};

struct pcapgen_writer {
	FILE *f;
	enum pcapgen_format format;
	int link;
	uint32_t snaplen;
	int64_t last_usec; /* FUZZ: previous time, for the time step */
	bool any;
};

/* Opens out (a path, or "-" for standard output) and writes the file header. */
bool pcapgen_writer_open(struct pcapgen_writer *w, const char *out, enum pcapgen_format format,
                         int link, uint32_t snaplen, char *err, size_t errlen);
/* Writes one frame captured at usec microseconds since the epoch; caplen bytes are stored,
 * len is the length on the wire. */
bool pcapgen_writer_frame(struct pcapgen_writer *w, int64_t usec, const uint8_t *frame,
                          size_t caplen, size_t len, char *err, size_t errlen);
bool pcapgen_writer_close(struct pcapgen_writer *w, char *err, size_t errlen);

/* Runs a whole script (format in tests/tools/README.md) from in, writing to out. Errors say
 * "name:line: what". */
bool pcapgen_run_script(FILE *in, const char *name, const char *out, enum pcapgen_format format,
                        char *err, size_t errlen);

/* "EN10MB" etc. to a link value the file header uses (RAW is written as 101); -1 if unknown. */
int pcapgen_link_parse(const char *name);

#endif
