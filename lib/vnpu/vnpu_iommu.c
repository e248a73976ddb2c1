// SPDX-License-Identifier: MIT
/*
 * vnpu_iommu.c — the rk_iommu model: a physical memory map, per-file
 * domains with rk_iommu's two-level page tables (1024 DTE x 1024 PTE,
 * 4 KiB pages, v1/v2 entry encodings; rockchip-iommu.c registers), the
 * MMU register file, the enable/disable handshake, the page walk, fault
 * reporting with the kernel's log lines (rockchip-iommu.c log lines), and NPU DMA through it.
 *
 * Page tables live in model "physical memory": every page has a physical
 * address, so DTE_ADDR and the entries mean what they mean on silicon and
 * a table placed above 4 GiB is really unreachable for a 32-bit walker.
 *
 * Model choices (documented in docs/vnpu.md):
 *  - The walker uses DTE_ADDR[31:12] only, on v1 and v2 ("the upper limit
 *    for DTE is 32 bits", Rockchip, rockchip-iommu.c v1/v2).
 *  - A fault stays latched in STATUS/INT_RAWSTAT/PAGE_FAULT_ADDR until the
 *    next enable or core reset, so diagnostics can read it after the
 *    kernel model logged it (on silicon the IRQ handler's PAGE_FAULT_DONE
 *    and INT_CLEAR clear it at once; UNCONFIRMED timing).
 *  - With paging disabled the MMU passes addresses through (IOVA = PA).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnpu/vnpu.h"
#include "vnpu/vnpu_regfile.h"

/* Board RAM (8 GiB ROCK 3B / ROCK 5B): low bank and the bank above 4 GiB. */
#define VNPU_RAM_LOW_START	0x00200000ull
#define VNPU_RAM_LOW_END	0xf0000000ull
#define VNPU_RAM_HIGH_START	0x100000000ull
#define VNPU_RAM_HIGH_END	0x200000000ull

/* UNCONFIRMED: the PTE flags rk_iommu's log_iova prints (rockchip-iommu.c log lines). */
#define RK_PTE_FLAGS_MASK	(RK_IOMMU_PTE_READABLE | RK_IOMMU_PTE_WRITABLE)

/*
 * Fault page-walker-gated-after-idle: walks for IOVAs beyond the first
 * VNPU_WALKER_GATED_DTES directory entries (4 MiB each) stall.
 * UNCONFIRMED: a hypothesis parameter, not a measured value.
 */
#define VNPU_WALKER_GATED_DTES	1

/* ---- physical memory ---- */
static int phys_find_gap(uint64_t start, uint64_t end, uint64_t size,
			 uint64_t *out)
{
	struct vnpu *v = vnpu_get();
	uint64_t cur = start;

	for (unsigned int i = 0; i < v->nr_phys; i++) {
		const struct vnpu_phys_region *r = &v->phys[i];

		if (r->phys + r->size <= cur)
			continue;
		if (r->phys >= end)
			break;
		if (r->phys >= cur + size)
			break;
		cur = r->phys + r->size;
	}
	if (cur + size > end)
		return -ENOMEM;
	*out = cur;
	return 0;
}

int vnpu_phys_alloc(uint64_t size, bool page_table, void *host, uint64_t *phys)
{
	struct vnpu *v = vnpu_get();
	bool high = page_table && vnpu_fault(v, VNPU_FAULT_PAGETABLE_ABOVE_4G);
	unsigned int i;
	int ret;

	if (v->nr_phys == VNPU_MAX_PHYS_REGIONS)
		return -ENOMEM;
	ret = high ? phys_find_gap(VNPU_RAM_HIGH_START, VNPU_RAM_HIGH_END, size, phys) :
		     phys_find_gap(VNPU_RAM_LOW_START, VNPU_RAM_LOW_END, size, phys);
	if (ret)
		return ret;
	for (i = 0; i < v->nr_phys && v->phys[i].phys < *phys; i++)
		;
	memmove(&v->phys[i + 1], &v->phys[i], (v->nr_phys - i) * sizeof(v->phys[0]));
	v->phys[i] = (struct vnpu_phys_region){ *phys, size, host, page_table };
	v->nr_phys++;
	return 0;
}

