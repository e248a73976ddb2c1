// SPDX-License-Identifier: MIT
/*
 * npu_ref — the CPU reference conv2d against convolutions computed by hand,
 * TFLite requantisation, OUT_CVT encoding and the memory layouts.
 */
#include <stdlib.h>
#include <string.h>

#include "npu/npu_layout.h"
#include "npu/npu_program.h"
#include "npu/npu_ref.h"
#include "../selftests/unit/unit.h"

static int check_acc(const char *what, const int32_t *want, const int32_t *seen, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (want[i] != seen[i])
			return UNIT_CHECK(0, "%s: element %zu expected %d seen %d", what, i,
					  want[i], seen[i]);
	return UNIT_CHECK(1, "%s", what);
}

static struct npu_conv2d_params base(unsigned int h, unsigned int w, unsigned int cin,
				     unsigned int cout, unsigned int k)
{
	struct npu_conv2d_params p = {
		.in_h = h, .in_w = w, .in_c = cin, .out_c = cout, .k_h = k, .k_w = k,
		.stride = 1, .in_scale = 1, .w_scale = 1, .out_scale = 1,
	};
	return p;
}

/*
 * 1x1, input 1x2 pixels x 2 channels, 2 output channels:
 *   x = p0 (1, 2), p1 (3, 4); w0 = (1, 1), w1 = (2, -1)
 *   p0: 1+2 = 3, 2-2 = 0;  p1: 3+4 = 7, 6-4 = 2
 * With izp = 1, wzp = 1 the stored values are one higher and the
 * accumulators sum (x - 1)(w - 1) are the same.
 */
static void test_1x1(void)
{
	struct npu_conv2d_params p = base(1, 2, 2, 2, 1);
	int8_t x[] = { 1, 2, 3, 4 }, w[] = { 1, 1, 2, -1 };
	int8_t xz[] = { 2, 3, 4, 5 }, wz[] = { 2, 2, 3, 0 };
	int32_t want[] = { 3, 0, 7, 2 }, acc[4];

	npu_ref_conv2d_acc(&p, x, w, acc);
	check_acc("1x1 accumulators by hand", want, acc, 4);
	p.in_zp = 1;
	p.w_zp = 1;
	npu_ref_conv2d_acc(&p, xz, wz, acc);
	check_acc("1x1 with zero points 1/1 gives the same accumulators", want, acc, 4);
}

/*
 * 3x3 ones over 1..9 with SAME padding (1 each side):
 *   1 2 3      12 21 16
 *   4 5 6  ->  27 45 33
 *   7 8 9      24 39 28
 * izp = 2: the 9 inputs become -1..7 and padding adds 0:
 *   (0,0) = -1+0+2+3 = 4, (1,1) = 27.
 * Raw mode, izp = 2: no subtraction and each padded tap reads 2:
 *   (0,0) = 12 + 5*2 = 22, (1,1) = 45, (0,1) = 21 + 3*2 = 27.
 */
