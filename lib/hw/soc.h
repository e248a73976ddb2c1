/* SPDX-License-Identifier: MIT */
/*
 * soc.h — which SoCs carry the NPU, and the facts of each: one enum for
 * identity, one row of struct hw_soc_facts per SoC (lib/hw/soc.c).
 *
 * Contract:
 *  - enum hw_soc names a SoC for every layer (rocket identity, MMIO,
 *    programming parameters, vnpu).  HW_SOC_UNKNOWN is 0 so a zeroed
 *    identity means "not identified".
 *  - hw_soc_facts() returns the read-only row of a known SoC, NULL for
 *    HW_SOC_UNKNOWN or an out-of-range value.  Rows live for the process.
 *  - Only facts of the silicon and its device tree live here, each with a
 *    public source next to it in soc.c.  Register offsets and fields are
 *    described elsewhere (lib/npu/npu_regs.def); programming choices (Mesa
 *    layouts, fork variants) in lib/npu/npu_soc.h; board and model-only
 *    settings (board name, regulator) in vnpu's own profile.
 *  - Adding a SoC is one enum value and one row (CONTRIBUTING.md);
 *    hw_soc_check_row() says what a half-filled row lacks, and the unit
 *    program selftests/unit/hw_soc.c runs it over every row.
 */
#ifndef RKVAL_HW_SOC_H
#define RKVAL_HW_SOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hw_soc {
	HW_SOC_UNKNOWN = 0,
	HW_SOC_RK3568,		/* also RK3566: the same NPU (RK3568 RFC DT patch) */
	HW_SOC_RK3588,		/* also RK3588S (rk3588-base.dtsi) */
	HW_SOC_COUNT,
};

/* RK3588 has the most NPU cores: three (rk3588-base.dtsi). */
#define HW_SOC_MAX_CORES	3
/* Root compatibles per row, NULL-terminated. */
#define HW_SOC_MAX_COMPATIBLES	3
/* clock-names of an NPU core: aclk, hclk, npu, pclk (rockchip,rk3588-rknn-core.yaml). */
#define HW_SOC_NR_CLOCKS	4

/*
 * The binding's clock-names, in its order: what rocket requests by name
 * (rocket_core.c) and what clk_summary lists as each clock's consumer.
 * Every row points here; a SoC whose binding differs gets its own list.
 */
extern const char *const hw_npu_clock_names[HW_SOC_NR_CLOCKS];

/* Page-table format of the NPU's rk_iommu (rockchip-iommu.c v1/v2). */
enum hw_iommu_version {
	HW_IOMMU_VERSION_UNKNOWN = 0,	/* not read yet, or not a Rockchip IOMMU */
	HW_IOMMU_V1 = 1,	/* "rockchip,iommu": 32-bit entries, GFP_DMA32 tables */
	HW_IOMMU_V2 = 2,	/* "rockchip,rk3568-iommu": 40-bit entries */
};

struct hw_soc_facts {
	enum hw_soc soc;
	const char *name;				/* "rk3568": vnpu:<name>, reports */
	/* Root /proc/device-tree/compatible strings naming this SoC. */
	const char *compatibles[HW_SOC_MAX_COMPATIBLES + 1];
	const char *npu_compatible;			/* the npu@ nodes */
	/* The NPU MMU nodes' compatible list, most specific first, NULL-terminated. */
	const char *iommu_compatibles[3];
	enum hw_iommu_version iommu_version;

	unsigned int num_cores;
	uint64_t core_base[HW_SOC_MAX_CORES];		/* npu@ unit addresses */
	uint64_t mmu_base[HW_SOC_MAX_CORES];		/* first MMU reg of each core */
	uint64_t mmu_base2[HW_SOC_MAX_CORES];		/* second MMU instance, 0: none */
	uint32_t mmu_size;				/* MMU reg size */
	unsigned int irq[HW_SOC_MAX_CORES];		/* GIC SPI, shared by core and MMU */

	unsigned int dma_bits;				/* NPU DMA address width */
	unsigned int pc_amount_scale;			/* PC data amount unit: 1 = 64 bit, 2 = 128 bit */
	bool has_dma_counters;				/* DDMA rw-amount counters */
	uint32_t pc_version;				/* "version: %d" rocket prints at probe */

	/* Convolution buffer: banks x entries x entry bytes. */
	unsigned int cbuf_banks;
	unsigned int cbuf_entries_per_bank;
	unsigned int cbuf_entry_size;

	/* genpd names: the NPU domain, and the one each core sits in. */
	const char *npu_power_domain;
	const char *core_power_domain[HW_SOC_MAX_CORES];

	/* Clocks: clock-names (con_id) in binding order, then the clock tree's names. */
	const char *const *clock_names;			/* hw_npu_clock_names */
	const char *core_aclk[HW_SOC_MAX_CORES];	/* "aclk" of each core */
	const char *core_hclk[HW_SOC_MAX_CORES];	/* "hclk" of each core */
	const char *npu_clk;				/* "npu", shared by the cores */
	const char *pclk;				/* "pclk", shared by the cores */

	/*
	 * Kernel support, for the no-device verdict.  kernel_series: NULL
	 * when mainline rocket binds npu_compatible (dt_match in
	 * drivers/accel/rocket/rocket_drv.c); otherwise "<SoC> needs ..." naming
	 * the series a kernel needs.  kernel_dt: what mainline's device tree
	 * for the SoC says about the NPU nodes.
	 */
	const char *kernel_series;
	const char *kernel_dt;
};

/* The row of soc; NULL for HW_SOC_UNKNOWN or an invalid value. */
const struct hw_soc_facts *hw_soc_facts(enum hw_soc soc);
/* "rk3568", "rk3588", or "unknown"; never NULL. */
const char *hw_soc_name(enum hw_soc soc);
/* Row name ("rk3568") -> SoC; HW_SOC_UNKNOWN if none. */
enum hw_soc hw_soc_by_name(const char *name);
/* A root compatible ("rockchip,rk3566") -> SoC; HW_SOC_UNKNOWN if none. */
enum hw_soc hw_soc_by_compatible(const char *compatible);

/*
 * Is the row complete and consistent (cores vs bases vs IRQs vs domains
 * vs clocks, units in range)?  0, or -1 with the first problem in why.
 */
int hw_soc_check_row(const struct hw_soc_facts *f, char *why, size_t len);

#endif /* RKVAL_HW_SOC_H */
