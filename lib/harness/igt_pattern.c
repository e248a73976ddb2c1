// SPDX-License-Identifier: MIT
/*
 * igt_pattern.c — subtest selection as igt_runner expects it (IGT uwildmat.c):
 * INN uwildmat semantics — a comma-separated list of shell patterns
 * (* ? [] \), a leading '!' negates, and the LAST matching pattern decides.
 * The runner builds "*,!done1,!done2" when resuming, which relies on that.
 * Each element is matched with POSIX fnmatch(), which has the same
 * wildcard set.
 */
#include <fnmatch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "harness/igt_internal.h"

bool igt_pattern_match(const char *patterns, const char *name)
{
	char *copy, *tok, *save = NULL;
	bool matched = false;

	copy = strdup(patterns);
	if (!copy)
		return false;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		bool negate = tok[0] == '!';

		if (!fnmatch(negate ? tok + 1 : tok, name, 0))
			matched = !negate;
	}
	free(copy);
	return matched;
}
