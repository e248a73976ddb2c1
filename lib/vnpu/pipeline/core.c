// SPDX-License-Identifier: MIT
/*
 * core.c — the CORE block (MAC array + accumulator): int8 x int8 products
 * summed into int32 per output pixel and kernel, then CLIP_TRUNCATE's
 * right shift with the ROUND_TYPE the register selects (Mesa registers.xml CORE, Mesa rkt_regcmd.c, RK3588 TRM ch. 36).  Also the per-pixel input sums the DPU's CPEND stage needs
 * (Mesa rkt_regcmd.c, RK3588 TRM ch. 36: "(128 - wzp) * sum x").
 *
 * Speed: one im2col row per output pixel (kh memcpy's of kw * C bytes from
 * the padded plane), then four kernels at a time through vnpu_dot4_s8(),
 * whose blocks gcc vectorises.  No IOMMU access here: the CNA already
 * brought the operands in, as CBUF does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "npu/npu_regs.h"
#include "vnpu/pipeline/pipeline.h"

#define CORE_PREC_INT8		0	/* MISC_CFG PROC_PRECISION (Mesa registers.xml DPU codes) */

struct core_cfg {
	unsigned int shift;
	enum vnpu_round round;
};

static void core_truncate(const struct core_cfg *cc, int32_t *v, size_t n)
{
	if (!cc->shift)
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = (int32_t)vnpu_round_shift(v[i], cc->shift, cc->round);
}

static void core_direct_pixel(struct pl_task *t, const struct core_cfg *cc, int8_t *col,
			      unsigned int oy, unsigned int ox)
{
	size_t run = (size_t)t->kw * t->in_c, len = run * t->kh;
	unsigned int kernels = t->kernels < t->acc_c ? t->kernels : t->acc_c;
	size_t pix = (size_t)oy * t->out_w + ox;
	int32_t *acc = t->acc + pix * t->acc_c;
	unsigned int k = 0;

	for (unsigned int ky = 0; ky < t->kh; ky++)
		memcpy(col + ky * run,
		       t->x + (((size_t)(oy * t->sy + ky)) * t->pw + ox * t->sx) * t->in_c, run);
	for (; k + 4 <= kernels; k += 4)
		vnpu_dot4_s8(col, t->w + k * len, len, len, acc + k);
	for (; k < kernels; k++)
		acc[k] = vnpu_dot_s8(col, t->w + k * len, len);
	core_truncate(cc, acc, kernels);
	if (t->sumx)
		t->sumx[pix] = vnpu_sum_s8(col, len);
}

static void core_depthwise_pixel(struct pl_task *t, const struct core_cfg *cc,
				 unsigned int oy, unsigned int ox)
{
	unsigned int ch = t->in_c < t->acc_c ? t->in_c : t->acc_c;
	size_t pix = (size_t)oy * t->out_w + ox;
	int32_t *acc = t->acc + pix * t->acc_c;
	int32_t *sum = t->sumx ? t->sumx + pix * t->acc_c : NULL;

	for (unsigned int ky = 0; ky < t->kh; ky++)
		for (unsigned int kx = 0; kx < t->kw; kx++) {
			const int8_t *x = t->x + (((size_t)(oy * t->sy + ky)) * t->pw +
						  ox * t->sx + kx) * t->in_c;
			const int8_t *w = t->w + ((size_t)ky * t->kw + kx) * t->in_c;

			vnpu_mac_s8(acc, x, w, ch);
			if (sum)
				for (unsigned int c = 0; c < ch; c++)
					sum[c] += x[c];
		}
	core_truncate(cc, acc, ch);
}

/*
 * Every output pixel once.  The model's clock advances only when timed:
 * the second pass of core_beyond_real() is the model's bookkeeping,
 * not NPU work.
 */
static int core_pass(struct pl_task *t, const struct core_cfg *cc, int8_t *col, bool timed)
{
	/* One output row's MACs, in NPU time (VNPU_MODEL_MACS_PER_NS). */
	uint64_t row_ns = (uint64_t)t->out_w * t->kh * t->kw *
			  (t->depthwise ? 1 : t->in_c) * t->acc_c / VNPU_MODEL_MACS_PER_NS;

	for (unsigned int oy = 0; oy < t->out_h; oy++) {
		/* A reset after the job timeout stops the MAC array. */
		if (vnpu_core_job_expired(t->core))
			return -ETIMEDOUT;
		if (vnpu_core_exec_overrun(t->core)) {
			pl_log(t, "vnpu core: task still computing after %llu ms of host time, the model treats it as hung\n",
			       (unsigned long long)VNPU_HOST_EXEC_LIMIT_MS);
			return -ETIMEDOUT;
		}
		if (timed)
			vnpu_core_model_busy(t->core, row_ns);
		for (unsigned int ox = 0; ox < t->out_w; ox++) {
			if (t->depthwise)
				core_depthwise_pixel(t, cc, oy, ox);
			else
				core_direct_pixel(t, cc, col, oy, ox);
		}
	}
	return 0;
}

