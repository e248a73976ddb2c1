// SPDX-License-Identifier: MIT
/*
 * vnpu_uapi.c — the rocket uAPI as vnpu implements it: DRM_IOCTL_VERSION's
 * two-pass protocol, GEM_CLOSE, CREATE_BO sizes and IOVAs, mmap checks,
 * PREP_BO/FINI_BO validation and every SUBMIT validation case of
 * kernel-rocket.md §1.3 with its errno (including the per-job errors
 * SUBMIT swallows).
 */
#include <fcntl.h>

#include "vnpu/vnpu_introspect.h"
#include "vnpu_unit.h"

static void sc_version(void)
{
	struct drm_version v = { 0 };
	char name[16] = { 0 }, desc[32] = { 0 }, date[8] = { 0 };
	int fd = vopen();

	CHECK(fd > 2, "open /dev/accel/accel0 gives a real fd (%d)", fd);
	/* Pass 1: lengths only. */
	EQ(0, vioctl(fd, DRM_IOCTL_VERSION, &v), "VERSION pass 1");
	EQ(6, v.name_len, "name_len");
	EQ(10, v.desc_len, "desc_len");
	EQ(1, v.date_len, "date_len");
	/* Pass 2: strings. */
	v.name = name; v.desc = desc; v.date = date;
	EQ(0, vioctl(fd, DRM_IOCTL_VERSION, &v), "VERSION pass 2");
	CHECK(!strcmp(name, "rocket") && !strcmp(desc, "rocket DRM") && !strcmp(date, "0"),
	      "strings \"%s\" \"%s\" \"%s\"", name, desc, date);
	EQ(0, v.version_major + v.version_minor + v.version_patchlevel, "version 0.0.0");
	/* A short buffer gets a truncated copy and the full length. */
	memset(name, 0, sizeof(name));
	v.name_len = 3;
	EQ(0, vioctl(fd, DRM_IOCTL_VERSION, &v), "VERSION short buffer");
	CHECK(!strcmp(name, "roc") && v.name_len == 6, "truncated \"%s\", len %zu",
	      name, (size_t)v.name_len);
	v.name = (char *)8; v.name_len = 6;
	EQ(-EFAULT, vioctl(fd, DRM_IOCTL_VERSION, &v), "VERSION to a bad pointer is EFAULT");
	EQ(-ENOTTY, vioctl(fd, _IO('x', 1), NULL), "foreign ioctl type is ENOTTY");
	EQ(-EINVAL, vioctl(fd, DRM_IOWR(DRM_COMMAND_BASE + 0x10, struct drm_rocket_submit), NULL),
	   "unknown driver ioctl is EINVAL");
	EQ(0, plat_close(fd), "close");
	EQ(0, vnpu_introspect_open_files(), "no DRM file left");
}

static void sc_create_bo(void)
{
	struct drm_rocket_create_bo a, b, c;
	struct drm_gem_close gc = { 0 };
	int fd = vopen(), fd2 = vopen();

	EQ(-EINVAL, bo_create(fd, 0, &a), "CREATE_BO size 0 is EINVAL");
	EQ(-ENOMEM, bo_create(fd, 0xfffff000u, &a), "CREATE_BO above the model limit is ENOMEM");
	EQ(0, bo_create(fd, 1, &a), "CREATE_BO 1 byte");
	EQ(0, a.dma_address, "first BO of a fresh fd is at IOVA 0");
	CHECK(a.handle != 0, "handle %u non-zero", a.handle);
	EQ(0, bo_create(fd, 5000, &b), "CREATE_BO 5000 bytes");
	EQ(4096, b.dma_address, "IOVAs are page-aligned and packed from 0");
	CHECK(b.offset % 4096 == 0 && b.offset != a.offset, "fake offsets distinct and page-aligned");
	EQ(0, bo_create(fd2, 4096, &c), "CREATE_BO on a second fd");
	EQ(0, c.dma_address, "IOVA spaces are per fd");
	EQ(3, vnpu_introspect_live_bos(), "three live BOs");
	/* GEM_CLOSE frees, the IOVA is reused. */
	gc.handle = a.handle;
	EQ(0, vioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc), "GEM_CLOSE");
	EQ(-EINVAL, vioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc), "GEM_CLOSE twice is EINVAL");
	EQ(0, bo_create(fd, 4096, &a), "CREATE_BO after close");
	EQ(0, a.dma_address, "freed IOVA 0 reused");
	/* A 64 MiB BO stays below 4 GiB. */
	EQ(0, bo_create(fd, 64u << 20, &c), "CREATE_BO 64 MiB");
	CHECK(c.dma_address + (64u << 20) <= 0x100000000ull,
	      "IOVA 0x%llx inside [0, 4 GiB)", (unsigned long long)c.dma_address);
	plat_close(fd2);
	plat_close(fd);
	EQ(0, vnpu_introspect_live_bos(), "closing the fds frees every BO");
	EQ(0, vnpu_introspect_live_domains(), "and every domain");
}

