// SPDX-License-Identifier: MIT
/*
 * vnpu_job.c — rocket_job.c as a model: fences, implicit sync, one
 * scheduler and one worker thread per NPU core (credit_limit 1), the
 * kernel's hw_submit register writes, the threaded IRQ handler, the
 * 500 ms job timeout and the reset, in the order the active kernel
 * profile uses (rocket_drv.c, rocket_job.c domains).
 *
 * The worker thread plays drm_sched's run_job, the IRQ thread and the
 * timeout work of its core.  It holds vnpu->lock except while the
 * executor runs.  Worker threads block every signal: the harness's
 * watchdog sends SIGALRM to the main thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vnpu/vnpu.h"

/* hw_submit values, rocket_job.c hw_submit. */
#define ROCKET_S_POINTER_VALUE		0xeu		/* PP_EN | EXEC_PP_EN | PP_MODE */
#define ROCKET_S_POINTER_CORE_BIT	0x10000000u	/* "from rknpu", x core index */
#define ROCKET_TASK_CON_VALUE		0x7001u
#define ROCKET_INT_DPU			(NPU_PC_IRQ(DPU_0) | NPU_PC_IRQ(DPU_1))

/* ---- fences ---- */
struct vnpu_fence *vnpu_fence_new(void)
{
	struct vnpu_fence *f = calloc(1, sizeof(*f));

	if (f)
		f->refs = 1;
	return f;
}

void vnpu_fence_get(struct vnpu_fence *f)
{
	f->refs++;
}

void vnpu_fence_put(struct vnpu_fence *f)
{
	if (f && !--f->refs)
		free(f);
}

void vnpu_fence_signal(struct vnpu_fence *f, int error)
{
	struct vnpu *v = vnpu_get();

	if (f->signaled)
		return;
	f->signaled = true;
	f->error = error;
	pthread_cond_broadcast(&v->fence_cond);
	for (unsigned int i = 0; i < v->soc->num_cores; i++)
		pthread_cond_broadcast(&v->cores[i].cond);
}

static void deadline_ts(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000ull);
	ts->tv_nsec = (long)(ns % 1000000000ull);
}

int vnpu_wait_until(bool (*fn)(void *), void *arg, uint64_t deadline_ns)
{
	struct vnpu *v = vnpu_get();
	struct timespec ts;

	while (!fn(arg)) {
		uint64_t now = vnpu_now_ns();

		if (now >= deadline_ns)
			return -ETIMEDOUT;
		if (vnpu_stop_signal_pending())
			return -EINTR;
		deadline_ts(deadline_ns - now > VNPU_SIGNAL_POLL_NS ?
			    now + VNPU_SIGNAL_POLL_NS : deadline_ns, &ts);
		pthread_cond_timedwait(&v->fence_cond, &v->lock, &ts);
	}
	return 0;
}

/* ---- jobs ---- */
void vnpu_job_free(struct vnpu_job *job)
{
	for (unsigned int i = 0; i < job->in_count + job->out_count; i++)
		if (job->bos[i])
			vnpu_bo_put(job->bos[i]);
	for (unsigned int i = 0; i < job->nr_deps; i++)
		vnpu_fence_put(job->deps[i]);
	vnpu_fence_put(job->finished);
	vnpu_domain_put(job->domain);
	free(job->deps);
	free(job->bos);
	free(job->tasks);
	free(job);
}

static struct vnpu_core *pick_core(void)
{
	struct vnpu *v = vnpu_get();
	struct vnpu_core *best = NULL;
	unsigned int best_load = ~0u;

	/* drm_sched entity over all cores: the least loaded scheduler wins. */
	for (unsigned int i = 0; i < v->soc->num_cores; i++) {
		struct vnpu_core *c = &v->cores[i];
		unsigned int load = c->queued + (c->in_flight ? 1 : 0);

		if (load < best_load) {
			best = c;
			best_load = load;
		}
	}
	return best;
}

/*
 * rocket_job_push(): in-BOs wait for prior writers, out-BOs for all prior
 * users (only write fences are ever added, rocket_job.c, rocket_gem.c validation), then the finished fence
 * goes to the out-BOs with DMA_RESV_USAGE_WRITE.
 */
