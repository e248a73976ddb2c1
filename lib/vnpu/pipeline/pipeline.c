// SPDX-License-Identifier: MIT
/*
 * pipeline.c — the full-pipeline executor: for each task the PC was kicked
 * for, PC -> CNA -> CORE -> DPU, then DPU_0.  Injected hardware faults
 * (catalogue: lib/vnpu/vnpu_faults.c) act here:
 *
 *  mac-output-stall     the CNA reads input and weights completely (the DDMA
 *                       read counters show every byte), the CORE never
 *                       delivers: no output byte, no DPU interrupt.
 *  pc-half-fetch        acts in the core's PC fetch alone (vnpu_pc.c:
 *                       vnpu_pc_fetch_count()): this executor runs what is
 *                       fetched, which ends before the op_en word.
 *  compute-clock-gated  the PC (on the bus clock) fetches and applies the
 *                       list and latches op_en, but no block behind it is
 *                       clocked: CNA/CORE/DPU OPERATION_ENABLE stay 1, the
 *                       DDMA counters stay 0, TASK_STATUS does not advance,
 *                       no interrupt.  (The model's choice: what a gated
 *                       core shows on silicon is not documented.)
 *
 * Several tasks per kick (TASK_CON TASK_NUMBER > 1, vendor style) follow
 * the chain each task's tail writes (PC_BASE_ADDRESS / REGISTER_AMOUNTS,
 * Mesa rkt_regcmd.c task tail); rocket kicks one task at a time (RK3588 TRM ch. 36 PC, rocket_job.c).
 */
#include <errno.h>
#include <stdlib.h>

#include "npu/npu_regs.h"
#include "vnpu/pipeline/pipeline.h"

bool pl_fault(struct pl_task *t, enum vnpu_fault fault)
{
	return vnpu_fault(vnpu_core_model(t->core), fault);
}

void pl_task_release(struct pl_task *t)
{
	free(t->x);
	free(t->w);
	free(t->acc);
	free(t->sumx);
	free(t->acc_beyond);
	free(t->sumx_beyond);
	t->acc_beyond = NULL;
	t->sumx_beyond = NULL;
	t->x = NULL;
	t->w = NULL;
	t->acc = NULL;
	t->sumx = NULL;
}

/* Blocks behind the PC; 0 when the DPU finished and may interrupt. */
static int pipeline_blocks(struct pl_task *t)
{
	int ret;

	/* Self-test mutation: lib/rocket's DPU-only copy job never completes. */
	if (!(t->op_en & (NPU_OP_EN_CNA | NPU_OP_EN_CORE)) &&
	    vnpu_mutated(vnpu_core_model(t->core), "dpu-only-hangs")) {
		pl_log(t, "vnpu: mutation dpu-only-hangs, DPU-only task stops\n");
		return -EAGAIN;
	}
	if (pl_fault(t, VNPU_FAULT_COMPUTE_CLOCK_GATED)) {
		pl_log(t, "vnpu: compute clock gated, op_en 0x%x latched, nothing runs\n",
		       t->op_en);
		return -EAGAIN;
	}
	ret = pl_refuse_unmodelled(t);
	if (!ret)
		ret = pl_cna_run(t);
	if (ret)
		return ret;
	if (pl_fault(t, VNPU_FAULT_MAC_OUTPUT_STALL) && (t->op_en & NPU_OP_EN_CORE)) {
		pl_log(t, "vnpu: mac-output-stall, CNA read everything, CORE stalls\n");
		/*
		 * HYPOTHESIS: the stalled CORE/DPU path leaves its output
		 * write outstanding, wedging the AXI master; it fits the
		 * mainline detach WARN the RFC gives as 4/9's reason.
		 */
		vnpu_core_wedge_bus(t->core);
		return -EAGAIN;
	}
	t->want_sumx = pl_dpu_needs_sumx(t->core);
	ret = pl_core_run(t);
	if (!ret)
		ret = pl_dpu_run(t);
	return ret;
}

static void pipeline_run(struct vnpu_core *core)
{
	uint32_t con = vnpu_reg_get(core, REG_PC_TASK_CON);
	unsigned int tasks = PC_TASK_CON_TASK_NUMBER__GET(con);

	if (!tasks)
		tasks = 1;
	for (unsigned int i = 0; i < tasks; i++) {
		struct pl_task t = { .core = core };
		int ret;

		/* Chained tasks stop at the job timeout's reset (rocket_job_timedout()). */
		if (vnpu_core_job_expired(core))
			return;
		/* The kick paid for the first task; each chained one costs its own. */
		if (i)
			vnpu_core_model_busy(core, VNPU_MODEL_TASK_NS);
		ret = pl_pc_load_task(&t);

		if (!ret)
			ret = pipeline_blocks(&t);
		pl_task_release(&t);
		if (ret)
			return;		/* no DPU interrupt: the job times out */
		pl_pc_task_done(&t);
		if (i + 1 < tasks) {
			if (!t.next_task) {
				pl_log(&t, "vnpu pc: TASK_NUMBER %u but task %u has no chain\n",
				       tasks, i);
				return;
			}
			vnpu_reg_set(core, REG_PC_BASE_ADDRESS, t.next_task);
		}
	}
}

const struct vnpu_executor vnpu_exec_pipeline = {
	.name = "pipeline",
	.run = pipeline_run,
};

void vnpu_pipeline_install(void)
{
	vnpu_set_executor(&vnpu_exec_pipeline);
}
