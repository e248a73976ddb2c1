// SPDX-License-Identifier: MIT
/*
 * rocket_conv — int8 conv2d accuracy through the rocket uAPI.
 *
 * Validates that convolutions built by lib/npu (Mesa's register list,
 * Mesa rkt_regcmd.c conv2d task) compute the right numbers, in two tiers:
 *  - raw-int32: every DPU stage bypassed, int32 accumulators written
 *    (RK3588 TRM ch. 36 rounding, the only bit-exact check the facts support):
 *    compared EXACTLY with npu_ref_conv2d_raw();
 *  - int8: the full Mesa requantisation path (bias, CPEND, OUT_CVT,
 *    Mesa rkt_regcmd.c, RK3588 TRM ch. 36) against TFLite's int8 conv (npu_ref_conv2d_s8()) within a
 *    per-element tolerance, default 2 as Mesa's teflon tests (--tolerance
 *    N; a Mesa fork uses 6, Mesa test_teflon.cpp TOLERANCE), AND the statistical criteria of
 *    npu_compare_stats_ok() (mean signed error, per-channel mean, share of
 *    exact results; docs/accuracy.md), which a correct NPU passes and a
 *    systematic error of one LSB fails.
 * Each case prints statistics (exact matches, max |error|, histogram,
 * mean signed error, first mismatches with coordinates) and the two
 * bring-up signatures "all zero point" and "untouched canary"; a failure
 * ends with a VERDICT.  Wrong output with evidence in the kernel log (an
 * IOMMU fault or handshake failure, a job timeout) is judged by that
 * evidence, not as accuracy: a timed-out job's output is what it wrote
 * before the reset, and its errors say nothing about the arithmetic.
 *
 * Grid (Mesa's teflon grid, Mesa test_teflon.cpp TOLERANCE) and the selection rule: a base case
 * (input 8, kernel 3, Cin 32, Cout 32, stride 1, same) varied ONE axis at a
 * time covers every value of every axis; on top, every kernel x stride x
 * padding combination at the base size (they interact in the geometry),
 * the depthwise grid (channels {1,32,120,128,256} x kernels {3,5}), and a
 * few large layers that force CBUF height tiling and the Cin = 1 first
 * layer at 112x112.  Cases cost at most ~0.1 G MAC each, so the whole grid
 * runs in seconds on vnpu; the full cross product (thousands of cases,
 * tens of G MAC) is deliberately not run.
 *
 * Not checked here: completion diagnostics (rocket_complete), the DMA
 * counters, non-square tensors (UNCONFIRMED: Mesa width/height mapping).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "conv_grid.h"
#include "npu/npu_conv.h"
#include "npu/npu_ew.h"
#include "npu/npu_layout.h"
#include "npu/npu_ref.h"
#include "npu/npu_soc.h"
#include "board/iommu.h"
#include "board/kmsg_watch.h"
#include "rocket/rocket_npu.h"
#include "util/num_parse.h"

IGT_TEST_DESCRIPTION("int8 conv2d accuracy on the NPU: raw int32 accumulators bit-exact, "
		     "requantised int8 within a tolerance, over Mesa's parameter grid.");

/* Mesa's teflon tests: TOLERANCE 2 (a fork uses 6), test_teflon.cpp */
#define DEFAULT_TOLERANCE	2
/* Two int8 values differ by at most 127 - (-128): a larger bound accepts anything. */
#define TOLERANCE_MAX		(INT8_MAX - INT8_MIN)
/*
 * The test's own bound on a conv job of this grid.  The driver ends every
 * job within its timeout and reset (ROCKET_BAD_JOB_WAIT_MS, rocket_job.c),
 * so the wait only matters for a driver that never ends one.  On vnpu the
 * 500 ms are NPU time: a slow host (qemu-user, a sanitizer build, a loaded
 * machine) takes longer in wall time to compute a large conv that the NPU
 * would finish in microseconds, hence the generous bound.  Whether jobs end
 * in time is rocket_complete's question, not this accuracy grid's.
 */
