// SPDX-License-Identifier: MIT
/*
 * vnpu_bo.c — GEM objects as rocket_gem.c makes them (rocket_job.c, rocket_gem.c validation, rocket_drv.c, rocket_job.c domains): shmem backing (here a memfd per BO, so plat_mmap() of the
 * fake offset maps the very pages the NPU model reads), a page-aligned
 * first-fit IOVA from 0 in the file's [0, 4 GiB) aperture, mapped
 * read/write into the file's IOMMU domain at creation, a fake mmap offset
 * from the device-wide offset space, and a reservation object that keeps
 * the write fences of the jobs that wrote it.  Lock held throughout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vnpu/vnpu.h"

/* rk_iommu aperture [0, DMA_BIT_MASK(32)] (rocket_drv.c, rocket_job.c domains). */
#define VNPU_APERTURE_END	0x100000000ull
/*
 * Largest BO the model backs.  A real board fails earlier or later
 * depending on free memory; the model fails CREATE_BO above this like a
 * failed shmem/iommu map (-ENOMEM and drm_err, rocket_job.c, rocket_gem.c validation).  Model choice.
 */
#define VNPU_BO_MAX_SIZE	(1ull << 30)

static uint64_t iova_first_fit(struct vnpu_file *file, uint64_t size)
{
	uint64_t cur = 0;
	bool moved = true;

	/* The file's BO list is unsorted and short: iterate until stable. */
	while (moved) {
		moved = false;
		for (struct vnpu_bo *bo = file->bos; bo; bo = bo->next) {
			if (bo->iova < cur + size && cur < bo->iova + bo->size) {
				cur = bo->iova + bo->size;
				moved = true;
			}
		}
	}
	return cur;
}

static uint32_t handle_alloc(struct vnpu_file *file)
{
	/* idr_alloc(1, 0): the lowest free handle from 1. */
	for (uint32_t h = 1;; h++) {
		bool used = false;

		for (struct vnpu_bo *bo = file->bos; bo; bo = bo->next)
			if (bo->handle == h)
				used = true;
		if (!used)
			return h;
	}
}

static void bo_free(struct vnpu_bo *bo)
{
	struct vnpu *v = vnpu_get();

	vnpu_domain_unmap(bo->domain, bo->iova, bo->size);
	vnpu_domain_put(bo->domain);
	vnpu_phys_free(bo->phys);
	munmap(bo->host, bo->size);
	close(bo->memfd);
	for (unsigned int i = 0; i < bo->nr_write_fences; i++)
		vnpu_fence_put(bo->write_fences[i]);
	v->live_bos--;
	free(bo);
}

static void bo_unlink(struct vnpu_bo *bo)
{
	struct vnpu_bo **pp;

	if (!bo->file)
		return;
	for (pp = &bo->file->bos; *pp; pp = &(*pp)->next) {
		if (*pp == bo) {
			*pp = bo->next;
			break;
		}
	}
}

void vnpu_bo_put(struct vnpu_bo *bo)
{
	if (--bo->refs)
		return;
	bo_unlink(bo);
	bo_free(bo);
}

static int bo_backing(struct vnpu_bo *bo)
{
	bo->memfd = memfd_create("rocket-bo", MFD_CLOEXEC);
	if (bo->memfd < 0)
		return -ENOMEM;
	if (ftruncate(bo->memfd, (off_t)bo->size)) {
		close(bo->memfd);
		return -ENOMEM;
	}
	bo->host = mmap(NULL, bo->size, PROT_READ | PROT_WRITE, MAP_SHARED,
			bo->memfd, 0);
	if (bo->host == MAP_FAILED) {
		close(bo->memfd);
		return -ENOMEM;
	}
	return 0;
}

