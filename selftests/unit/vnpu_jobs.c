// SPDX-License-Identifier: MIT
/*
 * vnpu_jobs.c — job execution in vnpu: completion through the basic
 * executor with a hand-built regcmd task, the kernel's hw_submit register
 * writes (rocket_job.c hw_submit), PREP_BO's absolute-timeout semantics
 * (rocket_job.c, rocket_gem.c validation), implicit sync (rocket_job.c, rocket_gem.c validation), the 500 ms timeout and reset with each
 * kernel profile's log lines and IOMMU order (rocket_job.c timeout), IOMMU attach per job
 * vs kept (rocket_drv.c, rocket_job.c domains, RFC 5/9) and the RK3588's three cores.
 */
#include <fcntl.h>
#include <pthread.h>

#include "vnpu/vnpu_hw.h"
#include "vnpu/vnpu_introspect.h"
#include "vnpu_unit.h"

#define NPU_RK3568	0xfde40000ull
#define DPU_ONLY_OP_EN	0x18	/* DPU | DPU_RDMA (Mesa registers.xml PC, RK3588 TRM ch. 36) */
#define PPU_ONLY_OP_EN	0x60	/* no DPU interrupt: ends by timeout (rocket_job.c) */

struct job_env {
	int fd;
	struct drm_rocket_create_bo cmd, out;
	uint32_t count;
};

static void job_env_init(struct job_env *e, int fd, uint32_t op_en)
{
	uint64_t *p;

	e->fd = fd;
	bo_create(fd, 4096, &e->cmd);
	bo_create(fd, 4096, &e->out);
	p = bo_map(fd, &e->cmd, 4096);
	e->count = build_task(p, 16, op_en);
	plat_munmap(p, 4096);
}

static int job_env_submit(struct job_env *e)
{
	return submit1(e->fd, (uint32_t)e->cmd.dma_address, e->count,
		       &e->cmd.handle, 1, &e->out.handle, 1);
}

static uint32_t reg(uint64_t phys)
{
	uint32_t v = 0xdeadbeef;

	plat_reg_read32(phys, &v);
	return v;
}

static void sc_complete(void)
{
	struct vnpu_introspect_core c;
	struct job_env e;
	int fd = vopen();

	/* Keep the core powered so registers stay readable after the job. */
	plat_write_file("/sys/bus/platform/devices/fde40000.npu/power/control", "on");
	job_env_init(&e, fd, DPU_ONLY_OP_EN);
	EQ(0, job_env_submit(&e), "submit a DPU-only task");
	CHECK(prep_bo(fd, e.out.handle, mono_ns() + 2000000000ll) >= 0,
	      "PREP_BO on the out BO returns once the job is done");
	vnpu_introspect_core(0, &c);
	EQ(1, c.jobs_done, "one job done");
	EQ(0, c.jobs_timed_out, "no timeout");
	EQ(e.count * 8, c.dma_bytes[VNPU_DMA_COMMAND], "PC fetched every regcmd entry");
	/* What hw_submit and the IRQ thread left in the registers (Mesa registers.xml DPU_RDMA, rocket_job.c completion). */
	EQ(e.cmd.dma_address, reg(NPU_RK3568 + REG_PC_BASE_ADDRESS), "PC BASE_ADDRESS = regcmd");
	EQ(0x7001, reg(NPU_RK3568 + REG_PC_TASK_CON), "PC TASK_CON = 0x7001");
	EQ(0, reg(NPU_RK3568 + REG_PC_TASK_DMA_BASE_ADDR), "PC TASK_DMA_BASE_ADDR = 0");
	EQ(0, reg(NPU_RK3568 + REG_PC_OPERATION_ENABLE), "PC OPERATION_ENABLE back to 0");
	EQ(0, reg(NPU_RK3568 + REG_PC_INTERRUPT_MASK), "PC INTERRUPT_MASK = 0 (hard IRQ)");
	EQ(0, reg(NPU_RK3568 + REG_PC_INTERRUPT_RAW_STATUS), "PC INTERRUPT_RAW_STATUS cleared (0x1ffff)");
	EQ(0xe, reg(NPU_RK3568 + REG_CORE_S_POINTER), "CORE S_POINTER = 0xe on core 0");
	EQ(DPU_ONLY_OP_EN, reg(NPU_RK3568 + NPU_GLOBAL_MMIO(REG_GLOBAL_OPERATION_ENABLE)),
	   "op_en broadcast reached GLOBAL");
	EQ(1, reg(NPU_RK3568 + REG_DPU_OPERATION_ENABLE), "and DPU OPERATION_ENABLE");
	EQ(0x100 + 5, reg(NPU_RK3568 + 0x4010 + 4 * 5), "regcmd register writes applied");
	plat_close(fd);
}

