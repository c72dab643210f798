/* lab.h — helper library for the socklab labs: narration around each syscall, --step pauses,
 * the kernel's TCP state (TCP_INFO), errno explanations, addresses, common options, timeouts.
 *
 * The labs call socket()/bind()/listen()/connect()/accept()/send()/recv()/close() themselves;
 * this library only narrates around those calls:
 *
 *	lab_before("connect(%d, %s)", fd, addr);
 *	r = connect(fd, sa, salen);
 *	lab_after(r, fd);
 *
 * The narration format is a contract (tests grep it); it is documented in labs/lib/README.md.
 * The API is stable: only additive changes. Narration is thread-safe (one line at a time,
 * per-thread call text and tag), so threaded labs may narrate from every thread. */
#ifndef SOCKLAB_LAB_H
#define SOCKLAB_LAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#define LAB_DEFAULT_PORT    8888
#define LAB_DEFAULT_TIMEOUT 60 /* seconds; 0 disables the timeouts */
#define LAB_ADDRSTRLEN      64 /* "[ffff:...:ffff%ifname]:65535" fits */

/* ---- options ---------------------------------------------------------------------------- */

/* A lab-specific option, "--name" (switch) or "--name VALUE" / "--name=VALUE". */
struct lab_flag {
	const char *name;   /* without the dashes, e.g. "forget-htons" */
	const char *arg;    /* NULL for a switch; else the value's name in --help, e.g. "N" */
	const char *help;   /* one line */
	bool *on;           /* switch: set to true when given (may be NULL for valued options) */
	const char **value; /* valued option: receives the string given */
};

/* What a lab is; drives --help and the checks on the role argument. */
struct lab_info {
	const char *name;             /* "lab04-connect" */
	const char *summary;          /* one line: what the lab teaches */
	const char *teaches;          /* a paragraph or a few lines for --help (may be NULL) */
	const char *const *roles;     /* NULL-terminated list of roles, or NULL: no roles */
	const char *default_role;     /* used when no role is given; NULL: a role is required */
	const struct lab_flag *flags; /* terminated by an entry with name == NULL; may be NULL */
	const char *examples;         /* lines shown under "Examples:" (may be NULL) */
};

/* The common options every lab accepts (filled by lab_parse). */
struct lab_opts {
	const char *host; /* --host; default "127.0.0.1" (-4) or "::1" (-6) */
	int port;         /* --port; default LAB_DEFAULT_PORT */
	int family;       /* AF_INET (default, -4) or AF_INET6 (-6) */
	bool step;        /* --step: pause before each syscall until Enter */
	bool color;       /* resolved: on a terminal, no --no-color, NO_COLOR unset or empty */
	int timeout_s;    /* --timeout: per blocking call, and the watchdog; 0 = none */
	const char *role; /* the role argument (e.g. "server"), or the default role, or NULL */
	int nargs;        /* always 0: lab_parse refuses words after the role (kept for the API) */
	char **args;
	bool linux_names; /* --names=linux: state names as Linux and ss spell them (SYN_RECV) */
};

enum lab_parse_result {
	LAB_PARSE_OK = 0,
	LAB_PARSE_HELP = 1,  /* -h/--help was given: print lab_print_help, exit 0 */
	LAB_PARSE_ERROR = 2, /* usage error: err holds one line; exit 2 */
};

/* Parse argv into opts (defaults first). Never prints. */
enum lab_parse_result lab_parse(int argc, char **argv, const struct lab_info *info,
                                struct lab_opts *opts, char *err, size_t errlen);

/* Full --help text for a lab: usage, what it teaches, its options, the common options. */
void lab_print_help(FILE *out, const struct lab_info *info);

/* For a lab's main: act on a non-OK parse result (help to stdout, or the error line and a
 * "try --help" hint to stderr) and return the exit code (0 or 2). */
int lab_parse_exit(enum lab_parse_result r, const struct lab_info *info, const char *err);

/* Parse a decimal integer in [min,max]; false if s is not one. */
bool lab_parse_long(const char *s, long min, long max, long *out);

/* ---- session ---------------------------------------------------------------------------- */

