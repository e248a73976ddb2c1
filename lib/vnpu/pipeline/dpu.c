// SPDX-License-Identifier: MIT
/*
 * dpu.c — the DPU block (post-processing, NVDLA SDP) and the read DMAs of
 * DPU_RDMA it needs: take the CORE's accumulators (or, in flying mode, a
 * cube MRDMA reads from memory), run BS (CPEND, ALU, MUL, ReLU), BN, EW
 * and OUT_CVT as the registers select, saturate to OUT_PRECISION and write
 * the cube through the IOMMU (DMA kind OUTPUT).
 *
 * Register meanings are Mesa registers.xml DPU/Mesa registers.xml DPU_RDMA.  Readings the facts do
 * not settle (UNCONFIRMED, the model's choice, docs/vnpu-pipeline.md):
 *  - order inside BS: CPEND, then ALU, MUL, ReLU (CPEND corrects the
 *    accumulator, Mesa rkt_regcmd.c, RK3588 TRM ch. 36);
 *  - CPEND adds OW_OP * sum(x) shifted by the CORE's CLIP_TRUNCATE, so it
 *    lives in the same domain as the truncated accumulator;
 *  - DST_SURF_STRIDE's raw value is the surface stride in bytes (Mesa registers.xml DPU,
 *    Mesa rkt_ml.c feature layout: Mesa's int8 W*H*16, Mesa rkt_regcmd.c conv2d task #64, and mtx512's int32 W*H*16 for
 *    16-byte int32 pixels); the vendor int32 value of vendor librknnrt matmul dump (0x10 for 4
 *    pixels, with DATA_CUBE_NOTCH_ADDR set) is not modelled;
 *  - a flying-mode source cube has the destination's layout (no source
 *    surface stride register is documented).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "npu/npu_regs.h"
#include "vnpu/pipeline/pipeline.h"
#include "vnpu/pipeline/selftest_mutate.h"

/* ALU algorithms (Mesa registers.xml DPU BS_ALU_ALGO / EW_ALU_ALGO). */
#define DPU_ALU_MAX	0
#define DPU_ALU_MIN	1
#define DPU_ALU_ADD	2
#define DPU_ALU_MINUS	4
/* EW_OP_TYPE 0 ALU, 1 MUL (Mesa registers.xml DPU). */
#define DPU_EW_OP_MUL	1
/* BRDMA_DATA_USE bit 0: ALU operand, one int32 per channel (Mesa registers.xml DPU_RDMA, Mesa rkt_coefs.c bias). */
#define DPU_BRDMA_USE_ALU	1
/* ERDMA_DATA_MODE 1 = per pixel; DATA_SIZE / EDATA_SIZE 1 = 8 bit (Mesa registers.xml DPU/Mesa registers.xml DPU_RDMA). */
#define DPU_ERDMA_PER_PIXEL	1
#define DPU_EDATA_8BIT		1

/* One BS or BN stage. */
struct dpu_stage {
	bool bypass, alu_bypass, mul_bypass, relu_bypass, relux_en;
	bool alu_src, mul_src;
	unsigned int algo, mul_shift;
	int32_t alu_op, mul_op, relux;
	int32_t *alu_stream;		/* per channel, BRDMA */
};

struct dpu_cfg {
	bool flying;
	unsigned int w, h, c;
	enum vnpu_precision out_prec, in_prec;
	unsigned int out_bytes;
	uint32_t dst, dst_surf;		/* bytes */
	struct dpu_stage bs, bn;
	bool cpend;
	int32_t ow_op;
	unsigned int cpend_shift;
	enum vnpu_round cpend_round;
	/* EW */
	bool ew, ew_op, ew_mul, ew_stream, ew_relu, ew_relux_en, ew_cvt_en;
	unsigned int ew_algo;
	int32_t ew_value, ew_relux;
	struct vnpu_cvt ew_cvt;
	int8_t *ew_data;		/* ERDMA cube, output layout */
	struct vnpu_cvt out_cvt;
	struct pl_mutation mutation;	/* self-test hook, selftest_mutate.h */
};

static int dpu_bad(struct pl_task *t, const char *what, uint32_t v)
{
	pl_log(t, "vnpu dpu: unsupported programming: %s (0x%x), task hangs\n", what, v);
	return -ENOTSUP;
}

