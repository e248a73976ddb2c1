// SPDX-License-Identifier: MIT
/*
 * rkval-vnpu-faults — print vnpu's fault catalogue (lib/vnpu/vnpu_faults.c),
 * the one place that names the injectable hardware faults and the verdict
 * the suite must give under each.
 *
 *   rkval-vnpu-faults --help             this usage on stdout
 *   rkval-vnpu-faults names              one fault name per line
 *   rkval-vnpu-faults stage NAME [SOC]   the expected verdict stage of NAME
 *                                        on SOC (rk3568, default, or
 *                                        rk3588); "-" for no verdict
 *   rkval-vnpu-faults outcome NAME       how a subtest that meets NAME ends:
 *                                        "fail" (it reports its verdict) or
 *                                        "panic" (it dies; the verdict comes
 *                                        from the console log or pstore)
 *   rkval-vnpu-faults table vnpu|readme  the Markdown table of docs/vnpu.md
 *                                        ("Hardware faults") or README.md
 *
 * selftests/fault-catalogue.sh keeps the documented tables equal to the
 * catalogue; selftests/fault-matrix.sh takes its fault list and expected
 * stages from here.
 *
 * Exit: 0 done, 1 unknown fault or SoC (message on stderr), 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include "vnpu/vnpu_faults.h"

#define EXIT_OK		0
#define EXIT_UNKNOWN	1
#define EXIT_USAGE	2

static void usage(FILE *f)
{
	fprintf(f, "usage: rkval-vnpu-faults names\n"
		   "       rkval-vnpu-faults stage NAME [rk3568|rk3588]\n"
		   "       rkval-vnpu-faults outcome NAME\n"
		   "       rkval-vnpu-faults table vnpu|readme\n");
}

/* A stage as the tables show it. */
static const char *stage_cell(const char *stage)
{
	return strcmp(stage, VNPU_FAULT_NO_VERDICT) ? stage : "(no verdict)";
}

static void print_table_vnpu(void)
{
	printf("| name | hypothesis | effect in the model | acts in | applies to |\n");
	printf("|---|---|---|---|---|\n");
	for (int i = 0; i < VNPU_FAULT_COUNT; i++) {
		const struct vnpu_fault_info *f = &vnpu_fault_catalogue[i];

		printf("| `%s` | %s | %s | %s | %s |\n", f->name, f->hypothesis,
		       f->effect, f->hook, f->applies);
	}
}

static void print_table_readme(void)
{
	printf("| fault (RKVAL_VNPU_FAULTS) | hypothesis | verdict on rk3568 | verdict on rk3588 | how the subtest ends |\n");
	printf("|---|---|---|---|---|\n");
	for (int i = 0; i < VNPU_FAULT_COUNT; i++) {
		const struct vnpu_fault_info *f = &vnpu_fault_catalogue[i];

		printf("| `%s` | %s | %s | %s%s%s | %s |\n", f->name, f->hypothesis,
		       stage_cell(f->stage_rk3568), stage_cell(f->stage_rk3588),
		       f->why_rk3588 ? ": " : "", f->why_rk3588 ? f->why_rk3588 : "",
		       f->panics ? "panics: the subtest dies, the console log or the next boot's pstore gives the verdict" :
				   "the subtest fails with the verdict");
	}
}

int main(int argc, char **argv)
{
	const struct vnpu_fault_info *f;
	const char *stage;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc == 2 && !strcmp(argv[1], "names")) {
		for (int i = 0; i < VNPU_FAULT_COUNT; i++)
			printf("%s\n", vnpu_fault_catalogue[i].name);
		return EXIT_OK;
	}
	if (argc == 3 && !strcmp(argv[1], "table")) {
		if (!strcmp(argv[2], "vnpu"))
			print_table_vnpu();
		else if (!strcmp(argv[2], "readme"))
			print_table_readme();
		else
			goto bad;
		return EXIT_OK;
	}
	if (argc == 3 && !strcmp(argv[1], "outcome")) {
		f = vnpu_fault_lookup(argv[2]);
		if (!f) {
			fprintf(stderr, "rkval-vnpu-faults: unknown fault \"%s\" (see: rkval-vnpu-faults names)\n",
				argv[2]);
			return EXIT_UNKNOWN;
		}
		printf("%s\n", f->panics ? "panic" : "fail");
		return EXIT_OK;
	}
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "stage")) {
		f = vnpu_fault_lookup(argv[2]);
		if (!f) {
			fprintf(stderr, "rkval-vnpu-faults: unknown fault \"%s\" (see: rkval-vnpu-faults names)\n",
				argv[2]);
			return EXIT_UNKNOWN;
		}
		stage = vnpu_fault_expected_stage(f, argc == 4 ? argv[3] : "rk3568");
		if (!stage) {
			fprintf(stderr, "rkval-vnpu-faults: unknown SoC \"%s\" (valid: rk3568, rk3588)\n",
				argv[3]);
			return EXIT_UNKNOWN;
		}
		printf("%s\n", stage);
		return EXIT_OK;
	}
bad:
	usage(stderr);
	return EXIT_USAGE;
}
