/* SPDX-License-Identifier: MIT */
/*
 * fuzz_common.h — what every bounded fuzzer in selftests/fuzz/ shares:
 * the command line of the contract in README.md (--seed, --iterations,
 * --max-seconds), a deterministic generator, the time bound, defect
 * reports on stderr and the closing summary line on stdout.
 *
 * Header-only (static inline) because each fuzzer is one program file
 * and the Makefile links every .c file of selftests/fuzz as its own binary.
 */
#ifndef RKVAL_FUZZ_COMMON_H
#define RKVAL_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FUZZ_EXIT_OK		0
#define FUZZ_EXIT_DEFECT	1
#define FUZZ_EXIT_USAGE		2

struct fuzz {
	const char *name;
	uint64_t seed;
	unsigned long iterations;	/* the bound */
	double max_seconds;
	uint64_t state;			/* xorshift64* state */
	double start;
	unsigned long done;		/* iterations run so far */
	unsigned long defects;
};

static inline double fuzz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int fuzz_parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	*out = strtoul(s, &end, 10);
	return *end ? -1 : 0;
}

/* Parse the contract's options; exits with FUZZ_EXIT_USAGE on errors. */
static inline void fuzz_init(struct fuzz *f, const char *name, int argc, char **argv)
{
	unsigned long seed = 1, iterations = 1000, seconds = 60;

	memset(f, 0, sizeof(*f));
	f->name = name;
	for (int i = 1; i < argc; i++) {
		unsigned long *dst = NULL;

		if (!strcmp(argv[i], "--seed"))
			dst = &seed;
		else if (!strcmp(argv[i], "--iterations"))
			dst = &iterations;
		else if (!strcmp(argv[i], "--max-seconds"))
			dst = &seconds;
		if (!dst || i + 1 >= argc || fuzz_parse_ulong(argv[i + 1], dst)) {
			fprintf(stderr, "usage: %s --seed N --iterations N --max-seconds N\n",
				name);
			exit(FUZZ_EXIT_USAGE);
		}
		i++;
	}
	f->seed = seed;
	f->iterations = iterations;
	f->max_seconds = (double)seconds;
	/* xorshift64* must not start at 0; any fixed odd mix will do. */
	f->state = seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	if (!f->state)
		f->state = 1;
	f->start = fuzz_now();
	printf("%s: seed %lu, at most %lu iterations, at most %lu s\n", name, seed,
	       iterations, seconds);
	fflush(stdout);
}

/* Uniform 64-bit value (xorshift64*, Vigna 2014). */
static inline uint64_t fuzz_u64(struct fuzz *f)
{
	f->state ^= f->state >> 12;
	f->state ^= f->state << 25;
	f->state ^= f->state >> 27;
	return f->state * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, n), n > 0. */
static inline uint32_t fuzz_below(struct fuzz *f, uint32_t n)
{
	return (uint32_t)(fuzz_u64(f) >> 32) % n;
}

/* May another iteration start? (count and wall-time bounds) */
static inline int fuzz_more(const struct fuzz *f)
{
	return f->done < f->iterations && fuzz_now() - f->start < f->max_seconds;
}

/* One broken rule: seed, iteration and rule on stderr. */
static inline __attribute__((format(printf, 2, 3)))
void fuzz_defect(struct fuzz *f, const char *fmt, ...)
{
	va_list ap;

	f->defects++;
	fprintf(stderr, "%s: DEFECT at seed %llu iteration %lu: ", f->name,
		(unsigned long long)f->seed, f->done);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The closing line of the contract; returns the exit status. */
static inline int fuzz_finish(const struct fuzz *f)
{
	printf("%s: seed %llu, %lu iterations, %.1f s, %lu defects\n", f->name,
	       (unsigned long long)f->seed, f->done, fuzz_now() - f->start,
	       f->defects);
	fflush(stdout);
	return f->defects ? FUZZ_EXIT_DEFECT : FUZZ_EXIT_OK;
}

#endif /* RKVAL_FUZZ_COMMON_H */
