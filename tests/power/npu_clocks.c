// SPDX-License-Identifier: MIT
/*
 * npu_clocks — every clock of the NPU core is enabled, at a plausible rate,
 * while the core works, and released when it suspends.
 *
 * The core's DT node names four clocks, aclk, hclk, npu (the SCMI core
 * clock) and pclk (rockchip,rk3588-rknn-core.yaml); rocket's runtime resume is
 * clk_bulk_prepare_enable() of all four (rocket_core.c runtime PM).  Mainline never sets the
 * bulk entries' .id, so all four resolve to clock index 0 and only aclk is
 * enabled (rocket_core.c clock lookup) — a prime suspect for "DMA works, MAC does not" on RK3568
 * (RK3568 RFC).  The test reads debugfs clk_summary (consumer columns, Linux 6.10
 * on): for each name it finds the clock on which the core's device holds
 * a handle with that connection id and checks enable count, hardware
 * enable and rate; the VERDICT (stage clock) names every clock that is not
 * right, and mentions the unnamed handles that are the rocket_core.c clock lookup bug's
 * signature.  The core is held active with power/control "on" and jobs
 * (lib/rocket's DPU-only copy job, output checked) run around the sample,
 * because a job alone ends before clk_summary can be read.  Plausible
 * rates: POWER_CLK_RATE_MIN_HZ..MAX_HZ (lib/board/power.h).  Needs
 * debugfs; skips without it.  Not checked: exact rates per OPP, clocks of
 * the IOMMU (aclk/iface, rk3588-base.dtsi).
 */
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "board/power.h"
#include "power_fixture.h"
#include "power_job.h"
#include "rocket/rocket.h"

IGT_TEST_DESCRIPTION("The NPU core's four clocks (aclk, hclk, npu, pclk) are "
		     "enabled at plausible rates while it works and released "
		     "when it suspends.");

/* Room for one verdict naming all four clocks with their reasons. */
#define PROBLEMS_MAX	512
/* Suspend settles within the delay plus slack (see npu_runtime_pm). */
#define SUSPEND_WAIT_MS	(POWER_NPU_AUTOSUSPEND_MS + 200)

static struct power_fixture pf;

/* Wait for a submitted job (started at start) and check its output. */
static void check_job(int fd, struct rocket_job *job, int64_t start,
		      const char *when)
{
	power_judge_job(fd, job, start, pf.devs[0], when, "job", VERDICT_JOB_TIMEOUT,
			VERDICT_DPU_OUTPUT);
	rocket_job_free(job);
}

static void read_clocks(struct power_clk *clks)
{
	int ret = power_clk_read(pf.devs[0], hw_npu_clock_names, POWER_NPU_NR_CLKS, clks);

	igt_assert_f(ret >= 0, "reading %s: %s\n", POWER_CLK_SUMMARY,
		     strerror(-ret));
}

static unsigned int unnamed_handles(void)
{
	static char text[256 * 1024];
	ssize_t n = plat_read_file(POWER_CLK_SUMMARY, text, sizeof(text));

	return n < 0 ? 0 : power_clk_unnamed_handles(text, pf.devs[0]);
}

static void log_clocks(const struct power_clk *clks, const char *state)
{
	for (int i = 0; i < POWER_NPU_NR_CLKS; i++) {
		if (!clks[i].found) {
			igt_info("%s %s: not requested by %s\n", state,
				 clks[i].con_id, pf.devs[0]);
			continue;
		}
		igt_info("%s %s: %s enable %u prepare %u rate %llu Hz hw %c\n",
			 state, clks[i].con_id, clks[i].clk, clks[i].enable_count,
			 clks[i].prepare_count, (unsigned long long)clks[i].rate_hz,
			 clks[i].hw_enabled ? clks[i].hw_enabled : '-');
	}
}

static void hold_active(void)
{
	enum power_rpm_status s;
	int ret = power_rpm_set_control(pf.devs[0], "on");

	igt_assert_f(ret == 0, "writing on to power/control: %s\n", strerror(-ret));
	if (power_rpm_wait(pf.devs[0], POWER_RPM_ACTIVE, SUSPEND_WAIT_MS, &s))
		igt_fail_verdict(VERDICT_PM_RUNTIME, "power/control on left %s %s",
				 pf.devs[0], power_rpm_status_name(s));
}

