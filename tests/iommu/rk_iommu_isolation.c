// SPDX-License-Identifier: MIT
/*
 * rk_iommu_isolation — the suite's security check of the NPU's DMA
 * isolation.  Every DRM file has its own IOMMU paging domain and its own
 * IOVA space (rocket_drv.c, rocket_gem.c, rocket_drv.c, rocket_job.c domains), so an IOVA that is valid in fd
 * A means nothing in fd B: a job of B that reads or writes A's IOVA must
 * fault in B's domain and never touch A's memory, and once A is closed its
 * IOVAs are gone for everyone.  A control job in A first proves the IOVA
 * really holds A's data, so "B did not read it" is not vacuous.
 *
 * Relies on: per-file domains, drm_mm from IOVA 0 (rocket_drv.c, rocket_job.c domains), the fault lines
 * of rockchip-iommu.c log lines.  Does not check: isolation between cores on RK3588 (one domain
 * is attached to whichever core runs the job), or side channels.
 * Run: each subtest alone; each opens its own fds.
 */
#include "igt.h"
#include "iommu_job.h"

IGT_TEST_DESCRIPTION("Check that one fd's NPU jobs can neither read nor write another fd's "
		     "buffers through IOVAs, also after that fd closed.");

/*
 * A's secret BO is placed after a filler so its IOVA is far above every
 * BO fd B creates (B's job uses three 4 KiB BOs from IOVA 0, rocket_drv.c, rocket_gem.c) and
 * still in the first page directory (no page-walker effects).
 */
#define ISO_FILLER_SIZE		(512u * 1024)
#define ISO_SECRET_SIZE		4096u

static struct kmsg_watch kw;

static uint8_t secret_byte(unsigned int i)
{
	/* Never equal to rocket_noop_pattern(i) at the same position. */
	return (uint8_t)(0x11 + 0x1f * i);
}

struct owner {
	int fd;
	struct rocket_bo *filler, *secret;
};

static void owner_create(struct owner *a)
{
	uint8_t *p;

	a->fd = rocket_open_device();
	a->filler = rocket_bo_create(a->fd, ISO_FILLER_SIZE);
	a->secret = rocket_bo_create(a->fd, ISO_SECRET_SIZE);
	p = rocket_bo_map(a->secret);
	for (unsigned int i = 0; i < ISO_SECRET_SIZE; i++)
		p[i] = secret_byte(i);
	rocket_fini_bo(a->fd, a->secret->handle);
}

/* Control: a job of A itself reads the secret IOVA and gets the secret. */
static void owner_control(struct owner *a)
{
	struct rocket_job *job = rocket_job_noop(a->fd);
	unsigned int from = kmsg_watch_poll(&kw);
	const uint8_t *out;
	double ms;

	iommu_job_retarget(job, (uint32_t)a->secret->dma_address,
			   (uint32_t)job->out->dma_address);
	iommu_job_run(job, &ms);
	out = rocket_bo_map(job->out);
	for (unsigned int i = 0; i < ROCKET_DPU_COPY_BYTES; i++)
		if (out[i] != secret_byte(i))
			iommu_fail_valid_job(&kw, from, job,
					     "control: fd A's own job reading its secret BO", ms);
	rocket_job_free(job);
}

static void owner_destroy(struct owner *a)
{
	rocket_bo_free(a->secret);
	rocket_bo_free(a->filler);
	rocket_close_device(a->fd);
}

/* Does the 16-byte secret appear anywhere in bo? */
static bool bo_holds_secret(struct rocket_bo *bo)
{
	const uint8_t *p;
	uint32_t at, n;

	__rocket_bo_wait(bo->fd, bo->handle, ROCKET_BAD_JOB_WAIT_MS);
	p = rocket_bo_map(bo);
	for (at = 0; at + ROCKET_DPU_COPY_BYTES <= bo->size; at++) {
		for (n = 0; n < ROCKET_DPU_COPY_BYTES; n++)
			if (p[at + n] != secret_byte(n))
				break;
		if (n == ROCKET_DPU_COPY_BYTES)
			return true;
	}
	return false;
}

/* The fault line for iova in B's domain, or a failure. */
static void expect_fault(unsigned int from, uint64_t iova, bool write,
			 const char *what)
{
	struct iommu_fault f;
	int i = kmsg_watch_wait_for(&kw, from, IOMMU_RE_PAGE_FAULT,
				    ROCKET_RESET_ALLOWANCE_MS);

	if (i < 0)
		igt_fail_verdict(VERDICT_IOMMU_ISOLATION,
				 "%s: no page fault for IOVA %#" PRIx64 ", valid only in another fd's domain",
				 what, iova);
	igt_assert_eq(iommu_parse_page_fault(kw.recs[i].text, &f), 0);
	if ((f.iova >> RK_IOMMU_PTE_SHIFT) != (iova >> RK_IOMMU_PTE_SHIFT) ||
	    f.write != write)
		igt_fail_verdict(VERDICT_IOMMU_FAULT,
				 "%s: expected a %s fault at %#" PRIx64 ", logged \"%s\"",
				 what, write ? "write" : "read", iova, kw.recs[i].text);
	igt_info("%s: %s\n", what, kw.recs[i].text);
}

