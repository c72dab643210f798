/* out_fmt.h — the sink's small formatters (private to src/out; the unit tests include it). */
#ifndef SOCKLAB_OUT_FMT_H
#define SOCKLAB_OUT_FMT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "socklab/decode.h"

/* Each writes at p, which must have room (20 bytes for a u64, 28 for a time, DECODE_ENDPOINT_STRLEN
 * for an endpoint), and returns the end; none writes a NUL. */
char *out_fmt_u64(char *p, uint64_t v);
char *out_fmt_u32(char *p, uint32_t v); /* same, cheaper for 32-bit values */
char *out_fmt_i64(char *p, int64_t v);
/* Microseconds as seconds with exactly six decimals: 1500000 -> "1.500000", -1 -> "-0.000001". */
char *out_fmt_usec(char *p, int64_t usec);
/* Seconds (double) rounded to the microsecond, held at INT64_MIN/INT64_MAX beyond them. */
int64_t out_usec(double seconds);
/* a - b, held at INT64_MIN/INT64_MAX instead of overflowing. */
int64_t out_usec_sub(int64_t a, int64_t b);

char *out_fmt_endpoint(char *p, const struct decode_addr *a, uint16_t port);
char *out_fmt_str(char *p, const char *s);
/* Pads the field that started at from with spaces to width columns (at least one space). */
char *out_pad(char *p, char *from, size_t width);

/* Flags as text ("SYN,ACK", "none") and as a JSON array (["SYN","ACK"], []), in the order and
 * spelling of decode_flags_format, the one table of flag names. The text has at most
 * OUT_FLAGS_TEXT_MAX bytes. */
#define OUT_FLAGS_TEXT_MAX (sizeof "SYN,FIN,RST,PSH,ACK,URG,ECE,CWR" - 1)
/* The JSON form is the text form with each name quoted (at most 8 names, one per bit of the
 * flags byte) in brackets, so its length follows from the text's: out_fmt_flags_json writes at
 * most this many bytes, whatever the names are. */
#define OUT_FLAGS_JSON_MAX (OUT_FLAGS_TEXT_MAX + 2 * 8 + 2)
_Static_assert(sizeof "[\"SYN\",\"FIN\",\"RST\",\"PSH\",\"ACK\",\"URG\",\"ECE\",\"CWR\"]" - 1 <=
                   OUT_FLAGS_JSON_MAX,
               "the longest flags array fits its slot");
char *out_fmt_flags_text(char *p, uint8_t flags);
char *out_fmt_flags_json(char *p, uint8_t flags);

/* Writes s as the body of a JSON string (no quotes): escapes '"', '\\' and control characters,
 * keeps valid UTF-8, and replaces invalid bytes with U+FFFD. Always NUL-terminates (when
 * len > 0) and returns the length written; the output is cut at a character boundary when
 * it does not fit. */
size_t out_json_escape(const char *s, char *buf, size_t len);
/* Appends "s" as a quoted, escaped JSON string of at most max escaped bytes. */
char *out_fmt_json_str(char *p, const char *s, size_t max);

/* Appends a string literal. */
#define OUT_LIT(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

#endif
