// SPDX-License-Identifier: MIT
/*
 * vnpu_regs_doc — vnpu's register files against the register description,
 * and docs/vnpu.md's register tables printed from them.
 *
 * Without arguments: unit checks that every row of vnpu's access-info
 * tables names a register of the description at the same offset
 * (lib/npu/npu_regs.def for the core, lib/hw/rk_iommu_regs.h for the
 * MMU), once.  With --markdown: the tables, which
 * selftests/vnpu-regs-doc.sh compares with docs/vnpu.md (and writes
 * there with VNPU_REGS_DOC_WRITE=1).
 */
#include <stdio.h>
#include <string.h>

#include "hw/rk_iommu_regs.h"
#include "npu/npu_regs.h"
#include "vnpu/vnpu_regfile.h"
#include "../selftests/unit/unit.h"

#define ALL_BITS	0xffffffffu
/* The source column of the MMU table (docs/sources.md). */
#define MMU_SOURCE	"rockchip-iommu.c registers"

/* The description's register a core row names, or NULL. */
static const struct npu_reg_desc *described(const struct vnpu_reg_access *a)
{
	return npu_reg_by_name(a->name);
}

/* The offset the CPU sees for a described register (GLOBAL: in its window). */
static uint32_t mmio_offset(const struct npu_reg_desc *d)
{
	return d->block == NPU_BLOCK_GLOBAL ? NPU_GLOBAL_MMIO(d->offset) : d->offset;
}

/* "RO", "WO", "RW", "RW bit0" or "RW [15:0]": what a bus write can change. */
static void access_text(const struct vnpu_reg_access *a, char *buf, size_t len)
{
	uint32_t w = ~a->ro;
	int lo, hi;

	if (a->wo) {
		snprintf(buf, len, "WO");
		return;
	}
	if (!w) {
		snprintf(buf, len, "RO");
		return;
	}
	if (w == ALL_BITS) {
		snprintf(buf, len, "RW");
		return;
	}
	lo = __builtin_ctz(w);
	hi = 31 - __builtin_clz(w);
	if (hi == lo)
		snprintf(buf, len, "RW bit%d", lo);
	else
		snprintf(buf, len, "RW [%d:%d]", hi, lo);
}

static void reset_text(const struct vnpu_reg_access *a, char *buf, size_t len)
{
	if (a->wo)
		snprintf(buf, len, "—");
	else if (a->soc_reset)
		snprintf(buf, len, "SoC value");
	else if (a->reset)
		snprintf(buf, len, "0x%x", a->reset);
	else
		snprintf(buf, len, "0");
}

static void print_table(const struct vnpu_reg_access *t, size_t n, bool core)
{
	printf("| offset | name | access | reset | side effect | source |\n");
	printf("|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		const struct npu_reg_desc *d = core ? described(&t[i]) : NULL;
		char acc[32], rst[32];

		access_text(&t[i], acc, sizeof(acc));
		reset_text(&t[i], rst, sizeof(rst));
		printf("| 0x%0*x | %s | %s | %s | %s | %s |\n", core ? 4 : 2, t[i].addr,
		       t[i].name, acc, rst, t[i].effect ? t[i].effect : "—",
		       core ? (d ? d->source : "NOT DESCRIBED") : MMU_SOURCE);
	}
}

static void markdown(void)
{
	printf("### NPU core (offsets from the core base, lib/npu/npu_regs.def)\n\n");
	print_table(vnpu_core_regfile.access, vnpu_core_regfile.n_access, true);
	printf("\n### MMU (rk_iommu, lib/hw/rk_iommu_regs.h)\n\n");
	print_table(vnpu_mmu_regfile.access, vnpu_mmu_regfile.n_access, false);
}

/* The MMU names the description knows, by offset (hw/rk_iommu_regs.h). */
static const struct {
	const char *name;
	uint32_t addr;
} mmu_described[] = {
	{ "DTE_ADDR", RK_MMU_DTE_ADDR },
	{ "STATUS", RK_MMU_STATUS },
	{ "COMMAND", RK_MMU_COMMAND },
	{ "PAGE_FAULT_ADDR", RK_MMU_PAGE_FAULT_ADDR },
	{ "ZAP_ONE_LINE", RK_MMU_ZAP_ONE_LINE },
	{ "INT_RAWSTAT", RK_MMU_INT_RAWSTAT },
	{ "INT_CLEAR", RK_MMU_INT_CLEAR },
	{ "INT_MASK", RK_MMU_INT_MASK },
	{ "INT_STATUS", RK_MMU_INT_STATUS },
	{ "AUTO_GATING", RK_MMU_AUTO_GATING },
};

static void check_core(void)
{
	size_t n = vnpu_core_regfile.n_access, bad = 0, dup = 0;
	const struct vnpu_reg_access *t = vnpu_core_regfile.access;

	UNIT_CHECK(n > 0, "vnpu's core register file has %zu described registers", n);
	for (size_t i = 0; i < n; i++) {
		const struct npu_reg_desc *d = described(&t[i]);

		if (!d || mmio_offset(d) != t[i].addr) {
			bad++;
			UNIT_CHECK(0, "core row %s at 0x%04x is npu_regs.def's register there",
				   t[i].name, t[i].addr);
		}
		for (size_t j = i + 1; j < n; j++)
			dup += t[j].addr == t[i].addr;
	}
	UNIT_EQ(0, bad, "every core row is a register of npu_regs.def at its offset");
	UNIT_EQ(0, dup, "no core register has two rows");
}

static void check_mmu(void)
{
	size_t n = vnpu_mmu_regfile.n_access, bad = 0, dup = 0;
	const struct vnpu_reg_access *t = vnpu_mmu_regfile.access;

	UNIT_CHECK(n > 0, "vnpu's MMU register file has %zu registers", n);
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		for (size_t k = 0; k < sizeof(mmu_described) / sizeof(mmu_described[0]); k++)
			found |= !strcmp(mmu_described[k].name, t[i].name) &&
				 mmu_described[k].addr == t[i].addr;
		bad += !found;
		for (size_t j = i + 1; j < n; j++)
			dup += t[j].addr == t[i].addr;
		if (t[i].addr / 4 >= RK_MMU_NREGS)
			bad++;
	}
	UNIT_EQ(0, bad, "every MMU row is an rk_iommu register at its offset");
	UNIT_EQ(0, dup, "no MMU register has two rows");
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--markdown")) {
		markdown();
		return 0;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: vnpu_regs_doc [--markdown]\n");
		return 2;
	}
	check_core();
	check_mmu();
	return unit_done();
}
