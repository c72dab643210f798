/* sockets.h — small socket helpers for the scenario driver; every failure exits with a message. */
#ifndef SOCKLAB_INTEG_SOCKETS_H
#define SOCKLAB_INTEG_SOCKETS_H

#include <stdint.h>
#include <sys/socket.h>

_Noreturn void sk_die(const char *what);
void sk_loopback(int family, uint16_t port, struct sockaddr_storage *ss);
int sk_listen(const struct sockaddr_storage *ss);
/* A socket bound to the loopback address on an ephemeral port, written to *me. */
int sk_bound_client(int family, struct sockaddr_storage *me);
/* A socket bound to the loopback address on the given port (SO_REUSEADDR). */
int sk_bound(int family, uint16_t port, struct sockaddr_storage *me);
void sk_set_nonblock(int fd, int on);
void sk_connect(int fd, const struct sockaddr_storage *ss);
/* connect, returning 0 or the errno it failed with. */
int sk_try_connect(int fd, const struct sockaddr_storage *ss);
int sk_accept(int listener);
void sk_send_str(int fd, const char *s);
/* Read exactly strlen(s) bytes and check they are s. */
void sk_expect(int fd, const char *s);
void sk_expect_eof(int fd);
void sk_expect_reset(int fd);
void sk_wait_readable(int fd);
void sk_shutdown_wr(int fd);
void sk_linger_zero(int fd);
void sk_close(int *fd);

#endif
