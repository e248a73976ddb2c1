// SPDX-License-Identifier: MIT
/*
 * runner_job — unit checks of lib/runner, rkval-run's executor: reading a
 * subtest's out.txt and err.txt, the kernel-log scan, the panic evidence,
 * the classification, the result files and lines, and one process under
 * the time limit.  The runner self-tests (selftests/runner*.sh) check the
 * same rules end to end; these pin each rule where it is written.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner/job_classify.h"
#include "runner/job_output.h"
#include "runner/job_record.h"
#include "runner/job_spawn.h"
#include "runner/kmsg_scan.h"
#include "unit.h"

static char tmpdir[] = "/tmp/runner_job.XXXXXX";

static void text(struct job_text *t, const char *s)
{
	job_text_from(t, s, strlen(s));
}

/* parse: job_output of @s for @kind, SUB "one", DYN "dyn-a" */
static void parse(struct job_output *o, enum job_kind kind, const char *s,
		  char **backend)
{
	struct job_text t;

	text(&t, s);
	job_output_parse(o, &t, kind, "one", "dyn-a", backend);
	job_text_free(&t);
}

static void check_names(void)
{
	UNIT_CHECK(job_name_valid("rocket_bo"), "name: rocket_bo is valid");
	UNIT_CHECK(job_name_valid("a-b_9"), "name: a-b_9 is valid");
	UNIT_CHECK(!job_name_valid(""), "name: empty is not");
	UNIT_CHECK(!job_name_valid("--device"), "name: a leading '-' is not");
	UNIT_CHECK(!job_name_valid("two words"), "name: a blank is not");
	UNIT_CHECK(!job_name_valid("a@b"), "name: '@' is not");
	UNIT_EQ(JOB_DYN, job_kind_parse("dyn"), "kind: dyn");
	UNIT_EQ(JOB_LISTERR, job_kind_parse("listerr"), "kind: listerr");
	UNIT_EQ(-1, job_kind_parse("subs"), "kind: subs is unknown");
}

static void check_output(void)
{
	struct job_output o;
	char *backend = NULL;

	parse(&o, JOB_SUB,
	      "IGT-Version: x\nBackend: vnpu:rk3568\nStarting subtest: one\n"
	      "VERDICT: early stage\nVERDICT: mac-output-stall 0/8192 B\n"
	      "Subtest one: FAIL (0.512s)\nVERDICT: after the result\n", &backend);
	UNIT_CHECK(!strcmp(o.result_word, "FAIL"), "out: result word FAIL (%s)", o.result_word);
	UNIT_CHECK(!strcmp(o.result_time, "0.512"), "out: time 0.512 (%s)", o.result_time);
	UNIT_CHECK(!strcmp(o.verdict, "VERDICT: mac-output-stall 0/8192 B"),
		   "out: the last VERDICT line before the result (%s)", o.verdict);
	UNIT_CHECK(backend && !strcmp(backend, "Backend: vnpu:rk3568"),
		   "out: the Backend line is kept");
	job_output_free(&o);
	parse(&o, JOB_SUB, "Backend: other\nSubtest one: SUCCESS (0.001s)\n", &backend);
	UNIT_CHECK(!strcmp(backend, "Backend: vnpu:rk3568"), "out: only the run's first Backend line");
	job_output_free(&o);
	free(backend);

	parse(&o, JOB_SUB, "VERDICT: from the fixture\nStarting subtest: one\n"
	      "Subtest one: SUCCESS (0.001s)\n", NULL);
	UNIT_CHECK(!*o.verdict, "out: a VERDICT before the subtest's start is not its");
	job_output_free(&o);

	parse(&o, JOB_SUB, "Starting subtest: one\nTest requirement not met in x\n"
	      "Last errno: 2, No such file\nno such feature\nignored:\n\n"
	      "Subtest one: SKIP (0.000s)\n", NULL);
	UNIT_CHECK(!strcmp(o.result_word, "SKIP") && !strcmp(o.last_line, "no such feature"),
		   "out: the skip reason is the last line that is not protocol (%s)", o.last_line);
	UNIT_CHECK(o.requirement, "out: the requirement line is seen");
	job_output_free(&o);

	parse(&o, JOB_SUB, "Starting subtest: one-two\nSubtest one-two: SUCCESS (0.1s)\n", NULL);
	UNIT_CHECK(!*o.result_word, "out: another subtest's result line is not ours");
	job_output_free(&o);

	parse(&o, JOB_SUB, "Starting subtest: one\nSubtest one: SUCCESS (0.1s)", NULL);
	UNIT_CHECK(!*o.result_word, "out: a last line without its newline is not a line");
	job_output_free(&o);

	parse(&o, JOB_DYN, "Starting subtest: one\nSubtest one: SUCCESS (0.2s)\n", NULL);
	UNIT_CHECK(!strcmp(o.result_word, "FAIL") &&
		   !strcmp(o.nodyn, "no dynamic subtest dyn-a in one (not executed)"),
		   "out: a dynamic subtest that is not there fails (%s)", o.nodyn);
	job_output_free(&o);

	parse(&o, JOB_DYN, "Starting subtest: one\nTest requirement not met\nno npu\n"
	      "Subtest one: SKIP (0.0s)\n", NULL);
	UNIT_CHECK(!strcmp(o.result_word, "SKIP") &&
		   !strcmp(o.last_line, "dynamic subtest dyn-a not executed: no npu"),
		   "out: ... unless its container skipped on a requirement (%s)", o.last_line);
	job_output_free(&o);

	parse(&o, JOB_DYN, "Starting dynamic subtest: dyn-a\n"
	      "Dynamic subtest dyn-a: SUCCESS (0.3s)\n", NULL);
	UNIT_CHECK(!strcmp(o.result_word, "SUCCESS") && !strcmp(o.result_time, "0.3"),
		   "out: the dynamic subtest's own result line");
	job_output_free(&o);

	parse(&o, JOB_WHOLE, "hello\nCRASH (2.000s)\n", NULL);
	UNIT_CHECK(!strcmp(o.result_word, "CRASH"), "out: a whole binary's bare result line");
	job_output_free(&o);
	parse(&o, JOB_SUB, "Subtest one: SUCCESS\nSubtest one: FAIL (x)\n", NULL);
	UNIT_CHECK(!strcmp(o.result_word, "SUCCESS") && !*o.result_time,
		   "out: a result line without a time gives no time (%s)", o.result_time);
	job_output_free(&o);
	parse(&o, JOB_WHOLE, "MAYBE (2.000s)\n", NULL);
	UNIT_CHECK(!*o.result_word, "out: ... only with a result word IGT writes");
	job_output_free(&o);
}

