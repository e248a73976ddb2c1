// SPDX-License-Identifier: MIT
/*
 * npu_power_domain — the NPU's generic power domain and its supply follow
 * the core's runtime PM, cycle after cycle, without the failures the
 * RK3568 bring-up met.
 *
 * Facts relied on: the core sits in a genpd — "npu" on RK3568
 * (DOMAIN_RK3568("npu", …), RK3568 RFC DT patch), "nputop"/"npu1"/"npu2"
 * per core on RK3588 (rk3588-base.dtsi) — found here as the domain whose
 * pm_genpd_summary lists the core's device; the domain powers off once the
 * core (and its IOMMU, via the device link, rocket_core.c runtime PM) runtime-suspends and on
 * again for a job.  The NPU supply (ROCK 3B vdd_npu, RK809 DCDC_REG4, 500–
 * 1350 mV; RK3588 vdd_npu_s0) must be enabled whenever the domain is on:
 * RFC v4 9/9 adds need_regulator for exactly that (RK3568 RFC DT patch, RK3568 RFC).  While the
 * domain cycles the kernel log is watched for the known failure lines:
 * "failed to set idle on domain 'npu'", "failed to get ack on domain
 * 'npu', val=0x…" (verdict power-domain) and an SError or QoS save fault,
 * the reason RFC v4 gives pd_npu no pm_qos (verdict qos).  Each cycle runs
 * a checked DPU-only copy job from lib/rocket; some cycles submit right as
 * the autosuspend delay expires, so suspend and resume race.  Results are
 * printed per cycle.  Needs debugfs (pm_genpd_summary); skips without it.
 * Not checked: clock enable counts (npu_clocks), runtime-PM accounting
 * (npu_runtime_pm).  `--cycles N` sets the number of domain cycles
 * (default 50).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "board/iommu.h"
#include "board/kmsg_watch.h"
#include "platform/mono_time.h"
#include "board/power.h"
#include "power_cycles.h"
#include "power_fixture.h"
#include "power_job.h"
#include "rocket/rocket.h"

IGT_TEST_DESCRIPTION("The NPU power domain and its supply follow runtime PM; "
		     "domain cycling under load with the kernel log watched "
		     "for idle/ack, SError and QoS failures.");

/*
 * genpd powers the domain off from a work item after the last device
 * suspends; allow it the autosuspend delay plus scheduling slack.
 * Empirical, not a kernel constant.
 */
#define DOMAIN_SETTLE_MS	(POWER_NPU_AUTOSUSPEND_MS + 200)
/* Binding limits of ROCK 3B vdd_npu (mainline DT, RK3568 RFC DT patch); UNCONFIRMED for RK3588. */
#define NPU_SUPPLY_MIN_UV	500000
#define NPU_SUPPLY_MAX_UV	1350000
#define DEFAULT_CYCLES		50
/* Jobs submitted per cycle: one per RK3588 core's worth of load (rk3588-base.dtsi). */
#define JOBS_PER_CYCLE		ROCKET_MAX_CORES
/* Every RACE_EVERY-th cycle submits as the autosuspend delay expires. */
#define RACE_EVERY		2
#define CYCLE_BUDGET_MS		(DOMAIN_SETTLE_MS + ROCKET_BAD_JOB_WAIT_MS)

static unsigned int cycles = DEFAULT_CYCLES;
static struct power_fixture pf;

static const char help_str[] =
	"  --cycles N\t\tpower-domain cycles of domain-cycling (1..100000, default 50)\n";

static void read_domain(struct power_genpd *pd)
{
	int ret = power_genpd_read(NULL, pf.devs[0], pd);

	if (ret == -ENOENT)
		igt_fail_verdict(VERDICT_POWER_DOMAIN,
				 "%s is listed in no power domain of %s",
				 pf.devs[0], POWER_GENPD_SUMMARY);
	igt_assert_f(ret == 0, "reading %s: %s\n", POWER_GENPD_SUMMARY,
		     strerror(-ret));
}

