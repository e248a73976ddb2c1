/* SPDX-License-Identifier: MIT */
/*
 * vnpu.h — private state of the vnpu core (one process = one boot).
 *
 * Contract: included only by the lib/vnpu/ core files (never by tests, never by
 * lib/vnpu/pipeline/, which uses vnpu_hw.h).  All model state hangs off
 * the single struct vnpu returned by vnpu_get(); it is protected by
 * vnpu->lock, except the register files, which executors touch lock-free
 * (aligned 32-bit words; see vnpu_hw.h).  Functions named *_locked expect
 * the lock held.
 */
#ifndef RKVAL_VNPU_H
#define RKVAL_VNPU_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "hw/rk_iommu_regs.h"
#include "vnpu/vnpu_hw.h"

/*
 * ---- the emulated board of each SoC ----
 * Model-only settings: the silicon's facts are the SoC's row of
 * lib/hw/soc.h; these say which board vnpu pretends to be and fill in
 * what no public source fixes for the SoC.
 */
struct vnpu_board {
	enum hw_soc soc;
	const char *compatible;		/* /proc/device-tree/compatible head */
	const char *model;
	const char *regulator_name;
	unsigned int regulator_uv;
	uint64_t npu_clk_rate;		/* SCMI NPU clock rate */
	uint32_t pc_version_num;	/* PC VERSION_NUM reset value */
	unsigned int iommu_group_base;	/* "Adding to iommu group N" of core 0 */
};

/* ---- kernel profiles: behaviour flags with named presets ---- */
struct vnpu_kernel_profile {
	const char *name;
	const char *summary;
	/*
	 * SUBMIT ignores rocket_ioctl_submit_job()'s return (rocket_job.c submit, rocket_job.c, rocket_gem.c validation).  True in every known version.
	 */
	bool submit_swallows_job_errors;
	/*
	 * The IOMMU group is attached in run_job for every job and detached
	 * after the last task (rocket_job.c attach per job, rocket_drv.c, rocket_job.c domains).  false = RFC 5/9: the domain
	 * stays attached across jobs until another file's domain is needed.
	 */
	bool attach_per_job;
	/* rocket_reset() detaches the IOMMU before the core reset (rocket_job.c reset order, rocket_job.c timeout); false = RFC 4/9. */
	bool detach_before_reset;
	/*
	 * devm_clk_bulk_get() without .id: all four bulk entries resolve to
	 * clock index 0, aclk (rocket_core.c clock lookup).  false = "request the core clocks by
	 * name" fix (UNCONFIRMED merged).
	 */
	bool clk_lookup_bug;
	/*
	 * PREP_BO returns dma_resv_wait_timeout()'s positive remaining
	 * jiffies on success (rocket_job.c, rocket_gem.c validation, UNCONFIRMED whether later fixed).
	 */
	bool prep_bo_returns_jiffies;
	/*
	 * rocket's dt_match has rockchip,rk3568-rknn-core (RFC v4 patch 3,
	 * RK3568 RFC).  Mainline lists only rockchip,rk3588-rknn-core
	 * (drivers/accel/rocket/rocket_drv.c, rocket changes since 6.18, drivers/accel/rocket, rockchip-iommu.c, pm-domains.c): on vnpu:rk3568 the
	 * driver binds nothing, there is no accel node, and a write to
	 * drivers/rocket/bind fails with ENODEV as driver_match_device() does.
	 */
	bool probes_rk3568;
};

extern const struct vnpu_kernel_profile vnpu_kernel_profiles[];
extern const unsigned int vnpu_kernel_profile_count;
#define VNPU_DEFAULT_KERNEL_PROFILE "next"

/* ---- hardware faults: the catalogue, vnpu_faults.h (via vnpu_hw.h) ---- */

/*
 * Mutations: deliberate bugs of the kernel/power model, for the suite's
 * self-tests only (RKVAL_VNPU_MODEL_MUTATE, a comma list).  Each one
 * breaks a behaviour a test claims to check, so the self-tests can prove
 * that test fails without it.  Not hardware hypotheses: never in the
 * fault matrix.  (RKVAL_VNPU_MUTATE is the pipeline's requantisation hook,
 * lib/vnpu/pipeline/selftest_mutate.h.)
 */