static bool noise(const char *s)
{
	struct job_text t;
	bool n;

	text(&t, s);
	n = job_stderr_noise(&t, "one");
	job_text_free(&t);
	return n;
}

static void check_stderr(void)
{
	UNIT_CHECK(!noise(""), "err: nothing is no noise");
	UNIT_CHECK(!noise("Starting subtest: one\nSubtest one: SUCCESS (0.1s)\nlate\n"),
		   "err: lines after the result line do not count");
	UNIT_CHECK(noise("CRITICAL: no-device\nStarting subtest: one\n"),
		   "err: a fixture's line before the start counts (igt_runner)");
	UNIT_CHECK(!noise("Starting dynamic subtest: d\nDynamic subtest d: SUCCESS (0s)\n"),
		   "err: dynamic sentinels are no noise");
}

static unsigned int warnings(const char *s, char **copy)
{
	struct job_text t;
	size_t len;
	FILE *f = open_memstream(copy, &len);
	unsigned int n;

	text(&t, s);
	n = kmsg_scan_warnings(&t, f);
	fclose(f);
	job_text_free(&t);
	return n;
}

static void check_kmsg(void)
{
	char *copy;

	UNIT_EQ(1, warnings("6,1,10,-;info\n4,2,11,-;WARNING: x\n3,3,12,c;cont\n", &copy),
		"kmsg: one warning among info and a continuation");
	UNIT_CHECK(!strcmp(copy, "4,2,11,-;WARNING: x\n"), "kmsg: ... copied whole (%s)", copy);
	free(copy);
	UNIT_EQ(1, warnings("<4>[   1.000] bad thing\n<6>[   1.1] fine\n", &copy),
		"kmsg: dmesg -r records too");
	free(copy);
	UNIT_EQ(1, warnings("12,1,0,-;add ignored dmesg regex: job timeout\n"
			    "4,2,0,-;rocket: job timeout\n4,3,0,-;other\n", &copy),
		"kmsg: the ignore regex hides what it matches");
	free(copy);
	UNIT_EQ(2, warnings("12,1,0,-;add ignored dmesg regex: job timeout\n"
			    "14,2,0,-;[IGT] b: starting subtest two\n"
			    "4,3,0,-;rocket: job timeout\n4,4,0,-;other\n", &copy),
		"kmsg: ... until the next subtest starts");
	free(copy);
	UNIT_EQ(1, warnings("12,1,0,-;add ignored dmesg regex: (\n4,2,0,-;(\n", &copy),
		"kmsg: a regex that does not compile ignores nothing");
	free(copy);
	UNIT_EQ(1, warnings("4,1,0,-;add ignored dmesg regex: ()(\\1\\1)*\n"
			    "4,2,0,-;WARNING: at x\n", &copy),
		"kmsg: a back-reference ignores nothing (and does not crash glibc)");
	free(copy);
	UNIT_EQ(0, warnings("4,1,0,-;add ignored dmesg regex: a\\\\1\n"
			    "4,2,0,-;a\\1\n", &copy),
		"kmsg: an escaped backslash before a digit is no back-reference");
	free(copy);
	UNIT_EQ(1, warnings("14,1,0,-;x\n4,1,0,c,more;y\n36,2,0,-;z\n", &copy),
		"kmsg: level is the low three bits (36 = facility 4, warning); c,more continues");
	free(copy);
	UNIT_EQ(0, warnings("x4,1,0,-;y\n4a,1,0,-;y\n", &copy), "kmsg: no record, no warning");
	free(copy);
}

