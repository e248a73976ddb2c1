// SPDX-License-Identifier: MIT
/*
 * vnpu_iommu.c — registers and the IOMMU in vnpu: the register windows
 * plat_reg_read32() reaches (PC VERSION per SoC, MMU reset values, reads of
 * a gated block, bad addresses), the vendor DMA counters and their clear
 * sequence (vendor rknpu counters), page-table accounting, a page fault
 * with rk_iommu's log lines and register state (rockchip-iommu.c registers, rockchip-iommu.c log lines), and the
 * core-implemented faults pagetable-above-4g, page-walker-gated-after-idle
 * and first-attach-timeouts.
 */
#include <fcntl.h>

#include "vnpu/vnpu_hw.h"
#include "vnpu/vnpu_introspect.h"
#include "vnpu_unit.h"

#define NPU	0xfde40000ull
#define MMU	0xfde4b000ull
#define PWR	"/sys/bus/platform/devices/fde40000.npu/power/"
#define DPU_ONLY_OP_EN	0x18

static uint32_t reg(uint64_t phys)
{
	uint32_t v = 0xdeadbeef;

	plat_reg_read32(phys, &v);
	return v;
}

static void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000l };

	nanosleep(&ts, NULL);
}

/* A task in a BO; returns the out handle; filler pushes the BO's IOVA up. */
static uint32_t submit_task(int fd, uint32_t filler, uint32_t op_en,
			    struct drm_rocket_create_bo *cmd)
{
	struct drm_rocket_create_bo pad, out;
	uint64_t *p;
	uint32_t n;

	if (filler)
		bo_create(fd, filler, &pad);
	bo_create(fd, 4096, cmd);
	bo_create(fd, 4096, &out);
	p = bo_map(fd, cmd, 4096);
	n = build_task(p, 8, op_en);
	plat_munmap(p, 4096);
	submit1(fd, (uint32_t)cmd->dma_address, n, NULL, 0, &out.handle, 1);
	return out.handle;
}

static void sc_windows(void)
{
	uint32_t v;
	int fd = vopen();

	plat_write_file(PWR "control", "on");
	EQ(0, reg(NPU + REG_PC_VERSION), "rk3568 PC VERSION 0");
	EQ(3, reg(MMU + 0x24), "MMU AUTO_GATING resets to 0x3");
	/* The group's default DMA domain is attached at probe: paging is on. */
	EQ(0x80000019u, reg(MMU + 0x4),
	   "MMU STATUS paging (default domain), idle, replay empty, stall not active");
	EQ(0x1ffff, reg(NPU + REG_PC_INTERRUPT_MASK), "PC INTERRUPT_MASK resets to 0x1ffff");
	EQ(-EFAULT, plat_reg_read32(0xfe000000, &v), "outside every window: EFAULT");
	EQ(-EINVAL, plat_reg_read32(NPU + 2, &v), "unaligned: EINVAL");
	EQ(-EFAULT, plat_reg_write32(NPU + REG_PC_BASE_ADDRESS, 1), "only the counter clear is writable");
	plat_write_file(PWR "control", "auto");
	msleep(70);
	EQ(-EHOSTDOWN, plat_reg_read32(MMU + 0x24, &v),
	   "a gated block is not read while suspended (an SError on silicon)");
	plat_close(fd);
}

/* Executor: reads 4096 B data + 1024 B weights, writes 512 B, then the basic run. */
static void dma_run(struct vnpu_core *core)
{
	static uint8_t buf[4096];
	uint32_t base = vnpu_reg_get(core, 0x10) & ~0xfu;

	vnpu_dma_read(core, base, buf, 4096, VNPU_DMA_DATA);
	vnpu_dma_read(core, base, buf, 1024, VNPU_DMA_WEIGHT);
	vnpu_dma_write(core, base + 4096, buf, 512, VNPU_DMA_OUTPUT);	/* out BO */
	vnpu_exec_basic.run(core);
}

static const struct vnpu_executor dma_exec = { "dma-test", dma_run };

static void sc_counters(void)
{
	struct drm_rocket_create_bo cmd;
	uint32_t out;
	int fd = vopen();

	plat_write_file(PWR "control", "on");
	vnpu_set_executor(&dma_exec);
	out = submit_task(fd, 0, DPU_ONLY_OP_EN, &cmd);
	CHECK(prep_bo(fd, out, mono_ns() + 2000000000ll) >= 0, "job done");
	EQ(4096, reg(NPU + REG_DDMA_DT_RD_AMOUNT), "DT_RD counts data reads (bytes)");
	EQ(1024, reg(NPU + REG_DDMA_WT_RD_AMOUNT), "WT_RD counts weight reads");
	EQ(512, reg(NPU + REG_DDMA_DT_WR_AMOUNT), "DT_WR counts output writes");
	EQ(0, plat_reg_write32(NPU + REG_DDMA_CLEAR_ALL_RW_AMOUNT, 0x80000101), "clear step 1");
	EQ(0, plat_reg_write32(NPU + REG_DDMA_CLEAR_ALL_RW_AMOUNT, 0x00000101), "clear step 2");
	EQ(0, reg(NPU + REG_DDMA_DT_WR_AMOUNT) + reg(NPU + REG_DDMA_DT_RD_AMOUNT) +
	      reg(NPU + REG_DDMA_WT_RD_AMOUNT), "counters cleared");
	vnpu_set_executor(NULL);
	plat_close(fd);
}