static void sc_prep_timeouts(void)
{
	struct job_env e;
	int fd = vopen(), kfd = plat_kmsg_open();
	int64_t t0;
	int ret;
	char line[512] = "";

	job_env_init(&e, fd, PPU_ONLY_OP_EN);
	EQ(0, job_env_submit(&e), "submit a task without DPU interrupt");
	/* An absolute deadline already passed = zero timeout: EBUSY (Mesa registers.xml PC, RK3588 TRM ch. 36). */
	EQ(-EBUSY, prep_bo(fd, e.out.handle, mono_ns() - 1), "past deadline on a busy BO: EBUSY");
	EQ(-EBUSY, prep_bo(fd, e.out.handle, 0), "timeout 0 on a busy BO: EBUSY");
	t0 = mono_ns();
	EQ(-ETIMEDOUT, prep_bo(fd, e.out.handle, t0 + 100000000), "100 ms wait: ETIMEDOUT");
	CHECK(mono_ns() - t0 >= 100000000, "waited the full 100 ms");
	/* The input BO carries no fence: PREP_BO waits on writers only. */
	CHECK(prep_bo(fd, e.cmd.handle, 0) >= 0, "in-only BO is idle while the job runs");
	ret = prep_bo(fd, e.out.handle, t0 + 3000000000ll);
	CHECK(ret >= 0, "the job ends by the 500 ms timeout (ret %d)", ret);
	CHECK(mono_ns() - t0 >= 450000000, "not before ~500 ms (%lld ms)",
	      (long long)(mono_ns() - t0) / 1000000);
	CHECK(kmsg_grep(kfd, "rocket fde40000.npu: NPU job timed out", line, sizeof(line)),
	      "kmsg: NPU job timed out [%s]", line);
	plat_close(kfd);
	plat_close(fd);
}

/*
 * The counters summed over every core: mainline runs on vnpu:rk3588 (it
 * has no RK3568 NPU), where a job may land on any of three cores.
 */
static void introspect_all(struct vnpu_introspect_core *sum)
{
	struct vnpu_introspect_core c;

	memset(sum, 0, sizeof(*sum));
	for (unsigned int i = 0; !vnpu_introspect_core(i, &c); i++) {
		sum->jobs_timed_out += c.jobs_timed_out;
		sum->resets += c.resets;
		sum->jobs_done += c.jobs_done;
		sum->iommu_attaches += c.iommu_attaches;
		sum->iommu_detaches += c.iommu_detaches;
	}
}

/* Timeout, then a good job: the log and the IOMMU order per profile. */
static void timeout_then_good(bool expect_warn)
{
	struct vnpu_introspect_core c;
	struct job_env bad, good;
	int fd = vopen(), kfd = plat_kmsg_open();
	char tainted[32] = "";
	int warn;

	job_env_init(&bad, fd, PPU_ONLY_OP_EN);
	job_env_init(&good, fd, DPU_ONLY_OP_EN);
	EQ(0, job_env_submit(&bad), "submit the hanging job");
	EQ(0, job_env_submit(&good), "submit a good job behind it");
	CHECK(prep_bo(fd, good.out.handle, mono_ns() + 3000000000ll) >= 0,
	      "the good job completes after the reset");
	/* On rk3588 the good job may run on another core: wait for both. */
	CHECK(prep_bo(fd, bad.out.handle, mono_ns() + 3000000000ll) >= 0,
	      "the hanging job ends by the timeout");
	introspect_all(&c);
	EQ(1, c.jobs_timed_out, "one timeout");
	EQ(1, c.resets, "one reset");
	EQ(1, c.jobs_done, "one job done");
	CHECK(kmsg_grep(kfd, "NPU job timed out", NULL, 0) == 1, "one timeout line");
	plat_close(kfd);
	plat_read_file("/proc/sys/kernel/tainted", tainted, sizeof(tainted));
	warn = vnpu_introspect_warn_count();
	if (expect_warn) {
		EQ(1, warn, "mainline: detaching a wedged master WARNs once");
		CHECK(atoi(tainted) & 512, "taint W set (%s)", tainted);
	} else {
		EQ(0, warn, "reset before detach: no WARN");
		EQ(0, atoi(tainted), "not tainted");
	}
	plat_close(fd);
}

/*
 * A hang that leaves an AXI transaction outstanding (vnpu.h bus_wedged):
 * the executor before it runs the task, then wedges the bus if the task
 * raised no DPU interrupt.
 */
static const struct vnpu_executor *unwedged_exec;

static void wedge_run(struct vnpu_core *core)
{
	unwedged_exec->run(core);
	if (!(vnpu_reg_get(core, REG_PC_INTERRUPT_RAW_STATUS) &
	      (NPU_PC_IRQ(DPU_0) | NPU_PC_IRQ(DPU_1))))
		vnpu_core_wedge_bus(core);
}