/* Start narrating: line-buffered stdout, colour decision, SIGINT/SIGTERM/SIGALRM handlers that
 * only set a flag (installed without SA_RESTART so a blocked call returns EINTR), SIGPIPE
 * ignored (so send() reports EPIPE instead of killing the lab), the watchdog armed. Prints a
 * banner line. Call once, after lab_parse. */
void lab_start(const struct lab_info *info, const struct lab_opts *opts);

/* True once Ctrl-C / SIGTERM arrived or the watchdog fired: the lab should close and return. */
bool lab_stopping(void);

/* The exit code a lab's main should return: 130 after Ctrl-C/SIGTERM, 1 after the watchdog or
 * when failed is true, else 0. */
int lab_exit_code(bool failed);

/* Give a socket per-call timeouts (SO_RCVTIMEO and SO_SNDTIMEO = --timeout seconds; these also
 * bound accept() and connect()), so no call blocks forever. Narrated as a quiet note. */
void lab_guard(int fd);

/* ---- narration -------------------------------------------------------------------------- */

/* Announce a syscall: prints "-> <call text>" and, with --step, waits for Enter. The text is
 * remembered (per thread) for lab_after. The call name is the text up to '('. */
void lab_before(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Narrate a syscall's result. Call immediately after the syscall (errno is read first and
 * preserved). fd is the socket whose state to report: the result for socket()/accept(), else
 * the descriptor the call used; -1 for none. Prints
 *   "<- <call text> = <ret> [<ERRNO>]  state=<STATE> [local=<addr>] [peer=<addr>]"
 * and, on failure, a "why:" and a "hint:" line. Returns ret. */
long lab_after(long ret, int fd);

/* Like lab_after for a call that involves no socket (pthread_join, pipe, setns, ...): the
 * result line has no state part. */
long lab_after_plain(long ret);

/* Remember the call text for the next lab_after without printing or pausing: for a call in a
 * loop that narrates only its first rounds (errno is preserved). */
