// SPDX-License-Identifier: MIT
/*
 * plat_kernel.c — the "kernel" backend of the seam: real syscalls, libdrm
 * where it has the call (drmIoctl(), drmGetVersion()), /dev/mem for
 * register reads.
 *
 * This file and lib/vnpu/ are the only places in rkval that may call
 * open(), ioctl(), mmap() and friends on behalf of a test.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xf86drm.h>

#include "platform/plat_backend.h"

/* DRM_IOCTL_VERSION name of the rocket driver (rocket_drv.c). */
#define ROCKET_DRIVER_NAME	"rocket"
#define ACCEL_NODE_PREFIX	"accel"
#define DEVMEM_PATH		"/dev/mem"

static char kernel_desc[300];
static char kernel_node[256];

ssize_t plat_kernel_read_file(const char *path, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd;

	if (!size)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((size_t)total < size - 1) {
		n = read(fd, buf + total, size - 1 - total);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		total += n;
	}
	buf[total] = '\0';
	close(fd);
	return total;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int plat_kernel_list_dir(const char *dir,
			 int (*fn)(const char *name, void *data), void *data)
{
	struct dirent *de;
	char **names = NULL;
	size_t count = 0, cap = 0, i;
	int visited = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (count == cap) {
			char **n;

			cap = cap ? cap * 2 : 16;
			n = realloc(names, cap * sizeof(*names));
			if (!n)
				break;
			names = n;
		}
		names[count] = strdup(de->d_name);
		if (names[count])
			count++;
	}
	closedir(d);
	/* qsort()'s array is declared nonnull even for 0 elements (glibc). */
	if (count)
		qsort(names, count, sizeof(*names), name_cmp);
	for (i = 0; i < count; i++) {
		if (visited >= 0) {
			visited++;
			if (fn(names[i], data))
				visited = -visited;
		}
		free(names[i]);
	}
	free(names);
	return visited < 0 ? -visited : visited;
}

struct find_rocket {
	char *path;
	size_t size;
	int found;
};

static int find_rocket_entry(const char *name, void *data)
{
	struct find_rocket *f = data;
	char path[300];
	drmVersionPtr v;
	int fd, match;

	if (strncmp(name, ACCEL_NODE_PREFIX, strlen(ACCEL_NODE_PREFIX)))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", PLAT_ACCEL_DIR, name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	v = drmGetVersion(fd);
	match = v && v->name && !strcmp(v->name, ROCKET_DRIVER_NAME);
	drmFreeVersion(v);
	close(fd);
	if (!match)
		return 0;
	snprintf(f->path, f->size, "%s", path);
	f->found = 1;
	return 1;
}

int plat_kernel_find_rocket(char *path, size_t size)
{
	struct find_rocket f = { .path = path, .size = size };

	plat_kernel_list_dir(PLAT_ACCEL_DIR, find_rocket_entry, &f);
	return f.found ? 0 : -ENODEV;
}

static int kernel_init(const struct plat_selection *sel, char *err,
		       size_t errlen)
{
	int fd;

	snprintf(kernel_node, sizeof(kernel_node), "%s", sel->device_path);
	fd = open(kernel_node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", kernel_node,
			 strerror(errno));
		return -errno;
	}
	close(fd);
	snprintf(kernel_desc, sizeof(kernel_desc), "kernel:%s", kernel_node);
	return 0;
}

static const char *kernel_describe(void)
{
	return kernel_desc;
}

static int kernel_open(const char *path, int flags, mode_t mode)
{
	return open(path, flags | O_CLOEXEC, mode);
}

/*
 * libdrm's drmIoctl() restarts the call on EINTR and EAGAIN (xf86drm.c),
 * which the harness needs: its watchdog and kmsg markers use SIGALRM.
 * Returns -1 with errno set on failure, as ioctl() does.
 */
static int kernel_ioctl(int fd, unsigned long request, void *arg)
{
	return drmIoctl(fd, request, arg);
}

static int kernel_write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

static int kernel_stat_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -errno : 0;
}

static ssize_t kernel_readlink(const char *path, char *buf, size_t size)
{
	ssize_t n;

	if (!size)
		return -EINVAL;
	n = readlink(path, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

static int kernel_kmsg_write(const char *record)
{
	int fd, ret = 0;

	fd = open(PLAT_KMSG_PATH, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, record, strlen(record)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int kernel_kmsg_open(void)
{
	int fd = open(PLAT_KMSG_PATH, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * One page of /dev/mem per access: register reads are rare diagnostics,
 * and keeping no mapping around means a wedged bus cannot be touched by
 * accident outside an explicit read.
 */
static int kernel_devmem_access(uint64_t phys, uint32_t *value, bool write)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t base = phys & ~(uint64_t)(page - 1);
	volatile uint32_t *reg;
	void *map;
	int fd;

	if (phys & 3)
		return -EINVAL;
	fd = open(DEVMEM_PATH, (write ? O_RDWR : O_RDONLY) | O_SYNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	map = mmap(NULL, page, write ? PROT_READ | PROT_WRITE : PROT_READ,
		   MAP_SHARED, fd, (off_t)base);
	if (map == MAP_FAILED) {
		int e = -errno;

		close(fd);
		return e;
	}
	reg = (volatile uint32_t *)((char *)map + (phys - base));
	if (write)
		*reg = *value;
	else
		*value = *reg;
	munmap(map, page);
	close(fd);
	return 0;
}

static int kernel_reg_read32(uint64_t phys_addr, uint32_t *value)
{
	return kernel_devmem_access(phys_addr, value, false);
}

static int kernel_reg_write32(uint64_t phys_addr, uint32_t value)
{
	return kernel_devmem_access(phys_addr, &value, true);
}

const struct plat_ops plat_kernel_ops = {
	.name = "kernel",
	.init = kernel_init,
	.describe = kernel_describe,
	.open = kernel_open,
	.close = close,
	.ioctl = kernel_ioctl,
	.mmap = mmap,
	.munmap = munmap,
	.read = read,
	.write = write,
	.read_file = plat_kernel_read_file,
	.write_file = kernel_write_file,
	.stat_exists = kernel_stat_exists,
	.list_dir = plat_kernel_list_dir,
	.readlink = kernel_readlink,
	.kmsg_write = kernel_kmsg_write,
	.kmsg_open = kernel_kmsg_open,
	.reg_read32 = kernel_reg_read32,
	.reg_write32 = kernel_reg_write32,
	.module_unload = plat_kernel_module_unload,
	.module_load = plat_kernel_module_load,
};
