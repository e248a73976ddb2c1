// SPDX-License-Identifier: MIT
/*
 * power_state.c — the power settings a test is about to change, kept on
 * disk before it changes them (power.h, "settings and their restore").
 *
 * The exit handlers restore them on exit, fatal signals and the watchdog,
 * but nothing runs after SIGKILL (or an OOM kill, or a panic): the next
 * run would find autosuspend_delay_ms 200 and blame the driver.  So the
 * first record of a process writes the settings, with its pid, to a state
 * file before anything is changed; a clean exit removes it; and every
 * power binary, before recording its own, restores what a dead writer
 * left and says so.
 *
 * The file: $RKVAL_POWER_STATE; else on a board /run/rkval-power-state
 * (tmpfs: a reboot forgets it with the settings themselves); else on vnpu
 * "$RKVAL_VNPU_STATE.saved" when vnpu keeps its settings across processes,
 * and no file when it does not (nothing outlives the process then).
 * Lines: "pid=<pid>", then "<dev> control=<c> autosuspend_delay_ms=<n>
 * bound=<0|1>" per recorded device.  Plain files, not sysfs: stdio here.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/igt_core.h"
#include "platform/platform.h"
#include "board/power.h"

#define POWER_STATE_ENV		"RKVAL_POWER_STATE"
#define POWER_STATE_BOARD	"/run/rkval-power-state"
#define POWER_STATE_VNPU_ENV	"RKVAL_VNPU_STATE"
#define POWER_STATE_VNPU_SUFFIX	".saved"

static char state_path[512];
static bool state_owned;	/* this process wrote the file */

static const char *state_file(void)
{
	const char *env = getenv(POWER_STATE_ENV);

	if (state_path[0])
		return state_path;
	if (env && env[0])
		snprintf(state_path, sizeof(state_path), "%s", env);
	else if (plat_backend() == PLAT_BACKEND_KERNEL)
		snprintf(state_path, sizeof(state_path), "%s", POWER_STATE_BOARD);
	else if ((env = getenv(POWER_STATE_VNPU_ENV)) && env[0])
		snprintf(state_path, sizeof(state_path), "%s%s", env,
			 POWER_STATE_VNPU_SUFFIX);
	return state_path;
}

/* Is pid a live process other than this one? */
static bool other_live_process(long pid)
{
	if (pid <= 0 || pid == (long)getpid())
		return false;
	return !kill((pid_t)pid, 0) || errno == EPERM;
}

int power_state_recover(void)
{
	const char *path = state_file();
	char line[256], dev[48], now_text[96], saved_text[96];
	struct power_settings saved, now;
	long pid = 0;
	int restored = 0, bound;
	FILE *f;

	if (!path[0] || !(f = fopen(path, "re")))
		return 0;
	if (!fgets(line, sizeof(line), f) || sscanf(line, "pid=%ld", &pid) != 1) {
		igt_warn("%s:1: not a power state file (no pid= line): left alone\n", path);
		fclose(f);
		return -EINVAL;
	}
	if (other_live_process(pid)) {
		igt_warn("power settings kept in %s by running process %ld: left alone, not kept on disk for this run\n",
			 path, pid);
		fclose(f);
		return -EBUSY;
	}
	for (unsigned int n = 2; fgets(line, sizeof(line), f); n++) {
		memset(&saved, 0, sizeof(saved));
		if (sscanf(line, "%47s control=%7s autosuspend_delay_ms=%d bound=%d", dev,
			   saved.control, &saved.autosuspend_ms, &bound) != 4) {
			igt_warn("%s:%u: unreadable line, skipped: %s", path, n, line);
			continue;
		}
		saved.bound = bound;
		if (!power_settings_read(dev, &now) && power_settings_equal(&now, &saved))
			continue;
		power_settings_format(&now, now_text, sizeof(now_text));
		power_settings_format(&saved, saved_text, sizeof(saved_text));
		igt_warn("leftover power settings of a run that did not exit (pid %ld): %s had %s, restored to %s\n",
			 pid, dev, now_text, saved_text);
		power_settings_apply(dev, &saved);
		restored++;
	}
	fclose(f);
	unlink(path);
	return restored;
}

int power_state_record(const char (*devs)[48], const struct power_settings *s,
		       unsigned int n)
{
	const char *path = state_file();
	char tmp[600], text[96];
	FILE *f;

	if (!path[0])
		return 0;
	/* Another live run keeps its own record: do not overwrite it. */
	if (!state_owned && !access(path, F_OK))
		return -EBUSY;
	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "pid=%ld\n", (long)getpid());
	for (unsigned int i = 0; i < n; i++) {
		power_settings_format(&s[i], text, sizeof(text));
		fprintf(f, "%s %s\n", devs[i], text);
	}
	if (fflush(f) || fsync(fileno(f))) {
		int e = errno;

		fclose(f);
		unlink(tmp);
		return -e;
	}
	fclose(f);
	if (rename(tmp, path)) {
		int e = errno;

		unlink(tmp);
		return -e;
	}
	state_owned = true;
	return 0;
}

void power_state_clear(void)
{
	if (state_owned && state_path[0])
		unlink(state_path);
	state_owned = false;
}
