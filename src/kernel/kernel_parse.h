/* kernel_parse.h — the sock_diag dump parser, exposed inside the module for its unit tests. */
#ifndef SOCKLAB_KERNEL_PARSE_H
#define SOCKLAB_KERNEL_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "socklab/kernel.h"

enum kernel_parse { KERNEL_PARSE_MORE, KERNEL_PARSE_DONE, KERNEL_PARSE_ERROR };

/* Parse one datagram of a NETLINK_SOCK_DIAG dump answering request number seq. Sockets are
 * stored in out[*count] while *count < max; *count counts them all. On KERNEL_PARSE_ERROR,
 * *kerr holds an errno value (the kernel's, or EPROTO for a reply that does not parse). */
enum kernel_parse kernel_parse_dump(const uint8_t *buf, size_t len, uint32_t seq,
                                    struct kernel_sock *out, int max, int *count, int *kerr);

/* The kernel's TCP_* state number (tcpi_state, idiag_state) as an RFC 9293 state; the request
 * socket state NEW_SYN_RECV is SYN_RECEIVED, anything unknown is TRACK_UNKNOWN. */
enum track_state kernel_map_state(uint8_t linux_state);

#endif
