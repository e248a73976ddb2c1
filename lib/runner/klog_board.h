/* SPDX-License-Identifier: MIT */
/*
 * klog_board.h — a board's kernel log, cut into subtests.
 *
 * vnpu writes each subtest's records into the file RKVAL_VNPU_KMSG names
 * (its dmesg.txt), so there is nothing to do.  On a board, best effort:
 * after each subtest, the lines `dmesg -r` gained since the previous
 * collection (lost if the ring buffer wraps), cut at the subtest's own
 * "[IGT] BIN: starting subtest SUB" marker (lib/harness/igt_core.c writes
 * it, as IGT's lib does): from the marker on they are the subtest's; the
 * lines before it were logged after the previous subtest had been
 * collected and before this one started, so they are not this subtest's
 * (igt_runner drops them: it reads /dev/kmsg from the end when each test
 * starts).  They go to the previous subtest's dmesg-late.txt (the run's
 * dmesg-unattributed.txt before the first), and warnings among them are
 * reported on stderr and in metadata.txt, without changing a result
 * already written.
 */
#ifndef RKVAL_RUNNER_KLOG_BOARD_H
#define RKVAL_RUNNER_KLOG_BOARD_H

#include <stdbool.h>

struct klog_board {
	const char *dmesg_cmd;		/* "dmesg", or the self-tests' fake */
	unsigned long lines;		/* lines of `dmesg -r` already collected */
	const char *results;		/* the run's directory */
	const char *prev_dir;		/* the previous subtest's, NULL first */
	const char *prev_name;
};

/*
 * klog_board_collect: the new lines into @dir/dmesg.txt for job @name
 * (igt@BIN@SUB...), split at its marker (@whole: no subtests, no marker,
 * everything is its).
 */
void klog_board_collect(struct klog_board *k, const char *dir, const char *name,
			const char *bin, const char *sub, bool whole);

#endif
