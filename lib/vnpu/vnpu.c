// SPDX-License-Identifier: MIT
/*
 * vnpu.c — the model's state, its SoC and kernel profiles and the boot
 * sequence (the fault catalogue is vnpu_faults.c).
 *
 * Profiles are data: a test that needs "mainline" behaviour
 * selects it with RKVAL_VNPU_KERNEL=mainline, never with an #ifdef.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vnpu/vnpu.h"
#include "vnpu/pipeline/vnpu_pipeline.h"

/* iommu_group numbers printed at boot; UNCONFIRMED except rk3568's 3 (RFC mail, rocket_drv.c). */
#define VNPU_IOMMU_GROUP_BASE_RK3568	3
#define VNPU_IOMMU_GROUP_BASE_RK3588	0

/* ---- emulated boards, one per SoC row (RK3568 RFC DT patch, rk3588-base.dtsi) ---- */
static const struct vnpu_board vnpu_boards[] = {
	{
		.soc = HW_SOC_RK3568,
		.compatible = "radxa,rock-3b",
		.model = "Radxa ROCK 3B",
		.regulator_name = "vdd_npu",		/* RK809 DCDC_REG4, RK3568 RFC DT patch */
		.regulator_uv = 1000000,		/* pinned by RFC v4 8/9 */
		.npu_clk_rate = 200000000,		/* assigned SCMI rate, RK3568 RFC DT patch */
		.pc_version_num = 0,			/* "version: 0", rocket_core.c version line */
		.iommu_group_base = VNPU_IOMMU_GROUP_BASE_RK3568,
	},
	{
		.soc = HW_SOC_RK3588,
		.compatible = "radxa,rock-5b",
		.model = "Radxa ROCK 5B",
		.regulator_name = "vdd_npu_s0",		/* binding example, rk3588-base.dtsi */
		.regulator_uv = 800000,			/* UNCONFIRMED: typical idle OPP */
		.npu_clk_rate = 200000000,		/* assigned-clock-rates, rk3588-base.dtsi */
		.pc_version_num = 0,			/* UNCONFIRMED: the split of 1179210309, rocket_core.c version line */
		.iommu_group_base = VNPU_IOMMU_GROUP_BASE_RK3588,
	},
};

/* ---- kernel profiles (see struct vnpu_kernel_profile for each flag's source) ---- */
const struct vnpu_kernel_profile vnpu_kernel_profiles[] = {
	{
		.name = "mainline",
		.summary = "Linux 6.18 rocket as in drivers/accel/rocket: RK3588 only, no RK3568 NPU",
		.submit_swallows_job_errors = true,
		.attach_per_job = true,
		.detach_before_reset = true,
		.clk_lookup_bug = true,
		.prep_bo_returns_jiffies = true,
		.probes_rk3568 = false,
	},
	{
		.name = "rfc",
		.summary = "mainline + RK3568 RFC v4: reset before detach (4/9), domain kept attached (5/9)",
		.submit_swallows_job_errors = true,
		.attach_per_job = false,
		.detach_before_reset = false,
		.clk_lookup_bug = true,
		.prep_bo_returns_jiffies = true,
		.probes_rk3568 = true,
	},
	{
		.name = "next",
		.summary = "rfc + \"accel/rocket: request the core clocks by name\" (all four clocks enabled)",
		.submit_swallows_job_errors = true,
		.attach_per_job = false,
		.detach_before_reset = false,
		.clk_lookup_bug = false,
		.prep_bo_returns_jiffies = true,
		.probes_rk3568 = true,
	},
};
const unsigned int vnpu_kernel_profile_count =
	sizeof(vnpu_kernel_profiles) / sizeof(vnpu_kernel_profiles[0]);

const char *const vnpu_mutation_names[VNPU_MUTATE_COUNT] = {
	[VNPU_MUTATE_IGNORE_AUTOSUSPEND_DELAY] = "ignore-autosuspend-delay",
	[VNPU_MUTATE_FIRST_TASK_ONLY] = "first-task-only",
	[VNPU_MUTATE_DPU_ONLY_HANGS] = "dpu-only-hangs",
	[VNPU_MUTATE_LEAK_RUNTIME_PM] = "leak-runtime-pm",
	[VNPU_MUTATE_LEAK_BO] = "leak-bo",
};

static struct vnpu vnpu_state = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

struct vnpu *vnpu_get(void)
{
	return &vnpu_state;
}

