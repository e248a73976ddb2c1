// SPDX-License-Identifier: MIT
/*
 * npu_runtime_pm — runtime PM of the NPU core as userspace sees it.
 *
 * rocket gives every core runtime PM with a 50 ms autosuspend delay
 * (pm_runtime_set_autosuspend_delay(pf.devs[0], 50), rocket_device.c, rocket_core.c probe,
 * rocket_core.c runtime PM): idle for that long the core suspends (clocks off, rocket_core.c runtime PM), a
 * submitted job resumes it, and the kernel's runtime_active_time and
 * runtime_suspended_time (ms, sysfs-devices-power) account both states.
 * Every job run here is lib/rocket's DPU-only copy job with its output
 * checked, so "resumed" means "resumed and computing", not only "status
 * says active".  The device is named from the NPU node address lib/rocket
 * identifies ("fde40000.npu", rocket_drv.c).  The subtests change power/control
 * and power/autosuspend_delay_ms; lib/board/power.h restores them at
 * exit, after a crash or the watchdog, and at the start of every subtest.
 * Not checked here: the power domain, clocks and supply (npu_power_domain,
 * npu_clocks), system sleep (npu_rebind).  `--cycles N` sets the length of
 * the suspend/resume soak (default 50; LAVA soak runs use more).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "platform/mono_time.h"
#include "board/power.h"
#include "power_cycles.h"
#include "power_fixture.h"
#include "power_job.h"
#include "rocket/rocket.h"

IGT_TEST_DESCRIPTION("Runtime PM of the NPU core: autosuspend after idle, "
		     "resume on submit, time accounting, suspend/resume cycles "
		     "with a checked job each.");

/*
 * How late after the autosuspend delay the core may still be active: the
 * runtime-PM timer runs from the last_busy mark of the job's IRQ thread
 * (rocket_job.c completion) and fires on a loaded board with scheduling slack.  Empirical
 * margin, not a kernel constant.
 */
#define AUTOSUSPEND_SLACK_MS	200
/* A delay clearly longer than the default, for the delay-honoured subtest. */
#define LONG_DELAY_MS		(20 * POWER_NPU_AUTOSUSPEND_MS)
/*
 * When delay-honoured looks: past the default delay with its slack (a
 * core that ignores the written delay has suspended by then), well before
 * the long delay (a core that honours it is still active).
 */
#define HONOURED_SAMPLE_MS	(POWER_NPU_AUTOSUSPEND_MS + AUTOSUSPEND_SLACK_MS + 50)
/* How long an accounting subtest stays in one state. */
#define DWELL_MS		100
/*
 * runtime_*_time are whole milliseconds sampled at two reads; allow a few
 * ms of rounding and read latency.  Empirical.
 */
#define ACCOUNT_SLACK_MS	10
#define DEFAULT_CYCLES		50
/* Watchdog per cycle: delay + slack + one job's worst case (rocket_job.c timeout). */
#define CYCLE_BUDGET_MS		(POWER_NPU_AUTOSUSPEND_MS + AUTOSUSPEND_SLACK_MS + \
				 ROCKET_BAD_JOB_WAIT_MS)

static unsigned int cycles = DEFAULT_CYCLES;
static struct power_fixture pf;

static const char help_str[] =
	"  --cycles N\t\tsuspend/resume cycles of suspend-resume-cycles (1..100000, default 50)\n";

/* Submit the DPU-only copy job and check what it wrote. */
static void run_checked_job(int fd, const char *when)
{
	power_run_checked_job(fd, pf.devs[0], when, VERDICT_JOB_TIMEOUT,
			      VERDICT_DPU_OUTPUT);
}

static void read_rpm(struct power_rpm *rpm)
{
	int ret = power_rpm_read(pf.devs[0], rpm);

	igt_assert_f(ret == 0, "reading %s/%s/power: %s\n",
		     POWER_PLATFORM_DEVICES, pf.devs[0], strerror(-ret));
}

static void set_control(const char *control)
{
	int ret = power_rpm_set_control(pf.devs[0], control);

	igt_assert_f(ret == 0, "writing %s to power/control: %s\n", control,
		     strerror(-ret));
}

