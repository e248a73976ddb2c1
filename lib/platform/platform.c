// SPDX-License-Identifier: MIT
/*
 * platform.c — backend selection and dispatch for the seam (platform.h).
 *
 * The selection rule is the product's promise that a board run never falls
 * back to vnpu silently: "auto" only picks vnpu on a machine whose device
 * tree does not name a Rockchip NPU SoC.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/soc.h"
#include "platform/plat_backend.h"

#define PLAT_DEFAULT_VNPU_SOC	"rk3568"	/* the bring-up target (README) */

static char plat_spec[256];
static bool plat_spec_set;
static const struct plat_ops *plat_ops;
static struct plat_selection plat_sel;
static char plat_err[512];
static int plat_init_ret = 1;	/* 1: not yet tried */

void plat_configure(const char *device_spec)
{
	snprintf(plat_spec, sizeof(plat_spec), "%s",
		 device_spec ? device_spec : "");
	plat_spec_set = true;
}

static const char *plat_effective_spec(void)
{
	const char *env;

	if (plat_spec_set && plat_spec[0])
		return plat_spec;
	env = getenv(PLAT_DEVICE_ENV);
	if (env && env[0])
		return env;
	env = getenv("IGT_DEVICE");
	if (env && env[0])
		return env;
	return "auto";
}

static void plat_copy_env(char *dst, size_t size, const char *name)
{
	const char *v = getenv(name);

	snprintf(dst, size, "%s", v ? v : "");
}

/* Does compat name a Rockchip SoC with an NPU: a row of lib/hw/soc.h, or one without a row yet? */
static bool npu_soc_compatible(const char *compat)
{
	/* RK3576 has an NPU ("version: 1179210311", rocket_core.c version line) but no row yet. */
	static const char *const rowless[] = { "rockchip,rk3576" };

	if (hw_soc_by_compatible(compat) != HW_SOC_UNKNOWN)
		return true;
	for (size_t i = 0; i < sizeof(rowless) / sizeof(rowless[0]); i++)
		if (!strcmp(compat, rowless[i]))
			return true;
	return false;
}

int plat_detect_npu_soc(char *soc, size_t size)
{
	char buf[1024];
	ssize_t n;

	n = plat_kernel_read_file(PLAT_DT_COMPATIBLE, buf, sizeof(buf));
	if (n <= 0)
		return -ENOENT;
	/* The file is a list of NUL-separated strings. */
	for (char *p = buf; p < buf + n; p += strlen(p) + 1) {
		if (!strncmp(p, "rockchip,", 9) && npu_soc_compatible(p)) {
			snprintf(soc, size, "%s", p + 9);
			return 0;
		}
	}
	return -ENOENT;
}

/* Find /dev/accel/accelN whose driver is rocket; fills plat_sel.device_path. */
int plat_kernel_find_rocket(char *path, size_t size);

static int plat_select(const char *spec)
{
	char soc[16];

	memset(&plat_sel, 0, sizeof(plat_sel));
	plat_copy_env(plat_sel.kernel_profile, sizeof(plat_sel.kernel_profile),
		      PLAT_VNPU_KERNEL_ENV);
	plat_copy_env(plat_sel.faults, sizeof(plat_sel.faults),
		      PLAT_VNPU_FAULTS_ENV);
	plat_copy_env(plat_sel.kmsg_file, sizeof(plat_sel.kmsg_file),
		      PLAT_VNPU_KMSG_ENV);

	if (!strncmp(spec, "vnpu", 4) && (spec[4] == '\0' || spec[4] == ':')) {
		snprintf(plat_sel.soc, sizeof(plat_sel.soc), "%s",
			 spec[4] ? spec + 5 : PLAT_DEFAULT_VNPU_SOC);
		plat_ops = &plat_vnpu_ops;
		return 0;
	}
	if (spec[0] == '/') {
		snprintf(plat_sel.device_path, sizeof(plat_sel.device_path),
			 "%s", spec);
		plat_ops = &plat_kernel_ops;
		return 0;
	}
	if (!strcmp(spec, "kernel") || !strcmp(spec, "auto")) {
		if (!plat_kernel_find_rocket(plat_sel.device_path,
					     sizeof(plat_sel.device_path))) {
			plat_ops = &plat_kernel_ops;
			return 0;
		}
		if (!strcmp(spec, "kernel")) {
			snprintf(plat_err, sizeof(plat_err),
				 "no rocket accel node under %s (device=kernel)",
				 PLAT_ACCEL_DIR);
			return -ENODEV;
		}
		if (!plat_detect_npu_soc(soc, sizeof(soc))) {
			/* A board whose NPU is not usable: never fake it. */
			snprintf(plat_err, sizeof(plat_err),
				 "device tree names rockchip,%s but no rocket accel node exists under %s (driver not bound?); refusing to fall back to vnpu",
				 soc, PLAT_ACCEL_DIR);
			return -ENODEV;
		}
		snprintf(plat_sel.soc, sizeof(plat_sel.soc), "%s",
			 PLAT_DEFAULT_VNPU_SOC);
		plat_ops = &plat_vnpu_ops;
		return 0;
	}
	snprintf(plat_err, sizeof(plat_err),
		 "unknown device \"%s\" (expected auto, kernel, /dev/accel/accelN, vnpu, vnpu:rk3568 or vnpu:rk3588)",
		 spec);
	return -EINVAL;
}

