// SPDX-License-Identifier: MIT
/*
 * npu_layout.c — feature, weight and bias layouts; quantisation encodings.
 */
#include <math.h>
#include <string.h>

#include "npu/npu_layout.h"
#include "npu/npu_program.h"
#include "npu/npu_ref.h"

static unsigned int align_up(unsigned int v, unsigned int a)
{
	return (v + a - 1) / a * a;
}

static unsigned int min_u(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

void npu_feature_layout_init(struct npu_feature_layout *l, const struct npu_soc *soc,
			     unsigned int w, unsigned int h, unsigned int channels,
			     unsigned int elem_size)
{
	l->w = w;
	l->h = h;
	l->channels = channels;
	l->elem_size = elem_size;
	/* the atom is feature_c2 BYTES: 16 int8 or 4 int32 on RK3588 (Mesa rkt_ml.c feature layout) */
	l->c2 = soc->feature_c2 / elem_size;
	if (!l->c2)
		l->c2 = 1;
	/* UNCONFIRMED: [FORK-3568] pads surfaces to 4 pixels (Mesa rkt_ml.c feature layout) */
	l->surf_px = align_up(w * h, soc->surf_px_align);
	l->pixel_bytes = (size_t)l->c2 * elem_size;
	l->surf_bytes = l->surf_px * l->pixel_bytes;
	l->surfaces = (channels + l->c2 - 1) / l->c2;
	l->size = l->surfaces * l->surf_bytes;
}

void npu_feature_pack_s8(const struct npu_feature_layout *l, const int8_t *nhwc,
			 unsigned int c_real, int8_t pad, void *dst)
{
	uint8_t *d = dst;

	memset(dst, 0, l->size);
	for (unsigned int row = 0; row < l->h; row++)
		for (unsigned int col = 0; col < l->w; col++) {
			const int8_t *px = nhwc + ((size_t)row * l->w + col) * c_real;

			for (unsigned int c = 0; c < l->channels; c++)
				d[npu_feature_offset(l, c, row, col)] =
					(uint8_t)(c < c_real ? px[c] : pad);
		}
}

void npu_feature_unpack_s8(const struct npu_feature_layout *l, const void *src,
			   unsigned int c_real, int8_t *nhwc)
{
	const uint8_t *s = src;

	for (unsigned int row = 0; row < l->h; row++)
		for (unsigned int col = 0; col < l->w; col++)
			for (unsigned int c = 0; c < c_real; c++)
				nhwc[((size_t)row * l->w + col) * c_real + c] =
					(int8_t)s[npu_feature_offset(l, c, row, col)];
}

void npu_feature_unpack_s32(const struct npu_feature_layout *l, const void *src,
			    unsigned int c_real, int32_t *nhwc)
{
	const uint8_t *s = src;

	for (unsigned int row = 0; row < l->h; row++)
		for (unsigned int col = 0; col < l->w; col++)
			for (unsigned int c = 0; c < c_real; c++) {
				int32_t v;

				memcpy(&v, s + npu_feature_offset(l, c, row, col), sizeof(v));
				nhwc[((size_t)row * l->w + col) * c_real + c] = v;
			}
}

size_t npu_cin1_line_bytes(unsigned int w)
{
	return w > NPU_CIN1_MIN_LINE ? w : NPU_CIN1_MIN_LINE;
}

void npu_cin1_pack(unsigned int w, unsigned int h, const int8_t *hw, int8_t pad, void *dst)
{
	size_t line = npu_cin1_line_bytes(w);
	uint8_t *d = dst;

	/* raw uint8 = int8 ^ 0x80: the CNA converter subtracts 128 (Mesa rkt_regcmd.c conv2d task #20) */
	for (unsigned int row = 0; row < h; row++)
		for (size_t col = 0; col < line; col++)
			d[row * line + col] = (uint8_t)((col < w ? hw[row * w + col] : pad) ^ 0x80);
}

void npu_conv2d_input_layout(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			     struct npu_feature_layout *l)
{
	npu_feature_layout_init(l, soc, p->in_w, p->in_h, npu_conv2d_in_channels_hw(p), 1);
}

void npu_conv2d_output_layout(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			      struct npu_feature_layout *l)
{
	npu_feature_layout_init(l, soc, npu_conv2d_out_w(p), npu_conv2d_out_h(p),
				npu_conv2d_out_channels_hw(p), p->raw_int32 ? 4 : 1);
}

size_t npu_conv2d_input_size(const struct npu_soc *soc, const struct npu_conv2d_params *p)
{
	struct npu_feature_layout l;

	if (npu_conv2d_cin1_path(p))
		return npu_cin1_line_bytes(p->in_w) * p->in_h;
	npu_conv2d_input_layout(soc, p, &l);
	return l.size;
}

void npu_conv2d_pack_input(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			   const int8_t *nhwc, void *dst)
{
	struct npu_feature_layout l;

	if (npu_conv2d_cin1_path(p)) {
		npu_cin1_pack(p->in_w, p->in_h, nhwc, (int8_t)p->in_zp, dst);
		return;
	}
	npu_conv2d_input_layout(soc, p, &l);
	/* pad channels hold the zero point so they add nothing (Mesa rkt_ml.c feature layout) */
	npu_feature_pack_s8(&l, nhwc, p->in_c, (int8_t)p->in_zp, dst);
}

void npu_conv2d_fill_buffers(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			     const int8_t *in, const int8_t *w, const int32_t *bias,
			     void *const map[])
{
	struct npu_feature_layout out;

	npu_conv2d_pack_input(soc, p, in, map[NPU_SLOT_INPUT]);
	npu_weights_pack(soc, p, w, map[NPU_SLOT_WEIGHTS]);
	if (!p->raw_int32 && map[NPU_SLOT_BIAS])
		npu_bias_pack(p, bias, w, map[NPU_SLOT_BIAS]);
	npu_conv2d_output_layout(soc, p, &out);
	npu_canary_fill(map[NPU_SLOT_OUTPUT], out.size);
}

void npu_conv2d_read_output(const struct npu_soc *soc, const struct npu_conv2d_params *p,
			    const void *out_buf, int8_t *out_s8, int32_t *out_s32)
{
	struct npu_feature_layout out;

	npu_conv2d_output_layout(soc, p, &out);
	if (p->raw_int32)
		npu_feature_unpack_s32(&out, out_buf, p->out_c, out_s32);
	else
		npu_feature_unpack_s8(&out, out_buf, p->out_c, out_s8);
}

/*
 * Mesa rkt_coefs.c rkt_fill_weights: input-channel groups of WEIGHT_ATOMIC_SIZE (32), 64
 * for depthwise; kernel groups of soc->weight_kgroup.
 */
#define WEIGHT_IC_GROUP		32
#define WEIGHT_IC_GROUP_DW	64

size_t npu_weights_size(const struct npu_soc *soc, const struct npu_conv2d_params *p)
{
	(void)soc;
	return (size_t)p->k_h * p->k_w * npu_conv2d_in_channels_hw(p) *
	       npu_conv2d_weight_kernels(p);
}

static int8_t weight_at(const struct npu_conv2d_params *p, const int8_t *ohwi,
			unsigned int oc, unsigned int ky, unsigned int kx, unsigned int ic)
{
	if (p->depthwise)	/* [1][kh][kw][C] */
		return ic < p->in_c ? ohwi[((size_t)ky * p->k_w + kx) * p->in_c + ic]
				    : (p->raw_int32 ? 0 : (int8_t)p->w_zp);
	if (oc >= p->out_c)
		return 0;	/* kernels padded to an even count (Mesa rkt_coefs.c rkt_fill_weights) */
	/*
	 * Pad channels read the zero point from the input, so a weight of
	 * w_zp makes them cancel with CPEND; in raw int32 mode there is no
	 * CPEND, so they get 0 and contribute nothing either.
	 */
	if (ic >= p->in_c)
		return p->raw_int32 ? 0 : (int8_t)p->w_zp;
	return ohwi[(((size_t)oc * p->k_h + ky) * p->k_w + kx) * p->in_c + ic];
}

/*
 * Loop nest of Mesa rkt_coefs.c rkt_fill_weights: [kernel group][ic group][ky][kx]
 * [kernel in group][ic in group].  Unlike Mesa, channels are first padded
 * to the hardware count (multiple of 16, as DATAIN_CHANNEL and
 * WEIGHT_BYTES_PER_KERNEL say), so a tail ic group is 16 or 32 bytes wide
 * and the stream length always equals WEIGHT_SIZE0.
 */
void npu_weights_pack(const struct npu_soc *soc, const struct npu_conv2d_params *p,
		      const int8_t *ohwi, void *dst)
{
	unsigned int ic_hw = npu_conv2d_in_channels_hw(p);
	unsigned int kernels = npu_conv2d_weight_kernels(p);
	unsigned int g = p->depthwise ? WEIGHT_IC_GROUP_DW : WEIGHT_IC_GROUP;
	unsigned int kg = soc->weight_kgroup;
	int8_t *d = dst;
	size_t n = 0;

	for (unsigned int k0 = 0; k0 < kernels; k0 += kg) {
		unsigned int kn = min_u(kg, kernels - k0);

		for (unsigned int i0 = 0; i0 < ic_hw; i0 += g) {
			unsigned int in = min_u(g, ic_hw - i0);

			for (unsigned int ky = 0; ky < p->k_h; ky++)
				for (unsigned int kx = 0; kx < p->k_w; kx++)
					for (unsigned int k = 0; k < kn; k++)
						for (unsigned int i = 0; i < in; i++)
							d[n++] = weight_at(p, ohwi, k0 + k,
									   ky, kx, i0 + i);
		}
	}
}

size_t npu_bias_size(const struct npu_conv2d_params *p)
{
	return (size_t)npu_conv2d_out_channels_hw(p) * sizeof(int32_t);
}

int32_t npu_bias_correction(const struct npu_conv2d_params *p, const int8_t *ohwi,
			    unsigned int oc)
{
	int32_t corr = 0;

	for (unsigned int ky = 0; ky < p->k_h; ky++)
		for (unsigned int kx = 0; kx < p->k_w; kx++) {
			if (p->depthwise) {
				corr += (weight_at(p, ohwi, 0, ky, kx, oc) - p->w_zp) * p->in_zp;
				continue;
			}
			for (unsigned int ic = 0; ic < p->in_c; ic++)
				corr += (weight_at(p, ohwi, oc, ky, kx, ic) - p->w_zp) * p->in_zp;
		}
	return corr;
}

void npu_bias_pack(const struct npu_conv2d_params *p, const int32_t *bias,
		   const int8_t *ohwi, int32_t *dst)
{
	unsigned int n = npu_conv2d_out_channels_hw(p);

	for (unsigned int oc = 0; oc < n; oc++) {
		int64_t b;

		if (oc >= p->out_c) {
			dst[oc] = 0;
			continue;
		}
		b = (int64_t)(bias ? bias[oc] : 0) - npu_bias_correction(p, ohwi, oc);
		/* Mesa divides (truncating toward zero) by 2^truncate_bits (Mesa rkt_coefs.c bias) */
		dst[oc] = (int32_t)(b / ((int64_t)1 << p->truncate_bits));
	}
}

/* Mesa rkt_regcmd.c OUT_CVT; the constants are Mesa's (from QNNPACK) */
#define CVT_SHIFT_BIAS		142	/* 127 + 31 - 32 + 16 */
#define CVT_MANTISSA_SHIFT	9
#define CVT_MANTISSA_MASK	0x7fff
#define CVT_IMPLICIT_ONE	(1u << 14)

void npu_out_cvt_encode(float conv_scale, unsigned int truncate_bits, int32_t out_zp,
			struct npu_out_cvt *cvt)
{
	uint32_t bits, e, scale;
	int shift;

	memcpy(&bits, &conv_scale, sizeof(bits));
	e = (bits >> 23) & 0xff;
	shift = CVT_SHIFT_BIAS - (int)e;
	if (truncate_bits > 0)
		shift--;
	scale = ((bits >> CVT_MANTISSA_SHIFT) & CVT_MANTISSA_MASK) + 1;
	if (scale < CVT_IMPLICIT_ONE)
		scale |= CVT_IMPLICIT_ONE;
	cvt->scale = scale;
	cvt->shift = (uint32_t)(shift - 1);
	cvt->offset = out_zp;
}

void npu_quantize_multiplier(double m, int32_t *qm, int *shift)
{
	long long q;
	double f;

	if (m == 0.0) {
		*qm = 0;
		*shift = 0;
		return;
	}
	f = frexp(m, shift);
	q = llround(f * (double)(1ll << 31));
	if (q == (1ll << 31)) {
		q /= 2;
		(*shift)++;
	}
	if (*shift < -31) {
		*shift = 0;
		q = 0;
	}
	*qm = (int32_t)q;
}

static int32_t srdhm(int32_t a, int32_t b)
{
	int64_t ab = (int64_t)a * b;
	int64_t nudge = ab >= 0 ? (1ll << 30) : (1 - (1ll << 30));

	if (a == INT32_MIN && b == INT32_MIN)
		return INT32_MAX;
	return (int32_t)((ab + nudge) / (1ll << 31));
}

static int32_t rounding_divide_by_pot(int32_t x, int e)
{
	int32_t mask = (int32_t)((1ll << e) - 1);
	int32_t rem = x & mask;
	int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);

	return (x >> e) + (rem > threshold ? 1 : 0);
}

int32_t npu_mul_by_quantized_multiplier(int32_t x, int32_t qm, int shift)
{
	int left = shift > 0 ? shift : 0;
	int right = shift > 0 ? 0 : -shift;
	int64_t xl = (int64_t)x * ((int64_t)1 << left);

	if (xl > INT32_MAX)
		xl = INT32_MAX;
	if (xl < INT32_MIN)
		xl = INT32_MIN;
	return rounding_divide_by_pot(srdhm((int32_t)xl, qm), right);
}
