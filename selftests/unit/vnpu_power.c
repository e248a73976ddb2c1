// SPDX-License-Identifier: MIT
/*
 * vnpu_power.c — the board state vnpu shows through sysfs/debugfs/procfs:
 * runtime PM with 50 ms autosuspend and resume on submit (rocket_device.c, rocket_core.c probe, rocket_core.c runtime PM), power/control and autosuspend_delay_ms, clock enable
 * counts per kernel profile (rocket_core.c clock lookup), the npu power domain and regulator,
 * driver unbind/bind with the probe lines (rocket_drv.c), the device tree (Rockchip device trees) and
 * the taint file.
 */
#include <fcntl.h>

#include "vnpu/vnpu_introspect.h"
#include "vnpu_unit.h"

#define PWR "/sys/bus/platform/devices/fde40000.npu/power/"

static void msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000l };

	nanosleep(&ts, NULL);
}

static const char *rd(const char *path)
{
	static char buf[4096];
	ssize_t n = plat_read_file(path, buf, sizeof(buf));

	if (n < 0)
		snprintf(buf, sizeof(buf), "<%s>", strerror((int)-n));
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static void run_one_job(int fd)
{
	struct drm_rocket_create_bo cmd, out;
	uint64_t *p;
	uint32_t n;

	bo_create(fd, 4096, &cmd);
	bo_create(fd, 4096, &out);
	p = bo_map(fd, &cmd, 4096);
	n = build_task(p, 8, 0x18);
	plat_munmap(p, 4096);
	submit1(fd, (uint32_t)cmd.dma_address, n, NULL, 0, &out.handle, 1);
	prep_bo(fd, out.handle, mono_ns() + 2000000000ll);
}

static void sc_runtime_pm(void)
{
	struct vnpu_introspect_core c;
	long act0, act1, susp0, susp1;
	int fd;

	fd = vopen();
	CHECK(!strcmp(rd(PWR "autosuspend_delay_ms"), "50"), "autosuspend_delay_ms %s",
	      rd(PWR "autosuspend_delay_ms"));
	CHECK(!strcmp(rd(PWR "control"), "auto"), "control auto");
	msleep(80);
	CHECK(!strcmp(rd(PWR "runtime_status"), "suspended"),
	      "suspended 50 ms after probe (%s)", rd(PWR "runtime_status"));
	act0 = atol(rd(PWR "runtime_active_time"));
	susp0 = atol(rd(PWR "runtime_suspended_time"));
	CHECK(act0 >= 45 && act0 <= 70, "active ~50 ms during probe (%ld)", act0);
	run_one_job(fd);
	CHECK(!strcmp(rd(PWR "runtime_status"), "active"), "a job resumes the core");
	msleep(20);
	CHECK(!strcmp(rd(PWR "runtime_status"), "active"), "still active 20 ms after the job");
	msleep(60);
	CHECK(!strcmp(rd(PWR "runtime_status"), "suspended"), "suspended again after 50 ms idle");
	act1 = atol(rd(PWR "runtime_active_time"));
	susp1 = atol(rd(PWR "runtime_suspended_time"));
	CHECK(act1 - act0 >= 45 && act1 - act0 <= 80, "active time grew by ~50 ms (%ld)", act1 - act0);
	CHECK(susp1 > susp0, "suspended time grew");
	vnpu_introspect_core(0, &c);
	EQ(0, c.pm_usage, "usage count back to 0");
	EQ(2, c.pm_suspends, "two suspends (probe, job)");

	/* control "on" holds the device active; "auto" lets it go. */
	EQ(0, plat_write_file(PWR "control", "on"), "write control on");
	CHECK(!strcmp(rd(PWR "runtime_status"), "active"), "control on resumes");
	msleep(70);
	CHECK(!strcmp(rd(PWR "runtime_status"), "active"), "and keeps it active");
	EQ(-EINVAL, plat_write_file(PWR "control", "maybe"), "bad control value is EINVAL");
	EQ(0, plat_write_file(PWR "autosuspend_delay_ms", "20"), "write autosuspend_delay_ms");
	EQ(0, plat_write_file(PWR "control", "auto"), "write control auto");
	msleep(35);
	CHECK(!strcmp(rd(PWR "runtime_status"), "suspended"), "suspended after the new 20 ms delay");
	EQ(-EACCES, plat_write_file(PWR "runtime_status", "active"), "runtime_status is read-only");
	plat_close(fd);
}

static void check_clocks(bool bug)
{
	struct vnpu_introspect_core c;
	char summary[4096];
	int fd = vopen();

	plat_write_file(PWR "control", "on");
	vnpu_introspect_core(0, &c);
	if (bug) {
		EQ(4, c.clk_enable[0], "mainline bug: aclk enabled four times");
		EQ(0, c.clk_enable[1] + c.clk_enable[2] + c.clk_enable[3],
		   "hclk, npu, pclk never enabled");
	} else {
		for (int i = 0; i < 4; i++)
			EQ(1, c.clk_enable[i], "clocks by name: each clock enabled once");
	}
	plat_read_file("/sys/kernel/debug/clk/clk_summary", summary, sizeof(summary));
	CHECK(strstr(summary, "aclk_npu") && strstr(summary, "hclk_npu") &&
	      strstr(summary, "scmi_clk_npu") && strstr(summary, "pclk_npu_pre"),
	      "clk_summary lists the four NPU clocks");
	CHECK(!strcmp(rd("/sys/kernel/debug/clk/hclk_npu/clk_enable_count"), bug ? "0" : "1"),
	      "hclk_npu clk_enable_count %s", rd("/sys/kernel/debug/clk/hclk_npu/clk_enable_count"));
	CHECK(!strcmp(rd("/sys/kernel/debug/clk/aclk_npu/clk_enable_count"), bug ? "4" : "1"),
	      "aclk_npu clk_enable_count %s", rd("/sys/kernel/debug/clk/aclk_npu/clk_enable_count"));
	plat_write_file(PWR "control", "auto");
	msleep(70);
	vnpu_introspect_core(0, &c);
	EQ(0, c.clk_enable[0] + c.clk_enable[1] + c.clk_enable[2] + c.clk_enable[3],
	   "suspend disables every clock");
	plat_close(fd);
}

/* The clock-lookup bug of mainline, kept by the RFC (checked on its rk3568). */
static void sc_clocks_bug(void)
{
	check_clocks(true);
}

static void sc_clocks_next(void)
{
	check_clocks(false);
}

static void sc_board(void)
{
	char buf[256], genpd[4096];
	ssize_t n;
	int fd;

	n = plat_read_file("/proc/device-tree/compatible", buf, sizeof(buf));
	CHECK(n == 30 && !memcmp(buf, "radxa,rock-3b\0rockchip,rk3568\0", 30),
	      "DT compatible (%zd bytes)", n);
	n = plat_read_file("/proc/device-tree/npu@fde40000/compatible", buf, sizeof(buf));
	CHECK(n > 0 && !strcmp(buf, "rockchip,rk3568-rknn-core"), "NPU node compatible");
	n = plat_read_file("/proc/device-tree/iommu@fde4b000/compatible", buf, sizeof(buf));
	CHECK(n > 0 && !strcmp(buf, "rockchip,iommu"), "NPU MMU is v1 (rockchip,iommu)");
	CHECK(!strcmp(rd("/proc/sys/kernel/tainted"), "0"), "not tainted at boot");
	CHECK(!strcmp(rd("/sys/class/regulator/regulator.10/name"), "vdd_npu"), "regulator name");
	CHECK(!strcmp(rd("/sys/class/regulator/regulator.10/microvolts"), "1000000"), "microvolts");
	fd = vopen();
	plat_write_file(PWR "control", "on");
	CHECK(!strcmp(rd("/sys/class/regulator/regulator.10/state"), "enabled"),
	      "regulator enabled with the domain on");
	plat_read_file("/sys/kernel/debug/pm_genpd/pm_genpd_summary", genpd, sizeof(genpd));
	CHECK(strstr(genpd, "\nnpu ") && strstr(genpd, "fde40000.npu") && strstr(genpd, "active"),
	      "pm_genpd_summary shows npu on with the core active");
	plat_write_file(PWR "control", "auto");
	msleep(70);
	CHECK(!strcmp(rd("/sys/class/regulator/regulator.10/state"), "disabled"),
	      "regulator disabled with the domain off");
	plat_read_file("/sys/kernel/debug/pm_genpd/pm_genpd_summary", genpd, sizeof(genpd));
	CHECK(strstr(genpd, "off-0") && strstr(genpd, "suspended"), "pm_genpd_summary shows off");
	plat_close(fd);
}

static int count_entry(const char *name, void *data)
{
	(void)name;
	(*(int *)data)++;
	return 0;
}

static void sc_bind(void)
{
	int kfd = plat_kmsg_open(), kfd2, fd, n = 0;
	char link[256];

	EQ(0, plat_stat_exists("/sys/bus/platform/drivers/rocket/fde40000.npu"), "core bound");
	CHECK(plat_readlink("/sys/bus/platform/devices/fde40000.npu/driver", link, sizeof(link)) > 0 &&
	      strstr(link, "drivers/rocket"), "driver link -> %s", link);
	fd = vopen();
	EQ(0, plat_write_file("/sys/bus/platform/drivers/rocket/unbind", "fde40000.npu"), "unbind");
	EQ(-ENOENT, plat_stat_exists("/dev/accel/accel0"), "accel0 gone");
	EQ(-1, vopen(), "open fails");
	EQ(ENOENT, errno, "with ENOENT");
	EQ(0, plat_list_dir("/dev/accel", count_entry, &n), "/dev/accel is empty");
	EQ(-ENODEV, plat_write_file("/sys/bus/platform/drivers/rocket/unbind", "fde40000.npu"),
	   "unbinding twice is ENODEV");
	EQ(-1, vioctl(fd, DRM_IOCTL_VERSION, &(struct drm_version){ 0 }) ? -1 : 0,
	   "an fd of the unbound device fails ioctls");
	kfd2 = plat_kmsg_open();
	EQ(0, plat_write_file("/sys/bus/platform/drivers/rocket/bind", "fde40000.npu"), "bind");
	/* devm_drm_dev_alloc() on the facade: the old minor stays taken. */
	EQ(-ENOENT, plat_stat_exists("/dev/accel/accel0"), "accel0 stays gone");
	EQ(0, plat_stat_exists("/dev/accel/accel1"), "the device is back as accel1");
	CHECK(!strcmp(rd("/sys/class/accel/accel1/dev"), "261:1"), "accel1 is minor 1");
	CHECK(plat_readlink("/sys/class/accel/accel1/device", link, sizeof(link)) > 0 &&
	      strstr(link, "/rknn"), "accel1's device is the rknn facade (%s)", link);
	CHECK(kmsg_grep(kfd, "Rockchip NPU core 0 version: 0", NULL, 0) == 1, "probe line logged again");
	CHECK(kmsg_grep(kfd2, "Initialized rocket 0.0.0 for rknn on minor 1", NULL, 0) == 1,
	      "registered on minor 1");
	plat_close(kfd2);
	plat_close(fd);
	EQ(-1, vopen(), "the old node does not open");
	fd = plat_open("/dev/accel/accel1", 2 /* O_RDWR */);
	CHECK(fd >= 0, "open works after bind");
	run_one_job(fd);
	plat_close(fd);
	plat_close(kfd);
}

/*
 * Mainline rocket matches only rockchip,rk3588-rknn-core (rocket_drv.c
 * dt_match): on vnpu:rk3568 the node is there, the driver binds nothing.
 */
static void sc_rk3568_mainline(void)
{
	int kfd = plat_kmsg_open();

	EQ(-ENOENT, plat_stat_exists("/dev/accel/accel0"), "no accel node");
	EQ(-1, vopen(), "open fails");
	CHECK(!strcmp(rd("/proc/device-tree/npu@fde40000/compatible"),
		      "rockchip,rk3568-rknn-core"), "the DT still has the RK3568 NPU node");
	EQ(-ENOENT, plat_stat_exists("/sys/bus/platform/drivers/rocket/fde40000.npu"),
	   "the core is not bound");
	EQ(0, plat_stat_exists("/sys/bus/platform/devices/fde40000.npu/power/control"),
	   "the platform device exists");
	EQ(-ENODEV, plat_write_file("/sys/bus/platform/drivers/rocket/bind", "fde40000.npu"),
	   "bind fails: no dt_match entry");
	EQ(-ENOENT, plat_stat_exists("/dev/accel/accel0"), "still no accel node");
	plat_close(kfd);
}

/*
 * A CPU access to a gated core is an SError on silicon (arm64 traps.c):
 * vnpu logs it and fails the access, it never reads a made-up 0.
 */
static void sc_gated_access(void)
{
	int kfd = plat_kmsg_open(), fd = vopen();
	uint32_t v = 0xdeadbeef;
	char line[512] = "";

	msleep(70);	/* past the 50 ms autosuspend of the probe's resume */
	CHECK(!strcmp(rd(PWR "runtime_status"), "suspended"), "idle core is suspended (%s)",
	      rd(PWR "runtime_status"));
	EQ(-EHOSTDOWN, plat_reg_read32(0xfde40000ull, &v), "read of a gated core fails");
	EQ(-EHOSTDOWN, plat_reg_write32(0xfde48010ull, 0x80000101u),
	   "the counter clear on a gated core fails");
	CHECK(kmsg_grep(kfd, "SError Interrupt on CPU0, code 0x", line, sizeof(line)) == 2,
	      "each access logs an SError [%s]", line);
	EQ(0, plat_write_file(PWR "control", "on"), "hold the core on");
	EQ(0, plat_reg_read32(0xfde40000ull, &v), "then the read works");
	plat_write_file(PWR "control", "auto");
	plat_close(fd);
	plat_close(kfd);
}

static void sc_rk3588(void)
{
	char buf[256];
	ssize_t n;
	int entries = 0;

	n = plat_read_file("/proc/device-tree/compatible", buf, sizeof(buf));
	CHECK(n == 30 && !memcmp(buf, "radxa,rock-5b\0rockchip,rk3588\0", 30), "DT compatible");
	for (int i = 0; i < 3; i++) {
		char path[128];

		snprintf(path, sizeof(path), "/sys/bus/platform/devices/fda%c0000.npu/power/runtime_status",
			 "bcd"[i]);
		CHECK(plat_stat_exists(path) == 0, "%s exists", path);
	}
	plat_list_dir("/sys/bus/platform/drivers/rocket", count_entry, &entries);
	EQ(5, entries, "rocket driver dir: bind, unbind and three cores");
	n = plat_read_file("/proc/device-tree/iommu@fdab9000/compatible", buf, sizeof(buf));
	CHECK(n > 0 && !strcmp(buf, "rockchip,rk3588-iommu") &&
	      !strcmp(buf + strlen(buf) + 1, "rockchip,rk3568-iommu"), "RK3588 MMU compatibles");
}

int main(void)
{
	vnpu_scenario("runtime-pm", "vnpu:rk3568", "", "", sc_runtime_pm);
	vnpu_scenario("rk3568 mainline", "vnpu:rk3568", "mainline", "", sc_rk3568_mainline);
	vnpu_scenario("clocks rfc", "vnpu:rk3568", "rfc", "", sc_clocks_bug);
	vnpu_scenario("clocks next", "vnpu:rk3568", "next", "", sc_clocks_next);
	vnpu_scenario("board", "vnpu:rk3568", "", "", sc_board);
	vnpu_scenario("bind", "vnpu:rk3568", "", "", sc_bind);
	vnpu_scenario("gated access", "vnpu:rk3568", "", "", sc_gated_access);
	vnpu_scenario("rk3588", "vnpu:rk3588", "", "", sc_rk3588);
	return unit_done();
}
