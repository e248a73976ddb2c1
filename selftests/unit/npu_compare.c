// SPDX-License-Identifier: MIT
/*
 * npu_compare — comparison statistics and the two bring-up signatures
 * ("output equals the zero point everywhere", "output buffer untouched").
 */
#include <stdbool.h>
#include <string.h>

#include "npu/npu_ref.h"
#include "../selftests/unit/unit.h"

static void test_stats(void)
{
	/* 2x2x2 output; |errors| 0,1,2,0, 5,0,9,200 */
	int8_t want[8] = { 10, 10, 10, 10, 10, 10, 10, -100 };
	int8_t seen[8] = { 10, 11, 8, 10, 15, 10, 1, 100 };
	struct npu_compare_stats st;
	char line[256];

	npu_compare_s8(want, seen, 2, 2, 2, 2, 0, &st);
	UNIT_EQ(8, st.total, "total");
	UNIT_EQ(3, st.exact, "exact matches");
	UNIT_EQ(5, st.within_tol, "within tolerance 2");
	UNIT_EQ(200, st.max_abs_err, "max |error|");
	UNIT_CHECK(st.hist[0] == 3 && st.hist[1] == 1 && st.hist[2] == 1 && st.hist[4] == 1 &&
		   st.hist[5] == 1 && st.hist[9] == 1 && st.hist[3] == 0,
		   "histogram buckets 0,1,2,4-7,8-15,>=128");
	UNIT_EQ(3, st.n_first, "three mismatches beyond tolerance");
	UNIT_CHECK(st.first[0].y == 1 && st.first[0].x == 0 && st.first[0].c == 0 &&
		   st.first[0].expected == 10 && st.first[0].seen == 15,
		   "first mismatch at y=1 x=0 c=0 (index 4)");
	UNIT_CHECK(st.first[2].y == 1 && st.first[2].x == 1 && st.first[2].c == 1,
		   "third mismatch at y=1 x=1 c=1");
	UNIT_CHECK(!npu_compare_ok(&st), "comparison fails");
	UNIT_CHECK(!st.all_zero_point, "not the zero-point signature");
	npu_compare_summary(&st, line, sizeof(line));
	UNIT_CHECK(strstr(line, "3/8 exact") && strstr(line, "max |err| 200") &&
		   strstr(line, "y=1 x=0 c=0"), "summary line: %s", line);
	UNIT_EQ(9, npu_cmp_bucket(128), "bucket of 128");
	UNIT_EQ(8, npu_cmp_bucket(127), "bucket of 127");
	UNIT_EQ(64, npu_cmp_bucket_floor(8), "bucket 8 starts at 64");
}

static void test_many_mismatches(void)
{
	int8_t want[100], seen[100];
	struct npu_compare_stats st;

	memset(want, 0, sizeof(want));
	memset(seen, 9, sizeof(seen));
	npu_compare_s8(want, seen, 10, 10, 1, 0, 0, &st);
	UNIT_EQ(NPU_CMP_MAX_FIRST, st.n_first, "only the first mismatches are kept");
	UNIT_EQ(0, st.exact, "none exact");
}

static void test_signatures(void)
{
	int8_t want[16], seen[16];
	uint8_t raw[64];
	struct npu_compare_stats st;
	char line[256];

	/* the NPU ran but produced nothing but the zero point */
	memset(want, 3, sizeof(want));
	memset(seen, -4, sizeof(seen));
	npu_compare_s8(want, seen, 2, 2, 4, 2, -4, &st);
	UNIT_CHECK(st.all_zero_point, "zero-point signature detected");
	npu_compare_summary(&st, line, sizeof(line));
	UNIT_CHECK(strstr(line, "zero point everywhere") != NULL, "summary names it: %s", line);

	/* the NPU never wrote: raw buffer still holds the canary */
	npu_canary_fill(raw, sizeof(raw));
	UNIT_CHECK(npu_buffer_untouched(raw, sizeof(raw)), "canary-filled buffer is untouched");
	npu_compare_note_raw(&st, raw, sizeof(raw));
	UNIT_CHECK(st.raw_checked && st.untouched, "untouched signature recorded");
	npu_compare_summary(&st, line, sizeof(line));
	UNIT_CHECK(strstr(line, "untouched") != NULL, "summary names it: %s", line);
	raw[63] = 0;
	UNIT_CHECK(!npu_buffer_untouched(raw, sizeof(raw)), "one written byte breaks it");
	UNIT_EQ(0xa5, NPU_CANARY_BYTE, "canary byte");
}