void vnpu_phys_free(uint64_t phys)
{
	struct vnpu *v = vnpu_get();

	for (unsigned int i = 0; i < v->nr_phys; i++) {
		if (v->phys[i].phys != phys)
			continue;
		memmove(&v->phys[i], &v->phys[i + 1],
			(v->nr_phys - i - 1) * sizeof(v->phys[0]));
		v->nr_phys--;
		return;
	}
}

/* Host pointer for len bytes at phys, or NULL when not backed by RAM. */
static void *phys_to_host(uint64_t phys, size_t len)
{
	struct vnpu *v = vnpu_get();

	for (unsigned int i = 0; i < v->nr_phys; i++) {
		const struct vnpu_phys_region *r = &v->phys[i];

		if (phys >= r->phys && phys + len <= r->phys + r->size)
			return (char *)r->host + (phys - r->phys);
	}
	return NULL;
}

/* ---- entry encodings ---- */
static uint32_t mk_entry(uint64_t addr, uint32_t flags)
{
	/* v1 keeps addr[31:12] only: a table above 4 GiB is silently truncated. */
	return rk_iommu_entry_encode(addr, flags,
				     vnpu_get()->soc->iommu_version == VNPU_IOMMU_V2);
}

static uint64_t entry_addr(uint32_t e)
{
	return rk_iommu_entry_decode(e, vnpu_get()->soc->iommu_version == VNPU_IOMMU_V2);
}

/* ---- domains ---- */
static uint32_t *pt_page_alloc(uint64_t *phys)
{
	uint32_t *p = aligned_alloc(RK_IOMMU_PAGE_SIZE, RK_IOMMU_PAGE_SIZE);

	if (!p)
		return NULL;
	memset(p, 0, RK_IOMMU_PAGE_SIZE);
	if (vnpu_phys_alloc(RK_IOMMU_PAGE_SIZE, true, p, phys)) {
		free(p);
		return NULL;
	}
	return p;
}

struct vnpu_domain *vnpu_domain_alloc(void)
{
	struct vnpu *v = vnpu_get();
	struct vnpu_domain *dom = calloc(1, sizeof(*dom));

	if (!dom)
		return NULL;
	dom->dt = pt_page_alloc(&dom->dt_phys);
	if (!dom->dt) {
		vnpu_dev_printk(VNPU_LOGLEVEL_ERR, "rk_iommu", v->cores[0].mmu_name,
				"DMA map error for DT");
		free(dom);
		return NULL;
	}
	dom->refs = 1;
	dom->id = ++v->next_domain_id;
	v->live_domains++;
	return dom;
}

/* The group's default domain (vnpu.h struct vnpu_mmu): never mapped by rocket. */
struct vnpu_domain *vnpu_default_domain_alloc(void)
{
	struct vnpu_domain *dom = calloc(1, sizeof(*dom));

	if (!dom)
		return NULL;
	dom->dt = pt_page_alloc(&dom->dt_phys);
	if (!dom->dt) {
		free(dom);
		return NULL;
	}
	dom->refs = 1;
	return dom;
}

void vnpu_domain_put(struct vnpu_domain *dom)
{
	struct vnpu *v = vnpu_get();

	if (!dom || --dom->refs)
		return;
	for (unsigned int i = 0; i < RK_IOMMU_NR_DTE; i++) {
		if (!dom->pt[i])
			continue;
		vnpu_phys_free(dom->pt_phys[i]);
		free(dom->pt[i]);
	}
	vnpu_phys_free(dom->dt_phys);
	free(dom->dt);
	/*
	 * A core may still point at the domain: the rfc/next profiles keep
	 * it attached after the last job (RFC 5/9).  Forget it in both
	 * places, or the next resume (vnpu_iommu_resume() -> mmu_enable())
	 * reads the freed domain's directory address.  The MMU registers
	 * keep the stale DTE_ADDR, as silicon would.
	 */
	for (unsigned int i = 0; i < v->soc->num_cores; i++) {
		if (v->cores[i].attached_domain == dom)
			v->cores[i].attached_domain = NULL;
		if (v->cores[i].mmu.attached == dom)
			v->cores[i].mmu.attached = NULL;
	}
	v->live_domains--;
	free(dom);
}

