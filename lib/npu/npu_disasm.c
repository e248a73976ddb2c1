// SPDX-License-Identifier: MIT
/*
 * npu_disasm.c — regcmd entry formatting, assembling and register state.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npu/npu_disasm.h"
#include "npu/regcmd.h"

static int format_fields(const struct npu_reg_desc *reg, uint32_t value, char *buf,
			 size_t len)
{
	const struct npu_field_desc *f;
	unsigned int n = npu_reg_fields(reg, &f);
	int used = 0;

	for (unsigned int i = 0; i < n && (size_t)used < len; i++) {
		uint32_t v = npu_field_get(&f[i], value);

		/* Small values read better in decimal; literal formats keep -Wformat's check. */
		if (v < 10)
			used += snprintf(buf + used, len - used, " %s=%" PRIu32, f[i].name, v);
		else
			used += snprintf(buf + used, len - used, " %s=0x%" PRIx32, f[i].name, v);
	}
	return used;
}

int npu_regcmd_format(size_t index, uint64_t word, char *buf, size_t len)
{
	struct npu_regcmd_entry e = npu_regcmd_decode(word);
	const struct npu_block_info *b = npu_block_of_target(e.target);
	const struct npu_reg_desc *reg = NULL;
	char regname[32], fields[512] = "";
	const char *bname = "?";

	if (!word) {
		bname = "-";
		snprintf(regname, sizeof(regname), "ZERO");
	} else if (e.target == NPU_TARGET_PRE_OP_EN && !e.reg && !e.value) {
		bname = "-";
		snprintf(regname, sizeof(regname), "PRE_OP_EN");
	} else {
		if (b) {
			bname = b->name;
			reg = npu_reg_lookup(b->block, e.reg);
		}
		if (reg)
			snprintf(regname, sizeof(regname), "%s", reg->name);
		else
			snprintf(regname, sizeof(regname), "REG_0x%04" PRIx16, e.reg);
		format_fields(reg, e.value, fields, sizeof(fields));
	}
	return snprintf(buf, len, "%5zu 0x%016" PRIx64 " %-8s %-22s 0x%08" PRIx32 "%s",
			index, word, bname, regname, e.value, fields);
}

static const struct npu_block_info *block_by_name(const char *name)
{
	for (int i = 0; i < NPU_BLOCK_COUNT; i++) {
		const struct npu_block_info *b = npu_block_info(i);

		if (b && !strcmp(b->name, name))
			return b;
	}
	return NULL;
}

int npu_regcmd_assemble_line(const char *line, uint64_t *word)
{
	char bname[32], rname[64];
	unsigned long long raw;
	const struct npu_block_info *b;
	const struct npu_reg_desc *reg;
	size_t index;
	uint32_t value, off;
	char full[100];

	if (sscanf(line, "%zu %llx %31s %63s %" SCNx32, &index, &raw, bname, rname, &value) != 5)
		return -1;
	if (!strcmp(bname, "-")) {
		if (!strcmp(rname, "ZERO"))
			*word = 0;
		else if (!strcmp(rname, "PRE_OP_EN"))
			*word = npu_regcmd_encode(NPU_TARGET_PRE_OP_EN, 0, 0);
		else
			return -1;
		return 0;
	}
	b = block_by_name(bname);
	if (!b)
		return -1;
	if (sscanf(rname, "REG_0x%" SCNx32, &off) == 1) {
		*word = npu_regcmd_encode(b->target, value, (uint16_t)off);
		return 0;
	}
	snprintf(full, sizeof(full), "%s_%s", bname, rname);
	reg = npu_reg_by_name(full);
	if (!reg)
		return -1;
	*word = npu_regcmd_encode(b->target, value, reg->offset);
	return 0;
}

void npu_reg_state_reset(struct npu_reg_state *st)
{
	memset(st, 0, sizeof(*st));
}

void npu_reg_state_apply(struct npu_reg_state *st, const uint64_t *words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct npu_regcmd_entry e = npu_regcmd_decode(words[i]);
		const struct npu_block_info *b = npu_block_of_target(e.target);

		st->n_entries++;
		if (!words[i]) {
			st->n_zero++;
			continue;
		}
		if (e.target == NPU_TARGET_PRE_OP_EN) {
			st->pre_op_en_seen = true;
			continue;
		}
		if (e.target == NPU_TARGET_OP_EN) {
			st->op_en_seen = true;
			st->op_en = e.value;
			st->op_en_after_marker = st->pre_op_en_seen;
		}
		if (!b || (b->block != NPU_BLOCK_GLOBAL &&
			   (e.reg < b->base || e.reg >= b->base + 0x1000))) {
			st->n_unknown++;
			continue;
		}
		st->value[b->block][(e.reg & 0xfff) / 4] = e.value;
		st->written[b->block][(e.reg & 0xfff) / 4] = 1;
	}
}

uint32_t npu_reg_state_get(const struct npu_reg_state *st, uint16_t reg)
{
	const struct npu_block_info *b = npu_block_of_reg(reg);

	return b ? st->value[b->block][(reg & 0xfff) / 4] : 0;
}

bool npu_reg_state_written(const struct npu_reg_state *st, uint16_t reg)
{
	const struct npu_block_info *b = npu_block_of_reg(reg);

	return b && st->written[b->block][(reg & 0xfff) / 4];
}
