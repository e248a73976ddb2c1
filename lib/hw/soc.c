// SPDX-License-Identifier: MIT
/*
 * soc.c — the SoC table: one row per SoC with an NPU, every number with
 * its public source (short names: docs/sources.md).
 */
#include <stdio.h>
#include <string.h>

#include "hw/soc.h"

/* rockchip,rk3588-rknn-core.yaml clock-names; the RK3568 RFC DT patch gives the same four. */
const char *const hw_npu_clock_names[HW_SOC_NR_CLOCKS] = {
	"aclk", "hclk", "npu", "pclk",
};

/* ---- RK3568 (also RK3566) ---- */

/* rknn_core_0: npu@fde40000, rknn_mmu_0: iommu@fde4b000 reg size 0x40 (RK3568 RFC DT patch, v4 7/9) */

#define RK3568_NPU_BASE			0xfde40000ull
#define RK3568_MMU_BASE			0xfde4b000ull
#define RK3568_MMU_SIZE			0x40u
/* interrupts = <GIC_SPI 151 ...> on the core and its MMU (RK3568 RFC DT patch) */
#define RK3568_NPU_IRQ			151u
/* dma_mask DMA_BIT_MASK(32) (vendor rknpu rknpu_config); .dma_bits = 32 (RK3568 RFC v4 3/9) */
#define RK3568_DMA_BITS			32u
/* pc_data_amount_scale 1 (vendor rknpu rknpu_config) */
#define RK3568_PC_AMOUNT_SCALE		1u
/* "Rockchip NPU core 0 version: 0" (rocket_core.c version line, RK3568 RFC v2/v3 mails) */
#define RK3568_PC_VERSION		0x0u
/* 256 KiB = 8 banks x 32 KiB (the RFC author on mesa-dev, vendor rknpu per-SoC tables) */
#define RK3568_CBUF_BANKS		8u

/* ---- RK3588 (also RK3588S) ---- */

/* npu@fdab0000, fdac0000, fdad0000; rknn_mmu_n first reg fdab9000, fdaca000, fdada000, size 0x100 (rk3588-base.dtsi) */
#define RK3588_NPU0_BASE		0xfdab0000ull
#define RK3588_NPU1_BASE		0xfdac0000ull
#define RK3588_NPU2_BASE		0xfdad0000ull
#define RK3588_MMU0_BASE		0xfdab9000ull
#define RK3588_MMU1_BASE		0xfdaca000ull
#define RK3588_MMU2_BASE		0xfdada000ull
/* rknn_mmu_0 has a second reg, fdaba000 + 0x100, that rk_iommu programs alike (rk3588-base.dtsi) */
#define RK3588_MMU0_BASE2		0xfdaba000ull
#define RK3588_MMU_SIZE			0x100u
/* GIC_SPI 110, 111, 112, shared by each core and its MMU (rk3588-base.dtsi) */
#define RK3588_NPU0_IRQ			110u
#define RK3588_NPU1_IRQ			111u
#define RK3588_NPU2_IRQ			112u
/* dma_set_mask_and_coherent(DMA_BIT_MASK(40)) (rocket_device.c, rocket_core.c probe) */
#define RK3588_DMA_BITS			40u
/* pc_data_amount_scale 2 (vendor rknpu rknpu_config; Mesa rkt_regcmd.c, RK3588 TRM ch. 36) */
#define RK3588_PC_AMOUNT_SCALE		2u
/* "version: 1179210309" per core (rocket_core.c version line, user logs) */
#define RK3588_PC_VERSION		0x46495245u
/* CBUF_BANKS 12 (Mesa rkt_ml.h) */
#define RK3588_CBUF_BANKS		12u

/* CBUF_ENTRIES_PER_BANK 256, CBUF_ENTRY_SIZE 128 (Mesa rkt_ml.h); RK3568: UNCONFIRMED, same assumed */
#define CBUF_ENTRIES_PER_BANK		256u
#define CBUF_ENTRY_SIZE			128u

