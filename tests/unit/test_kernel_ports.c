/* test_kernel_ports.c — kernel_filter_ports: the ports a capture filter confines the capture
 * to, and "any port" (0) wherever a port outside the answer could still be captured. */
#include "socklab/kernel.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* The ports found, as "p1 p2 ..." in the order found, or "any" for 0. */
static const char *ports_of(const char *filter)
{
	static char out[128];
	uint16_t p[KERNEL_PORTS_MAX];
	int n = kernel_filter_ports(filter, p, KERNEL_PORTS_MAX);
	size_t len = 0;

	if (n == 0)
		return "any";
	out[0] = 0;
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, sizeof out - len, "%s%u", i ? " " : "",
		                        (unsigned)p[i]);
	return out;
}

/* What -p writes and what an instructor types after the options. */
static void test_port_filters(void **state)
{
	(void)state;
	assert_string_equal(ports_of("tcp port 9998"), "9998");
	assert_string_equal(ports_of("port 8080"), "8080");
	assert_string_equal(ports_of("tcp port 24007 and (host 127.0.0.1)"), "24007");
	assert_string_equal(ports_of("host 127.0.0.1 and tcp dst port 80"), "80");
	assert_string_equal(ports_of("port 80 or port 443"), "80 443");
	assert_string_equal(ports_of("tcp port 80 || 443"), "80 443"); /* pcap repeats "port" */
	assert_string_equal(ports_of("(port 1 or port 2) and (port 2 or port 3)"), "2");
	assert_string_equal(ports_of("tcp src or dst port 9000"), "9000");
	assert_string_equal(ports_of("ip6 && port 9000"), "9000");
	assert_string_equal(ports_of("port 9000 and not host 10.0.0.1"), "9000");
}

/* Wherever another port could be captured, or the reader is unsure: no filter at all. */
static void test_any_port(void **state)
{
	(void)state;
	const char *any[] = {
	    "",
	    "tcp",
	    "host 127.0.0.1",
	    "port 80 or host 10.0.0.1",
	    "not port 80",
	    "! port 80",
	    "portrange 80-90",
	    "udp port 53",
	    "port http",
	    "port 0x50",
	    "port 010",
	    "port 0",
	    "port 65536",
	    "tcp[13] & 2 != 0",
	    "port 80 and (port 81",
	    "port 80 )",
	    "port 1 and port 2", /* no packet at all: nothing to narrow to */
	    "host 1.2.3.4 or 80",
	    /* nine ports, one more than a request can filter on */
	    ("port 1 or port 2 or port 3 or port 4 or port 5 or port 6 or port 7 or port 8 or "
	     "port 9"),
	    "port",
	    "and",
	    "(((((((((((((((((((((((((((((((((((port 80)))))))))))))))))))))))))))))))))))",
	};
	for (size_t i = 0; i < sizeof any / sizeof any[0]; i++) {
		if (strcmp(ports_of(any[i]), "any") != 0)
			fail_msg("\"%s\" gave ports %s", any[i], ports_of(any[i]));
	}
	uint16_t p[2];
	assert_int_equal(kernel_filter_ports(NULL, p, 2), 0);
	assert_int_equal(kernel_filter_ports("port 1 or port 2 or port 3", p, 2), 0);
	assert_int_equal(kernel_filter_ports("port 1 or port 1", p, 2), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_port_filters),
	    cmocka_unit_test(test_any_port),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
