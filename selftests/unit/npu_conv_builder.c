// SPDX-License-Identifier: MIT
/*
 * npu_conv_builder — lib/npu's conv2d regcmd builder against the values
 * derived from upstream Mesa's formulas in Mesa rkt_regcmd.c formulas, derived, entry by
 * entry, plus tiling decisions, relocation rules and the raw-int32 mode.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npu/npu_conv.h"
#include "npu/npu_disasm.h"
#include "npu/npu_layout.h"
#include "npu/npu_program.h"
#include "npu/npu_ref.h"
#include "npu/regcmd.h"
#include "../selftests/unit/unit.h"

#define RAW_WORD 0xffff		/* table row is a raw word, not a register write */

/*
 * Mesa rkt_regcmd.c formulas, derived [DERIVED]: 1x1 conv, input 8x8x32 (izp 100, si 0.5),
 * weights 32x1x1x32 (wzp 120, sw 0.125), output 8x8x32 (ozp 130, so 1.0),
 * IOVAs in 0x10000000, w 0x10100000, bias 0x10200000, out 0x10300000.
 * Registers in the order of Mesa rkt_regcmd.c conv2d task; word 0 = "written with value 0".
 */
static const struct {
	unsigned int n;
	uint16_t reg;
	uint64_t word;
} mesa_8_2[] = {
	{ 1, REG_CNA_CBUF_CON0, 0x0201000000b11040ull },
	{ 2, REG_CNA_DCOMP_REGNUM, 0 },
	{ 3, REG_CNA_DCOMP_CTRL, 0 },
	{ 4, REG_CNA_CONV_CON1, 0 },
	{ 5, REG_DPU_S_POINTER, 0x10010000000e4004ull },
	{ 6, REG_DPU_RDMA_RDMA_S_POINTER, 0x20010000000e5004ull },
	{ 7, REG_CNA_CONV_CON1, 0 },
	{ 8, REG_CNA_CONV_CON2, 0x0201000003401010ull },
	{ 9, REG_CNA_CONV_CON3, 0x0201000000091014ull },
	{ 10, REG_CNA_DATA_SIZE0, 0x0201000800081020ull },
	{ 11, REG_CNA_DATA_SIZE1, 0x0201001f00201024ull },
	{ 12, REG_CNA_DATA_SIZE2, 0x0201000000081028ull },
	{ 13, REG_CNA_DATA_SIZE3, 0x020100000040102cull },
	{ 14, REG_CNA_WEIGHT_SIZE0, 0x0201000004001030ull },
	{ 15, REG_CNA_WEIGHT_SIZE1, 0x0201000000201034ull },
	{ 16, REG_CNA_WEIGHT_SIZE2, 0x0201010100201038ull },
	{ 17, REG_CNA_CBUF_CON0, 0x0201000000b11040ull },
	{ 18, REG_CNA_CBUF_CON1, 0x0201000000041044ull },
	{ 19, REG_CNA_CVT_CON0, 0x02010000000b104cull },
	{ 20, REG_CNA_CVT_CON1, 0x0201000100001050ull },
	{ 21, REG_CNA_CVT_CON2, 0x0201000100001054ull },
	{ 22, REG_CNA_CVT_CON3, 0x0201000100001058ull },
	{ 23, REG_CNA_CVT_CON4, 0x020100010000105cull },
	{ 24, REG_CNA_FC_CON0, 0 },
	{ 25, REG_CNA_FC_CON1, 0 },
	{ 26, REG_CNA_PAD_CON0, 0 },
	{ 27, REG_CNA_FEATURE_DATA_ADDR, 0x0201100000001070ull },
	{ 28, REG_CNA_FC_CON2, 0 },
	{ 29, REG_CNA_DMA_CON0, 0x0201000f000f1078ull },
	{ 30, REG_CNA_DMA_CON1, 0x020100000020107cull },
	{ 31, REG_CNA_DMA_CON2, 0x0201000000201080ull },
	{ 32, REG_CNA_FC_DATA_SIZE0, 0x0201000800081084ull },
	{ 33, REG_CNA_FC_DATA_SIZE1, 0x0201000000201088ull },
	{ 34, REG_CNA_DCOMP_CTRL, 0 },
	{ 35, REG_CNA_DCOMP_REGNUM, 0 },
	{ 36, REG_CNA_DCOMP_ADDR0, 0x0201101000001110ull },
	{ 37, REG_CNA_DCOMP_AMOUNT0, 0 }, { 38, REG_CNA_DCOMP_AMOUNT1, 0 },
	{ 39, REG_CNA_DCOMP_AMOUNT2, 0 }, { 40, REG_CNA_DCOMP_AMOUNT3, 0 },
	{ 41, REG_CNA_DCOMP_AMOUNT4, 0 }, { 42, REG_CNA_DCOMP_AMOUNT5, 0 },
	{ 43, REG_CNA_DCOMP_AMOUNT6, 0 }, { 44, REG_CNA_DCOMP_AMOUNT7, 0 },
	{ 45, REG_CNA_DCOMP_AMOUNT8, 0 }, { 46, REG_CNA_DCOMP_AMOUNT9, 0 },
	{ 47, REG_CNA_DCOMP_AMOUNT10, 0 }, { 48, REG_CNA_DCOMP_AMOUNT11, 0 },
	{ 49, REG_CNA_DCOMP_AMOUNT12, 0 }, { 50, REG_CNA_DCOMP_AMOUNT13, 0 },
	{ 51, REG_CNA_DCOMP_AMOUNT14, 0 }, { 52, REG_CNA_DCOMP_AMOUNT15, 0 },
	{ 53, REG_CNA_CVT_CON5, 0 },
	{ 54, REG_CNA_PAD_CON1, 0x0201ffffffe41184ull },	/* 100 - 128 */
	{ 55, REG_CORE_MISC_CFG, 0x0801000000013010ull },
	{ 56, REG_CORE_DATAOUT_SIZE_0, 0x0801000700073014ull },
	{ 57, REG_CORE_DATAOUT_SIZE_1, 0x08010000001f3018ull },
	{ 58, REG_CORE_CLIP_TRUNCATE, 0 },
	{ 59, REG_CORE_UNDOC_3030, 0 },
	{ 60, REG_DPU_FEATURE_MODE_CFG, 0x1001000001e4400cull },
	{ 61, REG_DPU_DATA_FORMAT, 0 },
	{ 62, REG_DPU_OFFSET_PEND, 0 },
	{ 63, REG_DPU_DST_BASE_ADDR, 0x1001103000004020ull },
	{ 64, REG_DPU_DST_SURF_STRIDE, 0x1001000004004024ull },
	{ 65, REG_DPU_DATA_CUBE_WIDTH, 0x1001000000074030ull },
	{ 66, REG_DPU_DATA_CUBE_HEIGHT, 0x1001000000074034ull },
	{ 67, REG_DPU_DATA_CUBE_NOTCH_ADDR, 0 },
	{ 68, REG_DPU_DATA_CUBE_CHANNEL, 0x1001001f001f403cull },
	{ 69, REG_DPU_BS_CFG, 0x1001000201504040ull },
	{ 70, REG_DPU_BS_ALU_CFG, 0 },
	{ 71, REG_DPU_BS_MUL_CFG, 0 },
	{ 72, REG_DPU_BS_RELUX_CMP_VALUE, 0 },
	{ 73, REG_DPU_BS_OW_CFG, 0x1001000001244050ull },
	{ 74, REG_DPU_BS_OW_OP, 0x1001000000084054ull },	/* 0x80 - 120 */
	{ 75, REG_DPU_WDMA_SIZE_0, 0x10010000001f4058ull },
	{ 76, REG_DPU_WDMA_SIZE_1, 0x100100070007405cull },
	{ 77, REG_DPU_BN_CFG, 0x1001000000534060ull },
	{ 78, REG_DPU_BN_ALU_CFG, 0 },
	{ 79, REG_DPU_BN_MUL_CFG, 0 },
	{ 80, REG_DPU_BN_RELUX_CMP_VALUE, 0 },
	{ 81, REG_DPU_EW_CFG, 0x1001000003834070ull },
	{ 82, REG_DPU_EW_CVT_OFFSET_VALUE, 0 },
	{ 83, REG_DPU_EW_CVT_SCALE_VALUE, 0x1001000000014078ull },
	{ 84, REG_DPU_EW_RELUX_CMP_VALUE, 0 },
	{ 85, REG_DPU_OUT_CVT_OFFSET, 0x1001000000024080ull },	/* 130 - 128 */
	{ 86, REG_DPU_OUT_CVT_SCALE, 0x1001000040014084ull },	/* 16385 */
	{ 87, REG_DPU_OUT_CVT_SHIFT, 0x1001000000124088ull },	/* 18 */
	{ 88, REG_DPU_EW_OP_VALUE_0, 0 }, { 89, REG_DPU_EW_OP_VALUE_1, 0 },
	{ 90, REG_DPU_EW_OP_VALUE_2, 0 }, { 91, REG_DPU_EW_OP_VALUE_3, 0 },
	{ 92, REG_DPU_EW_OP_VALUE_4, 0 }, { 93, REG_DPU_EW_OP_VALUE_5, 0 },
	{ 94, REG_DPU_EW_OP_VALUE_6, 0 }, { 95, REG_DPU_EW_OP_VALUE_7, 0 },
	{ 96, REG_DPU_SURFACE_ADD, 0x10010000080040c0ull },
	{ 97, REG_DPU_UNDOC_40C4, 0 },
	{ 98, REG_DPU_LUT_ACCESS_CFG, 0 }, { 99, REG_DPU_LUT_ACCESS_DATA, 0 },
	{ 100, REG_DPU_LUT_CFG, 0 }, { 101, REG_DPU_LUT_INFO, 0 },
	{ 102, REG_DPU_LUT_LE_START, 0 }, { 103, REG_DPU_LUT_LE_END, 0 },
	{ 104, REG_DPU_LUT_LO_START, 0 }, { 105, REG_DPU_LUT_LO_END, 0 },
	{ 106, REG_DPU_LUT_LE_SLOPE_SCALE, 0 }, { 107, REG_DPU_LUT_LE_SLOPE_SHIFT, 0 },
	{ 108, REG_DPU_LUT_LO_SLOPE_SCALE, 0 }, { 109, REG_DPU_LUT_LO_SLOPE_SHIFT, 0 },
	{ 110, REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH, 0x200100000007500cull },
	{ 111, REG_DPU_RDMA_RDMA_DATA_CUBE_HEIGHT, 0x2001000000075010ull },
	{ 112, REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL, 0x20010000001f5014ull },
	{ 113, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR, 0 },
	{ 114, REG_DPU_RDMA_RDMA_BRDMA_CFG, 0x200100000002501cull },
	{ 115, REG_DPU_RDMA_RDMA_BS_BASE_ADDR, 0x2001102000005020ull },
	{ 116, REG_DPU_RDMA_RDMA_NRDMA_CFG, 0 },
	{ 117, REG_DPU_RDMA_RDMA_BN_BASE_ADDR, 0 },
	{ 118, REG_DPU_RDMA_RDMA_ERDMA_CFG, 0x2001000000015034ull },
	{ 119, REG_DPU_RDMA_RDMA_EW_BASE_ADDR, 0 },
	{ 120, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE, 0 },
	{ 121, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG, 0x2001000078105044ull },
	{ 122, REG_DPU_RDMA_RDMA_SRC_DMA_CFG, 0 },
	{ 123, REG_DPU_RDMA_RDMA_SURF_NOTCH, 0 },
	{ 124, REG_DPU_RDMA_RDMA_PAD_CFG, 0 },
	{ 125, REG_DPU_RDMA_RDMA_WEIGHT, 0x2001010101015068ull },
	{ 126, REG_DPU_RDMA_RDMA_EW_SURF_NOTCH, 0 },
	/* Mesa rkt_regcmd.c task tail tail of a single-task operation */
	{ 127, RAW_WORD, 0 },
	{ 128, RAW_WORD, 0x0101000000000014ull },
	{ 129, RAW_WORD, 0x0041000000000000ull },
	{ 130, RAW_WORD, 0x00810000001d0008ull },
};

