// SPDX-License-Identifier: MIT
/*
 * kmsg_scan.c — warnings and panics in a subtest's kernel log
 * (kmsg_scan.h).
 */
#define _GNU_SOURCE
#include "runner/kmsg_scan.h"

#include <fnmatch.h>
#include <regex.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*
 * record_parse: split @rec into its priority text and message; false when
 * it is not a record or is a continuation of the previous one.
 */
static bool record_parse(char *rec, const char **prio, size_t *prio_len,
			 const char **text, bool *continuation)
{
	*continuation = false;
	if (rec[0] == '<') {
		/* dmesg -r: <PRI>[   time] text */
		const char *close = strchr(rec + 1, '>');
		const char *end = strstr(rec, "] ");

		*prio = rec + 1;
		*prio_len = close ? (size_t)(close - *prio) : strlen(*prio);
		*text = end ? end + 2 : rec;
		return true;
	}
	if (rec[0] >= '0' && rec[0] <= '9' && strchr(rec, ';')) {
		/* /dev/kmsg: PRI,SEQ,USEC,FLAGS[,...];text */
		char *semi = strchr(rec, ';');
		size_t hdr_len = (size_t)(semi - rec);
		const char *comma = memchr(rec, ',', hdr_len);

		*prio = rec;
		*prio_len = comma ? (size_t)(comma - rec) : hdr_len;
		*text = semi + 1;
		/* FLAGS "c": a continuation record ("*,c" or "*,c,*") */
		*semi = '\0';
		*continuation = !fnmatch("*,c", rec, 0) || !fnmatch("*,c,*", rec, 0);
		*semi = ';';
		return true;
	}
	return false;
}

/*
 * A back-reference ("\1") is not POSIX ERE, and glibc's matcher recurses
 * without bound on some patterns with one (CVE-2019-9192, "()(\1\1)*"):
 * a line of a test's kernel log must not crash the runner.  IGT's ignore
 * regexes use none.
 */
static bool has_back_reference(const char *re)
{
	for (const char *p = re; *p; p++) {
		if (*p != '\\')
			continue;
		if (p[1] >= '1' && p[1] <= '9')
			return true;
		if (p[1])
			p++;	/* an escaped character, "\\1" included */
	}
	return false;
}

static bool all_digits(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

unsigned int kmsg_scan_warnings(struct job_text *log, FILE *out)
{
	const char *ignore_mark = "add ignored dmesg regex: ";
	unsigned int warnings = 0;
	bool have_re = false, re_ok = false;
	regex_t re;
	char *rec;
	size_t len;

	while (job_text_next(log, &rec, &len)) {
		const char *prio, *text, *mark;
		size_t prio_len;
		bool cont;
		unsigned long level = 0;

		if (!record_parse(rec, &prio, &prio_len, &text, &cont) || cont)
			continue;
		if (!all_digits(prio, prio_len))
			continue;
		if (strstr(text, ": starting subtest ") ||
		    strstr(text, ": starting dynamic subtest ")) {
			if (have_re && re_ok)
				regfree(&re);
			have_re = re_ok = false;
			continue;
		}
		mark = strstr(text, ignore_mark);
		if (mark) {
			if (have_re && re_ok)
				regfree(&re);
			mark += strlen(ignore_mark);
			have_re = *mark != '\0';
			re_ok = have_re && !has_back_reference(mark) &&
				!regcomp(&re, mark, REG_EXTENDED | REG_NOSUB);
			continue;
		}
		/* the level is the low three bits (the facility is above) */
		for (size_t i = 0; i < prio_len; i++)
			level = (level * 10 + (unsigned long)(prio[i] - '0')) & 7;
		if (level > KMSG_WARN_LEVEL)
			continue;
		if (re_ok && !regexec(&re, text, 0, NULL, 0))
			continue;
		warnings++;
		if (out)
			fprintf(out, "%s\n", rec);
	}
	if (have_re && re_ok)
		regfree(&re);
	return warnings;
}

void kmsg_scan_panic(struct job_text *log, struct kmsg_panic *p)
{
	unsigned int line_no = 0;
	char *rec;
	size_t len;

	memset(p, 0, sizeof(*p));
	while (job_text_next(log, &rec, &len)) {
		const char *text, *at;

		line_no++;
		if (rec[0] == '<') {
			at = strstr(rec, "] ");
			text = at ? at + 2 : rec;
		} else if (rec[0] >= '0' && rec[0] <= '9' && strchr(rec, ';')) {
			text = strchr(rec, ';') + 1;
		} else {
			continue;
		}
		if ((at = strstr(text, KMSG_SERROR_MARK))) {
			if (!p->serror) {
				p->serror = strdup(at);
				p->serror_line = line_no;
			}
		} else if (strstr(text, KMSG_QOS_FRAME)) {
			p->qos_frame = 1;
		} else if ((at = strstr(text, KMSG_PANIC_MARK))) {
			if (!p->panic) {
				p->panic = strdup(at);
				p->panic_line = line_no;
			}
		}
	}
}

void kmsg_panic_free(struct kmsg_panic *p)
{
	free(p->panic);
	free(p->serror);
	memset(p, 0, sizeof(*p));
}
