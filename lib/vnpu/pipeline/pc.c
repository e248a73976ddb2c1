// SPDX-License-Identifier: MIT
/*
 * pc.c — the PC block of the pipeline: fetch one task's command stream
 * through the IOMMU, apply it to the register file in order, latch the
 * op_en broadcast, and on completion count the task and raise DPU_0.
 *
 * The fetch length is the kernel's PC_REGISTER_AMOUNTS scaled by the
 * SoC's pc_data_amount_scale (Mesa rkt_regcmd.c, vendor rknpu rknpu_config),
 * done by the core's vnpu_pc_fetch().  Entries after the op_en word are
 * ignored: op_en starts the blocks (TRM: "op_en is strongly recommended
 * set at the end of register list").  The broadcast also sets each enabled
 * block's OPERATION_ENABLE; a block clears its own when it has finished,
 * so a hung task shows which block never did.
 */
#include <errno.h>
#include <stdlib.h>

#include "npu/npu_regs.h"
#include "vnpu/pipeline/pipeline.h"

int pl_pc_load_task(struct pl_task *t)
{
	uint32_t amounts = PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT__GET(pl_reg(t, REG_PC_REGISTER_AMOUNTS));
	size_t max = vnpu_pc_fetch_count(t->core, amounts);
	uint64_t *buf = calloc(max ? max : 1, sizeof(*buf));
	long n;

	if (!buf)
		return -ENOMEM;
	n = vnpu_pc_fetch(t->core, buf, max);
	if (n < 0) {
		pl_log(t, "vnpu pc: command fetch failed (%ld)\n", n);
		free(buf);
		return (int)n;
	}
	/*
	 * Fault "pc-half-fetch" lives in the fetch count alone
	 * (vnpu_pc_fetch_count()): the PC counts REGISTER_AMOUNTS in the SoC's
	 * vendor pc_data_amount_scale, which is half the list on rk3568 and
	 * the whole list on rk3588, where rocket's formula is the vendor's.
	 * Nothing is cut again here.
	 */
	for (long i = 0; i < n && !t->op_en; i++) {
		struct npu_regcmd_entry e = npu_regcmd_decode(buf[i]);

		if (e.target == NPU_TARGET_PC && e.reg == REG_PC_BASE_ADDRESS)
			t->next_task = e.value;
		t->op_en = vnpu_regcmd_apply(t->core, buf[i]);
	}
	free(buf);
	if (!t->op_en) {
		pl_log(t, "vnpu pc: %ld entries without an op_en word, nothing started\n", n);
		return -ENOEXEC;
	}
	/* vnpu_regcmd_apply() already set each enabled block's OPERATION_ENABLE */
	return 0;
}

void pl_pc_task_done(struct pl_task *t)
{
	uint32_t status = pl_reg(t, REG_PC_TASK_STATUS);

	vnpu_reg_set(t->core, REG_PC_TASK_STATUS,
		     (status & ~PC_TASK_STATUS_TASK_STATUS__MASK) |
		     ((PC_TASK_STATUS_TASK_STATUS__GET(status) + 1) &
		      PC_TASK_STATUS_TASK_STATUS__MASK));
	/* Ping-pong group 0 always: the model has no second register group. */
	vnpu_core_raise_irq(t->core, NPU_PC_IRQ(DPU_0));
}
