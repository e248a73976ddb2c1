/* SPDX-License-Identifier: MIT */
/*
 * regex_scan.h — one token of a POSIX extended regular expression, for the
 * code that rewrites the ignore regexes tests declare (the harness's
 * igt_dmesg_regex_portable, vnpu's host-log anchors).  Both must know
 * where a bracket expression ends, and agree on it.
 */
#ifndef RKVAL_UTIL_REGEX_SCAN_H
#define RKVAL_UTIL_REGEX_SCAN_H

#include <stddef.h>

enum regex_token {
	REGEX_TOKEN_CHAR,	/* one character outside a bracket expression */
	REGEX_TOKEN_ESCAPE,	/* "\X", or a lone "\" at the end */
	REGEX_TOKEN_BRACKET,	/* "[...]", the whole bracket expression */
};

/*
 * The length in bytes of the token at *re (not at its end) and its kind;
 * 0 for a bracket expression that is never closed (the regex is invalid).
 */
size_t regex_token(const char *re, enum regex_token *kind);

#endif /* RKVAL_UTIL_REGEX_SCAN_H */
