// SPDX-License-Identifier: MIT
/*
 * vnpu_regs.c — the NPU core register files: a const descriptor table
 * (name, offset, reset, read-only and write-1-to-clear masks, post-write
 * hook; STYLE.md §6, after QEMU's RegisterAccessInfo), one generic write
 * path through it, PC's update_irq, and the physical windows that
 * plat_reg_read32()/plat_reg_write32() reach.
 *
 * Registers not in the table are plain read/write storage: regcmd streams
 * program hundreds of CNA/CORE/DPU registers whose behaviour belongs to the
 * executor (lib/vnpu/pipeline/), not to the bus.
 *
 * Power: a CPU access to a core whose power domain is off is an SError on
 * silicon (an asynchronous external abort; arm64 traps.c prints "SError
 * Interrupt on CPU%d, code 0x%016lx -- %s" and panics).  vnpu does not
 * drop it silently: it logs that line, names the access, and fails it
 * with -EHOSTDOWN (platform.h), so the caller's test fails with a verdict
 * instead of reading a made-up 0.  The register contents are kept.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "vnpu/vnpu.h"

struct vnpu_reg_desc {
	const char *name;
	uint32_t offset;
	uint32_t reset;
	uint32_t ro;		/* bits a bus write cannot change */
	uint32_t w1c;		/* write-1-to-clear bits */
	bool wo;		/* write-only: reads return 0 */
	void (*post_write)(struct vnpu_core *core, uint32_t value,
			   bool from_cpu);
};

/* PC TASK_CON TASK_COUNT_CLEAR, bit 13 (rocket_registers.h). */
#define VNPU_TASK_CON_COUNT_CLEAR	(1u << 13)
/* PC INTERRUPT_MASK reset value (RK3588 TRM ch. 36 PC, rocket_job.c: 16:0, reset 0x1ffff). */
#define VNPU_PC_INT_MASK_RESET		0x1ffffu
/* Vendor clear-all sequence: 0x80000101 then 0x00000101 (vendor rknpu counters). */
#define VNPU_DDMA_CLEAR_BIT		(1u << 31)

static void pc_op_en_post_write(struct vnpu_core *core, uint32_t v, bool from_cpu)
{
	/* OP_EN=1 from the CPU starts the PC (rocket_job.c hw_submit step 10). */
	if (from_cpu && (v & 1)) {
		core->op_en_pending = true;
		pthread_cond_broadcast(&core->cond);
	}
}

static void pc_int_mask_post_write(struct vnpu_core *core, uint32_t v, bool from_cpu)
{
	(void)v;
	(void)from_cpu;
	vnpu_pc_update_irq(core);
}

static void pc_int_clear_post_write(struct vnpu_core *core, uint32_t v, bool from_cpu)
{
	(void)from_cpu;
	core->regs[VNPU_PC_INTERRUPT_RAW_STATUS / 4] &= ~v;
	vnpu_pc_update_irq(core);
}

static void pc_task_con_post_write(struct vnpu_core *core, uint32_t v, bool from_cpu)
{
	(void)from_cpu;
	if (v & VNPU_TASK_CON_COUNT_CLEAR)
		core->regs[VNPU_PC_TASK_STATUS / 4] = 0;
}

static void ddma_clear_post_write(struct vnpu_core *core, uint32_t v, bool from_cpu)
{
	(void)from_cpu;
	if (!core->vnpu->soc->has_dma_counters || !(v & VNPU_DDMA_CLEAR_BIT))
		return;
	memset(core->dma_counter, 0, sizeof(core->dma_counter));
	core->regs[VNPU_DDMA_DT_WR_AMOUNT / 4] = 0;
	core->regs[VNPU_DDMA_DT_RD_AMOUNT / 4] = 0;
	core->regs[VNPU_DDMA_WT_RD_AMOUNT / 4] = 0;
}

#define RO_ALL 0xffffffffu

