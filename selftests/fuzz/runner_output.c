// SPDX-License-Identifier: MIT
/*
 * runner_output — bounded fuzzer of the runner's readers of what a
 * subtest leaves behind (lib/runner/): out.txt and err.txt
 * (job_output_parse(), job_stderr_noise()), dmesg.txt (kmsg_scan_*()) and
 * result.txt (job_result_parse()), following selftests/fuzz/README.md.
 *
 * Each iteration picks a subtest name SUB and a dynamic subtest name DYN
 * (the same, prefixes of each other or unrelated) and builds a text of
 * 0..MAX_LINES lines from what these readers react to: IGT's start and
 * result lines, VERDICT, Backend, requirement and errno lines, kernel-log
 * records in /dev/kmsg and `dmesg -r` form (subtest markers, ignore
 * regexes, some of which do not compile, warnings, a panic, an SError, the
 * QoS frame), result.txt lines, random bytes and lines of up to
 * LONG_LINE_MAX bytes; NUL and '\r' bytes are sprinkled in and the last
 * newline is sometimes missing.  Every reader gets the same bytes, each
 * through a fresh struct job_text.
 *
 * Rules (a broken one is a defect):
 *  1. no crash; under the sanitizer build no memory error or leak either;
 *  2. every string of struct job_output and struct job_verdict is set,
 *     and job_result_parse() finds a result when there is a line;
 *  3. job_output: the verdict is "" or a VERDICT line; for JOB_SUB a
 *     result comes from a complete line "Subtest SUB: ..."; for JOB_WHOLE
 *     the result is one of IGT's five words;
 *  4. kmsg_scan_warnings: the same count with and without a FILE, the
 *     FILE gets that many lines, no more than the log's complete lines;
 *  5. kmsg_scan_panic: a line number for each string found, in range, and
 *     the strings start with their marks;
 *  6. result.txt round trip: job_result_write() then job_result_parse()
 *     gives back result, reason, verdict and time.
 * The complete lines of a text are counted here, not with job_text: a
 * line ends with '\n' and a last line without one is no line
 * (job_text.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "runner/job_classify.h"
#include "runner/job_output.h"
#include "runner/job_record.h"
#include "runner/job_text.h"
#include "runner/kmsg_scan.h"

#define FUZZ_NAME	"runner_output"
#define MAX_LINES	40
#define LONG_LINE_MAX	4096
/* A long random line with a long tail still fits, its newline too. */
#define LINE_CAP	(2 * LONG_LINE_MAX + 512)
#define TEXT_CAP	((MAX_LINES + 1) * LINE_CAP)
/* Inputs quoted on stderr: the first few defects, and not all of them. */
#define QUOTED_DEFECTS	5
#define QUOTE_MAX	1024
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static struct fuzz fz;

/*
 * How often the readers found something: a fuzzer whose inputs never
 * reach a result line or a warning checks nothing.
 */
static struct {
	unsigned long result[3];	/* by kind: JOB_SUB, JOB_DYN, JOB_WHOLE */
	unsigned long dyn_missing, verdict;
	unsigned long backend, noise, warnings, panic, serror, qos;
} seen;

/* The names of this iteration (make_text()). */
static const char *sub, *dyn;

/* An iteration's input: the bytes every reader gets. */
struct input {
	char b[TEXT_CAP];
	size_t len;
	unsigned int lines;	/* complete lines, counted here */
};

/*
 * Valid names ([A-Za-z0-9_-]) that are prefixes of one another: a reader
 * that matched "Subtest a" without the ": " would take "a-b"'s result.
 */
static const char *const names[] = {
	"a", "a-b", "a_b", "ab", "basic", "basic-1", "B9", "x-1-y",
};

static const char *const result_words[] = {
	"SUCCESS", "FAIL", "SKIP", "CRASH", "TIMEOUT", "success", "WARN", "",
	"SUCCESS:", "PASS",
};

/* What follows the result word: the time, or a broken form of it. */
static const char *const result_tails[] = {
	" (0.123s)", " (1.000s)", " (12.5s)", "", " (0.123", " 0.5s)", " (s)",
	" ()", "(2.5s)", " (0.1s) more", " ((1s))", " (1e9s)", " (", " s)",
};