static const struct vnpu_executor wedge_exec = { "wedge", wedge_run };

static void wedge_hangs(bool on)
{
	if (on) {
		unwedged_exec = vnpu_get_executor();
		vnpu_set_executor(&wedge_exec);
	} else {
		vnpu_set_executor(unwedged_exec);
	}
}

/* Mainline, a hang that wedges the master: the detach before reset stalls and WARNs. */
static void sc_timeout_mainline(void)
{
	int kfd = plat_kmsg_open();
	char l1[512] = "";

	wedge_hangs(true);
	timeout_then_good(true);
	CHECK(kmsg_grep(kfd, "Enable stall request timed out", l1, sizeof(l1)) >= 1,
	      "rk_iommu stall timeout logged [%s]", l1);
	wedge_hangs(false);
	plat_close(kfd);
}

/* Mainline, a PPU-only hang that leaves the bus idle: detach first is harmless. */
static void sc_timeout_mainline_idle(void)
{
	int kfd = plat_kmsg_open();

	timeout_then_good(false);
	EQ(0, kmsg_grep(kfd, "Enable stall request timed out", NULL, 0),
	   "no stall timeout: the master was idle");
	plat_close(kfd);
}

static void sc_timeout_rfc(void)
{
	timeout_then_good(false);
}

/*
 * Does the record have the arm64 splat line that starts with prefix, at
 * level 4 (KERN_WARNING / the default level, arch/arm64 __show_regs)?
 */
static void splat_line_at_warning(const char *rec, const char *prefix,
				  bool *seen, bool *level4)
{
	const char *text = strchr(rec, ';');

	if (!text || strncmp(text + 1, prefix, strlen(prefix)))
		return;
	*seen = true;
	*level4 = *level4 && atoi(rec) % 8 == 4;
}

/* The kmsg order of a mainline timeout: timed out, stall, WARNING, iommu.c:157. */
static void sc_timeout_mainline_lines(void)
{
	static const char *const real_lines[] = {
		"Workqueue: rocket-reset-", "pstate: ", "lr : ", "sp : ",
		"x29: ", "x8 : ", "x2 : ",
	};
	bool seen[7] = { false }, level4[7] = { true, true, true, true, true, true, true };
	struct job_env bad;
	int fd = vopen(), kfd = plat_kmsg_open();
	char rec[1024], all[16384] = "";
	ssize_t n;
	char *a, *b, *c;

	wedge_hangs(true);
	job_env_init(&bad, fd, PPU_ONLY_OP_EN);
	job_env_submit(&bad);
	prep_bo(fd, bad.out.handle, mono_ns() + 3000000000ll);
	wedge_hangs(false);
	while ((n = plat_read(kfd, rec, sizeof(rec) - 1)) > 0) {
		rec[n] = '\0';
		strncat(all, rec, sizeof(all) - strlen(all) - 1);
		for (unsigned int i = 0; i < 7; i++)
			splat_line_at_warning(rec, real_lines[i], &seen[i], &level4[i]);
	}
	for (unsigned int i = 0; i < 7; i++)
		CHECK(seen[i] && level4[i], "splat has a '%s' line at level 4", real_lines[i]);
	a = strstr(all, "NPU job timed out");
	b = strstr(all, ".iommu: Enable stall request timed out, status: 0x");
	c = strstr(all, "WARNING: CPU: 0 PID: 1 at drivers/iommu/iommu.c:157 __iommu_group_set_core_domain");
	CHECK(a && b && c && a < b && b < c, "timeout, stall timeout, WARNING in that order");
	CHECK(strstr(all, " rocket_reset+") && strstr(all, " iommu_detach_group+"),
	      "call trace names iommu_detach_group and rocket_reset");
	plat_close(kfd);
	plat_close(fd);
}

static void attach_counts(unsigned int expect_attach, unsigned int expect_detach)
{
	struct vnpu_introspect_core c;
	struct job_env e;
	int fd = vopen();

	job_env_init(&e, fd, DPU_ONLY_OP_EN);
	for (int i = 0; i < 3; i++) {
		job_env_submit(&e);
		prep_bo(fd, e.out.handle, mono_ns() + 2000000000ll);
	}
	introspect_all(&c);
	EQ(3, c.jobs_done, "three jobs done");
	EQ(expect_attach, c.iommu_attaches, "IOMMU attaches");
	EQ(expect_detach, c.iommu_detaches, "IOMMU detaches");
	plat_close(fd);
}

static void sc_attach_mainline(void)
{
	attach_counts(3, 3);	/* attach in run_job, detach after the last task */
}