static const struct vnpu_reg_desc vnpu_reg_table[] = {
	/* PC, rocket_registers.h */
	{ "PC_VERSION", VNPU_PC_VERSION, 0, RO_ALL, 0, false, NULL },
	{ "PC_VERSION_NUM", VNPU_PC_VERSION_NUM, 0, RO_ALL, 0, false, NULL },
	{ "PC_OPERATION_ENABLE", VNPU_PC_OPERATION_ENABLE, 0, ~1u, 0, false,
	  pc_op_en_post_write },
	{ "PC_BASE_ADDRESS", VNPU_PC_BASE_ADDRESS, 0, 0, 0, false, NULL },
	{ "PC_REGISTER_AMOUNTS", VNPU_PC_REGISTER_AMOUNTS, 0, ~0xffffu, 0,
	  false, NULL },
	{ "PC_INTERRUPT_MASK", VNPU_PC_INTERRUPT_MASK, VNPU_PC_INT_MASK_RESET,
	  ~VNPU_IRQ_ALL, 0, false, pc_int_mask_post_write },
	{ "PC_INTERRUPT_CLEAR", VNPU_PC_INTERRUPT_CLEAR, 0, 0, 0, true,
	  pc_int_clear_post_write },
	{ "PC_INTERRUPT_STATUS", VNPU_PC_INTERRUPT_STATUS, 0, RO_ALL, 0, false,
	  NULL },
	{ "PC_INTERRUPT_RAW_STATUS", VNPU_PC_INTERRUPT_RAW_STATUS, 0, RO_ALL, 0,
	  false, NULL },
	{ "PC_TASK_CON", VNPU_PC_TASK_CON, 0, 0, 0, false,
	  pc_task_con_post_write },
	{ "PC_TASK_DMA_BASE_ADDR", VNPU_PC_TASK_DMA_BASE_ADDR, 0, 0xfu, 0,
	  false, NULL },
	{ "PC_TASK_STATUS", VNPU_PC_TASK_STATUS, 0, RO_ALL, 0, false, NULL },
	/* S_POINTERs, rocket_job.c hw_submit steps 2-3 */
	{ "CNA_S_POINTER", VNPU_BLK_CNA + 0x4, 0, 0, 0, false, NULL },
	{ "CNA_OPERATION_ENABLE", VNPU_BLK_CNA + 0x8, 0, 0, 0, false, NULL },
	{ "CORE_S_POINTER", VNPU_BLK_CORE + 0x4, 0, 0, 0, false, NULL },
	{ "CORE_OPERATION_ENABLE", VNPU_BLK_CORE + 0x8, 0, 0, 0, false, NULL },
	{ "DPU_S_POINTER", VNPU_BLK_DPU + 0x4, 0, 0, 0, false, NULL },
	{ "DPU_OPERATION_ENABLE", VNPU_BLK_DPU + 0x8, 0, 0, 0, false, NULL },
	{ "DPU_RDMA_S_POINTER", VNPU_BLK_DPU_RDMA + 0x4, 0, 0, 0, false, NULL },
	{ "DPU_RDMA_OPERATION_ENABLE", VNPU_BLK_DPU_RDMA + 0x8, 0, 0, 0, false,
	  NULL },
	/* Vendor bandwidth counters, vendor rknpu counters (rk356x only) */
	{ "DDMA_CLEAR_ALL_RW_AMOUNT", VNPU_DDMA_CLEAR_ALL, 0, 0, 0, false,
	  ddma_clear_post_write },
	{ "DDMA_DT_WR_AMOUNT", VNPU_DDMA_DT_WR_AMOUNT, 0, RO_ALL, 0, false, NULL },
	{ "DDMA_DT_RD_AMOUNT", VNPU_DDMA_DT_RD_AMOUNT, 0, RO_ALL, 0, false, NULL },
	{ "DDMA_WT_RD_AMOUNT", VNPU_DDMA_WT_RD_AMOUNT, 0, RO_ALL, 0, false, NULL },
	/* GLOBAL OPERATION_ENABLE = vendor ENABLE_MASK (rocket_registers.h) */
	{ "GLOBAL_OPERATION_ENABLE", VNPU_BLK_GLOBAL + 0x8, 0, 0, 0, false, NULL },
};

