/* SPDX-License-Identifier: MIT */
/*
 * npu_conv.h — int8 conv2d on the NPU: parameters, per-task geometry
 * (CBUF tiling) and the regcmd program builder.
 *
 * Contract:
 * - Tensors are TFLite int8 (signed, asymmetric): input NHWC (N = 1), weights
 *   OHWI ([1][kh][kw][C] when depthwise), bias int32, zero points in int8
 *   terms.  The hardware sees x_s8 = x_u8 - 0x80 (Mesa rkt_ml.c feature layout), which
 *   is exactly the int8 value, so Mesa's "zp - 0x80" is our zp.
 * - The hardware WIDTH is the innermost (TFLite W) dimension (Mesa rkt_ml.c feature layout: vendor dump; UNCONFIRMED for non-square shapes, UNCONFIRMED: Mesa width/height mapping).
 * - npu_conv2d_plan() splits along the output height into tasks whose input
 *   band fits the data banks (Mesa rkt_task.c rkt_split_tasks); npu_conv2d_build() emits
 *   one regcmd stream per task into a struct npu_program (npu_program.h).
 * - raw_int32 selects the mode with every DPU stage bypassed and int32
 *   output (RK3588 TRM ch. 36 rounding): the only bit-exact check the facts support.
 *   Its expected result is npu_ref_conv2d_raw().
 * Pure data: no device access.
 */
#ifndef RKVAL_NPU_CONV_H
#define RKVAL_NPU_CONV_H

#include <stdbool.h>
#include <stdint.h>

#include "npu/npu_soc.h"

struct npu_program;

struct npu_conv2d_params {
	unsigned int in_h, in_w, in_c;
	unsigned int out_c;		/* == in_c when depthwise */
	unsigned int k_h, k_w;		/* 1..5 */
	unsigned int stride;		/* 1 or 2, same in x and y */
	unsigned int pad_top, pad_bottom, pad_left, pad_right;
	bool depthwise;
	bool raw_int32;			/* DPU bypassed, int32 accumulators out */
	int32_t in_zp, w_zp, out_zp;	/* int8 zero points */
	float in_scale, w_scale, out_scale;
	unsigned int truncate_bits;	/* CORE CLIP_TRUNCATE, Mesa rkt_regcmd.c conv2d task #58 */
};

/* Limits this builder accepts (Mesa registers.xml CNA/Mesa registers.xml CORE field widths). */
#define NPU_CONV_MAX_KERNEL	5	/* brief: kernels 1x1..5x5 */
#define NPU_CONV_MAX_PAD	15	/* PAD_CON0 PAD_LEFT/PAD_TOP are 4 bits */
#define NPU_CONV_MAX_DIM	2047	/* DATAIN_WIDTH/HEIGHT are 11 bits */
#define NPU_CONV_MAX_CHANNELS	4096	/* DPU CHANNEL fields are 13 bits */

unsigned int npu_conv2d_out_h(const struct npu_conv2d_params *p);
unsigned int npu_conv2d_out_w(const struct npu_conv2d_params *p);
/* Set pads for TF "SAME" padding (extra pixel at bottom/right). */
void npu_conv2d_same_padding(struct npu_conv2d_params *p);
/* 0 if the builder can program @p, else -EINVAL and a reason in @why. */
int npu_conv2d_check(const struct npu_conv2d_params *p, const char **why);

/* Channel counts as the hardware is programmed (Mesa rkt_task.c fill_task). */
unsigned int npu_conv2d_in_channels_hw(const struct npu_conv2d_params *p);
unsigned int npu_conv2d_out_channels_hw(const struct npu_conv2d_params *p);
unsigned int npu_conv2d_weight_kernels(const struct npu_conv2d_params *p);
/* The Cin == 1 path (Mesa rkt_regcmd.c conv2d task #4, #19-23, Mesa rkt_task.c fill_task) */
bool npu_conv2d_cin1_path(const struct npu_conv2d_params *p);

/* One task of a conv: a band of output rows and the input rows it reads. */
struct npu_conv_task {
	unsigned int out_row0, out_rows;
	unsigned int in_row0, in_rows;
	unsigned int pad_top, pad_bottom;
	unsigned int data_banks, weight_banks;
	bool weight_reuse;		/* CBUF_CON0 WEIGHT_REUSE on tasks > 0 */
};

#define NPU_CONV_MAX_TASKS	256

struct npu_conv_plan {
	unsigned int entries_per_row;	/* CBUF entries per input row */
	unsigned int input_banks_needed;
	unsigned int weight_banks_needed;
	bool weights_resident;		/* Mesa reuse_weights_cbuf: one job */
	unsigned int n_tasks;
	struct npu_conv_task tasks[NPU_CONV_MAX_TASKS];
};

/* Tiling decision; 0 or -EINVAL (e.g. a single row does not fit). */
int npu_conv2d_plan(const struct npu_soc *soc, const struct npu_conv2d_params *p,
		    struct npu_conv_plan *plan);

/*
 * Build the whole program: weights/bias/input/output slot sizes, one regcmd
 * stream per planned task, relocations.  @prog must be npu_program_init()ed;
 * returns 0 or -errno.
 */
int npu_conv2d_build(const struct npu_soc *soc, const struct npu_conv2d_params *p,
		     struct npu_program *prog);

#endif /* RKVAL_NPU_CONV_H */
