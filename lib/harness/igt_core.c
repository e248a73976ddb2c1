// SPDX-License-Identifier: MIT
/*
 * igt_core.c — subtest control flow, results and the IGT/KTAP output.
 *
 * The exact strings and exit codes come from shared/IGT igt_core.c
 * (what igt_runner parses) and ktap.rst–§2 (KTAP); each is
 * named once below.  Logging, options and the watchdog live in their own
 * files (igt_log.c, igt_options.c, igt_watchdog.c).
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/igt_core.h"
#include "harness/igt_hook.h"
#include "harness/igt_internal.h"
#include "harness/igt_state.h"
#include "platform/platform.h"

/* Result words igt_runner maps (IGT igt_core.c). */
#define RESULT_SUCCESS	"SUCCESS"
#define RESULT_SKIP	"SKIP"
#define RESULT_FAIL	"FAIL"
#define RESULT_CRASH	"CRASH"

/* Kernel-log prefix of the harness's markers: KERN_INFO (IGT igt_core.c). */
#define KMSG_INFO	"<6>[IGT] "

#define SUBTEST_NAME_MAX	256

sigjmp_buf igt_subtest_jmpbuf;
sigjmp_buf igt_dynamic_jmpbuf;

struct igt_state igt_state = {
	.exitcode = IGT_EXIT_SUCCESS,
};

double igt_time_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void igt_kmsg(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (igt_state.listing || igt_state.kmsg_disabled)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Ignored on failure, as IGT does: a log marker is not a test. */
	plat_kmsg_write(buf);
}

