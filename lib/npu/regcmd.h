/* SPDX-License-Identifier: MIT */
/*
 * regcmd.h — the NPU register-command ("regcmd") stream: encoding, decoding,
 * task tails, chaining and PC fetch amounts.
 *
 * Contract:
 * - An entry is 64 bits: target [63:48], value [47:16], register [15:0]
 *   (Mesa rkt_regcmd.c, RK3588 TRM ch. 36).  npu_regcmd_encode()/npu_regcmd_decode() are exact
 *   inverses; npu_regcmd_target() derives the target from the register's block.
 * - struct npu_regcmd is a growable list of entries.  EMIT(reg, value) in a
 *   builder appends one register write; allocation failure is sticky
 *   (rc->error) and checked once at the end, so builders read as straight
 *   lists.
 * - Every task ends with the 4-entry tail of Mesa rkt_regcmd.c task tail;
 *   npu_regcmd_emit_tail() writes it with placeholders and
 *   npu_regcmd_chain() is the ONE place that patches the next task's address
 *   and amount into it.
 * - regcmd_count for drm_rocket_task is the number of entries of the task
 *   including its tail (Mesa rkt_regcmd.c).
 * Pure data: nothing here touches a device.
 */
#ifndef RKVAL_NPU_REGCMD_H
#define RKVAL_NPU_REGCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "npu/npu_regs.h"

/* Mesa rkt_regcmd.c, RK3588 TRM ch. 36 */
#define NPU_REGCMD_TARGET_SHIFT	48
#define NPU_REGCMD_VALUE_SHIFT	16
#define NPU_REGCMD_REG_MASK	0xffffull
#define NPU_REGCMD_VALUE_MASK	0xffffffffull

/*
 * Bit 48 ("+1") is set on every register write by Mesa and the vendor blob,
 * and so in every block target of npu_regs.def except GLOBAL's broadcast;
 * UNCONFIRMED meaning, Mesa rkt_regcmd.c, RK3588 TRM ch. 36.
 */
#define NPU_TARGET_WRITE_BIT	0x0001
/* Mesa rkt_regcmd.c, RK3588 TRM ch. 36: 64'h0041_xxxx must precede op_en ("TRM: before op_en") */
#define NPU_TARGET_PRE_OP_EN	0x0041
/* GLOBAL's target (npu_regs.def) broadcasts op_en (reg 0x0008) to the blocks */
#define NPU_TARGET_OP_EN	NPU_TARGET_GLOBAL
/* Mesa rkt_regcmd.c task tail: number of trailing entries of every task */
#define NPU_TASK_TAIL_ENTRIES	4

/* op_en bits: the fields of GLOBAL_OPERATION_ENABLE (npu_regs.def) */
#define NPU_OP_EN_BIT(field)	(1u << GLOBAL_OPERATION_ENABLE_##field##__SHIFT)
#define NPU_OP_EN_CNA		NPU_OP_EN_BIT(CNA_OP_EN)
#define NPU_OP_EN_RESERVED1	NPU_OP_EN_BIT(RESERVED_0)	/* UNCONFIRMED: "CMAC?" in [FORK-3568] */
#define NPU_OP_EN_CORE		NPU_OP_EN_BIT(CORE_OP_EN)
#define NPU_OP_EN_DPU		NPU_OP_EN_BIT(DPU_OP_EN)
#define NPU_OP_EN_DPU_RDMA	NPU_OP_EN_BIT(DPU_RDMA_OP_EN)
#define NPU_OP_EN_PPU		NPU_OP_EN_BIT(PPU_OP_EN)
#define NPU_OP_EN_PPU_RDMA	NPU_OP_EN_BIT(PPU_RDMA_OP_EN)
/* Mesa registers.xml PC, RK3588 TRM ch. 36: vendor matmul (no bias RDMA) 0xd, DPU-only elementwise 0x18 */
#define NPU_OP_EN_CONV_NO_RDMA	(NPU_OP_EN_CNA | NPU_OP_EN_CORE | NPU_OP_EN_DPU)
#define NPU_OP_EN_DPU_ONLY	(NPU_OP_EN_DPU | NPU_OP_EN_DPU_RDMA)

struct npu_block_info {
	enum npu_block block;
	const char *name;
	uint16_t base;		/* MMIO window inside the core (npu_regs.def) */
	uint16_t target;	/* bits 63:48 of a write to this block (incl. bit 48), 0: none */
};

/* Block of a register offset (by its 4 KiB window), NULL if none. */
const struct npu_block_info *npu_block_of_reg(uint16_t reg);
/* Block selected by an entry's target field, NULL if none. */
const struct npu_block_info *npu_block_of_target(uint16_t target);
const struct npu_block_info *npu_block_info(enum npu_block block);