int vnpu_job_push(struct vnpu_job *job)
{
	unsigned int nbos = job->in_count + job->out_count, n = 0, max = 0;
	struct vnpu_core *core;

	for (unsigned int i = 0; i < nbos; i++)
		max += job->bos[i]->nr_write_fences;
	job->deps = calloc(max ? max : 1, sizeof(*job->deps));
	job->finished = vnpu_fence_new();
	if (!job->deps || !job->finished)
		return -ENOMEM;
	for (unsigned int i = 0; i < nbos; i++) {
		struct vnpu_bo *bo = job->bos[i];

		for (unsigned int f = 0; f < bo->nr_write_fences; f++) {
			if (bo->write_fences[f]->signaled)
				continue;
			vnpu_fence_get(bo->write_fences[f]);
			job->deps[n++] = bo->write_fences[f];
		}
	}
	job->nr_deps = n;
	for (unsigned int i = job->in_count; i < nbos; i++)
		vnpu_bo_add_write_fence(job->bos[i], job->finished);

	core = pick_core();
	job->next = NULL;
	if (core->queue_tail)
		core->queue_tail->next = job;
	else
		core->queue = job;
	core->queue_tail = job;
	core->queued++;
	pthread_cond_broadcast(&core->cond);
	return 0;
}

static bool job_deps_done(const struct vnpu_job *job)
{
	for (unsigned int i = 0; i < job->nr_deps; i++)
		if (!job->deps[i]->signaled)
			return false;
	return true;
}

/* ---- hardware side ---- */
static void hw_submit(struct vnpu_core *core, struct vnpu_job *job)
{
	struct vnpu_task *task;
	uint32_t s_pointer;

	if (core->reset_pending)
		return;
	task = &job->tasks[job->next_task++];
	s_pointer = ROCKET_S_POINTER_VALUE | ROCKET_S_POINTER_CORE_BIT * core->index;
	vnpu_mmio_write(core, REG_PC_BASE_ADDRESS, 0x1);
	vnpu_mmio_write(core, REG_CNA_S_POINTER, s_pointer);
	vnpu_mmio_write(core, REG_CORE_S_POINTER, s_pointer);
	vnpu_mmio_write(core, REG_PC_BASE_ADDRESS, (uint32_t)task->regcmd);
	vnpu_mmio_write(core, REG_PC_REGISTER_AMOUNTS,
			PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT((task->regcmd_count + 1) / 2 - 1));
	vnpu_mmio_write(core, REG_PC_INTERRUPT_MASK, ROCKET_INT_DPU);
	vnpu_mmio_write(core, REG_PC_INTERRUPT_CLEAR, ROCKET_INT_DPU);
	vnpu_mmio_write(core, REG_PC_TASK_CON, ROCKET_TASK_CON_VALUE);
	vnpu_mmio_write(core, REG_PC_TASK_DMA_BASE_ADDR, 0);
	vnpu_mmio_write(core, REG_PC_OPERATION_ENABLE, 1);
}

/*
 * srst_a + srst_h pulse (rocket_job.c timeout): registers back to reset values, MMU base
 * wiped.  Whether the vendor DDMA counters survive the reset is
 * UNCONFIRMED; the model clears them with the rest of the core, so a test
 * that reads them after a timeout (instead of before it, as the
 * diagnostics do) sees 0 and blames the wrong stage.
 */
static void core_reset(struct vnpu_core *core)
{
	vnpu_regs_reset(core);
	core->bus_wedged = false;
	/* RFC 5/9: "The reset wipes the IOMMU page-table base". */
	vnpu_iommu_reset_regs(core);
	core->op_en_pending = false;
	core->irq_pending = false;
	core->resets++;
}

static void job_finish(struct vnpu_core *core, struct vnpu_job *job, int error)
{
	vnpu_fence_signal(job->finished, error);
	core->in_flight = NULL;
	vnpu_job_free(job);
}

/*
 * rocket's reset runs from drm_sched's timeout work on the ordered
 * "rocket-reset-%d" workqueue (rocket_job.c), so the splat names it.
 */
#define VNPU_RESET_WQ_FMT	"rocket-reset-%u drm_sched_job_timedout [gpu_sched]"

static void warn_detach_splat(const struct vnpu_core *core)
{
	char wq[96];
	static const char *const trace[] = {
		"iommu_detach_group+0x48/0x78",
		"rocket_reset+0x6c/0x128 [rocket]",
		"rocket_job_timedout+0x4c/0x70 [rocket]",
		"drm_sched_job_timedout+0x8c/0x1a0 [gpu_sched]",
		"process_one_work+0x160/0x3c0",
		"worker_thread+0x2dc/0x3f0",
		"kthread+0x11c/0x130",
		"ret_from_fork+0x10/0x20",
	};

	/* rocket_job.c timeout: what detaching a wedged master produces (RFC 4/9 rationale). */
	snprintf(wq, sizeof(wq), VNPU_RESET_WQ_FMT, core->index);
	vnpu_warn_splat_wq("drivers/iommu/iommu.c:157 __iommu_group_set_core_domain+0xb0/0xc8",
			   "iommu driver failed to attach the default/blocking domain",
			   wq, trace, sizeof(trace) / sizeof(trace[0]));
}

