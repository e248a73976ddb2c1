// SPDX-License-Identifier: MIT
/*
 * npu_soc.c — SoC tables and the variant-name parser.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npu/npu_soc.h"
#include "util/num_parse.h"

/*
 * The silicon's facts (CBUF geometry, PC amount unit) come from the SoC's
 * row, lib/hw/soc.c; what follows are programming choices.
 */
/* Mesa rkt_ml.c feature layout: FEATURE_ATOMIC_SIZE 16 */
#define MESA_FEATURE_C2			16
/* Mesa rkt_coefs.c rkt_fill_weights, vendor rknpu per-SoC tables: kernel groups of 32 */
#define MESA_WEIGHT_KGROUP		32
/* Mesa rkt_regcmd.c: Mesa places task streams 64-byte aligned; [FORK-3568] 128 */
#define MESA_TASK_ALIGN			64
#define FORK3568_TASK_ALIGN		128
/* Mesa registers.xml PC, RK3588 TRM ch. 36: Mesa conv op_en 0x1d (CNA|CORE|DPU|DPU_RDMA) */
#define MESA_CONV_OP_EN			0x1d
/* UNCONFIRMED: [FORK-3568] claims RK3568 conv needs 0x1f, Mesa registers.xml PC, RK3588 TRM ch. 36 */
#define FORK3568_CONV_OP_EN		0x1f
/* Mesa rkt_regcmd.c conv2d task #29: WEIGHT_BURST_LEN(15)|DATA_BURST_LEN(15) */
#define MESA_CNA_DMA_CON0		0x000f000f
/* UNCONFIRMED: [FORK-3568] vendor constant, vendor rknpu per-SoC tables */
#define FORK3568_CNA_DMA_CON0		0x00171c07
/* UNCONFIRMED: [FORK-3568] 1024 entries x 32 B per bank, vendor rknpu per-SoC tables */
#define FORK3568_CBUF_ENTRIES_PER_BANK	1024
#define FORK3568_CBUF_ENTRY_SIZE	32
/* UNCONFIRMED: [FORK-3568] C2 = 8, surfaces padded to 4 pixels, Mesa rkt_ml.c feature layout */
#define FORK3568_FEATURE_C2		8
#define FORK3568_SURF_PX_ALIGN		4
/* UNCONFIRMED: [FORK-3568] kernel groups of 16, Mesa rkt_coefs.c rkt_fill_weights */
#define FORK3568_WEIGHT_KGROUP		16

/* Mesa's programming choices, the same on every SoC (Mesa rkt_ml.c, rkt_coefs.c, rkt_regcmd.c). */
static const struct npu_soc mesa_programming = {
	.feature_c2 = MESA_FEATURE_C2,
	.surf_px_align = 1,
	.weight_kgroup = MESA_WEIGHT_KGROUP,
	.task_align = MESA_TASK_ALIGN,
	.conv_op_en = MESA_CONV_OP_EN,
	.cna_dma_con0 = MESA_CNA_DMA_CON0,
};

/*
 * UNCONFIRMED throughout: the iav/mesa RK3568 fork's claims, vendor rknpu
 * per-SoC tables.  The bank count and amount unit are RK3568's row.
 */
static struct npu_soc soc_rk3568_fork = {
	.name = "rk3568-fork",
	.cbuf_entries_per_bank = FORK3568_CBUF_ENTRIES_PER_BANK,
	.cbuf_entry_size = FORK3568_CBUF_ENTRY_SIZE,
	.feature_c2 = FORK3568_FEATURE_C2,
	.surf_px_align = FORK3568_SURF_PX_ALIGN,
	.weight_kgroup = FORK3568_WEIGHT_KGROUP,
	.task_align = FORK3568_TASK_ALIGN,
	.conv_op_en = FORK3568_CONV_OP_EN,
	.cna_dma_con0 = FORK3568_CNA_DMA_CON0,
	.fork_geometry = true,
};

/* One base per SoC row of lib/hw/soc.h: its facts with Mesa's choices. */
static struct npu_soc soc_rows[HW_SOC_COUNT];
static pthread_once_t rows_once = PTHREAD_ONCE_INIT;

/* The silicon's part of a programming row: its CBUF and PC amount unit. */
static void take_facts(struct npu_soc *s, const struct hw_soc_facts *f)
{
	s->soc = f->soc;
	s->cbuf_banks = f->cbuf_banks;
	s->cbuf_entries_per_bank = f->cbuf_entries_per_bank;
	s->cbuf_entry_size = f->cbuf_entry_size;
	s->pc_amount_scale = f->pc_amount_scale;
}

/*
 * RK3568 from facts only: bank count and amount scale are sourced; C2,
 * weight groups, op_en and entry geometry have no primary source and keep
 * the RK3588 values (UNCONFIRMED: RK3568 register differences).
 */