static void sc_attach_kept(void)
{
	struct vnpu_introspect_core c;
	struct job_env e;
	int fd2;

	attach_counts(1, 0);	/* RFC 5/9: kept across jobs of one file */
	fd2 = vopen();
	job_env_init(&e, fd2, DPU_ONLY_OP_EN);
	job_env_submit(&e);
	prep_bo(fd2, e.out.handle, mono_ns() + 2000000000ll);
	vnpu_introspect_core(0, &c);
	EQ(2, c.iommu_attaches, "another file's job re-attaches");
	plat_close(fd2);
}

/* ---- a slow recording executor for sync tests ---- */
#define SLOW_EXEC_MS	80
static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t rec_start[8], rec_end[8];
static uint32_t rec_base[8];
static unsigned int rec_n;

static void slow_run(struct vnpu_core *core)
{
	struct timespec ts = { 0, SLOW_EXEC_MS * 1000000l };
	unsigned int i;

	pthread_mutex_lock(&rec_lock);
	i = rec_n++ % 8;
	rec_start[i] = mono_ns();
	rec_base[i] = vnpu_reg_get(core, 0x10);
	pthread_mutex_unlock(&rec_lock);
	nanosleep(&ts, NULL);
	rec_end[i] = mono_ns();
	vnpu_exec_basic.run(core);
}

static const struct vnpu_executor slow_exec = { "slow", slow_run };

static void sc_implicit_sync(void)
{
	struct drm_rocket_create_bo cmd, x, y, z;
	struct vnpu_introspect_core c[3];
	int fd = vopen();
	uint64_t *p;
	uint32_t n;

	vnpu_set_executor(&slow_exec);
	bo_create(fd, 4096, &cmd);
	bo_create(fd, 4096, &x);
	bo_create(fd, 4096, &y);
	bo_create(fd, 4096, &z);
	p = bo_map(fd, &cmd, 4096);
	n = build_task(p, 8, DPU_ONLY_OP_EN);
	plat_munmap(p, 4096);
	/* A writes x; B reads x (waits for A); C writes z (independent). */
	submit1(fd, (uint32_t)cmd.dma_address, n, NULL, 0, &x.handle, 1);
	submit1(fd, (uint32_t)cmd.dma_address, n, &x.handle, 1, &y.handle, 1);
	submit1(fd, (uint32_t)cmd.dma_address, n, NULL, 0, &z.handle, 1);
	prep_bo(fd, y.handle, mono_ns() + 3000000000ll);
	prep_bo(fd, z.handle, mono_ns() + 3000000000ll);
	EQ(3, rec_n, "three tasks executed");
	/* Runs in submission order per dependency: find A and B by start order. */
	{
		int64_t a_end = rec_end[0] < rec_end[1] ? rec_end[0] : rec_end[1];
		int64_t last_start = rec_start[0];

		for (unsigned int i = 1; i < 3; i++)
			if (rec_start[i] > last_start)
				last_start = rec_start[i];
		CHECK(last_start >= a_end, "the reader of x started after the writer of x ended");
	}
	for (int i = 0; i < 3; i++)
		vnpu_introspect_core(i, &c[i]);
	CHECK(c[0].jobs_done && c[1].jobs_done + c[2].jobs_done >= 1,
	      "jobs spread over the cores (%u/%u/%u)", c[0].jobs_done,
	      c[1].jobs_done, c[2].jobs_done);
	CHECK(rec_start[1] < rec_end[0] || rec_start[2] < rec_end[0],
	      "an independent job overlapped the first one");
	vnpu_set_executor(NULL);
	plat_close(fd);
}

int main(void)
{
	vnpu_scenario("complete", "vnpu:rk3568", "", "", sc_complete);
	vnpu_scenario("prep-timeouts", "vnpu:rk3568", "", "", sc_prep_timeouts);
	vnpu_scenario("timeout mainline", "vnpu:rk3588", "mainline", "", sc_timeout_mainline);
	vnpu_scenario("timeout mainline idle bus", "vnpu:rk3588", "mainline", "", sc_timeout_mainline_idle);
	vnpu_scenario("timeout mainline lines", "vnpu:rk3588", "mainline", "", sc_timeout_mainline_lines);
	vnpu_scenario("timeout rfc", "vnpu:rk3568", "rfc", "", sc_timeout_rfc);
	vnpu_scenario("timeout next", "vnpu:rk3568", "next", "", sc_timeout_rfc);
	vnpu_scenario("attach mainline", "vnpu:rk3588", "mainline", "", sc_attach_mainline);
	vnpu_scenario("attach kept rfc", "vnpu:rk3568", "rfc", "", sc_attach_kept);
	vnpu_scenario("implicit sync rk3588", "vnpu:rk3588", "", "", sc_implicit_sync);
	return unit_done();
}
