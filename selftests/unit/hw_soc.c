// SPDX-License-Identifier: MIT
/*
 * hw_soc — unit tests of lib/hw/soc.c: every row of the SoC table is
 * complete and consistent, the lookups lead back to the row, and a row
 * that is only half added (a core without its IRQ, a core count without
 * bases, a missing domain or clock name) is refused, so adding a SoC
 * (CONTRIBUTING.md) cannot stop half way unnoticed.
 */
#include <string.h>

#include "hw/soc.h"
#include "unit.h"

/* clock-names with the binding's last entry missing */
static const char *const clock_names_short[HW_SOC_NR_CLOCKS] = { "aclk", "hclk", "npu", NULL };

static void test_every_row(void)
{
	char why[160];
	int ret;

	for (int s = HW_SOC_UNKNOWN + 1; s < HW_SOC_COUNT; s++) {
		const struct hw_soc_facts *f = hw_soc_facts((enum hw_soc)s);

		why[0] = '\0';
		UNIT_CHECK(f && f->soc == (enum hw_soc)s, "row %d exists and carries its enum value", s);
		if (!f)
			continue;
		ret = hw_soc_check_row(f, why, sizeof(why));
		UNIT_CHECK(!ret, "%s: row complete and consistent%s%s", f->name,
			   ret ? ": " : "", why);
		UNIT_EQ(s, hw_soc_by_name(f->name), "name leads back to the row");
		for (const char *const *c = f->compatibles; *c; c++)
			UNIT_EQ(s, hw_soc_by_compatible(*c), *c);
	}
	UNIT_CHECK(!hw_soc_facts(HW_SOC_UNKNOWN), "no row for HW_SOC_UNKNOWN");
	UNIT_CHECK(!hw_soc_facts(HW_SOC_COUNT), "no row past the table");
	UNIT_CHECK(!strcmp(hw_soc_name(HW_SOC_UNKNOWN), "unknown"), "unknown SoC has a printable name");
	UNIT_EQ(HW_SOC_UNKNOWN, hw_soc_by_name("rk3399"), "rk3399 has no NPU row");
	UNIT_EQ(HW_SOC_UNKNOWN, hw_soc_by_compatible("rockchip,rk3399"), "rk3399 compatible unknown");
	UNIT_EQ(HW_SOC_UNKNOWN, hw_soc_by_name(NULL), "NULL name");
}

/* The facts the suite relies on, against their sources (see soc.c). */
static void test_known_facts(void)
{
	const struct hw_soc_facts *a = hw_soc_facts(HW_SOC_RK3568);
	const struct hw_soc_facts *b = hw_soc_facts(HW_SOC_RK3588);

	UNIT_EQ(HW_SOC_RK3568, hw_soc_by_compatible("rockchip,rk3566"), "rk3566 is the RK3568 NPU");
	UNIT_EQ(HW_SOC_RK3588, hw_soc_by_compatible("rockchip,rk3588s"), "rk3588s is the RK3588 NPU");
	UNIT_EQ(1, a->num_cores, "rk3568: one core");
	UNIT_EQ(151, a->irq[0], "rk3568: GIC SPI 151 (RK3568 RFC DT patch)");
	UNIT_EQ(32, a->dma_bits, "rk3568: 32-bit DMA");
	UNIT_EQ(HW_IOMMU_V1, a->iommu_version, "rk3568: IOMMU v1");
	UNIT_EQ(1, a->pc_amount_scale, "rk3568: PC amount in 64-bit units");
	UNIT_CHECK(a->has_dma_counters, "rk3568: DDMA counters");
	UNIT_EQ(8, a->cbuf_banks, "rk3568: 8 CBUF banks");
	UNIT_EQ(3, b->num_cores, "rk3588: three cores");
	UNIT_EQ(112, b->irq[2], "rk3588: core 2 on GIC SPI 112 (rk3588-base.dtsi)");
	UNIT_EQ(40, b->dma_bits, "rk3588: 40-bit DMA");
	UNIT_EQ(HW_IOMMU_V2, b->iommu_version, "rk3588: IOMMU v2");
	UNIT_EQ(2, b->pc_amount_scale, "rk3588: PC amount in 128-bit units");
	UNIT_CHECK(!b->has_dma_counters, "rk3588: no DDMA counters");
	UNIT_EQ(12 * 256 * 128, b->cbuf_banks * b->cbuf_entries_per_bank * b->cbuf_entry_size,
		"rk3588: 384 KiB CBUF (Mesa rkt_ml.h)");
	UNIT_CHECK(!strcmp(b->core_power_domain[0], "nputop") &&
		   !strcmp(b->core_power_domain[2], "npu2"), "rk3588: cores in nputop, npu1, npu2");
	UNIT_EQ(0xfdaba000, b->mmu_base2[0], "rk3588: core 0's second MMU instance");
}

