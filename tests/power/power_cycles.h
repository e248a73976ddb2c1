/* SPDX-License-Identifier: MIT */
/*
 * power_cycles.h — the --cycles N option of the tests/power soak
 * subtests, one copy for every binary that has one.
 *
 * Contract: pass power_cycles_opts and power_cycles_opt to
 * igt_main_args() with the address of the binary's unsigned int cycle
 * count as handler data; N must be a whole number from 1 to
 * POWER_CYCLES_MAX (lib/util/num_parse.h refuses anything else with a
 * message, and the harness exits 79).  Each binary keeps its own default
 * and help text.
 * Included only by the tests/power binaries.
 */
#ifndef RKVAL_TESTS_POWER_CYCLES_H
#define RKVAL_TESTS_POWER_CYCLES_H

#include <getopt.h>

#include "util/num_parse.h"

/* Above every character, so it cannot clash with a short option. */
enum { POWER_OPT_CYCLES = 1000 };

/*
 * A bound against typos, not a hardware limit: each binary's watchdog
 * budget is cycles x (a few seconds at most) in ms, which must stay an
 * unsigned int; 100000 rebind cycles are already more than a day.
 */
#define POWER_CYCLES_MAX	100000u

static const struct option power_cycles_opts[] = {
	{ "cycles", required_argument, NULL, POWER_OPT_CYCLES },
	{ NULL, 0, NULL, 0 },
};

/* igt option handler; @data is the unsigned int that receives N. */
static inline int power_cycles_opt(int opt, int opt_index, void *data)
{
	(void)opt_index;
	if (opt != POWER_OPT_CYCLES)
		return -1;
	return num_option_uint("--cycles", optarg, 10, 1, POWER_CYCLES_MAX, data);
}

#endif
