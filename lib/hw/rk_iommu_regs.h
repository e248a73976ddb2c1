/* SPDX-License-Identifier: MIT */
/*
 * rk_iommu_regs.h — THE description of the Rockchip IOMMU (rk_iommu) that
 * sits in front of each NPU core: its registers, their bits, its commands
 * and its page-table entry formats.
 *
 * Everything here is from the kernel's drivers/iommu/rockchip-iommu.c
 * ("rockchip-iommu.c" in docs/sources.md) unless a line says otherwise;
 * the names are the kernel's.  lib/platform (iommu, npu_mmio), lib/npu
 * (stage_verdict) and vnpu (vnpu_iommu.c) all read this header; nothing
 * else spells an rk_iommu offset or bit.  Offsets are relative to one MMU
 * instance's window.
 */
#ifndef RKVAL_HW_RK_IOMMU_REGS_H
#define RKVAL_HW_RK_IOMMU_REGS_H

#include <stdbool.h>
#include <stdint.h>

/* ---- registers (rockchip-iommu.c registers) ---- */
#define RK_MMU_DTE_ADDR			0x00u
#define RK_MMU_STATUS			0x04u
#define RK_MMU_COMMAND			0x08u
#define RK_MMU_PAGE_FAULT_ADDR		0x0cu
#define RK_MMU_ZAP_ONE_LINE		0x10u
#define RK_MMU_INT_RAWSTAT		0x14u
#define RK_MMU_INT_CLEAR		0x18u
#define RK_MMU_INT_MASK			0x1cu
#define RK_MMU_INT_STATUS		0x20u
#define RK_MMU_AUTO_GATING		0x24u
/* Registers the driver uses: 0x00..0x24. */
#define RK_MMU_NREGS			(0x28u / 4)

/* STATUS bits */
#define RK_MMU_STATUS_PAGING_ENABLED		(1u << 0)
#define RK_MMU_STATUS_PAGE_FAULT_ACTIVE		(1u << 1)
#define RK_MMU_STATUS_STALL_ACTIVE		(1u << 2)
#define RK_MMU_STATUS_IDLE			(1u << 3)
#define RK_MMU_STATUS_REPLAY_BUFFER_EMPTY	(1u << 4)
#define RK_MMU_STATUS_PAGE_FAULT_IS_WRITE	(1u << 5)
#define RK_MMU_STATUS_STALL_NOT_ACTIVE		(1u << 31)

/* INT_RAWSTAT / INT_MASK / INT_STATUS / INT_CLEAR bits */
#define RK_MMU_INT_PAGE_FAULT		(1u << 0)
#define RK_MMU_INT_BUS_ERROR		(1u << 1)
/* rk_iommu_enable() writes INT_MASK = both bits (rockchip-iommu.c handshake). */
#define RK_MMU_INT_MASK_ENABLED		(RK_MMU_INT_PAGE_FAULT | RK_MMU_INT_BUS_ERROR)

/* COMMAND values */
#define RK_MMU_CMD_ENABLE_PAGING	0u
#define RK_MMU_CMD_DISABLE_PAGING	1u
#define RK_MMU_CMD_ENABLE_STALL		2u
#define RK_MMU_CMD_DISABLE_STALL	3u
#define RK_MMU_CMD_ZAP_CACHE		4u
#define RK_MMU_CMD_PAGE_FAULT_DONE	5u
#define RK_MMU_CMD_FORCE_RESET		6u

/*
 * AUTO_GATING: reset value 0x3 on RK356x (RK3568 RFC, "iommu/rockchip:
 * Clear AUTO_GATING bit 1 on the RK356x v1 IOMMU"); BIT(31)
 * DISABLE_FETCH_DTE_TIME_LIMIT set by "iommu/rockchip: disable fetch dte
 * time limit" (mainline 8d4346ecd495, 7.2-rc1, rockchip-iommu.c handshake).
 */
#define RK_MMU_AUTO_GATING_RK356X_RESET	0x3u
#define RK_MMU_AUTO_GATING_DISABLE_FETCH_DTE_TIME_LIMIT (1u << 31)