static void rows_init(void)
{
	const struct hw_soc_facts *rk3568 = hw_soc_facts(HW_SOC_RK3568);

	for (int soc = HW_SOC_UNKNOWN + 1; soc < HW_SOC_COUNT; soc++) {
		soc_rows[soc] = mesa_programming;
		take_facts(&soc_rows[soc], hw_soc_facts((enum hw_soc)soc));
		snprintf(soc_rows[soc].name, sizeof(soc_rows[soc].name), "%s",
			 hw_soc_name((enum hw_soc)soc));
	}
	soc_rk3568_fork.soc = rk3568->soc;
	soc_rk3568_fork.cbuf_banks = rk3568->cbuf_banks;
	soc_rk3568_fork.pc_amount_scale = rk3568->pc_amount_scale;
}

const char *const npu_soc_base_names[] = { "rk3588", "rk3568", "rk3568-fork", NULL };

const struct npu_soc *npu_soc_for(enum hw_soc soc)
{
	pthread_once(&rows_once, rows_init);
	if (!hw_soc_facts(soc))
		soc = HW_SOC_RK3588;
	return &soc_rows[soc];
}

const struct npu_soc *npu_soc_rk3588(void) { return npu_soc_for(HW_SOC_RK3588); }
const struct npu_soc *npu_soc_rk3568(void) { return npu_soc_for(HW_SOC_RK3568); }

/* The base a variant name starts with: the fork (longest name) or a SoC row. */
static const struct npu_soc *variant_base(const char *name, size_t *len)
{
	size_t n = strlen(soc_rk3568_fork.name);

	/* longest base first so "rk3568-fork" is not read as rk3568 + "fork" */
	if (!strncmp(name, soc_rk3568_fork.name, n) && (name[n] == '\0' || name[n] == '-')) {
		*len = n;
		return &soc_rk3568_fork;
	}
	for (int soc = HW_SOC_UNKNOWN + 1; soc < HW_SOC_COUNT; soc++) {
		n = strlen(soc_rows[soc].name);
		if (!strncmp(name, soc_rows[soc].name, n) && (name[n] == '\0' || name[n] == '-')) {
			*len = n;
			return &soc_rows[soc];
		}
	}
	return NULL;
}

/* Apply one "key-value" modifier; 0 on success. */
static int apply_modifier(struct npu_soc *s, const char *key, const char *val)
{
	uint64_t v;

	/* A user typed it (--npu-soc, --soc): no blank, sign or trailing text. */
	if (num_parse_u64(val, strcmp(key, "open") ? 10 : 16, 0, UINT32_MAX, &v))
		return -1;
	if (!strcmp(key, "c2") && (v == 8 || v == 16)) {
		s->feature_c2 = v;
		/* the C2 = 8 layout comes with 4-pixel surface padding (Mesa rkt_ml.c feature layout) */
		s->surf_px_align = v == 8 ? FORK3568_SURF_PX_ALIGN : 1;
		s->fork_geometry = v == 8;
	} else if (!strcmp(key, "banks") && v >= 2 && v <= 15) {
		s->cbuf_banks = v;	/* DATA_BANK/WEIGHT_BANK are 4-bit fields */
	} else if (!strcmp(key, "kgroup") && (v == 16 || v == 32)) {
		s->weight_kgroup = v;
	} else if (!strcmp(key, "scale") && (v == 1 || v == 2)) {
		s->pc_amount_scale = v;
	} else if (!strcmp(key, "open") && v && v <= 0x7f) {
		s->conv_op_en = v;
	} else if (!strcmp(key, "align") && (v == 64 || v == 128)) {
		s->task_align = v;
	} else {
		return -1;
	}
	return 0;
}

static int parse_variant(const char *name, struct npu_soc *out)
{
	char buf[sizeof(out->name)], *save = NULL, *key, *val;
	const struct npu_soc *base;
	size_t n;

	if (strlen(name) >= sizeof(buf))
		return -1;
	base = variant_base(name, &n);
	if (!base)
		return -1;
	*out = *base;
	snprintf(buf, sizeof(buf), "%s", name + n);
	for (key = strtok_r(buf, "-", &save); key; key = strtok_r(NULL, "-", &save)) {
		val = strtok_r(NULL, "-", &save);
		if (!val || apply_modifier(out, key, val))
			return -1;
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
	return 0;
}

#define MAX_VARIANTS 32
static struct npu_soc variants[MAX_VARIANTS];
static unsigned int n_variants;
static pthread_mutex_t variants_lock = PTHREAD_MUTEX_INITIALIZER;

const struct npu_soc *npu_soc_variant(const char *name)
{
	const struct npu_soc *ret = NULL, *base;
	struct npu_soc s;
	unsigned int i;
	size_t n;

	if (!name)
		return NULL;
	pthread_once(&rows_once, rows_init);
	base = variant_base(name, &n);
	if (base && name[n] == '\0')
		return base;
	if (parse_variant(name, &s))
		return NULL;

	pthread_mutex_lock(&variants_lock);
	for (i = 0; i < n_variants; i++)
		if (!strcmp(variants[i].name, s.name))
			ret = &variants[i];
	if (!ret && n_variants < MAX_VARIANTS) {
		variants[n_variants] = s;
		ret = &variants[n_variants++];
	}
	pthread_mutex_unlock(&variants_lock);
	return ret;
}
