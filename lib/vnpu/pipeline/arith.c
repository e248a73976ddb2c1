// SPDX-License-Identifier: MIT
/*
 * arith.c — bit-exact maths of the vnpu pipeline (see arith.h).
 *
 * The MAC loops work on blocks of VNPU_MAC_BLOCK int8 elements with a
 * constant trip count so that gcc -O2 (whose "very cheap" vectoriser
 * refuses loops needing an epilogue) turns them into SIMD multiply-adds;
 * the short tail is plain C.  Channel counts are multiples of 16 on the
 * NPU (DATAIN_CHANNEL, Mesa registers.xml CNA), so the tail is rare.
 */
#include "vnpu/pipeline/arith.h"

#define VNPU_MAC_BLOCK	16

int64_t vnpu_round_shift(int64_t v, unsigned int shift, enum vnpu_round mode)
{
	int64_t q, rem, half;

	if (!shift)
		return v;
	if (shift > 62)		/* |v / 2^shift| < 1/2: rounds to 0 either way */
		return 0;
	q = v >> shift;		/* floor: gcc/clang shift arithmetically */
	rem = v - q * ((int64_t)1 << shift);
	half = (int64_t)1 << (shift - 1);
	if (rem > half)
		return q + 1;
	if (rem < half)
		return q;
	/* exactly half way */
	if (mode == VNPU_ROUND_HALF_UP)
		return q + 1;
	return q + (q & 1);
}

int64_t vnpu_saturate(int64_t v, enum vnpu_precision prec)
{
	int64_t lo, hi;

	switch (prec) {
	case VNPU_PREC_INT8:
		lo = INT8_MIN;
		hi = INT8_MAX;
		break;
	case VNPU_PREC_INT16:
		lo = INT16_MIN;
		hi = INT16_MAX;
		break;
	case VNPU_PREC_INT32:
		lo = INT32_MIN;
		hi = INT32_MAX;
		break;
	default:
		return v;
	}
	return v < lo ? lo : v > hi ? hi : v;
}

unsigned int vnpu_precision_bytes(enum vnpu_precision prec)
{
	switch (prec) {
	case VNPU_PREC_INT8:
		return 1;
	case VNPU_PREC_INT16:
		return 2;
	case VNPU_PREC_INT32:
		return 4;
	default:
		return 0;
	}
}

/* Keep products in range: |v| < 2^47 in practice, scale < 2^16. */
static int64_t mul_sat(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return (a < 0) != (b < 0) ? INT64_MIN / 2 : INT64_MAX / 2;
	return r;
}

int64_t vnpu_cvt_apply(const struct vnpu_cvt *cvt, int64_t v)
{
	if (cvt->add_first)
		return vnpu_round_shift(mul_sat(v + cvt->offset, cvt->scale),
					cvt->shift, cvt->round);
	return vnpu_round_shift(mul_sat(v, cvt->scale), cvt->shift, cvt->round) +
	       cvt->offset;
}

int8_t vnpu_in_cvt_apply(const struct vnpu_in_cvt *cvt, uint8_t raw)
{
	int64_t x = cvt->data_sign ? (int8_t)raw : raw;

	if (cvt->add_first)
		x = vnpu_round_shift((x + cvt->offset) * cvt->scale, cvt->trunc, cvt->round);
	else
		x = vnpu_round_shift(x * cvt->scale, cvt->trunc, cvt->round) + cvt->offset;
	return (int8_t)vnpu_saturate(x, VNPU_PREC_INT8);
}

int32_t vnpu_dot_s8(const int8_t *a, const int8_t *b, size_t n)
{
	int32_t acc[VNPU_MAC_BLOCK] = { 0 };
	int32_t sum = 0;
	size_t i = 0;

	for (; i + VNPU_MAC_BLOCK <= n; i += VNPU_MAC_BLOCK)
		for (unsigned int j = 0; j < VNPU_MAC_BLOCK; j++)
			acc[j] += (int16_t)a[i + j] * (int16_t)b[i + j];
	for (; i < n; i++)
		sum += a[i] * b[i];
	for (unsigned int j = 0; j < VNPU_MAC_BLOCK; j++)
		sum += acc[j];
	return sum;
}

void vnpu_dot4_s8(const int8_t *a, const int8_t *b, size_t stride, size_t n,
		  int32_t out[4])
{
	int32_t acc[4][VNPU_MAC_BLOCK] = { { 0 } };
	const int8_t *b0 = b, *b1 = b + stride, *b2 = b + 2 * stride, *b3 = b + 3 * stride;
	size_t i = 0;

	for (; i + VNPU_MAC_BLOCK <= n; i += VNPU_MAC_BLOCK)
		for (unsigned int j = 0; j < VNPU_MAC_BLOCK; j++) {
			int16_t x = a[i + j];

			acc[0][j] += x * b0[i + j];
			acc[1][j] += x * b1[i + j];
			acc[2][j] += x * b2[i + j];
			acc[3][j] += x * b3[i + j];
		}
	for (unsigned int k = 0; k < 4; k++) {
		int32_t s = 0;

		for (unsigned int j = 0; j < VNPU_MAC_BLOCK; j++)
			s += acc[k][j];
		for (size_t t = i; t < n; t++)
			s += a[t] * b[k * stride + t];
		out[k] = s;
	}
}

void vnpu_mac_s8(int32_t *acc, const int8_t *a, const int8_t *b, size_t n)
{
	size_t i = 0;

	for (; i + VNPU_MAC_BLOCK <= n; i += VNPU_MAC_BLOCK)
		for (unsigned int j = 0; j < VNPU_MAC_BLOCK; j++)
			acc[i + j] += (int16_t)a[i + j] * (int16_t)b[i + j];
	for (; i < n; i++)
		acc[i] += a[i] * b[i];
}

int32_t vnpu_sum_s8(const int8_t *a, size_t n)
{
	int32_t acc[VNPU_MAC_BLOCK] = { 0 };
	int32_t sum = 0;
	size_t i = 0;

	for (; i + VNPU_MAC_BLOCK <= n; i += VNPU_MAC_BLOCK)
		for (unsigned int j = 0; j < VNPU_MAC_BLOCK; j++)
			acc[j] += a[i + j];
	for (; i < n; i++)
		sum += a[i];
	for (unsigned int j = 0; j < VNPU_MAC_BLOCK; j++)
		sum += acc[j];
	return sum;
}