#define VNPU_MODEL_MUTATE_ENV	"RKVAL_VNPU_MODEL_MUTATE"
enum vnpu_mutation {
	/* power/autosuspend_delay_ms is stored but rocket's 50 ms is used. */
	VNPU_MUTATE_IGNORE_AUTOSUSPEND_DELAY,
	/* Only a job's first task is kicked; the rest never run (timeout). */
	VNPU_MUTATE_FIRST_TASK_ONLY,
	/* A task without CNA or CORE (lib/rocket's DPU-only copy job) hangs. */
	VNPU_MUTATE_DPU_ONLY_HANGS,
	/* A completed job never puts its runtime-PM reference. */
	VNPU_MUTATE_LEAK_RUNTIME_PM,
	/* GEM_CLOSE succeeds but the handle and its BO stay. */
	VNPU_MUTATE_LEAK_BO,
	VNPU_MUTATE_COUNT,
};
extern const char *const vnpu_mutation_names[VNPU_MUTATE_COUNT];

/* ---- time ---- */
uint64_t vnpu_now_ns(void);	/* CLOCK_MONOTONIC */
void vnpu_cond_init(pthread_cond_t *cond);	/* waits on CLOCK_MONOTONIC */
#define VNPU_NSEC_PER_MSEC	1000000ull

/* ---- physical memory model ---- */
struct vnpu_phys_region {
	uint64_t phys;
	uint64_t size;
	void *host;
	bool page_table;
};

/* ---- fences (dma_fence) ---- */
struct vnpu_fence {
	int refs;
	bool signaled;
	int error;
};

/* ---- IOMMU ---- */
struct vnpu_domain {
	int refs;
	unsigned int id;
	uint64_t dt_phys;		/* directory table page */
	uint32_t *dt;			/* host view of the directory */
	uint64_t pt_phys[RK_IOMMU_NR_DTE];
	uint32_t *pt[RK_IOMMU_NR_DTE];
	unsigned int pt_pages;
	unsigned int mapped_pages;
};

struct vnpu_mmu {
	uint32_t regs[RK_MMU_NREGS];
	struct vnpu_domain *attached;	/* NULL: identity/blocked */
	/*
	 * The group's default DMA domain.  rk_iommu has no def_domain_type,
	 * so on arm64 the IOMMU core gives the NPU's group a DMA paging
	 * domain at probe and iommu_detach_group() re-attaches it
	 * (drivers/iommu/iommu.c __iommu_group_set_core_domain()): after
	 * rocket detaches, paging stays on with this domain's directory.
	 * Owned by the IOMMU core: no id, not counted in live_domains.
	 */
	struct vnpu_domain *default_domain;
	bool walker_gated;		/* fault page-walker-gated-after-idle */
	bool idle_since_suspend;	/* for first-attach-timeouts */
	unsigned int attach_count;
	unsigned int detach_count;
	unsigned int fault_count;
};

/* ---- GEM objects ---- */
#define VNPU_MAX_RESV_FENCES	16

struct vnpu_file;

struct vnpu_bo {
	int refs;			/* handle + jobs */
	struct vnpu_file *file;		/* NULL once the file is closed */
	struct vnpu_domain *domain;	/* holds a reference */
	uint32_t handle;		/* 0 once the handle is closed */
	uint64_t size;			/* page-rounded */
	uint32_t request_size;
	int memfd;
	void *host;			/* the model's own MAP_SHARED view */
	uint64_t phys;
	uint64_t iova;
	uint64_t fake_offset;
	struct vnpu_fence *write_fences[VNPU_MAX_RESV_FENCES];
	unsigned int nr_write_fences;
	struct vnpu_bo *next;		/* file's list */
};

/* ---- jobs ---- */
struct vnpu_task {
	uint64_t regcmd;
	uint32_t regcmd_count;
};

struct vnpu_job {
	struct vnpu_file *file;
	struct vnpu_domain *domain;
	struct vnpu_task *tasks;
	unsigned int task_count;
	unsigned int next_task;
	struct vnpu_bo **bos;		/* in BOs then out BOs */
	unsigned int in_count, out_count;
	struct vnpu_fence **deps;
	unsigned int nr_deps;
	struct vnpu_fence *finished;
	uint64_t start_ns;		/* run_job time: drm_sched timeout base */
	/*
	 * NPU time, not host time (vnpu_job.c): the host time the executor
	 * took is not the NPU's, so it is taken out of the job's elapsed
	 * time and the executor's modelled time put in instead.
	 */
	uint64_t host_exec_ns;		/* host time in finished executor runs */
	uint64_t model_exec_ns;		/* modelled NPU time of those runs */
	struct vnpu_job *next;		/* core queue */
};

