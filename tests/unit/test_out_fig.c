/* test_out_fig.c — the figures' collector (which row and side each state change is drawn at,
 * the caps and their notes, --conn) and the SVG text escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "socklab/out_fig.h"

#include "out/out_svg_priv.h" /* out_svg_text */

static struct track_conn conn_n(uint64_t id)
{
	struct track_conn c;

	memset(&c, 0, sizeof c);
	c.id = id;
	for (int e = 0; e < 2; e++) {
		c.ep[e].addr.family = 4;
		c.ep[e].addr.bytes[0] = 127;
		c.ep[e].addr.bytes[3] = 1;
	}
	c.ep[0].port = 40000;
	c.ep[1].port = 9998;
	return c;
}

static double now = 100.0; /* the capture's clock in the events made below */

/* A segment's events ride in its PACKET (track.h, "Events"): open_ev and state_ev gather them
 * here, packet_ev hands them over; timer_ev delivers a timer's change on its own. */
static struct track_event caused[32];
static size_t ncaused;

static void open_ev(struct out_fig *f, const struct track_conn *c)
{
	(void)f;
	caused[ncaused++] = (struct track_event){.kind = TRACK_EVENT_OPEN, .conn = c};
}

static struct track_event state_of(const struct track_conn *c, enum track_role who,
                                   enum track_state from, enum track_state to, const char *why)
{
	return (struct track_event){.kind = TRACK_EVENT_STATE,
	                            .t = now,
	                            .conn = c,
	                            .endpoint = who,
	                            .from = from,
	                            .to = to,
	                            .why = why};
}

static void state_ev(struct out_fig *f, const struct track_conn *c, enum track_role who,
                     enum track_state from, enum track_state to, const char *why)
{
	(void)f;
	caused[ncaused++] = state_of(c, who, from, to, why);
}

static void timer_ev(struct out_fig *f, const struct track_conn *c, enum track_role who,
                     enum track_state from, enum track_state to, const char *why)
{
	struct track_event ev = state_of(c, who, from, to, why);
	out_fig_event(&ev, f);
}

static void packet_ev(struct out_fig *f, const struct track_conn *c, enum track_role sender,
                      uint8_t flags)
{
	struct decode_packet p;
	struct track_event ev = {.kind = TRACK_EVENT_PACKET,
	                         .t = now,
	                         .conn = c,
	                         .sender = sender,
	                         .pkt = &p,
	                         .caused = caused,
	                         .ncaused = ncaused};

	memset(&p, 0, sizeof p);
	p.flags = flags;
	out_fig_event(&ev, f);
	ncaused = 0;
}

/* The SVG document as a string (caller frees). */
static char *svg_of(const struct out_fig *f, bool diagram)
{
	struct out_svg_options o = {.diagram = diagram, .names = TRACK_NAMES_RFC, .source = "t"};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	assert_non_null(fp);
	assert_int_equal(out_svg_write(fp, f, &o), 0);
	fclose(fp);
	return buf;
}

/* A segment's state changes, carried in its PACKET, land on that segment's row, at the tail
 * for its sender and at the head for its receiver, chained ones in order; a timer's change
 * (delivered on its own) gets a row of its own. */
static void test_rows_and_sides(void **state)
{
	struct out_fig *f = out_fig_create(NULL, 0);
	struct track_conn c = conn_n(1);
	const struct out_fig_conn *fc;

	(void)state;
	now = 100.0;
	open_ev(f, &c);
	state_ev(f, &c, TRACK_CLIENT, TRACK_CLOSED, TRACK_SYN_SENT, "sent SYN");
	packet_ev(f, &c, TRACK_CLIENT, DECODE_TCP_SYN);
	now += 0.040;
	state_ev(f, &c, TRACK_CLIENT, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2, "ACK of our FIN");
	state_ev(f, &c, TRACK_CLIENT, TRACK_FIN_WAIT_2, TRACK_TIME_WAIT, "FIN");
	packet_ev(f, &c, TRACK_SERVER, DECODE_TCP_FIN | DECODE_TCP_ACK);
	now += 60.0;
	timer_ev(f, &c, TRACK_CLIENT, TRACK_TIME_WAIT, TRACK_CLOSED, "TIME_WAIT expired");

	fc = out_fig_find(f, 1);
	assert_non_null(fc);
	assert_string_equal(fc->ep_text[TRACK_CLIENT], "127.0.0.1:40000");
	assert_int_equal(fc->nrows, 3);
	assert_int_equal(fc->rows[0].kind, OUT_FIG_ROW_SEGMENT);
	assert_int_equal(fc->rows[1].sender, TRACK_SERVER);
	assert_int_equal(fc->rows[2].kind, OUT_FIG_ROW_TIMER);
	assert_int_equal(fc->rows[0].usec, 0);
	assert_int_equal(fc->rows[1].usec, 40000); /* 40 ms after the first */
	assert_int_equal(fc->rows[2].usec, 60040000);
	assert_int_equal(fc->nstates, 4);
	assert_int_equal(fc->states[0].row, 0);
	assert_true(fc->states[0].at_tail); /* the client sent the SYN */
	assert_int_equal(fc->states[1].row, 1);
	assert_false(fc->states[1].at_tail); /* it received the FIN */
	assert_int_equal(fc->states[2].row, 1);
	assert_int_equal(fc->states[2].to, TRACK_TIME_WAIT);
	assert_false(fc->states[2].at_tail);
	assert_int_equal(fc->states[3].row, 2);
	assert_string_equal(fc->states[3].why, "TIME_WAIT expired");
	out_fig_destroy(f);
}

