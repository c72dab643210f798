/* transfer.h — lab05's loops around send() and recv(). */
#ifndef LAB05_TRANSFER_H
#define LAB05_TRANSFER_H

#include <stddef.h>
#include <sys/types.h>

/* send() until all len bytes are taken; returns len, or -1 on error. */
ssize_t send_all(int fd, const char *buf, size_t len);
/* recv() exactly len bytes, at most chunk per call; 0 ok, -1 error or early end of stream. */
int recv_exact(int fd, char *buf, size_t len, size_t chunk);
/* Server: recv and echo back until recv returns 0. */
int echo_loop(int fd, size_t chunk, long slow_ms);
/* Client demos: two sends read back with one recv (after waiting up to timeout_s for all the
 * echoed bytes); a bulk send with short writes. */
int two_sends_one_recv(int fd, int timeout_s);
int bulk_transfer(int fd, size_t total);

#endif
