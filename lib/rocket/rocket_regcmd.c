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
 * RK3568 C2=8 layouts, mesa-rocket.md §4.1) is read from src and written
 * to dst.  Only the DPU and DPU_RDMA are enabled, so the PC raises DPU_0,
 * the completion interrupt rocket waits for (kernel-rocket.md §2.5).
 *
 * This is deliberately not lib/npu: it is the smallest named program a
 * uAPI test needs, encoded locally so the uAPI tests do not depend on the
 * full programming model.  UNCONFIRMED on hardware: the flying-mode copy
 * is assembled from the register descriptions (mesa-rocket.md §2.3–§2.4)
 * and Mesa's bypass values, not from a captured vendor stream.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "rocket/rocket.h"

/* Targets, bits [63:48] of an entry (mesa-rocket.md §1.1). */
#define RKT_TARGET_PC		0x0101
#define RKT_TARGET_DPU		0x1001
#define RKT_TARGET_DPU_RDMA	0x2001
/* "before op_en, 64'h0041_xxxx_xxxx_xxxx must be set" (TRM, §1.1). */
#define RKT_TARGET_OP_EN_PREP	0x0041
/* op_en broadcast to PC_OPERATION_ENABLE (§1.1, §1.2). */
#define RKT_TARGET_OP_EN	0x0081

/* PC registers (kernel-rocket.md §2.8). */
#define RKT_PC_OPERATION_ENABLE		0x0008
#define RKT_PC_REGISTER_AMOUNTS		0x0014

/* GLOBAL_OPERATION_ENABLE bits (mesa-rocket.md §1.3): DPU 3, DPU_RDMA 4. */
#define RKT_OP_EN_DPU			(1u << 3)
#define RKT_OP_EN_DPU_RDMA		(1u << 4)

/* DPU registers (mesa-rocket.md §2.3). */
#define RKT_DPU_S_POINTER		0x4004
#define RKT_DPU_FEATURE_MODE_CFG	0x400c
#define RKT_DPU_DATA_FORMAT		0x4010
#define RKT_DPU_DST_BASE_ADDR		0x4020
#define RKT_DPU_DST_SURF_STRIDE		0x4024
#define RKT_DPU_DATA_CUBE_WIDTH		0x4030
#define RKT_DPU_DATA_CUBE_HEIGHT	0x4034
#define RKT_DPU_DATA_CUBE_NOTCH_ADDR	0x4038
#define RKT_DPU_DATA_CUBE_CHANNEL	0x403c
#define RKT_DPU_BS_CFG			0x4040
#define RKT_DPU_BS_OW_CFG		0x4050
#define RKT_DPU_WDMA_SIZE_0		0x4058
#define RKT_DPU_WDMA_SIZE_1		0x405c
#define RKT_DPU_BN_CFG			0x4060
#define RKT_DPU_EW_CFG			0x4070
#define RKT_DPU_EW_CVT_SCALE_VALUE	0x4078
#define RKT_DPU_OUT_CVT_OFFSET		0x4080
#define RKT_DPU_OUT_CVT_SCALE		0x4084
#define RKT_DPU_OUT_CVT_SHIFT		0x4088
#define RKT_DPU_SURFACE_ADD		0x40c0

/* DPU_RDMA registers (mesa-rocket.md §2.4; S_POINTER from §3 #6). */
#define RKT_DPU_RDMA_S_POINTER		0x5004
#define RKT_DPU_RDMA_CUBE_WIDTH		0x500c
#define RKT_DPU_RDMA_CUBE_HEIGHT	0x5010
#define RKT_DPU_RDMA_CUBE_CHANNEL	0x5014
#define RKT_DPU_RDMA_SRC_BASE_ADDR	0x5018
#define RKT_DPU_RDMA_BRDMA_CFG		0x501c
#define RKT_DPU_RDMA_ERDMA_CFG		0x5034
#define RKT_DPU_RDMA_FEATURE_MODE_CFG	0x5044
#define RKT_DPU_RDMA_SRC_DMA_CFG	0x5048
#define RKT_DPU_RDMA_WEIGHT		0x5068

