// SPDX-License-Identifier: MIT
/*
 * npu_regs.c — the register name table expanded from npu_regs.def.
 */
#include <stddef.h>
#include <string.h>

#include "npu/npu_regs.h"

static const struct npu_reg_desc reg_table[] = {
#define NPU_BLOCK(blk, base, target, src)
#define NPU_REG(blk, reg, off, src) \
	{ NPU_BLOCK_##blk, (off), #blk, #reg, src },
#define NPU_FIELD(blk, reg, field, hi, lo)
#include "npu/npu_regs.def"
#undef NPU_BLOCK
#undef NPU_REG
#undef NPU_FIELD
};

/* Fields stay grouped per register because the .def lists them that way. */
static const struct npu_field_desc field_table[] = {
#define NPU_BLOCK(blk, base, target, src)
#define NPU_REG(blk, reg, off, src)
#define NPU_FIELD(blk, reg, field, hi, lo) \
	{ NPU_BLOCK_##blk, REG_##blk##_##reg, #field, (hi), (lo) },
#include "npu/npu_regs.def"
#undef NPU_BLOCK
#undef NPU_REG
#undef NPU_FIELD
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const struct npu_reg_desc *npu_reg_lookup(enum npu_block block, uint16_t offset)
{
	for (size_t i = 0; i < ARRAY_LEN(reg_table); i++)
		if (reg_table[i].block == block && reg_table[i].offset == offset)
			return &reg_table[i];
	return NULL;
}

const struct npu_reg_desc *npu_reg_by_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(reg_table); i++) {
		size_t bl = strlen(reg_table[i].block_name);

		if (!strncmp(name, reg_table[i].block_name, bl) &&
		    name[bl] == '_' && !strcmp(name + bl + 1, reg_table[i].name))
			return &reg_table[i];
	}
	return NULL;
}

unsigned int npu_reg_fields(const struct npu_reg_desc *reg,
			    const struct npu_field_desc **fields)
{
	unsigned int n = 0;
	size_t i;

	*fields = NULL;
	if (!reg)
		return 0;
	for (i = 0; i < ARRAY_LEN(field_table); i++) {
		if (field_table[i].block != reg->block ||
		    field_table[i].offset != reg->offset)
			continue;
		if (!n)
			*fields = &field_table[i];
		n++;
	}
	return n;
}

const struct npu_reg_desc *npu_reg_table(unsigned int *count)
{
	*count = ARRAY_LEN(reg_table);
	return reg_table;
}
