/* SPDX-License-Identifier: MIT */
/*
 * job_text.h — the files a subtest leaves behind (out.txt, err.txt,
 * dmesg.txt), read whole and walked line by line.
 *
 * The runner reads them as a POSIX shell's `while IFS= read -r line`
 * would: a line is text up to a newline, and a last line with no newline
 * (a process killed while it wrote) is not a line.  NUL bytes end nothing
 * and are kept.  A file that cannot be read reads as empty: the files are
 * the test's output, and a test that wrote nothing has an empty file.
 */
#ifndef RKVAL_RUNNER_JOB_TEXT_H
#define RKVAL_RUNNER_JOB_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct job_text {
	char *buf;		/* the file; NULL if empty */
	size_t len;
	size_t pos;		/* start of the next line */
	char *line;		/* the current line, NUL-terminated */
	size_t line_cap;
};

/* job_text_load: @t holds @path's bytes (none if it cannot be read). */
void job_text_load(struct job_text *t, const char *path);
/* job_text_from: @t walks a copy of @len bytes at @data. */
void job_text_from(struct job_text *t, const void *data, size_t len);
void job_text_free(struct job_text *t);

/*
 * job_text_next: a copy of the next complete line, NUL-terminated, into
 * *@line and its length into *@len; false at the end.  The copy stays
 * valid until the next call.
 */
bool job_text_next(struct job_text *t, char **line, size_t *len);

/* job_text_rewind: the next line is the first again. */
void job_text_rewind(struct job_text *t);

/* str_starts: @s begins with @prefix. */
bool str_starts(const char *s, const char *prefix);

/* str_printf: a malloc'd formatted string; aborts when memory runs out. */
char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
