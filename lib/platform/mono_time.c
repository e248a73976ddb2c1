// SPDX-License-Identifier: MIT
/*
 * mono_time.c — monotonic time and millisecond sleeps (see mono_time.h).
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "platform/mono_time.h"

#define NSEC_PER_MSEC	1000000ll
#define NSEC_PER_SEC	1000000000ll
#define MSEC_PER_SEC	1000u

int64_t mono_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

int64_t mono_time_ms(void)
{
	return mono_time_ns() / NSEC_PER_MSEC;
}

void mono_sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / MSEC_PER_SEC,
		.tv_nsec = (long)(ms % MSEC_PER_SEC) * NSEC_PER_MSEC,
	};

	/* nanosleep() leaves the remainder in ts when interrupted. */
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}
