// SPDX-License-Identifier: MIT
/*
 * stream_golden — every register-command stream the suite submits,
 * encoded with fixed addresses, as one line per task (entry count and an
 * FNV-1a hash of the 64-bit words).
 *
 * The streams covered: rocket_conv's conv2d grid (int8 and raw int32) and
 * its element-wise add, the bring-up diagnostics' programs
 * (rocket_diag_prog_build_program(): DPU-only, CNA+CORE, full conv), lib/rocket's
 * DPU-only copy task (rocket_job_noop(), the iommu and power tests), the
 * iommu tests' hang entry, and one plain write to every register of the
 * description a regcmd can reach (the target each block's writes carry, as rocket_pc_fetch's
 * marker entries), each for every base SoC of npu_soc.c.
 *
 * Without arguments: unit checks (every program builds and relocates, a
 * second encoding is identical).  With --print: the golden lines, which
 * selftests/stream-golden.sh compares with selftests/golden/streams.txt,
 * so a register refactor that changes one word of one stream fails.
 * --dump NAME prints the words of the streams whose name starts with NAME.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "npu/npu_conv.h"
#include "npu/npu_ew.h"
#include "npu/npu_program.h"
#include "npu/npu_regs.h"
#include "npu/npu_soc.h"
#include "npu/regcmd.h"
#include "rocket/rocket.h"
#include "rocket/rocket_diag.h"
#include "../tests/accel/conv_grid.h"
#include "../tests/iommu/iommu_job.h"
#include "../selftests/unit/unit.h"

/* Fixed IOVAs: slot s at (s + 1) * 64 MiB, 32-bit and aligned for every register. */
#define GOLDEN_SLOT_SHIFT	26
/* lib/rocket's copy task: input and output atoms. */
#define GOLDEN_COPY_SRC		0x00100000u
#define GOLDEN_COPY_DST		0x00200000u
/* rocket_conv's element-wise case (run_ew_add()). */
#define GOLDEN_EW_W		16
#define GOLDEN_EW_H		8
#define GOLDEN_EW_C		48
/* FNV-1a, 64 bit */
#define FNV64_OFFSET		0xcbf29ce484222325ull
#define FNV64_PRIME		0x100000001b3ull

enum mode { MODE_CHECK, MODE_PRINT, MODE_DUMP };

static enum mode mode;
static const char *dump_prefix;
static unsigned int n_streams;

static uint64_t fnv64(const uint64_t *w, size_t n)
{
	uint64_t h = FNV64_OFFSET;

	for (size_t i = 0; i < n; i++)
		for (unsigned int b = 0; b < 8; b++) {
			h ^= (w[i] >> (8 * b)) & 0xff;
			h *= FNV64_PRIME;
		}
	return h;
}

/* One stream: print it, dump it, or check that encoding it again agrees. */
static void stream(const char *name, unsigned int task, const uint64_t *w, size_t n,
		   uint64_t again)
{
	uint64_t h = fnv64(w, n);

	n_streams++;
	switch (mode) {
	case MODE_PRINT:
		printf("%s task %u entries %zu fnv %016llx\n", name, task, n,
		       (unsigned long long)h);
		break;
	case MODE_DUMP:
		if (strncmp(name, dump_prefix, strlen(dump_prefix)))
			break;
		for (size_t i = 0; i < n; i++)
			printf("%s task %u [%zu] %016llx\n", name, task, i,
			       (unsigned long long)w[i]);
		break;
	case MODE_CHECK:
		if (h != again)
			UNIT_CHECK(0, "%s task %u: a second encoding differs", name, task);
		break;
	}
}

static void relocate(struct npu_program *prog)
{
	uint64_t iova[NPU_SLOT_COUNT];

	for (unsigned int s = 0; s < NPU_SLOT_COUNT; s++)
		iova[s] = (uint64_t)(s + 1) << GOLDEN_SLOT_SHIFT;
	if (npu_program_relocate(prog, iova))
		UNIT_CHECK(0, "relocating %u task(s) at fixed IOVAs", prog->n_tasks);
}

/* Every task of prog (relocated) and of the same program built again. */
static void program(const char *name, struct npu_program *prog, struct npu_program *again)
{
	relocate(prog);
	relocate(again);
	if (prog->n_tasks != again->n_tasks)
		UNIT_CHECK(0, "%s: task counts %u and %u", name, prog->n_tasks, again->n_tasks);
	for (unsigned int t = 0; t < prog->n_tasks && t < again->n_tasks; t++) {
		const struct npu_task_desc *d = &prog->tasks[t], *e = &again->tasks[t];

		stream(name, t, prog->words + d->first, d->count,
		       fnv64(again->words + e->first, e->count));
	}
}

static int build_case(const struct npu_soc *soc, const struct conv_case *c, bool raw,
		      const char *name, struct npu_program *prog)
{
	struct npu_conv2d_params p;
	const char *why;

	rng_seed(name);
	conv_params(c, raw, &p);
	npu_program_init(prog, soc);
	if (npu_conv2d_check(&p, &why))
		return -EINVAL;	/* rocket_conv skips it too */
	return npu_conv2d_build(soc, &p, prog);
}

