// SPDX-License-Identifier: MIT
/*
 * rocket_pc_fetch — how many command entries does the PC execute for the
 * REGISTER_AMOUNTS the kernel writes?
 *
 * rocket writes PC_REGISTER_AMOUNTS = (regcmd_count + 1) / 2 - 1 on every
 * SoC (rocket_job.c hw_submit): the amount in 128-bit units (two 64-bit
 * entries), the RK3588 interpretation (vendor pc_data_amount_scale 2).
 * The vendor driver uses scale 1 on RK356x (vendor rknpu rknpu_config, vendor rknpu PC commit): 64-bit units,
 * i.e. regcmd_count - 1.  If the RK3568 PC counts 64-bit units, rocket's
 * value makes it execute only the first half of every list, never reaching
 * the op_en word at its end (Mesa rkt_regcmd.c, UNCONFIRMED: RK3568 PC amount; derived from rocket_job.c item 9).  No source settles it; this binary measures it:
 *
 *  whole-list    a DPU-only program as built, op_en as its last entry:
 *                completes only if the PC executes every entry;
 *  padded-list   the same task followed by as many zero entries, so
 *                that either interpretation reaches op_en: the control;
 *  amount-unit   K marker writes (PPU DST_BASE_ADDR := tag | i << 4, a
 *                register no block of this program uses) before the task,
 *                K chosen so that a 64-bit PC stops inside the markers and
 *                a 128-bit one runs the task: the DPU output and the last
 *                marker value (read while the job hangs) tell the two
 *                apart and count the entries executed.  A verdict pc-fetch
 *                says the kernel's formula leaves entries unexecuted.
 *
 * Registers are read through /dev/mem; without them amount-unit infers
 * the unit from the control and the completion alone.  Not checked:
 * multi-task chains inside one kick (rocket kicks one task at a time).
 */
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "npu/npu_regs.h"
#include "npu/regcmd.h"
#include "board/stage_verdict.h"
#include "rocket/rocket_diag.h"

IGT_TEST_DESCRIPTION("Measure how many command entries the PC executes for rocket's "
		     "REGISTER_AMOUNTS: 128-bit units (RK3588) or 64-bit units (vendor RK356x).");

/*
 * The marker register: PPU DST_BASE_ADDR (Mesa registers.xml, npu_regs.def),
 * programmed by nobody in a DPU-only program and harmless with the PPU off
 * (op_en 0x18 leaves PPU disabled, Mesa registers.xml PC, RK3588 TRM ch. 36).  Address field: low 4 bits
 * stay zero.  UNCONFIRMED that it reads back on silicon.
 */
#define MARK_REG		REG_PPU_DST_BASE_ADDR
#define MARK_BASE		0x70000000u
#define MARK_TAG_SHIFT		16	/* 8-bit run tag in [23:16] */
#define MARK_INDEX_SHIFT	4	/* entry index in [15:4] */
#define MARK_INDEX_MASK		0xfffu
#define MARK_TAG_MASK		0xffu

enum layout { LAYOUT_WHOLE, LAYOUT_PADDED, LAYOUT_MARKERS };

struct fetch_result {
	bool done;
	int stage;
	bool completed;
	char facts[1024];
};

static struct fetch_result control;
static uint32_t run_tag;

static uint32_t mark_value(unsigned int i)
{
	return MARK_BASE | (run_tag & MARK_TAG_MASK) << MARK_TAG_SHIFT |
	       (i & MARK_INDEX_MASK) << MARK_INDEX_SHIFT;
}

/*
 * Re-lay the single task of prog: prefix marker entries, the task, then
 * suffix zero entries; regcmd_count covers all of them.  Relocations move
 * with the task.
 */
