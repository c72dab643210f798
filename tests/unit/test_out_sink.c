/* test_out_sink.c — text line layout, JSONL objects, --names=linux, summary rows (evicted too). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "socklab/out.h"

#include "../fuzz/json_check.h" /* the fuzz target's strict JSON validator */

static char *buf;
static size_t buflen;
static FILE *fp;
static struct out_sink *sink;

static void open_sink(enum out_format f, enum track_names names, bool summary, uint32_t cap)
{
	char err[128];
	struct out_options o = {0};

	fp = open_memstream(&buf, &buflen);
	assert_non_null(fp);
	o.fp = fp;
	o.format = f;
	o.names = names;
	o.summary = summary;
	o.summary_cap = cap;
	sink = out_create(&o, err, sizeof err);
	assert_non_null(sink);
}

/* Everything the sink wrote so far. */
static const char *output(void)
{
	out_flush(sink);
	fflush(fp);
	return buf;
}

static int teardown(void **state)
{
	out_destroy(sink);
	sink = NULL;
	if (fp)
		fclose(fp);
	fp = NULL;
	free(buf);
	buf = NULL;
	return 0;
}

static void v4(struct decode_addr *a, uint8_t last)
{
	memset(a, 0, sizeof *a);
	a->family = 4;
	a->bytes[0] = 127;
	a->bytes[3] = last;
}

static void make_conn(struct track_conn *c, uint64_t id, uint16_t cport)
{
	memset(c, 0, sizeof *c);
	c->id = id;
	v4(&c->ep[TRACK_CLIENT].addr, 1);
	c->ep[TRACK_CLIENT].port = cport;
	v4(&c->ep[TRACK_SERVER].addr, 1);
	c->ep[TRACK_SERVER].port = 9998;
	c->first_seen = c->last_seen = 100.0;
}

static void make_pkt(struct decode_packet *p, const struct track_conn *c, enum track_role from,
                     uint8_t flags, uint32_t len, uint16_t win)
{
	memset(p, 0, sizeof *p);
	p->src = c->ep[from].addr;
	p->sport = c->ep[from].port;
	p->dst = c->ep[!from].addr;
	p->dport = c->ep[!from].port;
	p->flags = flags;
	p->payload_len = len;
	p->window = win;
	p->seq = 1000;
	p->ack = 2000;
	p->ip_version = 4;
}

/* After begin_segment, events are collected and handed over with the next PACKET, as the
 * tracker does (track.h, "Events"); otherwise they are delivered on their own (a timer's). */
static struct track_event seg_caused[8];
static size_t seg_n;
static bool seg_open;

static void begin_segment(void)
{
	seg_open = true;
	seg_n = 0;
}

static void deliver(const struct track_event *ev)
{
	if (seg_open && ev->kind != TRACK_EVENT_PACKET) {
		assert_true(seg_n < sizeof seg_caused / sizeof *seg_caused);
		seg_caused[seg_n++] = *ev;
		return;
	}
	out_event(ev, sink);
}

static void emit_state(struct track_conn *c, double t, enum track_role who, enum track_state from,
                       enum track_state to, const char *why)
{
	struct track_event ev = {0};

	c->ep[who].state = to;
	ev.kind = TRACK_EVENT_STATE;
	ev.t = t;
	ev.conn = c;
	ev.endpoint = who;
	ev.from = from;
	ev.to = to;
	ev.why = why;
	deliver(&ev);
}

static void emit_packet(const struct track_conn *c, double t, const struct decode_packet *p,
                        enum track_role from, uint32_t rseq, uint32_t rack)
{
	struct track_event ev = {0};

	ev.kind = TRACK_EVENT_PACKET;
	ev.t = t;
	ev.conn = c;
	ev.pkt = p;
	ev.sender = from;
	ev.rel_seq = rseq;
	ev.rel_ack = rack;
	ev.win = p->window; /* as the tracker reports it with no window scaling (shift 0) */
	ev.caused = seg_caused;
	ev.ncaused = seg_open ? seg_n : 0;
	seg_open = false;
	out_event(&ev, sink);
}