static int dpu_decode_stage(struct pl_task *t, struct dpu_stage *s, uint32_t cfg,
			    uint32_t alu, uint32_t mul, uint32_t relux, const char *name)
{
	/* BS and BN share the field layout (Mesa registers.xml DPU). */
	s->bypass = DPU_BS_CFG_BS_BYPASS__GET(cfg);
	s->alu_bypass = DPU_BS_CFG_BS_ALU_BYPASS__GET(cfg);
	s->mul_bypass = DPU_BS_CFG_BS_MUL_BYPASS__GET(cfg);
	s->relu_bypass = DPU_BS_CFG_BS_RELU_BYPASS__GET(cfg);
	s->relux_en = DPU_BS_CFG_BS_RELUX_EN__GET(cfg);
	s->alu_src = DPU_BS_CFG_BS_ALU_SRC__GET(cfg);
	s->algo = DPU_BS_CFG_BS_ALU_ALGO__GET(cfg);
	s->alu_op = (int32_t)alu;
	s->mul_op = (int16_t)DPU_BS_MUL_CFG_BS_MUL_OPERAND__GET(mul);
	s->mul_shift = DPU_BS_MUL_CFG_BS_MUL_SHIFT_VALUE__GET(mul);
	s->mul_src = DPU_BS_MUL_CFG_BS_MUL_SRC__GET(mul);
	s->relux = (int32_t)relux;
	if (s->bypass)
		return 0;
	if (!s->alu_bypass && s->algo != DPU_ALU_ADD && s->algo != DPU_ALU_MINUS &&
	    s->algo != DPU_ALU_MAX && s->algo != DPU_ALU_MIN)
		return dpu_bad(t, name, cfg);
	if (!s->mul_bypass && s->mul_src)
		return dpu_bad(t, "per-channel MUL operand", mul);
	if (DPU_BS_CFG_BS_MUL_PRELU__GET(cfg))
		return dpu_bad(t, "PReLU", cfg);
	return 0;
}

static int dpu_decode_ew(struct pl_task *t, struct dpu_cfg *d)
{
	uint32_t cfg = pl_reg(t, REG_DPU_EW_CFG);
	uint32_t scale = pl_reg(t, REG_DPU_EW_CVT_SCALE_VALUE);

	d->ew = !DPU_EW_CFG_EW_BYPASS__GET(cfg);
	if (!d->ew)
		return 0;
	if (!DPU_EW_CFG_EW_LUT_BYPASS__GET(cfg))
		return dpu_bad(t, "EW LUT", cfg);
	d->ew_op = !DPU_EW_CFG_EW_OP_BYPASS__GET(cfg);
	d->ew_mul = DPU_EW_CFG_EW_OP_TYPE__GET(cfg) == DPU_EW_OP_MUL;
	d->ew_algo = DPU_EW_CFG_EW_ALU_ALGO__GET(cfg);
	d->ew_stream = DPU_EW_CFG_EW_OP_SRC__GET(cfg);
	d->ew_relu = !DPU_EW_CFG_EW_RELU_BYPASS__GET(cfg);
	d->ew_relux_en = DPU_EW_CFG_EW_RELUX_EN__GET(cfg);
	d->ew_relux = (int32_t)pl_reg(t, REG_DPU_EW_RELUX_CMP_VALUE);
	d->ew_value = (int32_t)pl_reg(t, REG_DPU_EW_OP_VALUE_0);
	d->ew_cvt_en = !DPU_EW_CFG_EW_OP_CVT_BYPASS__GET(cfg);
	d->ew_cvt.scale = DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE__GET(scale);
	d->ew_cvt.shift = DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SHIFT__GET(scale);
	d->ew_cvt.offset = (int32_t)pl_reg(t, REG_DPU_EW_CVT_OFFSET_VALUE);
	d->ew_cvt.add_first = DPU_EW_CFG_EW_CVT_TYPE__GET(cfg);
	d->ew_cvt.round = (enum vnpu_round)DPU_EW_CFG_EW_CVT_ROUND__GET(cfg);
	if (d->ew_op && !d->ew_mul && d->ew_algo != DPU_ALU_ADD &&
	    d->ew_algo != DPU_ALU_MINUS && d->ew_algo != DPU_ALU_MAX &&
	    d->ew_algo != DPU_ALU_MIN)
		return dpu_bad(t, "EW_ALU_ALGO", d->ew_algo);
	return 0;
}

