// SPDX-License-Identifier: MIT
/*
 * iommu.c — rk_iommu log parsing, register decoding, sysfs topology and
 * register access for the NPU's IOMMU (iommu.h has the contract).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igt.h"
#include "board/iommu.h"
#include "board/npu_mmio.h"
#include "platform/mono_time.h"

/* The rocket platform driver's sysfs directory lists the bound cores (§2.1). */
#define ROCKET_DRIVER_DIR	"/sys/bus/platform/drivers/rocket"
#define NPU_DEV_SUFFIX		".npu"
/* How often iommu_wait_npu_suspended() re-reads runtime_status. */
#define RUNTIME_POLL_MS		5

/* ---- log lines ---- */

/* Skip a dev_printk prefix "driver dev: " and return the message. */
static const char *msg_after_prefix(const char *text, const char *needle,
				    char *dev, size_t devsize)
{
	const char *msg = strstr(text, needle);
	const char *colon, *space;

	if (dev)
		dev[0] = '\0';
	if (!msg || !dev || msg == text)
		return msg;
	/* "rk_iommu fde4b000.iommu: <msg>": the device is before ": ". */
	colon = msg - 2;
	if (colon < text || colon[0] != ':' || colon[1] != ' ')
		return msg;
	space = colon;
	while (space > text && space[-1] != ' ')
		space--;
	if ((size_t)(colon - space) < devsize) {
		memcpy(dev, space, (size_t)(colon - space));
		dev[colon - space] = '\0';
	}
	return msg;
}

int iommu_parse_page_fault(const char *text, struct iommu_fault *f)
{
	const char *msg;
	unsigned long long iova;
	char type[8];

	memset(f, 0, sizeof(*f));
	msg = msg_after_prefix(text, "Page fault at ", f->dev, sizeof(f->dev));
	if (!msg)
		return -EINVAL;
	/* "Page fault at %pad of type %s" (§3.4). */
	if (sscanf(msg, "Page fault at %llx of type %7s", &iova, type) != 2)
		return -EINVAL;
	if (!strcmp(type, "read"))
		f->write = false;
	else if (!strcmp(type, "write"))
		f->write = true;
	else
		return -EINVAL;
	f->iova = iova;
	return 0;
}

int iommu_parse_fault_indices(const char *text, struct iommu_fault_indices *x)
{
	const char *msg = strstr(text, "iova = ");
	unsigned long long iova;
	unsigned int d, p, o;

	memset(x, 0, sizeof(*x));
	if (!msg)
		return -EINVAL;
	/* "iova = %pad: dte_index: %#03x pte_index: %#03x page_offset: %#03x" */
	if (sscanf(msg, "iova = %llx: dte_index: %x pte_index: %x page_offset: %x",
		   &iova, &d, &p, &o) != 4)
		return -EINVAL;
	x->iova = iova;
	x->dte_index = d;
	x->pte_index = p;
	x->page_offset = o;
	return 0;
}

int iommu_parse_bus_error(const char *text, uint64_t *iova)
{
	const char *msg = strstr(text, "BUS_ERROR occurred at ");
	unsigned long long a;

	if (!msg || sscanf(msg, "BUS_ERROR occurred at %llx", &a) != 1)
		return -EINVAL;
	*iova = a;
	return 0;
}

static const char *const handshake_text[IOMMU_HS_COUNT] = {
	[IOMMU_HS_ENABLE_STALL] = "Enable stall request timed out",
	[IOMMU_HS_DISABLE_STALL] = "Disable stall request timed out",
	[IOMMU_HS_ENABLE_PAGING] = "Enable paging request timed out",
	[IOMMU_HS_DISABLE_PAGING] = "Disable paging request timed out",
	[IOMMU_HS_FORCE_RESET] = "FORCE_RESET command timed out",
	[IOMMU_HS_RAW_RESET] = "Error during raw reset",
};

static const char *const handshake_name[IOMMU_HS_COUNT] = {
	[IOMMU_HS_ENABLE_STALL] = "enable-stall",
	[IOMMU_HS_DISABLE_STALL] = "disable-stall",
	[IOMMU_HS_ENABLE_PAGING] = "enable-paging",
	[IOMMU_HS_DISABLE_PAGING] = "disable-paging",
	[IOMMU_HS_FORCE_RESET] = "force-reset",
	[IOMMU_HS_RAW_RESET] = "raw-reset",
};

int iommu_parse_handshake(const char *text, enum iommu_handshake *kind,
			  uint32_t *status)
{
	for (int k = 0; k < IOMMU_HS_COUNT; k++) {
		const char *msg = strstr(text, handshake_text[k]);
		unsigned int st = 0;

		if (!msg)
			continue;
		*kind = (enum iommu_handshake)k;
		*status = 0;
		/* "…request timed out, status: %#08x" (§3.4). */
		msg = strstr(msg, "status: ");
		if (msg && sscanf(msg, "status: %x", &st) == 1)
			*status = st;
		return 0;
	}
	return -EINVAL;
}

