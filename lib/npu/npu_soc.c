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

/* Mesa rkt_ml.h: CBUF_BANKS 12, CBUF_ENTRIES_PER_BANK 256, CBUF_ENTRY_SIZE 128 */
#define RK3588_CBUF_BANKS		12
#define RK3588_CBUF_ENTRIES_PER_BANK	256
#define RK3588_CBUF_ENTRY_SIZE		128
/* Mesa rkt_ml.c feature layout: FEATURE_ATOMIC_SIZE 16 */
#define RK3588_FEATURE_C2		16
/* Mesa rkt_coefs.c rkt_fill_weights, vendor rknpu per-SoC tables: kernel groups of 32 */
#define RK3588_WEIGHT_KGROUP		32
/* vendor rknpu rknpu_config: pc_data_amount_scale rk3588 2, rk356x 1 */
#define RK3588_PC_AMOUNT_SCALE		2
#define RK356X_PC_AMOUNT_SCALE		1
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
/* RK3568 CBUF: 8 banks x 32 KiB per the RFC author, vendor rknpu per-SoC tables */
#define RK3568_CBUF_BANKS		8
/* UNCONFIRMED: [FORK-3568] 1024 entries x 32 B per bank, vendor rknpu per-SoC tables */
#define FORK3568_CBUF_ENTRIES_PER_BANK	1024
#define FORK3568_CBUF_ENTRY_SIZE	32
/* UNCONFIRMED: [FORK-3568] C2 = 8, surfaces padded to 4 pixels, Mesa rkt_ml.c feature layout */
#define FORK3568_FEATURE_C2		8
#define FORK3568_SURF_PX_ALIGN		4
/* UNCONFIRMED: [FORK-3568] kernel groups of 16, Mesa rkt_coefs.c rkt_fill_weights */
#define FORK3568_WEIGHT_KGROUP		16

static const struct npu_soc soc_rk3588 = {
	.name = "rk3588",
	.cbuf_banks = RK3588_CBUF_BANKS,
	.cbuf_entries_per_bank = RK3588_CBUF_ENTRIES_PER_BANK,
	.cbuf_entry_size = RK3588_CBUF_ENTRY_SIZE,
	.feature_c2 = RK3588_FEATURE_C2,
	.surf_px_align = 1,
	.weight_kgroup = RK3588_WEIGHT_KGROUP,
	.pc_amount_scale = RK3588_PC_AMOUNT_SCALE,
	.task_align = MESA_TASK_ALIGN,
	.conv_op_en = MESA_CONV_OP_EN,
	.cna_dma_con0 = MESA_CNA_DMA_CON0,
};

/*
 * RK3568 from facts only: bank count and amount scale are sourced; C2,
 * weight groups, op_en and entry geometry have no primary source and keep
 * the RK3588 values (UNCONFIRMED: see UNCONFIRMED: RK3568 register differences).
 */
static const struct npu_soc soc_rk3568 = {
	.name = "rk3568",
	.cbuf_banks = RK3568_CBUF_BANKS,
	.cbuf_entries_per_bank = RK3588_CBUF_ENTRIES_PER_BANK,
	.cbuf_entry_size = RK3588_CBUF_ENTRY_SIZE,
	.feature_c2 = RK3588_FEATURE_C2,
	.surf_px_align = 1,
	.weight_kgroup = RK3588_WEIGHT_KGROUP,
	.pc_amount_scale = RK356X_PC_AMOUNT_SCALE,
	.task_align = MESA_TASK_ALIGN,
	.conv_op_en = MESA_CONV_OP_EN,
	.cna_dma_con0 = MESA_CNA_DMA_CON0,
};

/* UNCONFIRMED throughout: the iav/mesa RK3568 fork's claims, vendor rknpu per-SoC tables */
static const struct npu_soc soc_rk3568_fork = {
	.name = "rk3568-fork",
	.cbuf_banks = RK3568_CBUF_BANKS,
	.cbuf_entries_per_bank = FORK3568_CBUF_ENTRIES_PER_BANK,
	.cbuf_entry_size = FORK3568_CBUF_ENTRY_SIZE,
	.feature_c2 = FORK3568_FEATURE_C2,
	.surf_px_align = FORK3568_SURF_PX_ALIGN,
	.weight_kgroup = FORK3568_WEIGHT_KGROUP,
	.pc_amount_scale = RK356X_PC_AMOUNT_SCALE,
	.task_align = FORK3568_TASK_ALIGN,
	.conv_op_en = FORK3568_CONV_OP_EN,
	.cna_dma_con0 = FORK3568_CNA_DMA_CON0,
	.fork_geometry = true,
};

const char *const npu_soc_base_names[] = { "rk3588", "rk3568", "rk3568-fork", NULL };

const struct npu_soc *npu_soc_rk3588(void) { return &soc_rk3588; }
const struct npu_soc *npu_soc_rk3568(void) { return &soc_rk3568; }

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
	const struct npu_soc *bases[] = { &soc_rk3568_fork, &soc_rk3588, &soc_rk3568 };
	char buf[sizeof(out->name)], *save = NULL, *key, *val;
	const char *rest = NULL;
	size_t i;

	if (strlen(name) >= sizeof(buf))
		return -1;
	/* longest base first so "rk3568-fork" is not read as rk3568 + "fork" */
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		size_t n = strlen(bases[i]->name);

		if (!strncmp(name, bases[i]->name, n) &&
		    (name[n] == '\0' || name[n] == '-')) {
			*out = *bases[i];
			rest = name + n;
			break;
		}
	}
	if (!rest)
		return -1;
	snprintf(buf, sizeof(buf), "%s", rest);
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
	const struct npu_soc *ret = NULL;
	struct npu_soc s;
	unsigned int i;

	if (!name)
		return NULL;
	if (!strcmp(name, soc_rk3588.name))
		return &soc_rk3588;
	if (!strcmp(name, soc_rk3568.name))
		return &soc_rk3568;
	if (!strcmp(name, soc_rk3568_fork.name))
		return &soc_rk3568_fork;
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