/*
 * The clock "npu" is the SCMI NPU clock (SCMI_CLK_NPU: 2 on RK3568, 6 on
 * RK3588, rk3568-cru.h / rk3588-cru.h); the name the SCMI firmware gives
 * it in the clock tree is UNCONFIRMED (no board clk_summary seen).
 */
#define SCMI_NPU_CLK_NAME		"scmi_clk_npu"

static const struct hw_soc_facts hw_socs[HW_SOC_COUNT] = {
	[HW_SOC_RK3568] = {
		.soc = HW_SOC_RK3568,
		.name = "rk3568",
		/* rk3566 carries the same NPU block at the same address (RK3568 RFC DT patch) */
		.compatibles = { "rockchip,rk3568", "rockchip,rk3566" },
		.npu_compatible = "rockchip,rk3568-rknn-core",	/* RK3568 RFC v4 6/9 binding */
		/* "rockchip,iommu": the v1 ops (RK3568 RFC DT patch, rockchip-iommu.c v1/v2) */
		.iommu_compatibles = { "rockchip,iommu" },
		.iommu_version = HW_IOMMU_V1,
		.num_cores = 1,
		.core_base = { RK3568_NPU_BASE },
		.mmu_base = { RK3568_MMU_BASE },
		.mmu_size = RK3568_MMU_SIZE,
		.irq = { RK3568_NPU_IRQ },
		.dma_bits = RK3568_DMA_BITS,
		.pc_amount_scale = RK3568_PC_AMOUNT_SCALE,
		/* amount_top = rknpu_old_top_amount (vendor rknpu rknpu_config, vendor rknpu counters) */
		.has_dma_counters = true,
		.pc_version = RK3568_PC_VERSION,
		.cbuf_banks = RK3568_CBUF_BANKS,
		.cbuf_entries_per_bank = CBUF_ENTRIES_PER_BANK,
		.cbuf_entry_size = CBUF_ENTRY_SIZE,
		/* DOMAIN_RK3568("npu", ...) holds the core itself (pm-domains.c, RK3568 RFC DT patch) */
		.npu_power_domain = "npu",
		.core_power_domain = { "npu" },
		.clock_names = hw_npu_clock_names,
		/* ACLK_NPU, HCLK_NPU, PCLK_NPU_PRE (RK3568 RFC DT patch); names as in drivers/clk/rockchip/clk-rk3568.c */
		.core_aclk = { "aclk_npu" },
		.core_hclk = { "hclk_npu" },
		.npu_clk = SCMI_NPU_CLK_NAME,
		.pclk = "pclk_npu_pre",
		/*
		 * RFC PATCH v4 0/9, 2026-06-13 (DT nodes in 7/9 and 8/9); its v1
		 * MMU beside the SoC's v2 IOMMUs also needs the per-device ops
		 * series (rockchip-iommu.c probe refuses a second ops type).
		 */
		.kernel_series = "RK3568 needs the RFC series \"accel: rocket: Add RK3568 NPU support\" "
				 "(RFC v4, 2026-06-13) and \"iommu/rockchip: Drop global rk_ops in favor "
				 "of per-device ops\"",
		.kernel_dt = "mainline rk356x-base.dtsi describes none",
	},
	[HW_SOC_RK3588] = {
		.soc = HW_SOC_RK3588,
		.name = "rk3588",
		.compatibles = { "rockchip,rk3588", "rockchip,rk3588s" },
		.npu_compatible = "rockchip,rk3588-rknn-core",	/* rockchip,rk3588-rknn-core.yaml */
		/* rk3588-base.dtsi: v2 page tables */
		.iommu_compatibles = { "rockchip,rk3588-iommu", "rockchip,rk3568-iommu" },
		.iommu_version = HW_IOMMU_V2,
		.num_cores = 3,
		.core_base = { RK3588_NPU0_BASE, RK3588_NPU1_BASE, RK3588_NPU2_BASE },
		.mmu_base = { RK3588_MMU0_BASE, RK3588_MMU1_BASE, RK3588_MMU2_BASE },
		.mmu_base2 = { RK3588_MMU0_BASE2 },
		.mmu_size = RK3588_MMU_SIZE,
		.irq = { RK3588_NPU0_IRQ, RK3588_NPU1_IRQ, RK3588_NPU2_IRQ },
		.dma_bits = RK3588_DMA_BITS,
		.pc_amount_scale = RK3588_PC_AMOUNT_SCALE,
		/* amount_top = amount_core = NULL: "unsupported" (vendor rknpu rknpu_config) */
		.has_dma_counters = false,
		.pc_version = RK3588_PC_VERSION,
		.cbuf_banks = RK3588_CBUF_BANKS,
		.cbuf_entries_per_bank = CBUF_ENTRIES_PER_BANK,
		.cbuf_entry_size = CBUF_ENTRY_SIZE,
		/* RK3588_PD_NPU parent of NPUTOP, NPU1, NPU2 (rk3588-base.dtsi, pm-domains.c) */
		.npu_power_domain = "npu",
		.core_power_domain = { "nputop", "npu1", "npu2" },
		.clock_names = hw_npu_clock_names,
		/* ACLK_NPUn, HCLK_NPUn, PCLK_NPU_ROOT (rk3588-base.dtsi); names as in drivers/clk/rockchip/clk-rk3588.c */
		.core_aclk = { "aclk_npu0", "aclk_npu1", "aclk_npu2" },
		.core_hclk = { "hclk_npu0", "hclk_npu1", "hclk_npu2" },
		.npu_clk = SCMI_NPU_CLK_NAME,
		.pclk = "pclk_npu_root",
		/* dt_match lists rockchip,rk3588-rknn-core (rocket_drv.c) */
		.kernel_series = NULL,
		.kernel_dt = "rk3588-base.dtsi has npu@fdab0000 since Linux 6.18",
	},
};

