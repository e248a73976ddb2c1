// SPDX-License-Identifier: MIT
/*
 * vnpu_lifetime.c — object lifetimes in vnpu, each a defect a sanitizer
 * run once found (issue 10):
 *  - a file's IOMMU domain freed while a core still had it attached (the
 *    rfc/next profiles keep the domain after the last job, RFC 5/9): the
 *    next runtime resume re-enabled the MMU with the freed directory;
 *  - GEM_CLOSE of a BO a running job holds, then close(): the BO was put
 *    once by each, dropping the job's reference;
 *  - the per-core worker threads were never joined at exit.
 * Each check below fails on the code before its fix (model state seen
 * through vnpu_introspect.h and the MMU registers, not by luck of the heap).
 */
#include <dirent.h>
#include <fcntl.h>

#include "vnpu/vnpu_hw.h"
#include "vnpu/vnpu_introspect.h"
#include "vnpu_unit.h"

#define DPU_ONLY_OP_EN	0x18	/* completes with DPU_0 */
#define PPU_ONLY_OP_EN	0x60	/* no DPU interrupt: ends by the 500 ms timeout */
/* The job timeout plus generous slack for a loaded CI machine. */
#define AFTER_TIMEOUT_MS	900

static void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000l };

	nanosleep(&ts, NULL);
}

/* One single-task job reading cmd and writing out; returns SUBMIT's result. */
static int submit_cmd(int fd, uint32_t op_en, struct drm_rocket_create_bo *cmd,
		      struct drm_rocket_create_bo *out)
{
	uint64_t *p;
	uint32_t n;

	bo_create(fd, 4096, cmd);
	bo_create(fd, 4096, out);
	p = bo_map(fd, cmd, 4096);
	n = build_task(p, 8, op_en);
	plat_munmap(p, 4096);
	return submit1(fd, (uint32_t)cmd->dma_address, n, &cmd->handle, 1,
		       &out->handle, 1);
}

/* Core 0's runtime PM files on the SoC the scenario booted. */
static const char *core0_power(const char *file)
{
	static char path[128];
	const char *core0 = strcmp(vnpu_introspect_soc(), "rk3588") ?
			    "fde40000.npu" : "fdab0000.npu";

	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/power/%s", core0, file);
	return path;
}

static void sc_domain_freed_while_attached(bool kept)
{
	struct drm_rocket_create_bo cmd, out;
	struct vnpu_introspect_core c;
	int fd = vopen();

	EQ(0, submit_cmd(fd, DPU_ONLY_OP_EN, &cmd, &out), "submit a DPU-only job");
	CHECK(prep_bo(fd, out.handle, mono_ns() + 2000000000ll) >= 0, "job done");
	vnpu_introspect_core(0, &c);
	EQ(kept, c.iommu_attached, "domain still attached after the job (profile)");
	plat_close(fd);
	vnpu_introspect_core(0, &c);
	EQ(0, vnpu_introspect_live_domains(), "closing the file frees its domain");
	EQ(0, c.iommu_attached, "no core points at the freed domain");
	/*
	 * Let the core autosuspend (50 ms), then resume it by hand: the
	 * resume path is where the freed domain was read (under
	 * SANITIZE=1, a heap-use-after-free report).
	 */
	msleep(120);
	EQ(0, plat_write_file(core0_power("control"), "on"), "resume the core (control on)");
	vnpu_introspect_core(0, &c);
	EQ(0, c.iommu_attached, "still no domain attached after the resume");
	plat_write_file(core0_power("control"), "auto");
	/* A new file's job still runs: the model is intact. */
	fd = vopen();
	EQ(0, submit_cmd(fd, DPU_ONLY_OP_EN, &cmd, &out), "submit on a new file");
	CHECK(prep_bo(fd, out.handle, mono_ns() + 2000000000ll) >= 0,
	      "the new file's job completes");
	vnpu_introspect_core(0, &c);
	EQ(2, c.jobs_done, "two jobs done");
	plat_close(fd);
}

static void sc_domain_kept(void)
{
	sc_domain_freed_while_attached(true);
}

static void sc_domain_per_job(void)
{
	sc_domain_freed_while_attached(false);
}

static void sc_gem_close_busy(void)
{
	struct drm_rocket_create_bo cmd, out;
	struct vnpu_introspect_core c;
	struct drm_gem_close gc = { 0 };
	int fd = vopen();

	EQ(0, submit_cmd(fd, PPU_ONLY_OP_EN, &cmd, &out), "submit a job that never interrupts");
	gc.handle = out.handle;
	EQ(0, vioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc), "GEM_CLOSE of the busy out BO");
	EQ(2, vnpu_introspect_live_bos(), "the job keeps the closed BO alive");
	plat_close(fd);
	EQ(2, vnpu_introspect_live_bos(),
	   "closing the fd leaves both BOs to the job (no second put)");
	msleep(AFTER_TIMEOUT_MS);
	vnpu_introspect_core(0, &c);
	EQ(1, c.jobs_timed_out, "the job timed out");
	EQ(0, vnpu_introspect_live_bos(), "the job's end frees both BOs");
	EQ(0, vnpu_introspect_live_domains(), "and the domain");
}

static int count_tasks(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Threads before the model booted: 1, or more under an emulator (qemu-user). */
static int tasks_before_boot;

/*
 * Registered before the model boots, so it runs after the model's handler.
 * A joined thread may linger in /proc for a moment under qemu-user (the
 * host thread is still exiting): up to a second is allowed; an unjoined
 * worker never leaves.
 */
static void threads_left_at_exit(void)
{
	int n = count_tasks();

	for (int i = 0; i < 100 && n != tasks_before_boot; i++) {
		msleep(10);
		n = count_tasks();
	}
	EQ(tasks_before_boot, n,
	   "only the threads from before the boot are left once exit handlers ran");
}

static void register_thread_check(void)
{
	tasks_before_boot = count_tasks();
	atexit(threads_left_at_exit);
}

static void sc_workers_joined(void)
{
	struct drm_rocket_create_bo cmd, out;
	int fd = vopen();

	EQ(tasks_before_boot + 3, count_tasks(), "three core workers while running");
	EQ(0, submit_cmd(fd, DPU_ONLY_OP_EN, &cmd, &out), "submit a job");
	CHECK(prep_bo(fd, out.handle, mono_ns() + 2000000000ll) >= 0, "job done");
	plat_close(fd);
	exit(0);
}

int main(void)
{
	vnpu_scenario("domain kept rfc", "vnpu:rk3568", "rfc", "", sc_domain_kept);
	vnpu_scenario("domain kept next", "vnpu:rk3568", "next", "", sc_domain_kept);
	vnpu_scenario("domain per job mainline", "vnpu:rk3588", "mainline", "",
		      sc_domain_per_job);
	vnpu_scenario("gem-close busy next", "vnpu:rk3568", "next", "", sc_gem_close_busy);
	vnpu_scenario("gem-close busy mainline", "vnpu:rk3588", "mainline", "",
		      sc_gem_close_busy);
	vnpu_scenario_before_boot = register_thread_check;
	vnpu_scenario("workers joined rk3588", "vnpu:rk3588", "", "", sc_workers_joined);
	vnpu_scenario_before_boot = NULL;
	return unit_done();
}