/* ---- DRM files ---- */
struct vnpu_file {
	int fd;				/* the real fd number handed out */
	struct vnpu_domain *domain;
	struct vnpu_bo *bos;
	uint32_t next_handle;
	unsigned int jobs_in_flight;
	struct vnpu_file *next;
};

/* ---- runtime PM / clocks ---- */
enum vnpu_clk_id { VNPU_CLK_ACLK, VNPU_CLK_HCLK, VNPU_CLK_NPU, VNPU_CLK_PCLK, VNPU_NR_CLKS };

struct vnpu_pm {
	int usage;			/* pm_runtime usage count */
	bool active;
	bool control_on;		/* power/control == "on" */
	unsigned int autosuspend_ms;
	uint64_t last_busy_ns;
	uint64_t accounting_ns;		/* last state change */
	uint64_t active_ns, suspended_ns;
	unsigned int resume_count, suspend_count;
};

/* ---- one NPU core ---- */
struct vnpu_core {
	struct vnpu *vnpu;
	unsigned int index;
	uint64_t base;
	bool bound;			/* rocket driver bound to this core */
	char name[32];			/* "fde40000.npu" */
	char mmu_name[32];		/* "fde4b000.iommu" */
	unsigned int iommu_group;	/* "Adding to iommu group N" at boot */
	uint32_t regs[VNPU_CORE_NREGS];
	struct vnpu_mmu mmu;
	struct vnpu_pm pm;
	unsigned int clk_enable[VNPU_NR_CLKS];
	uint64_t dma_bytes[VNPU_DMA_KINDS];
	uint64_t dma_counter[VNPU_DMA_KINDS];	/* clearable DDMA view */

	pthread_t worker;
	bool worker_started;
	pthread_cond_t cond;		/* wakes the worker */
	struct vnpu_job *queue, *queue_tail;
	unsigned int queued;
	struct vnpu_job *in_flight;
	bool op_en_pending;		/* OPERATION_ENABLE hook fired */
	bool irq_pending;		/* raise_irq since last check */
	bool reset_pending;
	uint64_t exec_start_ns;		/* host time the running executor run began; 0 = none */
	uint64_t exec_model_ns;		/* NPU time the running run has modelled so far */
	uint64_t host_exec_total_ns;	/* host time of every executor run (introspection) */
	/*
	 * An AXI transaction of the NPU was left outstanding by the hang
	 * (HYPOTHESIS, see vnpu_core_wedge_bus()); cleared by the reset.  Only
	 * then does a detach before the reset find a master the MMU cannot
	 * stall.  A hang that leaves the bus idle (a PPU-only job without a
	 * DPU interrupt, a clock-gated compute, a list the PC never ran)
	 * does not wedge it.
	 */
	bool bus_wedged;
	unsigned int jobs_done, jobs_timed_out, resets;
	struct vnpu_domain *attached_domain;	/* rfc: kept attachment */
};

/* ---- the model ---- */
#define VNPU_MAX_CORES		3
#define VNPU_MAX_PHYS_REGIONS	4096

struct vnpu {
	pthread_mutex_t lock;
	pthread_cond_t fence_cond;	/* broadcast on any fence signal */
	bool initialised;
	bool stopping;

	const struct hw_soc_facts *soc;		/* the SoC's row (lib/hw/soc.h) */
	const struct vnpu_board *board;		/* the emulated board: model-only */
	const struct vnpu_kernel_profile *kernel;
	bool faults[VNPU_FAULT_COUNT];
	bool mutations[VNPU_MUTATE_COUNT];
	char describe[256];
	uint64_t boot_ns;

	struct vnpu_core cores[VNPU_MAX_CORES];
	bool bound;			/* a core bound: the DRM device exists */
	unsigned int bind_count;
	/*
	 * The accel minor of the DRM device, and the next one to allocate.
	 * rocket allocates its drm_device with devm_drm_dev_alloc() on the
	 * "rknn" facade, which stays registered until the module goes, and
	 * removing the last core only unregisters it (rocket_drv.c
	 * rocket_remove()): its minor stays taken, so each re-creation gets
	 * a new one (/dev/accel/accel1 after the first rebind).  Unloading
	 * the module frees them all.
	 */
	unsigned int drm_minor;
	unsigned int next_minor;
	/*
	 * rocket is a loadable module (CONFIG_DRM_ACCEL_ROCKET=m, as
	 * distribution kernels build it): /sys/module/rocket/initstate.
	 * Unloading fails with EBUSY while a file is open (rocket_open()
	 * holds a module reference).
	 */
	bool module_loaded;

