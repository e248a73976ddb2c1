/* SPDX-License-Identifier: MIT */
/*
 * arith.h — the bit-exact arithmetic of the vnpu pipeline, alone (the
 * NVDLA C-model's hls/ split): int8 multiply-accumulate,
 * right shifts with the NPU's two rounding modes, the converters and
 * saturation.
 *
 * Contract: pure functions, no state, no model access; selftests/unit/
 * pipeline_arith.c checks them on hand-computed cases.  Where the
 * hardware's exact behaviour is not established (RK3588 TRM ch. 36 rounding,
 * UNCONFIRMED: OUT_CVT rounding) the function says which reading it implements.
 */
#ifndef RKVAL_VNPU_PIPELINE_ARITH_H
#define RKVAL_VNPU_PIPELINE_ARITH_H

#include <stddef.h>
#include <stdint.h>

/*
 * The two rounding modes of CORE CLIP_TRUNCATE ROUND_TYPE, CNA CVT_CON0
 * ROUND_TYPE and DPU OUT_CVT_SHIFT CVT_ROUND (Mesa registers.xml CORE, RK3588 TRM ch. 36 rounding):
 * 0 "if the integer is odd, carry 1" — read here as round half to even;
 * 1 "carry 1 no matter" — round half up (towards +infinity).
 * UNCONFIRMED on RK3588/RK3568: only measured on RV1103 (RK3588 TRM ch. 36 rounding).
 */
enum vnpu_round {
	VNPU_ROUND_HALF_EVEN = 0,
	VNPU_ROUND_HALF_UP = 1,
};

/* Output precision codes of DPU DATA_FORMAT (Mesa registers.xml DPU). */
enum vnpu_precision {
	VNPU_PREC_INT8 = 0,
	VNPU_PREC_INT16 = 1,
	VNPU_PREC_FP16 = 2,
	VNPU_PREC_BF16 = 3,
	VNPU_PREC_INT32 = 4,
	VNPU_PREC_FP32 = 5,
	VNPU_PREC_INT4 = 6,
};

/* v >> shift rounded per @mode (arithmetic, exact for every int64 v). */
int64_t vnpu_round_shift(int64_t v, unsigned int shift, enum vnpu_round mode);

/* Saturate to an integer precision (int8/int16/int32); others return v. */
int64_t vnpu_saturate(int64_t v, enum vnpu_precision prec);
/* Bytes of one element of @prec, 0 if the model has no integer form. */
unsigned int vnpu_precision_bytes(enum vnpu_precision prec);

/*
 * DPU OUT_CVT (Mesa registers.xml DPU 0x4080-0x4088, Mesa rkt_regcmd.c OUT_CVT): CVT_TYPE 0
 * multiplies first, y = round((v * scale) >> shift) + offset; CVT_TYPE 1
 * adds first, y = round(((v + offset) * scale) >> shift).  scale is the
 * 16-bit unsigned register field (Mesa writes 16384..32768).
 */
struct vnpu_cvt {
	uint32_t scale;
	unsigned int shift;
	int32_t offset;
	unsigned int add_first;	/* CVT_TYPE */
	enum vnpu_round round;
};
int64_t vnpu_cvt_apply(const struct vnpu_cvt *cvt, int64_t v);

/*
 * CNA input converter (CVT_CON0..4, Mesa registers.xml CNA, Mesa rkt_regcmd.c conv2d task #19-23):
 * x = truncate((raw * scale) >> trunc) + offset (CVT_TYPE 0) or
 * ((raw + offset) * scale) >> trunc (CVT_TYPE 1); raw is the stored byte,
 * signed when DATA_SIGN.  Scale and offset are signed 16-bit fields.
 */
struct vnpu_in_cvt {
	int32_t scale, offset;
	unsigned int trunc;
	unsigned int add_first;
	unsigned int data_sign;
	enum vnpu_round round;
};
int8_t vnpu_in_cvt_apply(const struct vnpu_in_cvt *cvt, uint8_t raw);

/*
 * The MAC array: sum a[i] * b[i] over n int8 pairs into int32 (the
 * accumulator width of the model; the hardware's is not documented).
 * Written for auto-vectorisation.  Sums that overflow int32 wrap.
 */
int32_t vnpu_dot_s8(const int8_t *a, const int8_t *b, size_t n);
/* Four kernels against one input vector: out[k] = dot(a, b + k * stride). */
void vnpu_dot4_s8(const int8_t *a, const int8_t *b, size_t stride, size_t n,
		  int32_t out[4]);
/* acc[i] += a[i] * b[i] (depthwise: one tap over n channels). */
void vnpu_mac_s8(int32_t *acc, const int8_t *a, const int8_t *b, size_t n);
/* sum a[i] (the CPEND operand sum, Mesa rkt_regcmd.c, RK3588 TRM ch. 36). */
int32_t vnpu_sum_s8(const int8_t *a, size_t n);

#endif /* RKVAL_VNPU_PIPELINE_ARITH_H */
