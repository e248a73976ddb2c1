// SPDX-License-Identifier: MIT
/*
 * ref_compare.c — comparison statistics and bring-up signatures.
 */
#include <inttypes.h>
#include <math.h>
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

/* Saturated int8 values cannot show a bias towards their bound. */
static bool s8_informative(int64_t expected)
{
	return expected > INT8_MIN && expected < INT8_MAX;
}

static void stats_add(struct npu_compare_stats *st, size_t i, int64_t exp, int64_t seen,
		      bool informative)
{
	int64_t e = exp > seen ? exp - seen : seen - exp;
	struct npu_mismatch *m;

	if (informative) {
		st->n_stat++;
		st->exact_stat += !e;
		st->sum_err += seen - exp;
	}
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

/*
 * The channel whose mean signed error (over its informative elements) is
 * largest in magnitude: one strided pass per channel (element i is
 * channel i % c), so nothing is allocated.
 */
static void worst_channel(struct npu_compare_stats *st, const void *expected,
			  const void *seen, bool wide)
{
	st->worst_c = 0;
	st->worst_c_mean = 0;
	st->worst_c_n = 0;
	for (unsigned int c = 0; c < st->c; c++) {
		int64_t sum = 0;
		size_t n = 0;
		double mean;

		for (size_t i = c; i < st->total; i += st->c) {
			int64_t want = wide ? ((const int32_t *)expected)[i]
					    : ((const int8_t *)expected)[i];
			int64_t got = wide ? ((const int32_t *)seen)[i]
					   : ((const int8_t *)seen)[i];

			if (wide || s8_informative(want)) {
				sum += got - want;
				n++;
			}
		}
		mean = n ? (double)sum / (double)n : 0;
		if (fabs(mean) > fabs(st->worst_c_mean)) {
			st->worst_c = c;
			st->worst_c_mean = mean;
			st->worst_c_n = n;
		}
	}
}

void npu_compare_s8(const int8_t *expected, const int8_t *seen, unsigned int h,
		    unsigned int w, unsigned int c, int tolerance, int8_t zero_point,
		    struct npu_compare_stats *st)
{
	bool all_zp = true;

	stats_init(st, h, w, c, tolerance);
	for (size_t i = 0; i < st->total; i++) {
		stats_add(st, i, expected[i], seen[i], s8_informative(expected[i]));
		all_zp &= seen[i] == zero_point;
	}
	st->all_zero_point = st->total && all_zp;
	worst_channel(st, expected, seen, false);
}

void npu_compare_s32(const int32_t *expected, const int32_t *seen, unsigned int h,
		     unsigned int w, unsigned int c, int64_t tolerance,
		     struct npu_compare_stats *st)
{
	bool all_zero = true;

	stats_init(st, h, w, c, tolerance);
	for (size_t i = 0; i < st->total; i++) {
		stats_add(st, i, expected[i], seen[i], true);
		all_zero &= seen[i] == 0;
	}
	/* raw accumulators have no zero point: the signature is all zeros */
	st->all_zero_point = st->total && all_zero;
	worst_channel(st, expected, seen, true);
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

void npu_accuracy_default(struct npu_accuracy *acc)
{
	acc->max_mean_err = NPU_ACC_MAX_MEAN_ERR;
	acc->max_channel_mean = NPU_ACC_MAX_CHANNEL_MEAN;
	acc->min_exact_share = NPU_ACC_MIN_EXACT_SHARE;
}

/* NPU_ACC_NOISE_SIGMAS standard errors of a mean of n values of deviation sd. */
static double noise(double sd, size_t n)
{
	return n ? NPU_ACC_NOISE_SIGMAS * sd / sqrt((double)n) : 0;
}

bool npu_compare_stats_ok(const struct npu_compare_stats *st, const struct npu_accuracy *acc,
			  char *why, size_t len)
{
	double tol = (double)st->tolerance, allowed;
	double mean = st->n_stat ? (double)st->sum_err / (double)st->n_stat : 0;
	double share = st->n_stat ? (double)st->exact_stat / (double)st->n_stat : 1;

	allowed = acc->max_mean_err + noise(tol, st->n_stat);
	if (fabs(mean) > allowed) {
		snprintf(why, len, "mean signed error %+.3f LSB over %zu unsaturated elements, "
			 "allowed +-%.3f: a systematic bias", mean, st->n_stat, allowed);
		return false;
	}
	allowed = acc->max_channel_mean + noise(tol, st->worst_c_n);
	if (st->c > 1 && fabs(st->worst_c_mean) > allowed) {
		snprintf(why, len, "channel %u: mean signed error %+.3f LSB over %zu unsaturated "
			 "elements, allowed +-%.3f: a per-channel bias", st->worst_c,
			 st->worst_c_mean, st->worst_c_n, allowed);
		return false;
	}
	allowed = acc->min_exact_share - noise(0.5, st->n_stat);
	if (share < allowed) {
		snprintf(why, len, "%.1f%% of %zu unsaturated elements exact, at least %.1f%% "
			 "required: rounding or scaling differs", 100 * share, st->n_stat,
			 100 * allowed);
		return false;
	}
	if (len)
		why[0] = '\0';
	return true;
}

int npu_compare_stats_line(const struct npu_compare_stats *st, char *buf, size_t len)
{
	double mean = st->n_stat ? (double)st->sum_err / (double)st->n_stat : 0;
	double share = st->n_stat ? (double)st->exact_stat / (double)st->n_stat : 1;

	return snprintf(buf, len, "over %zu unsaturated elements: mean signed error %+.4f LSB, "
			"%.2f%% exact, worst channel %u mean %+.4f", st->n_stat, mean,
			100 * share, st->worst_c, st->worst_c_mean);
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
