// SPDX-License-Identifier: MIT
/*
 * rocket_complete — MAC/output completion: do conv jobs finish, write every
 * output byte and raise the DPU interrupt, alone and under load?
 *
 * The bring-up failure this binary exists for (DESIGN.md, kernel-rocket.md
 * §6): the NPU probes and accepts jobs, its DMA reads input and weights,
 * but the MAC/output stage never completes.  Each subtest runs conv jobs
 * built by lib/npu in raw int32 mode (bit-exact, mesa-rocket.md §5.4),
 * with the output buffer pre-filled with a canary, waits with a named
 * deadline, and compares every output with the CPU reference.  When
 * something did not complete, the VERDICT names the stage from what can be
 * measured: the DDMA bandwidth counters (kernel-rocket.md §5.4, RK356x only:
 * "counters n/a" elsewhere), the PC task status, whether the output is
 * untouched, and whether the wait ran into the 500 ms job timeout (§2.6).
 *
 * Registers are touched only with every core held on (power/control "on",
 * restored at exit): the NPU is normally runtime-suspended between jobs,
 * and a CPU access to a gated block is an SError, i.e. a panic, on
 * silicon (npu_mmio.h).  When the cores cannot be held on, nothing is
 * read and the facts say "n/a"/"unread".  The counters and PC task status
 * of a job that has not finished are read at ROCKET_DIAG_SNAPSHOT_MS,
 * before the kernel's 500 ms timeout and the core reset (§2.6), as the
 * diagnostics do: whether they survive the reset is UNCONFIRMED.
 *
 * The uAPI has no core selection: all-cores saturates the scheduler with
 * concurrent jobs from several files and verifies every output;
 * all-cores-busy does the same and, where the PC registers can be read
 * (skipped with the reason otherwise), requires every core to have been
 * seen kicked (PC OPERATION_ENABLE or BASE_ADDRESS set).
 *
 * Not checked here: numeric accuracy over a grid (rocket_conv), job
 * timeout recovery (rocket_job_timeout), IOMMU faults.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "npu/npu_conv.h"
#include "npu/npu_layout.h"
#include "npu/npu_ref.h"
#include "npu/npu_regs.h"
#include "npu/npu_soc.h"
#include "platform/npu_mmio.h"
#include "platform/platform.h"
#include "platform/power.h"
#include "rocket/rocket_diag.h"
#include "rocket/rocket_npu.h"

IGT_TEST_DESCRIPTION("MAC/output completion of conv jobs: one task, chained tasks, queues, "
		     "several files, every core; verdicts name the stage that did not finish.");

/* A conv job must finish within the scheduler's timeout plus reset (§2.6). */
#define COMPLETE_DEADLINE_MS	ROCKET_BAD_JOB_WAIT_MS
/* Jobs in the queue subtest and files in the multi-file subtests. */
#define QUEUE_JOBS		32
#define MULTI_FDS		4
#define JOBS_PER_CORE		8


/* One conv "load": its program, buffers and expected output. */
struct load {
	int fd;
	struct npu_conv2d_params p;
	struct npu_program prog;
	struct rocket_npu_run *run;
	int32_t *expected;
	size_t out_n;
};

static const struct npu_soc *soc;
static struct rocket_soc_info soc_info;
static enum npu_mmio_soc mmio_soc;
/* Every core held on: registers may be touched (0), else why not (-errno). */
static int awake_err = -ENODEV;

static void small_conv(struct npu_conv2d_params *p, unsigned int in, unsigned int c)
{
	memset(p, 0, sizeof(*p));
	p->in_h = p->in_w = in;
	p->in_c = p->out_c = c;
	p->k_h = p->k_w = 3;
	p->stride = 1;
	p->raw_int32 = true;
	p->in_zp = 3;
	npu_conv2d_same_padding(p);
}