int vnpu_bo_create(struct vnpu_file *file, uint32_t size, struct vnpu_bo **out)
{
	struct vnpu *v = vnpu_get();
	uint64_t rounded = ((uint64_t)size + RK_IOMMU_PAGE_SIZE - 1) &
			   ~(uint64_t)(RK_IOMMU_PAGE_SIZE - 1);
	struct vnpu_bo *bo;
	int ret;

	if (!size)
		return -EINVAL;
	bo = calloc(1, sizeof(*bo));
	if (!bo)
		return -ENOMEM;
	bo->size = rounded;
	bo->request_size = size;
	if (rounded > VNPU_BO_MAX_SIZE || bo_backing(bo)) {
		vnpu_dev_printk(VNPU_LOGLEVEL_ERR, "platform", "rknn",
				"[drm:rocket_ioctl_create_bo [rocket]] *ERROR* failed to map buffer: size=%d request_size=%u",
				(int)rounded, size);
		free(bo);
		return -ENOMEM;
	}
	bo->iova = iova_first_fit(file, rounded);
	if (bo->iova + rounded > VNPU_APERTURE_END) {
		ret = -ENOSPC;	/* drm_mm_insert_node_generic() */
		goto err_backing;
	}
	ret = vnpu_phys_alloc(rounded, false, bo->host, &bo->phys);
	if (ret)
		goto err_backing;
	ret = vnpu_domain_map(file->domain, bo->iova, bo->phys, rounded);
	if (ret) {
		vnpu_phys_free(bo->phys);
		goto err_backing;
	}
	bo->refs = 1;
	bo->file = file;
	bo->domain = file->domain;
	bo->domain->refs++;
	bo->fake_offset = v->next_fake_offset;
	v->next_fake_offset += rounded;
	/* Handle created last (UAF fix f706e6a4ce75, rocket_job.c, rocket_gem.c validation). */
	bo->handle = handle_alloc(file);
	bo->next = file->bos;
	file->bos = bo;
	v->live_bos++;
	*out = bo;
	return 0;

err_backing:
	munmap(bo->host, rounded);
	close(bo->memfd);
	free(bo);
	return ret;
}

struct vnpu_bo *vnpu_bo_lookup(struct vnpu_file *file, uint32_t handle)
{
	if (!handle)
		return NULL;
	for (struct vnpu_bo *bo = file->bos; bo; bo = bo->next)
		if (bo->handle == handle)
			return bo;
	return NULL;
}

int vnpu_bo_close_handle(struct vnpu_file *file, uint32_t handle)
{
	struct vnpu_bo *bo = vnpu_bo_lookup(file, handle);

	if (!bo)
		return -EINVAL;	/* drm_gem_handle_delete() */
	/* Self-test mutation: success reported, nothing released. */
	if (vnpu_get()->mutations[VNPU_MUTATE_LEAK_BO])
		return 0;
	/*
	 * Only the handle's reference goes.  A job may still hold the BO:
	 * it stays on the file's list so its IOVA range stays reserved
	 * (the drm_mm node lives as long as the object), and
	 * vnpu_drm_close() knows from handle == 0 not to put it again.
	 */
	bo->handle = 0;
	vnpu_bo_put(bo);
	return 0;
}

struct vnpu_bo *vnpu_bo_by_offset(uint64_t offset, struct vnpu_file **owner)
{
	struct vnpu *v = vnpu_get();

	for (struct vnpu_file *f = v->files; f; f = f->next) {
		for (struct vnpu_bo *bo = f->bos; bo; bo = bo->next) {
			if (bo->handle && bo->fake_offset == offset) {
				*owner = f;
				return bo;
			}
		}
	}
	return NULL;
}

/* dma_resv_add_fence(WRITE): drop signalled fences, keep the rest. */
void vnpu_bo_add_write_fence(struct vnpu_bo *bo, struct vnpu_fence *f)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < bo->nr_write_fences; i++) {
		if (bo->write_fences[i]->signaled)
			vnpu_fence_put(bo->write_fences[i]);
		else
			bo->write_fences[n++] = bo->write_fences[i];
	}
	bo->nr_write_fences = n;
	if (n == VNPU_MAX_RESV_FENCES) {
		/* Same fence context, later seqno: the oldest is implied. */
		vnpu_fence_put(bo->write_fences[0]);
		memmove(&bo->write_fences[0], &bo->write_fences[1],
			(n - 1) * sizeof(bo->write_fences[0]));
		bo->nr_write_fences = --n;
	}
	vnpu_fence_get(f);
	bo->write_fences[bo->nr_write_fences++] = f;
}

bool vnpu_bo_idle(struct vnpu_bo *bo)
{
	for (unsigned int i = 0; i < bo->nr_write_fences; i++)
		if (!bo->write_fences[i]->signaled)
			return false;
	return true;
}
