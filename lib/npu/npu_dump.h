/* SPDX-License-Identifier: MIT */
/*
 * npu_dump.h — captured command streams on disk (docs/regcmd-dump.md).
 *
 * Contract:
 * - A dump is a directory: a text manifest (first line
 *   "rkval-regcmd-dump 2", version 1 still read), the regcmd buffer as raw
 *   little-endian 64-bit entries, one file per other buffer, optionally an
 *   expected output.
 * - npu_dump_parse() reads manifest TEXT only (pure, unit-tested);
 *   npu_dump_load() reads a manifest file and every file it names
 *   (relative to the manifest's directory); npu_dump_write() writes one
 *   from a struct npu_program and its buffers.
 * - Reading is strict: anything malformed (a number that is not plain
 *   decimal or 0x-hex, extra words, a repeated directive, a NUL byte, a
 *   file that is not a regular file, a size above the limits below, a
 *   reloc or task past its buffer, an expected file of the wrong size) is
 *   refused with ONE message naming the manifest line ("line N: ..." from
 *   npu_dump_parse(), "MANIFEST: line N: ..." from npu_dump_load()), and
 *   on failure @d holds nothing to free (npu_dump_free() is still safe).
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
#define NPU_DUMP_VERSION	2	/* written; 2 added output-shape */
#define NPU_DUMP_VERSION_MIN	1	/* oldest still read */
#define NPU_DUMP_PATH_MAX	256
/* The kernel's job field pc_task_number_bits is 12 bits (drivers/accel/rocket). */
#define NPU_DUMP_MAX_TASKS	4096
/*
 * Limits of the tools, not of the hardware: one NPU layer's buffers are a
 * few MiB; a larger number in a manifest is far more likely a typo or a
 * corrupted file than a capture, and would make the tools allocate it.
 */
#define NPU_DUMP_MAX_BUFFER	(64u << 20)
#define NPU_DUMP_MAX_MANIFEST	(1u << 20)
#define NPU_DUMP_MAX_RELOCS	65536
#define NPU_DUMP_LINE_MAX	1024

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

/* The real output cube (version 2 "output-shape W H C"). */
struct npu_dump_shape {
	unsigned int w, h, c;
};

struct npu_dump {
	int version;
	char manifest[NPU_DUMP_PATH_MAX];	/* for messages */
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
	bool has_shape;
	struct npu_dump_shape shape;	/* compare only these elements */
	/* manifest line of each directive, for load-time messages */
	unsigned int *task_line, *reloc_line;
	unsigned int regcmd_line, expect_line, shape_line, last_line;
	unsigned int buf_line[NPU_SLOT_COUNT];
};

/* 0, or -EINVAL/-ENOMEM with "line N: reason" in err. */
int npu_dump_parse(const char *text, struct npu_dump *d, char *err, size_t errlen);
/* The same for @len bytes that may contain a NUL (refused by line). */
int npu_dump_parse_buf(const char *text, size_t len, struct npu_dump *d, char *err,
		       size_t errlen);
int npu_dump_load(const char *manifest_path, struct npu_dump *d, char *err, size_t errlen);
void npu_dump_free(struct npu_dump *d);

/*
 * Write @prog (already relocated to @iova) and the non-NULL @data[slot]
 * buffers into @dir (created if missing), plus @expected as expected.bin
 * if non-NULL, and @shape (may be NULL) as the output-shape line, so that
 * only real channels are compared.  Returns 0 or -errno.
 */
int npu_dump_write(const char *dir, const struct npu_program *prog,
		   const uint64_t iova[NPU_SLOT_COUNT], const void *const data[NPU_SLOT_COUNT],
		   const void *expected, size_t expected_size, enum npu_dump_cmp cmp,
		   int64_t tolerance, const struct npu_dump_shape *shape);

int npu_dump_rebase(struct npu_dump *d, const uint64_t iova[NPU_SLOT_COUNT]);

/*
 * Compare an output buffer with the dump's expectation: every element, or
 * with an output-shape only the real channels (unpacked from the SoC's
 * NC1HWC2 layout, so mismatches and per-channel statistics have
 * coordinates).
 */
void npu_dump_compare(const struct npu_dump *d, const void *seen, size_t seen_size,
		      struct npu_compare_stats *st);
const char *npu_dump_cmp_name(enum npu_dump_cmp cmp);

#endif /* RKVAL_NPU_DUMP_H */
