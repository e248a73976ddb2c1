/* SPDX-License-Identifier: MIT */
/*
 * kmsg_scan.h — what the runner reads in a subtest's kernel log
 * (dmesg.txt): the warnings that turn a result into dmesg-warn/dmesg-fail,
 * and the panic a test that died could not report.
 *
 * Records come in two shapes: /dev/kmsg's "PRI,SEQ,USEC,FLAGS[,...];TEXT"
 * (Documentation/ABI/testing/dev-kmsg; vnpu writes this) and `dmesg -r`'s
 * "<PRI>[   time] TEXT" (a board).  Anything else is not a record.
 */
#ifndef RKVAL_RUNNER_KMSG_SCAN_H
#define RKVAL_RUNNER_KMSG_SCAN_H

#include <stdio.h>

#include "runner/job_text.h"

/*
 * Records at or below this level are warnings: KERN_WARNING, igt_runner's
 * default --dmesg-warn-level (IGT runner/settings.c).
 */
#define KMSG_WARN_LEVEL		4

/*
 * kmsg_scan_warnings: the warnings in @log, each copied to @out (may be
 * NULL).  A record is a warning when its level is <= KMSG_WARN_LEVEL, it
 * is not a continuation, and the ignore regex announced by "add ignored
 * dmesg regex: RE" (until the next "starting subtest" marker) does not
 * match its text.  RE is a POSIX extended regex (regcomp(3), as grep -E),
 * not igt_runner's GRegex; one that does not compile, or that holds a
 * back-reference (not ERE; glibc's matcher can overflow its stack on
 * one), ignores nothing.
 */
unsigned int kmsg_scan_warnings(struct job_text *log, FILE *out);

/*
 * What a panic looks like on a console: the kernel's panic() line, the
 * arm64 SError report ("SError Interrupt on CPU%d, code 0x%016lx -- %s",
 * arch/arm64/kernel/traps.c) and the QoS-save frame that marks a save
 * behind a gated NoC (drivers/pmdomain/rockchip/pm-domains.c).
 */
#define KMSG_PANIC_MARK		"Kernel panic - not syncing: "
#define KMSG_SERROR_MARK	"SError Interrupt on CPU"
#define KMSG_QOS_FRAME		"rockchip_pmu_save_qos"

struct kmsg_panic {
	char *panic;		/* the panic line from its mark on; NULL: none */
	unsigned int panic_line;
	char *serror;		/* the SError line from its mark on; NULL: none */
	unsigned int serror_line;
	int qos_frame;		/* the QoS-save frame is in the log */
};

/* kmsg_scan_panic: the first panic and SError in @log (1-based lines). */
void kmsg_scan_panic(struct job_text *log, struct kmsg_panic *p);
void kmsg_panic_free(struct kmsg_panic *p);

#endif
