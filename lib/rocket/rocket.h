/* SPDX-License-Identifier: MIT */
/*
 * rocket — helpers for tests of the rocket accel uAPI (lib/uapi/rocket_accel.h).
 *
 * Contract:
 *  - Everything reaches the device through the platform seam (plat_*()), so
 *    the same test runs on a board and on vnpu and never learns which.
 *  - Each ioctl wrapper exists in up to three forms (as IGT's lib/ does):
 *	__rocket_x(...)		returns 0 or -errno, never asserts (probes,
 *				fault sweeps, "either/or" checks);
 *	rocket_x(...)		asserts success;
 *	rocket_x_err(..., err)	asserts the ioctl fails with errno err.
 *  - Builders return valid minimal objects with a matching _free(), so a
 *    test states only the one thing it changes: rocket_job_noop(fd), break
 *    one field of job->job or job->submit, rocket_submit_err(fd, job, EINVAL).
 *  - Every kernel number is a named constant citing its source (docs/sources.md).
 *  - The pure helpers (timeout conversion, compatible parsing, regcmd
 *    encoding) need no device and no harness; selftests/unit/rocket_*.c
 *    test them.
 */
#ifndef RKVAL_ROCKET_H
#define RKVAL_ROCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rocket_accel.h"
#include "hw/soc.h"

/* ---- facts (drivers/accel/rocket, docs/sources.md) ---- */

/* drm_driver .name / .desc; version 0.0.0 (rocket_drv.c). */
#define ROCKET_DRIVER_NAME		"rocket"
#define ROCKET_DRIVER_DESC		"rocket DRM"
/* drm core reports date "0" once driver dates were removed (rocket_drv.c). */
#define ROCKET_DRIVER_DATE		"0"

/* The IOMMU aperture is [0, 4 GiB): rk_iommu, 32-bit IOVA (rocket_drv.c, rocket_job.c domains, rocket_drv.c, rocket_gem.c). */
#define ROCKET_IOVA_LIMIT		(1ull << 32)

/* drm_sched .timeout of every core: #define JOB_TIMEOUT_MS 500 (rocket_job.c timeout). */
#define ROCKET_JOB_TIMEOUT_MS		500
/*
 * What a timed-out job costs beyond the timeout before its fence signals:
 * the reset work (reset_control assert, udelay(10), deassert: rocket_job.c timeout) is
 * negligible; the rk_iommu force-reset/stall/paging handshake of the next
 * attach may poll up to RK_MMU_FORCE_RESET_TIMEOUT_US 100 ms (rockchip-iommu.c handshake); the
 * rest is scheduling slack for the ordered reset workqueue on a loaded
 * board.  Empirical margin, not a kernel constant.
 */
#define ROCKET_RESET_ALLOWANCE_MS	250
/* Longest a job that hangs may keep a BO busy: timeout + reset (rocket_job.c timeout). */
#define ROCKET_BAD_JOB_WAIT_MS		(ROCKET_JOB_TIMEOUT_MS + ROCKET_RESET_ALLOWANCE_MS)
/*
 * How long PREP_BO may take on a BO no job writes: no fence to wait for,
 * so only the cache sync and syscall overhead remain (rocket_job.c, rocket_gem.c validation).  Empirical
 * margin for a loaded board.
 */
#define ROCKET_IDLE_WAIT_MAX_MS		50

/* ---- device ---- */

/* One DRM_IOCTL_VERSION answer (rocket_drv.c). */
struct rocket_version {
	int major, minor, patch;
	char name[64];
	char date[64];
	char desc[128];
};

/*
 * Open the rocket accel node the platform selected (plat_device_path()).
 * Returns the fd.  When no device can be opened it FAILS with verdict
 * no-device and rocket_explain_no_device()'s reason, on every machine:
 * no NPU is an error, never a skip.  Also fails if the node's driver is
 * not "rocket".
 */
