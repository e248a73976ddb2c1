// SPDX-License-Identifier: MIT
/*
 * rkval-exec — rkval-run's executor: runs the job list one subtest per
 * process and records each result as it happens.
 *
 * rkval-run (the shell front end) reads options, settings and the test
 * list, expands the list into RESULTS/joblist.txt and hands it here; it
 * exports results.json and junit.xml after.  The per-subtest work lives in
 * C because a shell pays for it in system calls and interpretation: it was
 * most of the runner's cost per subtest, more than igt_runner's
 * (bench/runner-overhead.sh measures both).
 *
 *   rkval-exec run --results DIR --bin-dir DIR --bin-settings FILE
 *                  --timeout S [options]        the job list
 *   rkval-exec limit --timeout S --out FILE --watch FILE -- CMD [ARG...]
 *                  one command under the time limit (listing subtests);
 *                  exit: its status, or 124 when the limit ended it
 *
 * Exit status of run: 0 every result passed or skipped, 1 a failure,
 * 2 usage or I/O error, 3 interrupted (SIGINT, SIGTERM or SIGHUP).  The
 * counts end metadata.txt ("totals: "); rkval-run prints the closing line
 * after the exports.
 * Layout and counting rules: docs/results.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "runner/job_classify.h"
#include "runner/job_record.h"
#include "runner/job_spawn.h"
#include "runner/job_text.h"
#include "runner/klog_board.h"
#include "util/num_parse.h"

#define EXEC_OK			0
#define EXEC_FAILED		1
#define EXEC_USAGE		2
#define EXEC_INTERRUPTED	3

static volatile sig_atomic_t interrupted;

struct bin_setting {
	char *bin;
	unsigned int timeout_s;
	unsigned int watchdog_s;
	char *args;			/* split on blanks, no quoting */
};

struct run {
	const char *results, *jobs, *bin_dir, *device, *list_name;
	const char *sync_mode;		/* off, syncfs, sync */
	const char *klog_mode;		/* vnpu, dmesg, none */
	const char *npu_nodes;		/* NULL: not watched */
	const char *orphan_note;
	struct job_limits lim;
	bool ktap_only, resuming;
	struct bin_setting *settings;
	size_t n_settings;
	struct klog_board klog;

	FILE *summary, *ktap;
	int watch_fd;			/* RESULTS/.watch (job_spawn.h) */
	unsigned int total, passed, failed, skipped;
	int count_width, dir_width;
	char *stop_reason;		/* NULL: go on */
	char *backend_line;
	bool backend_recorded;
	char *prev_dir, *prev_name;
};

static void die_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("rkval-exec: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXEC_USAGE);
}

/* A bound against nonsense, not a limit of any run: a year of seconds. */
#define EXEC_NUMBER_MAX		(366u * 24 * 3600)

static unsigned int parse_uint(const char *opt, const char *val)
{
	uint64_t v;
	enum num_error err = num_parse_u64(val, 10, 0, EXEC_NUMBER_MAX, &v);

	if (err)
		die_usage("%s \"%s\": %s (expected 0..%u)", opt, val,
			  num_error_str(err), EXEC_NUMBER_MAX);
	return (unsigned int)v;
}

static void utc_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void append_metadata(struct run *r, const char *fmt, ...)
{
	char *path = str_printf("%s/metadata.txt", r->results);
	FILE *f = fopen(path, "a");
	va_list ap;

	free(path);
	if (!f)
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
}

/* ---- per-binary settings (computed by rkval-run: BIN TIMEOUT WATCHDOG ARGS) */

static void load_bin_settings(struct run *r, const char *path)
{
	struct job_text t;
	char *line;
	size_t len;

	job_text_load(&t, path);
	while (job_text_next(&t, &line, &len)) {
		struct bin_setting *s, *grown;
		char *bin = strtok(line, " \t");
		char *timeout = strtok(NULL, " \t");
		char *watchdog = strtok(NULL, " \t");
		char *args = strtok(NULL, "");

		if (!bin || !timeout || !watchdog)
			die_usage("%s: not BIN TIMEOUT WATCHDOG [ARGS]", path);
		grown = realloc(r->settings, (r->n_settings + 1) * sizeof(*grown));
		if (!grown)
			abort();
		r->settings = grown;
		s = &r->settings[r->n_settings++];
		s->bin = strdup(bin);
		s->timeout_s = parse_uint("timeout", timeout);
		s->watchdog_s = parse_uint("watchdog", watchdog);
		s->args = strdup(args ? args : "");
	}
	job_text_free(&t);
}