/* Wait for suspend after idle; verdict pm-runtime when it does not come. */
static int64_t wait_suspended(int delay_ms, const char *after)
{
	int64_t start = mono_time_ms();
	enum power_rpm_status seen;

	if (power_rpm_wait(pf.devs[0], POWER_RPM_SUSPENDED,
			   delay_ms + AUTOSUSPEND_SLACK_MS, &seen))
		igt_fail_verdict(VERDICT_PM_RUNTIME,
				 "%s still %s %lld ms after %s (autosuspend_delay_ms %d)",
				 pf.devs[0], power_rpm_status_name(seen),
				 (long long)(mono_time_ms() - start), after, delay_ms);
	return mono_time_ms() - start;
}

/*
 * Right after a job the core must still be active: it only suspends a
 * full delay after its last activity.  Checked only while well inside the
 * delay, so a slow read on a loaded board cannot fail it.
 */
static void expect_active_after_job(int64_t job_done_ms, int delay_ms)
{
	enum power_rpm_status s = power_rpm_status(pf.devs[0]);

	if (mono_time_ms() - job_done_ms >= delay_ms / 2)
		return;
	if (s != POWER_RPM_ACTIVE)
		igt_fail_verdict(VERDICT_PM_RUNTIME,
				 "%s %s %lld ms after a job, before its %d ms autosuspend delay",
				 pf.devs[0], power_rpm_status_name(s),
				 (long long)(mono_time_ms() - job_done_ms), delay_ms);
}

/* Every subtest starts from the recorded settings with runtime PM allowed. */
static void subtest_setup(void)
{
	power_restore_now();
	set_control("auto");
}

static void fixture_setup(int fd)
{
	struct power_rpm rpm;

	power_fixture_setup(&pf, POWER_FIXTURE_RUNTIME_PM, NULL);
	read_rpm(&rpm);
	igt_info("%s: %s, control %s, autosuspend_delay_ms %d (fd %d)\n", pf.devs[0],
		 power_rpm_status_name(rpm.status), rpm.control,
		 rpm.autosuspend_ms, fd);
}

static void test_suspend_after_idle(int fd)
{
	int64_t done;

	run_checked_job(fd, "before idling");
	done = mono_time_ms();
	expect_active_after_job(done, POWER_NPU_AUTOSUSPEND_MS);
	/* What counts is the time since the job, not since the wait began. */
	wait_suspended(POWER_NPU_AUTOSUSPEND_MS, "the job");
	igt_info("suspended %lld ms after the job\n", (long long)(mono_time_ms() - done));
}

static void test_resume_on_submit(int fd)
{
	struct power_rpm before, after;

	run_checked_job(fd, "warm-up");
	wait_suspended(POWER_NPU_AUTOSUSPEND_MS, "the warm-up job");
	read_rpm(&before);
	run_checked_job(fd, "on a suspended core");
	expect_active_after_job(mono_time_ms(), POWER_NPU_AUTOSUSPEND_MS);
	wait_suspended(POWER_NPU_AUTOSUSPEND_MS, "the job");
	read_rpm(&after);
	/* The resume kept the core active for at least the delay. */
	if (after.active_ms < before.active_ms + POWER_NPU_AUTOSUSPEND_MS -
	    ACCOUNT_SLACK_MS)
		igt_fail_verdict(VERDICT_PM_RUNTIME,
				 "runtime_active_time grew %llu ms over a resume, expected >= %d",
				 (unsigned long long)(after.active_ms - before.active_ms),
				 POWER_NPU_AUTOSUSPEND_MS - ACCOUNT_SLACK_MS);
}

