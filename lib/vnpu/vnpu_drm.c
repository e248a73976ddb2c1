// SPDX-License-Identifier: MIT
/*
 * vnpu_drm.c — the DRM file of /dev/accel/accel0: open/close, drm_ioctl()
 * dispatch with the core's size handling, DRM_IOCTL_VERSION, GEM_CLOSE
 * and the four rocket ioctls with the validation order and errno values
 * of kernel-rocket.md §1.3 (and rocket_job.c / rocket_gem.c as read).
 *
 * Every fd handed out is a real, unique fd (an eventfd) so that it can
 * never collide with a file the process opens itself.  User pointers are
 * read with process_vm_readv() on our own pid, so a bad pointer gives
 * EFAULT exactly where copy_from_user() would, instead of a crash; where
 * that syscall is unavailable (e.g. under qemu-user) the model falls back
 * to a direct copy that only catches NULL-page pointers.  Lock held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "rocket_accel.h"
#include "vnpu/vnpu.h"

/* drm_driver of rocket_drv.c and the drm core's "0" date (§1.1, §2.1). */
#define ROCKET_DRIVER_NAME	"rocket"
#define ROCKET_DRIVER_DESC	"rocket DRM"
#define ROCKET_DRIVER_DATE	"0"
#define VNPU_USER_MIN_ADDR	4096u	/* fallback copy: the NULL page faults */
/* HZ assumed for PREP_BO's remaining-jiffies return (UNCONFIRMED: arm64 defconfig 250). */
#define VNPU_HZ			250

static bool vm_copy_works = true;

static int user_copy(void *local, uint64_t uptr, size_t len, bool to_user)
{
	struct iovec l = { local, len }, r = { (void *)(uintptr_t)uptr, len };
	ssize_t n;

	if (!len)
		return 0;
	if (vm_copy_works) {
		n = to_user ? process_vm_writev(getpid(), &l, 1, &r, 1, 0) :
			      process_vm_readv(getpid(), &l, 1, &r, 1, 0);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0 || errno == EFAULT)
			return -EFAULT;
		vm_copy_works = false;	/* ENOSYS/EPERM: fall back */
	}
	if (uptr < VNPU_USER_MIN_ADDR)
		return -EFAULT;
	if (to_user)
		memcpy((void *)(uintptr_t)uptr, local, len);
	else
		memcpy(local, (void *)(uintptr_t)uptr, len);
	return 0;
}

int vnpu_copy_from_user(void *dst, uint64_t uptr, size_t len)
{
	return user_copy(dst, uptr, len, false);
}

int vnpu_copy_to_user(uint64_t uptr, const void *src, size_t len)
{
	return user_copy((void *)src, uptr, len, true);
}

/* ---- files ---- */
static struct vnpu_file *file_of(int fd)
{
	for (struct vnpu_file *f = vnpu_get()->files; f; f = f->next)
		if (f->fd == fd)
			return f;
	return NULL;
}

bool vnpu_drm_is_fd(int fd)
{
	return file_of(fd) != NULL;
}

/* rocket_open(): one paging domain per file (§2.3). */
int vnpu_drm_open(void)
{
	struct vnpu *v = vnpu_get();
	struct vnpu_file *f;

	if (!v->bound) {
		errno = ENOENT;
		return -1;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		errno = ENOMEM;
		return -1;
	}
	f->domain = vnpu_domain_alloc();
	if (!f->domain) {
		free(f);
		errno = ENOMEM;
		return -1;
	}
	f->fd = eventfd(0, EFD_CLOEXEC);
	if (f->fd < 0) {
		int e = errno;

		vnpu_domain_put(f->domain);
		free(f);
		errno = e;
		return -1;
	}
	f->next = v->files;
	v->files = f;
	v->nr_files++;
	return f->fd;
}

/* rocket_postclose(): handles dropped; jobs keep their BOs and domain. */
int vnpu_drm_close(int fd)
{
	struct vnpu *v = vnpu_get();
	struct vnpu_file **pp, *f = NULL;

	for (pp = &v->files; *pp; pp = &(*pp)->next) {
		if ((*pp)->fd == fd) {
			f = *pp;
			*pp = f->next;
			break;
		}
	}
	if (!f) {
		errno = EBADF;
		return -1;
	}
	while (f->bos) {
		struct vnpu_bo *bo = f->bos;
		/*
		 * A BO whose handle GEM_CLOSE already deleted stays on the
		 * list only for its IOVA range (a job still holds it); its
		 * handle reference is gone, so only live handles are put.
		 */
		bool has_handle = bo->handle != 0;

		f->bos = bo->next;
		bo->file = NULL;
		bo->next = NULL;
		bo->handle = 0;
		if (has_handle)
			vnpu_bo_put(bo);
	}
	vnpu_domain_put(f->domain);
	close(f->fd);
	v->nr_files--;
	free(f);
	return 0;
}

