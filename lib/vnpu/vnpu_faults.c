// SPDX-License-Identifier: MIT
/*
 * vnpu_faults.c — the fault catalogue (vnpu_faults.h): one row per
 * bring-up hypothesis, the boot-time name lookup and the typed check.
 *
 * Each .hook stays on one line: selftests/fault-catalogue.sh reads the
 * files it names and checks that they ask for the fault.
 *
 * Every kernel profile that probes the SoC sees the same faults (mainline
 * has no RK3568 NPU, so there nothing runs at all, fault or not).  The
 * rk3588 column differs where the SoC lacks what the fault or its
 * measurement needs.
 */
#include <string.h>

#include "vnpu/vnpu.h"

const struct vnpu_fault_info vnpu_fault_catalogue[VNPU_FAULT_COUNT] = {
	[VNPU_FAULT_MAC_OUTPUT_STALL] = {
		.name = "mac-output-stall",
		.hypothesis =
			"the MAC/output stage never completes although input and "
			"weights are read in full (RK3568 RFC)",
		.effect =
			"the CNA reads input and weights completely (DDMA read counters"
			" show every byte), the CORE never delivers: no output byte, no"
			" DPU interrupt; the stalled write wedges the AXI master",
		.hook = "pipeline/pipeline.c: pipeline_blocks()",
		.applies = "rk3568, rk3588",
		.stage_rk3568 = "mac-output-stall",
		.stage_rk3588 = "mac-output-stall",
	},
	[VNPU_FAULT_PC_HALF_FETCH] = {
		.name = "pc-half-fetch",
		.hypothesis =
			"the PC counts REGISTER_AMOUNTS in 64-bit units, as the vendor "
			"pc_data_amount_scale of 1 on rk356x implies, so it fetches "
			"half the command list",
		.effect =
			"the PC fetches (REGISTER_AMOUNTS+1) x pc_data_amount_scale "
			"entries instead of x2: the op_en word at the list's end is "
			"never reached",
		.hook = "vnpu_pc.c: vnpu_pc_fetch_count()",
		.applies = "rk3568 (scale 1); none on rk3588 (scale 2)",
		.stage_rk3568 = "pc-fetch",
		.stage_rk3588 = VNPU_FAULT_NO_VERDICT,
		.why_rk3588 =
			"pc_data_amount_scale is 2: rocket's formula is the vendor's, "
			"the whole list is fetched",
	},
	[VNPU_FAULT_COMPUTE_CLOCK_GATED] = {
		.name = "compute-clock-gated",
		.hypothesis =
			"the NPU's compute clock stays gated while the bus clock runs",
		.effect =
			"the PC fetches the list and latches op_en, no block behind it "
			"runs: OPERATION_ENABLE stays 1, DDMA counters 0, no interrupt;"
			" the core clock's gate reads off in the clock summary",
		.hook = "pipeline/pipeline.c: pipeline_blocks(); vnpu_sysfs.c: clk_list()",
		.applies = "rk3568, rk3588",
		.stage_rk3568 = "clock",
		.stage_rk3588 = "job-timeout",
		.why_rk3588 =
			"no DDMA counters: \"op_en latched and nothing moved\" cannot "
			"be measured",
	},
	[VNPU_FAULT_PAGE_WALKER_GATED] = {
		.name = "page-walker-gated-after-idle",
		.hypothesis =
			"the IOMMU page walker's clock stays gated after the first "
			"runtime suspend",
		.effect =
			"after one runtime suspend, walks for IOVAs beyond the first "
			"DTE (4 MiB, guess) stall: the DMA returns -ETIMEDOUT, nothing "
			"is raised, the job times out without a page fault",
		.hook = "vnpu_iommu.c: vnpu_iommu_resume()",
		.applies = "rk3568, rk3588",
		.stage_rk3568 = "iommu-page-walker",
		.stage_rk3588 = "iommu-page-walker",
	},
	[VNPU_FAULT_PAGETABLE_ABOVE_4G] = {
		.name = "pagetable-above-4g",
		.hypothesis = "page tables allocated above 4 GiB on a 32-bit MMU",
		.effect =
			"page-table pages come from RAM above 4 GiB; the walker uses "
			"DTE_ADDR[31:12] only, so the first translation reads unbacked "
			"memory: BUS_ERROR, PC DMA_READ_ERROR, no completion",
		.hook = "vnpu_iommu.c: vnpu_phys_alloc()",
		.applies = "rk3568, rk3588",
		.stage_rk3568 = "iommu-pagetable",
		.stage_rk3588 = "iommu-pagetable",
	},
	[VNPU_FAULT_QOS_SAVE_GATED_NOC] = {
		.name = "qos-save-gated-noc",
		.hypothesis =
			"the power domain's QoS save reads NoC registers behind a gated"
			" clock, the reason RFC v4 gives pd_npu no pm_qos (RK3568 RFC "
			"DT patch)",
		.effect =
			"the first runtime suspend is an SError at "
			"rockchip_pmu_save_qos: the console shows the SError and the "
			"panic, ramoops keeps the log for the next boot, the process "
			"ends as the board would",
		.hook = "vnpu_pm.c: pm_suspend()",
		.applies = "rk3568, rk3588",
		.stage_rk3568 = "qos",
		.stage_rk3588 = "qos",
		.panics = true,
	},
	[VNPU_FAULT_FIRST_ATTACH_TIMEOUTS] = {
		.name = "first-attach-timeouts",
		.hypothesis =
			"the first MMU enable of an idle MMU times out its stall and "
			"paging requests (RFC residual, RK3568 RFC)",
		.effect =
			"the first MMU enable after a runtime suspend logs Enable stall"
			" / Enable paging / Disable stall request timed out; the attach"
			" then proceeds",
		.hook = "vnpu_iommu.c: mmu_enable()",
		.applies = "rk3568, rk3588",
		.stage_rk3568 = "iommu-attach",
		.stage_rk3588 = "iommu-attach",
	},
};

enum vnpu_fault vnpu_fault_by_name(const char *name)
{
	int i;

	for (i = 0; i < VNPU_FAULT_COUNT; i++)
		if (!strcmp(vnpu_fault_catalogue[i].name, name))
			break;
	return (enum vnpu_fault)i;
}

const struct vnpu_fault_info *vnpu_fault_lookup(const char *name)
{
	enum vnpu_fault f = vnpu_fault_by_name(name);

	return f < VNPU_FAULT_COUNT ? &vnpu_fault_catalogue[f] : NULL;
}

const char *vnpu_fault_expected_stage(const struct vnpu_fault_info *f,
				      const char *soc)
{
	if (!strcmp(soc, "rk3568"))
		return f->stage_rk3568;
	if (!strcmp(soc, "rk3588"))
		return f->stage_rk3588;
	return NULL;
}

bool vnpu_fault(const struct vnpu *vnpu, enum vnpu_fault fault)
{
	return fault < VNPU_FAULT_COUNT && vnpu->faults[fault];
}