static void load_init(struct load *l, int fd, const struct npu_conv2d_params *p,
		      unsigned int seed)
{
	size_t in_n = (size_t)p->in_h * p->in_w * p->in_c;
	size_t w_n = (size_t)p->k_h * p->k_w * p->in_c * p->out_c;
	int8_t *in = malloc(in_n), *w = malloc(w_n);

	igt_assert(in && w);
	l->fd = fd;
	l->p = *p;
	for (size_t i = 0; i < in_n; i++)
		in[i] = (int8_t)(i * 7 + seed * 13);
	for (size_t i = 0; i < w_n; i++)
		w[i] = (int8_t)(i * 5 + seed * 3 + 1);
	l->out_n = (size_t)npu_conv2d_out_h(p) * npu_conv2d_out_w(p) * p->out_c;
	l->expected = malloc(l->out_n * sizeof(int32_t));
	igt_assert(l->expected);
	igt_assert_eq(npu_ref_conv2d_raw(p, in, w, l->expected), 0);
	npu_program_init(&l->prog, soc);
	igt_assert_eq(npu_conv2d_build(soc, p, &l->prog), 0);
	l->run = rocket_npu_prepare(fd, &l->prog);
	npu_conv2d_fill_buffers(soc, p, in, w, NULL, l->run->map);
	free(in);
	free(w);
}

static void load_fini(struct load *l)
{
	rocket_npu_free(l->run);
	npu_program_fini(&l->prog);
	free(l->expected);
}

/* ---- what the hardware shows ---- */

struct counters {
	bool available;
	uint32_t dt_rd, wt_rd, dt_wr;
};

/* What a job that had not finished showed before the timeout's reset. */
struct snapshot {
	bool taken;
	struct counters c;
	char task[16];		/* PC TASK_STATUS, or "unread" */
};

/* power/control "on" for every core, restored at exit (power.h). */
static int hold_cores_on(void)
{
	char dev[64];
	int ret = 0;

	for (unsigned int c = 0; c < soc_info.num_cores && !ret; c++) {
		ret = power_core_name(soc_info.core_base[c], dev, sizeof(dev));
		if (!ret)
			ret = power_restore_on_exit(dev);
		if (!ret)
			ret = power_rpm_set_control(dev, "on");
	}
	return ret;
}

static void counters_clear(void)
{
	if (awake_err)
		return;
	for (unsigned int i = 0; i < soc_info.num_cores; i++)
		npu_mmio_clear_dma_counters(mmio_soc, i);
}

/* Sum over cores; "available" only if the SoC has them and they read. */
static void counters_read(struct counters *c)
{
	memset(c, 0, sizeof(*c));
	for (unsigned int i = 0; i < soc_info.num_cores && !awake_err; i++) {
		struct npu_dma_counters n;

		/* -EOPNOTSUPP: no counters on this SoC (RK3588). */
		if (npu_mmio_read_dma_counters(mmio_soc, i, &n))
			continue;
		c->available = true;
		c->dt_rd += n.dt_rd;
		c->wt_rd += n.wt_rd;
		c->dt_wr += n.dt_wr;
	}
}

/* PC TASK_STATUS of core 0 as text: "unread" when it could not be read. */
static void task_status(char *buf, size_t size)
{
	uint32_t v;

	if (awake_err || npu_mmio_read(mmio_soc, 0, REG_PC_TASK_STATUS, &v))
		snprintf(buf, size, "unread");
	else
		snprintf(buf, size, "0x%x", v);
}

static void snapshot_take(struct snapshot *s)
{
	counters_read(&s->c);
	task_status(s->task, sizeof(s->task));
	s->taken = true;
}

/* ---- judging ---- */

static bool load_output_ok(struct load *l, size_t *wrong, bool *untouched)
{
	struct npu_compare_stats st;
	int32_t *seen = malloc(l->out_n * sizeof(int32_t));

	igt_assert(seen);
	npu_conv2d_read_output(soc, &l->p, l->run->map[NPU_SLOT_OUTPUT], NULL, seen);
	npu_compare_s32(l->expected, seen, npu_conv2d_out_h(&l->p), npu_conv2d_out_w(&l->p),
			l->p.out_c, 0, &st);
	npu_compare_note_raw(&st, l->run->map[NPU_SLOT_OUTPUT],
			     l->prog.slot_size[NPU_SLOT_OUTPUT]);
	free(seen);
	*wrong = st.total - st.exact;
	*untouched = st.untouched;
	return npu_compare_ok(&st);
}

