// SPDX-License-Identifier: MIT
/*
 * vnpu_rules.c — kernel rules vnpu once did not enforce (issue 10):
 *  - drm_sched times a job out 500 ms after run_job whatever the job does
 *    (drivers/accel/rocket/rocket_job.c JOB_TIMEOUT_MS): a job whose tasks
 *    keep the core busy, in many short executor runs or in one long one,
 *    is timed out and reset like a job that never interrupts;
 *  - a job listing one BO twice is dropped: drm_gem_lock_reservations()
 *    locks it twice in one ww_acquire_ctx, the second lock gives -EALREADY
 *    (kernel/locking/mutex.c), which rocket_ioctl_submit() then ignores;
 *  - autosuspend_delay_ms takes kstrtol() values that fit an int, else
 *    -EINVAL (drivers/base/power/sysfs.c autosuspend_delay_ms_store()).
 * Executors here are the test's own (vnpu_hw.h executor hook): a basic
 * executor that takes a chosen time per task.
 */
#include <fcntl.h>

#include "vnpu/vnpu_hw.h"
#include "vnpu/vnpu_introspect.h"
#include "vnpu_unit.h"

#define PWR	"/sys/bus/platform/devices/fde40000.npu/power/"
#define DPU_ONLY_OP_EN	0x18	/* completes with DPU_0 */
#define JOB_TIMEOUT_MS	500	/* rocket_job.c JOB_TIMEOUT_MS */
/* How late a timed-out job may end: one executor slice plus CI slack. */
#define TIMEOUT_SLACK_MS	250
#define SLICE_MS	10

static unsigned int task_ms;	/* time each task of the slow executor takes */
static bool stops_at_timeout;	/* it asks vnpu_core_job_expired() */

static void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000l };

	nanosleep(&ts, NULL);
}

/*
 * The basic executor after task_ms of "work" in SLICE_MS slices.  With
 * stops_at_timeout it stops, like the pipeline, once the job's timeout
 * has passed; without, it completes every task it is given, so that only
 * the kernel model can time the job out.
 */
static void slow_run(struct vnpu_core *core)
{
	for (unsigned int t = 0; t < task_ms; t += SLICE_MS) {
		if (stops_at_timeout && vnpu_core_job_expired(core))
			return;
		int64_t t0 = mono_ns();

		msleep(SLICE_MS);
		/*
		 * The sleep is this executor's NPU work, all of it (a loaded
		 * host oversleeps): its NPU time is the time it took.
		 */
		vnpu_core_model_busy(core, (uint64_t)(mono_ns() - t0));
	}
	vnpu_exec_basic.run(core);
}

static const struct vnpu_executor slow_exec = {
	.name = "slow",
	.run = slow_run,
};

/* One job of ntasks tasks that all run the same DPU-only regcmd. */
static int submit_tasks(int fd, unsigned int ntasks, struct drm_rocket_create_bo *out)
{
	struct drm_rocket_task *tasks = calloc(ntasks, sizeof(*tasks));
	struct drm_rocket_create_bo cmd;
	struct drm_rocket_job job = { 0 };
	struct drm_rocket_submit s = { 0 };
	uint64_t *p;
	uint32_t n;
	int ret;

	bo_create(fd, 4096, &cmd);
	bo_create(fd, 4096, out);
	p = bo_map(fd, &cmd, 4096);
	n = build_task(p, 8, DPU_ONLY_OP_EN);
	plat_munmap(p, 4096);
	for (unsigned int i = 0; i < ntasks; i++) {
		tasks[i].regcmd = cmd.dma_address;
		tasks[i].regcmd_count = n;
	}
	job.tasks = (uintptr_t)tasks;
	job.task_count = ntasks;
	job.task_struct_size = sizeof(*tasks);
	job.in_bo_handles = (uintptr_t)&cmd.handle;
	job.in_bo_handle_count = 1;
	job.out_bo_handles = (uintptr_t)&out->handle;
	job.out_bo_handle_count = 1;
	s.jobs = (uintptr_t)&job;
	s.job_count = 1;
	s.job_struct_size = sizeof(job);
	ret = vioctl(fd, DRM_IOCTL_ROCKET_SUBMIT, &s);
	free(tasks);
	return ret;
}

