// SPDX-License-Identifier: MIT
/*
 * npu_rebind — the NPU survives losing its driver: unbind/bind through
 * sysfs, module unload/reload, and system suspend/resume.
 *
 * Facts relied on: the platform driver is "rocket" and its cores appear as
 * /sys/bus/platform/drivers/rocket/<addr>.npu (rocket_drv.c);
 * each probe prints "Rockchip NPU core %d version: %d" (rocket_drv.c; 0 on
 * RK3568, 1179210309 on RK3588, rocket_core.c version line) and the DRM device answers
 * DRM_IOCTL_VERSION "rocket"/"rocket DRM" 0.0.0.  After each rebind the
 * accel node must return, with the same identity (DRM version, probe
 * version line), and a job (lib/rocket's DPU-only copy job) must produce
 * the right output.  Probe and remove error paths were buggy after the
 * merge (rocket changes since 6.18: unwinding fixes, the Oops with =y Quentin Schulz reported,
 * rocket_device.c, rocket_core.c probe), which this is meant to shake out.  The accel node is found again
 * by driver after each rebind: rocket's drm_device is devm-allocated on
 * the "rknn" facade, so its old minor stays taken and the node returns as
 * /dev/accel/accel1 (rocket_drv.c; __rocket_open_device()).  Module reload
 * needs rocket built as a module (/sys/module/rocket/initstate) and
 * CAP_SYS_MODULE; it unloads and loads rocket through the seam
 * (delete_module/finit_module, dependencies stay loaded); system sleep needs
 * /sys/power/state and an RTC wake alarm: each skips with its reason
 * otherwise.  The platform seam has no exec, so rtcwake(8) is done by
 * hand through sysfs writes (power_rtc_sleep()).  Subtests open their own
 * fd: the device goes away under them.  Every binding is restored at
 * exit.  `--cycles N` sets the number of unbind/bind cycles (default 10).
 */
#include <errno.h>
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

IGT_TEST_DESCRIPTION("Unbind/bind of the rocket driver, module reload and "
		     "system suspend/resume leave a working NPU with the same "
		     "identity.");

/*
 * Probe is synchronous in the bind write, but the DRM node and its udev
 * link may lag on a board; allow a second.  Empirical.
 */
#define REBIND_SETTLE_MS	1000
/* How often to retry opening the device meanwhile. */
#define REBIND_RETRY_MS		10
/* The probe line (rocket_drv.c); captures the core version. */
#define PROBE_LINE_RE		"Rockchip NPU core [0-9]+ version: [0-9]+"
/* Seconds the RTC alarm is armed ahead, as rtcwake -s 3 would. */
#define RTC_WAKE_S		3
#define DEFAULT_CYCLES		10

static unsigned int cycles = DEFAULT_CYCLES;
static struct power_fixture pf;

static const char help_str[] =
	"  --cycles N\t\tunbind/bind cycles of unbind-bind (1..100000, default 10)\n";

/* What must not change across a rebind. */
struct identity {
	struct rocket_version version;
	long core_version[ROCKET_MAX_CORES];	/* -1: no probe line seen */
};

/*
 * A checked job.  Before any rebind a failure is the job's own (stages
 * job-timeout, dpu-output); after one it is the rebind's (stage rebind).
 */
static void run_checked_job(int fd, const char *when, bool rebound)
{
	power_run_checked_job(fd, pf.devs[0], when,
			      rebound ? VERDICT_REBIND : VERDICT_JOB_TIMEOUT,
			      rebound ? VERDICT_REBIND : VERDICT_DPU_OUTPUT);
}

