// SPDX-License-Identifier: MIT
/*
 * igt_options.c — the common command line of every test binary
 * (IGT igt_core.c), listing/--describe output (IGT igt_core.c) and the start-up lines.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "harness/igt_core.h"
#include "harness/igt_hook.h"
#include "harness/igt_internal.h"
#include "harness/igt_state.h"
#include "platform/platform.h"
#include "rkval_version.h"
#include "util/num_parse.h"

/* Long-option values above any test's own (IGT asks tests for < 500). */
enum {
	OPT_LIST_SUBTESTS = 500,
	OPT_SHOW_TESTLIST,
	OPT_RUN_SUBTEST,
	OPT_DYNAMIC_SUBTEST,
	OPT_DESCRIBE,
	OPT_HELP_DESCRIPTION,
	OPT_DEBUG,
	OPT_DEVICE,
	OPT_VERSION,
	OPT_KTAP,
	OPT_LIST_VERDICTS,
	OPT_HOOK,
	OPT_HELP_HOOK,
	OPT_HELP = 'h',
};

#define DESCRIBE_WRAP_COLUMNS	80

/* Exported by tools/testing/selftests/kselftest/runner.sh (all versions). */
#define KSELFTEST_RUNNER_ENV	"kselftest_default_timeout"
#define RKVAL_KTAP_ENV		"RKVAL_KTAP"

static const struct option common_options[] = {
	{ "list-subtests", no_argument, NULL, OPT_LIST_SUBTESTS },
	{ "show-testlist", no_argument, NULL, OPT_SHOW_TESTLIST },
	{ "run-subtest", required_argument, NULL, OPT_RUN_SUBTEST },
	{ "dynamic-subtest", required_argument, NULL, OPT_DYNAMIC_SUBTEST },
	{ "describe", optional_argument, NULL, OPT_DESCRIBE },
	{ "help-description", no_argument, NULL, OPT_HELP_DESCRIPTION },
	{ "debug", optional_argument, NULL, OPT_DEBUG },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "ktap", no_argument, NULL, OPT_KTAP },
	{ "list-verdicts", no_argument, NULL, OPT_LIST_VERDICTS },
	{ "hook", required_argument, NULL, OPT_HOOK },
	{ "help-hook", no_argument, NULL, OPT_HELP_HOOK },
	{ "help", no_argument, NULL, OPT_HELP },
};

static void print_version(void)
{
	struct utsname u;

	uname(&u);
	/* Same shape as IGT's "IGT-Version: 2.2-NO-GIT (x86_64) (Linux: ...)". */
	printf("IGT-Version: %s-%s (%s) (%s: %s %s)\n", RKVAL_VERSION,
	       RKVAL_GIT_SHA, RKVAL_ARCH, u.sysname, u.release, u.machine);
}

static void print_usage(FILE *out, const char *help_str)
{
	fprintf(out, "Usage: %s [OPTIONS]\n", igt_state.command);
	fprintf(out,
		"  --list-subtests\n"
		"  --show-testlist\n"
		"  --run-subtest <pattern>\n"
		"  --dynamic-subtest <pattern>\n"
		"  --debug[=log-domain]\n"
		"  --hook [<events>:]<cmd>\n"
		"  --help-hook\n"
		"  --help-description\n"
		"  --describe\n"
		"  --device <spec>\tauto | kernel | /dev/accel/accelN | vnpu | vnpu:rk3568 | vnpu:rk3588\n"
		"  --ktap\tprint KTAP (kselftest) instead of the IGT protocol\n"
		"  --list-verdicts\tprint the VERDICT stages and exit\n"
		"  --version\n"
		"  --help|-h\n");
	fprintf(out,
		"Environment: RKVAL_DEVICE (as --device), RKVAL_VNPU_KERNEL (vnpu kernel profile),\n"
		"  RKVAL_VNPU_FAULTS (comma list of vnpu faults), RKVAL_VNPU_KMSG (vnpu kernel-log file),\n"
		"  RKVAL_SUBTEST_TIMEOUT (watchdog seconds, 1..%d, default %d), IGT_LOG_LEVEL,\n"
		"  IGT_SENTINEL_ON_STDERR, IGT_SRANDOM (random seed, 0..%u),\n"
		"  RKVAL_KTAP (1/0: KTAP on/off; default on under the kselftest runner).\n",
		RKVAL_SUBTEST_TIMEOUT_MAX_S, RKVAL_SUBTEST_TIMEOUT_S, UINT_MAX);
	if (help_str)
		fputs(help_str, out);
}

