/* check.h — socklab-check's parts: options, the program under test, the checker's peers, the
 * wire (capture + tracker), sock_diag look-ups, verdicts, and the tasks. Private to src/check
 * and the tests. Call order (no cycles): main -> check_run -> tasks -> everything else. */
#ifndef SOCKLAB_CHECK_H
#define SOCKLAB_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "socklab/decode.h"
#include "socklab/track.h"

/* ---- options (check_args.c) ---- */

enum check_format { CHECK_FORMAT_TEXT, CHECK_FORMAT_JSONL };
enum check_action { CHECK_ACT_RUN, CHECK_ACT_LIST, CHECK_ACT_HELP, CHECK_ACT_VERSION };

#define CHECK_TIMEOUT_DEFAULT 10
#define CHECK_TIMEOUT_MIN     2
#define CHECK_TIMEOUT_MAX     600

struct check_args {
	enum check_action action;
	const char *task;
	int port;      /* 0: a free one */
	int timeout_s; /* the whole run */
	enum check_format format;
	char **cmd; /* COMMAND and ARGS (points into argv), NULL-terminated by argv */
	int ncmd;
};

/* 0 and *a filled; -1 on bad usage with one line in err (no newline). */
int check_args_parse(int argc, char **argv, struct check_args *a, char *err, size_t errlen);

/* in with every "{port}" replaced by the port's digits. Returns the length written, or -1 when
 * out (outlen bytes with the NUL) is too small. */
int check_subst_port(const char *in, unsigned port, char *out, size_t outlen);

/* ---- verdicts and output (check_report.c) ---- */

enum check_status { CHECK_PASS, CHECK_FAIL, CHECK_SKIP };

#define CHECK_WHY_LEN    640
#define CHECK_HINT_LEN   320
#define CHECK_MAX_CHECKS 16
#define CHECK_NO_CONN    0 /* a verdict not tied to one connection */

struct check_verdict {
	const char *check; /* a name from the task's list (static storage) */
	enum check_status status;
	char why[CHECK_WHY_LEN];
	char hint[CHECK_HINT_LEN];
	uint16_t conn_port; /* the checker-side or the program's client port of the connection the
	                       verdict is about (its ladder is printed on failure); 0: none */
};

struct check_report {
	const char *task;
	enum check_format format;
	bool capture; /* the wire was seen: ladders and wire evidence */
	struct check_verdict v[CHECK_MAX_CHECKS];
	int n;
};

/* Untrusted bytes as printable text: printable ASCII kept, '\\' doubled, everything else
 * (control bytes, DEL, bytes >= 0x80) as \xNN. Always NUL-terminates; cuts whole escapes.
 * Returns the length written. */
size_t check_escape(const void *in, size_t n, char *out, size_t outlen);

/* JSON string body: '"', '\\' and bytes < 0x20 escaped, bytes >= 0x80 as \u00NN (so any
 * input gives valid JSON). Always NUL-terminates; returns the length written. */
size_t check_json_escape(const char *in, char *out, size_t outlen);

/* Record a verdict (a second verdict for the same check replaces a pass or skip, never a
 * failure: the first failure is the one to read). why/hint are printf formats. */
void check_verdict(struct check_report *r, const char *check, enum check_status st,
                   uint16_t conn_port, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* One line per check in the order of names (NULL-terminated); a name with no verdict is
 * SKIP "not reached". ladder(conn_port, fp, user) prints a failure's connection (may be
 * NULL). Then the result line. Returns the exit status: 0 all passed, 1 one failed. */
typedef void (*check_ladder_fn)(uint16_t conn_port, FILE *fp, void *user);
int check_report_print(struct check_report *r, const char *const *names, FILE *fp,
                       check_ladder_fn ladder, void *user);

/* The verdict recorded for a check, or NULL. */
const struct check_verdict *check_report_get(const struct check_report *r, const char *check);

/* ---- the program under test (check_proc.c) ---- */

struct check_proc {
	pid_t pid;    /* also its process group */
	int out_fd;   /* memfd holding its stdout and stderr */
	int stdin_fd; /* write end of its stdin pipe, or -1 */
	bool exited;
	int status; /* waitpid status once exited */
	double exit_t;
	int exec_errno; /* execvp failed in the child with this errno (then exited is true) */
};

/* Starts argv in its own process group with $PORT set, stdin from a pipe when stdin_pipe
 * (else /dev/null), stdout and stderr to a memfd, default signal dispositions, and death when
 * the checker dies. 0, or -1 with err. */
