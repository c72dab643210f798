/* lab_marker.c — tells a running tcpscope which call the lab is about to make (a syscall
 * marker, wire format in socklab/marker.h): one datagram, never blocking, never an error. */
#include "lab_internal.h"

#include "socklab/marker.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* Copies an address and port into the wire fields; the family (4 or 6), 0 if not INET. */
static uint8_t put_addr(uint8_t *addr, uint8_t *port, const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		memcpy(addr, &in->sin_addr, 4);
		put16(port, ntohs(in->sin_port));
		return 4;
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		memcpy(addr, &in6->sin6_addr, 16);
		put16(port, ntohs(in6->sin6_port));
		return 6;
	}
	return 0;
}

/* "127.0.0.1:8888" or "[::1]:8888", as lab_addr_str writes them, back into an address. */
static bool parse_addr(const char *s, size_t n, struct sockaddr_storage *ss)
{
	char buf[LAB_ADDRSTRLEN];
	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *colon = strrchr(buf, ':');
	if (!colon)
		return false;
	*colon = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port <= 0 || port > 65535)
		return false;
	memset(ss, 0, sizeof *ss);
	if (buf[0] == '[') {
		size_t l = strlen(buf);
		if (l < 2 || buf[l - 1] != ']')
			return false;
		buf[l - 1] = '\0';
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return inet_pton(AF_INET6, buf + 1, &in6->sin6_addr) == 1;
	}
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, buf, &in->sin_addr) == 1;
}

static bool enabled(void)
{
	const char *v = getenv(MARKER_ENV_ENABLE);
	return !(v &&
	         (strcmp(v, "0") == 0 || strcasecmp(v, "off") == 0 || strcasecmp(v, "no") == 0));
}

/* The socket the call uses, and the addresses it knows: the call text's first argument when
 * it is a descriptor ("close(4)"), and for connect() its target ("connect(3, 127.0.0.1:8888)"),
 * since the socket has no peer until the handshake is under way. */
static void fill_addrs(uint8_t *w, const char *call, const char *args)
{
	struct sockaddr_storage local, peer;
	socklen_t llen = sizeof local, plen = sizeof peer;
	uint8_t flags = 0, fam = 0, f;
	char *end;

	if (!args || *args < '0' || *args > '9')
		return;
	long fd = strtol(args, &end, 10);
	if (fd < 0 || fd > 1 << 20)
		return;
	memset(&local, 0, sizeof local);
	memset(&peer, 0, sizeof peer);
	if (getsockname((int)fd, (struct sockaddr *)&local, &llen) == 0 &&
	    (f = put_addr(w + MARKER_OFF_LOCAL, w + MARKER_OFF_LOCAL_PORT, &local)) != 0) {
		fam = f;
		flags |= MARKER_F_LOCAL;
	}
	if (getpeername((int)fd, (struct sockaddr *)&peer, &plen) != 0 &&
	    strcmp(call, "connect") == 0 && *end == ',') {
		const char *a = end + 1 + strspn(end + 1, " ");
		if (!parse_addr(a, strcspn(a, ",)"), &peer))
			return;
		flags |= MARKER_F_CONNECTING;
	}
	if (peer.ss_family == AF_INET || peer.ss_family == AF_INET6) {
		f = put_addr(w + MARKER_OFF_PEER, w + MARKER_OFF_PEER_PORT, &peer);
		if (fam && f != fam)
			return; /* a v4 socket with a v6 peer cannot be; say only what holds */
		fam = f;
		flags |= MARKER_F_PEER;
	}
	w[MARKER_OFF_FLAGS] = flags;
	w[MARKER_OFF_FAMILY] = flags ? fam : 0;
}

void lab_marker_send(const char *call_text)
{
	int saved = errno;
	if (!enabled())
		return;
	uint8_t w[MARKER_WIRE_LEN];
	memset(w, 0, sizeof w);
	memcpy(w + MARKER_OFF_MAGIC, MARKER_MAGIC, 4);
	w[MARKER_OFF_VERSION] = MARKER_WIRE_VERSION;

	/* the call's name: the text up to '(', only if it is a plain C name */
	size_t n = strcspn(call_text, "( ");
	if (n == 0 || n >= MARKER_CALL_LEN) {
		errno = saved;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char c = call_text[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
			errno = saved;
			return;
		}
	}
	memcpy(w + MARKER_OFF_CALL, call_text, n);
	char call[MARKER_CALL_LEN];
	memcpy(call, call_text, n);
	call[n] = '\0';
	fill_addrs(w, call, call_text[n] == '(' ? call_text + n + 1 : NULL);

	const char *role = lab_line_tag();
	size_t rl = 0;
	while (role[rl] && rl < MARKER_ROLE_LEN - 1 && role[rl] >= 0x20 && role[rl] <= 0x7e)
		rl++;
	memcpy(w + MARKER_OFF_ROLE, role, rl);

	put32(w + MARKER_OFF_PID, (uint32_t)getpid());
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	put32(w + MARKER_OFF_SEC, (uint32_t)((uint64_t)ts.tv_sec >> 32));
	put32(w + MARKER_OFF_SEC + 4, (uint32_t)ts.tv_sec);
	put32(w + MARKER_OFF_NSEC, (uint32_t)ts.tv_nsec);

	/* A socket per marker, closed before the lab's own call: the lab's descriptor numbers
	 * (which it narrates) stay what they were without markers. */
	const char *name = getenv(MARKER_ENV_SOCKET);
	if (!name || !*name)
		name = MARKER_SOCKET_DEFAULT;
	struct sockaddr_un sun;
	size_t nl = strlen(name);
	if (nl > MARKER_NAME_MAX || nl >= sizeof sun.sun_path) {
		errno = saved;
		return;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path + 1, name, nl);
	lab_scratch_lock();
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s >= 0) {
		/* nobody listening (ECONNREFUSED), a full queue (EAGAIN): the lab goes on */
		(void)sendto(s, w, sizeof w, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&sun,
		             (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + nl));
		close(s);
	}
	lab_scratch_unlock();
	errno = saved;
}