static int dpu_decode(struct pl_task *t, struct dpu_cfg *d)
{
	uint32_t mode = pl_reg(t, REG_DPU_FEATURE_MODE_CFG);
	uint32_t fmt = pl_reg(t, REG_DPU_DATA_FORMAT);
	uint32_t chan = pl_reg(t, REG_DPU_DATA_CUBE_CHANNEL);
	uint32_t wdma0 = pl_reg(t, REG_DPU_WDMA_SIZE_0), wdma1 = pl_reg(t, REG_DPU_WDMA_SIZE_1);
	uint32_t ow = pl_reg(t, REG_DPU_BS_OW_CFG);
	uint32_t shift = pl_reg(t, REG_DPU_OUT_CVT_SHIFT);
	uint32_t clip = pl_reg(t, REG_CORE_CLIP_TRUNCATE);
	const char *mutation;
	int ret;

	d->flying = DPU_FEATURE_MODE_CFG_FLYING_MODE__GET(mode);
	d->w = DPU_DATA_CUBE_WIDTH_WIDTH__GET(pl_reg(t, REG_DPU_DATA_CUBE_WIDTH)) + 1;
	d->h = DPU_DATA_CUBE_HEIGHT_HEIGHT__GET(pl_reg(t, REG_DPU_DATA_CUBE_HEIGHT)) + 1;
	d->c = DPU_DATA_CUBE_CHANNEL_CHANNEL__GET(chan) + 1;
	d->out_prec = (enum vnpu_precision)DPU_DATA_FORMAT_OUT_PRECISION__GET(fmt);
	d->in_prec = (enum vnpu_precision)DPU_DATA_FORMAT_IN_PRECISION__GET(fmt);
	d->out_bytes = vnpu_precision_bytes(d->out_prec);
	if (!(DPU_FEATURE_MODE_CFG_OUTPUT_MODE__GET(mode) & 2))
		return dpu_bad(t, "OUTPUT_MODE without memory", mode);
	if (!d->out_bytes || d->in_prec != VNPU_PREC_INT8)
		return dpu_bad(t, "DATA_FORMAT precision", fmt);
	if (DPU_WDMA_SIZE_0_CHANNEL_WDMA__GET(wdma0) + 1 != d->c ||
	    DPU_WDMA_SIZE_1_WIDTH_WDMA__GET(wdma1) + 1 != d->w ||
	    DPU_WDMA_SIZE_1_HEIGHT_WDMA__GET(wdma1) + 1 != d->h)
		return dpu_bad(t, "WDMA size differs from the cube", wdma1);
	d->dst = pl_reg(t, REG_DPU_DST_BASE_ADDR);
	d->dst_surf = pl_reg(t, REG_DPU_DST_SURF_STRIDE);
	if ((uint64_t)d->w * d->h * d->c * 4 > PL_MAX_BYTES)
		return dpu_bad(t, "cube beyond the model's limits", d->c);

	ret = dpu_decode_stage(t, &d->bs, pl_reg(t, REG_DPU_BS_CFG), pl_reg(t, REG_DPU_BS_ALU_CFG),
			       pl_reg(t, REG_DPU_BS_MUL_CFG),
			       pl_reg(t, REG_DPU_BS_RELUX_CMP_VALUE), "BS_ALU_ALGO");
	if (!ret)
		ret = dpu_decode_stage(t, &d->bn, pl_reg(t, REG_DPU_BN_CFG),
				       pl_reg(t, REG_DPU_BN_ALU_CFG), pl_reg(t, REG_DPU_BN_MUL_CFG),
				       pl_reg(t, REG_DPU_BN_RELUX_CMP_VALUE), "BN_ALU_ALGO");
	if (!ret && !d->bn.bypass && !d->bn.alu_bypass && d->bn.alu_src)
		ret = dpu_bad(t, "BN operand from NRDMA", 0);
	if (ret)
		return ret;
	d->cpend = !d->bs.bypass && !DPU_BS_OW_CFG_OD_BYPASS__GET(ow);
	if (d->cpend && DPU_BS_OW_CFG_OW_SRC__GET(ow))
		return dpu_bad(t, "CPEND operand from BRDMA", ow);
	d->ow_op = (int16_t)DPU_BS_OW_OP_OW_OP__GET(pl_reg(t, REG_DPU_BS_OW_OP));
	d->cpend_shift = CORE_CLIP_TRUNCATE_CLIP_TRUNCATE__GET(clip);
	d->cpend_round = (enum vnpu_round)CORE_CLIP_TRUNCATE_ROUND_TYPE__GET(clip);

	d->out_cvt.scale = DPU_OUT_CVT_SCALE_OUT_CVT_SCALE__GET(pl_reg(t, REG_DPU_OUT_CVT_SCALE));
	d->out_cvt.shift = DPU_OUT_CVT_SHIFT_OUT_CVT_SHIFT__GET(shift);
	d->out_cvt.add_first = DPU_OUT_CVT_SHIFT_CVT_TYPE__GET(shift);
	d->out_cvt.round = (enum vnpu_round)DPU_OUT_CVT_SHIFT_CVT_ROUND__GET(shift);
	d->out_cvt.offset = (int32_t)pl_reg(t, REG_DPU_OUT_CVT_OFFSET);
	if (DPU_OUT_CVT_SCALE_FP32TOFP16_EN__GET(pl_reg(t, REG_DPU_OUT_CVT_SCALE)))
		return dpu_bad(t, "FP32TOFP16_EN", 1);
	if (pl_mutate_out_cvt(&d->out_cvt, &d->mutation, &mutation)) {
		pl_log(t, "vnpu dpu: unknown %s '%s', task hangs\n", VNPU_MUTATE_ENV, mutation);
		return -EINVAL;
	}
	return dpu_decode_ew(t, d);
}