static const struct bin_setting *find_setting(const struct run *r, const char *bin)
{
	for (size_t i = 0; i < r->n_settings; i++)
		if (!strcmp(r->settings[i].bin, bin))
			return &r->settings[i];
	return NULL;
}

/* a binary's settings: rkval-run writes a line for every binary it runs */
static const struct bin_setting *bin_setting(const struct run *r, const char *bin)
{
	const struct bin_setting *s = find_setting(r, bin);

	if (!s)
		die_usage("no settings for binary '%s'", bin);
	return s;
}

/* ---- one job ---------------------------------------------------------- */

struct job {
	unsigned int n;
	char *name;		/* igt@BIN[@SUB[@DYN]] */
	enum job_kind kind;
	char *detail;
	char *bin, *sub, *dyn;	/* SUB is BIN for a whole binary; DYN "" if none */
	char *dir;
};

/* NAME without its "igt@" (a malformed line's is "runner@...") */
static const char *name_tail(const char *name)
{
	return str_starts(name, "igt@") ? name + strlen("igt@") : name;
}

/* the text of @s up to '@' (or the end), malloc'd; *@s after the '@' */
static char *name_part(const char **s)
{
	const char *at = strchr(*s, '@');
	char *part = strndup(*s, at ? (size_t)(at - *s) : strlen(*s));

	if (!part)
		abort();
	*s = at ? at + 1 : *s + strlen(*s);
	return part;
}

static void split_name(struct job *j)
{
	const char *rest = name_tail(j->name);
	bool whole = !strchr(rest, '@');

	j->bin = name_part(&rest);
	/* a whole binary: its "subtest" is its name (stderr rules) */
	j->sub = whole ? strdup(j->bin) : name_part(&rest);
	j->dyn = strdup(rest);
	if (!j->sub || !j->dyn)
		abort();
}

static void flush_results(struct run *r)
{
	fflush(r->summary);
	fflush(r->ktap);
	if (!strcmp(r->sync_mode, "syncfs"))
		syncfs(fileno(r->summary));
	else if (!strcmp(r->sync_mode, "sync"))
		sync();
}

/* summary.txt, results.ktap, counts, console */
static void record_lines(struct run *r, const struct job *j,
			 const struct job_verdict *v)
{
	const struct bin_setting *s = find_setting(r, j->bin);
	unsigned int timeout_s = s ? s->timeout_s : r->lim.timeout_s;

	job_summary_line(r->summary, j->name, v);
	job_ktap_line(r->ktap, j->n, j->name, v, timeout_s);
	flush_results(r);
	switch (job_counts_as(v->result)) {
	case 'p':
		r->passed++;
		break;
	case 's':
		r->skipped++;
		break;
	default:
		r->failed++;
		break;
	}
	if (r->ktap_only)
		job_ktap_line(stdout, j->n, j->name, v, timeout_s);
	else
		job_console_line(stdout, j->n, r->total, r->count_width, j->name, v);
	fflush(stdout);
}

static void record(struct run *r, const struct job *j,
		   const struct job_verdict *v, const char *rc)
{
	if (job_record_file(j->dir, v, rc))
		fprintf(stderr, "rkval-run: cannot write %s/result.txt: %s\n",
			j->dir, strerror(errno));
	record_lines(r, j, v);
}

static void write_file(const char *dir, const char *file, const char *text)
{
	char *path = str_printf("%s/%s", dir, file);
	FILE *f = fopen(path, "w");

	free(path);
	if (!f)
		return;
	fprintf(f, "%s\n", text);
	fclose(f);
}

static bool npu_present(const char *patterns)
{
	char *copy = strdup(patterns), *save = NULL;
	bool found = false;

	for (char *p = strtok_r(copy, " \t", &save); p && !found;
	     p = strtok_r(NULL, " \t", &save)) {
		glob_t g;
		struct stat st;

		if (!glob(p, 0, NULL, &g)) {
			for (size_t i = 0; i < g.gl_pathc && !found; i++)
				found = !stat(g.gl_pathv[i], &st);
			globfree(&g);
		}
	}
	free(copy);
	return found;
}

