// SPDX-License-Identifier: MIT
/*
 * rk_iommu_fault — NPU DMA to an unmapped IOVA: the input read, the output
 * write, and the command-stream fetch each aimed at an address no BO
 * covers.  Each time the rk_iommu driver must log the page fault in its
 * exact format with the right address and access type (rockchip-iommu.c log lines), the job must end (by the 500 ms timeout or an error, rocket_job.c completion),
 * canary buffers elsewhere in the file's address space must be untouched,
 * and the next valid job on the same fd must produce correct output.
 *
 * Relies on: one IOMMU domain per file with IOVAs from 0 (rocket_drv.c, rocket_job.c domains, rocket_drv.c, rocket_gem.c), the
 * fault log lines of rockchip-iommu.c log lines, the WARN_ON(DMA_*_ERROR) in rocket's IRQ handler
 * (rocket_job.c completion, declared as expected: every kernel version prints it for a DMA
 * fault), and lib/rocket's DPU-only copy job.
 * Does not check: what the faulting job leaves in its own output (the
 * transaction's data is undefined after a fault), BUS_ERROR paths, or
 * faults beyond the first page directory (rk_iommu_pagetable does).
 * Run: each subtest alone (rkval-run does); each opens its own fd since a
 * faulting job may reset the core.
 */
#include "igt.h"
#include "iommu_job.h"

IGT_TEST_DESCRIPTION("Check that NPU DMA to unmapped IOVAs is reported by rk_iommu with the "
		     "right address and type, stays contained, and leaves the fd usable.");

enum fault_target {
	FAULT_INPUT_READ,
	FAULT_OUTPUT_WRITE,
	FAULT_COMMAND_FETCH,
};

static const char *const target_name[] = {
	[FAULT_INPUT_READ] = "input read",
	[FAULT_OUTPUT_WRITE] = "output write",
	[FAULT_COMMAND_FETCH] = "command-stream fetch",
};

static struct kmsg_watch kw;

/* The fault report names our address (same 4 KiB page) and access type. */
static void check_fault_line(int fd, enum fault_target t, uint32_t bad,
			     unsigned int from, double ms)
{
	bool want_write = t == FAULT_OUTPUT_WRITE;
	struct iommu_fault_indices idx;
	struct iommu_fault f;
	uint64_t bus_iova;
	int i;

	i = kmsg_watch_wait_for(&kw, from, IOMMU_RE_PAGE_FAULT, ROCKET_RESET_ALLOWANCE_MS);
	if (i < 0) {
		int b = kmsg_watch_find(&kw, from, IOMMU_RE_BUS_ERROR);

		if (b >= 0 && iommu_parse_bus_error(kw.recs[b].text, &bus_iova) == 0)
			igt_fail_verdict(VERDICT_IOMMU_PAGETABLE,
					 "%s at unmapped IOVA %#x: BUS_ERROR at %#" PRIx64 " instead of a page fault: the walker could not read the page tables",
					 target_name[t], bad, bus_iova);
		/*
		 * No fault may mean the job never got as far as the access:
		 * a valid job on the same fd tells "the NPU runs nothing"
		 * (judged by the log, not an IOMMU verdict) from "the access
		 * happened and rk_iommu did not report it".
		 */
		iommu_run_valid_job(&kw, fd,
				    "a valid job after a faulting one logged no fault");
		igt_fail_verdict(VERDICT_IOMMU_FAULT,
				 "%s at unmapped IOVA %#x: no \"Page fault at ... of type ...\" line logged (job ended after %.0f ms) although a valid job on the fd works",
				 target_name[t], bad, ms);
	}
	igt_assert_eq(iommu_parse_page_fault(kw.recs[i].text, &f), 0);
	igt_info("fault logged: %s\n", kw.recs[i].text);
	if ((f.iova >> RK_IOMMU_PTE_SHIFT) != (bad >> RK_IOMMU_PTE_SHIFT) ||
	    f.write != want_write)
		igt_fail_verdict(VERDICT_IOMMU_FAULT,
				 "%s at IOVA %#x reported as %s at %#" PRIx64 " (\"%s\")",
				 target_name[t], bad, f.write ? "write" : "read",
				 f.iova, kw.recs[i].text);

	/* The second line's indices must describe the same address (rockchip-iommu.c registers). */
	i = kmsg_watch_find(&kw, (unsigned int)i, "iova = 0x[0-9a-fA-F]+: dte_index");
	if (i >= 0 && iommu_parse_fault_indices(kw.recs[i].text, &idx) == 0 &&
	    (idx.dte_index != rk_iommu_dte_index(f.iova) ||
	     idx.pte_index != ((f.iova >> RK_IOMMU_PTE_SHIFT) & RK_IOMMU_INDEX_MASK)))
		igt_fail_verdict(VERDICT_IOMMU_FAULT,
				 "fault at %#" PRIx64 " decoded as dte_index %#x pte_index %#x (\"%s\")",
				 f.iova, idx.dte_index, idx.pte_index, kw.recs[i].text);
}

