// SPDX-License-Identifier: MIT
/*
 * npu_mmio.c — the read helpers over plat_reg_read32() at the addresses
 * of the SoC's row (lib/hw/soc.h; see npu_mmio.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/igt_core.h"
#include "harness/verdict.h"
#include "board/npu_mmio.h"
#include "platform/platform.h"

static int core_phys(enum hw_soc soc, unsigned int core, uint32_t offset,
		     bool mmu, uint64_t *phys)
{
	const struct hw_soc_facts *m = hw_soc_facts(soc);

	if (!m)
		return -EINVAL;
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

int npu_mmio_read(enum hw_soc soc, unsigned int core, uint32_t offset,
		  uint32_t *value)
{
	uint64_t phys;
	int ret = core_phys(soc, core, offset, false, &phys);

	return ret ? ret : npu_mmio_powered(plat_reg_read32(phys, value), phys, false);
}

int npu_mmio_mmu_read(enum hw_soc soc, unsigned int core, uint32_t offset,
		      uint32_t *value)
{
	uint64_t phys;
	int ret = core_phys(soc, core, offset, true, &phys);

	return ret ? ret : npu_mmio_powered(plat_reg_read32(phys, value), phys, false);
}

int npu_mmio_clear_dma_counters(enum hw_soc soc, unsigned int core)
{
	uint64_t phys;
	int ret;

	if (hw_soc_facts(soc) && !hw_soc_facts(soc)->has_dma_counters)
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

int npu_mmio_read_dma_counters(enum hw_soc soc, unsigned int core,
			       struct npu_dma_counters *c)
{
	int ret;

	if (hw_soc_facts(soc) && !hw_soc_facts(soc)->has_dma_counters)
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
