/* SPDX-License-Identifier: MIT */
/*
 * mono_time — CLOCK_MONOTONIC readings and millisecond sleeps, the one
 * copy for lib/ and the tests (lib/rocket's rocket_monotonic_ns() is this
 * clock too).
 *
 * Contract:
 *  - mono_time_ns()/mono_time_ms(): CLOCK_MONOTONIC now, never negative,
 *    comparable only with each other.
 *  - mono_sleep_ms(): sleeps at least MS milliseconds; a signal whose
 *    handler returns does not cut the sleep short (the harness's own
 *    handlers never return: they siglongjmp or re-raise).
 */
#ifndef RKVAL_MONO_TIME_H
#define RKVAL_MONO_TIME_H

#include <stdint.h>

int64_t mono_time_ns(void);
int64_t mono_time_ms(void);
void mono_sleep_ms(unsigned int ms);

#endif
