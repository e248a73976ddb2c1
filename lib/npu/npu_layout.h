/* SPDX-License-Identifier: MIT */
/*
 * npu_layout.h — memory layouts the NPU reads and writes, and the
 * quantisation encodings of a conv (Mesa rkt_ml.c, rkt_coefs.c layouts, Mesa rkt_regcmd.c quantisation).
 *
 * Contract:
 * - Feature maps are NC1HWC2: surface s holds channels s*C2 .. s*C2+C2-1,
 *   pixels row-major with the width innermost, each pixel C2 elements
 *   (Mesa rkt_ml.c feature layout).  A struct npu_feature_layout describes one map;
 *   its offsets are in BYTES.  C2 (in elements) = soc->feature_c2 bytes /
 *   element size, so int8 maps use C2 = 16 on RK3588 and int32 maps C2 = 4.
 * - The Cin == 1 input path is a plain [H][max(W,16)] byte plane holding
 *   x_s8 ^ 0x80 (the uint8 value; CNA's converter subtracts 128, Mesa rkt_regcmd.c conv2d task #19-23).
 * - npu_weights_pack()/npu_bias_pack() produce the exact bytes for the
 *   weights and bias slots of npu_conv2d_build() for the same params.
 * - npu_out_cvt_encode() is Mesa's OUT_CVT scale/shift (Mesa rkt_regcmd.c OUT_CVT);
 *   npu_quantize_multiplier()/npu_mul_by_quantized_multiplier() are
 *   TFLite's, for the CPU reference.
 */
#ifndef RKVAL_NPU_LAYOUT_H
#define RKVAL_NPU_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "npu/npu_conv.h"
#include "npu/npu_soc.h"

struct npu_feature_layout {
	unsigned int w, h;
	unsigned int channels;		/* channels allocated (hardware count) */
	unsigned int elem_size;		/* 1 int8, 4 int32 */
	unsigned int c2;		/* elements per pixel per surface */
	unsigned int surf_px;		/* pixels per surface incl. padding */
	size_t pixel_bytes;		/* c2 * elem_size */
	size_t surf_bytes;		/* surf_px * pixel_bytes */
	unsigned int surfaces;
	size_t size;			/* surfaces * surf_bytes */
};

void npu_feature_layout_init(struct npu_feature_layout *l, const struct npu_soc *soc,
			     unsigned int w, unsigned int h, unsigned int channels,
			     unsigned int elem_size);

static inline size_t npu_feature_offset(const struct npu_feature_layout *l,
					unsigned int c, unsigned int row, unsigned int col)
{
	return (c / l->c2) * l->surf_bytes +
	       ((size_t)row * l->w + col) * l->pixel_bytes + (c % l->c2) * l->elem_size;
}

/* NHWC int8 -> NC1HWC2; channels >= c_real get @pad (the zero point). */
void npu_feature_pack_s8(const struct npu_feature_layout *l, const int8_t *nhwc,
			 unsigned int c_real, int8_t pad, void *dst);
void npu_feature_unpack_s8(const struct npu_feature_layout *l, const void *src,
			   unsigned int c_real, int8_t *nhwc);
void npu_feature_unpack_s32(const struct npu_feature_layout *l, const void *src,
			    unsigned int c_real, int32_t *nhwc);

/* The Cin == 1 plane (Mesa rkt_task.c fill_task, Mesa input conversion). */
#define NPU_CIN1_MIN_LINE	16	/* rows padded to FEATURE_ATOMIC_SIZE bytes */
size_t npu_cin1_line_bytes(unsigned int w);
void npu_cin1_pack(unsigned int w, unsigned int h, const int8_t *hw, int8_t pad, void *dst);

/* Input/output layouts of a conv as npu_conv2d_build() programs them. */
void npu_conv2d_input_layout(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			     struct npu_feature_layout *l);
void npu_conv2d_output_layout(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			      struct npu_feature_layout *l);
/* Pack the input for the conv (either layout); dst must hold the slot size. */
void npu_conv2d_pack_input(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			   const int8_t *nhwc, void *dst);
size_t npu_conv2d_input_size(const struct npu_soc *soc, const struct npu_conv2d_params *p);

/*
 * Everything a caller writes before a conv job, in one call: packs @in
 * (NHWC), @w (OHWI) and @bias into the mapped slot buffers map[INPUT],
 * map[WEIGHTS], map[BIAS] (each at least prog->slot_size[] bytes; BIAS
 * may be NULL in raw_int32 mode), and fills map[OUTPUT] with
 * NPU_CANARY_BYTE so "untouched" can be told from "wrong".
 */
void npu_conv2d_fill_buffers(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			     const int8_t *in, const int8_t *w, const int32_t *bias,
			     void *const map[]);
/* Output slot -> NHWC: int8 (out_s8) or, in raw_int32 mode, int32 (out_s32). */
void npu_conv2d_read_output(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			    const void *out_buf, int8_t *out_s8, int32_t *out_s32);

/* Weights (Mesa rkt_coefs.c rkt_fill_weights): size and packing from OHWI int8. */
size_t npu_weights_size(const struct npu_soc *soc, const struct npu_conv2d_params *p);
void npu_weights_pack(const struct npu_soc *soc, const struct npu_conv2d_params *p,
		      const int8_t *ohwi, void *dst);

/*
 * Bias stream (Mesa rkt_coefs.c bias): one int32 per hardware output channel,
 * (bias - corr) >> truncate_bits with corr = sum (w - wzp) * izp.
 */
size_t npu_bias_size(const struct npu_conv2d_params *p);
int32_t npu_bias_correction(const struct npu_conv2d_params *p, const int8_t *ohwi,
			    unsigned int oc);
void npu_bias_pack(const struct npu_conv2d_params *p, const int32_t *bias,
		   const int8_t *ohwi, int32_t *dst);

/* OUT_CVT encoding (Mesa rkt_regcmd.c OUT_CVT). */
struct npu_out_cvt {
	uint32_t scale;		/* OUT_CVT_SCALE, 16384..32768 */
	uint32_t shift;		/* OUT_CVT_SHIFT register value */
	int32_t offset;		/* OUT_CVT_OFFSET = out_zp (int8 terms) */
};
void npu_out_cvt_encode(float conv_scale, unsigned int truncate_bits, int32_t out_zp,
			struct npu_out_cvt *cvt);

/* TFLite QuantizeMultiplier / MultiplyByQuantizedMultiplier. */
void npu_quantize_multiplier(double m, int32_t *qm, int *shift);
int32_t npu_mul_by_quantized_multiplier(int32_t x, int32_t qm, int shift);

#endif /* RKVAL_NPU_LAYOUT_H */
