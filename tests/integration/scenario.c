/* scenario.c — integ_scenario: run one named TCP scenario on loopback with real sockets and
 * write the kernel's state of every endpoint at each step as JSON Lines (see observe.h). */
#include "scenario.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockets.h"

struct obs_ep *scen_ep(struct scen *s, int i) { return &s->o.ep[i]; }

/* Client socket bound first so its port (its endpoint key) is known before the SYN. */
void scen_prepare(struct scen *s, bool listen_too)
{
	struct sockaddr_storage me;

	s->listener = listen_too ? sk_listen(&s->srv) : -1;
	int c = sk_bound_client(s->family, &me);
	scen_ep(s, CLIENT)->used = true;
	scen_ep(s, CLIENT)->role = "client";
	scen_ep(s, CLIENT)->fd = c;
	obs_set_local(scen_ep(s, CLIENT), (struct sockaddr *)&me);
	obs_set_remote(scen_ep(s, CLIENT), (struct sockaddr *)&s->srv);
	scen_ep(s, SERVER)->used = true;
	scen_ep(s, SERVER)->role = "server";
	/* until the SYN, the server end of the connection is the listener itself */
	scen_ep(s, SERVER)->fd = s->listener;
	obs_set_local(scen_ep(s, SERVER), (struct sockaddr *)&s->srv);
	obs_set_remote(scen_ep(s, SERVER), (struct sockaddr *)&me);
	obs_sample(&s->o, "start");
}

/* connect (the kernel completes it before accept), then accept. */
void scen_open_conn(struct scen *s)
{
	sk_connect(scen_ep(s, CLIENT)->fd, &s->srv);
	scen_ep(s, SERVER)->fd = -1; /* in the accept queue: seen only through sock_diag */
	obs_settle(&s->o, "connect", 1000);
	scen_ep(s, SERVER)->fd = sk_accept(s->listener);
	obs_sample(&s->o, "accept");
}

void scen_exchange(struct scen *s)
{
	sk_send_str(scen_ep(s, CLIENT)->fd, "hello");
	sk_expect(scen_ep(s, SERVER)->fd, "hello");
	sk_send_str(scen_ep(s, SERVER)->fd, "world");
	sk_expect(scen_ep(s, CLIENT)->fd, "world");
	obs_settle(&s->o, "exchange", 200);
}

void scen_close_ep(struct scen *s, int i, const char *step)
{
	sk_close(&scen_ep(s, i)->fd);
	obs_settle(&s->o, step, 2000);
}

/* Active close by `first`, passive close by the other after it read the EOF. */
void scen_orderly_close(struct scen *s, int first)
{
	int second = 1 - first;

	scen_close_ep(s, first, first == CLIENT ? "client close" : "server close");
	sk_expect_eof(scen_ep(s, second)->fd);
	obs_sample(&s->o, "read EOF");
	scen_close_ep(s, second, second == CLIENT ? "client close" : "server close");
}

static void sc_close_client_first(struct scen *s)
{
	scen_prepare(s, true);
	scen_open_conn(s);
	scen_exchange(s);
	scen_orderly_close(s, CLIENT);
}

static void sc_close_server_first(struct scen *s)
{
	scen_prepare(s, true);
	scen_open_conn(s);
	scen_exchange(s);
	scen_orderly_close(s, SERVER);
}

/* Nobody listens: the SYN is answered with RST/ACK and connect fails. */
static void sc_refused(struct scen *s)
{
	scen_prepare(s, false);
	if (sk_try_connect(scen_ep(s, CLIENT)->fd, &s->srv) != ECONNREFUSED)
		sk_die("connect to a closed port did not fail with ECONNREFUSED");
	obs_settle(&s->o, "connect refused", 1000);
}

/* The client stops sending (FIN) but keeps reading; the server sends more, then closes. */
static void sc_half_close(struct scen *s)
{
	scen_prepare(s, true);
	scen_open_conn(s);
	scen_exchange(s);
	sk_shutdown_wr(scen_ep(s, CLIENT)->fd);
	obs_settle(&s->o, "client shutdown(SHUT_WR)", 2000);
	sk_expect_eof(scen_ep(s, SERVER)->fd);
	obs_sample(&s->o, "server read EOF");
	sk_send_str(scen_ep(s, SERVER)->fd, "after half-close");
	sk_expect(scen_ep(s, CLIENT)->fd, "after half-close");
	obs_settle(&s->o, "server sent data", 200);
	scen_close_ep(s, SERVER, "server close");
	sk_expect_eof(scen_ep(s, CLIENT)->fd);
	scen_close_ep(s, CLIENT, "client close");
}