static void emit_simple(enum track_event_kind k, const struct track_conn *c, double t)
{
	struct track_event ev = {0};

	ev.kind = k;
	ev.t = t;
	ev.conn = c;
	deliver(&ev);
}

/* A SYN: the open line, the segment with both states after it, then its transition indented. */
static void test_text_syn(void **state)
{
	struct track_conn c;
	struct decode_packet p;

	open_sink(OUT_FORMAT_TEXT, TRACK_NAMES_RFC, false, 0);
	make_conn(&c, 1, 45670);
	c.ep[TRACK_SERVER].state = TRACK_LISTEN;
	out_frame(sink, 100.0, DECODE_OK, 74, 74);
	begin_segment();
	emit_simple(TRACK_EVENT_OPEN, &c, 100.0);
	emit_state(&c, 100.0, TRACK_SERVER, TRACK_UNKNOWN, TRACK_LISTEN,
	           "it is being connected to");
	emit_state(&c, 100.0, TRACK_CLIENT, TRACK_CLOSED, TRACK_SYN_SENT, "sent SYN");
	make_pkt(&p, &c, TRACK_CLIENT, DECODE_TCP_SYN, 0, 65495);
	emit_packet(&c, 100.0, &p, TRACK_CLIENT, 0, 0);
	assert_string_equal(
	    output(),
	    "  0.000000 #1   new connection: client 127.0.0.1:45670, server 127.0.0.1:9998\n"
	    "  0.000000 #1   127.0.0.1:45670 > 127.0.0.1:9998   SYN      seq=0 len=0 win=65495"
	    "           client SYN_SENT     server LISTEN\n"
	    "           #1 server: UNKNOWN -> LISTEN  it is being connected to\n"
	    "           #1 client: CLOSED -> SYN_SENT  sent SYN\n");
}

/* ack= appears only when the ACK flag is set; times are relative to the first frame. */
static void test_text_ack_and_time(void **state)
{
	struct track_conn c;
	struct decode_packet p;

	open_sink(OUT_FORMAT_TEXT, TRACK_NAMES_RFC, false, 0);
	make_conn(&c, 12, 45670);
	c.ep[TRACK_CLIENT].state = TRACK_ESTABLISHED;
	c.ep[TRACK_SERVER].state = TRACK_SYN_RECEIVED;
	out_frame(sink, 100.0, DECODE_OK, 74, 74);
	out_frame(sink, 101.25, DECODE_OK, 66, 66);
	make_pkt(&p, &c, TRACK_SERVER, DECODE_TCP_SYN | DECODE_TCP_ACK, 0, 65483);
	emit_packet(&c, 101.25, &p, TRACK_SERVER, 0, 1);
	assert_string_equal(output(), "  1.250000 #12  127.0.0.1:9998 > 127.0.0.1:45670   SYN,ACK  "
	                              "seq=0 ack=1 len=0 win=65483     client ESTABLISHED  "
	                              "server SYN_RECEIVED\n");
}

/* A transition with no segment after it (a timer) is written on its own line with its time. */
static void test_text_timer_line(void **state)
{
	struct track_conn c;

	open_sink(OUT_FORMAT_TEXT, TRACK_NAMES_RFC, false, 0);
	make_conn(&c, 3, 40000);
	out_frame(sink, 10.0, DECODE_OK, 66, 66);
	emit_state(&c, 70.5, TRACK_CLIENT, TRACK_TIME_WAIT, TRACK_CLOSED, "TIME_WAIT expired");
	out_flush(sink);
	assert_string_equal(output(),
	                    " 60.500000 #3 client: TIME_WAIT -> CLOSED  TIME_WAIT expired\n");
}

