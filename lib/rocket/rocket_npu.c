// SPDX-License-Identifier: MIT
/*
 * rocket_npu.c — a lib/npu program as rocket jobs (see rocket_npu.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "rocket/rocket_npu.h"

/* Slots read by a job (implicit-sync in-BOs). */
static const enum npu_slot rocket_npu_in_slots[] = {
	NPU_SLOT_INPUT, NPU_SLOT_WEIGHTS, NPU_SLOT_BIAS, NPU_SLOT_EW,
};

static void rocket_npu_alloc(struct rocket_npu_run *r)
{
	for (unsigned int s = 0; s < NPU_SLOT_COUNT; s++) {
		uint64_t size = s == NPU_SLOT_REGCMD ? r->prog->n_words * sizeof(uint64_t) :
						      r->prog->slot_size[s];

		if (!size)
			continue;
		igt_assert_lt_u64(size, ROCKET_IOVA_LIMIT);
		r->bo[s] = rocket_bo_create(r->fd, (uint32_t)size);
		r->map[s] = rocket_bo_map(r->bo[s]);
		r->iova[s] = r->bo[s]->dma_address;
		/* regcmd fields are 32-bit (Mesa rkt_regcmd.c) */
		igt_assert_lt_u64(r->iova[s] + size, ROCKET_IOVA_LIMIT + 1);
	}
}

static void rocket_npu_build_jobs(struct rocket_npu_run *r)
{
	const struct npu_program *p = r->prog;
	unsigned int per_job = p->one_job ? p->n_tasks : 1;

	r->n_jobs = p->one_job ? 1 : p->n_tasks;
	r->tasks = calloc(p->n_tasks, sizeof(*r->tasks));
	r->jobs = calloc(r->n_jobs, sizeof(*r->jobs));
	igt_assert(r->tasks && r->jobs);
	for (unsigned int i = 0; i < p->n_tasks; i++) {
		r->tasks[i].regcmd = (uint32_t)(r->iova[NPU_SLOT_REGCMD] + p->tasks[i].offset);
		r->tasks[i].regcmd_count = p->tasks[i].count;
	}
	for (unsigned int i = 0; i < sizeof(rocket_npu_in_slots) / sizeof(rocket_npu_in_slots[0]); i++)
		if (r->bo[rocket_npu_in_slots[i]])
			r->in_handles[r->n_in++] = r->bo[rocket_npu_in_slots[i]]->handle;
	r->out_handle = r->bo[NPU_SLOT_OUTPUT]->handle;
	for (unsigned int j = 0; j < r->n_jobs; j++)
		r->jobs[j] = (struct drm_rocket_job) {
			.tasks = (uintptr_t)(r->tasks + j * per_job),
			.in_bo_handles = (uintptr_t)r->in_handles,
			.out_bo_handles = (uintptr_t)&r->out_handle,
			.task_count = per_job,
			.task_struct_size = sizeof(struct drm_rocket_task),
			.in_bo_handle_count = r->n_in,
			.out_bo_handle_count = 1,
		};
	r->submit = (struct drm_rocket_submit) {
		.jobs = (uintptr_t)r->jobs,
		.job_count = r->n_jobs,
		.job_struct_size = sizeof(struct drm_rocket_job),
	};
}

struct rocket_npu_run *rocket_npu_prepare(int fd, struct npu_program *prog)
{
	struct rocket_npu_run *r = calloc(1, sizeof(*r));

	igt_assert(r);
	igt_assert(prog->n_tasks > 0 && prog->slot_size[NPU_SLOT_OUTPUT] > 0);
	r->fd = fd;
	r->prog = prog;
	rocket_npu_alloc(r);
	igt_assert_eq(npu_program_relocate(prog, r->iova), 0);
	memcpy(r->map[NPU_SLOT_REGCMD], prog->words, prog->n_words * sizeof(uint64_t));
	rocket_npu_build_jobs(r);
	return r;
}

int __rocket_npu_submit(struct rocket_npu_run *r)
{
	/* CPU writes are done: hand every buffer to the device (FINI_BO). */
	for (unsigned int s = 0; s < NPU_SLOT_COUNT; s++)
		if (r->bo[s])
			rocket_fini_bo(r->fd, r->bo[s]->handle);
	return __rocket_submit(r->fd, &r->submit);
}

void rocket_npu_submit(struct rocket_npu_run *r)
{
	igt_assert_eq(__rocket_npu_submit(r), 0);
}

int rocket_npu_wait(struct rocket_npu_run *r, int64_t timeout_ms)
{
	return __rocket_bo_wait(r->fd, r->bo[NPU_SLOT_OUTPUT]->handle, timeout_ms);
}

void rocket_npu_free(struct rocket_npu_run *r)
{
	if (!r)
		return;
	for (unsigned int s = 0; s < NPU_SLOT_COUNT; s++)
		rocket_bo_free(r->bo[s]);
	free(r->tasks);
	free(r->jobs);
	free(r);
}
