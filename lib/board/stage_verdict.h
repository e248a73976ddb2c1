/* SPDX-License-Identifier: MIT */
/*
 * stage_verdict — from what was measured about one NPU program run to the
 * pipeline stage that failed: the decision logic of the bring-up
 * diagnostics (tests/accel/rocket_stage_probe.c and friends), as a pure
 * function so selftests/unit/stage_verdict.c can feed it hand-made
 * snapshots.
 *
 * Contract:
 *  - struct stage_facts holds only measurements: the layouts' byte counts,
 *    whether the job finished before the snapshot deadline, how much of the
 *    output buffer changed and whether it is right, and (when registers
 *    could be read) a snapshot of PC, block, DDMA counter and MMU
 *    registers taken WHILE the job hung, before the kernel's 500 ms
 *    timeout reset the core (rocket_job.c timeout).
 *  - stage_decide() returns STAGE_OK when the program ran correctly, else
 *    one enum verdict_stage, and writes the facts of the VERDICT line
 *    ("input 4096/4096 B weights 9216/9216 B read, output 0/8192 B
 *    written, no DPU interrupt in 250 ms, PC task status 0x0").
 *  - The stages it can return, in the order it tests them (docs/bringup.md
 *    explains each): iommu-pagetable, iommu-fault, iommu-page-walker,
 *    pc-fetch, clock, cna-dma, mac-output-stall, dpu-interrupt,
 *    dpu-output, mac, accuracy, job-timeout.
 *  - Unknowns stay unknown: without registers (no /dev/mem) or without
 *    counters (RK3588) the rules that need them are not used, and a hang
 *    nothing explains is job-timeout, never a guessed stage.
 * Pure: no device, no allocation.
 */
#ifndef RKVAL_BOARD_STAGE_VERDICT_H
#define RKVAL_BOARD_STAGE_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/verdict.h"
#include "hw/rk_iommu_regs.h"
#include "npu/npu_regs.h"

/* stage_decide()'s answer when nothing failed. */
#define STAGE_OK	(-1)

enum stage_program {
	STAGE_PROG_DPU_ONLY,	/* DPU + DPU_RDMA, op_en 0x18 (Mesa registers.xml PC, RK3588 TRM ch. 36) */
	STAGE_PROG_CNA_CORE,	/* CNA + CORE, DPU bypassed, int32 out (raw mode) */
	STAGE_PROG_CONV,	/* full conv: CNA, CORE, DPU, DPU_RDMA */
	STAGE_PROG_COUNT,
};

const char *stage_program_name(enum stage_program p);

/* Blocks whose S_POINTER / OPERATION_ENABLE a snapshot reads. */
enum stage_block {
	STAGE_BLK_CNA,
	STAGE_BLK_CORE,
	STAGE_BLK_DPU,
	STAGE_BLK_DPU_RDMA,
	STAGE_BLK_COUNT,
};

const char *stage_block_name(enum stage_block b);

/* Registers read while the job hung. */
struct stage_regs {
	bool valid;			/* PC/block registers were read */
	uint32_t pc_base_address;	/* PC 0x10 */
	uint32_t pc_register_amounts;	/* PC 0x14 */
	uint32_t pc_int_status;		/* PC 0x28 */
	uint32_t pc_raw_status;		/* PC 0x2c INTERRUPT_RAW_STATUS */
	uint32_t pc_task_status;	/* PC 0x3c TASK_STATUS */
	uint32_t global_op_en;		/* 0xf008 */
	uint32_t s_pointer[STAGE_BLK_COUNT];
	uint32_t op_en[STAGE_BLK_COUNT];	/* block + 0x008 */
	uint32_t op_en_alt[STAGE_BLK_COUNT];	/* block + 0x00c, UNCONFIRMED (RK3568 RFC) */

	bool counters_valid;		/* DDMA counters read (RK356x) */
	uint32_t dt_rd, wt_rd, dt_wr;	/* raw values */

	bool mmu_valid;
	uint32_t mmu_dte_addr, mmu_status, mmu_fault_addr, mmu_int_rawstat;
};

struct stage_facts {
	enum stage_program program;
	/* Byte counts the layouts imply (Mesa rkt_ml.c, rkt_coefs.c layouts). */
	uint64_t in_bytes;		/* feature data read: DT_RD */
	uint64_t w_bytes;		/* weights the CNA reads: WT_RD (0 for DPU-only) */
	uint64_t out_bytes;		/* output written: DT_WR */
	/* Counter value per byte (1 on vnpu; UNCONFIRMED unit, RK3588 TRM ch. 36 rounding). */
	unsigned int counter_unit;

	bool completed;			/* output BO idle before the snapshot deadline */
	unsigned int waited_ms;		/* how long the run was watched */
	uint64_t out_changed;		/* output bytes no longer the canary */
	bool out_correct;		/* equals the CPU reference */
	bool out_all_zero_point;	/* every output element is the zero point */

	/*
	 * Did another program of the same run move data (1), make no
	 * progress either (0), or is it unknown (-1)?  Tells a gated compute
	 * clock (nothing anywhere moves) from one block's DMA problem.
	 */
	int other_progress;

	struct stage_regs regs;
};

/* Initialise facts with "unknown" everywhere (other_progress -1, unit 1). */
void stage_facts_init(struct stage_facts *f, enum stage_program program);

/*
 * The decision.  Returns STAGE_OK or an enum verdict_stage; facts (may be
 * NULL) receives the measured facts as one line.
 */
int stage_decide(const struct stage_facts *f, char *facts, size_t len);

/* One line describing a snapshot (for logs), e.g. "PC raw 0x0 task 0x0 ...". */
int stage_regs_format(const struct stage_regs *r, char *buf, size_t len);

/* Did any block latch op_en (GLOBAL or a block's OPERATION_ENABLE at +0x008)? */
bool stage_regs_op_en_latched(const struct stage_regs *r);

#endif /* RKVAL_BOARD_STAGE_VERDICT_H */
