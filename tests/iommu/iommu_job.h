/* SPDX-License-Identifier: MIT */
/*
 * iommu_job.h — what the tests/iommu binaries share: rocket jobs aimed at
 * chosen IOVAs, canary buffers, the kernel-log expectations of a faulting
 * or hanging job, and one diagnosis of "a valid job did not produce its
 * output" from the kernel log.
 *
 * Contract: static inline helpers on top of lib/rocket and
 * lib/board/{iommu,kmsg_watch}; they assert (through the harness) like
 * lib/rocket's non-underscore helpers.  Included only by the tests/iommu binaries.
 */
#ifndef RKVAL_TESTS_IOMMU_JOB_H
#define RKVAL_TESTS_IOMMU_JOB_H

#include <string.h>

#include "igt.h"
#include "board/iommu.h"
#include "board/kmsg_watch.h"
#include "npu/regcmd.h"
#include "rocket/rocket.h"
#include "rocket/rocket_diag.h"

/*
 * An IOVA no BO of a fresh fd covers: drm_mm hands out IOVAs from 0
 * upwards (rocket_drv.c, rocket_gem.c), and the tests create well under 1 MiB
 * per fd before using it.  It lies in directory entry 0, whose page table
 * exists once the first BO is mapped, so the fault is a PTE miss and the
 * walk never leaves the first 4 MiB (page-walker hypotheses stay out of
 * the fault tests).
 */
#define IOMMU_TEST_UNMAPPED_IOVA	0x000f0000u
/* Byte i of a buffer a test must find unchanged. */
#define IOMMU_TEST_CANARY		0xc3

/* Op_en of the last regcmd entry: PPU | PPU_RDMA (npu_regs.def GLOBAL_OPERATION_ENABLE). */
#define IOMMU_TEST_OP_EN_PPU_ONLY	(NPU_OP_EN_PPU | NPU_OP_EN_PPU_RDMA)

/*
 * Lines a job that faults on purpose makes the kernel print: the
 * rk_iommu fault report (rockchip-iommu.c log lines), rocket's job timeout (rocket_job.c timeout), and the
 * WARN_ON(DMA_*_ERROR) splat of rocket_job_irq_handler (rocket_job.c completion) — the
 * WARNING line only when it names that handler, the rest of a splat is
 * boilerplate (a WARNING line naming anything else stays unexpected).
 */
#define IOMMU_TEST_RE_SPLAT_BODY	KMSG_RE_SPLAT_BODY
#define IOMMU_TEST_RE_DMA_WARN	"^WARNING: .*rocket_job_irq_handler"
#define IOMMU_TEST_RE_FAULTING_JOB \
	IOMMU_RE_FAULT_REPORT "|" ROCKET_RE_JOB_TIMEOUT "|" \
	IOMMU_TEST_RE_DMA_WARN "|" IOMMU_TEST_RE_SPLAT_BODY
/* A job that hangs on purpose: rocket's timeout line only. */
#define IOMMU_TEST_RE_HANGING_JOB	ROCKET_RE_JOB_TIMEOUT
/*
 * The reset of a hung job, judged by rk_iommu_timeout's
 * job-timeout-recovery: any WARN splat (with the core-domain message) and
 * the handshake timeouts of a detach before reset.
 */
#define IOMMU_TEST_RE_RESET_JUDGED_ELSEWHERE \
	IOMMU_RE_HANDSHAKE "|" KMSG_RE_WARN_SPLAT "|" IOMMU_RE_CORE_DOMAIN_WARN_MSG
/*
 * rk_iommu handshake timeouts are judged by rk_iommu_attach
 * (first-attach-after-idle, domain-across-jobs); elsewhere they are
 * reported, not failed on.
 */
#define IOMMU_TEST_RE_JUDGED_ELSEWHERE	IOMMU_RE_HANDSHAKE

/* Start watching the log for a subtest: expected and tolerated lines. */
static inline void iommu_watch_begin(struct kmsg_watch *w, const char *expected,
				     const char *tolerated)
{
	int ret = kmsg_watch_start(w);

	igt_assert_f(ret == 0, "cannot read the kernel log: %s\n", strerror(-ret));
	kmsg_watch_expect(w, expected);
	kmsg_watch_tolerate(w, tolerated);
}

/* Rewrite the DPU copy task of job to read src and write dst. */
static inline void iommu_job_retarget(struct rocket_job *job, uint32_t src,
				      uint32_t dst)
{
	struct rocket_dpu_copy copy = { .src = src, .dst = dst };
	uint64_t *cmds = rocket_bo_map(job->regcmd);
	int n = rocket_regcmd_dpu_copy(cmds, ROCKET_NOOP_BO_SIZE / sizeof(*cmds),
				       &copy);

	igt_assert_eq(n, ROCKET_DPU_COPY_ENTRIES);
	rocket_fini_bo(job->fd, job->regcmd->handle);
}

/*
 * Make job never complete (the entry replacing its last one, then the
 * rewrite): its op_en starts only the PPU, so no DPU_0/1
 * interrupt is raised and the job ends only by the 500 ms drm_sched
 * timeout (rocket_job.c, rocket_job.c completion).
 */
static inline uint64_t iommu_job_hang_entry(void)
{
	return rocket_regcmd_entry(NPU_TARGET_OP_EN, REG_GLOBAL_OPERATION_ENABLE,
				   IOMMU_TEST_OP_EN_PPU_ONLY);
}

static inline void iommu_job_make_hang(struct rocket_job *job)
{
	uint64_t *cmds = rocket_bo_map(job->regcmd);

	cmds[ROCKET_DPU_COPY_ENTRIES - 1] = iommu_job_hang_entry();
	rocket_fini_bo(job->fd, job->regcmd->handle);
}

