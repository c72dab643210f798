/* track_names.c — state, role and anomaly names in RFC 9293 and Linux spellings. */
#include "socklab/track.h"

static const char *const rfc_names[TRACK_STATE_COUNT] = {
    [TRACK_UNKNOWN] = "UNKNOWN",
    [TRACK_CLOSED] = "CLOSED",
    [TRACK_LISTEN] = "LISTEN",
    [TRACK_SYN_SENT] = "SYN_SENT",
    [TRACK_SYN_RECEIVED] = "SYN_RECEIVED",
    [TRACK_ESTABLISHED] = "ESTABLISHED",
    [TRACK_FIN_WAIT_1] = "FIN_WAIT_1",
    [TRACK_FIN_WAIT_2] = "FIN_WAIT_2",
    [TRACK_CLOSE_WAIT] = "CLOSE_WAIT",
    [TRACK_CLOSING] = "CLOSING",
    [TRACK_LAST_ACK] = "LAST_ACK",
    [TRACK_TIME_WAIT] = "TIME_WAIT",
};

/* The kernel's spellings, as /proc/net/tcp, ss and the sock:inet_sock_set_state tracepoint
 * use them (CLOSE, not CLOSED). */
static const char *const linux_names[TRACK_STATE_COUNT] = {
    [TRACK_UNKNOWN] = "UNKNOWN",       [TRACK_CLOSED] = "CLOSE",
    [TRACK_LISTEN] = "LISTEN",         [TRACK_SYN_SENT] = "SYN_SENT",
    [TRACK_SYN_RECEIVED] = "SYN_RECV", [TRACK_ESTABLISHED] = "ESTABLISHED",
    [TRACK_FIN_WAIT_1] = "FIN_WAIT1",  [TRACK_FIN_WAIT_2] = "FIN_WAIT2",
    [TRACK_CLOSE_WAIT] = "CLOSE_WAIT", [TRACK_CLOSING] = "CLOSING",
    [TRACK_LAST_ACK] = "LAST_ACK",     [TRACK_TIME_WAIT] = "TIME_WAIT",
};

const char *track_state_name(enum track_state s, enum track_names names)
{
	if ((unsigned)s >= TRACK_STATE_COUNT)
		return "?";
	return names == TRACK_NAMES_LINUX ? linux_names[s] : rfc_names[s];
}

/* Compare ignoring case and treating '-' like '_' (ss prints "TIME-WAIT", "SYN-RECV"). */
static bool name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '-' ? '_' : *a;
		char y = *b == '-' ? '_' : *b;
		if (x >= 'a' && x <= 'z')
			x = (char)(x - 'a' + 'A');
		if (y >= 'a' && y <= 'z')
			y = (char)(y - 'a' + 'A');
		if (x != y)
			return false;
	}
	return *a == *b;
}

bool track_state_parse(const char *name, enum track_state *out)
{
	if (!name)
		return false;
	for (int i = 0; i < TRACK_STATE_COUNT; i++) {
		if (name_eq(name, rfc_names[i]) || name_eq(name, linux_names[i])) {
			*out = (enum track_state)i;
			return true;
		}
	}
	/* ss and /proc spellings that differ from both tables above. */
	static const struct {
		const char *name;
		enum track_state s;
	} extra[] = {
	    {"UNCONN", TRACK_CLOSED},
	    {"FIN_WAIT_1", TRACK_FIN_WAIT_1},
	    {"SYN_RCVD", TRACK_SYN_RECEIVED},
	    {"CLOSE_WAIT", TRACK_CLOSE_WAIT},
	};
	for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
		if (name_eq(name, extra[i].name)) {
			*out = extra[i].s;
			return true;
		}
	}
	return false;
}

const char *track_role_name(enum track_role r) { return r == TRACK_SERVER ? "server" : "client"; }

static const char *const anomaly_names[TRACK_ANOMALY_COUNT] = {
    [TRACK_ANOMALY_NONE] = "none",
    [TRACK_ANOMALY_RETRANSMISSION] = "retransmission",
    [TRACK_ANOMALY_RST_OUT_OF_WINDOW] = "rst_out_of_window",
    [TRACK_ANOMALY_RST_CHALLENGE] = "rst_challenge",
    [TRACK_ANOMALY_MIDSTREAM] = "midstream",
    [TRACK_ANOMALY_UNEXPECTED] = "unexpected",
    [TRACK_ANOMALY_TABLE_FULL] = "table_full",
    [TRACK_ANOMALY_PORT_REUSE] = "port_reuse",
    [TRACK_ANOMALY_TRUNCATED] = "truncated",
    [TRACK_ANOMALY_MALFORMED] = "malformed",
};

const char *track_anomaly_name(enum track_anomaly a)
{
	if ((unsigned)a >= TRACK_ANOMALY_COUNT)
		return "?";
	return anomaly_names[a];
}
