// SPDX-License-Identifier: MIT
/*
 * vnpu_pm.c — runtime PM of the NPU cores (50 ms autosuspend), the clocks
 * rocket enables on resume (per kernel profile), the power domains, the
 * NPU regulator, and driver bind/unbind with the probe log lines
 * (rocket_drv.c, rocket_device.c, rocket_core.c probe, rocket_core.c runtime PM, rocket_core.c clock lookup).
 *
 * Runtime PM is evaluated lazily: every entry into the model calls
 * vnpu_pm_update(now), which performs the autosuspend that would have
 * happened at last_busy + delay, with the time accounted at that instant.
 * No timer thread is needed and the accounting is exact.  Lock held.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vnpu/vnpu.h"

/* enum vnpu_clk_id indexes the SoC row's clock-names (hw_npu_clock_names). */
_Static_assert(VNPU_NR_CLKS == HW_SOC_NR_CLOCKS, "one vnpu clock per DT clock-name");

void vnpu_pm_init(struct vnpu_core *core)
{
	core->pm.active = false;
	core->pm.autosuspend_ms = VNPU_AUTOSUSPEND_MS;
	core->pm.accounting_ns = vnpu_now_ns();
}

static void pm_account(struct vnpu_core *core, uint64_t t)
{
	if (t < core->pm.accounting_ns)
		t = core->pm.accounting_ns;
	if (core->pm.active)
		core->pm.active_ns += t - core->pm.accounting_ns;
	else
		core->pm.suspended_ns += t - core->pm.accounting_ns;
	core->pm.accounting_ns = t;
}

/*
 * clk_bulk_prepare_enable() of the four bulk entries.  With the mainline
 * lookup bug every entry is clock index 0, aclk (rocket_core.c clock lookup).
 */
static void clks_enable(struct vnpu_core *core, int delta)
{
	bool bug = core->vnpu->kernel->clk_lookup_bug;

	for (int i = 0; i < VNPU_NR_CLKS; i++)
		core->clk_enable[bug ? VNPU_CLK_ACLK : i] += delta;
}

static void pm_resume(struct vnpu_core *core, uint64_t now)
{
	pm_account(core, now);
	core->pm.active = true;
	core->pm.resume_count++;
	clks_enable(core, 1);
	vnpu_iommu_resume(core);
}

/*
 * Fault qos-save-gated-noc: powering the NPU domain off, genpd first saves
 * the domain's QoS registers (rockchip_pmu_save_qos) — behind a NoC that
 * is already gated, so the read ends in an asynchronous SError; that is
 * why RFC v4 gives pd_npu no pm_qos (RK3568 RFC DT patch).  arm64 prints
 * "SError Interrupt on CPU%d, code 0x%016lx -- %s" and panics with the
 * reason below (arch/arm64/kernel/traps.c arm64_serror_panic()); so does
 * the model, at the first power-off (vnpu_panic.c ends the process).  The
 * syndrome value is UNCONFIRMED.
 */
#define VNPU_SERROR_ESR			0xbf000002ull
#define VNPU_SERROR_PANIC_REASON	"Asynchronous SError Interrupt"

static void qos_save_fault(void)
{
	static const char *const trace[] = {
		" regmap_read", " rockchip_pmu_save_qos", " rockchip_pd_power",
		" rockchip_pd_power_off", " genpd_power_off", " genpd_runtime_suspend",
	};

	vnpu_printk(VNPU_LOGLEVEL_EMERG, "SError Interrupt on CPU0, code 0x%016llx -- SError",
		    VNPU_SERROR_ESR);
	vnpu_printk(VNPU_LOGLEVEL_EMERG, "Call trace:");
	for (size_t i = 0; i < sizeof(trace) / sizeof(trace[0]); i++)
		vnpu_printk(VNPU_LOGLEVEL_EMERG, "%s", trace[i]);
	vnpu_panic(VNPU_SERROR_PANIC_REASON);
}

static void pm_suspend(struct vnpu_core *core, uint64_t t)
{
	pm_account(core, t);
	vnpu_iommu_suspend(core);
	clks_enable(core, -1);
	core->pm.active = false;
	core->pm.suspend_count++;
	if (vnpu_fault(core->vnpu, VNPU_FAULT_QOS_SAVE_GATED_NOC))
		qos_save_fault();
}

/* rocket_runtime_suspend() returns -EBUSY while the scheduler has credits (rocket_core.c runtime PM). */
static bool pm_may_suspend(const struct vnpu_core *core)
{
	return core->pm.active && core->pm.usage == 0 && !core->pm.control_on &&
	       !core->in_flight && !core->queued && core->bound;
}

