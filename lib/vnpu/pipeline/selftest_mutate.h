/* SPDX-License-Identifier: MIT */
/*
 * selftest_mutate.h — a SELF-TEST HOOK, not a fault: RKVAL_VNPU_MUTATE
 * makes vnpu's requantisation deliberately wrong so that
 * selftests/accuracy-mutations.sh can prove the accuracy tier of
 * rocket_conv fails on a systematic error of one LSB (docs/accuracy.md).
 * No hardware behaves like this; faults (RKVAL_VNPU_FAULTS) model
 * hardware, this does not.
 *
 * Values (unset or empty: no mutation):
 *   out-plus-1          every requantised output one LSB too high
 *   out-minus-1         one LSB too low
 *   truncate            OUT_CVT's right shift truncates instead of rounding
 *   zero-point-ignored  OUT_CVT_OFFSET (the output zero point) read as 0
 */
#ifndef RKVAL_VNPU_SELFTEST_MUTATE_H
#define RKVAL_VNPU_SELFTEST_MUTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "vnpu/pipeline/arith.h"

#define VNPU_MUTATE_ENV		"RKVAL_VNPU_MUTATE"

struct pl_mutation {
	bool truncate;		/* OUT_CVT: floor instead of rounding */
};

/*
 * Apply the mutation named by the environment to a decoded OUT_CVT.
 * 0, or -EINVAL for an unknown name (the task then hangs with a message,
 * so a misspelt mutation cannot pass as "mutation detected").
 */
int pl_mutate_out_cvt(struct vnpu_cvt *cvt, struct pl_mutation *m, const char **name);
/* OUT_CVT of @v, mutated as @m says. */
int64_t pl_mutated_cvt_apply(const struct vnpu_cvt *cvt, const struct pl_mutation *m,
			     int64_t v);

#endif /* RKVAL_VNPU_SELFTEST_MUTATE_H */