int vnpu_domain_map(struct vnpu_domain *dom, uint64_t iova, uint64_t phys,
		    uint64_t size)
{
	struct vnpu *v = vnpu_get();

	for (uint64_t off = 0; off < size; off += RK_IOMMU_PAGE_SIZE) {
		uint64_t a = iova + off;
		unsigned int di = (a >> RK_IOMMU_DTE_SHIFT) & RK_IOMMU_INDEX_MASK;
		unsigned int pi = (a >> RK_IOMMU_PTE_SHIFT) & RK_IOMMU_INDEX_MASK;

		if (!dom->pt[di]) {
			dom->pt[di] = pt_page_alloc(&dom->pt_phys[di]);
			if (!dom->pt[di]) {
				vnpu_dev_printk(VNPU_LOGLEVEL_ERR, "rk_iommu",
						v->cores[0].mmu_name,
						"DMA mapping error while allocating page table");
				vnpu_domain_unmap(dom, iova, off);
				return -ENOMEM;
			}
			dom->dt[di] = mk_entry(dom->pt_phys[di], RK_IOMMU_ENTRY_VALID);
			dom->pt_pages++;
		}
		if (dom->pt[di][pi] & RK_IOMMU_ENTRY_VALID) {
			vnpu_dev_printk(VNPU_LOGLEVEL_ERR, "rk_iommu",
					v->cores[0].mmu_name,
					"iova: 0x%016" PRIx64 " already mapped to 0x%016" PRIx64
					" cannot remap to phys: 0x%016" PRIx64 " prot: %#x",
					a, entry_addr(dom->pt[di][pi]), phys + off, 3);
			vnpu_domain_unmap(dom, iova, off);
			return -EADDRINUSE;
		}
		dom->pt[di][pi] = mk_entry(phys + off, RK_IOMMU_PTE_READABLE |
					   RK_IOMMU_PTE_WRITABLE | RK_IOMMU_ENTRY_VALID);
		dom->mapped_pages++;
	}
	return 0;
}

void vnpu_domain_unmap(struct vnpu_domain *dom, uint64_t iova, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += RK_IOMMU_PAGE_SIZE) {
		uint64_t a = iova + off;
		unsigned int di = (a >> RK_IOMMU_DTE_SHIFT) & RK_IOMMU_INDEX_MASK;
		unsigned int pi = (a >> RK_IOMMU_PTE_SHIFT) & RK_IOMMU_INDEX_MASK;

		if (dom->pt[di] && (dom->pt[di][pi] & RK_IOMMU_ENTRY_VALID)) {
			dom->pt[di][pi] = 0;
			dom->mapped_pages--;
		}
	}
}

/* ---- MMU registers and handshake (rockchip-iommu.c registers, rockchip-iommu.c handshake) ---- */
#define MMU_REG(core, off) ((core)->mmu.regs[(off) / 4])

static void mmu_update_irq(struct vnpu_core *core)
{
	MMU_REG(core, RK_MMU_INT_STATUS) =
		MMU_REG(core, RK_MMU_INT_RAWSTAT) & MMU_REG(core, RK_MMU_INT_MASK);
}

static void mmu_int_clear_post_write(struct vnpu_core *core, uint32_t v, bool from_cpu)
{
	(void)from_cpu;
	MMU_REG(core, RK_MMU_INT_RAWSTAT) &= ~v;
	mmu_update_irq(core);
}

static void mmu_command_post_write(struct vnpu_core *core, uint32_t v, bool from_cpu)
{
	(void)from_cpu;
	if (v == RK_MMU_CMD_PAGE_FAULT_DONE)
		MMU_REG(core, RK_MMU_STATUS) &=
			~(RK_MMU_STATUS_PAGE_FAULT_ACTIVE | RK_MMU_STATUS_PAGE_FAULT_IS_WRITE);
}

#define MMU_RO_ALL	0xffffffffu
#define RK_MMU_REG_OF(reg)	.name = #reg, .addr = RK_MMU_##reg

/*
 * The MMU's registers (hw/rk_iommu_regs.h) as the model runs them; the
 * handshake (mmu_enable(), mmu_disable()) sets STATUS, DTE_ADDR and
 * INT_MASK itself, as the hardware would in answer to the commands.
 */