static void conv_grid(const struct npu_soc *soc)
{
	static struct conv_case cases[MAX_CASES];
	unsigned int n = build_grid(cases), built = 0;

	for (unsigned int i = 0; i < n; i++)
		for (int raw = 0; raw <= 1; raw++) {
			struct npu_program a, b;
			char name[96], full[192];

			case_name(&cases[i], name, sizeof(name));
			snprintf(full, sizeof(full), "%s/%s/%s", soc->name, name,
				 raw ? "raw" : "int8");
			if (!build_case(soc, &cases[i], raw, name, &a) &&
			    !build_case(soc, &cases[i], raw, name, &b)) {
				program(full, &a, &b);
				built++;
			}
			npu_program_fini(&a);
			npu_program_fini(&b);
		}
	if (mode == MODE_CHECK)
		UNIT_CHECK(built > 0, "%s: %u of %u conv grid programs build", soc->name,
			   built, 2 * n);
}

static void ew_add(const struct npu_soc *soc)
{
	struct npu_ew_params p = { .w = GOLDEN_EW_W, .h = GOLDEN_EW_H, .c = GOLDEN_EW_C };
	struct npu_program a, b;
	char name[128];
	int ret;

	snprintf(name, sizeof(name), "%s/ew-add", soc->name);
	npu_program_init(&a, soc);
	npu_program_init(&b, soc);
	ret = npu_ew_add_build(soc, &p, &a) ? -1 : npu_ew_add_build(soc, &p, &b);
	if (mode == MODE_CHECK)
		UNIT_EQ(0, ret, "element-wise add builds");
	if (!ret)
		program(name, &a, &b);
	npu_program_fini(&a);
	npu_program_fini(&b);
}

static void diag_programs(const struct npu_soc *soc)
{
	for (unsigned int k = 0; k < STAGE_PROG_COUNT; k++) {
		struct rocket_diag_prog a, b;
		char name[128];

		snprintf(name, sizeof(name), "%s/diag-%s", soc->name, stage_program_name(k));
		rocket_diag_prog_build_program(&a, soc, k);
		rocket_diag_prog_build_program(&b, soc, k);
		program(name, &a.prog, &b.prog);
		rocket_diag_prog_free(&a);
		rocket_diag_prog_free(&b);
	}
}

/* lib/rocket's copy task, as is and with the iommu tests' hang entry. */
static void copy_task(void)
{
	const struct rocket_dpu_copy copy = { .src = GOLDEN_COPY_SRC, .dst = GOLDEN_COPY_DST };
	uint64_t a[ROCKET_DPU_COPY_ENTRIES], b[ROCKET_DPU_COPY_ENTRIES];
	int na = rocket_regcmd_dpu_copy(a, ROCKET_DPU_COPY_ENTRIES, &copy);
	int nb = rocket_regcmd_dpu_copy(b, ROCKET_DPU_COPY_ENTRIES, &copy);

	if (mode == MODE_CHECK)
		UNIT_EQ(ROCKET_DPU_COPY_ENTRIES, na, "lib/rocket's copy task has its entry count");
	if (na != ROCKET_DPU_COPY_ENTRIES || nb != na)
		return;
	stream("rocket/dpu-copy", 0, a, (size_t)na, fnv64(b, (size_t)nb));
	a[na - 1] = iommu_job_hang_entry();
	b[nb - 1] = iommu_job_hang_entry();
	stream("rocket/dpu-copy-hang", 0, a, (size_t)na, fnv64(b, (size_t)nb));
}

/*
 * A write of each register's offset to itself: its target and encoding.
 * Only the registers a regcmd can write (their block has a target): the
 * MMIO-only ones (DDMA) never appear in a stream.
 */
static void every_register(void)
{
	unsigned int n;
	const struct npu_reg_desc *regs = npu_reg_table(&n);
	struct npu_regcmd a, b;

	npu_regcmd_init(&a);
	npu_regcmd_init(&b);
	for (unsigned int i = 0; i < n; i++) {
		if (!npu_block_info(regs[i].block)->target)
			continue;
		npu_regcmd_emit(&a, regs[i].offset, regs[i].offset);
		npu_regcmd_emit(&b, regs[i].offset, regs[i].offset);
	}
	if (mode == MODE_CHECK)
		UNIT_EQ(0, a.error | b.error, "one write per described register encodes");
	stream("npu/every-register", 0, a.words, a.count, fnv64(b.words, b.count));
	npu_regcmd_fini(&a);
	npu_regcmd_fini(&b);
}

static int usage(void)
{
	fprintf(stderr, "usage: stream_golden [--print | --dump NAME-PREFIX]\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--print")) {
		mode = MODE_PRINT;
	} else if (argc == 3 && !strcmp(argv[1], "--dump")) {
		mode = MODE_DUMP;
		dump_prefix = argv[2];
	} else if (argc != 1) {
		return usage();
	}
	for (const char *const *s = npu_soc_base_names; *s; s++) {
		const struct npu_soc *soc = npu_soc_variant(*s);

		if (!soc) {
			fprintf(stderr, "stream_golden: no SoC %s\n", *s);
			return 1;
		}
		conv_grid(soc);
		ew_add(soc);
		diag_programs(soc);
	}
	copy_task();
	every_register();
	if (mode != MODE_CHECK)
		return 0;
	UNIT_CHECK(n_streams > 0, "%u streams encoded twice, identical", n_streams);
	return unit_done();
}
