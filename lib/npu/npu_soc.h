/* SPDX-License-Identifier: MIT */
/*
 * npu_soc.h — per-SoC programming parameters of the NPU, chosen by name.
 *
 * Contract: npu_soc_variant(name) returns a filled, read-only description or
 * NULL for an unknown name.  Names are a base SoC optionally followed by
 * modifiers, so a board run can try each UNCONFIRMED value without a rebuild:
 *
 *	"rk3588"                  Mesa/TRM values (Mesa rkt_ml.h)
 *	"rk3568"                  facts only; where none exist, the RK3588 value
 *	(every row of lib/hw/soc.h is a base by its name, with Mesa's choices)
 *	"rk3568-fork"             every [FORK-3568] claim of vendor rknpu per-SoC tables
 *	"rk3568-c2-16-banks-12"   base + modifiers, applied left to right:
 *	    c2-<8|16>        feature atom (bytes per pixel per surface)
 *	    banks-<n>        CBUF bank count
 *	    kgroup-<16|32>   weight kernel group
 *	    scale-<1|2>      PC data amount scale
 *	    open-<hex>       conv op_en mask (e.g. open-1f)
 *	    align-<64|128>   task stream alignment in the regcmd buffer
 *
 * The silicon's facts in a row (CBUF geometry, PC amount unit) come from
 * lib/hw/soc.h; this file adds only programming choices.  The returned
 * pointer stays valid for the life of the process (variants are cached).  Builders and layouts take a struct npu_soc so nothing branches on
 * a SoC name.
 */
#ifndef RKVAL_NPU_SOC_H
#define RKVAL_NPU_SOC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/soc.h"

struct npu_soc {
	char name[64];
	enum hw_soc soc;			/* the silicon (lib/hw/soc.h) */
	/* CBUF geometry: the SoC's row, or a variant's override */
	unsigned int cbuf_banks;
	unsigned int cbuf_entries_per_bank;
	unsigned int cbuf_entry_size;		/* bytes */
	/* Layouts, Mesa rkt_ml.c, rkt_coefs.c layouts */
	unsigned int feature_c2;		/* int8 feature atom, bytes */
	unsigned int surf_px_align;		/* pixels per surface padded to this */
	unsigned int weight_kgroup;		/* kernels per weight group */
	/* Submission: amount unit from the SoC's row; alignment Mesa rkt_regcmd.c */
	unsigned int pc_amount_scale;		/* 2: 128-bit units, 1: 64-bit */
	unsigned int task_align;		/* bytes between task streams */
	uint32_t conv_op_en;			/* op_en for a conv task */
	/* Register values that differ per SoC, vendor rknpu per-SoC tables */
	uint32_t cna_dma_con0;
	bool fork_geometry;	/* [FORK-3568] DATA_ENTRIES/FEATURE_GRAINS/strides */
};

const struct npu_soc *npu_soc_variant(const char *name);

/* Default SoCs, never NULL. */
const struct npu_soc *npu_soc_rk3588(void);
const struct npu_soc *npu_soc_rk3568(void);
/*
 * The default programming of an identified SoC; RK3588 (Mesa's, the
 * known-good one) for HW_SOC_UNKNOWN.  Never NULL.
 */
const struct npu_soc *npu_soc_for(enum hw_soc soc);

/*
 * Base names whose streams selftests/golden/streams.txt pins, in its
 * order; NULL-terminated.  A new SoC row adds its name with its goldens.
 */
extern const char *const npu_soc_base_names[];

#endif /* RKVAL_NPU_SOC_H */
