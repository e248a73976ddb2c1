// SPDX-License-Identifier: MIT
/*
 * job_spawn.c — start a test in its own process group and wait for it
 * under the time limit (job_spawn.h).
 */
#define _GNU_SOURCE
#include "runner/job_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void waited_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

void job_spawn_block_signals(void)
{
	sigset_t set;

	waited_signals(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	/*
	 * Blocked and at their default, so that sigtimedwait() takes them:
	 * an ignored signal is discarded, not kept pending, and rkval-run
	 * starts this program as a background job, SIGINT ignored.
	 */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

long job_now_cs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (long)ts.tv_sec * 100 + ts.tv_nsec / 10000000;
}

static bool take_signal(int sig, volatile sig_atomic_t *interrupted)
{
	if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
		*interrupted = 1;
		return true;
	}
	return false;
}

void job_spawn_poll_signals(volatile sig_atomic_t *interrupted)
{
	struct timespec zero = { 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	for (;;) {
		int sig = sigtimedwait(&set, NULL, &zero);

		if (sig < 0)
			break;
		take_signal(sig, interrupted);
	}
}

/* signal_test: @sig to @pid's process group, else to @pid */
static void signal_test(pid_t pid, int sig)
{
	if (kill(-pid, sig) && kill(pid, sig))
		return;
}

/*
 * write_watch: @text over the watch file's one record, padded with blanks
 * to a fixed size and written in place: truncating and rewriting a file
 * makes ext4 write its data out at close (auto_da_alloc), twice per
 * subtest, for a file only --resume reads.
 */
static void write_watch(int fd, const char *text)
{
	char rec[JOB_WATCH_RECORD];

	if (fd < 0)
		return;
	memset(rec, ' ', sizeof(rec));
	memcpy(rec, text, strnlen(text, sizeof(rec) - 1));
	rec[sizeof(rec) - 1] = '\n';
	/* best effort: only --resume reads it */
	(void)!pwrite(fd, rec, sizeof(rec), 0);
}

int job_watch_open(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
}

/* the environment with @extra over it (same names replaced) */
static char **merge_env(char *const extra[])
{
	size_t n = 0, k = 0, m = 0;
	char **env;

	while (environ[n])
		n++;
	while (extra[k])
		k++;
	env = calloc(n + k + 1, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t name_len = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		bool replaced = false;

		for (size_t j = 0; j < k; j++)
			if (!strncmp(extra[j], environ[i], name_len) &&
			    extra[j][name_len] == '=')
				replaced = true;
		if (!replaced)
			env[m++] = environ[i];
	}
	for (size_t j = 0; j < k; j++)
		env[m++] = extra[j];
	return env;
}

static int start(char *const argv[], char **env, const char *out_path,
		 const char *err_path, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	int err;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out_path,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err_path,
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	/*
	 * Every signal at its default, whatever the runner inherited: a
	 * shell starts its background jobs with SIGINT and SIGQUIT ignored,
	 * and a test must see a SIGQUIT as IGT's tests do.
	 */
	sigfillset(&dfl);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
				 POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	if (strchr(argv[0], '/'))
		err = posix_spawn(pid, argv[0], &fa, &attr, argv, env);
	else
		err = posix_spawnp(pid, argv[0], &fa, &attr, argv, env);
	if (err == ENOEXEC) {
		/* no #! line: a shell runs it, as a shell would */
		size_t n = 0;
		char **sh_argv;

		while (argv[n])
			n++;
		sh_argv = calloc(n + 2, sizeof(*sh_argv));
		if (sh_argv) {
			sh_argv[0] = "sh";
			memcpy(sh_argv + 1, argv, (n + 1) * sizeof(*argv));
			err = posix_spawn(pid, "/bin/sh", &fa, &attr, sh_argv, env);
			free(sh_argv);
		}
	}
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return err;
}

int job_spawn_run(char *const argv[], char *const env_extra[],
		  const char *out_path, const char *err_path,
		  const struct job_limits *lim, int watch_fd,
		  volatile sig_atomic_t *interrupted, struct job_result *res)
{
	long started, t_term, t_kill, t_giveup, now;
	bool sent_term = false, sent_kill = false;
	char watch[96];
	sigset_t set;
	char **env;
	int status, err;

	memset(res, 0, sizeof(*res));
	env = merge_env(env_extra);
	if (!env) {
		res->rc = JOB_RC_NOT_RUNNABLE;
		return -1;
	}
	started = now = job_now_cs();
	err = start(argv, env, out_path, err_path, &res->pid);
	free(env);
	if (err) {
		res->rc = err == ENOENT ? JOB_RC_NOT_FOUND : JOB_RC_NOT_RUNNABLE;
		res->elapsed_cs = job_now_cs() - started;
		errno = err;
		return -1;
	}
	if (lim->use_timeout) {
		t_term = -1;
		t_kill = now + (long)(lim->timeout_s + lim->kill_after_s +
				      lim->wedge_grace_s) * 100;
	} else {
		t_term = now + (long)lim->timeout_s * 100;
		t_kill = t_term + (long)lim->kill_after_s * 100;
	}
	t_giveup = t_kill + (long)lim->wedge_grace_s * 100;
	if (t_term < 0)
		snprintf(watch, sizeof(watch), "%d - %ld %ld", (int)res->pid,
			 t_kill, t_giveup);
	else
		snprintf(watch, sizeof(watch), "%d %ld %ld %ld", (int)res->pid,
			 t_term, t_kill, t_giveup);
	write_watch(watch_fd, watch);

	waited_signals(&set);
	for (;;) {
		pid_t w = waitpid(res->pid, &status, WNOHANG);
		long next;
		struct timespec ts;
		int sig;

		if (w == res->pid)
			break;
		if (w < 0 && errno != EINTR) {
			status = 0;	/* not our child any more: cannot happen */
			break;
		}
		now = job_now_cs();
		if (*interrupted && !res->killed_by_us) {
			res->killed_by_us = true;
			signal_test(res->pid, SIGTERM);
			if (t_kill > now + (long)lim->kill_after_s * 100) {
				t_kill = now + (long)lim->kill_after_s * 100;
				t_giveup = t_kill + (long)lim->wedge_grace_s * 100;
			}
		}
		if (now >= t_giveup) {
			res->abandoned = true;
			break;
		}
		if (now >= t_kill && !sent_kill) {
			signal_test(res->pid, SIGKILL);
			sent_kill = true;
		} else if (t_term >= 0 && now >= t_term && !sent_term) {
			signal_test(res->pid, SIGTERM);
			sent_term = true;
		}
		next = t_giveup;
		if (!sent_kill && t_kill < next)
			next = t_kill;
		if (t_term >= 0 && !sent_term && t_term < next)
			next = t_term;
		next -= now;
		if (next < 1)
			next = 1;
		ts.tv_sec = next / 100;
		ts.tv_nsec = (next % 100) * 10000000L;
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig > 0)
			take_signal(sig, interrupted);
	}
	if (!res->abandoned) {
		if (WIFSIGNALED(status))
			res->rc = JOB_SIGNAL_RC_BASE + WTERMSIG(status);
		else
			res->rc = WEXITSTATUS(status);
		/* nothing may write to a finished subtest's files */
		if (!kill(-res->pid, SIGKILL))
			res->leftover = true;
	}
	write_watch(watch_fd, "idle");
	res->elapsed_cs = job_now_cs() - started;
	return 0;
}
