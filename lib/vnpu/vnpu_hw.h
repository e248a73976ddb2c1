/* SPDX-License-Identifier: MIT */
/*
 * vnpu_hw.h — what a compute pipeline (an "executor") needs from the vnpu
 * core.  This is the only header lib/vnpu/pipeline/ may include from the
 * core; everything else in lib/vnpu/ is private to the core.
 *
 * Contract:
 *  - One struct vnpu_core per NPU core (1 on rk3568, 3 on rk3588).  Its
 *    register file covers the core's 64 KiB window, block by block as
 *    lib/npu/npu_regs.def describes them (REG_* offsets, NPU_PC_IRQ()
 *    interrupt bits, NPU_OP_EN_* op_en bits, regcmd.h entry layout).
 *    Offsets are core-relative.
 *  - vnpu_reg_get()/vnpu_reg_set() are raw accesses (no hooks, no W1C):
 *    use them for the pipeline's own state (status registers, counters).
 *    vnpu_reg_write() is a bus write: it goes through the register
 *    descriptor table (read-only bits, W1C, post-write hooks), exactly as a
 *    regcmd entry or a CPU store would.
 *  - The executor's run() is called on the core's worker thread, without
 *    any model lock held, each time the kernel model writes PC
 *    OPERATION_ENABLE with OP_EN=1 (rocket_job.c hw_submit step 10).  It
 *    signals completion with vnpu_core_raise_irq(); returning without
 *    raising DPU_0/DPU_1 means the task never completes and the kernel
 *    model's 500 ms job timeout fires (rocket_job.c timeout).
 *  - DMA goes through the core's IOMMU: vnpu_dma_read()/vnpu_dma_write()
 *    return 0, or a negative errno after the MMU logged and latched the
 *    fault as rk_iommu would (rockchip-iommu.c log lines).  On a translation
 *    fault they return -EFAULT and have already raised DMA_READ_ERROR /
 *    DMA_WRITE_ERROR in PC INTERRUPT_RAW_STATUS; on a stalled page walk
 *    (fault "page-walker-gated-after-idle") they return -ETIMEDOUT and
 *    raise nothing (a stalled AXI master never answers).
 *  - Every successful DMA is counted per kind; on SoCs with the vendor
 *    bandwidth counters (rk3568, vendor rknpu counters) the DDMA counter
 *    registers follow.
 */
#ifndef RKVAL_VNPU_HW_H
#define RKVAL_VNPU_HW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "npu/regcmd.h"
#include "vnpu/vnpu_faults.h"

struct vnpu;
struct vnpu_core;

/* Size of one core's register window: 64 KiB (RK3568 RFC DT patch vendor DT). */
#define VNPU_CORE_WINDOW	0x10000u
#define VNPU_CORE_NREGS		(VNPU_CORE_WINDOW / 4)

/* What a DMA transfer is for; selects the bandwidth counter it feeds. */
enum vnpu_dma_kind {
	VNPU_DMA_COMMAND,	/* PC regcmd fetch (not counted by DDMA, RK3588 TRM ch. 36 rounding) */
	VNPU_DMA_DATA,		/* feature/input read -> DT_RD */
	VNPU_DMA_WEIGHT,	/* weight/bias read -> WT_RD */
	VNPU_DMA_OUTPUT,	/* output write -> DT_WR */
	VNPU_DMA_KINDS,
};

/* IOMMU page-table format (rockchip-iommu.c v1/v2). */
enum vnpu_iommu_version {
	VNPU_IOMMU_V1 = 1,	/* "rockchip,iommu": 32-bit entries */
	VNPU_IOMMU_V2 = 2,	/* "rockchip,rk3568-iommu": 40-bit entries */
};

/* A SoC profile: data, never #ifdefs (STYLE.md §6). */
struct vnpu_soc {
	const char *name;		/* "rk3568", "rk3588" */
	const char *board_compatible;	/* /proc/device-tree/compatible head */
	const char *board_model;
	unsigned int num_cores;
	uint64_t core_base[3];		/* NPU core windows (rk3588-base.dtsi, RK3568 RFC DT patch) */
	uint64_t mmu_base[3];		/* first MMU instance per core */
	uint32_t pc_version;		/* PC VERSION reset value */
	uint32_t pc_version_num;	/* PC VERSION_NUM reset value */
	unsigned int pc_data_amount_scale; /* vendor rknpu pc_data_amount_scale, vendor rknpu rknpu_config: 1 rk356x, 2 rk3588 */
	bool has_counters;		/* DDMA rw-amount counters, vendor rknpu counters */
	unsigned int dma_bits;		/* vendor DMA mask width, vendor rknpu rknpu_config */
	enum vnpu_iommu_version iommu_version;
	const char *iommu_compatible;
	const char *npu_compatible;
	const char *regulator_name;
	unsigned int regulator_uv;
	uint64_t npu_clk_rate;		/* SCMI NPU clock rate */
};

/* ---- core accessors ---- */
const struct vnpu_soc *vnpu_core_soc(const struct vnpu_core *core);
unsigned int vnpu_core_index(const struct vnpu_core *core);
struct vnpu *vnpu_core_model(struct vnpu_core *core);

