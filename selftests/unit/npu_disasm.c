// SPDX-License-Identifier: MIT
/*
 * npu_disasm — the regcmd disassembler round-trips the builders' output:
 * every line it prints assembles back (from its block, register and value
 * columns) to the same 64-bit entry; known entries print as expected; and
 * the register state of a task is what the builder programmed.
 */
#include <stdlib.h>
#include <string.h>

#include "npu/npu_conv.h"
#include "npu/npu_disasm.h"
#include "npu/npu_ew.h"
#include "npu/npu_program.h"
#include "npu/regcmd.h"
#include "../selftests/unit/unit.h"

static unsigned int round_trip(const struct npu_program *prog, const char *what)
{
	unsigned int bad = 0, unknown = 0;
	char line[1024];

	for (size_t i = 0; i < prog->n_words; i++) {
		uint64_t back = ~0ull;

		npu_regcmd_format(i, prog->words[i], line, sizeof(line));
		if (strstr(line, "REG_0x") || strstr(line, " ? "))
			unknown++;
		if (npu_regcmd_assemble_line(line, &back) || back != prog->words[i]) {
			if (!bad)
				UNIT_CHECK(0, "%s: entry %zu does not round-trip: %s", what, i,
					   line);
			bad++;
		}
	}
	UNIT_EQ(0, unknown, "every entry has a register name");
	return bad;
}

static void test_conv_round_trip(void)
{
	static const struct npu_conv2d_params cases[] = {
		{ .in_h = 8, .in_w = 8, .in_c = 32, .out_c = 32, .k_h = 1, .k_w = 1, .stride = 1,
		  .in_zp = -28, .w_zp = -8, .out_zp = 2, .in_scale = 0.5f, .w_scale = 0.125f,
		  .out_scale = 1 },
		{ .in_h = 112, .in_w = 112, .in_c = 64, .out_c = 64, .k_h = 3, .k_w = 3,
		  .stride = 1, .pad_top = 1, .pad_bottom = 1, .pad_left = 1, .pad_right = 1,
		  .in_scale = 1, .w_scale = 1, .out_scale = 1 },
		{ .in_h = 9, .in_w = 9, .in_c = 1, .out_c = 7, .k_h = 5, .k_w = 5, .stride = 2,
		  .raw_int32 = true },
	};
	uint64_t iova[NPU_SLOT_COUNT] = { 0x1000, 0x100000, 0x200000, 0x300000, 0x400000, 0 };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct npu_program prog;

		npu_program_init(&prog, npu_soc_rk3588());
		UNIT_EQ(0, npu_conv2d_build(npu_soc_rk3588(), &cases[i], &prog), "build");
		npu_program_relocate(&prog, iova);
		UNIT_EQ(0, round_trip(&prog, "conv"),
			"conv program round-trips through the disassembler");
		npu_program_fini(&prog);
	}
}

static void test_ew_round_trip(void)
{
	struct npu_ew_params p = { .w = 5, .h = 3, .c = 20 };
	struct npu_reg_state *st = calloc(1, sizeof(*st));
	uint64_t iova[NPU_SLOT_COUNT] = { 0x1000, 0x100000, 0, 0, 0x400000, 0x500000 };
	struct npu_program prog;

	npu_program_init(&prog, npu_soc_rk3588());
	UNIT_EQ(0, npu_ew_add_build(npu_soc_rk3588(), &p, &prog), "element-wise build");
	UNIT_EQ(0, npu_program_relocate(&prog, iova), "element-wise relocate");
	/* an odd task makes the PC fetch one more entry: a zero word is there */
	UNIT_CHECK(prog.tasks[0].count % 2 == 0 ||
		   (prog.n_words == prog.tasks[0].count + 1 && !prog.words[prog.n_words - 1]),
		   "odd task (%u entries) is followed by a zero word in the buffer",
		   prog.tasks[0].count);
	UNIT_EQ(0, round_trip(&prog, "ew"), "element-wise program round-trips");
	npu_reg_state_apply(st, prog.words, prog.tasks[0].count);
	UNIT_EQ(0x18, st->op_en, "DPU-only op_en 0x18 (§1.3)");
	UNIT_CHECK(!npu_reg_state_written(st, REG_CNA_CONV_CON1), "no CNA register written");
	UNIT_EQ(0x100000, npu_reg_state_get(st, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR), "a from INPUT");
	UNIT_EQ(0x500000, npu_reg_state_get(st, REG_DPU_RDMA_RDMA_EW_BASE_ADDR), "b from EW");
	UNIT_EQ(0x400000, npu_reg_state_get(st, REG_DPU_DST_BASE_ADDR), "out to OUTPUT");
	npu_program_fini(&prog);
	free(st);
}

static void test_lines(void)
{
	char line[512];
	uint64_t w;

	npu_regcmd_format(10, 0x0201000800081020ull, line, sizeof(line));
	UNIT_CHECK(strstr(line, "CNA") && strstr(line, "DATA_SIZE0") &&
		   strstr(line, "0x00080008") && strstr(line, "DATAIN_WIDTH=8 DATAIN_HEIGHT=8"),
		   "DATA_SIZE0 line: %s", line);
	npu_regcmd_format(129, 0x00810000001d0008ull, line, sizeof(line));
	UNIT_CHECK(strstr(line, "GLOBAL") && strstr(line, "OPERATION_ENABLE") &&
		   strstr(line, "DPU_RDMA_OP_EN=1") && strstr(line, "CNA_OP_EN=1"),
		   "op_en line: %s", line);
	npu_regcmd_format(128, 0x0041000000000000ull, line, sizeof(line));
	UNIT_CHECK(strstr(line, "PRE_OP_EN") != NULL, "marker line: %s", line);
	/* unknown register of a known block, and an unknown target */
	npu_regcmd_format(0, 0x0201000012341ffcull, line, sizeof(line));
	UNIT_CHECK(strstr(line, "REG_0x1ffc") != NULL, "unknown register shown raw: %s", line);
	UNIT_CHECK(!npu_regcmd_assemble_line(line, &w) && w == 0x0201000012341ffcull,
		   "unknown register round-trips");
	npu_regcmd_format(0, 0x0003000000011040ull, line, sizeof(line));
	UNIT_CHECK(strstr(line, " ? ") != NULL, "unknown target shown as ?: %s", line);
}

static void test_state(void)
{
	struct npu_reg_state *st = calloc(1, sizeof(*st));
	uint64_t words[] = {
		0x0201000000b11040ull, 0x0201000000b21040ull, 0x0003000000011040ull,
		0, 0x0101000000000014ull, 0x0041000000000000ull, 0x00810000001d0008ull,
	};

	npu_reg_state_apply(st, words, 7);
	UNIT_EQ(0xb2, npu_reg_state_get(st, REG_CNA_CBUF_CON0), "later writes win");
	UNIT_EQ(1, st->n_unknown, "unknown target counted");
	UNIT_EQ(1, st->n_zero, "zero word counted");
	UNIT_CHECK(st->op_en_seen && st->op_en == 0x1d && st->op_en_after_marker,
		   "op_en after the 0x0041 marker");
	UNIT_CHECK(npu_reg_state_written(st, REG_PC_REGISTER_AMOUNTS), "PC write recorded");
	UNIT_CHECK(!npu_reg_state_written(st, REG_CNA_CONV_CON2), "unwritten register");
	free(st);
}

int main(void)
{
	test_conv_round_trip();
	test_ew_round_trip();
	test_lines();
	test_state();
	return unit_done();
}
