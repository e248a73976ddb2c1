/* SPDX-License-Identifier: MIT */
/*
 * vnpu_unit.h — shared helpers of the vnpu/seam unit programs.
 *
 * One process is one boot of the model, so every scenario that needs its
 * own SoC, kernel profile or fault set runs in a forked child
 * (vnpu_scenario()).  The child reports each check as one line on a pipe
 * ("1 text" / "0 text"); the parent turns them into unit.h TAP lines, so
 * numbering stays continuous.  A child that dies or hangs (watchdog
 * VNPU_SCENARIO_TIMEOUT_S) is one failed check.
 *
 * Also: tiny uAPI wrappers through the seam, and a regcmd builder for
 * hand-made tasks (kernel-rocket.md §2.9, mesa-rocket.md §1.2).
 */
#ifndef RKVAL_VNPU_UNIT_H
#define RKVAL_VNPU_UNIT_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platform/platform.h"
#include "rocket_accel.h"
#include "vnpu/vnpu_hw.h"
#include "unit.h"

#define VNPU_SCENARIO_TIMEOUT_S	15

static int vnpu_child_fd = -1;
/* When set, the next scenarios boot with RKVAL_VNPU_KMSG pointing there. */
static const char *vnpu_scenario_kmsg_file;
/*
 * When set, the next scenarios' children call it before booting the
 * model: e.g. an atexit() handler that must run after the model's own.
 */
static void (*vnpu_scenario_before_boot)(void);

static inline __attribute__((format(printf, 2, 3)))
int child_report(int ok, const char *fmt, ...)
{
	char line[600];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "%d ", ok ? 1 : 0);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	for (int i = 2; i < n; i++)
		if (line[i] == '\n')
			line[i] = ' ';
	line[n++] = '\n';
	if (write(vnpu_child_fd, line, n) != n)
		_exit(99);
	return ok;
}

/* CHECK/EQ inside a scenario (child side). */
#define CHECK(cond, ...) child_report(!!(cond), __VA_ARGS__)
#define EQ(expected, seen, what) ({					\
	int64_t __e = (int64_t)(expected), __s = (int64_t)(seen);	\
	child_report(__e == __s, "%s (expected %lld, seen %lld)", (what),	\
		     (long long)__e, (long long)__s);			\
})

/*
 * Run fn in a child booted with device/kernel/faults; "" leaves the
 * variable unset.  Each reported line becomes one TAP line prefixed with
 * the scenario name.
 */
static inline void vnpu_scenario(const char *name, const char *device,
				 const char *kernel, const char *faults,
				 void (*fn)(void))
{
	char buf[65536], *line, *save = NULL;
	size_t len = 0;
	int p[2], status = 0, lines = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(p)) {
		UNIT_CHECK(0, "%s: pipe", name);
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		vnpu_child_fd = p[1];
		alarm(VNPU_SCENARIO_TIMEOUT_S);
		if (kernel && kernel[0])
			setenv(PLAT_VNPU_KERNEL_ENV, kernel, 1);
		else
			unsetenv(PLAT_VNPU_KERNEL_ENV);
		if (faults && faults[0])
			setenv(PLAT_VNPU_FAULTS_ENV, faults, 1);
		else
			unsetenv(PLAT_VNPU_FAULTS_ENV);
		if (vnpu_scenario_kmsg_file)
			setenv(PLAT_VNPU_KMSG_ENV, vnpu_scenario_kmsg_file, 1);
		else
			unsetenv(PLAT_VNPU_KMSG_ENV);
		if (vnpu_scenario_before_boot)
			vnpu_scenario_before_boot();
		plat_configure(device);
		/*
		 * The basic executor (register writes only): these programs
		 * test the core; the compute pipeline has its own tests.
		 */
		if (!plat_init())
			vnpu_set_executor(NULL);
		fn();
		_exit(0);
	}
	close(p[1]);
	while (len < sizeof(buf) - 1 &&
	       (n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unit_report(line[0] == '1', name, "%s: %s", name, line + 2);
		lines++;
	}
	UNIT_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "%s: scenario ran to the end (%d checks, status 0x%x)", name,
		   lines, status);
}

