// SPDX-License-Identifier: MIT
/*
 * npu_mmio — unit tests of lib/board/npu_mmio.c: the addresses it reads
 * from the SoC rows (rk3588-base.dtsi, RK3568 RFC DT patch, vendor rknpu counters), argument checks, the skip reasons,
 * and reads/the counter clear through the seam on vnpu:rk3568 and
 * vnpu:rk3588 with the cores held on.
 */
#include "board/npu_mmio.h"
#include "vnpu_unit.h"

/* PC VERSION per SoC (rocket_core.c version line): 0 on RK3568, 0x46495245 on RK3588. */
#define RK3588_PC_VERSION	0x46495245u
#define PC_VERSION		0x0000u

static void test_map(void)
{
	const struct hw_soc_facts *a = hw_soc_facts(HW_SOC_RK3568);
	const struct hw_soc_facts *b = hw_soc_facts(HW_SOC_RK3588);

	UNIT_EQ(1, a->num_cores, "rk3568: one core");
	UNIT_EQ(0xfde40000, a->core_base[0], "rk3568: NPU at 0xfde40000");
	UNIT_EQ(0xfde4b000, a->mmu_base[0], "rk3568: MMU at 0xfde4b000");
	UNIT_CHECK(a->has_dma_counters, "rk3568: DDMA counters");
	UNIT_EQ(3, b->num_cores, "rk3588: three cores");
	UNIT_EQ(0xfdac0000, b->core_base[1], "rk3588: core 1 at 0xfdac0000");
	UNIT_EQ(0xfdada000, b->mmu_base[2], "rk3588: core 2 MMU at 0xfdada000");
	UNIT_CHECK(!b->has_dma_counters, "rk3588: no DDMA counters");
	UNIT_EQ(HW_SOC_RK3568, hw_soc_by_compatible("rockchip,rk3566"), "rk3566 is the RK3568 NPU");
	UNIT_EQ(HW_SOC_RK3588, hw_soc_by_compatible("rockchip,rk3588s"), "rk3588s is the RK3588 NPU");
	UNIT_EQ(HW_SOC_UNKNOWN, hw_soc_by_compatible("rockchip,rk3399"), "unknown SoC");
}

static void test_errors(void)
{
	uint32_t v;
	struct npu_dma_counters c;

	UNIT_EQ(-EINVAL, npu_mmio_read(HW_SOC_RK3568, 1, 0, &v), "rk3568 has no core 1");
	UNIT_EQ(-EINVAL, npu_mmio_read(HW_SOC_RK3568, 0, 2, &v), "unaligned offset");
	UNIT_EQ(-EINVAL, npu_mmio_read(HW_SOC_RK3568, 0, 0x10000, &v), "outside the window");
	UNIT_EQ(-EINVAL, npu_mmio_read(HW_SOC_UNKNOWN, 0, 0, &v), "no row, no address");
	UNIT_EQ(-EINVAL, npu_mmio_mmu_read(HW_SOC_RK3568, 0, 0x40, &v),
		"outside the RK3568 MMU window (0x40)");
	UNIT_EQ(-EOPNOTSUPP, npu_mmio_clear_dma_counters(HW_SOC_RK3588, 0),
		"rk3588: no counters to clear");
	UNIT_EQ(-EOPNOTSUPP, npu_mmio_read_dma_counters(HW_SOC_RK3588, 0, &c),
		"rk3588: no counters to read");
	UNIT_CHECK(npu_mmio_unavailable(-EACCES) && npu_mmio_unavailable(-EPERM) &&
		   npu_mmio_unavailable(-ENOENT) && !npu_mmio_unavailable(-EINVAL),
		   "EACCES/EPERM/ENOENT mean /dev/mem unusable");
	UNIT_CHECK(strstr(npu_mmio_skip_reason(-EACCES), "not root") != NULL,
		   "EACCES reason says not root");
	UNIT_CHECK(strstr(npu_mmio_skip_reason(-EPERM), "STRICT_DEVMEM") != NULL,
		   "EPERM reason names STRICT_DEVMEM");
}

static void hold_on(const char *dev)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/power/control", dev);
	EQ(0, plat_write_file(path, "on"), "power/control = on");
}

static void sc_rk3568(void)
{
	struct npu_dma_counters c = { 1, 1, 1 };
	uint32_t v = 1;

	hold_on("fde40000.npu");
	EQ(0, npu_mmio_read(HW_SOC_RK3568, 0, PC_VERSION, &v), "PC VERSION read");
	EQ(0, v, "RK3568 PC VERSION is 0");
	EQ(0, npu_mmio_mmu_read(HW_SOC_RK3568, 0, RK_MMU_STATUS, &v), "MMU STATUS read");
	EQ(0, npu_mmio_clear_dma_counters(HW_SOC_RK3568, 0), "counter clear");
	EQ(0, npu_mmio_read_dma_counters(HW_SOC_RK3568, 0, &c), "counter read");
	CHECK(!c.dt_rd && !c.wt_rd && !c.dt_wr, "counters zero after clear (%u %u %u)",
	      c.dt_rd, c.wt_rd, c.dt_wr);
}

static void sc_rk3588(void)
{
	static const char *const devs[] = { "fdab0000.npu", "fdac0000.npu", "fdad0000.npu" };
	uint32_t v;

	for (unsigned int i = 0; i < 3; i++) {
		hold_on(devs[i]);
		v = 0;
		EQ(0, npu_mmio_read(HW_SOC_RK3588, i, PC_VERSION, &v), "PC VERSION read");
		EQ(RK3588_PC_VERSION, v, "RK3588 PC VERSION per core");
	}
}

int main(void)
{
	test_map();
	test_errors();
	vnpu_scenario("rk3568 reads", "vnpu:rk3568", "", "", sc_rk3568);
	vnpu_scenario("rk3588 reads", "vnpu:rk3588", "", "", sc_rk3588);
	return unit_done();
}
