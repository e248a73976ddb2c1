// SPDX-License-Identifier: MIT
/*
 * rocket_regcmd.c — the one tiny register-command stream lib/rocket needs:
 * a "DPU-only copy task" that gives the submit tests a job which really
 * runs, finishes with a DPU interrupt and leaves a visible trace.
 *
 * The DPU runs in flying mode (main data from its own read DMA instead of
 * the CORE), every post-processing stage (BS, BN, EW) bypassed and the
 * output converter at scale 1, shift 0, offset 0: one 1x1 cube of 16 int8
 * channels (one 16-byte atom, the same bytes in the RK3588 C2=16 and the
 * RK3568 C2=8 layouts, Mesa rkt_ml.c feature layout) is read from src and written
 * to dst.  Only the DPU and DPU_RDMA are enabled, so the PC raises DPU_0,
 * the completion interrupt rocket waits for (rocket_job.c completion).
 *
 * Register offsets, targets, op_en bits and field positions come from
 * lib/npu (npu_regs.def, regcmd.h: the single source of truth); only this
 * smallest program's values are chosen here, so the uAPI tests do not need
 * lib/npu's program builders.  UNCONFIRMED on hardware: the flying-mode
 * copy is assembled from the register descriptions (Mesa registers.xml DPU) and Mesa's bypass values, not from a captured vendor stream.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "npu/npu_regs.h"
#include "npu/regcmd.h"
#include "rocket/rocket.h"

/* EW_CVT / OUT_CVT scale 1: identity (Mesa rkt_regcmd.c conv2d task #83, Mesa registers.xml DPU). */
#define RKT_DPU_CVT_SCALE_ONE		1
/* BS_OW_CFG SIZE_E_0/1/2 = 1: int8 (Mesa rkt_regcmd.c conv2d task #77 writes them as 0x124). */
#define RKT_DPU_SIZE_E_INT8		1
/* FEATURE_MODE_CFG OUTPUT_MODE [2:1] = 2: to memory (Mesa registers.xml DPU). */
#define RKT_DPU_OUTPUT_MODE_MEMORY	2

/* The cube: width 1, height 1, 16 channels (registers hold n - 1). */
#define RKT_COPY_CHANNELS		16
/* Bytes per surface of int8 output: W * H * 16 (Mesa rkt_ml.c feature layout). */
#define RKT_COPY_SURF_STRIDE		(1 * 1 * 16)
/* SURFACE_ADD: out_w * out_h * 32 raw (Mesa Mesa rkt_regcmd.c conv2d task #96). */
#define RKT_COPY_SURFACE_ADD		(1 * 1 * 32)
#define RKT_BURST_MAX			15

uint64_t rocket_regcmd_entry(uint16_t target, uint16_t reg, uint32_t value)
{
	return npu_regcmd_encode(target, value, reg);
}

struct rkt_emitter {
	uint64_t *buf;
	size_t n;
};

static void emit(struct rkt_emitter *e, uint16_t target, uint16_t reg,
		 uint32_t value)
{
	e->buf[e->n++] = rocket_regcmd_entry(target, reg, value);
}

/* A register write; the target follows from the register's block. */
#define RKT_EMIT(reg, v)	emit(&e, npu_regcmd_target(reg), (reg), (v))

/*
 * The 4-entry tail of a single task (Mesa rkt_regcmd.c task tail): no next task
 * (raw 0 where a chained task would patch PC_BASE_ADDRESS), zero next
 * amount, the op_en preparation word, then op_en for DPU | DPU_RDMA.
 */
static void emit_tail(struct rkt_emitter *e, uint32_t op_en)
{
	e->buf[e->n++] = 0;
	emit(e, npu_regcmd_target(REG_PC_REGISTER_AMOUNTS), REG_PC_REGISTER_AMOUNTS, 0);
	emit(e, NPU_TARGET_PRE_OP_EN, 0, 0);
	emit(e, NPU_TARGET_OP_EN, REG_GLOBAL_OPERATION_ENABLE, op_en);
}

