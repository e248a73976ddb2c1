/* SPDX-License-Identifier: MIT */
/*
 * rocket_npu.h — run a lib/npu program (struct npu_program) through the
 * rocket uAPI: one BO per used slot, relocation, the jobs the program asks
 * for, one SUBMIT, and a bounded wait on the output.
 *
 * Contract:
 *  - rocket_npu_prepare() allocates and maps a BO for every slot with a
 *    non-zero size, relocates the program to their IOVAs and writes the
 *    regcmd BO; the caller then fills r->map[] (npu_conv2d_fill_buffers())
 *    and calls rocket_npu_submit().  Asserts on any failure.
 *  - Jobs follow prog->one_job (Mesa rkt_task.c rkt_split_tasks, Mesa rkt_device.c, rocket_job.c): all tasks in one
 *    job, or one job per task; all jobs go in ONE SUBMIT.  Each job lists
 *    INPUT, WEIGHTS, BIAS and EW as in-BOs and OUTPUT as its out-BO, so
 *    implicit sync orders it behind earlier writers of the same BOs.
 *  - rocket_npu_wait() waits for the output BO with PREP_BO; 0 or -errno
 *    (-ETIMEDOUT: the jobs did not finish in timeout_ms).
 *  - Only lib/rocket and lib/npu: the same code runs on a board.
 */
#ifndef RKVAL_ROCKET_NPU_H
#define RKVAL_ROCKET_NPU_H

#include <stdint.h>

#include "npu/npu_program.h"
#include "rocket/rocket.h"

struct rocket_npu_run {
	int fd;
	struct npu_program *prog;
	struct rocket_bo *bo[NPU_SLOT_COUNT];
	void *map[NPU_SLOT_COUNT];
	uint64_t iova[NPU_SLOT_COUNT];
	unsigned int n_jobs;
	struct drm_rocket_task *tasks;
	struct drm_rocket_job *jobs;
	uint32_t in_handles[NPU_SLOT_COUNT];
	unsigned int n_in;
	uint32_t out_handle;
	struct drm_rocket_submit submit;
};

struct rocket_npu_run *rocket_npu_prepare(int fd, struct npu_program *prog);
/* Ioctl result (0 or -errno) of the one SUBMIT; never asserts. */
int __rocket_npu_submit(struct rocket_npu_run *r);
void rocket_npu_submit(struct rocket_npu_run *r);
int rocket_npu_wait(struct rocket_npu_run *r, int64_t timeout_ms);
/* Free every BO and the job arrays (the program stays the caller's). */
void rocket_npu_free(struct rocket_npu_run *r);

#endif /* RKVAL_ROCKET_NPU_H */
