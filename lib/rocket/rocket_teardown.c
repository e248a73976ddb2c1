// SPDX-License-Identifier: MIT
/*
 * rocket_teardown.c — the verifying teardown of every subtest that runs
 * with the device open, as the kernel's iommufd selftests verify theirs
 * (teardown_iommufd(): every page refcount must be back to normal).
 *
 * When a subtest starts it records three things the kernel owns; when its
 * body has passed it compares them and fails it with verdict "teardown"
 * naming what changed:
 *  - the kernel taint (/proc/sys/kernel/tainted, Documentation/admin-guide/
 *    tainted-kernels.rst): a WARN sets TAINT_WARN (bit 9).  A subtest that
 *    provokes a WARN on purpose says so with rocket_expect_taint();
 *  - each core's runtime-PM usage count (power/runtime_usage, sysfs-
 *    devices-power ABI; only with CONFIG_PM_ADVANCED_DEBUG, so a board
 *    without it skips this part silently).  power/control = "on" holds
 *    one reference by design (pm_runtime_forbid(), runtime.c), which the
 *    power tests set and restore: it is taken out of the count.  A job
 *    still running holds one until it ends, so a higher count is re-read
 *    for up to the bad-job wait before it is called a leak;
 *  - the BOs open on each file rocket_open_device() opened and the
 *    subtest left open: every GEM handle up to the highest one the file
 *    was given is probed with PREP_BO at a deadline already past, which
 *    only looks the handle up (-ENOENT when it is gone, rocket_gem.c) and
 *    never waits.
 * Registered with the harness (igt_subtest_check_add()) by the first
 * rocket_open_device(), so every test binary gets it without a line of
 * its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "board/power.h"
#include "platform/mono_time.h"
#include "rocket/rocket.h"

/* Documentation/admin-guide/tainted-kernels.rst; procfs sysctl kernel.tainted. */
#define TEARDOWN_TAINT_FILE	"/proc/sys/kernel/tainted"
/* drivers/base/power/sysfs.c, CONFIG_PM_ADVANCED_DEBUG: usage_count. */
#define TEARDOWN_RPM_USAGE	"runtime_usage"
#define TEARDOWN_RPM_CONTROL	"control"
/* Files of one process a subtest may keep open at once; more are not checked. */
#define TEARDOWN_MAX_FILES	8
/* Handles probed per file: rkval's tests create a few dozen at most. */
#define TEARDOWN_MAX_HANDLES	1024
#define TEARDOWN_POLL_MS	10

struct teardown_file {
	int fd;			/* -1: slot free */
	unsigned int generation;	/* new at every open of the fd number */
	uint32_t max_handle;	/* highest handle CREATE_BO gave this file */
};

struct teardown_snapshot {
	bool taint_known;
	unsigned long taint;
	int rpm_held[ROCKET_MAX_CORES];		/* -1: unknown */
	unsigned int generation[TEARDOWN_MAX_FILES];	/* 0: slot free */
	unsigned int nr_bos[TEARDOWN_MAX_FILES];
	bool bos_known[TEARDOWN_MAX_FILES];
};

static struct teardown_file files[TEARDOWN_MAX_FILES];
static unsigned int next_generation = 1;
static unsigned int nr_cores;
static char core_names[ROCKET_MAX_CORES][48];
static bool cores_known;
static struct teardown_snapshot at_start;
static bool taint_expected;

static bool read_ulong(const char *path, unsigned long *value)
{
	char buf[64], *end;
	ssize_t n = plat_read_file(path, buf, sizeof(buf));

	if (n <= 0)
		return false;
	errno = 0;
	*value = strtoul(buf, &end, 10);
	return !errno && end != buf;
}

/* Usage count minus power/control = "on"'s own reference; -1 if unknown. */
static int rpm_held(const char *dev)
{
	char path[160], control[16] = "";
	unsigned long usage;

	snprintf(path, sizeof(path), "%s/%s/power/" TEARDOWN_RPM_USAGE,
		 POWER_PLATFORM_DEVICES, dev);
	if (!read_ulong(path, &usage))
		return -1;
	snprintf(path, sizeof(path), "%s/%s/power/" TEARDOWN_RPM_CONTROL,
		 POWER_PLATFORM_DEVICES, dev);
	if (plat_read_file(path, control, sizeof(control)) <= 0)
		return -1;
	if (!strncmp(control, "on", 2) && usage > 0)
		usage--;
	return (int)usage;
}

/* Does handle exist on fd?  1 yes, 0 no, -errno when fd is unusable. */
static int handle_exists(int fd, uint32_t handle)
{
	/* timeout_ns 0: a deadline long past, PREP_BO only looks up and polls. */
	struct drm_rocket_prep_bo args = { .handle = handle, .timeout_ns = 0 };
	/* The seam itself, not rocket_bo.c's wrapper, which reports to us. */
	int ret = plat_ioctl(fd, DRM_IOCTL_ROCKET_PREP_BO, &args) < 0 ? -errno : 0;

	if (ret >= 0 || ret == -EBUSY || ret == -ETIMEDOUT)
		return 1;
	if (ret == -ENOENT)
		return 0;
	return ret;
}

