// SPDX-License-Identifier: MIT
/*
 * job_classify.c — a subtest's result (job_classify.h).
 */
#define _GNU_SOURCE
#include "runner/job_classify.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/kmsg_scan.h"

void job_verdict_set(char **field, const char *text)
{
	free(*field);
	*field = strdup(text ? text : "");
}

void job_verdict_init(struct job_verdict *v, const char *time)
{
	memset(v, 0, sizeof(*v));
	job_verdict_set(&v->result, "");
	job_verdict_set(&v->reason, "");
	job_verdict_set(&v->verdict, "");
	job_verdict_set(&v->time, time);
}

void job_verdict_append(struct job_verdict *v, const char *text)
{
	char *joined;

	if (!*v->reason) {
		job_verdict_set(&v->reason, text);
		return;
	}
	joined = str_printf("%s; %s", v->reason, text);
	free(v->reason);
	v->reason = joined;
}

void job_verdict_free(struct job_verdict *v)
{
	free(v->result);
	free(v->reason);
	free(v->verdict);
	free(v->time);
	memset(v, 0, sizeof(*v));
}

const char *job_signal_name(int sig, char *buf, size_t len)
{
	const char *name = sigabbrev_np(sig);

	if (name)
		return name;
	snprintf(buf, len, "%d", sig);
	return buf;
}

static bool is(const char *s, const char *word)
{
	return !strcmp(s, word);
}

/* the panic the log shows, for a subtest whose process died */
static void panic_evidence(const struct job_classify_in *in,
			   struct job_verdict *v, struct job_text *log)
{
	struct kmsg_panic p;
	char *text;

	if (!is(v->result, "crash") && !is(v->result, "incomplete"))
		return;
	kmsg_scan_panic(log, &p);
	if (!p.panic) {
		kmsg_panic_free(&p);
		return;
	}
	text = str_printf("the kernel panicked (%s), see dmesg.txt", p.panic);
	job_verdict_append(v, text);
	free(text);
	free(v->verdict);
	if (!p.serror) {
		/* The stage lava-jobs/collect gives a panic seen on a console. */
		v->verdict = str_printf("VERDICT: panic dmesg.txt:%u: \"%s\": the kernel panicked during %s",
					p.panic_line, p.panic, in->name);
	} else {
		v->verdict = str_printf("VERDICT: qos dmesg.txt:%u: \"%s\": the kernel panicked during %s%s",
					p.serror_line, p.serror, in->name,
					p.qos_frame ?
					" in " KMSG_QOS_FRAME " (QoS save behind a gated NoC)" :
					" (no QoS frame in the log)");
	}
	kmsg_panic_free(&p);
}

/* kernel-log warnings: dmesg-warn/dmesg-fail, DIR/dmesg-warnings.txt */
static void dmesg_warnings(const struct job_classify_in *in,
			   struct job_verdict *v, struct job_text *log)
{
	char *buf = NULL;
	size_t len = 0;
	unsigned int n;
	FILE *mem = open_memstream(&buf, &len);

	n = kmsg_scan_warnings(log, mem);
	if (mem)
		fclose(mem);
	if (n) {
		char *path = str_printf("%s/dmesg-warnings.txt", in->dir);
		char *text;
		FILE *f;

		f = fopen(path, "a");
		if (f) {
			fwrite(buf, 1, len, f);
			fclose(f);
		}
		free(path);
		/*
		 * dmesg-warn is a failure (docs/results.md): a kernel
		 * warning the test did not declare (ignore regex) is a
		 * finding, whatever the test itself concluded.
		 */
		if (is(v->result, "pass") || is(v->result, "warn"))
			job_verdict_set(&v->result, "dmesg-warn");
		else if (is(v->result, "fail"))
			job_verdict_set(&v->result, "dmesg-fail");
		text = str_printf("%u kernel-log warning(s), see dmesg-warnings.txt", n);
		job_verdict_append(v, text);
		free(text);
	}
	free(buf);
}