/* rocket_job_timedout() + rocket_reset() in the profile's order (rocket_job.c timeout, RFC 4/9). */
static void job_timedout(struct vnpu_core *core, struct vnpu_job *job)
{
	const struct vnpu_kernel_profile *k = core->vnpu->kernel;
	/*
	 * Not every hang wedges the bus master: only a fault that left an
	 * AXI transaction outstanding (vnpu.h bus_wedged, a hypothesis).
	 */
	bool wedged = core->bus_wedged;

	vnpu_dev_printk(VNPU_LOGLEVEL_ERR, "rocket", core->name, "NPU job timed out");
	core->jobs_timed_out++;
	core->reset_pending = true;
	vnpu_pm_put_noidle(core);
	if (k->detach_before_reset) {
		if (vnpu_iommu_detach(core, wedged))
			warn_detach_splat(core);
		core_reset(core);
	} else {
		core_reset(core);
		vnpu_iommu_detach(core, false);
	}
	core->attached_domain = NULL;
	core->reset_pending = false;
	/* UNCONFIRMED (derived from rocket_job.c item 7): drm_sched ends the bad job with -ECANCELED. */
	job_finish(core, job, -ECANCELED);
}

/* run_job: PM get, IOMMU attach per profile, first hw_submit (rocket_drv.c, rocket_job.c domains). */
static void job_run(struct vnpu_core *core, struct vnpu_job *job)
{
	const struct vnpu_kernel_profile *k = core->vnpu->kernel;

	job->start_ns = vnpu_now_ns();
	vnpu_pm_get_sync(core);
	if (k->attach_per_job) {
		vnpu_iommu_attach(core, job->domain);
	} else if (core->attached_domain != job->domain) {
		/* RFC 5/9: re-attach only when another file's domain is needed. */
		vnpu_iommu_attach(core, job->domain);
		core->attached_domain = job->domain;
	}
	core->in_flight = job;
	hw_submit(core, job);
}

/* Hard IRQ + thread (rocket_job.c completion).  Returns true when the job is over. */
static bool job_irq(struct vnpu_core *core, struct vnpu_job *job)
{
	uint32_t raw = vnpu_reg_get(core, REG_PC_INTERRUPT_RAW_STATUS);

	if (!(raw & ROCKET_INT_DPU))
		return false;			/* IRQ_NONE */
	vnpu_mmio_write(core, REG_PC_INTERRUPT_MASK, 0);
	vnpu_pm_mark_last_busy(core);
	vnpu_mmio_write(core, REG_PC_OPERATION_ENABLE, 0);
	vnpu_mmio_write(core, REG_PC_INTERRUPT_CLEAR, NPU_PC_IRQ_ALL);
	if (job->next_task < job->task_count) {
		/* Self-test mutation: the next task is never kicked. */
		if (!core->vnpu->mutations[VNPU_MUTATE_FIRST_TASK_ONLY])
			hw_submit(core, job);
		return false;
	}
	if (core->vnpu->kernel->attach_per_job)
		vnpu_iommu_detach(core, false);
	core->jobs_done++;
	/* Self-test mutation: the job's runtime-PM reference is never put. */
	if (!core->vnpu->mutations[VNPU_MUTATE_LEAK_RUNTIME_PM])
		vnpu_pm_put_autosuspend(core);
	job_finish(core, job, 0);
	return true;
}

/*
 * NPU time since run_job: wall time, less the host time of the executor
 * runs (finished and running), plus the NPU time they modelled.  Called
 * by the worker thread only, which alone updates these fields.
 */
static uint64_t job_npu_elapsed_ns(const struct vnpu_core *core,
				   const struct vnpu_job *job, uint64_t now)
{
	uint64_t host = job->host_exec_ns, model = job->model_exec_ns;
	uint64_t wall = now - job->start_ns;

	if (core->exec_start_ns) {
		host += now - core->exec_start_ns;
		model += core->exec_model_ns;
	}
	return (wall > host ? wall - host : 0) + model;
}

static uint64_t job_timeout_ns(void)
{
	return VNPU_JOB_TIMEOUT_MS * VNPU_NSEC_PER_MSEC;
}

bool vnpu_core_job_expired(const struct vnpu_core *core)
{
	/* in_flight is set and cleared by this same worker thread. */
	const struct vnpu_job *job = core->in_flight;

	return job && job_npu_elapsed_ns(core, job, vnpu_now_ns()) >= job_timeout_ns();
}

void vnpu_core_model_busy(struct vnpu_core *core, uint64_t ns)
{
	core->exec_model_ns += ns;
}

bool vnpu_core_exec_overrun(const struct vnpu_core *core)
{
	return core->exec_start_ns &&
	       vnpu_now_ns() - core->exec_start_ns >=
	       VNPU_HOST_EXEC_LIMIT_MS * VNPU_NSEC_PER_MSEC;
}

/*
 * One executor run, its host time taken out of the job's NPU time.
 * Called without the model lock; returns the run's host time.
 */
