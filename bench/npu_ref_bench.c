// SPDX-License-Identifier: MIT
/*
 * npu_ref_bench — throughput of the CPU reference conv2d.
 *
 * A board run checks NPU layers of 10^8 MACs against npu_ref_conv2d_s8();
 * this measures whether that stays cheap.  Layer: 56x56x128 -> 128, 3x3,
 * stride 1, SAME padding = 462 M MACs (the brief asks for >= 50 M).
 * Prints: cpu-reference conv2d: N MACs in T ms = X GMAC/s
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "npu/npu_conv.h"
#include "npu/npu_ref.h"

#define BENCH_HW	56
#define BENCH_CH	128
#define BENCH_K		3
#define BENCH_REPEAT	3	/* best of 3, so a noisy neighbour does not decide */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(void)
{
	struct npu_conv2d_params p = {
		.in_h = BENCH_HW, .in_w = BENCH_HW, .in_c = BENCH_CH, .out_c = BENCH_CH,
		.k_h = BENCH_K, .k_w = BENCH_K, .stride = 1,
		.in_zp = -3, .w_zp = 2, .out_zp = 5,
		.in_scale = 0.05f, .w_scale = 0.01f, .out_scale = 0.2f,
	};
	size_t n_in, n_w, n_out;
	unsigned long long macs;
	int8_t *in, *w, *out;
	int32_t *bias;
	double best = 1e30;
	unsigned int seed = 1;

	npu_conv2d_same_padding(&p);
	n_in = (size_t)p.in_h * p.in_w * p.in_c;
	n_w = (size_t)p.out_c * p.k_h * p.k_w * p.in_c;
	n_out = (size_t)npu_conv2d_out_h(&p) * npu_conv2d_out_w(&p) * p.out_c;
	macs = (unsigned long long)n_out * p.k_h * p.k_w * p.in_c;
	in = malloc(n_in);
	w = malloc(n_w);
	out = malloc(n_out);
	bias = malloc(p.out_c * sizeof(*bias));
	if (!in || !w || !out || !bias) {
		fprintf(stderr, "npu_ref_bench: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < n_in; i++)
		in[i] = (int8_t)rand_r(&seed);
	for (size_t i = 0; i < n_w; i++)
		w[i] = (int8_t)rand_r(&seed);
	for (unsigned int i = 0; i < p.out_c; i++)
		bias[i] = rand_r(&seed) % 2001 - 1000;

	for (int r = 0; r < BENCH_REPEAT; r++) {
		double t0 = now_ms();

		if (npu_ref_conv2d_s8(&p, in, w, bias, out)) {
			fprintf(stderr, "npu_ref_bench: reference failed\n");
			return 1;
		}
		t0 = now_ms() - t0;
		if (t0 < best)
			best = t0;
	}
	printf("cpu-reference conv2d: %llu MACs in %.1f ms = %.2f GMAC/s\n",
	       macs, best, macs / (best * 1e6));
	free(in);
	free(w);
	free(out);
	free(bias);
	return 0;
}
