// SPDX-License-Identifier: MIT
/*
 * refuse.c — programming the pipeline does not model makes the task hang.
 *
 * A model that computes as if an unknown setting were absent lets a test
 * pass on behaviour vnpu invented.  So before any block moves data, every
 * setting below is checked for the block the op_en mask enables; a value
 * outside what the model computes is logged as
 *
 *	unsupported programming: <REGISTER> 0x<value> (<why>)
 *
 * and the task never raises its DPU interrupt: the job ends by the
 * kernel's 500 ms timeout, as a hung NPU would.
 *
 * What stays accepted is what the model computes and what the programs
 * it is checked against write: Mesa's rocket driver
 * (src/gallium/drivers/rocket/rkt_regcmd.c), the suite's lib/npu
 * builders, and the hardware-proven RK3588 dumps the self-tests replay.
 * Settings the blocks model themselves (OD_BYPASS: the CPEND stage in
 * dpu.c; DECONV, dilation, precisions: cna.c, core.c) are not repeated
 * here.  Field layouts: lib/npu/npu_regs.def (Mesa's registers.xml and the
 * RK3588 TRM, Part 2, "RKNN" register descriptions).
 */
#include <errno.h>

#include "npu/npu_regs.h"
#include "npu/npu_soc.h"
#include "vnpu/pipeline/pipeline.h"

/*
 * Address and stride fields the TRM declares as [31:4]: the low 4 bits
 * are not part of the field.  Which silicon ignores and which it takes
 * is not documented, so any set bit there is refused.
 */
#define PL_FIELD_31_4_LOW	0xfu

/* DMA_CON0 values with known meaning: Mesa's (rkt_regcmd.c, burst 16/16)
 * and the RK3568 vendor constant (UNCONFIRMED, the rknpu fork); burst
 * lengths change timing, not results. */
#define PL_DMA_CON0_MESA	0x000f000fu
#define PL_DMA_CON0_VENDOR	0x00171c07u
/* CVT_CON5 PER_CHANNEL_CVT_EN: Mesa writes 0xffff for the 1-channel (Cin
 * == 1) input only, where all 16 converters carry one setting. */
#define PL_CVT_CON5_ALL16	0xffffu
/* DPU SURFACE_ADD as Mesa derives it from the output surface: twice the
 * surface stride, four times for depthwise (rkt_regcmd.c). */
#define PL_SURFACE_ADD_RATIO		2
#define PL_SURFACE_ADD_RATIO_DW		4

struct refusal {
	const char *reg;
	uint32_t value;
	const char *why;
};

int pl_refuse(struct pl_task *t, const char *reg, uint32_t value, const char *why)
{
	pl_log(t, "unsupported programming: %s 0x%x (%s), task hangs\n", reg, value, why);
	return -ENOTSUP;
}

static int refuse(struct pl_task *t, const struct refusal *r)
{
	return pl_refuse(t, r->reg, r->value, r->why);
}

#define REFUSE(t, name, v, why) \
	refuse((t), &(struct refusal){ (name), (v), (why) })

/* Weight decompression and the FC (fully connected) path of the CNA. */
static int refuse_cna_paths(struct pl_task *t)
{
	static const struct { uint32_t reg; const char *name; } zero[] = {
		{ REG_CNA_FC_CON0, "CNA_FC_CON0" },
		{ REG_CNA_FC_CON1, "CNA_FC_CON1" },
		{ REG_CNA_FC_CON2, "CNA_FC_CON2" },
		{ REG_CNA_DCOMP_CTRL, "CNA_DCOMP_CTRL" },
		{ REG_CNA_DCOMP_REGNUM, "CNA_DCOMP_REGNUM" },
	};

	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (pl_reg(t, zero[i].reg))
			return REFUSE(t, zero[i].name, pl_reg(t, zero[i].reg),
				      "FC mode and weight decompression are not modelled");
	for (uint32_t r = REG_CNA_DCOMP_AMOUNT0; r <= REG_CNA_DCOMP_AMOUNT15; r += 4)
		if (pl_reg(t, r))
			return REFUSE(t, "CNA_DCOMP_AMOUNTn", pl_reg(t, r),
				      "weight decompression is not modelled");
	return 0;
}