static void relayout(struct npu_program *prog, unsigned int prefix, unsigned int suffix)
{
	struct npu_task_desc *t = &prog->tasks[0];
	size_t n = t->count, total = prefix + n + suffix;
	uint64_t *w = calloc(total + 1, sizeof(*w));	/* +1: zero word after an odd list */
	struct npu_regcmd rc = { 0 };

	igt_assert(prog->n_tasks == 1 && w);
	npu_regcmd_init(&rc);
	for (unsigned int i = 0; i < prefix; i++)
		npu_regcmd_emit(&rc, MARK_REG, mark_value(i));
	igt_assert_eq(rc.error, 0);
	if (prefix)
		memcpy(w, rc.words, prefix * sizeof(*w));
	npu_regcmd_fini(&rc);
	memcpy(w + prefix, prog->words + t->first, n * sizeof(*w));
	for (unsigned int i = 0; i < prog->n_relocs; i++)
		prog->relocs[i].entry = prog->relocs[i].entry - t->first + prefix;
	free(prog->words);
	prog->words = w;
	prog->n_words = total + 1;
	prog->slot_size[NPU_SLOT_REGCMD] = prog->n_words * sizeof(*w);
	t->first = 0;
	t->offset = 0;
	t->count = (uint32_t)total;
}

/* Run the DPU-only program in one layout; returns stage_decide()'s answer. */
static int run_layout(struct rocket_diag *d, enum layout lay, unsigned int *count,
		      unsigned int *prefix, struct stage_facts *f, char *facts, size_t len)
{
	struct rocket_diag_prog p;
	unsigned int n;
	int stage;

	rocket_diag_prog_build_program(&p, d->npu_soc, STAGE_PROG_DPU_ONLY);
	n = p.prog.tasks[0].count;
	*prefix = 0;
	if (lay == LAYOUT_PADDED) {
		/* amount = (2n + 1) / 2 - 1 = n - 1: n entries even at 64-bit units */
		relayout(&p.prog, 0, n);
	} else if (lay == LAYOUT_MARKERS) {
		/*
		 * K = n + 2 markers, M = 2n + 2 entries: rocket's amount is n,
		 * so a 64-bit PC executes n + 1 entries (markers 0..n, none of
		 * the task) and a 128-bit PC all M (the task runs).
		 */
		*prefix = n + 2;
		relayout(&p.prog, *prefix, 0);
	}
	*count = p.prog.tasks[0].count;
	rocket_diag_prog_prepare(&p, d->fd);
	d->probe_reg = lay == LAYOUT_MARKERS ? MARK_REG : 0;
	stage = rocket_diag_prog_run(d, &p, -1, f);
	d->probe_reg = 0;
	snprintf(facts, len, "%s", d->facts);
	rocket_diag_prog_free(&p);
	return stage;
}

static void simple_layout(struct rocket_diag *d, enum layout lay)
{
	struct stage_facts f;
	unsigned int count, prefix;
	char facts[1024];
	int stage = run_layout(d, lay, &count, &prefix, &f, facts, sizeof(facts));

	igt_info("%s list: regcmd_count %u, REGISTER_AMOUNTS %u: %s\n",
		 lay == LAYOUT_WHOLE ? "whole" : "padded", count, npu_pc_amount_kernel(count),
		 stage == STAGE_OK ? "completed correctly" : verdict_stage_name(stage));
	if (lay == LAYOUT_PADDED) {
		control.done = true;
		control.stage = stage;
		control.completed = f.completed;
		snprintf(control.facts, sizeof(control.facts), "%s", facts);
	}
	if (stage != STAGE_OK)
		igt_fail_verdict(stage, "%s", facts);
}

/* Entries executed according to the marker value, or -1 if it is not ours. */
static int executed_from_marker(uint32_t v, unsigned int prefix)
{
	unsigned int idx = (v >> MARK_INDEX_SHIFT) & MARK_INDEX_MASK;

	if ((v & ~((MARK_TAG_MASK << MARK_TAG_SHIFT) | (MARK_INDEX_MASK << MARK_INDEX_SHIFT))) !=
	    MARK_BASE || ((v >> MARK_TAG_SHIFT) & MARK_TAG_MASK) != (run_tag & MARK_TAG_MASK) ||
	    idx >= prefix)
		return -1;
	return (int)idx + 1;
}

