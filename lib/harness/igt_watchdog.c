// SPDX-License-Identifier: MIT
/*
 * igt_watchdog.c — the per-subtest watchdog, crash and termination signals,
 * and exit handlers.
 *
 * Everything here runs in signal context, so output is built by hand into
 * a buffer and written with write(2): stdio may be locked by the very code
 * the signal interrupted.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "harness/igt_core.h"
#include "harness/igt_state.h"

#define EXIT_HANDLERS_MAX	32

static void (*exit_handlers[EXIT_HANDLERS_MAX])(int sig);
static int exit_handler_count;
static volatile sig_atomic_t exit_handlers_running;
static unsigned int watchdog_armed_s;

struct sbuf {
	char b[1600];
	size_t n;
};

static void sb_str(struct sbuf *s, const char *str)
{
	while (*str && s->n < sizeof(s->b) - 1)
		s->b[s->n++] = *str++;
}

static void sb_uint(struct sbuf *s, unsigned long v, int min_digits)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = '0' + v % 10;
		v /= 10;
	} while (v || i < min_digits);
	while (i && s->n < sizeof(s->b) - 1)
		s->b[s->n++] = tmp[--i];
}

/* "T.TTTs" without printf. */
static void sb_seconds(struct sbuf *s, double t)
{
	unsigned long ms = t > 0 ? (unsigned long)(t * 1000.0) : 0;

	sb_uint(s, ms / 1000, 1);
	sb_str(s, ".");
	sb_uint(s, ms % 1000, 3);
	sb_str(s, "s");
}

static void sb_write(struct sbuf *s, int fd)
{
	ssize_t r = write(fd, s->b, s->n);

	(void)r;
	s->n = 0;
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGFPE: return "SIGFPE";
	case SIGILL: return "SIGILL";
	case SIGABRT: return "SIGABRT";
	case SIGTERM: return "SIGTERM";
	case SIGINT: return "SIGINT";
	case SIGHUP: return "SIGHUP";
	case SIGQUIT: return "SIGQUIT";
	case SIGPIPE: return "SIGPIPE";
	case SIGALRM: return "SIGALRM";
	default: return "signal";
	}
}

void igt_install_exit_handler(void (*fn)(int sig))
{
	for (int i = 0; i < exit_handler_count; i++)
		if (exit_handlers[i] == fn)
			return;
	if (exit_handler_count < EXIT_HANDLERS_MAX)
		exit_handlers[exit_handler_count++] = fn;
}

void igt_run_exit_handlers(int sig)
{
	if (exit_handlers_running)
		return;
	exit_handlers_running = 1;
	while (exit_handler_count > 0)
		exit_handlers[--exit_handler_count](sig);
	exit_handlers_running = 0;
}

/* The result line of the running subtest, IGT or KTAP, from signal context. */
static void report_abnormal_end(const char *result, const char *stage,
				const char *facts, const char *ktap_directive)
{
	struct sbuf s = { .n = 0 };
	double t = igt_time_now() - igt_state.subtest_start;

	if (igt_state.ktap)
		sb_str(&s, "# ");
	sb_str(&s, "VERDICT: ");
	sb_str(&s, stage);
	sb_str(&s, " ");
	sb_str(&s, facts);
	sb_str(&s, "\n");
	if (igt_state.ktap) {
		sb_str(&s, "not ok ");
		sb_uint(&s, igt_state.ktap_number + 1, 1);
		sb_str(&s, " ");
		sb_str(&s, igt_state.subtest);
		sb_str(&s, " # ");
		sb_str(&s, ktap_directive);
		sb_str(&s, "\n");
		sb_write(&s, STDOUT_FILENO);
		return;
	}
	sb_write(&s, STDOUT_FILENO);
	sb_str(&s, "Subtest ");
	sb_str(&s, igt_state.subtest);
	sb_str(&s, ": ");
	sb_str(&s, result);
	sb_str(&s, " (");
	sb_seconds(&s, t);
	sb_str(&s, ")\n");
	if (igt_state.sentinel_on_stderr) {
		struct sbuf e = s;

		sb_write(&e, STDERR_FILENO);
	}
	sb_write(&s, STDOUT_FILENO);
}

/*
 * The watchdog fails the stuck subtest and, as IGT's igt_set_timeout()
 * does, jumps back so the binary goes on with the next one: igt_runner in
 * multiple mode would otherwise lose every later subtest.  If the stuck
 * code left a lock held, later subtests that need it get stuck too and
 * each is failed by its own watchdog: slow, but bounded and reported.
 */