static const char *const igt_misc[] = {
	"VERDICT: stage facts", "foo:VERDICT: x", "VERDICT:", "Backend: vnpu",
	"Backend: rocket rk3588", "Test requirement not met in function f, file x.c:12:",
	"Test requirement: fd >= 0", "Last errno: 2, No such file or directory",
	"Subtest", "Starting ", "Dynamic subtest ", "igt_core-INFO: done:", ":",
	"", "IGT-Version: 1.28", "Received signal SIGSEGV.", "Stack trace:",
};

static const char *const result_txt[] = {
	"pass", "fail", "skip", "crash", "timeout", "dmesg-warn", "reason: ",
	"reason: it broke", "time: 1.5", "time: ", "time:1", "exit: 0",
	"exit: 139", "VERDICT: x", "reason:x",
};

static const char *const kmsg_flags[] = {
	"-", "c", "c,x", "-,x", "", "c,", "x,c", "cc",
};

static const char *const kmsg_bad_prio[] = {
	"", "x", "-1", "4a", " 4", "+4", "4 ", "0x4",
};

/* Regex characters: enough metacharacters that some do not compile. */
static const char regex_chars[] = "()[]{}*+?|^$\\.ab1,9 -:";

/* Bytes a line's random part is made of, besides any byte at all. */
static const char odd_bytes[] = {
	'\0', '\r', '\t', ' ', ':', ';', ',', '<', '>', '[', ']', '(', ')',
	'-', 'c', '4', 's', '.',
};

/* ---- building the input ---- */

struct line {
	char b[LINE_CAP];
	size_t n;
};

static void line_add(struct line *l, const void *p, size_t len)
{
	if (len > sizeof(l->b) - l->n)
		len = sizeof(l->b) - l->n;
	memcpy(l->b + l->n, p, len);
	l->n += len;
}

