// SPDX-License-Identifier: MIT
/*
 * seam_select.c — the platform seam's vnpu selection rules: vnpu specs
 * pick the vnpu backend with the right SoC and kernel profile, bad SoC,
 * profile or fault names fail plat_init() with a message naming the valid
 * ones, and the vnpu backend keeps tests away from the host's real sysfs.
 */
#include <fcntl.h>

#include "vnpu_unit.h"

static void check_describe(const char *expect)
{
	EQ(0, plat_init(), "plat_init() succeeds");
	EQ(PLAT_BACKEND_VNPU, plat_backend(), "backend is vnpu");
	CHECK(!strcmp(plat_backend_name(), "vnpu"), "backend name \"%s\"",
	      plat_backend_name());
	CHECK(!strcmp(plat_describe(), expect), "describe \"%s\" == \"%s\"",
	      plat_describe(), expect);
	CHECK(!strcmp(plat_device_path(), "/dev/accel/accel0"),
	      "device path %s", plat_device_path());
}

static void sc_default(void)
{
	check_describe("vnpu:rk3568 kernel=next faults=none");
}

static void sc_rk3588_mainline(void)
{
	check_describe("vnpu:rk3588 kernel=mainline faults=none");
}

static void sc_faults(void)
{
	check_describe("vnpu:rk3568 kernel=rfc faults=mac-output-stall,first-attach-timeouts");
}

static void expect_init_error(const char *needle1, const char *needle2)
{
	int ret = plat_init();

	EQ(-EINVAL, ret, "plat_init() fails with -EINVAL");
	CHECK(strstr(plat_init_error(), needle1) && strstr(plat_init_error(), needle2),
	      "error message \"%s\" names \"%s\" and \"%s\"", plat_init_error(),
	      needle1, needle2);
	EQ(PLAT_BACKEND_NONE, plat_backend(), "no backend after a failed init");
	EQ(-1, plat_open("/dev/accel/accel0", O_RDWR), "open fails without a backend");
}

static void sc_bad_soc(void)
{
	expect_init_error("rk3399", "rk3588");
}

static void sc_bad_kernel(void)
{
	expect_init_error("v6.1", "mainline, rfc, next");
}

static void sc_bad_fault(void)
{
	expect_init_error("mac-stall", "page-walker-gated-after-idle");
}

static void sc_isolation(void)
{
	char buf[256];

	EQ(0, plat_init(), "plat_init()");
	/* Unmodelled sysfs is ENOENT, never the host's file. */
	EQ(-ENOENT, plat_read_file("/sys/kernel/mm/transparent_hugepage/enabled",
				   buf, sizeof(buf)), "unmodelled sysfs file is ENOENT");
	EQ(-ENOENT, plat_stat_exists("/sys/class/drm"), "unmodelled sysfs dir is ENOENT");
	/* Paths outside the modelled roots come from the real file system. */
	CHECK(plat_read_file("/proc/self/status", buf, sizeof(buf)) > 0,
	      "/proc/self/status falls back to the real file");
	EQ(-EACCES, plat_write_file("/proc/self/comm", "x"),
	   "real files are read-only through vnpu");
	EQ(0, plat_stat_exists("/dev/accel/accel0"), "accel node exists");
	EQ(0, plat_stat_exists("/dev/kmsg"), "kmsg exists");
}

int main(void)
{
	vnpu_scenario("vnpu default", "vnpu", "", "", sc_default);
	vnpu_scenario("vnpu:rk3588 mainline", "vnpu:rk3588", "mainline", "", sc_rk3588_mainline);
	vnpu_scenario("vnpu faults", "vnpu:rk3568", "rfc",
		      "mac-output-stall, first-attach-timeouts", sc_faults);
	vnpu_scenario("bad soc", "vnpu:rk3399", "", "", sc_bad_soc);
	vnpu_scenario("bad kernel", "vnpu", "v6.1", "", sc_bad_kernel);
	vnpu_scenario("bad fault", "vnpu", "", "mac-stall", sc_bad_fault);
	vnpu_scenario("isolation", "vnpu:rk3568", "", "", sc_isolation);
	return unit_done();
}