void lab_set_call(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Remember a socket's two addresses, to report its state after its descriptor is gone. */
struct lab_tuple {
	struct sockaddr_storage local, peer;
	socklen_t local_len, peer_len; /* 0 when unknown / unconnected */
	int state; /* the socket's TCP state when remembered (lab_tcp_state), -1 if none */
};
void lab_tuple_of(int fd, struct lab_tuple *t);

/* Like lab_after, for close(): the descriptor is gone, so the state comes from /proc/net/tcp
 * by the remembered addresses (e.g. TIME_WAIT, FIN_WAIT_1); CLOSED when the kernel has none.
 * A connection is looked up by its full 4-tuple; only a socket that was a listener when
 * remembered is looked up by its local address alone (so a reset connection, which has no
 * peer any more, is never reported as the listener on the same port). */
long lab_after_gone(long ret, const struct lab_tuple *t);

/* Narrate and call close(fd): the call, its result, and the state the connection is left in
 * (from the kernel, by the addresses remembered before the descriptor went away). Returns
 * close()'s result. The one close every lab uses. */
long lab_close(int fd);

/* The same with addresses remembered earlier (t; NULL: take them now): after a FIN or a RST
 * the socket may have no peer any more (getpeername fails), so a lab that wants the state of
 * that connection after close() remembers its tuple while it was connected. */
long lab_close_as(int fd, const struct lab_tuple *t);

/* The state of a connection whose descriptor is gone, from /proc/net/tcp{,6} (CLOSED when the
 * kernel has forgotten it): prints "   now: state=<STATE>  local=...  peer=...  (...)". */
void lab_show_gone_state(const struct lab_tuple *t);

/* The state of a remembered connection in /proc/net/tcp{,6}: true and *kstate set if the kernel
 * still has it. Matches the full 4-tuple; a tuple without a peer matches only if it was a
 * listener (then by local address). */
bool lab_tuple_find(const struct lab_tuple *t, int *kstate);

/* Wait up to ms milliseconds until that connection is in kstate (a Linux TCP_* value; 7,
 * TCP_CLOSE, waits until the kernel has forgotten it). True if it got there. Quiet. */
bool lab_wait_gone_state(const struct lab_tuple *t, int kstate, int ms);

/* Explanatory text between calls ("   <text>"), a section title ("== <text>"), a warning. */
void lab_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lab_title(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lab_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the kernel's current view of a socket: "   now: state=<STATE> local=... peer=...". */
void lab_show_state(int fd);

/* A tag put in front of every line this thread prints, e.g. "conn 2" -> "[conn 2] ".
 * NULL or "" removes it. The roles' name is the default tag when the lab has roles. */
void lab_set_tag(const char *tag);

/* ---- kernel state ----------------------------------------------------------------------- */

/* The kernel's TCP state of a socket via getsockopt(TCP_INFO): a Linux TCP_* value (1..12),
 * or -1 if fd is not a TCP socket (errno set). */
int lab_tcp_state(int fd);

/* RFC 9293 name for a Linux TCP_* state ("SYN_RECEIVED", "FIN_WAIT_1", ...); "?" if unknown.
 * TCP_NEW_SYN_RECV (12) is reported as SYN_RECEIVED. After lab_set_linux_names(true)
 * (--names=linux) the kernel's and ss's spellings instead: SYN_RECV, FIN_WAIT1, CLOSE, ... */
const char *lab_state_name(int kstate);
void lab_set_linux_names(bool on);

/* A listener's accept queue: connections the kernel completed and accept() has not taken yet,
 * and the backlog limit (TCP_INFO tcpi_unacked / tcpi_sacked on a LISTEN socket). */
int lab_accept_queue(int fd, unsigned *queued, unsigned *backlog);

/* One row of /proc/net/tcp or /proc/net/tcp6. */
struct lab_sock {
	struct sockaddr_storage local, remote;
	int state; /* Linux TCP_* value */
};

/* Read /proc/net/tcp and /proc/net/tcp6: up to max rows stored, returns how many rows there
 * were (may exceed max), or -1 if neither could be read. */
int lab_proc_list(struct lab_sock *out, int max);

/* The state of the socket local->remote from /proc/net/tcp{,6}: true and *kstate set if found.
 * remote NULL matches only sockets without a peer (remote port 0: LISTEN, or unconnected). */
bool lab_proc_find(const struct sockaddr *local, const struct sockaddr *remote, int *kstate);

/* ---- errno ------------------------------------------------------------------------------ */

/* "ECONNREFUSED" for ECONNREFUSED; an unknown value gives "errno <n>" (per-thread buffer). */
const char *lab_errno_name(int e);

/* A plain explanation of what e means for this call (call may be NULL), and a hint of what to
 * do or try. Never NULL (falls back to strerror-like text and a generic hint). */
const char *lab_errno_explain(int e, const char *call);
const char *lab_errno_hint(int e, const char *call);

/* ---- peer bytes ---------------------------------------------------------------------------- */

/* Bytes from the network made safe to print: printable ASCII as is, \\ and \" escaped, \n \r
 * \t as such, every other byte (control bytes, ESC, non-ASCII) as \xNN, so a peer can never
 * move the cursor, retitle or clear the terminal. When the result would not fit in buflen,
 * its start and end are kept around "...(N more bytes)...". Returns buf (always terminated). */
char *lab_escape(const void *data, size_t len, char *buf, size_t buflen);

/* Held while labs/lib has a descriptor of its own open for an instant (a syscall marker's
 * socket, a read of /proc/net/tcp): a lab that counts its descriptors from another thread
 * (lab08) holds it while reading /proc/self/fd, so the count is the lab's own. */
void lab_scratch_lock(void);
void lab_scratch_unlock(void);

/* ---- addresses -------------------------------------------------------------------------- */

/* "127.0.0.1:8888" or "[::1]:8888" (port 0 shown as :0); "?" for an unknown family.
 * Returns buf. */
char *lab_addr_str(const struct sockaddr *sa, socklen_t len, char *buf, size_t buflen);

/* Build the sockaddr for host:port in the chosen family (numeric addresses and names such as
 * "localhost"). Returns 0, or -1 with a message in err. */
int lab_make_addr(int family, const char *host, int port, struct sockaddr_storage *ss,
                  socklen_t *len, char *err, size_t errlen);

/* The socket's own / peer address as text (getsockname / getpeername); "-" if none. */
char *lab_local_str(int fd, char *buf, size_t buflen);
char *lab_peer_str(int fd, char *buf, size_t buflen);

/* "AF_INET" / "AF_INET6" / "AF_UNIX" / "family <n>". */
const char *lab_family_name(int family);

#endif