bool pl_dpu_needs_sumx(struct vnpu_core *core)
{
	uint32_t bs = vnpu_reg_get(core, REG_DPU_BS_CFG);
	uint32_t ow = vnpu_reg_get(core, REG_DPU_BS_OW_CFG);

	return !DPU_BS_CFG_BS_BYPASS__GET(bs) && !DPU_BS_OW_CFG_OD_BYPASS__GET(ow) &&
	       DPU_BS_OW_OP_OW_OP__GET(vnpu_reg_get(core, REG_DPU_BS_OW_OP));
}

/* Channel c of pixel p of a cube in the NPU's atom layout (Mesa rkt_ml.c feature layout). */
static size_t cube_offset(uint32_t surf_bytes, unsigned int elem, size_t p, unsigned int c)
{
	unsigned int c2 = PL_ATOM_BYTES / elem;

	return (c / c2) * (size_t)surf_bytes + p * PL_ATOM_BYTES + (c % c2) * elem;
}

/* Read an int8 cube (MRDMA or ERDMA): one DMA per surface. */
static int dpu_read_cube(struct pl_task *t, const struct dpu_cfg *d, uint32_t addr,
			 uint32_t surf_bytes, int8_t **out)
{
	size_t run = (size_t)d->w * d->h * PL_ATOM_BYTES;
	unsigned int surfaces = (d->c + PL_ATOM_BYTES - 1) / PL_ATOM_BYTES;
	int8_t *buf = malloc(run * surfaces);
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (unsigned int s = 0; s < surfaces && !ret; s++)
		ret = vnpu_dma_read(t->core, addr + s * surf_bytes, buf + s * run, run,
				    VNPU_DMA_DATA);
	if (ret) {
		free(buf);
		return ret;
	}
	*out = buf;		/* now dense: surface stride = run */
	return 0;
}

static int dpu_need_rdma(struct pl_task *t, const char *what)
{
	if (t->op_en & NPU_OP_EN_DPU_RDMA)
		return 0;
	pl_log(t, "vnpu dpu: %s needs DPU_RDMA, not in op_en 0x%x: task hangs\n", what, t->op_en);
	return -EAGAIN;
}