/* ---- page tables (rockchip-iommu.c v1/v2) ---- */
/* IOVA [31:22] DTE index, [21:12] PTE index, [11:0] page offset. */
#define RK_IOMMU_DTE_SHIFT		22
#define RK_IOMMU_PTE_SHIFT		12
#define RK_IOMMU_INDEX_MASK		0x3ffu
#define RK_IOMMU_PAGE_OFFSET_MASK	0xfffu
#define RK_IOMMU_PAGE_SIZE		(1u << RK_IOMMU_PTE_SHIFT)
/* 1024 directory entries, 1024 page entries each. */
#define RK_IOMMU_NR_DTE			(RK_IOMMU_INDEX_MASK + 1)
#define RK_IOMMU_NR_PTE			(RK_IOMMU_INDEX_MASK + 1)
/* One directory entry covers 1024 4 KiB pages = 4 MiB. */
#define RK_IOMMU_DTE_SPAN		(1u << RK_IOMMU_DTE_SHIFT)
#define RK_IOMMU_ENTRY_VALID		(1u << 0)
#define RK_IOMMU_PTE_READABLE		(1u << 1)
#define RK_IOMMU_PTE_WRITABLE		(1u << 2)
/* Entry address [31:12]; v2 adds [11:8] = addr[35:32], [7:4] = addr[39:36]. */
#define RK_IOMMU_ADDR_LO_MASK		0xfffff000u
#define RK_IOMMU_V2_ADDR_35_32_SHIFT	8
#define RK_IOMMU_V2_ADDR_39_36_SHIFT	4
/* Each of the two v2 fields holds 4 address bits: addr[35:32] and addr[39:36]. */
#define RK_IOMMU_V2_ADDR_NIBBLE		0xfu
#define RK_IOMMU_ADDR_35_32_SHIFT	32
#define RK_IOMMU_ADDR_39_36_SHIFT	36
/* The address bits a v2 entry keeps in [11:4], which a v1 entry must keep clear. */
#define RK_IOMMU_V2_HIGH_ADDR_BITS	0xff0u
/* "the upper limit for DTE is 32 bits" (Chaoyi Chen, Rockchip; RK3568 RFC, rockchip-iommu.c DTE). */
#define RK_IOMMU_DTE_LIMIT		(1ull << 32)

/* addr[35:32] and addr[39:36] where a v2 entry keeps them, in [11:8] and [7:4]. */
static inline uint32_t rk_iommu_v2_addr_bits(uint64_t addr)
{
	return (uint32_t)((addr >> RK_IOMMU_ADDR_35_32_SHIFT) & RK_IOMMU_V2_ADDR_NIBBLE)
		<< RK_IOMMU_V2_ADDR_35_32_SHIFT |
	       (uint32_t)((addr >> RK_IOMMU_ADDR_39_36_SHIFT) & RK_IOMMU_V2_ADDR_NIBBLE)
		<< RK_IOMMU_V2_ADDR_39_36_SHIFT;
}

/* A directory or page entry for addr with flags (v1 keeps addr[31:12] only). */
static inline uint32_t rk_iommu_entry_encode(uint64_t addr, uint32_t flags, bool v2)
{
	return (uint32_t)(addr & RK_IOMMU_ADDR_LO_MASK) | flags |
	       (v2 ? rk_iommu_v2_addr_bits(addr) : 0);
}

/* The address bits [39:32] a v2 entry keeps in [11:4]. */
static inline uint64_t rk_iommu_v2_high_addr(uint32_t e)
{
	return (uint64_t)((e >> RK_IOMMU_V2_ADDR_35_32_SHIFT) & RK_IOMMU_V2_ADDR_NIBBLE)
		<< RK_IOMMU_ADDR_35_32_SHIFT |
	       (uint64_t)((e >> RK_IOMMU_V2_ADDR_39_36_SHIFT) & RK_IOMMU_V2_ADDR_NIBBLE)
		<< RK_IOMMU_ADDR_39_36_SHIFT;
}

/* The physical address an entry (or DTE_ADDR) holds. */
static inline uint64_t rk_iommu_entry_decode(uint32_t e, bool v2)
{
	return (e & RK_IOMMU_ADDR_LO_MASK) | (v2 ? rk_iommu_v2_high_addr(e) : 0);
}

#endif /* RKVAL_HW_RK_IOMMU_REGS_H */