/*
 * Submit job and wait for its out BO at most ROCKET_BAD_JOB_WAIT_MS.
 * Returns the wait's result (0 once the job ended, by completion or by
 * timeout and reset) and stores the elapsed time in *elapsed_ms.
 */
static inline int iommu_job_run(struct rocket_job *job, double *elapsed_ms)
{
	int64_t t0 = rocket_monotonic_ns();
	int ret;

	rocket_submit(job->fd, job);
	ret = __rocket_bo_wait(job->fd, job->out->handle, ROCKET_BAD_JOB_WAIT_MS);
	*elapsed_ms = (double)(rocket_monotonic_ns() - t0) / 1e6;
	return ret;
}

/* A BO filled with the canary, for "nothing else was written" checks. */
static inline struct rocket_bo *iommu_canary_bo(int fd, uint32_t size)
{
	struct rocket_bo *bo = rocket_bo_create(fd, size);

	memset(rocket_bo_map(bo), IOMMU_TEST_CANARY, size);
	rocket_fini_bo(fd, bo->handle);
	return bo;
}

/* Offset of the first byte of bo that is not the canary, or -1. */
static inline long iommu_canary_damage(struct rocket_bo *bo)
{
	const uint8_t *p;

	__rocket_bo_wait(bo->fd, bo->handle, ROCKET_BAD_JOB_WAIT_MS);
	p = rocket_bo_map(bo);
	for (uint32_t i = 0; i < bo->size; i++)
		if (p[i] != IOMMU_TEST_CANARY)
			return (long)i;
	return -1;
}

/* Is iova inside one of the job's own BOs? */
static inline bool iommu_job_owns_iova(const struct rocket_job *job, uint64_t iova)
{
	const struct rocket_bo *bos[] = { job->regcmd, job->in, job->out };

	for (unsigned int i = 0; i < 3; i++)
		if (iova >= bos[i]->dma_address &&
		    iova < bos[i]->dma_address + bos[i]->size)
			return true;
	return false;
}

/*
 * A valid job (its addresses all mapped) did not produce its output:
 * name the stage from what the kernel log says, from record index from.
 */
__attribute__((noreturn))
static inline void iommu_fail_valid_job(struct kmsg_watch *w, unsigned int from,
					const struct rocket_job *job,
					const char *what, double elapsed_ms)
{
	struct iommu_fault f;
	enum iommu_handshake hs;
	char second[256];
	uint32_t status;
	uint64_t iova;
	int i;

	kmsg_watch_poll(w);
	i = kmsg_watch_find(w, from, IOMMU_RE_BUS_ERROR);
	if (i >= 0 && iommu_parse_bus_error(w->recs[i].text, &iova) == 0)
		igt_fail_verdict(VERDICT_IOMMU_PAGETABLE,
				 "%s: translating mapped IOVA %#" PRIx64 " gave a BUS_ERROR (\"%s\"): the MMU cannot reach this domain's page tables; output not written after %.0f ms",
				 what, iova, w->recs[i].text, elapsed_ms);
	i = kmsg_watch_find(w, from, IOMMU_RE_PAGE_FAULT);
	if (i >= 0 && iommu_parse_page_fault(w->recs[i].text, &f) == 0 &&
	    iommu_job_owns_iova(job, f.iova))
		igt_fail_verdict(VERDICT_IOMMU_PAGETABLE,
				 "%s: page fault at mapped IOVA %#" PRIx64 " (%s): the walk through this domain's tables failed; output not written after %.0f ms",
				 what, f.iova, f.write ? "write" : "read", elapsed_ms);
	if (i >= 0)
		igt_fail_verdict(VERDICT_IOMMU_FAULT,
				 "%s: unexpected page fault \"%s\"; output not written after %.0f ms",
				 what, w->recs[i].text, elapsed_ms);
	i = kmsg_watch_find(w, from, IOMMU_RE_HANDSHAKE);
	if (i >= 0 && iommu_parse_handshake(w->recs[i].text, &hs, &status) == 0)
		igt_fail_verdict(VERDICT_IOMMU_ATTACH,
				 "%s: rk_iommu %s timed out (status %#x) and the job produced no output after %.0f ms",
				 what, iommu_handshake_name(hs), status, elapsed_ms);
	i = kmsg_watch_find(w, from, ROCKET_RE_JOB_TIMEOUT);
	/* Nothing names the IOMMU: is it this job or every job? */
	rocket_diag_second_job(job->fd, second, sizeof(second));
	igt_fail_verdict(VERDICT_JOB_TIMEOUT,
			 "%s: no output after %.0f ms, %s, no IOMMU fault or handshake error logged%s",
			 what, elapsed_ms,
			 i >= 0 ? "\"NPU job timed out\" logged" : "no timeout logged", second);
}

/* Run a fresh valid copy job on fd and fail with a diagnosis unless it works. */
static inline double iommu_run_valid_job(struct kmsg_watch *w, int fd,
					 const char *what)
{
	struct rocket_job *job = rocket_job_noop(fd);
	unsigned int from = kmsg_watch_poll(w);
	struct rocket_job_result r;
	int64_t start = rocket_monotonic_ns();
	double ms;

	rocket_submit(fd, job);
	rocket_job_judge(job, start, ROCKET_BAD_JOB_WAIT_MS, &r);
	ms = (double)r.elapsed_ns / 1e6;
	/* A wait that failed leaves the bytes to tell, as before the judge. */
	if (r.outcome != ROCKET_JOB_COPIED && !rocket_job_out_copied(job))
		iommu_fail_valid_job(w, from, job, what, ms);
	rocket_job_free(job);
	return ms;
}

#endif /* RKVAL_TESTS_IOMMU_JOB_H */