void vnpu_pm_update(uint64_t now)
{
	struct vnpu *v = vnpu_get();

	if (!v->initialised)
		return;
	for (unsigned int i = 0; i < v->soc->num_cores; i++) {
		struct vnpu_core *core = &v->cores[i];
		/* The self-test mutation keeps rocket's delay whatever was written. */
		unsigned int delay = v->mutations[VNPU_MUTATE_IGNORE_AUTOSUSPEND_DELAY] ?
				     VNPU_AUTOSUSPEND_MS : core->pm.autosuspend_ms;
		uint64_t t = core->pm.last_busy_ns + (uint64_t)delay * VNPU_NSEC_PER_MSEC;

		if (pm_may_suspend(core) && (int)delay >= 0 && now >= t)
			pm_suspend(core, t);
		pm_account(core, now);
	}
}

int vnpu_pm_get_sync(struct vnpu_core *core)
{
	uint64_t now = vnpu_now_ns();

	vnpu_pm_update(now);
	core->pm.usage++;
	if (!core->pm.active)
		pm_resume(core, now);
	return 0;
}

void vnpu_pm_mark_last_busy(struct vnpu_core *core)
{
	core->pm.last_busy_ns = vnpu_now_ns();
}

void vnpu_pm_put_autosuspend(struct vnpu_core *core)
{
	if (core->pm.usage > 0)
		core->pm.usage--;
}

void vnpu_pm_put_noidle(struct vnpu_core *core)
{
	if (core->pm.usage > 0)
		core->pm.usage--;
	vnpu_pm_mark_last_busy(core);
}

bool vnpu_pm_powered(const struct vnpu_core *core)
{
	return core->pm.active;
}

/* power/control: "on" = pm_runtime_forbid() (resume + hold), "auto" = allow. */
void vnpu_pm_set_control(struct vnpu_core *core, bool on)
{
	uint64_t now = vnpu_now_ns();

	vnpu_pm_update(now);
	if (on == core->pm.control_on)
		return;
	core->pm.control_on = on;
	if (on && !core->pm.active && core->bound)
		pm_resume(core, now);
	if (!on)
		core->pm.last_busy_ns = now;
}

/*
 * System sleep: rocket's SYSTEM_SLEEP_PM_OPS are pm_runtime_force_suspend()
 * and pm_runtime_force_resume() (rocket_core.c runtime PM): every active core
 * suspends before the sleep and only those resume after it.  The model
 * sleeps for real until wake_ns (CLOCK_MONOTONIC), the RTC alarm's time,
 * so runtime_suspended_time grows as on a board.  The log lines are
 * kernel/power/suspend.c's.  -EBUSY with a job queued or running (the
 * model does not freeze tasks).  Lock held, and kept while asleep; a
 * pending stop signal wakes it early (vnpu_stop_signal_pending()).
 */