static void test_s32(void)
{
	int32_t want[4] = { 1 << 20, -5, 0, 7 }, seen[4] = { 1 << 20, -5, 0, 7 };
	int32_t zero[4] = { 0 };
	struct npu_compare_stats st;

	npu_compare_s32(want, seen, 1, 2, 2, 0, &st);
	UNIT_CHECK(npu_compare_ok(&st) && st.exact == 4, "int32 exact comparison passes");
	npu_compare_s32(want, zero, 1, 2, 2, 0, &st);
	UNIT_CHECK(st.all_zero_point && st.max_abs_err == 1 << 20,
		   "int32 all-zero output is the zero-point signature");
}

/*
 * The statistical criteria: a 16x16x8 output with values spread over the
 * int8 range, compared with itself (+ a pattern of errors).
 */
#define ACC_H	16
#define ACC_W	16
#define ACC_C	8
#define ACC_N	(ACC_H * ACC_W * ACC_C)

static void acc_case(const char *what, int bias, int channel_bias, int noise_every,
		     bool want_ok)
{
	static int8_t want[ACC_N], seen[ACC_N];
	struct npu_compare_stats st;
	struct npu_accuracy acc;
	char why[192] = "";
	bool ok;

	for (int i = 0; i < ACC_N; i++) {
		int v = (i * 37) % 200 - 100 + bias + (i % ACC_C == 3 ? channel_bias : 0);

		want[i] = (int8_t)((i * 37) % 200 - 100);
		/* symmetric noise: +1 or -1 (by pixel) on every noise_every-th */
		if (noise_every && i % noise_every == 0)
			v += (i / ACC_C) % 2 ? 1 : -1;
		seen[i] = (int8_t)v;
	}
	npu_compare_s8(want, seen, ACC_H, ACC_W, ACC_C, 2, 0, &st);
	npu_accuracy_default(&acc);
	ok = npu_compare_stats_ok(&st, &acc, why, sizeof(why));
	UNIT_CHECK(ok == want_ok && npu_compare_ok(&st), "%s: statistics %s (%s)", what,
		   want_ok ? "pass" : "fail", why);
}

static void test_accuracy_stats(void)
{
	int8_t want[4] = { 127, 127, -128, 5 }, seen[4] = { 127, 127, -128, 6 };
	struct npu_compare_stats st;

	acc_case("exact output", 0, 0, 0, true);
	acc_case("rare symmetric +-1 noise (1 in 10)", 0, 0, 10, true);
	acc_case("+1 everywhere", 1, 0, 0, false);
	acc_case("-1 everywhere", -1, 0, 0, false);
	acc_case("+1 on one channel of 8", 0, 1, 0, false);
	acc_case("symmetric +-1 on every element", 0, 0, 1, false);
	/* saturated expected values are left out of the statistics */
	npu_compare_s8(want, seen, 1, 1, 4, 2, 0, &st);
	UNIT_CHECK(st.n_stat == 1 && st.sum_err == 1 && st.exact_stat == 0,
		   "only the unsaturated element counts (%zu, %lld)", st.n_stat,
		   (long long)st.sum_err);
}

int main(void)
{
	test_stats();
	test_many_mismatches();
	test_signatures();
	test_s32();
	test_accuracy_stats();
	return unit_done();
}
