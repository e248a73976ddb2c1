/* SPDX-License-Identifier: MIT */
/*
 * conv_grid.h — the conv2d cases rocket_conv runs, and the parameters
 * (zero points, scales) each case is built with.
 *
 * Contract: build_grid() fills at most MAX_CASES cases in a fixed order;
 * case_name() names one; rng_seed(name) then conv_params() give the exact
 * npu_conv2d_params rocket_conv programs for it.  Shared by
 * tests/accel/rocket_conv.c and the command-stream golden
 * (selftests/unit/stream_golden.c), so the golden encodes the very
 * programs the test submits.  Static, for one translation unit each.
 */
#ifndef RKVAL_TESTS_CONV_GRID_H
#define RKVAL_TESTS_CONV_GRID_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "npu/npu_conv.h"

/* A conv case: what varies in Mesa's grid. */
struct conv_case {
	unsigned int in, k, cin, cout, stride;
	bool same, depthwise;
};

/* Base case and one-axis variations (see rocket_conv.c's file comment). */
static const unsigned int grid_in[] = { 3, 5, 8, 80, 112 };
static const unsigned int grid_k[] = { 1, 3, 5 };
static const unsigned int grid_cin[] = { 1, 32, 120, 128, 256 };
static const unsigned int grid_cout[] = { 1, 32, 120, 128, 160, 256 };
static const unsigned int grid_dw_c[] = { 1, 32, 120, 128, 256 };
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static const struct conv_case base = { 8, 3, 32, 32, 1, true, false };

/* Large layers: tiling, first layer, big channel counts. */
static const struct conv_case extra_cases[] = {
	{ 80, 1, 128, 128, 1, true, false },
	{ 80, 5, 32, 32, 2, false, false },
	{ 112, 3, 32, 32, 2, true, false },
	{ 112, 3, 1, 32, 2, true, false },
	{ 8, 5, 256, 256, 1, true, false },
	{ 80, 1, 256, 256, 2, true, false },
	{ 5, 5, 120, 160, 2, false, false },
	{ 3, 3, 256, 1, 1, false, false },
	{ 80, 3, 32, 32, 2, true, true },
	{ 112, 5, 128, 128, 1, true, true },
};

#define MAX_CASES	64

static unsigned int build_grid(struct conv_case *c)
{
	unsigned int n = 0;

	for (unsigned int k = 0; k < ARRAY_SIZE(grid_k); k++)
		for (unsigned int s = 1; s <= 2; s++)
			for (int same = 1; same >= 0; same--) {
				c[n] = base;
				c[n].k = grid_k[k];
				c[n].stride = s;
				c[n++].same = same;
			}
	for (unsigned int i = 0; i < ARRAY_SIZE(grid_in); i++)
		if (grid_in[i] != base.in) {
			c[n] = base;
			c[n++].in = grid_in[i];
		}
	for (unsigned int i = 0; i < ARRAY_SIZE(grid_cin); i++)
		if (grid_cin[i] != base.cin) {
			c[n] = base;
			c[n++].cin = grid_cin[i];
		}
	for (unsigned int i = 0; i < ARRAY_SIZE(grid_cout); i++)
		if (grid_cout[i] != base.cout) {
			c[n] = base;
			c[n++].cout = grid_cout[i];
		}
	for (unsigned int i = 0; i < ARRAY_SIZE(grid_dw_c); i++)
		for (unsigned int k = 3; k <= 5; k += 2) {
			c[n] = base;
			c[n].cin = c[n].cout = grid_dw_c[i];
			c[n].k = k;
			c[n++].depthwise = true;
		}
	for (unsigned int i = 0; i < ARRAY_SIZE(extra_cases); i++)
		c[n++] = extra_cases[i];
	return n;
}

static void case_name(const struct conv_case *c, char *buf, size_t len)
{
	if (c->depthwise)
		snprintf(buf, len, "dwconv-in%u-k%u-c%u-s%u-%s", c->in, c->k, c->cin,
			 c->stride, c->same ? "same" : "valid");
	else
		snprintf(buf, len, "conv-in%u-k%u-cin%u-cout%u-s%u-%s", c->in, c->k, c->cin,
			 c->cout, c->stride, c->same ? "same" : "valid");
}

/* Deterministic data per case: an xorshift seeded from the name. */
static uint32_t rng_state;

static void rng_seed(const char *name)
{
	rng_state = 2166136261u;
	for (; *name; name++)
		rng_state = (rng_state ^ (uint8_t)*name) * 16777619u;
	if (!rng_state)
		rng_state = 1;
}

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void conv_params(const struct conv_case *c, bool raw, struct npu_conv2d_params *p)
{
	unsigned int taps = c->k * c->k * (c->depthwise ? 1 : c->cin);

	memset(p, 0, sizeof(*p));
	p->in_h = p->in_w = c->in;
	p->in_c = c->cin;
	p->out_c = c->cout;
	p->k_h = p->k_w = c->k;
	p->stride = c->stride;
	p->depthwise = c->depthwise;
	p->raw_int32 = raw;
	if (c->same)
		npu_conv2d_same_padding(p);
	p->in_zp = (int32_t)(rng() % 21) - 10;
	p->w_zp = (int32_t)(rng() % 11) - 5;
	p->out_zp = (int32_t)(rng() % 41) - 20;
	p->in_scale = 0.05f;
	p->w_scale = 0.01f;
	/* output std ~ 40 LSB for uniform int8 operands (std 74 each) */
	p->out_scale = p->in_scale * p->w_scale * sqrtf((float)taps) * 74.0f * 74.0f / 40.0f;
}

#endif /* RKVAL_TESTS_CONV_GRID_H */