static __attribute__((format(printf, 2, 3)))
void line_addf(struct line *l, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		line_add(l, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static const char *pick(const char *const *list, size_t n)
{
	return list[fuzz_below(&fz, (uint32_t)n)];
}

#define PICK(list)	pick(list, ARRAY_SIZE(list))

/* A byte of a random line: an odd byte or any byte, rarely a '\n'. */
static char random_byte(void)
{
	char c;

	if (fuzz_below(&fz, 2))
		return odd_bytes[fuzz_below(&fz, sizeof(odd_bytes))];
	c = (char)fuzz_below(&fz, 256);
	/* one byte in 1024 a newline: a random line stays mostly one line */
	return c == '\n' && fuzz_below(&fz, 2) ? ' ' : c;
}

static void add_random(struct line *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = random_byte();

		line_add(l, &c, 1);
	}
}

/* Mostly SUB, sometimes DYN or another name, as IGT prints a neighbour's. */
static const char *pick_name(void)
{
	switch (fuzz_below(&fz, 4)) {
	case 0:
	case 1:
		return sub;
	case 2:
		return dyn;
	default:
		return PICK(names);
	}
}

/* "WORD (T.TTTs)", the word or the time broken now and then. */
static void add_result(struct line *l)
{
	if (!fuzz_below(&fz, 8))
		add_random(l, 1 + fuzz_below(&fz, 8));
	else
		line_addf(l, "%s", PICK(result_words));
	line_addf(l, "%s", PICK(result_tails));
}

/*
 * Patterns with a back-reference on which glibc's matcher recurses
 * without bound (CVE-2019-9192): lib/runner must refuse them, not crash.
 */
static const char *const deep_regexes[] = {
	"()(\\1\\1)*", "(|)(\\1\\1)*", "(a|)(\\1\\1)*", "(|)(\\1\\1)+",
};

static void add_regex(struct line *l)
{
	unsigned int n = fuzz_below(&fz, 13);

	if (!fuzz_below(&fz, 16)) {
		line_addf(l, "%s", PICK(deep_regexes));
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		line_add(l, &regex_chars[fuzz_below(&fz, sizeof(regex_chars) - 1)], 1);
}

/* The text of a kernel-log record. */
static void add_kmsg_text(struct line *l)
{
	switch (fuzz_below(&fz, 10)) {
	case 0:
		line_addf(l, "[IGT] bin: starting subtest %s", pick_name());
		break;
	case 1:
		line_addf(l, "[IGT] bin: starting dynamic subtest %s", pick_name());
		break;
	case 2:
	case 3:
		line_addf(l, "%sadd ignored dmesg regex: ",
			  fuzz_below(&fz, 4) ? "[IGT] bin: " : "");
		add_regex(l);
		break;
	case 4:
		line_addf(l, "WARNING: at x");
		break;
	case 5:
		line_addf(l, "Kernel panic - not syncing: Asynchronous SError Interrupt");
		break;
	case 6:
		line_addf(l, "SError Interrupt on CPU0, code 0x0 -- SError");
		break;
	case 7:
		line_addf(l, "rockchip_pmu_save_qos+0x10/0x40");
		break;
	default:
		add_random(l, fuzz_below(&fz, 40));
		break;
	}
}

static void add_kmsg_prio(struct line *l)
{
	switch (fuzz_below(&fz, 8)) {
	case 0:		/* more digits than any integer holds */
		for (unsigned int i = 20 + fuzz_below(&fz, 41); i; i--)
			line_addf(l, "%u", fuzz_below(&fz, 10));
		break;
	case 1:
		line_addf(l, "%s", PICK(kmsg_bad_prio));
		break;
	default:
		line_addf(l, "%u", fuzz_below(&fz, 201));
		break;
	}
}

/* A kernel-log record: /dev/kmsg's or `dmesg -r`'s, or a broken one. */
static void add_kmsg(struct line *l)
{
	if (fuzz_below(&fz, 2)) {
		add_kmsg_prio(l);
		line_addf(l, ",%u,%llu,%s", fuzz_below(&fz, 1000),
			  (unsigned long long)fuzz_below(&fz, 100000000),
			  PICK(kmsg_flags));
		if (fuzz_below(&fz, 16))
			line_add(l, ";", 1);
	} else {
		line_add(l, "<", 1);
		add_kmsg_prio(l);
		switch (fuzz_below(&fz, 6)) {
		case 0:		/* "<4>" and the text: no "] " */
			line_add(l, ">", 1);
			break;
		case 1:		/* no '>' */
			line_addf(l, "[%5u.%06u] ", fuzz_below(&fz, 100000),
				  fuzz_below(&fz, 1000000));
			break;
		default:
			line_addf(l, ">[%5u.%06u] ", fuzz_below(&fz, 100000),
				  fuzz_below(&fz, 1000000));
			break;
		}
	}
	add_kmsg_text(l);
}

/* One line of the vocabulary, or random bytes. */
static void make_line(struct line *l)
{
	switch (fuzz_below(&fz, 20)) {
	case 0:
		line_addf(l, "Starting subtest: %s", pick_name());
		break;
	case 1:
		line_addf(l, "Starting dynamic subtest: %s", pick_name());
		break;
	case 2:
	case 3:
		line_addf(l, "Subtest %s: ", pick_name());
		add_result(l);
		break;
	case 4:
		line_addf(l, "Dynamic subtest %s: ", pick_name());
		add_result(l);
		break;
	case 5:
		add_result(l);
		break;
	case 6:
	case 7:
		line_addf(l, "%s", PICK(igt_misc));
		break;
	case 8:		/* a line ending with ':' */
		add_random(l, fuzz_below(&fz, 12));
		line_add(l, ":", 1);
		break;
	case 9:
	case 10:
	case 11:
	case 12:
	case 13:
		add_kmsg(l);
		break;
	case 14:
	case 15:
		line_addf(l, "%s", PICK(result_txt));
		break;
	case 16:
		add_random(l, 1 + fuzz_below(&fz, LONG_LINE_MAX));
		break;
	default:
		add_random(l, fuzz_below(&fz, 80));
		break;
	}
	/* A long tail, a stray byte, a '\r' before the newline. */
	if (!fuzz_below(&fz, 16)) {
		size_t n = 1 + fuzz_below(&fz, LONG_LINE_MAX);

		if (fuzz_below(&fz, 2)) {
			char c = (char)('A' + fuzz_below(&fz, 26));

			while (n--)
				line_add(l, &c, 1);
		} else {
			add_random(l, n);
		}
	}
	if (l->n && !fuzz_below(&fz, 12)) {
		size_t at = fuzz_below(&fz, (uint32_t)l->n + 1);
		char c = odd_bytes[fuzz_below(&fz, 3)];	/* NUL, '\r', '\t' */

		if (l->n < sizeof(l->b)) {
			memmove(l->b + at + 1, l->b + at, l->n - at);
			l->b[at] = c;
			l->n++;
		}
	}
	if (!fuzz_below(&fz, 12))
		line_add(l, "\r", 1);
}

/* The complete lines of @in: each ends with a '\n'. */
static unsigned int complete_lines(const struct input *in)
{
	unsigned int n = 0;

	for (size_t i = 0; i < in->len; i++)
		n += in->b[i] == '\n';
	return n;
}

static void make_text(struct input *in)
{
	unsigned int lines = fuzz_below(&fz, MAX_LINES + 1);
	static struct line l;

	sub = PICK(names);
	switch (fuzz_below(&fz, 4)) {
	case 0:
		dyn = sub;
		break;
	case 1:		/* a prefix of SUB or SUB a prefix of DYN, if any */
		dyn = !strcmp(sub, "a") ? "a-b" : !strcmp(sub, "a-b") ? "a" :
		      !strcmp(sub, "basic") ? "basic-1" : "basic";
		break;
	default:
		dyn = PICK(names);
		break;
	}
	in->len = 0;
	for (unsigned int i = 0; i < lines; i++) {
		l.n = 0;
		make_line(&l);
		/* the last line of a process killed as it wrote */
		if (i + 1 < lines || fuzz_below(&fz, 4))
			line_add(&l, "\n", 1);
		if (l.n > sizeof(in->b) - in->len)
			break;
		memcpy(in->b + in->len, l.b, l.n);
		in->len += l.n;
	}
	in->lines = complete_lines(in);
}

/* ---- what the input holds, found here ---- */

/* A complete line of @in starts with @prefix. */
static bool has_line_starting(const struct input *in, const char *prefix)
{
	size_t plen = strlen(prefix), start = 0;
	const char *nl;

	while (start < in->len &&
	       (nl = memchr(in->b + start, '\n', in->len - start))) {
		size_t len = (size_t)(nl - in->b) - start;

		if (len >= plen && !memcmp(in->b + start, prefix, plen))
			return true;
		start += len + 1;
	}
	return false;
}

/* @len bytes at @b on stderr, escaped, for the first defects only. */
static void quote(const char *what, const char *b, size_t len)
{
	size_t n = len;

	if (fz.defects > QUOTED_DEFECTS)
		return;
	/* an if, not a ?: min, which cppcheck 2.10 misreads as "n < 1" */
	if (n > QUOTE_MAX)
		n = QUOTE_MAX;
	fprintf(stderr, "%s:   %s, SUB \"%s\" DYN \"%s\", %zu bytes: \"", FUZZ_NAME,
		what, sub, dyn, len);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c == '\n')
			fputs("\\n", stderr);
		else if (c == '\\' || c == '"')
			fprintf(stderr, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(stderr, "\\x%02x", c);
		else
			fputc(c, stderr);
	}
	fprintf(stderr, "\"%s\n", n < len ? "..." : "");
}

/* A broken rule, and what broke it: the input, or NULL for none. */
static __attribute__((format(printf, 2, 3)))
void defect(const struct input *in, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fuzz_defect(&fz, "%s", buf);
	if (in)
		quote("input", in->b, in->len);
}

/* ---- the readers ---- */

static bool is_igt_result(const char *word)
{
	static const char *const words[] = {
		"SUCCESS", "FAIL", "SKIP", "CRASH", "TIMEOUT",
	};

	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (!strcmp(word, words[i]))
			return true;
	return false;
}

static void check_output(const struct input *in)
{
	static const enum job_kind kinds[] = { JOB_SUB, JOB_DYN, JOB_WHOLE };
	static const char *const kind_names[] = { "sub", "dyn", "whole" };
	char *backend = NULL;
	char *result_sub = str_printf("Subtest %s: ", sub);
	bool have_result_sub = has_line_starting(in, result_sub);

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		struct job_output o;
		struct job_text t;

		job_text_from(&t, in->b, in->len);
		job_output_parse(&o, &t, kinds[k], sub, dyn, &backend);
		job_text_free(&t);
		if (!o.result_word || !o.result_time || !o.verdict ||
		    !o.last_line || !o.nodyn) {
			defect(in, "job_output_parse(%s): a string field is NULL",
			       kind_names[k]);
			job_output_free(&o);
			continue;
		}
		seen.result[k] += *o.result_word != '\0';
		seen.dyn_missing += *o.nodyn != '\0';
		seen.verdict += *o.verdict != '\0';
		if (*o.verdict && !strstr(o.verdict, "VERDICT:"))
			defect(in, "job_output_parse(%s): verdict \"%.80s\" is no VERDICT line",
			       kind_names[k], o.verdict);
		if (kinds[k] == JOB_SUB && *o.result_word && !have_result_sub)
			defect(in, "job_output_parse(sub): result \"%.80s\" without a line \"%s\"",
			       o.result_word, result_sub);
		if (kinds[k] == JOB_WHOLE && *o.result_word &&
		    !is_igt_result(o.result_word))
			defect(in, "job_output_parse(whole): result \"%.80s\" is not IGT's",
			       o.result_word);
		job_output_free(&o);
	}
	seen.backend += backend != NULL;
	free(backend);
	free(result_sub);
}

