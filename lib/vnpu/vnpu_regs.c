// SPDX-License-Identifier: MIT
/*
 * vnpu_regs.c — the NPU core register files: a const access-info table
 * keyed by lib/npu/npu_regs.def's offsets (name, address, reset,
 * read-only and write-1-to-clear masks, hooks; QEMU's
 * RegisterAccessInfo, see vnpu_regfile.h), PC's update_irq, and the
 * physical windows that plat_reg_read32()/plat_reg_write32() reach.
 * docs/vnpu.md's register table is printed from this table
 * (selftests/vnpu-regs-doc.sh).
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
#include "vnpu/vnpu_regfile.h"

static void pc_op_en_post_write(struct vnpu_core *core, uint32_t v, bool from_cpu)
{
	/* OP_EN=1 from the CPU starts the PC (rocket_job.c hw_submit step 10). */
	if (from_cpu && PC_OPERATION_ENABLE_OP_EN__GET(v)) {
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
	core->regs[REG_PC_INTERRUPT_RAW_STATUS / 4] &= ~v;
	vnpu_pc_update_irq(core);
}

static void pc_task_con_post_write(struct vnpu_core *core, uint32_t v, bool from_cpu)
{
	(void)from_cpu;
	if (PC_TASK_CON_TASK_COUNT_CLEAR__GET(v))
		core->regs[REG_PC_TASK_STATUS / 4] = 0;
}

static void ddma_clear_post_write(struct vnpu_core *core, uint32_t v, bool from_cpu)
{
	(void)from_cpu;
	if (!core->vnpu->soc->has_dma_counters || !DDMA_CLEAR_ALL_RW_AMOUNT_CLEAR__GET(v))
		return;
	memset(core->dma_counter, 0, sizeof(core->dma_counter));
	core->regs[REG_DDMA_DT_WR_AMOUNT / 4] = 0;
	core->regs[REG_DDMA_DT_RD_AMOUNT / 4] = 0;
	core->regs[REG_DDMA_WT_RD_AMOUNT / 4] = 0;
}

#define RO_ALL 0xffffffffu
/* A register of npu_regs.def: its name and offset, nothing spelled here. */
#define NPU_REG_AT(blk, reg, off)	.name = #blk "_" #reg, .addr = (off)
#define NPU_REG_OF(blk, reg)		NPU_REG_AT(blk, reg, REG_##blk##_##reg)

/*
 * Registers with behaviour (the rest are plain storage the executor gives
 * meaning to).  Reset values: 0 unless the line says; PC_VERSION and
 * PC_VERSION_NUM are the SoC's (vnpu_regs_reset()).
 */
static const struct vnpu_reg_access npu_core_access[] = {
	{ NPU_REG_OF(PC, VERSION), .ro = RO_ALL, .soc_reset = true },
	{ NPU_REG_OF(PC, VERSION_NUM), .ro = RO_ALL, .soc_reset = true },
	{ NPU_REG_OF(PC, OPERATION_ENABLE), .ro = ~PC_OPERATION_ENABLE_OP_EN__MASK,
	  .post_write = pc_op_en_post_write,
	  .effect = "OP_EN=1 from the CPU runs the executor (rocket_job.c hw_submit)" },
	{ NPU_REG_OF(PC, BASE_ADDRESS),
	  .effect = "fetch address: PC_SOURCE_ADDR [31:4]" },
	{ NPU_REG_OF(PC, REGISTER_AMOUNTS), .ro = ~PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT__MASK,
	  .effect = "fetch count: (v+1)×2 entries (fault pc-half-fetch: ×scale)" },
	{ NPU_REG_OF(PC, INTERRUPT_MASK), .reset = NPU_PC_IRQ_ALL, .ro = ~NPU_PC_IRQ_ALL,
	  .post_write = pc_int_mask_post_write, .effect = "update_irq" },
	{ NPU_REG_OF(PC, INTERRUPT_CLEAR), .wo = true,
	  .post_write = pc_int_clear_post_write,
	  .effect = "clears the RAW_STATUS bits written as 1, update_irq" },
	{ NPU_REG_OF(PC, INTERRUPT_STATUS), .ro = RO_ALL, .effect = "= RAW_STATUS & MASK" },
	{ NPU_REG_OF(PC, INTERRUPT_RAW_STATUS), .ro = RO_ALL,
	  .effect = "set by the model: DPU_0/1 on completion, DMA_READ/WRITE_ERROR on faults" },
	{ NPU_REG_OF(PC, TASK_CON), .post_write = pc_task_con_post_write,
	  .effect = "TASK_COUNT_CLEAR zeroes TASK_STATUS" },
	{ NPU_REG_OF(PC, TASK_DMA_BASE_ADDR), .ro = ~PC_TASK_DMA_BASE_ADDR_DMA_BASE_ADDR__MASK },
	{ NPU_REG_OF(PC, TASK_STATUS), .ro = RO_ALL,
	  .effect = "+1 per task an executor finishes (**guess**)" },
	/* S_POINTERs (rocket_job.c hw_submit steps 2-3), op_en targets (vnpu_pc.c) */
	{ NPU_REG_OF(CNA, S_POINTER) },
	{ NPU_REG_OF(CNA, OPERATION_ENABLE), .effect = "set by the 0x0081 op_en broadcast" },
	{ NPU_REG_OF(CORE, S_POINTER) },
	{ NPU_REG_OF(CORE, OPERATION_ENABLE), .effect = "set by the 0x0081 op_en broadcast" },
	{ NPU_REG_OF(DPU, S_POINTER) },
	{ NPU_REG_OF(DPU, OPERATION_ENABLE), .effect = "set by the 0x0081 op_en broadcast" },
	{ NPU_REG_OF(DPU_RDMA, RDMA_S_POINTER) },
	{ NPU_REG_OF(DPU_RDMA, RDMA_OPERATION_ENABLE),
	  .effect = "set by the 0x0081 op_en broadcast" },
	/* Vendor bandwidth counters, vendor rknpu counters (rk356x only) */
	{ NPU_REG_OF(DDMA, CLEAR_ALL_RW_AMOUNT), .post_write = ddma_clear_post_write,
	  .effect = "a write with CLEAR (bit 31) zeroes the three counters (rk3568)" },
	{ NPU_REG_OF(DDMA, DT_WR_AMOUNT), .ro = RO_ALL,
	  .effect = "bytes of output DMA (rk3568; unit **guess**)" },
	{ NPU_REG_OF(DDMA, DT_RD_AMOUNT), .ro = RO_ALL,
	  .effect = "bytes of feature-data DMA (rk3568; unit **guess**)" },
	{ NPU_REG_OF(DDMA, WT_RD_AMOUNT), .ro = RO_ALL,
	  .effect = "bytes of weight DMA (rk3568; unit **guess**)" },
	/* GLOBAL OPERATION_ENABLE = vendor ENABLE_MASK, in GLOBAL's window */
	{ NPU_REG_AT(GLOBAL, OPERATION_ENABLE, NPU_GLOBAL_MMIO(REG_GLOBAL_OPERATION_ENABLE)),
	  .effect = "the last op_en mask broadcast" },
};