/* ---- uAPI wrappers (return 0 or -errno) ---- */
static inline int vioctl(int fd, unsigned long req, void *arg)
{
	return plat_ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static inline int vopen(void)
{
	return plat_open("/dev/accel/accel0", 2 /* O_RDWR */);
}

static inline int bo_create(int fd, uint32_t size, struct drm_rocket_create_bo *bo)
{
	memset(bo, 0, sizeof(*bo));
	bo->size = size;
	return vioctl(fd, DRM_IOCTL_ROCKET_CREATE_BO, bo);
}

static inline void *bo_map(int fd, const struct drm_rocket_create_bo *bo, size_t len)
{
	return plat_mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 (off_t)bo->offset);
}

static inline int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static inline int prep_bo(int fd, uint32_t handle, int64_t abs_timeout_ns)
{
	struct drm_rocket_prep_bo p = { .handle = handle, .timeout_ns = abs_timeout_ns };
	int ret = plat_ioctl(fd, DRM_IOCTL_ROCKET_PREP_BO, &p);

	return ret < 0 ? -errno : ret;
}

/* Submit one job of one task; in/out handle lists may be NULL. */
static inline int submit1(int fd, uint32_t regcmd, uint32_t count,
			  uint32_t *in, uint32_t nin, uint32_t *out, uint32_t nout)
{
	struct drm_rocket_task task = { .regcmd = regcmd, .regcmd_count = count };
	struct drm_rocket_job job = {
		.tasks = (uintptr_t)&task, .task_count = 1,
		.task_struct_size = sizeof(task),
		.in_bo_handles = (uintptr_t)in, .in_bo_handle_count = nin,
		.out_bo_handles = (uintptr_t)out, .out_bo_handle_count = nout,
	};
	struct drm_rocket_submit s = {
		.jobs = (uintptr_t)&job, .job_count = 1,
		.job_struct_size = sizeof(job),
	};

	return vioctl(fd, DRM_IOCTL_ROCKET_SUBMIT, &s);
}

/* ---- regcmd builder ---- */
#define RC(target, reg, value) \
	(((uint64_t)(target) << 48) | ((uint64_t)(uint32_t)(value) << 16) | (uint16_t)(reg))
#define RC_TARGET_CNA	0x0201
#define RC_TARGET_DPU	0x1001

/*
 * A DPU-only task of n entries (n >= 6, even keeps the fetch exact):
 * S_POINTER and a few register writes, then the Mesa tail
 * (0, PC_REGISTER_AMOUNTS, 0x0041 marker, op_en broadcast of op_en).
 */
static inline unsigned int build_task(uint64_t *cmd, unsigned int n, uint32_t op_en)
{
	unsigned int i = 0;

	cmd[i++] = RC(RC_TARGET_CNA, 0x1004, 0xe);
	for (; i < n - 4; i++)
		cmd[i] = RC(RC_TARGET_DPU, 0x4010 + 4 * (i % 8), 0x100 + i);
	cmd[i++] = 0;
	cmd[i++] = RC(0x0101, 0x0014, 0);
	cmd[i++] = 0x0041000000000000ull;
	cmd[i++] = RC(0x0081, 0x0008, op_en);
	return i;
}

/* Does the kernel log (read from a plat_kmsg_open() fd) contain text? */
static inline int kmsg_grep(int kfd, const char *text, char *first, size_t size)
{
	char rec[1024];
	ssize_t n;
	int found = 0;

	while ((n = plat_read(kfd, rec, sizeof(rec) - 1)) > 0) {
		rec[n] = '\0';
		if (strstr(rec, text) && !found++ && first) {
			size_t l = strlen(rec) < size - 1 ? strlen(rec) : size - 1;

			memcpy(first, rec, l);
			first[l] = '\0';
		}
	}
	return found;
}

#endif /* RKVAL_VNPU_UNIT_H */