static void test_names_linux(void **state)
{
	struct track_conn c;
	struct decode_packet p;

	open_sink(OUT_FORMAT_TEXT, TRACK_NAMES_LINUX, false, 0);
	make_conn(&c, 1, 45670);
	c.ep[TRACK_CLIENT].state = TRACK_FIN_WAIT_1;
	begin_segment();
	emit_state(&c, 5.0, TRACK_SERVER, TRACK_SYN_RECEIVED, TRACK_ESTABLISHED, "received ACK");
	make_pkt(&p, &c, TRACK_CLIENT, DECODE_TCP_FIN | DECODE_TCP_ACK, 0, 512);
	emit_packet(&c, 5.0, &p, TRACK_CLIENT, 1, 1);
	const char *o = output();
	assert_non_null(strstr(o, "client FIN_WAIT1    server ESTABLISHED\n"));
	assert_non_null(strstr(o, "#1 server: SYN_RECV -> ESTABLISHED  received ACK\n"));
	assert_null(strstr(o, "SYN_RECEIVED"));
	teardown(state);

	open_sink(OUT_FORMAT_JSONL, TRACK_NAMES_LINUX, false, 0);
	emit_state(&c, 5.0, TRACK_SERVER, TRACK_SYN_RECEIVED, TRACK_ESTABLISHED, "x");
	assert_non_null(strstr(output(), "\"from\":\"SYN_RECV\",\"to\":\"ESTABLISHED\""));
}

static void test_jsonl_packet_state(void **state)
{
	struct track_conn c;
	struct decode_packet p;

	open_sink(OUT_FORMAT_JSONL, TRACK_NAMES_RFC, false, 0);
	make_conn(&c, 7, 45670);
	out_frame(sink, 1700000000.5, DECODE_OK, 74, 74);
	begin_segment();
	emit_state(&c, 1700000000.500021, TRACK_SERVER, TRACK_LISTEN, TRACK_SYN_RECEIVED,
	           "received SYN \"seq=0\"");
	make_pkt(&p, &c, TRACK_CLIENT, DECODE_TCP_PSH | DECODE_TCP_ACK, 6, 512);
	p.seq = 4294967295u;
	p.ack = 7;
	emit_packet(&c, 1700000000.500021, &p, TRACK_CLIENT, 1, 1);
	assert_string_equal(
	    output(),
	    "{\"type\":\"state\",\"t\":0.000021,\"conn\":7,\"endpoint\":\"127.0.0.1:9998\","
	    "\"role\":\"server\",\"from\":\"LISTEN\",\"to\":\"SYN_RECEIVED\","
	    "\"why\":\"received SYN \\\"seq=0\\\"\"}\n"
	    "{\"type\":\"packet\",\"t\":0.000021,\"conn\":7,\"src\":\"127.0.0.1:45670\","
	    "\"dst\":\"127.0.0.1:9998\",\"flags\":[\"PSH\",\"ACK\"],\"seq\":1,\"ack\":1,"
	    "\"seq_raw\":4294967295,\"ack_raw\":7,\"len\":6,\"win\":512,\"win_scaled\":512}\n");
}

/* Issue 15 item 1: a segment with no flag set (a NULL scan) and one with all eight. The empty
 * array is the shortest form, the full one the longest; each line must stay valid JSON, and the
 * lines after it too. */
static void test_jsonl_flags_extremes(void **state)
{
	static const uint8_t flags[] = {0, 0xff, 0, DECODE_TCP_SYN};
	static const char *const want[] = {
	    "[]", "[\"SYN\",\"FIN\",\"RST\",\"PSH\",\"ACK\",\"URG\",\"ECE\",\"CWR\"]", "[]",
	    "[\"SYN\"]"};
	struct track_conn c;
	struct decode_packet p;
	const char *line;

	open_sink(OUT_FORMAT_JSONL, TRACK_NAMES_RFC, false, 0);
	make_conn(&c, 3, 45670);
	out_frame(sink, 100.0, DECODE_OK, 54, 54);
	for (size_t i = 0; i < sizeof flags; i++) {
		make_pkt(&p, &c, TRACK_CLIENT, flags[i], 0, 1024);
		emit_packet(&c, 100.0, &p, TRACK_CLIENT, 0, 0);
	}
	line = output();
	for (size_t i = 0; i < sizeof flags; i++) {
		const char *nl = strchr(line, '\n');
		char expect[256];

		assert_non_null(nl);
		assert_true(json_check_object(line, (size_t)(nl - line)));
		snprintf(
		    expect, sizeof expect,
		    "{\"type\":\"packet\",\"t\":0.000000,\"conn\":3,\"src\":\"127.0.0.1:45670\","
		    "\"dst\":\"127.0.0.1:9998\",\"flags\":%s,\"seq\":0,\"ack\":0,"
		    "\"seq_raw\":1000,\"ack_raw\":2000,\"len\":0,\"win\":1024,\"win_scaled\":1024}",
		    want[i]);
		assert_int_equal((size_t)(nl - line), strlen(expect));
		assert_memory_equal(line, expect, strlen(expect));
		line = nl + 1;
	}
	assert_string_equal(line, "");
}