/* CBUF: banks, entries and grains the convolution is told to use. */
static int refuse_cna_cbuf(struct pl_task *t)
{
	const struct npu_soc *soc = npu_soc_variant(vnpu_core_soc(t->core)->name);
	uint32_t con0 = pl_reg(t, REG_CNA_CBUF_CON0), con1 = pl_reg(t, REG_CNA_CBUF_CON1);
	uint32_t con2 = pl_reg(t, REG_CNA_CONV_CON2), ws2 = pl_reg(t, REG_CNA_WEIGHT_SIZE2);
	uint32_t s0 = pl_reg(t, REG_CNA_DATA_SIZE0), s1 = pl_reg(t, REG_CNA_DATA_SIZE1);
	unsigned int data_banks = CNA_CBUF_CON0_DATA_BANK__GET(con0);
	unsigned int weight_banks = CNA_CBUF_CON0_WEIGHT_BANK__GET(con0);
	unsigned int entries = CNA_CBUF_CON1_DATA_ENTRIES__GET(con1);
	unsigned int in_w = CNA_DATA_SIZE0_DATAIN_WIDTH__GET(s0);
	unsigned int in_c = CNA_DATA_SIZE1_DATAIN_CHANNEL__GET(s1);
	uint64_t bank_bytes, w_bytes = pl_reg(t, REG_CNA_WEIGHT_SIZE0), group_bytes;
	unsigned int kernels = CNA_WEIGHT_SIZE2_WEIGHT_KERNELS__GET(ws2);
	bool plane = CNA_CONV_CON1_ARGB_IN__GET(pl_reg(t, REG_CNA_CONV_CON1));
	unsigned int row_entries;

	if (!soc)
		return REFUSE(t, "SoC", 0, "no CBUF geometry for this SoC");
	bank_bytes = (uint64_t)soc->cbuf_entries_per_bank * soc->cbuf_entry_size;
	group_bytes = (uint64_t)(kernels < soc->weight_kgroup ? kernels : soc->weight_kgroup) *
		      CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL__GET(
				pl_reg(t, REG_CNA_WEIGHT_SIZE1));
	if (!data_banks || !weight_banks || data_banks + weight_banks > soc->cbuf_banks)
		return REFUSE(t, "CNA_CBUF_CON0", con0, "bank split outside the CBUF");
	/*
	 * Weights larger than their banks are streamed through them: Mesa's
	 * planner (rkt_task.c rkt_split_tasks) gives the weights what the
	 * input leaves, 5 or 10 of 12 banks for MobileNetV1's 1x1 convs of
	 * 512 KiB and 1 MiB, without WEIGHT_REUSE, and those layers pass on
	 * RK3588 in Mesa's CI (test_teflon.cpp TEST_MOBILENETV1, none in
	 * ci/rocket-rk3588-fails.txt).  So the model computes them as if
	 * resident.  WEIGHT_REUSE claims they are all still in CBUF, which
	 * they cannot be.
	 */
	if (w_bytes > weight_banks * bank_bytes && CNA_CBUF_CON0_WEIGHT_REUSE__GET(con0))
		return REFUSE(t, "CNA_CBUF_CON0", con0,
			      "WEIGHT_REUSE of weights that do not fit the weight banks");
	/*
	 * Streaming is proven only for weights whose kernel group (the
	 * kernels the weight stream interleaves, Mesa rkt_coefs.c) fits the
	 * banks: 32 KiB in MobileNetV1.  Whether a larger group streams is
	 * UNCONFIRMED (a board run of a 5x5 conv over 512 input channels,
	 * 400 KiB per group, settles it), so it is refused.
	 */
	if (group_bytes > weight_banks * bank_bytes)
		return REFUSE(t, "CNA_CBUF_CON0", con0,
			      "one kernel group of weights does not fit the weight banks");
	/*
	 * DATA_ENTRIES: CBUF entries per input row.  Mesa's value
	 * DIV_ROUND_UP(W * 2 * DIV_ROUND_UP(C, 16), 8) is the least a row
	 * takes (the vendor's is larger); a row must fit the data banks.
	 * The 1-channel plane packs rows otherwise (Mesa: W * H) and is not
	 * checked here.
	 */
	row_entries = (in_w * 2 * ((in_c + 15) / 16) + 7) / 8;
	if (!plane && (entries < row_entries ||
		       entries > data_banks * soc->cbuf_entries_per_bank))
		return REFUSE(t, "CNA_CBUF_CON1", con1, "DATA_ENTRIES do not hold one input row");
	/* TRM: rows buffered before the convolution starts; fewer than the
	 * kernel's height cannot start one output row. */
	if (CNA_CONV_CON2_FEATURE_GRAINS__GET(con2) < CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT__GET(ws2))
		return REFUSE(t, "CNA_CONV_CON2", con2, "FEATURE_GRAINS below the kernel height");
	return 0;
}