/*
 * A busy job of ntasks x ms: timed out, not completed later; it ends at
 * the timeout, or, when the executor does not stop, after the run that
 * crossed it (max_ms).
 */
static void busy_job(unsigned int ntasks, unsigned int ms, unsigned int max_ms)
{
	struct drm_rocket_create_bo out;
	struct vnpu_introspect_core c;
	int kfd = plat_kmsg_open();
	int fd = vopen();
	int64_t t0, took_ms;

	vnpu_set_executor(&slow_exec);
	task_ms = ms;
	t0 = mono_ns();
	EQ(0, submit_tasks(fd, ntasks, &out), "submit the job");
	CHECK(prep_bo(fd, out.handle, mono_ns() + 5000000000ll) >= 0, "the job ends");
	took_ms = (mono_ns() - t0) / 1000000;
	vnpu_introspect_core(0, &c);
	EQ(1, c.jobs_timed_out, "the job timed out");
	EQ(0, c.jobs_done, "and did not complete");
	CHECK(took_ms >= JOB_TIMEOUT_MS - 5 && took_ms <= max_ms + TIMEOUT_SLACK_MS,
	      "it ended by %u ms (%lld ms after submit)", max_ms + TIMEOUT_SLACK_MS,
	      (long long)took_ms);
	CHECK(kmsg_grep(kfd, "NPU job timed out", NULL, 0) == 1,
	      "one \"NPU job timed out\" line");
	EQ(1, c.resets, "one core reset");
	/* The core is usable again: a short job completes. */
	task_ms = 0;
	EQ(0, submit_tasks(fd, 2, &out), "submit a short job");
	CHECK(prep_bo(fd, out.handle, mono_ns() + 2000000000ll) >= 0, "it ends");
	vnpu_introspect_core(0, &c);
	EQ(1, c.jobs_done, "and completes");
	plat_close(fd);
	plat_close(kfd);
}

/* 1.2 s of tasks, each well under the timeout, none stopping early. */
static void sc_many_tasks(void)
{
	busy_job(60, 20, JOB_TIMEOUT_MS);
}

/* One run of 800 ms that completes: the kernel model still times it out. */
static void sc_one_long_task(void)
{
	busy_job(1, 800, 800);
}

/* One run that stops at the timeout, as the pipeline's MAC loop does. */
static void sc_one_long_task_stops(void)
{
	stops_at_timeout = true;
	busy_job(1, 1500, JOB_TIMEOUT_MS);
}

/* A job of many quick tasks under the timeout still completes. */
static void sc_many_quick_tasks(void)
{
	struct drm_rocket_create_bo out;
	struct vnpu_introspect_core c;
	int fd = vopen();

	vnpu_set_executor(&slow_exec);
	task_ms = SLICE_MS;
	EQ(0, submit_tasks(fd, 10, &out), "submit 10 tasks of 10 ms");
	CHECK(prep_bo(fd, out.handle, mono_ns() + 2000000000ll) >= 0, "the job ends");
	vnpu_introspect_core(0, &c);
	EQ(1, c.jobs_done, "it completes");
	EQ(0, c.jobs_timed_out, "no timeout");
	plat_close(fd);
}

/* Submit a DPU-only job with the given in/out handle lists. */
static int submit_lists(int fd, uint32_t regcmd, uint32_t n, uint32_t *in,
			uint32_t nin, uint32_t *out, uint32_t nout)
{
	return submit1(fd, regcmd, n, in, nin, out, nout);
}

