// SPDX-License-Identifier: MIT
/*
 * vnpu_kmsg.c — vnpu's kernel log: /dev/kmsg record format
 * ("prio,seq,usec,flags;text", prio = facility << 3 | level), user writes
 * with a "<N>" prefix (facility user), one record per read from the end of
 * the log, EAGAIN when none, the RKVAL_VNPU_KMSG mirror file with the
 * probe lines of rocket_drv.c, and the host-log copy of an ignore regex,
 * its anchors widened to the "vnpu: " prefix outside bracket expressions
 * only (lib/util/regex_scan.c says where those end).
 */
#include <fcntl.h>

#include "vnpu_unit.h"

static char mirror[256];

static void sc_records(void)
{
	char rec[1024];
	unsigned int prio, seq1, seq2;
	unsigned long long usec;
	int kfd = plat_kmsg_open(), n;
	ssize_t len;

	CHECK(kfd >= 0, "plat_kmsg_open()");
	len = plat_read(kfd, rec, sizeof(rec));
	EQ(-1, len, "no record pending at open (positioned at the end)");
	EQ(EAGAIN, errno, "EAGAIN");
	EQ(0, plat_kmsg_write("<6>[IGT] vnpu_kmsg: starting subtest records\n"), "user write");
	EQ(0, plat_kmsg_write("plain text"), "user write without level");
	len = plat_read(kfd, rec, sizeof(rec) - 1);
	CHECK(len > 0, "one record readable");
	rec[len > 0 ? len : 0] = '\0';
	n = sscanf(rec, "%u,%u,%llu,-;", &prio, &seq1, &usec);
	EQ(3, n, "record header parses as prio,seq,usec,-;");
	EQ(14, prio, "<6> from user space: facility user (1) << 3 | 6");
	CHECK(strstr(rec, ";[IGT] vnpu_kmsg: starting subtest records\n") != NULL,
	      "text after ';' and one newline [%s]", rec);
	len = plat_read(kfd, rec, sizeof(rec) - 1);
	rec[len > 0 ? len : 0] = '\0';
	sscanf(rec, "%u,%u,", &prio, &seq2);
	EQ(12, prio, "no prefix: default level 4, facility user");
	EQ(seq1 + 1, seq2, "sequence numbers increase by one");
	EQ(-1, plat_read(kfd, rec, 8), "a read into a too small buffer fails");
	EQ(-1, plat_read(kfd, rec, sizeof(rec)), "then nothing is pending");
	EQ(EAGAIN, errno, "EAGAIN");
	plat_close(kfd);
}

static void sc_mirror(void)
{
	char buf[8192];
	int fd = vopen();

	plat_kmsg_write("<5>hello mirror");
	plat_close(fd);
	/* The mirror is an ordinary file outside the modelled roots. */
	CHECK(plat_read_file(mirror, buf, sizeof(buf)) > 0, "mirror file readable");
	CHECK(strstr(buf, "6,") && strstr(buf, ",-;[drm] Initialized rocket 0.0.0 for rknn on minor 0\n"),
	      "probe: [drm] Initialized line");
	CHECK(strstr(buf, ";rocket fde40000.npu: Rockchip NPU core 0 version: 0\n"),
	      "probe: core version line");
	CHECK(strstr(buf, ";platform fde40000.npu: Adding to iommu group 3\n"),
	      "iommu group line");
	CHECK(strstr(buf, "13,") && strstr(buf, ";hello mirror\n"), "user record mirrored");
}

/* The host-log copy (RKVAL_VNPU_HOST_KMSG names a file here). */
static char host_log[256];

static void sc_host_regex(void)
{
	char buf[8192];

	plat_kmsg_write("<6>[IGT] x: add ignored dmesg regex: "
			"^a|[^b]|(^c)|\\^d|[[:alpha:]^]x|[]^]|[^]^]|[(^]|[[:alpha:]|^]|^e");
	CHECK(plat_read_file(host_log, buf, sizeof(buf)) > 0, "host log written");
	CHECK(strstr(buf, "<6>[IGT] x: add ignored dmesg regex: "
		     "^(vnpu: )?a|[^b]|(^(vnpu: )?c)|\\^d|[[:alpha:]^]x|[]^]|[^]^]|[(^]|[[:alpha:]|^]|^(vnpu: )?e\n") != NULL,
	      "anchors widened, brackets and escapes untouched [%s]", buf);
}

static void sc_rk3588_probe(void)
{
	char buf[8192];

	plat_read_file(mirror, buf, sizeof(buf));
	CHECK(strstr(buf, "rocket fdab0000.npu: Rockchip NPU core 0 version: 1179210309") &&
	      strstr(buf, "rocket fdac0000.npu: Rockchip NPU core 1 version: 1179210309") &&
	      strstr(buf, "rocket fdad0000.npu: Rockchip NPU core 2 version: 1179210309"),
	      "three RK3588 cores report 1179210309");
}

int main(void)
{
	int fd;

	vnpu_scenario("records", "vnpu", "", "", sc_records);
	snprintf(mirror, sizeof(mirror), "%s/vnpu_kmsg.%d",
		 getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir, (int)getpid());
	vnpu_scenario_kmsg_file = mirror;
	vnpu_scenario("mirror", "vnpu", "", "", sc_mirror);
	fd = open(mirror, O_TRUNC | O_WRONLY);
	if (fd >= 0)
		close(fd);
	vnpu_scenario("rk3588 probe", "vnpu:rk3588", "", "", sc_rk3588_probe);
	unlink(mirror);
	snprintf(host_log, sizeof(host_log), "%s/vnpu_kmsg_host.%d",
		 getenv("TMPDIR") ? getenv("TMPDIR") : P_tmpdir, (int)getpid());
	vnpu_scenario_kmsg_file = NULL;
	setenv("RKVAL_VNPU_HOST_KMSG", host_log, 1);
	vnpu_scenario("host regex", "vnpu", "", "", sc_host_regex);
	unsetenv("RKVAL_VNPU_HOST_KMSG");
	unlink(host_log);
	return unit_done();
}
