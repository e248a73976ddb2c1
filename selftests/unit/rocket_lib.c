// SPDX-License-Identifier: MIT
/*
 * rocket_lib — unit tests of the device-free parts of lib/rocket:
 * PREP_BO timeout conversion, device-tree compatible parsing and the
 * encoding of the DPU-only copy task.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "rocket/rocket.h"
#include "unit.h"

#define NS_PER_MS	1000000ll

static void test_timeout(void)
{
	UNIT_EQ(1000 + 500 * NS_PER_MS, rocket_abs_timeout_ns(1000, 500),
		"timeout: now + 500 ms in ns");
	UNIT_EQ(1000, rocket_abs_timeout_ns(1000, 0),
		"timeout: 0 ms is a deadline of now (a poll)");
	UNIT_EQ(INT64_MAX, rocket_abs_timeout_ns(1000, -1),
		"timeout: negative is forever (INT64_MAX)");
	UNIT_EQ(INT64_MAX, rocket_abs_timeout_ns(INT64_MAX - 10, 1),
		"timeout: saturates instead of overflowing");
	UNIT_EQ(INT64_MAX, rocket_abs_timeout_ns(0, INT64_MAX / 1000),
		"timeout: huge ms saturates");
	UNIT_CHECK(rocket_monotonic_ns() > 0, "timeout: CLOCK_MONOTONIC reads");
}

/* sizeof of a string literal keeps the embedded and the final NUL. */
#define COMPAT(s)	s, sizeof(s)

static void test_compatible(void)
{
	struct rocket_soc_info info;
	int ret;

	ret = rocket_parse_compatible(COMPAT("radxa,rock-3b\0rockchip,rk3568"), &info);
	UNIT_EQ(0, ret, "compatible: ROCK 3B parses");
	UNIT_EQ(HW_SOC_RK3568, info.soc, "compatible: ROCK 3B is rk3568");
	UNIT_CHECK(!strcmp(info.board_compatible, "radxa,rock-3b"),
		   "compatible: board string is the first one (%s)",
		   info.board_compatible);
	UNIT_EQ(1, info.num_cores, "compatible: rk3568 has one NPU core");
	UNIT_EQ(0xfde40000, info.core_base[0], "compatible: rk3568 NPU at fde40000");

	ret = rocket_parse_compatible(COMPAT("radxa,rock-5b\0rockchip,rk3588"), &info);
	UNIT_EQ(0, ret, "compatible: ROCK 5B parses");
	UNIT_EQ(HW_SOC_RK3588, info.soc, "compatible: ROCK 5B is rk3588");
	UNIT_EQ(3, info.num_cores, "compatible: rk3588 has three NPU cores");
	UNIT_EQ(0xfdab0000, info.core_base[0], "compatible: rk3588 core 0 at fdab0000");
	UNIT_EQ(0xfdac0000, info.core_base[1], "compatible: rk3588 core 1 at fdac0000");
	UNIT_EQ(0xfdad0000, info.core_base[2], "compatible: rk3588 core 2 at fdad0000");

	ret = rocket_parse_compatible(COMPAT("pine64,quartz64-a\0rockchip,rk3566"), &info);
	UNIT_EQ(0, ret, "compatible: rk3566 parses");
	UNIT_EQ(HW_SOC_RK3568, info.soc, "compatible: rk3566 has the rk3568 NPU");

	ret = rocket_parse_compatible(COMPAT("friendlyarm,nanopi-r6s\0rockchip,rk3588s"), &info);
	UNIT_EQ(0, ret, "compatible: rk3588s parses");
	UNIT_EQ(HW_SOC_RK3588, info.soc, "compatible: rk3588s is an rk3588");

	ret = rocket_parse_compatible(COMPAT("a,b\0vendor,x\0rockchip,rk3588"), &info);
	UNIT_EQ(0, ret, "compatible: several strings parse");
	UNIT_EQ(HW_SOC_RK3588, info.soc, "compatible: SoC found after several strings");

	ret = rocket_parse_compatible(COMPAT("raspberrypi,5-model-b\0brcm,bcm2712"), &info);
	UNIT_EQ(-ENOENT, ret, "compatible: non-Rockchip board is -ENOENT");
	UNIT_CHECK(!strcmp(info.board_compatible, "raspberrypi,5-model-b"),
		   "compatible: board still reported on -ENOENT");

	ret = rocket_parse_compatible(COMPAT("x\0rockchip,rk3576"), &info);
	UNIT_EQ(-ENOENT, ret, "compatible: SoC without a known NPU table is -ENOENT");

	/* A prefix must not match: "rockchip,rk3588" inside a longer name. */
	ret = rocket_parse_compatible(COMPAT("x\0rockchip,rk3588-evb"), &info);
	UNIT_EQ(-ENOENT, ret, "compatible: prefix of a longer string does not match");

	/* Truncated read: last string without its NUL. */
	ret = rocket_parse_compatible("b\0rockchip,rk3568", 17, &info);
	UNIT_EQ(0, ret, "compatible: final string without NUL still parses");

	ret = rocket_parse_compatible("", 0, &info);
	UNIT_EQ(-EINVAL, ret, "compatible: empty buffer is -EINVAL");
}