int rocket_open_device(void);
/*
 * One sentence naming what is missing when no rocket device opens: no
 * device tree, no NPU node, a disabled node, no driver, a kernel without
 * RK3568 support (mainline), a failed probe.  Reads the real machine when
 * no backend was selected, vnpu's board otherwise.
 */
void rocket_explain_no_device(char *buf, size_t size);
/* fd or -errno; no asserts, no skips. */
int __rocket_open_device(void);
/*
 * Open and close the device: the no-device failure of rocket_open_device()
 * for binaries whose subtests look at sysfs or the kernel log before they
 * open the node (a fixture first in igt_main), so a machine without the
 * NPU fails every subtest with no-device, never with a side symptom.
 */
void rocket_require_device(void);
void rocket_close_device(int fd);

/*
 * DRM_IOCTL_VERSION through the seam with the two-pass length protocol
 * (first pass learns the lengths, second fills the strings); libdrm's
 * drmGetVersion() would call ioctl() directly and bypass the seam.
 * Strings longer than the buffers are truncated, NUL-terminated.
 */
int __rocket_get_version(int fd, struct rocket_version *v);
void rocket_get_version(int fd, struct rocket_version *v);
bool rocket_is_rocket(int fd);

/*
 * Discovery: every /dev/accel/accel* whose DRM_IOCTL_VERSION name is
 * "rocket".  Fills up to max paths (each ROCKET_PATH_MAX bytes) and
 * returns how many were found, or -errno if the directory cannot be read.
 */
#define ROCKET_PATH_MAX		64
int rocket_find_devices(char (*paths)[ROCKET_PATH_MAX], int max);
/*
 * The accel node rocket's DRM device has now, found by driver: the
 * /sys/class/accel/accelN whose device link is the "rknn" facade, else
 * the first node whose DRM_IOCTL_VERSION says "rocket".  0 or -errno.
 * __rocket_open_device() uses it when the selected node has gone (the
 * minor changes across an unbind/bind) and re-points the selection.
 */
int rocket_find_node(char *path, size_t size);

/*
 * The verifying teardown (rocket_teardown.c): every subtest that runs
 * after rocket_open_device() fails with verdict "teardown" when it passed
 * but left the kernel taint, a core's runtime-PM usage count or the BOs
 * open on one of those files higher than it found them.
 */
/* This subtest provokes a WARN on purpose: a taint change is expected. */
void rocket_expect_taint(void);
/* lib/rocket's own bookkeeping of files and handles (not for tests). */
void rocket_teardown_file_opened(int fd);
void rocket_teardown_file_closed(int fd);
void rocket_teardown_handle_created(int fd, uint32_t handle);

/* ---- SoC and board identity ---- */

/* The SoC is an enum hw_soc and its facts a row of lib/hw/soc.h. */
#define ROCKET_MAX_CORES	HW_SOC_MAX_CORES

struct rocket_soc_info {
	enum hw_soc soc;			/* HW_SOC_UNKNOWN: not identified */
	const struct hw_soc_facts *facts;	/* its row; NULL when unknown */
	char soc_compatible[32];	/* e.g. "rockchip,rk3568" */
	char board_compatible[64];	/* first string, e.g. "radxa,rock-3b" */
	unsigned int num_cores;
	uint64_t core_base[ROCKET_MAX_CORES];	/* NPU node addresses */
};

/*
 * Parse /proc/device-tree/compatible contents (NUL-separated strings,
 * most specific first; the board comes first, the SoC later).  Pure.
 * Returns 0, or -ENOENT when no known Rockchip NPU SoC is named (info
 * still carries the board string), -EINVAL on an empty buffer.
 */
int rocket_parse_compatible(const char *buf, size_t len,
			    struct rocket_soc_info *info);
/* Read the compatible file through the seam and parse it; 0 or -errno. */
int rocket_identify_soc(struct rocket_soc_info *info);