/* Issue 15 item 4: a table with no connection (a capture without TCP, or an empty one) is its
 * header alone; the old code sorted a NULL array (qsort(NULL, 0, ...), undefined behaviour that
 * the sanitizer build stopped on). */
static void test_summary_no_connection(void **state)
{
	open_sink(OUT_FORMAT_TEXT, TRACK_NAMES_RFC, true, 0);
	out_frame(sink, 1.0, DECODE_NOT_TCP, 60, 60);
	assert_int_equal(out_finish(sink, NULL, NULL), 0);
	assert_string_equal(output(), "-- 1 frames: 0 TCP, 0 truncated, 0 malformed, 1 not TCP, "
	                              "0 fragments, 0 unsupported; 0 connections\n"
	                              "\n   id  client                 server                 "
	                              "client state  server state  packets c/s   bytes c/s       "
	                              "duration   history\n");
}

/* Issue 15 item 9, issue 12 item 10: on lo the kernel's counters hold both copies of every
 * frame; the capture halves them (capture_stats.halved), and the text says so. */
static void test_text_kernel_loopback(void **state)
{
	struct out_capture_stats cs = {.valid = true, .received = 16, .loopback = true};

	open_sink(OUT_FORMAT_TEXT, TRACK_NAMES_RFC, false, 0);
	assert_int_equal(out_finish(sink, NULL, &cs), 0);
	assert_non_null(strstr(output(), "-- kernel: 16 received, 0 dropped, 0 dropped by the "
	                                 "interface (lo: the kernel counts each frame twice, the "
	                                 "copy sent and the copy received; these are its counts "
	                                 "halved)\n"));
	teardown(NULL);
	cs.loopback = false;
	open_sink(OUT_FORMAT_TEXT, TRACK_NAMES_RFC, false, 0);
	assert_int_equal(out_finish(sink, NULL, &cs), 0);
	assert_non_null(strstr(output(), "dropped by the interface\n"));
}

/* Frames at the two ends of what a pcapng timestamp can say: times relative to the first are
 * held at the end of the range (never wrapped to a negative time), and the lines stay JSON. */
static void test_jsonl_extreme_times(void **state)
{
	const char *o, *line;

	open_sink(OUT_FORMAT_JSONL, TRACK_NAMES_RFC, false, 0);
	out_frame(sink, -9.2e18, DECODE_OK, 54, 54);
	out_frame(sink, 9.2e18, DECODE_TRUNCATED, 20, 54);
	assert_int_equal(out_finish(sink, NULL, NULL), 0);
	o = output();
	assert_non_null(strstr(o, "{\"type\":\"anomaly\",\"t\":9223372036854.775807,"));
	assert_non_null(
	    strstr(o, "\"start\":-9223372036854.775808,\"duration\":9223372036854.775807,"));
	for (line = o; *line;) {
		const char *nl = strchr(line, '\n');

		assert_non_null(nl);
		assert_true(json_check_object(line, (size_t)(nl - line)));
		line = nl + 1;
	}
}

/* The validator the flags test and the fuzz target rely on: it must refuse what a broken line
 * looks like. */
