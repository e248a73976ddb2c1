// SPDX-License-Identifier: MIT
/*
 * vnpu_regcmd_stream — mutated command streams fed through the rocket
 * uAPI into vnpu's PC -> CNA -> CORE -> DPU pipeline.
 *
 * Each iteration takes one of the suite's own programs (lib/npu builders:
 * an int8 conv, a raw int32 conv, a depthwise conv, the DPU-only
 * element-wise add, a larger int8 conv), relocates it into fresh BOs of a fresh file, mutates
 * 1-8 of its regcmd entries (bit flips, random or boundary values, other
 * register offsets, swapped entries; the task tails included) and submits
 * all its tasks as one job that lists every BO of the file.  Rules:
 *   - never crash (the sanitizer build turns any memory error into one);
 *   - never write outside the listed BOs: a canary BO of another file
 *     (another IOMMU domain) keeps its pattern;
 *   - never run past the timeout: every job has ended within the kernel's
 *     500 ms (rocket_job.c JOB_TIMEOUT_MS) of NPU time plus
 *     FUZZ_TIMEOUT_SLACK_MS; the 500 ms are the NPU's, so the host time
 *     the model's executors took in the round is added (vnpu_hw.h,
 *     vnpu_core_model_busy());
 *   - nothing outlives its file: once the file is closed and its job
 *     over, only the canary BO is alive (vnpu_introspect_live_bos()).
 * Jobs run FUZZ_ROUND at a time, one per file, on vnpu:rk3588's three
 * cores, so that hanging streams (most end by the timeout) cost less.
 */
#include <errno.h>
#include <math.h>
#include <sys/mman.h>

#include "fuzz_common.h"
#include "npu/npu_conv.h"
#include "npu/npu_ew.h"
#include "npu/npu_program.h"
#include "npu/npu_soc.h"
#include "platform/platform.h"
#include "rocket_accel.h"
#include "vnpu/vnpu_hw.h"
#include "vnpu/vnpu_introspect.h"

#define FUZZ_NAME		"vnpu_regcmd_stream"
#define FUZZ_DEVICE		"vnpu:rk3588"
#define FUZZ_ROUND		3	/* jobs at once: one per RK3588 core */
#define JOB_TIMEOUT_MS		500	/* drivers/accel/rocket/rocket_job.c */
/*
 * How late a job may end after its timeout: the executor's last unit of
 * work (one MAC row, one DMA row), the reset and scheduling on a loaded
 * 2-core CI machine, under the sanitizers.  The defect this guards
 * against ran 648 ms and 1366 ms.
 */
#define FUZZ_TIMEOUT_SLACK_MS	150
/*
 * How long to wait for a job before calling it lost (it never ended).  The
 * job's 500 ms are NPU time: the host may compute a large mutated conv for
 * up to vnpu's own limit on one executor run before the model calls it
 * hung (vnpu_hw.h), so the wait covers that limit, then the timeout.
 */
#define FUZZ_WAIT_MS		(VNPU_HOST_EXEC_LIMIT_MS + 3000)
#define FUZZ_MAX_TASKS		160	/* tasks of one job, repeats included */
#define CANARY_BYTE		0xa5
#define CANARY_SIZE		65536

enum base_program {
	BASE_CONV_INT8, BASE_CONV_RAW, BASE_CONV_DW, BASE_EW_ADD, BASE_CONV_LARGE,
	BASE_COUNT,
};
static const char *const base_names[BASE_COUNT] = {
	"conv-int8", "conv-raw", "conv-depthwise", "ew-add", "conv-large",
};

struct job_run {
	int fd;
	struct npu_program prog;
	struct drm_rocket_create_bo bo[NPU_SLOT_COUNT];
	uint32_t handles[NPU_SLOT_COUNT];
	unsigned int n_in;
	unsigned int n_tasks;		/* the program's tasks, maybe repeated */
	enum base_program base;
	double submitted;
	char mutations[160];
};

static int build_base(const struct npu_soc *soc, enum base_program base,
		      struct npu_program *prog)
{
	struct npu_conv2d_params p = {
		.in_h = 6, .in_w = 6, .in_c = 16, .out_c = 16, .k_h = 3, .k_w = 3,
		.stride = 1, .in_zp = -3, .w_zp = 1, .out_zp = 2,
		.in_scale = 0.05f, .w_scale = 0.01f, .out_scale = 0.2f,
	};
	struct npu_ew_params ew = { .w = 4, .h = 4, .c = 16 };

