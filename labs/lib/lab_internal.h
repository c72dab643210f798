/* lab_internal.h — state shared by the files of labs/lib (not part of the lab API). */
#ifndef SOCKLAB_LAB_INTERNAL_H
#define SOCKLAB_LAB_INTERNAL_H

#include <stdbool.h>

#include "lab.h"

struct lab_session {
	const struct lab_info *info;
	bool color;
	bool step;
	bool stdin_tty;
	bool said_not_tty;
	int timeout_s;
	bool started; /* lab_start ran: signal handlers installed, the watchdog may be armed */
};

extern struct lab_session lab_session_state;

void lab_watchdog_arm(void);
void lab_step_wait(const char *call_name);
int lab_stop_signal(void);

#endif
