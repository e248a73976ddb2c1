// SPDX-License-Identifier: MIT
/*
 * rocket_submit — job submission through DRM_IOCTL_ROCKET_SUBMIT.
 *
 * Validates every SUBMIT rule of rocket_job.c, rocket_gem.c validation: job_count 0 is
 * accepted and does nothing; job_struct_size < 40 and reserved != 0 give
 * EINVAL; an unreadable jobs array gives EFAULT.  Per-job errors
 * (task_count 0, task_struct_size < 8, regcmd_count 0, an unknown BO
 * handle) are swallowed by mainline — rocket_ioctl_submit ignores
 * rocket_ioctl_submit_job's return (rocket_job.c submit) — so for those a subtest accepts
 * either the documented errno or 0, and then proves the job never ran:
 * its output BO keeps its canary and PREP_BO on it returns at once.  The
 * behaviour seen is printed.  Positive subtests run the no-op job of
 * lib/rocket (a DPU-only copy of one 16-byte atom, ending with the DPU
 * interrupt rocket waits for, rocket_job.c completion), wait with PREP_BO on its output BO
 * within the scheduler timeout (rocket_job.c timeout) and check what it wrote; several
 * jobs go in one SUBMIT; a file may be closed right after submitting.
 * Not checked here: hangs and the timeout/reset path (rocket_job_timeout),
 * implicit-sync ordering between jobs, IOMMU faults.
 */
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "rocket/rocket.h"

IGT_TEST_DESCRIPTION("Job submission: SUBMIT's argument validation, "
		     "running a minimal job and observing its completion.");

/* Jobs in the multiple-job subtest: one per RK3588 core (rk3588-base.dtsi). */
#define MULTI_JOBS		ROCKET_MAX_CORES
/* A handle no test creates: GEM handles start at 1 and stay small. */
#define BAD_HANDLE		0xdeadbeefu
/* A job stride a future, larger struct drm_rocket_job could use. */
#define JOB_STRIDE_LARGER	(sizeof(struct drm_rocket_job) + 8)
/* A user pointer nothing is mapped at (the first page is never mapped). */
#define BAD_USER_PTR		16ull

/*
 * The job must not have run: nothing may be queued on its out BO (PREP_BO
 * returns well before any job timeout), and the DPU copy it carries must
 * not have reached memory (the canary is intact).
 */
static void assert_job_never_ran(int fd, struct rocket_job *job)
{
	int64_t start = rocket_monotonic_ns(), waited_ms;
	int ret;

	ret = __rocket_bo_wait(fd, job->out->handle, ROCKET_BAD_JOB_WAIT_MS);
	waited_ms = (rocket_monotonic_ns() - start) / 1000000;
	igt_assert_f(ret == 0, "PREP_BO on the out BO: %s\n", strerror(-ret));
	igt_assert_f(waited_ms <= ROCKET_IDLE_WAIT_MAX_MS,
		     "PREP_BO on the out BO waited %lld ms: a job was queued\n",
		     (long long)waited_ms);
	igt_assert_f(rocket_job_out_untouched(job),
		     "the rejected job ran: its output BO was written\n");
}

/*
 * A per-job validation error.  Kernel profiles (rocket_job.c, rocket_gem.c validation, rocket_job.c submit):
 *  - mainline (6.18 on): SUBMIT returns 0, the job is dropped silently;
 *  - a kernel that propagates rocket_ioctl_submit_job()'s result: SUBMIT
 *    fails with err.
 * Anything else (another errno, or a job that runs) is a failure.
 */
static void submit_rejected_job(int fd, struct rocket_job *job, int err)
{
	int ret = __rocket_submit(fd, &job->submit);

	if (ret == 0)
		igt_info("SUBMIT returned 0: per-job error swallowed (mainline behaviour)\n");
	else
		igt_info("SUBMIT failed with %s: per-job error reported\n",
			 strerror(-ret));
	igt_assert_f(ret == 0 || ret == -err,
		     "SUBMIT returned %d (%s), expected 0 or -%s\n", ret,
		     ret ? strerror(-ret) : "success", strerror(err));
	assert_job_never_ran(fd, job);
}

