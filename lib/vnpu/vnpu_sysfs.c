// SPDX-License-Identifier: MIT
/*
 * vnpu_sysfs.c — the virtual file trees a board has and vnpu models:
 * /dev/accel, the NPU cores' sysfs (runtime PM, driver bind/unbind),
 * debugfs pm_genpd and clk summaries, the NPU regulator, the device tree
 * under /proc/device-tree and /proc/sys/kernel/tainted.
 *
 * Contract: a table of nodes is built once at the first access (paths
 * depend on the SoC).  Directories are implied by the node paths.  Every
 * path under a modelled root (/sys, /proc/device-tree, /dev/accel) that is
 * not a node is ENOENT: a test on vnpu never reaches the host's real sysfs.
 * Lock held by callers.
 *
 * The debugfs summary layouts follow Linux 6.x (drivers/clk/clk.c
 * clk_summary_show(), drivers/pmdomain/core.c genpd summary); column
 * widths are approximate (UNCONFIRMED), names and counts exact to the model.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vnpu/vnpu.h"

/* char major of the accel class (rocket_drv.c, 3rd-party audit). */
#define VNPU_ACCEL_MAJOR	261
/* regulator.N index of the NPU supply: model choice, boards differ. */
#define VNPU_REGULATOR_INDEX	10
/* Clock rates (Hz) of the model; UNCONFIRMED except the assigned SCMI rate. */
#define VNPU_ACLK_RATE		600000000ull
#define VNPU_HCLK_RATE		150000000ull
#define VNPU_PCLK_RATE		100000000ull

enum vnode_kind { VN_FILE, VN_LINK, VN_DEV };

struct vnode;
typedef int vnode_show_fn(const struct vnode *n, char *buf, size_t size);
typedef int vnode_store_fn(const struct vnode *n, const char *text);

struct vnode {
	char *path;
	enum vnode_kind kind;
	int arg;			/* core index or clock id */
	vnode_show_fn *show;
	vnode_store_fn *store;
	bool (*visible)(const struct vnode *n);
	char *link;
};

static struct vnode *vnodes;
static unsigned int nr_vnodes, cap_vnodes;

static const char *const vfs_roots[] = {
	"/sys", "/proc/device-tree", "/dev/accel", "/dev/kmsg",
	"/proc/sys/kernel/tainted",
};