#define IOVA_REGCMD	0x10400000ull
#define IOVA_INPUT	0x10000000ull
#define IOVA_WEIGHTS	0x10100000ull
#define IOVA_BIAS	0x10200000ull
#define IOVA_OUTPUT	0x10300000ull

static struct npu_conv2d_params example_8_2(void)
{
	/* uint8 zero points 100/120/130 are int8 -28/-8/2 (x_s8 = x_u8 - 0x80) */
	struct npu_conv2d_params p = {
		.in_h = 8, .in_w = 8, .in_c = 32, .out_c = 32,
		.k_h = 1, .k_w = 1, .stride = 1,
		.in_zp = 100 - 128, .w_zp = 120 - 128, .out_zp = 130 - 128,
		.in_scale = 0.5f, .w_scale = 0.125f, .out_scale = 1.0f,
	};
	return p;
}

static void relocate_all(struct npu_program *prog)
{
	uint64_t iova[NPU_SLOT_COUNT] = {
		[NPU_SLOT_REGCMD] = IOVA_REGCMD, [NPU_SLOT_INPUT] = IOVA_INPUT,
		[NPU_SLOT_WEIGHTS] = IOVA_WEIGHTS, [NPU_SLOT_BIAS] = IOVA_BIAS,
		[NPU_SLOT_OUTPUT] = IOVA_OUTPUT,
	};

	UNIT_EQ(0, npu_program_relocate(prog, iova), "relocate with IOVAs below 4 GiB");
}