	struct vnpu_file *files;
	unsigned int nr_files;
	unsigned int next_domain_id;
	unsigned int live_domains;
	unsigned int live_bos;
	uint64_t next_fake_offset;

	struct vnpu_phys_region phys[VNPU_MAX_PHYS_REGIONS];
	unsigned int nr_phys;

	unsigned long tainted;
	unsigned int warn_count;
	unsigned int regulator_users;
};

struct vnpu *vnpu_get(void);
int vnpu_boot(const char *soc, const char *kernel, const char *faults,
	      const char *kmsg_file, char *err, size_t errlen);
const struct vnpu_board *vnpu_board_find(enum hw_soc soc);
const struct vnpu_kernel_profile *vnpu_kernel_find(const char *name);

/* vnpu_kmsg.c */
void vnpu_kmsg_init(const char *file);
void vnpu_kmsg_add(int facility, int level, const char *text);
void vnpu_printk(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vnpu_dev_printk(int level, const char *driver, const char *dev,
		     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* fn(line, arg) for each of the last max records, oldest first, "<prio>[time] text". */
void vnpu_kmsg_tail(unsigned int max, void (*fn)(const char *line, void *arg),
		    void *arg);
int vnpu_kmsg_user_write(const char *record);
int vnpu_kmsg_open_fd(void);
bool vnpu_kmsg_is_fd(int fd);
ssize_t vnpu_kmsg_read(int fd, void *buf, size_t count);
int vnpu_kmsg_close(int fd);
void vnpu_warn_splat(const char *where, const char *msg,
		     const char *const *trace, unsigned int ntrace);
/* The same in a worker: workqueue = "<wq name> <work fn>" ("Workqueue: " line). */
void vnpu_warn_splat_wq(const char *where, const char *msg,
			const char *workqueue, const char *const *trace,
			unsigned int ntrace);
#define VNPU_LOGLEVEL_ERR	3
#define VNPU_LOGLEVEL_EMERG	0
#define VNPU_LOGLEVEL_WARNING	4
#define VNPU_LOGLEVEL_INFO	6
#define VNPU_LOGLEVEL_DEBUG	7
#define VNPU_TAINT_WARN		(1ul << 9)	/* kernel taint bit W */

/* vnpu_regs.c */
void vnpu_mmio_write(struct vnpu_core *core, uint32_t offset, uint32_t value);
void vnpu_regs_reset(struct vnpu_core *core);
int vnpu_regs_phys_read(uint64_t phys, uint32_t *value);
int vnpu_regs_phys_write(uint64_t phys, uint32_t value);
void vnpu_pc_update_irq(struct vnpu_core *core);
const char *vnpu_reg_name(uint32_t offset);

/* vnpu_iommu.c */
int vnpu_phys_alloc(uint64_t size, bool page_table, void *host, uint64_t *phys);
void vnpu_phys_free(uint64_t phys);
struct vnpu_domain *vnpu_default_domain_alloc(void);
struct vnpu_domain *vnpu_domain_alloc(void);
void vnpu_domain_put(struct vnpu_domain *dom);
int vnpu_domain_map(struct vnpu_domain *dom, uint64_t iova, uint64_t phys,
		    uint64_t size);
void vnpu_domain_unmap(struct vnpu_domain *dom, uint64_t iova, uint64_t size);
int vnpu_iommu_attach(struct vnpu_core *core, struct vnpu_domain *dom);
int vnpu_iommu_detach(struct vnpu_core *core, bool master_wedged);
void vnpu_iommu_reset_regs(struct vnpu_core *core);
void vnpu_iommu_suspend(struct vnpu_core *core);
void vnpu_iommu_resume(struct vnpu_core *core);
uint32_t vnpu_mmu_reg_read(struct vnpu_core *core, uint32_t off);
void vnpu_mmu_reg_write(struct vnpu_core *core, uint32_t off, uint32_t v);

/* vnpu_bo.c */
int vnpu_bo_create(struct vnpu_file *file, uint32_t size, struct vnpu_bo **out);
struct vnpu_bo *vnpu_bo_lookup(struct vnpu_file *file, uint32_t handle);
int vnpu_bo_close_handle(struct vnpu_file *file, uint32_t handle);
void vnpu_bo_put(struct vnpu_bo *bo);
struct vnpu_bo *vnpu_bo_by_offset(uint64_t offset, struct vnpu_file **owner);
void vnpu_bo_add_write_fence(struct vnpu_bo *bo, struct vnpu_fence *f);
bool vnpu_bo_idle(struct vnpu_bo *bo);

/* vnpu_job.c */
struct vnpu_fence *vnpu_fence_new(void);
void vnpu_fence_get(struct vnpu_fence *f);
void vnpu_fence_put(struct vnpu_fence *f);
void vnpu_fence_signal(struct vnpu_fence *f, int error);
int vnpu_job_push(struct vnpu_job *job);
void vnpu_job_free(struct vnpu_job *job);
int vnpu_workers_start(void);
void vnpu_workers_stop(void);
/*
 * Wait until fn(arg) or the absolute deadline; lock held.  0, -ETIMEDOUT,
 * or -EINTR when a stop signal is pending (an interruptible wait).
 */
int vnpu_wait_until(bool (*fn)(void *), void *arg, uint64_t deadline_ns);
/* How often long model waits look for a pending stop signal: well under
 * the 100 ms in which a signal must end a subtest. */
#define VNPU_SIGNAL_POLL_NS	5000000ull

/* vnpu_platform.c: a signal that stops the test waits at the seam's exit. */
bool vnpu_stop_signal_pending(void);
#define VNPU_JOB_TIMEOUT_MS	500	/* rocket_job.c timeout JOB_TIMEOUT_MS */

/* vnpu_pm.c */
void vnpu_pm_init(struct vnpu_core *core);
void vnpu_pm_update(uint64_t now);
int vnpu_pm_get_sync(struct vnpu_core *core);
void vnpu_pm_put_autosuspend(struct vnpu_core *core);
void vnpu_pm_put_noidle(struct vnpu_core *core);
void vnpu_pm_mark_last_busy(struct vnpu_core *core);
bool vnpu_pm_powered(const struct vnpu_core *core);
void vnpu_pm_set_control(struct vnpu_core *core, bool on);
bool vnpu_clk_consumed(const struct vnpu *v, enum vnpu_clk_id id);
int vnpu_pm_system_sleep(const char *label, uint64_t wake_ns);
int vnpu_driver_bind(void);
int vnpu_driver_unbind(void);
/* delete_module("rocket") / finit_module(rocket.ko): 0 or -errno. */
int vnpu_module_unload(void);
int vnpu_module_load(void);
/*
 * Accel minors /dev/accel/accelN the model shows; numbering wraps after
 * them (model limit).  The kernel has ACCEL_MAX_MINORS 256
 * (include/drm/drm_accel.h); with every old drm_device kept until the
 * module goes, its probe would fail after that many rebinds (analysis,
 * UNCONFIRMED on a board).
 */
#define VNPU_MAX_MINORS		16
int vnpu_core_bind(struct vnpu_core *core);
int vnpu_core_unbind(struct vnpu_core *core);
#define VNPU_AUTOSUSPEND_MS	50	/* rocket_device.c, rocket_core.c probe, rocket_core.c runtime PM */

/* vnpu_state.c: RKVAL_VNPU_STATE, settings persisted across processes */
#define VNPU_STATE_ENV	"RKVAL_VNPU_STATE"
void vnpu_state_load(struct vnpu *v);
void vnpu_state_save(void);
/* vnpu_pstore.c: the previous boot's panic record ("" if none); append one line. */
const char *vnpu_pstore_previous(void);
void vnpu_pstore_record(const char *line);
/* Keep the kernel log's tail as ramoops' dmesg dump of a panic would. */
void vnpu_pstore_dump_panic(void);

/* vnpu_panic.c: end the "boot" as panic() ends a board; never returns. */
void vnpu_panic(const char *reason) __attribute__((noreturn));

/* vnpu_sysfs.c */
int vnpu_vfs_read(const char *path, char *buf, size_t size);
int vnpu_vfs_write(const char *path, const char *text);
int vnpu_vfs_exists(const char *path);
int vnpu_vfs_names(const char *dir, char ***names);
ssize_t vnpu_vfs_readlink(const char *path, char *buf, size_t size);
bool vnpu_vfs_owns(const char *path);

/* vnpu_drm.c */
int vnpu_drm_open(void);
int vnpu_drm_close(int fd);
bool vnpu_drm_is_fd(int fd);
int vnpu_drm_ioctl(int fd, unsigned long request, void *arg);
void *vnpu_drm_mmap(void *addr, size_t length, int prot, int flags, int fd,
		    off_t offset);
int vnpu_copy_from_user(void *dst, uint64_t uptr, size_t len);
int vnpu_copy_to_user(uint64_t uptr, const void *src, size_t len);

/* vnpu_exec_basic.c / executor selection */
void vnpu_core_run_executor(struct vnpu_core *core);

#endif /* RKVAL_VNPU_H */
