/* check_tasks.c — the task table: names, one-line summaries, check names (stable: grading
 * scripts rely on them), and each task's peer. */
#include "check.h"

#include <string.h>

static const char *const handshake_server_checks[] = {
    "listens", "handshake", "reply", "close-wait", "no-reset", "close-order", NULL};
static const char *const handshake_client_checks[] = {
    "handshake", "reply", "close-wait", "no-reset", "close-order", "survives", NULL};
static const char *const transfer_server_checks[] = {
    "listens", "handshake", "reply", "close-wait", "no-reset", "close-order", NULL};
static const char *const echo_server_checks[] = {
    "listens", "handshake", "reply", "close-wait", "no-reset", "close-order", "survives", NULL};
static const char *const echo_client_checks[] = {"handshake",   "reply",    "no-reset",
                                                 "close-order", "survives", NULL};
static const char *const threads_server_checks[] = {
    "listens",     "handshake", "reply",    "concurrency", "exit-command", "close-wait", "no-reset",
    "close-order", "leak",      "survives", NULL};
static const char *const threads_client_checks[] = {"handshake",  "reply",    "exit-command",
                                                    "close-wait", "no-reset", "close-order",
                                                    "survives",   NULL};

static const struct check_task tasks[] = {
    {"handshake-server", "accepts one client, answers its message, closes cleanly (lab 04)", false,
     false, handshake_server_checks, check_task_handshake_server},
    {"handshake-client", "connects, sends, reads the answer, closes, exits (lab 04)", true, false,
     handshake_client_checks, check_task_handshake_client},
    {"transfer-server", "reads 1 MiB to the end, answers the byte count (lab 05)", false, false,
     transfer_server_checks, check_task_transfer_server},
    {"echo-server", "echoes every byte, survives a client leaving early (lab 07)", false, false,
     echo_server_checks, check_task_echo_server},
    {"echo-client", "sends its input's lines, prints the echoes, closes (lab 07)", true, true,
     echo_client_checks, check_task_echo_client},
    {"threads-server", "Welcome!, Hello, <message>!, exit; five clients at once (lab 08)", false,
     false, threads_server_checks, check_task_threads_server},
    {"threads-client", "mindthink, code change the world, hello world, exit (lab 08)", true, false,
     threads_client_checks, check_task_threads_client},
};

const struct check_task *check_task_find(const char *name)
{
	for (size_t i = 0; i < sizeof tasks / sizeof tasks[0]; i++)
		if (strcmp(tasks[i].name, name) == 0)
			return &tasks[i];
	return NULL;
}

const struct check_task *check_task_at(size_t i)
{
	return i < sizeof tasks / sizeof tasks[0] ? &tasks[i] : NULL;
}
