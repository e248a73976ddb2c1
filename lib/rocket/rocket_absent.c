// SPDX-License-Identifier: MIT
/*
 * rocket_absent.c — one sentence saying why no rocket device could be
 * opened, for the no-device verdict.
 *
 * "No NPU" is never a skip (README), so the sentence is what a lab or a
 * developer reads instead of a result: it must name what is missing — no
 * device tree at all, no NPU node, a disabled node, no rocket driver, a
 * driver that does not match this SoC, or a probe that failed.
 *
 * Everything is read through plat_probe_*(): the real machine when no
 * backend could be selected (--device kernel off a board), vnpu's model of
 * its board otherwise (vnpu:rk3568 with the mainline kernel profile).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "platform/platform.h"
#include "rocket/rocket.h"

/* Device-tree nodes as procfs shows them (Documentation/ABI/testing/procfs-devicetree). */
#define ROCKET_DT_ROOT		"/proc/device-tree"
#define ROCKET_DT_NPU_PREFIX	"npu@"		/* binding: $nodename '^npu@[a-f0-9]+$' */
/* The platform driver's directory: .name = "rocket" (drivers/accel/rocket/rocket_drv.c). */
#define ROCKET_DRIVER_DIR	"/sys/bus/platform/drivers/rocket"

/* dt_match in drivers/accel/rocket/rocket_drv.c; the rows' kernel_series say the rest. */
#define ROCKET_MAINLINE_MATCH						\
	"mainline rocket matches only rockchip,rk3588-rknn-core"

struct npu_node {
	char name[64];		/* "npu@fde40000" */
	char compatible[64];	/* first string */
	char status[16];	/* "okay" when absent, as the DT spec says */
	int count;
};

static void read_dt_string(const char *node, const char *prop, char *out,
			   size_t size, const char *dflt)
{
	char path[192];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s/%s", ROCKET_DT_ROOT, node, prop);
	n = plat_probe_read_file(path, out, size);
	if (n <= 0)
		snprintf(out, size, "%s", dflt);
	/* Property strings are NUL-separated: keep the first. */
}

static int find_npu_node(const char *name, void *data)
{
	struct npu_node *npu = data;

	if (strncmp(name, ROCKET_DT_NPU_PREFIX, strlen(ROCKET_DT_NPU_PREFIX)))
		return 0;
	/* The first node is the one named; the count tells the rest. */
	if (!npu->count++) {
		snprintf(npu->name, sizeof(npu->name), "%s", name);
		read_dt_string(name, "compatible", npu->compatible,
			       sizeof(npu->compatible), "");
		read_dt_string(name, "status", npu->status,
			       sizeof(npu->status), "okay");
	}
	return 0;
}

/* "npu@fde40000" -> "fde40000.npu", the platform device's name. */
static void platform_device_name(const char *node, char *out, size_t size)
{
	const char *at = strchr(node, '@');

	snprintf(out, size, "%s.npu", at ? at + 1 : node);
}

static void explain_no_npu_node(const struct rocket_soc_info *soc, char *buf,
				size_t size)
{
	const struct hw_soc_facts *f = soc->facts;

	if (f->kernel_series)
		snprintf(buf, size,
			 "%s board whose device tree has no NPU node: %s and "
			 ROCKET_MAINLINE_MATCH "; %s",
			 soc->soc_compatible, f->kernel_dt, f->kernel_series);
	else
		snprintf(buf, size,
			 "%s board whose device tree has no %s* node (%s)",
			 soc->soc_compatible, ROCKET_DT_NPU_PREFIX, f->kernel_dt);
}

/* "rk3568" -> "RK3568", as the SoC is named in prose. */
static const char *soc_upper(const char *name, char *out, size_t size)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < size; i++)
		out[i] = (char)toupper((unsigned char)name[i]);
	out[i] = '\0';
	return out;
}

void rocket_explain_no_device(char *buf, size_t size)
{
	char upper[16];
	struct rocket_soc_info soc;
	struct npu_node npu = { 0 };
	char compat[512], dev[80], path[192];
	ssize_t n;

	n = plat_probe_read_file(PLAT_DT_COMPATIBLE, compat, sizeof(compat));
	if (n <= 0) {
		snprintf(buf, size,
			 "not a Rockchip NPU board: %s unreadable (%s): no device tree (a container, a VM, an ACPI boot)",
			 PLAT_DT_COMPATIBLE, n ? strerror((int)-n) : "empty");
		return;
	}
	if (rocket_parse_compatible(compat, (size_t)n, &soc)) {
		snprintf(buf, size,
			 "not a Rockchip NPU board: %s names \"%s\" and no rockchip,rk3566/rk3568/rk3588 SoC",
			 PLAT_DT_COMPATIBLE, soc.board_compatible);
		return;
	}
	plat_probe_list_dir(ROCKET_DT_ROOT, find_npu_node, &npu);
	if (!npu.count) {
		explain_no_npu_node(&soc, buf, size);
		return;
	}
	if (strcmp(npu.status, "okay")) {
		snprintf(buf, size,
			 "%s: %s has status \"%s\": the board's device tree does not enable the NPU",
			 soc.soc_compatible, npu.name, npu.status);
		return;
	}
	platform_device_name(npu.name, dev, sizeof(dev));
	if (plat_probe_stat_exists(ROCKET_DRIVER_DIR)) {
		snprintf(buf, size,
			 "%s: no rocket platform driver (%s missing): CONFIG_DRM_ACCEL_ROCKET off or the module not loaded",
			 soc.soc_compatible, ROCKET_DRIVER_DIR);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", ROCKET_DRIVER_DIR, dev);
	if (plat_probe_stat_exists(path)) {
		if (soc.facts->kernel_series)
			snprintf(buf, size,
				 "%s: rocket does not bind %s (%s): this kernel lacks %s NPU support, "
				 ROCKET_MAINLINE_MATCH "; %s",
				 soc.soc_compatible, dev, npu.compatible,
				 soc_upper(soc.facts->name, upper, sizeof(upper)),
				 soc.facts->kernel_series);
		else
			snprintf(buf, size,
				 "%s: rocket is registered but not bound to %s (%s): its probe failed, see the kernel log",
				 soc.soc_compatible, dev, npu.compatible);
		return;
	}
	snprintf(buf, size,
		 "%s: rocket is bound to %s but no %s/accel* node answers as rocket",
		 soc.soc_compatible, dev, PLAT_ACCEL_DIR);
}