/* A refused connection's server never changes state: the START event its RST/ACK carries
 * still puts CLOSED at the top of its timeline, with the START's reason. */
static void test_start_state_without_change(void **state)
{
	struct out_fig *f = out_fig_create(NULL, 0);
	struct track_conn c = conn_n(1);
	struct track_event start = {.kind = TRACK_EVENT_START,
	                            .conn = &c,
	                            .endpoint = TRACK_SERVER,
	                            .from = TRACK_UNKNOWN,
	                            .to = TRACK_CLOSED,
	                            .why = "nothing was listening"};
	char *svg;

	(void)state;
	open_ev(f, &c);
	state_ev(f, &c, TRACK_CLIENT, TRACK_CLOSED, TRACK_SYN_SENT, "sent SYN");
	packet_ev(f, &c, TRACK_CLIENT, DECODE_TCP_SYN);
	caused[ncaused++] = start;
	state_ev(f, &c, TRACK_CLIENT, TRACK_SYN_SENT, TRACK_CLOSED, "refused");
	packet_ev(f, &c, TRACK_SERVER, DECODE_TCP_RST | DECODE_TCP_ACK);
	assert_int_equal(out_fig_find(f, 1)->start[TRACK_SERVER], TRACK_CLOSED);
	svg = svg_of(f, false);
	assert_non_null(strstr(svg, "<title>nothing was listening</title><text x=\"634\" y=\"114\" "
	                            "text-anchor=\"start\" fill=\"#b35900\" "
	                            "font-size=\"13\">CLOSED</text>"));
	free(svg);
	out_fig_destroy(f);
}

/* The FIN's receiver enters CLOSE_WAIT when the FIN arrives: the change, which the tracker
 * reports with the receiver's next segment (a delayed ACK), is drawn at the FIN's head. */
static void test_close_wait_at_fin(void **state)
{
	struct out_fig *f = out_fig_create(NULL, 0);
	struct track_conn c = conn_n(1);
	const struct out_fig_conn *fc;

	(void)state;
	open_ev(f, &c);
	packet_ev(f, &c, TRACK_CLIENT, DECODE_TCP_ACK);
	state_ev(f, &c, TRACK_CLIENT, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1, "sent FIN");
	packet_ev(f, &c, TRACK_CLIENT, DECODE_TCP_FIN | DECODE_TCP_ACK);
	packet_ev(f, &c, TRACK_CLIENT, DECODE_TCP_ACK); /* no change: stays on its row */
	now += 0.040;
	state_ev(f, &c, TRACK_SERVER, TRACK_ESTABLISHED, TRACK_CLOSE_WAIT, "received FIN");
	state_ev(f, &c, TRACK_CLIENT, TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2, "ACK of our FIN");
	packet_ev(f, &c, TRACK_SERVER, DECODE_TCP_ACK);
	fc = out_fig_find(f, 1);
	assert_int_equal(fc->nstates, 3);
	assert_int_equal(fc->states[1].to, TRACK_CLOSE_WAIT);
	assert_int_equal(fc->states[1].row, 1); /* the FIN's row, where it arrives */
	assert_false(fc->states[1].at_tail);
	assert_int_equal(fc->states[2].row, 3); /* FIN_WAIT_2: on the ACK that caused it */
	assert_false(fc->states[2].at_tail);
	out_fig_destroy(f);
}

/* A step made by an RST is drawn on the dashed RST edge, one made by an ACK on the plain
 * edge between the same two states. */