/*
 * DATAIN_CHANNEL_REAL < DATAIN_CHANNEL: Mesa (rkt_regcmd.c: REAL = Cin - 1,
 * CHANNEL = Cin aligned to 16), RKNN's own programs (a librknnrt 2.3.2
 * regcmd dump of an RK3588 FP16 conv with 3 input channels: REAL 2,
 * CHANNEL 8) and the suite all program fewer real channels than the cube
 * carries, and fill the extra ones so that they add nothing to the
 * zero-point corrected sum: the input's zero point in the feature map
 * (Mesa rkt_ml.c) against the weights' zero point in the kernels (Mesa
 * rkt_coefs.c), which CPEND's OW_OP * sum(x) cancels.  Whether the MAC
 * array and the CPEND sums read those channels or treat them as absent is
 * not documented (UNCONFIRMED; a board run with filler that does not
 * cancel settles it).  The model reads them, and keeps here what they
 * alone add, untruncated: the DPU refuses a task to which they add
 * anything, so that no result depends on the reading.
 */
static int core_beyond_real(struct pl_task *t, int8_t *col)
{
	const struct core_cfg exact = { .shift = 0 };
	size_t pixels = (size_t)t->out_w * t->out_h, plane = (size_t)t->pw * t->ph;
	size_t sum_c = t->depthwise ? t->acc_c : 1;
	int32_t *acc = t->acc, *sumx = t->sumx;
	int ret;

	if (t->in_c_real >= t->in_c)
		return 0;
	t->acc = calloc(pixels * t->acc_c, sizeof(int32_t));
	t->sumx = sumx ? calloc(pixels * sum_c, sizeof(int32_t)) : NULL;
	ret = !t->acc || (sumx && !t->sumx) ? -ENOMEM : 0;
	if (!ret) {
		/* the real channels' work is done: keep only the others */
		for (size_t i = 0; i < plane; i++)
			memset(t->x + i * t->in_c, 0, t->in_c_real);
		ret = core_pass(t, &exact, col, false);
	}
	t->acc_beyond = t->acc;
	t->sumx_beyond = t->sumx;
	t->acc = acc;
	t->sumx = sumx;
	return ret;
}

int pl_core_run(struct pl_task *t)
{
	uint32_t misc = pl_reg(t, REG_CORE_MISC_CFG);
	uint32_t clip = pl_reg(t, REG_CORE_CLIP_TRUNCATE);
	size_t pixels, sum_c;
	struct core_cfg cc;
	int8_t *col;
	int ret;

	if (!(t->op_en & NPU_OP_EN_CORE) || !t->cna_done)
		return 0;	/* nothing to multiply; the DPU will wait */
	if (CORE_MISC_CFG_PROC_PRECISION__GET(misc) != CORE_PREC_INT8 ||
	    CORE_MISC_CFG_DW_EN__GET(misc) != t->depthwise) {
		pl_log(t, "vnpu core: unsupported MISC_CFG 0x%x (depthwise %d), task hangs\n",
		       misc, t->depthwise);
		return -ENOTSUP;
	}
	cc.shift = CORE_CLIP_TRUNCATE_CLIP_TRUNCATE__GET(clip);
	cc.round = (enum vnpu_round)CORE_CLIP_TRUNCATE_ROUND_TYPE__GET(clip);
	t->acc_c = CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL__GET(pl_reg(t, REG_CORE_DATAOUT_SIZE_1)) + 1;
	pixels = (size_t)t->out_w * t->out_h;
	if (pixels * t->acc_c * sizeof(int32_t) > PL_MAX_BYTES) {
		pl_log(t, "vnpu core: %zu accumulators beyond the model's limit, task hangs\n",
		       pixels * t->acc_c);
		return -E2BIG;
	}
	t->acc = calloc(pixels * t->acc_c, sizeof(int32_t));
	sum_c = t->depthwise ? t->acc_c : 1;
	t->sumx = t->want_sumx ? calloc(pixels * sum_c, sizeof(int32_t)) : NULL;
	col = malloc((size_t)t->kh * t->kw * t->in_c);
	if (!t->acc || !col || (t->want_sumx && !t->sumx)) {
		free(col);
		return -ENOMEM;
	}
	ret = core_pass(t, &cc, col, true);
	if (!ret)
		ret = core_beyond_real(t, col);
	free(col);
	if (ret)
		return ret;
	vnpu_reg_set(t->core, REG_CORE_OPERATION_ENABLE, 0);
	return 0;
}