/* ---- show/store helpers ---- */
static int out(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int out(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n < (int)size ? n : (int)size - 1;
}

/* NUL-separated DT string list, as /proc/device-tree shows properties. */
static int dt_strings(char *buf, size_t size, const char *const *list,
		      unsigned int n)
{
	size_t len = 0;

	for (unsigned int i = 0; i < n && list[i]; i++) {
		size_t l = strlen(list[i]) + 1;

		if (len + l > size)
			break;
		memcpy(buf + len, list[i], l);
		len += l;
	}
	return (int)len;
}

static struct vnpu_core *ncore(const struct vnode *n)
{
	return &vnpu_get()->cores[n->arg];
}

/* /dev/accel/accel<arg> and its class directory: the current minor only. */
static bool vis_minor(const struct vnode *n)
{
	struct vnpu *v = vnpu_get();

	return v->bound && v->drm_minor == (unsigned int)n->arg;
}

/* The platform driver's directory exists while the module is loaded. */
static bool vis_module(const struct vnode *n)
{
	(void)n;
	return vnpu_get()->module_loaded;
}

static int show_initstate(const struct vnode *n, char *b, size_t s)
{
	(void)n;
	return out(b, s, "live\n");	/* Documentation/ABI/testing/sysfs-module */
}

static bool vis_core_bound(const struct vnode *n)
{
	return ncore(n)->bound;
}

static int show_runtime_status(const struct vnode *n, char *b, size_t s)
{
	struct vnpu_core *c = ncore(n);

	if (!c->bound)
		return out(b, s, "unsupported\n");	/* runtime PM disabled */
	return out(b, s, "%s\n", c->pm.active ? "active" : "suspended");
}

static int show_active_time(const struct vnode *n, char *b, size_t s)
{
	return out(b, s, "%llu\n", (unsigned long long)
		   (ncore(n)->pm.active_ns / VNPU_NSEC_PER_MSEC));
}

static int show_suspended_time(const struct vnode *n, char *b, size_t s)
{
	return out(b, s, "%llu\n", (unsigned long long)
		   (ncore(n)->pm.suspended_ns / VNPU_NSEC_PER_MSEC));
}

/*
 * power/runtime_usage (drivers/base/power/sysfs.c, CONFIG_PM_ADVANCED_DEBUG):
 * dev->power.usage_count, in which control = "on" holds one reference of
 * its own (pm_runtime_forbid(), drivers/base/power/runtime.c).
 */
static int show_runtime_usage(const struct vnode *n, char *b, size_t s)
{
	const struct vnpu_core *c = ncore(n);

	return out(b, s, "%d\n", (int)c->pm.usage + (c->pm.control_on ? 1 : 0));
}

static int show_control(const struct vnode *n, char *b, size_t s)
{
	return out(b, s, "%s\n", ncore(n)->pm.control_on ? "on" : "auto");
}

static int store_control(const struct vnode *n, const char *t)
{
	if (!strncmp(t, "on", 2) && (t[2] == '\0' || t[2] == '\n'))
		vnpu_pm_set_control(ncore(n), true);
	else if (!strncmp(t, "auto", 4) && (t[4] == '\0' || t[4] == '\n'))
		vnpu_pm_set_control(ncore(n), false);
	else
		return -EINVAL;
	vnpu_state_save();
	return 0;
}

static int show_autosuspend(const struct vnode *n, char *b, size_t s)
{
	return out(b, s, "%d\n", (int)ncore(n)->pm.autosuspend_ms);
}

/*
 * autosuspend_delay_ms_store() (drivers/base/power/sysfs.c): kstrtol(buf,
 * 10) must succeed -- an optional sign, decimal digits, at most one
 * trailing newline, no leading blanks, no overflow of long (lib/kstrtox.c)
 * -- and the value must fit an int ("delay != (int) delay"), else -EINVAL.
 */
static int store_autosuspend(const struct vnode *n, const char *t)
{
	const char *digits = t + (*t == '+' || *t == '-');
	char *end;
	long v;

	if (*digits < '0' || *digits > '9')
		return -EINVAL;
	errno = 0;
	v = strtol(t, &end, 10);
	if (errno || (*end && strcmp(end, "\n")) || v != (int)v)
		return -EINVAL;
	vnpu_pm_update(vnpu_now_ns());
	ncore(n)->pm.autosuspend_ms = (unsigned int)(int)v;
	vnpu_state_save();
	return 0;
}

static int show_uevent(const struct vnode *n, char *b, size_t s)
{
	struct vnpu_core *c = ncore(n);
	const char *compat = vnpu_get()->soc->npu_compatible;

	return out(b, s, "%sOF_NAME=npu\nOF_FULLNAME=/npu@%llx\nOF_COMPATIBLE_0=%s\nOF_COMPATIBLE_N=1\nMODALIAS=of:NnpuT(null)C%s\n",
		   c->bound ? "DRIVER=rocket\n" : "",
		   (unsigned long long)c->base, compat, compat);
}

static int store_bind(const struct vnode *n, const char *t)
{
	struct vnpu *v = vnpu_get();
	char name[64];
	int ret;

	snprintf(name, sizeof(name), "%s", t);
	name[strcspn(name, "\n")] = '\0';
	for (unsigned int i = 0; i < v->soc->num_cores; i++) {
		if (strcmp(v->cores[i].name, name))
			continue;
		ret = n->arg ? vnpu_core_unbind(&v->cores[i]) :
			       vnpu_core_bind(&v->cores[i]);
		if (!ret)
			vnpu_state_save();
		return ret;
	}
	return -ENODEV;
}

static int show_accel_dev(const struct vnode *n, char *b, size_t s)
{
	return out(b, s, "%d:%d\n", VNPU_ACCEL_MAJOR, n->arg);
}

/* The previous boot's ramoops record, while there is one (vnpu_pstore.c). */
static bool vis_pstore(const struct vnode *n)
{
	(void)n;
	return vnpu_pstore_previous()[0] != '\0';
}

static int show_pstore(const struct vnode *n, char *b, size_t s)
{
	(void)n;
	return out(b, s, "%s", vnpu_pstore_previous());
}

static int show_tainted(const struct vnode *n, char *b, size_t s)
{
	(void)n;
	return out(b, s, "%lu\n", vnpu_get()->tainted);
}

static int show_dt_compatible(const struct vnode *n, char *b, size_t s)
{
	const struct vnpu *v = vnpu_get();
	const char *list[] = { v->board->compatible, v->soc->compatibles[0] };

	(void)n;
	return dt_strings(b, s, list, 2);
}

static int show_dt_model(const struct vnode *n, char *b, size_t s)
{
	const char *list[] = { vnpu_get()->board->model };

	(void)n;
	return dt_strings(b, s, list, 1);
}

static int show_dt_npu_compatible(const struct vnode *n, char *b, size_t s)
{
	const char *list[] = { vnpu_get()->soc->npu_compatible };

	(void)n;
	return dt_strings(b, s, list, 1);
}

static int show_dt_iommu_compatible(const struct vnode *n, char *b, size_t s)
{
	const char *const *list = vnpu_get()->soc->iommu_compatibles;
	unsigned int nr = 0;

	(void)n;
	while (list[nr])
		nr++;
	return dt_strings(b, s, list, nr);
}

static int show_dt_okay(const struct vnode *n, char *b, size_t s)
{
	const char *list[] = { "okay" };

	(void)n;
	return dt_strings(b, s, list, 1);
}

static int show_dt_reg_names(const struct vnode *n, char *b, size_t s)
{
	const char *list[] = { "pc", "cna", "core" };

	(void)n;
	return dt_strings(b, s, list, 3);
}

static int show_dt_clock_names(const struct vnode *n, char *b, size_t s)
{
	(void)n;
	return dt_strings(b, s, vnpu_get()->soc->clock_names, HW_SOC_NR_CLOCKS);
}

static int show_dt_reset_names(const struct vnode *n, char *b, size_t s)
{
	const char *list[] = { "srst_a", "srst_h" };

	(void)n;
	return dt_strings(b, s, list, 2);
}

/* ---- system sleep (Documentation/ABI sysfs-power, sysfs-class-rtc) ---- */
/*
 * The RTC alarm in seconds since the epoch, 0 = none.  wakealarm accepts
 * "0" (clear), "+N" (N seconds from now), "+=N" (push an armed alarm) or
 * an absolute time, and refuses a new alarm while one is armed (EBUSY),
 * like the rtc class's wakealarm_store().
 */
static long long rtc_alarm_s;

static long long rtc_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec;
}

