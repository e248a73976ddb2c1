// SPDX-License-Identifier: MIT
/*
 * rkval-replay — submit a captured NPU command stream again and compare its
 * output with the expected file.
 *
 *   rkval-replay [--device SPEC] [--timeout-ms N] [--save-output FILE]
 *                [--dry-run] MANIFEST
 *
 * MANIFEST is a dump (docs/regcmd-dump.md): the regcmd buffer, the input/
 * weights/bias/ew buffers and optionally an expected output.  The tool
 * creates one BO per buffer, moves the stream to the new IOVAs (reloc lines,
 * else by address ranges), re-chains the tasks, fills the output with
 * NPU_CANARY_BYTE, submits (one job, or one job per task, as captured),
 * waits, and compares.  --dry-run does everything but the device: it
 * rebases to made-up IOVAs and prints the plan.  --timeout-ms N (1 to
 * 86400000, default the kernel's job timeout plus reset) bounds the wait.
 *
 * Exit: 0 output matches (or no expectation), 1 mismatch, 2 usage,
 * 3 setup/device error.  Device access goes through lib/rocket's
 * non-asserting wrappers and plat_*() only.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "npu/npu_dump.h"
#include "npu/npu_ref.h"
#include "platform/platform.h"
#include "rocket/rocket.h"
#include "util/num_parse.h"

#define EXIT_MATCH	0
#define EXIT_MISMATCH	1
#define EXIT_USAGE	2
#define EXIT_SETUP	3

/* --timeout-ms: a bound against typos (one day), not a kernel limit. */
#define REPLAY_TIMEOUT_MAX_MS	(24 * 3600 * 1000ll)

/* --dry-run IOVAs: 16 MiB apart, below 4 GiB (Mesa rkt_regcmd.c) */
#define DRY_RUN_IOVA_BASE	0x10000000ull
#define DRY_RUN_IOVA_STEP	0x01000000ull

struct replay_bo {
	uint32_t handle;
	uint64_t size;
	uint64_t iova;
	void *map;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: rkval-replay [--device SPEC] [--timeout-ms N] [--save-output FILE]\n"
		   "                    [--dry-run] MANIFEST\n");
}

static void print_plan(const struct npu_dump *d, const uint64_t iova[NPU_SLOT_COUNT])
{
	printf("# soc %s, %u task(s), %s\n", d->soc, d->prog.n_tasks,
	       d->one_job ? "one job" : "one job per task");
	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		if (d->buf[s].present)
			printf("# %-8s %8" PRIu64 " bytes at 0x%08" PRIx64 "\n", npu_slot_name(s),
			       d->buf[s].size, iova[s]);
	for (unsigned int t = 0; t < d->prog.n_tasks; t++)
		printf("# task %u: regcmd 0x%08" PRIx64 " count %" PRIu32 "\n", t,
		       iova[NPU_SLOT_REGCMD] + d->prog.tasks[t].offset, d->prog.tasks[t].count);
}

static int bo_create(int fd, uint64_t size, struct replay_bo *bo)
{
	struct drm_rocket_create_bo args = { .size = (uint32_t)size };
	int ret = __rocket_create_bo(fd, &args);

	if (ret)
		return ret;
	bo->handle = args.handle;
	bo->size = size;
	bo->iova = args.dma_address;
	bo->map = plat_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			    (off_t)args.offset);
	if (bo->map == MAP_FAILED) {
		bo->map = NULL;
		return -errno;
	}
	return 0;
}

static void bo_destroy(int fd, struct replay_bo *bo)
{
	if (bo->map)
		plat_munmap(bo->map, bo->size);
	if (bo->handle)
		__rocket_gem_close(fd, bo->handle);
	memset(bo, 0, sizeof(*bo));
}

static void fill_regcmd(const struct npu_dump *d, uint8_t *dst)
{
	for (size_t i = 0; i < d->prog.n_words; i++)
		for (int b = 0; b < 8; b++)
			dst[8 * i + b] = (uint8_t)(d->prog.words[i] >> (8 * b));
}