static void sc_duplicate_bos(void)
{
	struct drm_rocket_create_bo cmd, a, b;
	struct vnpu_introspect_core c;
	uint32_t lists[3][2], *in, *out;
	uint64_t *p;
	uint32_t n;
	int fd = vopen();

	bo_create(fd, 4096, &cmd);
	bo_create(fd, 4096, &a);
	bo_create(fd, 4096, &b);
	p = bo_map(fd, &cmd, 4096);
	n = build_task(p, 8, DPU_ONLY_OP_EN);
	plat_munmap(p, 4096);
	/* out/out, in/out, in/in: each is a second lock of one reservation. */
	lists[0][0] = a.handle, lists[0][1] = a.handle;
	lists[1][0] = a.handle, lists[1][1] = a.handle;
	lists[2][0] = cmd.handle, lists[2][1] = cmd.handle;
	EQ(0, submit_lists(fd, (uint32_t)cmd.dma_address, n, &cmd.handle, 1,
			   lists[0], 2), "SUBMIT with one BO twice as output returns 0");
	in = &lists[1][0];
	out = &lists[1][1];
	EQ(0, submit_lists(fd, (uint32_t)cmd.dma_address, n, in, 1, out, 1),
	   "SUBMIT with one BO as input and output returns 0");
	EQ(0, submit_lists(fd, (uint32_t)cmd.dma_address, n, lists[2], 2, &b.handle, 1),
	   "SUBMIT with one BO twice as input returns 0");
	/* Nothing was queued: the BOs are idle at once and nothing ran. */
	EQ(1, prep_bo(fd, a.handle, 0), "the doubly listed BO is idle (no job fence)");
	EQ(1, prep_bo(fd, b.handle, 0), "the out BO of the in/in job is idle");
	msleep(50);
	vnpu_introspect_core(0, &c);
	EQ(0, c.jobs_done + c.jobs_timed_out, "no job ran");
	EQ(3, vnpu_introspect_live_bos(), "the dropped jobs hold no BO");
	/* The same BOs listed once each still make a job that runs. */
	EQ(0, submit_lists(fd, (uint32_t)cmd.dma_address, n, &cmd.handle, 1, &a.handle, 1),
	   "SUBMIT with distinct BOs");
	CHECK(prep_bo(fd, a.handle, mono_ns() + 2000000000ll) >= 0, "it ends");
	vnpu_introspect_core(0, &c);
	EQ(1, c.jobs_done, "and completes");
	plat_close(fd);
}

static const char *rd(const char *path)
{
	static char buf[64];

	if (plat_read_file(path, buf, sizeof(buf)) < 0)
		return "?";
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static void sc_autosuspend_int(void)
{
	static const struct {
		const char *text;
		int err;
		const char *shown;	/* value read back after the write */
	} cases[] = {
		{ "2147483647", 0, "2147483647" },
		{ "2147483648", -EINVAL, "2147483647" },
		{ "-2147483648", 0, "-2147483648" },
		{ "-2147483649", -EINVAL, "-2147483648" },
		{ "99999999999999999999", -EINVAL, "-2147483648" },
		{ "+70\n", 0, "70" },
		{ " 60", -EINVAL, "70" },
		{ "60 ", -EINVAL, "70" },
		{ "60\n\n", -EINVAL, "70" },
		{ "0x10", -EINVAL, "70" },
		{ "", -EINVAL, "70" },
		{ "-", -EINVAL, "70" },
		{ "50", 0, "50" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = plat_write_file(PWR "autosuspend_delay_ms", cases[i].text);

		CHECK(ret == cases[i].err, "write \"%s\" gives %d (seen %d)",
		      cases[i].text, cases[i].err, ret);
		CHECK(!strcmp(rd(PWR "autosuspend_delay_ms"), cases[i].shown),
		      "then reads %s (seen %s)", cases[i].shown,
		      rd(PWR "autosuspend_delay_ms"));
	}
}

int main(void)
{
	vnpu_scenario("timeout many tasks", "vnpu:rk3568", "", "", sc_many_tasks);
	vnpu_scenario("timeout one long task", "vnpu:rk3568", "", "", sc_one_long_task);
	vnpu_scenario("timeout one long task that stops", "vnpu:rk3568", "", "",
		      sc_one_long_task_stops);
	vnpu_scenario("quick tasks complete", "vnpu:rk3568", "", "", sc_many_quick_tasks);
	vnpu_scenario("timeout many tasks mainline", "vnpu:rk3588", "mainline", "",
		      sc_many_tasks);
	vnpu_scenario("duplicate bos next", "vnpu:rk3568", "next", "", sc_duplicate_bos);
	vnpu_scenario("duplicate bos rfc", "vnpu:rk3568", "rfc", "", sc_duplicate_bos);
	vnpu_scenario("duplicate bos mainline", "vnpu:rk3588", "mainline", "",
		      sc_duplicate_bos);
	vnpu_scenario("autosuspend int", "vnpu:rk3568", "", "", sc_autosuspend_int);
	return unit_done();
}