static void test_mesa_8_2(void)
{
	struct npu_conv2d_params p = example_8_2();
	struct npu_program prog;
	unsigned int bad = 0;

	npu_program_init(&prog, npu_soc_rk3588());
	UNIT_EQ(0, npu_conv2d_build(npu_soc_rk3588(), &p, &prog), "Mesa rkt_regcmd.c formulas, derived build");
	UNIT_EQ(1, prog.n_tasks, "Mesa rkt_regcmd.c formulas, derived: single task (input 1 bank, weights 2 banks)");
	UNIT_EQ(130, prog.tasks[0].count, "Mesa rkt_regcmd.c formulas, derived: 130 entries (Mesa rkt_regcmd.c regcmd_count)");
	UNIT_EQ(64, npu_pc_amount_kernel(prog.tasks[0].count),
		"Mesa rkt_regcmd.c formulas, derived: PC_REGISTER_AMOUNTS written by the kernel = 64");
	relocate_all(&prog);
	for (size_t i = 0; i < sizeof(mesa_8_2) / sizeof(mesa_8_2[0]) && prog.n_tasks; i++) {
		uint64_t want = mesa_8_2[i].word;
		uint64_t seen = prog.words[mesa_8_2[i].n - 1];
		char line[256];

		if (mesa_8_2[i].reg != RAW_WORD && !want)
			want = npu_regcmd_encode(npu_regcmd_target(mesa_8_2[i].reg), 0,
						 mesa_8_2[i].reg);
		if (want == seen)
			continue;
		bad++;
		npu_regcmd_format(mesa_8_2[i].n, seen, line, sizeof(line));
		UNIT_CHECK(0, "Mesa rkt_regcmd.c formulas, derived entry #%u: want 0x%016llx, seen %s", mesa_8_2[i].n,
			   (unsigned long long)want, line);
	}
	UNIT_EQ(0, bad, "Mesa rkt_regcmd.c formulas, derived: all 130 entries match the derived table");
	npu_program_fini(&prog);
}