/* Raw register access (no side effects); offset is core-relative, 4-aligned. */
uint32_t vnpu_reg_get(const struct vnpu_core *core, uint32_t offset);
void vnpu_reg_set(struct vnpu_core *core, uint32_t offset, uint32_t value);
/* Bus write through the descriptor table (ro bits, W1C, hooks). */
void vnpu_reg_write(struct vnpu_core *core, uint32_t offset, uint32_t value);

/* DMA through the core's IOMMU; see the contract above. */
int vnpu_dma_read(struct vnpu_core *core, uint32_t iova, void *dst,
		  size_t len, enum vnpu_dma_kind kind);
int vnpu_dma_write(struct vnpu_core *core, uint32_t iova, const void *src,
		   size_t len, enum vnpu_dma_kind kind);

/* Latch bits in PC INTERRUPT_RAW_STATUS and re-evaluate the IRQ line. */
void vnpu_core_raise_irq(struct vnpu_core *core, uint32_t raw_status_bits);
/*
 * The executor stops with an AXI transaction outstanding (a hypothesis
 * of the fault that calls it): the bus master stays wedged until the core
 * reset, so an IOMMU detach before the reset times out (mainline).
 */
void vnpu_core_wedge_bus(struct vnpu_core *core);

/*
 * Has the kernel model's 500 ms timeout of the job being executed passed?
 * Call it from the executor (the core's worker thread) between units of
 * work: once true, the core reset that follows would stop silicon, so the
 * executor stops too, raising nothing (rocket_job.c, rocket_reset()).
 */
bool vnpu_core_job_expired(const struct vnpu_core *core);

/*
 * NPU time of one kick of the PC and of one task: the model's choice,
 * measured on vnpu only (UNCONFIRMED on silicon, where a small task takes
 * microseconds).  Large enough that a job which never ends -- a chain of
 * tasks that keeps the core busy, kick after kick -- still reaches the
 * 500 ms timeout in a bounded number of tasks (5000), small enough that
 * no program of the suite comes near it (the largest job has ~160 tasks).
 */
#define VNPU_MODEL_TASK_NS	100000ull
/*
 * MAC throughput the model charges the NPU time of a convolution with:
 * 256 int8 MACs per ns, about a quarter of an RK3588 core's advertised
 * 2 TOPS (measured on vnpu only, UNCONFIRMED).  Only a task far beyond
 * what a test submits reaches the timeout this way.
 */
#define VNPU_MODEL_MACS_PER_NS	256ull
/*
 * The host's own limit on one executor run, whatever its NPU time: a
 * fuzzed task of enormous size must not hang the host.  The task is
 * then treated as hung (the job times out) and the log says why.
 */
#define VNPU_HOST_EXEC_LIMIT_MS	20000ull

/*
 * The executor spent ns of NPU time (a task, a row of MACs).  The job's
 * timeout counts NPU time: the host time an executor run takes is taken
 * out and what it reports here is put in, so that the 500 ms are the
 * NPU's whatever the speed of the host (an emulator, a sanitizer build,
 * a loaded CI machine).
 */
void vnpu_core_model_busy(struct vnpu_core *core, uint64_t ns);

/*
 * Has the running executor run exceeded the host's own limit
 * (VNPU_HOST_EXEC_LIMIT_MS)?  The executor then stops as for a hang and
 * logs why: no program a test builds comes near it.
 */
bool vnpu_core_exec_overrun(const struct vnpu_core *core);

/* Is the named self-test mutation (vnpu.h, RKVAL_VNPU_MUTATE) on? */
bool vnpu_mutated(const struct vnpu *vnpu, const char *name);

/* Append one kernel-log record as a driver on this core would (dev_*). */
void vnpu_core_log(struct vnpu_core *core, int prio, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * PC command fetch helpers for executors.  vnpu_pc_fetch() reads the task
 * the kernel programmed (BASE_ADDRESS, REGISTER_AMOUNTS scaled by the SoC's
 * pc_data_amount_scale) into buf; returns the entry count or a negative
 * errno (fault already latched).  vnpu_regcmd_apply() performs one entry's
 * bus write(s) and returns the op_en mask when the entry is the 0x0081
 * broadcast, else 0.
 */
long vnpu_pc_fetch(struct vnpu_core *core, uint64_t *buf, size_t max);
uint32_t vnpu_regcmd_apply(struct vnpu_core *core, uint64_t entry);
/* Entries the PC fetches for a REGISTER_AMOUNTS value on this SoC. */
size_t vnpu_pc_fetch_count(const struct vnpu_core *core, uint32_t amounts);

/* ---- the executor hook ---- */
struct vnpu_executor {
	const char *name;
	void (*run)(struct vnpu_core *core);
};

/* Select the executor for every later task; NULL restores the basic one. */
void vnpu_set_executor(const struct vnpu_executor *exec);
const struct vnpu_executor *vnpu_get_executor(void);
/* The built-in executor: register writes only, no arithmetic. */
extern const struct vnpu_executor vnpu_exec_basic;

#endif /* RKVAL_VNPU_HW_H */
