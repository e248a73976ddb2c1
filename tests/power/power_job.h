/* SPDX-License-Identifier: MIT */
/*
 * power_job.h — what the tests/power binaries share: judging a submitted
 * DPU-only copy job (lib/rocket's rocket_job_noop()).
 *
 * Contract: static inline helpers on top of lib/rocket and
 * lib/board/power.h; they fail the subtest (igt_fail_verdict) like
 * lib/rocket's non-underscore helpers.  Included only by the tests/power
 * binaries.
 */
#ifndef RKVAL_TESTS_POWER_JOB_H
#define RKVAL_TESTS_POWER_JOB_H

#include <stdint.h>
#include <string.h>

#include "igt.h"
#include "board/power.h"
#include "rocket/rocket.h"
#include "rocket/rocket_diag.h"

/*
 * Judge @job, submitted at @start_ns (rocket_monotonic_ns()), with
 * rocket_job_judge() and fail with the power tests' words unless it
 * copied its input.  A job that wrote nothing within the kernel's
 * bad-job wait fails with @timeout_stage, its message ending in the clock
 * hint for @dev (a gated NPU clock explains it); a job whose output
 * differs fails with @output_stage.  @what names the job in the message
 * ("job", "job 3").  Either failure also runs an independent second job
 * (rocket_diag_second_job()) and says whether it worked.  The caller
 * frees the job.
 */
static inline void power_judge_job(int fd, struct rocket_job *job,
				   int64_t start_ns, const char *dev,
				   const char *when, const char *what,
				   enum verdict_stage timeout_stage,
				   enum verdict_stage output_stage)
{
	char hint[256], second[256];
	struct rocket_job_result r;
	int64_t ms;

	rocket_job_judge(job, start_ns, ROCKET_BAD_JOB_WAIT_MS, &r);
	ms = r.elapsed_ns / 1000000;
	switch (r.outcome) {
	case ROCKET_JOB_WAIT_FAILED:
	case ROCKET_JOB_NO_OUTPUT:
		power_clk_hint(dev, hint, sizeof(hint));
		rocket_diag_second_job(fd, second, sizeof(second));
		igt_fail_verdict(timeout_stage,
				 "%s: %s (the DPU-only copy job) wrote no output in %lld ms "
				 "(wait %s, scheduler timeout %d ms)%s%s", when, what,
				 (long long)ms,
				 r.wait_ret ? strerror(-r.wait_ret) : "done",
				 ROCKET_JOB_TIMEOUT_MS, hint, second);
	case ROCKET_JOB_WRONG_OUTPUT:
		rocket_diag_second_job(fd, second, sizeof(second));
		igt_fail_verdict(output_stage,
				 "%s: %s (the DPU-only copy job) completed, output differs from its input%s",
				 when, what, second);
	case ROCKET_JOB_COPIED:
		break;
	}
}

/* Submit one DPU-only copy job, judge it as power_judge_job(), free it. */
static inline void power_run_checked_job(int fd, const char *dev,
					 const char *when,
					 enum verdict_stage timeout_stage,
					 enum verdict_stage output_stage)
{
	struct rocket_job *job = rocket_job_noop(fd);
	int64_t start = rocket_monotonic_ns();

	rocket_submit(fd, job);
	power_judge_job(fd, job, start, dev, when, "job", timeout_stage,
			output_stage);
	rocket_job_free(job);
}

#endif