	npu_program_init(prog, soc);
	switch (base) {
	case BASE_CONV_RAW:
		p.raw_int32 = true;
		break;
	case BASE_CONV_DW:
		p.depthwise = true;
		break;
	case BASE_EW_ADD:
		return npu_ew_add_build(soc, &ew, prog);
	case BASE_CONV_LARGE:
		/* milliseconds per task, so repeats add up to the timeout */
		p.in_h = p.in_w = 32;
		p.in_c = p.out_c = 64;
		break;
	default:
		break;
	}
	npu_conv2d_same_padding(&p);
	return npu_conv2d_build(soc, &p, prog);
}

/* Interesting 32-bit values: boundaries of the fields the blocks decode. */
static uint32_t boundary_value(struct fuzz *f)
{
	static const uint32_t v[] = {
		0, 1, 2, 0xf, 0x10, 0x1f, 0xff, 0x100, 0x7ff, 0x800, 0xffff,
		0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff,
	};

	return v[fuzz_below(f, sizeof(v) / sizeof(v[0]))];
}

/* Mutate 1-8 entries of the program's words; describe them in r->mutations. */
static void mutate(struct fuzz *f, struct job_run *r)
{
	uint64_t *w = r->prog.words;
	size_t n = r->prog.n_words, len = 0;
	unsigned int count = 1 + fuzz_below(f, 8);

	r->mutations[0] = '\0';
	for (unsigned int m = 0; m < count; m++) {
		size_t i = fuzz_below(f, (uint32_t)n);
		uint32_t value = (uint32_t)(w[i] >> 16);
		uint16_t reg = (uint16_t)w[i];
		uint64_t target = w[i] & 0xffff000000000000ull;
		unsigned int kind = fuzz_below(f, 5);

		switch (kind) {
		case 0:
			value ^= 1u << fuzz_below(f, 32);
			break;
		case 1:
			value = (uint32_t)fuzz_u64(f);
			break;
		case 2:
			value = boundary_value(f);
			break;
		case 3:
			/* another register of the same 4 KiB block, 4-aligned */
			reg = (uint16_t)((reg & 0xf000) | (fuzz_below(f, 0x400) * 4));
			break;
		default: {
			size_t j = fuzz_below(f, (uint32_t)n);
			uint64_t t = w[i];

			w[i] = w[j];
			w[j] = t;
			len += (size_t)snprintf(r->mutations + len,
						len < sizeof(r->mutations) ? sizeof(r->mutations) - len : 0,
						"swap(%zu,%zu) ", i, j);
			continue;
		}
		}
		w[i] = target | (uint64_t)value << 16 | reg;
		if (len < sizeof(r->mutations))
			len += (size_t)snprintf(r->mutations + len, sizeof(r->mutations) - len,
						"%zu:%x=%x ", i, reg, value);
	}
}

static int ioctl_err(int fd, unsigned long req, void *arg)
{
	return plat_ioctl(fd, req, arg) < 0 ? -errno : 0;
}

/* Fresh file and BOs, relocated program, random operands; 0 or -errno. */
static int job_prepare(struct fuzz *f, const struct npu_soc *soc, struct job_run *r)
{
	uint64_t iova[NPU_SLOT_COUNT] = { 0 };
	int ret;

	memset(r, 0, sizeof(*r));
	r->base = (enum base_program)fuzz_below(f, BASE_COUNT);
	ret = build_base(soc, r->base, &r->prog);
	if (ret)
		return ret;
	r->fd = plat_open("/dev/accel/accel0", 2 /* O_RDWR */);
	if (r->fd < 0)
		return -errno;
	r->prog.slot_size[NPU_SLOT_REGCMD] = r->prog.n_words * sizeof(uint64_t);
	for (int s = 0; s < NPU_SLOT_COUNT; s++) {
		if (!r->prog.slot_size[s])
			continue;
		r->bo[s].size = (uint32_t)r->prog.slot_size[s];
		ret = ioctl_err(r->fd, DRM_IOCTL_ROCKET_CREATE_BO, &r->bo[s]);
		if (ret)
			return ret;
		iova[s] = r->bo[s].dma_address;
	}
	ret = npu_program_relocate(&r->prog, iova);
	if (ret)
		return ret;
	mutate(f, r);
	/*
	 * One job in four runs its tasks over and over (up to
	 * FUZZ_MAX_TASKS): many short executor runs that, together, may
	 * outlast the job timeout -- the way the timeout once went unseen.
	 */
	r->n_tasks = r->prog.n_tasks;
	if (!fuzz_below(f, 4))
		r->n_tasks *= 1 + fuzz_below(f, FUZZ_MAX_TASKS / r->n_tasks);
	for (int s = 0; s < NPU_SLOT_COUNT; s++) {
		uint8_t *p;

		if (!r->bo[s].handle)
			continue;
		p = plat_mmap(NULL, r->bo[s].size, PROT_READ | PROT_WRITE, MAP_SHARED,
			      r->fd, (off_t)r->bo[s].offset);
		if (p == MAP_FAILED)
			return -errno;
		if (s == NPU_SLOT_REGCMD)
			memcpy(p, r->prog.words, r->prog.n_words * sizeof(uint64_t));
		else
			for (uint32_t i = 0; i < r->bo[s].size; i++)
				p[i] = (uint8_t)fuzz_u64(f);
		plat_munmap(p, r->bo[s].size);
	}
	return 0;
}