static void test_enabled_while_active(int fd)
{
	struct power_clk clks[POWER_NPU_NR_CLKS];
	char problems[PROBLEMS_MAX] = "", why[128];
	unsigned int bad = 0, unnamed;
	size_t len = 0;
	struct rocket_job *job;
	int64_t start;

	hold_active();
	/*
	 * Sample while a job is in flight, and judge the clocks before the
	 * job: a gated clock is the cause, a job that never ends its symptom.
	 */
	job = rocket_job_noop(fd);
	start = rocket_monotonic_ns();
	rocket_submit(fd, job);
	read_clocks(clks);
	log_clocks(clks, "active");

	for (int i = 0; i < POWER_NPU_NR_CLKS; i++) {
		if (!power_clk_problem(&clks[i], why, sizeof(why)))
			continue;
		len += snprintf(problems + len, sizeof(problems) - len, "%s%s",
				bad++ ? ", " : "", why);
		if (len >= sizeof(problems))
			len = sizeof(problems) - 1;
	}
	if (!bad) {
		check_job(fd, job, start, "sampled during the job");
		return;
	}
	unnamed = unnamed_handles();
	if (unnamed)
		snprintf(problems + len, sizeof(problems) - len,
			 "; %s holds %u clock handle(s) without a connection id "
			 "(clk_bulk .id never set, rocket_core.c)", pf.devs[0],
			 unnamed);
	/* Let the job end (or time out) so the next subtest starts idle. */
	__rocket_bo_wait(fd, job->out->handle, ROCKET_BAD_JOB_WAIT_MS);
	rocket_job_free(job);
	igt_fail_verdict(VERDICT_CLOCK, "%u of %d NPU clocks not usable while %s is active: %s",
			 bad, POWER_NPU_NR_CLKS, pf.devs[0], problems);
}

static void test_released_when_suspended(void)
{
	struct power_clk on[POWER_NPU_NR_CLKS], off[POWER_NPU_NR_CLKS];
	enum power_rpm_status s;
	int ret;

	/* Held active, the core's resume has enabled its clocks (rocket_core.c runtime PM). */
	hold_active();
	read_clocks(on);
	ret = power_rpm_set_control(pf.devs[0], "auto");
	igt_assert_f(ret == 0, "writing auto to power/control: %s\n", strerror(-ret));
	if (power_rpm_wait(pf.devs[0], POWER_RPM_SUSPENDED, SUSPEND_WAIT_MS, &s))
		igt_fail_verdict(VERDICT_PM_RUNTIME, "%s still %s %d ms after power/control auto",
				 pf.devs[0], power_rpm_status_name(s), SUSPEND_WAIT_MS);
	read_clocks(off);
	log_clocks(off, "suspended");
	/*
	 * Each clock rocket enabled loses its enables on suspend
	 * (clk_bulk_disable_unprepare, rocket_core.c runtime PM).  Clocks shared with other
	 * devices may stay enabled, so only the drop is checked.
	 */
	for (int i = 0; i < POWER_NPU_NR_CLKS; i++) {
		if (!on[i].found || !on[i].enable_count)
			continue;
		if (off[i].enable_count >= on[i].enable_count)
			igt_fail_verdict(VERDICT_CLOCK,
					 "%s (%s) enable count %u active, %u suspended: not released",
					 on[i].con_id, on[i].clk, on[i].enable_count,
					 off[i].enable_count);
	}
}

igt_main
{
	int fd = -1;

	igt_fixture {
		fd = rocket_open_device();
		power_fixture_setup(&pf, POWER_FIXTURE_CLK_SUMMARY, NULL);
	}

	igt_describe("Make sure aclk, hclk, npu and pclk are all enabled at a "
		     "plausible rate while the NPU works; only aclk is the "
		     "mainline clock-lookup bug.");
	igt_subtest("clocks-enabled-while-active") {
		power_restore_now();
		test_enabled_while_active(fd);
		power_restore_now();
	}

	igt_describe("Make sure the NPU's clocks are released when the core "
		     "runtime-suspends.");
	igt_subtest("clocks-released-when-suspended") {
		power_restore_now();
		test_released_when_suspended();
	}

	igt_fixture {
		power_fixture_teardown(&pf);
		rocket_close_device(fd);
	}
}
