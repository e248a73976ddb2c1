// SPDX-License-Identifier: MIT
/*
 * npu_mmio.c — per-SoC NPU register map and the read helpers over
 * plat_reg_read32() (see npu_mmio.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/igt_core.h"
#include "harness/verdict.h"
#include "board/npu_mmio.h"
#include "platform/platform.h"

static const struct npu_mmio_map npu_mmio_maps[NPU_MMIO_SOC_COUNT] = {
	[NPU_MMIO_RK3568] = {
		.name = "rk3568",
		.num_cores = 1,
		/* rknn_core_0: npu@fde40000 (RFC v4 7/9, RK3568 RFC DT patch) */
		.core_base = { 0xfde40000 },
		/* rknn_mmu_0: iommu@fde4b000, reg size 0x40 (RK3568 RFC DT patch) */
		.mmu_base = { 0xfde4b000 },
		.mmu_size = 0x40,
		/* amount_top = rknpu_old_top_amount (vendor rknpu rknpu_config, vendor rknpu counters) */
		.has_dma_counters = true,
	},
	[NPU_MMIO_RK3588] = {
		.name = "rk3588",
		.num_cores = 3,
		/* npu@fdab0000/fdac0000/fdad0000 (rk3588-base.dtsi) */
		.core_base = { 0xfdab0000, 0xfdac0000, 0xfdad0000 },
		/*
		 * rknn_mmu_n: the first reg of each node (rk3588-base.dtsi).  Core 0 has a
		 * second instance at fdaba000 that rk_iommu programs alike.
		 */
		.mmu_base = { 0xfdab9000, 0xfdaca000, 0xfdada000 },
		.mmu_size = 0x100,
		/* amount_top = amount_core = NULL: "unsupported" (vendor rknpu rknpu_config) */
		.has_dma_counters = false,
	},
};

const struct npu_mmio_map *npu_mmio_map(enum npu_mmio_soc soc)
{
	if ((unsigned int)soc >= NPU_MMIO_SOC_COUNT)
		soc = NPU_MMIO_RK3568;
	return &npu_mmio_maps[soc];
}

int npu_mmio_soc_by_name(const char *name)
{
	if (!name)
		return -1;
	if (!strcmp(name, "rk3568") || !strcmp(name, "rk3566"))
		return NPU_MMIO_RK3568;
	if (!strcmp(name, "rk3588") || !strcmp(name, "rk3588s"))
		return NPU_MMIO_RK3588;
	return -1;
}

static int core_phys(enum npu_mmio_soc soc, unsigned int core, uint32_t offset,
		     bool mmu, uint64_t *phys)
{
	const struct npu_mmio_map *m;

	if ((unsigned int)soc >= NPU_MMIO_SOC_COUNT)
		return -EINVAL;
	m = &npu_mmio_maps[soc];
	if (core >= m->num_cores || (offset & 3))
		return -EINVAL;
	if (offset >= (mmu ? m->mmu_size : NPU_MMIO_CORE_WINDOW))
		return -EINVAL;
	*phys = (mmu ? m->mmu_base[core] : m->core_base[core]) + offset;
	return 0;
}

int npu_mmio_powered(int ret, uint64_t phys, bool write)
{
	if (ret == -EHOSTDOWN)
		igt_fail_verdict(VERDICT_ASSERT,
				 "CPU %s of register 0x%llx while its power domain was off: an SError, i.e. a kernel panic, on silicon; hold the core on (power/control on, or a running job) before touching registers",
				 write ? "write" : "read", (unsigned long long)phys);
	return ret;
}

int npu_mmio_read(enum npu_mmio_soc soc, unsigned int core, uint32_t offset,
		  uint32_t *value)
{
	uint64_t phys;
	int ret = core_phys(soc, core, offset, false, &phys);

	return ret ? ret : npu_mmio_powered(plat_reg_read32(phys, value), phys, false);
}

int npu_mmio_mmu_read(enum npu_mmio_soc soc, unsigned int core, uint32_t offset,
		      uint32_t *value)
{
	uint64_t phys;
	int ret = core_phys(soc, core, offset, true, &phys);

	return ret ? ret : npu_mmio_powered(plat_reg_read32(phys, value), phys, false);
}

int npu_mmio_clear_dma_counters(enum npu_mmio_soc soc, unsigned int core)
{
	uint64_t phys;
	int ret;

	if ((unsigned int)soc < NPU_MMIO_SOC_COUNT && !npu_mmio_maps[soc].has_dma_counters)
		return -EOPNOTSUPP;
	ret = core_phys(soc, core, REG_DDMA_CLEAR_ALL_RW_AMOUNT, false, &phys);
	if (ret)
		return ret;
	/*
	 * The vendor's RKNPU_ACT_CLR_TOTAL_RW_AMOUNT (vendor rknpu counters):
	 * set the clear bit, then release it.  0x8010 is also mainline's
	 * DDMA_RD_WEIGHT_1 (RD_WEIGHT_PC[7:0]); the release value restores the
	 * low byte the clear value carries.
	 */
	ret = npu_mmio_powered(plat_reg_write32(phys, NPU_MMIO_DDMA_CLEAR_START), phys, true);
	if (!ret)
		ret = npu_mmio_powered(plat_reg_write32(phys, NPU_MMIO_DDMA_CLEAR_END), phys, true);
	return ret;
}

int npu_mmio_read_dma_counters(enum npu_mmio_soc soc, unsigned int core,
			       struct npu_dma_counters *c)
{
	int ret;

	if ((unsigned int)soc < NPU_MMIO_SOC_COUNT && !npu_mmio_maps[soc].has_dma_counters)
		return -EOPNOTSUPP;
	ret = npu_mmio_read(soc, core, REG_DDMA_DT_RD_AMOUNT, &c->dt_rd);
	if (!ret)
		ret = npu_mmio_read(soc, core, REG_DDMA_WT_RD_AMOUNT, &c->wt_rd);
	if (!ret)
		ret = npu_mmio_read(soc, core, REG_DDMA_DT_WR_AMOUNT, &c->dt_wr);
	return ret;
}

bool npu_mmio_unavailable(int err)
{
	return err == -EPERM || err == -EACCES || err == -ENOENT;
}

const char *npu_mmio_skip_reason(int err)
{
	static char buf[160];

	switch (err) {
	case -EPERM:
		return "register reads through /dev/mem refused (EPERM: CONFIG_STRICT_DEVMEM "
		       "or CONFIG_IO_STRICT_DEVMEM with the region claimed)";
	case -EACCES:
		return "register reads through /dev/mem refused (EACCES: not root)";
	case -ENOENT:
		return "register reads impossible: no /dev/mem (CONFIG_DEVMEM off)";
	case -EOPNOTSUPP:
		return "this SoC has no such register (no DDMA counters on RK3588)";
	default:
		snprintf(buf, sizeof(buf), "register read failed: %s", strerror(-err));
		return buf;
	}
}