static void check_panic(void)
{
	struct kmsg_panic p;
	struct job_text t;

	text(&t, "6,1,0,-;boot\n0,2,0,-;SError Interrupt on CPU0, code 0x1 -- SError\n"
	     "4,3,0,-; rockchip_pmu_save_qos+0x10/0x40\n"
	     "0,4,0,-;Kernel panic - not syncing: Asynchronous SError Interrupt\n");
	kmsg_scan_panic(&t, &p);
	UNIT_CHECK(p.panic && p.panic_line == 4 && p.serror && p.serror_line == 2 &&
		   p.qos_frame, "panic: panic line 4, SError line 2, the QoS frame");
	UNIT_CHECK(p.serror && !strcmp(p.serror, "SError Interrupt on CPU0, code 0x1 -- SError"),
		   "panic: the SError text from its mark on");
	kmsg_panic_free(&p);
	job_text_free(&t);
	text(&t, "6,1,0,-;nothing\n");
	kmsg_scan_panic(&t, &p);
	UNIT_CHECK(!p.panic && !p.serror && !p.qos_frame, "panic: none in a quiet log");
	kmsg_panic_free(&p);
	job_text_free(&t);
}

static void put(const char *dir, const char *file, const char *s)
{
	char *path = str_printf("%s/%s", dir, file);
	FILE *f = fopen(path, "w");

	free(path);
	if (!f)
		return;
	fputs(s, f);
	fclose(f);
}

/* classify: in a fresh subtest dir with @out, @err and @dmesg */
static void classify(struct job_verdict *v, const char *out, const char *err,
		     const char *dmesg, int rc, long elapsed_cs, enum job_kind kind)
{
	static int n;
	char *dir = str_printf("%s/c%d", tmpdir, n++);
	struct job_result run = { .rc = rc, .elapsed_cs = elapsed_cs };

	mkdir(dir, 0755);
	put(dir, "out.txt", out);
	put(dir, "err.txt", err);
	put(dir, "dmesg.txt", dmesg);
	job_classify(&(struct job_classify_in){
			.dir = dir, .name = "igt@b@one", .kind = kind, .sub = "one",
			.dyn = "", .timeout_s = 2, .wedge_grace_s = 10, .run = &run,
		     }, v);
	free(dir);
}

