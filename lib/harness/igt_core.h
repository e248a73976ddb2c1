/* SPDX-License-Identifier: MIT */
/*
 * igt_core — rkval's IGT-compatible test core (our own code, IGT's protocol).
 *
 * Contract:
 *  - What a test binary prints is byte-compatible with what igt_runner
 *    parses (shared/IGT igt_core.c): "IGT-Version:" line,
 *    "Starting subtest: NAME", "Subtest NAME: RESULT (T.TTTs)" on stdout,
 *    flushed, repeated on stderr when IGT_SENTINEL_ON_STDERR is set; exit
 *    codes 0/77/79/98/112, death by the signal for crashes; the
 *    "<6>[IGT] BIN: starting subtest NAME" kernel-log marker before each
 *    subtest, written through the platform seam (so vnpu sees it too).
 *  - With --ktap the same binary prints KTAP version 1 instead
 *    (ktap.rst) and exits with kselftest codes (0 pass,
 *    1 fail, 4 skip).
 *  - Every failing subtest ends with one "VERDICT: <stage> <facts>" line
 *    just before its result line (lib/harness/verdict.h lists the stages);
 *    an assertion without an explicit verdict gets stage "assert".
 *  - Each subtest runs under a watchdog (default RKVAL_SUBTEST_TIMEOUT_S,
 *    overridable per subtest with igt_set_subtest_timeout()); when it
 *    fires the subtest FAILs with stage "watchdog" and the binary goes on
 *    with the next subtest, as IGT does after igt_set_timeout().  A crash
 *    (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT) inside a subtest ends it as
 *    CRASH and the binary goes on too; its exit status is then 128+signal
 *    unless an earlier subtest failed (IGT igt_core.h).  Outside a subtest a
 *    crash kills the process by the signal.
 *
 * Usage mirrors IGT:
 *
 *	IGT_TEST_DESCRIPTION("What this binary validates.");
 *
 *	igt_main
 *	{
 *		int fd = -1;
 *
 *		igt_fixture
 *			fd = rocket_open_device();
 *
 *		igt_describe("Make sure a zero-sized BO is rejected.");
 *		igt_subtest("bo-create-zero-size")
 *			rocket_bo_create_err(fd, 0, EINVAL);
 *
 *		igt_fixture
 *			rocket_close_device(fd);
 *	}
 */
#ifndef RKVAL_IGT_CORE_H
#define RKVAL_IGT_CORE_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <inttypes.h>

/* Exit codes (IGT igt_core.h). */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_ABORT		112

/* kselftest exit codes (tools/testing/selftests/kselftest.h). */
#define KSFT_PASS		0
#define KSFT_FAIL		1
#define KSFT_SKIP		4

/* Default per-subtest watchdog; a subtest may ask for more. */
#define RKVAL_SUBTEST_TIMEOUT_S		30
#define RKVAL_SUBTEST_TIMEOUT_ENV	"RKVAL_SUBTEST_TIMEOUT"
/* A bound against typos (one day), not a limit of any runner. */
#define RKVAL_SUBTEST_TIMEOUT_MAX_S	86400

enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};

/* ---- internals used by the macros (do not call directly) ---- */
extern sigjmp_buf igt_subtest_jmpbuf;
extern sigjmp_buf igt_dynamic_jmpbuf;
extern const char *__igt_test_description __attribute__((weak));

struct option;
typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);

void igt_subtest_init_parse_opts(int *argc, char **argv,
				 const char *extra_short_opts,
				 const struct option *extra_long_opts,
				 const char *help_str,
				 igt_opt_handler_t extra_opt_handler,
				 void *handler_data);