static void test_slot_sizes(void)
{
	struct npu_conv2d_params p = example_8_2();
	struct npu_program prog;

	npu_program_init(&prog, npu_soc_rk3588());
	npu_conv2d_build(npu_soc_rk3588(), &p, &prog);
	/* NC1HWC2, C2 = 16: 2 surfaces of 8x8x16 bytes */
	UNIT_EQ(2 * 64 * 16, prog.slot_size[NPU_SLOT_INPUT], "input slot 2048 B");
	UNIT_EQ(32 * 32, prog.slot_size[NPU_SLOT_WEIGHTS], "weights slot = WEIGHT_SIZE0");
	UNIT_EQ(32 * 4, prog.slot_size[NPU_SLOT_BIAS], "bias slot 32 x int32");
	UNIT_EQ(2 * 64 * 16, prog.slot_size[NPU_SLOT_OUTPUT], "output slot 2048 B");
	UNIT_EQ(130 * 8, prog.slot_size[NPU_SLOT_REGCMD], "regcmd slot 130 x 8 B");
	UNIT_CHECK(prog.one_job, "weights resident: one job");
	npu_program_fini(&prog);
}

static void test_relocate_rules(void)
{
	struct npu_conv2d_params p = example_8_2();
	uint64_t iova[NPU_SLOT_COUNT] = { 0 };
	struct npu_program prog;
	uint64_t before;

	npu_program_init(&prog, npu_soc_rk3588());
	npu_conv2d_build(npu_soc_rk3588(), &p, &prog);
	before = prog.words[62];
	iova[NPU_SLOT_OUTPUT] = 0x100000000ull;	/* 4 GiB: does not fit (Mesa rkt_regcmd.c) */
	UNIT_EQ(-EINVAL, npu_program_relocate(&prog, iova), "IOVA >= 4 GiB rejected");
	UNIT_EQ(before, prog.words[62], "rejected relocation leaves the program unchanged");
	iova[NPU_SLOT_OUTPUT] = 0x10300008ull;	/* DST_BASE_ADDR bits 31:4 */
	UNIT_EQ(-EINVAL, npu_program_relocate(&prog, iova), "unaligned output IOVA rejected");
	iova[NPU_SLOT_OUTPUT] = 0x10300000ull;
	UNIT_EQ(0, npu_program_relocate(&prog, iova), "aligned IOVAs accepted");
	iova[NPU_SLOT_OUTPUT] = 0x20300000ull;
	npu_program_relocate(&prog, iova);
	UNIT_EQ(0x20300000ull, npu_regcmd_decode(prog.words[62]).value,
		"relocation is idempotent (second call replaces, not ORs)");
	npu_program_fini(&prog);
}

