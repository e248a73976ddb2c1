// SPDX-License-Identifier: MIT
/*
 * job_output.c — reading a subtest's out.txt and err.txt (job_output.h).
 *
 * The rules were first written as shell `case` patterns on "KIND:LINE";
 * they are kept as the same patterns, matched with fnmatch(3), so that
 * each rule reads as it is documented.
 */
#include "runner/job_output.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_words[] = {
	[JOB_SUB] = "sub",
	[JOB_DYN] = "dyn",
	[JOB_WHOLE] = "whole",
	[JOB_MALFORMED] = "malformed",
	[JOB_LISTERR] = "listerr",
};

int job_kind_parse(const char *word)
{
	for (size_t i = 0; i < sizeof(kind_words) / sizeof(kind_words[0]); i++)
		if (!strcmp(word, kind_words[i]))
			return (int)i;
	return -1;
}

bool job_name_valid(const char *name)
{
	if (!*name || *name == '-')
		return false;
	return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789_-") == strlen(name);
}

static void set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = strdup(src ? src : "");
}

static bool match(const char *pattern, const char *s)
{
	return fnmatch(pattern, s, 0) == 0;
}

/* "WORD (T.TTTs)" -> result_word WORD, result_time T.TTT */
static void take_result(struct job_output *o, const char *result_line)
{
	const char *space = strchr(result_line, ' ');
	const char *paren = strchr(result_line, '(');
	size_t word_len = space ? (size_t)(space - result_line) : strlen(result_line);
	char *time;
	size_t time_len;

	free(o->result_word);
	o->result_word = strndup(result_line, word_len);
	time = strdup(paren ? paren + 1 : "");
	time_len = time ? strlen(time) : 0;
	if (time_len >= 2 && !strcmp(time + time_len - 2, "s)"))
		time[time_len - 2] = '\0';
	/* not "T.TTT": the runner's wall time stands in (job_classify()) */
	if (time && strspn(time, "0123456789.") != strlen(time))
		time[0] = '\0';
	free(o->result_time);
	o->result_time = time;
}

void job_output_parse(struct job_output *o, struct job_text *out,
		      enum job_kind kind, const char *sub, const char *dyn,
		      char **backend_line)
{
	char *start_sub, *start_dyn, *result_sub, *result_dyn;
	char *composite = NULL, *line;
	size_t cap = 0, len;
	const char *kw = kind_words[kind];

	memset(o, 0, sizeof(*o));
	set_str(&o->result_word, "");
	set_str(&o->result_time, "");
	set_str(&o->verdict, "");
	set_str(&o->last_line, "");
	set_str(&o->nodyn, "");
	start_sub = str_printf("Starting subtest: %s", sub);
	start_dyn = str_printf("Starting dynamic subtest: %s", dyn);
	result_sub = str_printf("Subtest %s: ", sub);
	result_dyn = str_printf("Dynamic subtest %s: ", dyn);

	while (job_text_next(out, &line, &len)) {
		size_t need = strlen(kw) + 1 + len + 1;

		if (need > cap) {
			char *bigger = realloc(composite, need);

			if (!bigger)
				break;
			composite = bigger;
			cap = need;
		}
		snprintf(composite, cap, "%s:%s", kw, line);

		if ((kind == JOB_SUB && !strcmp(line, start_sub)) ||
		    (kind == JOB_DYN && !strcmp(line, start_dyn))) {
			set_str(&o->verdict, "");
			set_str(&o->last_line, "");
		} else if (kind == JOB_SUB && str_starts(line, result_sub)) {
			take_result(o, line + strlen(result_sub));
			break;
		} else if (kind == JOB_DYN && str_starts(line, result_dyn)) {
			take_result(o, line + strlen(result_dyn));
			break;
		} else if (kind == JOB_DYN && str_starts(line, result_sub)) {
			/*
			 * The container ended without running DYN.  Unless
			 * it skipped on a requirement, DYN does not exist: a
			 * test-list typo must fail, as a missing subtest does.
			 */
			take_result(o, line + strlen(result_sub));
			if (strcmp(o->result_word, "FAIL") && !o->requirement) {
				set_str(&o->result_word, "FAIL");
				free(o->nodyn);
				o->nodyn = str_printf("no dynamic subtest %s in %s (not executed)",
						      dyn, sub);
			} else if (!strcmp(o->result_word, "SKIP")) {
				char *why = str_printf("dynamic subtest %s not executed: %s",
						       dyn, o->last_line);

				free(o->last_line);
				o->last_line = why;
			}
			break;
		} else if (kind == JOB_WHOLE &&
			   (match("SUCCESS (*s)", line) || match("FAIL (*s)", line) ||
			    match("SKIP (*s)", line) || match("CRASH (*s)", line) ||
			    match("TIMEOUT (*s)", line))) {
			take_result(o, line);
			break;
		} else if (match("*:VERDICT:*", composite)) {
			set_str(&o->verdict, line);
		} else if (match("*:Backend:*", composite)) {
			if (backend_line && !*backend_line)
				*backend_line = strdup(line);
		} else if (match("*:Test requirement not met*", composite)) {
			o->requirement = true;
		} else if (match("*:", composite) ||
			   match("*:Last errno:*", composite) ||
			   match("*:Starting *", composite) ||
			   match("*:Dynamic subtest *", composite)) {
			;	/* protocol, not a reason */
		} else {
			set_str(&o->last_line, line);
		}
	}
	free(composite);
	free(start_sub);
	free(start_dyn);
	free(result_sub);
	free(result_dyn);
}

void job_output_free(struct job_output *o)
{
	free(o->result_word);
	free(o->result_time);
	free(o->verdict);
	free(o->last_line);
	free(o->nodyn);
	memset(o, 0, sizeof(*o));
}

bool job_stderr_noise(struct job_text *err, const char *sub)
{
	char *result_sub = str_printf("Subtest %s: ", sub);
	bool noise = false;
	char *line;
	size_t len;

	while (job_text_next(err, &line, &len)) {
		if (str_starts(line, result_sub))
			break;
		if (str_starts(line, "Starting subtest: ") ||
		    str_starts(line, "Starting dynamic subtest: ") ||
		    match("Dynamic subtest *: *", line))
			continue;
		noise = true;
		break;
	}
	free(result_sub);
	return noise;
}
