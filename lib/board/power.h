/* SPDX-License-Identifier: MIT */
/*
 * power — the NPU's power state as the kernel shows it, read and changed
 * through the platform seam: runtime PM (power/ of the core's platform
 * device), the generic power domain (debugfs pm_genpd_summary), the four
 * core clocks (debugfs clk_summary), the NPU supply (/sys/class/regulator),
 * driver bind/unbind, the rocket module's state, and system sleep through
 * the RTC wake alarm.
 *
 * Contract:
 *  - Every access is a plat_*() call; nothing here knows which backend
 *    runs.  Paths are the board's (rocket_drv.c, rocket_core.c runtime PM, Rockchip device trees).
 *  - Readers return 0 or a negative errno and never assert, so a test
 *    decides what is a skip (file absent: feature not built) and what is a
 *    failure.  The parsers (power_*_parse()) are pure and need no device;
 *    selftests/unit/power_lib_*.c test them on captured text.
 *  - A core is named by its platform device, "<addr>.npu" (rocket_drv.c), built
 *    from the NPU node address lib/rocket identifies (power_core_name()).
 *  - power_restore_on_exit() is the restore guarantee: it records a core's
 *    writable settings (power/control, power/autosuspend_delay_ms, driver
 *    binding) once and writes them back from an igt exit handler, which
 *    runs on normal exit, on fatal signals and when the per-subtest
 *    watchdog fires (igt_core.h).  Tests change settings only after it.
 */
#ifndef RKVAL_POWER_H
#define RKVAL_POWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/soc.h"

/* ---- paths (rocket_drv.c, rocket_core.c runtime PM; kernel ABI documents) ---- */

#define POWER_PLATFORM_DEVICES	"/sys/bus/platform/devices"
/* platform driver .name = "rocket" (rocket_drv.c) */
#define POWER_ROCKET_DRIVER	"/sys/bus/platform/drivers/rocket"
#define POWER_GENPD_SUMMARY	"/sys/kernel/debug/pm_genpd/pm_genpd_summary"
#define POWER_CLK_SUMMARY	"/sys/kernel/debug/clk/clk_summary"
#define POWER_REGULATOR_CLASS	"/sys/class/regulator"
/* A loadable module has initstate; a built-in one has none (sysfs-module ABI). */
#define POWER_ROCKET_MODULE	"/sys/module/rocket"
#define POWER_PROC_MODULES	"/proc/modules"
#define POWER_SYS_POWER_STATE	"/sys/power/state"
#define POWER_RTC_WAKEALARM	"/sys/class/rtc/rtc0/wakealarm"

/* rocket_core_init(): pm_runtime_set_autosuspend_delay(dev, 50) (rocket_device.c, rocket_core.c probe, rocket_core.c runtime PM). */
#define POWER_NPU_AUTOSUSPEND_MS	50

/* DT clock-names of every NPU core, in binding order: hw_npu_clock_names. */
#define POWER_NPU_NR_CLKS	HW_SOC_NR_CLOCKS

/*
 * Plausible rate range of any NPU clock.  Lowest: RK3568 PCLK_NPU_PRE and
 * HCLK run at tens of MHz (UNCONFIRMED: no board's clk_summary seen),
 * so anything under 1 MHz is a parked/unclocked mux.  Highest: the
 * RK3568 PVTPLL mode starts at 600 MHz and the RFC sets 1 GHz (RK3568 RFC DT patch, RK3568 RFC);
 * 2 GHz leaves margin.  Empirical bounds, not kernel constants.
 */
#define POWER_CLK_RATE_MIN_HZ	1000000ull
#define POWER_CLK_RATE_MAX_HZ	2000000000ull

/* Name of the core's platform device for the NPU node at base ("fde40000.npu"). */
int power_core_name(uint64_t base, char *buf, size_t size);

/* ---- runtime PM (Documentation/ABI/testing/sysfs-devices-power) ---- */

enum power_rpm_status {
	POWER_RPM_UNKNOWN = 0,
	POWER_RPM_ACTIVE,
	POWER_RPM_RESUMING,
	POWER_RPM_SUSPENDED,
	POWER_RPM_SUSPENDING,
	POWER_RPM_UNSUPPORTED,
	POWER_RPM_ERROR,
};

