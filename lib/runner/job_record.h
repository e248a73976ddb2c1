/* SPDX-License-Identifier: MIT */
/*
 * job_record.h — a result on disk and on the console, as it happens
 * (docs/results.md): the subtest's result.txt, a line of the
 * run's summary.txt and results.ktap, the console line.
 */
#ifndef RKVAL_RUNNER_JOB_RECORD_H
#define RKVAL_RUNNER_JOB_RECORD_H

#include <stdbool.h>
#include <stdio.h>

#include "runner/job_classify.h"

/*
 * job_record_file: DIR/result.txt: the result, "reason: ", the VERDICT
 * line, "time: " and "exit: RC" (the wait status; "-": nothing ran).
 */
int job_record_file(const char *dir, const struct job_verdict *v, const char *rc);

/* job_result_write: result.txt's lines (job_record_file()) to @f. */
void job_result_write(FILE *f, const struct job_verdict *v, const char *rc);

/* job_result_parse: @v from result.txt's lines; false if there are none. */
bool job_result_parse(struct job_text *t, struct job_verdict *v);

/* job_load_result: @v from DIR/result.txt; false if it holds none. */
bool job_load_result(const char *dir, struct job_verdict *v);

/*
 * job_ktap_line: the KTAP lines of test @n (diagnostics, then "ok"/"not
 * ok"; a timeout names @timeout_s as kselftest's runner does).
 */
void job_ktap_line(FILE *f, unsigned int n, const char *name,
		   const struct job_verdict *v, unsigned int timeout_s);

/* job_summary_line: "RESULT NAME (T s)[ VERDICT]" */
void job_summary_line(FILE *f, const char *name, const struct job_verdict *v);

/* job_console_line: "[N/TOTAL] NAME ... RESULT (T s)" and what failed */
void job_console_line(FILE *f, unsigned int n, unsigned int total, int width,
		      const char *name, const struct job_verdict *v);

/* job_counts_as: 'p' passed, 's' skipped, 'f' failed (docs/results.md) */
char job_counts_as(const char *result);

#endif