const struct hw_soc_facts *hw_soc_facts(enum hw_soc soc)
{
	if (soc <= HW_SOC_UNKNOWN || soc >= HW_SOC_COUNT)
		return NULL;
	return &hw_socs[soc];
}

const char *hw_soc_name(enum hw_soc soc)
{
	const struct hw_soc_facts *f = hw_soc_facts(soc);

	return f ? f->name : "unknown";
}

enum hw_soc hw_soc_by_name(const char *name)
{
	for (int s = HW_SOC_UNKNOWN + 1; name && s < HW_SOC_COUNT; s++)
		if (!strcmp(hw_socs[s].name, name))
			return (enum hw_soc)s;
	return HW_SOC_UNKNOWN;
}

enum hw_soc hw_soc_by_compatible(const char *compatible)
{
	for (int s = HW_SOC_UNKNOWN + 1; compatible && s < HW_SOC_COUNT; s++)
		for (const char *const *c = hw_socs[s].compatibles; *c; c++)
			if (!strcmp(*c, compatible))
				return (enum hw_soc)s;
	return HW_SOC_UNKNOWN;
}

/* ---- row checks ---- */

#define ROW_FAIL(...)	do { snprintf(why, len, __VA_ARGS__); return -1; } while (0)

/* A core's facts: base, MMU, IRQ, domain and clocks present, nothing shared. */
static int check_core(const struct hw_soc_facts *f, unsigned int c, char *why, size_t len)
{
	if (!f->core_base[c] || !f->mmu_base[c])
		ROW_FAIL("%s core %u: no NPU or MMU base", f->name, c);
	if (!f->irq[c])
		ROW_FAIL("%s core %u: no IRQ", f->name, c);
	if (!f->core_power_domain[c] || !f->core_aclk[c] || !f->core_hclk[c])
		ROW_FAIL("%s core %u: no power domain or aclk/hclk name", f->name, c);
	for (unsigned int o = 0; o < c; o++) {
		if (f->core_base[o] == f->core_base[c] || f->mmu_base[o] == f->mmu_base[c])
			ROW_FAIL("%s core %u: base shared with core %u", f->name, c, o);
		if (f->irq[o] == f->irq[c])
			ROW_FAIL("%s core %u: IRQ %u shared with core %u", f->name, c, f->irq[c], o);
	}
	return 0;
}