struct power_rpm {
	enum power_rpm_status status;
	uint64_t active_ms;		/* runtime_active_time */
	uint64_t suspended_ms;		/* runtime_suspended_time */
	char control[8];		/* "auto" or "on" */
	int autosuspend_ms;		/* autosuspend_delay_ms */
};

enum power_rpm_status power_rpm_status_parse(const char *text);
const char *power_rpm_status_name(enum power_rpm_status s);
/* Read all of dev's power/ files; 0 or the first -errno. */
int power_rpm_read(const char *dev, struct power_rpm *rpm);
/* POWER_RPM_UNKNOWN when unreadable. */
enum power_rpm_status power_rpm_status(const char *dev);
/*
 * Poll runtime_status until it reads want or timeout_ms passes (polls
 * every POWER_POLL_MS).  0, or -ETIMEDOUT with *seen the last status.
 */
#define POWER_POLL_MS	2
int power_rpm_wait(const char *dev, enum power_rpm_status want, int timeout_ms,
		   enum power_rpm_status *seen);
int power_rpm_set_control(const char *dev, const char *control);
int power_rpm_set_autosuspend(const char *dev, int ms);

/* ---- the settings a power test may change, and their restore ---- */

struct power_settings {
	char control[8];
	int autosuspend_ms;
	bool bound;			/* rocket bound to dev */
};

int power_settings_read(const char *dev, struct power_settings *s);
/* Write back control, delay and binding (binding first); 0 or first -errno. */
int power_settings_apply(const char *dev, const struct power_settings *s);
bool power_settings_equal(const struct power_settings *a,
			  const struct power_settings *b);
/* "control=auto autosuspend_delay_ms=50 bound=1" */
int power_settings_format(const struct power_settings *s, char *buf, size_t size);

/*
 * Record dev's settings now (first call per dev only) and install, once, an
 * igt exit handler that re-applies them.  Up to POWER_MAX_RESTORE devices.
 * 0 or -errno (settings unreadable: the caller should not change them).
 */
#define POWER_MAX_RESTORE	4
int power_restore_on_exit(const char *dev);
/* Re-apply every recorded setting now (the exit handler's body). */
void power_restore_now(void);

/*
 * power_state.c: the recorded settings also go to a state file before the
 * caller changes anything (power_restore_on_exit() does it), because no
 * exit handler runs after SIGKILL.  power_state_recover() restores what a
 * process that did not exit left there, warning once per device, and
 * returns how many it restored (0: none or no file), -EBUSY when a live
 * run holds the file, -EINVAL on a malformed file (named with its line).
 * power_state_clear() removes this process's file on a clean exit.
 */
int power_state_recover(void);
int power_state_record(const char (*devs)[48], const struct power_settings *s,
		       unsigned int n);
void power_state_clear(void);

/* ---- generic power domains (debugfs pm_genpd_summary) ---- */

struct power_genpd {
	bool found;			/* the domain has a line */
	char name[32];			/* the domain's name */
	bool on;			/* its status column starts with "on" */
	char status[16];		/* "on", "off-0", ... as printed */
	bool dev_listed;		/* dev appears under the domain */
	char dev_rpm[16];		/* the device's runtime status column */
};

/*
 * Parse pm_genpd_summary text: the line of domain and, when dev is not
 * NULL, the device line under it whose path ends in "/dev".  domain NULL
 * means "the domain that lists dev": the NPU's is "npu" on RK3568 but
 * "nputop", "npu1", "npu2" per core on RK3588 (rk3588-base.dtsi, RK3568 RFC DT patch).  Pure.
 * 0, or -ENOENT when the domain (or, for NULL, dev) is not listed.
 */
int power_genpd_parse(const char *text, const char *domain, const char *dev,
		      struct power_genpd *pd);
int power_genpd_read(const char *domain, const char *dev, struct power_genpd *pd);

/* ---- clocks (debugfs clk_summary) ---- */

struct power_clk {
	char con_id[16];		/* the name asked for ("hclk") */
	bool found;			/* dev holds a clk with this con_id */
	char clk[48];			/* the clock it resolved to ("hclk_npu") */
	unsigned int enable_count;
	unsigned int prepare_count;
	uint64_t rate_hz;
	char hw_enabled;		/* 'Y', 'N', '?' or 0 when not printed */
	unsigned int dev_handles;	/* clk handles dev holds on that clock */
	bool by_clock_name;		/* found through an unnamed handle (below) */
};

