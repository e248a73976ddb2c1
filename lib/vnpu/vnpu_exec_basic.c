// SPDX-License-Identifier: MIT
/*
 * vnpu_exec_basic.c — the built-in executor: the PC fetches the task's
 * command list, every entry becomes its register write, and when the last
 * op_en broadcast enables the DPU the task "completes" with DPU_0.  No
 * arithmetic: output BOs are left untouched.  A fetch fault leaves
 * DMA_READ_ERROR latched (done by the DMA path) and no completion, so the
 * kernel model's job timeout follows, as on a board.
 */
#include <stdlib.h>

#include "vnpu/vnpu_hw.h"

/* REGISTER_AMOUNTS is 16 bits: at most 65536 units of 2 entries. */
#define BASIC_MAX_ENTRIES	(65536u * 2u)

static void basic_run(struct vnpu_core *core)
{
	uint32_t amounts = vnpu_reg_get(core, REG_PC_REGISTER_AMOUNTS);
	size_t max = vnpu_pc_fetch_count(core, amounts);
	uint32_t op_en = 0;
	uint64_t *buf;
	long n;

	if (max > BASIC_MAX_ENTRIES)
		max = BASIC_MAX_ENTRIES;
	buf = calloc(max, sizeof(*buf));
	if (!buf)
		return;
	n = vnpu_pc_fetch(core, buf, max);
	for (long i = 0; i < n; i++) {
		uint32_t m = vnpu_regcmd_apply(core, buf[i]);

		if (m)
			op_en = m;
	}
	free(buf);
	if (n < 0)
		return;
	/* One task done: TASK_STATUS counts it (UNCONFIRMED semantics, §2.8). */
	vnpu_reg_set(core, REG_PC_TASK_STATUS,
		     vnpu_reg_get(core, REG_PC_TASK_STATUS) + 1);
	if (op_en & NPU_OP_EN_DPU)
		vnpu_core_raise_irq(core, NPU_PC_IRQ(DPU_0));
}

const struct vnpu_executor vnpu_exec_basic = {
	.name = "basic",
	.run = basic_run,
};
