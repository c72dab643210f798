/* ui_kernel_cmp.h — the kernel view's verdict on one endpoint: the state tcpscope inferred from
 * the wire beside the one the kernel reports (sock_diag). Pure; no curses. Internal to src/ui. */
#ifndef SOCKLAB_UI_KERNEL_CMP_H
#define SOCKLAB_UI_KERNEL_CMP_H

#include <stdbool.h>
#include <stdint.h>

#include "socklab/track.h"

/* Linux keeps a timewait socket TCP_TIMEWAIT_LEN (60 s) after the segment that started it,
 * and its timer wheel fires up to a few seconds late; tcpscope's own timer may differ
 * (--time-wait) and ticks on its own. Within this many seconds of either end of TIME_WAIT, one
 * side saying TIME_WAIT and the other CLOSED is the two clocks, not a disagreement. */
#define UI_KCMP_KERNEL_TW 60.0
#define UI_KCMP_TW_GRACE  4.0

enum ui_kcmp_verdict {
	UI_KCMP_AGREE,      /* same state, or no socket where tcpscope says CLOSED */
	UI_KCMP_NA_FILE,    /* replaying a file: its connections are not this host's sockets */
	UI_KCMP_NA_PAUSED,  /* paused: the inferred states stand still, the sockets do not */
	UI_KCMP_NEWER,      /* a segment after the list was read: the list is behind */
	UI_KCMP_EXPIRING,   /* TIME_WAIT vs CLOSED within the grace window around its end */
	UI_KCMP_TW_LENGTH,  /* TIME_WAIT vs CLOSED because --time-wait is not the kernel's 60 s */
	UI_KCMP_GAVE_UP,    /* SYN_SENT, no socket, never an answer: the client stopped trying */
	UI_KCMP_UNANSWERED, /* the peer of a client in SYN_SENT: sent nothing, and no socket */
	UI_KCMP_NOT_READ,   /* no socket found, but the list was capped: it may be among the rest */
	UI_KCMP_DISAGREE,
};

/* One endpoint, as the kernel view sees it. Times are wall-clock seconds (live capture). */
struct ui_kcmp_in {
	enum track_state inferred, peer_inferred;
	bool found; /* the kernel lists a socket for this endpoint's 4-tuple */
	enum track_state kernel;
	bool live, paused;
	bool list_capped;         /* the kernel listed more sockets than were read */
	double list_at;           /* when the list was read */
	double last_seen;         /* the connection's last segment */
	double time_wait_secs;    /* tcpscope's TIME_WAIT (0: 60 s) */
	uint64_t sent, peer_sent; /* segments this endpoint and its peer sent */
	bool gave_up; /* inferred CLOSED after SYNs only, never answered (ui_row.gave_up) */
};

enum ui_kcmp_verdict ui_kcmp_judge(const struct ui_kcmp_in *in);

/* The words for a verdict other than AGREE, the longest of its forms that fits in room
 * columns (the shortest if none does): "!" starts a real disagreement, "~" a difference with a
 * known cause, "n/a" no comparison. GAVE_UP's longer forms name the count of SYNs (in->sent)
 * and are written into buf (len bytes). */
const char *ui_kcmp_text(enum ui_kcmp_verdict v, const struct ui_kcmp_in *in, int room, char *buf,
                         int len);

#endif
