/* SPDX-License-Identifier: MIT */
/*
 * job_classify.h — one subtest's result from how its process ended and
 * what it left behind, as igt_runner decides (IGT runner/resultgen.c),
 * with the differences written down in docs/results.md.
 */
#ifndef RKVAL_RUNNER_JOB_CLASSIFY_H
#define RKVAL_RUNNER_JOB_CLASSIFY_H

#include "runner/job_output.h"
#include "runner/job_spawn.h"

/* Test-binary exit codes (IGT lib/igt_core.h: IGT_EXIT_*). */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_ABORT		112
/*
 * timeout(1): coreutils exits 124 when the limit hit (coreutils manual,
 * "timeout invocation"); busybox exits 128+SIGTERM, and both 128+SIGKILL
 * when -k had to be used.
 */
#define TIMEOUT_TOOL_RC		124

/* A result, as results.json, summary.txt and result.txt spell it. */
struct job_verdict {
	char *result;		/* pass, fail, skip, warn, crash, timeout, ... */
	char *reason;		/* "" or why, for people */
	char *verdict;		/* "" or the VERDICT line */
	char *time;		/* seconds, "S.MMM" */
};

struct job_classify_in {
	const char *dir;		/* the subtest's directory */
	const char *name;		/* igt@BIN[@SUB[@DYN]] */
	enum job_kind kind;
	const char *sub, *dyn;		/* SUB is BIN for JOB_WHOLE */
	unsigned int timeout_s;
	unsigned int wedge_grace_s;
	const struct job_result *run;
	char **backend_line;		/* the run's first Backend line */
};

/* job_classify: @v from @in; also writes DIR/dmesg-warnings.txt. */
void job_classify(const struct job_classify_in *in, struct job_verdict *v);

/* job_verdict_init: every field "", the time @time ("" for none yet). */
void job_verdict_init(struct job_verdict *v, const char *time);
/* job_verdict_set: one field, copied ("" for NULL). */
void job_verdict_set(char **field, const char *text);
/* job_verdict_append: "; "-join @text to @v->reason. */
void job_verdict_append(struct job_verdict *v, const char *text);
void job_verdict_free(struct job_verdict *v);

/* job_signal_name: "SEGV" for 11 (as `kill -l` prints it). */
const char *job_signal_name(int sig, char *buf, size_t len);

#endif
