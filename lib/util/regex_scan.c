// SPDX-License-Identifier: MIT
/*
 * regex_scan.c — where a token of a POSIX extended regex ends (POSIX.1-2017
 * XBD 9.3.5 "RE Bracket Expression", 9.4 "Extended Regular Expressions").
 *
 * In a bracket expression a "]" first in the list ("[]...]", "[^]...]") is
 * a member, not the end; "[:", "[=" and "[." open a character class, an
 * equivalence class and a collating symbol that end at ":]", "=]" and
 * ".]", whose "]" does not end the expression; and a backslash is an
 * ordinary member ("[\]" is the set of one backslash).  Outside one, a
 * backslash and the character after it are one token.
 */
#include <string.h>

#include "util/regex_scan.h"

/* q at "[:", "[=" or "[."; returns the "]" that closes it, or NULL */
static const char *class_end(const char *q)
{
	char delim = q[1];

	for (q += 2; *q; q++)
		if (q[0] == delim && q[1] == ']')
			return q + 1;
	return NULL;
}

static size_t bracket_len(const char *re)
{
	const char *q = re + 1;

	if (*q == '^')
		q++;
	if (*q == ']')
		q++;
	for (; *q; q++) {
		if (*q == ']')
			return q + 1 - re;
		if (*q == '[' && q[1] && strchr(":=.", q[1])) {
			q = class_end(q);
			if (!q)
				return 0;
		}
	}
	return 0;
}

size_t regex_token(const char *re, enum regex_token *kind)
{
	if (*re == '\\') {
		*kind = REGEX_TOKEN_ESCAPE;
		return re[1] ? 2 : 1;
	}
	if (*re == '[') {
		*kind = REGEX_TOKEN_BRACKET;
		return bracket_len(re);
	}
	*kind = REGEX_TOKEN_CHAR;
	return 1;
}