#define CONV_WAIT_MS		10000
/*
 * A job still running this long after submission may be hung: sample the
 * MMU before the 500 ms timeout resets the core (the margin covers the
 * job's start: runtime resume and IOMMU attach, rocket_drv.c, rocket_job.c domains).
 */
#define CONV_SNAPSHOT_MARGIN_MS	100
#define CONV_SNAPSHOT_MS	(ROCKET_JOB_TIMEOUT_MS - CONV_SNAPSHOT_MARGIN_MS)

enum { OPT_TOLERANCE = 0x100, OPT_NPU_SOC };
static int tolerance = DEFAULT_TOLERANCE;
static const char *soc_variant;

static int opt_handler(int opt, int opt_index, void *data)
{
	(void)opt_index;
	(void)data;
	if (opt == OPT_TOLERANCE)
		return num_option_int("--tolerance", optarg, 10, 0, TOLERANCE_MAX, &tolerance);
	if (opt != OPT_NPU_SOC)
		return -1;
	soc_variant = optarg;
	return 0;
}

static const struct option long_opts[] = {
	{ "tolerance", required_argument, NULL, OPT_TOLERANCE },
	{ "npu-soc", required_argument, NULL, OPT_NPU_SOC },
	{ NULL, 0, NULL, 0 },
};

static const char help_str[] =
	"  --tolerance N\t\tint8 tier: allowed |error|, 0..255 (default 2)\n"
	"  --npu-soc NAME\t\tprogramming variant (npu_soc.h), default from the SoC\n";

static void fill_s8(int8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (int8_t)rng();
}

/* The kernel log of the current case, for judging wrong output (may be closed). */
static struct kmsg_watch kw;
/*
 * The MMU as seen while the current case's job was still running, before
 * the scheduler's 500 ms timeout reset it (rocket_job.c timeout): taken
 * only when the job is not done CONV_SNAPSHOT_MS after submission.
 */
static bool mmu_snapshot_taken, mmu_snapshot_stuck;
static char mmu_snapshot[160];

static const struct npu_soc *conv_soc(void)
{
	struct rocket_soc_info info;

	if (soc_variant) {
		const struct npu_soc *s = npu_soc_variant(soc_variant);

		igt_require_f(s, "unknown --npu-soc %s\n", soc_variant);
		return s;
	}
	/* an unidentified SoC gets RK3588's, Mesa's, programming */
	if (rocket_identify_soc(&info))
		info.soc = HW_SOC_UNKNOWN;
	return npu_soc_for(info.soc);
}

static void print_stats(const char *what, const struct npu_compare_stats *st)
{
	char line[256];

	npu_compare_summary(st, line, sizeof(line));
	igt_info("%s: %s\n", what, line);
	npu_compare_stats_line(st, line, sizeof(line));
	igt_info("  %s\n", line);
	for (unsigned int b = 0; b < NPU_CMP_HIST_BUCKETS; b++)
		if (st->hist[b])
			igt_info("  |err| >= %lld: %zu\n", (long long)npu_cmp_bucket_floor(b),
				 st->hist[b]);
	for (unsigned int i = 0; i < st->n_first; i++)
		igt_info("  mismatch y %u x %u c %u: expected %lld, got %lld\n", st->first[i].y,
			 st->first[i].x, st->first[i].c, (long long)st->first[i].expected,
			 (long long)st->first[i].seen);
}

/*
 * Is core 0's MMU stuck walking (paging, not idle, no fault)?  Register
 * text in @regs.  Core 0 only: the IOMMU lookup knows no other (on RK3588
 * a job on core 1 or 2 is then judged job-timeout, never page-walker).
 */
static bool mmu_walker_stuck(char *regs, size_t len)
{
	struct iommu_info info;
	struct rk_mmu_regs r;
	char npu[64];
	bool stuck = false;

	snprintf(regs, len, "MMU registers unreadable");
	if (iommu_npu_device_name(npu, sizeof(npu)) || iommu_lookup(npu, &info) ||
	    !info.mmu_base || iommu_hold_power(npu))
		return false;
	if (!iommu_read_regs(info.mmu_base, &r)) {
		iommu_format_regs(&r, regs, len);
		stuck = (r.status & RK_MMU_STATUS_PAGING_ENABLED) &&
			!(r.status & (RK_MMU_STATUS_IDLE | RK_MMU_STATUS_PAGE_FAULT_ACTIVE));
	}
	iommu_release_power();
	return stuck;
}

