// SPDX-License-Identifier: MIT
/*
 * vnpu_state.c — RKVAL_VNPU_STATE: the writable sysfs settings of the NPU
 * cores (power/control, power/autosuspend_delay_ms, rocket binding) kept
 * in a file, so they outlive one process as a board's sysfs outlives one
 * test binary.  Without the variable nothing is read or written and every
 * process boots with the driver's defaults.
 *
 * Format: one line per core, "<name> control=<on|auto>
 * autosuspend_delay_ms=<n> bound=<0|1>".  Loaded once at boot, after the
 * probe (so a core recorded unbound is unbound again, with its remove
 * path); saved after every successful store to one of those files.  The
 * file is rewritten whole through a temporary and rename(), so a process
 * killed mid-save leaves the previous state.  Lock held by callers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vnpu/vnpu.h"

static const char *state_path(void)
{
	const char *p = getenv(VNPU_STATE_ENV);

	return p && p[0] ? p : NULL;
}

static void apply_line(struct vnpu *v, const char *line)
{
	char name[32], control[8];
	int delay, bound;

	if (sscanf(line, "%31s control=%7s autosuspend_delay_ms=%d bound=%d",
		   name, control, &delay, &bound) != 4)
		return;
	for (unsigned int i = 0; i < v->soc->num_cores; i++) {
		struct vnpu_core *core = &v->cores[i];

		if (strcmp(core->name, name))
			continue;
		core->pm.autosuspend_ms = (unsigned int)delay;
		vnpu_pm_set_control(core, !strcmp(control, "on"));
		if (!bound && core->bound)
			vnpu_core_unbind(core);
	}
}

void vnpu_state_load(struct vnpu *v)
{
	const char *path = state_path();
	char line[160];
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "r");
	if (!f)
		return;		/* first process: nothing saved yet */
	while (fgets(line, sizeof(line), f))
		apply_line(v, line);
	fclose(f);
}

void vnpu_state_save(void)
{
	struct vnpu *v = vnpu_get();
	const char *path = state_path();
	char tmp[512];
	FILE *f;

	if (!path || !v->initialised)
		return;
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return;
	for (unsigned int i = 0; i < v->soc->num_cores; i++) {
		const struct vnpu_core *core = &v->cores[i];

		fprintf(f, "%s control=%s autosuspend_delay_ms=%d bound=%d\n",
			core->name, core->pm.control_on ? "on" : "auto",
			(int)core->pm.autosuspend_ms, core->bound);
	}
	if (fclose(f) == 0)
		rename(tmp, path);
	else
		remove(tmp);
}
