// SPDX-License-Identifier: MIT
/*
 * regex_scan — unit tests of lib/util/regex_scan, the one tokenizer of
 * POSIX extended regexes behind both ignore-regex rewriters (the harness's
 * igt_dmesg_regex_portable and vnpu's host-log anchor widening): bracket
 * expressions with a leading literal "]", character classes, escapes, and
 * every way a bracket expression can be left open.  Then the harness's
 * rewriter on the cases its old bracket walk got wrong.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "harness/igt_internal.h"
#include "util/regex_scan.h"

/* token RE: length and kind of the first token of RE */
static void token(const char *re, size_t want_len, enum regex_token want_kind,
		  const char *what)
{
	enum regex_token kind = REGEX_TOKEN_CHAR;
	size_t len = regex_token(re, &kind);

	UNIT_CHECK(len == want_len && (want_len == 0 || kind == want_kind),
		   "%s: \"%s\" is %zu byte(s) of kind %d (got %zu, kind %d)",
		   what, re, want_len, want_kind, len, kind);
}

static void test_errors(void)
{
	token("[", 0, REGEX_TOKEN_BRACKET, "unterminated: a lone [");
	token("[abc", 0, REGEX_TOKEN_BRACKET, "unterminated: [abc");
	token("[^", 0, REGEX_TOKEN_BRACKET, "unterminated: [^");
	token("[]", 0, REGEX_TOKEN_BRACKET, "unterminated: [] (its ] is a literal)");
	token("[^]", 0, REGEX_TOKEN_BRACKET, "unterminated: [^] (its ] is a literal)");
	token("[[:alpha:]", 0, REGEX_TOKEN_BRACKET, "unterminated: a class, no closing ]");
	token("[[:alpha]", 0, REGEX_TOKEN_BRACKET, "unterminated: a class without :]");
	token("[[=e]", 0, REGEX_TOKEN_BRACKET, "unterminated: an equivalence class without =]");
	token("[[.-]", 0, REGEX_TOKEN_BRACKET, "unterminated: a collating symbol without .]");
}

static void test_tokens(void)
{
	token("[]]x", 3, REGEX_TOKEN_BRACKET, "[]]: a leading ] is a member");
	token("[^]]x", 4, REGEX_TOKEN_BRACKET, "[^]]: a leading ] after ^ is a member");
	token("[]a]x", 4, REGEX_TOKEN_BRACKET, "[]a]: ] then a");
	token("[[:alpha:]]x", 11, REGEX_TOKEN_BRACKET, "[[:alpha:]]: a class inside");
	token("[[:alpha:]\\[]x", 13, REGEX_TOKEN_BRACKET,
	      "[[:alpha:]\\[]: the class's ] does not end the expression");
	token("[^[:digit:]-]x", 13, REGEX_TOKEN_BRACKET, "[^[:digit:]-]: negated, class, -");
	token("[[=e=][.-.]]x", 12, REGEX_TOKEN_BRACKET, "[[=e=][.-.]]: equivalence class, collating symbol");
	token("[a[b]x", 5, REGEX_TOKEN_BRACKET, "[a[b]: a [ without : = . is a member");
	token("[\\]x", 3, REGEX_TOKEN_BRACKET, "[\\]: the backslash is the member");
	token("[a\\]x", 4, REGEX_TOKEN_BRACKET,
	      "[a\\]: a backslash is literal in a bracket, the ] closes it");
	token("\\[x", 2, REGEX_TOKEN_ESCAPE, "\\[: an escape, no bracket");
	token("\\\\[ab]", 2, REGEX_TOKEN_ESCAPE, "\\\\: an escaped backslash is one token");
	token("\\", 1, REGEX_TOKEN_ESCAPE, "a trailing lone backslash");
	token("]x", 1, REGEX_TOKEN_CHAR, "] outside a bracket is a character");
	token("^x", 1, REGEX_TOKEN_CHAR, "^ is a character token");
}

/* portable RE WANT: the harness's rewriter of RE gives WANT */
static void portable(const char *re, const char *want)
{
	char out[256];

	igt_dmesg_regex_portable(re, out, sizeof(out));
	UNIT_CHECK(!strcmp(out, want), "portable \"%s\" is \"%s\" (got \"%s\")",
		   re, want, out);
}

static void test_portable(void)
{
	portable("\\[ cut here \\]", "[[] cut here []]");
	portable("[]]x\\+", "[]]x[+]");
	portable("[^]]\\.", "[^]][.]");
	portable("[[:alpha:]\\[]", "[[:alpha:]\\[]");
	portable("\\\\[ab]\\.", "\\\\[ab][.]");
	portable("a\\d\\^", "a\\d\\^");
	portable("[abc\\+", "[abc\\+");
	portable("x\\", "x\\");
}

int main(void)
{
	test_errors();
	test_tokens();
	test_portable();
	return unit_done();
}
