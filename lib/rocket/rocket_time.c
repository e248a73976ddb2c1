// SPDX-License-Identifier: MIT
/*
 * rocket_time.c — PREP_BO's timeout is an ABSOLUTE CLOCK_MONOTONIC time
 * in ns (drm_timeout_abs_to_jiffies, rocket_accel.h), not a
 * duration; tests think in relative milliseconds.
 */
#include <stdint.h>

#include "platform/mono_time.h"
#include "rocket/rocket.h"

#define NSEC_PER_MSEC	1000000ll

int64_t rocket_monotonic_ns(void)
{
	return mono_time_ns();
}

int64_t rocket_abs_timeout_ns(int64_t now_ns, int64_t timeout_ms)
{
	/* "Forever", as Mesa asks for it: INT64_MAX (Mesa rkt_device.c, rocket_job.c). */
	if (timeout_ms < 0)
		return INT64_MAX;
	if (timeout_ms > (INT64_MAX - now_ns) / NSEC_PER_MSEC)
		return INT64_MAX;
	return now_ns + timeout_ms * NSEC_PER_MSEC;
}
