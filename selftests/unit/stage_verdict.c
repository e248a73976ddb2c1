// SPDX-License-Identifier: MIT
/*
 * stage_verdict — unit tests of lib/board/stage_verdict.c over hand-made
 * snapshots: one per stage it can return, the "unknown stays unknown"
 * cases (no registers, no counters), and the facts line's figures.
 */
#include <string.h>

#include "board/stage_verdict.h"
#include "unit.h"

/* The brief's example shape: 4096 B input, 9216 B weights, 8192 B output. */
#define IN_B	4096
#define W_B	9216
#define OUT_B	8192
/* A healthy MMU while paging: enabled, idle, replay buffer empty (§3.1). */
#define MMU_OK	0x80000019u

static void base_hang(struct stage_facts *f, enum stage_program prog)
{
	stage_facts_init(f, prog);
	f->in_bytes = IN_B;
	f->w_bytes = prog == STAGE_PROG_DPU_ONLY ? 0 : W_B;
	f->out_bytes = OUT_B;
	f->waited_ms = 400;
	f->regs.valid = true;
	f->regs.counters_valid = true;
	f->regs.mmu_valid = true;
	f->regs.mmu_status = MMU_OK;
	f->regs.mmu_dte_addr = 0x200001;
}

static void latch(struct stage_facts *f, bool cna, bool core, bool dpu)
{
	f->regs.global_op_en = 0x1d;
	f->regs.op_en[STAGE_BLK_CNA] = cna;
	f->regs.op_en[STAGE_BLK_CORE] = core;
	f->regs.op_en[STAGE_BLK_DPU] = dpu;
}

static void check(const struct stage_facts *f, int want, const char *what,
		  const char *must_contain)
{
	char facts[1024];
	int got = stage_decide(f, facts, sizeof(facts));

	unit_report(got == want, __FILE__, "%s: %s (got %s) [%s]", what,
		    want == STAGE_OK ? "ok" : verdict_stage_name(want),
		    got == STAGE_OK ? "ok" : verdict_stage_name(got), facts);
	if (must_contain)
		UNIT_CHECK(strstr(facts, must_contain) != NULL, "%s: facts contain \"%s\"", what,
			   must_contain);
}

static void test_ok(void)
{
	struct stage_facts f;

	base_hang(&f, STAGE_PROG_CONV);
	f.completed = true;
	f.out_correct = true;
	f.out_changed = OUT_B;
	check(&f, STAGE_OK, "completed and correct", NULL);
}

static void test_mac_output_stall(void)
{
	struct stage_facts f;

	/* The RFC's symptom: everything read, nothing written, no DPU irq. */
	base_hang(&f, STAGE_PROG_CONV);
	latch(&f, false, true, true);
	f.regs.dt_rd = IN_B;
	f.regs.wt_rd = W_B;
	check(&f, VERDICT_MAC_OUTPUT_STALL, "full reads, no output",
	      "input 4096/4096 B weights 9216/9216 B read, output 0/8192 B written, "
	      "no DPU interrupt in 400 ms, PC task status 0x0");

	/* Without counters (RK3588): CNA finished, CORE still enabled. */
	f.regs.counters_valid = false;
	check(&f, VERDICT_MAC_OUTPUT_STALL, "no counters, CNA done, CORE enabled", "ASSUMES a block clears its enable");

	/* Without counters and nothing finished: not provable -> job-timeout. */
	latch(&f, true, true, true);
	check(&f, VERDICT_JOB_TIMEOUT, "no counters, every block still enabled", NULL);

	/* A counter unit: 16-byte counts must be scaled before comparing. */
	latch(&f, false, true, true);
	f.regs.counters_valid = true;
	f.counter_unit = 16;
	f.regs.dt_rd = IN_B / 16;
	f.regs.wt_rd = W_B / 16;
	check(&f, VERDICT_MAC_OUTPUT_STALL, "counter unit 16", "4096/4096");
}

