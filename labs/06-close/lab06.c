/* lab06.c — lab06-close: close() and shutdown(), FIN and RST, and who ends in TIME_WAIT. */
#include "lab.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "closing.h"

static const char *scenario_arg, *hold_arg;

static const char *const roles[] = {"server", "client", NULL};

static const struct lab_flag flags[] = {
    {"scenario", "NAME",
     "client: client-first (default), server-first, half-close, linger0 or unread", NULL,
     &scenario_arg},
    {"hold", "S", "how long the passive side waits before its own close() (default 1)", NULL,
     &hold_arg},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct lab_info info = {
    .name = "lab06-close",
    .summary = "close() and shutdown(): FIN, RST, and TIME_WAIT for whoever closes first",
    .teaches =
        "close() sends a FIN: the closer goes FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT, the other\n"
        "side CLOSE_WAIT (its recv() returns 0) -> LAST_ACK when it closes -> CLOSED. Whoever\n"
        "closes first waits in TIME_WAIT (60 s on Linux). shutdown(SHUT_WR) sends the FIN but\n"
        "keeps reading (a half-close). Two ways to reset instead: SO_LINGER {1, 0} then close()\n"
        "(abort), and close() with unread data in the receive buffer; both send RST, leave no\n"
        "TIME_WAIT, and the peer's next call fails with ECONNRESET.\n"
        "The client chooses the scenario and tells the server in its first line.",
    .roles = roles,
    .flags = flags,
    .examples = "  lab06-close server                                (terminal 1)\n"
                "  lab06-close client                                (terminal 2)\n"
                "  lab06-close client --scenario server-first\n"
                "  lab06-close client --scenario half-close\n"
                "  lab06-close client --scenario linger0\n"
                "  lab06-close client --scenario unread",
};

static int server(const struct lab_opts *o, const struct sockaddr *sa, socklen_t len, long hold)
{
	char a[LAB_ADDRSTRLEN];
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int lfd = socket(o->family, SOCK_STREAM, 0);
	lab_after(lfd, lfd);
	if (lfd < 0)
		return 1;
	lab_guard(lfd);
	int one = 1;
	lab_before("setsockopt(%d, SOL_SOCKET, SO_REUSEADDR, 1)", lfd);
	lab_after(setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one), lfd);
	lab_before("bind(%d, %s)", lfd, lab_addr_str(sa, len, a, sizeof a));
	if (lab_after(bind(lfd, sa, len), lfd) != 0 || lab_stopping()) {
		close_narrated(lfd);
		return 1;
	}
	lab_before("listen(%d, 5)", lfd);
	if (lab_after(listen(lfd, 5), lfd) != 0 || lab_stopping()) {
		close_narrated(lfd);
		return 1;
	}
	lab_before("accept(%d, NULL, NULL)", lfd);
	int cfd = accept(lfd, NULL, NULL);
	lab_after(cfd, cfd);
	close_narrated(lfd); /* one connection per run: the listener is no longer needed */
	if (cfd < 0)
		return 1;
	lab_guard(cfd);
	char cmd[64];
	if (recv_line(cfd, cmd, sizeof cmd) != 0) {
		close_narrated(cfd);
		return 1;
	}
	char shown[200];
	lab_say("the client asks for scenario \"%s\"",
	        lab_escape(cmd, strlen(cmd), shown, sizeof shown));
	return server_scenario(cfd, cmd, hold);
}

static int client(const struct lab_opts *o, const struct sockaddr *sa, socklen_t len,
                  const char *scenario, long hold)
{
	char a[LAB_ADDRSTRLEN], line[80];
	lab_before("socket(%s, SOCK_STREAM, 0)", lab_family_name(o->family));
	int fd = socket(o->family, SOCK_STREAM, 0);
	lab_after(fd, fd);
	if (fd < 0)
		return 1;
	lab_guard(fd);
	lab_before("connect(%d, %s)", fd, lab_addr_str(sa, len, a, sizeof a));
	if (lab_after(connect(fd, sa, len), fd) != 0) {
		close_narrated(fd);
		return 1;
	}
	int n = snprintf(line, sizeof line, "%s\n", scenario);
	lab_before("send(%d, \"%s\\n\", %d, 0)", fd, scenario, n);
	if (lab_after(send(fd, line, (size_t)n, 0), fd) != n) {
		close_narrated(fd);
		return 1;
	}
	return client_scenario(fd, scenario, hold);
}

int main(int argc, char **argv)
{
	struct lab_opts o;
	char err[256];
	long hold = 1;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	const char *scenario = scenario_arg;
	enum lab_parse_result pr = lab_parse(argc, argv, &info, &o, err, sizeof err);
	scenario = scenario_arg ? scenario_arg : "client-first";
	if (pr == LAB_PARSE_OK && !scenario_known(scenario)) {
		snprintf(
		    err, sizeof err,
		    "unknown --scenario '%s' (client-first, server-first, half-close, linger0, "
		    "unread)",
		    scenario);
		pr = LAB_PARSE_ERROR;
	}
	if (pr == LAB_PARSE_OK && hold_arg && !lab_parse_long(hold_arg, 0, 3600, &hold)) {
		snprintf(err, sizeof err, "--hold wants seconds 0-3600, not '%s'", hold_arg);
		pr = LAB_PARSE_ERROR;
	}
	if (pr == LAB_PARSE_OK &&
	    lab_make_addr(o.family, o.host, o.port, &ss, &len, err, sizeof err) != 0)
		pr = LAB_PARSE_ERROR;
	if (pr != LAB_PARSE_OK)
		return lab_parse_exit(pr, &info, err);
	lab_start(&info, &o);
	closing_set_follow(o.timeout_s);
	int failed = strcmp(o.role, "server") == 0
	                 ? server(&o, (struct sockaddr *)&ss, len, hold)
	                 : client(&o, (struct sockaddr *)&ss, len, scenario, hold);
	return lab_exit_code(failed);
}