/* ---- ioctls ---- */
static int drm_version_field(uint64_t *len, uint64_t uptr, const char *value)
{
	size_t l = strlen(value), copy = l < *len ? l : (size_t)*len;

	/* drm_copy_field(): copy min(len, strlen), report the full length. */
	*len = l;
	if (copy && uptr && vnpu_copy_to_user(uptr, value, copy))
		return -EFAULT;
	return 0;
}

static int ioctl_version(struct drm_version *dv)
{
	uint64_t l;
	int ret;

	dv->version_major = 0;
	dv->version_minor = 0;
	dv->version_patchlevel = 0;
	l = dv->name_len;
	ret = drm_version_field(&l, (uintptr_t)dv->name, ROCKET_DRIVER_NAME);
	dv->name_len = l;
	l = dv->date_len;
	ret = ret ? ret : drm_version_field(&l, (uintptr_t)dv->date, ROCKET_DRIVER_DATE);
	dv->date_len = l;
	l = dv->desc_len;
	ret = ret ? ret : drm_version_field(&l, (uintptr_t)dv->desc, ROCKET_DRIVER_DESC);
	dv->desc_len = l;
	return ret;
}

static int ioctl_create_bo(struct vnpu_file *f, struct drm_rocket_create_bo *a)
{
	struct vnpu_bo *bo;
	int ret = vnpu_bo_create(f, a->size, &bo);

	if (ret)
		return ret;
	a->handle = bo->handle;
	a->dma_address = bo->iova;
	a->offset = bo->fake_offset;
	return 0;
}

struct prep_wait {
	struct vnpu_bo *bo;
};

static bool prep_done(void *arg)
{
	return vnpu_bo_idle(((struct prep_wait *)arg)->bo);
}

/*
 * rocket_ioctl_prep_bo(): drm_timeout_abs_to_jiffies() turns an absolute
 * deadline already passed into 0, and a zero timeout on a busy BO is
 * -EBUSY; a real wait that expires is -ETIMEDOUT (§1.3).
 */
static int ioctl_prep_bo(struct vnpu_file *f, struct drm_rocket_prep_bo *a)
{
	struct prep_wait w;
	uint64_t now = vnpu_now_ns();
	bool zero_timeout;
	int ret;

	if (a->reserved)
		return -EINVAL;
	w.bo = vnpu_bo_lookup(f, a->handle);
	if (!w.bo)
		return -ENOENT;
	zero_timeout = a->timeout_ns < 0 || (uint64_t)a->timeout_ns <= now;
	if (zero_timeout)
		return vnpu_bo_idle(w.bo) ? 1 : -EBUSY;
	w.bo->refs++;
	ret = vnpu_wait_until(prep_done, &w, (uint64_t)a->timeout_ns);
	vnpu_bo_put(w.bo);
	if (ret)
		return -ETIMEDOUT;
	if (!vnpu_get()->kernel->prep_bo_returns_jiffies)
		return 0;
	now = vnpu_now_ns();
	/* Remaining jiffies, at least 1 (dma_resv_wait_timeout() semantics). */
	ret = (uint64_t)a->timeout_ns > now ?
	      (int)(((uint64_t)a->timeout_ns - now) / (1000000000ull / VNPU_HZ)) : 0;
	if (ret > 0x3fffffff)
		ret = 0x3fffffff;
	return ret > 0 ? ret : 1;
}

static int ioctl_fini_bo(struct vnpu_file *f, struct drm_rocket_fini_bo *a)
{
	if (a->reserved)
		return -EINVAL;
	return vnpu_bo_lookup(f, a->handle) ? 0 : -ENOENT;
}

/* drm_gem_objects_lookup(): copy the handle array, then every handle must exist. */
static int lookup_bos(struct vnpu_file *f, uint64_t uptr, uint32_t count,
		      struct vnpu_bo **out)
{
	uint32_t *handles;
	int ret = 0;

