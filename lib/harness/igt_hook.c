// SPDX-License-Identifier: MIT
/*
 * igt_hook.c — `--hook [<events>:]<cmd>`, which igt_runner passes through
 * to every test binary when it was given --hook (IGT igt_core.c, IGT runner/job_list.c).
 * Events: pre-test, pre-subtest, pre-dyn-subtest, post-dyn-subtest,
 * post-subtest, post-test, or '*' for all; no prefix means all.  The
 * command runs through /bin/sh with IGT_HOOK_* variables describing the
 * event (names as IGT documents them in --help-hook).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/igt_hook.h"
#include "harness/igt_state.h"

#define HOOKS_MAX	8

static const char *const hook_event_names[IGT_HOOK_NR_EVENTS] = {
	[IGT_HOOK_PRE_TEST] = "pre-test",
	[IGT_HOOK_PRE_SUBTEST] = "pre-subtest",
	[IGT_HOOK_PRE_DYN_SUBTEST] = "pre-dyn-subtest",
	[IGT_HOOK_POST_DYN_SUBTEST] = "post-dyn-subtest",
	[IGT_HOOK_POST_SUBTEST] = "post-subtest",
	[IGT_HOOK_POST_TEST] = "post-test",
};

static struct {
	unsigned int events;	/* bit per enum igt_hook_event */
	const char *cmd;
} hooks[HOOKS_MAX];
static int hook_count;

/* Parse one --hook argument; returns 0 or -1 (bad event name). */
int igt_hook_add(const char *arg)
{
	const char *colon = strchr(arg, ':');
	unsigned int events = 0;

	if (hook_count == HOOKS_MAX)
		return -1;
	if (!colon) {
		events = (1u << IGT_HOOK_NR_EVENTS) - 1;
		hooks[hook_count].cmd = arg;
	} else {
		char *list = strndup(arg, colon - arg), *tok, *save = NULL;

		for (tok = strtok_r(list, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			int i;

			if (!strcmp(tok, "*")) {
				events = (1u << IGT_HOOK_NR_EVENTS) - 1;
				continue;
			}
			for (i = 0; i < IGT_HOOK_NR_EVENTS; i++)
				if (!strcmp(tok, hook_event_names[i]))
					break;
			if (i == IGT_HOOK_NR_EVENTS) {
				fprintf(stderr, "Unknown hook event: %s\n", tok);
				free(list);
				return -1;
			}
			events |= 1u << i;
		}
		free(list);
		hooks[hook_count].cmd = colon + 1;
	}
	hooks[hook_count].events = events;
	hook_count++;
	return 0;
}

void igt_hook_print_help(FILE *out)
{
	fprintf(out,
		"--hook [<events>:]<cmd>: run <cmd> through /bin/sh at each event.\n"
		"Events (comma list, '*' for all, default all): pre-test, pre-subtest,\n"
		"pre-dyn-subtest, post-dyn-subtest, post-subtest, post-test.\n"
		"Environment of <cmd>: IGT_HOOK_EVENT, IGT_HOOK_TEST_FULLNAME, IGT_HOOK_TEST,\n"
		"IGT_HOOK_SUBTEST, IGT_HOOK_DYN_SUBTEST, IGT_HOOK_RESULT,\n"
		"IGT_HOOK_KMOD_UNBIND_MODULE_NAME (always empty here).\n");
}

void igt_hook_event(enum igt_hook_event event, const char *result)
{
	const char *sub = igt_state.in_subtest || event == IGT_HOOK_POST_SUBTEST ?
			  igt_state.subtest : "";
	const char *dyn = igt_state.in_dynamic || event == IGT_HOOK_POST_DYN_SUBTEST ?
			  igt_state.dynamic : "";
	char fullname[700];
	int i;

	if (!hook_count)
		return;
	snprintf(fullname, sizeof(fullname), "igt@%s%s%s%s%s",
		 igt_state.command, sub[0] ? "@" : "", sub, dyn[0] ? "@" : "",
		 dyn);
	setenv("IGT_HOOK_EVENT", hook_event_names[event], 1);
	setenv("IGT_HOOK_TEST_FULLNAME", fullname, 1);
	setenv("IGT_HOOK_TEST", igt_state.command, 1);
	setenv("IGT_HOOK_SUBTEST", sub, 1);
	setenv("IGT_HOOK_DYN_SUBTEST", dyn, 1);
	setenv("IGT_HOOK_RESULT", result ? result : "", 1);
	setenv("IGT_HOOK_KMOD_UNBIND_MODULE_NAME", "", 1);
	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < hook_count; i++) {
		if (!(hooks[i].events & (1u << event)))
			continue;
		if (system(hooks[i].cmd) != 0)
			igt_log(IGT_LOG_DEBUG, "hook \"%s\" returned non-zero\n",
				hooks[i].cmd);
	}
}
