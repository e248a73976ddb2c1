/* SPDX-License-Identifier: MIT */
/*
 * plat_backend — what a backend of the platform seam implements.
 *
 * Contract: lib/platform/platform.c owns selection and dispatch; a backend
 * fills one struct plat_ops.  Syscall-shaped ops return -1 and set errno;
 * the whole-file helpers return -errno (see platform.h).  A backend never
 * prints: it reports failures through errno or its init error buffer.
 */
#ifndef RKVAL_PLAT_BACKEND_H
#define RKVAL_PLAT_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "platform/platform.h"

/* What plat_init() decided, handed to the backend's init. */
struct plat_selection {
	char device_path[256];		/* kernel: the accel node */
	char soc[16];			/* vnpu: "rk3568" or "rk3588" */
	char kernel_profile[32];	/* vnpu: RKVAL_VNPU_KERNEL or "" */
	char faults[256];		/* vnpu: RKVAL_VNPU_FAULTS or "" */
	char kmsg_file[256];		/* vnpu: RKVAL_VNPU_KMSG or "" */
};

struct plat_ops {
	const char *name;
	int (*init)(const struct plat_selection *sel, char *err, size_t errlen);
	const char *(*describe)(void);

	int (*open)(const char *path, int flags, mode_t mode);
	int (*close)(int fd);
	int (*ioctl)(int fd, unsigned long request, void *arg);
	void *(*mmap)(void *addr, size_t length, int prot, int flags, int fd,
		      off_t offset);
	int (*munmap)(void *addr, size_t length);
	ssize_t (*read)(int fd, void *buf, size_t count);
	ssize_t (*write)(int fd, const void *buf, size_t count);

	ssize_t (*read_file)(const char *path, char *buf, size_t size);
	int (*write_file)(const char *path, const char *text);
	int (*stat_exists)(const char *path);
	int (*list_dir)(const char *dir,
			int (*fn)(const char *name, void *data), void *data);
	ssize_t (*readlink)(const char *path, char *buf, size_t size);

	int (*kmsg_write)(const char *record);
	int (*kmsg_open)(void);

	int (*reg_read32)(uint64_t phys_addr, uint32_t *value);
	int (*reg_write32)(uint64_t phys_addr, uint32_t value);

	int (*module_unload)(const char *name);
	int (*module_load)(const char *name);
};

extern const struct plat_ops plat_kernel_ops;	/* plat_kernel.c */
extern const struct plat_ops plat_vnpu_ops;	/* lib/vnpu/vnpu_platform.c */

/* plat_module.c: delete_module(2) / finit_module(2) of a module in modules.dep. */
int plat_kernel_module_unload(const char *name);
int plat_kernel_module_load(const char *name);

/* Kernel-backend helpers reused by vnpu for paths it does not model. */
ssize_t plat_kernel_read_file(const char *path, char *buf, size_t size);
int plat_kernel_list_dir(const char *dir,
			 int (*fn)(const char *name, void *data), void *data);

/*
 * Device-tree probe shared by auto selection and lib/rocket: copies the
 * Rockchip NPU SoC named in /proc/device-tree/compatible ("rk3568",
 * "rk3588", ...) into soc and returns 0, or -ENOENT when the machine is
 * not one.  Always reads the real file: it decides whether vnpu may run.
 */
int plat_detect_npu_soc(char *soc, size_t size);

#endif /* RKVAL_PLAT_BACKEND_H */
