// SPDX-License-Identifier: MIT
/*
 * cna.c — the CNA block (convolution DMA + sequence controller): decode the
 * conv geometry, read the input feature map and the weights through the
 * IOMMU (DMA kinds DATA and WEIGHT, so the bytes land in the DDMA
 * counters), and leave dense operands for the CORE:
 *
 *	x[ph][pw][in_c]   the input with its padding (PAD_CON0/PAD_CON1)
 *	w[k][kh][kw][in_c] the kernels (depthwise: one kernel of in_c taps)
 *
 * What the model accepts is exactly what lib/npu's conv2d builder and Mesa
 * emit (Mesa rkt_regcmd.c conv2d task): direct or depthwise int8 convolution, 16-byte
 * feature atoms or the 1-channel (ARGB_IN 8) byte plane, no dilation, no
 * deconvolution, no weight decompression.  Anything else is logged and the
 * task hangs (no DPU interrupt), as an unsupported mode would on silicon.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "npu/npu_regs.h"
#include "vnpu/pipeline/pipeline.h"

/* CONV_CON1 CONV_MODE (Mesa registers.xml CNA): 0 direct, 3 depthwise. */
#define CNA_CONV_MODE_DIRECT		0
#define CNA_CONV_MODE_DEPTHWISE		3
/* CONV_CON1 ARGB_IN 8 = 1-channel input mode (Mesa registers.xml CNA, Mesa rkt_regcmd.c conv2d task #4). */
#define CNA_ARGB_IN_1CH			8
/* Precision code 0 = int8 (Mesa registers.xml DPU list, same in CNA/CORE). */
#define CNA_PREC_INT8			0
/*
 * UNCONFIRMED units (UNCONFIRMED: stride units).  The model's reading of Mesa's
 * formulas (Mesa rkt_task.c fill_task: LINE_STRIDE = W*16/4, SURF_STRIDE = LINE_STRIDE *
 * (H/4 - 1)): a row is LINE_STRIDE * 4 bytes and a surface is
 * (SURF_STRIDE + LINE_STRIDE) * 16 bytes, the sum taken modulo the 28-bit
 * field (Mesa's value goes negative for H < 4).  In the 1-channel mode a
 * row is LINE_STRIDE bytes (Mesa writes max(W, 16), Mesa rkt_task.c fill_task).
 */
#define CNA_LINE_STRIDE_UNIT		4
#define CNA_SURF_STRIDE_UNIT		16
#define CNA_STRIDE_FIELD_MASK		0x0fffffffu

/* The CBUF of each core, for WEIGHT_REUSE (CBUF_CON0 bit 13, Mesa registers.xml CNA, Mesa rkt_task.c rkt_split_tasks). */
struct cna_cbuf {
	int8_t *w;
	uint32_t addr, bytes;
};
static __thread struct cna_cbuf cna_cbuf;

/*
 * Each core's worker thread owns its CBUF copy; the copy goes when the
 * thread ends (the core workers are joined at exit), through a key
 * whose destructor frees it.
 */
static pthread_key_t cna_cbuf_key;
static pthread_once_t cna_cbuf_once = PTHREAD_ONCE_INIT;

static void cna_cbuf_free(void *p)
{
	struct cna_cbuf *cb = p;

	free(cb->w);
	cb->w = NULL;
}

static void cna_cbuf_key_init(void)
{
	pthread_key_create(&cna_cbuf_key, cna_cbuf_free);
}

struct cna_cfg {
	unsigned int in_w, in_h, in_c, in_c_real;
	unsigned int out_w, out_h, atomics, core_w;
	unsigned int kw, kh, kernels, sx, sy;
	unsigned int pad_left, pad_top;
	int8_t pad_value;
	bool depthwise, plane;
	uint32_t in_addr, w_addr, w_bytes, w_per_kernel;
	uint32_t row_bytes, surf_bytes;
	bool weight_reuse;
	struct vnpu_in_cvt cvt;
	bool cvt_bypass;
};

static int cna_bad(struct pl_task *t, const char *what, unsigned int v)
{
	pl_log(t, "vnpu cna: unsupported programming: %s (%u), task hangs\n", what, v);
	return -ENOTSUP;
}

