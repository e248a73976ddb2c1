/* SPDX-License-Identifier: MIT */
/*
 * iommu — the NPU's Rockchip IOMMU (rk_iommu) as a test sees it: sysfs
 * topology, MMU registers, and the kernel's log lines about it.
 *
 * Contract:
 *  - Facts come from rocket_drv.c, rocket_job.c domains, rockchip-iommu.c; every number below
 *    names its section.  The rk_iommu registers, bits and entry formats
 *    are described once, in hw/rk_iommu_regs.h.
 *  - The parsers and decoders (iommu_parse_*, rk_iommu_*) are pure: text or
 *    register values in, fields out; selftests/unit/iommu_lib_*.c test them.
 *  - Everything that touches the board goes through the platform seam:
 *    sysfs with plat_read_file()/plat_list_dir()/plat_readlink(), registers
 *    with plat_reg_read32().
 *  - Registers of a power-gated block must not be read (on Rockchip SoCs
 *    such an access can hang the bus): iommu_read_regs() is only for a
 *    caller that holds the NPU powered, e.g. with iommu_hold_power().
 *  - Functions return 0 or a negative errno and never assert; the tests
 *    decide what a failure means.
 */
#ifndef RKVAL_IOMMU_H
#define RKVAL_IOMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/rk_iommu_regs.h"
#include "hw/soc.h"


#define RK_IOMMU_V1_COMPATIBLE		"rockchip,iommu"
#define RK_IOMMU_V2_COMPATIBLE		"rockchip,rk3568-iommu"

/* ---- kernel-log lines (rockchip-iommu.c log lines, rocket_job.c timeout) ---- */

/* rk_iommu handshake failures: "{Enable,Disable} {stall,paging} request timed out". */
enum iommu_handshake {
	IOMMU_HS_ENABLE_STALL,
	IOMMU_HS_DISABLE_STALL,
	IOMMU_HS_ENABLE_PAGING,
	IOMMU_HS_DISABLE_PAGING,
	IOMMU_HS_FORCE_RESET,	/* "FORCE_RESET command timed out" */
	IOMMU_HS_RAW_RESET,	/* "Error during raw reset. MMU_DTE_ADDR is not functioning" */
	IOMMU_HS_COUNT,
};

/* Regexes (POSIX ERE) over record texts, for kmsg_watch. */
#define IOMMU_RE_HANDSHAKE \
	"(Enable|Disable) (stall|paging) request timed out|FORCE_RESET command timed out|Error during raw reset"
#define IOMMU_RE_PAGE_FAULT	"Page fault at 0x[0-9a-fA-F]+ of type (read|write)"
/* The three lines of one fault report, plus the unattached variant (rockchip-iommu.c log lines). */
#define IOMMU_RE_FAULT_REPORT \
	"Page fault at |iova = 0x[0-9a-fA-F]+: dte_index|mmu_dte_addr: |Page fault while iommu not attached"
#define IOMMU_RE_BUS_ERROR	"BUS_ERROR occurred at 0x[0-9a-fA-F]+"
/* rocket_job_timedout(): dev_err "NPU job timed out" (rocket_job.c timeout). */
#define ROCKET_RE_JOB_TIMEOUT	"NPU job timed out"
/*
 * Every line of an arm64 WARN() splat but its WARNING: line, all printed
 * at KERN_WARNING or the default level (4): "cut here" and the modules
 * (kernel/panic.c __warn()); the CPU/Comm/Tainted line, the taint legend,
 * the hardware name and, in a worker, "Workqueue: <wq> <fn>"
 * (lib/dump_stack.c dump_stack_print_info(), kernel/workqueue.c
 * print_worker_info()); "pstate: %08llx (...)", "pc : ", "lr : ",
 * "sp : ", "pmr_save: " and the register lines printed with "x%-2d: ",
 * three a line from x29 down, so both "x29: " and "x9 : " occur
 * (arch/arm64/kernel/process.c __show_regs(), print_pstate()); "Call
 * trace:" and one " fn+0xoff/0xsize" line per frame
 * (arch/arm64/kernel/stacktrace.c dump_backtrace()); the end marker.
 */
#define KMSG_RE_SPLAT_BODY \
	"^-+\\[ cut here \\]-+$|^Modules linked in|^CPU: |^Tainted: |^Hardware name: |" \
	"^Workqueue: |^pstate: [0-9a-f]{8} |^(pc|lr|sp) : |^pmr_save: |^x[0-9]{1,2} ?: |" \
	"^Call trace:|^ +[A-Za-z_.$0-9]+\\+0x|^---\\[ end trace"
/* A whole WARN() splat: the body and the WARNING: line. */
#define KMSG_RE_WARN_SPLAT	"^WARNING: |" KMSG_RE_SPLAT_BODY
/*
 * rocket_job_irq_handler(): WARN_ON(raw & DMA_READ_ERROR / DMA_WRITE_ERROR)
 * (rocket_job.c completion): a page fault of an NPU DMA also ends in this WARN.
 */
#define ROCKET_RE_DMA_ERROR_WARN	"rocket_job_irq_handler"
/*
 * The mainline detach-before-reset splat (RFC 4/9 rationale, rocket_job.c timeout):
 * "WARNING: drivers/iommu/iommu.c:157 __iommu_group_set_core_domain …
 * iommu_detach_group / rocket_reset / rocket_job_timedout".
 */
