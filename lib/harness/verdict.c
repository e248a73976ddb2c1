// SPDX-License-Identifier: MIT
/*
 * verdict.c — the stage table (the one place the set of stages is defined)
 * and the per-subtest verdict record the harness prints on failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "harness/igt_core.h"
#include "harness/verdict.h"
#include "harness/igt_internal.h"

static const struct {
	const char *name;
	const char *help;
} verdict_stages[VERDICT_NR_STAGES] = {
	[VERDICT_ASSERT] = { "assert", "a check failed; the facts are the expression and its operands" },
	[VERDICT_WATCHDOG] = { "watchdog", "the subtest did not finish within its watchdog" },
	[VERDICT_CRASH] = { "crash", "the test process died by a signal" },
	[VERDICT_NO_DEVICE] = { "no-device", "a Rockchip NPU board without a usable rocket accel node" },
	[VERDICT_UAPI] = { "uapi", "an ioctl's result differs from the kernel's documented rules" },
	[VERDICT_JOB_TIMEOUT] = { "job-timeout", "a job did not complete and no stage could be blamed" },
	[VERDICT_PC_FETCH] = { "pc-fetch", "the PC did not fetch or execute the whole command list" },
	[VERDICT_CNA_DMA] = { "cna-dma", "input or weights were not (fully) read by the CNA" },
	[VERDICT_MAC] = { "mac", "CNA read everything but the MAC array produced nothing" },
	[VERDICT_MAC_OUTPUT_STALL] = { "mac-output-stall", "full DMA reads, no output written, no DPU interrupt" },
	[VERDICT_DPU_OUTPUT] = { "dpu-output", "output written wrongly or partially by the DPU" },
	[VERDICT_DPU_INTERRUPT] = { "dpu-interrupt", "output written but no completion interrupt" },
	[VERDICT_ACCURACY] = { "accuracy", "output differs from the CPU reference beyond tolerance" },
	[VERDICT_IOMMU_FAULT] = { "iommu-fault", "an unexpected or wrongly reported IOMMU page fault" },
	[VERDICT_IOMMU_ATTACH] = { "iommu-attach", "IOMMU attach/stall/paging handshake problems" },
	[VERDICT_IOMMU_RESET_ORDER] = { "iommu-reset-order", "the IOMMU was detached before the NPU reset" },
	[VERDICT_IOMMU_ISOLATION] = { "iommu-isolation", "one file's NPU DMA reached another file's memory" },
	[VERDICT_IOMMU_PAGETABLE] = { "iommu-pagetable", "page tables not reachable by the MMU" },
	[VERDICT_IOMMU_PAGE_WALKER] = { "iommu-page-walker", "the MMU page walker stalls after idle" },
	[VERDICT_PM_RUNTIME] = { "pm-runtime", "runtime PM state or accounting wrong" },
	[VERDICT_POWER_DOMAIN] = { "power-domain", "power domain or regulator state/transition wrong" },
	[VERDICT_CLOCK] = { "clock", "an NPU clock not enabled or at an implausible rate" },
	[VERDICT_QOS] = { "qos", "QoS save/restore faulted" },
	[VERDICT_REBIND] = { "rebind", "unbind/bind or module reload broke the device" },
	[VERDICT_DMESG] = { "dmesg", "an unexpected kernel-log warning" },
	/* Never printed by a test, which does not survive it: lava-jobs/collect
	 * gives it to the subtest whose start marker preceded the panic on the
	 * console. */
	[VERDICT_PANIC] = { "panic", "the kernel panicked while the subtest ran" },
	[VERDICT_TEARDOWN] = { "teardown", "the subtest passed but left the kernel changed: taint, a runtime-PM reference or an open BO" },
};

#define VERDICT_FACTS_MAX	1024

static int verdict_stage = -1;
static char verdict_facts[VERDICT_FACTS_MAX];

const char *verdict_stage_name(enum verdict_stage stage)
{
	if ((unsigned int)stage >= VERDICT_NR_STAGES)
		return "unknown";
	return verdict_stages[stage].name;
}

const char *verdict_stage_help(enum verdict_stage stage)
{
	if ((unsigned int)stage >= VERDICT_NR_STAGES)
		return "";
	return verdict_stages[stage].help;
}

int verdict_stage_from_name(const char *name)
{
	for (int i = 0; i < VERDICT_NR_STAGES; i++)
		if (!strcmp(verdict_stages[i].name, name))
			return i;
	return -1;
}

static void verdict_vrecord(enum verdict_stage stage, const char *fmt,
			    va_list ap)
{
	char *nl;

	verdict_stage = stage;
	vsnprintf(verdict_facts, sizeof(verdict_facts), fmt, ap);
	/* One line, always: a parser splits on newlines. */
	while ((nl = strchr(verdict_facts, '\n')))
		*nl = ' ';
}

void igt_verdict(enum verdict_stage stage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict_vrecord(stage, fmt, ap);
	va_end(ap);
}

void igt_fail_verdict(enum verdict_stage stage, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verdict_vrecord(stage, fmt, ap);
	va_end(ap);
	igt_critical("%s: %s\n", verdict_stage_name(stage), verdict_facts);
	igt_fail(IGT_EXIT_FAILURE);
}

void igt_verdict_clear(void)
{
	verdict_stage = -1;
	verdict_facts[0] = '\0';
}

bool igt_verdict_pending(void)
{
	return verdict_stage >= 0;
}

/* Record a default verdict unless the subtest already named one. */
void __igt_verdict_default(enum verdict_stage stage, const char *fmt, ...)
{
	va_list ap;

	if (verdict_stage >= 0)
		return;
	va_start(ap, fmt);
	verdict_vrecord(stage, fmt, ap);
	va_end(ap);
}

int __igt_verdict_format(char *buf, size_t size)
{
	if (verdict_stage < 0)
		return snprintf(buf, size, "VERDICT: %s no verdict recorded\n",
				verdict_stage_name(VERDICT_ASSERT));
	return snprintf(buf, size, "VERDICT: %s %s\n",
			verdict_stage_name(verdict_stage), verdict_facts);
}

void __igt_verdict_list(FILE *out)
{
	for (int i = 0; i < VERDICT_NR_STAGES; i++)
		fprintf(out, "%-18s %s\n", verdict_stages[i].name,
			verdict_stages[i].help);
}
