/* SPDX-License-Identifier: MIT */
/*
 * verdict — the one line a failing subtest ends with:
 *
 *	VERDICT: <stage> <measured facts>
 *
 * e.g. "VERDICT: mac-output-stall input 4096/4096 B weights 9216/9216 B
 * read, output 0/8192 B written, no DPU interrupt in 500 ms, PC task
 * status 0x0".  A human reads the stage and the facts; rkval-run copies the
 * line into the results; the fault-matrix self-test compares stages.
 *
 * Contract: the set of stages is this table and nothing else (verdict.c
 * holds the strings and one sentence each; `--list-verdicts` prints them).
 * A subtest records its verdict with igt_verdict() as soon as it knows the
 * facts; it is printed only if the subtest then fails.  igt_fail_verdict()
 * records and fails in one call.  A failure with no recorded verdict prints
 * stage "assert" with the failed expression and its operands.
 */
#ifndef RKVAL_VERDICT_H
#define RKVAL_VERDICT_H

#include <stdbool.h>

enum verdict_stage {
	VERDICT_ASSERT,			/* a check failed; facts = expression */
	VERDICT_WATCHDOG,		/* the subtest did not finish in time */
	VERDICT_CRASH,			/* the test process died by a signal */
	VERDICT_NO_DEVICE,		/* board without a usable rocket node */
	VERDICT_UAPI,			/* an ioctl's result differs from the kernel's rules */
	VERDICT_JOB_TIMEOUT,		/* a job did not complete, stage unknown */
	VERDICT_PC_FETCH,		/* the PC did not fetch/execute the command list */
	VERDICT_CNA_DMA,		/* input/weights not (fully) read */
	VERDICT_MAC,			/* CNA read everything, CORE produced nothing */
	VERDICT_MAC_OUTPUT_STALL,	/* full DMA reads, no output, no DPU irq */
	VERDICT_DPU_OUTPUT,		/* output written wrongly or partially */
	VERDICT_DPU_INTERRUPT,		/* output written, no completion interrupt */
	VERDICT_ACCURACY,		/* output differs from the CPU reference */
	VERDICT_IOMMU_FAULT,		/* unexpected or wrongly reported page fault */
	VERDICT_IOMMU_ATTACH,		/* attach/stall/paging handshake problems */
	VERDICT_IOMMU_RESET_ORDER,	/* IOMMU detached before the NPU reset */
	VERDICT_IOMMU_ISOLATION,	/* one fd's DMA reached another's memory */
	VERDICT_IOMMU_PAGETABLE,	/* page tables unreachable by the MMU */
	VERDICT_IOMMU_PAGE_WALKER,	/* MMU walker stalls after idle */
	VERDICT_PM_RUNTIME,		/* runtime PM state or accounting wrong */
	VERDICT_POWER_DOMAIN,		/* genpd/regulator state or transition wrong */
	VERDICT_CLOCK,			/* an NPU clock not enabled or implausible */
	VERDICT_QOS,			/* QoS save/restore faulted */
	VERDICT_REBIND,			/* unbind/bind or module reload broke the device */
	VERDICT_DMESG,			/* unexpected kernel-log warning */
	VERDICT_PANIC,			/* kernel panic while it ran (lava-jobs/collect) */
	VERDICT_TEARDOWN,		/* the subtest left taint, a PM reference or a BO */
	VERDICT_NR_STAGES,
};

const char *verdict_stage_name(enum verdict_stage stage);
const char *verdict_stage_help(enum verdict_stage stage);
/* Stage from its name, or -1. */
int verdict_stage_from_name(const char *name);

/* Record the verdict of the running subtest (printed only if it fails). */
void igt_verdict(enum verdict_stage stage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Record the verdict and fail the subtest. */
__attribute__((noreturn, format(printf, 2, 3)))
void igt_fail_verdict(enum verdict_stage stage, const char *fmt, ...);
/* Forget the recorded verdict (e.g. after a retried step succeeded). */
void igt_verdict_clear(void);
bool igt_verdict_pending(void);

#endif /* RKVAL_VERDICT_H */
