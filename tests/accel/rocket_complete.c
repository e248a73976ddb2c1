// SPDX-License-Identifier: MIT
/*
 * rocket_complete — MAC/output completion: do conv jobs finish, write every
 * output byte and raise the DPU interrupt, alone and under load?
 *
 * The bring-up failure this binary exists for (README, RK3568 RFC): the NPU probes and accepts jobs, its DMA reads input and weights,
 * but the MAC/output stage never completes.  Each subtest runs conv jobs
 * built by lib/npu in raw int32 mode (bit-exact, RK3588 TRM ch. 36 rounding),
 * with the output buffer pre-filled with a canary, waits with a named
 * deadline, and compares every output with the CPU reference.  When
 * something did not complete, the VERDICT names the stage from what can be
 * measured: the DDMA bandwidth counters (vendor rknpu counters, RK356x only:
 * "counters n/a" elsewhere), the PC task status, whether the output is
 * untouched, and whether the wait ran into the 500 ms job timeout (rocket_job.c timeout).
 *
 * Registers are touched only with every core held on (power/control "on",
 * restored at exit): the NPU is normally runtime-suspended between jobs,
 * and a CPU access to a gated block is an SError, i.e. a panic, on
 * silicon (npu_mmio.h).  When the cores cannot be held on, nothing is
 * read and the facts say "n/a"/"unread".  The counters and PC task status
 * of a job that has not finished are read at ROCKET_DIAG_SNAPSHOT_MS,
 * before the kernel's 500 ms timeout and the core reset (rocket_job.c timeout), as the
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
#include "board/npu_mmio.h"
#include "platform/platform.h"
#include "board/power.h"
#include "rocket/rocket_diag.h"
#include "rocket/rocket_npu.h"

IGT_TEST_DESCRIPTION("MAC/output completion of conv jobs: one task, chained tasks, queues, "
		     "several files, every core; verdicts name the stage that did not finish.");

/* A conv job must finish within the scheduler's timeout plus reset (rocket_job.c timeout). */
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

/*
 * The diagnostics' view of the NPU (lib/rocket/rocket_diag.h): it holds
 * every core on (restored at exit), knows whether registers and the DDMA
 * counters can be read, and takes the register snapshot of a hung job.
 */
static struct rocket_diag diag;

/* What the first job that had not finished showed before the reset. */
struct snapshot {
	bool taken;
	unsigned int job;		/* index of that job in its set */
	struct stage_regs regs;
};

static void counters_clear(void)
{
	if (diag.counters)
		rocket_diag_clear_counters(&diag);
}

