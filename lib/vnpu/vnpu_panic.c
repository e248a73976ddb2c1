// SPDX-License-Identifier: MIT
/*
 * vnpu_panic.c — a kernel panic in the model ends the process as a panic
 * ends a board: nothing the test or the harness would do afterwards runs.
 *
 * panic() prints "Kernel panic - not syncing: %s" and, last, "---[ end
 * Kernel panic - not syncing: %s ]---" (kernel/panic.c); between the two
 * the kmsg dumpers run, ramoops among them, whose record the next boot
 * finds in /sys/fs/pstore (vnpu_pstore.c).  The console lines go to the
 * model's kernel log, i.e. the runner's dmesg.txt, the serial capture of
 * this "board".  Then SIGKILL to itself: no atexit handler, no stdio flush,
 * no state save, no harness exit code (the harness prints and flushes each
 * line as it goes, so what it printed before stays).  A runner sees the
 * test die by a signal in the middle of its subtest.  Lock held by callers.
 */
#include <signal.h>
#include <unistd.h>

#include "vnpu/vnpu.h"

void vnpu_panic(const char *reason)
{
	vnpu_printk(VNPU_LOGLEVEL_EMERG, "Kernel panic - not syncing: %s", reason);
	vnpu_pstore_dump_panic();
	vnpu_printk(VNPU_LOGLEVEL_EMERG, "---[ end Kernel panic - not syncing: %s ]---",
		    reason);
	kill(getpid(), SIGKILL);
	/* SIGKILL cannot be caught; should it still return, end without cleanup. */
	_exit(128 + SIGKILL);
}