/* S_POINTER = POINTER_PP_MODE | EXECUTER_PP_EN | POINTER_PP_EN (§3 #5). */
#define RKT_S_POINTER_PP		0xe

/* FEATURE_MODE_CFG fields (§2.3). */
#define RKT_DPU_FLYING_MODE		(1u << 0)	/* data from MRDMA */
#define RKT_DPU_OUTPUT_MODE_MEMORY	(2u << 1)	/* bit1 of [2:1]: to memory */
#define RKT_DPU_BURST_LEN(n)		((uint32_t)(n) << 5)
/* BS/BN fully bypassed (Mesa: 0x53), EW bypassed (Mesa: 0x383), §3 #77/#81. */
#define RKT_DPU_BS_BN_BYPASS		0x53
#define RKT_DPU_EW_BYPASS		0x383
/* BS_OW_CFG: SIZE_E_0/1/2 = 1 (int8, Mesa 0x124) | OD_BYPASS (bit 1). */
#define RKT_DPU_BS_OW_INT8_BYPASS	(0x124 | (1u << 1))
/* EW_CVT / OUT_CVT scale 1: identity (§3 #83, §2.3). */
#define RKT_DPU_CVT_SCALE_ONE		1
/* DPU_RDMA FEATURE_MODE_CFG: BURST_LEN [14:11] = 15, FLYING_MODE bit 0. */
#define RKT_DPU_RDMA_BURST_LEN(n)	((uint32_t)(n) << 11)
#define RKT_DPU_RDMA_FLYING_MODE	(1u << 0)
/* ERDMA_DISABLE (§2.4, Mesa §3 #118). */
#define RKT_DPU_RDMA_ERDMA_DISABLE	1
/* E/N/B/M arbiter weights 1 (Mesa §3 #125). */
#define RKT_DPU_RDMA_WEIGHT_ALL_ONE	0x01010101

/* The cube: width 1, height 1, 16 channels (registers hold n - 1). */
#define RKT_COPY_CHANNELS		16
/* Bytes per surface of int8 output: W * H * 16 (mesa-rocket.md §4.1). */
#define RKT_COPY_SURF_STRIDE		(1 * 1 * 16)
/* SURFACE_ADD: out_w * out_h * 32 raw (Mesa §3 #96). */
#define RKT_COPY_SURFACE_ADD		(1 * 1 * 32)
#define RKT_BURST_MAX			15