static void fault_subtest(enum fault_target t)
{
	int fd = rocket_open_device();
	struct rocket_job *job;
	struct rocket_bo *canary;
	uint32_t bad = IOMMU_TEST_UNMAPPED_IOVA;
	unsigned int from;
	long damage;
	double ms;
	int ret;

	/* A faulting job also times out: its reset is judged by rk_iommu_timeout. */
	iommu_watch_begin(&kw, IOMMU_TEST_RE_FAULTING_JOB, IOMMU_TEST_RE_RESET_JUDGED_ELSEWHERE);
	/* Its WARN_ON(DMA_*_ERROR) splat taints the kernel (TAINT_WARN). */
	rocket_expect_taint();
	job = rocket_job_noop(fd);
	canary = iommu_canary_bo(fd, ROCKET_NOOP_BO_SIZE);
	igt_assert_lt_u64(canary->dma_address + canary->size, bad);

	switch (t) {
	case FAULT_INPUT_READ:
		iommu_job_retarget(job, bad, (uint32_t)job->out->dma_address);
		break;
	case FAULT_OUTPUT_WRITE:
		iommu_job_retarget(job, (uint32_t)job->in->dma_address, bad);
		break;
	case FAULT_COMMAND_FETCH:
		job->task.regcmd = bad;
		break;
	}

	/* The job ends: completion, error or the timeout and reset. */
	from = kmsg_watch_poll(&kw);
	ret = iommu_job_run(job, &ms);
	igt_info("faulting %s job ended after %.1f ms (wait: %s)\n", target_name[t],
		 ms, ret ? strerror(-ret) : "ok");
	if (ret == -ETIMEDOUT || ret == -EBUSY)
		igt_fail_verdict(VERDICT_JOB_TIMEOUT,
				 "a job faulting on its %s at %#x still held its BO after %d ms",
				 target_name[t], bad, ROCKET_BAD_JOB_WAIT_MS);

	check_fault_line(fd, t, bad, from, ms);

	/* Nothing else in the address space was written. */
	damage = iommu_canary_damage(canary);
	if (damage >= 0)
		igt_fail_verdict(VERDICT_IOMMU_FAULT,
				 "a job faulting on its %s wrote canary BO at IOVA %#" PRIx64 " byte %ld",
				 target_name[t], canary->dma_address, damage);
	/* Writing elsewhere, the job's own out BO must still be pristine. */
	if (t == FAULT_OUTPUT_WRITE && !rocket_job_out_untouched(job))
		igt_fail_verdict(VERDICT_IOMMU_FAULT,
				 "a job writing unmapped IOVA %#x changed its (unused) out BO",
				 bad);

	/* The fd still works: a valid job produces its output. */
	ms = iommu_run_valid_job(&kw, fd, "the valid job after a fault");
	igt_info("next valid job on the same fd: %.1f ms\n", ms);

	kmsg_watch_check(&kw);
	rocket_bo_free(canary);
	rocket_job_free(job);
	rocket_close_device(fd);
	kmsg_watch_stop(&kw);
}

igt_main
{
	/* No device fails every subtest with no-device, before any log watch. */
	igt_fixture
		rocket_require_device();

	igt_describe("Make sure an NPU input read from an unmapped IOVA is logged as a read "
		     "page fault at that address, ends the job, and leaves the fd usable.");
	igt_subtest("fault-unmapped-read")
		fault_subtest(FAULT_INPUT_READ);

	igt_describe("Make sure an NPU output write to an unmapped IOVA is logged as a write "
		     "page fault at that address and writes nothing anywhere else.");
	igt_subtest("fault-unmapped-write")
		fault_subtest(FAULT_OUTPUT_WRITE);

	igt_describe("Make sure a command stream placed at an unmapped IOVA faults on the "
		     "fetch instead of running whatever the NPU finds there.");
	igt_subtest("fault-unmapped-regcmd")
		fault_subtest(FAULT_COMMAND_FETCH);
}