/*
 * A test that unbinds the driver (npu_rebind) and dies before binding it
 * again leaves the board without an NPU: every later subtest would skip
 * or fail for that reason alone.  On the kernel backend the runner checks
 * after each subtest that an accel node still exists; when the last one
 * is gone it fails that subtest and runs nothing more.
 */
static void npu_check(struct run *r, const struct job *j, struct job_verdict *v)
{
	char *why;

	if (!r->npu_nodes || npu_present(r->npu_nodes))
		return;
	if (job_counts_as(v->result) != 'f')
		job_verdict_set(&v->result, "fail");
	why = str_printf("the NPU is gone after this subtest (no %s; a crash left the driver unbound?)",
			 r->npu_nodes);
	job_verdict_append(v, why);
	free(why);
	r->stop_reason = str_printf("not run: the NPU vanished during %s", j->name);
	fprintf(stderr, "rkval-run: *** the NPU vanished during %s (no %s); the rest of the run is not run\n",
		j->name, r->npu_nodes);
	r->npu_nodes = NULL;
}

static void execute(struct run *r, struct job *j, const struct bin_setting *s,
		    struct job_result *res)
{
	char *path = str_printf("%s/%s", r->bin_dir, j->bin);
	char *out = str_printf("%s/out.txt", j->dir);
	char *err = str_printf("%s/err.txt", j->dir);
	char *dmesg = str_printf("%s/dmesg.txt", j->dir);
	char *kmsg_env = str_printf("RKVAL_VNPU_KMSG=%s", dmesg);
	char *wd_env = str_printf("RKVAL_SUBTEST_TIMEOUT=%u", s->watchdog_s);
	char *env[] = { kmsg_env, "IGT_SENTINEL_ON_STDERR=1", wd_env, NULL };
	char *args = strdup(s->args), *save = NULL;
	char timeout_s[16], kill_after[16];
	struct job_limits lim = r->lim;
	/* timeout -k K T, BIN, 2 options of 2 words, --device SPEC, NULL */
	size_t argc = 0, max_args = 4 + 1 + 4 + 2 + 1 + strlen(s->args) / 2 + 1;
	char **argv = calloc(max_args, sizeof(*argv));
	FILE *f;

