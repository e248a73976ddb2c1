// SPDX-License-Identifier: MIT
/*
 * rk_iommu_timeout — a job that never completes, seen from the IOMMU: the
 * kernel logs "NPU job timed out" after the 500 ms drm_sched timeout,
 * resets the core, and the next job runs correctly; what the recovery
 * costs is measured and reported.  The reset must not trip the IOMMU:
 * mainline's rocket_reset() detaches the IOMMU group *before* the core
 * reset, which on a wedged AXI master times out the stall request and
 * WARNs in __iommu_group_set_core_domain (rocket_job.c reset order, rocket_job.c timeout; RFC
 * 4/9 resets first).  The test never asks which kernel runs: it reads the
 * order off the log — a detach WARN (iommu_detach_group called from
 * rocket_reset) or rk_iommu handshake timeouts between the timeout line
 * and the end of the reset fail with verdict iommu-reset-order.
 *
 * Whether a hang wedges the AXI master depends on what hung: a PPU-only
 * task without a DPU interrupt may leave the bus idle, and then detaching
 * first is harmless.  So job-timeout-recovery also runs a conv job (CNA,
 * CORE, DPU): it completes on a working NPU; on a board with the RFC's
 * MAC/output stall it hangs the way that board hangs, and its reset is
 * judged the same way.
 *
 * Relies on: JOB_TIMEOUT_MS 500 and the reset sequence (rocket_job.c timeout), a PPU-only
 * task never raising DPU_0/1 (rocket_job.c, rocket_job.c completion), rk_iommu's log lines (rockchip-iommu.c log lines).
 * Does not check: the fence error value (UNCONFIRMED, derived from rocket_job.c #7), resets of a
 * job that faulted (rk_iommu_fault does).
 * Run: each subtest alone; each costs one 500 ms timeout.
 */
#include "igt.h"
#include "iommu_job.h"
#include "npu/npu_soc.h"
#include "rocket/rocket_diag.h"

IGT_TEST_DESCRIPTION("Check that a hung NPU job is timed out and reset without tripping the "
		     "IOMMU, and that the next job runs correctly; report the recovery cost.");

static struct kmsg_watch kw;

struct splat {
	int start;		/* first record of the splat ("cut here"), -1 if none */
	int warning;		/* index of its "WARNING:" record, -1 if none */
	bool detach_frame;	/* iommu_detach_group / __iommu_group_set_core_domain */
	bool reset_frame;	/* rocket_reset / rocket_job_timedout */
};

static bool splat_opens(const char *text)
{
	return kmsg_text_matches(text, "^-+\\[ cut here \\]-+$") ||
	       !strncmp(text, "WARNING: ", 9);
}

/*
 * Find the first WARN splat in [from, to) and what its lines name: the
 * message line (between "cut here" and "WARNING:"), the WARNING line and
 * the call trace, up to "end trace".
 */
static struct splat find_splat(unsigned int from, unsigned int to)
{
	struct splat s = { .start = -1, .warning = -1 };

	for (unsigned int i = from; i < to; i++) {
		const char *text = kw.recs[i].text;

		if (s.start < 0 && !splat_opens(text))
			continue;
		if (s.start < 0)
			s.start = (int)i;
		if (s.warning < 0 && !strncmp(text, "WARNING: ", 9))
			s.warning = (int)i;
		s.detach_frame |= kmsg_text_matches(text, IOMMU_RE_DETACH_FRAME);
		s.reset_frame |= kmsg_text_matches(text, ROCKET_RE_RESET_FRAME);
		if (!strncmp(text, "---[ end trace", 14))
			break;
	}
	return s;
}

/* Append "t+N ms: <text>" for record i to the order description. */
static void order_add(char *buf, size_t size, unsigned int i, uint64_t t0_usec)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s[+%.1f ms] %s", len ? " -> " : "",
		 (double)(kw.recs[i].usec - t0_usec) / 1e3, kw.recs[i].text);
}

/*
 * Judge the log between the timeout line and the end of the reset: the
 * reset must be silent.  A detach WARN or an rk_iommu handshake timeout
 * there is the detach-before-reset order.
 */
static void judge_reset_window(int timeout_rec, unsigned int end)
{
	unsigned int from = (unsigned int)timeout_rec + 1;
	uint64_t t0 = kw.recs[timeout_rec].usec;
	struct splat s = find_splat(from, end);
	int hs = kmsg_watch_find(&kw, from, IOMMU_RE_HANDSHAKE);
	char order[1024] = "";

	if (hs >= 0 && (unsigned int)hs >= end)
		hs = -1;
	if (s.start < 0 && hs < 0)
		return;
	if (s.start >= 0 && s.warning < 0)
		s.warning = s.start;

	order_add(order, sizeof(order), (unsigned int)timeout_rec, t0);
	if (hs >= 0 && (s.warning < 0 || hs < s.warning))
		order_add(order, sizeof(order), (unsigned int)hs, t0);
	if (s.warning >= 0)
		order_add(order, sizeof(order), (unsigned int)s.warning, t0);

	if (s.warning >= 0 && s.detach_frame)
		igt_fail_verdict(VERDICT_IOMMU_RESET_ORDER,
				 "the IOMMU was detached before the core reset: WARN \"%s\" with iommu_detach_group%s in its trace; order: %s",
				 kw.recs[s.warning].text,
				 s.reset_frame ? " called from rocket_reset" : "", order);
	if (s.warning < 0)
		igt_fail_verdict(VERDICT_IOMMU_RESET_ORDER,
				 "rk_iommu handshake timed out while the hung core was being reset (the IOMMU was disabled before the core reset); order: %s",
				 order);
	igt_fail_verdict(VERDICT_DMESG, "WARN during the timeout reset: \"%s\"; order: %s",
			 kw.recs[s.warning].text, order);
}