/* Open BOs of file i, or -1 when its fd no longer answers. */
static int count_bos(unsigned int i)
{
	uint32_t max = files[i].max_handle;
	int count = 0;

	if (max > TEARDOWN_MAX_HANDLES)
		max = TEARDOWN_MAX_HANDLES;
	for (uint32_t h = 1; h <= max; h++) {
		int ret = handle_exists(files[i].fd, h);

		if (ret < 0)
			return -1;
		count += ret;
	}
	return count;
}

static void find_cores(void)
{
	struct rocket_soc_info soc;

	cores_known = true;
	if (rocket_identify_soc(&soc))
		return;
	for (unsigned int c = 0; c < soc.num_cores && c < ROCKET_MAX_CORES; c++)
		if (power_core_name(soc.core_base[c], core_names[nr_cores],
				    sizeof(core_names[0])) == 0)
			nr_cores++;
}

static void snapshot(struct teardown_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->taint_known = read_ulong(TEARDOWN_TAINT_FILE, &s->taint);
	if (!cores_known)
		find_cores();
	for (unsigned int c = 0; c < ROCKET_MAX_CORES; c++)
		s->rpm_held[c] = c < nr_cores ? rpm_held(core_names[c]) : -1;
	for (unsigned int i = 0; i < TEARDOWN_MAX_FILES; i++) {
		int n;

		if (files[i].fd < 0)
			continue;
		s->generation[i] = files[i].generation;
		n = count_bos(i);
		s->bos_known[i] = n >= 0;
		s->nr_bos[i] = n >= 0 ? (unsigned int)n : 0;
	}
}

static void teardown_begin(void)
{
	taint_expected = false;
	snapshot(&at_start);
}

/* A count above the start may be a job still running: re-read a while. */
static int rpm_settled(unsigned int c, int start)
{
	int64_t deadline = mono_time_ms() + ROCKET_BAD_JOB_WAIT_MS;
	int now = rpm_held(core_names[c]);

	while (now > start && mono_time_ms() < deadline) {
		mono_sleep_ms(TEARDOWN_POLL_MS);
		now = rpm_held(core_names[c]);
	}
	return now;
}

static void teardown_end(void)
{
	char facts[768] = "";
	size_t len = 0;
	unsigned long taint;

	if (at_start.taint_known && read_ulong(TEARDOWN_TAINT_FILE, &taint) &&
	    (taint & ~at_start.taint)) {
		if (taint_expected)
			igt_info("kernel taint %lu -> %lu, as the subtest expected\n",
				 at_start.taint, taint);
		else
			len += snprintf(facts + len, sizeof(facts) - len,
					"%skernel taint %lu -> %lu (a WARN or worse nobody expected)",
					len ? "; " : "", at_start.taint, taint);
	}
	for (unsigned int c = 0; c < nr_cores && len < sizeof(facts); c++) {
		int start = at_start.rpm_held[c], now;

		if (start < 0)
			continue;
		now = rpm_settled(c, start);
		if (now > start)
			len += snprintf(facts + len, sizeof(facts) - len,
					"%s%s runtime-PM usage %d -> %d (a reference never put)",
					len ? "; " : "", core_names[c], start, now);
	}
	for (unsigned int i = 0; i < TEARDOWN_MAX_FILES && len < sizeof(facts); i++) {
		int now;

		if (!at_start.generation[i] || !at_start.bos_known[i] ||
		    files[i].fd < 0 || files[i].generation != at_start.generation[i])
			continue;
		now = count_bos(i);
		if (now > (int)at_start.nr_bos[i])
			len += snprintf(facts + len, sizeof(facts) - len,
					"%sfd %d: %d BO(s) open, %u at the start",
					len ? "; " : "", files[i].fd, now,
					at_start.nr_bos[i]);
	}
	if (len)
		igt_fail_verdict(VERDICT_TEARDOWN, "%s", facts);
}

static const struct igt_subtest_check teardown_check = {
	.begin = teardown_begin,
	.end = teardown_end,
};

void rocket_expect_taint(void)
{
	taint_expected = true;
}

void rocket_teardown_file_opened(int fd)
{
	static bool registered;
	int free_slot = -1;

	if (!registered) {
		for (unsigned int i = 0; i < TEARDOWN_MAX_FILES; i++)
			files[i].fd = -1;
		igt_subtest_check_add(&teardown_check);
		registered = true;
	}
	for (unsigned int i = 0; i < TEARDOWN_MAX_FILES; i++) {
		/* A number closed behind lib/rocket's back and opened again. */
		if (files[i].fd == fd || (files[i].fd < 0 && free_slot < 0)) {
			free_slot = (int)i;
			if (files[i].fd == fd)
				break;
		}
	}
	if (free_slot < 0)
		return;
	files[free_slot] = (struct teardown_file) {
		.fd = fd,
		.generation = next_generation++,
	};
}

void rocket_teardown_file_closed(int fd)
{
	for (unsigned int i = 0; i < TEARDOWN_MAX_FILES; i++)
		if (files[i].fd == fd && fd >= 0)
			files[i].fd = -1;
}

void rocket_teardown_handle_created(int fd, uint32_t handle)
{
	for (unsigned int i = 0; i < TEARDOWN_MAX_FILES; i++)
		if (files[i].fd == fd && handle > files[i].max_handle)
			files[i].max_handle = handle;
}