static int refuse_cna(struct pl_task *t)
{
	uint32_t con1 = pl_reg(t, REG_CNA_CONV_CON1), con3 = pl_reg(t, REG_CNA_CONV_CON3);
	uint32_t s1 = pl_reg(t, REG_CNA_DATA_SIZE1), dma = pl_reg(t, REG_CNA_DMA_CON0);
	uint32_t cvt5 = pl_reg(t, REG_CNA_CVT_CON5);
	bool plane = CNA_CONV_CON1_ARGB_IN__GET(con1);
	int ret;

	if (CNA_CONV_CON3_DECONV_X_STRIDE__GET(con3) || CNA_CONV_CON3_DECONV_Y_STRIDE__GET(con3))
		return REFUSE(t, "CNA_CONV_CON3", con3, "deconvolution strides are not modelled");
	if (dma && dma != PL_DMA_CON0_MESA && dma != PL_DMA_CON0_VENDOR)
		return REFUSE(t, "CNA_DMA_CON0", dma, "DMA settings not modelled");
	if (cvt5 && !(plane && cvt5 == PL_CVT_CON5_ALL16))
		return REFUSE(t, "CNA_CVT_CON5", cvt5, "per-channel input conversion is not modelled");
	/*
	 * Fewer real channels than the cube carries is what Mesa and the
	 * vendor program; what the extra channels hold is checked on the
	 * data (core.c core_beyond_real(), dpu.c), more is refused here.
	 */
	if (!plane && CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL__GET(s1) >=
		      CNA_DATA_SIZE1_DATAIN_CHANNEL__GET(s1))
		return REFUSE(t, "CNA_DATA_SIZE1", s1, "DATAIN_CHANNEL_REAL beyond DATAIN_CHANNEL");
	/* TRM: DCOMP_ADDR0 (the weights) is a [31:4] field, 16-byte aligned. */
	if (pl_reg(t, REG_CNA_DCOMP_ADDR0) & PL_FIELD_31_4_LOW)
		return REFUSE(t, "CNA_DCOMP_ADDR0", pl_reg(t, REG_CNA_DCOMP_ADDR0),
			      "low 4 bits set in a [31:4] field");
	ret = refuse_cna_paths(t);
	if (!ret)
		ret = refuse_cna_cbuf(t);
	return ret;
}

static int refuse_core(struct pl_task *t)
{
	uint32_t misc = pl_reg(t, REG_CORE_MISC_CFG);
	uint32_t core_c = CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL__GET(pl_reg(t, REG_CORE_DATAOUT_SIZE_1));
	uint32_t dpu_c = DPU_DATA_CUBE_CHANNEL_CHANNEL__GET(pl_reg(t, REG_DPU_DATA_CUBE_CHANNEL));

	/* Mesa always sets QD_EN; the model's arithmetic is that mode's. */
	if (!CORE_MISC_CFG_QD_EN__GET(misc))
		return REFUSE(t, "CORE_MISC_CFG", misc, "QD_EN 0 is not modelled");
	if ((t->op_en & NPU_OP_EN_DPU) && core_c != dpu_c)
		return REFUSE(t, "CORE_DATAOUT_SIZE_1", core_c,
			      "DATAOUT_CHANNEL differs from the DPU cube's CHANNEL");
	return 0;
}

static int refuse_low_bits(struct pl_task *t, uint32_t reg, const char *name)
{
	if (pl_reg(t, reg) & PL_FIELD_31_4_LOW)
		return REFUSE(t, name, pl_reg(t, reg), "low 4 bits set in a [31:4] field");
	return 0;
}

static int refuse_dpu(struct pl_task *t)
{
	uint32_t stride = pl_reg(t, REG_DPU_DST_SURF_STRIDE);
	uint32_t add = pl_reg(t, REG_DPU_SURFACE_ADD);
	bool dw = CORE_MISC_CFG_DW_EN__GET(pl_reg(t, REG_CORE_MISC_CFG)) &&
		  (t->op_en & NPU_OP_EN_CORE);
	int ret;

	if (pl_reg(t, REG_DPU_DATA_CUBE_NOTCH_ADDR))
		return REFUSE(t, "DPU_DATA_CUBE_NOTCH_ADDR",
			      pl_reg(t, REG_DPU_DATA_CUBE_NOTCH_ADDR),
			      "notched (line-split) output is not modelled");
	ret = refuse_low_bits(t, REG_DPU_DST_BASE_ADDR, "DPU_DST_BASE_ADDR");
	if (!ret)
		ret = refuse_low_bits(t, REG_DPU_DST_SURF_STRIDE, "DPU_DST_SURF_STRIDE");
	if (!ret)
		ret = refuse_low_bits(t, REG_DPU_SURFACE_ADD, "DPU_SURFACE_ADD");
	if (ret)
		return ret;
	if (add != stride * PL_SURFACE_ADD_RATIO &&
	    !(dw && add == stride * PL_SURFACE_ADD_RATIO_DW))
		return REFUSE(t, "DPU_SURFACE_ADD", add,
			      "not derived from DST_SURF_STRIDE as the model assumes");
	return 0;
}

static int refuse_dpu_rdma(struct pl_task *t)
{
	int ret = refuse_low_bits(t, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE, "RDMA_EW_SURF_STRIDE");

	if (!ret)
		ret = refuse_low_bits(t, REG_DPU_RDMA_RDMA_SURF_NOTCH, "RDMA_SURF_NOTCH");
	if (!ret)
		ret = refuse_low_bits(t, REG_DPU_RDMA_RDMA_EW_SURF_NOTCH, "RDMA_EW_SURF_NOTCH");
	return ret;
}

int pl_refuse_unmodelled(struct pl_task *t)
{
	int ret = 0;

	if (t->op_en & NPU_OP_EN_CNA)
		ret = refuse_cna(t);
	if (!ret && (t->op_en & NPU_OP_EN_CORE))
		ret = refuse_core(t);
	if (!ret && (t->op_en & NPU_OP_EN_DPU))
		ret = refuse_dpu(t);
	if (!ret && (t->op_en & NPU_OP_EN_DPU_RDMA))
		ret = refuse_dpu_rdma(t);
	return ret;
}
