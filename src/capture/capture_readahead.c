/* capture_readahead.c — a capture file read on a second thread, blocks of frames ahead of the
 * caller, who gets them in file order on its own thread.
 *
 * Why: reading a file through libpcap (two stdio reads and copies per frame) costs about as
 * much as tracking the segment it holds. On a machine with a spare CPU the two overlap, so a
 * replay takes about as long as the slower of them instead of their sum. Every callback still
 * runs on the caller's thread, in file order, and gets the frames straight from the ring (a
 * run of a block's frames at a time), so nothing downstream (the tracker, the output) changes
 * or needs a lock.
 *
 * Decoding is the work in between, and goes to whichever side has time for it: the reader
 * decodes a block itself only when blocks are already queued for the consumer (it is behind);
 * otherwise the consumer decodes each block as it takes it. A fixed split left one side idle:
 * decoding on the reader made it the slower side by half again, decoding on the consumer made
 * that one the slower side.
 *
 * The hand-over is a ring of RA_BLOCKS blocks. Two atomic counters (blocks handed over,
 * blocks given back) carry it; the mutex only guards going to sleep, is taken once per block
 * (hundreds of frames), and a side is woken only when it sleeps. The reader sleeps when the
 * ring is full and is woken when half of it is free again, so its wake-ups (a futex call and
 * a context switch each) come once per RA_BLOCKS / 2 blocks. The consumer spins briefly
 * first (RA_SPIN_NS). Blocks are allocated once, at open. */
#include "capture_internal.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RA_BLOCKS 8
/* The reader decodes the block it has just read when at least this many are waiting. */
#define RA_DECODE_QUEUED 2
/* The consumer, finding no block ready, spins this long before it sleeps. The two sides run
 * at about the same speed, so the wait is usually short, and waking a sleeping thread (a
 * futex call, and on a virtual machine a virtual CPU to reschedule) costs tens of
 * microseconds: thousands of those per file add up to a sizeable part of the run. */
#define RA_SPIN_NS 50000
/* Fields are grouped by who writes them and how often, each group on its own cache lines:
 * a line one side writes for every frame and the other reads for every frame would travel
 * between the CPUs twice per frame. */
struct capture_ra {
	_Alignas(64) _Atomic uint64_t produced; /* blocks handed over (release: their contents) */
	_Alignas(64) _Atomic uint64_t consumed; /* blocks given back (release: done reading) */
	/* Set at start or stop, or taken once per block. */
	_Alignas(64) pthread_mutex_t mu;
	pthread_cond_t room;               /* the reader waits here for free blocks */
	pthread_cond_t data;               /* the consumer waits here for filled blocks */
	_Atomic bool stop;                 /* the reader is to end (capture_close) */
	bool reader_waits, consumer_waits; /* asleep or about to be; under mu */
	pthread_t thread;
	struct capture *c;
	struct capture_block *blocks;
	/* The consumer's own. */
	_Alignas(64) bool started;
	bool holding; /* the consumer is reading block consumed % RA_BLOCKS */
	uint32_t pos; /* next frame of that block */
};

