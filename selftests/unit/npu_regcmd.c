// SPDX-License-Identifier: MIT
/*
 * npu_regcmd — regcmd entry encoding, block targets, task tails, chaining,
 * PC fetch amounts, the register table and SoC variant names.
 */
#include <errno.h>
#include <string.h>

#include "npu/npu_program.h"
#include "npu/npu_regs.h"
#include "npu/npu_soc.h"
#include "npu/regcmd.h"
#include "../selftests/unit/unit.h"

static void test_encode_decode(void)
{
	/* Mesa rkt_regcmd.c, RK3588 TRM ch. 36: target [63:48], value [47:16], register [15:0] */
	uint64_t w = npu_regcmd_encode(0x0201, 0x001f0020, 0x1024);
	struct npu_regcmd_entry e = npu_regcmd_decode(w);
	static const uint64_t samples[] = {
		0, ~0ull, 0x0201000000b11040ull, 0x00810000001d0008ull, 0x8001ffffffff7ffcull,
	};
	int ok = 1;

	UNIT_EQ(0x0201001f00201024ull, w, "encode CNA DATA_SIZE1 as in Mesa rkt_regcmd.c formulas, derived #11");
	UNIT_CHECK(e.target == 0x0201 && e.value == 0x001f0020 && e.reg == 0x1024,
		   "decode returns the three fields");
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		e = npu_regcmd_decode(samples[i]);
		ok &= npu_regcmd_encode(e.target, e.value, e.reg) == samples[i];
	}
	UNIT_CHECK(ok, "decode then encode gives back every sample word");
	UNIT_EQ(0x0201deadbeef1040ull, npu_regcmd_with_value(0x0201000000b11040ull, 0xdeadbeef),
		"with_value keeps target and register");
}