static int cna_decode_mode(struct pl_task *t, struct cna_cfg *c)
{
	uint32_t con1 = pl_reg(t, REG_CNA_CONV_CON1);
	uint32_t con3 = pl_reg(t, REG_CNA_CONV_CON3);
	uint32_t mode = CNA_CONV_CON1_CONV_MODE__GET(con1);
	uint32_t argb = CNA_CONV_CON1_ARGB_IN__GET(con1);

	if (mode != CNA_CONV_MODE_DIRECT && mode != CNA_CONV_MODE_DEPTHWISE)
		return cna_bad(t, "CONV_MODE", mode);
	if (CNA_CONV_CON1_DECONV__GET(con1))
		return cna_bad(t, "DECONV", 1);
	if (argb && argb != CNA_ARGB_IN_1CH)
		return cna_bad(t, "ARGB_IN", argb);
	if (CNA_CONV_CON1_IN_PRECISION__GET(con1) != CNA_PREC_INT8 ||
	    CNA_CONV_CON1_PROC_PRECISION__GET(con1) != CNA_PREC_INT8)
		return cna_bad(t, "IN/PROC_PRECISION", con1);
	if (CNA_CONV_CON3_ATROUS_X_DILATION__GET(con3) ||
	    CNA_CONV_CON3_ATROUS_Y_DILATION__GET(con3))
		return cna_bad(t, "dilation", con3);
	c->depthwise = mode == CNA_CONV_MODE_DEPTHWISE;
	c->plane = argb == CNA_ARGB_IN_1CH;
	c->sx = CNA_CONV_CON3_CONV_X_STRIDE__GET(con3);
	c->sy = CNA_CONV_CON3_CONV_Y_STRIDE__GET(con3);
	if (!c->sx || !c->sy)
		return cna_bad(t, "stride 0", 0);
	return 0;
}

static void cna_decode_cvt(struct pl_task *t, struct cna_cfg *c)
{
	uint32_t con0 = pl_reg(t, REG_CNA_CVT_CON0);
	uint32_t con1 = pl_reg(t, REG_CNA_CVT_CON1);

	/* One converter for every channel: the 1-channel plane uses CVT 0. */
	c->cvt_bypass = CNA_CVT_CON0_CVT_BYPASS__GET(con0);
	c->cvt.data_sign = CNA_CVT_CON0_DATA_SIGN__GET(con0);
	c->cvt.add_first = CNA_CVT_CON0_CVT_TYPE__GET(con0);
	c->cvt.round = (enum vnpu_round)CNA_CVT_CON0_ROUND_TYPE__GET(con0);
	c->cvt.trunc = CNA_CVT_CON0_CVT_TRUNCATE_0__GET(con0);
	c->cvt.scale = (int16_t)CNA_CVT_CON1_CVT_SCALE0__GET(con1);
	c->cvt.offset = (int16_t)CNA_CVT_CON1_CVT_OFFSET0__GET(con1);
}

static int cna_decode(struct pl_task *t, struct cna_cfg *c)
{
	uint32_t s0 = pl_reg(t, REG_CNA_DATA_SIZE0), s1 = pl_reg(t, REG_CNA_DATA_SIZE1);
	uint32_t ws2 = pl_reg(t, REG_CNA_WEIGHT_SIZE2), pad0 = pl_reg(t, REG_CNA_PAD_CON0);
	uint32_t core0 = pl_reg(t, REG_CORE_DATAOUT_SIZE_0);
	uint32_t line = CNA_DMA_CON1_LINE_STRIDE__GET(pl_reg(t, REG_CNA_DMA_CON1));
	uint32_t surf = CNA_DMA_CON2_SURF_STRIDE__GET(pl_reg(t, REG_CNA_DMA_CON2));
	int ret = cna_decode_mode(t, c);

	if (ret)
		return ret;
	cna_decode_cvt(t, c);
	c->in_w = CNA_DATA_SIZE0_DATAIN_WIDTH__GET(s0);
	c->in_h = CNA_DATA_SIZE0_DATAIN_HEIGHT__GET(s0);
	c->in_c = CNA_DATA_SIZE1_DATAIN_CHANNEL__GET(s1);
	c->in_c_real = CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL__GET(s1) + 1;
	c->out_w = CNA_DATA_SIZE2_DATAOUT_WIDTH__GET(pl_reg(t, REG_CNA_DATA_SIZE2));
	c->atomics = CNA_DATA_SIZE3_DATAOUT_ATOMICS__GET(pl_reg(t, REG_CNA_DATA_SIZE3));
	c->core_w = CORE_DATAOUT_SIZE_0_DATAOUT_WIDTH__GET(core0) + 1;
	c->out_h = CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT__GET(core0) + 1;
	c->kw = CNA_WEIGHT_SIZE2_WEIGHT_WIDTH__GET(ws2);
	c->kh = CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT__GET(ws2);
	c->kernels = CNA_WEIGHT_SIZE2_WEIGHT_KERNELS__GET(ws2);
	c->w_bytes = CNA_WEIGHT_SIZE0_WEIGHT_BYTES__GET(pl_reg(t, REG_CNA_WEIGHT_SIZE0));
	c->w_per_kernel = CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL__GET(
				pl_reg(t, REG_CNA_WEIGHT_SIZE1));
	c->pad_left = CNA_PAD_CON0_PAD_LEFT__GET(pad0);
	c->pad_top = CNA_PAD_CON0_PAD_TOP__GET(pad0);
	/* PAD_VALUE is an int8 in the converted domain (Mesa rkt_regcmd.c conv2d task #54) */
	c->pad_value = (int8_t)(CNA_PAD_CON1_PAD_VALUE__GET(pl_reg(t, REG_CNA_PAD_CON1)) & 0xff);
	c->in_addr = pl_reg(t, REG_CNA_FEATURE_DATA_ADDR);
	c->w_addr = pl_reg(t, REG_CNA_DCOMP_ADDR0);
	c->weight_reuse = CNA_CBUF_CON0_WEIGHT_REUSE__GET(pl_reg(t, REG_CNA_CBUF_CON0));
	if (c->plane) {
		c->row_bytes = line;
		c->surf_bytes = 0;
	} else {
		c->row_bytes = line * CNA_LINE_STRIDE_UNIT;
		c->surf_bytes = ((surf + line) & CNA_STRIDE_FIELD_MASK) * CNA_SURF_STRIDE_UNIT;
	}
	return 0;
}

