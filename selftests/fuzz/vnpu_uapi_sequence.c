// SPDX-License-Identifier: MIT
/*
 * vnpu_uapi_sequence — random sequences of rocket uAPI calls against vnpu,
 * closes while jobs are busy included.
 *
 * Each iteration is one call on one of FUZZ_FILES file slots: open,
 * close, CREATE_BO, GEM_CLOSE, PREP_BO, FINI_BO, SUBMIT (1-3 jobs of 1-3
 * tasks; handles valid, unknown, closed or listed twice; tasks that
 * complete, hang until the 500 ms timeout, or point nowhere; bad pointers
 * and sizes), mmap and a store through it, an ioctl on a closed fd.
 * Rules:
 *   - never crash (the sanitizer build turns any memory error into one);
 *   - every call answers as the kernel may: success, or one of the errno
 *     values drivers/accel/rocket/ and the DRM core return for that
 *     call, nothing else;
 *   - nothing outlives its file: every FUZZ_EPISODE calls all files are
 *     closed and, once the last job is over, vnpu holds no BO, no domain
 *     and no file (vnpu_introspect_*()).
 */
#include <errno.h>
#include <sys/mman.h>

#include "fuzz_common.h"
#include "platform/platform.h"
#include "rocket_accel.h"
#include "vnpu/vnpu_introspect.h"

#define FUZZ_NAME	"vnpu_uapi_sequence"
#define FUZZ_FILES	4
#define FUZZ_BOS	8	/* handles remembered per file */
#define FUZZ_EPISODE	300	/* calls between leak checks */
/* Jobs end by the 500 ms timeout at worst, one after another per core. */
#define FUZZ_DRAIN_S	60
#define JOB_TIMEOUT_MS	500	/* drivers/accel/rocket/rocket_job.c */

/* Regcmd entry (Mesa rkt_regcmd.c emit_raw()): target, value, register. */
#define RC(target, reg, value) \
	(((uint64_t)(target) << 48) | ((uint64_t)(uint32_t)(value) << 16) | (uint16_t)(reg))
#define OP_EN_DPU_ONLY	0x18	/* DPU | DPU_RDMA: completes with DPU_0 */
#define OP_EN_PPU_ONLY	0x60	/* no DPU interrupt: ends by the timeout */
#define TASK_ENTRIES	8

struct file_slot {
	int fd;				/* -1: closed */
	int stale_fd;			/* a closed fd number, for EBADF */
	uint32_t handles[FUZZ_BOS];
	uint64_t offsets[FUZZ_BOS];
	uint32_t sizes[FUZZ_BOS];
	uint64_t iovas[FUZZ_BOS];
};

static struct file_slot files[FUZZ_FILES];
static struct fuzz fz;

/* The DPU-only task of the unit tests: S_POINTER, DPU writes, Mesa tail. */
static unsigned int task_words(uint64_t *cmd, uint32_t op_en)
{
	unsigned int i = 0;

	cmd[i++] = RC(0x0201, 0x1004, 0xe);
	for (; i < TASK_ENTRIES - 4; i++)
		cmd[i] = RC(0x1001, 0x4010 + 4 * i, 0x100 + i);
	cmd[i++] = 0;
	cmd[i++] = RC(0x0101, 0x0014, 0);
	cmd[i++] = 0x0041000000000000ull;
	cmd[i++] = RC(0x0081, 0x0008, op_en);
	return i;
}

static int call(int fd, unsigned long req, void *arg)
{
	int ret = plat_ioctl(fd, req, arg);

	return ret < 0 ? -errno : ret;
}

/* Is ret one of the allowed results (0-terminated list of -errno)? */
static void expect(const char *what, int ret, bool positive_ok, const int *allowed)
{
	if (ret == 0 || (positive_ok && ret > 0))
		return;
	for (; *allowed; allowed++)
		if (ret == *allowed)
			return;
	fuzz_defect(&fz, "%s returned %d (%s)", what, ret, ret < 0 ? strerror(-ret) : "?");
}

static uint32_t pick_handle(struct file_slot *s)
{
	switch (fuzz_below(&fz, 8)) {
	case 0:
		return 0;
	case 1:
		return fuzz_below(&fz, 64);	/* unknown or someone's */
	default:
		return s->handles[fuzz_below(&fz, FUZZ_BOS)];
	}
}

static void op_open(struct file_slot *s)
{
	if (s->fd >= 0)
		return;
	memset(s, 0, sizeof(*s));
	s->stale_fd = -1;
	s->fd = plat_open("/dev/accel/accel0", 2 /* O_RDWR */);
	if (s->fd < 0)
		fuzz_defect(&fz, "open failed: %s", strerror(errno));
}

static void op_close(struct file_slot *s)
{
	if (s->fd < 0)
		return;
	if (plat_close(s->fd))
		fuzz_defect(&fz, "close failed: %s", strerror(errno));
	s->stale_fd = s->fd;
	s->fd = -1;
}

