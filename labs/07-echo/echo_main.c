/* echo_main.c — lab07-echo: an echo server that serves clients one after another, its client,
 * and why one recv() is not one message. */
#include "echo.h"

#include <stdio.h>
#include <string.h>

static const char *count_arg, *message;
static bool framing;

static const struct lab_flag flags[] = {
    {"count", "N", "server: stop after serving N clients (default: until Ctrl-C)", NULL,
     &count_arg},
    {"message", "TEXT", "client: the line to send (default \"Hello, echo!\")", NULL, &message},
    {"framing", NULL,
     "client: show that one recv() is not one message, then read by newline instead", &framing,
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static const char *const roles[] = {"server", "client", NULL};

static const struct lab_info info = {
    .name = "lab07-echo",
    .summary = "an echo server in an accept loop, one client after another",
    .teaches = "The server accepts a client, sends back every byte it receives until the client\n"
               "closes, closes its side, and goes back to accept() for the next client. The\n"
               "client sends one line and checks that the reply is the same bytes.\n"
               "TCP is a byte stream, not a message queue: with --framing the client sends\n"
               "several lines fast, a line bigger than its buffer and a line in two halves, and\n"
               "shows that one recv() of 1024 bytes returns glued lines, part of a line, or half\n"
               "a line; then it reads the same kind of traffic by newline, the usual fix.",
    .roles = roles,
    .default_role = NULL,
    .flags = flags,
    .examples = "  lab07-echo server\n"
                "  lab07-echo client --message 'hi there'\n"
                "  lab07-echo client --framing\n"
                "  lab07-echo server --count 1 --port 9000",
};

int main(int argc, char **argv)
{
	struct lab_opts o;
	char err[256];
	long count = 0;
	enum lab_parse_result pr = lab_parse(argc, argv, &info, &o, err, sizeof err);
	if (pr == LAB_PARSE_OK && count_arg && !lab_parse_long(count_arg, 1, 1000000, &count)) {
		snprintf(err, sizeof err, "--count wants a number of clients, not '%s'", count_arg);
		pr = LAB_PARSE_ERROR;
	}
	if (pr == LAB_PARSE_OK && message && (strchr(message, '\n') || strlen(message) > 4000)) {
		snprintf(err, sizeof err, "--message must be one line of at most 4000 bytes");
		pr = LAB_PARSE_ERROR;
	}
	if (pr != LAB_PARSE_OK)
		return lab_parse_exit(pr, &info, err);
	lab_start(&info, &o);

	bool ok;
	if (strcmp(o.role, "server") == 0)
		ok = echo_server(&o, count);
	else if (framing)
		ok = echo_framing(&o);
	else
		ok = echo_client(&o, message ? message : "Hello, echo!");
	return lab_exit_code(!ok);
}