static int dpu_read_operands(struct pl_task *t, struct dpu_cfg *d)
{
	uint32_t ecfg = pl_reg(t, REG_DPU_RDMA_RDMA_ERDMA_CFG);
	int ret;

	if (!d->bs.bypass && !d->bs.alu_bypass && d->bs.alu_src) {
		uint32_t use = DPU_RDMA_RDMA_BRDMA_CFG_BRDMA_DATA_USE__GET(
					pl_reg(t, REG_DPU_RDMA_RDMA_BRDMA_CFG));

		ret = dpu_need_rdma(t, "the BS operand");
		if (ret)
			return ret;
		if (use != DPU_BRDMA_USE_ALU)
			return dpu_bad(t, "BRDMA_DATA_USE", use);
		d->bs.alu_stream = malloc((size_t)d->c * sizeof(int32_t));
		if (!d->bs.alu_stream)
			return -ENOMEM;
		ret = vnpu_dma_read(t->core, pl_reg(t, REG_DPU_RDMA_RDMA_BS_BASE_ADDR),
				    d->bs.alu_stream, (size_t)d->c * sizeof(int32_t),
				    VNPU_DMA_WEIGHT);
		if (ret)
			return ret;
	}
	if (d->ew && d->ew_op && d->ew_stream) {
		ret = dpu_need_rdma(t, "the EW operand");
		if (ret)
			return ret;
		if (DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE__GET(ecfg) ||
		    DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_MODE__GET(ecfg) != DPU_ERDMA_PER_PIXEL ||
		    DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_SIZE__GET(ecfg) != DPU_EDATA_8BIT)
			return dpu_bad(t, "ERDMA_CFG", ecfg);
		ret = dpu_read_cube(t, d, pl_reg(t, REG_DPU_RDMA_RDMA_EW_BASE_ADDR),
				    pl_reg(t, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE), &d->ew_data);
		if (ret)
			return ret;
	}
	return 0;
}

static int64_t dpu_alu(unsigned int algo, int64_t v, int64_t op)
{
	switch (algo) {
	case DPU_ALU_MAX:
		return v > op ? v : op;
	case DPU_ALU_MIN:
		return v < op ? v : op;
	case DPU_ALU_MINUS:
		return v - op;
	default:
		return v + op;
	}
}

static int64_t dpu_relu(bool relux_en, int32_t relux, int64_t v)
{
	if (v < 0)
		return 0;
	return relux_en && v > relux ? relux : v;
}

static int64_t dpu_stage(const struct dpu_stage *s, unsigned int c, int64_t v)
{
	if (s->bypass)
		return v;
	if (!s->alu_bypass)
		v = dpu_alu(s->algo, v, s->alu_stream ? s->alu_stream[c] : s->alu_op);
	if (!s->mul_bypass)
		v = vnpu_round_shift(v * s->mul_op, s->mul_shift, VNPU_ROUND_HALF_EVEN);
	if (!s->relu_bypass)
		v = dpu_relu(s->relux_en, s->relux, v);
	return v;
}

static int64_t dpu_ew(const struct dpu_cfg *d, size_t p, unsigned int c, int64_t v)
{
	int64_t e;

	if (!d->ew)
		return v;
	if (d->ew_op) {
		e = d->ew_data ? d->ew_data[cube_offset((uint32_t)d->w * d->h * PL_ATOM_BYTES,
						       1, p, c)] : d->ew_value;
		if (d->ew_cvt_en)
			e = vnpu_cvt_apply(&d->ew_cvt, e);
		v = d->ew_mul ? v * e : dpu_alu(d->ew_algo, v, e);
	}
	if (d->ew_relu)
		v = dpu_relu(d->ew_relux_en, d->ew_relux, v);
	return v;
}

/* Main data of element (p, c): the CORE's accumulator or the MRDMA cube. */
static int64_t dpu_source(struct pl_task *t, const struct dpu_cfg *d, const int8_t *fly,
			  size_t p, unsigned int c)
{
	int64_t v;

	if (fly)
		return fly[cube_offset((uint32_t)d->w * d->h * PL_ATOM_BYTES, 1, p, c)];
	v = c < t->acc_c ? t->acc[p * t->acc_c + c] : 0;
	if (d->cpend && t->sumx) {
		int64_t s = t->depthwise ? (c < t->acc_c ? t->sumx[p * t->acc_c + c] : 0)
					 : t->sumx[p];

		v += vnpu_round_shift((int64_t)d->ow_op * s, d->cpend_shift, d->cpend_round);
	}
	return v;
}

static void dpu_store(uint8_t *dst, unsigned int bytes, int64_t v)
{
	int32_t w = (int32_t)v;
	int16_t h = (int16_t)v;

	if (bytes == 1)
		*dst = (uint8_t)(int8_t)v;
	else if (bytes == 2)
		memcpy(dst, &h, 2);
	else
		memcpy(dst, &w, 4);
}

/*
 * core.c core_beyond_real(): channels beyond DATAIN_CHANNEL_REAL must add
 * nothing to any real output channel, products and CPEND term together.
 * Output channels beyond ORIG_CHANNEL pad the cube (Mesa rkt_regcmd.c:
 * ORIG_CHANNEL = Cout - 1); no reference defines them, so they are not
 * held to it.
 */
