/* SPDX-License-Identifier: MIT */
/*
 * npu_dump.h — captured command streams on disk (docs/regcmd-dump.md).
 *
 * Contract:
 * - A dump is a directory: a text manifest (first line
 *   "rkval-regcmd-dump 1"), the regcmd buffer as raw little-endian 64-bit
 *   entries, one file per other buffer, optionally an expected output.
 * - npu_dump_parse() reads manifest TEXT only (pure, unit-tested);
 *   npu_dump_load() reads a manifest file and every file it names
 *   (relative to the manifest's directory); npu_dump_write() writes one
 *   from a struct npu_program and its buffers.
 * - npu_dump_rebase() moves the stream to new buffer IOVAs: by the
 *   manifest's reloc lines when present, else by rewriting every
 *   register value that falls inside a buffer's captured [iova, iova+size)
 *   (for foreign captures that only know addresses), then re-chains tasks.
 * Pure file I/O through stdio: a dump is a host file, not a device.
 */
#ifndef RKVAL_NPU_DUMP_H
#define RKVAL_NPU_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "npu/npu_program.h"
#include "npu/npu_ref.h"

#define NPU_DUMP_MAGIC		"rkval-regcmd-dump"
#define NPU_DUMP_VERSION	1
#define NPU_DUMP_PATH_MAX	256
#define NPU_DUMP_MAX_TASKS	4096	/* pc_task_number_bits 12 (kernel-rocket.md §5.1) */

enum npu_dump_cmp {
	NPU_DUMP_CMP_BYTES,	/* exact, byte by byte */
	NPU_DUMP_CMP_S8,	/* int8 elements, |error| <= tolerance */
	NPU_DUMP_CMP_S32,	/* little-endian int32 elements */
};

struct npu_dump_buffer {
	bool present;
	char file[NPU_DUMP_PATH_MAX];	/* "-" = zero-filled */
	uint64_t size;
	bool has_iova;
	uint64_t iova;			/* where it was at capture */
	void *data;			/* after npu_dump_load() */
};

struct npu_dump {
	int version;
	char soc[64];
	char dir[NPU_DUMP_PATH_MAX];
	bool one_job;
	struct npu_program prog;	/* words, tasks, relocs, slot sizes */
	struct npu_dump_buffer buf[NPU_SLOT_COUNT];	/* [REGCMD] is the stream */
	bool has_expect;
	char expect_file[NPU_DUMP_PATH_MAX];
	enum npu_dump_cmp cmp;
	int64_t tolerance;
	void *expect_data;
	uint64_t expect_size;
};

/* 0, or -EINVAL with "line N: reason" in err. */
int npu_dump_parse(const char *text, struct npu_dump *d, char *err, size_t errlen);
int npu_dump_load(const char *manifest_path, struct npu_dump *d, char *err, size_t errlen);
void npu_dump_free(struct npu_dump *d);

/*
 * Write @prog (already relocated to @iova) and the non-NULL @data[slot]
 * buffers into @dir (created if missing), plus @expected as expected.bin
 * if non-NULL.  Returns 0 or -errno.
 */
int npu_dump_write(const char *dir, const struct npu_program *prog,
		   const uint64_t iova[NPU_SLOT_COUNT], const void *const data[NPU_SLOT_COUNT],
		   const void *expected, size_t expected_size, enum npu_dump_cmp cmp,
		   int64_t tolerance);

int npu_dump_rebase(struct npu_dump *d, const uint64_t iova[NPU_SLOT_COUNT]);

/* Compare an output buffer with the dump's expectation. */
void npu_dump_compare(const struct npu_dump *d, const void *seen, size_t seen_size,
		      struct npu_compare_stats *st);
const char *npu_dump_cmp_name(enum npu_dump_cmp cmp);

#endif /* RKVAL_NPU_DUMP_H */
