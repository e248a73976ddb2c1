// SPDX-License-Identifier: MIT
/*
 * ref_conv.c — CPU reference conv2d (see npu_ref.h).
 *
 * Speed matters (a board run compares layers of 10^8 MACs): weights are
 * transposed once to int16 [tap][ic][oc] with the zero point already
 * subtracted, and the innermost loop runs over a fixed block of 32 output
 * channels, so GCC's -O2 vectoriser (very-cheap cost model: fixed trip
 * count, no epilogue) turns it into widening multiply-accumulates.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "npu/npu_layout.h"
#include "npu/npu_ref.h"

#define OC_BLOCK 32

struct conv_ctx {
	const struct npu_conv2d_params *p;
	unsigned int out_h, out_w, oc_pad, taps;
	int16_t *wt;		/* [tap][ic][oc_pad], w - woff */
	int32_t *wsum;		/* [tap][oc_pad], for taps reading padding */
	int32_t xoff;
	bool pads_contribute;	/* raw mode: padded pixels read in_zp */
};

static int ctx_init(struct conv_ctx *c, const struct npu_conv2d_params *p,
		    const int8_t *w, int32_t woff)
{
	unsigned int taps = p->k_h * p->k_w, cin = p->in_c;

	c->p = p;
	c->out_h = npu_conv2d_out_h(p);
	c->out_w = npu_conv2d_out_w(p);
	c->oc_pad = (p->out_c + OC_BLOCK - 1) / OC_BLOCK * OC_BLOCK;
	c->taps = taps;
	c->wt = calloc((size_t)taps * cin * c->oc_pad, sizeof(*c->wt));
	c->wsum = calloc((size_t)taps * c->oc_pad, sizeof(*c->wsum));
	if (!c->wt || !c->wsum) {
		free(c->wt);
		free(c->wsum);
		return -ENOMEM;
	}
	for (unsigned int oc = 0; oc < p->out_c; oc++)
		for (unsigned int t = 0; t < taps; t++)
			for (unsigned int ic = 0; ic < cin; ic++) {
				int16_t v = (int16_t)(w[((size_t)oc * taps + t) * cin + ic] - woff);

				c->wt[((size_t)t * cin + ic) * c->oc_pad + oc] = v;
				c->wsum[(size_t)t * c->oc_pad + oc] += v;
			}
	return 0;
}

static void ctx_fini(struct conv_ctx *c)
{
	free(c->wt);
	free(c->wsum);
}

/* One block of 32 output channels of one output pixel. */
static void conv_block(const struct conv_ctx *c, const int8_t *in, unsigned int oy,
		       unsigned int ox, unsigned int ob, int32_t out[OC_BLOCK])
{
	const struct npu_conv2d_params *p = c->p;
	unsigned int cin = p->in_c;
	/* a local block, fully unrolled below, stays in vector registers */
	int32_t acc[OC_BLOCK];

	for (unsigned int j = 0; j < OC_BLOCK; j++)
		acc[j] = 0;
	for (unsigned int ky = 0; ky < p->k_h; ky++) {
		int iy = (int)(oy * p->stride + ky) - (int)p->pad_top;

		for (unsigned int kx = 0; kx < p->k_w; kx++) {
			int ix = (int)(ox * p->stride + kx) - (int)p->pad_left;
			unsigned int t = ky * p->k_w + kx;
			const int8_t *xp;

			if (iy < 0 || iy >= (int)p->in_h || ix < 0 || ix >= (int)p->in_w) {
				/* padding reads in_zp: zero after - xoff, unless raw */
				const int32_t *ws = c->wsum + (size_t)t * c->oc_pad + ob;
				int32_t xv = p->in_zp - c->xoff;

				if (!c->pads_contribute)
					continue;
				for (unsigned int j = 0; j < OC_BLOCK; j++)
					acc[j] += xv * ws[j];
				continue;
			}
			xp = in + ((size_t)iy * p->in_w + ix) * cin;
			for (unsigned int ic = 0; ic < cin; ic++) {
				const int16_t *wp = c->wt + ((size_t)t * cin + ic) * c->oc_pad + ob;
				int16_t xv = (int16_t)(xp[ic] - c->xoff);

#pragma GCC unroll 32
				for (unsigned int j = 0; j < OC_BLOCK; j++)
					acc[j] += (int32_t)xv * wp[j];
			}
		}
	}
	memcpy(out, acc, sizeof(acc));
}

static void conv_dense(const struct conv_ctx *c, const int8_t *in, int32_t *out)
{
	const struct npu_conv2d_params *p = c->p;
	int32_t acc[OC_BLOCK];

	for (unsigned int oy = 0; oy < c->out_h; oy++)
		for (unsigned int ox = 0; ox < c->out_w; ox++) {
			int32_t *o = out + ((size_t)oy * c->out_w + ox) * p->out_c;

			for (unsigned int ob = 0; ob < c->oc_pad; ob += OC_BLOCK) {
				unsigned int n = p->out_c - ob;

				if (n > OC_BLOCK)
					n = OC_BLOCK;

				conv_block(c, in, oy, ox, ob, acc);
				memcpy(o + ob, acc, n * sizeof(*acc));
			}
		}
}

