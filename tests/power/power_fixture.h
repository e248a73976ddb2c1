/* SPDX-License-Identifier: MIT */
/*
 * power_fixture.h — the one fixture of the tests/power binaries: which
 * NPU this is, the platform devices of its cores, the power settings
 * recorded for restore (power.h, "settings and their restore") and, when
 * asked, the kernel-log watch.
 *
 * Contract: power_fixture_setup() in the binary's first igt_fixture,
 * power_fixture_teardown() in its last.  The setup skips (never fails)
 * when what the binary reads is not there — an unknown SoC, debugfs
 * without clk_summary or pm_genpd_summary, no runtime PM in sysfs,
 * settings that cannot be recorded — so that a board without
 * CONFIG_DEBUG_FS says why instead of failing.  Included only by the
 * tests/power binaries.
 */
#ifndef RKVAL_TESTS_POWER_FIXTURE_H
#define RKVAL_TESTS_POWER_FIXTURE_H

#include <string.h>

#include "igt.h"
#include "board/iommu.h"
#include "board/kmsg_watch.h"
#include "board/power.h"
#include "rocket/rocket.h"

/* What a binary needs before its first subtest (flags). */
#define POWER_FIXTURE_CLK_SUMMARY	(1u << 0)	/* debugfs clk_summary */
#define POWER_FIXTURE_GENPD_SUMMARY	(1u << 1)	/* debugfs pm_genpd_summary */
#define POWER_FIXTURE_RUNTIME_PM	(1u << 2)	/* core 0's power/ in sysfs */
#define POWER_FIXTURE_ALL_CORES		(1u << 3)	/* every core, not core 0 only */
#define POWER_FIXTURE_KMSG		(1u << 4)	/* start a kernel-log watch */

/* IOMMU lines are judged by tests/iommu (lib/board/iommu.h), not here. */
#define POWER_IOMMU_LINES \
	IOMMU_RE_HANDSHAKE "|" IOMMU_RE_FAULT_REPORT "|" IOMMU_RE_BUS_ERROR

/* "fde40000.npu": a unit address and a node name (rk3568.dtsi). */
#define POWER_DEV_NAME_MAX	48

struct power_fixture {
	struct rocket_soc_info soc;
	unsigned int nr_devs;			/* 1, or every core */
	char devs[ROCKET_MAX_CORES][POWER_DEV_NAME_MAX];
	struct kmsg_watch kw;
	bool kw_started;			/* the log is readable */
};

/* A debugfs summary the binary parses must be readable. */
static inline void power_fixture_require_file(const char *path)
{
	char probe[8];
	int ret = (int)plat_read_file(path, probe, sizeof(probe));

	igt_require_f(ret >= 0, "%s not readable (%s): debugfs not mounted or CONFIG_DEBUG_FS off\n",
		      path, strerror(-ret));
}

/*
 * Identify the NPU, name its cores' devices, check what @needs asks for
 * and record their power settings for restore.  @no_kmsg: the warning
 * printed when POWER_FIXTURE_KMSG is asked and the log is not readable.
 */
static inline void power_fixture_setup(struct power_fixture *pf,
				       unsigned int needs, const char *no_kmsg)
{
	int ret;

	memset(pf, 0, sizeof(*pf));
	ret = rocket_identify_soc(&pf->soc);
	igt_require_f(ret == 0, "NPU SoC not identified: %s\n", strerror(-ret));
	pf->nr_devs = (needs & POWER_FIXTURE_ALL_CORES) ? pf->soc.num_cores : 1;
	for (unsigned int c = 0; c < pf->nr_devs; c++)
		igt_assert_eq(power_core_name(pf->soc.core_base[c], pf->devs[c],
					      sizeof(pf->devs[c])), 0);
	if (needs & POWER_FIXTURE_CLK_SUMMARY)
		power_fixture_require_file(POWER_CLK_SUMMARY);
	if (needs & POWER_FIXTURE_GENPD_SUMMARY)
		power_fixture_require_file(POWER_GENPD_SUMMARY);
	if (needs & POWER_FIXTURE_RUNTIME_PM) {
		struct power_rpm rpm;

		ret = power_rpm_read(pf->devs[0], &rpm);
		igt_require_f(ret == 0, "%s/%s/power not readable (%s): no runtime PM in sysfs\n",
			      POWER_PLATFORM_DEVICES, pf->devs[0], strerror(-ret));
	}
	for (unsigned int c = 0; c < pf->nr_devs; c++) {
		ret = power_restore_on_exit(pf->devs[c]);
		igt_require_f(ret == 0, "%s power settings unreadable: %s\n",
			      pf->devs[c], strerror(-ret));
	}
	if (needs & POWER_FIXTURE_KMSG) {
		pf->kw_started = kmsg_watch_start(&pf->kw) == 0;
		if (!pf->kw_started)
			igt_warn("%s", no_kmsg);
	}
}

/* Restore the recorded settings now and stop the log watch. */
static inline void power_fixture_teardown(struct power_fixture *pf)
{
	power_restore_now();
	if (pf->kw_started)
		kmsg_watch_stop(&pf->kw);
}

#endif /* RKVAL_TESTS_POWER_FIXTURE_H */