/* --describe: description wrapped at 80 columns, two-space indent (IGT igt_core.c). */
static void print_wrapped(const char *text)
{
	int col = 0;

	while (*text) {
		size_t word = strcspn(text, " \n");

		if (col && col + 1 + (int)word > DESCRIBE_WRAP_COLUMNS) {
			fputc('\n', stdout);
			col = 0;
		}
		if (!col) {
			fputs("  ", stdout);
			col = 2;
		} else {
			fputc(' ', stdout);
			col++;
		}
		fwrite(text, 1, word, stdout);
		col += word;
		text += word;
		while (*text == ' ' || *text == '\n')
			text++;
	}
	fputc('\n', stdout);
}

void igt_list_subtest(const char *name, const char *description,
		      const char *file, int line)
{
	igt_state.listed_any = true;
	if (igt_state.describe_pattern) {
		if (igt_state.describe_pattern[0] &&
		    !igt_pattern_match(igt_state.describe_pattern, name))
			return;
		printf("SUB %s %s:%d:\n", name, file, line);
		if (description)
			print_wrapped(description);
		else
			printf("  NO DOCUMENTATION!\n");
		printf("\n");
		return;
	}
	if (igt_state.show_testlist)
		printf("igt@%s@%s\n", igt_state.command, name);
	else
		printf("%s\n", name);
}

void igt_log_backend_banner(void)
{
	const char *desc;
	int saved_errno = errno;

	/* Probing the device must not leak into a later "Last errno". */
	if (plat_init()) {
		errno = saved_errno;
		igt_info("Backend: none (%s)\n", plat_init_error());
		return;
	}
	desc = plat_describe();
	if (plat_backend() == PLAT_BACKEND_VNPU)
		igt_info("Backend: %s (software NPU, not evidence about hardware)\n",
			 desc);
	else
		igt_info("Backend: %s\n", desc);
	errno = saved_errno;
}

/*
 * Numbers from the environment are options too: a malformed one is a
 * usage error (exit 79), never silently the default.
 */
static unsigned int env_uint(const char *name, unsigned int min,
			     unsigned int max, unsigned int dflt)
{
	const char *v = getenv(name);
	unsigned int n = dflt;

	if (v && num_option_uint(name, v, 10, min, max, &n))
		exit(IGT_EXIT_INVALID);
	return n;
}

static unsigned int env_timeout(void)
{
	return env_uint(RKVAL_SUBTEST_TIMEOUT_ENV, 1, RKVAL_SUBTEST_TIMEOUT_MAX_S,
			RKVAL_SUBTEST_TIMEOUT_S);
}

/*
 * Run by the kselftest runner?  It passes no options, so a binary cannot
 * be told --ktap; but every version of its kselftest/runner.sh exports
 * kselftest_default_timeout before it runs a test (rkval's own copy of
 * the runner, kselftest/runner.sh, does the same).  RKVAL_KTAP=1 or 0
 * overrides the guess either way, e.g. for a runner started from a shell
 * that sourced runner.sh.
 */
static bool ktap_runner_detected(void)
{
	const char *force = getenv(RKVAL_KTAP_ENV);

	if (force && *force)
		return strcmp(force, "0") != 0;
	return getenv(KSELFTEST_RUNNER_ENV) != NULL;
}

static enum igt_log_level env_log_level(void)
{
	const char *v = getenv("IGT_LOG_LEVEL");

	if (!v)
		return IGT_LOG_INFO;
	if (!strcmp(v, "debug"))
		return IGT_LOG_DEBUG;
	if (!strcmp(v, "warn"))
		return IGT_LOG_WARN;
	if (!strcmp(v, "none"))
		return IGT_LOG_NONE;
	return IGT_LOG_INFO;
}

