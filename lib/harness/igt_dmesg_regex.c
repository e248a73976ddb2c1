// SPDX-License-Identifier: MIT
/*
 * igt_dmesg_regex.c — the ignore regex a subtest declares, in a form that
 * survives the kernel log.
 *
 * The kernel escapes a backslash in a record as "\x5c" when /dev/kmsg is
 * read (kernel/printk/printk.c, msg_add_ext_text()), and igt_runner
 * compiles the text after "add ignored dmesg regex: " as it reads it
 * (IGT runner/resultgen.c, add_ignored_regex()): "\[ cut here \]" arrives
 * as "\x5c[ cut here \x5c]", an unterminated character class, and with
 * the regex rejected every expected line counts as a dmesg warning.  So
 * each backslash-escaped special character outside a bracket expression
 * is written as a one-character bracket expression instead ("\[" ->
 * "[[]", "\]" -> "[]]", "\+" -> "[+]"), the same match for POSIX EREs
 * (rkval-run, grep -E) and PCRE (igt_runner's GRegex) alike, with no
 * backslash left.  Other escapes ("\d", "\\", "\^") have no such form and
 * are left as they are: rkval's regexes are POSIX EREs and use none.
 */
#include <string.h>

#include "harness/igt_core.h"
#include "harness/igt_internal.h"

/* Characters "\X" may escape that "[X]" matches the same. */
#define BRACKETABLE	"[]+.*?(){}|$/-"

void igt_dmesg_regex_portable(const char *re, char *out, size_t size)
{
	bool bracket = false;
	size_t n = 0;

	if (!size)
		return;
	for (const char *p = re; *p && n + 4 < size; p++) {
		if (bracket) {
			if (*p == ']')
				bracket = false;
			out[n++] = *p;
			continue;
		}
		if (*p == '[') {
			bracket = true;
			out[n++] = *p;
			/* "[]..." and "[^]...": that "]" is a literal. */
			if (p[1] == '^')
				out[n++] = *++p;
			if (p[1] == ']')
				out[n++] = *++p;
			continue;
		}
		if (*p == '\\' && p[1] && strchr(BRACKETABLE, p[1])) {
			p++;
			out[n++] = '[';
			out[n++] = *p;
			out[n++] = ']';
			continue;
		}
		out[n++] = *p;
	}
	out[n] = '\0';
}
