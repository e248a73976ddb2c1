// SPDX-License-Identifier: MIT
/*
 * vnpu_regfile.c — the one write path of vnpu's register files
 * (vnpu_regfile.h; after QEMU hw/core/register.c register_write()).
 */
#include <string.h>

#include "vnpu/vnpu_regfile.h"

const struct vnpu_reg_access *vnpu_regfile_find(const struct vnpu_regfile *rf,
						uint32_t addr)
{
	for (size_t i = 0; i < rf->n_access; i++)
		if (rf->access[i].addr == addr)
			return &rf->access[i];
	return NULL;
}

void vnpu_regfile_reset(const struct vnpu_regfile *rf, uint32_t *regs)
{
	memset(regs, 0, rf->n_regs * sizeof(*regs));
	for (size_t i = 0; i < rf->n_access; i++)
		regs[rf->access[i].addr / 4] = rf->access[i].reset;
}

void vnpu_regfile_write(const struct vnpu_regfile *rf, uint32_t *regs,
			struct vnpu_core *core, uint32_t addr, uint32_t value,
			bool from_cpu)
{
	const struct vnpu_reg_access *a;
	uint32_t old;

	if (addr / 4 >= rf->n_regs || (addr & 3))
		return;
	a = vnpu_regfile_find(rf, addr);
	if (!a) {
		regs[addr / 4] = value;
		return;
	}
	if (a->pre_write)
		value = a->pre_write(core, value);
	old = regs[addr / 4];
	if (!a->wo) {
		uint32_t v = (old & a->ro) | (value & ~a->ro);

		v &= ~(value & a->w1c);
		regs[addr / 4] = v;
	}
	if (a->post_write)
		a->post_write(core, value, from_cpu);
}

uint32_t vnpu_regfile_read(const struct vnpu_regfile *rf, const uint32_t *regs,
			   uint32_t addr)
{
	const struct vnpu_reg_access *a;

	if (addr / 4 >= rf->n_regs)
		return 0;
	a = vnpu_regfile_find(rf, addr);
	return a && a->wo ? 0 : regs[addr / 4];
}