/* Poll until the core's domain reads on (or off); the last read in *pd. */
static bool wait_domain(bool on, int timeout_ms, struct power_genpd *pd)
{
	int64_t deadline = mono_time_ms() + timeout_ms;

	for (;;) {
		read_domain(pd);
		if (pd->on == on)
			return true;
		if (mono_time_ms() >= deadline)
			return false;
		mono_sleep_ms(POWER_POLL_MS);
	}
}

/*
 * The kernel log since from: idle/ack failures are power-domain verdicts,
 * an SError or QoS fault a qos verdict.  Anything else is left to the
 * final kmsg_watch_check().
 */
static void check_power_lines(unsigned int from, const char *when)
{
	static const struct {
		const char *re;
		enum verdict_stage stage;
	} lines[] = {
		{ POWER_KMSG_SERROR, VERDICT_QOS },
		{ POWER_KMSG_QOS, VERDICT_QOS },
		{ POWER_KMSG_IDLE_FAIL, VERDICT_POWER_DOMAIN },
		{ POWER_KMSG_ACK_FAIL, VERDICT_POWER_DOMAIN },
		{ POWER_KMSG_SET_FAIL, VERDICT_POWER_DOMAIN },
	};

	if (!pf.kw_started)
		return;
	kmsg_watch_poll(&pf.kw);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		int at = kmsg_watch_find(&pf.kw, from, lines[i].re);

		if (at >= 0)
			igt_fail_verdict(lines[i].stage, "%s: kernel log: %s "
					 "(%u such line(s))", when,
					 kmsg_watch_record(&pf.kw, at)->text,
					 kmsg_watch_count(&pf.kw, from, lines[i].re));
	}
}

static unsigned int kmsg_mark(void)
{
	return pf.kw_started ? kmsg_watch_poll(&pf.kw) : 0;
}

static void run_checked_jobs(int fd, unsigned int n, const char *when)
{
	struct rocket_job *jobs[JOBS_PER_CYCLE];
	int64_t start = rocket_monotonic_ns();
	char what[32];

	igt_assert(n <= JOBS_PER_CYCLE);
	for (unsigned int i = 0; i < n; i++)
		jobs[i] = rocket_job_noop(fd);
	rocket_submit_many(fd, jobs, n);
	for (unsigned int i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "job %u", i);
		power_judge_job(fd, jobs[i], start, pf.devs[0], when, what,
				VERDICT_JOB_TIMEOUT, VERDICT_DPU_OUTPUT);
	}
	for (unsigned int i = 0; i < n; i++)
		rocket_job_free(jobs[i]);
}

/* vdd_npu must be enabled whenever the domain is on (need_regulator, RK3568 RFC DT patch). */
static void check_supply(const struct power_genpd *pd, struct power_regulator *reg,
			 const char *when)
{
	if (!reg->dir[0] || !pd->on)
		return;
	igt_assert_eq(power_regulator_refresh(reg), 0);
	if (!reg->enabled) {
		struct power_genpd again;

		/*
		 * The two files are separate reads: the device may have
		 * autosuspended in between.  Only a domain still on after
		 * the disabled supply was seen is a real violation.
		 */
		read_domain(&again);
		if (again.on)
			igt_fail_verdict(VERDICT_POWER_DOMAIN,
					 "%s: domain '%s' %s but %s is %s", when, pd->name,
					 pd->status, reg->name, reg->state);
	}
}

static void set_control(const char *control)
{
	int ret = power_rpm_set_control(pf.devs[0], control);

	igt_assert_f(ret == 0, "writing %s to power/control: %s\n", control,
		     strerror(-ret));
}

static void expect_domain_off(const char *when)
{
	struct power_genpd pd;
	enum power_rpm_status s;

	if (power_rpm_wait(pf.devs[0], POWER_RPM_SUSPENDED, DOMAIN_SETTLE_MS, &s))
		igt_fail_verdict(VERDICT_PM_RUNTIME, "%s: %s still %s after %d ms",
				 when, pf.devs[0], power_rpm_status_name(s),
				 DOMAIN_SETTLE_MS);
	if (!wait_domain(false, DOMAIN_SETTLE_MS, &pd))
		igt_fail_verdict(VERDICT_POWER_DOMAIN,
				 "%s: %s suspended, domain '%s' still %s after %d ms",
				 when, pf.devs[0], pd.name, pd.status, DOMAIN_SETTLE_MS);
}

