/* out_svg_geom.c — where the state diagram's boxes and edges stand: RFC 9293's figure 5 with
 * the transitions a Linux endpoint takes. */
#include "out_svg_geom.h"

/* Where each state's box stands, as in RFC 9293's figure: opening above ESTABLISHED, the
 * active close on the left, the passive close on the right. CLOSED is drawn twice, as there:
 * a box at the top (where connections start) and a bar at the bottom (where they end). */
const struct out_svg_box out_svg_box[TRACK_STATE_COUNT] = {
    [TRACK_CLOSED] = {400, 50},        [TRACK_LISTEN] = {400, 140},
    [TRACK_SYN_RECEIVED] = {150, 240}, [TRACK_SYN_SENT] = {650, 240},
    [TRACK_ESTABLISHED] = {400, 340},  [TRACK_FIN_WAIT_1] = {150, 440},
    [TRACK_CLOSING] = {400, 440},      [TRACK_CLOSE_WAIT] = {650, 440},
    [TRACK_FIN_WAIT_2] = {150, 540},   [TRACK_TIME_WAIT] = {400, 540},
    [TRACK_LAST_ACK] = {650, 540},
};

/* The transitions a Linux endpoint takes (RFC 9293 §3.5, §3.6, §3.10; Linux takes a FIN that
 * also ACKs its FIN as FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT, so FIN_WAIT_1 -> TIME_WAIT is not
 * here; an RST ends TIME_WAIT too, as Linux does unless net.ipv4.tcp_rfc1337 is set). Every
 * edge into CLOSED ends on the bottom bar but LISTEN's close() and SYN_SENT's close() or
 * giving up, which go back to the top box as in the RFC's figure. */
/* clang-format off */
const struct out_svg_edge out_svg_edges[] = {
    {TRACK_CLOSED, TRACK_LISTEN, false, "listen()", 378, 99, "end", 2, {{385, 67}, {385, 123}}},
    {TRACK_LISTEN, TRACK_CLOSED, false, "close()", 422, 99, "start", 2, {{415, 123}, {415, 67}}},
    {TRACK_CLOSED, TRACK_SYN_SENT, false, "connect(): send SYN", 530, 43, "middle", 3,
     {{464, 50}, {650, 50}, {650, 223}}},
    {TRACK_LISTEN, TRACK_SYN_RECEIVED, false, "rcv SYN: send SYN,ACK", 243, 133, "middle", 3,
     {{336, 140}, {150, 140}, {150, 223}}},
    {TRACK_SYN_SENT, TRACK_SYN_RECEIVED, false, "rcv SYN (simultaneous open): send SYN,ACK", 400,
     233, "middle", 2, {{586, 240}, {214, 240}}},
    {TRACK_SYN_SENT, TRACK_ESTABLISHED, false, "rcv SYN,ACK: send ACK", 548, 300, "start", 2,
     {{610, 257}, {452, 323}}},
    {TRACK_SYN_RECEIVED, TRACK_ESTABLISHED, false, "rcv ACK of SYN", 256, 300, "end", 2,
     {{190, 257}, {348, 323}}},
    {TRACK_SYN_RECEIVED, TRACK_FIN_WAIT_1, false, "close(): send FIN", 158, 345, "start", 2,
     {{150, 257}, {150, 423}}},
    {TRACK_ESTABLISHED, TRACK_FIN_WAIT_1, false, "close(): send FIN", 270, 410, "start", 2,
     {{348, 357}, {190, 423}}},
    {TRACK_ESTABLISHED, TRACK_CLOSE_WAIT, false, "rcv FIN: send ACK", 515, 410, "end", 2,
     {{452, 357}, {610, 423}}},
    {TRACK_FIN_WAIT_1, TRACK_FIN_WAIT_2, false, "rcv ACK of FIN", 158, 494, "start", 2,
     {{150, 457}, {150, 523}}},
    {TRACK_FIN_WAIT_1, TRACK_CLOSING, false, "rcv FIN: send ACK", 275, 461, "middle", 2,
     {{214, 440}, {336, 440}}},
    {TRACK_FIN_WAIT_2, TRACK_TIME_WAIT, false, "rcv FIN: send ACK", 275, 561, "middle", 2,
     {{214, 540}, {336, 540}}},
    {TRACK_CLOSING, TRACK_TIME_WAIT, false, "rcv ACK of FIN", 408, 494, "start", 2,
     {{400, 457}, {400, 523}}},
    {TRACK_CLOSE_WAIT, TRACK_LAST_ACK, false, "close(): send FIN", 642, 494, "end", 2,
     {{650, 457}, {650, 523}}},
    {TRACK_LAST_ACK, TRACK_CLOSED, false, "rcv ACK of FIN", 642, 594, "end", 2,
     {{650, 557}, {650, BAR_Y}}},
    {TRACK_TIME_WAIT, TRACK_CLOSED, false, "2 MSL timer (60 s on Linux)", 392, 594, "end", 2,
     {{400, 557}, {400, BAR_Y}}},
    {TRACK_SYN_SENT, TRACK_CLOSED, true, "rcv RST: refused", 720, 233, "start", 3,
     {{714, 240}, {760, 240}, {760, BAR_Y}}},
    {TRACK_SYN_RECEIVED, TRACK_CLOSED, true, "RST", 73, 234, "middle", 3,
     {{86, 240}, {60, 240}, {60, BAR_Y}}},
    {TRACK_FIN_WAIT_1, TRACK_CLOSED, true, "RST", 73, 434, "middle", 3,
     {{86, 440}, {60, 440}, {60, BAR_Y}}},
    {TRACK_FIN_WAIT_2, TRACK_CLOSED, true, "RST", 73, 534, "middle", 3,
     {{86, 540}, {60, 540}, {60, BAR_Y}}},
    {TRACK_ESTABLISHED, TRACK_CLOSED, true, "RST or abort", 468, 333, "start", 3,
     {{464, 340}, {525, 340}, {525, BAR_Y}}},
    {TRACK_CLOSING, TRACK_CLOSED, true, "RST", 494, 434, "middle", 3,
     {{464, 440}, {525, 440}, {525, BAR_Y}}},
    {TRACK_CLOSE_WAIT, TRACK_CLOSED, true, "RST", 737, 434, "middle", 3,
     {{714, 440}, {760, 440}, {760, BAR_Y}}},
    {TRACK_LAST_ACK, TRACK_CLOSED, true, "RST", 737, 534, "middle", 3,
     {{714, 540}, {760, 540}, {760, BAR_Y}}},
    {TRACK_TIME_WAIT, TRACK_CLOSED, true, "RST", 494, 534, "middle", 3,
     {{464, 540}, {525, 540}, {525, BAR_Y}}},
    {TRACK_SYN_SENT, TRACK_CLOSED, false, "close() or gave up", 622, 150, "end", 3,
     {{630, 223}, {630, 62}, {464, 62}}},
};
/* clang-format on */
const int out_svg_nedges = (int)(sizeof out_svg_edges / sizeof out_svg_edges[0]);
