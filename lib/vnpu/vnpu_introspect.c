// SPDX-License-Identifier: MIT
/*
 * vnpu_introspect.c — the model-only views of vnpu_introspect.h.
 */
#include <errno.h>
#include <string.h>

#include "vnpu/vnpu.h"
#include "vnpu/vnpu_introspect.h"

static struct vnpu *ilock(void)
{
	struct vnpu *v = vnpu_get();

	pthread_mutex_lock(&v->lock);
	vnpu_pm_update(vnpu_now_ns());
	return v;
}

static void iunlock(struct vnpu *v)
{
	pthread_mutex_unlock(&v->lock);
}

int vnpu_introspect_core(unsigned int index, struct vnpu_introspect_core *out)
{
	struct vnpu *v = ilock();
	struct vnpu_core *c;

	memset(out, 0, sizeof(*out));
	if (!v->initialised || index >= v->soc->num_cores) {
		iunlock(v);
		return -ENODEV;
	}
	c = &v->cores[index];
	out->iommu_attaches = c->mmu.attach_count;
	out->iommu_detaches = c->mmu.detach_count;
	out->iommu_faults = c->mmu.fault_count;
	/* A file's domain: the group's default domain is not rocket's. */
	out->iommu_attached = c->mmu.attached != NULL &&
			      c->mmu.attached != c->mmu.default_domain;
	out->jobs_done = c->jobs_done;
	out->jobs_timed_out = c->jobs_timed_out;
	out->host_exec_ns = c->host_exec_total_ns;
	out->resets = c->resets;
	out->pm_usage = (unsigned int)c->pm.usage;
	out->pm_active = c->pm.active;
	out->pm_resumes = c->pm.resume_count;
	out->pm_suspends = c->pm.suspend_count;
	for (int i = 0; i < VNPU_NR_CLKS; i++)
		out->clk_enable[i] = c->clk_enable[i];
	memcpy(out->dma_bytes, c->dma_bytes, sizeof(out->dma_bytes));
	iunlock(v);
	return 0;
}

unsigned int vnpu_introspect_live_bos(void)
{
	struct vnpu *v = ilock();
	unsigned int n = v->live_bos;

	iunlock(v);
	return n;
}

unsigned int vnpu_introspect_live_domains(void)
{
	struct vnpu *v = ilock();
	unsigned int n = v->live_domains;

	iunlock(v);
	return n;
}

unsigned int vnpu_introspect_open_files(void)
{
	struct vnpu *v = ilock();
	unsigned int n = v->nr_files;

	iunlock(v);
	return n;
}

int vnpu_introspect_domain(int fd, unsigned int *pt_pages,
			   unsigned int *mapped_pages, uint64_t *dt_phys)
{
	struct vnpu *v = ilock();
	int ret = -EBADF;

	for (struct vnpu_file *f = v->files; f; f = f->next) {
		if (f->fd != fd)
			continue;
		*pt_pages = f->domain->pt_pages;
		*mapped_pages = f->domain->mapped_pages;
		*dt_phys = f->domain->dt_phys;
		ret = 0;
	}
	iunlock(v);
	return ret;
}

unsigned int vnpu_introspect_warn_count(void)
{
	struct vnpu *v = ilock();
	unsigned int n = v->warn_count;

	iunlock(v);
	return n;
}

const char *vnpu_introspect_kernel_profile(void)
{
	struct vnpu *v = vnpu_get();

	return v->initialised ? v->kernel->name : NULL;
}

const char *vnpu_introspect_soc(void)
{
	struct vnpu *v = vnpu_get();

	return v->initialised ? v->soc->name : NULL;
}