static void test_json_check(void **state)
{
	static const char *const good[] = {
	    "{}",
	    "{\"a\":[]}",
	    "{\"a\":[1,-0.5,2e10,true,false,null,\"\\u00e9\\n\"]}",
	    "{\"t\":-9223372036854.775808,\"s\":\"caf\xc3\xa9\"}",
	};
	static const char *const bad[] = {
	    "",
	    "{",
	    "{\"a\":[]",
	    "{\"a\":[],}",
	    "{\"a\":[1,]}",
	    "{\"a\":01}",
	    "{\"a\":1.}",
	    "{\"a\":\"\x01\"}",
	    "{\"a\":\"\\x\"}",
	    "{\"a\":\"\xff\"}",
	    "{\"a\":\"\xc0\xaf\"}",
	    "{\"a\":tru}",
	    "{\"a\":1}x",
	    "[1]",
	    "{\"a\" 1}",
	    "{a:1}",
	    "{\"a\":NaN}",
	};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_true(json_check_object(good[i], strlen(good[i])));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(json_check_object(bad[i], strlen(bad[i])));
	/* what issue 15's flagless line looked like: the array's bytes with NULs in it */
	assert_false(json_check_object("{\"flags\":[]\0\0]}", 16));
}

static void test_jsonl_ipv6_and_anomaly(void **state)
{
	struct track_conn c;
	struct decode_packet p;
	struct track_event ev = {0};

	open_sink(OUT_FORMAT_JSONL, TRACK_NAMES_RFC, false, 0);
	make_conn(&c, 2, 50000);
	for (int i = 0; i < 2; i++) {
		memset(&c.ep[i].addr, 0, sizeof c.ep[i].addr);
		c.ep[i].addr.family = 6;
		c.ep[i].addr.bytes[15] = 1;
	}
	make_pkt(&p, &c, TRACK_SERVER, DECODE_TCP_RST, 0, 0);
	out_frame(sink, 3.0, DECODE_OK, 74, 74);
	ev.kind = TRACK_EVENT_ANOMALY;
	ev.t = 3.0;
	ev.conn = &c;
	ev.pkt = &p;
	ev.sender = TRACK_SERVER;
	ev.anomaly = TRACK_ANOMALY_RST_OUT_OF_WINDOW;
	ev.why = "RST seq=99 outside the window";
	begin_segment();
	deliver(&ev);
	emit_packet(&c, 3.0, &p, TRACK_SERVER, 99, 0);
	out_frame(sink, 3.5, DECODE_TRUNCATED, 20, 60);
	const char *o = output();
	assert_non_null(strstr(o,
	                       "{\"type\":\"anomaly\",\"t\":0.000000,\"conn\":2,"
	                       "\"kind\":\"rst_out_of_window\",\"why\":\"RST seq=99 outside "
	                       "the window\",\"endpoint\":\"[::1]:9998\",\"role\":\"server\"}\n"));
	assert_non_null(
	    strstr(o, "\"src\":\"[::1]:9998\",\"dst\":\"[::1]:50000\",\"flags\":[\"RST\"]"));
	assert_non_null(strstr(o,
	                       "{\"type\":\"anomaly\",\"t\":0.500000,\"conn\":null,"
	                       "\"kind\":\"truncated\",\"why\":\"frame 2: 20 of its 60 bytes were "
	                       "captured, too few for its headers\",\"frame\":2,\"caplen\":20,"
	                       "\"wirelen\":60}\n"));
}

/* The summary line counts every frame by decode status; files have null kernel counters. */
static void test_jsonl_summary(void **state)
{
	open_sink(OUT_FORMAT_JSONL, TRACK_NAMES_RFC, false, 0);
	out_frame(sink, 1700000000.25, DECODE_OK, 74, 74);
	out_frame(sink, 1700000001.0, DECODE_MALFORMED, 74, 74);
	out_frame(sink, 1700000002.0, DECODE_NOT_TCP, 42, 42);
	out_frame(sink, 1700000002.5, DECODE_FRAGMENT, 42, 42);
	assert_int_equal(out_finish(sink, NULL, NULL), 0);
	const char *o = output();
	const char *sum = strstr(o, "{\"type\":\"summary\",\"start\":1700000000.250000,"
	                            "\"duration\":2.250000,\"packets\":4,\"tcp\":1,\"truncated\":0,"
	                            "\"malformed\":1,\"not_tcp\":1,\"fragments\":1,");
	assert_non_null(sum);
	assert_non_null(strstr(sum, "\"received\":null,\"dropped\":null,\"if_dropped\":null}\n"));
	assert_non_null(strstr(o, "\"kind\":\"malformed\""));
}