static void op_create(struct file_slot *s)
{
	static const uint32_t sizes[] = { 0, 1, 4095, 4096, 4097, 65536, 0x40000001u, 0xffffffffu };
	static const int allowed[] = { -EINVAL, -ENOMEM, -ENOSPC, 0 };
	struct drm_rocket_create_bo bo = { 0 };
	unsigned int slot = fuzz_below(&fz, FUZZ_BOS);
	int ret;

	bo.size = fuzz_below(&fz, 2) ? sizes[fuzz_below(&fz, sizeof(sizes) / sizeof(sizes[0]))] :
				       1 + fuzz_below(&fz, 1u << 20);
	ret = call(s->fd, DRM_IOCTL_ROCKET_CREATE_BO, &bo);
	expect("CREATE_BO", ret, false, allowed);
	if (!ret) {
		s->handles[slot] = bo.handle;
		s->offsets[slot] = bo.offset;
		s->sizes[slot] = bo.size;
		s->iovas[slot] = bo.dma_address;
	}
}

static void op_gem_close(struct file_slot *s)
{
	static const int allowed[] = { -EINVAL, 0 };
	struct drm_gem_close gc = { .handle = pick_handle(s) };

	expect("GEM_CLOSE", call(s->fd, DRM_IOCTL_GEM_CLOSE, &gc), false, allowed);
}

static void op_prep(struct file_slot *s)
{
	static const int allowed[] = { -EBUSY, -ETIMEDOUT, -ENOENT, -EINVAL, 0 };
	struct drm_rocket_prep_bo p = { .handle = pick_handle(s) };
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	switch (fuzz_below(&fz, 4)) {
	case 0:
		p.timeout_ns = 0;
		break;
	case 1:
		p.timeout_ns = -1;
		break;
	default:	/* absolute, up to 20 ms ahead */
		p.timeout_ns = (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec +
			       fuzz_below(&fz, 20000000);
	}
	if (!fuzz_below(&fz, 16))
		p.reserved = 1;
	expect("PREP_BO", call(s->fd, DRM_IOCTL_ROCKET_PREP_BO, &p), true, allowed);
}

static void op_fini(struct file_slot *s)
{
	static const int allowed[] = { -ENOENT, -EINVAL, 0 };
	struct drm_rocket_fini_bo p = { .handle = pick_handle(s) };

	if (!fuzz_below(&fz, 16))
		p.reserved = 1;
	expect("FINI_BO", call(s->fd, DRM_IOCTL_ROCKET_FINI_BO, &p), false, allowed);
}

/* Write a task into a random BO of the file; its IOVA, or a wild one. */
static uint64_t task_address(struct file_slot *s, uint32_t *count)
{
	unsigned int slot = fuzz_below(&fz, FUZZ_BOS);
	uint64_t cmd[TASK_ENTRIES];
	uint32_t op_en;
	void *p;

	*count = TASK_ENTRIES;
	if (!s->handles[slot] || s->sizes[slot] < sizeof(cmd) || !fuzz_below(&fz, 8))
		return fuzz_below(&fz, 2) ? (uint64_t)fuzz_u64(&fz) : 0x10000000u;
	/* one task in ten never interrupts: the job waits for its timeout */
	op_en = fuzz_below(&fz, 10) ? OP_EN_DPU_ONLY : OP_EN_PPU_ONLY;
	*count = task_words(cmd, op_en);
	p = plat_mmap(NULL, s->sizes[slot], PROT_READ | PROT_WRITE, MAP_SHARED, s->fd,
		      (off_t)s->offsets[slot]);
	if (p == MAP_FAILED)
		return s->iovas[slot];	/* handle closed meanwhile */
	memcpy(p, cmd, sizeof(cmd));
	plat_munmap(p, s->sizes[slot]);
	return s->iovas[slot];
}

static void op_submit(struct file_slot *s)
{
	static const int allowed[] = { -EINVAL, -EFAULT, 0 };
	struct drm_rocket_task tasks[3][3];
	struct drm_rocket_job jobs[3];
	uint32_t in[3][3], out[3][3];
	struct drm_rocket_submit sub = { 0 };
	unsigned int njobs = 1 + fuzz_below(&fz, 3);

	memset(jobs, 0, sizeof(jobs));
	for (unsigned int j = 0; j < njobs; j++) {
		unsigned int ntasks = 1 + fuzz_below(&fz, 3);
		unsigned int nin = fuzz_below(&fz, 4), nout = fuzz_below(&fz, 4);

		for (unsigned int t = 0; t < ntasks; t++)
			tasks[j][t].regcmd = task_address(s, &tasks[j][t].regcmd_count);
		for (unsigned int i = 0; i < 3; i++) {
			in[j][i] = pick_handle(s);
			out[j][i] = pick_handle(s);
		}
		jobs[j].tasks = (uintptr_t)tasks[j];
		jobs[j].task_count = fuzz_below(&fz, 16) ? ntasks : 0;
		jobs[j].task_struct_size = fuzz_below(&fz, 16) ? sizeof(tasks[0][0]) : 4;
		jobs[j].in_bo_handles = fuzz_below(&fz, 16) ? (uintptr_t)in[j] : 16;
		jobs[j].in_bo_handle_count = nin;
		jobs[j].out_bo_handles = (uintptr_t)out[j];
		jobs[j].out_bo_handle_count = nout;
	}
	sub.jobs = fuzz_below(&fz, 16) ? (uintptr_t)jobs : 16;
	sub.job_count = njobs;
	sub.job_struct_size = fuzz_below(&fz, 16) ? sizeof(jobs[0]) : 8;
	if (!fuzz_below(&fz, 16))
		sub.reserved = 1;
	expect("SUBMIT", call(s->fd, DRM_IOCTL_ROCKET_SUBMIT, &sub), false, allowed);
}

static void op_mmap(struct file_slot *s)
{
	unsigned int slot = fuzz_below(&fz, FUZZ_BOS);
	size_t len = s->sizes[slot] ? s->sizes[slot] : 4096;
	off_t off = fuzz_below(&fz, 8) ? (off_t)s->offsets[slot] : (off_t)fuzz_below(&fz, 1u << 20);
	uint8_t *p;

	if (!fuzz_below(&fz, 8))
		len += 4096 * (1 + fuzz_below(&fz, 4));	/* past the BO's end */
	p = plat_mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, off);
	if (p == MAP_FAILED) {
		if (errno != EINVAL && errno != EACCES)
			fuzz_defect(&fz, "mmap failed with %s", strerror(errno));
		return;
	}
	/* A store through the CPU view, as a test fills its input. */
	p[fuzz_below(&fz, (uint32_t)(len < s->sizes[slot] ? len : s->sizes[slot] ? s->sizes[slot] : 1))] ^= 0xff;
	plat_munmap(p, len);
}