static int show_wakealarm(const struct vnode *n, char *b, size_t s)
{
	(void)n;
	if (rtc_alarm_s && rtc_alarm_s <= rtc_now_s())
		rtc_alarm_s = 0;	/* fired */
	return rtc_alarm_s ? out(b, s, "%lld\n", rtc_alarm_s) : out(b, s, "\n");
}

static int store_wakealarm(const struct vnode *n, const char *t)
{
	long long now = rtc_now_s(), alarm;
	bool adjust = false, push = false;
	char *end;

	(void)n;
	if (*t == '+') {
		t++;
		if (*t == '=')
			push = true, t++;
		else
			adjust = true;
	}
	alarm = strtoll(t, &end, 10);
	if (end == t || (*end && *end != '\n'))
		return -EINVAL;
	if (push)
		alarm += rtc_alarm_s;
	else if (adjust)
		alarm += now;
	if (alarm <= now) {
		rtc_alarm_s = 0;
		return 0;
	}
	if (rtc_alarm_s > now && !push)
		return -EBUSY;
	rtc_alarm_s = alarm;
	return 0;
}

static int show_power_state(const struct vnode *n, char *b, size_t s)
{
	(void)n;
	return out(b, s, "freeze mem\n");
}

/* "mem" is deep sleep, "freeze" s2idle; the armed RTC alarm is the only wake source. */
static int store_power_state(const struct vnode *n, const char *t)
{
	long long now = rtc_now_s();
	const char *label;
	int ret;

	(void)n;
	if (!strncmp(t, "mem", 3) && (!t[3] || t[3] == '\n'))
		label = "deep";
	else if (!strncmp(t, "freeze", 6) && (!t[6] || t[6] == '\n'))
		label = "s2idle";
	else
		return -EINVAL;
	/* Without a wake source a board would sleep for good: refuse. */
	if (rtc_alarm_s <= now)
		return -EBUSY;
	ret = vnpu_pm_system_sleep(label, vnpu_now_ns() +
				   (uint64_t)(rtc_alarm_s - now) * 1000000000ull);
	if (!ret)
		rtc_alarm_s = 0;
	return ret;
}

