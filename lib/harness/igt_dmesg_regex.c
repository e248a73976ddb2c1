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
 * Where tokens and bracket expressions end is regex_scan.c's business,
 * shared with vnpu's rewriter of the same regexes (lib/vnpu/vnpu_kmsg.c).
 */
#include <string.h>

#include "harness/igt_core.h"
#include "harness/igt_internal.h"
#include "util/regex_scan.h"

/* Characters "\X" may escape that "[X]" matches the same. */
#define BRACKETABLE	"[]+.*?(){}|$/-"
/* The longest a token grows here ("\X" -> "[X]"), and the final NUL. */
#define GROWTH		2

void igt_dmesg_regex_portable(const char *re, char *out, size_t size)
{
	enum regex_token kind;
	size_t n = 0, len;

	if (!size)
		return;
	for (const char *p = re; *p; p += len) {
		len = regex_token(p, &kind);
		/* never closed: the reader rejects it whatever we do */
		if (!len)
			len = strlen(p);
		if (n + len + GROWTH + 1 > size)
			break;
		if (kind == REGEX_TOKEN_ESCAPE && len == 2 &&
		    strchr(BRACKETABLE, p[1])) {
			out[n++] = '[';
			out[n++] = p[1];
			out[n++] = ']';
			continue;
		}
		memcpy(out + n, p, len);
		n += len;
	}
	out[n] = '\0';
}