uint64_t vnpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void vnpu_cond_init(pthread_cond_t *cond)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(cond, &attr);
	pthread_condattr_destroy(&attr);
}

const struct vnpu_board *vnpu_board_find(enum hw_soc soc)
{
	for (size_t i = 0; i < sizeof(vnpu_boards) / sizeof(vnpu_boards[0]); i++)
		if (vnpu_boards[i].soc == soc)
			return &vnpu_boards[i];
	return NULL;
}

const struct vnpu_kernel_profile *vnpu_kernel_find(const char *name)
{
	for (unsigned int i = 0; i < vnpu_kernel_profile_count; i++)
		if (!strcmp(vnpu_kernel_profiles[i].name, name))
			return &vnpu_kernel_profiles[i];
	return NULL;
}

bool vnpu_mutated(const struct vnpu *vnpu, const char *name)
{
	for (int i = 0; i < VNPU_MUTATE_COUNT; i++)
		if (!strcmp(vnpu_mutation_names[i], name))
			return vnpu->mutations[i];
	return false;
}

/* ---- core accessors of vnpu_hw.h ---- */
const struct hw_soc_facts *vnpu_core_soc(const struct vnpu_core *core)
{
	return core->vnpu->soc;
}

unsigned int vnpu_core_index(const struct vnpu_core *core)
{
	return core->index;
}

struct vnpu *vnpu_core_model(struct vnpu_core *core)
{
	return core->vnpu;
}

void vnpu_core_log(struct vnpu_core *core, int prio, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	vnpu_dev_printk(prio, "rocket", core->name, "%s", text);
}

/* ---- boot ---- */
static int vnpu_parse_faults(struct vnpu *v, const char *list, char *err,
			     size_t errlen)
{
	char buf[256], *save = NULL, *tok;
	char valid[256] = "";

	snprintf(buf, sizeof(buf), "%s", list ? list : "");
	for (tok = strtok_r(buf, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		int i;

		if (!strcmp(tok, "none"))
			continue;
		i = vnpu_fault_by_name(tok);
		if (i == VNPU_FAULT_COUNT) {
			for (i = 0; i < VNPU_FAULT_COUNT; i++)
				snprintf(valid + strlen(valid),
					 sizeof(valid) - strlen(valid), "%s%s",
					 i ? ", " : "", vnpu_fault_catalogue[i].name);
			snprintf(err, errlen,
				 "vnpu: unknown fault \"%s\" in RKVAL_VNPU_FAULTS (valid: %s)",
				 tok, valid);
			return -EINVAL;
		}
		v->faults[i] = true;
	}
	return 0;
}

static int vnpu_parse_mutations(struct vnpu *v, char *err, size_t errlen)
{
	const char *env = getenv(VNPU_MODEL_MUTATE_ENV);
	char buf[256], *save = NULL, *tok;
	int i;

	snprintf(buf, sizeof(buf), "%s", env ? env : "");
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		for (i = 0; i < VNPU_MUTATE_COUNT; i++)
			if (!strcmp(vnpu_mutation_names[i], tok))
				break;
		if (i == VNPU_MUTATE_COUNT) {
			size_t n = (size_t)snprintf(err, errlen,
				 "vnpu: unknown mutation \"%s\" in " VNPU_MODEL_MUTATE_ENV " (valid:",
				 tok);

			for (i = 0; i < VNPU_MUTATE_COUNT && n < errlen; i++)
				n += (size_t)snprintf(err + n, errlen - n, "%s %s",
						      i ? "," : "", vnpu_mutation_names[i]);
			if (n < errlen)
				snprintf(err + n, errlen - n, ")");
			return -EINVAL;
		}
		v->mutations[i] = true;
	}
	return 0;
}

static void vnpu_make_describe(struct vnpu *v)
{
	char faults[200] = "", mutated[128] = "";

	for (int i = 0; i < VNPU_FAULT_COUNT; i++)
		if (v->faults[i])
			snprintf(faults + strlen(faults),
				 sizeof(faults) - strlen(faults), "%s%s",
				 faults[0] ? "," : "", vnpu_fault_catalogue[i].name);
	for (int i = 0; i < VNPU_MUTATE_COUNT; i++)
		if (v->mutations[i])
			snprintf(mutated + strlen(mutated), sizeof(mutated) - strlen(mutated),
				 "%s%s", mutated[0] ? "," : " MUTATED(", vnpu_mutation_names[i]);
	snprintf(v->describe, sizeof(v->describe),
		 "vnpu:%s kernel=%s faults=%s%s%s", v->soc->name, v->kernel->name,
		 faults[0] ? faults : "none", mutated, mutated[0] ? ")" : "");
}