#define VNPU_NR_REG_DESCS (sizeof(vnpu_reg_table) / sizeof(vnpu_reg_table[0]))

static const struct vnpu_reg_desc *reg_desc(uint32_t offset)
{
	for (size_t i = 0; i < VNPU_NR_REG_DESCS; i++)
		if (vnpu_reg_table[i].offset == offset)
			return &vnpu_reg_table[i];
	return NULL;
}

const char *vnpu_reg_name(uint32_t offset)
{
	const struct vnpu_reg_desc *d = reg_desc(offset);

	return d ? d->name : NULL;
}

void vnpu_regs_reset(struct vnpu_core *core)
{
	const struct hw_soc_facts *soc = core->vnpu->soc;

	memset(core->regs, 0, sizeof(core->regs));
	for (size_t i = 0; i < VNPU_NR_REG_DESCS; i++)
		core->regs[vnpu_reg_table[i].offset / 4] = vnpu_reg_table[i].reset;
	core->regs[VNPU_PC_VERSION / 4] = soc->pc_version;
	core->regs[VNPU_PC_VERSION_NUM / 4] = core->vnpu->board->pc_version_num;
	memset(core->dma_counter, 0, sizeof(core->dma_counter));
}

uint32_t vnpu_reg_get(const struct vnpu_core *core, uint32_t offset)
{
	if (offset >= VNPU_CORE_WINDOW)
		return 0;
	return __atomic_load_n(&core->regs[offset / 4], __ATOMIC_RELAXED);
}

void vnpu_reg_set(struct vnpu_core *core, uint32_t offset, uint32_t value)
{
	if (offset >= VNPU_CORE_WINDOW)
		return;
	__atomic_store_n(&core->regs[offset / 4], value, __ATOMIC_RELAXED);
}

/* PC's one update_irq(): INTERRUPT_STATUS = RAW & MASK; the line wakes the IRQ model. */
void vnpu_pc_update_irq(struct vnpu_core *core)
{
	uint32_t raw = core->regs[VNPU_PC_INTERRUPT_RAW_STATUS / 4];
	uint32_t mask = core->regs[VNPU_PC_INTERRUPT_MASK / 4];

	core->regs[VNPU_PC_INTERRUPT_STATUS / 4] = raw & mask;
	if (raw & mask) {
		core->irq_pending = true;
		pthread_cond_broadcast(&core->cond);
	}
}

static void reg_bus_write(struct vnpu_core *core, uint32_t offset,
			  uint32_t value, bool from_cpu)
{
	const struct vnpu_reg_desc *d;
	uint32_t old;

	if (offset >= VNPU_CORE_WINDOW || (offset & 3))
		return;
	d = reg_desc(offset);
	if (!d) {
		core->regs[offset / 4] = value;
		return;
	}
	old = core->regs[offset / 4];
	if (!d->wo) {
		uint32_t v = (old & d->ro) | (value & ~d->ro);

		v &= ~(value & d->w1c);
		core->regs[offset / 4] = v;
	}
	if (d->post_write)
		d->post_write(core, value, from_cpu);
}

/* Hardware-side write (regcmd, executor): hooks run, but never restart the PC. */
void vnpu_reg_write(struct vnpu_core *core, uint32_t offset, uint32_t value)
{
	struct vnpu *v = core->vnpu;

	pthread_mutex_lock(&v->lock);
	reg_bus_write(core, offset, value, false);
	pthread_mutex_unlock(&v->lock);
}

/* Kernel-side MMIO write (rocket_*_writel); lock held. */
void vnpu_mmio_write(struct vnpu_core *core, uint32_t offset, uint32_t value)
{
	reg_bus_write(core, offset, value, true);
}

void vnpu_core_raise_irq(struct vnpu_core *core, uint32_t raw_status_bits)
{
	struct vnpu *v = core->vnpu;

	pthread_mutex_lock(&v->lock);
	core->regs[VNPU_PC_INTERRUPT_RAW_STATUS / 4] |= raw_status_bits & VNPU_IRQ_ALL;
	vnpu_pc_update_irq(core);
	/* Wake the IRQ model even for unmasked bits: a shared line may fire. */
	core->irq_pending = true;
	pthread_cond_broadcast(&core->cond);
	pthread_mutex_unlock(&v->lock);
}

