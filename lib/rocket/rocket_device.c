// SPDX-License-Identifier: MIT
/*
 * rocket_device.c — opening the rocket accel node and asking who it is.
 *
 * All through the seam: plat_open/plat_ioctl/plat_list_dir.  libdrm's
 * drmGetVersion() is deliberately not used: it calls ioctl() itself and
 * would bypass vnpu (selftests/seam-check.sh rejects it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "platform/platform.h"
#include "rocket/rocket.h"

/*
 * The facade rocket registers its DRM device on (rocket_drv.c:
 * platform_device_register_simple("rknn", -1, NULL, 0)): the accel class
 * device's "device" link ends in it.
 */
#define ROCKET_FACADE_NAME	"rknn"
#define ROCKET_ACCEL_CLASS	"/sys/class/accel"

struct find_node_ctx {
	char *path;
	size_t size;
	bool found;
};

static int find_node_entry(const char *name, void *data)
{
	struct find_node_ctx *ctx = data;
	char link[256], target[256];
	const char *base;
	ssize_t n;

	snprintf(link, sizeof(link), "%s/%s/device", ROCKET_ACCEL_CLASS, name);
	n = plat_readlink(link, target, sizeof(target));
	if (n <= 0)
		return 0;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strcmp(base, ROCKET_FACADE_NAME))
		return 0;
	snprintf(ctx->path, ctx->size, "%s/%s", PLAT_ACCEL_DIR, name);
	ctx->found = true;
	return 1;
}

int rocket_find_node(char *path, size_t size)
{
	struct find_node_ctx ctx = { .path = path, .size = size };
	char paths[1][ROCKET_PATH_MAX];
	int ret;

	ret = plat_list_dir(ROCKET_ACCEL_CLASS, find_node_entry, &ctx);
	if (ctx.found)
		return 0;
	/* No class links (an unusual sysfs): ask each node who drives it. */
	if (rocket_find_devices(paths, 1) == 1) {
		snprintf(path, size, "%s", paths[0]);
		return 0;
	}
	return ret < 0 ? ret : -ENODEV;
}

int __rocket_open_device(void)
{
	char found[ROCKET_PATH_MAX];
	const char *path;
	int ret, fd;

	ret = plat_init();
	if (ret)
		return ret;
	path = plat_device_path();
	if (!path)
		return -ENODEV;
	fd = plat_open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd < 0 ? -errno : fd;
	/*
	 * The node is gone: after an unbind/bind rocket's DRM device has a
	 * new minor (its drm_device is devm-allocated on the facade, so the
	 * old minor stays taken, rocket_drv.c).  Find it again by driver.
	 */
	if (rocket_find_node(found, sizeof(found)) || !strcmp(found, path))
		return -ENOENT;
	igt_info("rocket's accel node moved: %s -> %s\n", path, found);
	plat_set_device_path(found);
	fd = plat_open(found, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * No device is a failure wherever it happens, never a skip (README: "no
 * NPU is an error"): a bring-up board whose NPU does not probe is the bug
 * under test, and "--device kernel" on the wrong machine must not pass a
 * LAVA job with nothing run.  The verdict says what is missing.
 */
static void rocket_check_opened(int fd)
{
	const char *why = plat_init_error();
	char reason[512];

	if (fd >= 0)
		return;
	rocket_explain_no_device(reason, sizeof(reason));
	if (why[0])
		igt_fail_verdict(VERDICT_NO_DEVICE, "%s (%s)", reason, why);
	igt_fail_verdict(VERDICT_NO_DEVICE, "%s (cannot open %s: %s)", reason,
			 plat_device_path(), strerror(-fd));
}

int rocket_open_device(void)
{
	struct rocket_version v;
	int fd, ret;

	fd = __rocket_open_device();
	rocket_check_opened(fd);

	ret = __rocket_get_version(fd, &v);
	igt_assert_f(ret == 0, "DRM_IOCTL_VERSION on %s failed: %s\n",
		     plat_device_path(), strerror(-ret));
	igt_assert_f(!strcmp(v.name, ROCKET_DRIVER_NAME),
		     "%s is driven by \"%s\", not \"" ROCKET_DRIVER_NAME "\"\n",
		     plat_device_path(), v.name);
	igt_debug("Opened device: %s (%s)\n", plat_device_path(),
		  plat_describe());
	rocket_teardown_file_opened(fd);
	return fd;
}

void rocket_require_device(void)
{
	rocket_close_device(rocket_open_device());
}

void rocket_close_device(int fd)
{
	if (fd < 0)
		return;
	rocket_teardown_file_closed(fd);
	igt_assert_eq(plat_close(fd), 0);
}

static void rocket_copy_str(char *dst, size_t size, const char *src,
			    size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int __rocket_get_version(int fd, struct rocket_version *v)
{
	struct drm_version dv;
	char *name = NULL, *date = NULL, *desc = NULL;
	int ret = 0;

	/* Pass 1: NULL buffers, the kernel reports the lengths. */
	memset(&dv, 0, sizeof(dv));
	if (plat_ioctl(fd, DRM_IOCTL_VERSION, &dv))
		return -errno;

	/* Pass 2: buffers of exactly those lengths (+1 for our NUL). */
	name = calloc(1, dv.name_len + 1);
	date = calloc(1, dv.date_len + 1);
	desc = calloc(1, dv.desc_len + 1);
	if (!name || !date || !desc) {
		ret = -ENOMEM;
		goto out;
	}
	dv.name = name;
	dv.date = date;
	dv.desc = desc;
	if (plat_ioctl(fd, DRM_IOCTL_VERSION, &dv)) {
		ret = -errno;
		goto out;
	}

	memset(v, 0, sizeof(*v));
	v->major = dv.version_major;
	v->minor = dv.version_minor;
	v->patch = dv.version_patchlevel;
	rocket_copy_str(v->name, sizeof(v->name), name, dv.name_len);
	rocket_copy_str(v->date, sizeof(v->date), date, dv.date_len);
	rocket_copy_str(v->desc, sizeof(v->desc), desc, dv.desc_len);
out:
	free(name);
	free(date);
	free(desc);
	return ret;
}

void rocket_get_version(int fd, struct rocket_version *v)
{
	int ret = __rocket_get_version(fd, v);

	igt_assert_f(ret == 0, "DRM_IOCTL_VERSION failed: %s\n",
		     strerror(-ret));
}

bool rocket_is_rocket(int fd)
{
	struct rocket_version v;

	return !__rocket_get_version(fd, &v) &&
	       !strcmp(v.name, ROCKET_DRIVER_NAME);
}

struct rocket_find_ctx {
	char (*paths)[ROCKET_PATH_MAX];
	int max;
	int found;
};

static int rocket_find_one(const char *name, void *data)
{
	struct rocket_find_ctx *ctx = data;
	char path[ROCKET_PATH_MAX];
	int fd;

	if (strncmp(name, "accel", 5))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", PLAT_ACCEL_DIR, name);
	fd = plat_open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (rocket_is_rocket(fd) && ctx->found < ctx->max)
		snprintf(ctx->paths[ctx->found++], ROCKET_PATH_MAX, "%s", path);
	plat_close(fd);
	return 0;
}

int rocket_find_devices(char (*paths)[ROCKET_PATH_MAX], int max)
{
	struct rocket_find_ctx ctx = { .paths = paths, .max = max };
	int ret;

	ret = plat_list_dir(PLAT_ACCEL_DIR, rocket_find_one, &ctx);
	return ret < 0 ? ret : ctx.found;
}