static void test_targets(void)
{
	/* Mesa rkt_regcmd.c, RK3588 TRM ch. 36 target table */
	static const struct { uint16_t reg, target; } t[] = {
		{ REG_PC_BASE_ADDRESS, 0x0101 }, { REG_CNA_CONV_CON1, 0x0201 },
		{ REG_CORE_MISC_CFG, 0x0801 }, { REG_DPU_BS_CFG, 0x1001 },
		{ REG_DPU_RDMA_RDMA_WEIGHT, 0x2001 }, { REG_PPU_DATA_FORMAT, 0x4001 },
		{ REG_PPU_RDMA_RDMA_S_POINTER, 0x8001 }, { 0x9000, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		UNIT_EQ(t[i].target, npu_regcmd_target(t[i].reg), "target of a block register");
	UNIT_EQ(NPU_BLOCK_GLOBAL, npu_block_of_target(0x0081)->block, "0x0081 is the broadcast");
}

static void test_tail_and_chain(void)
{
	struct npu_regcmd rc;
	uint64_t words[8];

	/* single task: raw 0, AMOUNTS, 0x0041 marker, op_en (Mesa rkt_regcmd.c task tail) */
	npu_regcmd_init(&rc);
	npu_regcmd_emit_tail(&rc, false, 0x1d);
	UNIT_EQ(4, rc.count, "tail has 4 entries");
	UNIT_EQ(0, rc.words[0], "single-task tail -4 is the raw word 0");
	UNIT_EQ(0x0101000000000014ull, rc.words[1], "-3 PC_REGISTER_AMOUNTS(0)");
	UNIT_EQ(0x0041000000000000ull, rc.words[2], "-2 the 0x0041 marker");
	UNIT_EQ(0x00810000001d0008ull, rc.words[3], "-1 op_en 0x1d broadcast");
	UNIT_EQ(-EINVAL, npu_regcmd_chain(rc.words, 4, 0x1000, 64),
		"an unchained tail is not patched");
	npu_regcmd_fini(&rc);

	npu_regcmd_init(&rc);
	npu_regcmd_emit(&rc, REG_CNA_CONV_CON1, 0);
	npu_regcmd_emit_tail(&rc, true, 0x1d);
	UNIT_EQ(0x0101000000000010ull, rc.words[1], "chained tail -4 is PC_BASE_ADDRESS(0)");
	memcpy(words, rc.words, rc.count * sizeof(*words));
	UNIT_EQ(0, npu_regcmd_chain(words, rc.count, 0x12345670, 64), "chain patch");
	UNIT_EQ(0x0101123456700010ull, words[1], "next task address in PC_BASE_ADDRESS");
	UNIT_EQ(0x0101000000400014ull, words[2], "next amount in PC_REGISTER_AMOUNTS");
	UNIT_EQ(-EINVAL, npu_regcmd_chain(words, rc.count, 0x12345678, 64),
		"unaligned next address rejected (bits 31:4)");
	UNIT_EQ(-EINVAL, npu_regcmd_chain(words, rc.count, 0x100000000ull, 64),
		"next address above 4 GiB rejected");
	npu_regcmd_fini(&rc);
}

static void test_amounts(void)
{
	int same = 1;

	/* rocket_job.c hw_submit: (n + 1) / 2 - 1 */
	UNIT_EQ(64, npu_pc_amount_kernel(130), "kernel amount for 130 entries");
	UNIT_EQ(65, npu_pc_amount_kernel(131), "odd count rounds up (one extra entry fetched)");
	UNIT_EQ(0, npu_pc_amount_kernel(1), "one entry");
	/* vendor rknpu rknpu_config: scale 1 on RK356x -> n - 1 */
	UNIT_EQ(129, npu_pc_amount_vendor(130, 1), "vendor scale 1 amount for 130 entries");
	/* vendor dump vendor librknnrt matmul dump: 112 entries, regcfg_amount 108 -> scale 2 gives 55 */
	UNIT_EQ(55, npu_pc_amount_vendor(112, 2), "vendor scale 2 amount for 112 entries");
	for (uint32_t n = 1; n < 5000; n++)
		same &= npu_pc_amount_vendor(n, 2) == npu_pc_amount_kernel(n);
	UNIT_CHECK(same, "vendor scale 2 equals the upstream kernel formula for n < 5000");
	/* Mesa rkt_regcmd.c task tail: align((n - 4) / 2, 2) */
	UNIT_EQ(64, npu_chain_amount_mesa(130), "Mesa chain amount for 130 entries");
	UNIT_EQ(54, npu_chain_amount_mesa(112), "Mesa chain amount for 112 entries");
	UNIT_EQ(129, npu_chain_amount_fork3568(130), "[FORK-3568] chain amount n - 1");
	UNIT_EQ(129, npu_program_chain_amount(npu_soc_rk3568(), 130), "rk3568 chains with n - 1");
	UNIT_EQ(64, npu_program_chain_amount(npu_soc_rk3588(), 130), "rk3588 chains with Mesa's");
}

static void test_reg_table(void)
{
	unsigned int n, i, j, bad_window = 0, dup = 0, bad_field = 0, overlap = 0;
	const struct npu_reg_desc *t = npu_reg_table(&n);

	UNIT_CHECK(n > 150, "register table has %u registers", n);
	for (i = 0; i < n; i++) {
		const struct npu_block_info *b = npu_block_info(t[i].block);
		const struct npu_field_desc *f;
		unsigned int nf = npu_reg_fields(&t[i], &f);
		uint32_t used = 0;

		if (t[i].block != NPU_BLOCK_GLOBAL &&
		    (t[i].offset < b->base || t[i].offset >= b->base + 0x1000 || t[i].offset % 4))
			bad_window++;
		for (j = i + 1; j < n; j++)
			dup += t[j].block == t[i].block && t[j].offset == t[i].offset;
		for (j = 0; j < nf; j++) {
			uint32_t m = NPU_FIELD_MASK(f[j].hi, f[j].lo);

			bad_field += f[j].hi > 31 || f[j].lo > f[j].hi;
			overlap += !!(used & m);
			used |= m;
		}
	}
	UNIT_EQ(0, bad_window, "every register lies 4-aligned in its block's window");
	UNIT_EQ(0, dup, "no two registers share an offset");
	UNIT_EQ(0, bad_field, "field bit ranges are valid");
	UNIT_EQ(0, overlap, "fields of a register do not overlap");
	UNIT_EQ(0x3ff0u, CNA_CONV_CON2_FEATURE_GRAINS__MASK, "FEATURE_GRAINS mask 13:4");
	UNIT_EQ(0x340, CNA_CONV_CON2_FEATURE_GRAINS(52), "packer shifts (Mesa rkt_regcmd.c formulas, derived #8)");
	UNIT_EQ(52, CNA_CONV_CON2_FEATURE_GRAINS__GET(0x340), "extractor");
	UNIT_EQ(0xfffffff0u, PC_BASE_ADDRESS_PC_SOURCE_ADDR__MASK, "31:4 mask");
	UNIT_EQ(0xffffffffu, CNA_PAD_CON1_PAD_VALUE(0xffffffe4u) | 0x1b, "31:0 packer");
	UNIT_CHECK(npu_reg_by_name("DPU_RDMA_RDMA_WEIGHT") &&
		   npu_reg_by_name("DPU_RDMA_RDMA_WEIGHT")->offset == 0x5068,
		   "lookup by name, DPU_RDMA prefix");
	UNIT_CHECK(!npu_reg_by_name("CNA_NO_SUCH"), "unknown name gives NULL");
}

static void test_soc_variants(void)
{
	const struct npu_soc *s = npu_soc_variant("rk3568-c2-16-banks-12");

	UNIT_CHECK(s && s->feature_c2 == 16 && s->cbuf_banks == 12 && s->pc_amount_scale == 1,
		   "rk3568-c2-16-banks-12: C2 16, 12 banks, RK356x amount scale");
	UNIT_CHECK(s == npu_soc_variant("rk3568-c2-16-banks-12"), "variants are cached");
	s = npu_soc_variant("rk3568-c2-8");
	UNIT_CHECK(s && s->feature_c2 == 8 && s->surf_px_align == 4 && s->fork_geometry,
		   "c2-8 brings the fork's 4-pixel surfaces");
	s = npu_soc_variant("rk3588-scale-1-align-128-kgroup-16-open-1f");
	UNIT_CHECK(s && s->pc_amount_scale == 1 && s->task_align == 128 &&
		   s->weight_kgroup == 16 && s->conv_op_en == 0x1f, "all modifiers apply");
	s = npu_soc_variant("rk3568-fork");
	UNIT_CHECK(s && s->cbuf_banks == 8 && s->feature_c2 == 8 && s->conv_op_en == 0x1f,
		   "rk3568-fork has every [FORK-3568] value");
	UNIT_CHECK(!npu_soc_variant("rk3399"), "unknown SoC rejected");
	UNIT_CHECK(!npu_soc_variant("rk3588-banks-99"), "out-of-range modifier rejected");
	UNIT_CHECK(!npu_soc_variant("rk3588-c2"), "modifier without value rejected");
	UNIT_CHECK(!npu_soc_variant("rk3588-c2-12"), "C2 other than 8/16 rejected");
	UNIT_EQ(2, npu_soc_rk3588()->pc_amount_scale, "rk3588 amount scale 2 (Mesa rkt_regcmd.c, RK3588 TRM ch. 36)");
	UNIT_EQ(8, npu_soc_rk3568()->cbuf_banks, "rk3568 CBUF 8 banks (vendor rknpu per-SoC tables)");
}

int main(void)
{
	test_encode_decode();
	test_targets();
	test_tail_and_chain();
	test_amounts();
	test_reg_table();
	test_soc_variants();
	return unit_done();
}
