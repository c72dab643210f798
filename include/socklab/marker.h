/* marker.h — the syscall marker's wire format, shared by the labs (sender, labs/lib) and
 * tcpscope (receiver, src/marker). A lab tells a running tcpscope which call it is about to
 * make, on which socket, so the screen and the streams can show `client: close()` beside the
 * FIN that close() sent.
 *
 * Transport: one AF_UNIX SOCK_DGRAM datagram per call, sent to the abstract-namespace name
 * MARKER_SOCKET_DEFAULT (or $SOCKLAB_MARKER_SOCKET) without blocking; when nobody listens the
 * send fails and the lab ignores it. $SOCKLAB_MARKERS=0 keeps a lab from sending at all.
 *
 * A datagram is exactly MARKER_WIRE_LEN bytes, multi-byte fields big-endian, at these
 * offsets (the receiver treats every byte as untrusted and checks each field):
 *
 *	 0  4  magic "SLMK"
 *	 4  1  version, MARKER_WIRE_VERSION
 *	 5  1  flags: MARKER_F_LOCAL, MARKER_F_PEER, MARKER_F_CONNECTING
 *	 6  1  address family of local and peer: 4 or 6 (0 when neither is set)
 *	 7  1  reserved, 0
 *	 8  4  pid of the lab
 *	12  8  time the call was about to be made, seconds since the epoch (CLOCK_REALTIME,
 *	       the clock capture timestamps use)
 *	20  4  nanoseconds, < 1e9
 *	24 16  local address (IPv4 in the first 4 bytes, the rest 0)
 *	40  2  local port
 *	42 16  peer address
 *	58  2  peer port
 *	60 16  call name, e.g. "close": [a-z0-9_], 1-15 characters, NUL-padded
 *	76 20  role, e.g. "client", "conn 2": printable ASCII, 0-19 characters, NUL-padded
 *	96     end
 */
#ifndef SOCKLAB_MARKER_H
#define SOCKLAB_MARKER_H

#define MARKER_SOCKET_DEFAULT "socklab-markers" /* abstract: "\0socklab-markers" */
#define MARKER_ENV_SOCKET     "SOCKLAB_MARKER_SOCKET"
#define MARKER_ENV_ENABLE     "SOCKLAB_MARKERS" /* "0", "off" or "no": the labs send nothing */
#define MARKER_NAME_MAX       100               /* longest socket name (sun_path is 108) */

#define MARKER_WIRE_LEN     96
#define MARKER_WIRE_VERSION 1
#define MARKER_MAGIC        "SLMK"

#define MARKER_F_LOCAL      0x01 /* local address and port are the socket's (getsockname) */
#define MARKER_F_PEER       0x02 /* peer address and port are set */
#define MARKER_F_CONNECTING 0x04 /* the peer is connect()'s target: the call will send a SYN */
#define MARKER_F_ALL        0x07

#define MARKER_OFF_MAGIC      0
#define MARKER_OFF_VERSION    4
#define MARKER_OFF_FLAGS      5
#define MARKER_OFF_FAMILY     6
#define MARKER_OFF_RESERVED   7
#define MARKER_OFF_PID        8
#define MARKER_OFF_SEC        12
#define MARKER_OFF_NSEC       20
#define MARKER_OFF_LOCAL      24
#define MARKER_OFF_LOCAL_PORT 40
#define MARKER_OFF_PEER       42
#define MARKER_OFF_PEER_PORT  58
#define MARKER_OFF_CALL       60
#define MARKER_OFF_ROLE       76

#define MARKER_ADDR_LEN 16
#define MARKER_CALL_LEN 16 /* field size, NUL included */
#define MARKER_ROLE_LEN 20

#endif