int plat_init(void)
{
	int ret;

	if (plat_init_ret <= 0)
		return plat_init_ret;
	plat_err[0] = '\0';
	ret = plat_select(plat_effective_spec());
	if (!ret)
		ret = plat_ops->init(&plat_sel, plat_err, sizeof(plat_err));
	if (ret)
		plat_ops = NULL;
	plat_init_ret = ret;
	return ret;
}

const char *plat_init_error(void)
{
	return plat_err;
}

enum plat_backend plat_backend(void)
{
	if (plat_init())
		return PLAT_BACKEND_NONE;
	return plat_ops == &plat_vnpu_ops ? PLAT_BACKEND_VNPU :
					    PLAT_BACKEND_KERNEL;
}

const char *plat_backend_name(void)
{
	if (plat_init())
		return "none";
	return plat_ops->name;
}

const char *plat_describe(void)
{
	if (plat_init())
		return "none";
	return plat_ops->describe();
}

const char *plat_device_path(void)
{
	if (plat_init())
		return NULL;
	return plat_sel.device_path[0] ? plat_sel.device_path :
					  PLAT_ACCEL_DIR "/accel0";
}

void plat_set_device_path(const char *path)
{
	snprintf(plat_sel.device_path, sizeof(plat_sel.device_path), "%s", path);
}

/*
 * Every dispatcher below starts the backend on first use and fails with
 * the init errno when there is none, so a missing device shows up as
 * ENODEV at the first open, exactly where a test would see it on a board.
 */
#define PLAT_REQUIRE(fail)			\
	do {					\
		int __r = plat_init();		\
		if (__r) {			\
			errno = -__r;		\
			return fail;		\
		}				\
	} while (0)

#define PLAT_REQUIRE_NEG()			\
	do {					\
		int __r = plat_init();		\
		if (__r)			\
			return __r;		\
	} while (0)

int plat_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	PLAT_REQUIRE(-1);
	return plat_ops->open(path, flags, mode);
}

int plat_close(int fd)
{
	PLAT_REQUIRE(-1);
	return plat_ops->close(fd);
}

int plat_ioctl(int fd, unsigned long request, void *arg)
{
	PLAT_REQUIRE(-1);
	return plat_ops->ioctl(fd, request, arg);
}

void *plat_mmap(void *addr, size_t length, int prot, int flags, int fd,
		off_t offset)
{
	PLAT_REQUIRE((void *)-1);
	return plat_ops->mmap(addr, length, prot, flags, fd, offset);
}

int plat_munmap(void *addr, size_t length)
{
	PLAT_REQUIRE(-1);
	return plat_ops->munmap(addr, length);
}

ssize_t plat_read(int fd, void *buf, size_t count)
{
	PLAT_REQUIRE(-1);
	return plat_ops->read(fd, buf, count);
}

ssize_t plat_write(int fd, const void *buf, size_t count)
{
	PLAT_REQUIRE(-1);
	return plat_ops->write(fd, buf, count);
}

ssize_t plat_read_file(const char *path, char *buf, size_t size)
{
	PLAT_REQUIRE_NEG();
	return plat_ops->read_file(path, buf, size);
}

int plat_write_file(const char *path, const char *text)
{
	PLAT_REQUIRE_NEG();
	return plat_ops->write_file(path, text);
}

int plat_stat_exists(const char *path)
{
	PLAT_REQUIRE_NEG();
	return plat_ops->stat_exists(path);
}

int plat_list_dir(const char *dir,
		  int (*fn)(const char *name, void *data), void *data)
{
	PLAT_REQUIRE_NEG();
	return plat_ops->list_dir(dir, fn, data);
}

ssize_t plat_readlink(const char *path, char *buf, size_t size)
{
	PLAT_REQUIRE_NEG();
	return plat_ops->readlink(path, buf, size);
}

static const struct plat_ops *plat_probe_ops(void)
{
	return plat_ops ? plat_ops : &plat_kernel_ops;
}

ssize_t plat_probe_read_file(const char *path, char *buf, size_t size)
{
	return plat_probe_ops()->read_file(path, buf, size);
}

int plat_probe_stat_exists(const char *path)
{
	return plat_probe_ops()->stat_exists(path);
}

int plat_probe_list_dir(const char *dir,
			int (*fn)(const char *name, void *data), void *data)
{
	return plat_probe_ops()->list_dir(dir, fn, data);
}

/*
 * Kernel-log writes are the one call that works without a backend: the
 * harness's "[IGT] ... starting subtest" markers must reach the real
 * /dev/kmsg even when no device could be selected, or igt_runner could
 * not attribute the kernel's warnings to subtests (IGT runner/resultgen.c).
 */
int plat_kmsg_write(const char *record)
{
	if (plat_init())
		return plat_kernel_ops.kmsg_write(record);
	return plat_ops->kmsg_write(record);
}

int plat_kmsg_open(void)
{
	PLAT_REQUIRE(-1);
	return plat_ops->kmsg_open();
}

int plat_reg_read32(uint64_t phys_addr, uint32_t *value)
{
	PLAT_REQUIRE_NEG();
	return plat_ops->reg_read32(phys_addr, value);
}

int plat_reg_write32(uint64_t phys_addr, uint32_t value)
{
	PLAT_REQUIRE_NEG();
	return plat_ops->reg_write32(phys_addr, value);
}

int plat_module_unload(const char *name)
{
	PLAT_REQUIRE_NEG();
	return plat_ops->module_unload(name);
}

int plat_module_load(const char *name)
{
	PLAT_REQUIRE_NEG();
	return plat_ops->module_load(name);
}