int vnpu_pm_system_sleep(const char *label, uint64_t wake_ns)
{
	struct vnpu *v = vnpu_get();
	bool was_active[VNPU_MAX_CORES];
	struct timespec ts;
	uint64_t now = vnpu_now_ns();

	vnpu_pm_update(now);
	for (unsigned int i = 0; i < v->soc->num_cores; i++)
		if (v->cores[i].in_flight || v->cores[i].queued)
			return -EBUSY;
	vnpu_printk(VNPU_LOGLEVEL_INFO, "PM: suspend entry (%s)", label);
	for (unsigned int i = 0; i < v->soc->num_cores; i++) {
		was_active[i] = v->cores[i].pm.active;
		if (was_active[i])
			pm_suspend(&v->cores[i], now);
	}
	/* On a board the process is frozen until the wake; here a stop
	 * signal ends the sleep early, as if another wake source fired. */
	while ((now = vnpu_now_ns()) < wake_ns && !vnpu_stop_signal_pending()) {
		uint64_t until = wake_ns - now > VNPU_SIGNAL_POLL_NS ?
				 now + VNPU_SIGNAL_POLL_NS : wake_ns;

		ts.tv_sec = (time_t)(until / 1000000000ull);
		ts.tv_nsec = (long)(until % 1000000000ull);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
	now = vnpu_now_ns();
	for (unsigned int i = 0; i < v->soc->num_cores; i++) {
		pm_account(&v->cores[i], now);
		if (was_active[i]) {
			pm_resume(&v->cores[i], now);
			v->cores[i].pm.last_busy_ns = now;
		}
	}
	vnpu_printk(VNPU_LOGLEVEL_INFO, "PM: suspend exit");
	return 0;
}

bool vnpu_clk_consumed(const struct vnpu *v, enum vnpu_clk_id id)
{
	for (unsigned int i = 0; i < v->soc->num_cores; i++)
		if (v->cores[i].clk_enable[id])
			return true;
	return false;
}

/* ---- bind / unbind ---- */
/* The one compatible every rocket version matches (rocket_drv.c dt_match). */
#define VNPU_RK3588_NPU_COMPATIBLE	"rockchip,rk3588-rknn-core"

/* Does the profile's rocket dt_match list this SoC's NPU compatible? */
static bool driver_matches(const struct vnpu *v)
{
	return !strcmp(v->soc->npu_compatible, VNPU_RK3588_NPU_COMPATIBLE) ||
	       v->kernel->probes_rk3568;
}

/* rocket_probe(): drm registration on the first core, then the core's init (rocket_device.c, rocket_core.c probe). */
static int core_probe(struct vnpu_core *core)
{
	struct vnpu *v = core->vnpu;
	uint32_t version;

	if (!v->module_loaded || !driver_matches(v))
		return -ENODEV;
	if (!v->bound) {
		/* rocket_device_init(): a new drm_device, a new minor. */
		v->drm_minor = v->next_minor++ % VNPU_MAX_MINORS;
		vnpu_printk(VNPU_LOGLEVEL_INFO,
			    "[drm] Initialized rocket 0.0.0 for rknn on minor %u",
			    v->drm_minor);
		v->bound = true;
	}
	core->bound = true;
	vnpu_pm_get_sync(core);
	version = vnpu_reg_get(core, REG_PC_VERSION) +
		  (vnpu_reg_get(core, REG_PC_VERSION_NUM) & 0xffff);
	vnpu_dev_printk(VNPU_LOGLEVEL_INFO, "rocket", core->name,
			"Rockchip NPU core %u version: %u", core->index, version);
	vnpu_pm_mark_last_busy(core);
	vnpu_pm_put_autosuspend(core);
	v->bind_count++;
	return 0;
}

int vnpu_driver_bind(void)
{
	struct vnpu *v = vnpu_get();

	for (unsigned int i = 0; i < v->soc->num_cores; i++)
		if (!v->cores[i].bound)
			core_probe(&v->cores[i]);
	return 0;
}

static void core_remove(struct vnpu_core *core)
{
	struct vnpu *v = core->vnpu;
	uint64_t now = vnpu_now_ns();

	/* drm_sched_fini(): queued jobs never run. */
	while (core->queue) {
		struct vnpu_job *job = core->queue;

		core->queue = job->next;
		vnpu_fence_signal(job->finished, -ENODEV);
		vnpu_job_free(job);
	}
	core->queue_tail = NULL;
	core->queued = 0;
	vnpu_pm_update(now);
	if (core->pm.active && !core->in_flight)
		pm_suspend(core, now);
	core->bound = false;
	core->attached_domain = NULL;
	/* The last core removed unregisters the DRM device (rocket_remove()). */
	for (unsigned int i = 0; i < v->soc->num_cores; i++)
		if (v->cores[i].bound)
			return;
	v->bound = false;
}

int vnpu_core_bind(struct vnpu_core *core)
{
	if (core->bound)
		return -EBUSY;
	return core_probe(core);
}

int vnpu_core_unbind(struct vnpu_core *core)
{
	if (!core->bound)
		return -ENODEV;
	core_remove(core);
	return 0;
}

int vnpu_driver_unbind(void)
{
	struct vnpu *v = vnpu_get();

	for (unsigned int i = 0; i < v->soc->num_cores; i++)
		if (v->cores[i].bound)
			core_remove(&v->cores[i]);
	return 0;
}

int vnpu_module_unload(void)
{
	struct vnpu *v = vnpu_get();

	if (!v->module_loaded)
		return -ENOENT;
	if (v->files)
		return -EBUSY;		/* rocket_open()'s try_module_get() */
	vnpu_driver_unbind();
	/* platform_device_unregister(facade): the drm_device and minors go. */
	v->next_minor = 0;
	v->module_loaded = false;
	return 0;
}

int vnpu_module_load(void)
{
	struct vnpu *v = vnpu_get();

	if (v->module_loaded)
		return -EEXIST;
	v->module_loaded = true;
	return vnpu_driver_bind();
}