/*
 * Parse clk_summary text (with the per-clock consumer columns of kernels
 * since 6.10: "... hardware enable, consumer, connection id").  For each
 * con_ids[i] fills clks[i] from the clock on which dev holds a handle with
 * that connection id.  A handle without one prints "no_connection_id":
 * that is how the mainline lookup bug shows (rocket_core.c clock lookup) — all four handles on
 * aclk's clock, none named.  An unnamed handle of dev on a clock whose
 * name starts with "<con_id>_" ("aclk_npu") is attributed to that con_id
 * (by_clock_name), so with the bug aclk still reads as enabled and only
 * the three clocks nobody requested are reported.  Pure; returns the
 * number found.
 */
int power_clk_parse(const char *text, const char *dev,
		    const char *const *con_ids, unsigned int n,
		    struct power_clk *clks);
/* Handles dev holds without a connection id (the rocket_core.c clock lookup bug's signature). */
unsigned int power_clk_unnamed_handles(const char *text, const char *dev);
int power_clk_read(const char *dev, const char *const *con_ids, unsigned int n,
		   struct power_clk *clks);
bool power_clk_rate_plausible(uint64_t rate_hz);
/*
 * Why clk is not usable, or NULL when it is enabled at a plausible rate:
 * "not requested", "disabled", "hardware gated", "rate 0 Hz".  buf holds
 * the reason.
 */
const char *power_clk_problem(const struct power_clk *clk, char *buf, size_t size);

/*
 * For a failed job's verdict: "; NPU clocks: npu (scmi_clk_npu) enabled
 * but hardware gated, ..." naming every clock of dev with a problem, or ""
 * when all four are fine or clk_summary cannot be read.  Returns buf.
 */
char *power_clk_hint(const char *dev, char *buf, size_t size);

/* ---- regulators (/sys/class/regulator, sysfs-class-regulator ABI) ---- */

struct power_regulator {
	char dir[96];			/* /sys/class/regulator/regulator.N */
	char name[48];
	bool enabled;			/* state == "enabled" */
	char state[16];
	long microvolts;		/* -1 when not readable */
};

/*
 * Board names of the NPU supply: ROCK 3B vdd_npu (RK809 DCDC_REG4, RK3568 RFC DT patch),
 * RK3588 boards vdd_npu_s0 (binding example, rk3588-base.dtsi).  NULL-terminated.
 */
extern const char *const power_npu_supply_names[];
/* Find the first regulator whose name is in names; 0 or -ENOENT. */
int power_regulator_find(const char *const *names, struct power_regulator *reg);
/* Re-read state and voltage of a found regulator. */
int power_regulator_refresh(struct power_regulator *reg);

/* ---- driver binding and module ---- */

bool power_driver_bound(const char *dev);
int power_driver_unbind(const char *dev);
int power_driver_bind(const char *dev);
/* Poll until the binding reads bound, or timeout_ms; 0 or -ETIMEDOUT. */
int power_driver_wait_bound(const char *dev, bool bound, int timeout_ms);

enum power_module_kind {
	POWER_MODULE_ABSENT,		/* no rocket driver at all */
	POWER_MODULE_BUILTIN,		/* driver registered, no initstate */
	POWER_MODULE_LOADABLE,		/* /sys/module/rocket/initstate exists */
};
/* Also fills state ("live", "coming", "going") when loadable and state != NULL. */
enum power_module_kind power_rocket_module(char *state, size_t size);
/* Pure: does /proc/modules text list module name? */
bool power_proc_modules_has(const char *text, const char *name);

/* ---- system sleep through the RTC wake alarm (rtcwake without exec) ---- */

/*
 * What rtcwake(8) does, through plat_write_file(): clear the alarm
 * ("0"), arm it seconds ahead ("+N", relative form of the wakealarm
 * attribute), then write the sleep state to /sys/power/state; the write
 * returns after resume.  power_sleep_supported() says which state to use
 * ("mem" preferred, then "freeze") or returns -EOPNOTSUPP with a reason.
 */
int power_sleep_supported(char *state, size_t size, char *why, size_t whylen);
int power_rtc_sleep(const char *state, unsigned int seconds);

/* ---- kernel-log lines of power failures (RK3568 RFC DT patch, RK3568 RFC) ---- */