static int cna_check(struct pl_task *t, const struct cna_cfg *c)
{
	unsigned int taps = c->kw * c->kh;

	if (!c->in_w || !c->in_h || !c->in_c || !c->kw || !c->kh || !c->kernels)
		return cna_bad(t, "empty input or kernel", 0);
	if (c->plane ? c->in_c_real != 1 : c->in_c % PL_ATOM_BYTES)
		return cna_bad(t, "DATAIN_CHANNEL not in 16-byte atoms", c->in_c);
	if (c->out_w != c->core_w || !c->out_w || c->atomics != c->out_w * c->out_h)
		return cna_bad(t, "CNA and CORE output sizes disagree", c->atomics);
	if (c->w_per_kernel != taps * c->in_c)
		return cna_bad(t, "WEIGHT_BYTES_PER_KERNEL", c->w_per_kernel);
	if (c->w_bytes != c->w_per_kernel * (c->depthwise ? 1 : c->kernels))
		return cna_bad(t, "WEIGHT_BYTES", c->w_bytes);
	if (c->depthwise && c->kernels != 1)
		return cna_bad(t, "depthwise WEIGHT_KERNELS", c->kernels);
	if (!c->plane && c->row_bytes < c->in_w * PL_ATOM_BYTES)
		return cna_bad(t, "LINE_STRIDE shorter than a row", c->row_bytes);
	if (c->plane && c->row_bytes < c->in_w)
		return cna_bad(t, "LINE_STRIDE shorter than a row", c->row_bytes);
	if (c->w_bytes > PL_MAX_BYTES ||
	    (uint64_t)c->in_w * c->in_h * c->in_c > PL_MAX_BYTES ||
	    (uint64_t)c->out_w * c->out_h * c->in_c * taps > 64ull * PL_MAX_BYTES)
		return cna_bad(t, "size beyond the model's limits", c->w_bytes);
	return 0;
}

/* Place one image row's pixels (in_c bytes each) into the padded plane. */
static int8_t *plane_px(struct pl_task *t, const struct cna_cfg *c,
			unsigned int row, unsigned int col)
{
	unsigned int pr = row + c->pad_top, pc = col + c->pad_left;

	if (pr >= t->ph || pc >= t->pw)
		return NULL;
	return t->x + ((size_t)pr * t->pw + pc) * t->in_c;
}

static int cna_read_features(struct pl_task *t, const struct cna_cfg *c)
{
	unsigned int surfaces = c->plane ? 1 : c->in_c / PL_ATOM_BYTES;
	size_t run = c->plane ? c->in_w : (size_t)c->in_w * PL_ATOM_BYTES;
	uint8_t *row = malloc(run);
	int ret = 0;

	if (!row)
		return -ENOMEM;
	/* one DMA per row and surface: IOMMU translation per row, not per byte */
	for (unsigned int s = 0; s < surfaces && !ret; s++) {
		for (unsigned int r = 0; r < c->in_h && !ret; r++) {
			uint32_t iova = c->in_addr + s * c->surf_bytes + r * c->row_bytes;

			ret = vnpu_dma_read(t->core, iova, row, run, VNPU_DMA_DATA);
			for (unsigned int col = 0; col < c->in_w && !ret; col++) {
				int8_t *px = plane_px(t, c, r, col);

				if (!px)
					continue;
				if (c->plane) {
					px[0] = c->cvt_bypass ? (int8_t)row[col] :
						vnpu_in_cvt_apply(&c->cvt, row[col]);
					memset(px + 1, 0, t->in_c - 1);
					continue;
				}
				for (unsigned int i = 0; i < PL_ATOM_BYTES; i++) {
					uint8_t b = row[col * PL_ATOM_BYTES + i];

					px[s * PL_ATOM_BYTES + i] = c->cvt_bypass ? (int8_t)b :
						vnpu_in_cvt_apply(&c->cvt, b);
				}
			}
		}
	}
	free(row);
	return ret;
}