/* All tasks as one job; every BO of the file listed, output last. */
static int job_submit(struct job_run *r)
{
	struct drm_rocket_task tasks[FUZZ_MAX_TASKS];
	struct drm_rocket_job job = { 0 };
	struct drm_rocket_submit submit = { 0 };
	unsigned int n = 0;

	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		if (r->bo[s].handle && s != NPU_SLOT_OUTPUT)
			r->handles[n++] = r->bo[s].handle;
	r->n_in = n;
	r->handles[n] = r->bo[NPU_SLOT_OUTPUT].handle;
	for (unsigned int t = 0; t < r->n_tasks; t++) {
		const struct npu_task_desc *d = &r->prog.tasks[t % r->prog.n_tasks];

		tasks[t].regcmd = r->bo[NPU_SLOT_REGCMD].dma_address + d->offset;
		tasks[t].regcmd_count = d->count;
	}
	job.tasks = (uintptr_t)tasks;
	job.task_count = r->n_tasks;
	job.task_struct_size = sizeof(tasks[0]);
	job.in_bo_handles = (uintptr_t)r->handles;
	job.in_bo_handle_count = r->n_in;
	job.out_bo_handles = (uintptr_t)&r->handles[n];
	job.out_bo_handle_count = 1;
	submit.jobs = (uintptr_t)&job;
	submit.job_count = 1;
	submit.job_struct_size = sizeof(job);
	r->submitted = fuzz_now();
	return ioctl_err(r->fd, DRM_IOCTL_ROCKET_SUBMIT, &submit);
}

/* Host time every core's executor runs have taken so far. */
static uint64_t host_exec_ns(void)
{
	struct vnpu_introspect_core c;
	uint64_t ns = 0;

	for (unsigned int i = 0; !vnpu_introspect_core(i, &c); i++)
		ns += c.host_exec_ns;
	return ns;
}

/* Has the job ended? A zero-timeout PREP_BO on its out BO (rocket_gem.c). */
static int job_ended(struct job_run *r)
{
	struct drm_rocket_prep_bo prep = { .handle = r->bo[NPU_SLOT_OUTPUT].handle };

	return plat_ioctl(r->fd, DRM_IOCTL_ROCKET_PREP_BO, &prep) >= 0;
}

/*
 * Poll the round's jobs until each has ended, or until FUZZ_WAIT_MS
 * passed beyond the host time vnpu's executors spent since host0: a job
 * of many large tasks is computed in several executor runs, each of which
 * may take seconds under the sanitizers on a loaded machine, and all of
 * that is host time the job's NPU-time timeout does not count.  A job
 * that is lost makes no executor progress, so the wait still ends.
 * ms[i] is how long job i took from its submit, -1 if it never ended.
 * Polling, not one blocking wait after another, so that each job's own
 * time is measured, not its predecessor's.
 */
static void jobs_wait(struct job_run *r, unsigned int n, double *ms, uint64_t host0)
{
	const struct timespec tick = { 0, 1000000 };
	unsigned int left = n;
	double start = fuzz_now();

	for (unsigned int i = 0; i < n; i++)
		ms[i] = -1;
	while (left && (fuzz_now() - start) * 1000.0 <
	       FUZZ_WAIT_MS + (double)(host_exec_ns() - host0) / 1e6) {
		for (unsigned int i = 0; i < n; i++) {
			if (ms[i] >= 0 || !job_ended(&r[i]))
				continue;
			ms[i] = (fuzz_now() - r[i].submitted) * 1000.0;
			left--;
		}
		nanosleep(&tick, NULL);
	}
}