static void watchdog_handler(int sig)
{
	struct sbuf facts = { .n = 0 }, d = { .n = 0 }, s = { .n = 0 };

	(void)sig;
	if (!igt_state.in_subtest)
		return;
	sb_str(&facts, "subtest ");
	sb_str(&facts, igt_state.subtest);
	if (igt_state.in_dynamic) {
		sb_str(&facts, " (dynamic ");
		sb_str(&facts, igt_state.dynamic);
		sb_str(&facts, ")");
	}
	sb_str(&facts, " still running after ");
	sb_uint(&facts, watchdog_armed_s, 1);
	sb_str(&facts, " s");
	facts.b[facts.n] = '\0';
	sb_str(&d, "TIMEOUT ");
	sb_uint(&d, watchdog_armed_s, 1);
	sb_str(&d, " seconds");
	d.b[d.n] = '\0';

	/* The dynamic subtests that finished keep their nested block. */
	igt_ktap_nest_end(igt_state.dynamic_number);
	if (igt_state.ktap)
		sb_str(&s, "# ");
	sb_str(&s, "Timed out: ");
	sb_str(&s, facts.b);
	sb_str(&s, "\n");
	sb_write(&s, STDOUT_FILENO);
	if (!igt_state.ktap) {
		sb_str(&s, "Subtest ");
		sb_str(&s, igt_state.subtest);
		sb_str(&s, " failed.\n");
		sb_write(&s, STDERR_FILENO);
	}
	report_abnormal_end("FAIL", "watchdog", facts.b, d.b);

	if (igt_state.exitcode == IGT_EXIT_SUCCESS ||
	    igt_state.exitcode == IGT_EXIT_SKIP)
		igt_state.exitcode = IGT_EXIT_FAILURE;
	igt_state.failed_one = true;
	igt_state.fail_count++;
	if (igt_state.ktap)
		igt_state.ktap_number++;
	igt_state.in_subtest = false;
	igt_state.in_container = false;
	igt_state.in_dynamic = false;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

static bool is_crash_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE ||
	       sig == SIGILL || sig == SIGABRT;
}

/*
 * A crash inside a subtest ends that subtest as CRASH and, like IGT, the
 * binary goes on with the next one; it dies by the first crash signal at
 * exit (igt_exit), so the exit status still says "crash" (IGT igt_core.h).
 */
static void crash_in_subtest(int sig)
{
	struct sbuf f = { .n = 0 };
	bool dynamic = igt_state.in_dynamic;

	sb_str(&f, signal_name(sig));
	sb_str(&f, " in subtest ");
	sb_str(&f, igt_state.subtest);
	if (dynamic) {
		sb_str(&f, " (dynamic ");
		sb_str(&f, igt_state.dynamic);
		sb_str(&f, ")");
	}
	f.b[f.n] = '\0';
	/* Exit status 128+sig unless an earlier failure set one (IGT igt_core.h). */
	if (igt_state.exitcode == IGT_EXIT_SUCCESS ||
	    igt_state.exitcode == IGT_EXIT_SKIP)
		igt_state.exitcode = 128 + sig;
	igt_state.failed_one = true;
	if (dynamic) {
		struct sbuf s = { .n = 0 };

		/*
		 * The container reports FAIL once its body ends; in KTAP
		 * mode these lines go to its nested block (igt_ktap.c),
		 * which indents them.
		 */
		sb_str(&s, igt_state.ktap ? "# VERDICT: crash " : "VERDICT: crash ");
		sb_str(&s, f.b);
		sb_str(&s, "\n");
		if (igt_state.ktap) {
			sb_str(&s, "not ok ");
			sb_uint(&s, igt_state.dynamic_number + 1, 1);
			sb_str(&s, " ");
			sb_str(&s, igt_state.dynamic);
			sb_str(&s, " # crashed\n");
		} else {
			sb_str(&s, "Dynamic subtest ");
			sb_str(&s, igt_state.dynamic);
			sb_str(&s, ": CRASH (");
			sb_seconds(&s, igt_time_now() - igt_state.dynamic_start);
			sb_str(&s, ")\n");
		}
		sb_write(&s, STDOUT_FILENO);
		igt_state.dynamic_failed++;
		igt_state.dynamic_number++;
		igt_state.in_dynamic = false;
		siglongjmp(igt_dynamic_jmpbuf, 1);
	}
	igt_watchdog_disarm();
	igt_ktap_nest_end(igt_state.dynamic_number);
	report_abnormal_end("CRASH", "crash", f.b, "crashed");
	igt_state.fail_count++;
	if (igt_state.ktap)
		igt_state.ktap_number++;
	igt_state.in_subtest = false;
	igt_state.in_container = false;
	siglongjmp(igt_subtest_jmpbuf, 1);
}

static void fatal_handler(int sig)
{
	struct sbuf s = { .n = 0 };

	sb_str(&s, "Received signal ");
	sb_str(&s, signal_name(sig));
	sb_str(&s, ".\n");
	sb_write(&s, STDERR_FILENO);

	if (igt_state.in_subtest && is_crash_signal(sig))
		crash_in_subtest(sig);
	/* Dying: what a container's dynamic subtests reported goes out. */
	igt_ktap_nest_end(igt_state.dynamic_number);
	igt_run_exit_handlers(sig);
	/* Die by the signal, so the runner sees a crash (IGT igt_core.h). */
	signal(sig, SIG_DFL);
	raise(sig);
}

void igt_signals_install(void)
{
	static const int fatal[] = {
		SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
		SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE,
	};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fatal_handler;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESETHAND: a crashed subtest is left by siglongjmp. */
	sa.sa_flags = SA_NODEFER;
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watchdog_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
}

void igt_watchdog_arm(unsigned int seconds)
{
	struct itimerval it = { 0 };

	if (!seconds)
		seconds = igt_state.timeout_s;
	watchdog_armed_s = seconds;
	it.it_value.tv_sec = seconds;
	setitimer(ITIMER_REAL, &it, NULL);
}

void igt_watchdog_disarm(void)
{
	struct itimerval it = { 0 };

	setitimer(ITIMER_REAL, &it, NULL);
}

void igt_set_subtest_timeout(unsigned int seconds)
{
	if (igt_state.in_subtest)
		igt_watchdog_arm(seconds);
}