	if (!argv)
		abort();
	lim.timeout_s = s->timeout_s;
	if (lim.use_timeout) {
		snprintf(timeout_s, sizeof(timeout_s), "%u", lim.timeout_s);
		snprintf(kill_after, sizeof(kill_after), "%u", lim.kill_after_s);
		argv[argc++] = "timeout";
		argv[argc++] = "-k";
		argv[argc++] = kill_after;
		argv[argc++] = timeout_s;
	}
	argv[argc++] = path;
	if (j->kind == JOB_SUB || j->kind == JOB_DYN) {
		argv[argc++] = "--run-subtest";
		argv[argc++] = j->sub;
	}
	if (j->kind == JOB_DYN) {
		argv[argc++] = "--dynamic-subtest";
		argv[argc++] = j->dyn;
	}
	if (r->device && *r->device) {
		argv[argc++] = "--device";
		argv[argc++] = (char *)r->device;
	}
	/* a word is at least one character and one blank after it */
	for (char *a = strtok_r(args, " \t\n", &save); a;
	     a = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = a;
	argv[argc] = NULL;

	f = fopen(dmesg, "w");
	if (f)
		fclose(f);
	job_spawn_run(argv, env, out, err, &lim, r->watch_fd, &interrupted, res);
	if (!strcmp(r->klog_mode, "dmesg")) {
		r->klog.prev_dir = r->prev_dir;
		r->klog.prev_name = r->prev_name;
		klog_board_collect(&r->klog, j->dir, j->name, j->bin, j->sub,
				   j->kind == JOB_WHOLE);
	}
	free(argv);
	free(args);
	free(wd_env);
	free(kmsg_env);
	free(dmesg);
	free(err);
	free(out);
	free(path);
}

static void run_one(struct run *r, struct job *j)
{
	const struct bin_setting *s;
	struct job_verdict v;
	struct job_result res;
	char rc[16];
	struct stat st;
	char *path;

	job_verdict_init(&v, "0.000");
	if (interrupted && !r->stop_reason)
		r->stop_reason = strdup("not run: run interrupted");
	if (r->stop_reason) {
		job_verdict_set(&v.result, "notrun");
		job_verdict_set(&v.reason, r->stop_reason);
		record(r, j, &v, "-");
		goto out;
	}
	if (j->kind == JOB_MALFORMED || j->kind == JOB_LISTERR) {
		char *why = str_printf(j->kind == JOB_MALFORMED ?
				       "malformed test-list line: %s" :
				       "cannot list subtests: %s", j->detail);

		job_verdict_set(&v.result, "fail");
		job_verdict_set(&v.reason, why);
		free(why);
		if (j->kind == JOB_MALFORMED)
			write_file(j->dir, "err.txt", v.reason);
		record(r, j, &v, "-");
		goto out;
	}
	path = str_printf("%s/%s", r->bin_dir, j->bin);
	if (stat(path, &st) || S_ISDIR(st.st_mode) || access(path, X_OK)) {
		char *why = str_printf(stat(path, &st) ?
				       "test binary missing: %s" :
				       "test binary not executable: %s", path);

		job_verdict_set(&v.result, "fail");
		job_verdict_set(&v.reason, why);
		free(why);
		write_file(j->dir, "err.txt", v.reason);
		free(path);
		record(r, j, &v, "-");
		goto out;
	}
	free(path);

	s = bin_setting(r, j->bin);
	execute(r, j, s, &res);
	job_verdict_free(&v);
	job_classify(&(struct job_classify_in){
			.dir = j->dir, .name = j->name, .kind = j->kind,
			.sub = j->sub, .dyn = j->dyn,
			.timeout_s = s->timeout_s,
			.wedge_grace_s = r->lim.wedge_grace_s,
			.run = &res, .backend_line = &r->backend_line,
		     }, &v);
	if (r->backend_line && !r->backend_recorded) {
		append_metadata(r, "backend: %s\n", r->backend_line);
		r->backend_recorded = true;
	}
	npu_check(r, j, &v);
	/* a process given up on has no wait status */
	if (res.abandoned)
		snprintf(rc, sizeof(rc), "-");
	else
		snprintf(rc, sizeof(rc), "%d", res.rc);
	record(r, j, &v, rc);
	free(r->prev_dir);
	free(r->prev_name);
	r->prev_dir = strdup(j->dir);
	r->prev_name = strdup(j->name);
	job_spawn_poll_signals(&interrupted);
	if (!strcmp(v.result, "abort") && !r->stop_reason)
		r->stop_reason = str_printf("not run: %s aborted the run", j->name);
	else if (interrupted && !r->stop_reason)
		r->stop_reason = strdup("not run: run interrupted");
out:
	job_verdict_free(&v);
}

/*
 * --resume (as IGT's igt_resume): a subtest with a result.txt keeps it
 * (its lines are rebuilt from it), the one that was running (out.txt, no
 * result.txt) becomes `incomplete`, a `notrun` one and every one not
 * reached run now.
 */
static void resume_one(struct run *r, struct job *j)
{
	struct job_verdict v;
	struct stat st;
	char *path = str_printf("%s/result.txt", j->dir);
	bool have_result = !stat(path, &st) && st.st_size > 0;

	if (have_result) {
		job_load_result(j->dir, &v);
		if (strcmp(v.result, "notrun")) {
			record_lines(r, j, &v);
			job_verdict_free(&v);
			free(path);
			return;
		}
		job_verdict_free(&v);
		unlink(path);
	} else {
		char *out = str_printf("%s/out.txt", j->dir);
		bool ran = !stat(out, &st);

		free(out);
		if (ran && !r->stop_reason) {
			char *why = str_printf("the run stopped while it ran (runner killed or machine reset); recorded by --resume%s",
					       r->orphan_note);
			job_verdict_init(&v, "0.000");
			job_verdict_set(&v.result, "incomplete");
			job_verdict_set(&v.reason, why);
			free(why);
			record(r, j, &v, "-");
			job_verdict_free(&v);
			free(path);
			return;
		}
	}
	free(path);
	run_one(r, j);
}

/* ---- the run -------------------------------------------------------- */

static struct job *load_jobs(struct run *r, size_t *n_jobs)
{
	struct job *jobs = NULL;
	struct job_text t;
	char *line;
	size_t len, n = 0;

