/* threads_session.h — the correct threads-server session the broken servers share. */
#ifndef BROKEN_THREADS_SESSION_H
#define BROKEN_THREADS_SESSION_H

#include "student.h"

/* Welcome!, then Hello, <message>! per message; returns 1 when the client sent exit, 0 when it
 * closed or the connection failed. Does not close conn. */
static inline int student_session(int conn)
{
	char msg[1024];
	char reply[1100];
	if (student_send_all(conn, "Welcome!", 8) != 0)
		return 0;
	for (;;) {
		ssize_t n = recv(conn, msg, sizeof msg - 1, 0);
		if (n <= 0)
			return 0;
		msg[n] = '\0';
		msg[strcspn(msg, "\r\n")] = '\0';
		if (strcmp(msg, "exit") == 0)
			return 1;
		int len = snprintf(reply, sizeof reply, "Hello, %s!", msg);
		if (student_send_all(conn, reply, (size_t)len) != 0)
			return 0;
	}
}

#endif