static void check_classify(void)
{
	const char *ok = "Starting subtest: one\nSubtest one: SUCCESS (0.010s)\n";
	struct job_verdict v;

	classify(&v, ok, "", "", 0, 1, JOB_SUB);
	UNIT_CHECK(!strcmp(v.result, "pass") && !strcmp(v.time, "0.010"),
		   "classify: SUCCESS is pass, time from the line (%s %s)", v.result, v.time);
	job_verdict_free(&v);
	classify(&v, ok, "", "", 128 + SIGSEGV, 1, JOB_SUB);
	UNIT_CHECK(!strcmp(v.result, "crash") &&
		   !strcmp(v.reason, "reported SUCCESS, then died by SIGSEGV"),
		   "classify: success then SIGSEGV is crash (%s)", v.reason);
	job_verdict_free(&v);
	classify(&v, "Starting subtest: one\n", "", "", 128 + SIGTERM, 200, JOB_SUB);
	UNIT_CHECK(!strcmp(v.result, "timeout") && !strcmp(v.time, "2.000"),
		   "classify: SIGTERM at the limit is timeout, wall time (%s %s)", v.result, v.time);
	job_verdict_free(&v);
	classify(&v, "Starting subtest: one\n", "", "", 128 + SIGTERM, 199, JOB_SUB);
	UNIT_CHECK(!strcmp(v.result, "crash"), "classify: ... before the limit it is crash (%s)",
		   v.result);
	job_verdict_free(&v);
	classify(&v, "", "", "", IGT_EXIT_ABORT, 1, JOB_SUB);
	UNIT_CHECK(!strcmp(v.result, "abort"), "classify: exit 112 is abort");
	job_verdict_free(&v);
	classify(&v, "", "", "", IGT_EXIT_INVALID, 1, JOB_SUB);
	UNIT_CHECK(!strcmp(v.result, "fail"), "classify: exit 79 without a result line is fail");
	job_verdict_free(&v);
	classify(&v, "", "", "", IGT_EXIT_SKIP, 1, JOB_WHOLE);
	UNIT_CHECK(!strcmp(v.result, "skip") && !strcmp(v.reason, "exit 77"),
		   "classify: a whole binary's exit 77 is skip");
	job_verdict_free(&v);
	classify(&v, "Starting subtest: one\n", "", "", 0, 1, JOB_SUB);
	UNIT_CHECK(!strcmp(v.result, "incomplete") && !strcmp(v.reason, "no result line; exit 0"),
		   "classify: no result line is incomplete (%s)", v.reason);
	job_verdict_free(&v);
	classify(&v, ok, "unexpected\n", "", 0, 1, JOB_SUB);
	UNIT_CHECK(!strcmp(v.result, "warn"), "classify: stderr noise makes pass warn");
	job_verdict_free(&v);
	classify(&v, ok, "", "4,1,0,-;WARNING: at x\n", 0, 1, JOB_SUB);
	UNIT_CHECK(!strcmp(v.result, "dmesg-warn") &&
		   strstr(v.reason, "1 kernel-log warning(s)"),
		   "classify: a kernel warning makes pass dmesg-warn (%s)", v.reason);
	job_verdict_free(&v);
	classify(&v, "Starting subtest: one\n", "",
		 "0,1,0,-;SError Interrupt on CPU1, code 0x2 -- SError\n"
		 "4,2,0,-;rockchip_pmu_save_qos\n"
		 "0,3,0,-;Kernel panic - not syncing: Asynchronous SError Interrupt\n",
		 128 + SIGKILL, 5, JOB_SUB);
	UNIT_CHECK(!strcmp(v.result, "crash") &&
		   str_starts(v.verdict, "VERDICT: qos dmesg.txt:1: \"SError Interrupt on CPU1") &&
		   strstr(v.verdict, "during igt@b@one in rockchip_pmu_save_qos"),
		   "classify: a panic with an SError is the qos stage (%s)", v.verdict);
	job_verdict_free(&v);
}