const char *iommu_handshake_name(enum iommu_handshake kind)
{
	return kind < IOMMU_HS_COUNT ? handshake_name[kind] : "?";
}

/* ---- decoders ---- */

uint64_t rk_iommu_entry_addr(uint32_t entry, enum hw_iommu_version v)
{
	return rk_iommu_entry_decode(entry, v == HW_IOMMU_V2);
}

enum hw_iommu_version rk_iommu_version_from_compatible(const char *buf,
						       size_t len)
{
	enum hw_iommu_version v = HW_IOMMU_VERSION_UNKNOWN;
	size_t i = 0;

	/*
	 * RK3588: "rockchip,rk3588-iommu", "rockchip,rk3568-iommu" (v2);
	 * RK3568 RFC DT: "rockchip,iommu" (v1) (§3.2, §4.2).
	 */
	while (i < len && buf[i]) {
		const char *s = buf + i;

		if (!strcmp(s, RK_IOMMU_V2_COMPATIBLE))
			return HW_IOMMU_V2;
		if (!strcmp(s, RK_IOMMU_V1_COMPATIBLE))
			v = HW_IOMMU_V1;
		i += strlen(s) + 1;
	}
	return v;
}

const char *rk_iommu_version_name(enum hw_iommu_version v)
{
	switch (v) {
	case HW_IOMMU_V1:
		return "v1";
	case HW_IOMMU_V2:
		return "v2";
	default:
		return "unknown";
	}
}

int iommu_parse_unit_address(const char *name, uint64_t *addr)
{
	char *end;
	unsigned long long a;

	errno = 0;
	a = strtoull(name, &end, 16);
	if (errno || end == name || *end != '.')
		return -EINVAL;
	*addr = a;
	return 0;
}

/* ---- sysfs ---- */

/* Bounded copy that says nothing about truncation (names are short). */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static const char *path_basename(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

struct npu_find {
	char *buf;
	size_t size;
	bool found;
};

static int npu_find_one(const char *name, void *data)
{
	struct npu_find *f = data;
	size_t n = strlen(name), sl = strlen(NPU_DEV_SUFFIX);

	if (n <= sl || strcmp(name + n - sl, NPU_DEV_SUFFIX))
		return 0;
	snprintf(f->buf, f->size, "%s", name);
	f->found = true;
	return 1;	/* sorted: the first is the lowest address, core 0 */
}

int iommu_npu_device_name(char *buf, size_t size)
{
	struct npu_find f = { .buf = buf, .size = size };
	int ret = plat_list_dir(ROCKET_DRIVER_DIR, npu_find_one, &f);

	if (ret < 0)
		return ret;
	return f.found ? 0 : -ENOENT;
}

struct group_walk {
	const char *npu;
	unsigned int count;
	bool found;
};

static int group_dev_one(const char *name, void *data)
{
	struct group_walk *g = data;

	g->count++;
	if (!strcmp(name, g->npu))
		g->found = true;
	return 0;
}

struct class_walk {
	const char *npu;
	char *out;
	size_t size;
};

static int class_one(const char *name, void *data)
{
	struct class_walk *c = data;
	char path[256];

	snprintf(path, sizeof(path), IOMMU_CLASS_DIR "/%s/devices/%s", name, c->npu);
	if (plat_stat_exists(path) != 0)
		return 0;
	snprintf(c->out, c->size, "%s", name);
	return 1;
}

static void iommu_lookup_group(const char *npu, struct iommu_info *info)
{
	struct group_walk g = { .npu = npu };
	char path[256], link[256];
	char *end;
	long n;

	snprintf(path, sizeof(path), PLATFORM_DEVICES_DIR "/%s/iommu_group", npu);
	if (plat_readlink(path, link, sizeof(link)) < 0)
		return;
	n = strtol(path_basename(link), &end, 10);
	if (*end || n < 0)
		return;
	info->group = (int)n;
	snprintf(path, sizeof(path), IOMMU_GROUPS_DIR "/%ld/devices", n);
	if (plat_list_dir(path, group_dev_one, &g) < 0)
		return;
	info->group_devices = g.count;
	info->npu_in_group = g.found;
}

static void iommu_lookup_class(const char *npu, struct iommu_info *info)
{
	struct class_walk c = { .npu = npu, .out = info->iommu_name,
				.size = sizeof(info->iommu_name) };
	char path[256], link[256];

	plat_list_dir(IOMMU_CLASS_DIR, class_one, &c);
	if (!info->iommu_name[0]) {
		/* Fallback: the consumer's "iommu" link names the class device. */
		snprintf(path, sizeof(path), PLATFORM_DEVICES_DIR "/%s/iommu", npu);
		if (plat_readlink(path, link, sizeof(link)) > 0)
			copy_str(info->iommu_name, sizeof(info->iommu_name),
				 path_basename(link));
	}
}

static void iommu_lookup_version(struct iommu_info *info)
{
	char path[256], buf[256];
	ssize_t n;

	snprintf(path, sizeof(path), PLATFORM_DEVICES_DIR "/%s/of_node/compatible",
		 info->iommu_name);
	n = plat_read_file(path, buf, sizeof(buf));
	if (n <= 0)
		return;
	copy_str(info->compatible, sizeof(info->compatible), buf);
	info->version = rk_iommu_version_from_compatible(buf, (size_t)n);
}

int iommu_lookup(const char *npu_dev, struct iommu_info *info)
{
	memset(info, 0, sizeof(*info));
	info->group = -1;
	snprintf(info->npu_dev, sizeof(info->npu_dev), "%s", npu_dev);

	iommu_lookup_group(npu_dev, info);
	iommu_lookup_class(npu_dev, info);
	if (info->iommu_name[0]) {
		iommu_parse_unit_address(info->iommu_name, &info->mmu_base);
		iommu_lookup_version(info);
	}
	return info->group >= 0 && info->iommu_name[0] && info->mmu_base ?
	       0 : -ENOENT;
}

/* ---- registers ---- */

int iommu_read_regs(uint64_t base, struct rk_mmu_regs *r)
{
	static const struct { uint32_t off; size_t field; } map[] = {
		{ RK_MMU_DTE_ADDR, offsetof(struct rk_mmu_regs, dte_addr) },
		{ RK_MMU_STATUS, offsetof(struct rk_mmu_regs, status) },
		{ RK_MMU_PAGE_FAULT_ADDR, offsetof(struct rk_mmu_regs, page_fault_addr) },
		{ RK_MMU_INT_RAWSTAT, offsetof(struct rk_mmu_regs, int_rawstat) },
		{ RK_MMU_INT_MASK, offsetof(struct rk_mmu_regs, int_mask) },
		{ RK_MMU_AUTO_GATING, offsetof(struct rk_mmu_regs, auto_gating) },
	};

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		uint32_t *field = (uint32_t *)((char *)r + map[i].field);
		int ret = npu_mmio_powered(plat_reg_read32(base + map[i].off, field),
					   base + map[i].off, false);

		if (ret < 0)
			return ret;
	}
	return 0;
}

