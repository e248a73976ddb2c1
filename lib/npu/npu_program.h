/* SPDX-License-Identifier: MIT */
/*
 * npu_program.h — what a builder produces: regcmd words for all tasks of one
 * operation, the tasks' offsets and counts, the buffers (slots) it needs,
 * and the places where buffer IOVAs go.
 *
 * Contract:
 * - A builder fills prog->words with IOVA fields still relative (0 + offset)
 *   and lists each of them in prog->relocs.
 * - The caller allocates one BO per slot of non-zero prog->slot_size[]
 *   (NPU_SLOT_REGCMD holds prog->words), then calls
 *   npu_program_relocate(prog, iova) ONCE with all IOVAs: it writes every
 *   address and links the tasks (npu_regcmd_chain()).  It is idempotent, so
 *   a BO moved to another IOVA is one more call.
 * - Task i is submitted as { .regcmd = iova[REGCMD] + tasks[i].offset,
 *   .regcmd_count = tasks[i].count }; prog->one_job says whether all tasks
 *   belong to one job (weights stay in CBUF) or one job per task
 *   (Mesa rkt_task.c rkt_split_tasks, Mesa rkt_device.c, rocket_job.c).
 * Pure data: no device access.
 */
#ifndef RKVAL_NPU_PROGRAM_H
#define RKVAL_NPU_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "npu/npu_soc.h"

enum npu_slot {
	NPU_SLOT_REGCMD,
	NPU_SLOT_INPUT,
	NPU_SLOT_WEIGHTS,
	NPU_SLOT_BIAS,
	NPU_SLOT_OUTPUT,
	NPU_SLOT_EW,		/* second operand of an element-wise program */
	NPU_SLOT_COUNT,
};

const char *npu_slot_name(enum npu_slot slot);
/* -1 if unknown */
int npu_slot_by_name(const char *name);

struct npu_reloc {
	uint32_t entry;		/* index into prog->words */
	uint32_t slot;		/* enum npu_slot */
	uint32_t offset;	/* bytes added to the slot's IOVA */
};

struct npu_task_desc {
	uint32_t first;		/* index of the task's first entry */
	uint32_t count;		/* regcmd_count: entries incl. the tail */
	uint32_t offset;	/* byte offset in the regcmd buffer */
};

struct npu_program {
	const struct npu_soc *soc;
	uint64_t *words;	/* all tasks, each task_align-aligned */
	size_t n_words;		/* incl. padding (alignment, a zero word after an
				 * odd task); buffer = n_words * 8 */
	struct npu_task_desc *tasks;
	unsigned int n_tasks;
	struct npu_reloc *relocs;
	unsigned int n_relocs;
	uint64_t slot_size[NPU_SLOT_COUNT];	/* bytes; 0 = slot unused */
	bool one_job;
	uint32_t op_en;
};

void npu_program_init(struct npu_program *prog, const struct npu_soc *soc);
void npu_program_fini(struct npu_program *prog);

/*
 * Builder side: append one finished task stream (its tail included) at the
 * next task_align boundary; record a relocation for entry @entry of the task
 * being built (index relative to the task's first entry).
 */
int npu_program_add_task(struct npu_program *prog, const uint64_t *words, size_t count);
int npu_program_add_reloc(struct npu_program *prog, uint32_t task_entry_abs,
			  enum npu_slot slot, uint32_t offset);

/*
 * Caller side: patch every IOVA and chain the tasks.  iova[] is indexed by
 * enum npu_slot; unused slots are ignored.  -EINVAL if an address does not
 * fit the 32-bit value field or breaks an alignment rule (Mesa rkt_regcmd.c), leaving the program unchanged.
 */
int npu_program_relocate(struct npu_program *prog, const uint64_t iova[NPU_SLOT_COUNT]);

/* Amount to program in a chaining tail for a task of @count entries (per SoC). */
uint32_t npu_program_chain_amount(const struct npu_soc *soc, uint32_t count);

#endif /* RKVAL_NPU_PROGRAM_H */
