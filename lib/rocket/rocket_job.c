// SPDX-License-Identifier: MIT
/*
 * rocket_job.c — job builders and SUBMIT wrappers (rocket_accel.h,
 * rocket_job.c, rocket_gem.c validation).  rocket_job_noop() is the known-good job negative tests break
 * one field of; it runs the DPU-only copy task (rocket_regcmd.c) from an
 * input BO to an output BO, so "did it run?" is a visible question.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "rocket/rocket.h"

uint8_t rocket_noop_pattern(unsigned int i)
{
	/* Never equal to the canary, different in every byte of the atom. */
	return (uint8_t)(0xa0 + i);
}

/* CPU writes are done: hand the BO back to the device (rocket_job.c, rocket_gem.c validation FINI_BO). */
static void rocket_bo_fill_done(struct rocket_bo *bo)
{
	rocket_fini_bo(bo->fd, bo->handle);
}

static void rocket_job_fill_regcmd(struct rocket_job *job)
{
	struct rocket_dpu_copy copy = {
		.src = (uint32_t)job->in->dma_address,
		.dst = (uint32_t)job->out->dma_address,
	};
	uint64_t *cmds = rocket_bo_map(job->regcmd);
	int n;

	/* regcmd fields are 32-bit: every IOVA must be < 4 GiB (Mesa rkt_regcmd.c). */
	igt_assert_lt_u64(job->in->dma_address, ROCKET_IOVA_LIMIT);
	igt_assert_lt_u64(job->out->dma_address, ROCKET_IOVA_LIMIT);
	igt_assert_lt_u64(job->regcmd->dma_address, ROCKET_IOVA_LIMIT);

	n = rocket_regcmd_dpu_copy(cmds, ROCKET_NOOP_BO_SIZE / sizeof(*cmds),
				   &copy);
	igt_assert_eq(n, ROCKET_DPU_COPY_ENTRIES);
	rocket_bo_fill_done(job->regcmd);

	job->task.regcmd = (uint32_t)job->regcmd->dma_address;
	job->task.regcmd_count = (uint32_t)n;
}

struct rocket_job *rocket_job_noop(int fd)
{
	struct rocket_job *job = calloc(1, sizeof(*job));
	uint8_t *in, *out;

	igt_assert(job);
	job->fd = fd;
	job->regcmd = rocket_bo_create(fd, ROCKET_NOOP_BO_SIZE);
	job->in = rocket_bo_create(fd, ROCKET_NOOP_BO_SIZE);
	job->out = rocket_bo_create(fd, ROCKET_NOOP_BO_SIZE);

	in = rocket_bo_map(job->in);
	for (unsigned int i = 0; i < ROCKET_NOOP_BO_SIZE; i++)
		in[i] = rocket_noop_pattern(i);
	rocket_bo_fill_done(job->in);

	out = rocket_bo_map(job->out);
	memset(out, ROCKET_NOOP_CANARY, ROCKET_NOOP_BO_SIZE);
	rocket_bo_fill_done(job->out);

	rocket_job_fill_regcmd(job);

	job->in_handles[ROCKET_NOOP_IN] = job->in->handle;
	job->in_handles[ROCKET_NOOP_REGCMD] = job->regcmd->handle;
	job->out_handle = job->out->handle;
	job->job = (struct drm_rocket_job) {
		.tasks = (uintptr_t)&job->task,
		.in_bo_handles = (uintptr_t)job->in_handles,
		.out_bo_handles = (uintptr_t)&job->out_handle,
		.task_count = 1,
		.task_struct_size = sizeof(struct drm_rocket_task),
		.in_bo_handle_count = ROCKET_NOOP_IN_BOS,
		.out_bo_handle_count = 1,
	};
	job->submit = (struct drm_rocket_submit) {
		.jobs = (uintptr_t)&job->job,
		.job_count = 1,
		.job_struct_size = sizeof(struct drm_rocket_job),
	};
	return job;
}

void rocket_job_free(struct rocket_job *job)
{
	if (!job)
		return;
	rocket_bo_free(job->regcmd);
	rocket_bo_free(job->in);
	rocket_bo_free(job->out);
	free(job);
}

bool rocket_job_out_untouched(struct rocket_job *job)
{
	const uint8_t *out = rocket_bo_map(job->out);

	for (unsigned int i = 0; i < ROCKET_NOOP_BO_SIZE; i++)
		if (out[i] != ROCKET_NOOP_CANARY)
			return false;
	return true;
}

bool rocket_job_out_copied(struct rocket_job *job)
{
	const uint8_t *out = rocket_bo_map(job->out);

	for (unsigned int i = 0; i < ROCKET_DPU_COPY_BYTES; i++)
		if (out[i] != rocket_noop_pattern(i))
			return false;
	/* Nothing beyond the one atom may be written. */
	for (unsigned int i = ROCKET_DPU_COPY_BYTES; i < ROCKET_NOOP_BO_SIZE; i++)
		if (out[i] != ROCKET_NOOP_CANARY)
			return false;
	return true;
}

int __rocket_job_wait(struct rocket_job *job, int64_t timeout_ms)
{
	return __rocket_bo_wait(job->fd, job->out->handle, timeout_ms);
}

enum rocket_job_outcome rocket_job_judge(struct rocket_job *job,
					 int64_t start_ns, int64_t timeout_ms,
					 struct rocket_job_result *r)
{
	r->wait_ret = __rocket_job_wait(job, timeout_ms);
	r->elapsed_ns = rocket_monotonic_ns() - start_ns;
	if (r->wait_ret)
		r->outcome = ROCKET_JOB_WAIT_FAILED;
	else if (rocket_job_out_untouched(job))
		r->outcome = ROCKET_JOB_NO_OUTPUT;
	else if (!rocket_job_out_copied(job))
		r->outcome = ROCKET_JOB_WRONG_OUTPUT;
	else
		r->outcome = ROCKET_JOB_COPIED;
	return r->outcome;
}

int __rocket_submit(int fd, struct drm_rocket_submit *args)
{
	int ret = plat_ioctl(fd, DRM_IOCTL_ROCKET_SUBMIT, args);

	return ret < 0 ? -errno : ret;
}

void rocket_submit(int fd, struct rocket_job *job)
{
	int ret = __rocket_submit(fd, &job->submit);

	igt_assert_f(ret == 0, "SUBMIT failed: %s\n", strerror(-ret));
}

void rocket_submit_err(int fd, struct rocket_job *job, int err)
{
	igt_assert_errno(err, plat_ioctl(fd, DRM_IOCTL_ROCKET_SUBMIT,
					 &job->submit));
}

void rocket_submit_many(int fd, struct rocket_job **jobs, unsigned int count)
{
	struct drm_rocket_job *array = calloc(count, sizeof(*array));
	struct drm_rocket_submit args = {
		.jobs = (uintptr_t)array,
		.job_count = count,
		.job_struct_size = sizeof(*array),
	};
	int ret;

	igt_assert(array);
	for (unsigned int i = 0; i < count; i++)
		array[i] = jobs[i]->job;
	ret = __rocket_submit(fd, &args);
	free(array);
	igt_assert_f(ret == 0, "SUBMIT of %u jobs failed: %s\n", count,
		     strerror(-ret));
}
