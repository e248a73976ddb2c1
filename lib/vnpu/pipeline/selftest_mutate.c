// SPDX-License-Identifier: MIT
/*
 * selftest_mutate.c — the RKVAL_VNPU_MUTATE self-test hook (see the header:
 * deliberately wrong requantisation, never a model of hardware).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vnpu/pipeline/selftest_mutate.h"

/* Products beyond this are saturated: no Mesa programming comes near. */
#define MUTATE_PRODUCT_MAX	((int64_t)1 << 62)
#define MUTATE_SHIFT_MAX	62

int pl_mutate_out_cvt(struct vnpu_cvt *cvt, struct pl_mutation *m, const char **name)
{
	const char *e = getenv(VNPU_MUTATE_ENV);

	m->truncate = false;
	*name = e;
	if (!e || !*e)
		return 0;
	if (!strcmp(e, "out-plus-1"))
		cvt->offset += 1;
	else if (!strcmp(e, "out-minus-1"))
		cvt->offset -= 1;
	else if (!strcmp(e, "truncate"))
		m->truncate = !cvt->add_first;
	else if (!strcmp(e, "zero-point-ignored"))
		cvt->offset = 0;
	else
		return -EINVAL;
	return 0;
}

int64_t pl_mutated_cvt_apply(const struct vnpu_cvt *cvt, const struct pl_mutation *m,
			     int64_t v)
{
	int64_t p;

	if (!m->truncate)
		return vnpu_cvt_apply(cvt, v);
	/* multiply first (CVT_TYPE 0), then an arithmetic shift: floor */
	if (v > MUTATE_PRODUCT_MAX / 65536)
		v = MUTATE_PRODUCT_MAX / 65536;
	if (v < -MUTATE_PRODUCT_MAX / 65536)
		v = -MUTATE_PRODUCT_MAX / 65536;
	p = v * (int64_t)cvt->scale;
	return (p >> (cvt->shift > MUTATE_SHIFT_MAX ? MUTATE_SHIFT_MAX : cvt->shift)) +
	       cvt->offset;
}
