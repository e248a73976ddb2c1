/* SPDX-License-Identifier: MIT */
/*
 * unit.h — the tiny framework of rkval's unit tests (selftests/unit/).
 *
 * Deliberately independent of lib/harness: the harness is itself under
 * test, so unit tests must not rely on it.  Output is TAP-like, one line
 * per check, read by selftests/check.sh:
 *
 *	ok 3 - uapi: sizeof(struct drm_rocket_job) == 40
 *	not ok 4 - vnpu: PREP_BO on unknown handle gives ENOENT (got 22)
 *
 * Usage:
 *	UNIT_CHECK(cond, "what is checked, %s", detail);
 *	UNIT_EQ(expected, seen, "what");   (integers, prints both on failure)
 *	return unit_done();                 (exit 1 if any check failed)
 */
#ifndef RKVAL_UNIT_H
#define RKVAL_UNIT_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

static int unit_count, unit_failed;

static inline __attribute__((format(printf, 3, 4)))
int unit_report(int ok, const char *where, const char *fmt, ...)
{
	va_list ap;

	unit_count++;
	if (!ok)
		unit_failed++;
	printf("%sok %d - ", ok ? "" : "not ", unit_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok)
		printf(" [%s]", where);
	printf("\n");
	fflush(stdout);
	return ok;
}

#define UNIT_STR2(x) #x
#define UNIT_STR(x) UNIT_STR2(x)
#define UNIT_WHERE __FILE__ ":" UNIT_STR(__LINE__)

#define UNIT_CHECK(cond, ...) unit_report(!!(cond), UNIT_WHERE, __VA_ARGS__)

#define UNIT_EQ(expected, seen, what) ({				\
	int64_t __e = (int64_t)(expected), __s = (int64_t)(seen);	\
	unit_report(__e == __s, UNIT_WHERE,				\
		    "%s (expected %" PRId64 ", seen %" PRId64 ")",	\
		    (what), __e, __s);					\
})

static inline int unit_done(void)
{
	printf("# %d checks, %d failed\n", unit_count, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif /* RKVAL_UNIT_H */