/*
 * Wait for a job as long as a hung one may keep its BO busy (the
 * scheduler timeout plus the reset, ROCKET_BAD_JOB_WAIT_MS) and check its
 * copy.  A BO that becomes idle with the canary intact means the fence
 * signalled without the job writing: the kernel timed the job out and
 * reset the core (rocket_job.c timeout), which PREP_BO does not report as
 * an error.  Waiting only the 500 ms of the timeout raced the kernel's own
 * timer, so one hang was reported either way from run to run.
 */
static void assert_job_completed(struct rocket_job *job)
{
	struct rocket_job_result r;
	long long waited_ms;

	rocket_job_judge(job, rocket_monotonic_ns(), ROCKET_BAD_JOB_WAIT_MS, &r);
	waited_ms = r.elapsed_ns / 1000000;
	switch (r.outcome) {
	case ROCKET_JOB_WAIT_FAILED:
		igt_fail_verdict(VERDICT_JOB_TIMEOUT,
				 "DPU-only copy job: no completion within %d ms, the scheduler timeout and reset (PREP_BO on its output: %s)",
				 ROCKET_BAD_JOB_WAIT_MS, strerror(-r.wait_ret));
	case ROCKET_JOB_NO_OUTPUT:
		igt_fail_verdict(VERDICT_JOB_TIMEOUT,
				 "DPU-only copy job: output BO idle after %lld ms but never written (job timed out and reset?)",
				 waited_ms);
	case ROCKET_JOB_WRONG_OUTPUT:
		igt_fail_verdict(VERDICT_DPU_OUTPUT,
				 "DPU-only copy job: output written after %lld ms but differs from the %d-byte input",
				 waited_ms, ROCKET_DPU_COPY_BYTES);
	case ROCKET_JOB_COPIED:
		break;
	}
}

