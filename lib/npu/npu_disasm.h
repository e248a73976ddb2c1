/* SPDX-License-Identifier: MIT */
/*
 * npu_disasm.h — decoding regcmd streams: text lines for people, register
 * state for models.
 *
 * Contract:
 * - npu_regcmd_format() renders one entry as one line:
 *	"<index> <raw hex> <block> <register> <value> <FIELD=v ...>"
 *   e.g. "   10 0x0201000800081020 CNA      DATA_SIZE0  0x00080008 DATAIN_WIDTH=8 DATAIN_HEIGHT=8".
 *   Unknown registers print as REG_0x<offset>, unknown targets as "?".
 *   The zero word prints block "-" register "ZERO"; the 0x0041 marker
 *   "-" "PRE_OP_EN"; the op_en broadcast "GLOBAL OPERATION_ENABLE".
 * - npu_regcmd_assemble_line() reads such a line back from its block,
 *   register and value columns (not the raw column), so a format/assemble
 *   round trip proves the names and targets are consistent.
 * - struct npu_reg_state is the value of every register after a list of
 *   entries, per block, with a written flag: what a model or a checker
 *   needs to interpret a task without re-parsing.
 */
#ifndef RKVAL_NPU_DISASM_H
#define RKVAL_NPU_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "npu/npu_regs.h"

int npu_regcmd_format(size_t index, uint64_t word, char *buf, size_t len);
int npu_regcmd_assemble_line(const char *line, uint64_t *word);

#define NPU_BLOCK_REGS	(0x1000 / 4)	/* 4 KiB window per block, Mesa rkt_regcmd.c, RK3588 TRM ch. 36 */

struct npu_reg_state {
	uint32_t value[NPU_BLOCK_COUNT][NPU_BLOCK_REGS];
	uint8_t written[NPU_BLOCK_COUNT][NPU_BLOCK_REGS];
	unsigned int n_entries;		/* entries applied */
	unsigned int n_unknown;		/* entries whose target/reg decode to nothing */
	unsigned int n_zero;		/* zero words (single-task tail, padding) */
	bool pre_op_en_seen;		/* the 0x0041 marker */
	bool op_en_seen;		/* the 0x0081 broadcast */
	uint32_t op_en;			/* its value (Mesa registers.xml PC, RK3588 TRM ch. 36) */
	bool op_en_after_marker;	/* marker came before op_en, as the TRM asks */
};

void npu_reg_state_reset(struct npu_reg_state *st);
/* Apply @n entries in order (later writes win). */
void npu_reg_state_apply(struct npu_reg_state *st, const uint64_t *words, size_t n);
/* Value/written of a register by offset (block from its window). */
uint32_t npu_reg_state_get(const struct npu_reg_state *st, uint16_t reg);
bool npu_reg_state_written(const struct npu_reg_state *st, uint16_t reg);

#endif /* RKVAL_NPU_DISASM_H */
