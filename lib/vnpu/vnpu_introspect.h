/* SPDX-License-Identifier: MIT */
/*
 * vnpu_introspect.h — model-only views for the suite's own unit tests
 * (selftests/unit/vnpu_*.c), in the spirit of iommufd's mock check_refs.
 *
 * Contract: never included by test binaries under tests/ or by lib/ code
 * that tests use — hardware tests must not learn which backend runs them.
 * Every call takes the model lock; results are snapshots.  Functions
 * taking a core index return 0 for an index the SoC does not have.
 */
#ifndef RKVAL_VNPU_INTROSPECT_H
#define RKVAL_VNPU_INTROSPECT_H

#include <stdbool.h>
#include <stdint.h>

#include "vnpu/vnpu_hw.h"

struct vnpu_introspect_core {
	unsigned int iommu_attaches;
	unsigned int iommu_detaches;
	unsigned int iommu_faults;
	bool iommu_attached;		/* to a file's domain, not the default one */
	unsigned int jobs_done;
	unsigned int jobs_timed_out;
	unsigned int resets;
	unsigned int pm_usage;
	bool pm_active;
	unsigned int pm_resumes;
	unsigned int pm_suspends;
	unsigned int clk_enable[4];	/* aclk, hclk, npu, pclk as rocket holds them */
	uint64_t dma_bytes[VNPU_DMA_KINDS];
	uint64_t host_exec_ns;		/* host time of every executor run */
};

int vnpu_introspect_core(unsigned int index, struct vnpu_introspect_core *out);
unsigned int vnpu_introspect_live_bos(void);
unsigned int vnpu_introspect_live_domains(void);
unsigned int vnpu_introspect_open_files(void);
/* Page-table pages (excluding the directory) and mapped pages of fd's domain. */
int vnpu_introspect_domain(int fd, unsigned int *pt_pages,
			   unsigned int *mapped_pages, uint64_t *dt_phys);
unsigned int vnpu_introspect_warn_count(void);
const char *vnpu_introspect_kernel_profile(void);
const char *vnpu_introspect_soc(void);

#endif /* RKVAL_VNPU_INTROSPECT_H */
