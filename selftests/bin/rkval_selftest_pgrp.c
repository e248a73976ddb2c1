// SPDX-License-Identifier: MIT
/*
 * rkval_selftest_pgrp — a harness binary for selftests/runner-pgrp.sh: the
 * process group rkval-run starts each test in (rkval-exec makes it the
 * leader of one, lib/runner/job_spawn.h).
 *
 * own-group passes when the test leads its group, or sits in the group of
 * the timeout(1) it runs under (RKVAL_USE_TIMEOUT=1), and says which, and
 * whether that group leads a session (it does not: no setsid ran).
 * stray-child and hang-child leave a child that ignores SIGTERM and keeps
 * appending to $RKVAL_PGRP_MARK: the runner must end it with the test.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "igt.h"

/* How often the stray child writes its mark: fast enough to see it stop. */
#define MARK_INTERVAL_US	100000
#define MARK_ENV		"RKVAL_PGRP_MARK"

IGT_TEST_DESCRIPTION("Runner self-test: the process group a test leads on request.");

/*
 * A child that only SIGKILL ends, appending one byte per interval; it
 * ends by itself once the mark file is gone, so that a runner that failed
 * to kill it leaves nothing running after the self-test cleaned up.
 */
static void leave_stray_child(void)
{
	const char *mark = getenv(MARK_ENV);
	pid_t pid;
	int fd;

	igt_require_f(mark && *mark, "%s names no mark file\n", MARK_ENV);
	pid = fork();
	igt_assert(pid >= 0);
	if (pid)
		return;
	signal(SIGTERM, SIG_IGN);
	for (;;) {
		fd = open(mark, O_WRONLY | O_APPEND);
		if (fd < 0 || write(fd, "x", 1) < 0)
			_exit(1);
		close(fd);
		usleep(MARK_INTERVAL_US);
	}
}

igt_main
{
	igt_describe("Passes when the test leads its process group, or its parent does.");
	igt_subtest("own-group") {
		pid_t pgrp = getpgrp();

		igt_info("group leads the session: %s\n",
			 pgrp == getsid(0) ? "yes" : "no");
		igt_info("group leader: %s\n", pgrp == getpid() ? "the test" :
			 pgrp == getppid() ? "its parent" : "another process");
		igt_assert(pgrp == getpid() || pgrp == getppid());
	}

	igt_describe("Passes, leaving a child that ignores SIGTERM.");
	igt_subtest("stray-child")
		leave_stray_child();

	igt_describe("Hangs past any time limit, with a child that ignores SIGTERM.");
	igt_subtest("hang-child") {
		leave_stray_child();
		for (;;)
			pause();
	}
}
