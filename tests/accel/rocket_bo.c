// SPDX-License-Identifier: MIT
/*
 * rocket_bo — buffer objects of the rocket accel uAPI.
 *
 * Validates CREATE_BO for small, unaligned, zero and huge sizes, CPU access
 * through mmap of the fake offset, PREP_BO/FINI_BO on idle BOs, every
 * invalid-argument case rocket_job.c, rocket_gem.c validation lists for PREP_BO and
 * FINI_BO with its errno, the NPU address (IOVA) properties of rocket_drv.c, rocket_job.c domains
 * (page-aligned drm_mm nodes in a per-file IOMMU domain whose aperture is
 * [0, 4 GiB), so the first BO of a fresh fd sits at 0 and addresses repeat
 * across fds), that a mapping outlives GEM_CLOSE and the fd, and that a
 * new BO never shows another file's data (as v3d's create-bo-zeroed).
 * It does not submit jobs, so PREP_BO's waiting and timeout paths are left
 * to rocket_submit; it cannot see the IOMMU page tables themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "igt.h"
#include "rocket/rocket.h"

IGT_TEST_DESCRIPTION("Buffer objects: creation, CPU mapping, CPU access "
		     "ioctls and their validation, NPU addresses, lifetime.");

/* Page size of the IOMMU and of drm_mm nodes (rockchip-iommu.c registers, rocket_job.c, rocket_gem.c validation). */
#define ROCKET_PAGE_SIZE	4096u
/* Largest request the u32 size field can carry (rocket_job.c, rocket_gem.c validation). */
#define ROCKET_BO_SIZE_MAX	UINT32_MAX
/* A handle no test creates: GEM handles start at 1 and stay small. */
#define BAD_HANDLE		0xdeadbeefu
/* BOs of a fresh fd for the uniqueness check: fills a few page tables. */
#define IOVA_UNIQUE_BOS		64
/* v3d's trick: 3 pages, a size unlikely to be shared in a BO cache. */
#define ZEROED_BO_SIZE		(3 * ROCKET_PAGE_SIZE)
#define ZEROED_FILL		0xd0

static uint64_t page_align(uint64_t size)
{
	return (size + ROCKET_PAGE_SIZE - 1) & ~(uint64_t)(ROCKET_PAGE_SIZE - 1);
}

static void check_iova(const struct rocket_bo *bo)
{
	igt_assert_eq_u64(bo->dma_address % ROCKET_PAGE_SIZE, 0);
	igt_assert_lte_u64(bo->dma_address + page_align(bo->size),
			   ROCKET_IOVA_LIMIT);
}

/* Create a BO of size, write its first and last byte, read them back. */
static void check_create_and_touch(int fd, uint32_t size)
{
	struct rocket_bo *bo = rocket_bo_create(fd, size);
	uint8_t *p = rocket_bo_map(bo);

	check_iova(bo);
	p[0] = 0x11;
	p[size - 1] = 0x22;	/* the same byte when size is 1 */
	igt_assert_eq(p[size - 1], 0x22);
	if (size > 1)
		igt_assert_eq(p[0], 0x11);
	rocket_bo_free(bo);
}

/*
 * Neither size 0 nor the largest size has a documented outcome (rocket_job.c, rocket_gem.c validation only
 * says the map can fail with -ENOMEM): the kernel may refuse, or round and
 * succeed.  What must hold either way is tested; the outcome is printed.
 */
static void check_create_either(int fd, uint32_t size)
{
	struct drm_rocket_create_bo args = { .size = size };
	int ret = __rocket_create_bo(fd, &args);

	if (ret) {
		igt_info("CREATE_BO of %#x bytes refused: %s\n", size,
			 strerror(-ret));
		return;
	}
	igt_info("CREATE_BO of %#x bytes accepted: handle %u at %#llx\n",
		 size, args.handle, (unsigned long long)args.dma_address);
	igt_assert_neq_u32(args.handle, 0);
	igt_assert_eq_u64(args.dma_address % ROCKET_PAGE_SIZE, 0);
	igt_assert_lte_u64(args.dma_address + page_align(size),
			   ROCKET_IOVA_LIMIT);
	rocket_gem_close(fd, args.handle);
}

