/* SPDX-License-Identifier: MIT */
/*
 * npu_mmio — the NPU's physical register map per SoC, for the bring-up
 * diagnostics that read registers on a board (/dev/mem through the seam)
 * or from vnpu's register files.
 *
 * Contract:
 *  - Reads only, through plat_reg_read32(): npu_mmio_read() takes an
 *    offset inside one core's 64 KiB window (PC 0x0000, CNA 0x1000, CORE
 *    0x3000, DPU 0x4000, DPU_RDMA 0x5000, DDMA 0x8000, GLOBAL 0xf000;
 *    rocket_registers.h), npu_mmio_mmu_read() one inside the core's
 *    rk_iommu instance (RK_MMU_* of hw/rk_iommu_regs.h).  Block registers that also appear in regcmd
 *    streams are named in lib/npu/npu_regs.def (REG_PC_TASK_STATUS ...);
 *    this header names only the MMIO-only ones.
 *  - The ONE write is npu_mmio_clear_dma_counters(): the vendor's clear
 *    sequence of the DDMA bandwidth counters (vendor rknpu counters).  Nothing else here
 *    writes a register.
 *  - Every call returns 0 or a negative errno.  -EOPNOTSUPP: the SoC has
 *    no such register (RK3588 has no counters, vendor rknpu rknpu_config).  -EPERM, -EACCES,
 *    -ENOENT: /dev/mem is not usable (not root, CONFIG_STRICT_DEVMEM,
 *    no /dev/mem); npu_mmio_unavailable() says so and
 *    npu_mmio_skip_reason() gives the sentence a skip should print.
 *  - Touching a register of a powered-off block is an SError on silicon
 *    (an asynchronous abort: arm64 traps.c panics): callers read while a
 *    job holds the core awake, or after keeping it on (power/control =
 *    "on").  vnpu fails such an access with -EHOSTDOWN and logs the
 *    SError; every read and write here then FAILS the subtest
 *    (npu_mmio_powered()), as the panic would end it on a board.
 */
#ifndef RKVAL_NPU_MMIO_H
#define RKVAL_NPU_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/rk_iommu_regs.h"
#include "hw/soc.h"
#include "npu/npu_regs.h"

/*
 * ret of a plat_reg_read32()/plat_reg_write32() of phys, passed through;
 * -EHOSTDOWN (the core was powered off, vnpu) fails the subtest instead.
 */
int npu_mmio_powered(int ret, uint64_t phys, bool write);

/* One core's window: 64 KiB (vendor DT reg size, RK3568 RFC DT patch). */
#define NPU_MMIO_CORE_WINDOW	0x10000u

/* ---- MMIO-only NPU registers (offsets in a core window) ---- */

/*
 * UNCONFIRMED: the RK3568 RFC author reports the sub-unit OP_ENABLE
 * registers at block+0x00c, not +0x008 (RK3568 RFC); snapshots
 * read both.
 */
#define NPU_MMIO_BLOCK_OP_EN_ALT		0x00cu
/*
 * The DDMA counters and GLOBAL_OPERATION_ENABLE are npu_regs.def's
 * (REG_DDMA_*, NPU_GLOBAL_MMIO(REG_GLOBAL_OPERATION_ENABLE)); these are
 * the two values RKNPU_ACT_CLR_TOTAL_RW_AMOUNT writes to the clear
 * register, 0x80000101 then 0x00000101 (vendor rknpu counters).
 */
#define NPU_MMIO_DDMA_CLEAR_START	0x80000101u
#define NPU_MMIO_DDMA_CLEAR_END		0x00000101u

/*
 * Core and MMU bases, core count and counters come from the SoC's row
 * (lib/hw/soc.h); -EINVAL for HW_SOC_UNKNOWN.
 */
int npu_mmio_read(enum hw_soc soc, unsigned int core, uint32_t offset,
		  uint32_t *value);
int npu_mmio_mmu_read(enum hw_soc soc, unsigned int core, uint32_t offset,
		      uint32_t *value);

struct npu_dma_counters {
	uint32_t dt_rd;		/* data (feature) read, DT_RD_AMOUNT */
	uint32_t wt_rd;		/* weight read, WT_RD_AMOUNT */
	uint32_t dt_wr;		/* data (output) write, DT_WR_AMOUNT */
};

/* The clear sequence at +0x8010 (the one register write of this module). */
int npu_mmio_clear_dma_counters(enum hw_soc soc, unsigned int core);
/* Raw register values (unit UNCONFIRMED, vendor rknpu counters). */
int npu_mmio_read_dma_counters(enum hw_soc soc, unsigned int core,
			       struct npu_dma_counters *c);

/* The error means "/dev/mem not usable here" (a skip, not a failure). */
bool npu_mmio_unavailable(int err);
/* A one-line reason for a skip or a fact line; static storage. */
const char *npu_mmio_skip_reason(int err);

#endif /* RKVAL_NPU_MMIO_H */