/*
 * Name the stage that did not complete.  @what names the job set; sizes
 * are per job times @jobs.
 */
static void __attribute__((noreturn))
fail_incomplete(const char *what, struct load *l, unsigned int jobs, int64_t waited_ms,
		bool untouched, struct snapshot *snap)
{
	uint64_t in = l->prog.slot_size[NPU_SLOT_INPUT] * jobs;
	uint64_t wt = (l->prog.slot_size[NPU_SLOT_WEIGHTS] + l->prog.slot_size[NPU_SLOT_BIAS]) * jobs;
	uint64_t out = l->prog.slot_size[NPU_SLOT_OUTPUT] * jobs;
	bool timed_out = waited_ms >= ROCKET_JOB_TIMEOUT_MS;
	const char *irq = timed_out ? "no DPU interrupt in" : "completed after";
	const char *task;
	struct counters c;

	/* Nothing hung (wrong values only): the idle core can be read now. */
	if (!snap->taken)
		snapshot_take(snap);
	c = snap->c;
	task = snap->task;
	if (!c.available)
		igt_fail_verdict(timed_out ? VERDICT_JOB_TIMEOUT : VERDICT_DPU_OUTPUT,
				 "%s: counters n/a, output %s, %s %lld ms, PC task status %s",
				 what, untouched ? "untouched (canary intact)" : "wrong",
				 irq, (long long)waited_ms, task);
	if (!c.dt_rd && !c.wt_rd && !c.dt_wr)
		igt_fail_verdict(VERDICT_PC_FETCH, "%s: no input, weight or output DMA at all, "
				 "%s %lld ms, PC task status %s (PC did not start the blocks)",
				 what, irq, (long long)waited_ms, task);
	if (c.dt_rd < in || c.wt_rd < wt)
		igt_fail_verdict(VERDICT_CNA_DMA, "%s: input %u/%llu B weights %u/%llu B read, "
				 "output %u/%llu B written, %s %lld ms", what, c.dt_rd,
				 (unsigned long long)in, c.wt_rd, (unsigned long long)wt, c.dt_wr,
				 (unsigned long long)out, irq, (long long)waited_ms);
	if (!c.dt_wr)
		igt_fail_verdict(VERDICT_MAC_OUTPUT_STALL, "%s: input %u/%llu B weights %u/%llu B "
				 "read, output 0/%llu B written, %s %lld ms, PC task status %s",
				 what, c.dt_rd, (unsigned long long)in, c.wt_rd,
				 (unsigned long long)wt, (unsigned long long)out, irq,
				 (long long)waited_ms, task);
	if (c.dt_wr >= out && timed_out)
		igt_fail_verdict(VERDICT_DPU_INTERRUPT, "%s: output %u/%llu B written but no DPU "
				 "interrupt in %lld ms", what, c.dt_wr, (unsigned long long)out,
				 (long long)waited_ms);
	igt_fail_verdict(VERDICT_DPU_OUTPUT, "%s: output %u/%llu B written, values wrong, %s "
			 "%lld ms", what, c.dt_wr, (unsigned long long)out, irq,
			 (long long)waited_ms);
}

/*
 * Wait for one job up to the deadline; if it has not finished by
 * ROCKET_DIAG_SNAPSHOT_MS, take the snapshot (once) before the timeout's
 * reset can wipe what it would show.
 */
static void wait_job(struct load *l, struct snapshot *snap)
{
	if (!rocket_npu_wait(l->run, snap->taken ? COMPLETE_DEADLINE_MS :
				     ROCKET_DIAG_SNAPSHOT_MS) || snap->taken)
		return;
	snapshot_take(snap);
	rocket_npu_wait(l->run, COMPLETE_DEADLINE_MS - ROCKET_DIAG_SNAPSHOT_MS);
}

