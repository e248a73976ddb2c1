/* SPDX-License-Identifier: MIT */
/*
 * counter_unit.h — the --counter-unit N option of the binaries that judge
 * a job by the vendor DDMA counters (rocket_dma_counters,
 * rocket_stage_probe), one copy for both.
 *
 * The counters' unit is undocumented (vendor rknpu: "units undocumented";
 * UNCONFIRMED): bytes are assumed, N says one count is N bytes, and every
 * comparison of a counter with a layout's byte count uses it
 * (struct rocket_diag counter_unit).  N must be a positive number (0 or
 * not a number is a usage error).  Included only by tests/accel binaries.
 */
#ifndef RKVAL_TESTS_COUNTER_UNIT_H
#define RKVAL_TESTS_COUNTER_UNIT_H

#include <getopt.h>
#include <stdlib.h>

/* Above every character, so it cannot clash with a short option. */
enum { COUNTER_OPT_UNIT = 1001 };

static const struct option counter_unit_opts[] = {
	{ "counter-unit", required_argument, NULL, COUNTER_OPT_UNIT },
	{ NULL, 0, NULL, 0 },
};

static const char counter_unit_help[] =
	"  --counter-unit N\tbytes per DDMA counter count (default 1; the unit is UNCONFIRMED)\n";

/* igt option handler; @data is the unsigned int that receives N. */
static inline int counter_unit_opt(int opt, int opt_index, void *data)
{
	unsigned int *unit = data;
	char *end;
	unsigned long n;

	(void)opt_index;
	if (opt != COUNTER_OPT_UNIT)
		return -1;
	n = strtoul(optarg, &end, 0);
	if (*end || !n || n > 64)
		return -1;
	*unit = (unsigned int)n;
	return 0;
}

#endif