static void find_supply(struct power_regulator *reg)
{
	if (power_regulator_find(power_npu_supply_names, reg))
		memset(reg, 0, sizeof(*reg));
}

static void fixture_setup(void)
{
	struct power_genpd pd;

	power_fixture_setup(&pf, POWER_FIXTURE_GENPD_SUMMARY | POWER_FIXTURE_KMSG,
			    "kernel log not readable: failure lines will not be seen\n");
	read_domain(&pd);
	igt_info("%s is in power domain '%s' (%s)\n", pf.devs[0], pd.name, pd.status);
	if (pf.kw_started)
		kmsg_watch_tolerate(&pf.kw, POWER_KMSG_BENIGN_LINK "|"
				    POWER_IOMMU_LINES);
}

static void subtest_setup(void)
{
	power_restore_now();
	set_control("auto");
}

static void test_on_while_active(int fd)
{
	struct power_regulator reg;
	struct power_genpd pd;
	unsigned int from = kmsg_mark();

	find_supply(&reg);
	/* power/control "on" resumes the core and holds it. */
	set_control("on");
	run_checked_jobs(fd, 1, "with power/control on");
	if (!wait_domain(true, DOMAIN_SETTLE_MS, &pd))
		igt_fail_verdict(VERDICT_POWER_DOMAIN,
				 "%s active, domain '%s' %s", pf.devs[0], pd.name, pd.status);
	if (!pd.dev_listed || strcmp(pd.dev_rpm, "active"))
		igt_fail_verdict(VERDICT_POWER_DOMAIN,
				 "domain '%s' on, lists %s as '%s'", pd.name, pf.devs[0],
				 pd.dev_rpm[0] ? pd.dev_rpm : "absent");
	check_supply(&pd, &reg, "active");
	check_power_lines(from, "power-on");
	set_control("auto");
}

static void test_off_when_suspended(int fd)
{
	unsigned int from = kmsg_mark();

	run_checked_jobs(fd, 1, "before idling");
	expect_domain_off("after the job");
	check_power_lines(from, "power-off");
}

static void test_supply(int fd)
{
	struct power_regulator reg;
	struct power_genpd pd;

	find_supply(&reg);
	igt_require_f(reg.dir[0], "no NPU supply (vdd_npu, vdd_npu_s0) in %s\n",
		      POWER_REGULATOR_CLASS);
	igt_info("NPU supply %s: %s, %ld uV\n", reg.name, reg.state, reg.microvolts);
	if (reg.microvolts >= 0 &&
	    (reg.microvolts < NPU_SUPPLY_MIN_UV || reg.microvolts > NPU_SUPPLY_MAX_UV))
		igt_fail_verdict(VERDICT_POWER_DOMAIN, "%s at %ld uV, outside %d-%d uV",
				 reg.name, reg.microvolts, NPU_SUPPLY_MIN_UV,
				 NPU_SUPPLY_MAX_UV);
	set_control("on");
	run_checked_jobs(fd, 1, "with power/control on");
	igt_assert(wait_domain(true, DOMAIN_SETTLE_MS, &pd));
	check_supply(&pd, &reg, "active");
	set_control("auto");
	expect_domain_off("after power/control auto");
	igt_assert_eq(power_regulator_refresh(&reg), 0);
	igt_info("domain off: %s %s\n", reg.name, reg.state);
}

/*
 * One cycle: jobs (domain on), then either wait for the domain to go off
 * or, every RACE_EVERY-th cycle, only sleep until the autosuspend delay
 * expires, so the next cycle's jobs race the suspend.  The last cycle
 * always ends off.
 */
static void domain_cycle(int fd, unsigned int i, bool last,
			 struct power_regulator *reg)
{
	char when[48];
	struct power_genpd pd;
	unsigned int from = kmsg_mark();
	int64_t t0;