	if (!count)
		return 0;
	handles = calloc(count, sizeof(*handles));
	if (!handles)
		return -ENOMEM;
	if (vnpu_copy_from_user(handles, uptr, (size_t)count * sizeof(*handles)))
		ret = -EFAULT;
	for (uint32_t i = 0; !ret && i < count; i++) {
		out[i] = vnpu_bo_lookup(f, handles[i]);
		if (!out[i])
			ret = -ENOENT;
	}
	for (uint32_t i = 0; !ret && i < count; i++)
		out[i]->refs++;
	free(handles);
	return ret;
}

static int copy_tasks(struct drm_rocket_job *uj, struct vnpu_job *job)
{
	if (uj->task_struct_size < sizeof(struct drm_rocket_task))
		return -EINVAL;
	job->tasks = calloc(uj->task_count, sizeof(*job->tasks));
	if (!job->tasks)
		return -ENOMEM;
	for (uint32_t i = 0; i < uj->task_count; i++) {
		struct drm_rocket_task t = { 0 };

		if (vnpu_copy_from_user(&t, uj->tasks + (uint64_t)i * uj->task_struct_size,
					sizeof(t)))
			return -EFAULT;
		if (!t.regcmd_count)
			return -EINVAL;
		job->tasks[i].regcmd = t.regcmd;
		job->tasks[i].regcmd_count = t.regcmd_count;
	}
	job->task_count = uj->task_count;
	return 0;
}

/*
 * rocket_job_push() locks the reservation of every listed BO, in BOs then
 * out BOs, with drm_gem_lock_reservations() under one ww_acquire_ctx
 * (drivers/accel/rocket/rocket_job.c, drivers/gpu/drm/drm_gem.c).  A
 * second lock of the same ww_mutex in the same context returns -EALREADY
 * (__mutex_lock_common() in kernel/locking/mutex.c), so a job that lists
 * one BO twice -- in/in, out/out or in/out -- is dropped with that error
 * before it is queued.  Every kernel profile has this code: one rule.
 */
static int bos_listed_once(const struct vnpu_job *job)
{
	unsigned int nbos = job->in_count + job->out_count;

	for (unsigned int i = 0; i < nbos; i++)
		for (unsigned int j = i + 1; j < nbos; j++)
			if (job->bos[i] == job->bos[j])
				return -EALREADY;
	return 0;
}

/* rocket_ioctl_submit_job(): the error is returned but SUBMIT ignores it. */
static int submit_job(struct vnpu_file *f, struct drm_rocket_job *uj)
{
	struct vnpu_job *job;
	int ret;

	if (!uj->task_count)
		return -EINVAL;
	job = calloc(1, sizeof(*job));
	if (!job)
		return -ENOMEM;
	job->bos = calloc((size_t)uj->in_bo_handle_count + uj->out_bo_handle_count + 1,
			  sizeof(*job->bos));
	if (!job->bos) {
		free(job);
		return -ENOMEM;
	}
	ret = copy_tasks(uj, job);
	if (!ret)
		ret = lookup_bos(f, uj->in_bo_handles, uj->in_bo_handle_count, job->bos);
	if (!ret) {
		job->in_count = uj->in_bo_handle_count;
		ret = lookup_bos(f, uj->out_bo_handles, uj->out_bo_handle_count,
				 job->bos + job->in_count);
		if (!ret)
			job->out_count = uj->out_bo_handle_count;
	}
	if (!ret) {
		job->domain = f->domain;
		f->domain->refs++;
		ret = bos_listed_once(job);
	}
	if (!ret) {
		ret = vnpu_job_push(job);
		if (!ret)
			return 0;
	}
	vnpu_job_free(job);
	return ret;
}

static int ioctl_submit(struct vnpu_file *f, struct drm_rocket_submit *a)
{
	struct drm_rocket_job *jobs;
	int ret = 0, err;

	if (!a->job_count)
		return 0;
	if (a->job_struct_size < sizeof(struct drm_rocket_job))
		return -EINVAL;
	if (a->reserved)
		return -EINVAL;
	jobs = calloc(a->job_count, sizeof(*jobs));
	if (!jobs)
		return -ENOMEM;
	for (uint32_t i = 0; i < a->job_count; i++) {
		if (vnpu_copy_from_user(&jobs[i], a->jobs + (uint64_t)i * a->job_struct_size,
					sizeof(*jobs))) {
			free(jobs);
			return -EFAULT;
		}
	}
	for (uint32_t i = 0; i < a->job_count; i++) {
		err = submit_job(f, &jobs[i]);
		/* §0.2: the per-job error is dropped (profile flag keeps it data). */
		if (err && !ret && !vnpu_get()->kernel->submit_swallows_job_errors)
			ret = err;
	}
	free(jobs);
	return ret;
}