int check_proc_start(struct check_proc *p, char *const *argv, unsigned port, bool stdin_pipe,
                     char *err, size_t errlen);
bool check_proc_poll(struct check_proc *p);  /* true once it has exited (reaped) */
bool check_proc_alive(struct check_proc *p); /* !check_proc_poll */
/* Ends the whole group: SIGTERM, up to grace seconds, SIGKILL, reap. Idempotent. Returns true
 * if it had to send SIGKILL. */
bool check_proc_stop(struct check_proc *p, double grace);
/* "exited with status 1", "killed by SIGPIPE", "still running". */
void check_proc_describe(const struct check_proc *p, char *buf, size_t len);
/* The last len-1 bytes of its output, escaped for printing. */
void check_proc_output_tail(const struct check_proc *p, char *buf, size_t len);
/* Its whole output (raw), up to len bytes; returns the count. */
size_t check_proc_output(const struct check_proc *p, char *buf, size_t len);
/* Entries in /proc/PID/<dir> ("fd" or "task"), or -1. */
int check_proc_count(pid_t pid, const char *dir);
/* VmSize in KiB from /proc/PID/status, or -1. */
long check_proc_vmsize_kb(pid_t pid);
/* Whether a process of the group pgid has the socket with this inode open. */
bool check_proc_has_inode(pid_t pgid, uint32_t inode);

/* Signals (SIGINT, SIGTERM, SIGHUP) only set a flag; SIGPIPE is ignored in the checker. */
void check_signals_install(void);
bool check_interrupted(void);

/* ---- time ---- */
double check_now(void);  /* CLOCK_MONOTONIC seconds */
double check_wall(void); /* CLOCK_REALTIME seconds (the capture's clock) */
void check_sleep(double s);

/* ---- the checker's sockets (check_net.c) ---- */

#define CHECK_PEER_KEEP (256 * 1024) /* received bytes kept for comparison; more are counted */

enum check_io {
	CHECK_IO_OK = 0,
	CHECK_IO_TIMEOUT,
	CHECK_IO_EOF,      /* the peer's FIN (recv returned 0) */
	CHECK_IO_RESET,    /* ECONNRESET: the peer's RST */
	CHECK_IO_ERROR,    /* another error (errno in err) */
	CHECK_IO_MISMATCH, /* bytes arrived that differ from the ones expected */
	CHECK_IO_STOP,     /* the checker was interrupted */
};
const char *check_io_name(enum check_io io);

struct check_peer {
	int fd;
	struct sockaddr_storage local, remote;
	uint16_t lport, rport;
	unsigned char *buf; /* received bytes (up to CHECK_PEER_KEEP) */
	size_t len, pos;    /* kept; read up to (consumed by expect) */
	uint64_t received;  /* all bytes received */
	uint64_t sent;
	bool eof, reset, wr_shut;
	int err;       /* errno of the error that ended it, 0 if none */
	double eof_t;  /* when the peer's FIN or RST was read */
	double shut_t; /* when we sent our FIN */
};

void check_peer_init(struct check_peer *p);
void check_peer_free(struct check_peer *p); /* closes fd if still open, frees buf */
/* Nonblocking connect to addr:port with a deadline (monotonic). */
enum check_io check_peer_connect(struct check_peer *p, const struct sockaddr_storage *to,
                                 socklen_t tolen, double deadline);
/* Adopt an accepted socket (made nonblocking). */
void check_peer_adopt(struct check_peer *p, int fd);
/* Send all n bytes, reading what arrives meanwhile (never a deadlock with an echo). */
enum check_io check_peer_send(struct check_peer *p, const void *data, size_t n, double deadline);
/* Wait until at least one more byte, EOF, an error, or the deadline. */
enum check_io check_peer_read_some(struct check_peer *p, double deadline);
/* Read until the peer's FIN or RST (or the deadline). */
enum check_io check_peer_read_to_end(struct check_peer *p, double deadline);
/* Expect want next. loose: skip leading \r \n \0 before it and trailing ones right after.
 * On a match, pos moves past it. On a mismatch waits up to 50 ms more for the rest to show. */
enum check_io check_peer_expect(struct check_peer *p, const void *want, size_t n, bool loose,
                                double deadline);
/* Collect bytes until quiet for quiet_s after the first one (a message on an unframed
 * stream), the peer's FIN, or the deadline. */