const struct vnpu_regfile vnpu_core_regfile = {
	.access = npu_core_access,
	.n_access = sizeof(npu_core_access) / sizeof(npu_core_access[0]),
	.n_regs = VNPU_CORE_NREGS,
};

const char *vnpu_reg_name(uint32_t offset)
{
	const struct vnpu_reg_access *a = vnpu_regfile_find(&vnpu_core_regfile, offset);

	return a ? a->name : NULL;
}

void vnpu_regs_reset(struct vnpu_core *core)
{
	const struct hw_soc_facts *soc = core->vnpu->soc;

	vnpu_regfile_reset(&vnpu_core_regfile, core->regs);
	core->regs[REG_PC_VERSION / 4] = soc->pc_version;
	core->regs[REG_PC_VERSION_NUM / 4] = core->vnpu->board->pc_version_num;
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
	uint32_t raw = core->regs[REG_PC_INTERRUPT_RAW_STATUS / 4];
	uint32_t mask = core->regs[REG_PC_INTERRUPT_MASK / 4];

	core->regs[REG_PC_INTERRUPT_STATUS / 4] = raw & mask;
	if (raw & mask) {
		core->irq_pending = true;
		pthread_cond_broadcast(&core->cond);
	}
}

static void reg_bus_write(struct vnpu_core *core, uint32_t offset,
			  uint32_t value, bool from_cpu)
{
	vnpu_regfile_write(&vnpu_core_regfile, core->regs, core, offset, value, from_cpu);
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
	core->regs[REG_PC_INTERRUPT_RAW_STATUS / 4] |= raw_status_bits & NPU_PC_IRQ_ALL;
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
		    phys < soc->mmu_base[i] + soc->mmu_size) {
			*off = (uint32_t)(phys - soc->mmu_base[i]);
			*mmu = true;
			return &v->cores[i];
		}
	}
	/* A second MMU instance of a core (RK3588 core 0, rk3588-base.dtsi): same state. */
	for (unsigned int i = 0; i < soc->num_cores; i++) {
		if (soc->mmu_base2[i] && phys >= soc->mmu_base2[i] &&
		    phys < soc->mmu_base2[i] + soc->mmu_size) {
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
		*value = off < RK_MMU_NREGS * 4 ? vnpu_mmu_reg_read(core, off) : 0;
		return 0;
	}
	*value = vnpu_regfile_read(&vnpu_core_regfile, core->regs, off);
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
	if (!core || mmu || off != REG_DDMA_CLEAR_ALL_RW_AMOUNT || !v->soc->has_dma_counters)
		return -EFAULT;
	vnpu_pm_update(vnpu_now_ns());
	if (!vnpu_pm_powered(core))
		return gated_access(core, phys, true);
	reg_bus_write(core, off, value, true);
	return 0;
}
