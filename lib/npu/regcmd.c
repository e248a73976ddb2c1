// SPDX-License-Identifier: MIT
/*
 * regcmd.c — regcmd entry lists, task tails and chaining.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "npu/regcmd.h"

/* The blocks of npu_regs.def: name, window and regcmd target. */
static const struct npu_block_info blocks[] = {
#define NPU_BLOCK(blk, base, target, src) { NPU_BLOCK_##blk, #blk, (base), (target) },
#define NPU_REG(blk, reg, off, src)
#define NPU_FIELD(blk, reg, field, hi, lo)
#include "npu/npu_regs.def"
#undef NPU_BLOCK
#undef NPU_REG
#undef NPU_FIELD
};

#define BLOCK_WINDOW 0x1000

const struct npu_block_info *npu_block_info(enum npu_block block)
{
	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		if (blocks[i].block == block)
			return &blocks[i];
	return NULL;
}

const struct npu_block_info *npu_block_of_reg(uint16_t reg)
{
	/* GLOBAL shares PC's window; only its target tells them apart */
	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		if (blocks[i].block != NPU_BLOCK_GLOBAL &&
		    reg >= blocks[i].base && reg < blocks[i].base + BLOCK_WINDOW)
			return &blocks[i];
	return NULL;
}

const struct npu_block_info *npu_block_of_target(uint16_t target)
{
	/* target 0: a block no regcmd writes (DDMA), never a match */
	for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		if (blocks[i].target && blocks[i].target == target)
			return &blocks[i];
	return NULL;
}

uint16_t npu_regcmd_target(uint16_t reg)
{
	const struct npu_block_info *b = npu_block_of_reg(reg);

	return b ? b->target : 0;
}

void npu_regcmd_init(struct npu_regcmd *rc)
{
	memset(rc, 0, sizeof(*rc));
}

void npu_regcmd_fini(struct npu_regcmd *rc)
{
	free(rc->words);
	memset(rc, 0, sizeof(*rc));
}

void npu_regcmd_emit_raw(struct npu_regcmd *rc, uint64_t word)
{
	if (rc->error)
		return;
	if (rc->count == rc->cap) {
		size_t cap = rc->cap ? rc->cap * 2 : 256;
		uint64_t *w = realloc(rc->words, cap * sizeof(*w));

		if (!w) {
			rc->error = -ENOMEM;
			return;
		}
		rc->words = w;
		rc->cap = cap;
	}
	rc->words[rc->count++] = word;
}

void npu_regcmd_emit(struct npu_regcmd *rc, uint16_t reg, uint32_t value)
{
	npu_regcmd_emit_raw(rc, npu_regcmd_encode(npu_regcmd_target(reg), value, reg));
}

void npu_regcmd_pad_to(struct npu_regcmd *rc, size_t n)
{
	while (n && rc->count % n)
		npu_regcmd_emit_raw(rc, 0);
}

void npu_regcmd_emit_tail(struct npu_regcmd *rc, bool chained, uint32_t op_en)
{
	if (chained)
		EMIT(REG_PC_BASE_ADDRESS, 0);
	else
		npu_regcmd_emit_raw(rc, 0);
	EMIT(REG_PC_REGISTER_AMOUNTS, 0);
	npu_regcmd_emit_raw(rc, npu_regcmd_encode(NPU_TARGET_PRE_OP_EN, 0, 0));
	npu_regcmd_emit_raw(rc, npu_regcmd_encode(NPU_TARGET_OP_EN, op_en,
						  REG_GLOBAL_OPERATION_ENABLE));
}

/* Mesa rkt_regcmd.c: PC_BASE_ADDRESS bits 31:4, so 16-byte aligned, < 4 GiB */
#define PC_ADDR_ALIGN 16

int npu_regcmd_chain(uint64_t *words, size_t task_end, uint64_t next_addr,
		     uint32_t next_amount)
{
	struct npu_regcmd_entry base, amount;

	if (task_end < NPU_TASK_TAIL_ENTRIES)
		return -EINVAL;
	base = npu_regcmd_decode(words[task_end - 4]);
	amount = npu_regcmd_decode(words[task_end - 3]);
	if (base.reg != REG_PC_BASE_ADDRESS || amount.reg != REG_PC_REGISTER_AMOUNTS ||
	    base.target != npu_regcmd_target(REG_PC_BASE_ADDRESS))
		return -EINVAL;
	if (next_addr > UINT32_MAX || next_addr % PC_ADDR_ALIGN ||
	    next_amount > PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT__MASK)
		return -EINVAL;
	words[task_end - 4] = npu_regcmd_with_value(words[task_end - 4], (uint32_t)next_addr);
	words[task_end - 3] = npu_regcmd_with_value(
		words[task_end - 3], PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT(next_amount));
	return 0;
}

uint32_t npu_pc_amount_kernel(uint32_t regcmd_count)
{
	return (regcmd_count + 1) / 2 - 1;
}

uint32_t npu_pc_amount_vendor(uint32_t regcmd_count, unsigned int scale)
{
	/*
	 * Vendor: (regcfg_amount + RKNPU_PC_DATA_EXTRA_AMOUNT + scale - 1) / scale - 1
	 * with regcfg_amount = entries without the 4-entry tail, and the extra
	 * amount being that tail (4): so the total count goes in directly.
	 */
	return (regcmd_count + scale - 1) / scale - 1;
}

static uint32_t align_u32(uint32_t v, uint32_t a)
{
	return (v + a - 1) / a * a;
}

uint32_t npu_chain_amount_mesa(uint32_t regcmd_count)
{
	return align_u32((regcmd_count - NPU_TASK_TAIL_ENTRIES) / 2, 2);
}

uint32_t npu_chain_amount_fork3568(uint32_t regcmd_count)
{
	return regcmd_count - 1;
}
