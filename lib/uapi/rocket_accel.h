/* SPDX-License-Identifier: MIT */
/*
 * rocket_accel.h — rkval's own declaration of the rocket accel uAPI.
 *
 * Contract: this is the ABI as the suite expects the kernel to implement
 * it (rocket_accel.h ioctls, rocket_accel.h structures), written
 * independently of the kernel header so that a drift between the two is
 * caught by a test (rocket_basic's ABI subtests) instead of being silently
 * inherited.  Field names, types and order follow rocket_accel.h exactly; the
 * _Static_asserts below pin every size, offset and computed ioctl number,
 * so a wrong edit here fails the build on every architecture.
 *
 * Built on libdrm's <drm.h> (DRM_IOW/DRM_IOWR, DRM_COMMAND_BASE, __u32 &
 * co.).  Included by lib/rocket, the tests and the vnpu model alike, so
 * the model and the tests cannot disagree on the layout.
 */
#ifndef RKVAL_ROCKET_ACCEL_H
#define RKVAL_ROCKET_ACCEL_H

#include <stddef.h>
#include <drm.h>

#if defined(__cplusplus)
extern "C" {
#endif

/* Driver-private ioctl numbers, relative to DRM_COMMAND_BASE (rocket_accel.h). */
#define DRM_ROCKET_CREATE_BO	0x00
#define DRM_ROCKET_SUBMIT	0x01
#define DRM_ROCKET_PREP_BO	0x02
#define DRM_ROCKET_FINI_BO	0x03

/* All four registered with flags 0: no render/master split (rocket_accel.h). */
#define DRM_IOCTL_ROCKET_CREATE_BO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_ROCKET_CREATE_BO, struct drm_rocket_create_bo)
#define DRM_IOCTL_ROCKET_SUBMIT \
	DRM_IOW(DRM_COMMAND_BASE + DRM_ROCKET_SUBMIT, struct drm_rocket_submit)
#define DRM_IOCTL_ROCKET_PREP_BO \
	DRM_IOW(DRM_COMMAND_BASE + DRM_ROCKET_PREP_BO, struct drm_rocket_prep_bo)
#define DRM_IOCTL_ROCKET_FINI_BO \
	DRM_IOW(DRM_COMMAND_BASE + DRM_ROCKET_FINI_BO, struct drm_rocket_fini_bo)

/*
 * CREATE_BO: allocate a shmem-backed BO and map it into the NPU address
 * space private to this DRM file (rocket_job.c, rocket_gem.c validation: page-aligned drm_mm node,
 * aperture [0, 4 GiB)).
 */
struct drm_rocket_create_bo {
	__u32 size;		/* in: requested size in bytes (u32: < 4 GiB) */
	__u32 handle;		/* out: GEM handle */
	__u64 dma_address;	/* out: NPU (IOMMU) address, private to the fd */
	__u64 offset;		/* out: fake offset for mmap() on the accel fd */
};

/*
 * SUBMIT: queue job_count jobs.  No flags, no syncobjs: synchronisation is
 * implicit through the BOs' reservation objects (rocket_job.c, rocket_gem.c validation).
 */
struct drm_rocket_submit {
	__u64 jobs;		/* in: user pointer to struct drm_rocket_job[] */
	__u32 job_count;	/* in: number of jobs */
	__u32 job_struct_size;	/* in: stride of jobs[], >= sizeof(job) */
	__u64 reserved;		/* in: must be zero */
};

/*
 * PREP_BO: start CPU access — wait for the NPU jobs writing the BO, then
 * sync caches for the CPU.  timeout_ns is ABSOLUTE CLOCK_MONOTONIC (rocket_accel.h).
 */
struct drm_rocket_prep_bo {
	__u32 handle;		/* in: GEM handle */
	__u32 reserved;		/* in: must be zero */
	__s64 timeout_ns;	/* in: absolute CLOCK_MONOTONIC deadline */
};

/* FINI_BO: end CPU access — sync caches for the device. */
struct drm_rocket_fini_bo {
	__u32 handle;		/* in: GEM handle */
	__u32 reserved;		/* in: must be zero */
};

/* One NPU task: a register-command buffer the PC block executes. */
struct drm_rocket_task {
	__u32 regcmd;		/* in: NPU address of the regcmd buffer */
	__u32 regcmd_count;	/* in: number of 64-bit commands, > 0 */
};

/* One job: tasks run in order on one core; BO lists drive implicit sync. */
struct drm_rocket_job {
	__u64 tasks;			/* in: user pointer to drm_rocket_task[] */
	__u64 in_bo_handles;		/* in: user pointer to __u32[] read */
	__u64 out_bo_handles;		/* in: user pointer to __u32[] written */
	__u32 task_count;		/* in: number of tasks, > 0 */
	__u32 task_struct_size;		/* in: stride of tasks[], >= 8 */
	__u32 in_bo_handle_count;	/* in */
	__u32 out_bo_handle_count;	/* in */
};

/* ---- compile-time ABI checks (sizes/offsets: rocket_accel.h) ---- */

#define RKVAL_UAPI_OFFSET(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), \
		       #type "." #field " must be at offset " #off)

_Static_assert(sizeof(struct drm_rocket_create_bo) == 24, "create_bo is 24 bytes");
RKVAL_UAPI_OFFSET(drm_rocket_create_bo, size, 0);
RKVAL_UAPI_OFFSET(drm_rocket_create_bo, handle, 4);
RKVAL_UAPI_OFFSET(drm_rocket_create_bo, dma_address, 8);
RKVAL_UAPI_OFFSET(drm_rocket_create_bo, offset, 16);

_Static_assert(sizeof(struct drm_rocket_submit) == 24, "submit is 24 bytes");
RKVAL_UAPI_OFFSET(drm_rocket_submit, jobs, 0);
RKVAL_UAPI_OFFSET(drm_rocket_submit, job_count, 8);
RKVAL_UAPI_OFFSET(drm_rocket_submit, job_struct_size, 12);
RKVAL_UAPI_OFFSET(drm_rocket_submit, reserved, 16);

_Static_assert(sizeof(struct drm_rocket_prep_bo) == 16, "prep_bo is 16 bytes");
RKVAL_UAPI_OFFSET(drm_rocket_prep_bo, handle, 0);
RKVAL_UAPI_OFFSET(drm_rocket_prep_bo, reserved, 4);
RKVAL_UAPI_OFFSET(drm_rocket_prep_bo, timeout_ns, 8);

_Static_assert(sizeof(struct drm_rocket_fini_bo) == 8, "fini_bo is 8 bytes");
RKVAL_UAPI_OFFSET(drm_rocket_fini_bo, handle, 0);
RKVAL_UAPI_OFFSET(drm_rocket_fini_bo, reserved, 4);

_Static_assert(sizeof(struct drm_rocket_task) == 8, "task is 8 bytes");
RKVAL_UAPI_OFFSET(drm_rocket_task, regcmd, 0);
RKVAL_UAPI_OFFSET(drm_rocket_task, regcmd_count, 4);

_Static_assert(sizeof(struct drm_rocket_job) == 40, "job is 40 bytes");
RKVAL_UAPI_OFFSET(drm_rocket_job, tasks, 0);
RKVAL_UAPI_OFFSET(drm_rocket_job, in_bo_handles, 8);
RKVAL_UAPI_OFFSET(drm_rocket_job, out_bo_handles, 16);
RKVAL_UAPI_OFFSET(drm_rocket_job, task_count, 24);
RKVAL_UAPI_OFFSET(drm_rocket_job, task_struct_size, 28);
RKVAL_UAPI_OFFSET(drm_rocket_job, in_bo_handle_count, 32);
RKVAL_UAPI_OFFSET(drm_rocket_job, out_bo_handle_count, 36);

/* Computed ioctl numbers (rocket_accel.h table): dir | size << 16 | 'd' << 8 | nr. */
_Static_assert(DRM_IOCTL_ROCKET_CREATE_BO == 0xC0186440u, "CREATE_BO number");
_Static_assert(DRM_IOCTL_ROCKET_SUBMIT == 0x40186441u, "SUBMIT number");
_Static_assert(DRM_IOCTL_ROCKET_PREP_BO == 0x40106442u, "PREP_BO number");
_Static_assert(DRM_IOCTL_ROCKET_FINI_BO == 0x40086443u, "FINI_BO number");

#undef RKVAL_UAPI_OFFSET

#if defined(__cplusplus)
}
#endif

#endif /* RKVAL_ROCKET_ACCEL_H */