void igt_simple_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data);
bool __igt_run_subtest(const char *name, const char *file, int line);
bool __igt_enter_dynamic_container(void);
bool __igt_run_dynamic_subtest(const char *name);
bool __igt_fixture(void);
void __igt_fixture_complete(void);
void __igt_subtest_group_save(int *save, int *desc);
void __igt_subtest_group_restore(int save, int desc);
bool __igt_main_pass(void);
const char *__igt_subtest_f_name(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

__attribute__((noreturn)) void igt_exit(void);

/* ---- binary structure ---- */

#define IGT_TEST_DESCRIPTION(str) const char *__igt_test_description = str

#define igt_main_args(short_opts, long_opts, help_str, handler, data)	\
	static void __igt_main_body(void);				\
	int main(int argc, char **argv)					\
	{								\
		igt_subtest_init_parse_opts(&argc, argv, short_opts,	\
					    long_opts, help_str,	\
					    handler, data);		\
		/* --ktap counts the plan in a dry pass first. */	\
		while (__igt_main_pass())				\
			__igt_main_body();				\
		igt_exit();						\
	}								\
	static void __igt_main_body(void)

#define igt_main igt_main_args(NULL, NULL, NULL, NULL, NULL)

#define igt_simple_main_args(short_opts, long_opts, help_str, handler, data) \
	static void __igt_simple_body(void);				\
	int main(int argc, char **argv)					\
	{								\
		igt_simple_init_parse_opts(&argc, argv, short_opts,	\
					   long_opts, help_str,		\
					   handler, data);		\
		__igt_simple_body();					\
		igt_exit();						\
	}								\
	static void __igt_simple_body(void)

#define igt_simple_main igt_simple_main_args(NULL, NULL, NULL, NULL, NULL)

/*
 * A fixture runs once unless listing or an earlier fixture in this group
 * skipped or failed; a skip/failure inside marks every following subtest
 * of the group SKIP/FAIL.
 */
#define igt_fixture							\
	for (int __f = 0;						\
	     !__f && __igt_fixture() && sigsetjmp(igt_subtest_jmpbuf, 1) == 0; \
	     __f = 1, __igt_fixture_complete())

#define igt_subtest(name)						\
	for (int __s = 0;						\
	     !__s && __igt_run_subtest((name), __FILE__, __LINE__) &&	\
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0;			\
	     __s = 1, igt_success())

#define igt_subtest_f(fmt, ...)						\
	igt_subtest(__igt_subtest_f_name(fmt, __VA_ARGS__))

#define igt_subtest_with_dynamic(name)					\
	for (int __s = 0;						\
	     !__s && __igt_run_subtest((name), __FILE__, __LINE__) &&	\
	     __igt_enter_dynamic_container() &&				\
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0;			\
	     __s = 1, igt_success())

#define igt_subtest_with_dynamic_f(fmt, ...)				\
	igt_subtest_with_dynamic(__igt_subtest_f_name(fmt, __VA_ARGS__))

#define igt_dynamic(name)						\
	for (int __d = 0;						\
	     !__d && __igt_run_dynamic_subtest(name) &&			\
	     sigsetjmp(igt_dynamic_jmpbuf, 1) == 0;			\
	     __d = 1, igt_success())

#define igt_dynamic_f(fmt, ...)						\
	igt_dynamic(__igt_subtest_f_name(fmt, __VA_ARGS__))

#define igt_subtest_group						\
	for (int __g = 0, __save, __desc;				\
	     !__g && (__igt_subtest_group_save(&__save, &__desc), 1);	\
	     __g = 1, __igt_subtest_group_restore(__save, __desc))

/* Attach a one-sentence description to the next subtest (--describe). */
void igt_describe(const char *description);
void igt_describe_f(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A check around every subtest (igt_subtest_check.c): begin() records
 * when a subtest starts, end() compares when its body has passed and may
 * fail it with igt_fail_verdict().  Neither may skip; begin() may not
 * fail.  Registering the same check twice registers it once.
 */
struct igt_subtest_check {
	void (*begin)(void);
	void (*end)(void);
};
void igt_subtest_check_add(const struct igt_subtest_check *check);

/* ---- results ---- */
void igt_success(void);
__attribute__((noreturn)) void igt_fail(int exitcode);
__attribute__((noreturn, format(printf, 1, 2))) void igt_skip(const char *fmt, ...);
__attribute__((noreturn))
void __igt_skip_check(const char *file, int line, const char *func,
		      const char *check, ...);
__attribute__((noreturn, format(printf, 6, 7)))
void __igt_fail_assert(const char *domain, const char *file, int line,
		       const char *func, const char *assertion,
		       const char *fmt, ...);
__attribute__((noreturn))
void __igt_abort(const char *file, int line, const char *func,
		 const char *expr, ...);

/* Am I listing (no fixtures run, nothing printed but names)? */
bool igt_only_list_subtests(void);
/* Name of the running subtest / dynamic subtest, or NULL. */
const char *igt_subtest_name(void);
const char *igt_dynamic_name(void);
const char *igt_test_name(void);
/* The --device string (NULL if none was given). */
const char *igt_device_option(void);
/* Running with --ktap? */
bool igt_ktap_mode(void);

/*
 * Per-subtest watchdog: seconds for the running subtest (call at its top).
 * 0 restores the default.
 */
void igt_set_subtest_timeout(unsigned int seconds);

/*
 * Declare a kernel-log line this subtest expects (POSIX extended regex),
 * like IGT's igt_emit_ignore_dmesg_regex(): written to the kernel log as
 * "<6>[IGT] add ignored dmesg regex: RE" so igt_runner and rkval-run do not
 * count matching records as dmesg warnings.  Valid until the next subtest.
 */
void igt_emit_ignore_dmesg_regex(const char *regex);

/*
 * Run fn(data) when the process exits, including by watchdog, crash or
 * fatal signal (restore-what-you-changed handlers, like IGT's).
 * Handlers run in reverse order of installation.
 */
void igt_install_exit_handler(void (*fn)(int sig));

/* ---- logging ---- */
void igt_log(enum igt_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define igt_debug(...)		igt_log(IGT_LOG_DEBUG, __VA_ARGS__)
#define igt_info(...)		igt_log(IGT_LOG_INFO, __VA_ARGS__)
#define igt_warn(...)		igt_log(IGT_LOG_WARN, __VA_ARGS__)
#define igt_critical(...)	igt_log(IGT_LOG_CRITICAL, __VA_ARGS__)

/* ---- requirements ---- */
#define igt_require(expr) do {						\
	if (!(expr))							\
		__igt_skip_check(__FILE__, __LINE__, __func__, #expr, NULL); \
} while (0)

#define igt_require_f(expr, f...) do {					\
	if (!(expr))							\
		__igt_skip_check(__FILE__, __LINE__, __func__, #expr, f); \
} while (0)

#define igt_skip_on(expr) do {						\
	if ((expr))							\
		__igt_skip_check(__FILE__, __LINE__, __func__,		\
				 "!(" #expr ")", NULL);			\
} while (0)

#define igt_skip_on_f(expr, f...) do {					\
	if ((expr))							\
		__igt_skip_check(__FILE__, __LINE__, __func__,		\
				 "!(" #expr ")", f);			\
} while (0)

/* ---- assertions (operands printed as (expected-side, seen-side)) ---- */
#define igt_assert(expr) do {						\
	if (!(expr))							\
		__igt_fail_assert(NULL, __FILE__, __LINE__, __func__,	\
				  #expr, NULL);				\
} while (0)

#define igt_assert_f(expr, f...) do {					\
	if (!(expr))							\
		__igt_fail_assert(NULL, __FILE__, __LINE__, __func__,	\
				  #expr, f);				\
} while (0)

#define igt_fail_on(expr)	igt_assert(!(expr))
#define igt_fail_on_f(expr, f...) igt_assert_f(!(expr), f)

#define igt_assert_cmptype(type, pfmt, n1, cmp, ncmp, n2) do {		\
	type __n1 = (n1), __n2 = (n2);					\
	if (!(__n1 cmp __n2))						\
		__igt_fail_assert(NULL, __FILE__, __LINE__, __func__,	\
				  #n1 " " #cmp " " #n2,			\
				  "error: " pfmt " " #ncmp " " pfmt "\n", \
				  __n1, __n2);				\
} while (0)

#define igt_assert_cmpint(n1, cmp, ncmp, n2) \
	igt_assert_cmptype(int, "%d", n1, cmp, ncmp, n2)
#define igt_assert_cmpuint(n1, cmp, ncmp, n2) \
	igt_assert_cmptype(unsigned int, "%#x", n1, cmp, ncmp, n2)
#define igt_assert_cmps64(n1, cmp, ncmp, n2) \
	igt_assert_cmptype(int64_t, "%" PRId64, n1, cmp, ncmp, n2)
#define igt_assert_cmpu64(n1, cmp, ncmp, n2) \
	igt_assert_cmptype(uint64_t, "%#" PRIx64, n1, cmp, ncmp, n2)
#define igt_assert_cmpdouble(n1, cmp, ncmp, n2) \
	igt_assert_cmptype(double, "%#lf", n1, cmp, ncmp, n2)

#define igt_assert_eq(n1, n2)		igt_assert_cmpint(n1, ==, !=, n2)
#define igt_assert_neq(n1, n2)		igt_assert_cmpint(n1, !=, ==, n2)
#define igt_assert_lte(n1, n2)		igt_assert_cmpint(n1, <=, >, n2)
#define igt_assert_lt(n1, n2)		igt_assert_cmpint(n1, <, >=, n2)
#define igt_assert_eq_u32(n1, n2)	igt_assert_cmpuint(n1, ==, !=, n2)
#define igt_assert_neq_u32(n1, n2)	igt_assert_cmpuint(n1, !=, ==, n2)
#define igt_assert_lte_u32(n1, n2)	igt_assert_cmpuint(n1, <=, >, n2)
#define igt_assert_lt_u32(n1, n2)	igt_assert_cmpuint(n1, <, >=, n2)
#define igt_assert_eq_s64(n1, n2)	igt_assert_cmps64(n1, ==, !=, n2)
#define igt_assert_eq_u64(n1, n2)	igt_assert_cmpu64(n1, ==, !=, n2)
#define igt_assert_neq_u64(n1, n2)	igt_assert_cmpu64(n1, !=, ==, n2)
#define igt_assert_lte_u64(n1, n2)	igt_assert_cmpu64(n1, <=, >, n2)
#define igt_assert_lt_u64(n1, n2)	igt_assert_cmpu64(n1, <, >=, n2)
#define igt_assert_eq_double(n1, n2)	igt_assert_cmpdouble(n1, ==, !=, n2)

#define igt_assert_fd(fd)						\
	igt_assert_f((fd) >= 0, "file descriptor " #fd " failed\n")

/* Assert that call returns -1 and sets errno to err (operands: expected, seen). */
#define igt_assert_errno(err, call) do {				\
	errno = 0;							\
	long __ret = (long)(call);					\
	int __errno = errno;						\
	if (__ret != -1 || __errno != (err))				\
		__igt_fail_assert(NULL, __FILE__, __LINE__, __func__,	\
				  #call " fails with " #err,		\
				  "expected -1/%s (%d), seen %ld/%s (%d)\n", \
				  strerror(err), (err), __ret,		\
				  strerror(__errno), __errno);		\
} while (0)

/* A broken environment: stop the whole run (exit 112). */
#define igt_abort_on_f(expr, f...) do {					\
	if ((expr))							\
		__igt_abort(__FILE__, __LINE__, __func__, #expr, f);	\
} while (0)

#define igt_warn_on(expr) ({						\
	bool __w = (expr);						\
	if (__w)							\
		igt_warn("Warning on condition %s in function %s, file %s:%i\n", \
			 #expr, __func__, __FILE__, __LINE__);		\
	__w;								\
})

#endif /* RKVAL_IGT_CORE_H */