/*
 * Wrong output with evidence in the kernel log is judged by the evidence:
 * the IOMMU's own lines first, then the job timeout (the output is then
 * whatever was written before the reset; the MMU registers say whether a
 * translation never finished).  Returns only when there is none.
 */
static void judge_evidence(const char *name, const struct npu_compare_stats *st)
{
	int i;

	if (!kw.open)
		return;
	kmsg_watch_poll(&kw);
	i = kmsg_watch_find(&kw, 0, IOMMU_RE_BUS_ERROR);
	if (i >= 0)
		igt_fail_verdict(VERDICT_IOMMU_PAGETABLE, "%s: %zu/%zu elements wrong (max |err| "
				 "%lld) after \"%s\": not an accuracy result", name,
				 st->total - st->within_tol, st->total,
				 (long long)st->max_abs_err, kw.recs[i].text);
	i = kmsg_watch_find(&kw, 0, IOMMU_RE_PAGE_FAULT);
	if (i >= 0)
		igt_fail_verdict(VERDICT_IOMMU_FAULT, "%s: %zu/%zu elements wrong (max |err| "
				 "%lld) after \"%s\": not an accuracy result", name,
				 st->total - st->within_tol, st->total,
				 (long long)st->max_abs_err, kw.recs[i].text);
	i = kmsg_watch_find(&kw, 0, IOMMU_RE_HANDSHAKE);
	if (i >= 0)
		igt_fail_verdict(VERDICT_IOMMU_ATTACH, "%s: %zu/%zu elements wrong (max |err| "
				 "%lld) after \"%s\": not an accuracy result", name,
				 st->total - st->within_tol, st->total,
				 (long long)st->max_abs_err, kw.recs[i].text);
	i = kmsg_watch_find(&kw, 0, ROCKET_RE_JOB_TIMEOUT);
	if (i < 0)
		return;
	if (mmu_snapshot_taken && mmu_snapshot_stuck)
		igt_fail_verdict(VERDICT_IOMMU_PAGE_WALKER, "%s: the job timed out (\"%s\"); "
				 "before the reset the MMU was paging, not idle, with no fault "
				 "(%s): a translation never finished; the %zu/%zu wrong elements "
				 "(max |err| %lld) are what was written before the reset", name,
				 kw.recs[i].text, mmu_snapshot, st->total - st->within_tol,
				 st->total, (long long)st->max_abs_err);
	igt_fail_verdict(VERDICT_JOB_TIMEOUT, "%s: the job timed out (\"%s\"; MMU before the "
			 "reset: %s): the %zu/%zu wrong elements (max |err| %lld) are what was "
			 "written before the reset, not an accuracy result", name,
			 kw.recs[i].text, mmu_snapshot_taken ? mmu_snapshot : "not sampled",
			 st->total - st->within_tol, st->total, (long long)st->max_abs_err);
}

static void judge(const char *name, const struct npu_compare_stats *st,
		  const struct npu_accuracy *acc)
{
	char why[192];
	bool stats_ok = npu_compare_stats_ok(st, acc, why, sizeof(why));

	if (npu_compare_ok(st) && stats_ok)
		return;
	/* PREP_BO also returns once a timed-out job's fence signals (rocket_job.c timeout) */
	if (st->raw_checked && st->untouched)
		igt_fail_verdict(VERDICT_JOB_TIMEOUT, "%s: output buffer untouched (all canary "
				 "0x%02x): the job never wrote it (no DPU interrupt?)", name,
				 NPU_CANARY_BYTE);
	judge_evidence(name, st);
	if (st->all_zero_point)
		igt_fail_verdict(VERDICT_DPU_OUTPUT, "%s: every output equals the zero point "
				 "(input-independent output)", name);
	if (!npu_compare_ok(st))
		igt_fail_verdict(VERDICT_ACCURACY, "%s: %zu/%zu within +-%lld, max |err| %lld, "
				 "first at y %u x %u c %u (expected %lld, got %lld)", name,
				 st->within_tol, st->total, (long long)st->tolerance,
				 (long long)st->max_abs_err, st->first[0].y, st->first[0].x,
				 st->first[0].c, (long long)st->first[0].expected,
				 (long long)st->first[0].seen);
	igt_fail_verdict(VERDICT_ACCURACY, "%s: every element within +-%lld, but %s", name,
			 (long long)st->tolerance, why);
}

