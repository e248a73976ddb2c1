/* SPDX-License-Identifier: MIT */
/*
 * vnpu_regfile.h — a register file described by a table of access info,
 * in the shape of QEMU's register API (include/hw/register.h
 * RegisterAccessInfo, hw/core/register.c register_write()): per register
 * a name, an address, a reset value, read-only and write-1-to-clear
 * masks, write-only, and pre_write/post_write hooks, with one generic
 * write path.  Behaviour lives in the hooks.
 *
 * Contract: the tables are const and keyed by the offsets of the hardware
 * descriptions (lib/npu/npu_regs.def REG_*, lib/hw/rk_iommu_regs.h
 * RK_MMU_*), never by offsets of their own.  Addresses not in a table are
 * plain read/write storage.  The caller holds the model lock.
 */
#ifndef RKVAL_VNPU_REGFILE_H
#define RKVAL_VNPU_REGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vnpu_core;

struct vnpu_reg_access {
	const char *name;	/* the description's name, e.g. "PC_TASK_CON" */
	uint32_t addr;		/* offset in the window, from the description */
	uint32_t reset;
	uint32_t ro;		/* bits a bus write cannot change */
	uint32_t w1c;		/* write-1-to-clear bits */
	bool wo;		/* write-only: nothing stored, reads return 0 */
	bool soc_reset;		/* the reset value is the SoC profile's, not .reset */
	/* may change the value before it is stored (QEMU pre_write) */
	uint32_t (*pre_write)(struct vnpu_core *core, uint32_t value);
	/* the side effect of the write, after storing (QEMU post_write) */
	void (*post_write)(struct vnpu_core *core, uint32_t value, bool from_cpu);
	const char *effect;	/* the side effect in words (docs/vnpu.md) */
};

struct vnpu_regfile {
	const struct vnpu_reg_access *access;
	size_t n_access;
	size_t n_regs;		/* words of storage */
};

/* The access info of addr, or NULL for plain storage. */
const struct vnpu_reg_access *vnpu_regfile_find(const struct vnpu_regfile *rf,
						uint32_t addr);
/* Every word 0, then each described register's reset value. */
void vnpu_regfile_reset(const struct vnpu_regfile *rf, uint32_t *regs);
/* A bus write: ro bits kept, w1c bits cleared, hooks run.  Out of range or unaligned: ignored. */
void vnpu_regfile_write(const struct vnpu_regfile *rf, uint32_t *regs,
			struct vnpu_core *core, uint32_t addr, uint32_t value,
			bool from_cpu);
/* A bus read: 0 for write-only registers and addresses out of range. */
uint32_t vnpu_regfile_read(const struct vnpu_regfile *rf, const uint32_t *regs,
			   uint32_t addr);

/*
 * vnpu's two register files, the NPU core's (vnpu_regs.c) and the MMU's
 * (vnpu_iommu.c); read also by docs/vnpu.md's tables and their unit test.
 */
extern const struct vnpu_regfile vnpu_core_regfile;
extern const struct vnpu_regfile vnpu_mmu_regfile;

#endif /* RKVAL_VNPU_REGFILE_H */