int rocket_regcmd_dpu_copy(uint64_t *buf, size_t max,
			   const struct rocket_dpu_copy *p)
{
	struct rkt_emitter e = { .buf = buf };
	uint32_t s_pointer, feature_mode, rdma_mode, bs_cfg, bs_ow_cfg, bn_cfg, ew_cfg;

	if (max < ROCKET_DPU_COPY_ENTRIES)
		return -ENOSPC;

	s_pointer = DPU_S_POINTER_POINTER_PP_MODE(1) |
		    DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1);
	RKT_EMIT(REG_DPU_S_POINTER, s_pointer);
	s_pointer = DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(1) |
		    DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(1) |
		    DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(1);
	RKT_EMIT(REG_DPU_RDMA_RDMA_S_POINTER, s_pointer);

	/* Main data from the DPU's own read DMA (flying mode). */
	feature_mode = DPU_FEATURE_MODE_CFG_BURST_LEN(RKT_BURST_MAX) |
		       DPU_FEATURE_MODE_CFG_OUTPUT_MODE(RKT_DPU_OUTPUT_MODE_MEMORY) |
		       DPU_FEATURE_MODE_CFG_FLYING_MODE(1);
	RKT_EMIT(REG_DPU_FEATURE_MODE_CFG, feature_mode);
	RKT_EMIT(REG_DPU_DATA_FORMAT, 0);		/* int8 in, proc, out */
	RKT_EMIT(REG_DPU_DST_BASE_ADDR, p->dst);
	RKT_EMIT(REG_DPU_DST_SURF_STRIDE, RKT_COPY_SURF_STRIDE);
	RKT_EMIT(REG_DPU_DATA_CUBE_WIDTH, 0);
	RKT_EMIT(REG_DPU_DATA_CUBE_HEIGHT, 0);
	RKT_EMIT(REG_DPU_DATA_CUBE_NOTCH_ADDR, 0);
	RKT_EMIT(REG_DPU_DATA_CUBE_CHANNEL,
		 DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(RKT_COPY_CHANNELS - 1) |
		 DPU_DATA_CUBE_CHANNEL_CHANNEL(RKT_COPY_CHANNELS - 1));
	/* BS stage bypassed whole: ALU, MUL, ReLU (Mesa rkt_regcmd.c conv2d task #77: 0x53) */
	bs_cfg = DPU_BS_CFG_BS_RELU_BYPASS(1) | DPU_BS_CFG_BS_MUL_BYPASS(1) |
		 DPU_BS_CFG_BS_ALU_BYPASS(1) | DPU_BS_CFG_BS_BYPASS(1);
	RKT_EMIT(REG_DPU_BS_CFG, bs_cfg);
	bs_ow_cfg = DPU_BS_OW_CFG_SIZE_E_2(RKT_DPU_SIZE_E_INT8) |
		    DPU_BS_OW_CFG_SIZE_E_1(RKT_DPU_SIZE_E_INT8) |
		    DPU_BS_OW_CFG_SIZE_E_0(RKT_DPU_SIZE_E_INT8) | DPU_BS_OW_CFG_OD_BYPASS(1);
	RKT_EMIT(REG_DPU_BS_OW_CFG, bs_ow_cfg);
	RKT_EMIT(REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(RKT_COPY_CHANNELS - 1));
	RKT_EMIT(REG_DPU_WDMA_SIZE_1, 0);		/* height-1, width-1 */
	/* BN likewise (Mesa rkt_regcmd.c conv2d task #81: 0x53) */
	bn_cfg = DPU_BN_CFG_BN_RELU_BYPASS(1) | DPU_BN_CFG_BN_MUL_BYPASS(1) |
		 DPU_BN_CFG_BN_ALU_BYPASS(1) | DPU_BN_CFG_BN_BYPASS(1);
	RKT_EMIT(REG_DPU_BN_CFG, bn_cfg);
	/* EW bypassed: op, LUT, op converter, ReLU (Mesa rkt_regcmd.c conv2d task #83: 0x383) */
	ew_cfg = DPU_EW_CFG_EW_RELU_BYPASS(1) | DPU_EW_CFG_EW_OP_CVT_BYPASS(1) |
		 DPU_EW_CFG_EW_LUT_BYPASS(1) | DPU_EW_CFG_EW_OP_BYPASS(1) |
		 DPU_EW_CFG_EW_BYPASS(1);
	RKT_EMIT(REG_DPU_EW_CFG, ew_cfg);
	RKT_EMIT(REG_DPU_EW_CVT_SCALE_VALUE,
		 DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(RKT_DPU_CVT_SCALE_ONE));
	RKT_EMIT(REG_DPU_OUT_CVT_OFFSET, 0);
	RKT_EMIT(REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(RKT_DPU_CVT_SCALE_ONE));
	RKT_EMIT(REG_DPU_OUT_CVT_SHIFT, 0);
	RKT_EMIT(REG_DPU_SURFACE_ADD, RKT_COPY_SURFACE_ADD);

	RKT_EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH, 0);
	RKT_EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_HEIGHT, 0);
	RKT_EMIT(REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL,
		 DPU_RDMA_RDMA_DATA_CUBE_CHANNEL_CHANNEL(RKT_COPY_CHANNELS - 1));
	RKT_EMIT(REG_DPU_RDMA_RDMA_SRC_BASE_ADDR, p->src);
	RKT_EMIT(REG_DPU_RDMA_RDMA_BRDMA_CFG, 0);	/* no BS operand */
	RKT_EMIT(REG_DPU_RDMA_RDMA_ERDMA_CFG, DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE(1));
	rdma_mode = DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN(RKT_BURST_MAX) |
		    DPU_RDMA_RDMA_FEATURE_MODE_CFG_FLYING_MODE(1);
	RKT_EMIT(REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG, rdma_mode);
	RKT_EMIT(REG_DPU_RDMA_RDMA_SRC_DMA_CFG, 0);
	/* E/N/B/M arbiter weights 1 (Mesa Mesa rkt_regcmd.c conv2d task #125). */
	RKT_EMIT(REG_DPU_RDMA_RDMA_WEIGHT,
	     DPU_RDMA_RDMA_WEIGHT_E_WEIGHT(1) | DPU_RDMA_RDMA_WEIGHT_N_WEIGHT(1) |
	     DPU_RDMA_RDMA_WEIGHT_B_WEIGHT(1) | DPU_RDMA_RDMA_WEIGHT_M_WEIGHT(1));

	emit_tail(&e, NPU_OP_EN_DPU_ONLY);

	/*
	 * An even count keeps the RK3588 pair-wise fetch exact: the kernel
	 * programs (count + 1) / 2 - 1 pairs (rocket_job.c hw_submit), so an
	 * odd count would fetch one entry past the tail.
	 */
	return (int)e.n;
}