static void run_case(int fd, const struct npu_soc *soc, const struct conv_case *c,
		     const char *name, bool raw)
{
	struct npu_conv2d_params p;
	struct npu_compare_stats st;
	struct npu_accuracy acc;
	struct npu_program prog;
	struct rocket_npu_run *r;
	size_t in_n, w_n, out_n;
	int8_t *in, *w;
	int32_t *bias;
	void *expected, *seen;
	const char *why;
	int ret;

	rng_seed(name);
	conv_params(c, raw, &p);
	igt_require_f(!npu_conv2d_check(&p, &why), "%s: %s\n", name, why);
	in_n = (size_t)p.in_h * p.in_w * p.in_c;
	w_n = (size_t)p.k_h * p.k_w * (p.depthwise ? p.in_c : (size_t)p.in_c * p.out_c);
	out_n = (size_t)npu_conv2d_out_h(&p) * npu_conv2d_out_w(&p) * p.out_c;
	in = malloc(in_n);
	w = malloc(w_n);
	bias = malloc(p.out_c * sizeof(*bias));
	expected = malloc(out_n * 4);
	seen = malloc(out_n * 4);
	igt_assert(in && w && bias && expected && seen);
	fill_s8(in, in_n);
	fill_s8(w, w_n);
	for (unsigned int i = 0; i < p.out_c; i++)
		bias[i] = (int32_t)(rng() % 2001) - 1000;

	npu_program_init(&prog, soc);
	ret = npu_conv2d_build(soc, &p, &prog);
	igt_assert_f(ret == 0, "%s: npu_conv2d_build: %d\n", name, ret);
	/* evidence for judge(): only this case's lines; unreadable = none */
	if (kmsg_watch_start(&kw))
		igt_info("%s: kernel log unreadable, wrong output is judged without it\n", name);
	r = rocket_npu_prepare(fd, &prog);
	npu_conv2d_fill_buffers(soc, &p, in, w, bias, r->map);
	rocket_npu_submit(r);
	mmu_snapshot_taken = false;
	ret = rocket_npu_wait(r, CONV_SNAPSHOT_MS);
	if (ret) {
		mmu_snapshot_taken = true;
		mmu_snapshot_stuck = mmu_walker_stuck(mmu_snapshot, sizeof(mmu_snapshot));
		ret = rocket_npu_wait(r, CONV_WAIT_MS);
	}
	if (ret)
		igt_fail_verdict(VERDICT_JOB_TIMEOUT, "%s: %u task(s) in %u job(s) not complete "
				 "after %d ms (%d)", name, prog.n_tasks, r->n_jobs,
				 CONV_WAIT_MS, ret);

	if (raw) {
		igt_assert_eq(npu_ref_conv2d_raw(&p, in, w, expected), 0);
		npu_conv2d_read_output(soc, &p, r->map[NPU_SLOT_OUTPUT], NULL, seen);
		npu_compare_s32(expected, seen, npu_conv2d_out_h(&p), npu_conv2d_out_w(&p),
				p.out_c, 0, &st);
	} else {
		igt_assert_eq(npu_ref_conv2d_s8(&p, in, w, bias, expected), 0);
		npu_conv2d_read_output(soc, &p, r->map[NPU_SLOT_OUTPUT], seen, NULL);
		npu_compare_s8(expected, seen, npu_conv2d_out_h(&p), npu_conv2d_out_w(&p),
			       p.out_c, tolerance, (int8_t)p.out_zp, &st);
	}
	npu_compare_note_raw(&st, r->map[NPU_SLOT_OUTPUT], prog.slot_size[NPU_SLOT_OUTPUT]);
	igt_info("%s: %u task(s), %u job(s), %s\n", name, prog.n_tasks, r->n_jobs,
		 raw ? "raw int32" : "int8");
	print_stats(name, &st);
	rocket_npu_free(r);
	npu_program_fini(&prog);
	free(in);
	free(w);
	free(bias);
	free(expected);
	free(seen);
	npu_accuracy_default(&acc);
	judge(name, &st, &acc);
}

