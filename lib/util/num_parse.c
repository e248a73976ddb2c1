// SPDX-License-Identifier: MIT
/*
 * num_parse.c — checked parsing of user-typed numbers (see num_parse.h).
 */
#define _GNU_SOURCE	/* program_invocation_short_name */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/num_parse.h"

/* strtoull()/strtoll() hold exactly the 64-bit types (LP64 and ILP32 alike). */
_Static_assert(sizeof(unsigned long long) == sizeof(uint64_t), "64-bit strtoull");
_Static_assert(sizeof(long long) == sizeof(int64_t), "64-bit strtoll");

static const char *const num_error_text[] = {
	[NUM_OK] = "valid",
	[NUM_EMPTY] = "empty value",
	[NUM_NOT_A_NUMBER] = "not a number",
	[NUM_NEGATIVE] = "negative value",
	[NUM_TRAILING] = "trailing characters",
	[NUM_OVERFLOW] = "too large",
	[NUM_RANGE] = "out of range",
};

const char *num_error_str(enum num_error err)
{
	if ((unsigned int)err >= sizeof(num_error_text) / sizeof(num_error_text[0]))
		return "unknown error";
	return num_error_text[err];
}

/*
 * The checks both signs share, before strto*() runs: a value must be
 * there and start with a digit (after one '-' when @sign_ok).  strto*()
 * would otherwise skip blanks and accept a '+' or a '-' of its own.
 */
static enum num_error num_precheck(const char *text, int sign_ok)
{
	if (!text || !*text)
		return NUM_EMPTY;
	if (*text == '-') {
		if (!sign_ok)
			return NUM_NEGATIVE;
		text++;
	}
	return isdigit((unsigned char)*text) ? NUM_OK : NUM_NOT_A_NUMBER;
}

enum num_error num_parse_u64(const char *text, int base, uint64_t min,
			     uint64_t max, uint64_t *out)
{
	enum num_error err = num_precheck(text, 0);
	unsigned long long v;
	char *end;

	if (err)
		return err;
	errno = 0;
	v = strtoull(text, &end, base);
	if (errno == ERANGE)
		return NUM_OVERFLOW;
	if (end == text)
		return NUM_NOT_A_NUMBER;
	if (*end)
		return NUM_TRAILING;
	if (v < min || v > max)
		return NUM_RANGE;
	*out = v;
	return NUM_OK;
}

enum num_error num_parse_s64(const char *text, int base, int64_t min,
			     int64_t max, int64_t *out)
{
	enum num_error err = num_precheck(text, 1);
	long long v;
	char *end;

	if (err)
		return err;
	errno = 0;
	v = strtoll(text, &end, base);
	if (errno == ERANGE)
		return NUM_OVERFLOW;
	if (end == text)
		return NUM_NOT_A_NUMBER;
	if (*end)
		return NUM_TRAILING;
	if (v < min || v > max)
		return NUM_RANGE;
	*out = v;
	return NUM_OK;
}

/* The one message of a refused option (format in num_parse.h). */
static void num_option_refused(const char *option, const char *text, int base,
			       enum num_error err, const char *range)
{
	char *rest;

	fprintf(stderr, "%s: %s \"%s\": %s", program_invocation_short_name,
		option, text ? text : "", num_error_str(err));
	if (err == NUM_TRAILING) {
		/* Point at what follows the number, as the user typed it. */
		strtoull(text, &rest, base);
		fprintf(stderr, " \"%s\"", rest);
	}
	fprintf(stderr, " (expected %s)\n", range);
}

int num_option_u64(const char *option, const char *text, int base,
		   uint64_t min, uint64_t max, uint64_t *out)
{
	enum num_error err = num_parse_u64(text, base, min, max, out);
	char range[64];

	if (!err)
		return 0;
	snprintf(range, sizeof(range), "%" PRIu64 "..%" PRIu64, min, max);
	num_option_refused(option, text, base, err, range);
	return -1;
}

int num_option_s64(const char *option, const char *text, int base,
		   int64_t min, int64_t max, int64_t *out)
{
	enum num_error err = num_parse_s64(text, base, min, max, out);
	char range[64];

	if (!err)
		return 0;
	snprintf(range, sizeof(range), "%" PRId64 "..%" PRId64, min, max);
	num_option_refused(option, text, base, err, range);
	return -1;
}

int num_option_uint(const char *option, const char *text, int base,
		    unsigned int min, unsigned int max, unsigned int *out)
{
	uint64_t v;

	if (num_option_u64(option, text, base, min, max, &v))
		return -1;
	*out = (unsigned int)v;
	return 0;
}

int num_option_int(const char *option, const char *text, int base,
		   int min, int max, int *out)
{
	int64_t v;

	if (num_option_s64(option, text, base, min, max, &v))
		return -1;
	*out = (int)v;
	return 0;
}