/* Submit every load, wait for each in turn, verify all. */
static void run_loads(const char *what, struct load *loads, unsigned int n)
{
	int64_t start = rocket_monotonic_ns(), waited;
	unsigned int bad = 0, first_bad = 0;
	struct snapshot snap = { .taken = false };
	bool untouched = false;

	counters_clear();
	for (unsigned int i = 0; i < n; i++)
		rocket_npu_submit(loads[i].run);
	/*
	 * Jobs queued on one core run one after another, so each gets the
	 * deadline from the moment the previous wait returned: a stalled job
	 * still fails within one deadline, and a slow but progressing queue
	 * (a loaded board, an emulated CPU) is not mistaken for a stall.
	 */
	for (unsigned int i = 0; i < n; i++)
		wait_job(&loads[i], &snap);
	waited = (rocket_monotonic_ns() - start) / 1000000;
	for (unsigned int i = 0; i < n; i++) {
		size_t wrong;
		bool u;

		if (!load_output_ok(&loads[i], &wrong, &u)) {
			if (!bad++) {
				first_bad = i;
				untouched = u;
			}
			igt_info("%s: job %u: %zu/%zu outputs wrong%s\n", what, i, wrong,
				 loads[i].out_n, u ? " (untouched)" : "");
		}
	}
	igt_info("%s: %u job(s), %u incomplete or wrong, all waited for in %lld ms\n", what, n,
		 bad, (long long)waited);
	if (bad)
		fail_incomplete(what, &loads[first_bad], bad, waited, untouched, &snap);
}

static void test_one_task(int fd)
{
	struct npu_conv2d_params p;
	struct load l;

	small_conv(&p, 8, 32);
	load_init(&l, fd, &p, 1);
	igt_assert_eq(l.prog.n_tasks, 1);
	run_loads("one-task", &l, 1);
	load_fini(&l);
}

static void test_multi_task(int fd)
{
	struct npu_conv2d_params p;
	struct load l;

	/* 112x112x32 needs more data banks than CBUF has: height tiling (§6.2) */
	small_conv(&p, 112, 32);
	load_init(&l, fd, &p, 2);
	igt_require_f(l.prog.n_tasks > 1 && l.prog.one_job,
		      "variant %s plans %u task(s), one job %d\n", soc->name, l.prog.n_tasks,
		      l.prog.one_job);
	igt_info("multi-task: %u tasks in one job\n", l.prog.n_tasks);
	run_loads("multi-task-job", &l, 1);
	load_fini(&l);
}

static void test_queue(int fd)
{
	struct load *l = calloc(QUEUE_JOBS, sizeof(*l));
	struct npu_conv2d_params p;

	igt_assert(l);
	small_conv(&p, 8, 32);
	for (unsigned int i = 0; i < QUEUE_JOBS; i++)
		load_init(&l[i], fd, &p, 10 + i);
	run_loads("queue", l, QUEUE_JOBS);
	for (unsigned int i = 0; i < QUEUE_JOBS; i++)
		load_fini(&l[i]);
	free(l);
}

/* Per-core activity through the PC registers: seen kicked or busy. */
struct core_watch {
	bool readable;
	unsigned int seen[ROCKET_MAX_CORES];
};

/* Idle cores are read too: only with every core held on. */
static void watch_sample(struct core_watch *w)
{
	for (unsigned int i = 0; i < soc_info.num_cores && !awake_err; i++) {
		uint32_t op = 0, base = 0;

		if (npu_mmio_read(mmio_soc, i, REG_PC_OPERATION_ENABLE, &op) ||
		    npu_mmio_read(mmio_soc, i, REG_PC_BASE_ADDRESS, &base))
			continue;
		w->readable = true;
		if (op || base)
			w->seen[i]++;
	}
}

static void run_many_files(const char *what, unsigned int fds, unsigned int per_fd,
			   struct core_watch *watch)
{
	unsigned int n = fds * per_fd;
	struct load *l = calloc(n, sizeof(*l));
	struct npu_conv2d_params p;
	int fd[ROCKET_MAX_CORES * 4];
	struct snapshot snap = { .taken = false };
	int64_t start;

