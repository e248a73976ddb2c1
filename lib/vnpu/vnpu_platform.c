// SPDX-License-Identifier: MIT
/*
 * vnpu_platform.c — the vnpu backend of the platform seam: struct
 * plat_ops plat_vnpu_ops, routing each plat_*() call to the model.
 *
 * Routing rule: the accel node, /dev/kmsg, /sys, /proc/device-tree and
 * /proc/sys/kernel/tainted belong to the model (ENOENT for what it does not
 * model, so a test on vnpu never reads the host's real sysfs).  Any other
 * path falls back to the real file system, read-only (e.g. /proc/self/...,
 * data files).  Fds the model did not hand out pass through to the real
 * syscalls.  Every entry takes the model lock and first lets runtime PM
 * catch up with the clock (vnpu_pm.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "platform/plat_backend.h"
#include "vnpu/vnpu.h"

#define VNPU_ACCEL_NODE_FMT	"/dev/accel/accel%u"
#define VNPU_SNAPSHOT_MAX	65536

/*
 * The model stands in for the kernel, and a syscall is never left half
 * done by a signal handler: the harness watchdog and fatal-signal exit
 * handlers (which restore sysfs settings through this very seam) would
 * otherwise siglongjmp out with the model locked, and every later call —
 * the restore included — would wait forever.  Asynchronous signals are
 * held while the caller is inside the model and delivered when it leaves;
 * synchronous faults stay deliverable.  A bounded wait (PREP_BO with a
 * timeout) delays the watchdog by at most that wait.
 */
static sigset_t vlock_saved_mask;	/* written only by the lock holder */

static void vlock(void)
{
	struct vnpu *v = vnpu_get();
	sigset_t async, saved;

	sigfillset(&async);
	sigdelset(&async, SIGSEGV);
	sigdelset(&async, SIGBUS);
	sigdelset(&async, SIGFPE);
	sigdelset(&async, SIGILL);
	pthread_sigmask(SIG_BLOCK, &async, &saved);
	pthread_mutex_lock(&v->lock);
	vlock_saved_mask = saved;
	vnpu_pm_update(vnpu_now_ns());
}

/*
 * A signal that stops the test (the harness's watchdog and fatal ones)
 * is held by vlock() while the caller is inside the model.  The model's
 * long waits — the simulated system sleep, PREP_BO's fence wait — poll
 * this and end early, as the kernel's interruptible waits do, so the
 * signal is delivered at vunlock() within a poll slice instead of after
 * the wait: a runner stopping a subtest must not wait for an RTC alarm.
 */
bool vnpu_stop_signal_pending(void)
{
	static const int stop[] = { SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGALRM };
	sigset_t pending;

	if (sigpending(&pending))
		return false;
	for (size_t i = 0; i < sizeof(stop) / sizeof(stop[0]); i++)
		if (sigismember(&pending, stop[i]) == 1)
			return true;
	return false;
}

static void vunlock(void)
{
	sigset_t saved = vlock_saved_mask;

	pthread_mutex_unlock(&vnpu_get()->lock);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
}

static int set_errno(int neg)
{
	errno = -neg;
	return -1;
}

static int vnpu_plat_init(const struct plat_selection *sel, char *err,
			  size_t errlen)
{
	return vnpu_boot(sel->soc, sel->kernel_profile, sel->faults,
			 sel->kmsg_file, err, errlen);
}

static const char *vnpu_plat_describe(void)
{
	return vnpu_get()->describe;
}

/* A read-only open of a virtual file: a memfd holding a snapshot of it. */
static int open_snapshot(const char *path)
{
	static char buf[VNPU_SNAPSHOT_MAX];
	int n = vnpu_vfs_read(path, buf, sizeof(buf));
	int fd;

	if (n < 0)
		return set_errno(n);
	fd = memfd_create("vnpu-sysfs", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, buf, n) != n || lseek(fd, 0, SEEK_SET)) {
		close(fd);
		return set_errno(-EIO);
	}
	return fd;
}