static int common_init(int *argc, char **argv, const char *extra_short_opts,
		       const struct option *extra_long_opts,
		       const char *help_str, igt_opt_handler_t handler,
		       void *handler_data)
{
	size_t n_common = sizeof(common_options) / sizeof(common_options[0]);
	size_t n_extra = 0, i;
	struct option *opts;
	char short_opts[128];
	const char *base;
	int c, idx;

	base = strrchr(argv[0], '/');
	snprintf(igt_state.command, sizeof(igt_state.command), "%s",
		 base ? base + 1 : argv[0]);
	igt_state.timeout_s = env_timeout();
	igt_state.ktap = ktap_runner_detected();
	igt_state.sentinel_on_stderr = getenv("IGT_SENTINEL_ON_STDERR") != NULL;
	igt_log_set_level(env_log_level());

	while (extra_long_opts && extra_long_opts[n_extra].name)
		n_extra++;
	opts = calloc(n_common + n_extra + 1, sizeof(*opts));
	if (!opts)
		abort();
	memcpy(opts, common_options, sizeof(common_options));
	for (i = 0; i < n_extra; i++)
		opts[n_common + i] = extra_long_opts[i];
	snprintf(short_opts, sizeof(short_opts), "h%s",
		 extra_short_opts ? extra_short_opts : "");

	while ((c = getopt_long(*argc, argv, short_opts, opts, &idx)) != -1) {
		switch (c) {
		case OPT_LIST_SUBTESTS:
			igt_state.listing = true;
			break;
		case OPT_SHOW_TESTLIST:
			igt_state.listing = true;
			igt_state.show_testlist = true;
			break;
		case OPT_RUN_SUBTEST:
			igt_state.run_pattern = optarg;
			break;
		case OPT_DYNAMIC_SUBTEST:
			igt_state.dynamic_pattern = optarg;
			break;
		case OPT_DESCRIBE:
			igt_state.listing = true;
			igt_state.describe_pattern = optarg ? optarg : "";
			break;
		case OPT_HELP_DESCRIPTION:
			if (&__igt_test_description && __igt_test_description)
				printf("%s\n", __igt_test_description);
			exit(IGT_EXIT_SUCCESS);
		case OPT_DEBUG:
			igt_log_set_level(IGT_LOG_DEBUG);
			break;
		case OPT_DEVICE:
			igt_state.device = optarg;
			break;
		case OPT_VERSION:
			print_version();
			exit(IGT_EXIT_SUCCESS);
		case OPT_KTAP:
			igt_state.ktap = true;
			break;
		case OPT_LIST_VERDICTS:
			__igt_verdict_list(stdout);
			exit(IGT_EXIT_SUCCESS);
		case OPT_HOOK:
			if (igt_hook_add(optarg)) {
				print_usage(stderr, help_str);
				exit(igt_exit_status(IGT_EXIT_INVALID));
			}
			break;
		case OPT_HELP_HOOK:
			igt_hook_print_help(stdout);
			exit(IGT_EXIT_SUCCESS);
		case OPT_HELP:
			print_usage(stdout, help_str);
			exit(IGT_EXIT_SUCCESS);
		case '?':
			print_usage(stderr, help_str);
			exit(igt_exit_status(IGT_EXIT_INVALID));
		default:
			if (!handler || handler(c, idx, handler_data)) {
				print_usage(stderr, help_str);
				exit(igt_exit_status(IGT_EXIT_INVALID));
			}
			break;
		}
	}
	free(opts);
	if (optind < *argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n",
			igt_state.command, argv[optind]);
		print_usage(stderr, help_str);
		exit(igt_exit_status(IGT_EXIT_INVALID));
	}

	if (igt_state.describe_pattern && !igt_state.show_testlist &&
	    &__igt_test_description && __igt_test_description)
		printf("%s\n\n", __igt_test_description);
	if (igt_state.listing)
		return 0;

	plat_configure(igt_state.device);
	igt_signals_install();
	if (!igt_state.ktap) {
		unsigned int s = env_uint("IGT_SRANDOM", 0, UINT_MAX,
					  (unsigned int)time(NULL));

		print_version();
		printf("Using IGT_SRANDOM=%u for randomisation\n", s);
		srandom(s);
		fflush(stdout);
		igt_log_backend_banner();
	}
	igt_kmsg("<6>[IGT] %s: executing\n", igt_state.command);
	igt_hook_event(IGT_HOOK_PRE_TEST, NULL);
	return 0;
}

const char *igt_device_option(void)
{
	return igt_state.device;
}

void igt_subtest_init_parse_opts(int *argc, char **argv,
				 const char *extra_short_opts,
				 const struct option *extra_long_opts,
				 const char *help_str,
				 igt_opt_handler_t extra_opt_handler,
				 void *handler_data)
{
	igt_state.has_subtests = true;
	common_init(argc, argv, extra_short_opts, extra_long_opts, help_str,
		    extra_opt_handler, handler_data);
}

void igt_simple_init_parse_opts(int *argc, char **argv,
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data)
{
	igt_state.has_subtests = false;
	common_init(argc, argv, extra_short_opts, extra_long_opts, help_str,
		    extra_opt_handler, handler_data);
	if (igt_state.show_testlist) {
		printf("igt@%s\n", igt_state.command);
		exit(IGT_EXIT_SUCCESS);
	}
	if (igt_state.listing)
		exit(igt_exit_status(IGT_EXIT_INVALID));
	if (igt_state.ktap) {
		printf("KTAP version 1\n1..1\n");
		igt_log_backend_banner();
	}
	igt_state.subtest_start = igt_time_now();
}
