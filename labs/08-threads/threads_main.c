/* threads_main.c — lab08-threads: a thread-per-connection server and a client that opens
 * several connections at once. */
#include "threads.h"

#include <stdio.h>
#include <string.h>

static const char *count_arg, *clients_arg, *messages_arg, *hold_arg, *delay_arg, *framing_arg,
    *max_sessions_arg, *idle_arg;

static const struct lab_flag flags[] = {
    {"count", "N", "server: stop after N sessions have ended (default: until Ctrl-C)", NULL,
     &count_arg},
    {"clients", "N", "client: open N connections at once, one thread each (default 1)", NULL,
     &clients_arg},
    {"messages", "A,B,..",
     "client: the messages each client sends before exit "
     "(default: the tutorial's mindthink,code change the world,hello world)",
     NULL, &messages_arg},
    {"framing", "MODE",
     "none (default: one recv() is one message, as in the tutorials) or newline "
     "(each message ends with \\n); server and client must agree",
     NULL, &framing_arg},
    {"max-sessions", "N",
     "server: sessions at once (default 64, at most 256); one more is told it is busy and "
     "closed",
     NULL, &max_sessions_arg},
    {"idle", "S",
     "server: end a session after S s without a message (default 20; 0: only --timeout)", NULL,
     &idle_arg},
    {"hold", "MS",
     "client: once all are connected, wait MS ms before talking (default 1000 "
     "with several clients, else 0)",
     NULL, &hold_arg},
    {"delay", "MS", "client: wait MS ms between two messages (default 0)", NULL, &delay_arg},
    {NULL, NULL, NULL, NULL, NULL},
};

static const char *const roles[] = {"server", "client", NULL};

static const struct lab_info info = {
    .name = "lab08-threads",
    .summary = "a thread-per-connection server: several clients served at the same time",
    .teaches = "The server's main thread only accepts; each connection gets its own thread, which\n"
               "sends \"Welcome!\", answers every message with \"Hello, <message>!\" and ends the\n"
               "session on \"exit\": the protocol of the Python tutorials, so their client and\n"
               "server talk to these. By default, as there, one recv() is taken as one message\n"
               "(it works while each side waits for the answer before sending again; lab05 shows\n"
               "why it is not safe in general); --framing=newline ends each message with \\n.\n"
               "A finished thread tells the main thread through a pipe, and the main thread joins\n"
               "it (pthread_join); the server counts /proc/self/fd and /proc/self/task after each\n"
               "join and says whether they are what one descriptor and one thread per running\n"
               "session predicts. An idle session ends after --idle seconds; beyond\n"
               "--max-sessions a client is told the server is busy.\n"
               "The client with --clients N opens N connections at once, so the tracer shows N\n"
               "ESTABLISHED connections side by side, and checks every reply.",
    .roles = roles,
    .default_role = NULL,
    .flags = flags,
    .examples = "  lab08-threads server\n"
                "  lab08-threads client\n"
                "  lab08-threads client --clients 5 --delay 500\n"
                "  lab08-threads client --messages 'Ada,Linus,exit'\n"
                "  lab08-threads server --framing=newline --max-sessions 8 --idle 10",
};

static bool parse_num(const char *name, const char *s, long min, long max, long *out, char *err,
                      size_t errlen)
{
	if (!s || lab_parse_long(s, min, max, out))
		return true;
	snprintf(err, errlen, "--%s wants a number from %ld to %ld, not '%s'", name, min, max, s);
	return false;
}

int main(int argc, char **argv)
{
	struct lab_opts o;
	char err[256];
	struct threads_server_opts so = {.max_sessions = 64, .idle_s = 20};
	struct threads_client_opts c = {
	    .clients = 1, .messages = "mindthink,code change the world,hello world", .hold_ms = -1};
	enum lab_parse_result pr = lab_parse(argc, argv, &info, &o, err, sizeof err);
	if (pr == LAB_PARSE_OK &&
	    !(parse_num("count", count_arg, 1, 1000000, &so.count, err, sizeof err) &&
	      parse_num("max-sessions", max_sessions_arg, 1, THREADS_MAX_SESSIONS, &so.max_sessions,
	                err, sizeof err) &&
	      parse_num("idle", idle_arg, 0, 86400, &so.idle_s, err, sizeof err) &&
	      parse_num("clients", clients_arg, 1, THREADS_MAX_CLIENTS, &c.clients, err,
	                sizeof err) &&
	      parse_num("hold", hold_arg, 0, 600000, &c.hold_ms, err, sizeof err) &&
	      parse_num("delay", delay_arg, 0, 60000, &c.delay_ms, err, sizeof err)))
		pr = LAB_PARSE_ERROR;
	if (pr == LAB_PARSE_OK && messages_arg) {
		if (strlen(messages_arg) > 1000 || strchr(messages_arg, '\n')) {
			snprintf(err, sizeof err, "--messages: at most 1000 bytes, no newline");
			pr = LAB_PARSE_ERROR;
		}
		c.messages = messages_arg;
	}
	if (pr == LAB_PARSE_OK && framing_arg) {
		if (strcmp(framing_arg, "newline") == 0) {
			so.framing = c.framing = THREADS_NEWLINE;
		} else if (strcmp(framing_arg, "none") != 0) {
			snprintf(err, sizeof err, "--framing wants none or newline, not '%s'",
			         framing_arg);
			pr = LAB_PARSE_ERROR;
		}
	}
	if (pr != LAB_PARSE_OK)
		return lab_parse_exit(pr, &info, err);
	if (c.hold_ms < 0)
		c.hold_ms = c.clients > 1 ? 1000 : 0;
	lab_start(&info, &o);
	bool ok = strcmp(o.role, "server") == 0 ? threads_server(&o, &so) : threads_clients(&o, &c);
	return lab_exit_code(!ok);
}
