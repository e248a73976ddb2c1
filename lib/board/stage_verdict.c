// SPDX-License-Identifier: MIT
/*
 * stage_verdict.c — facts -> stage (see stage_verdict.h).
 *
 * The rules follow the data path (Mesa rkt_regcmd.c, RK3588 TRM ch. 36, rocket_job.c hw_submit,
 * rocket_job.c completion): the PC fetches the list through the MMU and broadcasts op_en; the
 * CNA reads input and weights (DDMA DT_RD / WT_RD); the CORE multiplies;
 * the DPU writes the output (DT_WR) and raises DPU_0/DPU_1.  The first
 * link of that chain that shows no progress is the stage.  Each rule
 * states the evidence it needs; a rule whose evidence is missing (no
 * registers, no counters) is skipped rather than guessed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "board/stage_verdict.h"

/* Entries per amount unit: scale 2 (RK3588, rocket) / scale 1 (vendor RK356x), vendor rknpu rknpu_config. */
#define PC_ENTRIES_128BIT	2
#define PC_ENTRIES_64BIT	1

static const char *const program_names[STAGE_PROG_COUNT] = {
	[STAGE_PROG_DPU_ONLY] = "dpu-only",
	[STAGE_PROG_CNA_CORE] = "cna-core-raw",
	[STAGE_PROG_CONV] = "conv",
};

static const char *const block_names[STAGE_BLK_COUNT] = {
	[STAGE_BLK_CNA] = "CNA",
	[STAGE_BLK_CORE] = "CORE",
	[STAGE_BLK_DPU] = "DPU",
	[STAGE_BLK_DPU_RDMA] = "DPU_RDMA",
};

const char *stage_program_name(enum stage_program p)
{
	return (unsigned int)p < STAGE_PROG_COUNT ? program_names[p] : "?";
}

const char *stage_block_name(enum stage_block b)
{
	return (unsigned int)b < STAGE_BLK_COUNT ? block_names[b] : "?";
}

void stage_facts_init(struct stage_facts *f, enum stage_program program)
{
	memset(f, 0, sizeof(*f));
	f->program = program;
	f->counter_unit = 1;
	f->other_progress = -1;
}

bool stage_regs_op_en_latched(const struct stage_regs *r)
{
	if (!r->valid)
		return false;
	if (r->global_op_en)
		return true;
	for (unsigned int b = 0; b < STAGE_BLK_COUNT; b++)
		if (r->op_en[b])
			return true;
	return false;
}

int stage_regs_format(const struct stage_regs *r, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return 0;
	buf[0] = '\0';
	if (!r->valid)
		return snprintf(buf, len, "registers not read");
#define ADD(...) do {							\
		if (n < len)						\
			n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__); \
	} while (0)
	ADD("PC base 0x%x amounts 0x%x int 0x%x raw 0x%x task 0x%x global op_en 0x%x",
	    r->pc_base_address, r->pc_register_amounts, r->pc_int_status,
	    r->pc_raw_status, r->pc_task_status, r->global_op_en);
	for (unsigned int b = 0; b < STAGE_BLK_COUNT; b++)
		ADD("; %s s_pointer 0x%x op_en 0x%x/0x%x", block_names[b], r->s_pointer[b],
		    r->op_en[b], r->op_en_alt[b]);
	if (r->counters_valid)
		ADD("; DDMA DT_RD %u WT_RD %u DT_WR %u", r->dt_rd, r->wt_rd, r->dt_wr);
	else
		ADD("; DDMA counters n/a");
	if (r->mmu_valid)
		ADD("; MMU dte 0x%x status 0x%x fault 0x%x int 0x%x", r->mmu_dte_addr,
		    r->mmu_status, r->mmu_fault_addr, r->mmu_int_rawstat);
#undef ADD
	return (int)n;
}

/* ---- the measured quantities, each "unknown" when its evidence is missing ---- */

struct stage_eval {
	const struct stage_facts *f;
	bool counters;		/* counter values usable */
	uint64_t rd_in, rd_w, wr;	/* bytes per counters */
	bool dpu_irq;		/* DPU_0/DPU_1 in the snapshot */
	bool latched;
	bool moved;		/* any byte read or written (by counters or output) */
	bool reads_complete;	/* counters: all input and weights read */
	uint64_t written;	/* best measure of output bytes written */
};