/*
 * Weight stream order (Mesa rkt_coefs.c rkt_fill_weights): [kernel group of 32][input
 * channel group of 32 (64 depthwise)][ky][kx][kernel in group][channel in
 * group]; a tail channel group is as wide as what remains.
 */
static void cna_unpack_weights(struct pl_task *t, const struct cna_cfg *c,
			       const int8_t *src)
{
	unsigned int kernels = c->depthwise ? 1 : c->kernels;
	unsigned int icg = c->depthwise ? PL_WEIGHT_ICGROUP_DW : PL_WEIGHT_ICGROUP;
	size_t per_kernel = (size_t)c->kh * c->kw * c->in_c, n = 0;

	for (unsigned int k0 = 0; k0 < kernels; k0 += PL_WEIGHT_KGROUP) {
		unsigned int kn = kernels - k0 < PL_WEIGHT_KGROUP ? kernels - k0 : PL_WEIGHT_KGROUP;

		for (unsigned int i0 = 0; i0 < c->in_c; i0 += icg) {
			unsigned int in = c->in_c - i0 < icg ? c->in_c - i0 : icg;

			for (unsigned int ky = 0; ky < c->kh; ky++)
				for (unsigned int kx = 0; kx < c->kw; kx++)
					/*
					 * kn >= 1 since k0 < kernels; cppcheck 2.10
					 * (Debian 12) assumes kernels - k0 may be 0.
					 */
					/* cppcheck-suppress knownConditionTrueFalse */
					for (unsigned int k = 0; k < kn; k++) {
						int8_t *d = t->w + (k0 + k) * per_kernel +
							    ((size_t)ky * c->kw + kx) * c->in_c + i0;

						memcpy(d, src + n, in);
						n += in;
					}
		}
	}
}

static int cna_read_weights(struct pl_task *t, const struct cna_cfg *c)
{
	struct cna_cbuf *cb = &cna_cbuf;
	int ret;

	/* WEIGHT_REUSE: the kernels are still in CBUF from the previous task */
	if (c->weight_reuse && cb->w && cb->addr == c->w_addr && cb->bytes == c->w_bytes) {
		cna_unpack_weights(t, c, cb->w);
		return 0;
	}
	pthread_once(&cna_cbuf_once, cna_cbuf_key_init);
	pthread_setspecific(cna_cbuf_key, cb);
	free(cb->w);
	cb->w = malloc(c->w_bytes ? c->w_bytes : 1);
	cb->addr = c->w_addr;
	cb->bytes = 0;
	if (!cb->w)
		return -ENOMEM;
	ret = vnpu_dma_read(t->core, c->w_addr, cb->w, c->w_bytes, VNPU_DMA_WEIGHT);
	if (ret)
		return ret;
	cb->bytes = c->w_bytes;
	cna_unpack_weights(t, c, cb->w);
	return 0;
}

int pl_cna_run(struct pl_task *t)
{
	struct cna_cfg c;
	int ret;

	if (!(t->op_en & NPU_OP_EN_CNA))
		return 0;	/* the DPU decides whether it can run without us */
	memset(&c, 0, sizeof(c));
	ret = cna_decode(t, &c);
	if (!ret)
		ret = cna_check(t, &c);
	if (ret)
		return ret;

	t->out_w = c.out_w;
	t->out_h = c.out_h;
	t->kw = c.kw;
	t->kh = c.kh;
	t->sx = c.sx;
	t->sy = c.sy;
	t->in_c = c.in_c;
	t->in_c_real = c.plane ? c.in_c : c.in_c_real;
	t->kernels = c.kernels;
	t->depthwise = c.depthwise;
	t->pw = (c.out_w - 1) * c.sx + c.kw;
	t->ph = (c.out_h - 1) * c.sy + c.kh;
	t->x = malloc((size_t)t->pw * t->ph * t->in_c);
	t->w = malloc(c.w_bytes ? c.w_bytes : 1);
	if (!t->x || !t->w)
		return -ENOMEM;
	/* everything outside the image reads PAD_VALUE (right/bottom implied) */
	memset(t->x, (uint8_t)c.pad_value, (size_t)t->pw * t->ph * t->in_c);
	ret = cna_read_features(t, &c);
	if (!ret)
		ret = cna_read_weights(t, &c);
	if (ret) {
		pl_log(t, "vnpu cna: DMA failed (%d), task hangs\n", ret);
		return ret;
	}
	t->cna_done = true;
	vnpu_reg_set(t->core, REG_CNA_OPERATION_ENABLE, 0);
	return 0;
}
