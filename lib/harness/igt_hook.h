/* SPDX-License-Identifier: MIT */
/* igt_hook.h — the --hook option (see igt_hook.c); harness-internal. */
#ifndef RKVAL_IGT_HOOK_H
#define RKVAL_IGT_HOOK_H

#include <stdio.h>

enum igt_hook_event {
	IGT_HOOK_PRE_TEST,
	IGT_HOOK_PRE_SUBTEST,
	IGT_HOOK_PRE_DYN_SUBTEST,
	IGT_HOOK_POST_DYN_SUBTEST,
	IGT_HOOK_POST_SUBTEST,
	IGT_HOOK_POST_TEST,
	IGT_HOOK_NR_EVENTS,
};

int igt_hook_add(const char *arg);
void igt_hook_print_help(FILE *out);
/* Run the hooks registered for event; result is the subtest's word or NULL. */
void igt_hook_event(enum igt_hook_event event, const char *result);

#endif /* RKVAL_IGT_HOOK_H */
