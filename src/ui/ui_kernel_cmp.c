/* ui_kernel_cmp.c — the kernel view's verdict on one endpoint: agree, a difference with a known
 * cause (the list is older, TIME_WAIT's two clocks, a client that gave up), or "! disagree". */
#include "ui_kernel_cmp.h"

#include <stdio.h>
#include <string.h>

static double tw_length(const struct ui_kcmp_in *in)
{
	return in->time_wait_secs > 0 ? in->time_wait_secs : UI_KCMP_KERNEL_TW;
}

static bool near(double age, double end)
{
	return age >= end - UI_KCMP_TW_GRACE && age <= end + UI_KCMP_TW_GRACE;
}

/* One side in TIME_WAIT, the other CLOSED (no socket): which clock ran out first, and whether
 * that is the end of 2MSL (RFC 9293 3.10.8: the TIME-WAIT timeout) or a --time-wait that is
 * not the kernel's. The TIME_WAIT started with the connection's last segment (the FIN that led
 * to it, or its retransmission, which restarts the timer). */
static enum ui_kcmp_verdict time_wait_pair(const struct ui_kcmp_in *in, enum track_state k)
{
	bool ours_ended = in->inferred == TRACK_CLOSED && k == TRACK_TIME_WAIT;
	bool kernels_ended = in->inferred == TRACK_TIME_WAIT && k == TRACK_CLOSED;

	if (!ours_ended && !kernels_ended)
		return UI_KCMP_DISAGREE;
	double age = in->list_at - in->last_seen, ours = tw_length(in);
	if (near(age, ours) || near(age, UI_KCMP_KERNEL_TW))
		return UI_KCMP_EXPIRING;
	/* between the two ends: the side with the shorter TIME_WAIT has closed */
	double lo = ours < UI_KCMP_KERNEL_TW ? ours : UI_KCMP_KERNEL_TW;
	double hi = ours < UI_KCMP_KERNEL_TW ? UI_KCMP_KERNEL_TW : ours;
	if (age > lo && age < hi &&
	    (ours_ended ? ours < UI_KCMP_KERNEL_TW : ours > UI_KCMP_KERNEL_TW))
		return UI_KCMP_TW_LENGTH;
	return UI_KCMP_DISAGREE;
}

enum ui_kcmp_verdict ui_kcmp_judge(const struct ui_kcmp_in *in)
{
	if (!in->live)
		return UI_KCMP_NA_FILE;
	/* no socket is what CLOSED looks like from the kernel side */
	enum track_state k = in->found ? in->kernel : TRACK_CLOSED;
	/* The tracker predicted the give-up (src/track/track_giveup.c), and the kernel agrees:
	 * the row still says what happened, not a blank. */
	if (!in->found && in->inferred == TRACK_CLOSED && in->gave_up)
		return UI_KCMP_GAVE_UP;
	if (in->inferred == TRACK_UNKNOWN || k == in->inferred)
		return UI_KCMP_AGREE;
	if (in->paused)
		return UI_KCMP_NA_PAUSED;
	/* The list is read once a second: a connection that moved after that is simply not in
	 * it yet (a new one shows "(none)" for up to a second). */
	if (in->last_seen >= in->list_at)
		return UI_KCMP_NEWER;
	enum ui_kcmp_verdict tw = time_wait_pair(in, k);
	if (tw != UI_KCMP_DISAGREE)
		return tw;
	/* SYNs and never an answer, and the kernel no longer has the socket: the client gave up
	 * without a segment on the wire, its SYN retransmissions past their limit (RFC 9293
	 * 3.8.3, R2 for a SYN; Linux: tcp_syn_retries or TCP_SYNCNT) or the program closed it
	 * (3.10.4: CLOSE in SYN-SENT deletes the TCB and sends nothing). */
	if (!in->found && in->inferred == TRACK_SYN_SENT && in->peer_sent == 0)
		return UI_KCMP_GAVE_UP;
	if (!in->found && in->sent == 0 && in->peer_sent > 0 &&
	    in->peer_inferred == TRACK_SYN_SENT &&
	    (in->inferred == TRACK_LISTEN || in->inferred == TRACK_SYN_RECEIVED))
		return UI_KCMP_UNANSWERED;
	if (!in->found && in->list_capped)
		return UI_KCMP_NOT_READ;
	return UI_KCMP_DISAGREE;
}

/* Each verdict's words, longest first; the first that fits is shown. */
static const char *const words[][3] = {
    [UI_KCMP_AGREE] = {"", "", ""},
    [UI_KCMP_NA_FILE] = {"n/a (a file)", "n/a", "n/a"},
    [UI_KCMP_NA_PAUSED] = {"n/a while paused", "n/a", "n/a"},
    [UI_KCMP_NEWER] = {"~ newer than the list", "~ newer", "~"},
    [UI_KCMP_EXPIRING] = {"~ expiring (end of TIME_WAIT)", "~ expiring", "~"},
    [UI_KCMP_TW_LENGTH] = {"~ --time-wait is not the kernel's 60 s", "~ 2MSL", "~"},
    [UI_KCMP_GAVE_UP] = {"", "", "gave up"}, /* the first two name the count */
    [UI_KCMP_UNANSWERED] = {"~ never answered a SYN", "~ no answer", "~"},
    [UI_KCMP_NOT_READ] = {"? not read (list capped)", "? not read", "?"},
    [UI_KCMP_DISAGREE] = {"! disagree", "! disagree", "!"},
};

const char *ui_kcmp_text(enum ui_kcmp_verdict v, const struct ui_kcmp_in *in, int room, char *buf,
                         int len)
{
	if ((unsigned)v >= sizeof words / sizeof words[0])
		v = UI_KCMP_DISAGREE;
	for (int form = 0; form < 2; form++) {
		const char *t = words[v][form];
		if (v == UI_KCMP_GAVE_UP) {
			if (!buf || len <= 0 || !in)
				break;
			snprintf(buf, (size_t)len,
			         form == 0 ? "gave up (no answer to %llu SYN%s)"
			                   : "gave up (%llu SYN%s)",
			         (unsigned long long)in->sent, in->sent == 1 ? "" : "s");
			t = buf;
		}
		if ((int)strlen(t) <= room)
			return t;
	}
	return words[v][2];
}
