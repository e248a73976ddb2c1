// SPDX-License-Identifier: MIT
/*
 * rocket_dma_counters — the vendor DDMA bandwidth counters against the
 * byte counts the layouts imply.
 *
 * The RK3568 RFC author's evidence that "the NPU reads the full input and
 * weight tensors" came from these counters (RK3568 RFC).  They are
 * the vendor driver's, not rocket's (vendor rknpu counters): clear-all at NPU+0x8010
 * (0x80000101 then 0x00000101), DT_WR 0x8034, DT_RD 0x8038, WT_RD 0x803c,
 * RK356x only (RK3588's vendor table has none, vendor rknpu rknpu_config), read here through
 * /dev/mem (lib/board/npu_mmio.h).  Each subtest clears them, runs one
 * small program and compares all three with the layouts: input bytes
 * (DT_RD), weight bytes (WT_RD), output bytes (DT_WR).
 *
 * UNCONFIRMED: the counters' unit (vendor rknpu counters: "units undocumented"); bytes are
 * assumed, --counter-unit N says one count is N bytes.  Which counter the
 * DPU's bias read feeds is unknown: WT_RD may be weights or weights + bias.
 * A job that does not finish is localised like rocket_stage_probe does.
 *
 * Skips: RK3588 (no counters), no /dev/mem access (not root,
 * STRICT_DEVMEM).  Not checked: counter wrap-around, other cores' traffic
 * (run it alone).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "counter_unit.h"
#include "board/stage_verdict.h"
#include "rocket/rocket_diag.h"

IGT_TEST_DESCRIPTION("The NPU's DDMA read/write counters (RK356x) against the input, weight "
		     "and output byte counts of a conv: what the DMA really moved.");

static unsigned int counter_unit = 1;

static void require_counters(struct rocket_diag *d)
{
	igt_require_f(!d->soc_info.facts || d->soc_info.facts->has_dma_counters,
		      "%s has no DDMA rw-amount counters (vendor rknpu rknpu_config)\n",
		      hw_soc_name(d->soc_info.soc));
	igt_require_f(d->awake, "cannot hold the NPU on (%s): the counters are cleared and "
		      "read only on a powered core\n", strerror(-d->awake_err));
	igt_require_f(!d->regs_err, "%s\n", npu_mmio_skip_reason(d->regs_err));
	igt_require_f(d->counters, "no DDMA counters on this SoC\n");
}

/* Read the counters now; a failed read is a failure (they were readable before). */
static void read_counters(struct rocket_diag *d, struct npu_dma_counters *c)
{
	int ret = rocket_diag_read_counters(d, c);

	igt_assert_f(ret == 0, "counter read: %s\n", npu_mmio_skip_reason(ret));
}

static void counters_clear(struct rocket_diag *d)
{
	struct npu_dma_counters c;

	igt_assert_eq(rocket_diag_clear_counters(d), 0);
	read_counters(d, &c);
	igt_info("after clear: DT_RD %u WT_RD %u DT_WR %u\n", c.dt_rd, c.wt_rd, c.dt_wr);
	if (c.dt_rd || c.wt_rd || c.dt_wr)
		igt_fail_verdict(VERDICT_ASSERT, "the clear sequence 0x%08x, 0x%08x at +0x%x left "
				 "DT_RD %u WT_RD %u DT_WR %u", NPU_MMIO_DDMA_CLEAR_START,
				 NPU_MMIO_DDMA_CLEAR_END, REG_DDMA_CLEAR_ALL_RW_AMOUNT, c.dt_rd,
				 c.wt_rd, c.dt_wr);
}

/* Is value (counts) equal to bytes, or to one of the alternatives? */
static bool matches(uint32_t value, uint64_t bytes, uint64_t alt)
{
	uint64_t seen = (uint64_t)value * counter_unit;

	return seen == bytes || (alt && seen == alt);
}

static void counters_program(struct rocket_diag *d, enum stage_program kind)
{
	struct npu_dma_counters c;
	struct rocket_diag_prog p;
	struct stage_facts f;
	uint64_t w_alt;
	int stage;

	rocket_diag_prog_build(&p, d->fd, d->npu_soc, kind);
	stage = rocket_diag_prog_run(d, &p, -1, &f);
	if (stage != STAGE_OK) {
		rocket_diag_prog_free(&p);
		igt_fail_verdict(stage, "%s", d->facts);
	}
	/* The job finished and was right: now the counters alone. */
	read_counters(d, &c);
	w_alt = p.bias_bytes ? p.w_bytes + p.bias_bytes : 0;
	igt_info("%s: DT_RD %u (input %llu B), WT_RD %u (weights %llu B%s), DT_WR %u "
		 "(output %llu B), unit %u B\n", stage_program_name(kind), c.dt_rd,
		 (unsigned long long)p.in_bytes, c.wt_rd, (unsigned long long)p.w_bytes,
		 p.bias_bytes ? " + bias" : "", c.dt_wr, (unsigned long long)p.out_bytes,
		 counter_unit);
	if (!matches(c.dt_rd, p.in_bytes, 0) || !matches(c.wt_rd, p.w_bytes, w_alt) ||
	    !matches(c.dt_wr, p.out_bytes, 0)) {
		uint64_t in = p.in_bytes, w = p.w_bytes, out = p.out_bytes;

		rocket_diag_prog_free(&p);
		/* The output is right, so the data moved: the counters disagree. */
		igt_fail_verdict(VERDICT_ASSERT, "%s: correct output, but counters DT_RD %u WT_RD "
				 "%u DT_WR %u x %u B differ from input %llu B, weights %llu B, "
				 "output %llu B (counter unit UNCONFIRMED, try --counter-unit)",
				 stage_program_name(kind), c.dt_rd, c.wt_rd, c.dt_wr,
				 counter_unit, (unsigned long long)in, (unsigned long long)w,
				 (unsigned long long)out);
	}
	rocket_diag_prog_free(&p);
}

igt_main_args(NULL, counter_unit_opts, counter_unit_help, counter_unit_opt, &counter_unit)
{
	struct rocket_diag d;
	int fd = -1;

	igt_fixture {
		fd = rocket_open_device();
		rocket_diag_init(&d, fd, NULL);
		d.counter_unit = counter_unit;
	}

	igt_describe("Make sure the vendor clear sequence zeroes the three counters: without "
		     "it no later figure can be trusted.");
	igt_subtest("counters-clear") {
		require_counters(&d);
		counters_clear(&d);
	}

	igt_describe("Make sure a CNA+CORE program (raw int32 output) reads exactly the input "
		     "and weight bytes and writes exactly the output bytes.");
	igt_subtest("counters-conv-raw") {
		require_counters(&d);
		counters_program(&d, STAGE_PROG_CNA_CORE);
	}

	igt_describe("Make sure a full int8 conv reads exactly the input and weight bytes "
		     "(plus the bias, wherever it is counted) and writes the output bytes.");
	igt_subtest("counters-conv-int8") {
		require_counters(&d);
		counters_program(&d, STAGE_PROG_CONV);
	}

	igt_fixture
		rocket_close_device(fd);
}