/* The probe lines since from: core version per core index. */
static void probe_versions(unsigned int from, long *versions)
{
	for (unsigned int c = 0; c < ROCKET_MAX_CORES; c++)
		versions[c] = -1;
	if (!pf.kw_started)
		return;
	kmsg_watch_poll(&pf.kw);
	for (int i = kmsg_watch_find(&pf.kw, from, PROBE_LINE_RE); i >= 0;
	     i = kmsg_watch_find(&pf.kw, (unsigned int)i + 1, PROBE_LINE_RE)) {
		const char *t = strstr(kmsg_watch_record(&pf.kw, i)->text,
				       "Rockchip NPU core ");
		unsigned int core;
		long version;

		if (t && sscanf(t, "Rockchip NPU core %u version: %ld", &core,
				&version) == 2 && core < ROCKET_MAX_CORES)
			versions[core] = version;
	}
}

/* Open the returned device, read its identity, run a checked job. */
static void open_and_check(struct identity *id, const char *when, bool rebound)
{
	int fd = -1, ret;
	int64_t deadline = mono_time_ms() + REBIND_SETTLE_MS;

	for (;;) {
		fd = __rocket_open_device();
		if (fd >= 0 || mono_time_ms() >= deadline)
			break;
		mono_sleep_ms(REBIND_RETRY_MS);
	}
	if (fd < 0)
		igt_fail_verdict(VERDICT_REBIND, "%s: %s did not return within %d ms (%s)",
				 when, plat_device_path(), REBIND_SETTLE_MS,
				 strerror(-fd));
	ret = __rocket_get_version(fd, &id->version);
	if (ret)
		igt_fail_verdict(VERDICT_REBIND, "%s: DRM_IOCTL_VERSION failed: %s",
				 when, strerror(-ret));
	run_checked_job(fd, when, rebound);
	rocket_close_device(fd);
}

static void compare_identity(const struct identity *a, const struct identity *b,
			     const char *when)
{
	if (strcmp(a->version.name, b->version.name) ||
	    strcmp(a->version.desc, b->version.desc) ||
	    a->version.major != b->version.major ||
	    a->version.minor != b->version.minor ||
	    a->version.patch != b->version.patch)
		igt_fail_verdict(VERDICT_REBIND,
				 "%s: DRM identity changed: %s/%s %d.%d.%d -> %s/%s %d.%d.%d",
				 when, a->version.name, a->version.desc,
				 a->version.major, a->version.minor, a->version.patch,
				 b->version.name, b->version.desc, b->version.major,
				 b->version.minor, b->version.patch);
	for (unsigned int c = 0; c < pf.soc.num_cores; c++)
		if (a->core_version[c] >= 0 && b->core_version[c] >= 0 &&
		    a->core_version[c] != b->core_version[c])
			igt_fail_verdict(VERDICT_REBIND,
					 "%s: core %u version %ld before, %ld after",
					 when, c, a->core_version[c],
					 b->core_version[c]);
}

static void unbind_all(const char *when)
{
	for (unsigned int c = 0; c < pf.soc.num_cores; c++) {
		int ret = power_driver_unbind(pf.devs[c]);

		if (ret)
			igt_fail_verdict(VERDICT_REBIND, "%s: unbind %s: %s", when,
					 pf.devs[c], strerror(-ret));
		if (power_driver_wait_bound(pf.devs[c], false, REBIND_SETTLE_MS))
			igt_fail_verdict(VERDICT_REBIND,
					 "%s: %s still bound %d ms after unbind",
					 when, pf.devs[c], REBIND_SETTLE_MS);
	}
}

static void bind_all(const char *when)
{
	for (unsigned int c = 0; c < pf.soc.num_cores; c++) {
		int ret = power_driver_bind(pf.devs[c]);

		if (ret)
			igt_fail_verdict(VERDICT_REBIND, "%s: bind %s: %s", when,
					 pf.devs[c], strerror(-ret));
		if (power_driver_wait_bound(pf.devs[c], true, REBIND_SETTLE_MS))
			igt_fail_verdict(VERDICT_REBIND,
					 "%s: %s not bound %d ms after bind",
					 when, pf.devs[c], REBIND_SETTLE_MS);
	}
}

static void fixture_setup(void)
{
	/* Without a working device there is nothing to rebind. */
	rocket_require_device();
	power_fixture_setup(&pf, POWER_FIXTURE_ALL_CORES | POWER_FIXTURE_KMSG,
			    "kernel log not readable: probe versions not compared\n");
}