static void sc_rk3588_regs(void)
{
	int fd = vopen();

	for (int i = 0; i < 3; i++) {
		char path[128];

		snprintf(path, sizeof(path),
			 "/sys/bus/platform/devices/fda%c0000.npu/power/control", "bcd"[i]);
		plat_write_file(path, "on");
	}
	EQ(0x46495245, reg(0xfdab0000), "core 0 PC VERSION");
	EQ(0x46495245, reg(0xfdac0000), "core 1 PC VERSION");
	EQ(0x46495245, reg(0xfdad0000), "core 2 PC VERSION");
	EQ(3, reg(0xfdab9000 + 0x24), "core 0 MMU AUTO_GATING");
	EQ(3, reg(0xfdaba000 + 0x24), "core 0 second MMU instance");
	EQ(3, reg(0xfdaca000 + 0x24), "core 1 MMU");
	EQ(-EFAULT, plat_reg_write32(0xfdab8010, 0x80000101), "no counters on rk3588");
	plat_close(fd);
}

static void sc_page_tables(void)
{
	struct drm_rocket_create_bo a;
	unsigned int pt, mapped;
	uint64_t dt;
	int fd = vopen();

	bo_create(fd, 8192, &a);
	vnpu_introspect_domain(fd, &pt, &mapped, &dt);
	EQ(1, pt, "one page-table page for the first 4 MiB");
	EQ(2, mapped, "two pages mapped");
	CHECK(dt < 0x100000000ull && dt % 4096 == 0, "directory below 4 GiB, page aligned");
	bo_create(fd, 8u << 20, &a);
	vnpu_introspect_domain(fd, &pt, &mapped, &dt);
	EQ(3, pt, "an 8 MiB BO spans two more DTEs");
	plat_close(fd);
}

static void sc_page_fault(void)
{
	struct drm_rocket_create_bo cmd;
	unsigned int pt, mapped;
	uint64_t dt;
	uint32_t out, st = 0;
	char tainted[16];
	int fd = vopen(), kfd = plat_kmsg_open();
	char l1[512] = "", l2[512] = "";

	submit_task(fd, 0, DPU_ONLY_OP_EN, &cmd);
	vnpu_introspect_domain(fd, &pt, &mapped, &dt);
	/* A task whose regcmd lies at an unmapped IOVA: the PC fetch faults. */
	out = cmd.handle;
	submit1(fd, 0x10000000, 8, NULL, 0, &out, 1);
	for (int i = 0; i < 100 && !(st & 2); i++) {
		msleep(2);
		st = reg(MMU + 0x4);
	}
	CHECK(st & 2, "STATUS PAGE_FAULT_ACTIVE (0x%x)", st);
	CHECK(!(st & 0x20), "not a write fault");
	EQ(0x10000000, reg(MMU + 0xc), "PAGE_FAULT_ADDR");
	EQ(1, reg(MMU + 0x14) & 3, "INT_RAWSTAT PAGE_FAULT");
	EQ(dt | 1, reg(MMU + 0x0), "DTE_ADDR = directory | valid (v1)");
	CHECK(reg(NPU + REG_PC_INTERRUPT_RAW_STATUS) & NPU_PC_IRQ(DMA_READ_ERROR), "PC RAW_STATUS DMA_READ_ERROR");
	CHECK(kmsg_grep(kfd, "rk_iommu fde4b000.iommu: Page fault at 0x0000000010000000 of type read",
			l1, sizeof(l1)) == 1, "Page fault line");
	plat_close(kfd);
	kfd = plat_kmsg_open();
	CHECK(prep_bo(fd, out, mono_ns() + 3000000000ll) >= 0, "the faulting job ends by timeout");
	kmsg_grep(kfd, "NPU job timed out", l2, sizeof(l2));
	CHECK(l2[0], "and is reported as timed out");
	plat_read_file("/proc/sys/kernel/tainted", tainted, sizeof(tainted));
	CHECK(atoi(tainted) & 512, "rocket_job_irq_handler WARN_ON tainted the kernel");
	plat_close(kfd);
	plat_close(fd);
}

static void sc_fault_lines(void)
{
	struct drm_rocket_create_bo cmd;
	uint32_t out;
	int fd = vopen(), kfd = plat_kmsg_open();
	char l2[512] = "";

	submit_task(fd, 0, DPU_ONLY_OP_EN, &cmd);
	out = cmd.handle;
	submit1(fd, 0x00403000, 8, NULL, 0, &out, 1);
	prep_bo(fd, out, mono_ns() + 3000000000ll);
	CHECK(kmsg_grep(kfd, "iova = 0x0000000000403000: dte_index: 0x1 pte_index: 0x3 page_offset: 0x0",
			l2, sizeof(l2)) == 1, "iova line [%s]", l2);
	plat_close(kfd);
	plat_close(fd);
}

