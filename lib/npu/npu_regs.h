/* SPDX-License-Identifier: MIT */
/*
 * npu_regs.h — NPU blocks, register offsets, field packers and the name
 * table.
 *
 * Contract: everything here is expanded from npu_regs.def, the single
 * description of the NPU's blocks and registers (with the public source of
 * each).  For a block line NPU_BLOCK(CNA, 0x1000, 0x0201, ...), a register
 * line NPU_REG(CNA, CONV_CON1, 0x100c, ...) and a field line
 * NPU_FIELD(CNA, CONV_CON1, CONV_MODE, 3, 0) it provides:
 *
 *	NPU_BLOCK_CNA                      the block (enum npu_block)
 *	NPU_BASE_CNA, NPU_TARGET_CNA       0x1000, 0x0201
 *	REG_CNA_CONV_CON1                  0x100c (enum constant)
 *	CNA_CONV_CON1_CONV_MODE__SHIFT     0
 *	CNA_CONV_CON1_CONV_MODE__MASK      0x0000000f
 *	CNA_CONV_CON1_CONV_MODE(v)         (v << shift) & mask, for EMIT()
 *	CNA_CONV_CON1_CONV_MODE__GET(word) the field's value in a register word
 *
 * and, in npu_regs.c, npu_reg_lookup()/npu_reg_fields() for the
 * disassembler and the docs.  lib/npu, lib/rocket, lib/platform and vnpu
 * take every NPU offset, bit and target from here; vnpu's register file
 * (lib/vnpu/vnpu_regs.c) is keyed by these REG_ offsets.
 */
#ifndef RKVAL_NPU_REGS_H
#define RKVAL_NPU_REGS_H

#include <stdint.h>

/* Register blocks; see npu_block_info() in regcmd.h for the table. */
enum npu_block {
#define NPU_BLOCK(blk, base, target, src) NPU_BLOCK_##blk,
#define NPU_REG(blk, reg, off, src)
#define NPU_FIELD(blk, reg, field, hi, lo)
#include "npu/npu_regs.def"
#undef NPU_BLOCK
#undef NPU_REG
#undef NPU_FIELD
	NPU_BLOCK_COUNT,
	NPU_BLOCK_NONE = -1,
};

/* Each block's window in the core and the target of a regcmd write to it. */
enum npu_block_base {
#define NPU_BLOCK(blk, base, target, src) NPU_BASE_##blk = (base),
#define NPU_REG(blk, reg, off, src)
#define NPU_FIELD(blk, reg, field, hi, lo)
#include "npu/npu_regs.def"
#undef NPU_BLOCK
#undef NPU_REG
#undef NPU_FIELD
};

enum npu_block_target {
#define NPU_BLOCK(blk, base, target, src) NPU_TARGET_##blk = (target),
#define NPU_REG(blk, reg, off, src)
#define NPU_FIELD(blk, reg, field, hi, lo)
#include "npu/npu_regs.def"
#undef NPU_BLOCK
#undef NPU_REG
#undef NPU_FIELD
};

enum npu_reg_offset {
#define NPU_BLOCK(blk, base, target, src)
#define NPU_REG(blk, reg, off, src) REG_##blk##_##reg = (off),
#define NPU_FIELD(blk, reg, field, hi, lo)
#include "npu/npu_regs.def"
#undef NPU_BLOCK
#undef NPU_REG
#undef NPU_FIELD
};

#define NPU_FIELD_MASK(hi, lo) \
	((uint32_t)((0xffffffffu >> (31 - (hi))) & ~((1u << (lo)) - 1u)))

enum npu_field_shift {
#define NPU_BLOCK(blk, base, target, src)
#define NPU_REG(blk, reg, off, src)
#define NPU_FIELD(blk, reg, field, hi, lo) blk##_##reg##_##field##__SHIFT = (lo),
#include "npu/npu_regs.def"
#undef NPU_BLOCK
#undef NPU_REG
#undef NPU_FIELD
};

/* Masks may use bit 31, hence unsigned constants rather than an enum. */
#define NPU_BLOCK(blk, base, target, src)
#define NPU_REG(blk, reg, off, src)
#define NPU_FIELD(blk, reg, field, hi, lo)					\
	static const uint32_t blk##_##reg##_##field##__MASK = NPU_FIELD_MASK(hi, lo); \
	static inline uint32_t blk##_##reg##_##field(uint32_t v)		\
	{ return (v << (lo)) & NPU_FIELD_MASK(hi, lo); }			\
	static inline uint32_t blk##_##reg##_##field##__GET(uint32_t word)	\
	{ return (word & NPU_FIELD_MASK(hi, lo)) >> (lo); }
#include "npu/npu_regs.def"
#undef NPU_BLOCK
#undef NPU_REG
#undef NPU_FIELD

/*
 * GLOBAL's registers as the CPU sees them: a regcmd write to GLOBAL
 * carries the offset inside its window (0x0008), the CPU reads it in the
 * window at NPU_BASE_GLOBAL (rocket_registers.h).
 */
#define NPU_GLOBAL_MMIO(reg)	(NPU_BASE_GLOBAL + (reg))

/*
 * PC interrupt bits: the fields of INTERRUPT_MASK, at the same places in
 * INTERRUPT_CLEAR, _STATUS and _RAW_STATUS (rocket_registers.h).
 */
#define NPU_PC_IRQ(field)	(1u << PC_INTERRUPT_MASK_##field##__SHIFT)
/*
 * All 17 interrupt bits [16:0]: the INTERRUPT_MASK reset value (RK3588
 * TRM ch. 36 PC) and what rocket writes to INTERRUPT_CLEAR after a job
 * (rocket_job.c completion).
 */
#define NPU_PC_IRQ_ALL		0x1ffffu

/* One row of the name table. */
struct npu_reg_desc {
	enum npu_block block;
	uint16_t offset;
	const char *block_name;
	const char *name;	/* without the block prefix, e.g. "CONV_CON1" */
	const char *source;	/* reference section, from npu_regs.def */
};

struct npu_field_desc {
	enum npu_block block;
	uint16_t offset;
	const char *name;
	uint8_t hi, lo;
};

/* The register of @block at @offset, or NULL if npu_regs.def has none. */
const struct npu_reg_desc *npu_reg_lookup(enum npu_block block, uint16_t offset);

/* The register named "BLOCK_REG" (e.g. "CNA_CONV_CON1"), or NULL. */
const struct npu_reg_desc *npu_reg_by_name(const char *name);

/*
 * The fields of a register, in npu_regs.def order (high bits first);
 * returns the count and sets *fields to the first, or 0.
 */
unsigned int npu_reg_fields(const struct npu_reg_desc *reg,
			    const struct npu_field_desc **fields);

/* The whole table, for iteration (the golden streams, the docs). */
const struct npu_reg_desc *npu_reg_table(unsigned int *count);

static inline uint32_t npu_field_get(const struct npu_field_desc *f, uint32_t word)
{
	return (word & NPU_FIELD_MASK(f->hi, f->lo)) >> f->lo;
}

#endif /* RKVAL_NPU_REGS_H */
