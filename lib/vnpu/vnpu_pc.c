// SPDX-License-Identifier: MIT
/*
 * vnpu_pc.c — the PC block's command fetch and the regcmd decoder shared
 * by every executor, plus executor selection (vnpu_hw.h).
 *
 * Fetch amount: the kernel writes REGISTER_AMOUNTS = (regcmd_count+1)/2-1
 * on every SoC (rocket_job.c hw_submit).  The model's PC counts that field
 * in 128-bit units (2 entries) on both SoCs, which is what the RK3568 RFC
 * author observed ("the PC fetches and broadcasts the command list", RK3568 RFC).
 * The vendor driver's pc_data_amount_scale of 1 on rk356x (vendor rknpu pc_data_amount_scale, vendor rknpu rknpu_config)
 * would instead mean 64-bit units, i.e. half the list: that hypothesis is
 * the injectable fault "pc-half-fetch", which switches the PC to the
 * SoC's pc_data_amount_scale.
 */
#include <errno.h>
#include <stdio.h>

#include "vnpu/vnpu.h"

/* Entries per REGISTER_AMOUNTS unit without the fault (see above). */
#define VNPU_PC_ENTRIES_PER_UNIT	2
/*
 * The block OPERATION_ENABLE register each op_en bit of the 0x0081
 * broadcast sets (Mesa registers.xml PC, RK3588 TRM ch. 36): the field
 * names of GLOBAL_OPERATION_ENABLE in npu_regs.def.
 */
static const struct {
	uint32_t bit;
	uint32_t reg;
} op_en_targets[] = {
	{ NPU_OP_EN_CNA, REG_CNA_OPERATION_ENABLE },
	{ NPU_OP_EN_CORE, REG_CORE_OPERATION_ENABLE },
	{ NPU_OP_EN_DPU, REG_DPU_OPERATION_ENABLE },
	{ NPU_OP_EN_DPU_RDMA, REG_DPU_RDMA_RDMA_OPERATION_ENABLE },
	{ NPU_OP_EN_PPU, REG_PPU_OPERATION_ENABLE },
	{ NPU_OP_EN_PPU_RDMA, REG_PPU_RDMA_RDMA_OPERATION_ENABLE },
};

size_t vnpu_pc_fetch_count(const struct vnpu_core *core, uint32_t amounts)
{
	unsigned int unit = VNPU_PC_ENTRIES_PER_UNIT;

	if (vnpu_fault(core->vnpu, VNPU_FAULT_PC_HALF_FETCH))
		unit = core->vnpu->soc->pc_data_amount_scale;
	return ((size_t)PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT__GET(amounts) + 1) * unit;
}

long vnpu_pc_fetch(struct vnpu_core *core, uint64_t *buf, size_t max)
{
	/* the fetch address is PC_SOURCE_ADDR, BASE_ADDRESS[31:4] */
	uint32_t base = vnpu_reg_get(core, REG_PC_BASE_ADDRESS) &
			PC_BASE_ADDRESS_PC_SOURCE_ADDR__MASK;
	size_t n = vnpu_pc_fetch_count(core, vnpu_reg_get(core, REG_PC_REGISTER_AMOUNTS));
	int ret;

	if (n > max)
		n = max;
	ret = vnpu_dma_read(core, base, buf, n * sizeof(*buf), VNPU_DMA_COMMAND);
	return ret ? ret : (long)n;
}

uint32_t vnpu_regcmd_apply(struct vnpu_core *core, uint64_t entry)
{
	struct npu_regcmd_entry e = npu_regcmd_decode(entry);
	uint32_t value = e.value;

	if (!entry || e.target == NPU_TARGET_PRE_OP_EN)
		return 0;
	if (e.target == NPU_TARGET_OP_EN) {
		vnpu_reg_write(core, NPU_GLOBAL_MMIO(REG_GLOBAL_OPERATION_ENABLE), value);
		for (size_t i = 0; i < sizeof(op_en_targets) / sizeof(op_en_targets[0]); i++)
			if (value & op_en_targets[i].bit)
				vnpu_reg_write(core, op_en_targets[i].reg, 1);
		return value ? value : 0;
	}
	vnpu_reg_write(core, e.reg & ~3u, value);
	return 0;
}

/* ---- executor selection ---- */
static const struct vnpu_executor *vnpu_executor = &vnpu_exec_basic;

void vnpu_set_executor(const struct vnpu_executor *exec)
{
	__atomic_store_n(&vnpu_executor, exec ? exec : &vnpu_exec_basic,
			 __ATOMIC_RELEASE);
}

const struct vnpu_executor *vnpu_get_executor(void)
{
	return __atomic_load_n(&vnpu_executor, __ATOMIC_ACQUIRE);
}

void vnpu_core_run_executor(struct vnpu_core *core)
{
	vnpu_get_executor()->run(core);
}