/* Depthwise: weights [1][kh][kw][C], one input channel per output channel. */
static void conv_depthwise(const struct npu_conv2d_params *p, const int8_t *in,
			   const int8_t *w, int32_t xoff, int32_t woff,
			   bool pads_contribute, int32_t *out)
{
	unsigned int out_h = npu_conv2d_out_h(p), out_w = npu_conv2d_out_w(p);
	unsigned int ch = p->in_c;

	for (unsigned int oy = 0; oy < out_h; oy++)
		for (unsigned int ox = 0; ox < out_w; ox++) {
			int32_t *o = out + ((size_t)oy * out_w + ox) * ch;

			memset(o, 0, ch * sizeof(*o));
			for (unsigned int ky = 0; ky < p->k_h; ky++)
				for (unsigned int kx = 0; kx < p->k_w; kx++) {
					int iy = (int)(oy * p->stride + ky) - (int)p->pad_top;
					int ix = (int)(ox * p->stride + kx) - (int)p->pad_left;
					const int8_t *wp = w + ((size_t)ky * p->k_w + kx) * ch;
					bool pad = iy < 0 || iy >= (int)p->in_h || ix < 0 ||
						   ix >= (int)p->in_w;
					const int8_t *xp;

					if (pad) {
						if (!pads_contribute)
							continue;
						for (unsigned int c = 0; c < ch; c++)
							o[c] += (p->in_zp - xoff) * (wp[c] - woff);
						continue;
					}
					xp = in + ((size_t)iy * p->in_w + ix) * ch;
					for (unsigned int c = 0; c < ch; c++)
						o[c] += (xp[c] - xoff) * (wp[c] - woff);
				}
		}
}

static int conv_acc(const struct npu_conv2d_params *p, const int8_t *in, const int8_t *w,
		    int32_t xoff, int32_t woff, bool pads_contribute, int32_t *out)
{
	struct conv_ctx c;
	int ret;

	if (npu_conv2d_check(p, NULL))
		return -EINVAL;
	if (p->depthwise) {
		conv_depthwise(p, in, w, xoff, woff, pads_contribute, out);
		return 0;
	}
	ret = ctx_init(&c, p, w, woff);
	if (ret)
		return ret;
	c.xoff = xoff;
	c.pads_contribute = pads_contribute;
	conv_dense(&c, in, out);
	ctx_fini(&c);
	return 0;
}

int npu_ref_conv2d_acc(const struct npu_conv2d_params *p, const int8_t *in,
		       const int8_t *w, int32_t *acc)
{
	return conv_acc(p, in, w, p->in_zp, p->w_zp, false, acc);
}

int npu_ref_conv2d_raw(const struct npu_conv2d_params *p, const int8_t *in,
		       const int8_t *w, int32_t *out)
{
	return conv_acc(p, in, w, 0, 0, true, out);
}

int8_t npu_ref_requant(int32_t acc_plus_bias, int32_t qm, int shift, int32_t out_zp)
{
	int32_t v = npu_mul_by_quantized_multiplier(acc_plus_bias, qm, shift) + out_zp;

	return (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
}

int npu_ref_conv2d_s8(const struct npu_conv2d_params *p, const int8_t *in,
		      const int8_t *w, const int32_t *bias, int8_t *out)
{
	size_t n = (size_t)npu_conv2d_out_h(p) * npu_conv2d_out_w(p) * p->out_c;
	/* TFLite: real multiplier = in_scale * w_scale / out_scale, in double */
	double m = (double)p->in_scale * (double)p->w_scale / (double)p->out_scale;
	int32_t *acc, qm;
	int shift, ret;

	acc = malloc(n * sizeof(*acc));
	if (!acc)
		return -ENOMEM;
	ret = npu_ref_conv2d_acc(p, in, w, acc);
	if (!ret) {
		npu_quantize_multiplier(m, &qm, &shift);
		for (size_t i = 0; i < n; i++) {
			int64_t b = (int64_t)acc[i] + (bias ? bias[i % p->out_c] : 0);

			b = b > INT32_MAX ? INT32_MAX : b < INT32_MIN ? INT32_MIN : b;
			out[i] = npu_ref_requant((int32_t)b, qm, shift, p->out_zp);
		}
	}
	free(acc);
	return ret;
}

void npu_ref_ew_add_s8(const int8_t *a, const int8_t *b, size_t n, int8_t *out)
{
	for (size_t i = 0; i < n; i++) {
		int v = a[i] + b[i];

		out[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
	}
}
