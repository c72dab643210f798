/* observe.h — the scenario driver's record of what the kernel says each endpoint's state is. */
#ifndef SOCKLAB_INTEG_OBSERVE_H
#define SOCKLAB_INTEG_OBSERVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "socklab/kernel.h"

#define OBS_MAX_EPS 4

/* One endpoint of a connection as the wire shows it: its own address and port, and the peer.
 * fd is the socket the driver holds for it (-1: none, e.g. not yet accepted, or closed). */
struct obs_ep {
	bool used;
	const char *role; /* "client" / "server": for the reader only */
	char key[64];     /* "127.0.0.1:21100" or "[::1]:21100", as tcpscope writes endpoints */
	struct decode_addr laddr, raddr;
	uint16_t lport, rport;
	int fd;
	bool recorded;
	enum track_state last;
};

struct obs {
	FILE *out;
	struct obs_ep ep[OBS_MAX_EPS];
	const char *step; /* what the driver did last, written with each sample */
	const char *path;
};

int obs_open(struct obs *o, const char *path);
void obs_close(struct obs *o);
/* Forget every endpoint and empty the file: a retried attempt starts its record afresh. */
int obs_reset(struct obs *o);

/* Fill laddr/lport from a sockaddr (and the key from them). */
void obs_set_local(struct obs_ep *e, const struct sockaddr *sa);
void obs_set_remote(struct obs_ep *e, const struct sockaddr *sa);

/* The kernel's state for e now: TCP_INFO on its fd when it has a live one; otherwise (no fd, or
 * the fd's socket already handed to a timewait mini-socket) sock_diag by 4-tuple, which is what
 * ss sees; a socket the kernel no longer has is CLOSED. */
enum track_state obs_state(const struct obs_ep *e);

/* Record every endpoint's state now (a line only when it changed). */
void obs_sample(struct obs *o, const char *step);

/* Sample every few ms until no endpoint is in a transient state (SYN_SENT, SYN_RECEIVED,
 * FIN_WAIT_1, CLOSING, LAST_ACK) or max_ms passed; each sample is recorded. */
void obs_settle(struct obs *o, const char *step, int max_ms);

/* Sample until every endpoint is in state want; false if max_ms passed first. */
bool obs_wait_all(struct obs *o, const char *step, enum track_state want, int max_ms);

void obs_sleep_ms(long ms);

#endif