static int submit(int fd, const struct npu_dump *d, const struct replay_bo bo[NPU_SLOT_COUNT],
		  const uint64_t iova[NPU_SLOT_COUNT])
{
	unsigned int n_tasks = d->prog.n_tasks, n_jobs = d->one_job ? 1 : n_tasks;
	struct drm_rocket_task *tasks = calloc(n_tasks, sizeof(*tasks));
	struct drm_rocket_job *jobs = calloc(n_jobs, sizeof(*jobs));
	uint32_t in[NPU_SLOT_COUNT], out[1];
	struct drm_rocket_submit args = { 0 };
	unsigned int n_in = 0;
	int ret;

	if (!tasks || !jobs) {
		free(tasks);
		free(jobs);
		return -ENOMEM;
	}
	/* like Mesa (Mesa rkt_device.c, rocket_job.c): inputs read, the output written */
	if (bo[NPU_SLOT_INPUT].handle)
		in[n_in++] = bo[NPU_SLOT_INPUT].handle;
	if (bo[NPU_SLOT_EW].handle)
		in[n_in++] = bo[NPU_SLOT_EW].handle;
	out[0] = bo[NPU_SLOT_OUTPUT].handle;
	for (unsigned int t = 0; t < n_tasks; t++) {
		tasks[t].regcmd = (uint32_t)(iova[NPU_SLOT_REGCMD] + d->prog.tasks[t].offset);
		tasks[t].regcmd_count = d->prog.tasks[t].count;
	}
	for (unsigned int j = 0; j < n_jobs; j++) {
		jobs[j].tasks = (uintptr_t)(tasks + (d->one_job ? 0 : j));
		jobs[j].task_count = d->one_job ? n_tasks : 1;
		jobs[j].task_struct_size = sizeof(*tasks);
		jobs[j].in_bo_handles = (uintptr_t)in;
		jobs[j].in_bo_handle_count = n_in;
		jobs[j].out_bo_handles = (uintptr_t)out;
		jobs[j].out_bo_handle_count = out[0] ? 1 : 0;
	}
	args.jobs = (uintptr_t)jobs;
	args.job_count = n_jobs;
	args.job_struct_size = sizeof(*jobs);
	ret = __rocket_submit(fd, &args);
	free(tasks);
	free(jobs);
	return ret;
}

static int report(const struct npu_dump *d, const void *out, size_t size)
{
	struct npu_compare_stats st;
	struct npu_accuracy acc;
	char line[512], why[192];
	bool stats_ok;

	if (!d->has_expect) {
		printf("output: %s (no expectation in the manifest)\n",
		       npu_buffer_untouched(out, size) ? "untouched" : "written");
		return EXIT_MATCH;
	}
	npu_dump_compare(d, out, size, &st);
	npu_compare_summary(&st, line, sizeof(line));
	printf("compare (%s, tolerance %" PRId64 "): %s\n", npu_dump_cmp_name(d->cmp),
	       d->tolerance, line);
	npu_compare_stats_line(&st, line, sizeof(line));
	printf("  %s\n", line);
	for (unsigned int i = 0; i < st.n_first; i++)
		printf("  mismatch at element %zu: expected %" PRId64 " seen %" PRId64 "\n",
		       st.first[i].index, st.first[i].expected, st.first[i].seen);
	/* the same statistical criteria as rocket_conv (docs/accuracy.md) */
	npu_accuracy_default(&acc);
	stats_ok = npu_compare_stats_ok(&st, &acc, why, sizeof(why));
	if (!stats_ok)
		printf("statistics: %s\n", why);
	return npu_compare_ok(&st) && stats_ok && !st.untouched ? EXIT_MATCH : EXIT_MISMATCH;
}

static int save(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -errno;
	ok = fwrite(data, 1, size, f) == size;
	return fclose(f) || !ok ? -EIO : 0;
}

/*
 * A dump made for another SoC is another NPU's program (PC amount unit,
 * CBUF banks, layouts: docs/regcmd-dump.md); its result says nothing
 * about this NPU.  Say so before running it.  A variant such as
 * "rk3568-fork" belongs to its base SoC.
 */
static void note_other_soc(const struct npu_dump *d)
{
	struct rocket_soc_info info;
	const char *dev;
	size_t n;

	if (rocket_identify_soc(&info))
		return;
	dev = hw_soc_name(info.soc);
	n = strlen(dev);
	if (strncmp(d->soc, dev, n) || (d->soc[n] && d->soc[n] != '-'))
		fprintf(stderr, "rkval-replay: the dump is for soc %s, the device is %s (%s): "
			"not this NPU's program\n", d->soc, dev, plat_describe());
}

