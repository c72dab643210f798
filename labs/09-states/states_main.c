/* states_main.c — lab09-states: connection states told as stories, one scenario per name. */
#include "states.h"

#include <stdio.h>
#include <string.h>

struct scenario {
	const char *name;
	const char *line; /* one line for --list */
	bool (*run)(const struct lab_opts *o);
};

static const struct scenario scenarios[] = {
    {"time-wait", "the side that closes first waits 2 MSL; restart: EADDRINUSE vs SO_REUSEADDR",
     states_time_wait},
    {"close-wait", "a server that forgets close(): it sits in CLOSE_WAIT, the peer in FIN_WAIT_2",
     states_close_wait},
    {"reset", "RST three ways: SO_LINGER 0 abort, close() with unread data, a closed port",
     states_reset},
    {"half-close", "shutdown(SHUT_WR): the request side ends, the answer still comes back",
     states_half_close},
    {"simultaneous-open",
     "both ends connect to each other: SYN_SENT -> SYN_RECEIVED on both (root: namespace)",
     states_simultaneous_open},
    {"simultaneous-close",
     "both ends close at once: FIN_WAIT_1 -> CLOSING -> TIME_WAIT on both (root: namespace)",
     states_simultaneous_close},
    {"backlog", "listen(fd, 0): a full accept queue drops SYNs; the client retransmits",
     states_backlog},
};
#define NSCENARIOS (sizeof scenarios / sizeof scenarios[0])

static bool list_flag;
static const char *netns_arg;

static const struct lab_flag flags[] = {
    {"list", NULL, "list the scenarios, one line each", &list_flag, NULL},
    {"netns", "NAME",
     "simultaneous-*: the network namespace to make and use (default socklab-states; an "
     "existing one is used and kept)",
     NULL, &netns_arg},
    {"keep-netns", NULL, "simultaneous-*: do not delete the namespace at the end",
     &states_opt.keep_netns, NULL},
    {"no-reuse", NULL,
     "time-wait: the first server does not set SO_REUSEADDR (then even the restart with it "
     "fails)",
     &states_opt.no_reuse, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const char *const roles[] = {
    "time-wait",          "close-wait", "reset", "half-close", "simultaneous-open",
    "simultaneous-close", "backlog",    "list",  NULL};

static const struct lab_info info = {
    .name = "lab09-states",
    .summary = "connection states as stories: TIME_WAIT, CLOSE_WAIT, RST, half-close, "
               "simultaneous open and close, backlog",
    .teaches = "Each scenario plays both ends of a connection in one program, narrates every\n"
               "call with the state the kernel reports (TCP_INFO), and reads /proc/net/tcp\n"
               "and ss for connections whose descriptor is gone. The simultaneous scenarios\n"
               "need root: they run in a private network namespace where nftables drops the\n"
               "first SYNs (FINs) so that the retransmissions cross.\n"
               "Watch with tcpscope on lo; for the simultaneous ones, inside the namespace:\n"
               "sudo ip netns add socklab-states; sudo ip -n socklab-states link set lo up;\n"
               "sudo ip netns exec socklab-states tcpscope (the lab then uses that namespace).",
    .roles = roles,
    .default_role = "list",
    .flags = flags,
    .examples = "  lab09-states --list\n"
                "  lab09-states time-wait\n"
                "  lab09-states close-wait --step\n"
                "  sudo lab09-states simultaneous-open",
};

static void print_list(void)
{
	for (size_t i = 0; i < NSCENARIOS; i++)
		printf("%-19s %s\n", scenarios[i].name, scenarios[i].line);
}

static bool valid_netns(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32 || s[0] == '.' || s[0] == '-')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

int main(int argc, char **argv)
{
	struct lab_opts o;
	char err[256];
	enum lab_parse_result pr = lab_parse(argc, argv, &info, &o, err, sizeof err);
	if (pr == LAB_PARSE_OK && netns_arg) {
		if (!valid_netns(netns_arg)) {
			snprintf(err, sizeof err,
			         "--netns wants a name of letters, digits, . _ - (at "
			         "most 32), not '%s'",
			         netns_arg);
			pr = LAB_PARSE_ERROR;
		}
		states_opt.netns = netns_arg;
	}
	if (pr != LAB_PARSE_OK)
		return lab_parse_exit(pr, &info, err);
	if (list_flag || strcmp(o.role, "list") == 0) {
		print_list();
		return 0;
	}
	lab_start(&info, &o);
	states_as(NULL);
	for (size_t i = 0; i < NSCENARIOS; i++)
		if (strcmp(o.role, scenarios[i].name) == 0) {
			bool ok = scenarios[i].run(&o);
			states_as(NULL);
			if (ok)
				lab_say("scenario %s: OK, every state check above agreed with the "
				        "kernel",
				        o.role);
			else if (!lab_stopping())
				lab_warn("scenario %s: FAILED (see above)", o.role);
			return lab_exit_code(!ok);
		}
	return 2;
}
