/* demo_traffic.c — scripted client/server pair on loopback for `./kit demo`: every few seconds
 * one short story (normal close from either side, refused port, abort, half-close). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Sleep that a signal cuts short, so q in the demo ends us at once. */
static void pause_for(double secs)
{
	while (secs > 0 && !stop_requested) {
		double step = secs > 0.1 ? 0.1 : secs;
		struct timespec ts = {0, (long)(step * 1e9)};
		nanosleep(&ts, NULL);
		secs -= step;
	}
}

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static void set_timeouts(int fd)
{
	struct timeval tv = {2, 0}; /* never hang: a demo that stalls is worse than one that errs */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static int dial(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	set_timeouts(fd);
	struct sockaddr_in a = loopback(port);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void drain(int fd)
{
	char buf[256];
	while (recv(fd, buf, sizeof buf, 0) > 0)
		;
}

enum story {
	STORY_CLIENT_CLOSES,
	STORY_SERVER_CLOSES,
	STORY_REFUSED,
	STORY_ABORT,
	STORY_HALF_CLOSE,
	STORY_COUNT
};

static const char *story_name[STORY_COUNT] = {"client closes first", "server closes first",
                                              "connection refused", "abort (RST)", "half-close"};

static int run_story(enum story s, int listener, int port, int refused_port, int n)
{
	char msg[64], buf[64];
	if (s == STORY_REFUSED) {
		int fd = dial(refused_port);
		if (fd >= 0)
			close(fd);
		return 0;
	}
	int c = dial(port);
	if (c < 0)
		return -1;
	int srv = accept(listener, NULL, NULL);
	if (srv < 0) {
		close(c);
		return -1;
	}
	set_timeouts(srv);
	int len = snprintf(msg, sizeof msg, "hello %d\n", n);
	send(c, msg, (size_t)len, 0);
	ssize_t got = recv(srv, buf, sizeof buf, 0);
	if (got > 0)
		send(srv, buf, (size_t)got, 0); /* echo */
	recv(c, buf, sizeof buf, 0);
	switch (s) {
	case STORY_CLIENT_CLOSES:
		close(c);
		drain(srv);
		close(srv);
		break;
	case STORY_SERVER_CLOSES:
		close(srv);
		drain(c);
		close(c);
		break;
	case STORY_ABORT: {
		struct linger lg = {1, 0}; /* close() now sends RST instead of FIN */
		setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		close(c);
		close(srv);
		break;
	}
	case STORY_HALF_CLOSE:
		shutdown(c, SHUT_WR);
		drain(srv);
		send(srv, "bye\n", 4, 0); /* the other direction still works */
		close(srv);
		drain(c);
		close(c);
		break;
	default:
		break;
	}
	return 0;
}

static int usage(FILE *f)
{
	return fprintf(
	    f,
	    "usage: socklab-demo-traffic [--port N] [--refused-port N] [--every SECS]\n"
	    "                            [--delay SECS] [--count N]\n"
	    "Plays short TCP stories on 127.0.0.1 for the tcpscope demo: a server on --port\n"
	    "(9998), nothing on --refused-port (9999). --count 0 (default) runs until killed.\n");
}

static bool parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	// strtod skips leading blanks; a value typed with one is refused, as the other tools do
	if (!isdigit((unsigned char)s[0]))
		return false;
	double v = strtod(s, &end);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

int main(int argc, char **argv)
{
	double port = 9998, refused = 9999, every = 3, delay = 0, count = 0;
	static const struct option opts[] = {{"port", required_argument, 0, 'p'},
	                                     {"refused-port", required_argument, 0, 'r'},
	                                     {"every", required_argument, 0, 'e'},
	                                     {"delay", required_argument, 0, 'd'},
	                                     {"count", required_argument, 0, 'c'},
	                                     {"help", no_argument, 0, 'h'},
	                                     {0, 0, 0, 0}};
	int ch;
	opterr = 0; // one line of our own instead of getopt's message plus the usage
	while ((ch = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		bool ok = true;
		switch (ch) {
		case 'p':
			ok = parse_num(optarg, 1, 65535, &port);
			break;
		case 'r':
			ok = parse_num(optarg, 1, 65535, &refused);
			break;
		case 'e':
			ok = parse_num(optarg, 0.05, 3600, &every);
			break;
		case 'd':
			ok = parse_num(optarg, 0, 3600, &delay);
			break;
		case 'c':
			ok = parse_num(optarg, 0, 1e9, &count);
			break;
		case 'h':
			// --help into a full disk or a closed pipe is a failure the caller should see
			if (usage(stdout) < 0 || fflush(stdout) != 0) {
				fprintf(stderr, "socklab-demo-traffic: cannot write the help: %s\n",
				        strerror(errno));
				return 1;
			}
			return 0;
		case ':':
			fprintf(stderr, "socklab-demo-traffic: %s needs a value (try --help)\n",
			        argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "socklab-demo-traffic: unknown option '%s' (try --help)\n",
			        argv[optind - 1]);
			return 2;
		}
		if (!ok) {
			fprintf(stderr, "socklab-demo-traffic: bad value '%s' for an option\n",
			        optarg);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "socklab-demo-traffic: unexpected argument '%s' (try --help)\n",
		        argv[optind]);
		return 2;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	int listener = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = loopback((int)port);
	if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof a) < 0 ||
	    listen(listener, 16) < 0) {
		fprintf(stderr, "socklab-demo-traffic: cannot listen on 127.0.0.1:%d: %s\n",
		        (int)port, strerror(errno));
		return 1;
	}
	set_timeouts(listener);
	pause_for(delay);
	for (long n = 0; !stop_requested && (count == 0 || n < (long)count); n++) {
		enum story s = (enum story)(n % STORY_COUNT);
		printf("%ld: %s\n", n + 1, story_name[s]);
		fflush(stdout);
		if (run_story(s, listener, (int)port, (int)refused, (int)n + 1) < 0)
			fprintf(stderr, "socklab-demo-traffic: story %ld failed: %s\n", n + 1,
			        strerror(errno));
		if (count == 0 || n + 1 < (long)count)
			pause_for(every);
	}
	close(listener);
	return 0;
}