static void test_reset_edge(void **state)
{
	struct out_fig *f = out_fig_create(NULL, 0);
	struct track_conn c = conn_n(1), d = conn_n(2);
	char *svg;

	(void)state;
	open_ev(f, &c);
	state_ev(f, &c, TRACK_SERVER, TRACK_LAST_ACK, TRACK_CLOSED, "received RST");
	packet_ev(f, &c, TRACK_CLIENT, DECODE_TCP_RST);
	open_ev(f, &d);
	state_ev(f, &d, TRACK_SERVER, TRACK_LAST_ACK, TRACK_CLOSED, "received ACK of our FIN");
	packet_ev(f, &d, TRACK_CLIENT, DECODE_TCP_ACK);
	svg = svg_of(f, true);
	/* the step's polyline (in the server's shifted group): the RST edge out of LAST_ACK's
	 * right side for #1, the plain one straight down for #2 */
	char *two = strstr(svg, "<g id=\"conn-2\">");
	assert_non_null(two);
	char *rst =
	    strstr(svg, "<title>server step 1: received RST</title><polyline points=\"714,");
	char *ack = strstr(svg, "<title>server step 1: received ACK of our FIN</title><polyline "
	                        "points=\"650,");
	assert_non_null(rst);
	assert_true(rst < two);
	assert_non_null(ack);
	assert_true(ack > two);
	free(svg);
	out_fig_destroy(f);
}

/* Past 200 segments the ladder stops and says so; the state changes are still kept (for the
 * diagram's path). */
static void test_row_cap_note(void **state)
{
	struct out_fig *f = out_fig_create(NULL, 0);
	struct track_conn c = conn_n(1);
	const struct out_fig_conn *fc;
	char *svg;

	(void)state;
	open_ev(f, &c);
	for (int i = 0; i < OUT_FIG_MAX_ROWS + 50; i++)
		packet_ev(f, &c, i % 2 ? TRACK_SERVER : TRACK_CLIENT, DECODE_TCP_ACK);
	state_ev(f, &c, TRACK_CLIENT, TRACK_ESTABLISHED, TRACK_FIN_WAIT_1, "sent FIN");
	packet_ev(f, &c, TRACK_CLIENT, DECODE_TCP_FIN);
	fc = out_fig_find(f, 1);
	assert_int_equal(fc->nrows, OUT_FIG_MAX_ROWS);
	assert_int_equal(fc->rows_cut, 51);
	assert_int_equal(fc->nstates, 1);
	assert_int_equal(fc->states[0].row, OUT_FIG_NO_ROW);
	svg = svg_of(f, false);
	assert_non_null(strstr(svg, "first 200 segments shown; 51 more not drawn."));
	free(svg);
	svg = svg_of(f, true); /* the diagram still draws the step */
	assert_non_null(strstr(svg, "client step 1: sent FIN"));
	free(svg);
	out_fig_destroy(f);
}

/* Past 64 connections the rest are counted once each and named in a note; --conn picks. */
static void test_conn_cap_and_pick(void **state)
{
	struct out_fig *f = out_fig_create(NULL, 0);
	uint64_t want[] = {3, 70};
	struct out_fig *g = out_fig_create(want, 2);
	char *svg;

	(void)state;
	for (uint64_t id = 1; id <= OUT_FIG_MAX_CONNS + 6; id++) {
		struct track_conn c = conn_n(id);
		open_ev(f, &c);
		packet_ev(f, &c, TRACK_CLIENT, DECODE_TCP_SYN);
		open_ev(g, &c);
		packet_ev(g, &c, TRACK_CLIENT, DECODE_TCP_SYN);
	}
	assert_int_equal(f->nconns, OUT_FIG_MAX_CONNS);
	assert_int_equal(f->conns_cut, 6);
	svg = svg_of(f, false);
	assert_non_null(strstr(svg, "first 64 connections shown; 6 more not drawn"));
	free(svg);
	assert_int_equal(g->nconns, 2);
	assert_non_null(out_fig_find(g, 3));
	assert_non_null(out_fig_find(g, 70));
	assert_null(out_fig_find(g, 1));
	assert_null(out_fig_create(want, OUT_FIG_MAX_CONNS + 1));
	out_fig_destroy(f);
	out_fig_destroy(g);
}

/* The live screen keeps the latest connections: past the cap the oldest is evicted, the rest
 * stay in id order with their own rows, and the note says which ones are shown. */
