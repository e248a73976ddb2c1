// SPDX-License-Identifier: MIT
/*
 * rkval-npu-example — write a known NPU operation as a regcmd dump
 * (docs/regcmd-dump.md) with its expected output, for rkval-replay and
 * rkval-regcmd-disasm: the first thing to try on a board under bring-up.
 *
 *   rkval-npu-example [--soc VARIANT] [--seed N] NAME DIR
 *
 * NAME:
 *   conv-raw-int32  8x8x32 -> 32 1x1, every DPU stage bypassed, int32
 *                   accumulators compared exactly (RK3588 TRM ch. 36 rounding)
 *   conv-8x8        the Mesa rkt_regcmd.c formulas, derived configuration with random data,
 *                   compared with the TFLite reference within 2 (Mesa test_teflon.cpp TOLERANCE)
 *   conv-3x3        16x16x32 -> 64 3x3 SAME padding stride 1, within 2
 *   conv-tiled      112x112x64 -> 64 3x3 SAME: several CBUF bands, within 2
 *   conv-cout-20    conv-8x8 with 20 output channels: the output buffer
 *                   holds padding channels the reference does not define,
 *                   so the manifest's output-shape limits the comparison
 *                   to the 20 real ones
 *   ew-add          DPU-only 8x8x32 int8 add, exact (UNCONFIRMED program)
 * Every conv manifest has an output-shape line (dump version 2).
 *
 * --seed N (0..4294967295, decimal or 0x hex) picks the random data.
 * Exit: 0 written, 1 cannot write, 2 usage (unknown NAME or SoC variant,
 * a malformed --seed).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npu/npu_conv.h"
#include "npu/npu_dump.h"
#include "npu/npu_ew.h"
#include "npu/npu_layout.h"
#include "npu/npu_ref.h"
#include "util/num_parse.h"

/* Capture IOVAs written into the manifest: 16 MiB apart, below 4 GiB. */
#define EXAMPLE_IOVA_BASE	0x10000000ull
#define EXAMPLE_IOVA_STEP	0x01000000ull
/* Mesa test_teflon.cpp TOLERANCE: Mesa's teflon tests accept |cpu - npu| <= 2 (or 6) */
#define EXAMPLE_TOLERANCE	2

struct example {
	const char *name;
	struct npu_conv2d_params conv;
	bool ew;
};

static const struct example examples[] = {
	{ "conv-raw-int32", { .in_h = 8, .in_w = 8, .in_c = 32, .out_c = 32, .k_h = 1,
			      .k_w = 1, .stride = 1, .raw_int32 = true }, false },
	{ "conv-8x8", { .in_h = 8, .in_w = 8, .in_c = 32, .out_c = 32, .k_h = 1, .k_w = 1,
			.stride = 1, .in_zp = 100 - 128, .w_zp = 120 - 128, .out_zp = 130 - 128,
			.in_scale = 0.5f, .w_scale = 0.125f, .out_scale = 1.0f }, false },
	{ "conv-cout-20", { .in_h = 8, .in_w = 8, .in_c = 32, .out_c = 20, .k_h = 1, .k_w = 1,
			    .stride = 1, .in_zp = 100 - 128, .w_zp = 120 - 128,
			    .out_zp = 130 - 128, .in_scale = 0.5f, .w_scale = 0.125f,
			    .out_scale = 1.0f }, false },
	{ "conv-3x3", { .in_h = 16, .in_w = 16, .in_c = 32, .out_c = 64, .k_h = 3, .k_w = 3,
			.stride = 1, .pad_top = 1, .pad_bottom = 1, .pad_left = 1,
			.pad_right = 1, .in_zp = -5, .w_zp = 3, .out_zp = -10,
			.in_scale = 0.02f, .w_scale = 0.01f, .out_scale = 0.05f }, false },
	{ "conv-tiled", { .in_h = 112, .in_w = 112, .in_c = 64, .out_c = 64, .k_h = 3,
			  .k_w = 3, .stride = 1, .pad_top = 1, .pad_bottom = 1, .pad_left = 1,
			  .pad_right = 1, .in_zp = 7, .w_zp = -2, .out_zp = 1,
			  .in_scale = 0.02f, .w_scale = 0.01f, .out_scale = 0.1f }, false },
	{ "ew-add", { .in_h = 8, .in_w = 8, .in_c = 32 }, true },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: rkval-npu-example [--soc VARIANT] [--seed N] NAME DIR\nNAME:");
	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++)
		fprintf(f, " %s", examples[i].name);
	fprintf(f, "\n");
}

/* Small random values keep the int8 outputs away from saturation. */
static void fill_random(int8_t *b, size_t n, unsigned int *seed, int range)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (int8_t)(rand_r(seed) % (2 * range + 1) - range);
}

static void iovas(uint64_t iova[NPU_SLOT_COUNT])
{
	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		iova[s] = EXAMPLE_IOVA_BASE + s * EXAMPLE_IOVA_STEP;
}