/*
 * rockchip pm-domains (drivers/pmdomain/rockchip/pm-domains.c): "failed to
 * set idle on domain '%s', val=%d", "failed to get ack on domain '%s',
 * val=0x%x", and "failed to set domain '%s', val=%d" (newer kernels:
 * "failed to set domain '%s' %s, val=%d" with on/off); an asynchronous
 * SError (arm64 "SError Interrupt on CPU…") when a QoS register is saved
 * behind a gated NoC — the reason RFC v4 gives pd_npu no pm_qos (RK3568 RFC DT patch).
 * The NPU's genpd names: "npu" on RK3568 (DOMAIN_RK3568("npu", …)); on
 * RK3588 the cores sit in "nputop", "npu1" and "npu2", children of "npu"
 * (the regulator-backed VD_NPU; rk3588-power.h, rk3588-base.dtsi).
 */
#define POWER_KMSG_NPU_DOMAIN	"'(npu|nputop|npu1|npu2)'"
#define POWER_KMSG_IDLE_FAIL	"failed to set idle on domain " POWER_KMSG_NPU_DOMAIN
#define POWER_KMSG_ACK_FAIL	"failed to get ack on domain " POWER_KMSG_NPU_DOMAIN ", val=0x[0-9a-f]+"
#define POWER_KMSG_SET_FAIL	"failed to set domain " POWER_KMSG_NPU_DOMAIN "( on| off)?, val=-?[0-9]+"
#define POWER_KMSG_SERROR	"SError"
#define POWER_KMSG_QOS		"(rockchip_pmu_save_qos|save_qos|qos.*(fault|abort|SError))"
/*
 * Every line of a power-off failure (the lines above, with the SError's
 * call trace through the QoS save and genpd): what tests that do not
 * judge power domains tolerate, so that npu_power_domain alone names it.
 */
#define POWER_KMSG_JUDGED						\
	POWER_KMSG_SERROR "|" POWER_KMSG_QOS "|" POWER_KMSG_IDLE_FAIL "|"	\
	POWER_KMSG_ACK_FAIL "|" POWER_KMSG_SET_FAIL "|^Call trace:$|^ +(regmap_read|" \
	"rockchip_pmu_save_qos|rockchip_pd_power(_off)?|genpd_power_off|"	\
	"genpd_runtime_suspend)(\\+0x[0-9a-f]+/0x[0-9a-f]+)?$"
/*
 * An SError panics the machine (arm64 traps.c: "SError Interrupt on
 * CPU%d, code 0x%016lx -- %s", then nmi_panic()), so the run that met it
 * reports nothing; the evidence is where a later run can read it: the
 * previous boot's ramoops dumps in /sys/fs/pstore
 * (Documentation/admin-guide/ramoops.rst) and the run's console log
 * (LAVA job log, serial capture) named by RKVAL_CONSOLE_LOG.
 */
#define POWER_PSTORE_DIR	"/sys/fs/pstore"
#define POWER_CONSOLE_LOG_ENV	"RKVAL_CONSOLE_LOG"
#define POWER_KMSG_SERROR_LINE	"SError Interrupt on CPU[0-9]+, code 0x[0-9a-f]+"
/*
 * The marker the harness writes to the kernel log at each subtest start
 * (IGT igt_core.c: "[IGT] %s: starting subtest %s"): the last one before
 * the SError names what was running when the board panicked.
 */
#define POWER_IGT_KMSG_TAG	"[IGT] "
#define POWER_IGT_KMSG_START	": starting subtest "
#define POWER_IGT_KMSG_START_DYN	": starting dynamic subtest "

struct power_serror_evidence {
	char source[320];	/* "/sys/fs/pstore/dmesg-ramoops-0" or "<log>:<line>" */
	char line[160];		/* the SError line */
	bool qos_frame;		/* rockchip_pmu_save_qos in the record */
	char subtest[160];	/* "igt@BIN@SUBTEST" running at the SError, or "" */
	unsigned int sources;	/* pstore records and logs read */
};

/*
 * Look for an SError in the pstore records and the console log: 1 with
 * ev filled, 0 when none was found (ev->sources says how many places were
 * read), -errno when RKVAL_CONSOLE_LOG names a file that cannot be read.
 */
int power_serror_evidence(struct power_serror_evidence *ev);

/* Benign on RK3568 and RK3588 alike (RK3568 RFC DT patch, RK3568 RFC Diederik de Haas). */
#define POWER_KMSG_BENIGN_LINK	"Failed to create device link \\(0x180\\) with supplier"

#endif /* RKVAL_POWER_H */