static const struct vnpu_reg_access mmu_access[] = {
	{ RK_MMU_REG_OF(DTE_ADDR),
	  .effect = "written `directory \\| valid` on enable, 0 on disable; walker uses [31:12]" },
	{ RK_MMU_REG_OF(STATUS), .ro = MMU_RO_ALL,
	  .reset = RK_MMU_STATUS_IDLE | RK_MMU_STATUS_REPLAY_BUFFER_EMPTY |
		   RK_MMU_STATUS_STALL_NOT_ACTIVE,
	  .effect = "reset IDLE \\| REPLAY_BUFFER_EMPTY \\| STALL_NOT_ACTIVE; PAGING_ENABLED "
		    "while enabled; PAGE_FAULT_ACTIVE (+IS_WRITE) latched on a fault; IDLE "
		    "cleared by a wedged master / stalled walk" },
	{ RK_MMU_REG_OF(COMMAND), .wo = true, .post_write = mmu_command_post_write,
	  .effect = "PAGE_FAULT_DONE clears the fault bits" },
	{ RK_MMU_REG_OF(PAGE_FAULT_ADDR), .effect = "IOVA of the last fault" },
	{ RK_MMU_REG_OF(INT_RAWSTAT), .ro = MMU_RO_ALL,
	  .effect = "PAGE_FAULT 0x1, BUS_ERROR 0x2" },
	{ RK_MMU_REG_OF(INT_CLEAR), .wo = true, .post_write = mmu_int_clear_post_write,
	  .effect = "clears RAWSTAT bits" },
	{ RK_MMU_REG_OF(INT_MASK), .effect = "0x3 on enable, 0 on disable" },
	{ RK_MMU_REG_OF(INT_STATUS), .ro = MMU_RO_ALL, .effect = "RAWSTAT & MASK" },
	{ RK_MMU_REG_OF(AUTO_GATING), .reset = RK_MMU_AUTO_GATING_RK356X_RESET },
};

const struct vnpu_regfile vnpu_mmu_regfile = {
	.access = mmu_access,
	.n_access = sizeof(mmu_access) / sizeof(mmu_access[0]),
	.n_regs = RK_MMU_NREGS,
};

void vnpu_iommu_reset_regs(struct vnpu_core *core)
{
	vnpu_regfile_reset(&vnpu_mmu_regfile, core->mmu.regs);
}

/* Kernel-style "%#08x": the kernel prints the 0x prefix even for zero. */
static const char *khex(char *buf, uint32_t v, int width)
{
	snprintf(buf, 16, "0x%0*x", width > 2 ? width - 2 : 1, v);
	return buf;
}

static void mmu_log(struct vnpu_core *core, const char *what)
{
	char h[16];

	vnpu_dev_printk(VNPU_LOGLEVEL_ERR, "rk_iommu", core->mmu_name,
			"%s request timed out, status: %s", what,
			khex(h, MMU_REG(core, RK_MMU_STATUS), 8));
}

/* rk_iommu_enable(): force reset, DTE_ADDR, ZAP, INT_MASK, paging on. */
static void mmu_enable(struct vnpu_core *core, struct vnpu_domain *dom)
{
	struct vnpu *v = core->vnpu;

	if (vnpu_fault(v, VNPU_FAULT_FIRST_ATTACH_TIMEOUTS) &&
	    core->mmu.idle_since_suspend) {
		/* RFC v3/v4 residual: one burst on the first attach of an idle MMU (RK3568 RFC). */
		mmu_log(core, "Enable stall");
		mmu_log(core, "Enable paging");
		mmu_log(core, "Disable stall");
	}
	core->mmu.idle_since_suspend = false;
	MMU_REG(core, RK_MMU_DTE_ADDR) = mk_entry(dom->dt_phys, RK_IOMMU_ENTRY_VALID);
	MMU_REG(core, RK_MMU_INT_RAWSTAT) = 0;
	MMU_REG(core, RK_MMU_PAGE_FAULT_ADDR) = 0;
	MMU_REG(core, RK_MMU_INT_MASK) = RK_MMU_INT_MASK_ENABLED;
	MMU_REG(core, RK_MMU_STATUS) = RK_MMU_STATUS_PAGING_ENABLED |
		RK_MMU_STATUS_IDLE | RK_MMU_STATUS_REPLAY_BUFFER_EMPTY |
		RK_MMU_STATUS_STALL_NOT_ACTIVE;
	mmu_update_irq(core);
}

