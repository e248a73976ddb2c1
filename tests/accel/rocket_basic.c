// SPDX-License-Identifier: MIT
/*
 * rocket_basic — who the accel node is and whether it can be opened.
 *
 * Validates the identity the rocket driver reports through DRM_IOCTL_VERSION
 * (name "rocket", description "rocket DRM", version 0.0.0, date "0":
 * rocket_drv.c), that the node is found by scanning /dev/accel,
 * that the SoC and board are identified from the device tree root
 * compatible and that the SoC's first NPU core is bound to the rocket
 * platform driver (rocket_drv.c, rk3588-base.dtsi, RK3568 RFC DT patch), that many file descriptors can be
 * opened and closed, and that the suite's own ABI declaration has the
 * sizes and ioctl numbers of rocket_accel.h.  It does not create buffers or
 * submit jobs (rocket_bo, rocket_submit do), and it does not check runtime
 * PM or IOMMU state.  Run it first on a new board: if it fails, nothing
 * else can pass.
 */
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "rocket/rocket.h"

IGT_TEST_DESCRIPTION("Identity of the rocket accel device: driver version strings, "
		     "discovery, SoC and board, and repeated opening.");

/* Enough descriptors to catch per-open leaks, few enough for ulimit 1024. */
#define OPEN_MANY_FDS		64
#define OPEN_CLOSE_LOOPS	256

/* Where a bound core shows up (rocket_drv.c). */
#define ROCKET_PLATFORM_DRIVER_DIR	"/sys/bus/platform/drivers/rocket"

static void check_open_many(void)
{
	int fds[OPEN_MANY_FDS];

	for (int i = 0; i < OPEN_MANY_FDS; i++) {
		fds[i] = __rocket_open_device();
		igt_assert_f(fds[i] >= 0, "open #%d failed: %s\n", i,
			     strerror(-fds[i]));
		for (int j = 0; j < i; j++)
			igt_assert_neq(fds[i], fds[j]);
	}
	/* Every fd is a full DRM file: VERSION answers on each. */
	for (int i = 0; i < OPEN_MANY_FDS; i++)
		igt_assert(rocket_is_rocket(fds[i]));
	for (int i = 0; i < OPEN_MANY_FDS; i++)
		igt_assert_eq(plat_close(fds[i]), 0);
}

igt_main
{
	struct rocket_version version;
	int fd = -1;

	igt_fixture {
		fd = rocket_open_device();
		rocket_get_version(fd, &version);
	}

	igt_describe("Make sure the device can be opened and closed with nothing in between.");
	igt_subtest("open-close") {
		int fd2 = rocket_open_device();

		rocket_close_device(fd2);
	}

	igt_describe("Make sure the accel node is driven by the rocket driver.");
	igt_subtest("version-name")
		igt_assert_f(!strcmp(version.name, ROCKET_DRIVER_NAME),
			     "name \"%s\"\n", version.name);

	igt_describe("Make sure the driver describes itself as userspace expects.");
	igt_subtest("version-desc")
		igt_assert_f(!strcmp(version.desc, ROCKET_DRIVER_DESC),
			     "desc \"%s\"\n", version.desc);

	igt_describe("Make sure the version and date match the driver userspace was written for.");
	igt_subtest("version-number") {
		igt_info("rocket %d.%d.%d date \"%s\"\n", version.major,
			 version.minor, version.patch, version.date);
		/* The driver leaves major/minor/patch unset (rocket_drv.c). */
		igt_assert_eq(version.major, 0);
		igt_assert_eq(version.minor, 0);
		igt_assert_eq(version.patch, 0);
		igt_assert_f(!strcmp(version.date, ROCKET_DRIVER_DATE),
			     "date \"%s\"\n", version.date);
	}

	igt_describe("Make sure scanning /dev/accel finds the rocket node that is in use.");
	igt_subtest("device-discovery") {
		char paths[8][ROCKET_PATH_MAX];
		const char *path = plat_device_path();
		int n = rocket_find_devices(paths, 8);
		bool found = false;

		igt_assert_f(n > 0, "no rocket node under %s (%d)\n",
			     PLAT_ACCEL_DIR, n);
		for (int i = 0; i < n; i++) {
			igt_info("rocket node: %s\n", paths[i]);
			found |= !strcmp(paths[i], path);
		}
		igt_assert_f(found, "%s not among the rocket nodes\n", path);
	}

	igt_describe("Make sure the board's SoC is identified as one with a known NPU.");
	igt_subtest("soc-identify") {
		struct rocket_soc_info soc;
		int ret = rocket_identify_soc(&soc);

		igt_info("board %s, soc %s (%s), %u NPU core(s)\n",
			 soc.board_compatible[0] ? soc.board_compatible : "?",
			 hw_soc_name(soc.soc), soc.soc_compatible,
			 soc.num_cores);
		igt_assert_f(ret == 0, "%s names no known NPU SoC: %s\n",
			     PLAT_DT_COMPATIBLE, strerror(-ret));
		igt_assert_neq(soc.num_cores, 0);
	}

	igt_describe("Make sure the SoC's first NPU core is bound to the rocket platform driver.");
	igt_subtest("npu-core-bound") {
		struct rocket_soc_info soc;
		char path[128];

		igt_assert_eq(rocket_identify_soc(&soc), 0);
		/*
		 * Core 0 must be bound: the DRM device is created by the
		 * first core's probe (rocket_device.c, rocket_core.c probe).  Other cores may be disabled in
		 * the board's DT, so they are only reported.
		 */
		for (unsigned int i = 0; i < soc.num_cores; i++) {
			int ret;

			snprintf(path, sizeof(path), "%s/%llx.npu",
				 ROCKET_PLATFORM_DRIVER_DIR,
				 (unsigned long long)soc.core_base[i]);
			ret = plat_stat_exists(path);
			igt_info("core %u: %s %s\n", i, path,
				 ret ? "not bound" : "bound");
			if (i == 0)
				igt_assert_f(ret == 0, "%s: %s\n", path,
					     strerror(-ret));
		}
	}

	igt_describe("Make sure many descriptors can be open on the device at once.");
	igt_subtest("open-many")
		check_open_many();

	igt_describe("Make sure opening and closing the device repeatedly keeps working.");
	igt_subtest("open-close-repeat") {
		for (int i = 0; i < OPEN_CLOSE_LOOPS; i++) {
			int fd2 = __rocket_open_device();

			igt_assert_f(fd2 >= 0, "open #%d failed: %s\n", i,
				     strerror(-fd2));
			igt_assert_eq(plat_close(fd2), 0);
		}
		igt_assert(rocket_is_rocket(fd));
	}

	igt_fixture
		rocket_close_device(fd);
}