static void run_ew_add(int fd, const struct npu_soc *soc)
{
	struct npu_ew_params ep = { .w = 16, .h = 8, .c = 48 };
	struct npu_feature_layout l;
	struct npu_compare_stats st;
	struct npu_accuracy acc;
	struct npu_program prog;
	struct rocket_npu_run *r;
	size_t n = (size_t)ep.w * ep.h * ep.c;
	int8_t *a = malloc(n), *b = malloc(n), *want = malloc(n), *got = malloc(n);

	igt_assert(a && b && want && got);
	rng_seed("ew-add");
	fill_s8(a, n);
	fill_s8(b, n);
	npu_program_init(&prog, soc);
	igt_assert_eq(npu_ew_add_build(soc, &ep, &prog), 0);
	npu_ew_layout(soc, &ep, &l);
	r = rocket_npu_prepare(fd, &prog);
	if (kmsg_watch_start(&kw))
		igt_info("ew-add: kernel log unreadable, wrong output is judged without it\n");
	mmu_snapshot_taken = false;
	npu_feature_pack_s8(&l, a, ep.c, 0, r->map[NPU_SLOT_INPUT]);
	npu_feature_pack_s8(&l, b, ep.c, 0, r->map[NPU_SLOT_EW]);
	npu_canary_fill(r->map[NPU_SLOT_OUTPUT], l.size);
	rocket_npu_submit(r);
	if (rocket_npu_wait(r, CONV_WAIT_MS))
		igt_fail_verdict(VERDICT_JOB_TIMEOUT, "ew-add: DPU-only job not complete after "
				 "%d ms", CONV_WAIT_MS);
	npu_ref_ew_add_s8(a, b, n, want);
	npu_feature_unpack_s8(&l, r->map[NPU_SLOT_OUTPUT], ep.c, got);
	npu_compare_s8(want, got, ep.h, ep.w, ep.c, 0, 0, &st);
	npu_compare_note_raw(&st, r->map[NPU_SLOT_OUTPUT], l.size);
	print_stats("ew-add", &st);
	npu_accuracy_default(&acc);
	rocket_npu_free(r);
	npu_program_fini(&prog);
	free(a);
	free(b);
	free(want);
	free(got);
	judge("ew-add", &st, &acc);
}

igt_main_args(NULL, long_opts, help_str, opt_handler, NULL)
{
	static struct conv_case cases[MAX_CASES];
	const struct npu_soc *soc = NULL;
	unsigned int n = build_grid(cases);
	int fd = -1;

	igt_fixture {
		fd = rocket_open_device();
		soc = conv_soc();
		igt_info("programming variant %s, int8 tolerance %d\n", soc->name, tolerance);
	}

	igt_describe("Make sure every conv of the grid writes the exact int32 accumulators "
		     "when the DPU is bypassed: the MAC array itself is right.");
	igt_subtest_with_dynamic("raw-int32") {
		for (unsigned int i = 0; i < n; i++) {
			char name[96];

			case_name(&cases[i], name, sizeof(name));
			igt_dynamic(name)
				run_case(fd, soc, &cases[i], name, true);
		}
	}

	igt_describe("Make sure every requantised int8 conv of the grid matches TFLite's "
		     "result within the tolerance: bias, zero points and OUT_CVT are right.");
	igt_subtest_with_dynamic("int8") {
		for (unsigned int i = 0; i < n; i++) {
			char name[96];

			case_name(&cases[i], name, sizeof(name));
			igt_dynamic(name)
				run_case(fd, soc, &cases[i], name, false);
		}
	}

	igt_describe("Make sure the DPU-only element-wise add (no CNA/CORE) computes "
		     "saturated int8 sums.");
	igt_subtest("ew-add")
		run_ew_add(fd, soc);

	igt_fixture {
		kmsg_watch_stop(&kw);
		rocket_close_device(fd);
	}
}
