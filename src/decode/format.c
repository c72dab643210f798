/* format.c — names and text forms of decode results: flags, endpoints, link types, statuses. */
#include "socklab/decode.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

int decode_flags_format(uint8_t flags, char *buf, size_t len)
{
	/* Order chosen to read like a handshake: SYN first, then FIN/RST, then the rest. */
	static const struct {
		uint8_t bit;
		const char *name;
	} names[] = {
	    {DECODE_TCP_SYN, "SYN"}, {DECODE_TCP_FIN, "FIN"}, {DECODE_TCP_RST, "RST"},
	    {DECODE_TCP_PSH, "PSH"}, {DECODE_TCP_ACK, "ACK"}, {DECODE_TCP_URG, "URG"},
	    {DECODE_TCP_ECE, "ECE"}, {DECODE_TCP_CWR, "CWR"},
	};
	if (!buf || len == 0)
		return 0;
	buf[0] = '\0';
	if (flags == 0) {
		snprintf(buf, len, "none");
		return 0;
	}
	size_t used = 0;
	int count = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].bit))
			continue;
		size_t need = strlen(names[i].name) + (count ? 1 : 0);
		/* Only whole names: a cut "AC" would read as a different flag. */
		if (used + need >= len)
			break;
		if (count)
			buf[used++] = ',';
		memcpy(buf + used, names[i].name, strlen(names[i].name));
		used += strlen(names[i].name);
		buf[used] = '\0';
		count++;
	}
	return count;
}

void decode_addr_format(const struct decode_addr *a, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];
	if (!buf || len == 0)
		return;
	const char *s = NULL;
	if (a && a->family == 4)
		s = inet_ntop(AF_INET, a->bytes, tmp, sizeof(tmp));
	else if (a && a->family == 6)
		s = inet_ntop(AF_INET6, a->bytes, tmp, sizeof(tmp)); /* RFC 5952 form in glibc */
	snprintf(buf, len, "%s", s ? s : "?");
}

void decode_endpoint_format(const struct decode_addr *a, uint16_t port, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	if (!buf || len == 0)
		return;
	decode_addr_format(a, addr, sizeof(addr));
	if (a && a->family == 6)
		snprintf(buf, len, "[%s]:%u", addr, (unsigned)port);
	else
		snprintf(buf, len, "%s:%u", addr, (unsigned)port);
}

const char *decode_link_name(int link)
{
	switch (link) {
	case DECODE_LINK_NULL:
		return "NULL";
	case DECODE_LINK_EN10MB:
		return "EN10MB";
	case DECODE_LINK_RAW:
	case DECODE_LINK_RAW_ALT:
		return "RAW";
	case DECODE_LINK_LOOP:
		return "LOOP";
	case DECODE_LINK_LINUX_SLL:
		return "LINUX_SLL";
	case DECODE_LINK_IPV4:
		return "IPV4";
	case DECODE_LINK_IPV6:
		return "IPV6";
	case DECODE_LINK_LINUX_SLL2:
		return "LINUX_SLL2";
	default:
		return "unknown";
	}
}

const char *decode_status_name(enum decode_status s)
{
	static const char *const names[DECODE_STATUS_COUNT] = {
	    [DECODE_OK] = "ok",
	    [DECODE_NOT_TCP] = "not_tcp",
	    [DECODE_FRAGMENT] = "fragment",
	    [DECODE_TRUNCATED] = "truncated",
	    [DECODE_MALFORMED] = "malformed",
	    [DECODE_UNSUPPORTED] = "unsupported",
	};
	if ((unsigned)s >= DECODE_STATUS_COUNT)
		return "unknown";
	return names[s];
}

void decode_stats_add(struct decode_stats *st, enum decode_status s)
{
	st->frames++;
	if ((unsigned)s < DECODE_STATUS_COUNT)
		st->by_status[s]++;
}