/* 112x112x64 -> 64, 3x3 SAME: input needs 21 banks, more than the CBUF */
static void test_tiling(void)
{
	struct npu_conv2d_params p = {
		.in_h = 112, .in_w = 112, .in_c = 64, .out_c = 64, .k_h = 3, .k_w = 3,
		.stride = 1, .in_scale = 1, .w_scale = 1, .out_scale = 1,
	};
	struct npu_conv_plan *plan = malloc(sizeof(*plan));
	struct npu_program prog;
	unsigned int rows = 0, i;
	bool contiguous = true, fits = true;

	npu_conv2d_same_padding(&p);
	UNIT_EQ(0, npu_conv2d_plan(npu_soc_rk3588(), &p, plan), "plan 112x112x64 3x3");
	/* entries/row = 4 atoms of 16 B -> ceil(4*112/8) = 56; 56*112/256 -> 25 banks */
	UNIT_EQ(56, plan->entries_per_row, "CBUF entries per input row (Mesa rkt_task.c rkt_split_tasks)");
	UNIT_EQ(25, plan->input_banks_needed, "input banks needed");
	/* weights 3*3*64*64 = 36864 B = 288 entries = 2 banks, +1 */
	UNIT_EQ(3, plan->weight_banks_needed, "weight banks needed incl. Mesa's +1");
	UNIT_CHECK(plan->weights_resident, "weights stay resident");
	UNIT_CHECK(plan->n_tasks > 1, "input exceeding the CBUF is split (%u tasks)",
		   plan->n_tasks);
	for (i = 0; i < plan->n_tasks; i++) {
		const struct npu_conv_task *t = &plan->tasks[i];

		contiguous &= t->out_row0 == rows;
		rows += t->out_rows;
		/* data banks 9 (12 - 3): 9*256/56 = 41 input rows fit */
		fits &= t->in_rows <= 41 && t->data_banks == 9 && t->weight_banks == 3;
		fits &= (t->in_rows + t->pad_top + t->pad_bottom - 3) / 1 + 1 == t->out_rows;
		fits &= t->weight_reuse == (i > 0);
	}
	UNIT_CHECK(contiguous && rows == 112, "bands cover the 112 output rows once");
	UNIT_CHECK(fits, "each band fits 9 data banks and its geometry gives its rows");
	UNIT_EQ(1, plan->tasks[0].pad_top, "first band keeps the top padding");
	UNIT_EQ(1, plan->tasks[plan->n_tasks - 1].pad_bottom, "last band the bottom padding");

	npu_program_init(&prog, npu_soc_rk3588());
	UNIT_EQ(0, npu_conv2d_build(npu_soc_rk3588(), &p, &prog), "build tiled conv");
	UNIT_EQ(plan->n_tasks, prog.n_tasks, "one stream per band");
	relocate_all(&prog);
	for (i = 0; i + 1 < prog.n_tasks; i++) {
		const struct npu_task_desc *t = &prog.tasks[i];
		struct npu_regcmd_entry b = npu_regcmd_decode(prog.words[t->first + t->count - 4]);
		struct npu_regcmd_entry a = npu_regcmd_decode(prog.words[t->first + t->count - 3]);

		if (b.value != IOVA_REGCMD + prog.tasks[i + 1].offset ||
		    a.value != npu_chain_amount_mesa(prog.tasks[i + 1].count))
			break;
	}
	UNIT_EQ(prog.n_tasks - 1, i, "each tail chains to the next task's address and amount");
	UNIT_EQ(0, prog.tasks[1].offset % 64, "task streams are 64-byte aligned (Mesa rkt_regcmd.c)");
	{
		/* band 1's input starts at its first row: row * W * 16 bytes */
		struct npu_reg_state *st = calloc(1, sizeof(*st));

		npu_reg_state_apply(st, prog.words + prog.tasks[1].first, prog.tasks[1].count);
		UNIT_EQ(IOVA_INPUT + plan->tasks[1].in_row0 * 112 * 16,
			npu_reg_state_get(st, REG_CNA_FEATURE_DATA_ADDR),
			"band 1 FEATURE_DATA_ADDR = input + in_row0 * line");
		UNIT_EQ(IOVA_OUTPUT + plan->tasks[1].out_row0 * 112 * 16,
			npu_reg_state_get(st, REG_DPU_DST_BASE_ADDR),
			"band 1 DST_BASE_ADDR = output + out_row0 * line");
		uint32_t cbuf_con0 = npu_reg_state_get(st, REG_CNA_CBUF_CON0);

		UNIT_CHECK(CNA_CBUF_CON0_WEIGHT_REUSE__GET(cbuf_con0),
			   "band 1 reuses the weights in CBUF");
		free(st);
	}
	npu_program_fini(&prog);

	/* RK3568 (8 banks) splits the same layer into more tasks */
	{
		struct npu_conv_plan *p68 = malloc(sizeof(*p68));

		npu_conv2d_plan(npu_soc_rk3568(), &p, p68);
		UNIT_CHECK(p68->n_tasks > plan->n_tasks, "8-bank rk3568 needs more bands (%u > %u)",
			   p68->n_tasks, plan->n_tasks);
		free(p68);
	}
	free(plan);
}

/* Weights too big for the CBUF: Mesa's 7/5 bank split, one job per band. */
static void test_tiling_big_weights(void)
{
	struct npu_conv2d_params p = {
		.in_h = 64, .in_w = 64, .in_c = 256, .out_c = 256, .k_h = 3, .k_w = 3,
		.stride = 2, .pad_top = 1, .pad_left = 1, .in_scale = 1, .w_scale = 1,
		.out_scale = 1,
	};
	struct npu_conv_plan *plan = malloc(sizeof(*plan));

	UNIT_EQ(0, npu_conv2d_plan(npu_soc_rk3588(), &p, plan), "plan 256->256 3x3 /2");
	UNIT_CHECK(!plan->weights_resident, "589824 B of weights are not resident");
	UNIT_EQ(7, plan->tasks[0].data_banks, "input gets 7 banks (Mesa rkt_task.c rkt_split_tasks)");
	UNIT_EQ(5, plan->tasks[0].weight_banks, "weights get 5 banks");
	UNIT_CHECK(!plan->tasks[plan->n_tasks - 1].weight_reuse, "no WEIGHT_REUSE");
	free(plan);
}

