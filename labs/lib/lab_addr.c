/* lab_addr.c — socket addresses as text ("127.0.0.1:8888", "[::1]:8888") and from text. */
#include "lab.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

char *lab_addr_str(const struct sockaddr *sa, socklen_t len, char *buf, size_t buflen)
{
	char ip[INET6_ADDRSTRLEN];
	if (!buf || buflen == 0)
		return buf;
	if (sa && sa->sa_family == AF_INET && len >= (socklen_t)sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof ip);
		snprintf(buf, buflen, "%s:%u", ip, (unsigned)ntohs(in->sin_port));
	} else if (sa && sa->sa_family == AF_INET6 &&
	           len >= (socklen_t)sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof ip);
		if (in6->sin6_scope_id)
			snprintf(buf, buflen, "[%s%%%u]:%u", ip, (unsigned)in6->sin6_scope_id,
			         (unsigned)ntohs(in6->sin6_port));
		else
			snprintf(buf, buflen, "[%s]:%u", ip, (unsigned)ntohs(in6->sin6_port));
	} else {
		snprintf(buf, buflen, "?");
	}
	return buf;
}

int lab_make_addr(int family, const char *host, int port, struct sockaddr_storage *ss,
                  socklen_t *len, char *err, size_t errlen)
{
	memset(ss, 0, sizeof *ss);
	if (port < 0 || port > 65535) {
		snprintf(err, errlen, "port %d is out of range (0-65535)", port);
		return -1;
	}
	if (family != AF_INET && family != AF_INET6) {
		snprintf(err, errlen, "unsupported address family %d", family);
		return -1;
	}
	/* A literal of the other family is a common slip: name the fix. */
	struct in6_addr probe;
	if (family == AF_INET && inet_pton(AF_INET6, host, &probe) == 1) {
		snprintf(err, errlen, "'%s' is an IPv6 address: add -6", host);
		return -1;
	}
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	int rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(err, errlen, "cannot resolve '%s' as %s: %s", host,
		         family == AF_INET ? "IPv4" : "IPv6", rc ? gai_strerror(rc) : "no address");
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	if (family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	return 0;
}

char *lab_local_str(int fd, char *buf, size_t buflen)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		snprintf(buf, buflen, "-");
		return buf;
	}
	return lab_addr_str((struct sockaddr *)&ss, len, buf, buflen);
}

char *lab_peer_str(int fd, char *buf, size_t buflen)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0) {
		snprintf(buf, buflen, "-");
		return buf;
	}
	return lab_addr_str((struct sockaddr *)&ss, len, buf, buflen);
}

const char *lab_family_name(int family)
{
	static _Thread_local char buf[24];
	switch (family) {
	case AF_INET:
		return "AF_INET";
	case AF_INET6:
		return "AF_INET6";
	case AF_UNIX:
		return "AF_UNIX";
	case AF_UNSPEC:
		return "AF_UNSPEC";
	default:
		snprintf(buf, sizeof buf, "family %d", family);
		return buf;
	}
}
