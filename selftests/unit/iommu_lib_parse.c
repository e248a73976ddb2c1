// SPDX-License-Identifier: MIT
/*
 * iommu_lib_parse — unit tests of the pure parts of lib/board/iommu and
 * lib/board/kmsg_watch: /dev/kmsg record parsing, igt_runner's warning
 * rule, the rk_iommu log-line parsers on lines in the kernel's exact
 * formats (rockchip-iommu.c log lines: %pad is 0x + 16 hex digits on arm64,
 * the kernel prints "0x0" for %#03x of 0), the regexes the tests declare,
 * and the DTE/compatible/unit-address decoders (rockchip-iommu.c registers, rockchip-iommu.c v1/v2).
 */
#include <errno.h>
#include <string.h>

#include "board/iommu.h"
#include "board/kmsg_watch.h"
#include "unit.h"

#define RK_DEV "rk_iommu fde4b000.iommu: "

static void test_records(void)
{
	static const char dict[] =
		"6,339,5140900,-;NET: Registered protocol family 10\n SUBSYSTEM=net\n";
	static const char fault[] = "3,1234,5678901,-;" RK_DEV
		"Page fault at 0x00000000000f0000 of type read\n";
	static const char user[] = "14,77,1000,-;[IGT] rk_iommu_fault: starting subtest x\n";
	static const char cont[] = "4,78,1001,c;more text\n";
	struct kmsg_record r;

	UNIT_EQ(0, kmsg_parse_record(fault, strlen(fault), &r), "parse a kernel error record");
	UNIT_EQ(3, r.level, "level of <3>");
	UNIT_EQ(0, r.facility, "facility kernel");
	UNIT_EQ(1234, (int)r.seq, "sequence number");
	UNIT_CHECK(r.usec == 5678901, "timestamp in usec");
	UNIT_CHECK(!strcmp(r.text, RK_DEV "Page fault at 0x00000000000f0000 of type read"),
		   "text without the newline: '%s'", r.text);
	UNIT_CHECK(kmsg_is_warning(&r), "level 3 is a warning (<= %d)", KMSG_WARN_LEVEL);

	UNIT_EQ(0, kmsg_parse_record(dict, strlen(dict), &r), "parse a record with a dictionary");
	UNIT_CHECK(!strcmp(r.text, "NET: Registered protocol family 10"),
		   "dictionary lines are not text: '%s'", r.text);
	UNIT_CHECK(!kmsg_is_warning(&r), "level 6 is not a warning");

	UNIT_EQ(0, kmsg_parse_record(user, strlen(user), &r), "parse a user record");
	UNIT_EQ(1, r.facility, "user facility");
	UNIT_EQ(6, r.level, "user level 6");

	UNIT_EQ(0, kmsg_parse_record(cont, strlen(cont), &r), "parse a continuation");
	UNIT_CHECK(r.cont && !kmsg_is_warning(&r), "continuations are never warnings");

	UNIT_EQ(-EINVAL, kmsg_parse_record("garbage", 7, &r), "no ';' is rejected");
	UNIT_EQ(-EINVAL, kmsg_parse_record("x,y;text", 8, &r), "non-numeric header rejected");
}

