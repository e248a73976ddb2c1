// SPDX-License-Identifier: MIT
/*
 * pipeline_arith — the vnpu pipeline's bit-exact maths (lib/vnpu/pipeline/
 * arith.c) on hand-computed cases: both rounding modes at and around the
 * half-way point for positive and negative values, saturation, the OUT_CVT
 * and CNA converters, and the int8 dot products against a plain loop.
 */
#include <stdlib.h>

#include "vnpu/pipeline/arith.h"
#include "unit.h"

static void rounding(void)
{
	/* 5/2 = 2.5: half-even -> 2, half-up -> 3 */
	UNIT_EQ(2, vnpu_round_shift(5, 1, VNPU_ROUND_HALF_EVEN), "5>>1 half-even");
	UNIT_EQ(3, vnpu_round_shift(5, 1, VNPU_ROUND_HALF_UP), "5>>1 half-up");
	/* 7/2 = 3.5: both -> 4 */
	UNIT_EQ(4, vnpu_round_shift(7, 1, VNPU_ROUND_HALF_EVEN), "7>>1 half-even");
	UNIT_EQ(4, vnpu_round_shift(7, 1, VNPU_ROUND_HALF_UP), "7>>1 half-up");
	/* -5/2 = -2.5: half-even -> -2, half-up (towards +inf) -> -2 */
	UNIT_EQ(-2, vnpu_round_shift(-5, 1, VNPU_ROUND_HALF_EVEN), "-5>>1 half-even");
	UNIT_EQ(-2, vnpu_round_shift(-5, 1, VNPU_ROUND_HALF_UP), "-5>>1 half-up");
	/* -7/2 = -3.5: half-even -> -4, half-up -> -3 */
	UNIT_EQ(-4, vnpu_round_shift(-7, 1, VNPU_ROUND_HALF_EVEN), "-7>>1 half-even");
	UNIT_EQ(-3, vnpu_round_shift(-7, 1, VNPU_ROUND_HALF_UP), "-7>>1 half-up");
	/* not half way: 13/4 = 3.25 -> 3, 15/4 = 3.75 -> 4, -13/4 -> -3 */
	UNIT_EQ(3, vnpu_round_shift(13, 2, VNPU_ROUND_HALF_EVEN), "13>>2");
	UNIT_EQ(4, vnpu_round_shift(15, 2, VNPU_ROUND_HALF_UP), "15>>2");
	UNIT_EQ(-3, vnpu_round_shift(-13, 2, VNPU_ROUND_HALF_UP), "-13>>2");
	UNIT_EQ(-4, vnpu_round_shift(-15, 2, VNPU_ROUND_HALF_EVEN), "-15>>2");
	UNIT_EQ(12345, vnpu_round_shift(12345, 0, VNPU_ROUND_HALF_EVEN), "shift 0");
	UNIT_EQ(0, vnpu_round_shift(-1000, 63, VNPU_ROUND_HALF_UP), "huge shift");
}

static void saturation(void)
{
	UNIT_EQ(127, vnpu_saturate(300, VNPU_PREC_INT8), "int8 high");
	UNIT_EQ(-128, vnpu_saturate(-129, VNPU_PREC_INT8), "int8 low");
	UNIT_EQ(-5, vnpu_saturate(-5, VNPU_PREC_INT8), "int8 in range");
	UNIT_EQ(32767, vnpu_saturate(40000, VNPU_PREC_INT16), "int16 high");
	UNIT_EQ(INT32_MIN, vnpu_saturate(-3000000000ll, VNPU_PREC_INT32), "int32 low");
	UNIT_EQ(1, vnpu_precision_bytes(VNPU_PREC_INT8), "int8 bytes");
	UNIT_EQ(4, vnpu_precision_bytes(VNPU_PREC_INT32), "int32 bytes");
	UNIT_EQ(0, vnpu_precision_bytes(VNPU_PREC_FP16), "fp16 not modelled");
}

static void converters(void)
{
	/* Mesa's 8.2 example: scale 16385, OUT_CVT_SHIFT 18, offset 2 */
	struct vnpu_cvt c = { .scale = 16385, .shift = 18, .offset = 2 };
	struct vnpu_cvt id = { .scale = 1 };
	struct vnpu_cvt add = { .scale = 3, .shift = 1, .offset = -1, .add_first = 1,
				.round = VNPU_ROUND_HALF_UP };
	/* Cin == 1 input converter (Mesa rkt_regcmd.c conv2d task #19-23): u8 - 128 */
	struct vnpu_in_cvt in = { .scale = 16384, .offset = -128, .trunc = 14 };

	/* 1000 * 16385 / 2^18 = 62.504 -> 63, + 2 */
	UNIT_EQ(65, vnpu_cvt_apply(&c, 1000), "OUT_CVT mul first");
	/* -1000 -> -62.504 -> -63 + 2 */
	UNIT_EQ(-61, vnpu_cvt_apply(&c, -1000), "OUT_CVT negative");
	UNIT_EQ(-77777, vnpu_cvt_apply(&id, -77777), "OUT_CVT identity");
	/* (4 - 1) * 3 / 2 = 4.5 -> 5 (half up) */
	UNIT_EQ(5, vnpu_cvt_apply(&add, 4), "OUT_CVT add first");
	UNIT_EQ(-128, vnpu_in_cvt_apply(&in, 0), "in cvt 0 -> -128");
	UNIT_EQ(127, vnpu_in_cvt_apply(&in, 255), "in cvt 255 -> 127");
	UNIT_EQ(0, vnpu_in_cvt_apply(&in, 128), "in cvt 128 -> 0");
}

static void dots(void)
{
	int8_t a[70], b[4 * 70];
	int32_t out[4], ref[4] = { 0 }, acc[70] = { 0 };
	int32_t sum = 0, dot = 0;

	for (int i = 0; i < 70; i++)
		a[i] = (int8_t)(i * 37 - 128);
	for (int i = 0; i < 4 * 70; i++)
		b[i] = (int8_t)(i * 53 + 7);
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < 70; i++)
			ref[k] += a[i] * b[k * 70 + i];
	for (int i = 0; i < 70; i++) {
		sum += a[i];
		dot += a[i] * b[i];
	}
	/* extremes: -128 * -128 * 16 = 262144 */
	{
		int8_t m[16];

		for (int i = 0; i < 16; i++)
			m[i] = -128;
		UNIT_EQ(262144, vnpu_dot_s8(m, m, 16), "dot of -128s");
	}
	UNIT_EQ(dot, vnpu_dot_s8(a, b, 70), "dot with a tail");
	vnpu_dot4_s8(a, b, 70, 70, out);
	for (int k = 0; k < 4; k++)
		UNIT_EQ(ref[k], out[k], "dot4 kernel");
	UNIT_EQ(sum, vnpu_sum_s8(a, 70), "sum");
	vnpu_mac_s8(acc, a, b, 70);
	vnpu_mac_s8(acc, a, b, 70);
	UNIT_EQ(2 * a[69] * b[69], acc[69], "mac twice, last channel");
	UNIT_EQ(2 * a[3] * b[3], acc[3], "mac twice, channel 3");
}

int main(void)
{
	rounding();
	saturation();
	converters();
	dots();
	return unit_done();
}