static void test_unbind_bind(void)
{
	struct identity first, now;
	unsigned int from;

	igt_require_f(power_driver_bound(pf.devs[0]), "%s is not bound to rocket\n",
		      pf.devs[0]);
	if (!getenv(RKVAL_SUBTEST_TIMEOUT_ENV))
		igt_set_subtest_timeout(10 + cycles * 3 * REBIND_SETTLE_MS / 1000);
	open_and_check(&first, "before unbinding", false);
	for (unsigned int c = 0; c < ROCKET_MAX_CORES; c++)
		first.core_version[c] = -1;
	for (unsigned int i = 0; i < cycles; i++) {
		char when[32];

		snprintf(when, sizeof(when), "rebind %u", i);
		from = pf.kw_started ? kmsg_watch_poll(&pf.kw) : 0;
		unbind_all(when);
		bind_all(when);
		probe_versions(from, now.core_version);
		open_and_check(&now, when, true);
		if (i == 0)
			memcpy(first.core_version, now.core_version,
			       sizeof(first.core_version));
		compare_identity(&first, &now, when);
		igt_debug("%s: node back, identity unchanged, job checked\n", when);
	}
	igt_info("%u unbind/bind cycles of %u core(s); core 0 version %ld each time\n",
		 cycles, pf.soc.num_cores, first.core_version[0]);
	if (pf.kw_started) {
		/* Power-off and IOMMU lines have their own judges. */
		kmsg_watch_tolerate(&pf.kw, POWER_KMSG_BENIGN_LINK "|" POWER_KMSG_JUDGED
				    "|" POWER_IOMMU_LINES);
		kmsg_watch_check(&pf.kw);
	}
}

/* rmmod's module name: Kconfig DRM_ACCEL_ROCKET builds rocket.ko (rocket_drv.c). */
#define ROCKET_MODULE_NAME	"rocket"

/* delete_module(O_NONBLOCK) refuses while a file or job holds rocket: retry a while. */
static int unload_rocket(void)
{
	int64_t deadline = mono_time_ms() + REBIND_SETTLE_MS;
	int ret;

	while ((ret = plat_module_unload(ROCKET_MODULE_NAME)) == -EBUSY ||
	       ret == -EAGAIN) {
		if (mono_time_ms() >= deadline)
			break;
		mono_sleep_ms(REBIND_RETRY_MS);
	}
	return ret;
}

static void test_module_reload(void)
{
	struct identity before, after;
	char state[16], node[ROCKET_PATH_MAX];
	enum power_module_kind kind = power_rocket_module(state, sizeof(state));
	unsigned int from;
	int ret;

	igt_require_f(kind != POWER_MODULE_ABSENT, "no rocket driver registered (%s)\n",
		      POWER_ROCKET_DRIVER);
	igt_require_f(kind == POWER_MODULE_LOADABLE,
		      "rocket is built into the kernel (no %s/initstate): nothing to reload\n",
		      POWER_ROCKET_MODULE);
	igt_info("rocket module %s\n", state);
	open_and_check(&before, "before unloading", false);
	for (unsigned int c = 0; c < ROCKET_MAX_CORES; c++)
		before.core_version[c] = -1;
	from = pf.kw_started ? kmsg_watch_poll(&pf.kw) : 0;

	ret = unload_rocket();
	igt_require_f(ret != -EPERM, "unloading rocket needs CAP_SYS_MODULE\n");
	igt_require_f(ret != -ENOENT,
		      "rocket's module file is not in modules.dep: not unloading what cannot be loaded back\n");
	if (ret)
		igt_fail_verdict(VERDICT_REBIND, "unloading rocket: %s", strerror(-ret));
	if (power_rocket_module(NULL, 0) != POWER_MODULE_ABSENT) {
		plat_module_load(ROCKET_MODULE_NAME);
		igt_fail_verdict(VERDICT_REBIND, "%s still registered after the unload",
				 POWER_ROCKET_DRIVER);
	}
	if (!rocket_find_node(node, sizeof(node))) {
		plat_module_load(ROCKET_MODULE_NAME);
		igt_fail_verdict(VERDICT_REBIND, "%s still answers after the unload", node);
	}

	ret = plat_module_load(ROCKET_MODULE_NAME);
	if (ret)
		igt_fail_verdict(VERDICT_REBIND, "loading rocket back: %s (the NPU is left without its driver)",
				 strerror(-ret));
	for (unsigned int c = 0; c < pf.soc.num_cores; c++)
		if (power_driver_wait_bound(pf.devs[c], true, REBIND_SETTLE_MS))
			igt_fail_verdict(VERDICT_REBIND,
					 "after the reload %s is not bound within %d ms",
					 pf.devs[c], REBIND_SETTLE_MS);
	probe_versions(from, after.core_version);
	open_and_check(&after, "after reload", true);
	compare_identity(&before, &after, "after reload");
	igt_info("rocket unloaded and loaded; the device is %s, core 0 version %ld\n",
		 plat_device_path(), after.core_version[0]);
	if (pf.kw_started) {
		kmsg_watch_tolerate(&pf.kw, POWER_KMSG_BENIGN_LINK "|" POWER_KMSG_JUDGED
				    "|" POWER_IOMMU_LINES);
		kmsg_watch_check(&pf.kw);
	}
}

