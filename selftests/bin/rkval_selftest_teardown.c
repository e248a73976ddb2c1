// SPDX-License-Identifier: MIT
/*
 * rkval_selftest_teardown — subtests that leave the kernel changed on
 * purpose, so that selftests/teardown.sh can prove lib/rocket's verifying
 * teardown (rocket_teardown.c) fails each of them with verdict "teardown"
 * and the facts of the change, and passes the clean ones.  Run one
 * subtest per process (--run-subtest): the kernel taint is sticky, so a
 * second WARN in the same process changes nothing.
 */
#include "igt.h"
#include "rocket/rocket.h"

IGT_TEST_DESCRIPTION("Teardown self-test: subtests that leak on purpose.");

/*
 * An IOVA no BO of a fresh file covers (drm_mm allocates upwards from 0,
 * rocket_gem.c): a job fetching its command list there faults, and
 * rocket's WARN_ON(DMA_*_ERROR) in rocket_job_irq_handler taints.
 */
#define TEARDOWN_UNMAPPED_IOVA	0x000f0000u

/* Submit a job whose command fetch faults and wait until it has ended. */
static void run_faulting_job(int fd)
{
	struct rocket_job *job = rocket_job_noop(fd);

	job->task.regcmd = TEARDOWN_UNMAPPED_IOVA;
	rocket_submit(fd, job);
	__rocket_job_wait(job, ROCKET_BAD_JOB_WAIT_MS);
	rocket_job_free(job);
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = rocket_open_device();

	igt_describe("Create and free a BO: nothing is left, the subtest passes.");
	igt_subtest("clean")
		rocket_bo_free(rocket_bo_create(fd, ROCKET_NOOP_BO_SIZE));

	igt_describe("Create a BO and never free it: teardown names the open BO.");
	igt_subtest("leaked-bo")
		rocket_bo_create(fd, ROCKET_NOOP_BO_SIZE);

	igt_describe("Provoke a WARN without declaring it: teardown names the taint.");
	igt_subtest("undeclared-warn")
		run_faulting_job(fd);

	igt_describe("Provoke a WARN and declare it: the subtest passes.");
	igt_subtest("declared-warn") {
		rocket_expect_taint();
		run_faulting_job(fd);
	}

	igt_fixture
		rocket_close_device(fd);
}