/* Beyond num_cores every per-core fact is empty: a core count and its rows agree. */
static int check_unused_core(const struct hw_soc_facts *f, unsigned int c, char *why, size_t len)
{
	if (f->core_base[c] || f->mmu_base[c] || f->mmu_base2[c] || f->irq[c] ||
	    f->core_power_domain[c] || f->core_aclk[c] || f->core_hclk[c])
		ROW_FAIL("%s: facts for core %u but num_cores is %u", f->name, c, f->num_cores);
	return 0;
}

static int check_names(const struct hw_soc_facts *f, char *why, size_t len)
{
	if (!f->compatibles[0] || !f->npu_compatible || !f->iommu_compatibles[0])
		ROW_FAIL("%s: a root, NPU or IOMMU compatible is missing", f->name);
	if (hw_soc_by_compatible(f->compatibles[0]) != f->soc)
		ROW_FAIL("%s: compatible %s already names another SoC", f->name, f->compatibles[0]);
	if (!f->kernel_dt)
		ROW_FAIL("%s: what mainline's device tree says of the NPU is missing", f->name);
	if (!f->npu_power_domain || !f->npu_clk || !f->pclk)
		ROW_FAIL("%s: NPU power domain or shared clock names missing", f->name);
	for (unsigned int i = 0; i < HW_SOC_NR_CLOCKS; i++)
		if (!f->clock_names || !f->clock_names[i])
			ROW_FAIL("%s: clock-names entry %u missing", f->name, i);
	return 0;
}

int hw_soc_check_row(const struct hw_soc_facts *f, char *why, size_t len)
{
	int ret;

	if (!f || !f->name || f->soc <= HW_SOC_UNKNOWN || f->soc >= HW_SOC_COUNT)
		ROW_FAIL("row without a name or enum hw_soc value");
	if (hw_soc_by_name(f->name) != f->soc)
		ROW_FAIL("%s: name does not lead back to its enum value", f->name);
	if (!f->num_cores || f->num_cores > HW_SOC_MAX_CORES)
		ROW_FAIL("%s: %u cores (1..%d)", f->name, f->num_cores, HW_SOC_MAX_CORES);
	for (unsigned int c = 0; c < HW_SOC_MAX_CORES; c++) {
		ret = c < f->num_cores ? check_core(f, c, why, len) :
					 check_unused_core(f, c, why, len);
		if (ret)
			return ret;
	}
	if (!f->mmu_size || (f->mmu_size & 3))
		ROW_FAIL("%s: MMU window size 0x%x", f->name, f->mmu_size);
	if (f->iommu_version != HW_IOMMU_V1 && f->iommu_version != HW_IOMMU_V2)
		ROW_FAIL("%s: IOMMU version %d", f->name, (int)f->iommu_version);
	/* v1 entries hold 32-bit addresses, v2 40-bit (rockchip-iommu.c v1/v2) */
	if (f->dma_bits < 32 || f->dma_bits > (f->iommu_version == HW_IOMMU_V1 ? 32u : 40u))
		ROW_FAIL("%s: %u DMA bits with IOMMU v%d", f->name, f->dma_bits, (int)f->iommu_version);
	if (f->pc_amount_scale != 1 && f->pc_amount_scale != 2)
		ROW_FAIL("%s: PC amount scale %u (1 or 2)", f->name, f->pc_amount_scale);
	if (!f->cbuf_banks || !f->cbuf_entries_per_bank || !f->cbuf_entry_size)
		ROW_FAIL("%s: CBUF geometry incomplete", f->name);
	return check_names(f, why, len);
}