static void check_dwell(const struct power_rpm *a, const struct power_rpm *b,
			bool active, const char *state)
{
	uint64_t grew = active ? b->active_ms - a->active_ms :
				 b->suspended_ms - a->suspended_ms;
	uint64_t other = active ? b->suspended_ms - a->suspended_ms :
				  b->active_ms - a->active_ms;

	if (b->active_ms < a->active_ms || b->suspended_ms < a->suspended_ms)
		igt_fail_verdict(VERDICT_PM_RUNTIME,
				 "runtime time went backwards: active %llu -> %llu, suspended %llu -> %llu ms",
				 (unsigned long long)a->active_ms,
				 (unsigned long long)b->active_ms,
				 (unsigned long long)a->suspended_ms,
				 (unsigned long long)b->suspended_ms);
	if (grew + ACCOUNT_SLACK_MS < DWELL_MS || other > ACCOUNT_SLACK_MS)
		igt_fail_verdict(VERDICT_PM_RUNTIME,
				 "%d ms %s: runtime_%s_time +%llu ms, runtime_%s_time +%llu ms",
				 DWELL_MS, state, active ? "active" : "suspended",
				 (unsigned long long)grew,
				 active ? "suspended" : "active",
				 (unsigned long long)other);
}

static void test_time_accounting(int fd)
{
	struct power_rpm a, b;

	run_checked_job(fd, "before accounting");
	wait_suspended(POWER_NPU_AUTOSUSPEND_MS, "the job");

	/* Suspended, only runtime_suspended_time advances. */
	read_rpm(&a);
	mono_sleep_ms(DWELL_MS);
	read_rpm(&b);
	igt_assert_eq(b.status, POWER_RPM_SUSPENDED);
	check_dwell(&a, &b, false, "suspended");

	/* Held active by power/control "on", only runtime_active_time does. */
	set_control("on");
	igt_assert_eq(power_rpm_wait(pf.devs[0], POWER_RPM_ACTIVE, AUTOSUSPEND_SLACK_MS,
				     NULL), 0);
	read_rpm(&a);
	mono_sleep_ms(DWELL_MS);
	read_rpm(&b);
	check_dwell(&a, &b, true, "active");
	set_control("auto");
}

static void test_control_on(int fd)
{
	enum power_rpm_status s;

	wait_suspended(POWER_NPU_AUTOSUSPEND_MS, "the subtest start");
	/* "on" = pm_runtime_forbid(): resume now and never autosuspend. */
	set_control("on");
	if (power_rpm_wait(pf.devs[0], POWER_RPM_ACTIVE, AUTOSUSPEND_SLACK_MS, &s))
		igt_fail_verdict(VERDICT_PM_RUNTIME,
				 "power/control on left %s %s", pf.devs[0],
				 power_rpm_status_name(s));
	run_checked_job(fd, "with power/control on");
	mono_sleep_ms(3 * POWER_NPU_AUTOSUSPEND_MS);
	s = power_rpm_status(pf.devs[0]);
	if (s != POWER_RPM_ACTIVE)
		igt_fail_verdict(VERDICT_PM_RUNTIME,
				 "%s %s %d ms after a job with power/control on",
				 pf.devs[0], power_rpm_status_name(s),
				 3 * POWER_NPU_AUTOSUSPEND_MS);
	/* Back to "auto": the normal autosuspend resumes. */
	set_control("auto");
	wait_suspended(POWER_NPU_AUTOSUSPEND_MS, "power/control auto");
}

static void test_delay_honoured(int fd)
{
	enum power_rpm_status s;
	int64_t done, at;
	int ret;

	ret = power_rpm_set_autosuspend(pf.devs[0], LONG_DELAY_MS);
	igt_assert_f(ret == 0, "writing autosuspend_delay_ms: %s\n", strerror(-ret));
	run_checked_job(fd, "with a long autosuspend delay");
	done = mono_time_ms();
	mono_sleep_ms(HONOURED_SAMPLE_MS);
	s = power_rpm_status(pf.devs[0]);
	at = mono_time_ms() - done;
	if (at >= LONG_DELAY_MS)
		igt_fail_verdict(VERDICT_PM_RUNTIME,
				 "could not sample %s within its %d ms delay (sampled after %lld ms): the machine is too loaded to judge",
				 pf.devs[0], LONG_DELAY_MS, (long long)at);
	if (s != POWER_RPM_ACTIVE)
		igt_fail_verdict(VERDICT_PM_RUNTIME,
				 "%s %s %lld ms after a job with autosuspend_delay_ms %d: the written delay was not honoured (rocket's default is %d ms)",
				 pf.devs[0], power_rpm_status_name(s), (long long)at, LONG_DELAY_MS,
				 POWER_NPU_AUTOSUSPEND_MS);
	wait_suspended(LONG_DELAY_MS, "the job");
	igt_info("suspended %lld ms after the job with autosuspend_delay_ms %d\n",
		 (long long)(mono_time_ms() - done), LONG_DELAY_MS);
}