/* ---- regulator ---- */
static bool npu_domain_on(void)
{
	struct vnpu *v = vnpu_get();

	for (unsigned int i = 0; i < v->soc->num_cores; i++)
		if (v->cores[i].pm.active)
			return true;
	return false;
}

static int show_reg_name(const struct vnode *n, char *b, size_t s)
{
	(void)n;
	return out(b, s, "%s\n", vnpu_get()->board->regulator_name);
}

/* need_regulator domain (RFC v4 9/9, rk3588-base.dtsi): the supply follows the domain. */
static int show_reg_state(const struct vnode *n, char *b, size_t s)
{
	(void)n;
	return out(b, s, "%s\n", npu_domain_on() ? "enabled" : "disabled");
}

static int show_reg_uv(const struct vnode *n, char *b, size_t s)
{
	(void)n;
	return out(b, s, "%u\n", vnpu_get()->board->regulator_uv);
}

static int show_reg_users(const struct vnode *n, char *b, size_t s)
{
	(void)n;
	return out(b, s, "%d\n", npu_domain_on() ? 1 : 0);
}

/* ---- clocks ---- */
struct vclk {
	char name[32];
	uint64_t rate;
	unsigned int enable;
	unsigned int prepare;
	char consumer[32];
	const char *con_id;
	bool hw_gated;			/* enabled in software, gate off */
};

/* The model's clock list: per core aclk/hclk, shared npu and pclk. */
static unsigned int clk_list(struct vclk *list, unsigned int max)
{
	struct vnpu *v = vnpu_get();
	unsigned int n = 0;

	for (unsigned int i = 0; i < v->soc->num_cores && n + 2 <= max; i++) {
		struct vnpu_core *c = &v->cores[i];

		snprintf(list[n].name, sizeof(list[n].name), "%s", v->soc->core_aclk[i]);
		list[n].rate = VNPU_ACLK_RATE;
		list[n].enable = list[n].prepare = c->clk_enable[VNPU_CLK_ACLK];
		snprintf(list[n].consumer, sizeof(list[n].consumer), "%s", c->name);
		list[n++].con_id = "aclk";
		snprintf(list[n].name, sizeof(list[n].name), "%s", v->soc->core_hclk[i]);
		list[n].rate = VNPU_HCLK_RATE;
		list[n].enable = list[n].prepare = c->clk_enable[VNPU_CLK_HCLK];
		snprintf(list[n].consumer, sizeof(list[n].consumer), "%s", c->name);
		list[n++].con_id = "hclk";
	}
	if (n + 2 > max)
		return n;
	snprintf(list[n].name, sizeof(list[n].name), "%s", v->soc->npu_clk);
	list[n].rate = v->board->npu_clk_rate;
	snprintf(list[n + 1].name, sizeof(list[n + 1].name), "%s", v->soc->pclk);
	list[n + 1].rate = VNPU_PCLK_RATE;
	for (unsigned int i = 0; i < v->soc->num_cores; i++) {
		list[n].enable += v->cores[i].clk_enable[VNPU_CLK_NPU];
		list[n + 1].enable += v->cores[i].clk_enable[VNPU_CLK_PCLK];
	}
	list[n].prepare = list[n].enable;
	list[n + 1].prepare = list[n + 1].enable;
	snprintf(list[n].consumer, sizeof(list[n].consumer), "%s", v->cores[0].name);
	snprintf(list[n + 1].consumer, sizeof(list[n + 1].consumer), "%s",
		 v->cores[0].name);
	list[n].con_id = "npu";
	/* Fault compute-clock-gated: the core clock's gate stays off. */
	list[n].hw_gated = vnpu_fault(v, VNPU_FAULT_COMPUTE_CLOCK_GATED);
	list[n + 1].con_id = "pclk";
	return n + 2;
}

/*
 * Mainline's clk_bulk lookup never sets .id (rocket_core.c clock lookup): each
 * core's four handles all resolve to clock index 0, aclk's clock, and
 * carry no connection id; rocket holds no handle on hclk, npu or pclk.
 * Rewrites c as clk_summary then shows it; returns the handles on c.
 */