/* err.txt: nothing to hold it to but the rules every reader keeps. */
static void check_noise(const struct input *in)
{
	struct job_text t;

	job_text_from(&t, in->b, in->len);
	seen.noise += job_stderr_noise(&t, sub);
	job_text_free(&t);
}

static void check_warnings(const struct input *in)
{
	unsigned int n_null, n_file, n_out = 0;
	struct job_text t;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	job_text_from(&t, in->b, in->len);
	n_null = kmsg_scan_warnings(&t, NULL);
	job_text_free(&t);

	mem = open_memstream(&buf, &len);
	if (!mem) {
		defect(NULL, "open_memstream failed");
		return;
	}
	job_text_from(&t, in->b, in->len);
	n_file = kmsg_scan_warnings(&t, mem);
	job_text_free(&t);
	if (fclose(mem)) {
		defect(NULL, "the warnings' memory stream failed");
		free(buf);
		return;
	}
	for (size_t i = 0; i < len; i++)
		n_out += buf[i] == '\n';
	seen.warnings += n_file > 0;
	if (n_null != n_file)
		defect(in, "kmsg_scan_warnings: %u warnings without a FILE, %u with one",
		       n_null, n_file);
	if (n_out != n_file || (len && buf[len - 1] != '\n'))
		defect(in, "kmsg_scan_warnings: %u warnings, %u lines written (%zu bytes)",
		       n_file, n_out, len);
	if (n_file > in->lines)
		defect(in, "kmsg_scan_warnings: %u warnings in %u lines", n_file,
		       in->lines);
	free(buf);
}

