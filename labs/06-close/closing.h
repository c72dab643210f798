/* closing.h — lab06's scenarios: each side's part in closing a connection. */
#ifndef LAB06_CLOSING_H
#define LAB06_CLOSING_H

#include <stdbool.h>
#include <stddef.h>

bool scenario_known(const char *name);
/* How long the first closer follows its connection waiting for the peer's FIN (--timeout). */
void closing_set_follow(int seconds);
/* close(fd) narrated (lab_close_as), with the connection's state afterwards from /proc/net/tcp,
 * found by the addresses remembered while it was connected. */
void close_narrated(int fd);
/* recv() one line (without its '\n') into buf; 0 ok, -1 error or end of stream. */
int recv_line(int fd, char *buf, size_t len);
/* Each side's part of a scenario on the connected socket fd (closed on return). */
int server_scenario(int fd, const char *name, long hold);
int client_scenario(int fd, const char *name, long hold);

#endif