void job_classify(const struct job_classify_in *in, struct job_verdict *v)
{
	const struct job_result *run = in->run;
	const long limit_cs = (long)in->timeout_s * 100;
	struct job_output o;
	struct job_text text;
	bool timed_out = false;
	char *path, signame[16];

	job_verdict_init(v, "");
	if (run->abandoned) {
		timed_out = true;
		free(v->reason);
		v->reason = str_printf("still running %u s after SIGKILL; abandoned",
				       in->wedge_grace_s);
	} else if (run->rc == TIMEOUT_TOOL_RC) {
		timed_out = true;
	} else if ((run->rc == JOB_SIGNAL_RC_BASE + SIGTERM ||
		    run->rc == JOB_SIGNAL_RC_BASE + SIGKILL) &&
		   run->elapsed_cs >= limit_cs) {
		timed_out = true;
	}

	path = str_printf("%s/out.txt", in->dir);
	job_text_load(&text, path);
	free(path);
	job_output_parse(&o, &text, in->kind, in->sub, in->dyn, in->backend_line);
	job_text_free(&text);
	job_verdict_set(&v->verdict, o.verdict);
	job_verdict_set(&v->time, o.result_time);

	if (run->killed_by_us) {
		job_verdict_set(&v->result, "incomplete");
		job_verdict_set(&v->reason, "run interrupted");
	} else if (timed_out) {
		job_verdict_set(&v->result, "timeout");
	} else if (run->rc == IGT_EXIT_ABORT) {
		job_verdict_set(&v->result, "abort");
		free(v->reason);
		v->reason = str_printf("exit %d (abort): the run stops here", IGT_EXIT_ABORT);
	} else if (*o.result_word) {
		const char *w = o.result_word;

		if (is(w, "SUCCESS")) {
			job_verdict_set(&v->result, "pass");
		} else if (is(w, "FAIL")) {
			job_verdict_set(&v->result, "fail");
			job_verdict_set(&v->reason, o.nodyn);
		} else if (is(w, "SKIP")) {
			job_verdict_set(&v->result, "skip");
			job_verdict_set(&v->reason, o.last_line);
		} else if (is(w, "CRASH")) {
			job_verdict_set(&v->result, "crash");
		} else if (is(w, "TIMEOUT")) {
			job_verdict_set(&v->result, "timeout");
		} else {
			job_verdict_set(&v->result, "incomplete");
			free(v->reason);
			v->reason = str_printf("unknown result word %s", w);
		}
		/* reported success, then died by a signal (exit handler crash) */
		if (run->rc > JOB_SIGNAL_RC_BASE &&
		    (is(v->result, "pass") || is(v->result, "skip"))) {
			job_verdict_set(&v->result, "crash");
			free(v->reason);
			v->reason = str_printf("reported %s, then died by SIG%s", w,
					       job_signal_name(run->rc - JOB_SIGNAL_RC_BASE,
							       signame, sizeof(signame)));
		}
	} else if (run->rc > JOB_SIGNAL_RC_BASE) {
		job_verdict_set(&v->result, "crash");
		free(v->reason);
		v->reason = str_printf("killed by SIG%s",
				       job_signal_name(run->rc - JOB_SIGNAL_RC_BASE,
						       signame, sizeof(signame)));
	} else if (in->kind == JOB_WHOLE) {
		switch (run->rc) {
		case IGT_EXIT_SUCCESS:
			job_verdict_set(&v->result, "pass");
			break;
		case IGT_EXIT_SKIP:
		case IGT_EXIT_INVALID:
			job_verdict_set(&v->result, "skip");
			free(v->reason);
			v->reason = str_printf("exit %d", run->rc);
			break;
		case IGT_EXIT_FAILURE:
			job_verdict_set(&v->result, "fail");
			break;
		default:
			job_verdict_set(&v->result, "fail");
			free(v->reason);
			v->reason = str_printf("exit %d", run->rc);
			break;
		}
	} else if (run->rc == IGT_EXIT_INVALID) {
		job_verdict_set(&v->result, "fail");
		free(v->reason);
		v->reason = str_printf("exit %d (invalid): the binary does not know this subtest or an option",
				       IGT_EXIT_INVALID);
	} else {
		job_verdict_set(&v->result, "incomplete");
		free(v->reason);
		v->reason = str_printf("no result line; exit %d", run->rc);
	}
	job_output_free(&o);

	if (is(v->result, "pass")) {
		path = str_printf("%s/err.txt", in->dir);
		job_text_load(&text, path);
		free(path);
		if (job_stderr_noise(&text, in->sub)) {
			job_verdict_set(&v->result, "warn");
			job_verdict_set(&v->reason, "unexpected output on stderr");
		}
		job_text_free(&text);
	}
	if (run->leftover)
		job_verdict_append(v, "processes it started outlived it and were killed");

	path = str_printf("%s/dmesg.txt", in->dir);
	job_text_load(&text, path);
	free(path);
	panic_evidence(in, v, &text);
	job_text_rewind(&text);
	dmesg_warnings(in, v, &text);
	job_text_free(&text);

	if (!*v->time) {
		free(v->time);
		v->time = str_printf("%ld.%02ld0", run->elapsed_cs / 100,
				     run->elapsed_cs % 100);
	}
}