/* ---- buffer objects ---- */

struct rocket_bo {
	int fd;
	uint32_t handle;
	uint32_t size;		/* as requested */
	uint64_t dma_address;	/* NPU address, private to fd */
	uint64_t offset;	/* fake mmap offset */
	void *map;		/* CPU mapping or NULL */
	size_t map_size;
};

int __rocket_create_bo(int fd, struct drm_rocket_create_bo *args);
/* Create (asserting success), not yet mapped. */
struct rocket_bo *rocket_bo_create(int fd, uint32_t size);
void rocket_bo_create_err(int fd, uint32_t size, int err);
/* Map the whole BO read/write through the seam; asserts. */
void *rocket_bo_map(struct rocket_bo *bo);
void rocket_bo_unmap(struct rocket_bo *bo);
/* Unmap, GEM_CLOSE (asserting success) and free the struct. */
void rocket_bo_free(struct rocket_bo *bo);
/* Forget the struct without touching the kernel (after the fd closed). */
void rocket_bo_forget(struct rocket_bo *bo);

int __rocket_gem_close(int fd, uint32_t handle);
void rocket_gem_close(int fd, uint32_t handle);
void rocket_gem_close_err(int fd, uint32_t handle, int err);

/*
 * PREP_BO.  Returns -errno on failure, else the ioctl's non-negative
 * return value: mainline may return the remaining jiffies of
 * dma_resv_wait_timeout() (rocket_job.c, rocket_gem.c validation, UNCONFIRMED whether later fixed), so any
 * value >= 0 is success.
 */
int __rocket_prep_bo(int fd, struct drm_rocket_prep_bo *args);
void rocket_prep_bo_err(int fd, struct drm_rocket_prep_bo *args, int err);
int __rocket_fini_bo(int fd, struct drm_rocket_fini_bo *args);
void rocket_fini_bo(int fd, uint32_t handle);
void rocket_fini_bo_err(int fd, struct drm_rocket_fini_bo *args, int err);

/*
 * Wait for the jobs writing a BO: PREP_BO with the ABSOLUTE
 * CLOCK_MONOTONIC deadline now + timeout_ms (rocket_accel.h).  timeout_ms 0 polls
 * (a deadline already past: -EBUSY if busy), < 0 waits forever.
 * Returns 0, -ETIMEDOUT, -EBUSY or another -errno.
 */
int __rocket_bo_wait(int fd, uint32_t handle, int64_t timeout_ms);
void rocket_bo_wait(int fd, uint32_t handle, int64_t timeout_ms);

/* ---- time (pure) ---- */

int64_t rocket_monotonic_ns(void);
/* now_ns + timeout_ms in ns, saturating; timeout_ms < 0 gives INT64_MAX. */
int64_t rocket_abs_timeout_ns(int64_t now_ns, int64_t timeout_ms);

/* ---- register-command stream (pure; see rocket_regcmd.c) ---- */

/* One 64-bit entry: target [63:48], value [47:16], register [15:0] (rocket_job.c, Mesa rkt_regcmd.c). */
uint64_t rocket_regcmd_entry(uint16_t target, uint16_t reg, uint32_t value);

struct rocket_dpu_copy {
	uint32_t src;		/* NPU address of the input atom, 16-aligned */
	uint32_t dst;		/* NPU address of the output atom, 16-aligned */
};

/* Entries of the DPU-only copy task, tail included (even: see .c). */
#define ROCKET_DPU_COPY_ENTRIES	34
/* Bytes the task copies: one 1x1 cube of 16 int8 channels. */
#define ROCKET_DPU_COPY_BYTES	16

/*
 * Emit the DPU-only copy task into buf (ROCKET_DPU_COPY_ENTRIES entries).
 * Returns the number of entries written, or -ENOSPC if max is too small.
 */
int rocket_regcmd_dpu_copy(uint64_t *buf, size_t max,
			   const struct rocket_dpu_copy *p);