void vnpu_core_wedge_bus(struct vnpu_core *core)
{
	struct vnpu *v = core->vnpu;

	pthread_mutex_lock(&v->lock);
	core->bus_wedged = true;
	pthread_mutex_unlock(&v->lock);
}

/* ---- physical windows ---- */
static struct vnpu_core *phys_core(uint64_t phys, uint32_t *off, bool *mmu)
{
	struct vnpu *v = vnpu_get();
	const struct hw_soc_facts *soc = v->soc;

	for (unsigned int i = 0; i < soc->num_cores; i++) {
		if (phys >= soc->mmu_base[i] &&
		    phys < soc->mmu_base[i] + VNPU_MMU_WINDOW) {
			*off = (uint32_t)(phys - soc->mmu_base[i]);
			*mmu = true;
			return &v->cores[i];
		}
	}
	/* A second MMU instance of a core (RK3588 core 0, rk3588-base.dtsi): same state. */
	for (unsigned int i = 0; i < soc->num_cores; i++) {
		if (soc->mmu_base2[i] && phys >= soc->mmu_base2[i] &&
		    phys < soc->mmu_base2[i] + VNPU_MMU_WINDOW) {
			*off = (uint32_t)(phys - soc->mmu_base2[i]);
			*mmu = true;
			return &v->cores[i];
		}
	}
	for (unsigned int i = 0; i < soc->num_cores; i++) {
		if (phys >= soc->core_base[i] &&
		    phys < soc->core_base[i] + VNPU_CORE_WINDOW) {
			*off = (uint32_t)(phys - soc->core_base[i]);
			*mmu = false;
			return &v->cores[i];
		}
	}
	return NULL;
}

/* ESR of an asynchronous SError (EC 0x2f, IL, ISS implementation defined); illustrative. */
#define VNPU_GATED_SERROR_ESR	0xbf000000ull

static int gated_access(const struct vnpu_core *core, uint64_t phys, bool write)
{
	vnpu_printk(VNPU_LOGLEVEL_EMERG, "SError Interrupt on CPU0, code 0x%016llx -- SError",
		    VNPU_GATED_SERROR_ESR);
	vnpu_printk(VNPU_LOGLEVEL_EMERG,
		    "vnpu: CPU %s of 0x%llx while %s's power domain is off (a panic on silicon)",
		    write ? "write" : "read", (unsigned long long)phys, core->name);
	return -EHOSTDOWN;
}

int vnpu_regs_phys_read(uint64_t phys, uint32_t *value)
{
	struct vnpu_core *core;
	uint32_t off;
	bool mmu;

	if (phys & 3)
		return -EINVAL;
	core = phys_core(phys, &off, &mmu);
	if (!core)
		return -EFAULT;
	vnpu_pm_update(vnpu_now_ns());
	if (!vnpu_pm_powered(core)) {
		*value = 0;
		return gated_access(core, phys, false);
	}
	if (mmu) {
		*value = off < VNPU_MMU_NREGS * 4 ? vnpu_mmu_reg_read(core, off) : 0;
		return 0;
	}
	*value = reg_desc(off) && reg_desc(off)->wo ? 0 : core->regs[off / 4];
	return 0;
}

/* Only the vendor counter clear is writable from user space (platform.h). */
int vnpu_regs_phys_write(uint64_t phys, uint32_t value)
{
	struct vnpu *v = vnpu_get();
	struct vnpu_core *core;
	uint32_t off;
	bool mmu;

	core = phys_core(phys, &off, &mmu);
	if (!core || mmu || off != VNPU_DDMA_CLEAR_ALL || !v->soc->has_dma_counters)
		return -EFAULT;
	vnpu_pm_update(vnpu_now_ns());
	if (!vnpu_pm_powered(core))
		return gated_access(core, phys, true);
	reg_bus_write(core, off, value, true);
	return 0;
}
