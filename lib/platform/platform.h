/* SPDX-License-Identifier: MIT */
/*
 * platform — the one seam between rkval and the kernel/board.
 *
 * Contract:
 *  - Every open/ioctl/mmap of a device node, every sysfs/debugfs/procfs
 *    read or write, every kernel-log read or write and every register read
 *    made by lib/ or a test goes through a plat_*() call.  Test binaries
 *    never call open(), ioctl(), mmap(), fopen() & co. directly
 *    (selftests/seam-check.sh enforces this on the object files).
 *  - Two backends implement the seam: "kernel" (real syscalls, libdrm) and
 *    "vnpu" (the software NPU in lib/vnpu/).  Which one runs is decided
 *    once per process by plat_configure()/plat_init(); tests never ask.
 *  - The calls mirror the syscalls they replace: -1 with errno set on
 *    failure, so a test reads like code written against the real kernel.
 *    The helpers below that are not syscalls (plat_read_file() & co.)
 *    return a negative errno instead, and say so.
 *
 * Device selection (one string, from --device, RKVAL_DEVICE or IGT_DEVICE):
 *   auto            real NPU if a rocket accel node exists; vnpu:<soc> when
 *                   the machine is not a Rockchip NPU SoC; on a Rockchip NPU
 *                   SoC without a bound rocket driver: an error, never vnpu.
 *   kernel          the real kernel only (board runs, LAVA); no NPU = error.
 *   /dev/accel/accelN   that node, kernel backend.
 *   vnpu            vnpu with the default SoC (rk3568).
 *   vnpu:rk3568 | vnpu:rk3588   vnpu with that SoC profile.
 * vnpu properties (environment or plat_configure_vnpu()):
 *   RKVAL_VNPU_KERNEL   kernel profile name (see lib/vnpu/vnpu.h)
 *   RKVAL_VNPU_FAULTS   comma list of injected hardware faults
 *   RKVAL_VNPU_KMSG     file to which vnpu appends its kernel-log records
 *                       (the runner's dmesg capture on vnpu)
 *   RKVAL_VNPU_STATE    file in which vnpu keeps the cores' writable sysfs
 *                       settings across processes (lib/vnpu/vnpu_state.c)
 */
#ifndef RKVAL_PLATFORM_H
#define RKVAL_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum plat_backend {
	PLAT_BACKEND_NONE = 0,
	PLAT_BACKEND_KERNEL,
	PLAT_BACKEND_VNPU,
};

#define PLAT_DEVICE_ENV		"RKVAL_DEVICE"
#define PLAT_VNPU_KERNEL_ENV	"RKVAL_VNPU_KERNEL"
#define PLAT_VNPU_FAULTS_ENV	"RKVAL_VNPU_FAULTS"
#define PLAT_VNPU_KMSG_ENV	"RKVAL_VNPU_KMSG"

/* The accel node the kernel backend looks for (rocket_drv.c). */
#define PLAT_ACCEL_DIR		"/dev/accel"
#define PLAT_KMSG_PATH		"/dev/kmsg"
#define PLAT_DT_COMPATIBLE	"/proc/device-tree/compatible"

/*
 * Record the device selection string; no side effects.  NULL or "" means
 * "auto" unless RKVAL_DEVICE or IGT_DEVICE is set.
 */
void plat_configure(const char *device_spec);

/*
 * Select and start the backend.  Idempotent; every other plat_*() call
 * runs it on first use.  Returns 0, or a negative errno with a human
 * reason available from plat_init_error().
 */
int plat_init(void);
const char *plat_init_error(void);

enum plat_backend plat_backend(void);
/* "kernel" or "vnpu" (or "none" before/without a successful init). */
const char *plat_backend_name(void);
/* One line for logs and results, e.g. "vnpu:rk3568 kernel=mainline faults=none". */
const char *plat_describe(void);
/* The accel node path tests should open ("/dev/accel/accel0" on vnpu too). */
const char *plat_device_path(void);
/*
 * Point the selection at another node of the same driver: rocket's accel
 * minor changes across an unbind/bind (lib/rocket rocket_find_node()).
 */
void plat_set_device_path(const char *path);

/* Device nodes and ordinary files: syscall semantics (-1 + errno). */
int plat_open(const char *path, int flags, ...);
int plat_close(int fd);
int plat_ioctl(int fd, unsigned long request, void *arg);
void *plat_mmap(void *addr, size_t length, int prot, int flags, int fd,
		off_t offset);
int plat_munmap(void *addr, size_t length);
ssize_t plat_read(int fd, void *buf, size_t count);
ssize_t plat_write(int fd, const void *buf, size_t count);

/*
 * Whole-file helpers for sysfs/debugfs/procfs.  plat_read_file() reads at
 * most size-1 bytes, NUL-terminates and returns the byte count or -errno;
 * plat_write_file() writes text and returns 0 or -errno.
 */
ssize_t plat_read_file(const char *path, char *buf, size_t size);
int plat_write_file(const char *path, const char *text);
/* 0 if path exists, else -errno. */
int plat_stat_exists(const char *path);
/*
 * Call fn for each entry of a directory (not "." or ".."), in sorted order.
 * Returns the number of entries visited or -errno.  fn returning non-zero
 * stops the walk.
 */
int plat_list_dir(const char *dir,
		  int (*fn)(const char *name, void *data), void *data);
/* readlink(2) that NUL-terminates; returns length or -errno. */
ssize_t plat_readlink(const char *path, char *buf, size_t size);

/*
 * The same reads for explaining a missing device: through the selected
 * backend when there is one, else from the real kernel (so "--device
 * kernel" off a board says what the machine really is, and vnpu says
 * what its modelled board is).  Never select or start a backend.
 */
ssize_t plat_probe_read_file(const char *path, char *buf, size_t size);
int plat_probe_stat_exists(const char *path);
int plat_probe_list_dir(const char *dir,
			int (*fn)(const char *name, void *data), void *data);

/*
 * Kernel log.  plat_kmsg_write() writes one record, text starting with an
 * optional "<N>" level prefix as /dev/kmsg takes it; failures are ignored
 * and reported as -errno.  plat_kmsg_open() returns an fd positioned at the
 * end of the log; plat_read() on it returns one record per call in the
 * /dev/kmsg format "prio,seq,usec,flags;text\n", or -1/EAGAIN when none
 * is pending.
 */
int plat_kmsg_write(const char *record);
int plat_kmsg_open(void);

/*
 * Physical register reads (/dev/mem on boards, the model's register files
 * on vnpu).  -errno when the register cannot be read (no /dev/mem,
 * STRICT_DEVMEM, not root, outside a known window).  -EHOSTDOWN (vnpu
 * only): the core's power domain is off — on silicon that access is an
 * SError, i.e. a panic; npu_mmio_powered() turns it into a failure.
 * plat_reg_write32() exists for the few named writes a test needs (e.g. the
 * DMA counter clear sequence); callers must document each use.
 */
int plat_reg_read32(uint64_t phys_addr, uint32_t *value);
int plat_reg_write32(uint64_t phys_addr, uint32_t value);

/*
 * Unload / load a kernel module by name, as modprobe -r / modprobe would
 * with its dependencies left loaded: 0 or -errno (-EBUSY while in use,
 * -EPERM without CAP_SYS_MODULE).  Unloading refuses (-ENOENT) when the
 * module's file cannot be found for the load back.
 */
int plat_module_unload(const char *name);
int plat_module_load(const char *name);

#endif /* RKVAL_PLATFORM_H */