static uint64_t job_run_executor(struct vnpu_core *core, struct vnpu_job *job)
{
	uint64_t host;

	core->exec_model_ns = VNPU_MODEL_TASK_NS;	/* the kick itself */
	core->exec_start_ns = vnpu_now_ns();
	vnpu_core_run_executor(core);
	host = vnpu_now_ns() - core->exec_start_ns;
	core->exec_start_ns = 0;
	job->host_exec_ns += host;
	job->model_exec_ns += core->exec_model_ns;
	return host;
}

static void job_execute(struct vnpu_core *core, struct vnpu_job *job)
{
	struct vnpu *v = core->vnpu;
	uint64_t deadline;
	struct timespec ts;

	job_run(core, job);
	/* drm_sched arms the timeout when the job starts running (rocket_job.c timeout). */
	for (;;) {
		uint64_t now = vnpu_now_ns();
		uint64_t elapsed = job_npu_elapsed_ns(core, job, now);

		/*
		 * The timeout is checked first, before any further task is
		 * kicked or any interrupt handled: drm_sched's timer fires
		 * 500 ms after run_job whatever the job is doing, so a job
		 * whose tasks keep the core busy -- in one long executor
		 * run or in many short ones -- is timed out and reset like
		 * a job that never interrupts.  The 500 ms are NPU time
		 * (job_npu_elapsed_ns()).
		 */
		if (elapsed >= job_timeout_ns()) {
			job_timedout(core, job);
			return;
		}
		if (v->stopping)
			return;		/* process exit: left for the OS */
		if (core->op_en_pending) {
			uint64_t host;

			core->op_en_pending = false;
			pthread_mutex_unlock(&v->lock);
			host = job_run_executor(core, job);
			pthread_mutex_lock(&v->lock);
			/* Read by introspection, under the lock. */
			core->host_exec_total_ns += host;
			continue;
		}
		if (core->irq_pending) {
			core->irq_pending = false;
			if (job_irq(core, job))
				return;
			continue;
		}
		/* Waiting is NPU time too: wake when the rest has passed. */
		deadline = now + (job_timeout_ns() - elapsed);
		deadline_ts(deadline, &ts);
		pthread_cond_timedwait(&core->cond, &v->lock, &ts);
	}
}

static void *core_worker(void *arg)
{
	struct vnpu_core *core = arg;
	struct vnpu *v = core->vnpu;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&v->lock);
	while (!v->stopping) {
		struct vnpu_job *job = core->queue;

		if (!job || !job_deps_done(job)) {
			pthread_cond_wait(&core->cond, &v->lock);
			continue;
		}
		core->queue = job->next;
		if (!core->queue)
			core->queue_tail = NULL;
		core->queued--;
		job_execute(core, job);
	}
	pthread_mutex_unlock(&v->lock);
	return NULL;
}

/* The process that started the workers; a forked child has none. */
static pid_t workers_pid;

/*
 * atexit(): stop and join the core workers, so that no thread outlives
 * the model it runs (valgrind counted each unjoined thread's stack as
 * "possibly lost").  A worker in an executor run finishes that run
 * first.  A child forked after boot inherits this handler but not the
 * threads, and may have inherited the lock taken: it does nothing.
 */
static void workers_stop_at_exit(void)
{
	if (getpid() == workers_pid)
		vnpu_workers_stop();
}

int vnpu_workers_start(void)
{
	struct vnpu *v = vnpu_get();
	sigset_t all, old;
	int ret = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (unsigned int i = 0; i < v->soc->num_cores && !ret; i++) {
		ret = -pthread_create(&v->cores[i].worker, NULL, core_worker,
				      &v->cores[i]);
		v->cores[i].worker_started = !ret;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	workers_pid = getpid();
	if (atexit(workers_stop_at_exit) && !ret)
		ret = -ENOMEM;
	return ret;
}

/* How long vnpu_workers_stop() waits for the model lock. */
#define VNPU_STOP_LOCK_WAIT_S	1

void vnpu_workers_stop(void)
{
	struct vnpu *v = vnpu_get();
	struct timespec ts;

	/*
	 * A caller that crashed inside the model (a subtest left by
	 * siglongjmp) may still hold the lock: then the workers are left to
	 * the OS rather than the exit hanging.
	 */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += VNPU_STOP_LOCK_WAIT_S;
	if (pthread_mutex_timedlock(&v->lock, &ts))
		return;
	v->stopping = true;
	for (unsigned int i = 0; i < v->soc->num_cores; i++)
		pthread_cond_broadcast(&v->cores[i].cond);
	pthread_mutex_unlock(&v->lock);
	for (unsigned int i = 0; i < v->soc->num_cores; i++) {
		if (v->cores[i].worker_started)
			pthread_join(v->cores[i].worker, NULL);
		v->cores[i].worker_started = false;
	}
}
