// SPDX-License-Identifier: MIT
/*
 * rocket_bo.c — buffer objects: CREATE_BO, mmap of the fake offset,
 * PREP_BO/FINI_BO, GEM_CLOSE (rocket_accel.h), all through
 * the platform seam.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "igt.h"
#include "rocket/rocket.h"

static int rocket_ioctl(int fd, unsigned long request, void *arg)
{
	int ret = plat_ioctl(fd, request, arg);

	return ret < 0 ? -errno : ret;
}

int __rocket_create_bo(int fd, struct drm_rocket_create_bo *args)
{
	int ret = rocket_ioctl(fd, DRM_IOCTL_ROCKET_CREATE_BO, args);

	if (ret == 0)
		rocket_teardown_handle_created(fd, args->handle);
	return ret;
}

struct rocket_bo *rocket_bo_create(int fd, uint32_t size)
{
	struct drm_rocket_create_bo args = { .size = size };
	struct rocket_bo *bo;
	int ret;

	ret = __rocket_create_bo(fd, &args);
	igt_assert_f(ret == 0, "CREATE_BO of %u bytes failed: %s\n", size,
		     strerror(-ret));
	bo = calloc(1, sizeof(*bo));
	igt_assert(bo);
	bo->fd = fd;
	bo->handle = args.handle;
	bo->size = size;
	bo->dma_address = args.dma_address;
	bo->offset = args.offset;
	return bo;
}

void rocket_bo_create_err(int fd, uint32_t size, int err)
{
	struct drm_rocket_create_bo args = { .size = size };

	igt_assert_errno(err, plat_ioctl(fd, DRM_IOCTL_ROCKET_CREATE_BO, &args));
}

void *rocket_bo_map(struct rocket_bo *bo)
{
	void *ptr;

	if (bo->map)
		return bo->map;
	ptr = plat_mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
			bo->fd, (off_t)bo->offset);
	igt_assert_f(ptr != MAP_FAILED, "mmap of BO %u (%u bytes at %#llx) failed: %s\n",
		     bo->handle, bo->size, (unsigned long long)bo->offset,
		     strerror(errno));
	bo->map = ptr;
	bo->map_size = bo->size;
	return ptr;
}

void rocket_bo_unmap(struct rocket_bo *bo)
{
	if (!bo->map)
		return;
	igt_assert_eq(plat_munmap(bo->map, bo->map_size), 0);
	bo->map = NULL;
	bo->map_size = 0;
}

void rocket_bo_free(struct rocket_bo *bo)
{
	if (!bo)
		return;
	rocket_bo_unmap(bo);
	rocket_gem_close(bo->fd, bo->handle);
	free(bo);
}

void rocket_bo_forget(struct rocket_bo *bo)
{
	if (!bo)
		return;
	/* The mapping outlives the fd (it holds its own reference). */
	if (bo->map)
		plat_munmap(bo->map, bo->map_size);
	free(bo);
}

int __rocket_gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close args = { .handle = handle };

	return rocket_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args);
}

void rocket_gem_close(int fd, uint32_t handle)
{
	int ret = __rocket_gem_close(fd, handle);

	igt_assert_f(ret == 0, "GEM_CLOSE of handle %u failed: %s\n", handle,
		     strerror(-ret));
}

void rocket_gem_close_err(int fd, uint32_t handle, int err)
{
	struct drm_gem_close args = { .handle = handle };

	igt_assert_errno(err, plat_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &args));
}

int __rocket_prep_bo(int fd, struct drm_rocket_prep_bo *args)
{
	return rocket_ioctl(fd, DRM_IOCTL_ROCKET_PREP_BO, args);
}

void rocket_prep_bo_err(int fd, struct drm_rocket_prep_bo *args, int err)
{
	igt_assert_errno(err, plat_ioctl(fd, DRM_IOCTL_ROCKET_PREP_BO, args));
}

int __rocket_fini_bo(int fd, struct drm_rocket_fini_bo *args)
{
	return rocket_ioctl(fd, DRM_IOCTL_ROCKET_FINI_BO, args);
}

void rocket_fini_bo(int fd, uint32_t handle)
{
	struct drm_rocket_fini_bo args = { .handle = handle };
	int ret = __rocket_fini_bo(fd, &args);

	igt_assert_f(ret == 0, "FINI_BO of handle %u failed: %s\n", handle,
		     strerror(-ret));
}

void rocket_fini_bo_err(int fd, struct drm_rocket_fini_bo *args, int err)
{
	igt_assert_errno(err, plat_ioctl(fd, DRM_IOCTL_ROCKET_FINI_BO, args));
}

int __rocket_bo_wait(int fd, uint32_t handle, int64_t timeout_ms)
{
	struct drm_rocket_prep_bo args = {
		.handle = handle,
		.timeout_ns = rocket_abs_timeout_ns(rocket_monotonic_ns(),
						    timeout_ms),
	};
	int ret = __rocket_prep_bo(fd, &args);

	/* A positive value is remaining jiffies: success (rocket_job.c, rocket_gem.c validation). */
	return ret > 0 ? 0 : ret;
}

void rocket_bo_wait(int fd, uint32_t handle, int64_t timeout_ms)
{
	int ret = __rocket_bo_wait(fd, handle, timeout_ms);

	igt_assert_f(ret == 0, "PREP_BO wait of %lld ms on handle %u failed: %s\n",
		     (long long)timeout_ms, handle, strerror(-ret));
}
