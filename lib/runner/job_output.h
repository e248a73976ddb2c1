/* SPDX-License-Identifier: MIT */
/*
 * job_output.h — what one subtest's process printed, as the runner reads
 * it: the IGT result line of the subtest it ran (IGT lib/igt_core.c:
 * "Subtest NAME: RESULT (T.TTTs)", "Dynamic subtest NAME: ..."), the last
 * VERDICT line, the skip reason and the first Backend line.
 *
 * The reading rules are docs/results.md's; the runner's self-tests
 * (selftests/runner*.sh) pin them.  Subtest names are [A-Za-z0-9_-]
 * (job_name_valid()), so they never act as patterns.
 */
#ifndef RKVAL_RUNNER_JOB_OUTPUT_H
#define RKVAL_RUNNER_JOB_OUTPUT_H

#include <stdbool.h>

#include "runner/job_text.h"

/* How a test-list entry is run (the job list's KIND column). */
enum job_kind {
	JOB_SUB,	/* igt@BIN@SUB: --run-subtest SUB */
	JOB_DYN,	/* igt@BIN@SUB@DYN: and --dynamic-subtest DYN */
	JOB_WHOLE,	/* igt@BIN, a binary without subtests (or missing) */
	JOB_MALFORMED,	/* a test-list line that is not an entry */
	JOB_LISTERR,	/* BIN --list-subtests failed */
};

/* job_kind_parse: the KIND word of a job line; -1 if unknown. */
int job_kind_parse(const char *word);

/* job_name_valid: a binary or subtest name: [A-Za-z0-9_-]+, no leading '-'. */
bool job_name_valid(const char *name);

struct job_output {
	char *result_word;	/* SUCCESS, FAIL, SKIP, ...; "" if none */
	char *result_time;	/* "0.123" from the result line; "" if none
				 * or not a number */
	char *verdict;		/* the last VERDICT line; "" if none */
	char *last_line;	/* the last line that is not protocol: the skip reason */
	char *nodyn;		/* a dynamic subtest that was not there: why it fails */
	bool requirement;	/* "Test requirement not met" was printed */
};

/*
 * job_output_parse: read @out (out.txt) for the subtest @sub (and dynamic
 * subtest @dyn for JOB_DYN) of kind @kind.  The first Backend line of the
 * run goes to *@backend_line when that is still NULL (malloc'd).
 */
void job_output_parse(struct job_output *o, struct job_text *out,
		      enum job_kind kind, const char *sub, const char *dyn,
		      char **backend_line);
void job_output_free(struct job_output *o);

/*
 * job_stderr_noise: @err (err.txt) holds a line that is not a start or
 * result sentinel before @sub's result line: the subtest's "warn".  As
 * igt_runner (IGT runner/resultgen.c), lines a fixture printed before
 * "Starting subtest:" count: each process runs one subtest.
 */
bool job_stderr_noise(struct job_text *err, const char *sub);

#endif