/* rk_iommu_disable(): stall, paging off, INT_MASK = 0, DTE_ADDR = 0. */
static int mmu_disable(struct vnpu_core *core, bool master_wedged)
{
	if (master_wedged) {
		/* A wedged AXI master never lets the MMU reach the stall state. */
		MMU_REG(core, RK_MMU_STATUS) &= ~RK_MMU_STATUS_IDLE;
		mmu_log(core, "Enable stall");
		return -ETIMEDOUT;
	}
	MMU_REG(core, RK_MMU_INT_MASK) = 0;
	MMU_REG(core, RK_MMU_DTE_ADDR) = 0;
	MMU_REG(core, RK_MMU_STATUS) &= ~RK_MMU_STATUS_PAGING_ENABLED;
	mmu_update_irq(core);
	return 0;
}

int vnpu_iommu_attach(struct vnpu_core *core, struct vnpu_domain *dom)
{
	core->mmu.attached = dom;
	core->mmu.attach_count++;
	if (vnpu_pm_powered(core))
		mmu_enable(core, dom);
	return 0;
}

/*
 * iommu_detach_group(): the group goes back to its default domain
 * (vnpu.h), so the MMU is disabled and enabled again with the default
 * directory; a wedged master makes the disable time out first.
 */
int vnpu_iommu_detach(struct vnpu_core *core, bool master_wedged)
{
	struct vnpu_domain *def = core->mmu.default_domain;
	int ret = 0;

	if (!core->mmu.attached || core->mmu.attached == def)
		return 0;
	core->mmu.detach_count++;
	if (vnpu_pm_powered(core))
		ret = mmu_disable(core, master_wedged);
	core->mmu.attached = ret ? NULL : def;
	if (!ret && def && vnpu_pm_powered(core))
		mmu_enable(core, def);
	return ret;
}

/* Runtime PM of the MMU follows the core through the device link (rocket_core.c runtime PM). */
void vnpu_iommu_suspend(struct vnpu_core *core)
{
	if (core->mmu.attached)
		mmu_disable(core, false);
	core->mmu.idle_since_suspend = true;
}

void vnpu_iommu_resume(struct vnpu_core *core)
{
	/* Only a resume after an idle period counts (not the probe's first). */
	if (vnpu_fault(core->vnpu, VNPU_FAULT_PAGE_WALKER_GATED) &&
	    core->pm.suspend_count > 0)
		core->mmu.walker_gated = true;
	if (core->mmu.attached)
		mmu_enable(core, core->mmu.attached);
}

uint32_t vnpu_mmu_reg_read(struct vnpu_core *core, uint32_t off)
{
	return vnpu_regfile_read(&vnpu_mmu_regfile, core->mmu.regs, off);
}

void vnpu_mmu_reg_write(struct vnpu_core *core, uint32_t off, uint32_t v)
{
	vnpu_regfile_write(&vnpu_mmu_regfile, core->mmu.regs, core, off, v, true);
}

/* ---- faults ---- */
/* WARN_ON() in rocket_job_irq_handler (rocket_job.c completion); line numbers UNCONFIRMED. */
#define ROCKET_IRQ_WARN_READ	"drivers/accel/rocket/rocket_job.c:417 rocket_job_irq_handler+0xd4/0xe8 [rocket]"
#define ROCKET_IRQ_WARN_WRITE	"drivers/accel/rocket/rocket_job.c:418 rocket_job_irq_handler+0xc8/0xe8 [rocket]"

/*
 * The NPU sees an error response: latch DMA_*_ERROR and run the handlers
 * of the shared IRQ line (the MMU shares the core's SPI, rk3588-base.dtsi/RK3568 RFC DT patch), so
 * rocket_job_irq_handler's WARN_ON fires as it does on a board.
 */
static void npu_dma_error(struct vnpu_core *core, bool write)
{
	static const char *const trace[] = {
		"__handle_irq_event_percpu+0x60/0x1e0",
		"handle_irq_event+0x4c/0xa8",
		"handle_fasteoi_irq+0xa4/0x1c8",
	};

	core->regs[REG_PC_INTERRUPT_RAW_STATUS / 4] |=
		write ? NPU_PC_IRQ(DMA_WRITE_ERROR) : NPU_PC_IRQ(DMA_READ_ERROR);
	vnpu_pc_update_irq(core);
	if (core->vnpu->bound)
		vnpu_warn_splat(write ? ROCKET_IRQ_WARN_WRITE : ROCKET_IRQ_WARN_READ,
				NULL, trace, sizeof(trace) / sizeof(trace[0]));
}