static void check_panic(const struct input *in)
{
	struct kmsg_panic p;
	struct job_text t;

	job_text_from(&t, in->b, in->len);
	kmsg_scan_panic(&t, &p);
	job_text_free(&t);
	seen.panic += p.panic != NULL;
	seen.serror += p.serror != NULL;
	seen.qos += p.qos_frame != 0;
	if (!p.panic && p.panic_line)
		defect(in, "kmsg_scan_panic: panic_line %u without a panic",
		       p.panic_line);
	if (!p.serror && p.serror_line)
		defect(in, "kmsg_scan_panic: serror_line %u without an SError",
		       p.serror_line);
	if (p.panic && (!p.panic_line || p.panic_line > in->lines ||
			!str_starts(p.panic, KMSG_PANIC_MARK)))
		defect(in, "kmsg_scan_panic: panic at line %u of %u: \"%.80s\"",
		       p.panic_line, in->lines, p.panic);
	if (p.serror && (!p.serror_line || p.serror_line > in->lines ||
			 !str_starts(p.serror, KMSG_SERROR_MARK)))
		defect(in, "kmsg_scan_panic: SError at line %u of %u: \"%.80s\"",
		       p.serror_line, in->lines, p.serror);
	kmsg_panic_free(&p);
}

static bool verdict_set(const struct job_verdict *v)
{
	return v->result && v->reason && v->verdict && v->time;
}

static void check_result_txt(const struct input *in)
{
	struct job_verdict v;
	struct job_text t;
	bool found;

	job_text_from(&t, in->b, in->len);
	found = job_result_parse(&t, &v);
	job_text_free(&t);
	if (!verdict_set(&v))
		defect(in, "job_result_parse: a string field is NULL");
	/* job_record.h: false when the file holds no line */
	if (found != (in->lines > 0))
		defect(in, "job_result_parse: returned %d for %u lines", found,
		       in->lines);
	job_verdict_free(&v);
}

