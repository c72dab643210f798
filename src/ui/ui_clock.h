/* ui_clock.h — the two clocks the screen reads: monotonic for pacing and frame rate, wall for
 * live capture timestamps. */
#ifndef SOCKLAB_UI_CLOCK_H
#define SOCKLAB_UI_CLOCK_H

/* Monotonic seconds, for pacing and frame-rate decisions. */
double ui_clock_mono(void);
/* Seconds since the epoch, the clock live capture timestamps use. */
double ui_clock_wall(void);

#endif
