// SPDX-License-Identifier: MIT
/*
 * npu_ew.c — the DPU-only element-wise add program (see npu_ew.h).
 */
#include <errno.h>

#include "npu/npu_ew.h"
#include "npu/regcmd.h"

/* DPU channel counts as for conv outputs (Mesa rkt_task.c fill_task) */
#define EW_CHANNEL_ALIGN	32
#define EW_MAX_DIM		8192	/* 13-bit DPU cube fields */
#define BURST_LEN_16		15	/* Mesa rkt_regcmd.c conv2d task #60 */
#define S_POINTER_PP		0xe	/* Mesa rkt_regcmd.c conv2d task #5 */
#define ALU_ALGO_ADD		2	/* Mesa registers.xml DPU EW_ALU_ALGO */
#define EW_DATA_PER_PIXEL	1	/* Mesa registers.xml DPU_RDMA ERDMA_DATA_MODE */
#define EDATA_SIZE_8BIT		1	/* Mesa registers.xml DPU EDATA_SIZE */
#define OUTPUT_TO_MEMORY	2	/* Mesa registers.xml DPU OUTPUT_MODE bit1 */
#define RDMA_COMB_USE_ADD	5	/* Mesa rkt_regcmd.c conv2d task #121 (fused add) */
#define SIZE_E_INT8		1	/* Mesa rkt_regcmd.c conv2d task #73 */
#define RDMA_ARB_WEIGHT		1	/* Mesa rkt_regcmd.c conv2d task #125 */

static unsigned int ew_channels(const struct npu_ew_params *p)
{
	unsigned int c = p->c < EW_CHANNEL_ALIGN ? EW_CHANNEL_ALIGN : p->c;

	return (c + EW_CHANNEL_ALIGN - 1) / EW_CHANNEL_ALIGN * EW_CHANNEL_ALIGN;
}

void npu_ew_layout(const struct npu_soc *soc, const struct npu_ew_params *p,
		   struct npu_feature_layout *l)
{
	npu_feature_layout_init(l, soc, p->w, p->h, ew_channels(p), 1);
}

static void emit_ew_dpu(struct npu_regcmd *rc, const struct npu_ew_params *p,
			const struct npu_feature_layout *l, unsigned int c_hw)
{
	uint32_t bypass = DPU_BS_CFG_BS_RELU_BYPASS(1) | DPU_BS_CFG_BS_MUL_BYPASS(1) |
			  DPU_BS_CFG_BS_ALU_BYPASS(1) | DPU_BS_CFG_BS_BYPASS(1);
	uint32_t feature_mode_cfg = DPU_FEATURE_MODE_CFG_BURST_LEN(BURST_LEN_16) |
				    DPU_FEATURE_MODE_CFG_OUTPUT_MODE(OUTPUT_TO_MEMORY) |
				    DPU_FEATURE_MODE_CFG_FLYING_MODE(1);
	uint32_t ew_cfg = DPU_EW_CFG_EW_DATA_MODE(EW_DATA_PER_PIXEL) |
			  DPU_EW_CFG_EDATA_SIZE(EDATA_SIZE_8BIT) |
			  DPU_EW_CFG_EW_ALU_ALGO(ALU_ALGO_ADD) |
			  DPU_EW_CFG_EW_RELU_BYPASS(1) | DPU_EW_CFG_EW_OP_CVT_BYPASS(1) |
			  DPU_EW_CFG_EW_LUT_BYPASS(1) | DPU_EW_CFG_EW_OP_SRC(1);
	uint32_t bs_ow_cfg = DPU_BS_OW_CFG_SIZE_E_2(SIZE_E_INT8) |
			     DPU_BS_OW_CFG_SIZE_E_1(SIZE_E_INT8) |
			     DPU_BS_OW_CFG_SIZE_E_0(SIZE_E_INT8) | DPU_BS_OW_CFG_OD_BYPASS(1);

	EMIT(REG_DPU_FEATURE_MODE_CFG, feature_mode_cfg);
	EMIT(REG_DPU_DATA_FORMAT, 0);
	EMIT(REG_DPU_OFFSET_PEND, 0);
	EMIT(REG_DPU_DST_BASE_ADDR, 0);
	EMIT(REG_DPU_DST_SURF_STRIDE, DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(l->surf_bytes >> 4));
	EMIT(REG_DPU_DATA_CUBE_WIDTH, DPU_DATA_CUBE_WIDTH_WIDTH(p->w - 1));
	EMIT(REG_DPU_DATA_CUBE_HEIGHT, DPU_DATA_CUBE_HEIGHT_HEIGHT(p->h - 1));
	EMIT(REG_DPU_DATA_CUBE_NOTCH_ADDR, 0);
	EMIT(REG_DPU_DATA_CUBE_CHANNEL, DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(p->c - 1) |
					DPU_DATA_CUBE_CHANNEL_CHANNEL(c_hw - 1));
	EMIT(REG_DPU_BS_CFG, bypass);
	EMIT(REG_DPU_BS_OW_CFG, bs_ow_cfg);
	EMIT(REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(c_hw - 1));
	EMIT(REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_HEIGHT_WDMA(p->h - 1) |
				  DPU_WDMA_SIZE_1_WIDTH_WDMA(p->w - 1));
	EMIT(REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) | DPU_BN_CFG_BN_MUL_BYPASS(1) |
			     DPU_BN_CFG_BN_ALU_BYPASS(1) | DPU_BN_CFG_BN_BYPASS(1));
	EMIT(REG_DPU_EW_CFG, ew_cfg);
	EMIT(REG_DPU_EW_CVT_OFFSET_VALUE, 0);
	EMIT(REG_DPU_EW_CVT_SCALE_VALUE, DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(1));
	EMIT(REG_DPU_OUT_CVT_OFFSET, 0);
	EMIT(REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1));
	EMIT(REG_DPU_OUT_CVT_SHIFT, 0);
	EMIT(REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(p->w * p->h * 2));
}