/* B's job over A's IOVA; B's own BOs must lie below it. */
static struct rocket_job *intruder_job(int fd, const struct owner *a)
{
	struct rocket_job *job = rocket_job_noop(fd);

	igt_assert_lt_u64(job->out->dma_address + job->out->size,
			  a->secret->dma_address);
	return job;
}

static void cross_fd(bool write)
{
	const char *what = write ? "fd B writing fd A's IOVA" : "fd B reading fd A's IOVA";
	struct owner a;
	struct rocket_job *job;
	unsigned int from;
	uint32_t iova;
	double ms;
	int fb;

	/* A faulting job also times out: its reset is judged by rk_iommu_timeout. */
	iommu_watch_begin(&kw, IOMMU_TEST_RE_FAULTING_JOB, IOMMU_TEST_RE_RESET_JUDGED_ELSEWHERE);
	/* Its WARN_ON(DMA_*_ERROR) splat taints the kernel (TAINT_WARN). */
	rocket_expect_taint();
	owner_create(&a);
	owner_control(&a);
	iova = (uint32_t)a.secret->dma_address;

	fb = rocket_open_device();
	job = intruder_job(fb, &a);
	if (write)
		iommu_job_retarget(job, (uint32_t)job->in->dma_address, iova);
	else
		iommu_job_retarget(job, iova, (uint32_t)job->out->dma_address);
	from = kmsg_watch_poll(&kw);
	iommu_job_run(job, &ms);

	if (!write && bo_holds_secret(job->out))
		igt_fail_verdict(VERDICT_IOMMU_ISOLATION,
				 "%s: B's output holds A's data read through IOVA %#x",
				 what, iova);
	if (write) {
		const uint8_t *p;

		__rocket_bo_wait(a.fd, a.secret->handle, ROCKET_BAD_JOB_WAIT_MS);
		p = rocket_bo_map(a.secret);
		for (unsigned int i = 0; i < ISO_SECRET_SIZE; i++)
			if (p[i] != secret_byte(i))
				igt_fail_verdict(VERDICT_IOMMU_ISOLATION,
						 "%s: A's BO at IOVA %#x changed at byte %u (%#x)",
						 what, iova, i, p[i]);
	}
	expect_fault(from, iova, write, what);
	igt_info("%s: job ended after %.1f ms\n", what, ms);

	kmsg_watch_check(&kw);
	rocket_job_free(job);
	rocket_close_device(fb);
	owner_destroy(&a);
	kmsg_watch_stop(&kw);
}

static void gone_after_close(void)
{
	const char *what = "a new fd reading a closed fd's IOVA";
	struct rocket_job *job;
	struct owner a;
	unsigned int from;
	uint32_t iova;
	double ms;
	int fc;

	/* A faulting job also times out: its reset is judged by rk_iommu_timeout. */
	iommu_watch_begin(&kw, IOMMU_TEST_RE_FAULTING_JOB, IOMMU_TEST_RE_RESET_JUDGED_ELSEWHERE);
	/* Its WARN_ON(DMA_*_ERROR) splat taints the kernel (TAINT_WARN). */
	rocket_expect_taint();
	owner_create(&a);
	owner_control(&a);
	iova = (uint32_t)a.secret->dma_address;
	/*
	 * Closing the file frees its domain with every mapping (rocket_drv.c, rocket_job.c domains); CPU
	 * mappings would keep the objects alive, so drop them first.
	 */
	rocket_bo_unmap(a.secret);
	rocket_bo_unmap(a.filler);
	rocket_close_device(a.fd);
	rocket_bo_forget(a.secret);
	rocket_bo_forget(a.filler);

	fc = rocket_open_device();
	job = rocket_job_noop(fc);
	igt_assert_lt_u64(job->out->dma_address + job->out->size, iova);
	iommu_job_retarget(job, iova, (uint32_t)job->out->dma_address);
	from = kmsg_watch_poll(&kw);
	iommu_job_run(job, &ms);
	if (bo_holds_secret(job->out))
		igt_fail_verdict(VERDICT_IOMMU_ISOLATION,
				 "%s: the output holds the closed fd's data from IOVA %#x",
				 what, iova);
	expect_fault(from, iova, false, what);

	kmsg_watch_check(&kw);
	rocket_job_free(job);
	rocket_close_device(fc);
	kmsg_watch_stop(&kw);
}

igt_main
{
	/* No device fails every subtest with no-device, before any log watch. */
	igt_fixture
		rocket_require_device();

	igt_describe("Make sure a job of one fd cannot read another fd's buffer through the "
		     "IOVA that buffer has in the other fd: it faults and gets none of the data.");
	igt_subtest("isolation-cross-fd-read")
		cross_fd(false);

	igt_describe("Make sure a job of one fd cannot write another fd's buffer through the "
		     "IOVA that buffer has in the other fd.");
	igt_subtest("isolation-cross-fd-write")
		cross_fd(true);

	igt_describe("Make sure a closed fd's IOVAs are gone: a job of a new fd using them "
		     "faults and reads none of the closed fd's data.");
	igt_subtest("isolation-iova-gone-after-close")
		gone_after_close();
}