static void evict(struct track_conn *c, bool closed)
{
	c->closed = closed;
	emit_simple(TRACK_EVENT_EVICT, c, c->last_seen);
}

/* Connections that left the table mid-run still get a row, in id order, marked if evicted. */
static void test_summary_evicted(void **state)
{
	struct track_conn a, b;

	open_sink(OUT_FORMAT_TEXT, TRACK_NAMES_RFC, true, 0);
	out_frame(sink, 100.0, DECODE_OK, 74, 74);
	make_conn(&a, 2, 40002);
	a.ep[TRACK_CLIENT].state = TRACK_ESTABLISHED;
	a.ep[TRACK_SERVER].state = TRACK_ESTABLISHED;
	a.ep[TRACK_CLIENT].packets = 3;
	a.ep[TRACK_SERVER].packets = 2;
	a.ep[TRACK_CLIENT].bytes = 10;
	a.last_seen = 100.5;
	strcpy(a.history, "SsA");
	make_conn(&b, 1, 40001);
	b.ep[TRACK_CLIENT].state = TRACK_CLOSED;
	b.ep[TRACK_SERVER].state = TRACK_CLOSED;
	strcpy(b.history, "SR");
	evict(&a, false);
	evict(&b, true);
	assert_int_equal(out_finish(sink, NULL, NULL), 0);
	const char *o = output();
	const char *r1 =
	    strstr(o, "\n    1  127.0.0.1:40001        127.0.0.1:9998         CLOSED  ");
	const char *r2 = strstr(o, "\n    2  127.0.0.1:40002        127.0.0.1:9998         "
	                           "ESTABLISHED   ESTABLISHED   3/2           10/0            "
	                           "0.500000   SsA  [evicted: table full]\n");
	assert_non_null(r1);
	assert_non_null(r2);
	assert_true(r1 < r2);
	assert_null(strstr(r1, "SR  [evicted"));
	assert_null(strstr(o, "not shown"));
}

static void test_summary_cap(void **state)
{
	struct track_conn c;

	open_sink(OUT_FORMAT_TEXT, TRACK_NAMES_RFC, true, 2);
	for (uint64_t id = 1; id <= 5; id++) {
		make_conn(&c, id, (uint16_t)(40000 + id));
		evict(&c, true);
	}
	out_finish(sink, NULL, NULL);
	const char *o = output();
	assert_non_null(strstr(o, "\n    2  127.0.0.1:40002"));
	assert_null(strstr(o, "\n    3  127.0.0.1:40003"));
	assert_non_null(strstr(o, "... 3 more connections not shown (only 2 rows are kept)\n"));
}

/* JSONL writes a "conn" line as each connection leaves the table. */
static void test_jsonl_conn_line(void **state)
{
	struct track_conn c;

	open_sink(OUT_FORMAT_JSONL, TRACK_NAMES_RFC, false, 0);
	out_frame(sink, 100.0, DECODE_OK, 74, 74);
	make_conn(&c, 4, 40004);
	c.ep[TRACK_CLIENT].state = TRACK_TIME_WAIT;
	c.ep[TRACK_SERVER].state = TRACK_CLOSED;
	c.ep[TRACK_CLIENT].packets = 5;
	c.ep[TRACK_SERVER].packets = 4;
	c.ep[TRACK_CLIENT].bytes = 6;
	c.ep[TRACK_SERVER].bytes = 6;
	c.last_seen = 100.002;
	strcpy(c.history, "SsAFaFa");
	evict(&c, false);
	assert_string_equal(output(),
	                    "{\"type\":\"conn\",\"conn\":4,\"client\":\"127.0.0.1:40004\","
	                    "\"server\":\"127.0.0.1:9998\",\"client_state\":\"TIME_WAIT\","
	                    "\"server_state\":\"CLOSED\",\"first\":0.000000,\"last\":0.002000,"
	                    "\"client_packets\":5,\"server_packets\":4,\"client_bytes\":6,"
	                    "\"server_bytes\":6,\"midstream\":false,\"end\":\"evicted\","
	                    "\"history\":\"SsAFaFa\"}\n");
}