static unsigned int clk_bug_handles(struct vclk *c)
{
	if (!vnpu_get()->kernel->clk_lookup_bug)
		return 1;
	c->con_id = "no_connection_id";
	if (!strncmp(c->name, "aclk_npu", 8))
		return VNPU_NR_CLKS;
	snprintf(c->consumer, sizeof(c->consumer), "deviceless");
	return 1;
}

static int show_clk_summary(const struct vnode *n, char *b, size_t s)
{
	struct vclk list[8] = { 0 };
	unsigned int nr = clk_list(list, 8);
	int len;

	(void)n;
	len = out(b, s, "%s\n%s\n%s\n",
		  "                                 enable  prepare  protect                                duty  hardware                            connection",
		  "   clock                          count    count    count        rate   accuracy phase  cycle    enable   consumer                         id",
		  "---------------------------------------------------------------------------------------------------------------------------------------------");
	for (unsigned int i = 0; i < nr && (size_t)len < s - 1; i++) {
		unsigned int handles = clk_bug_handles(&list[i]);

		len += out(b + len, s - len,
			   " %-30s %-7u %-8u %-8u %-11llu %-10u %-5d %-6d %5c  %-30s %s\n",
			   list[i].name, list[i].enable, list[i].prepare, 0u,
			   (unsigned long long)list[i].rate, 0u, 0, 50000,
			   list[i].enable && !list[i].hw_gated ? 'Y' : 'N',
			   list[i].consumer,
			   list[i].con_id);
		/* Further handles on the same clock: one line each, consumer columns only. */
		for (unsigned int h = 1; h < handles && (size_t)len < s - 1; h++)
			len += out(b + len, s - len, "%110s%-30s %s\n", "",
				   list[i].consumer, list[i].con_id);
	}
	return len;
}

static int show_clk_field(const struct vnode *n, char *b, size_t s)
{
	struct vclk list[8] = { 0 };
	unsigned int nr = clk_list(list, 8);
	int idx = n->arg >> 4, field = n->arg & 0xf;

	if (idx >= (int)nr)
		return out(b, s, "0\n");
	if (field == 0)
		return out(b, s, "%u\n", list[idx].enable);
	if (field == 1)
		return out(b, s, "%u\n", list[idx].prepare);
	return out(b, s, "%llu\n", (unsigned long long)list[idx].rate);
}

static int show_genpd_summary(const struct vnode *n, char *b, size_t s)
{
	struct vnpu *v = vnpu_get();
	const struct hw_soc_facts *soc = v->soc;
	char children[96] = "";
	int len;

	(void)n;
	len = out(b, s, "domain                          status          children        performance\n"
		  "    /device                             runtime status                  managed by\n"
		  "------------------------------------------------------------------------------\n");
	/* Cores in a child domain of the NPU's (pm-domains.c): RK3588 nputop, npu1, npu2. */
	for (unsigned int i = 0; i < soc->num_cores; i++)
		if (strcmp(soc->core_power_domain[i], soc->npu_power_domain))
			snprintf(children + strlen(children), sizeof(children) - strlen(children),
				 "%s%s", children[0] ? ", " : "", soc->core_power_domain[i]);
	len += out(b + len, s - len, "%-32s%-16s%-16s%u\n", soc->npu_power_domain,
		   npu_domain_on() ? "on" : "off-0", children, 0u);
	for (unsigned int i = 0; i < soc->num_cores; i++) {
		struct vnpu_core *c = &v->cores[i];

		if (strcmp(soc->core_power_domain[i], soc->npu_power_domain))
			len += out(b + len, s - len, "%-32s%-16s%-16s%u\n",
				   soc->core_power_domain[i], c->pm.active ? "on" : "off-0",
				   "", 0u);
		len += out(b + len, s - len, "    /devices/platform/%-20s%-24s%-12u%s\n",
			   c->name,
			   !c->bound ? "unsupported" :
			   c->pm.active ? "active" : "suspended", 0u, "SW");
	}
	return len;
}