enum check_io check_peer_read_message(struct check_peer *p, double quiet_s, double deadline);
void check_peer_shutdown(struct check_peer *p); /* our FIN: shutdown(SHUT_WR) */
/* Payload bytes the peer's kernel has acknowledged (TCP_INFO), at most p->sent. */
uint64_t check_peer_acked(const struct check_peer *p);
void check_peer_abort(struct check_peer *p); /* SO_LINGER {1,0}: close with a RST */
void check_peer_close(struct check_peer *p); /* close() (after the peer's FIN) */
/* The unconsumed received bytes, escaped, for a message. */
void check_peer_pending_text(const struct check_peer *p, char *buf, size_t len);

/* Listening sockets of a reference server on 127.0.0.1:port and [::1]:port. */
struct check_listener {
	int fd[2];
	int n;
};
int check_listen_loopback(struct check_listener *l, unsigned port, char *err, size_t errlen);
/* Accept one connection (nonblocking, deadline); -1 on timeout, or when stop(user) says so. */
int check_accept(struct check_listener *l, double deadline, bool (*stop)(void *), void *user);
void check_listener_close(struct check_listener *l);
/* A free port: bind 127.0.0.1:0, read it back, close. 0 on failure. */
unsigned check_free_port(void);

/* ---- the wire: capture + decode + track on lo (check_wire.c) ---- */

struct check_wire;

#define CHECK_WIRE_MAX_STATES 16
#define CHECK_WIRE_SIZES      12

/* What the capture saw of one connection. Side 0 is the checker, side 1 the program. */
struct check_wire_conn {
	bool found;
	uint16_t port[2];
	bool program_is_server;
	enum track_state state[2];
	enum track_state seen[2][CHECK_WIRE_MAX_STATES]; /* states in order, first included */
	int nseen[2];
	bool handshake; /* SYN, SYN-ACK, ACK all seen */
	bool syn[2], fin[2], rst[2];
	int first_fin; /* side that sent the first FIN, -1 none */
	char rst_why[200];
	char state_why[2][200]; /* last transition's reason per side */
	uint64_t bytes[2];
	uint32_t data_segs[2], max_seg[2];
	uint32_t sizes[2][CHECK_WIRE_SIZES]; /* first data segment sizes per side */
	int nsizes[2];
};

/* Opens a live capture on lo for "tcp port P" and starts its thread. NULL when the capture
 * cannot be opened; *permission tells whether it was for lack of rights; err says why. */
struct check_wire *check_wire_open(unsigned port, bool program_is_server, bool *permission,
                                   char *err, size_t errlen);
/* Starts reading on a thread (after the privileges are dropped). False if it could not. */
bool check_wire_start(struct check_wire *w);
/* Wait until the capture has been quiet for quiet_s (at most max_s), then commit the
 * tracker's pending inferences, so what it reports covers everything sent so far. */
void check_wire_settle(struct check_wire *w, double quiet_s, double max_s);
/* The connection whose checker-side or program-side client port is conn_port. */
bool check_wire_conn(struct check_wire *w, uint16_t conn_port, struct check_wire_conn *out);
/* The connection's segments and state changes as a text ladder. */
void check_wire_ladder(struct check_wire *w, uint16_t conn_port, FILE *fp);
void check_wire_close(struct check_wire *w);

/* ---- sock_diag (check_diag.c) ---- */

/* The program's LISTEN socket on port (one of its process's sockets when pid > 0, else any);
 * true and addr filled when found. */
bool check_diag_listener(unsigned port, pid_t pid, struct decode_addr *addr);
/* A LISTEN socket of the process on another port (e.g. the port byte-swapped); 0 if none. */
unsigned check_diag_other_listener(pid_t pid, unsigned skip_port);
/* The kernel's state of the socket local lport <-> remote rport (both on loopback, any
 * family); false if there is none. */
bool check_diag_state(unsigned lport, unsigned rport, enum track_state *st);
/* "TIME_WAIT" for a state, "no socket" for a missing one. */
const char *check_diag_state_text(bool found, enum track_state st);

/* ---- a run's shared state (check_ctx.c) ---- */

struct check_task;