static void test_cycles(int fd)
{
	struct power_rpm prev, cur;
	int64_t total_wait = 0;

	/*
	 * Soak runs need more than the default watchdog; an explicit
	 * RKVAL_SUBTEST_TIMEOUT still wins (the restore self-test relies on
	 * the watchdog firing mid-cycle).
	 */
	if (!getenv(RKVAL_SUBTEST_TIMEOUT_ENV))
		igt_set_subtest_timeout(10 + cycles * CYCLE_BUDGET_MS / 1000);
	run_checked_job(fd, "warm-up");
	read_rpm(&prev);
	for (unsigned int i = 0; i < cycles; i++) {
		char when[32];
		int64_t done;

		snprintf(when, sizeof(when), "cycle %u", i);
		total_wait += wait_suspended(POWER_NPU_AUTOSUSPEND_MS, when);
		run_checked_job(fd, when);
		done = mono_time_ms();
		expect_active_after_job(done, POWER_NPU_AUTOSUSPEND_MS);
		read_rpm(&cur);
		if (cur.active_ms < prev.active_ms ||
		    cur.suspended_ms < prev.suspended_ms)
			igt_fail_verdict(VERDICT_PM_RUNTIME,
					 "%s: runtime time went backwards", when);
		igt_debug("%s: active %llu ms, suspended %llu ms\n", when,
			  (unsigned long long)cur.active_ms,
			  (unsigned long long)cur.suspended_ms);
		prev = cur;
	}
	igt_info("%u suspend/resume cycles, each job checked; mean wait for suspend %lld ms\n",
		 cycles, (long long)(total_wait / cycles));
}

igt_main_args(NULL, power_cycles_opts, help_str, power_cycles_opt, &cycles)
{
	int fd = -1;

	igt_fixture {
		fd = rocket_open_device();
		fixture_setup(fd);
	}

	igt_describe("Make sure the core's autosuspend delay is rocket's 50 ms, "
		     "the figure every other timing here relies on.");
	igt_subtest("autosuspend-delay-default") {
		struct power_rpm rpm;

		power_restore_now();
		read_rpm(&rpm);
		if (rpm.autosuspend_ms != POWER_NPU_AUTOSUSPEND_MS)
			igt_fail_verdict(VERDICT_PM_RUNTIME,
					 "autosuspend_delay_ms %d, rocket sets %d",
					 rpm.autosuspend_ms, POWER_NPU_AUTOSUSPEND_MS);
	}

	igt_describe("Make sure an idle NPU core suspends once the autosuspend "
		     "delay has passed, and not before.");
	igt_subtest("suspend-after-idle") {
		subtest_setup();
		test_suspend_after_idle(fd);
	}

	igt_describe("Make sure a job submitted to a suspended core resumes it "
		     "and completes with the right output.");
	igt_subtest("resume-on-submit") {
		subtest_setup();
		test_resume_on_submit(fd);
	}

	igt_describe("Make sure runtime_suspended_time and runtime_active_time "
		     "advance only in their own state.");
	igt_subtest("time-accounting") {
		subtest_setup();
		test_time_accounting(fd);
	}

	igt_describe("Make sure power/control 'on' keeps the core active past "
		     "the delay and 'auto' lets it suspend again.");
	igt_subtest("control-on-holds-active") {
		subtest_setup();
		test_control_on(fd);
	}

	igt_describe("Make sure a changed autosuspend_delay_ms is honoured.");
	igt_subtest("autosuspend-delay-honoured") {
		subtest_setup();
		test_delay_honoured(fd);
	}

	igt_describe("Suspend and resume the core many times, a checked job "
		     "each time (--cycles N).");
	igt_subtest("suspend-resume-cycles") {
		subtest_setup();
		test_cycles(fd);
	}

	igt_fixture {
		power_fixture_teardown(&pf);
		rocket_close_device(fd);
	}
}