static void log_page_fault(struct vnpu_core *core, uint32_t iova, bool write)
{
	struct vnpu_domain *dom = core->mmu.attached;
	uint64_t mmu_dte = entry_addr(MMU_REG(core, RK_MMU_DTE_ADDR)) & RK_IOMMU_ADDR_LO_MASK;
	unsigned int di = iova >> RK_IOMMU_DTE_SHIFT, pi = (iova >> RK_IOMMU_PTE_SHIFT) & RK_IOMMU_INDEX_MASK;
	uint32_t *dt = phys_to_host(mmu_dte, RK_IOMMU_PAGE_SIZE);
	uint32_t dte = dt ? dt[di] : 0, pte = 0, *pt;
	uint64_t pte_addr = 0, page_addr = 0;
	char h1[16], h2[16], h3[16], h4[16], h5[16], h6[16];
	const char *dev = core->mmu_name;

	if (!dom) {
		vnpu_dev_printk(VNPU_LOGLEVEL_ERR, "rk_iommu", dev,
				"Page fault while iommu not attached to domain?");
		return;
	}
	vnpu_dev_printk(VNPU_LOGLEVEL_ERR, "rk_iommu", dev,
			"Page fault at 0x%016x of type %s", iova,
			write ? "write" : "read");
	vnpu_dev_printk(VNPU_LOGLEVEL_ERR, "rk_iommu", dev,
			"iova = 0x%016x: dte_index: %s pte_index: %s page_offset: %s",
			iova, khex(h1, di, 3), khex(h2, pi, 3),
			khex(h3, iova & RK_IOMMU_PAGE_OFFSET_MASK, 3));
	if (dte & RK_IOMMU_ENTRY_VALID) {
		pte_addr = entry_addr(dte) + pi * 4;
		pt = phys_to_host(entry_addr(dte), RK_IOMMU_PAGE_SIZE);
		pte = pt ? pt[pi] : 0;
		page_addr = entry_addr(pte) + (iova & RK_IOMMU_PAGE_OFFSET_MASK);
	}
	vnpu_dev_printk(VNPU_LOGLEVEL_ERR, "rk_iommu", dev,
			"mmu_dte_addr: 0x%016" PRIx64 " dte@0x%016" PRIx64 ": %s valid: %u pte@0x%016" PRIx64 ": %s valid: %u page@0x%016" PRIx64 " flags: %s",
			mmu_dte, mmu_dte + di * 4, khex(h4, dte, 8),
			dte & RK_IOMMU_ENTRY_VALID, pte_addr, khex(h5, pte, 8),
			pte & RK_IOMMU_ENTRY_VALID, page_addr,
			khex(h6, pte & RK_PTE_FLAGS_MASK, 3));
}

static void mmu_page_fault(struct vnpu_core *core, uint32_t iova, bool write)
{
	core->mmu.fault_count++;
	MMU_REG(core, RK_MMU_STATUS) |= RK_MMU_STATUS_PAGE_FAULT_ACTIVE |
		(write ? RK_MMU_STATUS_PAGE_FAULT_IS_WRITE : 0);
	MMU_REG(core, RK_MMU_PAGE_FAULT_ADDR) = iova;
	MMU_REG(core, RK_MMU_INT_RAWSTAT) |= RK_MMU_INT_PAGE_FAULT;
	mmu_update_irq(core);
	log_page_fault(core, iova, write);
	npu_dma_error(core, write);
}

static void mmu_bus_error(struct vnpu_core *core, uint32_t iova, bool write)
{
	core->mmu.fault_count++;
	MMU_REG(core, RK_MMU_INT_RAWSTAT) |= RK_MMU_INT_BUS_ERROR;
	mmu_update_irq(core);
	vnpu_dev_printk(VNPU_LOGLEVEL_ERR, "rk_iommu", core->mmu_name,
			"BUS_ERROR occurred at 0x%016x", iova);
	npu_dma_error(core, write);
}

/*
 * Translate one access that stays inside a page.  Returns the host
 * pointer, or NULL with *err = -EFAULT (fault latched) or -ETIMEDOUT
 * (stalled walk).
 */