static void test_pc_fetch(void)
{
	struct stage_facts f;

	base_hang(&f, STAGE_PROG_DPU_ONLY);
	f.regs.pc_register_amounts = 18;
	check(&f, VERDICT_PC_FETCH, "no op_en anywhere, nothing moved",
	      "REGISTER_AMOUNTS 0x12 = 38 entries in 128-bit units, 19 in 64-bit units");

	/* The RFC-claimed alternative enable register alone proves nothing. */
	f.regs.op_en_alt[STAGE_BLK_DPU] = 0x1e5;
	check(&f, VERDICT_PC_FETCH, "block+0xc config value not judged", NULL);
	check(&f, VERDICT_PC_FETCH, "block+0xc value shown beside the verdict",
	      "+0x00c (RK3568 RFC enable offset, UNCONFIRMED, not judged): CNA 0x0 CORE 0x0 DPU 0x1e5");
}

static void test_clock(void)
{
	struct stage_facts f;

	base_hang(&f, STAGE_PROG_CNA_CORE);
	latch(&f, true, true, true);
	check(&f, VERDICT_CLOCK, "op_en latched, 0 B moved", "compute clock");
	f.other_progress = 0;
	check(&f, VERDICT_CLOCK, "nor the other programs", "nor by the other programs");

	/* Another program moved data: this one's CNA did not start. */
	f.other_progress = 1;
	check(&f, VERDICT_CNA_DMA, "0 B read while another program worked", NULL);

	/* Without counters "nothing read" is not measurable. */
	f.other_progress = -1;
	f.regs.counters_valid = false;
	check(&f, VERDICT_JOB_TIMEOUT, "no counters: clock not claimed", NULL);
}

static void test_cna_dma(void)
{
	struct stage_facts f;

	base_hang(&f, STAGE_PROG_CONV);
	latch(&f, true, true, true);
	f.regs.dt_rd = IN_B;
	f.regs.wt_rd = 4096;
	check(&f, VERDICT_CNA_DMA, "weights read short", "weights 4096/9216 B");

	base_hang(&f, STAGE_PROG_DPU_ONLY);
	latch(&f, false, false, true);
	f.regs.dt_rd = 100;
	check(&f, VERDICT_DPU_OUTPUT, "DPU-only read short", "DPU_RDMA");
}

static void test_output(void)
{
	struct stage_facts f;

	base_hang(&f, STAGE_PROG_CONV);
	latch(&f, false, false, true);
	f.regs.dt_rd = IN_B;
	f.regs.wt_rd = W_B;
	f.regs.dt_wr = OUT_B;
	f.out_changed = OUT_B;
	check(&f, VERDICT_DPU_INTERRUPT, "output complete, no irq", "output 8192/8192 B");

	f.regs.dt_wr = 1024;
	f.out_changed = 1024;
	check(&f, VERDICT_DPU_OUTPUT, "output partial", "partly");

	/* DPU-only: read everything, wrote nothing. */
	base_hang(&f, STAGE_PROG_DPU_ONLY);
	latch(&f, false, false, true);
	f.regs.dt_rd = IN_B;
	check(&f, VERDICT_DPU_OUTPUT, "DPU-only read all, wrote nothing", "wrote nothing");
}