#define IOMMU_RE_DETACH_FRAME \
	"__iommu_group_set_core_domain|iommu_detach_group|" IOMMU_RE_CORE_DOMAIN_WARN_MSG
/* The WARN's message: WARN(ret, "iommu driver failed to attach the default/blocking domain"). */
#define IOMMU_RE_CORE_DOMAIN_WARN_MSG \
	"iommu driver failed to attach the default/blocking domain"
#define ROCKET_RE_RESET_FRAME	"rocket_reset|rocket_job_timedout"

struct iommu_fault {
	uint64_t iova;
	bool write;
	char dev[64];		/* "fde4b000.iommu" or "" when no prefix */
};

struct iommu_fault_indices {
	uint64_t iova;
	unsigned int dte_index, pte_index, page_offset;
};

/* "… Page fault at 0x… of type read|write"; 0 or -EINVAL. */
int iommu_parse_page_fault(const char *text, struct iommu_fault *f);
/* "… iova = 0x…: dte_index: 0x… pte_index: 0x… page_offset: 0x…". */
int iommu_parse_fault_indices(const char *text, struct iommu_fault_indices *x);
/* "… BUS_ERROR occurred at 0x…"; 0 or -EINVAL. */
int iommu_parse_bus_error(const char *text, uint64_t *iova);
/*
 * A handshake failure line: kind and, for the four request timeouts, the
 * STATUS register value printed ("status: %#08x"), else 0.
 */
int iommu_parse_handshake(const char *text, enum iommu_handshake *kind,
			  uint32_t *status);
const char *iommu_handshake_name(enum iommu_handshake kind);

/* ---- pure decoders ---- */
/* Physical address held by a DTE_ADDR / directory entry value (rockchip-iommu.c v1/v2). */
uint64_t rk_iommu_entry_addr(uint32_t entry, enum hw_iommu_version v);
static inline unsigned int rk_iommu_dte_index(uint64_t iova)
{
	return (unsigned int)(iova >> RK_IOMMU_DTE_SHIFT) & RK_IOMMU_INDEX_MASK;
}
/* Version from a NUL-separated compatible list; UNKNOWN if neither named. */
enum hw_iommu_version rk_iommu_version_from_compatible(const char *buf,
						       size_t len);
const char *rk_iommu_version_name(enum hw_iommu_version v);
/* Unit address of a platform device name: "fde4b000.iommu" -> 0xfde4b000. */
int iommu_parse_unit_address(const char *name, uint64_t *addr);

/* ---- sysfs topology (rocket_drv.c) ---- */
#define IOMMU_GROUPS_DIR	"/sys/kernel/iommu_groups"
#define IOMMU_CLASS_DIR		"/sys/class/iommu"
#define PLATFORM_DEVICES_DIR	"/sys/bus/platform/devices"

struct iommu_info {
	char npu_dev[64];		/* "fde40000.npu" */
	int group;			/* from <npu>/iommu_group, -1 if none */
	unsigned int group_devices;	/* entries of iommu_groups/N/devices */
	bool npu_in_group;		/* the NPU is listed there */
	char iommu_name[64];		/* class entry listing the NPU */
	uint64_t mmu_base;		/* from iommu_name's unit address */
	enum hw_iommu_version version;	/* from the IOMMU's DT compatible */
	char compatible[64];		/* its first compatible string */
};

/*
 * Fill info for the NPU platform device npu_dev.  Returns 0 when the group
 * and the IOMMU class device were found, else -ENOENT with what was found
 * filled in (group -1, empty iommu_name).  An unreadable compatible leaves
 * version UNKNOWN and is not an error.
 */
int iommu_lookup(const char *npu_dev, struct iommu_info *info);
/* The NPU core 0 device name of the running board, e.g. "fde40000.npu". */
int iommu_npu_device_name(char *buf, size_t size);

/* ---- MMU registers ---- */
struct rk_mmu_regs {
	uint32_t dte_addr, status, page_fault_addr, int_rawstat, int_mask,
		 auto_gating;
};

/* Read the registers above at base; 0 or the first read's -errno. */
int iommu_read_regs(uint64_t base, struct rk_mmu_regs *r);
/* "DTE 0x… STATUS 0x… (paging, idle) INT_MASK 0x… AUTO_GATING 0x…". */
void iommu_format_regs(const struct rk_mmu_regs *r, char *buf, size_t size);

/*
 * Keep the NPU (and, through the device link, its IOMMU: rocket_core.c runtime PM) runtime
 * active by writing "on" to <npu>/power/control, so registers may be read
 * at any time; the previous value is restored by iommu_release_power()
 * and, should the test die, by an exit handler.  0 or -errno (e.g. not
 * root on a board).
 */
int iommu_hold_power(const char *npu_dev);
void iommu_release_power(void);

/* Runtime PM status text of the NPU ("active", "suspended", ...). */
int iommu_npu_runtime_status(const char *npu_dev, char *buf, size_t size);
/*
 * Wait until the NPU's runtime_status reads "suspended", at most
 * timeout_ms.  Returns 0, -ETIMEDOUT, or -ENOENT when there is no runtime
 * PM file (the caller then falls back to sleeping past autosuspend).
 */
int iommu_wait_npu_suspended(const char *npu_dev, int timeout_ms);

#endif /* RKVAL_IOMMU_H */
