/* SPDX-License-Identifier: MIT */
/*
 * rocket_diag.h — run one small NPU program the way the bring-up
 * diagnostics need it: counters cleared before, a register snapshot taken
 * WHILE the job hangs (before the kernel's 500 ms timeout resets the core,
 * rocket_job.c timeout), the output compared with the CPU reference, and
 * the facts handed to stage_decide() (lib/board/stage_verdict.h).
 *
 * Contract:
 *  - rocket_diag_init() identifies the SoC, holds every core on
 *    (power/control = "on", restored at exit by power_restore_on_exit()):
 *    on silicon a read of a gated block may hang the bus, on vnpu it reads
 *    0; then probes whether registers can be read (d->regs_err: 0, or the
 *    -errno that makes register-dependent subtests skip, npu_mmio.h) and
 *    whether the DDMA counters exist (RK356x only, vendor rknpu counters).  When the core
 *    cannot be held on (d->awake false, d->awake_err why), registers are
 *    read only while a job hangs, and counters are not used.  It never
 *    fails the test.
 *  - The three programs (enum stage_program) are fixed small shapes whose
 *    byte counts the layouts give exactly; rocket_diag_prog_build() makes
 *    one with deterministic data, rocket_diag_prog_run() submits it and
 *    returns stage_decide()'s answer with the facts line in d->facts.
 *  - Only lib/rocket, lib/npu and the platform seam: the same code runs on
 *    a board.  Asserts only on setup failures (allocation, BO creation).
 */
#ifndef RKVAL_ROCKET_DIAG_H
#define RKVAL_ROCKET_DIAG_H

#include <stdbool.h>
#include <stdint.h>

#include "npu/npu_conv.h"
#include "npu/npu_ew.h"
#include "npu/npu_program.h"
#include "board/stage_verdict.h"
#include "board/npu_mmio.h"
#include "rocket/rocket.h"
#include "rocket/rocket_npu.h"

/*
 * When the snapshot of a job that has not finished is taken: before the
 * scheduler's JOB_TIMEOUT_MS (500 ms, rocket_job.c timeout) fires and the
 * reset wipes the registers, with 250 ms for the job to have been started
 * (run_job: runtime resume, IOMMU attach, rocket_drv.c, rocket_job.c domains), for the reads, and for a
 * busy machine to wake the waiting test late (100 ms was missed under
 * load).  Our programs take well under a millisecond on any NPU; one that
 * is merely slow and finishes after the snapshot is still "completed".
 */
#define ROCKET_DIAG_SNAPSHOT_MARGIN_MS	250
#define ROCKET_DIAG_SNAPSHOT_MS		(ROCKET_JOB_TIMEOUT_MS - ROCKET_DIAG_SNAPSHOT_MARGIN_MS)

struct rocket_diag {
	int fd;
	struct rocket_soc_info soc_info;
	const struct npu_soc *npu_soc;	/* programming variant */
	int regs_err;			/* 0: registers readable; else -errno */
	bool counters;			/* DDMA counters readable */
	bool awake;			/* power/control held "on" */
	int awake_err;			/* why not, when !awake */
	unsigned int counter_unit;	/* bytes per counter count (UNCONFIRMED, vendor rknpu counters) */
	unsigned int last_core;		/* core the last snapshot came from */
	/*
	 * One more register rocket_diag_prog_run() reads with the snapshot
	 * (or after completion when the core is held on): offset in the
	 * core window, 0 for none.  probe_ok says whether probe_val is valid.
	 */
	uint32_t probe_reg;
	uint32_t probe_val;
	bool probe_ok;
	char facts[1024];		/* facts of the last rocket_diag_prog_run() */
};

void rocket_diag_init(struct rocket_diag *d, int fd, const struct npu_soc *npu_soc);

/* Clear / read the counters of core 0 (RK356x has one core); 0 or -errno. */
int rocket_diag_clear_counters(struct rocket_diag *d);
int rocket_diag_read_counters(struct rocket_diag *d, struct npu_dma_counters *c);

/*
 * Snapshot the core running our job: on RK3588 (3 cores, no core
 * selection in the uAPI) the core whose PC BASE_ADDRESS points into
 * [regcmd, regcmd + size) — else core 0.
 */
void rocket_diag_snapshot(struct rocket_diag *d, uint32_t regcmd, uint32_t size,
			  struct stage_regs *r);

struct rocket_diag_prog {
	enum stage_program kind;
	const struct npu_soc *soc;
	struct npu_conv2d_params conv;	/* CNA_CORE, CONV */
	struct npu_ew_params ew;	/* DPU_ONLY */
	struct npu_program prog;
	struct rocket_npu_run *run;
	int8_t *a, *b;			/* input / (weights or EW operand) */
	int32_t *bias;
	void *expected;			/* reference output, NHWC */
	size_t out_elems;
	unsigned int out_elem_size;	/* 1 (int8) or 4 (raw int32) */
	uint64_t in_bytes, w_bytes, out_bytes;	/* what the layouts imply */
	uint64_t bias_bytes;		/* read by the DPU's BRDMA (full conv only) */
};

/* Build program kind for fd (asserts on failure); prepare BOs and data. */
void rocket_diag_prog_build(struct rocket_diag_prog *p, int fd, const struct npu_soc *soc,
			    enum stage_program kind);
/*
 * The same in two steps, for callers that re-lay the command stream
 * (p->prog) before the BOs exist: build the program and its data, then
 * allocate, relocate and upload.
 */
void rocket_diag_prog_build_program(struct rocket_diag_prog *p, const struct npu_soc *soc,
				    enum stage_program kind);
void rocket_diag_prog_prepare(struct rocket_diag_prog *p, int fd);
void rocket_diag_prog_free(struct rocket_diag_prog *p);

/*
 * Submit (after clearing the counters), wait up to ROCKET_DIAG_SNAPSHOT_MS,
 * snapshot if not finished, then wait out the timeout and reset
 * (ROCKET_BAD_JOB_WAIT_MS) and compare the output.  Fills f (with
 * other_progress as passed) and returns stage_decide()'s answer; the facts
 * line is in d->facts.  The program can be re-run.
 */
int rocket_diag_prog_run(struct rocket_diag *d, struct rocket_diag_prog *p,
			 int other_progress, struct stage_facts *f);

/* Did the run move any data (output changed or counters non-zero)? */
bool rocket_diag_progress(const struct stage_facts *f);

/*
 * The independent second job: every power and IOMMU test runs lib/rocket's
 * DPU-only copy job, itself UNCONFIRMED on hardware.  When it fails, this
 * runs the diagnostics' Mesa-shaped conv on fd (no register access, no
 * power change, waits out a hang) and puts into buf "; an independent job
 * ... completed correctly ..." or "... failed too ...", so a board run
 * tells "this job is wrong" from "the NPU runs no job".  Returns 1 when
 * the conv worked, 0 when not.
 */
int rocket_diag_second_job(int fd, char *buf, size_t size);

#endif /* RKVAL_ROCKET_DIAG_H */
