// SPDX-License-Identifier: MIT
/*
 * igt_ktap.c — the nested KTAP block of a subtest with dynamic subtests.
 *
 * Documentation/dev-tools/ktap.rst (KTAP version 1) wants every nested
 * block to open with its own version line and plan ("1..N"), and every
 * line of the block, diagnostics included, indented by two spaces until
 * the parent's result line.  The kernel's parser depends on the plan
 * (tools/testing/kunit/kunit_parser.py: without it the block runs on into
 * the parent's results).  Dynamic subtests are only known once they have
 * run, so while a container runs, stdout (fd 1, so threads, children and
 * the signal-context writers land there too) is redirected into an
 * anonymous memory file; when the container ends the block is written out
 * as version line, plan, then the buffered lines, indented.
 *
 * igt_ktap_nest_end() uses only async-signal-safe calls (dup2, lseek,
 * read, write, close): the watchdog, a crash or SIGTERM may end the
 * container from signal context, and the buffered results must not be
 * lost then.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "harness/igt_state.h"

#define KTAP_INDENT	"  "
#define NEST_COPY_CHUNK	4096

static int nest_fd = -1;	/* the memory file holding the block */
static int real_stdout = -1;	/* fd 1 as it was before the container */

static void write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w <= 0)
			return;
		buf += w;
		len -= w;
	}
}

static void write_str(int fd, const char *s)
{
	size_t len = 0;

	while (s[len])
		len++;
	write_all(fd, s, len);
}

/* Decimal without printf (signal context). */
static void write_uint(int fd, unsigned int v)
{
	char digits[12];
	int d = sizeof(digits);

	do {
		digits[--d] = '0' + v % 10;
		v /= 10;
	} while (v);
	write_all(fd, digits + d, sizeof(digits) - d);
}

void igt_ktap_nest_begin(void)
{
	int fd;

	if (nest_fd >= 0)
		return;
	fflush(stdout);
	fd = memfd_create("rkval-ktap-nest", MFD_CLOEXEC);
	if (fd < 0)
		return;		/* unbuffered: lines come out as they happen */
	real_stdout = dup(STDOUT_FILENO);
	if (real_stdout < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		if (real_stdout >= 0)
			close(real_stdout);
		real_stdout = -1;
		close(fd);
		return;
	}
	nest_fd = fd;
}

bool igt_ktap_nest_active(void)
{
	return nest_fd >= 0;
}

/*
 * Restore fd 1 and print the block: with results, version line, plan and
 * every buffered line indented; with none (nothing ran), the buffered
 * diagnostics as they are, since an empty nested block would be a block
 * of zero tests.
 */
void igt_ktap_nest_end(int results)
{
	char buf[NEST_COPY_CHUNK];
	bool line_start = true;
	ssize_t r;

	if (nest_fd < 0)
		return;
	dup2(real_stdout, STDOUT_FILENO);
	close(real_stdout);
	real_stdout = -1;

	if (results > 0) {
		write_str(STDOUT_FILENO, KTAP_INDENT "KTAP version 1\n"
			  KTAP_INDENT "1..");
		write_uint(STDOUT_FILENO, results);
		write_str(STDOUT_FILENO, "\n");
	}

	lseek(nest_fd, 0, SEEK_SET);
	while ((r = read(nest_fd, buf, sizeof(buf))) > 0) {
		ssize_t from = 0;

		for (ssize_t i = 0; i < r; i++) {
			if (line_start && results > 0) {
				write_all(STDOUT_FILENO, buf + from, i - from);
				from = i;
				write_str(STDOUT_FILENO, KTAP_INDENT);
			}
			line_start = buf[i] == '\n';
		}
		write_all(STDOUT_FILENO, buf + from, r - from);
	}
	close(nest_fd);
	nest_fd = -1;
}