/* ---- jobs ---- */

/*
 * A single-task job with its own BOs: regcmd (the DPU-only copy task),
 * in (rocket_noop_pattern() bytes) and out (ROCKET_NOOP_CANARY bytes).
 * The job reads in and its own command stream, so both are listed as
 * input BOs (in_handles[ROCKET_NOOP_IN], in_handles[ROCKET_NOOP_REGCMD]):
 * the job then holds references on all its memory, and a file closed
 * right after SUBMIT cannot pull the command stream from under it.
 * job.tasks/in_bo_handles/out_bo_handles point into this struct and
 * submit.jobs points at job, so tests break one field and submit.
 */
#define ROCKET_NOOP_IN		0
#define ROCKET_NOOP_REGCMD	1
#define ROCKET_NOOP_IN_BOS	2
#define ROCKET_NOOP_CANARY	0x5a
#define ROCKET_NOOP_BO_SIZE	4096

struct rocket_job {
	int fd;
	struct drm_rocket_submit submit;
	struct drm_rocket_job job;
	struct drm_rocket_task task;
	uint32_t in_handles[ROCKET_NOOP_IN_BOS];
	uint32_t out_handle;
	struct rocket_bo *regcmd;
	struct rocket_bo *in;
	struct rocket_bo *out;
};

struct rocket_job *rocket_job_noop(int fd);
void rocket_job_free(struct rocket_job *job);
/* Byte i of the no-op job's input (and, after it ran, of its output). */
uint8_t rocket_noop_pattern(unsigned int i);
/*
 * Predicates on the out BO's bytes as the CPU sees them now: they never
 * wait, so a caller first waits for the job (__rocket_job_wait(): PREP_BO
 * also syncs the caches for the CPU) or judges a BO it knows is idle.
 */
/* The out BO still holds only the canary (the job did not write it). */
bool rocket_job_out_untouched(struct rocket_job *job);
/* The out BO holds the copied input and nothing else (the job ran). */
bool rocket_job_out_copied(struct rocket_job *job);
/* Wait for the jobs writing job's out BO, as __rocket_bo_wait(). */
int __rocket_job_wait(struct rocket_job *job, int64_t timeout_ms);

/*
 * What became of a submitted no-op job.  A fence that signals with the
 * canary intact is a job the kernel timed out and reset (rocket_job.c
 * timeout): PREP_BO does not report that as an error, so the bytes tell.
 */
enum rocket_job_outcome {
	ROCKET_JOB_COPIED,		/* output holds the input atom */
	ROCKET_JOB_WAIT_FAILED,		/* PREP_BO failed: wait_ret */
	ROCKET_JOB_NO_OUTPUT,		/* idle, output never written */
	ROCKET_JOB_WRONG_OUTPUT,	/* written, but not the input */
};

struct rocket_job_result {
	enum rocket_job_outcome outcome;
	int wait_ret;			/* __rocket_job_wait()'s result */
	int64_t elapsed_ns;		/* from start_ns to the wait's end */
};

/*
 * The one judgement of a no-op job: wait at most timeout_ms for it, then
 * read its output.  start_ns is rocket_monotonic_ns() when it was
 * submitted.  Never asserts, so each caller names the verdict its own
 * context explains (a clock hint, the kernel log, a stage).
 */
enum rocket_job_outcome rocket_job_judge(struct rocket_job *job,
					 int64_t start_ns, int64_t timeout_ms,
					 struct rocket_job_result *r);

int __rocket_submit(int fd, struct drm_rocket_submit *args);
void rocket_submit(int fd, struct rocket_job *job);
void rocket_submit_err(int fd, struct rocket_job *job, int err);
/* Submit count jobs in one SUBMIT (asserts success). */
void rocket_submit_many(int fd, struct rocket_job **jobs, unsigned int count);

#endif /* RKVAL_ROCKET_H */
