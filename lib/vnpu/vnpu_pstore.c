// SPDX-License-Identifier: MIT
/*
 * vnpu_pstore.c — the model's pstore/ramoops: what the previous "boot"
 * left in /sys/fs/pstore (Documentation/admin-guide/ramoops.rst).
 *
 * An SError at the QoS save panics a board (arm64 traps.c: "SError
 * Interrupt on CPU%d, code 0x%016lx -- %s", then nmi_panic()); the run
 * that met it can report nothing, and the evidence is the console log or,
 * after the reboot, the ramoops dump in /sys/fs/pstore/dmesg-ramoops-0.
 * With RKVAL_VNPU_STATE set, vnpu appends each panic record to
 * "$RKVAL_VNPU_STATE.pstore"; the next process (the next boot) shows that
 * file as /sys/fs/pstore/dmesg-ramoops-0, as the kernel shows the
 * previous boot's record, never the current one's.  Lock held by callers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnpu/vnpu.h"

#define VNPU_PSTORE_SUFFIX	".pstore"
#define VNPU_PSTORE_MAX		8192

static char pstore_prev[VNPU_PSTORE_MAX];	/* the previous boot's record */
static bool pstore_loaded;

static bool pstore_path(char *buf, size_t size)
{
	const char *p = getenv(VNPU_STATE_ENV);

	if (!p || !p[0])
		return false;
	snprintf(buf, size, "%s%s", p, VNPU_PSTORE_SUFFIX);
	return true;
}

/* Take over the record left by the previous process; the file is then consumed. */
static void pstore_load(void)
{
	char path[512];
	size_t n = 0;
	FILE *f;

	if (pstore_loaded)
		return;
	pstore_loaded = true;
	if (!pstore_path(path, sizeof(path)) || !(f = fopen(path, "r")))
		return;
	n = fread(pstore_prev, 1, sizeof(pstore_prev) - 1, f);
	pstore_prev[n] = '\0';
	fclose(f);
	remove(path);
}

const char *vnpu_pstore_previous(void)
{
	pstore_load();
	return pstore_prev;
}

void vnpu_pstore_record(const char *line)
{
	char path[512];
	FILE *f;

	pstore_load();	/* before this boot writes its own */
	if (!pstore_path(path, sizeof(path)) || !(f = fopen(path, "a")))
		return;
	fprintf(f, "%s\n", line);
	fclose(f);
}

/*
 * What ramoops' dmesg dumper keeps of a panic: a "Panic#1 Part1" header
 * (fs/pstore/platform.c pstore_dump()) and the tail of the kernel log in
 * syslog form, including the harness's "[IGT] BIN: starting subtest NAME"
 * marker, which tells the next boot what was running.  The tail length is
 * the model's choice; a board keeps what its record_size holds.
 */
#define VNPU_PSTORE_DUMP_HEADER		"Panic#1 Part1"
#define VNPU_PSTORE_DUMP_RECORDS	64

static void pstore_dump_line(const char *line, void *arg)
{
	(void)arg;
	vnpu_pstore_record(line);
}

void vnpu_pstore_dump_panic(void)
{
	vnpu_pstore_record(VNPU_PSTORE_DUMP_HEADER);
	vnpu_kmsg_tail(VNPU_PSTORE_DUMP_RECORDS, pstore_dump_line, NULL);
}