static void test_page_fault(void)
{
	struct iommu_fault_indices x;
	struct iommu_fault f;
	uint64_t iova;

	UNIT_EQ(0, iommu_parse_page_fault(RK_DEV "Page fault at 0x00000000fff00010 of type write", &f),
		"parse a write fault");
	UNIT_CHECK(f.iova == 0xfff00010 && f.write, "write fault at 0xfff00010 (%#llx %d)",
		   (unsigned long long)f.iova, f.write);
	UNIT_CHECK(!strcmp(f.dev, "fde4b000.iommu"), "device from the prefix: '%s'", f.dev);
	UNIT_EQ(0, iommu_parse_page_fault("Page fault at 0x000f0000 of type read", &f),
		"parse a fault without prefix, short %%pad");
	UNIT_CHECK(f.iova == 0xf0000 && !f.write && !f.dev[0], "read fault at 0xf0000");
	UNIT_EQ(-EINVAL, iommu_parse_page_fault(RK_DEV "Page fault at 0x10 of type exec", &f),
		"unknown type rejected");
	UNIT_EQ(-EINVAL, iommu_parse_page_fault(RK_DEV "Page fault while iommu not attached to domain?", &f),
		"the unattached line is not a fault report");

	UNIT_EQ(0, iommu_parse_fault_indices(RK_DEV "iova = 0x00000000fff00010: dte_index: 0x3ff pte_index: 0x300 page_offset: 0x10", &x),
		"parse the indices line");
	UNIT_CHECK(x.dte_index == 0x3ff && x.pte_index == 0x300 && x.page_offset == 0x10,
		   "indices 0x3ff/0x300/0x10");
	UNIT_EQ(0, iommu_parse_fault_indices(RK_DEV "iova = 0x0000000000000000: dte_index: 0x0 pte_index: 0x0 page_offset: 0x0", &x),
		"the kernel's 0x0 for %%#03x of zero");
	UNIT_EQ(rk_iommu_dte_index(0xfff00010), 0x3ff, "dte index of 0xfff00010");

	UNIT_EQ(0, iommu_parse_bus_error(RK_DEV "BUS_ERROR occurred at 0x0000000000001000", &iova),
		"parse a bus error");
	UNIT_CHECK(iova == 0x1000, "bus error iova");
}

static void test_handshake(void)
{
	enum iommu_handshake k;
	uint32_t st;

	UNIT_EQ(0, iommu_parse_handshake(RK_DEV "Enable stall request timed out, status: 0x000018", &k, &st),
		"enable stall timeout");
	UNIT_CHECK(k == IOMMU_HS_ENABLE_STALL && st == 0x18, "kind and status 0x18");
	UNIT_EQ(0, iommu_parse_handshake(RK_DEV "Disable paging request timed out, status: 0x000001", &k, &st),
		"disable paging timeout");
	UNIT_CHECK(k == IOMMU_HS_DISABLE_PAGING && st == 1, "kind and status 1");
	UNIT_EQ(0, iommu_parse_handshake(RK_DEV "FORCE_RESET command timed out", &k, &st),
		"force reset timeout");
	UNIT_CHECK(k == IOMMU_HS_FORCE_RESET && st == 0, "force reset, no status");
	UNIT_EQ(0, iommu_parse_handshake(RK_DEV "Error during raw reset. MMU_DTE_ADDR is not functioning", &k, &st),
		"raw reset error");
	UNIT_CHECK(!strcmp(iommu_handshake_name(k), "raw-reset"), "name raw-reset");
	UNIT_EQ(-EINVAL, iommu_parse_handshake("rocket fde40000.npu: NPU job timed out", &k, &st),
		"the job timeout is not a handshake");
}

