// SPDX-License-Identifier: MIT
/*
 * ref_compare.c — comparison statistics and bring-up signatures.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "npu/npu_ref.h"

void npu_canary_fill(void *buf, size_t size)
{
	memset(buf, NPU_CANARY_BYTE, size);
}

bool npu_buffer_untouched(const void *buf, size_t size)
{
	const uint8_t *b = buf;

	for (size_t i = 0; i < size; i++)
		if (b[i] != NPU_CANARY_BYTE)
			return false;
	return true;
}

unsigned int npu_cmp_bucket(int64_t e)
{
	unsigned int b;

	if (e < 4)
		return (unsigned int)e;
	/* 4-7 -> 4, 8-15 -> 5, ... 64-127 -> 8, >= 128 -> 9 */
	for (b = 4; b < NPU_CMP_HIST_BUCKETS - 1; b++)
		if (e < (int64_t)8 << (b - 4))
			return b;
	return NPU_CMP_HIST_BUCKETS - 1;
}

int64_t npu_cmp_bucket_floor(unsigned int b)
{
	return b < 4 ? b : (int64_t)4 << (b - 4);
}

static void stats_init(struct npu_compare_stats *st, unsigned int h, unsigned int w,
		       unsigned int c, int64_t tol)
{
	memset(st, 0, sizeof(*st));
	st->h = h;
	st->w = w;
	st->c = c;
	st->tolerance = tol;
	st->total = (size_t)h * w * c;
}

static void stats_add(struct npu_compare_stats *st, size_t i, int64_t exp, int64_t seen)
{
	int64_t e = exp > seen ? exp - seen : seen - exp;
	struct npu_mismatch *m;

	st->hist[npu_cmp_bucket(e)]++;
	if (!e)
		st->exact++;
	if (e <= st->tolerance)
		st->within_tol++;
	if (e > st->max_abs_err)
		st->max_abs_err = e;
	if (e <= st->tolerance || st->n_first == NPU_CMP_MAX_FIRST)
		return;
	m = &st->first[st->n_first++];
	m->index = i;
	m->c = i % st->c;
	m->x = (i / st->c) % st->w;
	m->y = i / st->c / st->w;
	m->expected = exp;
	m->seen = seen;
}

void npu_compare_s8(const int8_t *expected, const int8_t *seen, unsigned int h,
		    unsigned int w, unsigned int c, int tolerance, int8_t zero_point,
		    struct npu_compare_stats *st)
{
	bool all_zp = true;

	stats_init(st, h, w, c, tolerance);
	for (size_t i = 0; i < st->total; i++) {
		stats_add(st, i, expected[i], seen[i]);
		all_zp &= seen[i] == zero_point;
	}
	st->all_zero_point = st->total && all_zp;
}

void npu_compare_s32(const int32_t *expected, const int32_t *seen, unsigned int h,
		     unsigned int w, unsigned int c, int64_t tolerance,
		     struct npu_compare_stats *st)
{
	bool all_zero = true;

	stats_init(st, h, w, c, tolerance);
	for (size_t i = 0; i < st->total; i++) {
		stats_add(st, i, expected[i], seen[i]);
		all_zero &= seen[i] == 0;
	}
	/* raw accumulators have no zero point: the signature is all zeros */
	st->all_zero_point = st->total && all_zero;
}

void npu_compare_note_raw(struct npu_compare_stats *st, const void *raw, size_t size)
{
	st->raw_checked = true;
	st->untouched = npu_buffer_untouched(raw, size);
}

bool npu_compare_ok(const struct npu_compare_stats *st)
{
	return st->within_tol == st->total;
}

int npu_compare_summary(const struct npu_compare_stats *st, char *buf, size_t len)
{
	const struct npu_mismatch *m = st->n_first ? &st->first[0] : NULL;
	char first[96] = "";

	if (m)
		snprintf(first, sizeof(first), ", first mismatch y=%u x=%u c=%u expected %" PRId64
			 " seen %" PRId64, m->y, m->x, m->c, m->expected, m->seen);
	return snprintf(buf, len, "%zu/%zu exact, %zu/%zu within %" PRId64
			", max |err| %" PRId64 "%s%s%s",
			st->exact, st->total, st->within_tol, st->total, st->tolerance,
			st->max_abs_err, first,
			st->untouched ? ", output buffer untouched" : "",
			!st->untouched && st->all_zero_point ?
			", output is the zero point everywhere" : "");
}
