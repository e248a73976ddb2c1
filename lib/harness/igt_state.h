/* SPDX-License-Identifier: MIT */
/*
 * igt_state.h — the harness's process-wide state, shared by its files
 * (igt_core.c, igt_options.c, igt_log.c, igt_watchdog.c).  Not for tests.
 */
#ifndef RKVAL_IGT_STATE_H
#define RKVAL_IGT_STATE_H

#include <stdbool.h>

#include "harness/igt_core.h"

enum igt_doom {
	IGT_DOOM_NONE = 0,
	IGT_DOOM_SKIP,		/* a fixture skipped: the rest SKIP */
	IGT_DOOM_FAIL,		/* a fixture failed: the rest FAIL */
};

struct igt_state {
	char command[128];		/* basename of argv[0] */
	bool has_subtests;		/* igt_main (not igt_simple_main) */
	bool listing;			/* --list-subtests/--show-testlist/--describe */
	bool show_testlist;
	const char *describe_pattern;	/* --describe[=pattern] ("" = all) */
	bool listed_any;
	const char *run_pattern;	/* --run-subtest */
	bool run_pattern_found;
	const char *dynamic_pattern;	/* --dynamic-subtest */
	const char *device;		/* --device */
	bool sentinel_on_stderr;	/* IGT_SENTINEL_ON_STDERR */
	bool kmsg_disabled;

	bool ktap;			/* --ktap */
	bool ktap_counted, ktap_counting;
	int ktap_plan, ktap_number;
	bool pass_done;

	const char *pending_description;
	int skip_henceforth;		/* enum igt_doom */
	char fixture_verdict[1200];
	char fixture_skip_reason[512];
	char skip_directive[600];

	bool in_fixture, in_subtest, in_container, in_dynamic;
	char subtest[256], dynamic[256];
	double subtest_start, dynamic_start;
	int dynamic_ran, dynamic_failed, dynamic_number;

	int exitcode;
	bool failed_one, succeeded_one;
	int pass_count, fail_count, skip_count;

	unsigned int timeout_s;		/* default watchdog, seconds */
};

extern struct igt_state igt_state;

double igt_time_now(void);
void igt_kmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void igt_sentinel(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void igt_simple_result(const char *result);
int igt_exit_status(int igt_code);

/* igt_options.c */
void igt_list_subtest(const char *name, const char *description,
		      const char *file, int line);
void igt_log_backend_banner(void);

/* igt_log.c */
void igt_log_buffer_reset(void);
void igt_log_buffer_dump(void);
void igt_log_set_level(enum igt_log_level level);

/* igt_ktap.c: the nested block of a dynamic container (KTAP mode) */
void igt_ktap_nest_begin(void);
bool igt_ktap_nest_active(void);
void igt_ktap_nest_end(int results);	/* async-signal-safe */

/* igt_watchdog.c */
void igt_watchdog_arm(unsigned int seconds);
void igt_watchdog_disarm(void);
void igt_signals_install(void);
void igt_run_exit_handlers(int sig);

#endif /* RKVAL_IGT_STATE_H */