	snprintf(when, sizeof(when), "cycle %u", i);
	run_checked_jobs(fd, JOBS_PER_CYCLE, when);
	read_domain(&pd);
	check_supply(&pd, reg, when);
	t0 = mono_time_ms();
	if (i % RACE_EVERY == 1 && !last) {
		mono_sleep_ms(POWER_NPU_AUTOSUSPEND_MS - 3 + i % 5);
		read_domain(&pd);
		check_supply(&pd, reg, when);
		check_power_lines(from, when);
		igt_info("%s: %u checked jobs; next jobs submitted %lld ms later, domain '%s' %s\n",
			 when, JOBS_PER_CYCLE, (long long)(mono_time_ms() - t0),
			 pd.name, pd.status);
		return;
	}
	expect_domain_off(when);
	check_power_lines(from, when);
	igt_info("%s: %u checked jobs; domain '%s' off %lld ms later, kernel log clean\n",
		 when, JOBS_PER_CYCLE, pd.name, (long long)(mono_time_ms() - t0));
}

static void test_cycling(int fd)
{
	struct power_regulator reg;

	if (!getenv(RKVAL_SUBTEST_TIMEOUT_ENV))
		igt_set_subtest_timeout(10 + cycles * CYCLE_BUDGET_MS / 1000);
	find_supply(&reg);
	run_checked_jobs(fd, 1, "warm-up");
	for (unsigned int i = 0; i < cycles; i++)
		domain_cycle(fd, i, i + 1 == cycles, &reg);
	if (pf.kw_started)
		kmsg_watch_check(&pf.kw);
}

static void test_serror_evidence(void)
{
	struct power_serror_evidence ev;
	int ret = power_serror_evidence(&ev);

	igt_assert_f(ret >= 0, "%s=%s unreadable: %s\n", POWER_CONSOLE_LOG_ENV,
		     getenv(POWER_CONSOLE_LOG_ENV), strerror(-ret));
	if (ret > 0)
		igt_fail_verdict(VERDICT_QOS,
				 "%s: \"%s\": an earlier run ended in an SError panic%s%s%s",
				 ev.source, ev.line,
				 ev.subtest[0] ? " during " : "", ev.subtest,
				 ev.qos_frame ? " in rockchip_pmu_save_qos (QoS save behind a gated NoC)" :
				 " (no QoS frame in the record)");
	igt_info("no SError in %u record(s)/log(s) (%s, %s)\n", ev.sources,
		 POWER_PSTORE_DIR, getenv(POWER_CONSOLE_LOG_ENV) ?
		 getenv(POWER_CONSOLE_LOG_ENV) : "no " POWER_CONSOLE_LOG_ENV);
}

igt_main_args(NULL, power_cycles_opts, help_str, power_cycles_opt, &cycles)
{
	int fd = -1;

	igt_fixture {
		fd = rocket_open_device();
		fixture_setup();
	}

	igt_describe("Make sure the NPU power domain is on, and lists the core "
		     "active, while the core is in use.");
	igt_subtest("domain-on-while-active") {
		subtest_setup();
		test_on_while_active(fd);
	}

	igt_describe("Make sure the NPU power domain turns off once the core "
		     "has autosuspended, without idle/ack or QoS failures.");
	igt_subtest("domain-off-when-suspended") {
		subtest_setup();
		test_off_when_suspended(fd);
	}

	igt_describe("Make sure the NPU supply is enabled whenever its domain "
		     "is on and sits inside the board's voltage limits.");
	igt_subtest("supply-on-with-domain") {
		subtest_setup();
		test_supply(fd);
	}

	igt_describe("Cycle the NPU power domain under load, racing resume "
		     "against suspend, with the kernel log watched (--cycles N).");
	igt_subtest("domain-cycling") {
		subtest_setup();
		test_cycling(fd);
	}

	igt_describe("Make sure no earlier run ended in an SError panic (a QoS save "
		     "behind a gated NoC panics, so the run that met it reports "
		     "nothing): the previous boot's pstore records and the console "
		     "log named by RKVAL_CONSOLE_LOG.");
	igt_subtest("serror-evidence")
		test_serror_evidence();

	igt_fixture {
		power_fixture_teardown(&pf);
		rocket_close_device(fd);
	}
}
