// SPDX-License-Identifier: MIT
/*
 * rocket_stage_probe — localise a hang to one stage of the NPU pipeline.
 *
 * The RK3568 bring-up knows only that "the DMA reads the full input and
 * weight tensors (per its DMA counters) but the MAC/output stage never
 * completes" (RK3568 RFC).  This binary runs three programs that
 * use a growing part of the pipeline (Mesa registers.xml PC, RK3588 TRM ch. 36):
 *   dpu-only      DPU + DPU_RDMA: an int8 element-wise add (op_en 0x18);
 *   cna-core-raw  CNA + CORE with every DPU stage bypassed, int32
 *                 accumulators written (raw mode, RK3588 TRM ch. 36 rounding);
 *   conv-full     the whole conv: CNA, CORE, DPU with bias and OUT_CVT.
 * Each waits ROCKET_DIAG_SNAPSHOT_MS; a job still running then is
 * snapshotted before the kernel's 500 ms timeout resets the core (rocket_job.c timeout):
 * PC INTERRUPT_RAW_STATUS and TASK_STATUS, each block's S_POINTER and
 * OPERATION_ENABLE, the DDMA counters (RK356x, RK3588 TRM ch. 36 rounding) and the MMU status
 * (Mesa rkt_task.c fill_task).  lib/board/stage_verdict.c turns the facts into one stage; the
 * last subtest, localise-hang, prints the stage of the first program (in
 * pipeline order) that failed as the binary's single answer.
 *
 * Registers are read through /dev/mem (root, no STRICT_DEVMEM); without
 * them programs still run, and a hang is reported as job-timeout with the
 * reason.  Not checked here: accuracy over shapes (rocket_conv), the
 * counters against the layouts (rocket_dma_counters), the fetch amount
 * (rocket_pc_fetch).  Best run alone: other NPU users perturb the
 * counters.
 */
#include <stdio.h>
#include <string.h>

#include "igt.h"
#include "counter_unit.h"
#include "board/stage_verdict.h"
#include "rocket/rocket_diag.h"

IGT_TEST_DESCRIPTION("Localise an NPU hang to one pipeline stage (PC fetch, CNA DMA, MAC, "
		     "output, interrupt, IOMMU, clock) from register snapshots taken while "
		     "it hangs.");

struct probe_result {
	bool done;
	int stage;		/* STAGE_OK or enum verdict_stage */
	bool progress;
	char facts[1024];
};

static struct probe_result results[STAGE_PROG_COUNT];

/* Did an earlier program of this run move data?  -1 when none ran. */
static int earlier_progress(enum stage_program upto)
{
	int seen = -1;

	for (unsigned int i = 0; i < upto; i++) {
		if (!results[i].done)
			continue;
		if (results[i].progress)
			return 1;
		seen = 0;
	}
	return seen;
}

static void run_program(struct rocket_diag *d, enum stage_program kind)
{
	struct probe_result *res = &results[kind];
	struct rocket_diag_prog p;
	struct stage_facts f;

	rocket_diag_prog_build(&p, d->fd, d->npu_soc, kind);
	res->stage = rocket_diag_prog_run(d, &p, earlier_progress(kind), &f);
	res->progress = rocket_diag_progress(&f);
	res->done = true;
	snprintf(res->facts, sizeof(res->facts), "%s", d->facts);
	igt_info("%s: %s%s%s\n", stage_program_name(kind),
		 res->stage == STAGE_OK ? "ok" : verdict_stage_name(res->stage),
		 res->facts[0] ? ", " : "", res->facts);
	rocket_diag_prog_free(&p);
}

static void probe(struct rocket_diag *d, enum stage_program kind)
{
	run_program(d, kind);
	if (results[kind].stage != STAGE_OK)
		igt_fail_verdict(results[kind].stage, "%s", results[kind].facts);
}

static void localise(struct rocket_diag *d)
{
	char summary[256];
	size_t n = 0;
	int first = -1;

	for (unsigned int k = 0; k < STAGE_PROG_COUNT; k++) {
		if (!results[k].done)
			run_program(d, k);
		n += snprintf(summary + n, sizeof(summary) - n, "%s%s %s", n ? ", " : "",
			      stage_program_name(k), results[k].stage == STAGE_OK ? "ok" :
			      verdict_stage_name(results[k].stage));
		if (first < 0 && results[k].stage != STAGE_OK)
			first = (int)k;
	}
	igt_info("stages: %s\n", summary);
	if (first < 0)
		return;
	/* The first program in pipeline order that failed holds the root cause. */
	igt_fail_verdict(results[first].stage, "%s (programs: %s)", results[first].facts,
			 summary);
}

static unsigned int counter_unit = 1;

igt_main_args(NULL, counter_unit_opts, counter_unit_help, counter_unit_opt, &counter_unit)
{
	struct rocket_diag d;
	int fd = -1;

	igt_fixture {
		fd = rocket_open_device();
		rocket_diag_init(&d, fd, NULL);
		/* The stage decision compares counts with byte sizes too. */
		d.counter_unit = counter_unit;
	}

	igt_describe("Make sure a DPU-only program (element-wise add) completes: the PC, the "
		     "DPU, its read DMA, the output write and the DPU interrupt work without "
		     "CNA or CORE.");
	igt_subtest("dpu-only")
		probe(&d, STAGE_PROG_DPU_ONLY);

	igt_describe("Make sure a CNA+CORE program with raw int32 output completes with the "
		     "exact accumulators: the CNA reads, the MAC array delivers to the output.");
	igt_subtest("cna-core-raw")
		probe(&d, STAGE_PROG_CNA_CORE);

	igt_describe("Make sure a full int8 conv (bias, requantisation) completes correctly "
		     "through every block.");
	igt_subtest("conv-full")
		probe(&d, STAGE_PROG_CONV);

	igt_describe("Give one answer for the whole pipeline: the stage of the first program "
		     "that failed, in pipeline order, with its measured facts.");
	igt_subtest("localise-hang")
		localise(&d);

	igt_fixture
		rocket_close_device(fd);
}
