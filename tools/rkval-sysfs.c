// SPDX-License-Identifier: MIT
/*
 * rkval-sysfs — read, write or list one sysfs/debugfs/procfs path through
 * the platform seam, as a test would see it.
 *
 *   rkval-sysfs [--device SPEC] read PATH
 *   rkval-sysfs [--device SPEC] write PATH TEXT
 *   rkval-sysfs [--device SPEC] list DIR
 *   rkval-sysfs [--device SPEC] power-settings DEV
 *
 * On a board (--device kernel) it reads the real files; on vnpu
 * (--device vnpu:rk3568) it reads the model's, which persist across
 * processes when RKVAL_VNPU_STATE names a state file — how
 * selftests/power-restore.sh compares a core's power settings before and
 * after a test process.  power-settings prints the settings a power test
 * may change (lib/board/power.h): "control=auto
 * autosuspend_delay_ms=50 bound=1".
 *
 * Exit: 0 done, 1 the access failed (message on stderr), 2 usage,
 * 3 the platform could not start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/platform.h"
#include "board/power.h"

#define EXIT_OK		0
#define EXIT_ACCESS	1
#define EXIT_USAGE	2
#define EXIT_SETUP	3

/* sysfs attributes are at most a page; debugfs summaries are larger. */
#define READ_MAX	(256 * 1024)

static void usage(FILE *f)
{
	fprintf(f, "usage: rkval-sysfs [--device SPEC] read PATH\n"
		   "       rkval-sysfs [--device SPEC] write PATH TEXT\n"
		   "       rkval-sysfs [--device SPEC] list DIR\n"
		   "       rkval-sysfs [--device SPEC] power-settings DEV\n");
}

static int print_entry(const char *name, void *data)
{
	(void)data;
	printf("%s\n", name);
	return 0;
}

static int do_read(const char *path)
{
	char *buf = malloc(READ_MAX);
	ssize_t n;

	if (!buf)
		return EXIT_SETUP;
	n = plat_read_file(path, buf, READ_MAX);
	if (n < 0) {
		fprintf(stderr, "rkval-sysfs: read %s: %s\n", path, strerror((int)-n));
		free(buf);
		return EXIT_ACCESS;
	}
	fwrite(buf, 1, (size_t)n, stdout);
	free(buf);
	return EXIT_OK;
}

static int do_settings(const char *dev)
{
	struct power_settings s;
	char line[128];
	int ret = power_settings_read(dev, &s);

	if (ret) {
		fprintf(stderr, "rkval-sysfs: power settings of %s: %s\n", dev,
			strerror(-ret));
		return EXIT_ACCESS;
	}
	power_settings_format(&s, line, sizeof(line));
	printf("%s\n", line);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *spec = NULL;
	int i = 1, ret;

	if (i + 1 < argc && !strcmp(argv[i], "--device")) {
		spec = argv[i + 1];
		i += 2;
	}
	if (i >= argc || !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
		usage(i >= argc ? stderr : stdout);
		return i >= argc ? EXIT_USAGE : EXIT_OK;
	}
	plat_configure(spec);
	if (plat_init()) {
		fprintf(stderr, "rkval-sysfs: %s\n", plat_init_error());
		return EXIT_SETUP;
	}
	if (!strcmp(argv[i], "read") && argc == i + 2)
		return do_read(argv[i + 1]);
	if (!strcmp(argv[i], "power-settings") && argc == i + 2)
		return do_settings(argv[i + 1]);
	if (!strcmp(argv[i], "list") && argc == i + 2) {
		ret = plat_list_dir(argv[i + 1], print_entry, NULL);
		if (ret < 0) {
			fprintf(stderr, "rkval-sysfs: list %s: %s\n", argv[i + 1],
				strerror(-ret));
			return EXIT_ACCESS;
		}
		return EXIT_OK;
	}
	if (!strcmp(argv[i], "write") && argc == i + 3) {
		ret = plat_write_file(argv[i + 1], argv[i + 2]);
		if (ret) {
			fprintf(stderr, "rkval-sysfs: write %s: %s\n", argv[i + 1],
				strerror(-ret));
			return EXIT_ACCESS;
		}
		return EXIT_OK;
	}
	usage(stderr);
	return EXIT_USAGE;
}
