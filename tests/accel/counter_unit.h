/* SPDX-License-Identifier: MIT */
/*
 * counter_unit.h — the --counter-unit N option of the binaries that judge
 * a job by the vendor DDMA counters (rocket_dma_counters,
 * rocket_stage_probe), one copy for both.
 *
 * The counters' unit is undocumented (vendor rknpu: "units undocumented";
 * UNCONFIRMED): bytes are assumed, N says one count is N bytes, and every
 * comparison of a counter with a layout's byte count uses it
 * (struct rocket_diag counter_unit).  N must be 1..4096 (anything else
 * is a usage error, named by num_option_uint()).  Included only by
 * tests/accel binaries.
 */
#ifndef RKVAL_TESTS_COUNTER_UNIT_H
#define RKVAL_TESTS_COUNTER_UNIT_H

#include <getopt.h>
#include <stdlib.h>

#include "util/num_parse.h"

/* Above every character, so it cannot clash with a short option. */
enum { COUNTER_OPT_UNIT = 1001 };

static const struct option counter_unit_opts[] = {
	{ "counter-unit", required_argument, NULL, COUNTER_OPT_UNIT },
	{ NULL, 0, NULL, 0 },
};

/*
 * The unit is UNCONFIRMED (bytes, or one bus beat of up to 64 bytes?); the
 * bound only catches typos and keeps count x unit far from overflowing.
 */
#define COUNTER_UNIT_MAX	4096u

static const char counter_unit_help[] =
	"  --counter-unit N\tbytes per DDMA counter count, 1..4096 (default 1; the unit is UNCONFIRMED)\n";

/* igt option handler; @data is the unsigned int that receives N. */
static inline int counter_unit_opt(int opt, int opt_index, void *data)
{
	(void)opt_index;
	if (opt != COUNTER_OPT_UNIT)
		return -1;
	return num_option_uint("--counter-unit", optarg, 0, 1, COUNTER_UNIT_MAX, data);
}

#endif