/* ---- the result.txt round trip ---- */

/* @prefix and up to @max random bytes, no '\n' (a line of result.txt). */
static char *random_field(const char *prefix, unsigned int max)
{
	struct line l = { .n = 0 };
	unsigned int n = fuzz_below(&fz, max + 1);

	line_addf(&l, "%s", prefix);
	for (unsigned int i = 0; i < n; i++) {
		char c;

		switch (fuzz_below(&fz, 4)) {
		case 0:		/* any byte a C string can hold */
			c = (char)(1 + fuzz_below(&fz, 255));
			break;
		case 1:		/* odd_bytes but the NUL */
			c = odd_bytes[1 + fuzz_below(&fz, sizeof(odd_bytes) - 1)];
			break;
		default:
			c = (char)(' ' + fuzz_below(&fz, 95));
			break;
		}
		if (c == '\n')
			c = ' ';
		line_add(&l, &c, 1);
	}
	l.b[l.n < sizeof(l.b) ? l.n : sizeof(l.b) - 1] = '\0';
	return strdup(l.b);
}

/* The result line: never empty, never another line's prefix. */
static char *random_result(void)
{
	static const char *const near[] = {
		"", "reason:", "time:", "exit:", "VERDICT: ", "pass", "reason",
	};
	char *r = random_field(PICK(near), 12), *fixed;

	if (!r || (*r && !str_starts(r, "reason: ") && !str_starts(r, "time: ") &&
		   !str_starts(r, "exit: ")))
		return r;
	fixed = str_printf("x%s", r);
	free(r);
	return fixed;
}

static bool same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static const char *or_null(const char *s)
{
	return s ? s : "(null)";
}

static void check_round_trip(void)
{
	struct job_verdict w, r;
	struct job_text t;
	char *buf = NULL, *rc;
	size_t len = 0;
	FILE *mem;

	w.result = random_result();
	w.reason = fuzz_below(&fz, 3) ? random_field("", 60) : strdup("");
	w.verdict = fuzz_below(&fz, 3) ? random_field("VERDICT: ", 60) : strdup("");
	w.time = random_field(fuzz_below(&fz, 2) ? "1." : "", 8);
	rc = random_field("", 4);
	if (!verdict_set(&w) || !rc) {
		defect(NULL, "out of memory");
		goto out;
	}

	mem = open_memstream(&buf, &len);
	if (!mem) {
		defect(NULL, "open_memstream failed");
		goto out;
	}
	job_result_write(mem, &w, rc);
	if (fclose(mem)) {
		defect(NULL, "result.txt's memory stream failed");
		goto out;
	}
	job_text_from(&t, buf, len);
	if (!job_result_parse(&t, &r)) {
		defect(NULL, "job_result_parse: no result in what job_result_write wrote");
		quote("result.txt", buf, len);
	}
	job_text_free(&t);
	if (!same(r.result, w.result) || !same(r.reason, w.reason) ||
	    !same(r.verdict, w.verdict) || !same(r.time, w.time)) {
		defect(NULL, "result.txt round trip: read \"%.40s\" \"%.40s\" \"%.40s\" \"%.20s\"",
		       or_null(r.result), or_null(r.reason), or_null(r.verdict),
		       or_null(r.time));
		quote("result.txt", buf, len);
	}
	job_verdict_free(&r);
out:
	free(buf);
	free(rc);
	job_verdict_free(&w);
}

int main(int argc, char **argv)
{
	static struct input in;

	fuzz_init(&fz, FUZZ_NAME, argc, argv);
	while (fuzz_more(&fz)) {
		make_text(&in);
		check_output(&in);
		check_noise(&in);
		check_warnings(&in);
		check_panic(&in);
		check_result_txt(&in);
		check_round_trip();
		fz.done++;
	}
	/* what the inputs reached, before the contract's last line */
	printf("%s: results sub %lu, dyn %lu (%lu missing), whole %lu; "
	       "verdicts %lu, backends %lu, noise %lu; "
	       "warnings %lu, panics %lu, SErrors %lu, QoS frames %lu\n",
	       FUZZ_NAME, seen.result[0], seen.result[1], seen.dyn_missing,
	       seen.result[2], seen.verdict, seen.backend, seen.noise,
	       seen.warnings, seen.panic, seen.serror, seen.qos);
	return fuzz_finish(&fz);
}
