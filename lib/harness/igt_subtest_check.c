// SPDX-License-Identifier: MIT
/*
 * igt_subtest_check.c — checks run around every subtest, the verifying
 * teardown of the kernel's iommufd selftests (teardown_iommufd() reopens
 * the file and has the mock confirm every refcount is back): a library
 * above the harness registers what to record when a subtest starts and
 * what to compare when it ends, and the harness runs them.
 *
 * The end checks run only after a body that passed: a subtest that
 * already failed or skipped keeps its own result and verdict, and the
 * next subtest records afresh.  An end check fails the subtest with
 * igt_fail_verdict(); the other checks then do not run for it.
 */
#include <stdbool.h>

#include "harness/igt_core.h"
#include "harness/igt_internal.h"

/* lib/rocket registers one; room for a few more without allocation. */
#define IGT_SUBTEST_CHECKS_MAX	4

static const struct igt_subtest_check *checks[IGT_SUBTEST_CHECKS_MAX];
static unsigned int nr_checks;
/* An end check that fails jumps out of the subtest: never re-entered. */
static bool ending;

void igt_subtest_check_add(const struct igt_subtest_check *check)
{
	for (unsigned int i = 0; i < nr_checks; i++)
		if (checks[i] == check)
			return;
	if (nr_checks == IGT_SUBTEST_CHECKS_MAX) {
		igt_critical("more than %d subtest checks registered\n",
			     IGT_SUBTEST_CHECKS_MAX);
		return;
	}
	checks[nr_checks++] = check;
}

void __igt_subtest_checks_begin(void)
{
	ending = false;
	for (unsigned int i = 0; i < nr_checks; i++)
		checks[i]->begin();
}

void __igt_subtest_checks_end(void)
{
	if (ending)
		return;
	ending = true;
	for (unsigned int i = 0; i < nr_checks; i++)
		checks[i]->end();
	ending = false;
}