void iommu_format_regs(const struct rk_mmu_regs *r, char *buf, size_t size)
{
	snprintf(buf, size,
		 "DTE_ADDR %#x STATUS %#x (%s%s%s%s) PAGE_FAULT_ADDR %#x INT_RAWSTAT %#x INT_MASK %#x AUTO_GATING %#x",
		 r->dte_addr, r->status,
		 r->status & RK_MMU_STATUS_PAGING_ENABLED ? "paging" : "no-paging",
		 r->status & RK_MMU_STATUS_STALL_ACTIVE ? ",stall" : "",
		 r->status & RK_MMU_STATUS_IDLE ? ",idle" : ",busy",
		 r->status & RK_MMU_STATUS_PAGE_FAULT_ACTIVE ? ",fault" : "",
		 r->page_fault_addr, r->int_rawstat, r->int_mask, r->auto_gating);
}

/* ---- runtime PM ---- */

static char held_control_path[256];
static char held_control_saved[32];
static bool held_handler_installed;

void iommu_release_power(void)
{
	if (!held_control_path[0])
		return;
	plat_write_file(held_control_path, held_control_saved);
	held_control_path[0] = '\0';
}

static void iommu_release_power_at_exit(int sig)
{
	(void)sig;
	iommu_release_power();
}

int iommu_hold_power(const char *npu_dev)
{
	char path[256], saved[32];
	ssize_t n;
	int ret;

	snprintf(path, sizeof(path), PLATFORM_DEVICES_DIR "/%s/power/control", npu_dev);
	n = plat_read_file(path, saved, sizeof(saved));
	if (n < 0)
		return (int)n;
	saved[strcspn(saved, "\n")] = '\0';
	ret = plat_write_file(path, "on");
	if (ret < 0)
		return ret;
	if (!held_control_path[0]) {
		snprintf(held_control_path, sizeof(held_control_path), "%s", path);
		snprintf(held_control_saved, sizeof(held_control_saved), "%s",
			 saved[0] ? saved : "auto");
	}
	if (!held_handler_installed) {
		igt_install_exit_handler(iommu_release_power_at_exit);
		held_handler_installed = true;
	}
	return 0;
}

int iommu_npu_runtime_status(const char *npu_dev, char *buf, size_t size)
{
	char path[256];
	ssize_t n;

	snprintf(path, sizeof(path), PLATFORM_DEVICES_DIR "/%s/power/runtime_status",
		 npu_dev);
	n = plat_read_file(path, buf, size);
	if (n < 0)
		return (int)n;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int iommu_wait_npu_suspended(const char *npu_dev, int timeout_ms)
{
	char status[32];

	for (int waited = 0;; waited += RUNTIME_POLL_MS) {
		int ret = iommu_npu_runtime_status(npu_dev, status, sizeof(status));

		if (ret < 0)
			return -ENOENT;
		if (!strcmp(status, "suspended"))
			return 0;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		mono_sleep_ms(RUNTIME_POLL_MS);
	}
}