static void sc_fault_lines2(void)
{
	struct drm_rocket_create_bo cmd;
	uint32_t out;
	int fd = vopen(), kfd = plat_kmsg_open();
	char l3[512] = "";

	submit_task(fd, 0, DPU_ONLY_OP_EN, &cmd);
	out = cmd.handle;
	submit1(fd, 0x00003000, 8, NULL, 0, &out, 1);
	prep_bo(fd, out, mono_ns() + 3000000000ll);
	CHECK(kmsg_grep(kfd, " valid: 1 pte@0x", l3, sizeof(l3)) == 1 &&
	      strstr(l3, "mmu_dte_addr: 0x0000000") && strstr(l3, ": 0x000000 valid: 0 page@"),
	      "mmu_dte_addr line: valid DTE, invalid PTE [%s]", l3);
	plat_close(kfd);
	plat_close(fd);
}

static void sc_pagetable_above_4g(void)
{
	struct drm_rocket_create_bo cmd;
	unsigned int pt, mapped;
	uint64_t dt;
	uint32_t out;
	int fd = vopen(), kfd = plat_kmsg_open();
	char line[512] = "";

	out = submit_task(fd, 0, DPU_ONLY_OP_EN, &cmd);
	vnpu_introspect_domain(fd, &pt, &mapped, &dt);
	CHECK(dt >= 0x100000000ull, "directory allocated above 4 GiB (0x%llx)",
	      (unsigned long long)dt);
	CHECK(prep_bo(fd, out, mono_ns() + 3000000000ll) >= 0, "job ends");
	CHECK(kmsg_grep(kfd, "BUS_ERROR occurred at 0x0000000000000000", line, sizeof(line)) >= 1,
	      "the 32-bit walker hits a bus error on the first translation [%s]", line);
	plat_close(kfd);
	plat_close(fd);
}

static void sc_walker_gated(void)
{
	struct drm_rocket_create_bo low, high;
	struct vnpu_introspect_core c;
	uint32_t out1, out2;
	int fd = vopen();

	out1 = submit_task(fd, 0, DPU_ONLY_OP_EN, &low);
	CHECK(prep_bo(fd, out1, mono_ns() + 2000000000ll) >= 0, "job before idle completes");
	msleep(80);	/* > 50 ms autosuspend: the page walker's clock is gated */
	out2 = submit_task(fd, 4u << 20, DPU_ONLY_OP_EN, &high);
	CHECK(high.dma_address >= (4u << 20), "regcmd BO beyond the first DTE (0x%llx)",
	      (unsigned long long)high.dma_address);
	CHECK(prep_bo(fd, out2, mono_ns() + 3000000000ll) >= 0, "job ends");
	vnpu_introspect_core(0, &c);
	EQ(1, c.jobs_timed_out, "the walk beyond the first DTE stalled into a timeout");
	EQ(0, c.iommu_faults, "without any page fault");
	plat_close(fd);
}

static void sc_first_attach(void)
{
	struct drm_rocket_create_bo cmd;
	uint32_t out;
	int fd = vopen(), kfd;
	char line[512] = "";

	msleep(80);	/* the MMU goes idle with the core */
	kfd = plat_kmsg_open();
	out = submit_task(fd, 0, DPU_ONLY_OP_EN, &cmd);
	CHECK(prep_bo(fd, out, mono_ns() + 2000000000ll) >= 0, "the job still completes");
	CHECK(kmsg_grep(kfd, "rk_iommu fde4b000.iommu: Enable stall request timed out, status: 0x",
			line, sizeof(line)) == 1, "one burst of stall/paging timeouts [%s]", line);
	plat_close(kfd);
	plat_close(fd);
}

int main(void)
{
	vnpu_scenario("windows", "vnpu:rk3568", "", "", sc_windows);
	vnpu_scenario("counters", "vnpu:rk3568", "", "", sc_counters);
	vnpu_scenario("rk3588 regs", "vnpu:rk3588", "", "", sc_rk3588_regs);
	vnpu_scenario("page tables", "vnpu:rk3568", "", "", sc_page_tables);
	vnpu_scenario("page fault", "vnpu:rk3568", "", "", sc_page_fault);
	vnpu_scenario("fault lines iova", "vnpu:rk3568", "", "", sc_fault_lines);
	vnpu_scenario("fault lines pte", "vnpu:rk3568", "", "", sc_fault_lines2);
	vnpu_scenario("pagetable-above-4g", "vnpu:rk3568", "", "pagetable-above-4g",
		      sc_pagetable_above_4g);
	vnpu_scenario("page-walker-gated", "vnpu:rk3568", "", "page-walker-gated-after-idle",
		      sc_walker_gated);
	vnpu_scenario("first-attach-timeouts", "vnpu:rk3568", "rfc", "first-attach-timeouts",
		      sc_first_attach);
	return unit_done();
}