/* Ways of adding a row half way; each must be refused with a reason. */
enum half_row {
	NO_IRQ, CORES_WITHOUT_BASES, CORE_WITHOUT_BASE, NO_DOMAIN, NO_HCLK,
	SHARED_IRQ, WIDE_DMA_V1, NO_AMOUNT_UNIT, NO_CBUF, NO_CLOCK_NAME, NO_KERNEL_DT,
	NAME_NOT_IN_ENUM, FOREIGN_COMPATIBLE, HALF_ROWS,
};

/* A copy of a real row, broken one way; what says which. */
static struct hw_soc_facts half_row(enum half_row how, const char **what)
{
	struct hw_soc_facts f = *hw_soc_facts(how == CORE_WITHOUT_BASE ?
					       HW_SOC_RK3568 : HW_SOC_RK3588);

	switch (how) {
	case NO_IRQ:
		f.irq[2] = 0;
		*what = "core without an IRQ";
		break;
	case CORES_WITHOUT_BASES:
	case CORE_WITHOUT_BASE:
		f.num_cores = 2;
		*what = how == CORE_WITHOUT_BASE ? "2 cores with 1 core's bases" :
						   "2 cores with 3 cores' bases";
		break;
	case NO_DOMAIN:
		f.core_power_domain[1] = NULL;
		*what = "core without a power domain";
		break;
	case NO_HCLK:
		f.core_hclk[0] = NULL;
		*what = "core without its hclk";
		break;
	case SHARED_IRQ:
		f.irq[1] = f.irq[0];
		*what = "two cores on one IRQ";
		break;
	case WIDE_DMA_V1:
		f.iommu_version = HW_IOMMU_V1;
		*what = "40-bit DMA behind a v1 IOMMU";
		break;
	case NO_AMOUNT_UNIT:
		f.pc_amount_scale = 0;
		*what = "PC amount unit missing";
		break;
	case NO_CBUF:
		f.cbuf_banks = 0;
		*what = "CBUF geometry missing";
		break;
	case NO_CLOCK_NAME:
		f.clock_names = clock_names_short;
		*what = "clock-names incomplete";
		break;
	case NO_KERNEL_DT:
		f.kernel_dt = NULL;
		*what = "kernel support: mainline's device tree unsaid";
		break;
	case NAME_NOT_IN_ENUM:
		f.name = "rk3576";
		*what = "row whose name is not in the enum";
		break;
	case FOREIGN_COMPATIBLE:
		f.compatibles[0] = "rockchip,rk3568";
		*what = "compatible of another SoC";
		break;
	case HALF_ROWS:
		*what = "?";
		break;
	}
	return f;
}

static void test_half_rows(void)
{
	for (int how = 0; how < HALF_ROWS; how++) {
		const char *what = "?";
		struct hw_soc_facts f = half_row((enum half_row)how, &what);
		char why[160] = "";

		UNIT_CHECK(hw_soc_check_row(&f, why, sizeof(why)), "%s refused: %s", what, why);
	}
}

int main(void)
{
	test_every_row();
	test_known_facts();
	test_half_rows();
	return unit_done();
}