/* Target to use for a write to @reg (block select | bit 48); 0 if unknown. */
uint16_t npu_regcmd_target(uint16_t reg);

struct npu_regcmd_entry {
	uint16_t target;
	uint32_t value;
	uint16_t reg;
};

static inline uint64_t npu_regcmd_encode(uint16_t target, uint32_t value, uint16_t reg)
{
	return ((uint64_t)target << NPU_REGCMD_TARGET_SHIFT) |
	       ((uint64_t)value << NPU_REGCMD_VALUE_SHIFT) | reg;
}

static inline struct npu_regcmd_entry npu_regcmd_decode(uint64_t word)
{
	struct npu_regcmd_entry e = {
		.target = (uint16_t)(word >> NPU_REGCMD_TARGET_SHIFT),
		.value = (uint32_t)((word >> NPU_REGCMD_VALUE_SHIFT) & NPU_REGCMD_VALUE_MASK),
		.reg = (uint16_t)(word & NPU_REGCMD_REG_MASK),
	};
	return e;
}

/* Replace the value field of an entry, keeping target and register. */
static inline uint64_t npu_regcmd_with_value(uint64_t word, uint32_t value)
{
	return (word & ~(NPU_REGCMD_VALUE_MASK << NPU_REGCMD_VALUE_SHIFT)) |
	       ((uint64_t)value << NPU_REGCMD_VALUE_SHIFT);
}

/* Growable entry list. */
struct npu_regcmd {
	uint64_t *words;
	size_t count;
	size_t cap;
	int error;		/* -ENOMEM after a failed append, sticky */
};

void npu_regcmd_init(struct npu_regcmd *rc);
void npu_regcmd_fini(struct npu_regcmd *rc);
void npu_regcmd_emit_raw(struct npu_regcmd *rc, uint64_t word);
/* Append a write of @value to @reg, target derived from the register's block. */
void npu_regcmd_emit(struct npu_regcmd *rc, uint16_t reg, uint32_t value);
/* Append zero entries until count is a multiple of @n (padding, never counted). */
void npu_regcmd_pad_to(struct npu_regcmd *rc, size_t n);

/* Mesa-style shorthand inside builders: a local "rc" must be in scope. */
#define EMIT(reg, value) npu_regcmd_emit(rc, (reg), (value))

/*
 * The 4-entry tail (Mesa rkt_regcmd.c task tail).  @chained: the operation has more
 * than one task, so entry -4 is a PC_BASE_ADDRESS write to patch; otherwise
 * it is the raw word 0 as Mesa and the vendor emit.  Entry -3 is
 * PC_REGISTER_AMOUNTS(0), -2 the 0x0041 marker, -1 the op_en broadcast.
 */
void npu_regcmd_emit_tail(struct npu_regcmd *rc, bool chained, uint32_t op_en);

/*
 * The ONE place a task is linked to the next (Mesa compile_operation):
 * patches the tail ending at entry @task_end (exclusive index) with the next
 * task's stream address and its fetch amount.  Returns -EINVAL if the tail
 * there is not a chained tail or the address does not fit (Mesa rkt_regcmd.c: 32-bit, 16-byte aligned).
 */
int npu_regcmd_chain(uint64_t *words, size_t task_end, uint64_t next_addr,
		     uint32_t next_amount);

/*
 * PC fetch amounts (Mesa rkt_regcmd.c, rocket_job.c hw_submit, vendor rknpu rknpu_config):
 *
 * npu_pc_amount_kernel(): what upstream rocket writes to PC_REGISTER_AMOUNTS
 *   for a task of @regcmd_count entries: (n + 1) / 2 - 1, i.e. 128-bit pairs
 *   minus one (the RK3588 scale 2 hard-coded).
 * npu_pc_amount_vendor(): the vendor rknpu formula with its per-SoC
 *   pc_data_amount_scale: (n + scale - 1) / scale - 1 (scale 1 on RK356x
 *   gives n - 1, in 64-bit units).
 * npu_chain_amount_mesa(): the amount Mesa patches into the previous task's
 *   tail for the next task: align((n - 4) / 2, 2) (RK3588).
 * npu_chain_amount_fork3568(): UNCONFIRMED [FORK-3568]: n - 1.
 */
uint32_t npu_pc_amount_kernel(uint32_t regcmd_count);
uint32_t npu_pc_amount_vendor(uint32_t regcmd_count, unsigned int scale);
uint32_t npu_chain_amount_mesa(uint32_t regcmd_count);
uint32_t npu_chain_amount_fork3568(uint32_t regcmd_count);

#endif /* RKVAL_NPU_REGCMD_H */
