// SPDX-License-Identifier: MIT
/*
 * harness_noop — 1000 empty subtests, for bench/run.sh to measure what the
 * harness itself costs: per subtest inside one process, and from process
 * start to the result line of a single subtest.
 */
#include "igt.h"

#define NOOP_SUBTESTS	1000

IGT_TEST_DESCRIPTION("Benchmark fixture: empty subtests measuring harness overhead.");

igt_main
{
	for (int i = 0; i < NOOP_SUBTESTS; i++)
		igt_subtest_f("noop-%d", i)
			;
}