static void test_regexes(void)
{
	static const char *const splat[] = {
		"------------[ cut here ]------------",
		"Modules linked in: rocket",
		"CPU: 0 UID: 0 PID: 1 Comm: kworker Tainted: G        W",
		"Tainted: [W]=WARN",
		"Hardware name: Radxa ROCK 3B (DT)",
		"Workqueue: rocket-reset-0 drm_sched_job_timedout [gpu_sched]",
		"pstate: 60400009 (nZCv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)",
		"pc : __iommu_group_set_core_domain+0xb8/0xd0",
		"lr : __iommu_group_set_core_domain+0xb8/0xd0",
		"sp : ffff800082b3bd30",
		"x29: ffff800082b3bd30 x28: 0000000000000000 x27: 0000000000000000",
		"x11: 0000000000000000 x10: 0000000000000a60 x9 : ffff800080131f40",
		"x2 : 0000000000000000 x1 : 0000000000000000 x0 : 0000000000000000",
		"Call trace:",
		" __iommu_group_set_core_domain+0xb8/0xd0 (P)",
		" iommu_detach_group+0x34/0x60",
		"---[ end trace 0000000000000000 ]---",
	};

	UNIT_CHECK(kmsg_text_matches(RK_DEV "Enable paging request timed out, status: 0x000000",
				     IOMMU_RE_HANDSHAKE), "handshake regex");
	UNIT_CHECK(!kmsg_text_matches("rocket fde40000.npu: NPU job timed out", IOMMU_RE_HANDSHAKE),
		   "handshake regex does not take the job timeout");
	UNIT_CHECK(kmsg_text_matches("rocket fde40000.npu: NPU job timed out", ROCKET_RE_JOB_TIMEOUT),
		   "job timeout regex");
	UNIT_CHECK(kmsg_text_matches(RK_DEV "Page fault at 0x00000000000f0000 of type read",
				     IOMMU_RE_PAGE_FAULT), "page fault regex");
	UNIT_CHECK(kmsg_text_matches(RK_DEV "mmu_dte_addr: 0x0000000001234000 dte@0x0000000001234000: 0x01235001 valid: 1 pte@0x00000000012353c0: 0x00000000 valid: 0 page@0x0000000000000000 flags: 0x0",
				     IOMMU_RE_FAULT_REPORT), "fault report regex, third line");
	for (unsigned int i = 0; i < sizeof(splat) / sizeof(splat[0]); i++)
		UNIT_CHECK(kmsg_text_matches(splat[i], KMSG_RE_WARN_SPLAT),
			   "splat regex takes '%s'", splat[i]);
	UNIT_CHECK(kmsg_text_matches("WARNING: CPU: 0 PID: 0 at drivers/iommu/iommu.c:157 __iommu_group_set_core_domain+0xb8/0xd0",
				     IOMMU_RE_DETACH_FRAME), "detach frame regex");
	UNIT_CHECK(!kmsg_text_matches("rk_iommu fde4b000.iommu: Page fault at 0x0 of type read",
				      KMSG_RE_WARN_SPLAT), "splat regex does not take a fault line");
	UNIT_CHECK(!kmsg_text_matches("anything", "("), "an invalid regex never matches");
}

static void test_decoders(void)
{
	static const char v2[] = "rockchip,rk3588-iommu\0rockchip,rk3568-iommu";
	static const char v1[] = "rockchip,iommu";
	static const char other[] = "arm,smmu-v3";
	uint64_t a;

	UNIT_CHECK(rk_iommu_entry_addr(0x01234001, HW_IOMMU_V1) == 0x01234000, "v1 DTE address");
	UNIT_CHECK(rk_iommu_entry_addr(0x01234101, HW_IOMMU_V2) == 0x101234000ull,
		   "v2 DTE [11:8] -> addr[35:32]");
	UNIT_CHECK(rk_iommu_entry_addr(0x01234011, HW_IOMMU_V2) == 0x1001234000ull,
		   "v2 DTE [7:4] -> addr[39:36]");
	UNIT_CHECK(rk_iommu_entry_addr(0x01234101, HW_IOMMU_V1) == 0x01234000,
		   "v1 ignores the v2 bits");
	UNIT_EQ(HW_IOMMU_V2, rk_iommu_version_from_compatible(v2, sizeof(v2)), "rk3588 is v2");
	UNIT_EQ(HW_IOMMU_V1, rk_iommu_version_from_compatible(v1, sizeof(v1)), "rk3568 RFC DT is v1");
	UNIT_EQ(HW_IOMMU_VERSION_UNKNOWN, rk_iommu_version_from_compatible(other, sizeof(other)),
		"another IOMMU is unknown");
	UNIT_EQ(0, iommu_parse_unit_address("fde4b000.iommu", &a), "unit address parses");
	UNIT_CHECK(a == 0xfde4b000, "unit address value");
	UNIT_EQ(-EINVAL, iommu_parse_unit_address("iommu", &a), "no unit address");
}

int main(void)
{
	test_records();
	test_page_fault();
	test_handshake();
	test_regexes();
	test_decoders();
	return unit_done();
}
