// SPDX-License-Identifier: MIT
/*
 * klog_board.c — a board's kernel log, cut at the subtests' markers
 * (klog_board.h).
 */
#define _GNU_SOURCE
#include "runner/klog_board.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner/job_text.h"
#include "runner/kmsg_scan.h"

extern char **environ;

/* the output of `CMD -r` */
static void read_dmesg(const char *cmd, struct job_text *t)
{
	char *argv[] = { (char *)cmd, "-r", NULL };
	posix_spawn_file_actions_t fa;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int pipefd[2], status;
	pid_t pid;

	memset(t, 0, sizeof(*t));
	if (pipe2(pipefd, O_CLOEXEC))
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, cmd, &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		close(pipefd[0]);
		close(pipefd[1]);
		return;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	mem = open_memstream(&buf, &len);
	if (mem) {
		char chunk[4096];
		ssize_t n;

		while ((n = read(pipefd[0], chunk, sizeof(chunk))) > 0)
			fwrite(chunk, 1, (size_t)n, mem);
		fclose(mem);
	}
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	job_text_from(t, buf, len);
	free(buf);
}

static void append(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "a");

	if (!f)
		return;
	fwrite(text, 1, len, f);
	fclose(f);
}

/* lines logged before this subtest started: the previous one's, late */
static void late_lines(struct klog_board *k, const char *text, size_t len)
{
	char *late, *buf = NULL;
	const char *late_name;
	struct job_text t;
	size_t blen = 0;
	unsigned int n;
	FILE *mem;

	if (k->prev_dir) {
		late = str_printf("%s/dmesg-late.txt", k->prev_dir);
		late_name = k->prev_name;
	} else {
		late = str_printf("%s/dmesg-unattributed.txt", k->results);
		late_name = "(before the first subtest)";
	}
	append(late, text, len);
	job_text_from(&t, text, len);
	mem = open_memstream(&buf, &blen);
	n = kmsg_scan_warnings(&t, mem);
	if (mem)
		fclose(mem);
	job_text_free(&t);
	if (n) {
		char *warnings = str_printf("%s.warnings", late);
		char *meta = str_printf("%s/metadata.txt", k->results);
		FILE *f;

		append(warnings, buf, blen);
		free(warnings);
		f = fopen(meta, "a");
		if (f) {
			fprintf(f, "late-kernel-warnings: %s %u\n", late_name, n);
			fclose(f);
		}
		free(meta);
		fprintf(stderr, "rkval-run: warning: %u kernel-log warning(s) after %s had finished, before the next subtest; see %s\n",
			n, late_name, late + strlen(k->results) + 1);
	}
	free(buf);
	free(late);
}

void klog_board_collect(struct klog_board *k, const char *dir, const char *name,
			const char *bin, const char *sub, bool whole)
{
	char *dmesg_path = str_printf("%s/dmesg.txt", dir);
	char *marker = str_printf("[IGT] %s: starting subtest %s", bin, sub);
	unsigned long total = 0, skip;
	size_t start = 0, mark_at = (size_t)-1;
	struct job_text all;

	(void)name;
	read_dmesg(k->dmesg_cmd, &all);
	for (size_t i = 0; i < all.len; i++)
		total += all.buf[i] == '\n';
	if (total >= k->lines) {
		/* the last TOTAL - LINES lines are new */
		skip = k->lines;
		for (size_t i = 0; i < all.len && skip; i++)
			if (all.buf[i] == '\n' && !--skip)
				start = i + 1;
	} else {
		const char *msg = "rkval-run: kernel ring buffer wrapped, lines lost\n";

		append(dmesg_path, msg, strlen(msg));
	}
	k->lines = total;
	if (whole) {
		if (all.len > start)
			append(dmesg_path, all.buf + start, all.len - start);
		goto out;
	}
	/* the marker must end the line: "pass" is a prefix of "pass-one" */
	for (size_t pos = start; pos < all.len;) {
		const char *nl = memchr(all.buf + pos, '\n', all.len - pos);
		size_t end = nl ? (size_t)(nl - all.buf) : all.len;
		char *line = strndup(all.buf + pos, end - pos);
		const char *hit = line ? strstr(line, marker) : NULL;

		if (hit && !hit[strlen(marker)]) {
			free(line);
			mark_at = pos;
			break;
		}
		free(line);
		pos = end + 1;
	}
	if (mark_at != (size_t)-1) {
		append(dmesg_path, all.buf + mark_at, all.len - mark_at);
		if (mark_at > start)
			late_lines(k, all.buf + start, mark_at - start);
	} else if (all.len > start) {
		char *note = str_printf("rkval-run: no '[IGT] %s: starting subtest %s' marker; every line since the previous subtest is attributed to this one\n",
					bin, sub);

		append(dmesg_path, note, strlen(note));
		free(note);
		append(dmesg_path, all.buf + start, all.len - start);
	}
out:
	job_text_free(&all);
	free(marker);
	free(dmesg_path);
}