	job_text_load(&t, r->jobs);
	while (job_text_next(&t, &line, &len)) {
		char *save = NULL;
		char *name = strtok_r(line, " \t", &save);
		char *kind = strtok_r(NULL, " \t", &save);
		char *detail = strtok_r(NULL, "", &save);
		struct job *grown, *j;
		int k;

		if (!name || !kind || (k = job_kind_parse(kind)) < 0)
			die_usage("%s: not a job line: %s", r->jobs, line);
		grown = realloc(jobs, (n + 1) * sizeof(*jobs));
		if (!grown)
			abort();
		jobs = grown;
		j = &jobs[n++];
		memset(j, 0, sizeof(*j));
		j->n = (unsigned int)n;
		j->name = strdup(name);
		j->kind = (enum job_kind)k;
		while (detail && (*detail == ' ' || *detail == '\t'))
			detail++;
		j->detail = strdup(detail ? detail : "");
		split_name(j);
	}
	job_text_free(&t);
	*n_jobs = n;
	return jobs;
}

static FILE *open_result_file(struct run *r, const char *name, const char *mode)
{
	char *path = str_printf("%s/%s", r->results, name);
	FILE *f = fopen(path, mode);

	if (!f)
		die_usage("cannot write %s: %s", path, strerror(errno));
	free(path);
	return f;
}

static int run_many(struct run *r)
{
	char when[32], *watch;
	size_t n_jobs;
	struct job *jobs = load_jobs(r, &n_jobs);
	int width;

	r->total = (unsigned int)n_jobs;
	r->count_width = snprintf(NULL, 0, "%u", r->total);
	r->dir_width = r->count_width > 3 ? r->count_width : 3;
	r->ktap = open_result_file(r, "results.ktap", "w");
	fprintf(r->ktap, "KTAP version 1\n1..%u\n", r->total);
	r->summary = open_result_file(r, "summary.txt", "w");
	watch = str_printf("%s/.watch", r->results);
	r->watch_fd = job_watch_open(watch);
	if (r->ktap_only)
		printf("KTAP version 1\n1..%u\n", r->total);
	else
		printf("rkval-run: %u subtest(s) from %s; results in %s\n",
		       r->total, r->list_name, r->results);
	fflush(stdout);
	width = r->dir_width;
	for (size_t i = 0; i < n_jobs; i++) {
		jobs[i].dir = str_printf("%s/%0*u-%s", r->results, width, jobs[i].n,
					 name_tail(jobs[i].name));
		if (mkdir(jobs[i].dir, 0755) && errno != EEXIST)
			die_usage("cannot create %s: %s", jobs[i].dir, strerror(errno));
	}
	for (size_t i = 0; i < n_jobs; i++) {
		if (r->resuming)
			resume_one(r, &jobs[i]);
		else
			run_one(r, &jobs[i]);
	}
	if (r->watch_fd >= 0)
		close(r->watch_fd);
	unlink(watch);
	free(watch);
	utc_now(when, sizeof(when));
	append_metadata(r, "end: %s\ntotals: %u passed, %u failed, %u skipped\n",
			when, r->passed, r->failed, r->skipped);
	flush_results(r);
	fclose(r->summary);
	fclose(r->ktap);
	for (size_t i = 0; i < n_jobs; i++) {
		free(jobs[i].name);
		free(jobs[i].bin);
		free(jobs[i].sub);
		free(jobs[i].dyn);
		free(jobs[i].detail);
		free(jobs[i].dir);
	}
	free(jobs);
	if (interrupted)
		return EXEC_INTERRUPTED;
	return r->failed ? EXEC_FAILED : EXEC_OK;
}

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->n_settings; i++) {
		free(r->settings[i].bin);
		free(r->settings[i].args);
	}
	free(r->settings);
	free(r->stop_reason);
	free(r->backend_line);
	free(r->prev_dir);
	free(r->prev_name);
}

/* ---- limit: one command under the time limit ---------------------------- */

static int run_limited(const struct job_limits *lim, const char *out,
		       const char *watch, char **argv)
{
	char *env[] = { NULL };
	struct job_result res;
	int watch_fd = job_watch_open(watch);
	int err;

	err = job_spawn_run(argv, env, out, "/dev/null", lim, watch_fd, &interrupted, &res);
	if (watch_fd >= 0)
		close(watch_fd);
	if (err)
		return res.rc;
	if (res.killed_by_us || res.abandoned ||
	    res.elapsed_cs >= (long)lim->timeout_s * 100)
		return TIMEOUT_TOOL_RC;
	return res.rc;
}