igt_main
{
	struct rocket_job *job = NULL;
	int fd = -1;

	igt_fixture
		fd = rocket_open_device();

	igt_describe("Make sure a submission of zero jobs is accepted and runs nothing.");
	igt_subtest("submit-no-jobs") {
		job = rocket_job_noop(fd);
		job->submit.job_count = 0;
		rocket_submit(fd, job);
		assert_job_never_ran(fd, job);
		rocket_job_free(job);
	}

	igt_describe("Make sure a job array stride smaller than a job is rejected.");
	igt_subtest("bad-job-struct-size") {
		job = rocket_job_noop(fd);
		job->submit.job_struct_size = sizeof(struct drm_rocket_job) - 1;
		rocket_submit_err(fd, job, EINVAL);
		assert_job_never_ran(fd, job);
		rocket_job_free(job);
	}

	igt_describe("Make sure a submission with the reserved field set is rejected.");
	igt_subtest("bad-reserved") {
		job = rocket_job_noop(fd);
		job->submit.reserved = 1;
		rocket_submit_err(fd, job, EINVAL);
		assert_job_never_ran(fd, job);
		rocket_job_free(job);
	}

	igt_describe("Make sure an unreadable job array is reported as a fault.");
	igt_subtest("bad-jobs") {
		job = rocket_job_noop(fd);
		job->submit.jobs = BAD_USER_PTR;
		rocket_submit_err(fd, job, EFAULT);
		assert_job_never_ran(fd, job);
		rocket_job_free(job);
	}

	igt_describe("Make sure a job without tasks never runs.");
	igt_subtest("bad-task-count") {
		job = rocket_job_noop(fd);
		job->job.task_count = 0;
		submit_rejected_job(fd, job, EINVAL);
		rocket_job_free(job);
	}

	igt_describe("Make sure a task array stride smaller than a task never runs.");
	igt_subtest("bad-task-struct-size") {
		job = rocket_job_noop(fd);
		job->job.task_struct_size = sizeof(struct drm_rocket_task) - 1;
		submit_rejected_job(fd, job, EINVAL);
		rocket_job_free(job);
	}

	igt_describe("Make sure a task with an empty command list never runs.");
	igt_subtest("bad-regcmd-count") {
		job = rocket_job_noop(fd);
		job->task.regcmd_count = 0;
		submit_rejected_job(fd, job, EINVAL);
		rocket_job_free(job);
	}

	igt_describe("Make sure a job reading an unknown BO handle never runs.");
	igt_subtest("bad-in-bo-handle") {
		job = rocket_job_noop(fd);
		job->in_handles[ROCKET_NOOP_IN] = BAD_HANDLE;
		/* drm_gem_objects_lookup() reports a missing handle (rocket_job.c, rocket_gem.c validation). */
		submit_rejected_job(fd, job, ENOENT);
		rocket_job_free(job);
	}

	igt_describe("Make sure a job writing an unknown BO handle never runs.");
	igt_subtest("bad-out-bo-handle") {
		job = rocket_job_noop(fd);
		job->out_handle = BAD_HANDLE;
		submit_rejected_job(fd, job, ENOENT);
		rocket_job_free(job);
	}

	igt_describe("Make sure a minimal job runs and its completion is seen through PREP_BO.");
	igt_subtest("valid-submission") {
		job = rocket_job_noop(fd);
		rocket_submit(fd, job);
		assert_job_completed(job);
		rocket_job_free(job);
	}

	igt_describe("Make sure several jobs in one submission all run.");
	igt_subtest("multiple-job-submission") {
		struct rocket_job *jobs[MULTI_JOBS];

		for (int i = 0; i < MULTI_JOBS; i++)
			jobs[i] = rocket_job_noop(fd);
		rocket_submit_many(fd, jobs, MULTI_JOBS);
		for (int i = 0; i < MULTI_JOBS; i++)
			assert_job_completed(jobs[i]);
		for (int i = 0; i < MULTI_JOBS; i++)
			rocket_job_free(jobs[i]);
	}

	igt_describe("Make sure a job array with a larger stride, as a newer userspace may send, is accepted.");
	igt_subtest("submit-job-stride-larger") {
		struct rocket_job *jobs[2];
		unsigned char array[2 * JOB_STRIDE_LARGER];
		struct drm_rocket_submit args = {
			.jobs = (uintptr_t)array,
			.job_count = 2,
			.job_struct_size = JOB_STRIDE_LARGER,
		};

		/*
		 * Only a stride below sizeof(job) is refused (rocket_job.c, rocket_gem.c validation); the kernel
		 * reads sizeof(job) bytes at each stride, so bytes past a job
		 * (here 0xff) must be ignored.
		 */
		memset(array, 0xff, sizeof(array));
		for (int i = 0; i < 2; i++) {
			jobs[i] = rocket_job_noop(fd);
			memcpy(array + i * JOB_STRIDE_LARGER, &jobs[i]->job,
			       sizeof(jobs[i]->job));
		}
		igt_assert_eq(__rocket_submit(fd, &args), 0);
		for (int i = 0; i < 2; i++)
			assert_job_completed(jobs[i]);
		for (int i = 0; i < 2; i++)
			rocket_job_free(jobs[i]);
	}

	igt_describe("Make sure closing a file right after submitting leaves the device usable.");
	igt_subtest("submit-and-close") {
		/* Own fd: it is closed while its job may still be in flight. */
		int fd2 = rocket_open_device();
		struct rocket_job *orphan = rocket_job_noop(fd2);

		rocket_submit(fd2, orphan);
		/*
		 * Drop every CPU mapping first so that only the job's own
		 * references (its listed BOs, the file's IOMMU domain) keep
		 * its memory alive once the file is closed.
		 */
		rocket_bo_forget(orphan->regcmd);
		rocket_bo_forget(orphan->in);
		rocket_bo_forget(orphan->out);
		free(orphan);
		rocket_close_device(fd2);

		/* The next job of another file still runs to completion. */
		job = rocket_job_noop(fd);
		rocket_submit(fd, job);
		assert_job_completed(job);
		rocket_job_free(job);
	}

	igt_fixture
		rocket_close_device(fd);
}
