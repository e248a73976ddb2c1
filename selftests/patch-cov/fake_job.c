// SPDX-License-Identifier: MIT
/*
 * fake_job.c — a stand-in for a driver file, for rkval-patch-cov's
 * self-test.  The two patches next to it change it the way a driver
 * series would; selftests/patch-cov.sh builds the patched file with
 * --coverage, runs fake_main.c over it and checks which added lines the
 * report calls executed.
 */
#include "fake_job.h"

int fake_job_submit(int tasks, int timeout_ms)
{
	int done = 0;

	if (tasks <= 0)
		return -22;
	while (done < tasks)
		done++;
	return done;
}

int fake_job_reset(int core)
{
	if (core > 2)
		return -19;
	return 0;
}