static int write_conv(const struct npu_soc *soc, const struct npu_conv2d_params *p,
		      unsigned int seed, const char *dir)
{
	size_t n_in = (size_t)p->in_h * p->in_w * p->in_c;
	size_t n_w = (size_t)p->out_c * p->k_h * p->k_w * p->in_c;
	size_t n_out = (size_t)npu_conv2d_out_h(p) * npu_conv2d_out_w(p) * p->out_c;
	void *map[NPU_SLOT_COUNT] = { 0 };
	struct npu_dump_shape shape;
	struct npu_feature_layout ol;
	uint64_t iova[NPU_SLOT_COUNT];
	struct npu_program prog;
	int8_t *in = malloc(n_in), *w = malloc(n_w);
	int32_t *bias = calloc(p->out_c, sizeof(*bias)), *acc = malloc(n_out * 4);
	int8_t *out = malloc(n_out);
	void *expected;
	int ret;

	npu_program_init(&prog, soc);
	ret = npu_conv2d_build(soc, p, &prog);
	npu_conv2d_output_layout(soc, p, &ol);
	expected = calloc(1, ol.size);
	if (ret || !in || !w || !bias || !acc || !out || !expected) {
		ret = ret ? ret : -1;
		goto out;
	}
	fill_random(in, n_in, &seed, 20);
	fill_random(w, n_w, &seed, 20);
	for (unsigned int i = 0; i < p->out_c; i++)
		bias[i] = rand_r(&seed) % 2001 - 1000;
	for (int s = NPU_SLOT_INPUT; s < NPU_SLOT_COUNT; s++)
		if (prog.slot_size[s])
			map[s] = calloc(1, prog.slot_size[s]);
	npu_conv2d_fill_buffers(soc, p, in, w, bias, map);

	if (p->raw_int32) {
		npu_ref_conv2d_raw(p, in, w, acc);
		for (size_t i = 0; i < n_out; i++) {
			unsigned int c = i % p->out_c, px = i / p->out_c;
			size_t off = npu_feature_offset(&ol, c, px / ol.w, px % ol.w);

			memcpy((uint8_t *)expected + off, &acc[i], 4);
		}
	} else {
		npu_ref_conv2d_s8(p, in, w, bias, out);
		npu_feature_pack_s8(&ol, out, p->out_c, 0, expected);
	}
	iovas(iova);
	npu_program_relocate(&prog, iova);
	/* written by the NPU: "-" in the manifest */
	free(map[NPU_SLOT_OUTPUT]);
	map[NPU_SLOT_OUTPUT] = NULL;
	shape.w = npu_conv2d_out_w(p);
	shape.h = npu_conv2d_out_h(p);
	shape.c = p->out_c;
	ret = npu_dump_write(dir, &prog, iova, (const void *const *)map, expected, ol.size,
			     p->raw_int32 ? NPU_DUMP_CMP_S32 : NPU_DUMP_CMP_S8,
			     p->raw_int32 ? 0 : EXAMPLE_TOLERANCE, &shape);
out:
	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		free(map[s]);
	npu_program_fini(&prog);
	free(in);
	free(w);
	free(bias);
	free(acc);
	free(out);
	free(expected);
	return ret;
}

static int write_ew(const struct npu_soc *soc, unsigned int seed, const char *dir)
{
	struct npu_ew_params p = { .w = 8, .h = 8, .c = 32 };
	size_t n = (size_t)p.w * p.h * p.c;
	int8_t *a = malloc(n), *b = malloc(n), *sum = malloc(n);
	const void *data[NPU_SLOT_COUNT] = { 0 };
	struct npu_feature_layout l;
	uint64_t iova[NPU_SLOT_COUNT];
	struct npu_program prog;
	void *pa, *pb, *pe;
	int ret;

	npu_program_init(&prog, soc);
	ret = npu_ew_add_build(soc, &p, &prog);
	npu_ew_layout(soc, &p, &l);
	pa = calloc(1, l.size);
	pb = calloc(1, l.size);
	pe = calloc(1, l.size);
	if (!ret && a && b && sum && pa && pb && pe) {
		fill_random(a, n, &seed, 100);
		fill_random(b, n, &seed, 100);
		npu_ref_ew_add_s8(a, b, n, sum);
		npu_feature_pack_s8(&l, a, p.c, 0, pa);
		npu_feature_pack_s8(&l, b, p.c, 0, pb);
		npu_feature_pack_s8(&l, sum, p.c, 0, pe);
		data[NPU_SLOT_INPUT] = pa;
		data[NPU_SLOT_EW] = pb;
		iovas(iova);
		npu_program_relocate(&prog, iova);
		ret = npu_dump_write(dir, &prog, iova, data, pe, l.size, NPU_DUMP_CMP_BYTES, 0,
				     NULL);
	} else if (!ret) {
		ret = -1;
	}
	npu_program_fini(&prog);
	free(a);
	free(b);
	free(sum);
	free(pa);
	free(pb);
	free(pe);
	return ret;
}

int main(int argc, char **argv)
{
	const struct npu_soc *soc = npu_soc_rk3588();
	const char *name = NULL, *dir = NULL;
	unsigned int seed = 1;
	int ret;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--soc") && i + 1 < argc) {
			soc = npu_soc_variant(argv[++i]);
			if (!soc) {
				fprintf(stderr, "rkval-npu-example: unknown SoC variant %s\n",
					argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			if (num_option_uint("--seed", argv[++i], 0, 0, UINT_MAX, &seed)) {
				usage(stderr);
				return 2;
			}
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!name) {
			name = argv[i];
		} else if (!dir) {
			dir = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!dir) {
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		if (strcmp(name, examples[i].name))
			continue;
		ret = examples[i].ew ? write_ew(soc, seed, dir)
				     : write_conv(soc, &examples[i].conv, seed, dir);
		if (ret) {
			fprintf(stderr, "rkval-npu-example: cannot write %s into %s (%d)\n", name,
				dir, ret);
			return 1;
		}
		printf("%s/manifest\n", dir);
		return 0;
	}
	usage(stderr);
	return 2;
}