static void test_3x3_padding(void)
{
	struct npu_conv2d_params p = base(3, 3, 1, 1, 3);
	int8_t x[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, w[9];
	int32_t want[9] = { 12, 21, 16, 27, 45, 33, 24, 39, 28 }, acc[9];

	memset(w, 1, sizeof(w));
	npu_conv2d_same_padding(&p);
	UNIT_CHECK(p.pad_top == 1 && p.pad_bottom == 1 && p.pad_left == 1 && p.pad_right == 1,
		   "SAME padding of 3x3 stride 1 is 1 on every side");
	npu_ref_conv2d_acc(&p, x, w, acc);
	check_acc("3x3 SAME over 1..9 by hand", want, acc, 9);
	p.in_zp = 2;
	npu_ref_conv2d_acc(&p, x, w, acc);
	UNIT_CHECK(acc[0] == 4 && acc[4] == 27, "izp 2: corner 4, centre 27 (seen %d, %d)",
		   acc[0], acc[4]);
	npu_ref_conv2d_raw(&p, x, w, acc);
	UNIT_CHECK(acc[0] == 22 && acc[4] == 45 && acc[1] == 27,
		   "raw mode: padding reads in_zp (seen %d %d %d)", acc[0], acc[4], acc[1]);
}

/*
 * Stride 2, 2x2 ones over a 4x4 of 1..16, no padding:
 *   (0,0) 1+2+5+6 = 14   (0,1) 3+4+7+8 = 22
 *   (1,0) 9+10+13+14 = 46 (1,1) 11+12+15+16 = 54
 */
static void test_stride2(void)
{
	struct npu_conv2d_params p = base(4, 4, 1, 1, 2);
	int8_t x[16], w[4] = { 1, 1, 1, 1 };
	int32_t want[4] = { 14, 22, 46, 54 }, acc[4];

	for (int i = 0; i < 16; i++)
		x[i] = (int8_t)(i + 1);
	p.stride = 2;
	UNIT_EQ(2, npu_conv2d_out_h(&p), "stride 2 output height");
	npu_ref_conv2d_acc(&p, x, w, acc);
	check_acc("stride 2 by hand", want, acc, 4);
}

/*
 * Depthwise 2x2 over 2x2x2, one output pixel:
 *   ch0 x = 1 2 / 3 4, w = 1 1 / 1 1    -> 10
 *   ch1 x = 5 6 / 7 9, w = 1 -1 / -1 1  -> 5-6-7+9 = 1
 */
static void test_depthwise(void)
{
	struct npu_conv2d_params p = base(2, 2, 2, 2, 2);
	int8_t x[8] = { 1, 5, 2, 6, 3, 7, 4, 9 };	/* NHWC */
	int8_t w[8] = { 1, 1, 1, -1, 1, -1, 1, 1 };	/* [1][kh][kw][C] */
	int32_t want[2] = { 10, 1 }, acc[2];

	p.depthwise = true;
	npu_ref_conv2d_acc(&p, x, w, acc);
	check_acc("depthwise by hand", want, acc, 2);
}

/* A wide layer exercises the 32-channel blocks against a naive loop. */
static void test_blocks_vs_naive(void)
{
	struct npu_conv2d_params p = base(5, 6, 37, 45, 3);
	size_t n_in = 5 * 6 * 37, n_w = 45 * 9 * 37;
	int8_t *x = malloc(n_in), *w = malloc(n_w);
	int32_t *acc = malloc(5 * 6 * 45 * sizeof(*acc));
	unsigned int seed = 7, bad = 0;

	p.stride = 2;
	p.pad_top = p.pad_left = 1;
	p.in_zp = -5;
	p.w_zp = 3;
	for (size_t i = 0; i < n_in; i++)
		x[i] = (int8_t)rand_r(&seed);
	for (size_t i = 0; i < n_w; i++)
		w[i] = (int8_t)rand_r(&seed);
	npu_ref_conv2d_acc(&p, x, w, acc);
	for (unsigned int oy = 0; oy < npu_conv2d_out_h(&p); oy++)
		for (unsigned int ox = 0; ox < npu_conv2d_out_w(&p); ox++)
			for (unsigned int oc = 0; oc < 45; oc++) {
				int32_t s = 0;

				for (int ky = 0; ky < 3; ky++)
					for (int kx = 0; kx < 3; kx++) {
						int iy = oy * 2 + ky - 1, ix = ox * 2 + kx - 1;

						if (iy < 0 || iy >= 5 || ix < 0 || ix >= 6)
							continue;
						const int8_t *xp = x + (iy * 6 + ix) * 37;
						const int8_t *wp = w + ((oc * 3 + ky) * 3 + kx) * 37;

						for (int ic = 0; ic < 37; ic++)
							s += (xp[ic] + 5) * (wp[ic] - 3);
					}
				bad += s != acc[(oy * npu_conv2d_out_w(&p) + ox) * 45 + oc];
			}
	UNIT_EQ(0, bad, "blocked reference equals a naive loop (Cin 37, Cout 45, stride 2)");
	free(x);
	free(w);
	free(acc);
}

/*
 * TFLite requantisation: 0.5 -> (2^30, 0); 103 * 0.5 = 51.5 rounds to 52.
 * 0.25 -> (2^30, -1): 103 * 0.25 = 25.75 -> 26.  Output adds zp, saturates.
 * -103 * 0.5: (-103 * 2^30 + 1 - 2^30) / 2^31 = -51.99.. -> -51 (C division).
 */
static void test_requant(void)
{
	int32_t qm;
	int shift;
	struct npu_out_cvt cvt;

	npu_quantize_multiplier(0.5, &qm, &shift);
	UNIT_CHECK(qm == 1 << 30 && shift == 0, "QuantizeMultiplier(0.5) = 2^30, 0");
	UNIT_EQ(52, npu_mul_by_quantized_multiplier(103, qm, shift), "103 * 0.5 -> 52");
	UNIT_EQ(-51, npu_mul_by_quantized_multiplier(-103, qm, shift), "-103 * 0.5 -> -51");
	UNIT_EQ(57, npu_ref_requant(103, qm, shift, 5), "+ zero point 5");
	UNIT_EQ(127, npu_ref_requant(1000, qm, shift, 5), "saturates at 127");
	UNIT_EQ(-128, npu_ref_requant(-1000, qm, shift, 5), "saturates at -128");
	npu_quantize_multiplier(0.25, &qm, &shift);
	UNIT_CHECK(qm == 1 << 30 && shift == -1, "QuantizeMultiplier(0.25) = 2^30, -1");
	UNIT_EQ(26, npu_mul_by_quantized_multiplier(103, qm, shift), "103 * 0.25 -> 26");

	/* Mesa rkt_regcmd.c formulas, derived: 0.0625 -> scale 0x4001, shift 18 */
	npu_out_cvt_encode(0.0625f, 0, 2, &cvt);
	UNIT_CHECK(cvt.scale == 0x4001 && cvt.shift == 18 && cvt.offset == 2,
		   "OUT_CVT of 0.0625 is 16385 >> 18 (+2)");
	npu_out_cvt_encode(0.0625f, 1, 2, &cvt);
	UNIT_EQ(17, cvt.shift, "truncate_bits > 0 lowers the shift by one (Mesa rkt_regcmd.c OUT_CVT)");
	/* 0.75 = 0x3f400000, e = 126: scale (0x1fa000 & 0x7fff) + 1 = 0x2001 | 0x4000 */
	npu_out_cvt_encode(0.75f, 0, 0, &cvt);
	UNIT_CHECK(cvt.scale == 0x6001 && cvt.shift == 15, "OUT_CVT of 0.75 is 0x6001 >> 15");
}

static void test_layouts(void)
{
	struct npu_feature_layout l;
	struct npu_conv2d_params p = base(2, 2, 20, 3, 1);
	int8_t x[2 * 2 * 20], back[2 * 2 * 20], w[3 * 2], packed[64 * 16];
	uint8_t buf[4096];
	int ok = 1;

	npu_feature_layout_init(&l, npu_soc_rk3588(), 2, 2, 32, 1);
	/* channel 17 of pixel (row 1, col 0): surface 1, pixel 2, lane 1 */
	UNIT_EQ(64 + 2 * 16 + 1, npu_feature_offset(&l, 17, 1, 0), "NC1HWC2 offset, C2 = 16");
	for (int i = 0; i < 80; i++)
		x[i] = (int8_t)(i - 40);
	npu_feature_pack_s8(&l, x, 20, -7, buf);
	UNIT_EQ(-7, (int8_t)buf[npu_feature_offset(&l, 25, 0, 1)],
		"pad channels hold the zero point");
	npu_feature_unpack_s8(&l, buf, 20, back);
	UNIT_CHECK(!memcmp(x, back, sizeof(x)), "pack/unpack round trip");
	npu_feature_layout_init(&l, npu_soc_variant("rk3568-c2-8"), 3, 1, 16, 1);
	UNIT_CHECK(l.c2 == 8 && l.surf_px == 4 && l.size == 2 * 4 * 8,
		   "C2 = 8 with surfaces padded to 4 pixels");
	npu_feature_layout_init(&l, npu_soc_rk3588(), 2, 2, 32, 4);
	UNIT_CHECK(l.c2 == 4 && l.pixel_bytes == 16 && l.size == 8 * 4 * 16,
		   "int32 maps use C2 = 4 (16 bytes a pixel)");

	/* weights: Cout 3 -> 4 kernels, Cin 2 -> 16-byte rows, [k][ic] */
	w[0] = 1; w[1] = 2; w[2] = 3; w[3] = 4; w[4] = 5; w[5] = 6;
	p.in_c = 2;
	p.w_zp = -9;
	UNIT_EQ(4 * 16, npu_weights_size(npu_soc_rk3588(), &p), "weights 4 kernels x 16 bytes");
	npu_weights_pack(npu_soc_rk3588(), &p, w, packed);
	ok &= packed[0] == 1 && packed[1] == 2 && packed[16] == 3 && packed[33] == 6;
	ok &= packed[2] == -9 && packed[47] == -9;	/* pad channels = wzp */
	for (int i = 48; i < 64; i++)
		ok &= packed[i] == 0;			/* pad kernel = 0 */
	UNIT_CHECK(ok, "weight packing: rows per kernel, wzp channel pad, zero kernel pad");

	/* bias: corr = sum (w - wzp) * izp; kernel 0: (1+9 + 2+9) * 2 = 42 */
	{
		int32_t bias[3] = { 100, 0, -5 }, out[32];

		p.in_zp = 2;
		npu_bias_pack(&p, bias, w, out);
		UNIT_CHECK(out[0] == 100 - 42 && out[31] == 0, "bias stream minus correction");
	}
}

/* fill_buffers + read_output: the one-call path a job test uses */
static void test_fill_and_read(void)
{
	struct npu_conv2d_params p = base(3, 5, 20, 40, 3);
	int8_t in[3 * 5 * 20], w[40 * 9 * 20], back[3 * 5 * 40];
	int32_t bias[40] = { 0 };
	void *map[NPU_SLOT_COUNT] = { 0 };
	struct npu_feature_layout out;
	struct npu_program prog;
	uint8_t *o;
	int ok = 1;

	p.stride = 1;
	p.in_zp = 4;
	memset(in, 1, sizeof(in));
	memset(w, 2, sizeof(w));
	npu_program_init(&prog, npu_soc_rk3588());
	npu_conv2d_build(npu_soc_rk3588(), &p, &prog);
	for (int s = NPU_SLOT_INPUT; s < NPU_SLOT_COUNT; s++)
		map[s] = prog.slot_size[s] ? calloc(1, prog.slot_size[s]) : NULL;
	npu_conv2d_fill_buffers(npu_soc_rk3588(), &p, in, w, bias, map);
	UNIT_CHECK(npu_buffer_untouched(map[NPU_SLOT_OUTPUT], prog.slot_size[NPU_SLOT_OUTPUT]),
		   "output slot canary-filled");
	UNIT_EQ(4, ((int8_t *)map[NPU_SLOT_INPUT])[16 * 15 + 5], "input pad channel = in_zp");
	UNIT_EQ(-(2 * 9 * 20) * 4, ((int32_t *)map[NPU_SLOT_BIAS])[0], "bias = -corr");
	/* pretend the NPU wrote channel c of pixel i as (i + c) */
	npu_conv2d_output_layout(npu_soc_rk3588(), &p, &out);
	o = map[NPU_SLOT_OUTPUT];
	/* 3x5 input, 3x3 kernel, no padding: a 1x3 output */
	UNIT_CHECK(out.h == 1 && out.w == 3, "output 1x3");
	for (unsigned int y = 0; y < out.h; y++)
		for (unsigned int x = 0; x < out.w; x++)
			for (unsigned int c = 0; c < 40; c++)
				o[npu_feature_offset(&out, c, y, x)] = (uint8_t)(y * 3 + x + c);
	npu_conv2d_read_output(npu_soc_rk3588(), &p, o, back, NULL);
	for (unsigned int i = 0; i < 3 * 40; i++)
		ok &= back[i] == (int8_t)(i / 40 + i % 40);
	UNIT_CHECK(ok, "read_output unpacks NC1HWC2 to NHWC");
	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		free(map[s]);
	npu_program_fini(&prog);
}

int main(void)
{
	test_fill_and_read();
	test_1x1();
	test_3x3_padding();
	test_stride2();
	test_depthwise();
	test_blocks_vs_naive();
	test_requant();
	test_layouts();
	return unit_done();
}