static int run(struct npu_dump *d, const char *device, int64_t timeout_ms,
	       const char *save_path)
{
	struct replay_bo bo[NPU_SLOT_COUNT] = { { 0 } };
	uint64_t iova[NPU_SLOT_COUNT] = { 0 };
	int fd, ret, rc = EXIT_SETUP;

	plat_configure(device);
	fd = __rocket_open_device();
	if (fd < 0) {
		fprintf(stderr, "rkval-replay: no device (%s): %s\n", plat_describe(),
			plat_init_error() ? plat_init_error() : strerror(-fd));
		return EXIT_SETUP;
	}
	note_other_soc(d);
	for (int s = 0; s < NPU_SLOT_COUNT; s++) {
		if (!d->buf[s].present)
			continue;
		ret = bo_create(fd, d->buf[s].size, &bo[s]);
		if (ret) {
			fprintf(stderr, "rkval-replay: %s BO: %s\n", npu_slot_name(s),
				strerror(-ret));
			goto out;
		}
		iova[s] = bo[s].iova;
	}
	if (!bo[NPU_SLOT_OUTPUT].map) {
		fprintf(stderr, "rkval-replay: the manifest has no output buffer\n");
		goto out;
	}
	ret = npu_dump_rebase(d, iova);
	if (ret) {
		fprintf(stderr, "rkval-replay: cannot move the stream to the new IOVAs\n");
		goto out;
	}
	print_plan(d, iova);
	fill_regcmd(d, bo[NPU_SLOT_REGCMD].map);
	for (int s = NPU_SLOT_REGCMD + 1; s < NPU_SLOT_COUNT; s++)
		if (bo[s].map && s != NPU_SLOT_OUTPUT)
			memcpy(bo[s].map, d->buf[s].data, d->buf[s].size);
	npu_canary_fill(bo[NPU_SLOT_OUTPUT].map, bo[NPU_SLOT_OUTPUT].size);
	for (int s = 0; s < NPU_SLOT_COUNT; s++) {
		struct drm_rocket_fini_bo fini = { .handle = bo[s].handle };

		if (bo[s].handle && __rocket_fini_bo(fd, &fini) < 0)
			fprintf(stderr, "rkval-replay: FINI_BO %s failed\n", npu_slot_name(s));
	}

	ret = submit(fd, d, bo, iova);
	if (ret) {
		fprintf(stderr, "rkval-replay: SUBMIT failed: %s\n", strerror(-ret));
		goto out;
	}
	ret = __rocket_bo_wait(fd, bo[NPU_SLOT_OUTPUT].handle, timeout_ms);
	if (ret) {
		fprintf(stderr, "rkval-replay: waiting for the output: %s\n", strerror(-ret));
		goto out;
	}
	if (save_path && save(save_path, bo[NPU_SLOT_OUTPUT].map, bo[NPU_SLOT_OUTPUT].size))
		fprintf(stderr, "rkval-replay: cannot write %s\n", save_path);
	rc = report(d, bo[NPU_SLOT_OUTPUT].map, bo[NPU_SLOT_OUTPUT].size);
out:
	for (int s = 0; s < NPU_SLOT_COUNT; s++)
		bo_destroy(fd, &bo[s]);
	plat_close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	const char *manifest = NULL, *device = NULL, *save_path = NULL;
	int64_t timeout_ms = ROCKET_BAD_JOB_WAIT_MS;
	char err[512] = "";
	struct npu_dump d;
	int dry_run = 0, rc;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--device") && i + 1 < argc)
			device = argv[++i];
		else if (!strcmp(argv[i], "--timeout-ms") && i + 1 < argc) {
			if (num_option_s64("--timeout-ms", argv[++i], 0, 1,
					   REPLAY_TIMEOUT_MAX_MS, &timeout_ms))
				return usage(stderr), EXIT_USAGE;
		}
		else if (!strcmp(argv[i], "--save-output") && i + 1 < argc)
			save_path = argv[++i];
		else if (!strcmp(argv[i], "--dry-run"))
			dry_run = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return usage(stdout), 0;
		else if (!manifest && argv[i][0] != '-')
			manifest = argv[i];
		else
			return usage(stderr), EXIT_USAGE;
	}
	if (!manifest)
		return usage(stderr), EXIT_USAGE;
	if (npu_dump_load(manifest, &d, err, sizeof(err))) {
		fprintf(stderr, "rkval-replay: %s\n", err);
		return EXIT_SETUP;
	}
	if (dry_run) {
		uint64_t iova[NPU_SLOT_COUNT];

		for (int s = 0; s < NPU_SLOT_COUNT; s++)
			iova[s] = DRY_RUN_IOVA_BASE + s * DRY_RUN_IOVA_STEP;
		rc = npu_dump_rebase(&d, iova) ? EXIT_SETUP : EXIT_MATCH;
		print_plan(&d, iova);
		printf("dry run: %s\n",
		       rc ? "cannot rebase" : "manifest and buffers are consistent");
	} else {
		rc = run(&d, device, timeout_ms, save_path);
	}
	npu_dump_free(&d);
	return rc;
}