static void test_variants_in_stream(void)
{
	struct npu_conv2d_params p = example_8_2();
	const struct npu_soc *fork = npu_soc_variant("rk3568-fork");
	const struct npu_soc *c16 = npu_soc_variant("rk3568-c2-16-banks-12-open-1f");
	struct npu_reg_state *st = calloc(1, sizeof(*st));
	struct npu_program prog;

	UNIT_CHECK(fork && c16, "variants resolve");
	npu_program_init(&prog, c16);
	UNIT_EQ(0, npu_conv2d_build(c16, &p, &prog), "build for rk3568-c2-16-banks-12-open-1f");
	npu_reg_state_apply(st, prog.words, prog.tasks[0].count);
	UNIT_EQ(0x1f, st->op_en, "open-1f sets op_en 0x1f");
	UNIT_EQ(0xb1, npu_reg_state_get(st, REG_CNA_CBUF_CON0), "12 banks: CBUF_CON0 0xb1");
	npu_program_fini(&prog);

	npu_reg_state_reset(st);
	npu_program_init(&prog, fork);
	UNIT_EQ(0, npu_conv2d_build(fork, &p, &prog), "build for rk3568-fork");
	npu_reg_state_apply(st, prog.words, prog.tasks[0].count);
	UNIT_EQ(0x00171c07, npu_reg_state_get(st, REG_CNA_DMA_CON0), "fork DMA_CON0");
	UNIT_EQ(0xa, npu_reg_state_get(st, REG_CNA_CVT_CON0), "fork CVT_CON0 0xa");
	UNIT_EQ(8, npu_reg_state_get(st, REG_CNA_DMA_CON1), "fork LINE_STRIDE = W");
	UNIT_EQ(64 * 8, npu_reg_state_get(st, REG_DPU_DST_SURF_STRIDE), "fork DST stride W*H*8");
	/* 4 surfaces of 8 channels x 64 px x 8 B */
	UNIT_EQ(4 * 64 * 8, prog.slot_size[NPU_SLOT_INPUT], "C2 = 8 input layout size");
	npu_program_fini(&prog);
	free(st);
}

static void test_raw_int32(void)
{
	struct npu_conv2d_params p = example_8_2();
	struct npu_reg_state *st = calloc(1, sizeof(*st));
	struct npu_program prog;

	p.raw_int32 = true;
	npu_program_init(&prog, npu_soc_rk3588());
	UNIT_EQ(0, npu_conv2d_build(npu_soc_rk3588(), &p, &prog), "raw int32 build");
	/* vendor librknnrt matmul dump: the vendor stream without DPU_RDMA (130 - 1 - 17 = 112) */
	UNIT_EQ(112, prog.tasks[0].count, "raw int32 task has 112 entries like vendor librknnrt matmul dump");
	npu_reg_state_apply(st, prog.words, prog.tasks[0].count);
	UNIT_EQ(0xd, st->op_en, "op_en 0xd (CNA|CORE|DPU)");
	UNIT_EQ(0x80000000u, npu_reg_state_get(st, REG_DPU_DATA_FORMAT), "OUT_PRECISION int32");
	UNIT_EQ(0x53, npu_reg_state_get(st, REG_DPU_BS_CFG), "BS bypassed");
	UNIT_EQ(0x7fc, npu_reg_state_get(st, REG_DPU_BS_OW_CFG), "BS_OW_CFG 0x7fc as vendor librknnrt matmul dump");
	UNIT_EQ(0x383, npu_reg_state_get(st, REG_DPU_EW_CFG), "EW bypassed");
	UNIT_EQ(1, npu_reg_state_get(st, REG_DPU_OUT_CVT_SCALE), "OUT_CVT scale 1");
	UNIT_EQ(0, npu_reg_state_get(st, REG_DPU_OUT_CVT_SHIFT), "OUT_CVT shift 0");
	UNIT_CHECK(!npu_reg_state_written(st, REG_DPU_RDMA_RDMA_BS_BASE_ADDR), "no bias RDMA");
	UNIT_EQ(0, prog.slot_size[NPU_SLOT_BIAS], "no bias slot");
	/* 8 surfaces of 4 int32 channels x 64 px x 16 B */
	UNIT_EQ(8 * 64 * 16, prog.slot_size[NPU_SLOT_OUTPUT], "int32 output C2 = 4");
	/* Mesa registers.xml DPU/Mesa rkt_ml.c feature layout: raw value = bytes a surface (mtx512's int32 W*H*16) */
	UNIT_EQ(64 * 16, npu_reg_state_get(st, REG_DPU_DST_SURF_STRIDE),
		"int32 DST_SURF_STRIDE raw = W*H*16 bytes");
	npu_program_fini(&prog);

	/* 5x5 3x3 valid -> 3x3 = 9 pixels: no truncation to a multiple of 4 */
	p.in_h = 5;
	p.in_w = 5;
	p.k_h = 3;
	p.k_w = 3;
	npu_reg_state_reset(st);
	npu_program_init(&prog, npu_soc_rk3588());
	UNIT_EQ(0, npu_conv2d_build(npu_soc_rk3588(), &p, &prog), "raw int32 3x3 output build");
	npu_reg_state_apply(st, prog.words, prog.tasks[0].count);
	UNIT_EQ(9 * 16, npu_reg_state_get(st, REG_DPU_DST_SURF_STRIDE),
		"9-pixel int32 surface: raw 144 bytes, not 8 pixels' worth");
	UNIT_EQ(8 * 9 * 16, prog.slot_size[NPU_SLOT_OUTPUT], "int32 output slot 8 x 9 x 16 B");
	npu_program_fini(&prog);
	free(st);
}