static void test_system_sleep(void)
{
	struct identity before, after;
	char state[16], why[160];
	enum power_rpm_status s;
	int64_t slept;
	int ret;

	ret = power_sleep_supported(state, sizeof(state), why, sizeof(why));
	igt_require_f(ret == 0, "%s\n", why);
	/* The idle check after resume needs runtime PM allowed. */
	ret = power_rpm_set_control(pf.devs[0], "auto");
	igt_assert_f(ret == 0, "writing auto to power/control: %s\n", strerror(-ret));
	open_and_check(&before, "before system sleep", false);
	for (unsigned int c = 0; c < ROCKET_MAX_CORES; c++)
		before.core_version[c] = after.core_version[c] = -1;
	igt_info("suspending to %s, RTC alarm in %d s\n", state, RTC_WAKE_S);
	slept = rocket_monotonic_ns();
	ret = power_rtc_sleep(state, RTC_WAKE_S);
	slept = (rocket_monotonic_ns() - slept) / 1000000;
	if (ret)
		igt_fail_verdict(VERDICT_REBIND, "system sleep to %s failed: %s",
				 state, strerror(-ret));
	igt_info("back after %lld ms\n", (long long)slept);
	open_and_check(&after, "after resume", true);
	compare_identity(&before, &after, "after resume");
	/* Runtime PM works again: idle after the job, the core suspends. */
	if (power_rpm_wait(pf.devs[0], POWER_RPM_SUSPENDED,
			   POWER_NPU_AUTOSUSPEND_MS + REBIND_SETTLE_MS, &s))
		igt_fail_verdict(VERDICT_PM_RUNTIME,
				 "after resume %s stays %s when idle", pf.devs[0],
				 power_rpm_status_name(s));
}

igt_main_args(NULL, power_cycles_opts, help_str, power_cycles_opt, &cycles)
{
	igt_fixture
		fixture_setup();

	igt_describe("Unbind and rebind the rocket driver: the device node "
		     "returns with the same identity and runs a job correctly "
		     "(--cycles N).");
	igt_subtest("unbind-bind") {
		power_restore_now();
		test_unbind_bind();
	}

	igt_describe("Unload and reload the rocket module, when it is one.");
	igt_subtest("module-reload") {
		power_restore_now();
		test_module_reload();
	}

	igt_describe("Suspend the system to RAM with an RTC wake-up and make "
		     "sure the NPU works after resume.");
	igt_subtest("system-suspend-resume") {
		power_restore_now();
		test_system_sleep();
	}

	igt_fixture
		power_fixture_teardown(&pf);
}
