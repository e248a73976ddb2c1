// SPDX-License-Identifier: MIT
/*
 * iommu_lib_kmsg — unit tests of lib/board/kmsg_watch against the
 * seam's kernel log on vnpu: a watch sees only records written after it
 * started, in order, with their levels; find/count/wait_for; the
 * expected/tolerated/unexpected split igt_runner's rule implies
 * (IGT runner/resultgen.c); a ring overrun is counted, not fatal.  No harness: the
 * judging call that fails a subtest (kmsg_watch_check) is left to the
 * test binaries.
 */
#include <stdio.h>
#include <string.h>

#include "board/kmsg_watch.h"
#include "platform/platform.h"
#include "unit.h"

/* More than the vnpu ring holds, so the reader is overrun once. */
#define OVERRUN_RECORDS		10000

static void test_watch_basics(void)
{
	struct kmsg_watch w = { 0 };
	const struct kmsg_record *r;
	int i;

	plat_kmsg_write("<3>before the watch: not seen");
	UNIT_EQ(0, kmsg_watch_start(&w), "start a watch");
	UNIT_EQ(0, (int)kmsg_watch_poll(&w), "nothing before the start is seen");

	plat_kmsg_write("<6>unit: info line");
	plat_kmsg_write("<3>rk_iommu fde4b000.iommu: Page fault at 0x00000000000f0000 of type read");
	plat_kmsg_write("<4>unit: a warning nobody expects");
	plat_kmsg_write("<3>rk_iommu fde4b000.iommu: Enable stall request timed out, status: 0x000018");
	UNIT_EQ(4, (int)kmsg_watch_poll(&w), "four records after the start");

	r = kmsg_watch_record(&w, 1);
	UNIT_CHECK(r && r->level == 3 && strstr(r->text, "Page fault"), "second record is the fault, level 3");
	UNIT_CHECK(kmsg_watch_record(&w, 4) == NULL, "no fifth record");
	UNIT_EQ(1, kmsg_watch_find(&w, 0, "Page fault at"), "find the fault");
	UNIT_EQ(-1, kmsg_watch_find(&w, 2, "Page fault at"), "find respects from");
	UNIT_EQ(2, (int)kmsg_watch_count(&w, 0, "^rk_iommu "), "count rk_iommu lines");

	/* Expected and tolerated lines do not count; the plain warning does. */
	snprintf(w.expected, sizeof(w.expected), "%s", "Page fault at");
	kmsg_watch_tolerate(&w, "request timed out");
	UNIT_EQ(2, kmsg_watch_first_unexpected(&w, 0), "the unexpected warning is found");
	UNIT_EQ(-1, kmsg_watch_first_unexpected(&w, 3), "after it only tolerated lines");

	i = kmsg_watch_wait_for(&w, 0, "never written", 20);
	UNIT_EQ(-1, i, "wait_for times out");
	plat_kmsg_write("<6>unit: late line");
	i = kmsg_watch_wait_for(&w, 0, "late line", 1000);
	UNIT_EQ(4, i, "wait_for finds a line written later");
	kmsg_watch_stop(&w);
	UNIT_CHECK(!w.open && w.count == 0, "stop clears the watch");
	kmsg_watch_stop(&w);
	UNIT_CHECK(1, "a second stop is harmless");
}

static void test_watch_overrun(void)
{
	struct kmsg_watch w = { 0 };
	char line[64];

	UNIT_EQ(0, kmsg_watch_start(&w), "start a watch for the overrun");
	for (int i = 0; i < OVERRUN_RECORDS; i++) {
		snprintf(line, sizeof(line), "<7>unit: flood %d", i);
		plat_kmsg_write(line);
	}
	kmsg_watch_poll(&w);
	UNIT_CHECK(w.lost > 0, "an overrun is counted (%u)", w.lost);
	UNIT_CHECK(w.count > 0 && w.count < OVERRUN_RECORDS,
		   "the records still in the ring are read (%u)", w.count);
	UNIT_CHECK(kmsg_watch_find(&w, 0, "flood 9999") >= 0, "the newest record is there");
	kmsg_watch_stop(&w);
}

int main(void)
{
	int ret;

	plat_configure("vnpu:rk3568");
	ret = plat_init();
	UNIT_EQ(0, ret, "vnpu backend starts");
	if (ret)
		return unit_done();
	test_watch_basics();
	test_watch_overrun();
	return unit_done();
}
