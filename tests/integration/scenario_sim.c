/* scenario_sim.c — simultaneous open and simultaneous close, made to happen on loopback inside
 * a private network namespace with nftables rules on the output hook (before capture).
 *
 * On loopback a segment is received within the send call, so two SYNs (or FINs) never cross by
 * themselves. Dropping the first ones makes both ends retransmit on timers armed microseconds
 * apart; those fire in the same timer run and cross. Because the drops happen before the
 * capture point, tcpscope sees exactly the segments the peers received. The driver holds each
 * crossing state by also dropping the answer (SYN-ACK, or the pure ACK of a FIN) until it has
 * sampled both ends in SYN_RECEIVED (or CLOSING); if they did not cross, it retries on fresh
 * ports and forgets that attempt's record. */
#include "scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <unistd.h>

#include "sockets.h"

#define ATTEMPTS 5

#define NFT_CHAIN "inet socklab_integ out"

/* nftables in the host namespace would hit everyone's loopback traffic: refuse unless this
 * namespace has nothing but lo (what run_scenario.sh creates). */
static void require_private_netns(void)
{
	struct if_nameindex *ifs = if_nameindex();
	bool only_lo = ifs != NULL;

	for (struct if_nameindex *i = ifs; i && i->if_index != 0; i++)
		if (strcmp(i->if_name, "lo") != 0)
			only_lo = false;
	if (ifs)
		if_freenameindex(ifs);
	if (!only_lo) {
		errno = 0;
		sk_die(
		    "this scenario changes nftables rules: run it in a private network namespace "
		    "(run_scenario.sh ... netns)");
	}
}

/* Replace the chain's rules with the given ones, atomically (one nft transaction). */
static void nft_rules(const char *rules)
{
	FILE *p = popen("nft -f -", "w");

	if (!p)
		sk_die("popen nft");
	fprintf(p,
	        "add table inet socklab_integ\n"
	        "add chain " NFT_CHAIN " { type filter hook output priority 0; policy accept; }\n"
	        "flush chain " NFT_CHAIN "\n%s",
	        rules);
	if (pclose(p) != 0) {
		errno = 0;
		sk_die("nft failed");
	}
}

#define DROP_SYN    "add rule " NFT_CHAIN " tcp flags & (syn | ack) == syn drop\n"
#define DROP_SYNACK "add rule " NFT_CHAIN " tcp flags & (syn | ack) == syn | ack drop\n"
#define DROP_FIN    "add rule " NFT_CHAIN " tcp flags & fin == fin drop\n"
#define DROP_ACK    "add rule " NFT_CHAIN " tcp flags == ack drop\n"

static void abort_attempt(struct scen *s)
{
	for (int i = 0; i < 2; i++) {
		if (scen_ep(s, i)->fd >= 0)
			sk_linger_zero(scen_ep(s, i)->fd);
		sk_close(&scen_ep(s, i)->fd);
	}
	sk_close(&s->listener);
	nft_rules("");
	if (obs_reset(&s->o) != 0)
		sk_die("cannot rewrite the expectations file");
}

static void add_ep(struct scen *s, int i, const char *role, int fd,
                   const struct sockaddr_storage *me, const struct sockaddr_storage *peer)
{
	struct obs_ep *e = scen_ep(s, i);

	e->used = true;
	e->role = role;
	e->fd = fd;
	obs_set_local(e, (const struct sockaddr *)me);
	obs_set_remote(e, (const struct sockaddr *)peer);
}

/* Both ends connect() to each other: SYN_SENT -> SYN_RECEIVED -> ESTABLISHED on both (RFC 9293
 * §3.5, figure 7). */
static bool try_open(struct scen *s, uint16_t pa, uint16_t pb)
{
	struct sockaddr_storage a_addr, b_addr;

	nft_rules(DROP_SYN DROP_SYNACK);
	int a = sk_bound(s->family, pa, &a_addr);
	int b = sk_bound(s->family, pb, &b_addr);
	add_ep(s, CLIENT, "client", a, &a_addr, &b_addr);
	add_ep(s, SERVER, "server", b, &b_addr, &a_addr);
	obs_sample(&s->o, "start");
	sk_set_nonblock(a, 1);
	sk_set_nonblock(b, 1);
	if (sk_try_connect(a, &b_addr) != EINPROGRESS || sk_try_connect(b, &a_addr) != EINPROGRESS)
		sk_die("non-blocking connect did not return EINPROGRESS");
	obs_sample(&s->o, "both connect() (first SYNs dropped)");
	nft_rules(DROP_SYNACK);
	if (!obs_wait_all(&s->o, "retransmitted SYNs", TRACK_SYN_RECEIVED, 2500))
		return false;
	nft_rules("");
	obs_settle(&s->o, "retransmitted SYN-ACKs", 5000);
	for (int i = 0; i < 2; i++)
		if (scen_ep(s, i)->last != TRACK_ESTABLISHED) {
			errno = 0;
			sk_die("simultaneous open did not reach ESTABLISHED");
		}
	sk_set_nonblock(a, 0);
	sk_set_nonblock(b, 0);
	return true;
}

void scen_simultaneous_open(struct scen *s)
{
	require_private_netns();
	for (int k = 0; k < ATTEMPTS; k++) {
		if (try_open(s, (uint16_t)(s->port + 2 * k), (uint16_t)(s->port + 2 * k + 1))) {
			scen_exchange(s);
			scen_orderly_close(s, CLIENT);
			return;
		}
		fprintf(stderr, "integ_scenario: attempt %d: SYNs did not cross, retrying\n",
		        k + 1);
		abort_attempt(s);
	}
	errno = 0;
	sk_die("the SYNs never crossed");
}

/* Both ends close at once: FIN_WAIT_1 -> CLOSING -> TIME_WAIT on both (RFC 9293 §3.6,
 * figure 13). */
static bool try_close(struct scen *s)
{
	scen_prepare(s, true);
	scen_open_conn(s);
	scen_exchange(s);
	nft_rules(DROP_FIN);
	sk_close(&scen_ep(s, CLIENT)->fd);
	sk_close(&scen_ep(s, SERVER)->fd);
	obs_sample(&s->o, "both close() (first FINs dropped)");
	nft_rules(DROP_ACK);
	/* a FIN arriving in FIN_WAIT_1 that does not ACK ours means CLOSING; with the pure ACKs
	 * dropped, an end whose FIN was received first would only see FIN+ACK (-> TIME_WAIT) */
	bool crossed = obs_wait_all(&s->o, "retransmitted FINs", TRACK_CLOSING, 2500);
	nft_rules("");
	obs_settle(&s->o, "retransmitted FINs ACKed", 5000);
	return crossed;
}

void scen_simultaneous_close(struct scen *s)
{
	require_private_netns();
	for (int k = 0; k < ATTEMPTS; k++) {
		sk_loopback(s->family, (uint16_t)(s->port + k), &s->srv);
		if (try_close(s))
			return;
		fprintf(stderr, "integ_scenario: attempt %d: FINs did not cross, retrying\n",
		        k + 1);
		abort_attempt(s);
	}
	errno = 0;
	sk_die("the FINs never crossed");
}
