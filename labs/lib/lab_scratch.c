/* lab_scratch.c — one lock around the short-lived descriptors labs/lib opens for itself. */
#include "lab_internal.h"

#include <pthread.h>

/* labs/lib opens descriptors of its own for an instant (a marker's socket, /proc/net/tcp),
 * possibly in a session thread. lab08 narrates its descriptor count as a fact; holding this
 * lock while it reads /proc/self/fd keeps those instants out of the count. */
static pthread_mutex_t scratch_lock = PTHREAD_MUTEX_INITIALIZER;

void lab_scratch_lock(void) { pthread_mutex_lock(&scratch_lock); }

void lab_scratch_unlock(void) { pthread_mutex_unlock(&scratch_lock); }
