/* states.h — the parts of lab09-states: shared helpers, the namespace/nftables machinery, and
 * one function per scenario. */
#ifndef SOCKLAB_LAB09_STATES_H
#define SOCKLAB_LAB09_STATES_H

#include <stdbool.h>
#include <sys/socket.h>

#include "lab.h"

/* Options of lab09 beyond the common ones. */
struct states_opts {
	const char *netns; /* namespace for the simultaneous scenarios */
	bool keep_netns;   /* leave it (and its nftables table) in place at the end */
	bool no_reuse;     /* time-wait: the first server does not set SO_REUSEADDR */
};

extern struct states_opts states_opt;

/* ---- sockets, narrated (states_util.c) ---- */

/* A listener on port: socket, [SO_REUSEADDR], bind, listen(backlog). -1 on failure. */
int states_listen(const struct lab_opts *o, int port, int backlog, bool reuse);
/* socket + connect to port (blocking, guarded). -1 on failure. */
int states_connect(const struct lab_opts *o, int port);
/* accept on a listener. -1 on failure. */
int states_accept(int lfd);
/* listener + client + accepted socket; false (all closed) on failure. */
bool states_pair(const struct lab_opts *o, int port, int *lfd, int *cfd, int *sfd);
/* close() narrated (lab_close), reporting the state the kernel keeps (from /proc/net/tcp). */
void states_close(int fd);
/* Set the narration tag ("server", "client", "A", "B"). */
void states_as(const char *who);

/* ---- the kernel's view (states_util.c) ---- */

/* Poll TCP_INFO until the socket is in state want (Linux TCP_* value) or ms pass; returns the
 * last state seen. */
int states_settle(int fd, int want, int ms);
/* The same for a connection known by its addresses, from /proc/net/tcp (7 = gone). */
int states_settle_tuple(const struct lab_tuple *t, int want, int ms);
/* Print "   kernel: <who> <local> -> <peer>  state=<S>  (/proc/net/tcp)" and return the state
 * (7 = CLOSED when the kernel has no such connection). */
int states_kernel(const char *who, const struct lab_tuple *t);
/* TCP_INFO: how many times the socket retransmitted (tcpi_total_retrans), or -1. */
int states_retrans(int fd);
/* Sleep ms milliseconds unless Ctrl-C. */
void states_sleep_ms(long ms);
/* An integer from /proc/sys/net/ipv4/<name> ("tcp_syn_retries"), or -1 if there is none. */
long states_sysctl(const char *name);
/* How many connections /proc/net/tcp{,6} lists in TIME_WAIT with this local port. */
int states_time_waits(int port);
/* Sum of a counter in /proc/net/netstat or /proc/net/snmp ("TcpExt", "ListenOverflows"). */
long states_counter(const char *group, const char *name);
/* An expected state was (not) what the kernel reports: narrate, and record a failure. */
bool states_expect(const char *who, int got, int want);

/* ---- commands, namespace, nftables, ss (states_cmd.c; calls states_util.c, never back) ---- */

/* Run a command (no shell), narrated as "-> cmd args", its output shown. Exit status, or
 * -1 if it could not run. */
int states_run(const char *const argv[]);
/* Make (or reuse) the namespace states_opt.netns and move this process into it. Prints the
 * reason and returns false when not permitted or a tool is missing. */
bool states_netns_enter(void);
/* Remove the nftables table and, if we made it, the namespace. */
void states_netns_leave(void);
/* nft with one argument string ("add chain inet socklab ..."). Exit status. */
int states_nft(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same without the --step pause, for a rule that must follow the previous event within
 * a fraction of a second. */
int states_nft_now(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run ss for exactly these connections (by their 4-tuples; a tuple without a peer: that
 * listener) and show its lines (if ss is installed): rows left by earlier runs on the same
 * ports are not shown. */
void states_ss(const struct lab_tuple *conns, int n);

/* ---- scenarios ---- */
bool states_time_wait(const struct lab_opts *o);
bool states_close_wait(const struct lab_opts *o);
bool states_half_close(const struct lab_opts *o);
bool states_reset(const struct lab_opts *o);
bool states_backlog(const struct lab_opts *o);
bool states_simultaneous_open(const struct lab_opts *o);
bool states_simultaneous_close(const struct lab_opts *o);

#endif