static void job_close(struct job_run *r)
{
	if (r->fd > 0)
		plat_close(r->fd);
	npu_program_fini(&r->prog);
	r->fd = -1;
}

static int canary_intact(int fd, const struct drm_rocket_create_bo *bo)
{
	uint8_t *p = plat_mmap(NULL, bo->size, PROT_READ, MAP_SHARED, fd, (off_t)bo->offset);
	int ok = p != MAP_FAILED;

	for (uint32_t i = 0; ok && i < bo->size; i++)
		ok = p[i] == CANARY_BYTE;
	if (p != MAP_FAILED)
		plat_munmap(p, bo->size);
	return ok;
}

int main(int argc, char **argv)
{
	const struct npu_soc *soc = npu_soc_variant("rk3588");
	struct drm_rocket_create_bo canary = { .size = CANARY_SIZE };
	struct job_run runs[FUZZ_ROUND];
	unsigned int completed = 0, timed_out = 0;
	double longest_ms = 0;
	struct fuzz f;
	uint8_t *p;
	int guard_fd;

	fuzz_init(&f, FUZZ_NAME, argc, argv);
	plat_configure(FUZZ_DEVICE);
	if (plat_init() || !soc) {
		fprintf(stderr, "%s: cannot boot %s\n", FUZZ_NAME, FUZZ_DEVICE);
		return FUZZ_EXIT_USAGE;
	}
	/* The canary: another file, so another IOMMU domain (rocket_open()). */
	guard_fd = plat_open("/dev/accel/accel0", 2);
	if (guard_fd < 0 || ioctl_err(guard_fd, DRM_IOCTL_ROCKET_CREATE_BO, &canary)) {
		fprintf(stderr, "%s: cannot create the canary BO\n", FUZZ_NAME);
		return FUZZ_EXIT_USAGE;
	}
	p = plat_mmap(NULL, CANARY_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, guard_fd,
		      (off_t)canary.offset);
	if (p == MAP_FAILED)
		return FUZZ_EXIT_USAGE;
	memset(p, CANARY_BYTE, CANARY_SIZE);
	plat_munmap(p, CANARY_SIZE);

	while (fuzz_more(&f)) {
		unsigned int n = 0;
		double deadline_ms = JOB_TIMEOUT_MS + FUZZ_TIMEOUT_SLACK_MS, ms[FUZZ_ROUND];
		uint64_t host0 = host_exec_ns();

		for (; n < FUZZ_ROUND && f.done + n < f.iterations; n++) {
			int ret = job_prepare(&f, soc, &runs[n]);

			if (!ret)
				ret = job_submit(&runs[n]);
			if (ret)
				fuzz_defect(&f, "%s: preparing or submitting a job failed (%d)",
					    base_names[runs[n].base], ret);
		}
		jobs_wait(runs, n, ms, host0);
		deadline_ms += (double)(host_exec_ns() - host0) / 1e6;
		for (unsigned int i = 0; i < n; i++) {
			if (ms[i] > longest_ms)
				longest_ms = ms[i];
			if (ms[i] < 0 || ms[i] > deadline_ms)
				fuzz_defect(&f, "%s job %s (%.0f ms, limit %.0f ms); mutations %s",
					    base_names[runs[i].base],
					    ms[i] < 0 ? "never ended" : "ran past the timeout",
					    ms[i], deadline_ms, runs[i].mutations);
			job_close(&runs[i]);
		}
		f.done += n;
		if (!canary_intact(guard_fd, &canary))
			fuzz_defect(&f, "a BO of another file was written (round of %u jobs)", n);
		if (vnpu_introspect_live_bos() != 1)
			fuzz_defect(&f, "%u BOs alive after the round's files closed (expected 1)",
				    vnpu_introspect_live_bos());
		if (f.defects > 20)
			break;	/* enough to debug; do not flood the log */
	}
	plat_close(guard_fd);
	for (unsigned int c = 0; c < FUZZ_ROUND; c++) {
		struct vnpu_introspect_core core;

		if (vnpu_introspect_core(c, &core))
			continue;
		completed += core.jobs_done;
		timed_out += core.jobs_timed_out;
	}
	printf("%s: %u jobs completed, %u timed out, longest %.0f ms\n", FUZZ_NAME,
	       completed, timed_out, longest_ms);
	return fuzz_finish(&f);
}