/* A full-size BO costs 4 GiB of RAM: only try it where that is free. */
static bool have_free_memory(uint64_t bytes)
{
	char buf[4096], *p;
	unsigned long long kib;

	if (plat_read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return false;
	p = strstr(buf, "MemAvailable:");
	if (!p || sscanf(p, "MemAvailable: %llu kB", &kib) != 1)
		return false;
	return kib * 1024 > bytes + bytes / 2;
}

static void check_iova_unique(int fd)
{
	struct rocket_bo *bos[IOVA_UNIQUE_BOS];

	for (int i = 0; i < IOVA_UNIQUE_BOS; i++) {
		/* Sizes 1..4 pages so ranges of different length interleave. */
		bos[i] = rocket_bo_create(fd, ROCKET_PAGE_SIZE * (1 + i % 4));
		check_iova(bos[i]);
	}
	for (int i = 0; i < IOVA_UNIQUE_BOS; i++) {
		for (int j = 0; j < i; j++) {
			uint64_t a = bos[i]->dma_address, b = bos[j]->dma_address;

			igt_assert_f(a + bos[i]->size <= b || b + bos[j]->size <= a,
				     "BO %d [%#llx, +%#x) overlaps BO %d [%#llx, +%#x)\n",
				     i, (unsigned long long)a, bos[i]->size, j,
				     (unsigned long long)b, bos[j]->size);
		}
	}
	for (int i = 0; i < IOVA_UNIQUE_BOS; i++)
		rocket_bo_free(bos[i]);
}

igt_main
{
	int fd = -1;

	igt_fixture
		fd = rocket_open_device();

	igt_describe("Make sure a page-sized BO can be created, mapped and freed.");
	igt_subtest("bo-create-4096")
		check_create_and_touch(fd, ROCKET_PAGE_SIZE);

	igt_describe("Make sure a one-byte BO is usable.");
	igt_subtest("bo-create-1")
		check_create_and_touch(fd, 1);

	igt_describe("Make sure a BO whose size is not a page multiple is usable to its last byte.");
	igt_subtest("bo-create-unaligned")
		check_create_and_touch(fd, 3 * ROCKET_PAGE_SIZE + 123);

	igt_describe("Make sure asking for an empty BO never yields an unusable mapping.");
	igt_subtest("bo-create-zero-size")
		check_create_either(fd, 0);

	igt_describe("Make sure the largest size the uAPI can express fails cleanly or fits below 4 GiB.");
	igt_subtest("bo-create-huge") {
		igt_require_f(have_free_memory(1ull << 32),
			      "less than 6 GiB of available memory\n");
		/* A refused map is logged by drm_err (rocket_job.c, rocket_gem.c validation). */
		igt_emit_ignore_dmesg_regex("failed to map buffer: size=[0-9]+ request_size=[0-9]+");
		check_create_either(fd, ROCKET_BO_SIZE_MAX);
	}

	igt_describe("Make sure a new BO on another file never shows data a freed BO held.");
	igt_subtest("bo-create-zeroed") {
		int fd2 = rocket_open_device();
		struct rocket_bo *bo = rocket_bo_create(fd, ZEROED_BO_SIZE);
		uint8_t *p;

		memset(rocket_bo_map(bo), ZEROED_FILL, ZEROED_BO_SIZE);
		rocket_bo_free(bo);

		bo = rocket_bo_create(fd2, ZEROED_BO_SIZE);
		p = rocket_bo_map(bo);
		for (unsigned int i = 0; i < ZEROED_BO_SIZE; i++)
			igt_assert_f(p[i] == 0, "byte %u is %#x\n", i, p[i]);
		rocket_bo_free(bo);
		rocket_close_device(fd2);
	}

	igt_describe("Make sure CPU writes through one mapping are read back through another.");
	igt_subtest("bo-mmap-read-write") {
		struct rocket_bo *bo = rocket_bo_create(fd, 2 * ROCKET_PAGE_SIZE);
		uint32_t *a = rocket_bo_map(bo), *b;
		unsigned int n = bo->size / sizeof(*a);

		for (unsigned int i = 0; i < n; i++)
			a[i] = 0x01000193u * i;
		b = plat_mmap(NULL, bo->size, PROT_READ, MAP_SHARED, fd,
			      (off_t)bo->offset);
		igt_assert(b != MAP_FAILED);
		for (unsigned int i = 0; i < n; i++)
			igt_assert_eq_u32(b[i], 0x01000193u * i);
		igt_assert_eq(plat_munmap(b, bo->size), 0);
		rocket_bo_free(bo);
	}

	igt_describe("Make sure starting and ending CPU access on an idle BO succeeds at once.");
	igt_subtest("bo-prep-fini") {
		struct rocket_bo *bo = rocket_bo_create(fd, ROCKET_PAGE_SIZE);
		struct drm_rocket_prep_bo prep = {
			.handle = bo->handle,
			.timeout_ns = rocket_abs_timeout_ns(rocket_monotonic_ns(),
							    ROCKET_JOB_TIMEOUT_MS),
		};
		int ret = __rocket_prep_bo(fd, &prep);

		/* Positive = remaining jiffies on mainline (rocket_job.c, rocket_gem.c validation): success. */
		igt_info("PREP_BO on an idle BO returned %d\n", ret);
		igt_assert_lte(0, ret);
		rocket_fini_bo(fd, bo->handle);
		rocket_bo_free(bo);
	}

	igt_describe("Make sure polling an idle BO with a deadline already past succeeds.");
	igt_subtest("bo-wait-idle-zero-timeout") {
		struct rocket_bo *bo = rocket_bo_create(fd, ROCKET_PAGE_SIZE);

		/* No fence to wait for: -EBUSY is only for busy BOs (rocket_job.c, rocket_gem.c validation). */
		rocket_bo_wait(fd, bo->handle, 0);
		rocket_bo_free(bo);
	}

	igt_describe("Make sure PREP_BO rejects an unknown BO handle.");
	igt_subtest("prep-bo-bad-handle") {
		struct drm_rocket_prep_bo prep = { .handle = BAD_HANDLE };

		rocket_prep_bo_err(fd, &prep, ENOENT);
	}

	igt_describe("Make sure PREP_BO rejects a non-zero reserved field.");
	igt_subtest("prep-bo-bad-reserved") {
		struct rocket_bo *bo = rocket_bo_create(fd, ROCKET_PAGE_SIZE);
		struct drm_rocket_prep_bo prep = {
			.handle = bo->handle,
			.reserved = 1,
		};

		rocket_prep_bo_err(fd, &prep, EINVAL);
		rocket_bo_free(bo);
	}

	igt_describe("Make sure FINI_BO rejects an unknown BO handle.");
	igt_subtest("fini-bo-bad-handle") {
		struct drm_rocket_fini_bo fini = { .handle = BAD_HANDLE };

		rocket_fini_bo_err(fd, &fini, ENOENT);
	}

	igt_describe("Make sure FINI_BO rejects a non-zero reserved field.");
	igt_subtest("fini-bo-bad-reserved") {
		struct rocket_bo *bo = rocket_bo_create(fd, ROCKET_PAGE_SIZE);
		struct drm_rocket_fini_bo fini = {
			.handle = bo->handle,
			.reserved = 1,
		};

		rocket_fini_bo_err(fd, &fini, EINVAL);
		rocket_bo_free(bo);
	}

	igt_describe("Make sure the first BO of a new file is placed at NPU address 0.");
	igt_subtest("bo-iova-first-zero") {
		/* Own fd: the address space must be empty (rocket_drv.c, rocket_gem.c, rocket_drv.c, rocket_job.c domains). */
		int fd2 = rocket_open_device();
		struct rocket_bo *bo = rocket_bo_create(fd2, ROCKET_PAGE_SIZE);

		igt_assert_eq_u64(bo->dma_address, 0);
		rocket_bo_free(bo);
		rocket_close_device(fd2);
	}

	igt_describe("Make sure BOs get page-aligned, non-overlapping NPU addresses below 4 GiB.");
	igt_subtest("bo-iova-unique")
		check_iova_unique(fd);

	igt_describe("Make sure every file has its own NPU address space.");
	igt_subtest("bo-iova-per-fd") {
		int fd_a = rocket_open_device(), fd_b = rocket_open_device();
		struct rocket_bo *a = rocket_bo_create(fd_a, ROCKET_PAGE_SIZE);
		struct rocket_bo *b = rocket_bo_create(fd_b, ROCKET_PAGE_SIZE);

		/* One domain per open: both fresh spaces start at 0 (rocket_drv.c, rocket_job.c domains). */
		igt_assert_eq_u64(a->dma_address, b->dma_address);
		/* Same address, different memory. */
		memset(rocket_bo_map(a), 0xaa, ROCKET_PAGE_SIZE);
		memset(rocket_bo_map(b), 0xbb, ROCKET_PAGE_SIZE);
		igt_assert_eq(((uint8_t *)a->map)[0], 0xaa);
		rocket_bo_free(a);
		rocket_bo_free(b);
		rocket_close_device(fd_a);
		rocket_close_device(fd_b);
	}

	igt_describe("Make sure a CPU mapping stays valid after its BO handle is closed.");
	igt_subtest("bo-mapped-after-gem-close") {
		struct rocket_bo *bo = rocket_bo_create(fd, ROCKET_PAGE_SIZE);
		uint8_t *p = rocket_bo_map(bo);

		memset(p, 0x3c, ROCKET_PAGE_SIZE);
		rocket_gem_close(fd, bo->handle);
		/* The mapping holds its own reference on the object. */
		igt_assert_eq(p[ROCKET_PAGE_SIZE - 1], 0x3c);
		p[0] = 0x4d;
		igt_assert_eq(p[0], 0x4d);
		rocket_bo_forget(bo);
	}

	igt_describe("Make sure a CPU mapping stays valid after the file is closed.");
	igt_subtest("bo-mapped-after-fd-close") {
		/* Own fd: this subtest closes it under a live mapping. */
		int fd2 = rocket_open_device();
		struct rocket_bo *bo = rocket_bo_create(fd2, ROCKET_PAGE_SIZE);
		uint8_t *p = rocket_bo_map(bo);

		memset(p, 0x5e, ROCKET_PAGE_SIZE);
		rocket_close_device(fd2);
		igt_assert_eq(p[0], 0x5e);
		igt_assert_eq(p[ROCKET_PAGE_SIZE - 1], 0x5e);
		rocket_bo_forget(bo);
		/* The device still serves new files. */
		fd2 = rocket_open_device();
		check_create_and_touch(fd2, ROCKET_PAGE_SIZE);
		rocket_close_device(fd2);
	}

	igt_fixture
		rocket_close_device(fd);
}