static int ioctl_gem_close(struct vnpu_file *f, struct drm_gem_close *a)
{
	return vnpu_bo_close_handle(f, a->handle);
}

/* One entry of the driver's ioctl table: number, kernel struct size, handler. */
static int dispatch(struct vnpu_file *f, unsigned int nr, void *kdata)
{
	switch (nr) {
	case 0x00:	/* DRM_IOCTL_VERSION */
		return ioctl_version(kdata);
	case 0x09:	/* DRM_IOCTL_GEM_CLOSE */
		return ioctl_gem_close(f, kdata);
	case DRM_COMMAND_BASE + DRM_ROCKET_CREATE_BO:
		return ioctl_create_bo(f, kdata);
	case DRM_COMMAND_BASE + DRM_ROCKET_SUBMIT:
		return ioctl_submit(f, kdata);
	case DRM_COMMAND_BASE + DRM_ROCKET_PREP_BO:
		return ioctl_prep_bo(f, kdata);
	case DRM_COMMAND_BASE + DRM_ROCKET_FINI_BO:
		return ioctl_fini_bo(f, kdata);
	}
	return -EINVAL;
}

static size_t kernel_size(unsigned int nr)
{
	switch (nr) {
	case 0x00: return sizeof(struct drm_version);
	case 0x09: return sizeof(struct drm_gem_close);
	case DRM_COMMAND_BASE + DRM_ROCKET_CREATE_BO: return sizeof(struct drm_rocket_create_bo);
	case DRM_COMMAND_BASE + DRM_ROCKET_SUBMIT: return sizeof(struct drm_rocket_submit);
	case DRM_COMMAND_BASE + DRM_ROCKET_PREP_BO: return sizeof(struct drm_rocket_prep_bo);
	case DRM_COMMAND_BASE + DRM_ROCKET_FINI_BO: return sizeof(struct drm_rocket_fini_bo);
	}
	return 0;
}

/*
 * drm_ioctl(): type 'd' only (-ENOTTY otherwise), unknown numbers -EINVAL,
 * the user's struct size may differ from the kernel's: copy in the
 * smaller, zero-extend, copy out the smaller (IOC_IN/IOC_OUT as encoded).
 */
int vnpu_drm_ioctl(int fd, unsigned long request, void *arg)
{
	struct vnpu_file *f = file_of(fd);
	unsigned int nr = _IOC_NR(request), dir = _IOC_DIR(request);
	size_t usize = _IOC_SIZE(request), ksize, csize;
	unsigned char kdata[128] = { 0 };
	int ret;

	if (!f) {
		errno = EBADF;
		return -1;
	}
	if (!vnpu_get()->bound) {
		errno = ENODEV;
		return -1;
	}
	if (_IOC_TYPE(request) != DRM_IOCTL_BASE) {
		errno = ENOTTY;
		return -1;
	}
	ksize = kernel_size(nr);
	if (!ksize) {
		errno = EINVAL;
		return -1;
	}
	csize = usize < ksize ? usize : ksize;
	if ((dir & _IOC_WRITE) && vnpu_copy_from_user(kdata, (uintptr_t)arg, csize)) {
		errno = EFAULT;
		return -1;
	}
	ret = dispatch(f, nr, kdata);
	if (ret >= 0 && (dir & _IOC_READ) &&
	    vnpu_copy_to_user((uintptr_t)arg, kdata, csize))
		ret = -EFAULT;
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

/*
 * drm_gem_mmap(): the offset must be the start of a BO node
 * (drm_vma_offset_exact_lookup), the file must own it (-EACCES) and the
 * mapping must fit the object (-EINVAL).
 */
void *vnpu_drm_mmap(void *addr, size_t length, int prot, int flags, int fd,
		    off_t offset)
{
	struct vnpu_file *f = file_of(fd), *owner = NULL;
	struct vnpu_bo *bo;

	if (!f) {
		errno = EBADF;
		return MAP_FAILED;
	}
	bo = vnpu_bo_by_offset((uint64_t)offset, &owner);
	if (!bo || !length) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if (owner != f) {
		errno = EACCES;
		return MAP_FAILED;
	}
	if (length > bo->size) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	return mmap(addr, length, prot, flags, bo->memfd, 0);
}