struct check_ctx {
	const struct check_args *args;
	const struct check_task *task;
	unsigned port;
	double start, deadline; /* monotonic; deadline: the checks must be done by then */
	double step;            /* the longest single wait */
	struct check_proc proc;
	struct check_wire *wire; /* NULL without capture */
	struct check_report report;
	struct sockaddr_storage target; /* where a server task's program listens */
	socklen_t target_len;
	struct check_listener ref; /* client tasks: the reference server */
};

/* min(now + s, ctx->deadline), at least now. */
double check_until(const struct check_ctx *c, double s);
/* One step's deadline: check_until(c, c->step). */
double check_step(const struct check_ctx *c);
bool check_over(const struct check_ctx *c); /* deadline passed or interrupted */
/* Connect a new peer to the program; on failure the io result. */
enum check_io check_ctx_connect(struct check_ctx *c, struct check_peer *p);
/* Settle the wire (if any) and fill *w for conn_port; false without capture or if unseen. */
bool check_ctx_wire(struct check_ctx *c, uint16_t conn_port, struct check_wire_conn *w);
/* ", the program's output: ..." for a failure sentence (empty when it printed nothing). */
void check_ctx_output_note(const struct check_ctx *c, char *buf, size_t len);
/* Whether the program is still running; if not, fills why with how it ended. */
bool check_ctx_alive(struct check_ctx *c, char *why, size_t len);
/* A wire sentence about a connection's close for a verdict: "wire: the program sent FIN
 * first; program CLOSE_WAIT -> LAST_ACK -> CLOSED" (empty without capture). */
void check_ctx_wire_close_text(struct check_ctx *c, uint16_t conn_port, char *buf, size_t len);

/* ---- tasks (check_tasks.c; one file per family) ---- */

struct check_task {
	const char *name;
	const char *summary;             /* one line for --list */
	bool program_is_client;          /* the checker runs a reference server */
	bool stdin_pipe;                 /* the program reads its input from stdin */
	const char *const *checks;       /* NULL-terminated, in output order */
	void (*run)(struct check_ctx *); /* records verdicts in ctx->report */
};

const struct check_task *check_task_find(const char *name);
const struct check_task *check_task_at(size_t i); /* NULL past the end */

void check_task_handshake_server(struct check_ctx *c);
void check_task_handshake_client(struct check_ctx *c);
void check_task_transfer_server(struct check_ctx *c);
void check_task_echo_server(struct check_ctx *c);
void check_task_echo_client(struct check_ctx *c);
void check_task_threads_server(struct check_ctx *c);
void check_task_threads_client(struct check_ctx *c);

/* The end of a clean session (check_close.c): wait up to program_first_s for the program's
 * FIN (it may close first), else send ours (shutdown) and wait a step for its FIN or RST.
 * Never closes before the program's FIN: returns with the socket open when it timed out. */
void check_end_session(struct check_ctx *c, struct check_peer *p, double program_first_s);

/* Which checks check_judge_close records. */
#define CHECK_JUDGE_CLOSE_WAIT  1
#define CHECK_JUDGE_NO_RESET    2
#define CHECK_JUDGE_CLOSE_ORDER 4
#define CHECK_JUDGE_ALL         7

/* Judge a session ended by check_end_session (or by the program) from the checker's socket,
 * sock_diag and the wire; closes the checker's socket. */
void check_judge_close(struct check_ctx *c, struct check_peer *p, int which);

/* The connection's key for the wire and the ladders: its client-side port. */
uint16_t check_conn_port(const struct check_ctx *c, const struct check_peer *p);

/* Shared steps of the tasks (check_session.c). */
/* Connect a new session to the program; the first call records the handshake verdict
 * (the wire's SYN, SYN-ACK, ACK when captured). False, with the verdict, on failure. */
bool check_session_open(struct check_ctx *c, struct check_peer *p);
/* Client tasks: accept the program's connection on the reference server (until it exits or
 * half the timeout passed) and record the handshake verdict. */
bool check_session_accept(struct check_ctx *c, struct check_peer *p);
/* Client tasks: the program must exit by itself with status 0 within a step (survives). */
void check_client_exit(struct check_ctx *c);
/* The first bytes of a buffer, escaped and quoted for a sentence. */
void check_quote(const void *data, size_t n, char *buf, size_t len);
/* ", and the program then exited with status 1" when it is no longer running. */
void check_exit_note(struct check_ctx *c, char *buf, size_t len);

/* ---- the run (check_run.c) ---- */
/* Runs the task on the program; prints the verdicts; returns the exit status. */
int check_run(const struct check_args *a, const struct check_task *t);

#endif
