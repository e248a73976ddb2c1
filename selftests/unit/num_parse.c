// SPDX-License-Identifier: MIT
/*
 * num_parse — unit tests of lib/util/num_parse: every way a typed number
 * can be wrong is refused with its own reason, and the edges of the
 * range and of the types are accepted.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "util/num_parse.h"

static void test_u64(void)
{
	uint64_t v = 7;

	UNIT_EQ(NUM_OK, num_parse_u64("42", 10, 0, 100, &v), "u64: 42 parses");
	UNIT_EQ(42, v, "u64: 42 is 42");
	UNIT_EQ(NUM_OK, num_parse_u64("0x10", 0, 0, 100, &v), "u64: base 0 takes hex");
	UNIT_EQ(16, v, "u64: 0x10 is 16");
	UNIT_EQ(NUM_OK, num_parse_u64("18446744073709551615", 10, 0, UINT64_MAX, &v),
		"u64: UINT64_MAX parses");
	UNIT_CHECK(v == UINT64_MAX, "u64: UINT64_MAX is UINT64_MAX");

	v = 7;
	UNIT_EQ(NUM_EMPTY, num_parse_u64("", 10, 0, 100, &v), "u64: empty refused");
	UNIT_EQ(NUM_EMPTY, num_parse_u64(NULL, 10, 0, 100, &v), "u64: NULL refused");
	UNIT_EQ(NUM_NEGATIVE, num_parse_u64("-1", 10, 0, 100, &v), "u64: -1 refused");
	UNIT_EQ(NUM_NEGATIVE, num_parse_u64("-0", 10, 0, 100, &v), "u64: -0 refused");
	UNIT_EQ(NUM_TRAILING, num_parse_u64("5x", 10, 0, 100, &v), "u64: 5x refused");
	UNIT_EQ(NUM_TRAILING, num_parse_u64("5 ", 10, 0, 100, &v), "u64: trailing blank refused");
	UNIT_EQ(NUM_TRAILING, num_parse_u64("0x10", 10, 0, 100, &v),
		"u64: hex in base 10 refused");
	UNIT_EQ(NUM_NOT_A_NUMBER, num_parse_u64(" 5", 10, 0, 100, &v),
		"u64: leading blank refused");
	UNIT_EQ(NUM_NOT_A_NUMBER, num_parse_u64("+5", 10, 0, 100, &v), "u64: +5 refused");
	UNIT_EQ(NUM_NOT_A_NUMBER, num_parse_u64("x", 10, 0, 100, &v), "u64: x refused");
	UNIT_EQ(NUM_OVERFLOW, num_parse_u64("18446744073709551616", 10, 0, UINT64_MAX, &v),
		"u64: UINT64_MAX + 1 refused as overflow");
	UNIT_EQ(NUM_OVERFLOW, num_parse_u64("99999999999999999999999", 10, 0, 100, &v),
		"u64: huge refused as overflow");
	UNIT_EQ(NUM_RANGE, num_parse_u64("101", 10, 0, 100, &v), "u64: above max refused");
	UNIT_EQ(NUM_RANGE, num_parse_u64("0", 10, 1, 100, &v), "u64: below min refused");
	UNIT_EQ(7, v, "u64: a refused value leaves the output alone");
	UNIT_EQ(NUM_OK, num_parse_u64("100", 10, 1, 100, &v), "u64: max itself accepted");
	UNIT_EQ(NUM_OK, num_parse_u64("1", 10, 1, 100, &v), "u64: min itself accepted");
}

static void test_s64(void)
{
	int64_t v = 7;

	UNIT_EQ(NUM_OK, num_parse_s64("-5", 10, -10, 10, &v), "s64: -5 parses");
	UNIT_EQ(-5, v, "s64: -5 is -5");
	UNIT_EQ(NUM_OK, num_parse_s64("-9223372036854775808", 10, INT64_MIN, INT64_MAX, &v),
		"s64: INT64_MIN parses");
	UNIT_CHECK(v == INT64_MIN, "s64: INT64_MIN is INT64_MIN");
	UNIT_EQ(NUM_OVERFLOW, num_parse_s64("9223372036854775808", 10, INT64_MIN, INT64_MAX, &v),
		"s64: INT64_MAX + 1 refused as overflow");
	UNIT_EQ(NUM_OVERFLOW, num_parse_s64("-9223372036854775809", 10, INT64_MIN, INT64_MAX, &v),
		"s64: INT64_MIN - 1 refused as overflow");
	UNIT_EQ(NUM_NOT_A_NUMBER, num_parse_s64("-", 10, -10, 10, &v), "s64: lone - refused");
	UNIT_EQ(NUM_NOT_A_NUMBER, num_parse_s64("--1", 10, -10, 10, &v), "s64: --1 refused");
	UNIT_EQ(NUM_NOT_A_NUMBER, num_parse_s64("- 1", 10, -10, 10, &v), "s64: '- 1' refused");
	UNIT_EQ(NUM_TRAILING, num_parse_s64("-5x", 10, -10, 10, &v), "s64: -5x refused");
	UNIT_EQ(NUM_EMPTY, num_parse_s64("", 10, -10, 10, &v), "s64: empty refused");
	UNIT_EQ(NUM_RANGE, num_parse_s64("-11", 10, -10, 10, &v), "s64: below min refused");
	UNIT_EQ(NUM_RANGE, num_parse_s64("-1", 10, 0, 10, &v), "s64: -1 below min 0 refused");
}

/* The option helpers: 0 or -1, and one stderr line on refusal. */
static void test_option(void)
{
	char buf[256] = "";
	unsigned int u = 3;
	FILE *f;
	int i = 3, saved;

	UNIT_EQ(0, num_option_uint("--n", "4294967295", 10, 0, UINT32_MAX, &u),
		"option: UINT_MAX fits an unsigned int");
	UNIT_CHECK(u == UINT32_MAX, "option: unsigned int holds UINT_MAX");
	UNIT_EQ(0, num_option_int("--n", "-2147483648", 10, INT32_MIN, INT32_MAX, &i),
		"option: INT_MIN fits an int");
	UNIT_CHECK(i == INT32_MIN, "option: int holds INT_MIN");

	/* Catch the message: stderr into a temporary file for one call. */
	f = tmpfile();
	UNIT_CHECK(f, "option: a temporary file for stderr");
	if (!f)
		return;
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(f), 2);
	UNIT_EQ(-1, num_option_uint("--cycles", "5x", 10, 1, 100, &u),
		"option: --cycles 5x refused");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	UNIT_CHECK(!strcmp(buf, "num_parse: --cycles \"5x\": trailing characters \"x\" "
			   "(expected 1..100)\n"),
		   "option: message names the option and the value (%s)", buf);
	UNIT_CHECK(u == UINT32_MAX, "option: refused value leaves the output alone");
}

int main(void)
{
	test_u64();
	test_s64();
	test_option();
	return unit_done();
}