static void op_stale(struct file_slot *s)
{
	struct drm_rocket_fini_bo p = { .handle = 1 };
	int ret;

	if (s->stale_fd < 0 || s->fd >= 0)
		return;
	/* The fd number may be the host's again by now; only a model fd counts. */
	ret = call(s->stale_fd, DRM_IOCTL_ROCKET_FINI_BO, &p);
	if (ret == 0)
		fuzz_defect(&fz, "FINI_BO on closed fd %d succeeded", s->stale_fd);
}

static void one_call(void)
{
	struct file_slot *s = &files[fuzz_below(&fz, FUZZ_FILES)];
	unsigned int op = fuzz_below(&fz, 20);

	if (s->fd < 0) {
		if (op < 16)
			op_open(s);
		else
			op_stale(s);
		return;
	}
	if (op < 1)
		op_close(s);
	else if (op < 6)
		op_create(s);
	else if (op < 8)
		op_gem_close(s);
	else if (op < 11)
		op_prep(s);
	else if (op < 12)
		op_fini(s);
	else if (op < 17)
		op_submit(s);
	else
		op_mmap(s);
}

/* Close every file, let the last job end, then nothing may be left. */
static void episode_end(void)
{
	double start = fuzz_now();

	for (unsigned int i = 0; i < FUZZ_FILES; i++)
		op_close(&files[i]);
	while (fuzz_now() - start < FUZZ_DRAIN_S &&
	       (vnpu_introspect_live_bos() || vnpu_introspect_live_domains())) {
		const struct timespec tick = { 0, 5000000 };

		nanosleep(&tick, NULL);
	}
	if (vnpu_introspect_live_bos() || vnpu_introspect_live_domains() ||
	    vnpu_introspect_open_files())
		fuzz_defect(&fz, "after closing every file: %u BOs, %u domains, %u files alive",
			    vnpu_introspect_live_bos(), vnpu_introspect_live_domains(),
			    vnpu_introspect_open_files());
}

int main(int argc, char **argv)
{
	unsigned int in_episode = 0;

	fuzz_init(&fz, FUZZ_NAME, argc, argv);
	plat_configure(fuzz_below(&fz, 2) ? "vnpu:rk3588" : "vnpu:rk3568");
	if (plat_init()) {
		fprintf(stderr, "%s: cannot boot vnpu\n", FUZZ_NAME);
		return FUZZ_EXIT_USAGE;
	}
	for (unsigned int i = 0; i < FUZZ_FILES; i++) {
		files[i].fd = -1;
		files[i].stale_fd = -1;
	}
	while (fuzz_more(&fz) && fz.defects <= 20) {
		one_call();
		fz.done++;
		if (++in_episode == FUZZ_EPISODE) {
			episode_end();
			in_episode = 0;
		}
	}
	episode_end();
	return fuzz_finish(&fz);
}
