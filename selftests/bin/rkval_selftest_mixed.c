// SPDX-License-Identifier: MIT
/*
 * rkval_selftest_mixed — a deliberately mixed test binary whose exact
 * output lines and exit codes selftests/harness.sh checks, in IGT and KTAP
 * mode, and which selftests/runner.sh drives through rkval-run.
 *
 * Every outcome the harness can produce appears once: pass, fail with and
 * without a verdict, skip, crash by signal, watchdog timeout, a fixture
 * that skips and one that fails the rest of its group, dynamic subtests
 * (mixed, all pass, none), a crash inside a dynamic subtest, stderr output (a "warn" under igt_runner) and
 * an expected kernel-log line.  It touches no device.
 */
#include <signal.h>
#include <unistd.h>

#include "igt.h"

IGT_TEST_DESCRIPTION("Harness self-test: one subtest per outcome the IGT protocol knows.");

igt_main
{
	igt_describe("A subtest that passes.");
	igt_subtest("pass-one")
		igt_info("pass-one runs\n");

	igt_describe("A failing typed assertion with the default verdict.");
	igt_subtest("fail-one")
		igt_assert_eq(1, 2);

	igt_describe("A failure that names its stage and facts.");
	igt_subtest("fail-verdict")
		igt_fail_verdict(VERDICT_MAC_OUTPUT_STALL,
				 "input 4096/4096 B read, output 0/8192 B written");

	igt_describe("A subtest whose requirement is not met.");
	igt_subtest("skip-one")
		igt_require_f(0, "no such feature\n");

	igt_describe("A subtest that dies by SIGSEGV.");
	igt_subtest("crash-one")
		raise(SIGSEGV);

	igt_describe("A passing subtest that writes to stderr.");
	igt_subtest("warn-one")
		igt_warn("something looked odd\n");

	igt_describe("A subtest that declares the kernel-log line it provokes.");
	igt_subtest("dmesg-expected") {
		igt_emit_ignore_dmesg_regex("rkval selftest: expected .*");
		plat_kmsg_write("<3>rkval selftest: expected error line\n");
	}

	igt_describe("Dynamic subtests: one passes, one fails, one skips, one crashes.");
	igt_subtest_with_dynamic("dynamic-mixed") {
		igt_dynamic("dyn-pass")
			igt_info("dyn-pass runs\n");
		igt_dynamic("dyn-fail")
			igt_assert(0);
		igt_dynamic("dyn-skip")
			igt_skip("skipped on purpose\n");
		igt_dynamic("dyn-crash")
			raise(SIGBUS);
	}

	igt_describe("Dynamic subtests that all pass.");
	igt_subtest_with_dynamic("dynamic-pass") {
		for (int i = 0; i < 2; i++)
			igt_dynamic_f("core-%d", i)
				igt_assert_lt(i, 2);
	}

	igt_describe("A dynamic container that runs nothing is a skip.");
	igt_subtest_with_dynamic("dynamic-none") {
	}

	igt_subtest_group {
		igt_fixture
			igt_require_f(0, "fixture requirement\n");

		igt_describe("Skipped because its group's fixture skipped.");
		igt_subtest("fixture-skip-a")
			igt_assert(0);
		igt_describe("Skipped because its group's fixture skipped.");
		igt_subtest("fixture-skip-b")
			igt_assert(0);
	}

	igt_subtest_group {
		igt_fixture
			igt_fail_verdict(VERDICT_NO_DEVICE,
					 "fixture could not open the device");

		igt_describe("Failed because its group's fixture failed.");
		igt_subtest("fixture-fail-a")
			igt_info("never runs\n");
	}

	igt_describe("Runs after the groups: their fixtures must not leak.");
	igt_subtest("pass-after-groups")
		igt_assert(1);

	/* Last: the watchdog ends the process (see igt_core.h). */
	igt_describe("A subtest stuck past its one-second watchdog.");
	igt_subtest("watchdog-one") {
		igt_set_subtest_timeout(1);
		for (;;)
			pause();
	}
}
