/* SPDX-License-Identifier: MIT */
/*
 * power_cycles.h — the --cycles N option of the tests/power soak
 * subtests, one copy for every binary that has one.
 *
 * Contract: pass power_cycles_opts and power_cycles_opt to
 * igt_main_args() with the address of the binary's unsigned int cycle
 * count as handler data; N must be a positive number (0 or not a number
 * is a usage error).  Each binary keeps its own default and help text.
 * Included only by the tests/power binaries.
 */
#ifndef RKVAL_TESTS_POWER_CYCLES_H
#define RKVAL_TESTS_POWER_CYCLES_H

#include <getopt.h>
#include <stdlib.h>

/* Above every character, so it cannot clash with a short option. */
enum { POWER_OPT_CYCLES = 1000 };

static const struct option power_cycles_opts[] = {
	{ "cycles", required_argument, NULL, POWER_OPT_CYCLES },
	{ NULL, 0, NULL, 0 },
};

/* igt option handler; @data is the unsigned int that receives N. */
static inline int power_cycles_opt(int opt, int opt_index, void *data)
{
	unsigned int *cycles = data;

	(void)opt_index;
	if (opt != POWER_OPT_CYCLES)
		return -1;
	*cycles = (unsigned int)strtoul(optarg, NULL, 10);
	return *cycles ? 0 : -1;
}

#endif
