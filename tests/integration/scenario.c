/* scenario.c — integ_scenario: run one named TCP scenario on loopback with real sockets and
 * write the kernel's state of every endpoint at each step as JSON Lines (see observe.h). */
#include "observe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockets.h"

enum { CLIENT = 0, SERVER = 1 };

/* A connection under test: both endpoints, the listener, and the address it listens on. */
struct scen {
	struct obs o;
	int family;
	struct sockaddr_storage srv;
	int listener;
};

static struct obs_ep *ep(struct scen *s, int i) { return &s->o.ep[i]; }

/* Client socket bound first so its port (its endpoint key) is known before the SYN. */
static void prepare(struct scen *s, bool listen_too)
{
	struct sockaddr_storage me;

	s->listener = listen_too ? sk_listen(&s->srv) : -1;
	int c = sk_bound_client(s->family, &me);
	ep(s, CLIENT)->used = true;
	ep(s, CLIENT)->role = "client";
	ep(s, CLIENT)->fd = c;
	obs_set_local(ep(s, CLIENT), (struct sockaddr *)&me);
	obs_set_remote(ep(s, CLIENT), (struct sockaddr *)&s->srv);
	ep(s, SERVER)->used = true;
	ep(s, SERVER)->role = "server";
	/* until the SYN, the server end of the connection is the listener itself */
	ep(s, SERVER)->fd = s->listener;
	obs_set_local(ep(s, SERVER), (struct sockaddr *)&s->srv);
	obs_set_remote(ep(s, SERVER), (struct sockaddr *)&me);
	obs_sample(&s->o, "start");
}

/* connect (the kernel completes it before accept), then accept. */
static void open_conn(struct scen *s)
{
	sk_connect(ep(s, CLIENT)->fd, &s->srv);
	ep(s, SERVER)->fd = -1; /* in the accept queue: seen only through sock_diag */
	obs_settle(&s->o, "connect", 1000);
	ep(s, SERVER)->fd = sk_accept(s->listener);
	obs_sample(&s->o, "accept");
}

static void exchange(struct scen *s)
{
	sk_send_str(ep(s, CLIENT)->fd, "hello");
	sk_expect(ep(s, SERVER)->fd, "hello");
	sk_send_str(ep(s, SERVER)->fd, "world");
	sk_expect(ep(s, CLIENT)->fd, "world");
	obs_settle(&s->o, "exchange", 200);
}

static void close_ep(struct scen *s, int i, const char *step)
{
	sk_close(&ep(s, i)->fd);
	obs_settle(&s->o, step, 2000);
}

/* Active close by `first`, passive close by the other after it read the EOF. */
static void orderly_close(struct scen *s, int first)
{
	int second = 1 - first;

	close_ep(s, first, first == CLIENT ? "client close" : "server close");
	sk_expect_eof(ep(s, second)->fd);
	obs_sample(&s->o, "read EOF");
	close_ep(s, second, second == CLIENT ? "client close" : "server close");
}

static void sc_close_client_first(struct scen *s)
{
	prepare(s, true);
	open_conn(s);
	exchange(s);
	orderly_close(s, CLIENT);
}

static void sc_close_server_first(struct scen *s)
{
	prepare(s, true);
	open_conn(s);
	exchange(s);
	orderly_close(s, SERVER);
}

/* Nobody listens: the SYN is answered with RST/ACK and connect fails. */
static void sc_refused(struct scen *s)
{
	prepare(s, false);
	if (sk_try_connect(ep(s, CLIENT)->fd, &s->srv) != ECONNREFUSED)
		sk_die("connect to a closed port did not fail with ECONNREFUSED");
	obs_settle(&s->o, "connect refused", 1000);
}

/* The client stops sending (FIN) but keeps reading; the server sends more, then closes. */
static void sc_half_close(struct scen *s)
{
	prepare(s, true);
	open_conn(s);
	exchange(s);
	sk_shutdown_wr(ep(s, CLIENT)->fd);
	obs_settle(&s->o, "client shutdown(SHUT_WR)", 2000);
	sk_expect_eof(ep(s, SERVER)->fd);
	obs_sample(&s->o, "server read EOF");
	sk_send_str(ep(s, SERVER)->fd, "after half-close");
	sk_expect(ep(s, CLIENT)->fd, "after half-close");
	obs_settle(&s->o, "server sent data", 200);
	close_ep(s, SERVER, "server close");
	sk_expect_eof(ep(s, CLIENT)->fd);
	close_ep(s, CLIENT, "client close");
}

/* SO_LINGER {1, 0}: close() aborts with RST instead of FIN. */
static void sc_linger_abort(struct scen *s)
{
	prepare(s, true);
	open_conn(s);
	exchange(s);
	sk_linger_zero(ep(s, CLIENT)->fd);
	close_ep(s, CLIENT, "client close with SO_LINGER {1,0}");
	sk_expect_reset(ep(s, SERVER)->fd);
	obs_sample(&s->o, "server read ECONNRESET");
	close_ep(s, SERVER, "server close");
}

/* close() with unread bytes in the receive buffer sends RST (RFC 9293 §3.6.1 permits it,
 * Linux does it). */
static void sc_unread_rst(struct scen *s)
{
	prepare(s, true);
	open_conn(s);
	exchange(s);
	sk_send_str(ep(s, SERVER)->fd, "never read");
	sk_wait_readable(ep(s, CLIENT)->fd);
	close_ep(s, CLIENT, "client close with unread data");
	sk_expect_reset(ep(s, SERVER)->fd);
	obs_sample(&s->o, "server read ECONNRESET");
	close_ep(s, SERVER, "server close");
}

/* A listener closed with a connection still in its accept queue resets that connection. */
static void sc_listener_close(struct scen *s)
{
	prepare(s, true);
	sk_connect(ep(s, CLIENT)->fd, &s->srv);
	ep(s, SERVER)->fd = -1;
	obs_settle(&s->o, "connect (never accepted)", 1000);
	sk_close(&s->listener);
	obs_settle(&s->o, "listener close", 1000);
	sk_expect_reset(ep(s, CLIENT)->fd);
	obs_sample(&s->o, "client read ECONNRESET");
	close_ep(s, CLIENT, "client close");
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
	sk_loopback(def->family, (uint16_t)port, &s.srv);
	if (obs_open(&s.o, argv[3]) != 0)
		sk_die("cannot write the expectations file");
	def->run(&s);
	sk_close(&s.listener);
	obs_close(&s.o);
	return 0;
}