static void amount_unit(struct rocket_diag *d)
{
	unsigned int count, prefix, amount, at64, at128;
	struct stage_facts f;
	char facts[1024];
	int stage, executed = -1;

	if (!control.done) {
		unsigned int c, pr;

		control.stage = run_layout(d, LAYOUT_PADDED, &c, &pr, &f, control.facts,
					   sizeof(control.facts));
		control.completed = f.completed;
		control.done = true;
	}
	run_tag = (uint32_t)(rocket_monotonic_ns() >> 20);
	stage = run_layout(d, LAYOUT_MARKERS, &count, &prefix, &f, facts, sizeof(facts));
	amount = npu_pc_amount_kernel(count);
	at128 = (amount + 1) * 2;	/* scale 2, vendor rknpu PC commit */
	at64 = amount + 1;		/* scale 1 */
	if (d->probe_ok)
		executed = executed_from_marker(d->probe_val, prefix);
	igt_info("marker list: regcmd_count %u (%u markers + task), REGISTER_AMOUNTS %u = %u "
		 "entries at 128-bit units, %u at 64-bit units; job %s; last marker %s0x%x "
		 "(%d entries executed)\n", count, prefix, amount, at128, at64,
		 stage == STAGE_OK ? "completed correctly" : "did not complete",
		 d->probe_ok ? "" : "unread ", d->probe_ok ? d->probe_val : 0, executed);

	if (stage == STAGE_OK) {
		igt_info("the PC follows 128-bit units (pc_data_amount_scale 2): rocket's "
			 "(regcmd_count + 1) / 2 - 1 executes all %u entries\n", count);
		return;
	}
	if (control.stage != STAGE_OK)
		igt_fail_verdict(control.stage, "padded control list failed too, the fetch unit "
				 "cannot be measured: %s", control.facts);
	if (executed == (int)at64 || (executed < 0 && !f.completed))
		igt_fail_verdict(VERDICT_PC_FETCH, "REGISTER_AMOUNTS %u for regcmd_count %u: the PC "
				 "executed %s%u entries (64-bit units, vendor RK356x "
				 "pc_data_amount_scale 1), so rocket's (regcmd_count + 1) / 2 - 1 "
				 "leaves %u entries unexecuted, op_en included; 64-bit units need "
				 "regcmd_count - 1 (vendor rknpu PC commit); the padded control list "
				 "completed", amount, count, executed < 0 ? "<= " : "", at64,
				 count - at64);
	if (executed >= 0 && (unsigned int)executed < count)
		igt_fail_verdict(VERDICT_PC_FETCH, "REGISTER_AMOUNTS %u for regcmd_count %u: the PC "
				 "executed %d entries, neither %u (64-bit units) nor %u (128-bit)",
				 amount, count, executed, at64, at128);
	igt_fail_verdict(stage, "%s", facts);
}

igt_main
{
	struct rocket_diag d;
	int fd = -1;

	igt_fixture {
		fd = rocket_open_device();
		rocket_diag_init(&d, fd, NULL);
	}

	igt_describe("Make sure a DPU-only program whose op_en is its last entry completes "
		     "with rocket's REGISTER_AMOUNTS: the PC executes the whole list.");
	igt_subtest("whole-list")
		simple_layout(&d, LAYOUT_WHOLE);

	igt_describe("Make sure the same program followed by as many zero entries completes: "
		     "the control that either fetch unit must pass.");
	igt_subtest("padded-list")
		simple_layout(&d, LAYOUT_PADDED);

	igt_describe("Measure the PC's fetch unit with marker writes only one interpretation "
		     "executes, and say whether rocket's formula leaves entries unexecuted.");
	igt_subtest("amount-unit")
		amount_unit(&d);

	igt_fixture
		rocket_close_device(fd);
}
