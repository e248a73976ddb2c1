/* SPDX-License-Identifier: MIT */
/*
 * num_parse.h — the one checked parser for numbers typed by a user
 * (command-line options, environment variables).
 *
 * Contract: num_parse_u64()/num_parse_s64() accept exactly one number in
 * the given strtoull() base (0: decimal, 0x hex or 0 octal) and nothing
 * else: no leading blank or '+', no trailing character, no '-' for an
 * unsigned value, nothing outside [min, max] and nothing the type cannot
 * hold.  They return NUM_OK and store the value, or the reason and leave
 * *out unchanged.  strtoul() alone gets each of these wrong: it skips
 * blanks, wraps "-1" to ULONG_MAX and stops silently at "5x".
 *
 * num_option_*() do the same for an option and print one line on stderr
 * naming the program, the option and the value when it is refused, e.g.
 *	rocket_conv: --tolerance "5x": trailing characters "x" (expected 0..255)
 * and return -1; the caller exits with its usage-error code (79,
 * IGT_EXIT_INVALID, for a test binary).
 */
#ifndef RKVAL_UTIL_NUM_PARSE_H
#define RKVAL_UTIL_NUM_PARSE_H

#include <stdint.h>

enum num_error {
	NUM_OK = 0,
	NUM_EMPTY,		/* "" or no value at all */
	NUM_NOT_A_NUMBER,	/* does not start with a digit ("x", " 5", "+5") */
	NUM_NEGATIVE,		/* "-1" where only unsigned values make sense */
	NUM_TRAILING,		/* "5x": a number followed by something else */
	NUM_OVERFLOW,		/* more than the type holds */
	NUM_RANGE,		/* outside [min, max] */
};

enum num_error num_parse_u64(const char *text, int base, uint64_t min,
			     uint64_t max, uint64_t *out);
enum num_error num_parse_s64(const char *text, int base, int64_t min,
			     int64_t max, int64_t *out);

/* A short English reason for @err ("trailing characters", ...). */
const char *num_error_str(enum num_error err);

int num_option_u64(const char *option, const char *text, int base,
		   uint64_t min, uint64_t max, uint64_t *out);
int num_option_s64(const char *option, const char *text, int base,
		   int64_t min, int64_t max, int64_t *out);
/* The same into an unsigned int / int; @max / @min must fit the type. */
int num_option_uint(const char *option, const char *text, int base,
		    unsigned int min, unsigned int max, unsigned int *out);
int num_option_int(const char *option, const char *text, int base,
		   int min, int max, int *out);

#endif /* RKVAL_UTIL_NUM_PARSE_H */