static void test_keep_latest(void **state)
{
	struct out_fig *f = out_fig_create(NULL, 0);
	char *svg;

	(void)state;
	out_fig_set_keep_latest(f, true);
	for (uint64_t id = 1; id <= OUT_FIG_MAX_CONNS + 6; id++) {
		struct track_conn c = conn_n(id);
		open_ev(f, &c);
		packet_ev(f, &c, TRACK_CLIENT, DECODE_TCP_SYN);
		if (id % 2)
			packet_ev(f, &c, TRACK_SERVER, DECODE_TCP_SYN | DECODE_TCP_ACK);
	}
	assert_int_equal(f->nconns, OUT_FIG_MAX_CONNS);
	assert_int_equal(f->conns_cut, 6);
	for (uint64_t id = 1; id <= 6; id++)
		assert_null(out_fig_find(f, id));
	for (uint32_t i = 0; i < f->nconns; i++) {
		assert_int_equal(f->conns[i].id, 7 + i);
		/* a reused slot starts empty: no rows of the evicted connection */
		assert_int_equal(f->conns[i].nrows, (f->conns[i].id % 2) ? 2 : 1);
	}
	svg = svg_of(f, false);
	assert_non_null(strstr(svg, "latest 64 connections shown; 6 earlier not drawn"));
	free(svg);
	out_fig_destroy(f);
}

static void expect_text(const char *in, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	out_svg_text(fp, in);
	fclose(fp);
	assert_string_equal(buf, want);
	free(buf);
}

/* Reasons and addresses reach the XML escaped; what XML 1.0 cannot hold becomes U+FFFD. */
static void test_text_escape(void **state)
{
	(void)state;
	expect_text("plain", "plain");
	expect_text("a<b>&\"'", "a&lt;b&gt;&amp;&quot;&apos;");
	expect_text("[::1]:80 caf\xc3\xa9", "[::1]:80 caf\xc3\xa9");
	expect_text("x\x01y", "x\xef\xbf\xbdy");
	expect_text("bad \xff end", "bad \xef\xbf\xbd end");
	expect_text("cut \xe2\x86", "cut \xef\xbf\xbd\xef\xbf\xbd");
	expect_text("overlong \xc0\xaf", "overlong \xef\xbf\xbd\xef\xbf\xbd");
	expect_text("surrogate \xed\xa0\x80", "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

/* A reason with markup in it stays text in the document. */
static void test_why_escaped_in_svg(void **state)
{
	struct out_fig *f = out_fig_create(NULL, 0);
	struct track_conn c = conn_n(1);
	char *svg;

	(void)state;
	open_ev(f, &c);
	state_ev(f, &c, TRACK_CLIENT, TRACK_CLOSED, TRACK_SYN_SENT, "<script>&");
	packet_ev(f, &c, TRACK_CLIENT, DECODE_TCP_SYN);
	svg = svg_of(f, false);
	assert_null(strstr(svg, "<script>"));
	assert_non_null(strstr(svg, "<title>&lt;script&gt;&amp;</title>"));
	free(svg);
	out_fig_destroy(f);
}

/* A label too long for the gap between the timelines is set smaller; a short one is not. */
static void test_long_label_smaller(void **state)
{
	struct out_fig *f = out_fig_create(NULL, 0);
	struct track_conn c = conn_n(1);
	struct decode_packet p;
	struct track_event ev = {.kind = TRACK_EVENT_PACKET,
	                         .conn = &c,
	                         .sender = TRACK_CLIENT,
	                         .pkt = &p,
	                         .rel_seq = 4294967295u,
	                         .rel_ack = 4294967295u};
	struct track_event open = {.kind = TRACK_EVENT_OPEN, .conn = &c};
	char *svg;

	(void)state;
	memset(&p, 0, sizeof p);
	p.flags = 0xff;
	p.payload_len = 65535;
	ev.caused = &open;
	ev.ncaused = 1;
	out_fig_event(&ev, f);
	packet_ev(f, &c, TRACK_SERVER, DECODE_TCP_ACK);
	svg = svg_of(f, false);
	assert_non_null(strstr(svg, "font-size=\"10\" fill=\"#222222\" class=\"halo\" "
	                            "transform=\"rotate(3.72 450 153)\">SYN,FIN,RST,PSH,"
	                            "ACK,URG,ECE,CWR seq=4294967295 ack=4294967295 len=65535<"));
	/* the server's arrow goes right to left: its label leans the other way */
	assert_non_null(strstr(svg, "font-size=\"12\" fill=\"#222222\" class=\"halo\" "
	                            "transform=\"rotate(-3.72 450 189)\">ACK seq=0 ack=0<"));
	free(svg);
	out_fig_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rows_and_sides),
	    cmocka_unit_test(test_row_cap_note),
	    cmocka_unit_test(test_conn_cap_and_pick),
	    cmocka_unit_test(test_keep_latest),
	    cmocka_unit_test(test_text_escape),
	    cmocka_unit_test(test_why_escaped_in_svg),
	    cmocka_unit_test(test_long_label_smaller),
	    cmocka_unit_test(test_start_state_without_change),
	    cmocka_unit_test(test_close_wait_at_fin),
	    cmocka_unit_test(test_reset_edge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