/* Is path the accel node of the DRM device as it is now (its minor moves)? */
static bool is_current_accel_node(const char *path)
{
	struct vnpu *v = vnpu_get();
	char node[32];

	snprintf(node, sizeof(node), VNPU_ACCEL_NODE_FMT, v->drm_minor);
	return v->bound && !strcmp(path, node);
}

static int vnpu_plat_open(const char *path, int flags, mode_t mode)
{
	int ret;

	vlock();
	if (is_current_accel_node(path))
		ret = vnpu_drm_open();
	else if (!strncmp(path, PLAT_ACCEL_DIR "/", strlen(PLAT_ACCEL_DIR "/")))
		ret = set_errno(-ENOENT);	/* an old or never-made minor */
	else if (!strcmp(path, PLAT_KMSG_PATH))
		ret = vnpu_kmsg_open_fd();
	else if (vnpu_vfs_owns(path))
		ret = (flags & O_ACCMODE) == O_RDONLY ? open_snapshot(path) :
							set_errno(-EACCES);
	else if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))
		ret = set_errno(-EACCES);
	else
		ret = open(path, flags, mode);
	vunlock();
	return ret;
}

static int vnpu_plat_close(int fd)
{
	int ret;

	vlock();
	if (vnpu_drm_is_fd(fd))
		ret = vnpu_drm_close(fd);
	else if (vnpu_kmsg_is_fd(fd))
		ret = vnpu_kmsg_close(fd);
	else
		ret = close(fd);
	vunlock();
	return ret;
}

static int vnpu_plat_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	vlock();
	if (vnpu_drm_is_fd(fd))
		ret = vnpu_drm_ioctl(fd, request, arg);
	else if (vnpu_kmsg_is_fd(fd))
		ret = set_errno(-ENOTTY);
	else
		ret = ioctl(fd, request, arg);
	vunlock();
	return ret;
}

static void *vnpu_plat_mmap(void *addr, size_t length, int prot, int flags,
			    int fd, off_t offset)
{
	void *p;

	vlock();
	if (vnpu_drm_is_fd(fd))
		p = vnpu_drm_mmap(addr, length, prot, flags, fd, offset);
	else
		p = mmap(addr, length, prot, flags, fd, offset);
	vunlock();
	return p;
}

static int vnpu_plat_munmap(void *addr, size_t length)
{
	return munmap(addr, length);
}

static ssize_t vnpu_plat_read(int fd, void *buf, size_t count)
{
	ssize_t ret;

	vlock();
	if (vnpu_kmsg_is_fd(fd))
		ret = vnpu_kmsg_read(fd, buf, count);
	else if (vnpu_drm_is_fd(fd))
		ret = set_errno(-EAGAIN);	/* no DRM events in rocket */
	else
		ret = read(fd, buf, count);
	vunlock();
	return ret;
}

static ssize_t vnpu_plat_write(int fd, const void *buf, size_t count)
{
	char text[1024];
	ssize_t ret;

	vlock();
	if (vnpu_kmsg_is_fd(fd)) {
		size_t n = count < sizeof(text) - 1 ? count : sizeof(text) - 1;

		memcpy(text, buf, n);
		text[n] = '\0';
		vnpu_kmsg_user_write(text);
		ret = (ssize_t)count;
	} else if (vnpu_drm_is_fd(fd)) {
		ret = set_errno(-EINVAL);
	} else {
		ret = write(fd, buf, count);
	}
	vunlock();
	return ret;
}

static ssize_t vnpu_plat_read_file(const char *path, char *buf, size_t size)
{
	ssize_t ret;

	if (!vnpu_vfs_owns(path))
		return plat_kernel_read_file(path, buf, size);
	if (!size)
		return -EINVAL;
	vlock();
	ret = vnpu_vfs_read(path, buf, size);
	if (ret >= 0)
		buf[ret < (ssize_t)size ? ret : (ssize_t)size - 1] = '\0';
	vunlock();
	return ret;
}

