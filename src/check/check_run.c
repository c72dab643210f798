/* check_run.c — one run: capture, privileges, the program started and watched, the task's
 * peers, the program always ended, the verdicts printed. */
#include "check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STOP_GRACE  0.5 /* SIGTERM, then this long, then SIGKILL */
#define ARG_MAX_LEN 4096

/* The user the checker becomes as root once the capture is open, so the program never runs as
 * root: the one who ran sudo, else nobody. Returns 0, or -1 with err. */
static int drop_root(bool *dropped, char *who, size_t wholen, char *err, size_t errlen)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	uid_t uid;
	gid_t gid;
	struct passwd *pw = NULL;

	*dropped = false;
	if (geteuid() != 0)
		return 0;
	if (su && sg && atol(su) > 0) {
		uid = (uid_t)atol(su);
		gid = (gid_t)atol(sg);
		pw = getpwuid(uid);
	} else {
		pw = getpwnam("nobody");
		if (!pw) {
			snprintf(err, errlen,
			         "running as root and there is no user 'nobody' to run "
			         "the program as");
			return -1;
		}
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	snprintf(who, wholen, "%s", pw ? pw->pw_name : "the sudo user");
	/* groups, then gid, then uid: after setuid the others cannot be changed any more */
	if ((pw ? initgroups(pw->pw_name, gid) : setgroups(1, &gid)) != 0 || setgid(gid) != 0 ||
	    setuid(uid) != 0) {
		snprintf(err, errlen, "cannot give up root (to uid %u): %s", (unsigned)uid,
		         strerror(errno));
		return -1;
	}
	if (getuid() != uid || geteuid() != uid || setuid(0) == 0) {
		snprintf(err, errlen, "giving up root did not stick");
		return -1;
	}
	*dropped = true;
	return 0;
}

static void set_target(struct check_ctx *c, const struct decode_addr *a)
{
	memset(&c->target, 0, sizeof c->target);
	if (a->family == 6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&c->target;
		static const uint8_t any[16];

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)c->port);
		if (memcmp(a->bytes, any, 16) == 0)
			s6->sin6_addr = in6addr_loopback; /* [::] listens on ::1 too */
		else
			memcpy(&s6->sin6_addr, a->bytes, 16);
		c->target_len = sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&c->target;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)c->port);
		if (a->bytes[0] == 0 && a->bytes[1] == 0 && a->bytes[2] == 0 && a->bytes[3] == 0)
			s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* 0.0.0.0 */
		else
			memcpy(&s4->sin_addr, a->bytes, 4);
		c->target_len = sizeof *s4;
	}
}

/* The listens check: a LISTEN socket of the program's process group on the port. */
static bool wait_listen(struct check_ctx *c)
{
	double until = check_until(c, c->args->timeout_s / 2.0);
	struct decode_addr a;
	char how[96], out[300], addr[64];
	unsigned other, swapped = ((c->port & 0xff) << 8) | (c->port >> 8);

	for (;;) {
		if (check_diag_listener(c->port, c->proc.pid, &a)) {
			set_target(c, &a);
			decode_addr_format(&a, addr, sizeof addr);
			check_verdict(
			    &c->report, "listens", CHECK_PASS, 0, NULL,
			    "sock_diag shows the program's socket in LISTEN on %s port %u, %.2f s "
			    "after it started",
			    addr, c->port, check_now() - c->start);
			return true;
		}
		if (!check_ctx_alive(c, how, sizeof how)) {
			check_ctx_output_note(c, out, sizeof out);
			check_verdict(
			    &c->report, "listens", CHECK_FAIL, 0,
			    "a server must stay running: check what made it end (bind() failing "
			    "with EADDRINUSE or EACCES, a wrong argument, a crash)",
			    "the program %s before any socket of it was in LISTEN on port %u%s",
			    how, c->port, out);
			return false;
		}
		if (check_now() >= until || check_interrupted())
			break;
		check_sleep(0.02);
	}
	other = check_diag_other_listener(c->proc.pid, c->port);
	check_ctx_output_note(c, out, sizeof out);
	if (other && other == swapped)
		check_verdict(&c->report, "listens", CHECK_FAIL, 0,
		              "the port went into sin_port without htons(): on this little-endian "
		              "machine its two bytes are swapped",
		              "no socket of the program listened on port %u; it listens on port %u "
		              "instead, which is %u with its two bytes swapped%s",
		              c->port, other, c->port, out);
	else if (other)
		check_verdict(
		    &c->report, "listens", CHECK_FAIL, 0,
		    "take the port from the command line ({port}) or $PORT",
		    "no socket of the program listened on port %u within %.1f s; it listens "
		    "on port %u instead%s",
		    c->port, check_now() - c->start, other, out);
	else
		check_verdict(
		    &c->report, "listens", CHECK_FAIL, 0,
		    "a server calls socket(), bind() to the port, then listen(): without "
		    "listen() the kernel refuses every connection",
		    "no socket of the program was in LISTEN on port %u within %.1f s (sock_diag)%s",
		    c->port, check_now() - c->start, out);
	return false;
}