/* ---- table ---- */
static struct vnode *vadd(enum vnode_kind kind, int arg, vnode_show_fn *show,
			  vnode_store_fn *store, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/*
 * The table is built once when vnpu starts; without it no sysfs file
 * exists, so running out of memory here ends the process, loudly, rather
 * than letting every later read fail as if the board had no such file.
 */
static void *vnode_check_alloc(void *p)
{
	if (!p) {
		fprintf(stderr, "vnpu: out of memory building the sysfs table\n");
		abort();
	}
	return p;
}

static struct vnode *vadd(enum vnode_kind kind, int arg, vnode_show_fn *show,
			  vnode_store_fn *store, const char *fmt, ...)
{
	char path[256];
	struct vnode *n;
	va_list ap;

	if (nr_vnodes == cap_vnodes) {
		unsigned int cap = cap_vnodes ? cap_vnodes * 2 : 64;

		vnodes = vnode_check_alloc(realloc(vnodes, cap * sizeof(*vnodes)));
		cap_vnodes = cap;
	}
	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	n = &vnodes[nr_vnodes++];
	*n = (struct vnode){ .path = vnode_check_alloc(strdup(path)), .kind = kind,
			     .arg = arg, .show = show, .store = store };
	return n;
}

static void vlink(int arg, bool (*visible)(const struct vnode *),
		  const char *target, const char *path)
{
	struct vnode *n = vadd(VN_LINK, arg, NULL, NULL, "%s", path);

	n->link = vnode_check_alloc(strdup(target));
	n->visible = visible;
}

static void build_core_nodes(struct vnpu_core *c)
{
	const char *dev = "/sys/bus/platform/devices";
	char path[256], target[256];
	int i = (int)c->index;

	vadd(VN_FILE, i, show_runtime_status, NULL, "%s/%s/power/runtime_status", dev, c->name);
	vadd(VN_FILE, i, show_active_time, NULL, "%s/%s/power/runtime_active_time", dev, c->name);
	vadd(VN_FILE, i, show_suspended_time, NULL, "%s/%s/power/runtime_suspended_time", dev, c->name);
	vadd(VN_FILE, i, show_runtime_usage, NULL, "%s/%s/power/runtime_usage", dev, c->name);
	vadd(VN_FILE, i, show_control, store_control, "%s/%s/power/control", dev, c->name);
	vadd(VN_FILE, i, show_autosuspend, store_autosuspend, "%s/%s/power/autosuspend_delay_ms", dev, c->name);
	vadd(VN_FILE, i, show_uevent, NULL, "%s/%s/uevent", dev, c->name);
	snprintf(path, sizeof(path), "%s/%s/driver", dev, c->name);
	vlink(i, vis_core_bound, "../../../bus/platform/drivers/rocket", path);
	snprintf(path, sizeof(path), "/sys/bus/platform/drivers/rocket/%s", c->name);
	snprintf(target, sizeof(target), "../../../../devices/platform/%s", c->name);
	vlink(i, vis_core_bound, target, path);
	snprintf(path, sizeof(path), "/sys/class/iommu/%s/devices/%s", c->mmu_name, c->name);
	snprintf(target, sizeof(target), "../../../../devices/platform/%s", c->name);
	vlink(i, NULL, target, path);
	/* The IOMMU core's links (rocket_drv.c): group, class device, DT node. */
	snprintf(path, sizeof(path), "%s/%s/iommu_group", dev, c->name);
	snprintf(target, sizeof(target), "../../../kernel/iommu_groups/%u", c->iommu_group);
	vlink(i, NULL, target, path);
	snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%u/devices/%s", c->iommu_group, c->name);
	snprintf(target, sizeof(target), "../../../../devices/platform/%s", c->name);
	vlink(i, NULL, target, path);
	snprintf(path, sizeof(path), "%s/%s/iommu", dev, c->name);
	snprintf(target, sizeof(target), "../%s/iommu/%s", c->mmu_name, c->mmu_name);
	vlink(i, NULL, target, path);
	vadd(VN_FILE, i, show_dt_iommu_compatible, NULL, "%s/%s/of_node/compatible", dev, c->mmu_name);
	vadd(VN_FILE, i, show_dt_npu_compatible, NULL, "/proc/device-tree/npu@%llx/compatible", (unsigned long long)c->base);
	vadd(VN_FILE, i, show_dt_okay, NULL, "/proc/device-tree/npu@%llx/status", (unsigned long long)c->base);
	vadd(VN_FILE, i, show_dt_reg_names, NULL, "/proc/device-tree/npu@%llx/reg-names", (unsigned long long)c->base);
	vadd(VN_FILE, i, show_dt_clock_names, NULL, "/proc/device-tree/npu@%llx/clock-names", (unsigned long long)c->base);
	vadd(VN_FILE, i, show_dt_reset_names, NULL, "/proc/device-tree/npu@%llx/reset-names", (unsigned long long)c->base);
	vadd(VN_FILE, i, show_dt_iommu_compatible, NULL, "/proc/device-tree/iommu@%llx/compatible", (unsigned long long)vnpu_get()->soc->mmu_base[i]);
	vadd(VN_FILE, i, show_dt_okay, NULL, "/proc/device-tree/iommu@%llx/status", (unsigned long long)vnpu_get()->soc->mmu_base[i]);
}

static void build_clk_nodes(void)
{
	struct vclk list[8] = { 0 };
	unsigned int nr = clk_list(list, 8);

	vadd(VN_FILE, 0, show_clk_summary, NULL, "/sys/kernel/debug/clk/clk_summary");
	for (unsigned int i = 0; i < nr; i++) {
		vadd(VN_FILE, (int)(i << 4), show_clk_field, NULL, "/sys/kernel/debug/clk/%s/clk_enable_count", list[i].name);
		vadd(VN_FILE, (int)(i << 4 | 1), show_clk_field, NULL, "/sys/kernel/debug/clk/%s/clk_prepare_count", list[i].name);
		vadd(VN_FILE, (int)(i << 4 | 2), show_clk_field, NULL, "/sys/kernel/debug/clk/%s/clk_rate", list[i].name);
	}
}

static void vfs_build(void)
{
	struct vnpu *v = vnpu_get();
	const char *reg = "/sys/class/regulator/regulator";
	struct vnode *n;

	if (vnodes)
		return;
	for (int m = 0; m < VNPU_MAX_MINORS; m++) {
		n = vadd(VN_DEV, m, NULL, NULL, "/dev/accel/accel%d", m);
		n->visible = vis_minor;
		n = vadd(VN_FILE, m, show_accel_dev, NULL, "/sys/class/accel/accel%d/dev", m);
		n->visible = vis_minor;
		/* The facade (rocket_drv.c: platform_device_register_simple("rknn")). */
		n = vadd(VN_LINK, m, NULL, NULL, "/sys/class/accel/accel%d/device", m);
		n->link = strdup("../../../rknn");
		n->visible = vis_minor;
	}
	vadd(VN_DEV, 0, NULL, NULL, "/dev/kmsg");
	n = vadd(VN_FILE, 0, NULL, store_bind, "/sys/bus/platform/drivers/rocket/bind");
	n->visible = vis_module;
	n = vadd(VN_FILE, 1, NULL, store_bind, "/sys/bus/platform/drivers/rocket/unbind");
	n->visible = vis_module;
	n = vadd(VN_FILE, 0, show_initstate, NULL, "/sys/module/rocket/initstate");
	n->visible = vis_module;
	n = vadd(VN_FILE, 0, show_pstore, NULL, "/sys/fs/pstore/dmesg-ramoops-0");
	n->visible = vis_pstore;
	for (unsigned int i = 0; i < v->soc->num_cores; i++)
		build_core_nodes(&v->cores[i]);
	build_clk_nodes();
	vadd(VN_FILE, 0, show_genpd_summary, NULL, "/sys/kernel/debug/pm_genpd/pm_genpd_summary");
	vadd(VN_FILE, 0, show_reg_name, NULL, "%s.%d/name", reg, VNPU_REGULATOR_INDEX);
	vadd(VN_FILE, 0, show_reg_state, NULL, "%s.%d/state", reg, VNPU_REGULATOR_INDEX);
	vadd(VN_FILE, 0, show_reg_uv, NULL, "%s.%d/microvolts", reg, VNPU_REGULATOR_INDEX);
	vadd(VN_FILE, 0, show_reg_users, NULL, "%s.%d/num_users", reg, VNPU_REGULATOR_INDEX);
	vadd(VN_FILE, 0, show_power_state, store_power_state, "/sys/power/state");
	vadd(VN_FILE, 0, show_wakealarm, store_wakealarm, "/sys/class/rtc/rtc0/wakealarm");
	vadd(VN_FILE, 0, show_dt_compatible, NULL, "/proc/device-tree/compatible");
	vadd(VN_FILE, 0, show_dt_model, NULL, "/proc/device-tree/model");
	vadd(VN_FILE, 0, show_tainted, NULL, "/proc/sys/kernel/tainted");
}

/* ---- lookups ---- */
bool vnpu_vfs_owns(const char *path)
{
	for (size_t i = 0; i < sizeof(vfs_roots) / sizeof(vfs_roots[0]); i++) {
		size_t l = strlen(vfs_roots[i]);

		if (!strncmp(path, vfs_roots[i], l) &&
		    (path[l] == '\0' || path[l] == '/'))
			return true;
	}
	return false;
}

static bool node_visible(const struct vnode *n)
{
	return !n->visible || n->visible(n);
}

static const struct vnode *node_find(const char *path)
{
	vfs_build();
	for (unsigned int i = 0; i < nr_vnodes; i++)
		if (!strcmp(vnodes[i].path, path) && node_visible(&vnodes[i]))
			return &vnodes[i];
	return NULL;
}

/* Is path a directory implied by some visible node (or a modelled root)? */
static bool dir_exists(const char *path)
{
	size_t l = strlen(path);

	if (!strcmp(path, "/dev/accel") || !strcmp(path, "/sys"))
		return true;
	vfs_build();
	for (unsigned int i = 0; i < nr_vnodes; i++)
		if (!strncmp(vnodes[i].path, path, l) && vnodes[i].path[l] == '/' &&
		    node_visible(&vnodes[i]))
			return true;
	return false;
}

int vnpu_vfs_read(const char *path, char *buf, size_t size)
{
	const struct vnode *n = node_find(path);

	if (!n)
		return dir_exists(path) ? -EISDIR : -ENOENT;
	if (n->kind != VN_FILE)
		return -EINVAL;
	if (!n->show)
		return -EACCES;	/* write-only attribute */
	if (!size)
		return 0;
	vnpu_pm_update(vnpu_now_ns());
	return n->show(n, buf, size);
}

int vnpu_vfs_write(const char *path, const char *text)
{
	const struct vnode *n = node_find(path);

	if (!n)
		return dir_exists(path) ? -EISDIR : -ENOENT;
	if (!n->store)
		return -EACCES;
	return n->store(n, text);
}

int vnpu_vfs_exists(const char *path)
{
	return node_find(path) || dir_exists(path) ? 0 : -ENOENT;
}

ssize_t vnpu_vfs_readlink(const char *path, char *buf, size_t size)
{
	const struct vnode *n = node_find(path);

	if (!n)
		return -ENOENT;
	if (n->kind != VN_LINK)
		return -EINVAL;
	snprintf(buf, size, "%s", n->link);
	return (ssize_t)strlen(buf);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, de-duplicated child names of dir; caller frees each and the array. */
int vnpu_vfs_names(const char *dir, char ***out)
{
	size_t l = strlen(dir);
	char **names;
	unsigned int nr = 0;

	vfs_build();	/* dir_exists() answers the roots without building */
	while (l > 1 && dir[l - 1] == '/')
		l--;
	if (!dir_exists(dir) && !(l < strlen(dir)))
		return node_find(dir) ? -ENOTDIR : -ENOENT;
	names = calloc(nr_vnodes + 1, sizeof(*names));
	if (!names)
		return -ENOMEM;
	for (unsigned int i = 0; i < nr_vnodes; i++) {
		const char *p = vnodes[i].path, *rest, *slash;
		size_t len;
		bool dup = false;

		if (strncmp(p, dir, l) || p[l] != '/' || !node_visible(&vnodes[i]))
			continue;
		rest = p + l + 1;
		slash = strchr(rest, '/');
		len = slash ? (size_t)(slash - rest) : strlen(rest);
		for (unsigned int j = 0; j < nr && !dup; j++)
			dup = strlen(names[j]) == len && !strncmp(names[j], rest, len);
		if (!dup)
			names[nr++] = strndup(rest, len);
	}
	qsort(names, nr, sizeof(*names), name_cmp);
	*out = names;
	return (int)nr;
}