/* Start/result lines: stdout, flushed, and stderr under igt_runner. */
void igt_sentinel(const char *fmt, ...)
{
	char buf[SUBTEST_NAME_MAX + 128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs(buf, stdout);
	fflush(stdout);
	if (igt_state.sentinel_on_stderr) {
		fputs(buf, stderr);
		fflush(stderr);
	}
}

static bool igt_valid_name(const char *name)
{
	if (!*name)
		return false;
	for (const char *p = name; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	}
	return true;
}

static void igt_check_name(const char *name)
{
	if (igt_valid_name(name))
		return;
	igt_critical("Invalid subtest name \"%s\".\n", name);
	exit(igt_exit_status(IGT_EXIT_INVALID));
}

const char *__igt_subtest_f_name(const char *fmt, ...)
{
	static char name[SUBTEST_NAME_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return name;
}

void igt_describe(const char *description)
{
	igt_state.pending_description = description;
}

void igt_describe_f(const char *fmt, ...)
{
	static char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	igt_state.pending_description = buf;
}

bool igt_only_list_subtests(void)
{
	return igt_state.listing || igt_state.ktap_counting;
}

const char *igt_subtest_name(void)
{
	return igt_state.in_subtest ? igt_state.subtest : NULL;
}

const char *igt_dynamic_name(void)
{
	return igt_state.in_dynamic ? igt_state.dynamic : NULL;
}

const char *igt_test_name(void)
{
	return igt_state.command;
}

bool igt_ktap_mode(void)
{
	return igt_state.ktap;
}

void igt_emit_ignore_dmesg_regex(const char *regex)
{
	char portable[1024];

	/* Without backslashes, which the kernel log escapes (igt_dmesg_regex.c). */
	igt_dmesg_regex_portable(regex, portable, sizeof(portable));
	igt_kmsg(KMSG_INFO "add ignored dmesg regex: %s\n", portable);
}

/* ---- KTAP helpers (ktap.rst) ---- */

static void ktap_result(bool ok, int number, const char *name,
			const char *directive)
{
	printf("%s %d %s%s%s\n", ok ? "ok" : "not ok", number,
	       name, directive ? " # " : "", directive ? directive : "");
	fflush(stdout);
}

/* ---- subtests ---- */

bool __igt_main_pass(void)
{
	if (igt_state.pass_done)
		return false;
	if (igt_state.ktap && !igt_state.listing) {
		if (!igt_state.ktap_counted) {
			/* Dry pass: count the selected subtests for the plan. */
			igt_state.ktap_counted = true;
			igt_state.ktap_counting = true;
			return true;
		}
		if (igt_state.ktap_counting) {
			igt_state.ktap_counting = false;
			igt_state.skip_henceforth = 0;
			printf("KTAP version 1\n1..%d\n", igt_state.ktap_plan);
			fflush(stdout);
			igt_log_backend_banner();
		}
	}
	igt_state.pass_done = true;
	return true;
}

bool __igt_fixture(void)
{
	if (igt_only_list_subtests() || igt_state.skip_henceforth)
		return false;
	igt_state.in_fixture = true;
	errno = 0;
	return true;
}

void __igt_fixture_complete(void)
{
	igt_state.in_fixture = false;
}

void __igt_subtest_group_save(int *save, int *desc)
{
	*save = igt_state.skip_henceforth;
	*desc = 0;
}

void __igt_subtest_group_restore(int save, int desc)
{
	(void)desc;
	igt_state.skip_henceforth = save;
}

/* A subtest that an earlier fixture doomed: result line only (IGT igt_core.c). */
static void igt_report_doomed(const char *name)
{
	bool fail = igt_state.skip_henceforth == IGT_DOOM_FAIL;
	char verdict[1200];

	if (fail) {
		igt_state.failed_one = true;
		igt_state.fail_count++;
		if (igt_state.exitcode == IGT_EXIT_SUCCESS)
			igt_state.exitcode = IGT_EXIT_FAILURE;
	} else {
		igt_state.skip_count++;
	}
	if (igt_state.ktap) {
		igt_state.ktap_number++;
		if (fail) {
			printf("# %s", igt_state.fixture_verdict);
			ktap_result(false, igt_state.ktap_number, name, NULL);
		} else {
			snprintf(verdict, sizeof(verdict), "SKIP %s",
				 igt_state.fixture_skip_reason);
			ktap_result(true, igt_state.ktap_number, name,
				    verdict);
		}
		return;
	}
	if (fail) {
		fputs(igt_state.fixture_verdict, stdout);
		igt_sentinel("Subtest %s: %s (0.000s)\n", name, RESULT_FAIL);
	} else {
		igt_sentinel("Subtest %s: %s (0.000s)\n", name, RESULT_SKIP);
	}
}

bool __igt_run_subtest(const char *name, const char *file, int line)
{
	const char *description = igt_state.pending_description;

	igt_state.pending_description = NULL;
	igt_check_name(name);

	if (igt_state.listing) {
		igt_list_subtest(name, description, file, line);
		return false;
	}
	if (igt_state.run_pattern &&
	    !igt_pattern_match(igt_state.run_pattern, name))
		return false;
	igt_state.run_pattern_found = true;
	if (igt_state.ktap_counting) {
		igt_state.ktap_plan++;
		return false;
	}
	if (igt_state.skip_henceforth) {
		igt_report_doomed(name);
		return false;
	}

	snprintf(igt_state.subtest, sizeof(igt_state.subtest), "%s", name);
	igt_kmsg(KMSG_INFO "%s: starting subtest %s\n", igt_state.command,
		 name);
	if (!igt_state.ktap)
		igt_sentinel("Starting subtest: %s\n", name);
	igt_state.in_subtest = true;
	igt_hook_event(IGT_HOOK_PRE_SUBTEST, NULL);
	igt_state.in_container = false;
	igt_state.subtest_start = igt_time_now();
	igt_verdict_clear();
	igt_log_buffer_reset();
	igt_watchdog_arm(0);
	__igt_subtest_checks_begin();
	/* "Last errno" in a report must be this subtest's, not set-up's. */
	errno = 0;
	return true;
}

bool __igt_enter_dynamic_container(void)
{
	igt_state.in_container = true;
	igt_state.dynamic_ran = 0;
	igt_state.dynamic_failed = 0;
	igt_state.dynamic_number = 0;
	/* Its results form a nested KTAP block, printed when it ends. */
	if (igt_state.ktap)
		igt_ktap_nest_begin();
	return true;
}

/* End the container's nested KTAP block, if one is open. */
static void ktap_nest_close(void)
{
	if (!igt_ktap_nest_active())
		return;
	fflush(stdout);
	igt_ktap_nest_end(igt_state.dynamic_number);
}

bool __igt_run_dynamic_subtest(const char *name)
{
	igt_check_name(name);
	if (!igt_state.in_container) {
		igt_critical("igt_dynamic(%s) outside a dynamic container\n",
			     name);
		igt_fail(IGT_EXIT_FAILURE);
	}
	if (igt_state.dynamic_pattern &&
	    !igt_pattern_match(igt_state.dynamic_pattern, name))
		return false;

	snprintf(igt_state.dynamic, sizeof(igt_state.dynamic), "%s", name);
	igt_kmsg(KMSG_INFO "%s: starting dynamic subtest %s\n",
		 igt_state.command, name);
	if (!igt_state.ktap)
		igt_sentinel("Starting dynamic subtest: %s\n", name);
	igt_state.in_dynamic = true;
	igt_hook_event(IGT_HOOK_PRE_DYN_SUBTEST, NULL);
	igt_state.dynamic_start = igt_time_now();
	igt_verdict_clear();
	errno = 0;
	return true;
}

/* In KTAP mode a dynamic subtest's lines are indented by igt_ktap.c. */
static void igt_print_verdict(void)
{
	char line[1200];

	__igt_verdict_format(line, sizeof(line));
	if (igt_state.ktap)
		printf("# %s", line);
	else
		fputs(line, stdout);
}

static void exit_dynamic(const char *result)
{
	double t = igt_time_now() - igt_state.dynamic_start;
	bool failed = !strcmp(result, RESULT_FAIL);

	if (failed) {
		igt_state.dynamic_failed++;
		igt_print_verdict();
	}
	if (strcmp(result, RESULT_SKIP))
		igt_state.dynamic_ran++;
	igt_state.dynamic_number++;
	if (igt_state.ktap) {
		ktap_result(!failed, igt_state.dynamic_number,
			    igt_state.dynamic,
			    strcmp(result, RESULT_SKIP) ? NULL :
			    igt_state.skip_directive);
	} else {
		/*
		 * The failure text goes out here, not when the container
		 * ends, so igt_runner does not count it against the next
		 * dynamic subtest as stderr noise (a "warn").
		 */
		if (failed) {
			fprintf(stderr, "Dynamic subtest %s failed.\n",
				igt_state.dynamic);
			igt_log_buffer_dump();
		}
		igt_sentinel("Dynamic subtest %s: %s (%.3fs)\n",
			     igt_state.dynamic, result, t);
	}
	igt_kmsg(KMSG_INFO "%s: finished subtest %s, %s\n", igt_state.command,
		 igt_state.dynamic, result);
	igt_hook_event(IGT_HOOK_POST_DYN_SUBTEST, result);
	igt_state.in_dynamic = false;
	igt_log_buffer_reset();
	siglongjmp(igt_dynamic_jmpbuf, 1);
}

/* Print and account a subtest's result; jump back only on skip/fail. */
static void exit_subtest(const char *result, bool jump, bool quiet)
{
	double t = igt_time_now() - igt_state.subtest_start;
	bool failed = !strcmp(result, RESULT_FAIL);
	bool skipped = !strcmp(result, RESULT_SKIP);

	igt_watchdog_disarm();
	ktap_nest_close();
	if (failed) {
		igt_state.failed_one = true;
		igt_state.fail_count++;
		if (!igt_state.ktap && !quiet) {
			fprintf(stderr, "Subtest %s failed.\n",
				igt_state.subtest);
			igt_log_buffer_dump();
		}
		igt_print_verdict();
	} else if (skipped) {
		igt_state.skip_count++;
	} else {
		igt_state.succeeded_one = true;
		igt_state.pass_count++;
	}
	if (igt_state.ktap) {
		igt_state.ktap_number++;
		ktap_result(!failed, igt_state.ktap_number,
			    igt_state.subtest,
			    skipped ? igt_state.skip_directive : NULL);
	} else {
		igt_sentinel("Subtest %s: %s (%.3fs)\n", igt_state.subtest,
			     result, t);
	}
	igt_kmsg(KMSG_INFO "%s: finished subtest %s, %s\n", igt_state.command,
		 igt_state.subtest, result);
	igt_hook_event(IGT_HOOK_POST_SUBTEST, result);
	igt_state.in_subtest = false;
	igt_state.in_container = false;
	if (jump)
		siglongjmp(igt_subtest_jmpbuf, 1);
}

void igt_success(void)
{
	if (igt_state.in_dynamic) {
		exit_dynamic(RESULT_SUCCESS);
		return;
	}
	if (!igt_state.in_subtest)
		return;
	if (igt_state.in_container) {
		if (igt_state.dynamic_failed) {
			__igt_verdict_default(VERDICT_ASSERT,
					      "%d dynamic subtest(s) failed",
					      igt_state.dynamic_failed);
			/* Their failure text was printed with each of them. */
			exit_subtest(RESULT_FAIL, false, true);
			return;
		}
		if (!igt_state.dynamic_ran) {
			igt_info("No dynamic tests executed.\n");
			snprintf(igt_state.skip_directive,
				 sizeof(igt_state.skip_directive),
				 "SKIP no dynamic tests executed");
			exit_subtest(RESULT_SKIP, false, false);
			return;
		}
	}
	/* The body passed: the teardown checks may still fail it. */
	__igt_subtest_checks_end();
	exit_subtest(RESULT_SUCCESS, false, false);
}

void igt_fail(int exitcode)
{
	if (igt_state.exitcode == IGT_EXIT_SUCCESS ||
	    igt_state.exitcode == IGT_EXIT_SKIP)
		igt_state.exitcode = exitcode;

	if (igt_state.in_dynamic)
		exit_dynamic(RESULT_FAIL);
	if (igt_state.in_subtest)
		exit_subtest(RESULT_FAIL, true, false);
	if (igt_state.in_fixture) {
		char verdict[1200];

		__igt_verdict_format(verdict, sizeof(verdict));
		snprintf(igt_state.fixture_verdict,
			 sizeof(igt_state.fixture_verdict), "%s", verdict);
		igt_state.skip_henceforth = IGT_DOOM_FAIL;
		igt_state.in_fixture = false;
		siglongjmp(igt_subtest_jmpbuf, 1);
	}
	/* Simple test, or a failure outside any block. */
	igt_state.failed_one = true;
	igt_state.fail_count++;
	if (!igt_state.has_subtests)
		igt_simple_result(RESULT_FAIL);
	igt_exit();
}

/* Skip with the full text logged and a one-line KTAP directive reason. */
static void __attribute__((noreturn)) igt_skip_with_reason(const char *text,
							    const char *reason)
{
	igt_log(IGT_LOG_INFO, "%s", text);
	snprintf(igt_state.skip_directive, sizeof(igt_state.skip_directive),
		 "SKIP %.*s", (int)strcspn(reason, "\n"), reason);

	if (igt_state.in_dynamic)
		exit_dynamic(RESULT_SKIP);
	if (igt_state.in_subtest)
		exit_subtest(RESULT_SKIP, true, false);
	if (igt_state.in_fixture) {
		snprintf(igt_state.fixture_skip_reason,
			 sizeof(igt_state.fixture_skip_reason), "%.*s",
			 (int)strcspn(reason, "\n"), reason);
		igt_state.skip_henceforth = IGT_DOOM_SKIP;
		igt_state.in_fixture = false;
		siglongjmp(igt_subtest_jmpbuf, 1);
	}
	igt_state.skip_count++;
	if (!igt_state.has_subtests)
		igt_simple_result(RESULT_SKIP);
	igt_exit();
}

void igt_skip(const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	igt_skip_with_reason(text, text);
}

void __igt_skip_check(const char *file, int line, const char *func,
		      const char *check, ...)
{
	char extra[512] = "", text[1200];
	int err = errno;
	const char *f;
	va_list ap;

	va_start(ap, check);
	f = va_arg(ap, const char *);
	if (f)
		vsnprintf(extra, sizeof(extra), f, ap);
	va_end(ap);

	snprintf(text, sizeof(text),
		 "Test requirement not met in function %s, file %s:%i:\n"
		 "Test requirement: %s\n%s", func, file, line, check, extra);
	if (err)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "Last errno: %i, %s\n", err, strerror(err));
	if (!extra[0])
		snprintf(extra, sizeof(extra), "requirement not met: %s", check);
	igt_skip_with_reason(text, extra);
}

void __igt_fail_assert(const char *domain, const char *file, int line,
		       const char *func, const char *assertion,
		       const char *fmt, ...)
{
	char msg[1024] = "";
	int err = errno;
	va_list ap;

	(void)domain;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	igt_critical("Test assertion failure function %s, file %s:%i:\n",
		     func, file, line);
	igt_critical("Failed assertion: %s\n", assertion);
	if (err)
		igt_critical("Last errno: %i, %s\n", err, strerror(err));
	if (msg[0])
		igt_critical("%s", msg);
	msg[strcspn(msg, "\n")] = '\0';
	__igt_verdict_default(VERDICT_ASSERT, "%s:%d: %s%s%s", file, line,
			      assertion, msg[0] ? ": " : "", msg);
	igt_fail(IGT_EXIT_FAILURE);
}

void __igt_abort(const char *file, int line, const char *func,
		 const char *expr, ...)
{
	char msg[512] = "";
	const char *f;
	va_list ap;

	va_start(ap, expr);
	f = va_arg(ap, const char *);
	if (f)
		vsnprintf(msg, sizeof(msg), f, ap);
	va_end(ap);
	igt_critical("Test abort in function %s, file %s:%i:\n", func, file,
		     line);
	igt_critical("abort condition: %s\n", expr);
	if (msg[0])
		igt_critical("%s", msg);
	igt_kmsg("<3>[IGT] %s[%d]: Abort in function %s, file %s:%i, %s\n",
		 igt_state.command, getpid(), func, file, line, expr);
	igt_log_buffer_dump();
	igt_run_exit_handlers(0);
	exit(igt_exit_status(IGT_EXIT_ABORT));
}

/* ---- exit ---- */

void igt_exit(void)
{
	int code;

	fflush(stdout);
	if (igt_state.listing) {
		exit(igt_state.has_subtests && igt_state.listed_any ?
		     IGT_EXIT_SUCCESS : IGT_EXIT_INVALID);
	}
	if (igt_state.run_pattern && !igt_state.run_pattern_found) {
		fprintf(stderr, "(%s:%d) igt_core-CRITICAL: Unknown subtest: %s\n",
			igt_state.command, getpid(), igt_state.run_pattern);
		/* kselftest.h's ksft_exit_fail_msg() ends a run this way. */
		if (igt_state.ktap)
			printf("Bail out! Unknown subtest: %s\n",
			       igt_state.run_pattern);
		fflush(stdout);
		exit(igt_exit_status(IGT_EXIT_INVALID));
	}
	igt_run_exit_handlers(0);
	igt_hook_event(IGT_HOOK_POST_TEST, NULL);

	if (igt_state.failed_one)
		code = igt_state.exitcode == IGT_EXIT_SUCCESS ?
		       IGT_EXIT_FAILURE : igt_state.exitcode;
	else if (igt_state.succeeded_one)
		code = IGT_EXIT_SUCCESS;
	else if (!igt_state.has_subtests && !igt_state.skip_count) {
		code = IGT_EXIT_SUCCESS;
		igt_simple_result(RESULT_SUCCESS);
	}
	else
		code = IGT_EXIT_SKIP;

	igt_kmsg(KMSG_INFO "%s: exiting, ret=%d\n", igt_state.command, code);
	if (igt_state.ktap)
		printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
		       igt_state.pass_count, igt_state.fail_count,
		       igt_state.skip_count);
	fflush(stdout);
	fflush(stderr);
	exit(igt_exit_status(code));
}

/*
 * The exit status for an IGT exit code: itself in IGT mode; in KTAP mode
 * one of kselftest's (tools/testing/selftests/kselftest.h), since the
 * kselftest runner knows only 0, 4 (skip) and the rest as failures, and
 * would print an IGT 77 as "not ok ... # exit=77".
 */
int igt_exit_status(int igt_code)
{
	if (!igt_state.ktap)
		return igt_code;
	switch (igt_code) {
	case IGT_EXIT_SUCCESS:
		return KSFT_PASS;
	case IGT_EXIT_SKIP:
		return KSFT_SKIP;
	default:
		return KSFT_FAIL;
	}
}

/* Result of a test without subtests: "RESULT (T.TTTs)" (IGT igt_core.c). */
void igt_simple_result(const char *result)
{
	double t = igt_time_now() - igt_state.subtest_start;

	if (!strcmp(result, RESULT_FAIL))
		igt_print_verdict();
	if (igt_state.ktap) {
		ktap_result(strcmp(result, RESULT_FAIL), 1,
			    igt_state.command,
			    strcmp(result, RESULT_SKIP) ? NULL :
			    igt_state.skip_directive);
		return;
	}
	printf("%s (%.3fs)\n", result, t);
	fflush(stdout);
}