static void sc_mmap(void)
{
	struct drm_rocket_create_bo a, b;
	int fd = vopen(), fd2 = vopen();
	unsigned char *p, *q;

	bo_create(fd, 8192, &a);
	bo_create(fd2, 4096, &b);
	p = bo_map(fd, &a, 8192);
	CHECK(p != MAP_FAILED, "mmap of the BO's offset");
	if (p == MAP_FAILED)
		return;
	p[0] = 0xab;
	p[8191] = 0xcd;
	q = bo_map(fd, &a, 4096);
	CHECK(q != MAP_FAILED && q[0] == 0xab, "a second mapping sees the same pages");
	plat_munmap(q, 4096);
	EQ(MAP_FAILED, plat_mmap(NULL, 12288, PROT_READ, MAP_SHARED, fd, (off_t)a.offset),
	   "mapping beyond the BO fails");
	EQ(EINVAL, errno, "with EINVAL");
	EQ(MAP_FAILED, plat_mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)a.offset + 4096),
	   "an offset inside a BO is not a BO start");
	EQ(EINVAL, errno, "with EINVAL");
	EQ(MAP_FAILED, plat_mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)b.offset),
	   "another file's BO cannot be mapped");
	EQ(EACCES, errno, "with EACCES");
	plat_munmap(p, 8192);
	plat_close(fd);
	plat_close(fd2);
}

static void sc_prep_fini(void)
{
	struct drm_rocket_create_bo a;
	struct drm_rocket_prep_bo p = { 0 };
	struct drm_rocket_fini_bo f = { 0 };
	int fd = vopen();

	bo_create(fd, 4096, &a);
	p.handle = a.handle;
	p.reserved = 1;
	EQ(-EINVAL, vioctl(fd, DRM_IOCTL_ROCKET_PREP_BO, &p), "PREP_BO reserved != 0 is EINVAL");
	p.reserved = 0;
	p.handle = 999;
	EQ(-ENOENT, vioctl(fd, DRM_IOCTL_ROCKET_PREP_BO, &p), "PREP_BO unknown handle is ENOENT");
	CHECK(prep_bo(fd, a.handle, 0) >= 0, "PREP_BO on an idle BO with timeout 0 succeeds");
	CHECK(prep_bo(fd, a.handle, mono_ns() + 1000000) >= 0, "and with a future deadline");
	f.handle = a.handle;
	f.reserved = 1;
	EQ(-EINVAL, vioctl(fd, DRM_IOCTL_ROCKET_FINI_BO, &f), "FINI_BO reserved != 0 is EINVAL");
	f.reserved = 0;
	f.handle = 999;
	EQ(-ENOENT, vioctl(fd, DRM_IOCTL_ROCKET_FINI_BO, &f), "FINI_BO unknown handle is ENOENT");
	f.handle = a.handle;
	EQ(0, vioctl(fd, DRM_IOCTL_ROCKET_FINI_BO, &f), "FINI_BO");
	plat_close(fd);
}

/* A job whose every field is valid, pointing at a real regcmd BO. */
struct good_job {
	struct drm_rocket_task task;
	struct drm_rocket_job job;
	struct drm_rocket_submit submit;
	uint32_t in, out;
};

