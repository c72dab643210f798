/* check_task_transfer.c — lab 05: 1 MiB in one go, then the byte count back. One recv() is
 * not one send(): the segments on the wire show how the bytes really arrived. */
#include "check.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define TRANSFER_BYTES (1024 * 1024)

/* The answer as a number: digits with whitespace or NULs around them. -1 if it is not one. */
static long long parse_count(const unsigned char *b, size_t n)
{
	size_t i = 0, end = n;
	long long v = 0;

	while (i < end && (isspace(b[i]) || b[i] == '\0'))
		i++;
	while (end > i && (isspace(b[end - 1]) || b[end - 1] == '\0'))
		end--;
	if (i == end || end - i > 18)
		return -1;
	for (; i < end; i++) {
		if (!isdigit(b[i]))
			return -1;
		v = v * 10 + (b[i] - '0');
	}
	return v;
}

/* "on the wire the checker's bytes went in 23 data segments carrying 1048576 bytes, the
 * largest 65483 bytes (first ones: 32741 32741 ...)", or "" without capture. */
static void segments_text(struct check_ctx *c, uint16_t key, char *buf, size_t len)
{
	struct check_wire_conn w;
	size_t o;

	if (!check_ctx_wire(c, key, &w) || !w.data_segs[0]) {
		if (len)
			buf[0] = '\0';
		return;
	}
	o = (size_t)snprintf(buf, len,
	                     "; on the wire the checker's bytes went in %u data segments "
	                     "carrying %llu bytes (a retransmission counts again), the largest "
	                     "%u bytes (first ones:",
	                     w.data_segs[0], (unsigned long long)w.bytes[0], w.max_seg[0]);
	for (int i = 0; i < w.nsizes[0] && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, " %u", w.sizes[0][i]);
	if (o < len)
		snprintf(buf + o, len - o, ")");
}

void check_task_transfer_server(struct check_ctx *c)
{
	struct check_peer p;
	unsigned char *data;
	enum check_io io;
	long long count;
	uint64_t acked;
	char q[200], segs[300], note[160];

	if (!check_session_open(c, &p))
		return;
	data = malloc(TRANSFER_BYTES);
	if (!data) {
		check_peer_free(&p);
		return;
	}
	for (size_t i = 0; i < TRANSFER_BYTES; i++)
		data[i] = (unsigned char)(i % 251);
	io = check_peer_send(&p, data, TRANSFER_BYTES, check_step(c));
	free(data);
	/* everything sent: our FIN says there is no more, so "read to the end" works too */
	check_peer_shutdown(&p);
	if (io == CHECK_IO_OK || io == CHECK_IO_EOF)
		io = check_peer_read_to_end(&p, check_step(c));
	acked = check_peer_acked(&p);
	segments_text(c, p.lport, segs, sizeof segs);
	check_exit_note(c, note, sizeof note);
	check_quote(p.buf, p.len, q, sizeof q);
	count = parse_count(p.buf, p.len);
	if (acked < TRANSFER_BYTES && p.len == 0)
		check_verdict(
		    &c->report, "reply", CHECK_FAIL, p.lport,
		    "recv() in a loop until it returns 0: the sender cannot send more than "
		    "the receiver's buffers hold until the receiver reads",
		    "the program's kernel acknowledged only %llu of the 1048576 bytes "
		    "(SIOCOUTQ): the program stopped reading, its receive buffer full, and "
		    "no answer came (%s)%s%s",
		    (unsigned long long)acked, check_io_name(io), segs, note);
	else if (count == TRANSFER_BYTES)
		check_verdict(&c->report, "reply", CHECK_PASS, p.lport, NULL,
		              "the program answered %s after the checker's 1048576 bytes%s", q,
		              segs);
	else if (count >= 0)
		check_verdict(
		    &c->report, "reply", CHECK_FAIL, p.lport,
		    "one recv() returns what has arrived so far, not what one send() sent: "
		    "add up recv() results in a loop until it returns 0",
		    "the program answered %s while the checker was sending it 1048576 bytes%s", q,
		    segs);
	else if (p.len)
		check_verdict(&c->report, "reply", CHECK_FAIL, p.lport,
		              "answer with the count as decimal digits, e.g. \"1048576\\n\"",
		              "the program answered %s, which is not a decimal byte count%s", q,
		              segs);
	else
		check_verdict(
		    &c->report, "reply", CHECK_FAIL, p.lport,
		    "after the last byte (recv() returned 0) send() the count, then close()",
		    "the program sent no answer after the checker's 1048576 bytes (%s)%s%s",
		    check_io_name(io), segs, note);
	check_judge_close(c, &p, CHECK_JUDGE_ALL);
	check_peer_free(&p);
}