/* Mesa rkt_regcmd.c conv2d task #31/Mesa rkt_task.c fill_task: SURF_STRIDE = line_stride * (H/4 - 1), negative below H = 4 */
static void test_cna_surf_stride(void)
{
	static const struct {
		unsigned int h, w;
		uint32_t surf;
	} rows[] = {
		{ 8, 8, 32 },			/* Mesa rkt_regcmd.c formulas, derived #31 */
		{ 5, 5, 5 },			/* W*(H-4) */
		{ 4, 6, 0 },
		{ 3, 3, 0x0ffffffd },		/* -3 in the 28-bit field */
		{ 1, 7, 0x0fffffeb },		/* -21 */
	};
	struct npu_reg_state *st = calloc(1, sizeof(*st));

	for (unsigned int i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct npu_conv2d_params p = example_8_2();
		struct npu_program prog;
		char what[96];

		p.in_h = rows[i].h;
		p.in_w = rows[i].w;
		npu_reg_state_reset(st);
		npu_program_init(&prog, npu_soc_rk3588());
		snprintf(what, sizeof(what), "H=%u W=%u: build", rows[i].h, rows[i].w);
		UNIT_EQ(0, npu_conv2d_build(npu_soc_rk3588(), &p, &prog), what);
		npu_reg_state_apply(st, prog.words, prog.tasks[0].count);
		snprintf(what, sizeof(what), "H=%u W=%u: LINE_STRIDE W*4", rows[i].h, rows[i].w);
		UNIT_EQ(rows[i].w * 4, npu_reg_state_get(st, REG_CNA_DMA_CON1), what);
		snprintf(what, sizeof(what), "H=%u W=%u: SURF_STRIDE (W*(H-4)) & 0x0fffffff",
			 rows[i].h, rows[i].w);
		UNIT_EQ(rows[i].surf, npu_reg_state_get(st, REG_CNA_DMA_CON2), what);
		npu_program_fini(&prog);
	}
	free(st);
}

static void test_cin1_and_depthwise(void)
{
	struct npu_conv2d_params p = {
		.in_h = 10, .in_w = 10, .in_c = 1, .out_c = 20, .k_h = 3, .k_w = 3,
		.stride = 2, .in_zp = 3, .in_scale = 1, .w_scale = 1, .out_scale = 1,
	};
	struct npu_reg_state *st = calloc(1, sizeof(*st));
	struct npu_program prog;

	npu_program_init(&prog, npu_soc_rk3588());
	UNIT_EQ(0, npu_conv2d_build(npu_soc_rk3588(), &p, &prog), "Cin = 1 build");
	npu_reg_state_apply(st, prog.words, prog.tasks[0].count);
	UNIT_EQ(0x60008000u, npu_reg_state_get(st, REG_CNA_CONV_CON1),
		"Cin = 1: NONALIGN_DMA|GROUP_LINE_OFF|ARGB_IN(8) (Mesa rkt_regcmd.c conv2d task #4)");
	UNIT_EQ(0x40004000u | 0xff80u, npu_reg_state_get(st, REG_CNA_CVT_CON1),
		"Cin = 1: CVT scale 16384 offset -128");
	UNIT_EQ(16, CNA_DATA_SIZE0_DATAIN_WIDTH__GET(npu_reg_state_get(st, REG_CNA_DATA_SIZE0)),
		"Cin = 1 reads at least 16 pixels per row");
	UNIT_EQ(16 * 10, prog.slot_size[NPU_SLOT_INPUT], "Cin = 1 plane 16 x 10 bytes");
	UNIT_EQ(65535, npu_reg_state_get(st, REG_CNA_CVT_CON5), "CVT_CON5 65535");
	/* Cout = 20: kernels align 2, output channels align 32 */
	UNIT_EQ(20, CNA_WEIGHT_SIZE2_WEIGHT_KERNELS__GET(npu_reg_state_get(st,
								REG_CNA_WEIGHT_SIZE2)),
		"20 kernels");
	UNIT_EQ(31, npu_reg_state_get(st, REG_CORE_DATAOUT_SIZE_1), "32 output channels");
	npu_program_fini(&prog);

	memset(&p, 0, sizeof(p));
	p = (struct npu_conv2d_params){
		.in_h = 9, .in_w = 9, .in_c = 40, .out_c = 40, .k_h = 5, .k_w = 5,
		.stride = 1, .depthwise = true, .in_scale = 1, .w_scale = 1, .out_scale = 1,
	};
	npu_conv2d_same_padding(&p);
	npu_reg_state_reset(st);
	npu_program_init(&prog, npu_soc_rk3588());
	UNIT_EQ(0, npu_conv2d_build(npu_soc_rk3588(), &p, &prog), "depthwise 5x5 build");
	npu_reg_state_apply(st, prog.words, prog.tasks[0].count);
	UNIT_EQ(3, CNA_CONV_CON1_CONV_MODE__GET(npu_reg_state_get(st, REG_CNA_CONV_CON1)),
		"depthwise CONV_MODE 3");
	UNIT_EQ(0x3, npu_reg_state_get(st, REG_CORE_MISC_CFG), "QD_EN|DW_EN");
	UNIT_EQ(0x36c, npu_reg_state_get(st, REG_DPU_BS_OW_CFG), "depthwise BS_OW_CFG 0x36c");
	UNIT_EQ(63, npu_reg_state_get(st, REG_CORE_DATAOUT_SIZE_1), "40 ch -> 64 hw channels");
	UNIT_EQ(0x22, npu_reg_state_get(st, REG_CNA_PAD_CON0), "pad left 2 top 2");
	UNIT_EQ(5 * 5 * 48, prog.slot_size[NPU_SLOT_WEIGHTS], "depthwise weights 5x5x48");
	npu_program_fini(&prog);
	free(st);
}