static void good_job_init(struct good_job *g, int fd)
{
	struct drm_rocket_create_bo cmd, out;
	uint64_t *p;

	bo_create(fd, 4096, &cmd);
	bo_create(fd, 4096, &out);
	p = bo_map(fd, &cmd, 4096);
	g->task.regcmd = (uint32_t)cmd.dma_address;
	g->task.regcmd_count = build_task(p, 8, 0x18);
	plat_munmap(p, 4096);
	g->in = cmd.handle;
	g->out = out.handle;
	g->job = (struct drm_rocket_job){
		.tasks = (uintptr_t)&g->task, .task_count = 1,
		.task_struct_size = sizeof(g->task),
		.in_bo_handles = (uintptr_t)&g->in, .in_bo_handle_count = 1,
		.out_bo_handles = (uintptr_t)&g->out, .out_bo_handle_count = 1,
	};
	g->submit = (struct drm_rocket_submit){
		.jobs = (uintptr_t)&g->job, .job_count = 1,
		.job_struct_size = sizeof(g->job),
	};
}

static int submit_err(int fd, struct good_job *g)
{
	return vioctl(fd, DRM_IOCTL_ROCKET_SUBMIT, &g->submit);
}

static void sc_submit(void)
{
	struct vnpu_introspect_core before, after;
	struct good_job g;
	uint32_t saved_in;
	int fd = vopen();

	good_job_init(&g, fd);
	vnpu_introspect_core(0, &before);
	/* SUBMIT-level checks are reported (§1.3). */
	g.submit.job_count = 0;
	g.submit.reserved = 1;
	EQ(0, submit_err(fd, &g), "job_count 0 returns 0 before any other check");
	g.submit.job_count = 1;
	g.submit.reserved = 0;
	g.submit.job_struct_size = 39;
	EQ(-EINVAL, submit_err(fd, &g), "bad-job-struct-size: EINVAL");
	g.submit.job_struct_size = sizeof(g.job);
	g.submit.reserved = 1;
	EQ(-EINVAL, submit_err(fd, &g), "bad-reserved: EINVAL");
	g.submit.reserved = 0;
	g.submit.jobs = 16;
	EQ(-EFAULT, submit_err(fd, &g), "bad-jobs-pointer: EFAULT");
	g.submit.jobs = (uintptr_t)&g.job;
	/* Per-job errors are swallowed: SUBMIT returns 0, the job never runs. */
	g.job.task_count = 0;
	EQ(0, submit_err(fd, &g), "bad-task-count swallowed");
	g.job.task_count = 1;
	g.job.task_struct_size = 7;
	EQ(0, submit_err(fd, &g), "bad-task-struct-size swallowed");
	g.job.task_struct_size = sizeof(g.task);
	g.task.regcmd_count = 0;
	EQ(0, submit_err(fd, &g), "bad-regcmd-count swallowed");
	g.task.regcmd_count = 8;
	saved_in = g.in;
	g.in = 999;
	EQ(0, submit_err(fd, &g), "bad-in-handle swallowed");
	g.in = saved_in;
	g.job.out_bo_handles = 8;
	EQ(0, submit_err(fd, &g), "bad-out-handles-pointer swallowed");
	g.job.out_bo_handles = (uintptr_t)&g.out;
	g.job.tasks = 8;
	EQ(0, submit_err(fd, &g), "bad-tasks-pointer swallowed");
	g.job.tasks = (uintptr_t)&g.task;
	CHECK(prep_bo(fd, g.out, mono_ns() + 50000000) >= 0, "nothing was queued on the out BO");
	vnpu_introspect_core(0, &after);
	EQ(before.jobs_done, after.jobs_done, "no swallowed job ran");
	/* A larger job_struct_size is a stride. */
	EQ(0, submit_err(fd, &g), "valid submit");
	CHECK(prep_bo(fd, g.out, mono_ns() + 2000000000ll) >= 0, "valid job completes");
	vnpu_introspect_core(0, &after);
	EQ(before.jobs_done + 1, after.jobs_done, "exactly one job ran");
	plat_close(fd);
}

int main(void)
{
	vnpu_scenario("version", "vnpu", "", "", sc_version);
	vnpu_scenario("create-bo", "vnpu", "", "", sc_create_bo);
	vnpu_scenario("mmap", "vnpu", "", "", sc_mmap);
	vnpu_scenario("prep-fini", "vnpu", "", "", sc_prep_fini);
	vnpu_scenario("submit rk3568", "vnpu:rk3568", "", "", sc_submit);
	vnpu_scenario("submit rk3588", "vnpu:rk3588", "mainline", "", sc_submit);
	return unit_done();
}
