/* scenario.h — what integ_scenario's scenarios share: the connection under test and its steps. */
#ifndef SOCKLAB_INTEG_SCENARIO_H
#define SOCKLAB_INTEG_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "observe.h"

enum { CLIENT = 0, SERVER = 1 };

/* A connection under test: both endpoints, the listener, and the address it listens on.
 * port is the first of the ten ports the scenario may use (its capture filter covers them). */
struct scen {
	struct obs o;
	int family;
	uint16_t port;
	struct sockaddr_storage srv;
	int listener;
};

struct obs_ep *scen_ep(struct scen *s, int i);
/* Listener (if listen_too) and a client bound to an ephemeral port; first sample. */
void scen_prepare(struct scen *s, bool listen_too);
/* connect (the kernel completes it before accept), then accept. */
void scen_open_conn(struct scen *s);
void scen_exchange(struct scen *s);
void scen_close_ep(struct scen *s, int i, const char *step);
/* Active close by first, passive close by the other after it read the end of stream. */
void scen_orderly_close(struct scen *s, int first);

/* In a private network namespace only (they change its nftables rules). */
void scen_simultaneous_open(struct scen *s);
void scen_simultaneous_close(struct scen *s);

#endif