static void check_record(void)
{
	struct job_verdict v = { 0 }, back;
	struct job_text t;
	char *buf = NULL;
	size_t len;
	FILE *f;

	job_verdict_set(&v.result, "skip");
	job_verdict_set(&v.reason, "no such \\c feature \\n");
	job_verdict_set(&v.verdict, "");
	job_verdict_set(&v.time, "0.000");
	f = open_memstream(&buf, &len);
	job_result_write(f, &v, "77");
	fclose(f);
	UNIT_CHECK(!strcmp(buf, "skip\nreason: no such \\c feature \\n\ntime: 0.000\nexit: 77\n"),
		   "record: result.txt's lines, backslashes verbatim");
	job_text_from(&t, buf, len);
	job_result_parse(&t, &back);
	UNIT_CHECK(!strcmp(back.result, "skip") && !strcmp(back.reason, v.reason) &&
		   !*back.verdict && !strcmp(back.time, "0.000"),
		   "record: read back, the exit line is not a verdict");
	job_verdict_free(&back);
	job_text_free(&t);
	free(buf);

	f = open_memstream(&buf, &len);
	job_ktap_line(f, 3, "igt@b@one", &v, 60);
	fclose(f);
	UNIT_CHECK(!strcmp(buf, "ok 3 igt@b@one # SKIP no such \\c feature \\n\n"),
		   "record: KTAP skip line with its reason");
	free(buf);
	job_verdict_set(&v.result, "timeout");
	job_verdict_set(&v.reason, "");
	job_verdict_set(&v.verdict, "VERDICT: job-timeout x");
	f = open_memstream(&buf, &len);
	job_ktap_line(f, 4, "igt@b@one", &v, 60);
	job_summary_line(f, "igt@b@one", &v);
	job_console_line(f, 4, 120, 3, "igt@b@one", &v);
	fclose(f);
	UNIT_CHECK(!strcmp(buf, "# VERDICT: job-timeout x\n"
			   "not ok 4 igt@b@one # TIMEOUT 60 seconds\n"
			   "timeout igt@b@one (0.000 s) VERDICT: job-timeout x\n"
			   "[004/120] igt@b@one ... timeout (0.000 s)\n"
			   "    VERDICT: job-timeout x\n"),
		   "record: KTAP, summary and console lines of a timeout");
	free(buf);
	UNIT_CHECK(job_counts_as("warn") == 'p' && job_counts_as("dmesg-warn") == 'f' &&
		   job_counts_as("notrun") == 'f' && job_counts_as("skip") == 's',
		   "record: counting (warn passes, dmesg-warn and notrun fail)");
	job_verdict_free(&v);
}

static void spawn(const char *script, unsigned int limit_s, struct job_result *res)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
	char *env[] = { "RUNNER_JOB_UNIT=1", NULL };
	struct job_limits lim = { .timeout_s = limit_s, .kill_after_s = 1,
				  .wedge_grace_s = 2 };
	char *out = str_printf("%s/spawn.out", tmpdir);
	char *watch = str_printf("%s/watch", tmpdir);
	static volatile sig_atomic_t interrupted;
	int fd = job_watch_open(watch);

	job_spawn_run(argv, env, out, "/dev/null", &lim, fd, &interrupted, res);
	close(fd);
	free(watch);
	free(out);
}

static void check_spawn(void)
{
	struct job_result res;
	struct job_text t;
	char *path, *line;
	size_t len;

	job_spawn_block_signals();
	spawn("echo $RUNNER_JOB_UNIT; exit 3", 5, &res);
	UNIT_EQ(3, res.rc, "spawn: the exit status");
	path = str_printf("%s/spawn.out", tmpdir);
	job_text_load(&t, path);
	UNIT_CHECK(job_text_next(&t, &line, &len) && !strcmp(line, "1"),
		   "spawn: stdout to the file, the extra environment set");
	job_text_free(&t);
	free(path);
	spawn("read -r _ _ _ _ g _ </proc/self/stat; [ \"$g\" = \"$$\" ]", 5, &res);
	UNIT_EQ(0, res.rc, "spawn: the test leads its process group");
	spawn("sleep 30", 1, &res);
	UNIT_EQ(128 + SIGTERM, res.rc, "spawn: SIGTERM at the limit");
	UNIT_CHECK(res.elapsed_cs >= 100 && res.elapsed_cs < 300,
		   "spawn: ... after 1 s (%ld cs)", res.elapsed_cs);
	spawn("trap '' TERM; sleep 30 & wait; wait", 1, &res);
	UNIT_EQ(128 + SIGKILL, res.rc, "spawn: SIGKILL when SIGTERM is ignored");
	spawn("sleep 30 & exit 0", 5, &res);
	UNIT_CHECK(res.rc == 0 && res.leftover, "spawn: a child left behind is killed and reported");
	path = str_printf("%s/watch", tmpdir);
	job_text_load(&t, path);
	UNIT_CHECK(job_text_next(&t, &line, &len) && len == JOB_WATCH_RECORD - 1 &&
		   str_starts(line, "idle "), "spawn: .watch says idle after, one fixed-size line");
	job_text_free(&t);
	free(path);
}

int main(void)
{
	char *cleanup;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	check_names();
	check_output();
	check_stderr();
	check_kmsg();
	check_panic();
	check_classify();
	check_record();
	check_spawn();
	cleanup = str_printf("rm -rf '%s'", tmpdir);
	if (system(cleanup))
		fprintf(stderr, "runner_job: could not remove %s\n", tmpdir);
	free(cleanup);
	return unit_done();
}
