// SPDX-License-Identifier: MIT
/*
 * fake_main.c — drives the patched fake_job.c the way a test suite drives
 * a driver: some added lines run, others do not.  What runs, by hand:
 *   fake_job_submit(2, 100)       the timeout check runs, "return -7" not
 *   fake_job_reset(1)             the new core-count comparison runs
 *   fake_job_rk3568_quirk(3568)   the RK3568 branch runs, the other not
 *   fake_job_cores()              never called
 */
#include "fake_job.h"

int main(void)
{
	int r = fake_job_submit(2, 100) + fake_job_reset(1) +
		fake_job_rk3568_quirk(3568);

	return r == 3 ? 0 : 1;
}
