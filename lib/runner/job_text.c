// SPDX-License-Identifier: MIT
/*
 * job_text.c — whole-file reads and shell-`read`-shaped lines for the
 * runner (job_text.h).
 */
#define _GNU_SOURCE
#include "runner/job_text.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void job_text_load(struct job_text *t, const char *path)
{
	size_t cap = 4096;
	char *buf = NULL;
	int fd;

	memset(t, 0, sizeof(*t));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	for (;;) {
		ssize_t n;
		char *bigger;

		if (!buf || t->len + 1 >= cap) {
			if (buf)
				cap *= 2;
			bigger = realloc(buf, cap);
			if (!bigger)
				break;
			buf = bigger;
		}
		n = read(fd, buf + t->len, cap - t->len - 1);
		if (n <= 0)
			break;
		t->len += (size_t)n;
	}
	close(fd);
	if (!buf || !t->len) {
		free(buf);
		t->len = 0;
		return;
	}
	t->buf = buf;
}

void job_text_from(struct job_text *t, const void *data, size_t len)
{
	memset(t, 0, sizeof(*t));
	if (!len)
		return;
	t->buf = malloc(len);
	if (!t->buf)
		return;
	memcpy(t->buf, data, len);
	t->len = len;
}

void job_text_free(struct job_text *t)
{
	free(t->buf);
	free(t->line);
	memset(t, 0, sizeof(*t));
}

bool job_text_next(struct job_text *t, char **line, size_t *len)
{
	const char *start, *nl;
	size_t n;

	if (!t->buf || t->pos >= t->len)
		return false;
	start = t->buf + t->pos;
	nl = memchr(start, '\n', t->len - t->pos);
	if (!nl)
		return false;	/* no newline: not a line (see job_text.h) */
	n = (size_t)(nl - start);
	if (n + 1 > t->line_cap) {
		char *bigger = realloc(t->line, n + 1);

		if (!bigger)
			abort();	/* nothing to record without memory */
		t->line = bigger;
		t->line_cap = n + 1;
	}
	memcpy(t->line, start, n);
	t->line[n] = '\0';
	*line = t->line;
	*len = n;
	t->pos += n + 1;
	return true;
}

void job_text_rewind(struct job_text *t)
{
	t->pos = 0;
}

bool str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *str_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();	/* the runner cannot record anything without memory */
	return s;
}