static int vnpu_plat_write_file(const char *path, const char *text)
{
	int ret;

	if (!vnpu_vfs_owns(path))
		return -EACCES;
	vlock();
	ret = vnpu_vfs_write(path, text);
	vunlock();
	return ret;
}

static int vnpu_plat_stat_exists(const char *path)
{
	int ret;

	if (!vnpu_vfs_owns(path))
		return access(path, F_OK) ? -errno : 0;
	vlock();
	ret = vnpu_vfs_exists(path);
	vunlock();
	return ret;
}

static int vnpu_plat_list_dir(const char *dir,
			      int (*fn)(const char *name, void *data), void *data)
{
	char **names;
	int n, visited = 0;
	bool stop = false;

	if (!vnpu_vfs_owns(dir))
		return plat_kernel_list_dir(dir, fn, data);
	/* fn may call back into the seam: list under the lock, call outside. */
	vlock();
	n = vnpu_vfs_names(dir, &names);
	vunlock();
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		if (!stop) {
			visited++;
			stop = fn(names[i], data) != 0;
		}
		free(names[i]);
	}
	free(names);
	return visited;
}

static ssize_t vnpu_plat_readlink(const char *path, char *buf, size_t size)
{
	ssize_t ret;

	if (!vnpu_vfs_owns(path)) {
		ret = readlink(path, buf, size ? size - 1 : 0);
		if (ret < 0)
			return -errno;
		buf[ret] = '\0';
		return ret;
	}
	vlock();
	ret = vnpu_vfs_readlink(path, buf, size);
	vunlock();
	return ret;
}

static int vnpu_plat_kmsg_write(const char *record)
{
	int ret;

	vlock();
	ret = vnpu_kmsg_user_write(record);
	vunlock();
	return ret;
}

static int vnpu_plat_kmsg_open(void)
{
	int ret;

	vlock();
	ret = vnpu_kmsg_open_fd();
	vunlock();
	return ret;
}

static int vnpu_plat_reg_read32(uint64_t phys, uint32_t *value)
{
	int ret;

	vlock();
	ret = vnpu_regs_phys_read(phys, value);
	vunlock();
	return ret;
}

static int vnpu_plat_reg_write32(uint64_t phys, uint32_t value)
{
	int ret;

	vlock();
	ret = vnpu_regs_phys_write(phys, value);
	vunlock();
	return ret;
}

/* vnpu models one module, rocket (vnpu.h: module_loaded). */
#define VNPU_MODULE_NAME	"rocket"

static int vnpu_plat_module_unload(const char *name)
{
	int ret;

	if (strcmp(name, VNPU_MODULE_NAME))
		return -ENOENT;
	vlock();
	ret = vnpu_module_unload();
	if (!ret)
		vnpu_state_save();
	vunlock();
	return ret;
}

static int vnpu_plat_module_load(const char *name)
{
	int ret;

	if (strcmp(name, VNPU_MODULE_NAME))
		return -ENOENT;
	vlock();
	ret = vnpu_module_load();
	if (!ret)
		vnpu_state_save();
	vunlock();
	return ret;
}

const struct plat_ops plat_vnpu_ops = {
	.name = "vnpu",
	.init = vnpu_plat_init,
	.describe = vnpu_plat_describe,
	.open = vnpu_plat_open,
	.close = vnpu_plat_close,
	.ioctl = vnpu_plat_ioctl,
	.mmap = vnpu_plat_mmap,
	.munmap = vnpu_plat_munmap,
	.read = vnpu_plat_read,
	.write = vnpu_plat_write,
	.read_file = vnpu_plat_read_file,
	.write_file = vnpu_plat_write_file,
	.stat_exists = vnpu_plat_stat_exists,
	.list_dir = vnpu_plat_list_dir,
	.readlink = vnpu_plat_readlink,
	.kmsg_write = vnpu_plat_kmsg_write,
	.kmsg_open = vnpu_plat_kmsg_open,
	.reg_read32 = vnpu_plat_reg_read32,
	.reg_write32 = vnpu_plat_reg_write32,
	.module_unload = vnpu_plat_module_unload,
	.module_load = vnpu_plat_module_load,
};