static void evaluate(const struct stage_facts *f, struct stage_eval *e)
{
	const struct stage_regs *r = &f->regs;
	uint64_t unit = f->counter_unit ? f->counter_unit : 1;

	memset(e, 0, sizeof(*e));
	e->f = f;
	e->counters = r->counters_valid;
	if (e->counters) {
		e->rd_in = (uint64_t)r->dt_rd * unit;
		e->rd_w = (uint64_t)r->wt_rd * unit;
		e->wr = (uint64_t)r->dt_wr * unit;
		e->reads_complete = e->rd_in >= f->in_bytes && e->rd_w >= f->w_bytes;
	}
	e->dpu_irq = r->valid && (r->pc_raw_status & (NPU_PC_IRQ(DPU_0) | NPU_PC_IRQ(DPU_1)));
	e->latched = stage_regs_op_en_latched(r);
	e->moved = f->out_changed || (e->counters && (r->dt_rd || r->wt_rd || r->dt_wr));
	e->written = e->counters && e->wr > f->out_changed ? e->wr : f->out_changed;
}

/* "input 4096/4096 B weights 9216/9216 B read, output 0/8192 B written, ..." */
static size_t common_facts(const struct stage_eval *e, char *buf, size_t len)
{
	const struct stage_facts *f = e->f;
	char in[48], w[48];
	int n;

	if (e->counters) {
		snprintf(in, sizeof(in), "%llu/%llu", (unsigned long long)e->rd_in,
			 (unsigned long long)f->in_bytes);
		snprintf(w, sizeof(w), "%llu/%llu", (unsigned long long)e->rd_w,
			 (unsigned long long)f->w_bytes);
	} else {
		snprintf(in, sizeof(in), "?/%llu", (unsigned long long)f->in_bytes);
		snprintf(w, sizeof(w), "?/%llu", (unsigned long long)f->w_bytes);
	}
	n = snprintf(buf, len, "%s: input %s B weights %s B read, output %llu/%llu B written, ",
		     stage_program_name(f->program), in, w, (unsigned long long)e->written,
		     (unsigned long long)f->out_bytes);
	if (f->completed)
		n += snprintf(buf + n, len > (size_t)n ? len - n : 0, "completed in %u ms",
			      f->waited_ms);
	else if (f->regs.valid)
		n += snprintf(buf + n, len > (size_t)n ? len - n : 0,
			      "%s DPU interrupt in %u ms, PC task status 0x%x",
			      e->dpu_irq ? "a" : "no", f->waited_ms, f->regs.pc_task_status);
	else
		n += snprintf(buf + n, len > (size_t)n ? len - n : 0,
			      "not complete in %u ms, registers not readable", f->waited_ms);
	return n < 0 ? 0 : (size_t)n;
}

/* Append "; <why>" to the common facts. */
static int verdict(const struct stage_eval *e, int stage, char *buf, size_t len,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int verdict(const struct stage_eval *e, int stage, char *buf, size_t len,
		   const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!buf || !len)
		return stage;
	n = common_facts(e, buf, len);
	if (fmt && n + 2 < len) {
		buf[n++] = ';';
		buf[n++] = ' ';
		va_start(ap, fmt);
		vsnprintf(buf + n, len - n, fmt, ap);
		va_end(ap);
	}
	return stage;
}

static const char *still_enabled(const struct stage_regs *r, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int b = 0; b < STAGE_BLK_COUNT && n < len; b++)
		if (r->op_en[b])
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "",
					      block_names[b]);
	if (!n)
		snprintf(buf, len, "none");
	return buf;
}

/* Rule 1: an error response on the bus, and what the MMU says about it. */
static int rule_iommu(const struct stage_eval *e, char *buf, size_t len)
{
	const struct stage_regs *r = &e->f->regs;
	uint32_t dma_err = r->valid ? r->pc_raw_status &
			   (NPU_PC_IRQ(DMA_READ_ERROR) | NPU_PC_IRQ(DMA_WRITE_ERROR)) : 0;
	uint32_t mmu_int = r->mmu_valid ? r->mmu_int_rawstat : 0;
	const char *dir = dma_err & NPU_PC_IRQ(DMA_WRITE_ERROR) ? "write" : "read";

	if (mmu_int & RK_MMU_INT_BUS_ERROR)
		return verdict(e, VERDICT_IOMMU_PAGETABLE, buf, len,
			       "DMA %s error (raw 0x%x) with an MMU BUS_ERROR: the page walker "
			       "could not read the tables at DTE_ADDR 0x%x", dir,
			       r->pc_raw_status, r->mmu_dte_addr);
	if ((mmu_int & RK_MMU_INT_PAGE_FAULT) ||
	    (r->mmu_valid && (r->mmu_status & RK_MMU_STATUS_PAGE_FAULT_ACTIVE)))
		return verdict(e, VERDICT_IOMMU_FAULT, buf, len,
			       "DMA %s error (raw 0x%x), MMU page fault at 0x%x (status 0x%x)",
			       dir, r->pc_raw_status, r->mmu_fault_addr, r->mmu_status);
	if (dma_err)
		return verdict(e, VERDICT_IOMMU_FAULT, buf, len,
			       "DMA %s error (raw 0x%x) without an MMU fault recorded", dir,
			       r->pc_raw_status);
	return STAGE_OK;
}

