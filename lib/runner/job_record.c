// SPDX-License-Identifier: MIT
/*
 * job_record.c — result files and lines (job_record.h).  Text from tests
 * goes out verbatim: no escapes are interpreted anywhere.
 */
#define _GNU_SOURCE
#include "runner/job_record.h"

#include <stdlib.h>
#include <string.h>

/*
 * One file, written once: on ext4 creating a file costs more than all the
 * runner's other per-subtest work, so the wait status is a line of
 * result.txt, not a file of its own.
 */
void job_result_write(FILE *f, const struct job_verdict *v, const char *rc)
{
	fprintf(f, "%s\n", v->result);
	if (*v->reason)
		fprintf(f, "reason: %s\n", v->reason);
	if (*v->verdict)
		fprintf(f, "%s\n", v->verdict);
	fprintf(f, "time: %s\n", v->time);
	fprintf(f, "exit: %s\n", rc);
}

int job_record_file(const char *dir, const struct job_verdict *v, const char *rc)
{
	char *path = str_printf("%s/result.txt", dir);
	FILE *f = fopen(path, "w");

	free(path);
	if (!f)
		return -1;
	job_result_write(f, v, rc);
	return fclose(f) ? -1 : 0;
}

bool job_result_parse(struct job_text *t, struct job_verdict *v)
{
	char *line;
	size_t len;
	bool first = true;

	job_verdict_init(v, "0.000");
	while (job_text_next(t, &line, &len)) {
		if (first)
			job_verdict_set(&v->result, line);
		else if (str_starts(line, "reason: "))
			job_verdict_set(&v->reason, line + strlen("reason: "));
		else if (str_starts(line, "time: "))
			job_verdict_set(&v->time, line + strlen("time: "));
		else if (str_starts(line, "exit: "))
			;	/* the wait status: not part of the verdict */
		else
			job_verdict_set(&v->verdict, line);
		first = false;
	}
	return !first;
}

bool job_load_result(const char *dir, struct job_verdict *v)
{
	char *path = str_printf("%s/result.txt", dir);
	struct job_text t;
	bool found;

	job_text_load(&t, path);
	free(path);
	found = job_result_parse(&t, v);
	job_text_free(&t);
	return found;
}

char job_counts_as(const char *result)
{
	if (!strcmp(result, "pass") || !strcmp(result, "warn"))
		return 'p';
	if (!strcmp(result, "skip"))
		return 's';
	return 'f';
}

void job_ktap_line(FILE *f, unsigned int n, const char *name,
		   const struct job_verdict *v, unsigned int timeout_s)
{
	if (!strcmp(v->result, "skip")) {
		fprintf(f, "ok %u %s # SKIP%s%s\n", n, name,
			*v->reason ? " " : "", v->reason);
		return;
	}
	if (*v->verdict)
		fprintf(f, "# %s\n", v->verdict);
	if (*v->reason)
		fprintf(f, "# %s: %s\n", v->result, v->reason);
	if (job_counts_as(v->result) == 'p')
		fprintf(f, "ok %u %s\n", n, name);
	else if (!strcmp(v->result, "timeout"))
		fprintf(f, "not ok %u %s # TIMEOUT %u seconds\n", n, name, timeout_s);
	else
		fprintf(f, "not ok %u %s\n", n, name);
}

void job_summary_line(FILE *f, const char *name, const struct job_verdict *v)
{
	fprintf(f, "%s %s (%s s)%s%s\n", v->result, name, v->time,
		*v->verdict ? " " : "", v->verdict);
}

void job_console_line(FILE *f, unsigned int n, unsigned int total, int width,
		      const char *name, const struct job_verdict *v)
{
	fprintf(f, "[%0*u/%u] %s ... %s (%s s)\n", width, n, total, name,
		v->result, v->time);
	if (!strcmp(v->result, "pass") || !strcmp(v->result, "skip"))
		return;
	if (*v->verdict)
		fprintf(f, "    %s\n", v->verdict);
	else if (*v->reason)
		fprintf(f, "    %s\n", v->reason);
}