static void test_rejects(void)
{
	struct npu_conv2d_params p = example_8_2();
	const char *why;

	p.k_h = 7;
	UNIT_EQ(-EINVAL, npu_conv2d_check(&p, &why), "7x7 kernel rejected");
	p = example_8_2();
	p.stride = 3;
	UNIT_EQ(-EINVAL, npu_conv2d_check(&p, &why), "stride 3 rejected");
	p = example_8_2();
	p.depthwise = true;
	p.out_c = 16;
	UNIT_EQ(-EINVAL, npu_conv2d_check(&p, &why), "depthwise with out_c != in_c rejected");
}

/*
 * Mesa rkt_regcmd.c, RK3588 TRM ch. 36: what the datapath sums must equal the TFLite
 * accumulator plus bias.  Model it from the programmed values only
 * (PAD_CON1 for padded pixels, in_zp in pad channels, w_zp in pad weight
 * channels, BS_OW_OP as CPEND operand, the packed bias stream) and compare
 * with npu_ref_conv2d_acc() + bias for every output.
 */
static void test_zero_point_algebra(void)
{
	struct npu_conv2d_params p = {
		.in_h = 6, .in_w = 7, .in_c = 21, .out_c = 5, .k_h = 3, .k_w = 3, .stride = 2,
		.pad_top = 1, .pad_left = 1, .pad_bottom = 1, .pad_right = 1,
		.in_zp = -37, .w_zp = 11, .out_zp = 0,
		.in_scale = 1, .w_scale = 1, .out_scale = 1,
	};
	unsigned int oh = npu_conv2d_out_h(&p), ow = npu_conv2d_out_w(&p);
	unsigned int chw = npu_conv2d_in_channels_hw(&p), bad = 0;
	int8_t in[6 * 7 * 21], w[5 * 9 * 21];
	int32_t bias[5] = { 1000, -7, 0, 3, 99999 }, stream[32], acc[3 * 4 * 5];
	struct npu_reg_state *st = calloc(1, sizeof(*st));
	struct npu_program prog;
	int32_t pad_value, ow_op;
	unsigned int seed = 3;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (int8_t)rand_r(&seed);
	for (size_t i = 0; i < sizeof(w); i++)
		w[i] = (int8_t)rand_r(&seed);
	npu_program_init(&prog, npu_soc_rk3588());
	npu_conv2d_build(npu_soc_rk3588(), &p, &prog);
	npu_reg_state_apply(st, prog.words, prog.tasks[0].count);
	pad_value = (int32_t)npu_reg_state_get(st, REG_CNA_PAD_CON1);
	ow_op = (int16_t)DPU_BS_OW_OP_OW_OP__GET(npu_reg_state_get(st, REG_DPU_BS_OW_OP));
	npu_bias_pack(&p, bias, w, stream);
	npu_ref_conv2d_acc(&p, in, w, acc);

	for (unsigned int oy = 0; oy < oh; oy++)
		for (unsigned int ox = 0; ox < ow; ox++)
			for (unsigned int oc = 0; oc < p.out_c; oc++) {
				int64_t mac = 0, sum_x = 0;

				for (unsigned int ky = 0; ky < 3; ky++)
					for (unsigned int kx = 0; kx < 3; kx++) {
						int iy = (int)(oy * 2 + ky) - 1;
						int ix = (int)(ox * 2 + kx) - 1;
						bool pad = iy < 0 || iy >= 6 || ix < 0 || ix >= 7;
						const int8_t *xp = in + (iy * 7 + ix) * 21;
						const int8_t *wp = w + ((oc * 3 + ky) * 3 + kx) * 21;

						for (unsigned int c = 0; c < chw; c++) {
							int32_t x = pad ? pad_value :
								    c < p.in_c ? xp[c] : p.in_zp;
							int32_t wv = c < p.in_c ? wp[c] : p.w_zp;

							mac += x * wv;
							sum_x += x;
						}
					}
				bad += mac + ow_op * sum_x + stream[oc] !=
				       (int64_t)acc[(oy * ow + ox) * p.out_c + oc] + bias[oc];
			}
	UNIT_EQ(0, bad, "MACs + CPEND(OW_OP) + bias stream == TFLite accumulator + bias (Mesa rkt_regcmd.c, RK3588 TRM ch. 36)");
	npu_program_fini(&prog);
	free(st);
}

int main(void)
{
	test_zero_point_algebra();
	test_mesa_8_2();
	test_slot_sizes();
	test_relocate_rules();
	test_tiling();
	test_tiling_big_weights();
	test_variants_in_stream();
	test_raw_int32();
	test_cna_surf_stride();
	test_cin1_and_depthwise();
	test_rejects();
	return unit_done();
}