static void vnpu_core_setup(struct vnpu *v, unsigned int i)
{
	struct vnpu_core *core = &v->cores[i];

	core->vnpu = v;
	core->index = i;
	core->base = v->soc->core_base[i];
	snprintf(core->name, sizeof(core->name), "%llx.npu",
		 (unsigned long long)core->base);
	snprintf(core->mmu_name, sizeof(core->mmu_name), "%llx.iommu",
		 (unsigned long long)v->soc->mmu_base[i]);
	vnpu_cond_init(&core->cond);
	vnpu_regs_reset(core);
	vnpu_iommu_reset_regs(core);
	vnpu_pm_init(core);
}

/* "rk3568, rk3588": the SoCs vnpu has a board for, for an error message. */
static void vnpu_board_names(char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(vnpu_boards) / sizeof(vnpu_boards[0]); i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "",
			 hw_soc_name(vnpu_boards[i].soc));
}

int vnpu_boot(const char *soc, const char *kernel, const char *faults,
	      const char *kmsg_file, char *err, size_t errlen)
{
	struct vnpu *v = &vnpu_state;
	char valid[128] = "";
	unsigned int group;
	int ret;

	if (v->initialised)
		return 0;
	v->soc = hw_soc_facts(hw_soc_by_name(soc));
	v->board = v->soc ? vnpu_board_find(v->soc->soc) : NULL;
	if (!v->board) {
		v->soc = NULL;
		vnpu_board_names(valid, sizeof(valid));
		snprintf(err, errlen, "vnpu: unknown SoC \"%s\" (valid: %s)", soc, valid);
		return -EINVAL;
	}
	v->kernel = vnpu_kernel_find(kernel && kernel[0] ? kernel :
				     VNPU_DEFAULT_KERNEL_PROFILE);
	if (!v->kernel) {
		for (unsigned int i = 0; i < vnpu_kernel_profile_count; i++)
			snprintf(valid + strlen(valid),
				 sizeof(valid) - strlen(valid), "%s%s",
				 i ? ", " : "", vnpu_kernel_profiles[i].name);
		snprintf(err, errlen,
			 "vnpu: unknown kernel profile \"%s\" in RKVAL_VNPU_KERNEL (valid: %s)",
			 kernel, valid);
		return -EINVAL;
	}
	ret = vnpu_parse_faults(v, faults, err, errlen);
	if (!ret)
		ret = vnpu_parse_mutations(v, err, errlen);
	if (ret)
		return ret;

	vnpu_cond_init(&v->fence_cond);
	v->boot_ns = vnpu_now_ns();
	/* DRM_FILE_PAGE_OFFSET_START on 64-bit: (0xffffffff >> PAGE_SHIFT) + 1 pages. */
	v->next_fake_offset = 0x100000000ull;
	vnpu_make_describe(v);
	vnpu_kmsg_init(kmsg_file);

	pthread_mutex_lock(&v->lock);
	vnpu_printk(VNPU_LOGLEVEL_INFO, "Booting Linux on physical CPU 0x0 (vnpu %s)",
		    v->describe);
	vnpu_printk(VNPU_LOGLEVEL_INFO, "Machine model: %s", v->board->model);
	group = v->board->iommu_group_base;
	for (unsigned int i = 0; i < v->soc->num_cores; i++) {
		vnpu_core_setup(v, i);
		v->cores[i].iommu_group = group + i;
		/* iommu_probe_device(): the group's default DMA domain (vnpu.h). */
		v->cores[i].mmu.default_domain = vnpu_default_domain_alloc();
		v->cores[i].mmu.attached = v->cores[i].mmu.default_domain;
		vnpu_dev_printk(VNPU_LOGLEVEL_INFO, "platform", v->cores[i].name,
				"Adding to iommu group %u", group + i);
	}
	v->initialised = true;
	v->module_loaded = true;
	ret = vnpu_driver_bind();
	if (!ret)
		vnpu_state_load(v);
	pthread_mutex_unlock(&v->lock);
	if (ret) {
		snprintf(err, errlen, "vnpu: probe failed (%d)", ret);
		return ret;
	}
	vnpu_pipeline_install();	/* full PC->CNA->CORE->DPU model */
	ret = vnpu_workers_start();
	if (ret)
		snprintf(err, errlen, "vnpu: cannot start core workers (%d)", ret);
	return ret;
}