	igt_assert(l && fds <= sizeof(fd) / sizeof(fd[0]));
	/* big enough to keep a core busy for a while: 32x32x64, 3x3 */
	small_conv(&p, 32, 64);
	for (unsigned int f = 0; f < fds; f++)
		fd[f] = rocket_open_device();
	for (unsigned int i = 0; i < n; i++)
		load_init(&l[i], fd[i % fds], &p, 100 + i);
	if (!watch) {
		run_loads(what, l, n);
	} else {
		counters_clear();
		start = rocket_monotonic_ns();
		for (unsigned int i = 0; i < n; i++) {
			rocket_npu_submit(l[i].run);
			watch_sample(watch);
		}
		/* Each job's deadline starts when the previous one is done. */
		for (unsigned int i = 0; i < n; i++) {
			int64_t job_start = rocket_monotonic_ns();

			while (rocket_npu_wait(l[i].run, 1) &&
			       rocket_monotonic_ns() - job_start <
			       COMPLETE_DEADLINE_MS * 1000000ll) {
				watch_sample(watch);
				if (!snap.taken && rocket_monotonic_ns() - job_start >=
				    ROCKET_DIAG_SNAPSHOT_MS * 1000000ll)
					snapshot_take(&snap);
			}
		}
		for (unsigned int i = 0; i < n; i++) {
			size_t wrong;
			bool u;

			if (!load_output_ok(&l[i], &wrong, &u))
				fail_incomplete(what, &l[i], 1,
						(rocket_monotonic_ns() - start) / 1000000, u,
						&snap);
		}
	}
	for (unsigned int i = 0; i < n; i++)
		load_fini(&l[i]);
	for (unsigned int f = 0; f < fds; f++)
		rocket_close_device(fd[f]);
	free(l);
}

static void test_all_cores(bool observe)
{
	struct core_watch w = { .readable = false };
	unsigned int idle = 0;

	igt_info("%u core(s): %u concurrent jobs from %u files\n", soc_info.num_cores,
		 soc_info.num_cores * JOBS_PER_CORE, soc_info.num_cores);
	run_many_files("all-cores", soc_info.num_cores, JOBS_PER_CORE, &w);
	if (!observe)
		return;
	igt_require_f(!awake_err, "per-core activity: the cores cannot be held on to read "
		      "idle cores' PC registers (%s)\n", strerror(-awake_err));
	igt_require_f(w.readable, "per-core activity: the PC registers cannot be read through "
		      "the platform (no register access)\n");
	for (unsigned int i = 0; i < soc_info.num_cores; i++) {
		igt_info("core %u (0x%llx): seen kicked or busy in %u samples\n", i,
			 (unsigned long long)soc_info.core_base[i], w.seen[i]);
		idle += !w.seen[i];
	}
	igt_assert_f(!idle, "%u of %u cores never seen kicked while %u jobs were queued\n",
		     idle, soc_info.num_cores, soc_info.num_cores * JOBS_PER_CORE);
}

igt_main
{
	int fd = -1;

	igt_fixture {
		fd = rocket_open_device();
		igt_assert_eq(rocket_identify_soc(&soc_info), 0);
		soc = soc_info.soc == ROCKET_SOC_RK3568 ? npu_soc_rk3568() : npu_soc_rk3588();
		mmio_soc = soc_info.soc == ROCKET_SOC_RK3568 ? NPU_MMIO_RK3568 : NPU_MMIO_RK3588;
		awake_err = hold_cores_on();
		if (awake_err)
			igt_info("cannot hold the cores on (%s): no register reads\n",
				 strerror(-awake_err));
	}

	igt_describe("Make sure a single-task conv job completes and writes every output.");
	igt_subtest("one-task")
		test_one_task(fd);

	igt_describe("Make sure a job of several height-tiled tasks runs every task to the end.");
	igt_subtest("multi-task-job")
		test_multi_task(fd);

	igt_describe("Make sure a queue of many jobs drains with every output written.");
	igt_subtest("queue")
		test_queue(fd);

	igt_describe("Make sure jobs from several open files at once all complete.");
	igt_subtest("multi-fd")
		run_many_files("multi-fd", MULTI_FDS, 2, NULL);

	igt_describe("Make sure every core completes jobs when the scheduler is saturated.");
	igt_subtest("all-cores")
		test_all_cores(false);

	igt_describe("Make sure the scheduler really uses every core under load, watched "
		     "through each core's PC registers.");
	igt_subtest("all-cores-busy")
		test_all_cores(true);

	igt_fixture {
		power_restore_now();
		rocket_close_device(fd);
	}
}
