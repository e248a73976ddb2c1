/* SPDX-License-Identifier: MIT */
/* igt_internal.h — glue between the harness's own files; not for tests. */
#ifndef RKVAL_IGT_INTERNAL_H
#define RKVAL_IGT_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "harness/verdict.h"

void __igt_verdict_default(enum verdict_stage stage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "VERDICT: <stage> <facts>\n" into buf; returns snprintf's length. */
int __igt_verdict_format(char *buf, size_t size);
void __igt_verdict_list(FILE *out);

/*
 * regex with every "\X" outside a bracket expression that "[X]" matches
 * the same written as "[X]", into out (size bytes).
 */
void igt_dmesg_regex_portable(const char *re, char *out, size_t size);

/* Run the registered subtest checks (igt_subtest_check.c). */
void __igt_subtest_checks_begin(void);
void __igt_subtest_checks_end(void);

/* uwildmat-style matching: comma list, '!' negates, last match wins. */
bool igt_pattern_match(const char *patterns, const char *name);

#endif /* RKVAL_IGT_INTERNAL_H */