static void test_text_counts_problems(void **state)
{
	open_sink(OUT_FORMAT_TEXT, TRACK_NAMES_RFC, false, 0);
	out_frame(sink, 1.0, DECODE_OK, 74, 74);
	out_frame(sink, 1.5, DECODE_TRUNCATED, 30, 74);
	out_frame(sink, 2.0, DECODE_MALFORMED, 54, 54);
	out_finish(sink, NULL, NULL);
	assert_string_equal(output(),
	                    "  0.500000 -- anomaly: truncated  frame 2: 30 of its 74 bytes "
	                    "were captured, too few for its headers\n"
	                    "  1.000000 -- anomaly: malformed  frame 3: its headers "
	                    "contradict themselves (54 bytes)\n"
	                    "-- 3 frames: 1 TCP, 1 truncated, 1 malformed, 0 not TCP, "
	                    "0 fragments, 0 unsupported; 0 connections\n");
}

/* --summary alone: segments, state changes and frame problems print nothing; the end prints
 * the counts and the table. */
static void test_summary_only(void **state)
{
	struct track_conn c;
	struct decode_packet p;

	open_sink(OUT_FORMAT_SUMMARY, TRACK_NAMES_RFC, false, 0);
	make_conn(&c, 1, 45670);
	out_frame(sink, 100.0, DECODE_OK, 74, 74);
	emit_simple(TRACK_EVENT_OPEN, &c, 100.0);
	make_pkt(&p, &c, TRACK_CLIENT, DECODE_TCP_SYN, 0, 65495);
	emit_state(&c, 100.0, TRACK_CLIENT, TRACK_CLOSED, TRACK_SYN_SENT, "sent SYN");
	emit_packet(&c, 100.0, &p, TRACK_CLIENT, 0, 0);
	out_frame(sink, 100.5, DECODE_TRUNCATED, 30, 74);
	assert_string_equal(output(), "");
	c.last_seen = 100.0;
	strcpy(c.history, "S");
	evict(&c, false);
	assert_string_equal(output(), "");
	assert_int_equal(out_finish(sink, NULL, NULL), 0);
	const char *o = output();
	assert_true(strncmp(o, "-- 2 frames: 1 TCP, 1 truncated, ", 33) == 0);
	assert_non_null(
	    strstr(o, "\n    1  127.0.0.1:45670        127.0.0.1:9998         SYN_SENT"));
	assert_null(strstr(o, "sent SYN"));
	assert_null(strstr(o, "anomaly"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_text_syn, teardown),
	    cmocka_unit_test_teardown(test_text_ack_and_time, teardown),
	    cmocka_unit_test_teardown(test_text_timer_line, teardown),
	    cmocka_unit_test_teardown(test_names_linux, teardown),
	    cmocka_unit_test_teardown(test_jsonl_packet_state, teardown),
	    cmocka_unit_test_teardown(test_jsonl_ipv6_and_anomaly, teardown),
	    cmocka_unit_test_teardown(test_jsonl_summary, teardown),
	    cmocka_unit_test_teardown(test_summary_evicted, teardown),
	    cmocka_unit_test_teardown(test_summary_cap, teardown),
	    cmocka_unit_test_teardown(test_jsonl_conn_line, teardown),
	    cmocka_unit_test_teardown(test_text_counts_problems, teardown),
	    cmocka_unit_test_teardown(test_summary_only, teardown),
	    cmocka_unit_test_teardown(test_jsonl_flags_extremes, teardown),
	    cmocka_unit_test(test_json_check),
	    cmocka_unit_test_teardown(test_jsonl_extreme_times, teardown),
	    cmocka_unit_test_teardown(test_summary_no_connection, teardown),
	    cmocka_unit_test_teardown(test_text_kernel_loopback, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
