/* SPDX-License-Identifier: MIT */
/*
 * job_spawn.h — one test process under the runner's time limit.
 *
 * The process leads a process group of its own (posix_spawn's SETPGROUP),
 * so that the end of a subtest and its time limit reach every process it
 * started.  The limit is enforced here: SIGTERM at the limit, SIGKILL
 * KILL_AFTER s later, and WEDGE_GRACE s after that the runner gives up on
 * a process the kernel will not let die (stuck in a driver's
 * uninterruptible wait) and moves on.  Under timeout(1) (use_timeout) the
 * runner only does the give-up part, after timeout's own SIGKILL had
 * its chance.
 *
 * Signals: the caller blocks SIGCHLD, SIGINT, SIGTERM and SIGHUP
 * (job_spawn_block_signals()) and they are taken here with sigtimedwait();
 * SIGINT, SIGTERM and SIGHUP set *interrupted and send SIGTERM to the
 * running test.  Nothing is lost while they are blocked: they wait.
 */
#ifndef RKVAL_RUNNER_JOB_SPAWN_H
#define RKVAL_RUNNER_JOB_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

/* What a shell reports for a process a signal ended: 128 + signal. */
#define JOB_SIGNAL_RC_BASE	128
/* The exec itself failed: not found (127) or not runnable (126), as sh. */
#define JOB_RC_NOT_FOUND	127
#define JOB_RC_NOT_RUNNABLE	126

struct job_limits {
	unsigned int timeout_s;		/* the subtest's limit */
	unsigned int kill_after_s;	/* SIGTERM -> SIGKILL */
	unsigned int wedge_grace_s;	/* SIGKILL -> give up */
	bool use_timeout;		/* timeout(1) -k kill_after timeout_s runs it */
};

struct job_result {
	pid_t pid;
	int rc;			/* exit status, or 128 + signal; none if abandoned */
	long elapsed_cs;	/* start to end, centiseconds */
	bool killed_by_us;	/* ended because the run was interrupted */
	bool abandoned;		/* still there WEDGE_GRACE s after SIGKILL */
	bool leftover;		/* processes of its group outlived it (killed) */
};

/* The watch file's record: one line of this many bytes. */
#define JOB_WATCH_RECORD	64

/* job_watch_open: the watch file at @path, for job_spawn_run(); -1 on error. */
int job_watch_open(const char *path);

/* job_spawn_block_signals: block what job_spawn_run() waits for; once. */
void job_spawn_block_signals(void);

/*
 * job_spawn_poll_signals: take pending SIGINT/SIGTERM/SIGHUP (and reap
 * nothing); sets *interrupted.  Call between subtests.
 */
void job_spawn_poll_signals(volatile sig_atomic_t *interrupted);

/* job_now_cs: centiseconds since boot (CLOCK_BOOTTIME, as /proc/uptime). */
long job_now_cs(void);

/*
 * job_spawn_run: run @argv (argv[0] a path, or a name found on PATH)
 * with @env_extra ("NAME=VALUE" strings, NULL-terminated, over the
 * environment), stdin /dev/null, stdout to @out_path and stderr to
 * @err_path (truncated), and wait for it under @lim.  While it runs,
 * the watch file (@watch_fd, job_watch_open(); -1: none) holds
 * "PID T_TERM T_KILL T_GIVEUP" (centiseconds since boot, "-" for never),
 * then "idle": a runner killed mid-subtest leaves the pid for `--resume`
 * to end.  Both are one line of JOB_WATCH_RECORD bytes, blank-padded.  Returns 0, or -1 when the process could
 * not be started at all (errno; @res->rc says 126/127 as a shell would).
 */
int job_spawn_run(char *const argv[], char *const env_extra[],
		  const char *out_path, const char *err_path,
		  const struct job_limits *lim, int watch_fd,
		  volatile sig_atomic_t *interrupted, struct job_result *res);

#endif