int main(int argc, char **argv)
{
	struct run r = {
		.device = "", .list_name = "", .sync_mode = "off",
		.klog_mode = "none", .orphan_note = "",
		.lim = { .timeout_s = 60, .kill_after_s = 5, .wedge_grace_s = 10 },
		.klog = { .dmesg_cmd = "dmesg" },
	};
	const char *mode = argc > 1 ? argv[1] : "", *settings = NULL;
	const char *out = NULL, *watch = NULL;
	char *jobs_default = NULL;
	pid_t runner_pid = 0;
	int i, status;

	job_spawn_block_signals();
	/*
	 * rkval-run and rkval-exec are one runner: when rkval-run dies
	 * (kill -9, as a board reset would end it) this goes too, at once,
	 * leaving the running test for `--resume` to find, not a second
	 * runner that goes on writing results.
	 */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (i = 2; i < argc; i++) {
		const char *opt = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(opt, "--")) {
			i++;
			break;
		}
		if (!strcmp(opt, "--ktap-only")) {
			r.ktap_only = true;
			continue;
		}
		if (!strcmp(opt, "--resume")) {
			r.resuming = true;
			continue;
		}
		if (!strcmp(opt, "--interrupted")) {
			interrupted = 1;
			continue;
		}
		if (!strcmp(opt, "--use-timeout")) {
			r.lim.use_timeout = true;
			continue;
		}
		if (!val)
			die_usage("option %s needs a value", opt);
		i++;
		if (!strcmp(opt, "--results"))
			r.results = val;
		else if (!strcmp(opt, "--jobs"))
			r.jobs = val;
		else if (!strcmp(opt, "--bin-dir"))
			r.bin_dir = val;
		else if (!strcmp(opt, "--bin-settings"))
			settings = val;
		else if (!strcmp(opt, "--device"))
			r.device = val;
		else if (!strcmp(opt, "--list-name"))
			r.list_name = val;
		else if (!strcmp(opt, "--sync"))
			r.sync_mode = val;
		else if (!strcmp(opt, "--klog"))
			r.klog_mode = val;
		else if (!strcmp(opt, "--dmesg-cmd"))
			r.klog.dmesg_cmd = val;
		else if (!strcmp(opt, "--klog-lines"))
			r.klog.lines = parse_uint(opt, val);
		else if (!strcmp(opt, "--npu-nodes"))
			r.npu_nodes = val;
		else if (!strcmp(opt, "--orphan-note"))
			r.orphan_note = val;
		else if (!strcmp(opt, "--timeout"))
			r.lim.timeout_s = parse_uint(opt, val);
		else if (!strcmp(opt, "--kill-after"))
			r.lim.kill_after_s = parse_uint(opt, val);
		else if (!strcmp(opt, "--wedge-grace"))
			r.lim.wedge_grace_s = parse_uint(opt, val);
		else if (!strcmp(opt, "--out"))
			out = val;
		else if (!strcmp(opt, "--watch"))
			watch = val;
		else if (!strcmp(opt, "--runner-pid"))
			runner_pid = (pid_t)parse_uint(opt, val);
		else
			die_usage("unknown option '%s'", opt);
	}
	/* rkval-run died before the death signal was set up */
	if (runner_pid && getppid() != runner_pid)
		return EXEC_INTERRUPTED;
	if (!strcmp(mode, "limit")) {
		if (!out || !watch || i >= argc)
			die_usage("limit needs --out FILE --watch FILE -- CMD");
		return run_limited(&r.lim, out, watch, argv + i);
	}
	if (strcmp(mode, "run") || !r.results || !r.bin_dir || !settings)
		die_usage("usage: rkval-exec run --results DIR --bin-dir DIR --bin-settings FILE [options]");
	if (!r.jobs)
		r.jobs = jobs_default = str_printf("%s/joblist.txt", r.results);
	if (strcmp(r.klog_mode, "vnpu") && strcmp(r.klog_mode, "dmesg") &&
	    strcmp(r.klog_mode, "none"))
		die_usage("--klog vnpu|dmesg|none, not '%s'", r.klog_mode);
	if (strcmp(r.sync_mode, "off") && strcmp(r.sync_mode, "syncfs") &&
	    strcmp(r.sync_mode, "sync"))
		die_usage("--sync off|syncfs|sync, not '%s'", r.sync_mode);
	load_bin_settings(&r, settings);
	r.klog.results = r.results;
	status = run_many(&r);
	run_free(&r);
	free(jobs_default);
	return status;
}