/* SO_LINGER {1, 0}: close() aborts with RST instead of FIN. */
static void sc_linger_abort(struct scen *s)
{
	scen_prepare(s, true);
	scen_open_conn(s);
	scen_exchange(s);
	sk_linger_zero(scen_ep(s, CLIENT)->fd);
	scen_close_ep(s, CLIENT, "client close with SO_LINGER {1,0}");
	sk_expect_reset(scen_ep(s, SERVER)->fd);
	obs_sample(&s->o, "server read ECONNRESET");
	scen_close_ep(s, SERVER, "server close");
}

/* close() with unread bytes in the receive buffer sends RST (RFC 9293 §3.6.1 permits it,
 * Linux does it). */
static void sc_unread_rst(struct scen *s)
{
	scen_prepare(s, true);
	scen_open_conn(s);
	scen_exchange(s);
	sk_send_str(scen_ep(s, SERVER)->fd, "never read");
	sk_wait_readable(scen_ep(s, CLIENT)->fd);
	scen_close_ep(s, CLIENT, "client close with unread data");
	sk_expect_reset(scen_ep(s, SERVER)->fd);
	obs_sample(&s->o, "server read ECONNRESET");
	scen_close_ep(s, SERVER, "server close");
}

/* A listener closed with a connection still in its accept queue resets that connection. */
static void sc_listener_close(struct scen *s)
{
	scen_prepare(s, true);
	sk_connect(scen_ep(s, CLIENT)->fd, &s->srv);
	scen_ep(s, SERVER)->fd = -1;
	obs_settle(&s->o, "connect (never accepted)", 1000);
	sk_close(&s->listener);
	obs_settle(&s->o, "listener close", 1000);
	sk_expect_reset(scen_ep(s, CLIENT)->fd);
	obs_sample(&s->o, "client read ECONNRESET");
	scen_close_ep(s, CLIENT, "client close");
}

struct scenario_def {
	const char *name;
	int family;
	void (*run)(struct scen *s);
};

static const struct scenario_def scenarios[] = {
    {"close_client_first", AF_INET, sc_close_client_first},
    {"close_server_first", AF_INET, sc_close_server_first},
    {"refused", AF_INET, sc_refused},
    {"half_close", AF_INET, sc_half_close},
    {"linger_abort", AF_INET, sc_linger_abort},
    {"unread_rst", AF_INET, sc_unread_rst},
    {"listener_close", AF_INET, sc_listener_close},
    {"ipv6_close_client_first", AF_INET6, sc_close_client_first},
    {"ipv6_close_server_first", AF_INET6, sc_close_server_first},
    {"simultaneous_open", AF_INET, scen_simultaneous_open},
    {"simultaneous_close", AF_INET, scen_simultaneous_close},
};

static void usage(void)
{
	fprintf(stderr, "usage: integ_scenario NAME PORT OUT.jsonl | integ_scenario --list\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const size_t count = sizeof(scenarios) / sizeof(scenarios[0]);

	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (size_t i = 0; i < count; i++)
			printf("%s\n", scenarios[i].name);
		return 0;
	}
	if (argc != 4)
		usage();
	const struct scenario_def *def = NULL;
	for (size_t i = 0; i < count; i++)
		if (strcmp(argv[1], scenarios[i].name) == 0)
			def = &scenarios[i];
	char *end;
	unsigned long port = strtoul(argv[2], &end, 10);
	if (!def || *end || port == 0 || port > 65535)
		usage();
	signal(SIGPIPE, SIG_IGN);
	alarm(20); /* a stuck scenario dies rather than hanging the test run */

	struct scen s;
	memset(&s, 0, sizeof(s));
	s.family = def->family;
	s.port = (uint16_t)port;
	sk_loopback(def->family, (uint16_t)port, &s.srv);
	if (obs_open(&s.o, argv[3]) != 0)
		sk_die("cannot write the expectations file");
	def->run(&s);
	sk_close(&s.listener);
	obs_close(&s.o);
	return 0;
}