/*
 * Run a conv job; if it hangs (the board's own hang, e.g. the MAC/output
 * stall), judge its reset window as the PPU-only hang's.
 */
static void conv_hang_window(int fd)
{
	struct rocket_soc_info soc;
	struct rocket_diag_prog p;
	unsigned int from;
	int t;

	igt_assert_eq(rocket_identify_soc(&soc), 0);
	rocket_diag_prog_build(&p, fd, npu_soc_for(soc.soc), STAGE_PROG_CONV);
	from = kmsg_watch_poll(&kw);
	rocket_npu_submit(p.run);
	rocket_npu_wait(p.run, ROCKET_BAD_JOB_WAIT_MS);
	/* A hung job's BO is released after the timeout line and the reset. */
	kmsg_watch_poll(&kw);
	t = kmsg_watch_find(&kw, from, ROCKET_RE_JOB_TIMEOUT);
	if (t < 0) {
		igt_info("conv job completed: no hang of its own to reset\n");
	} else {
		igt_info("conv job hung (the board's own hang): judging its reset too\n");
		judge_reset_window(t, kmsg_watch_poll(&kw));
	}
	rocket_diag_prog_free(&p);
}

static void timeout_recovery(void)
{
	int fd = rocket_open_device();
	struct rocket_job *hang = rocket_job_noop(fd);
	double hang_ms, next_ms;
	unsigned int from, end;
	int ret, t;

	iommu_watch_begin(&kw, IOMMU_TEST_RE_HANGING_JOB, IOMMU_TEST_RE_JUDGED_ELSEWHERE);
	iommu_job_make_hang(hang);

	/* The hung job releases its BO after the timeout and the reset. */
	from = kmsg_watch_poll(&kw);
	ret = iommu_job_run(hang, &hang_ms);
	if (ret == -ETIMEDOUT || ret == -EBUSY)
		igt_fail_verdict(VERDICT_JOB_TIMEOUT,
				 "a hung job still held its BO after %d ms (timeout %d ms + reset allowance)",
				 ROCKET_BAD_JOB_WAIT_MS, ROCKET_JOB_TIMEOUT_MS);
	t = kmsg_watch_wait_for(&kw, from, ROCKET_RE_JOB_TIMEOUT, ROCKET_RESET_ALLOWANCE_MS);
	if (t < 0)
		igt_fail_verdict(VERDICT_JOB_TIMEOUT,
				 "the hung job ended after %.0f ms without \"NPU job timed out\" in the log",
				 hang_ms);
	end = kmsg_watch_poll(&kw);
	judge_reset_window(t, end);
	conv_hang_window(fd);

	/* The core works again: the next job on the same fd is correct. */
	next_ms = iommu_run_valid_job(&kw, fd, "the first job after the reset");

	igt_info("hung job: BO released after %.1f ms (timeout %d ms, so timeout handling + reset %.1f ms)\n",
		 hang_ms, ROCKET_JOB_TIMEOUT_MS, hang_ms - ROCKET_JOB_TIMEOUT_MS);
	igt_info("recovery latency (hang submit to next correct output, minus the timeout): %.1f ms; next job %.1f ms\n",
		 hang_ms + next_ms - ROCKET_JOB_TIMEOUT_MS, next_ms);

	kmsg_watch_check(&kw);
	rocket_job_free(hang);
	rocket_close_device(fd);
	kmsg_watch_stop(&kw);
}

static void timeout_other_fd(void)
{
	int fa = rocket_open_device(), fb = rocket_open_device();
	struct rocket_job *hang = rocket_job_noop(fa);
	struct rocket_job *good = rocket_job_noop(fb);
	unsigned int from;
	int64_t t0;
	double ms;

	/* Reset-order lines are judged by job-timeout-recovery. */
	iommu_watch_begin(&kw, IOMMU_TEST_RE_HANGING_JOB,
			  IOMMU_TEST_RE_RESET_JUDGED_ELSEWHERE);
	iommu_job_make_hang(hang);

	/*
	 * B's job queues behind A's hung job on RK3568's single core
	 * (credit_limit 1 per core, rocket_drv.c, rocket_job.c domains); RK3588 may run it on another core.
	 */
	from = kmsg_watch_poll(&kw);
	t0 = rocket_monotonic_ns();
	rocket_submit(fa, hang);
	rocket_submit(fb, good);
	__rocket_bo_wait(fb, good->out->handle, 2 * ROCKET_BAD_JOB_WAIT_MS);
	ms = (double)(rocket_monotonic_ns() - t0) / 1e6;
	if (!rocket_job_out_copied(good))
		iommu_fail_valid_job(&kw, from, good, "another fd's job queued behind a hung job", ms);
	igt_info("other fd's job completed %.1f ms after the hung job was submitted\n", ms);

	__rocket_bo_wait(fa, hang->out->handle, ROCKET_BAD_JOB_WAIT_MS);
	kmsg_watch_check(&kw);
	rocket_job_free(good);
	rocket_job_free(hang);
	rocket_close_device(fb);
	rocket_close_device(fa);
	kmsg_watch_stop(&kw);
}

igt_main
{
	/* No device fails every subtest with no-device, before any log watch. */
	igt_fixture
		rocket_require_device();

	igt_describe("Make sure a hung job is timed out and the core reset without an IOMMU "
		     "WARN or stall (reset before detach), and the next job on the fd is correct.");
	igt_subtest("job-timeout-recovery")
		timeout_recovery();

	igt_describe("Make sure a job another fd submits while a job hangs runs correctly, "
		     "behind the hung job's timeout and reset on a single-core NPU.");
	igt_subtest("job-timeout-other-fd")
		timeout_other_fd();
}