static void ladder(uint16_t conn_port, FILE *fp, void *user)
{
	struct check_ctx *c = user;
	check_wire_ladder(c->wire, conn_port, fp);
}

static void free_argv(char **v)
{
	for (int i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* argv with {port} replaced; NULL on a too long argument. */
static char **build_argv(const struct check_args *a, unsigned port)
{
	char **v = calloc((size_t)a->ncmd + 1, sizeof *v);

	if (!v)
		return NULL;
	for (int i = 0; i < a->ncmd; i++) {
		char buf[ARG_MAX_LEN];

		if (check_subst_port(a->cmd[i], port, buf, sizeof buf) < 0 ||
		    !(v[i] = strdup(buf))) {
			free_argv(v);
			return NULL;
		}
	}
	return v;
}

int check_run(const struct check_args *a, const struct check_task *t)
{
	static struct check_ctx c; /* large (verdict texts); one per process */
	char err[300], who[64] = "", out[300];
	bool permission = false, dropped = false;
	char **argv;
	int rc;

	memset(&c, 0, sizeof c);
	c.args = a;
	c.task = t;
	c.report.task = t->name;
	c.report.format = a->format;
	c.proc.pid = -1;
	c.port = a->port ? (unsigned)a->port : check_free_port();
	if (!c.port) {
		fprintf(stderr, "socklab-check: found no free port on 127.0.0.1\n");
		return 1;
	}
	c.wire = check_wire_open(c.port, !t->program_is_client, &permission, err, sizeof err);
	c.report.capture = c.wire != NULL;
	if (!c.wire)
		fprintf(
		    stderr,
		    "socklab-check: no capture (%s): every check still runs, from the checker's "
		    "sockets and sock_diag, without the wire's details and ladders%s\n",
		    err,
		    permission ? "; sudo, or setcap cap_net_raw+ep on socklab-check, adds them"
		               : "");
	if (drop_root(&dropped, who, sizeof who, err, sizeof err) != 0) {
		fprintf(stderr, "socklab-check: %s\n", err);
		check_wire_close(c.wire);
		return 1;
	}
	if (c.wire && !check_wire_start(c.wire)) {
		check_wire_close(c.wire);
		c.wire = NULL;
		c.report.capture = false;
	}
	argv = build_argv(a, c.port);
	if (!argv) {
		fprintf(stderr, "socklab-check: an argument is too long (at most %d bytes)\n",
		        ARG_MAX_LEN - 1);
		check_wire_close(c.wire);
		return 2;
	}
	if (t->program_is_client && check_listen_loopback(&c.ref, c.port, err, sizeof err) != 0) {
		fprintf(stderr, "socklab-check: %s\n", err);
		check_wire_close(c.wire);
		return 1;
	}
	c.start = check_now();
	c.deadline = c.start + a->timeout_s - 1.0; /* the last second ends the program */
	c.step = a->timeout_s / 4.0 < 1.0 ? 1.0 : a->timeout_s / 4.0;
	rc = check_proc_start(&c.proc, argv, c.port, t->stdin_pipe, err, sizeof err);
	free_argv(argv);
	if (rc != 0) {
		fprintf(stderr, "socklab-check: %s\n", err);
		check_listener_close(&c.ref);
		check_wire_close(c.wire);
		return 1;
	}
	if (c.proc.exec_errno) {
		check_verdict(&c.report, t->checks[0], CHECK_FAIL, 0,
		              "give the program's path (./name for one in this folder) and make it "
		              "executable; as root, the program runs as the sudo user or nobody",
		              "the program could not be started: %s: %s%s%s", a->cmd[0],
		              strerror(c.proc.exec_errno), dropped ? " (run as user " : "",
		              dropped ? who : "");
		if (dropped)
			strncat(c.report.v[c.report.n - 1].why, ")",
			        sizeof c.report.v[0].why - strlen(c.report.v[c.report.n - 1].why) -
			            1);
	} else if (t->program_is_client || wait_listen(&c)) {
		t->run(&c);
	}
	check_proc_stop(&c.proc, STOP_GRACE);
	check_listener_close(&c.ref);
	if (check_interrupted()) {
		check_proc_output_tail(&c.proc, out, sizeof out);
		fprintf(stderr, "socklab-check: interrupted; the program was ended\n");
		check_verdict(&c.report, "survives", CHECK_SKIP, 0, NULL,
		              "not reached: interrupted");
	}
	check_wire_settle(c.wire, 0.05, 0.3);
	rc = check_report_print(&c.report, t->checks, stdout, ladder, &c);
	if (c.report.format == CHECK_FORMAT_TEXT && rc != 0) {
		bool shown = false;

		for (int i = 0; i < c.report.n; i++)
			shown = shown || strstr(c.report.v[i].why, "its output ends");
		check_proc_output_tail(&c.proc, out, sizeof out);
		if (out[0] && !shown)
			printf("the program's output ends with: \"%s\"\n", out);
	}
	check_wire_close(c.wire);
	if (check_interrupted())
		return 1;
	return rc;
}