static void test_iommu(void)
{
	struct stage_facts f;

	base_hang(&f, STAGE_PROG_CONV);
	f.regs.pc_raw_status = NPU_PC_IRQ(DMA_READ_ERROR);
	f.regs.mmu_int_rawstat = RK_MMU_INT_BUS_ERROR;
	f.regs.mmu_dte_addr = 0x1;
	check(&f, VERDICT_IOMMU_PAGETABLE, "bus error on the walk", "DTE_ADDR 0x1");

	f.regs.mmu_int_rawstat = RK_MMU_INT_PAGE_FAULT;
	f.regs.mmu_fault_addr = 0x4000;
	check(&f, VERDICT_IOMMU_FAULT, "page fault", "page fault at 0x4000");

	f.regs.mmu_int_rawstat = 0;
	f.regs.mmu_valid = false;
	check(&f, VERDICT_IOMMU_FAULT, "DMA error, no MMU view", "without an MMU fault");

	/* Walker stuck: paging, not idle, no fault, reads incomplete. */
	base_hang(&f, STAGE_PROG_CONV);
	latch(&f, true, true, true);
	f.regs.mmu_status = MMU_OK & ~RK_MMU_STATUS_IDLE;
	check(&f, VERDICT_IOMMU_PAGE_WALKER, "walker not idle", "not idle");

	/* ...but not when every read completed (the MMU is then not the blocker). */
	f.regs.dt_rd = IN_B;
	f.regs.wt_rd = W_B;
	latch(&f, false, true, true);
	check(&f, VERDICT_MAC_OUTPUT_STALL, "MMU busy after full reads", NULL);

	/* A completed job with a DMA error still names the IOMMU. */
	base_hang(&f, STAGE_PROG_CONV);
	f.completed = true;
	f.out_changed = OUT_B;
	f.regs.pc_raw_status = NPU_PC_IRQ(DMA_WRITE_ERROR);
	f.regs.mmu_int_rawstat = RK_MMU_INT_PAGE_FAULT;
	check(&f, VERDICT_IOMMU_FAULT, "completed with a write fault", "DMA write error");
}

static void test_completed_wrong(void)
{
	struct stage_facts f;

	base_hang(&f, STAGE_PROG_CONV);
	f.completed = true;
	f.waited_ms = 2;
	check(&f, VERDICT_DPU_OUTPUT, "completed, output untouched", "completed in 2 ms");

	f.out_changed = OUT_B;
	f.out_all_zero_point = true;
	check(&f, VERDICT_MAC, "completed, all zero point", "zero point");

	f.out_all_zero_point = false;
	check(&f, VERDICT_ACCURACY, "completed, wrong numbers", NULL);

	/* The DPU-only program has no MAC: all-zero output is only inaccurate. */
	f.program = STAGE_PROG_DPU_ONLY;
	f.out_all_zero_point = true;
	check(&f, VERDICT_ACCURACY, "DPU-only, zero output", NULL);
}

static void test_no_registers(void)
{
	struct stage_facts f;

	stage_facts_init(&f, STAGE_PROG_CONV);
	f.in_bytes = IN_B;
	f.w_bytes = W_B;
	f.out_bytes = OUT_B;
	f.waited_ms = 400;
	check(&f, VERDICT_JOB_TIMEOUT, "hang, registers unreadable", "registers not readable");

	/* Output fully changed without registers: the DPU wrote, no completion. */
	f.out_changed = OUT_B;
	check(&f, VERDICT_DPU_INTERRUPT, "hang, output written, no registers", NULL);
}

static void test_helpers(void)
{
	struct stage_regs r;
	char buf[512];

	memset(&r, 0, sizeof(r));
	UNIT_CHECK(!stage_regs_op_en_latched(&r), "invalid snapshot: nothing latched");
	r.valid = true;
	r.op_en_alt[STAGE_BLK_CORE] = 1;
	UNIT_CHECK(!stage_regs_op_en_latched(&r), "op_en_alt is not a latch");
	r.op_en[STAGE_BLK_CORE] = 1;
	UNIT_CHECK(stage_regs_op_en_latched(&r), "CORE OPERATION_ENABLE latched");
	stage_regs_format(&r, buf, sizeof(buf));
	UNIT_CHECK(strstr(buf, "DDMA counters n/a") != NULL, "format says counters n/a: %s", buf);
	UNIT_CHECK(!strcmp(stage_program_name(STAGE_PROG_CNA_CORE), "cna-core-raw"),
		   "program name");
	UNIT_CHECK(!strcmp(stage_block_name(STAGE_BLK_DPU_RDMA), "DPU_RDMA"), "block name");
	/* A tiny buffer is never overrun. */
	stage_regs_format(&r, buf, 8);
	UNIT_EQ(7, strlen(buf), "format truncates to the buffer");
}

int main(void)
{
	test_ok();
	test_mac_output_stall();
	test_pc_fetch();
	test_clock();
	test_cna_dma();
	test_output();
	test_iommu();
	test_completed_wrong();
	test_no_registers();
	test_helpers();
	return unit_done();
}