static int dpu_refuse_beyond_real(struct pl_task *t, const struct dpu_cfg *d)
{
	unsigned int orig = DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL__GET(
				pl_reg(t, REG_DPU_DATA_CUBE_CHANNEL)) + 1;
	unsigned int ch = d->c < t->acc_c ? d->c : t->acc_c;
	size_t pixels = (size_t)d->w * d->h;

	if (orig < ch)
		ch = orig;

	if (!t->acc_beyond)
		return 0;
	for (size_t p = 0; p < pixels; p++)
		for (unsigned int c = 0; c < ch; c++) {
			int64_t v = t->acc_beyond[p * t->acc_c + c];

			if (d->cpend && t->sumx_beyond)
				v += (int64_t)d->ow_op *
				     t->sumx_beyond[t->depthwise ? p * t->acc_c + c : p];
			if (v)
				return pl_refuse(t, "CNA_DATA_SIZE1", pl_reg(t, REG_CNA_DATA_SIZE1),
						 "channels beyond DATAIN_CHANNEL_REAL change the result; whether the hardware reads them is UNCONFIRMED");
		}
	return 0;
}

static int dpu_compute_write(struct pl_task *t, struct dpu_cfg *d, const int8_t *fly)
{
	unsigned int c2 = PL_ATOM_BYTES / d->out_bytes;
	unsigned int surfaces = (d->c + c2 - 1) / c2;
	size_t pixels = (size_t)d->w * d->h, run = pixels * PL_ATOM_BYTES;
	uint8_t *out = calloc(surfaces, run);
	int ret = 0;

	if (!out)
		return -ENOMEM;
	for (size_t p = 0; p < pixels; p++)
		for (unsigned int c = 0; c < d->c; c++) {
			int64_t v = dpu_source(t, d, fly, p, c);

			v = dpu_stage(&d->bs, c, v);
			v = dpu_stage(&d->bn, c, v);
			v = dpu_ew(d, p, c, v);
			v = pl_mutated_cvt_apply(&d->out_cvt, &d->mutation, v);
			v = vnpu_saturate(v, d->out_prec);
			dpu_store(out + cube_offset((uint32_t)run, d->out_bytes, p, c),
				  d->out_bytes, v);
		}
	for (unsigned int s = 0; s < surfaces && !ret; s++)
		ret = vnpu_dma_write(t->core, d->dst + s * d->dst_surf, out + s * run, run,
				     VNPU_DMA_OUTPUT);
	free(out);
	return ret;
}

int pl_dpu_run(struct pl_task *t)
{
	struct dpu_cfg d;
	int8_t *fly = NULL;
	int ret;

	if (!(t->op_en & NPU_OP_EN_DPU)) {
		pl_log(t, "vnpu dpu: not in op_en 0x%x, nothing raises DPU_0: task hangs\n",
		       t->op_en);
		return -EAGAIN;
	}
	memset(&d, 0, sizeof(d));
	ret = dpu_decode(t, &d);
	if (!ret && d.flying) {
		uint32_t rmode = pl_reg(t, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG);

		ret = dpu_need_rdma(t, "flying mode");
		if (!ret && DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_DISABLE__GET(rmode))
			ret = dpu_bad(t, "flying mode with MRDMA_DISABLE", rmode);
		if (!ret)
			ret = dpu_read_cube(t, &d, pl_reg(t, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR),
					    d.dst_surf, &fly);
	} else if (!ret && (!t->acc || d.w != t->out_w || d.h != t->out_h)) {
		pl_log(t, "vnpu dpu: no CORE output of %ux%u (CORE %s), task hangs\n", d.w, d.h,
		       t->acc ? "size differs" : "did not run");
		ret = -EAGAIN;
	}
	if (!ret && !fly)
		ret = dpu_refuse_beyond_real(t, &d);
	if (!ret)
		ret = dpu_read_operands(t, &d);
	if (!ret)
		ret = dpu_compute_write(t, &d, fly);
	free(fly);
	free(d.bs.alu_stream);
	free(d.ew_data);
	if (ret)
		return ret;
	vnpu_reg_set(t->core, REG_DPU_OPERATION_ENABLE, 0);
	vnpu_reg_set(t->core, REG_DPU_RDMA_RDMA_OPERATION_ENABLE, 0);
	return 0;
}
