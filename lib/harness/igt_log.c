// SPDX-License-Identifier: MIT
/*
 * igt_log.c — log lines in IGT's format (IGT igt_core.c) and the per-subtest
 * log buffer dumped between "**** DEBUG ****" and "****  END  ****" when a
 * subtest fails, so a failure carries its context even at INFO level.
 *
 * INFO from the main thread is printed bare on stdout; every other level
 * is "(program:pid) LEVEL: msg", DEBUG on stdout, WARNING and CRITICAL on
 * stderr.  In KTAP mode everything goes to stdout as "# " diagnostics, so
 * a kselftest runner sees one clean stream.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/igt_core.h"
#include "harness/igt_state.h"

/* IGT keeps the last 256 lines of a subtest for its failure dump. */
#define LOG_BUFFER_LINES	256
#define LOG_LINE_MAX		512

static const char *const level_names[] = {
	[IGT_LOG_DEBUG] = "DEBUG",
	[IGT_LOG_INFO] = "INFO",
	[IGT_LOG_WARN] = "WARNING",
	[IGT_LOG_CRITICAL] = "CRITICAL",
};

static enum igt_log_level log_level = IGT_LOG_INFO;
static char log_buffer[LOG_BUFFER_LINES][LOG_LINE_MAX];
static unsigned int log_start, log_end;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t main_thread;
static bool main_thread_set;

void igt_log_set_level(enum igt_log_level level)
{
	log_level = level;
	main_thread = pthread_self();
	main_thread_set = true;
}

void igt_log_buffer_reset(void)
{
	pthread_mutex_lock(&log_lock);
	log_start = log_end = 0;
	pthread_mutex_unlock(&log_lock);
}

static void log_buffer_add(const char *line)
{
	pthread_mutex_lock(&log_lock);
	snprintf(log_buffer[log_end % LOG_BUFFER_LINES], LOG_LINE_MAX, "%s",
		 line);
	log_end++;
	if (log_end - log_start > LOG_BUFFER_LINES)
		log_start = log_end - LOG_BUFFER_LINES;
	pthread_mutex_unlock(&log_lock);
}

void igt_log_buffer_dump(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_start == log_end) {
		fputs("No log.\n", stderr);
	} else {
		fputs("**** DEBUG ****\n", stderr);
		for (unsigned int i = log_start; i != log_end; i++)
			fputs(log_buffer[i % LOG_BUFFER_LINES], stderr);
		fputs("****  END  ****\n", stderr);
	}
	fflush(stderr);
	pthread_mutex_unlock(&log_lock);
}

/* Emit msg (which may hold several lines), each with prefix. */
static void log_emit(FILE *out, const char *prefix, const char *msg)
{
	const char *p = msg;

	while (*p) {
		size_t len = strcspn(p, "\n");

		fprintf(out, "%s%.*s\n", prefix, (int)len, p);
		p += len;
		if (*p == '\n')
			p++;
	}
	fflush(out);
}

void igt_log(enum igt_log_level level, const char *fmt, ...)
{
	char msg[2048], prefix[192], line[LOG_LINE_MAX];
	bool bare;
	FILE *out;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	/* The failure dump shows every line with its prefix, as IGT's does. */
	snprintf(prefix, sizeof(prefix), "(%s:%d) %s: ", igt_state.command,
		 getpid(), level_names[level]);
	snprintf(line, sizeof(line), "%s%s%s", prefix, msg,
		 msg[0] && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
	log_buffer_add(line);

	bare = level == IGT_LOG_INFO &&
	       (!main_thread_set || pthread_equal(pthread_self(), main_thread));
	if (bare)
		prefix[0] = '\0';

	if (level < log_level)
		return;
	/* Listing output must be names only (IGT runner/job_list.c). */
	if (igt_only_list_subtests() && level < IGT_LOG_CRITICAL)
		return;
	if (igt_state.ktap) {
		char kprefix[200];

		snprintf(kprefix, sizeof(kprefix), "# %s", prefix);
		log_emit(stdout, kprefix, msg);
		return;
	}
	out = level >= IGT_LOG_WARN ? stderr : stdout;
	log_emit(out, prefix, msg);
}