uint64_t rocket_regcmd_entry(uint16_t target, uint16_t reg, uint32_t value)
{
	return (uint64_t)target << 48 | (uint64_t)value << 16 | reg;
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

#define EMIT_DPU(reg, v)	emit(&e, RKT_TARGET_DPU, (reg), (v))
#define EMIT_RDMA(reg, v)	emit(&e, RKT_TARGET_DPU_RDMA, (reg), (v))

/*
 * The 4-entry tail of a single task (mesa-rocket.md §1.2): no next task
 * (raw 0 where a chained task would patch PC_BASE_ADDRESS), zero next
 * amount, the op_en preparation word, then op_en for DPU | DPU_RDMA.
 */
static void emit_tail(struct rkt_emitter *e, uint32_t op_en)
{
	e->buf[e->n++] = 0;
	emit(e, RKT_TARGET_PC, RKT_PC_REGISTER_AMOUNTS, 0);
	emit(e, RKT_TARGET_OP_EN_PREP, 0, 0);
	emit(e, RKT_TARGET_OP_EN, RKT_PC_OPERATION_ENABLE, op_en);
}

int rocket_regcmd_dpu_copy(uint64_t *buf, size_t max,
			   const struct rocket_dpu_copy *p)
{
	struct rkt_emitter e = { .buf = buf };
	uint32_t feature_mode, rdma_mode;

	if (max < ROCKET_DPU_COPY_ENTRIES)
		return -ENOSPC;

	EMIT_DPU(RKT_DPU_S_POINTER, RKT_S_POINTER_PP);
	EMIT_RDMA(RKT_DPU_RDMA_S_POINTER, RKT_S_POINTER_PP);

	feature_mode = RKT_DPU_BURST_LEN(RKT_BURST_MAX) |
		       RKT_DPU_OUTPUT_MODE_MEMORY | RKT_DPU_FLYING_MODE;
	EMIT_DPU(RKT_DPU_FEATURE_MODE_CFG, feature_mode);
	EMIT_DPU(RKT_DPU_DATA_FORMAT, 0);		/* int8 in, proc, out */
	EMIT_DPU(RKT_DPU_DST_BASE_ADDR, p->dst);
	EMIT_DPU(RKT_DPU_DST_SURF_STRIDE, RKT_COPY_SURF_STRIDE);
	EMIT_DPU(RKT_DPU_DATA_CUBE_WIDTH, 0);
	EMIT_DPU(RKT_DPU_DATA_CUBE_HEIGHT, 0);
	EMIT_DPU(RKT_DPU_DATA_CUBE_NOTCH_ADDR, 0);
	EMIT_DPU(RKT_DPU_DATA_CUBE_CHANNEL,
		 (RKT_COPY_CHANNELS - 1) << 16 | (RKT_COPY_CHANNELS - 1));
	EMIT_DPU(RKT_DPU_BS_CFG, RKT_DPU_BS_BN_BYPASS);
	EMIT_DPU(RKT_DPU_BS_OW_CFG, RKT_DPU_BS_OW_INT8_BYPASS);
	EMIT_DPU(RKT_DPU_WDMA_SIZE_0, RKT_COPY_CHANNELS - 1);
	EMIT_DPU(RKT_DPU_WDMA_SIZE_1, 0);		/* height-1, width-1 */
	EMIT_DPU(RKT_DPU_BN_CFG, RKT_DPU_BS_BN_BYPASS);
	EMIT_DPU(RKT_DPU_EW_CFG, RKT_DPU_EW_BYPASS);
	EMIT_DPU(RKT_DPU_EW_CVT_SCALE_VALUE, RKT_DPU_CVT_SCALE_ONE);
	EMIT_DPU(RKT_DPU_OUT_CVT_OFFSET, 0);
	EMIT_DPU(RKT_DPU_OUT_CVT_SCALE, RKT_DPU_CVT_SCALE_ONE);
	EMIT_DPU(RKT_DPU_OUT_CVT_SHIFT, 0);
	EMIT_DPU(RKT_DPU_SURFACE_ADD, RKT_COPY_SURFACE_ADD);

	EMIT_RDMA(RKT_DPU_RDMA_CUBE_WIDTH, 0);
	EMIT_RDMA(RKT_DPU_RDMA_CUBE_HEIGHT, 0);
	EMIT_RDMA(RKT_DPU_RDMA_CUBE_CHANNEL, RKT_COPY_CHANNELS - 1);
	EMIT_RDMA(RKT_DPU_RDMA_SRC_BASE_ADDR, p->src);
	EMIT_RDMA(RKT_DPU_RDMA_BRDMA_CFG, 0);		/* no BS operand */
	EMIT_RDMA(RKT_DPU_RDMA_ERDMA_CFG, RKT_DPU_RDMA_ERDMA_DISABLE);
	rdma_mode = RKT_DPU_RDMA_BURST_LEN(RKT_BURST_MAX) |
		    RKT_DPU_RDMA_FLYING_MODE;
	EMIT_RDMA(RKT_DPU_RDMA_FEATURE_MODE_CFG, rdma_mode);
	EMIT_RDMA(RKT_DPU_RDMA_SRC_DMA_CFG, 0);
	EMIT_RDMA(RKT_DPU_RDMA_WEIGHT, RKT_DPU_RDMA_WEIGHT_ALL_ONE);

	emit_tail(&e, RKT_OP_EN_DPU | RKT_OP_EN_DPU_RDMA);

	/*
	 * An even count keeps the RK3588 pair-wise fetch exact: the kernel
	 * programs (count + 1) / 2 - 1 pairs (kernel-rocket.md §2.4), so an
	 * odd count would fetch one entry past the tail.
	 */
	return (int)e.n;
}
