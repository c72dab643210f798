/* decode.h — captured bytes to a TCP segment description. Pure C: libc only. */
#ifndef SOCKLAB_DECODE_H
#define SOCKLAB_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Link-layer types, numbered as libpcap's DLT_* values on Linux. LINKTYPE_RAW (101) from
 * capture files is accepted as an alias of DECODE_LINK_RAW. */
enum decode_link {
	DECODE_LINK_NULL = 0,        /* BSD loopback: 4-byte address family, either byte order */
	DECODE_LINK_EN10MB = 1,      /* Ethernet, with 802.1Q / 802.1ad (QinQ) tags */
	DECODE_LINK_RAW = 12,        /* raw IPv4/IPv6, version from the first nibble */
	DECODE_LINK_RAW_ALT = 101,   /* LINKTYPE_RAW spelling of the same */
	DECODE_LINK_LOOP = 108,      /* OpenBSD loopback: like NULL, network byte order */
	DECODE_LINK_LINUX_SLL = 113, /* Linux cooked capture v1 (the "any" device) */
	DECODE_LINK_IPV4 = 228,
	DECODE_LINK_IPV6 = 229,
	DECODE_LINK_LINUX_SLL2 = 276, /* Linux cooked capture v2 */
};

/* Result of decoding one frame. TRUNCATED: the capture holds fewer bytes than the headers
 * need (snaplen or a cut file). MALFORMED: the bytes are there but contradict themselves
 * (bad data offset, IP total length below the header length, bad option length, ...). */
enum decode_status {
	DECODE_OK = 0,
	DECODE_NOT_TCP,  /* a valid frame carrying something other than TCP (ARP, UDP, ...) */
	DECODE_FRAGMENT, /* an IP fragment after the first: no TCP header in it */
	DECODE_TRUNCATED,
	DECODE_MALFORMED,
	DECODE_UNSUPPORTED, /* link type this decoder does not know */
	DECODE_STATUS_COUNT
};

/* TCP flag bits, as in the header's flags byte. */
enum decode_tcp_flag {
	DECODE_TCP_FIN = 0x01,
	DECODE_TCP_SYN = 0x02,
	DECODE_TCP_RST = 0x04,
	DECODE_TCP_PSH = 0x08,
	DECODE_TCP_ACK = 0x10,
	DECODE_TCP_URG = 0x20,
	DECODE_TCP_ECE = 0x40,
	DECODE_TCP_CWR = 0x80,
};

struct decode_addr {
	uint8_t family;    /* 4 or 6 */
	uint8_t bytes[16]; /* IPv4 uses the first 4; the rest stay zero so memcmp works */
};

#define DECODE_MAX_SACK_BLOCKS 4

struct decode_tcp_options {
	bool has_mss, has_wscale, sack_permitted, has_timestamps;
	uint16_t mss;
	uint8_t wscale;
	uint8_t sack_count;
	uint32_t sack[DECODE_MAX_SACK_BLOCKS][2]; /* left, right edges */
	uint32_t ts_val, ts_ecr;
};

struct decode_packet {
	struct decode_addr src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;   /* enum decode_tcp_flag bits */
	uint16_t window; /* raw, unscaled */
	uint16_t urgent;
	uint8_t data_offset;        /* TCP header length in bytes */
	uint32_t payload_len;       /* from the IP lengths, not from what was captured */
	uint32_t payload_captured;  /* how much of the payload is in the buffer */
	const uint8_t *payload;     /* points into the caller's buffer; valid while it is */
	uint8_t ip_version;         /* 4 or 6 */
	uint8_t ttl;                /* IPv4 TTL or IPv6 hop limit */
	bool ip_has_options;        /* IPv4 options or IPv6 extension headers were present */
	bool ip_first_fragment;     /* offset 0 with more-fragments set: TCP header present */
	bool tcp_options_malformed; /* options area was bad; the segment itself is still usable */
	struct decode_tcp_options opts;
};

/* Counts of decode results; the caller owns one and passes it to decode_stats_add. */
struct decode_stats {
	uint64_t frames;
	uint64_t by_status[DECODE_STATUS_COUNT];
};

/* Choices worth knowing (decode module):
 * - A bad TCP options area (option length 0 or 1, an option running past the header, or a
 *   known kind with the wrong length) sets tcp_options_malformed but the segment is still
 *   DECODE_OK: ports, seq, ack and flags are sound, and the tracker needs them. Options parsed
 *   before the fault are kept. Callers may count it as an anomaly.
 * - An IPv4 first fragment (offset 0, MF set) decodes as OK with ip_first_fragment; its
 *   payload_len counts this fragment's bytes only. Later fragments are DECODE_FRAGMENT.
 * - IPv6 jumbograms (payload length 0, RFC 2675) are not supported: DECODE_MALFORMED.
 * - IPv6 extension headers: hop-by-hop, routing, destination options, fragment and AH are
 *   walked (at most 16); ESP, no-next-header and other protocols are DECODE_NOT_TCP.
 * - Checksums are not verified (offload leaves them wrong on captured outgoing packets). */

/* Decode one captured frame: caplen is how many bytes are in buf (a frame cut by the snaplen
 * is shorter than it was on the wire; the payload length comes from the IP lengths). Never
 * reads outside buf[0..caplen). On any status but DECODE_OK the contents of *out are
 * unspecified except that reading them is safe. */
enum decode_status decode_frame(int link, const uint8_t *buf, size_t caplen,
                                struct decode_packet *out);

/* Decode starting at an IP header (version from the first nibble). */
enum decode_status decode_ip(const uint8_t *buf, size_t caplen, struct decode_packet *out);

bool decode_link_supported(int link);

/* A hash of the segment's 4-tuple (addresses and ports) that is the same in both directions,
 * so the two halves of a connection meet in one table entry (the tracker's key). */
uint32_t decode_tuple_hash(const struct decode_packet *p);
const char *decode_link_name(int link);               /* "EN10MB", "LINUX_SLL2", ... or "unknown" */
const char *decode_status_name(enum decode_status s); /* "ok", "truncated", ... */
void decode_stats_add(struct decode_stats *st, enum decode_status s);

/* Flags as text: "SYN,ACK" (order: SYN FIN RST PSH ACK URG ECE CWR); "none" when empty.
 * Returns the number of flag names written. */
int decode_flags_format(uint8_t flags, char *buf, size_t len);

/* "127.0.0.1:45670" or "[::1]:9998" (IPv6 compressed per RFC 5952). Always NUL-terminates. */
#define DECODE_ENDPOINT_STRLEN 56
void decode_endpoint_format(const struct decode_addr *a, uint16_t port, char *buf, size_t len);
void decode_addr_format(const struct decode_addr *a, char *buf, size_t len);

/* Wrap-safe sequence arithmetic (RFC 9293 §3.4): true if a is before b modulo 2^32. */
static inline bool decode_seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool decode_seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool decode_seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool decode_seq_ge(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

#endif
