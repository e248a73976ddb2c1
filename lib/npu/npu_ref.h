/* SPDX-License-Identifier: MIT */
/*
 * npu_ref.h — CPU reference results and comparison statistics.
 *
 * Contract:
 * - npu_ref_conv2d_s8(): TFLite int8 conv2d semantics (NHWC in/out, OHWI
 *   weights, per-tensor scales, int32 bias, MultiplyByQuantizedMultiplier
 *   rounding).  This is the application-level truth; the NPU's requantiser
 *   is not bit-exact to it (Mesa rkt_regcmd.c OUT_CVT, RK3588 TRM ch. 36 rounding), so compare with a
 *   tolerance (Mesa test_teflon.cpp TOLERANCE: Mesa uses 2 or 6).
 * - npu_ref_conv2d_acc(): the zero-point corrected int32 accumulators
 *   sum (x - izp)(w - wzp), no bias.
 * - npu_ref_conv2d_raw(): what the NPU writes in raw_int32 mode: sum x*w
 *   over the real channels, padded pixels reading in_zp (PAD_CON1), no
 *   zero-point correction, no bias.  Bit-exact by construction of the mode.
 * - npu_ref_ew_add_s8(): sat_int8(a + b).
 * - npu_compare_*(): exact/within-tolerance counts, max |error|, a
 *   histogram of |error|, the first mismatches with coordinates, and the
 *   two bring-up signatures: "every output equals the zero point" and
 *   "the output buffer is untouched" (still NPU_CANARY_BYTE everywhere);
 *   also the signed error sum and the channel with the largest mean
 *   signed error, for npu_compare_stats_ok() (docs/accuracy.md).
 * All functions are pure; none allocate except the conv references
 * (scratch, returns -ENOMEM).
 */
#ifndef RKVAL_NPU_REF_H
#define RKVAL_NPU_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "npu/npu_conv.h"

int npu_ref_conv2d_s8(const struct npu_conv2d_params *p, const int8_t *in,
		      const int8_t *w, const int32_t *bias, int8_t *out);
int npu_ref_conv2d_acc(const struct npu_conv2d_params *p, const int8_t *in,
		       const int8_t *w, int32_t *acc);
int npu_ref_conv2d_raw(const struct npu_conv2d_params *p, const int8_t *in,
		       const int8_t *w, int32_t *out);
void npu_ref_ew_add_s8(const int8_t *a, const int8_t *b, size_t n, int8_t *out);

/* Requantise one accumulator (acc + bias) as TFLite does. */
int8_t npu_ref_requant(int32_t acc_plus_bias, int32_t qm, int shift, int32_t out_zp);

/*
 * Fill pattern for output buffers before a job: a byte the NPU is unlikely
 * to produce everywhere (0xa5 = -91, not a zero point of any test here).
 */
#define NPU_CANARY_BYTE		0xa5
void npu_canary_fill(void *buf, size_t size);
bool npu_buffer_untouched(const void *buf, size_t size);

/* |error| buckets: 0, 1, 2, 3, 4-7, 8-15, 16-31, 32-63, 64-127, >= 128 */
#define NPU_CMP_HIST_BUCKETS	10
#define NPU_CMP_MAX_FIRST	8

struct npu_mismatch {
	size_t index;
	unsigned int y, x, c;
	int64_t expected, seen;
};

struct npu_compare_stats {
	unsigned int h, w, c;
	size_t total;
	size_t exact;
	size_t within_tol;
	int64_t tolerance;
	int64_t max_abs_err;
	size_t hist[NPU_CMP_HIST_BUCKETS];
	unsigned int n_first;
	struct npu_mismatch first[NPU_CMP_MAX_FIRST];
	bool all_zero_point;	/* signature: output == out_zp everywhere */
	bool untouched;		/* signature: raw buffer still all canary */
	bool raw_checked;	/* untouched is meaningful */
	/*
	 * Statistics over the elements that can show a bias: for int8 those
	 * whose expected value is not saturated (an output clamped at 127
	 * stays 127 whatever is added before the clamp).
	 */
	size_t n_stat, exact_stat;
	int64_t sum_err;	/* sum of (seen - expected) over them */
	unsigned int worst_c;	/* channel of the largest |mean signed error| */
	double worst_c_mean;	/* its mean signed error */
	size_t worst_c_n;	/* over this many elements */
};

/*
 * Statistical criteria next to the per-element tolerance
 * (docs/accuracy.md explains each number): a systematic error of one LSB
 * passes a tolerance of 2 everywhere, but not these.  Each bound is
 * widened by NPU_ACC_NOISE_SIGMAS standard errors of its estimate, taking
 * the per-element error's deviation as at most the tolerance (mean) or
 * 1/2 (exact share), so small outputs are not failed by chance.
 */
struct npu_accuracy {
	double max_mean_err;		/* |mean signed error|, LSB */
	double max_channel_mean;	/* |mean signed error| of any channel, LSB */
	double min_exact_share;		/* exact elements / all */
};

#define NPU_ACC_MAX_MEAN_ERR		0.25
#define NPU_ACC_MAX_CHANNEL_MEAN	0.5
#define NPU_ACC_MIN_EXACT_SHARE		0.75
#define NPU_ACC_NOISE_SIGMAS		3.0
/* The defaults above. */
void npu_accuracy_default(struct npu_accuracy *acc);

unsigned int npu_cmp_bucket(int64_t abs_err);
/* Lower bound of a bucket, for printing. */
int64_t npu_cmp_bucket_floor(unsigned int bucket);

void npu_compare_s8(const int8_t *expected, const int8_t *seen, unsigned int h,
		    unsigned int w, unsigned int c, int tolerance, int8_t zero_point,
		    struct npu_compare_stats *st);
void npu_compare_s32(const int32_t *expected, const int32_t *seen, unsigned int h,
		     unsigned int w, unsigned int c, int64_t tolerance,
		     struct npu_compare_stats *st);
/* Record the untouched signature from the raw device buffer. */
void npu_compare_note_raw(struct npu_compare_stats *st, const void *raw, size_t size);
/* Passed: every element within tolerance. */
bool npu_compare_ok(const struct npu_compare_stats *st);
/*
 * Passed the statistical criteria of @acc; else false with the criterion
 * and its figures in @why ("mean signed error +0.98 LSB over 2048
 * elements, allowed +-0.38").
 */
bool npu_compare_stats_ok(const struct npu_compare_stats *st, const struct npu_accuracy *acc,
			  char *why, size_t len);
/* "mean error +0.002, 99.9% exact, worst channel 3 mean +0.031" */
int npu_compare_stats_line(const struct npu_compare_stats *st, char *buf, size_t len);
/* One-line summary ("1024/1024 exact, max |err| 0 ..."); returns snprintf's. */
int npu_compare_summary(const struct npu_compare_stats *st, char *buf, size_t len);

#endif /* RKVAL_NPU_REF_H */