/* Rule 2: the MMU is busy, nothing is faulting, and the reads stopped. */
static int rule_page_walker(const struct stage_eval *e, char *buf, size_t len)
{
	const struct stage_regs *r = &e->f->regs;

	if (!r->mmu_valid || !(r->mmu_status & RK_MMU_STATUS_PAGING_ENABLED) ||
	    (r->mmu_status & RK_MMU_STATUS_IDLE) || e->reads_complete)
		return STAGE_OK;
	return verdict(e, VERDICT_IOMMU_PAGE_WALKER, buf, len,
		       "MMU paging but not idle (status 0x%x), no fault recorded: a "
		       "translation never finished", r->mmu_status);
}

/*
 * The blocks' words at +0x00c, where the RK3568 RFC author places the
 * sub-unit enables (UNCONFIRMED; on RK3588 Mesa names other registers
 * there).  Shown beside every op_en judgement and never used to decide
 * it: which offset is the enable on RK3568 is to be measured.
 */
static const char *alt_enables(const struct stage_regs *r, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int b = 0; b < STAGE_BLK_COUNT && n < len; b++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s 0x%x", n ? " " : "",
				      block_names[b], r->op_en_alt[b]);
	return buf;
}

/* Rule 3: op_en never reached any block, nothing moved. */
static int rule_pc_fetch(const struct stage_eval *e, char *buf, size_t len)
{
	const struct stage_regs *r = &e->f->regs;
	uint32_t amounts = PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT__GET(r->pc_register_amounts);
	char alt[128];

	if (!r->valid || e->latched || e->moved)
		return STAGE_OK;
	/* rocket_job.c hw_submit, vendor rknpu PC commit: 128-bit units (scale 2) vs 64-bit (scale 1) */
	return verdict(e, VERDICT_PC_FETCH, buf, len,
		       "op_en never latched (GLOBAL and CNA/CORE/DPU/DPU_RDMA OPERATION_ENABLE "
		       "at +0x008 0) and 0 B moved: the PC did not execute the list up to its "
		       "op_en word; BASE_ADDRESS 0x%x REGISTER_AMOUNTS 0x%x = %u entries in "
		       "128-bit units, %u in 64-bit units; +0x00c (RK3568 RFC enable offset, "
		       "UNCONFIRMED, not judged): %s", r->pc_base_address, amounts,
		       (amounts + 1) * PC_ENTRIES_128BIT, (amounts + 1) * PC_ENTRIES_64BIT,
		       alt_enables(r, alt, sizeof(alt)));
}

/* Rule 4: op_en latched, yet no block moved a byte, here or anywhere. */
static int rule_clock(const struct stage_eval *e, char *buf, size_t len)
{
	const struct stage_regs *r = &e->f->regs;
	char blocks[64], alt[128];

	if (!r->valid || !e->latched || e->moved || e->f->other_progress == 1)
		return STAGE_OK;
	if (!e->counters)
		return STAGE_OK;	/* "no read" is not measurable without counters */
	return verdict(e, VERDICT_CLOCK, buf, len,
		       "op_en latched (GLOBAL 0x%x, still enabled at +0x008: %s; +0x00c, "
		       "UNCONFIRMED, not judged: %s) but not one byte read or written%s: "
		       "nothing behind the PC runs (compute clock gated?)",
		       r->global_op_en, still_enabled(r, blocks, sizeof(blocks)),
		       alt_enables(r, alt, sizeof(alt)),
		       e->f->other_progress == 0 ? ", nor by the other programs" : "");
}

/* Rule 5: reads stopped short. */
static int rule_reads(const struct stage_eval *e, char *buf, size_t len)
{
	char blocks[64];

	if (!e->counters || e->reads_complete)
		return STAGE_OK;
	if (e->f->program == STAGE_PROG_DPU_ONLY)
		return verdict(e, VERDICT_DPU_OUTPUT, buf, len,
			       "DPU_RDMA did not read its operands (still enabled: %s)",
			       still_enabled(&e->f->regs, blocks, sizeof(blocks)));
	return verdict(e, VERDICT_CNA_DMA, buf, len,
		       "the CNA did not read all of input and weights (still enabled: %s)",
		       still_enabled(&e->f->regs, blocks, sizeof(blocks)));
}