bool capture_ra_wanted(const char *file, FILE *stream)
{
	struct stat st;
	/* A pipe or terminal could block the reader in read() with nobody to wake it at close. */
	if (stream) {
		if (fstat(fileno(stream), &st) != 0 || !S_ISREG(st.st_mode))
			return false;
	} else if (!file || strcmp(file, "-") == 0 || stat(file, &st) != 0 ||
	           !S_ISREG(st.st_mode)) {
		return false;
	}
	/* CPUs this process may run on (taskset, cgroups), not merely online: on one CPU the
	 * two threads would take turns, and the consumer's spinning would only burn its slice. */
	cpu_set_t cpus;
	if (sched_getaffinity(0, sizeof cpus, &cpus) == 0)
		return CPU_COUNT(&cpus) > 1;
	return sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

struct capture_ra *capture_ra_create(void)
{
	struct capture_ra *ra = aligned_alloc(_Alignof(struct capture_ra), sizeof *ra);
	struct capture_block *blocks = malloc(RA_BLOCKS * sizeof *blocks);
	if (!ra || !blocks) {
		free(ra);
		free(blocks);
		return NULL;
	}
	/* Default mutex and conditions: their static initializers cannot fail. */
	*ra = (struct capture_ra){.mu = PTHREAD_MUTEX_INITIALIZER,
	                          .room = PTHREAD_COND_INITIALIZER,
	                          .data = PTHREAD_COND_INITIALIZER,
	                          .blocks = blocks};
	return ra;
}

static void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	atomic_signal_fence(memory_order_seq_cst);
#endif
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool has_room(const struct capture_ra *ra)
{
	return atomic_load_explicit(&ra->stop, memory_order_acquire) ||
	       atomic_load_explicit(&ra->produced, memory_order_relaxed) -
	               atomic_load_explicit(&ra->consumed, memory_order_acquire) <
	           RA_BLOCKS;
}

static bool has_data(const struct capture_ra *ra)
{
	return atomic_load_explicit(&ra->produced, memory_order_acquire) !=
	       atomic_load_explicit(&ra->consumed, memory_order_relaxed);
}

/* Consumer: spins until a block is ready (true) or RA_SPIN_NS have passed (false). */
static bool spin_for_data(const struct capture_ra *ra)
{
	uint64_t until = 0;
	for (unsigned i = 0;; i++) {
		if (has_data(ra))
			return true;
		if (i % 64 == 0) {
			uint64_t t = now_ns();
			if (!until)
				until = t + RA_SPIN_NS;
			else if (t > until)
				return false;
		}
		relax();
	}
}

/* Reader: waits for a free block; NULL when told to stop. It does not spin: it is woken when
 * half the ring is free, so the consumer has blocks in hand while it wakes up. */
static struct capture_block *free_block(struct capture_ra *ra)
{
	if (!has_room(ra)) {
		pthread_mutex_lock(&ra->mu);
		while (!has_room(ra)) {
			ra->reader_waits = true;
			pthread_cond_wait(&ra->room, &ra->mu);
		}
		pthread_mutex_unlock(&ra->mu);
	}
	if (atomic_load_explicit(&ra->stop, memory_order_acquire))
		return NULL;
	return &ra->blocks[atomic_load_explicit(&ra->produced, memory_order_relaxed) % RA_BLOCKS];
}

/* The update comes first, the check for a sleeper under the lock after it: a side that is
 * going to sleep checks again under the same lock, so either it sees the update or its
 * flag is seen here. */
static void hand_over(struct capture_ra *ra)
{
	atomic_fetch_add_explicit(&ra->produced, 1, memory_order_release);
	pthread_mutex_lock(&ra->mu);
	if (ra->consumer_waits) {
		ra->consumer_waits = false;
		pthread_cond_signal(&ra->data);
	}
	pthread_mutex_unlock(&ra->mu);
}

static void *reader(void *arg)
{
	struct capture_ra *ra = arg;
	for (;;) {
		struct capture_block *b = free_block(ra);
		if (!b)
			return NULL;
		capture_block_fill(ra->c, b, CAPTURE_BLOCK_FRAMES, &ra->c->fill);
		/* Decoded here only when the consumer is behind: then this thread has time to
		 * spare, and would otherwise soon sleep on a full ring. A hint, so relaxed. */
		uint64_t queued = atomic_load_explicit(&ra->produced, memory_order_relaxed) -
		                  atomic_load_explicit(&ra->consumed, memory_order_relaxed);
		if (queued >= RA_DECODE_QUEUED)
			capture_block_decode(ra->c, b);
		bool end = b->end;
		hand_over(ra);
		if (end)
			return NULL;
	}
}

static bool start(struct capture *c)
{
	struct capture_ra *ra = c->ra;
	ra->c = c;
	/* Once a process has a second thread, stdio takes the stream's lock in every fread, and
	 * libpcap makes two per frame. Only the reader touches this stream until it is joined
	 * (capture_ra_destroy, before pcap_close), so the locking can be left to us. */
	FILE *fp = pcap_file(c->pcap);
	if (fp)
		__fsetlocking(fp, FSETLOCKING_BYCALLER);
	/* Signals (Ctrl-C, SIGPIPE) are for the caller's thread: the reader blocks them all. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&ra->thread, NULL, reader, ra);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	ra->started = rc == 0;
	return ra->started;
}

int capture_ra_dispatch(struct capture *c, int max, capture_batch_fn fn, void *user, char *err,
                        size_t errlen)
{
	struct capture_ra *ra = c->ra;
	if (!ra->started && !start(c))
		return CAPTURE_RA_UNAVAILABLE;
	int handled = 0;
	while (!c->ended && (max <= 0 || handled < max)) {
		if (!ra->holding) {
			if (!spin_for_data(ra)) {
				pthread_mutex_lock(&ra->mu);
				while (!has_data(ra)) {
					ra->consumer_waits = true;
					pthread_cond_wait(&ra->data, &ra->mu);
				}
				pthread_mutex_unlock(&ra->mu);
			}
			ra->holding = true;
			ra->pos = 0;
		}
		/* Only the consumer moves consumed, so this block stays put while it is held. */
		uint64_t mine = atomic_load_explicit(&ra->consumed, memory_order_relaxed);
		struct capture_block *b = &ra->blocks[mine % RA_BLOCKS];
		if (b->decoded < b->n) /* the reader left it (the acquire of produced covers it) */
			capture_block_decode(c, b);
		/* The rest of the block (or of max) in one run, straight from the ring. */
		uint32_t run = b->n - ra->pos;
		if (max > 0 && (uint32_t)(max - handled) < run)
			run = (uint32_t)(max - handled);
		if (run > 0 && fn)
			fn(&b->f[ra->pos], run, user);
		ra->pos += run;
		handled += (int)run;
		if (ra->pos < b->n)
			break; /* max reached inside the block */
		bool end = b->end, failed = b->failed;
		atomic_store_explicit(&ra->consumed, mine + 1, memory_order_release);
		pthread_mutex_lock(&ra->mu);
		if (ra->reader_waits &&
		    atomic_load_explicit(&ra->produced, memory_order_relaxed) - mine - 1 <=
		        RA_BLOCKS / 2) {
			ra->reader_waits = false;
			pthread_cond_signal(&ra->room);
		}
		pthread_mutex_unlock(&ra->mu);
		ra->holding = false;
		if (end) {
			c->ended = true;
			if (failed) {
				if (err && errlen > 0)
					snprintf(err, errlen, "%s", c->fill.err);
				return -1;
			}
		}
	}
	return handled;
}

void capture_ra_destroy(struct capture *c)
{
	struct capture_ra *ra = c->ra;
	if (!ra)
		return;
	if (ra->started) {
		atomic_store_explicit(&ra->stop, true, memory_order_release);
		pthread_mutex_lock(&ra->mu);
		pthread_cond_signal(&ra->room);
		pthread_mutex_unlock(&ra->mu);
		pthread_join(ra->thread, NULL); /* a regular file: its reads end */
	}
	pthread_cond_destroy(&ra->room);
	pthread_cond_destroy(&ra->data);
	pthread_mutex_destroy(&ra->mu);
	free(ra->blocks);
	free(ra);
	c->ra = NULL;
}