static void snapshot_take(struct snapshot *s, struct load *l, unsigned int job)
{
	rocket_diag_snapshot(&diag, (uint32_t)l->run->iova[NPU_SLOT_REGCMD],
			     (uint32_t)l->prog.slot_size[NPU_SLOT_REGCMD], &s->regs);
	s->job = job;
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

static uint64_t changed_bytes(const struct load *l)
{
	const uint8_t *b = l->run->map[NPU_SLOT_OUTPUT];
	uint64_t n = 0;

	for (uint64_t i = 0; i < l->prog.slot_size[NPU_SLOT_OUTPUT]; i++)
		n += b[i] != NPU_CANARY_BYTE;
	return n;
}

/*
 * Name the stage that did not complete, with the same decision as
 * rocket_stage_probe (stage_decide()): every binary that meets a fault
 * must name the same stage.  The byte counts are those of the jobs the
 * counters saw: the ones that finished before the hung one, and the hung
 * one itself.  A job of n height-tiled tasks that hangs is compared with
 * one task's share of the input (each task reads its rows and every
 * weight): an APPROXIMATION, the tasks' exact row bands are not exposed.
 */
static void __attribute__((noreturn))
fail_incomplete(const char *what, struct load *l, int64_t waited_ms, struct snapshot *snap)
{
	unsigned int jobs = snap->taken ? snap->job + 1 : 1;
	unsigned int tasks = l->prog.n_tasks ? l->prog.n_tasks : 1;
	struct stage_facts f;
	char facts[1024];
	int stage;

	stage_facts_init(&f, l->p.raw_int32 ? STAGE_PROG_CNA_CORE : STAGE_PROG_CONV);
	f.in_bytes = l->prog.slot_size[NPU_SLOT_INPUT] * (jobs - 1) +
		     l->prog.slot_size[NPU_SLOT_INPUT] / tasks;
	f.w_bytes = l->prog.slot_size[NPU_SLOT_WEIGHTS] * jobs;
	f.out_bytes = l->prog.slot_size[NPU_SLOT_OUTPUT] * jobs;
	f.counter_unit = diag.counter_unit;
	f.completed = !snap->taken;
	/* A hung job was watched until its snapshot (rocket_stage_probe alike). */
	f.waited_ms = snap->taken ? ROCKET_DIAG_SNAPSHOT_MS : (unsigned int)waited_ms;
	f.out_changed = changed_bytes(l);
	f.out_correct = false;
	if (snap->taken) {
		f.regs = snap->regs;
	} else if (!diag.regs_err && diag.awake) {
		/* Finished but wrong: the idle core is held on, read it now. */
		snapshot_take(snap, l, 0);
		f.regs = snap->regs;
	}
	stage = stage_decide(&f, facts, sizeof(facts));
	if (stage == STAGE_OK) {
		stage = VERDICT_DPU_OUTPUT;
		snprintf(facts, sizeof(facts), "output wrong after %lld ms",
			 (long long)waited_ms);
	}
	igt_fail_verdict(stage, "%s: %s", what, facts);
}

/*
 * Wait for one job up to the deadline; if it has not finished by
 * ROCKET_DIAG_SNAPSHOT_MS, take the snapshot (once) before the timeout's
 * reset can wipe what it would show.
 */
static void wait_job(struct load *l, unsigned int job, struct snapshot *snap)
{
	int64_t t0 = rocket_monotonic_ns();
	int ret = rocket_npu_wait(l->run, snap->taken ? COMPLETE_DEADLINE_MS :
				  ROCKET_DIAG_SNAPSHOT_MS);
	size_t wrong;
	bool untouched;

	if (snap->taken)
		return;
	if (!ret) {
		/*
		 * Woken past the scheduler's timeout (a busy machine): if this
		 * job hung, the reset has wiped its registers.  Record the
		 * snapshot as missed (registers invalid) rather than read a
		 * reset core later; a job that did finish is judged by its
		 * output and never uses it.
		 */
		if ((rocket_monotonic_ns() - t0) / 1000000 >= ROCKET_JOB_TIMEOUT_MS &&
		    !load_output_ok(l, &wrong, &untouched)) {
			memset(&snap->regs, 0, sizeof(snap->regs));
			snap->job = job;
			snap->taken = true;
		}
		return;
	}
	snapshot_take(snap, l, job);
	rocket_npu_wait(l->run, COMPLETE_DEADLINE_MS - ROCKET_DIAG_SNAPSHOT_MS);
}

/* Submit every load, wait for each in turn, verify all. */
static void run_loads(const char *what, struct load *loads, unsigned int n)
{
	int64_t start = rocket_monotonic_ns(), waited;
	unsigned int bad = 0, first_bad = 0;
	struct snapshot snap = { .taken = false };

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
		wait_job(&loads[i], i, &snap);
	waited = (rocket_monotonic_ns() - start) / 1000000;
	for (unsigned int i = 0; i < n; i++) {
		size_t wrong;
		bool u;

		if (!load_output_ok(&loads[i], &wrong, &u)) {
			if (!bad++)
				first_bad = i;
			igt_info("%s: job %u: %zu/%zu outputs wrong%s\n", what, i, wrong,
				 loads[i].out_n, u ? " (untouched)" : "");
		}
	}
	igt_info("%s: %u job(s), %u incomplete or wrong, all waited for in %lld ms\n", what, n,
		 bad, (long long)waited);
	if (bad)
		fail_incomplete(what, snap.taken ? &loads[snap.job] : &loads[first_bad],
				waited, &snap);
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

	/* 112x112x32 needs more data banks than CBUF has: height tiling (Mesa rkt_task.c rkt_split_tasks) */
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
	for (unsigned int i = 0; i < soc_info.num_cores && diag.awake && !diag.regs_err; i++) {
		uint32_t op = 0, base = 0;

		if (npu_mmio_read(soc_info.soc, i, REG_PC_OPERATION_ENABLE, &op) ||
		    npu_mmio_read(soc_info.soc, i, REG_PC_BASE_ADDRESS, &base))
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
					snapshot_take(&snap, &l[i], i);
			}
		}
		for (unsigned int i = 0; i < n; i++) {
			size_t wrong;
			bool u;

			if (!load_output_ok(&l[i], &wrong, &u))
				fail_incomplete(what, snap.taken ? &l[snap.job] : &l[i],
						(rocket_monotonic_ns() - start) / 1000000, &snap);
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
	igt_require_f(diag.awake, "per-core activity: the cores cannot be held on to read "
		      "idle cores' PC registers (%s)\n", strerror(-diag.awake_err));
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
		soc = npu_soc_for(soc_info.soc);
		/* Holds every core on before any register is touched. */
		rocket_diag_init(&diag, fd, soc);
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