/* Rule 6: everything read, nothing written, no interrupt. */
static int rule_output_stall(const struct stage_eval *e, char *buf, size_t len)
{
	const struct stage_regs *r = &e->f->regs;
	bool cna_done_core_not = r->valid && !r->op_en[STAGE_BLK_CNA] &&
				 r->op_en[STAGE_BLK_CORE];
	char blocks[64];

	if (e->written || e->dpu_irq)
		return STAGE_OK;
	if (e->f->program == STAGE_PROG_DPU_ONLY) {
		if (!e->reads_complete)
			return STAGE_OK;
		return verdict(e, VERDICT_DPU_OUTPUT, buf, len,
			       "the DPU read its operands and wrote nothing (still enabled: %s)",
			       still_enabled(r, blocks, sizeof(blocks)));
	}
	if (e->reads_complete)
		return verdict(e, VERDICT_MAC_OUTPUT_STALL, buf, len,
			       "every input and weight byte read, no output and no DPU "
			       "interrupt (still enabled: %s)",
			       still_enabled(r, blocks, sizeof(blocks)));
	/*
	 * No counters (RK3588): the CNA clearing its own enable is taken as
	 * the evidence it finished.  That a block's OPERATION_ENABLE clears
	 * itself on completion is vnpu's model (lib/vnpu/pipeline), not a
	 * documented hardware fact: the verdict says it rests on it.
	 */
	if (!e->counters && cna_done_core_not)
		return verdict(e, VERDICT_MAC_OUTPUT_STALL, buf, len,
			       "the CNA's OPERATION_ENABLE cleared and the CORE's did not, no "
			       "output and no DPU interrupt (still enabled: %s); ASSUMES a block "
			       "clears its enable when it finishes (vnpu's model, UNCONFIRMED on "
			       "silicon): without counters the reads are not measured",
			       still_enabled(r, blocks, sizeof(blocks)));
	return STAGE_OK;
}

/* Rules 7-8: output written, but no completion, or only partly. */
static int rule_output(const struct stage_eval *e, char *buf, size_t len)
{
	const struct stage_facts *f = e->f;

	if (!e->written)
		return STAGE_OK;
	if (e->written >= f->out_bytes && !e->dpu_irq)
		return verdict(e, VERDICT_DPU_INTERRUPT, buf, len,
			       "the whole output was written but no DPU_0/DPU_1 reached "
			       "INTERRUPT_RAW_STATUS (0x%x)", f->regs.pc_raw_status);
	return verdict(e, VERDICT_DPU_OUTPUT, buf, len, "output only partly written");
}

static int decide_hung(const struct stage_eval *e, char *buf, size_t len)
{
	static int (*const rules[])(const struct stage_eval *, char *, size_t) = {
		rule_iommu, rule_page_walker, rule_pc_fetch, rule_clock,
		rule_reads, rule_output_stall, rule_output,
	};
	char regs[512];

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		int stage = rules[i](e, buf, len);

		if (stage != STAGE_OK)
			return stage;
	}
	stage_regs_format(&e->f->regs, regs, sizeof(regs));
	return verdict(e, VERDICT_JOB_TIMEOUT, buf, len, "no stage explains it (%s)", regs);
}

static int decide_completed(const struct stage_eval *e, char *buf, size_t len)
{
	const struct stage_facts *f = e->f;
	int stage = rule_iommu(e, buf, len);

	if (stage != STAGE_OK)
		return stage;
	if (!f->out_changed)
		return verdict(e, VERDICT_DPU_OUTPUT, buf, len,
			       "the job completed but the output buffer is untouched");
	if (f->out_all_zero_point && f->program != STAGE_PROG_DPU_ONLY)
		return verdict(e, VERDICT_MAC, buf, len,
			       "every output equals the zero point: the MAC array contributed "
			       "nothing to what the DPU wrote");
	return verdict(e, VERDICT_ACCURACY, buf, len,
		       "output differs from the CPU reference");
}

int stage_decide(const struct stage_facts *f, char *facts, size_t len)
{
	struct stage_eval e;

	if (facts && len)
		facts[0] = '\0';
	if (f->completed && f->out_correct)
		return STAGE_OK;
	evaluate(f, &e);
	return f->completed ? decide_completed(&e, facts, len) : decide_hung(&e, facts, len);
}
