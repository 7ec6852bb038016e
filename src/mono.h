/* griot: the monotonic clock.  Copyright (c) 2026 the griot developers; ISC licence. */
/*
 * mono_now(): seconds on CLOCK_MONOTONIC, for deadlines and intervals
 * that a change of the wall clock must not move (0 if the clock cannot
 * be read).  The event-loop code reads the time here and hands it to
 * the pure modules (ratelimit.c), which never read a clock themselves.
 */
#ifndef GRIOT_MONO_H
#define GRIOT_MONO_H

#include <time.h>

static inline double
mono_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif /* GRIOT_MONO_H */
