/* SPDX-License-Identifier: MIT */
/*
 * pipeline.h — the vnpu compute pipeline PC -> CNA -> CORE -> DPU, shared
 * between its block files (pc.c, cna.c, core.c, dpu.c; maths in arith.c).
 *
 * Contract:
 *  - vnpu_exec_pipeline is the struct vnpu_executor the vnpu core selects at
 *    init (vnpu_pipeline_install()); its run() executes the task(s) the PC
 *    was kicked for on the core's worker thread (vnpu_hw.h).
 *  - Each block decodes its registers (npu/npu_regs.h names, read from the
 *    core's register file after the PC applied the command stream) into a
 *    plain config struct, then moves data.  A block that cannot execute its
 *    programming returns a negative errno after logging why at debug level;
 *    the task then ends as silicon would: no DPU interrupt (the kernel's
 *    500 ms timeout), or a DMA error the IOMMU already latched.  Never a
 *    silent success.
 *  - Data layout facts the model relies on are in docs/vnpu-pipeline.md
 *    ("Pipeline"); UNCONFIRMED readings are marked where they are decoded.
 */
#ifndef RKVAL_VNPU_PIPELINE_H
#define RKVAL_VNPU_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vnpu/vnpu_hw.h"
#include "vnpu/pipeline/arith.h"
#include "vnpu/pipeline/vnpu_pipeline.h"

/* KERN_DEBUG, the level every misprogramming message uses (brief: debug). */
#define PL_LOG_DEBUG	7

/*
 * Feature atom: 16 bytes per pixel per surface (Mesa rkt_ml.h
 * FEATURE_ATOMIC_SIZE, Mesa rkt_ml.c feature layout).  The model uses the RK3588 value on both
 * SoC profiles: RK3568's C2 = 8 is a [FORK-3568] claim (UNCONFIRMED).
 */
#define PL_ATOM_BYTES		16
/* Weight kernel group (Mesa rkt_coefs.c rkt_fill_weights, WEIGHT_ATOMIC_SIZE 32). */
#define PL_WEIGHT_KGROUP	32
/* Input-channel group of the weight stream: 32, 64 depthwise (Mesa rkt_coefs.c rkt_fill_weights). */
#define PL_WEIGHT_ICGROUP	32
#define PL_WEIGHT_ICGROUP_DW	64
/*
 * Model limits: bigger programs are "out of range" and hang.  They bound
 * host memory, not hardware facts: 64 MiB of input or accumulators.
 */
#define PL_MAX_BYTES		(64u << 20)

/* One task's state, filled block by block. */
struct pl_task {
	struct vnpu_core *core;
	uint32_t op_en;			/* the 0x0081 broadcast mask */
	uint32_t next_task;		/* in-stream PC_BASE_ADDRESS (chain), 0 = none */
	bool cna_done;			/* input and weights are in CBUF */

	/* CNA -> CORE: dense operands */
	unsigned int out_w, out_h;	/* output cube of the CORE */
	unsigned int kw, kh, sx, sy;
	unsigned int in_c;		/* channels per pixel (DATAIN_CHANNEL) */
	unsigned int in_c_real;		/* DATAIN_CHANNEL_REAL + 1 (1-channel plane: in_c) */
	unsigned int kernels;		/* WEIGHT_KERNELS */
	bool depthwise;
	unsigned int pw, ph;		/* padded input plane */
	int8_t *x;			/* [ph][pw][in_c] incl. padding */
	int8_t *w;			/* [kernels][kh][kw][in_c] */

	/* CORE -> DPU */
	unsigned int acc_c;		/* channels in acc (DATAOUT_CHANNEL + 1) */
	int32_t *acc;			/* [out_h][out_w][acc_c] */
	int32_t *sumx;			/* CPEND operand sums, same shape, or NULL */
	bool want_sumx;
	/*
	 * What channels in_c_real..in_c-1 alone add, before CLIP_TRUNCATE
	 * (core.c core_beyond_real()); NULL when there are none.
	 */
	int32_t *acc_beyond, *sumx_beyond;
};

/* pc.c: fetch and apply one task's command stream; 0 or -errno. */
int pl_pc_load_task(struct pl_task *t);
/* pc.c: the task finished: TASK_STATUS++, DPU_0 raised. */
void pl_pc_task_done(struct pl_task *t);

/* refuse.c: -ENOTSUP (logged) for programming no block models; else 0. */
int pl_refuse_unmodelled(struct pl_task *t);
/* refuse.c: log "unsupported programming: <reg> 0x<value> (<why>)"; -ENOTSUP. */
int pl_refuse(struct pl_task *t, const char *reg, uint32_t value, const char *why);
/* cna.c: decode CNA + CORE geometry, read input and weights; 0 or -errno. */
int pl_cna_run(struct pl_task *t);
/* core.c: the MAC array and CLIP_TRUNCATE; 0 or -errno. */
int pl_core_run(struct pl_task *t);
/* dpu.c: DPU (+ DPU_RDMA) post-processing and the write DMA; 0 or -errno. */
int pl_dpu_run(struct pl_task *t);
/* dpu.c: does the DPU's programming need the CPEND sums from the CORE? */
bool pl_dpu_needs_sumx(struct vnpu_core *core);

void pl_task_release(struct pl_task *t);

/* Shorthands over vnpu_hw.h. */
static inline uint32_t pl_reg(struct pl_task *t, uint32_t off)
{
	return vnpu_reg_get(t->core, off);
}

#define pl_log(t, ...)	vnpu_core_log((t)->core, PL_LOG_DEBUG, __VA_ARGS__)

/* Is the fault (lib/vnpu/vnpu_faults.h) injected in this boot? */
bool pl_fault(struct pl_task *t, enum vnpu_fault fault);

#endif /* RKVAL_VNPU_PIPELINE_H */