static void test_regcmd(void)
{
	struct rocket_dpu_copy copy = { .src = 0x1000, .dst = 0x2000 };
	uint64_t buf[64];
	uint64_t last, want_src, want_dst;
	bool have_src = false, have_dst = false;
	int n;

	/* The vendor dump's first word: op 0x0201, value 0xe, reg 0x1004 (vendor librknnrt matmul dump). */
	UNIT_EQ(0x02010000000e1004ull, rocket_regcmd_entry(0x0201, 0x1004, 0xe),
		"regcmd: entry packs target/value/register");
	UNIT_EQ((int64_t)0xffffffffffffffffull,
		(int64_t)rocket_regcmd_entry(0xffff, 0xffff, 0xffffffff),
		"regcmd: all fields full");

	UNIT_EQ(-ENOSPC, rocket_regcmd_dpu_copy(buf, ROCKET_DPU_COPY_ENTRIES - 1, &copy),
		"regcmd: too small a buffer is -ENOSPC");
	n = rocket_regcmd_dpu_copy(buf, 64, &copy);
	UNIT_EQ(ROCKET_DPU_COPY_ENTRIES, n, "regcmd: DPU copy entry count");
	UNIT_EQ(0, n % 2, "regcmd: even count (RK3588 fetches pairs)");
	if (n != ROCKET_DPU_COPY_ENTRIES)
		return;

	/* Tail (Mesa rkt_regcmd.c task tail): 0, amounts, 0x0041 marker, op_en. */
	UNIT_EQ(0, buf[n - 4], "regcmd: tail[-4] is 0 (single task, no chain)");
	UNIT_EQ(0x0101000000000014ll, buf[n - 3], "regcmd: tail[-3] PC_REGISTER_AMOUNTS 0");
	UNIT_EQ(0x0041000000000000ll, buf[n - 2], "regcmd: tail[-2] op_en preparation word");
	last = buf[n - 1];
	UNIT_EQ(0x0081000000180008ll, last, "regcmd: tail[-1] op_en = DPU | DPU_RDMA");

	want_src = rocket_regcmd_entry(0x2001, 0x5018, copy.src);
	want_dst = rocket_regcmd_entry(0x1001, 0x4020, copy.dst);
	for (int i = 0; i < n - 4; i++) {
		uint16_t target = buf[i] >> 48, reg = (uint16_t)buf[i];

		have_src |= buf[i] == want_src;
		have_dst |= buf[i] == want_dst;
		/* Only DPU (0x4xxx) and DPU_RDMA (0x5xxx) are programmed. */
		if (!((target == 0x1001 && (reg & 0xf000) == 0x4000) ||
		      (target == 0x2001 && (reg & 0xf000) == 0x5000)))
			UNIT_CHECK(0, "regcmd: entry %d %#018llx targets its block",
				   i, (unsigned long long)buf[i]);
	}
	UNIT_CHECK(have_src, "regcmd: DPU_RDMA source address programmed");
	UNIT_CHECK(have_dst, "regcmd: DPU destination address programmed");
	/* Flying mode + output to memory, so the DPU reads its own input. */
	UNIT_CHECK(buf[2] == rocket_regcmd_entry(0x1001, 0x400c, 0x1e5),
		   "regcmd: DPU FEATURE_MODE_CFG flying, to memory, burst 15");
}

int main(void)
{
	test_timeout();
	test_compatible();
	test_regcmd();
	return unit_done();
}