static void emit_ew_rdma(struct npu_regcmd *rc, const struct npu_ew_params *p,
			 const struct npu_feature_layout *l, unsigned int c_hw)
{
	EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH, DPU_RDMA_RDMA_DATA_CUBE_WIDTH_WIDTH(p->w - 1));
	EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_HEIGHT, DPU_RDMA_RDMA_DATA_CUBE_HEIGHT_HEIGHT(p->h - 1));
	EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL,
	     DPU_RDMA_RDMA_DATA_CUBE_CHANNEL_CHANNEL(c_hw - 1));
	EMIT(REG_DPU_RDMA_RDMA_SRC_BASE_ADDR, 0);
	EMIT(REG_DPU_RDMA_RDMA_BRDMA_CFG, 0);
	EMIT(REG_DPU_RDMA_RDMA_ERDMA_CFG,
	     DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_MODE(EW_DATA_PER_PIXEL) |
	     DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_SIZE(EDATA_SIZE_8BIT));
	EMIT(REG_DPU_RDMA_RDMA_EW_BASE_ADDR, 0);
	EMIT(REG_DPU_RDMA_RDMA_EW_SURF_STRIDE,
	     DPU_RDMA_RDMA_EW_SURF_STRIDE_EW_SURF_STRIDE(l->surf_bytes >> 4));
	EMIT(REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
	     DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN(BURST_LEN_16) |
	     DPU_RDMA_RDMA_FEATURE_MODE_CFG_COMB_USE(RDMA_COMB_USE_ADD) |
	     DPU_RDMA_RDMA_FEATURE_MODE_CFG_FLYING_MODE(1));
	EMIT(REG_DPU_RDMA_RDMA_WEIGHT, DPU_RDMA_RDMA_WEIGHT_E_WEIGHT(RDMA_ARB_WEIGHT) |
				       DPU_RDMA_RDMA_WEIGHT_N_WEIGHT(RDMA_ARB_WEIGHT) |
				       DPU_RDMA_RDMA_WEIGHT_B_WEIGHT(RDMA_ARB_WEIGHT) |
				       DPU_RDMA_RDMA_WEIGHT_M_WEIGHT(RDMA_ARB_WEIGHT));
}

/* Index of the entry writing @reg in @rc, for relocations. */
static uint32_t entry_of(const struct npu_regcmd *rc, uint16_t reg)
{
	for (size_t i = 0; i < rc->count; i++)
		if (npu_regcmd_decode(rc->words[i]).reg == reg)
			return (uint32_t)i;
	return UINT32_MAX;
}

int npu_ew_add_build(const struct npu_soc *soc, const struct npu_ew_params *p,
		     struct npu_program *prog)
{
	struct npu_feature_layout l;
	struct npu_regcmd task, *rc = &task;
	unsigned int c_hw = ew_channels(p);
	uint32_t first;
	int ret;

	if (!p->w || !p->h || !p->c || p->w > EW_MAX_DIM || p->h > EW_MAX_DIM ||
	    p->c > EW_MAX_DIM)
		return -EINVAL;
	npu_ew_layout(soc, p, &l);
	prog->soc = soc;
	prog->one_job = true;
	prog->op_en = NPU_OP_EN_DPU_ONLY;
	prog->slot_size[NPU_SLOT_INPUT] = l.size;
	prog->slot_size[NPU_SLOT_EW] = l.size;
	prog->slot_size[NPU_SLOT_OUTPUT] = l.size;

	npu_regcmd_init(rc);
	EMIT(REG_DPU_S_POINTER, S_POINTER_PP);
	EMIT(REG_DPU_RDMA_RDMA_S_POINTER, S_POINTER_PP);
	emit_ew_dpu(rc, p, &l, c_hw);
	emit_ew_rdma(rc, p, &l, c_hw);
	npu_regcmd_emit_tail(rc, false, prog->op_en);
	ret = rc->error;
	if (!ret)
		ret = npu_program_add_task(prog, rc->words, rc->count);
	if (!ret) {
		first = prog->tasks[prog->n_tasks - 1].first;
		ret = npu_program_add_reloc(prog, first + entry_of(rc, REG_DPU_DST_BASE_ADDR),
					    NPU_SLOT_OUTPUT, 0);
		if (!ret)
			ret = npu_program_add_reloc(prog,
				first + entry_of(rc, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR),
				NPU_SLOT_INPUT, 0);
		if (!ret)
			ret = npu_program_add_reloc(prog,
				first + entry_of(rc, REG_DPU_RDMA_RDMA_EW_BASE_ADDR),
				NPU_SLOT_EW, 0);
	}
	npu_regcmd_fini(rc);
	return ret;
}