static void *mmu_translate(struct vnpu_core *core, uint32_t iova, bool write,
			   size_t len, int *err)
{
	uint32_t status = MMU_REG(core, RK_MMU_STATUS);
	unsigned int di = iova >> RK_IOMMU_DTE_SHIFT, pi = (iova >> RK_IOMMU_PTE_SHIFT) & RK_IOMMU_INDEX_MASK;
	uint32_t *dt, *pt, dte, pte;
	void *host;

	*err = -EFAULT;
	if (!(status & RK_MMU_STATUS_PAGING_ENABLED)) {
		host = phys_to_host(iova, len);
		if (!host)
			npu_dma_error(core, write);
		return host;
	}
	if (core->mmu.walker_gated && di >= VNPU_WALKER_GATED_DTES) {
		MMU_REG(core, RK_MMU_STATUS) &= ~RK_MMU_STATUS_IDLE;
		/* The master waits for a walk that never ends: wedged (hypothesis). */
		core->bus_wedged = true;
		*err = -ETIMEDOUT;
		return NULL;
	}
	/* The walker reads DTE_ADDR[31:12] only (see the file comment). */
	dt = phys_to_host(MMU_REG(core, RK_MMU_DTE_ADDR) & RK_IOMMU_ADDR_LO_MASK,
			  RK_IOMMU_PAGE_SIZE);
	if (!dt) {
		mmu_bus_error(core, iova, write);
		return NULL;
	}
	dte = dt[di];
	if (!(dte & RK_IOMMU_ENTRY_VALID)) {
		mmu_page_fault(core, iova, write);
		return NULL;
	}
	pt = phys_to_host(entry_addr(dte), RK_IOMMU_PAGE_SIZE);
	if (!pt) {
		mmu_bus_error(core, iova, write);
		return NULL;
	}
	pte = pt[pi];
	if (!(pte & RK_IOMMU_ENTRY_VALID) ||
	    !(pte & (write ? RK_IOMMU_PTE_WRITABLE : RK_IOMMU_PTE_READABLE))) {
		mmu_page_fault(core, iova, write);
		return NULL;
	}
	host = phys_to_host(entry_addr(pte) + (iova & RK_IOMMU_PAGE_OFFSET_MASK), len);
	if (!host)
		mmu_bus_error(core, iova, write);
	return host;
}

static void dma_count(struct vnpu_core *core, enum vnpu_dma_kind kind,
		      size_t len)
{
	static const uint32_t counter_reg[VNPU_DMA_KINDS] = {
		[VNPU_DMA_DATA] = REG_DDMA_DT_RD_AMOUNT,
		[VNPU_DMA_WEIGHT] = REG_DDMA_WT_RD_AMOUNT,
		[VNPU_DMA_OUTPUT] = REG_DDMA_DT_WR_AMOUNT,
	};

	core->dma_bytes[kind] += len;
	if (!core->vnpu->soc->has_counters || !counter_reg[kind])
		return;
	/* UNCONFIRMED unit (vendor rknpu counters): the model counts bytes. */
	core->dma_counter[kind] += len;
	core->regs[counter_reg[kind] / 4] = (uint32_t)core->dma_counter[kind];
}

static int dma_xfer(struct vnpu_core *core, uint32_t iova, void *buf,
		    size_t len, enum vnpu_dma_kind kind, bool write)
{
	struct vnpu *v = core->vnpu;
	size_t done = 0;
	int err = 0;

	if (kind >= VNPU_DMA_KINDS)
		return -EINVAL;
	pthread_mutex_lock(&v->lock);
	while (done < len) {
		uint32_t a = iova + (uint32_t)done;
		size_t chunk = RK_IOMMU_PAGE_SIZE - (a & RK_IOMMU_PAGE_OFFSET_MASK);
		void *host;

		if (chunk > len - done)
			chunk = len - done;
		host = mmu_translate(core, a, write, chunk, &err);
		if (!host)
			break;
		if (write)
			memcpy(host, (const char *)buf + done, chunk);
		else
			memcpy((char *)buf + done, host, chunk);
		done += chunk;
	}
	if (done == len)
		err = 0;
	dma_count(core, kind, done);
	pthread_mutex_unlock(&v->lock);
	return err;
}

int vnpu_dma_read(struct vnpu_core *core, uint32_t iova, void *dst,
		  size_t len, enum vnpu_dma_kind kind)
{
	return dma_xfer(core, iova, dst, len, kind, false);
}

int vnpu_dma_write(struct vnpu_core *core, uint32_t iova, const void *src,
		   size_t len, enum vnpu_dma_kind kind)
{
	return dma_xfer(core, iova, (void *)src, len, kind, true);
}
