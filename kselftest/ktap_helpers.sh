#!/bin/sh
# SPDX-License-Identifier: MIT
#
# ktap_helpers.sh — KTAP lines for the kselftest runner (POSIX sh,
# sourced by kselftest/runner.sh).
#
# rkval's own version of the helpers the kernel installs beside its
# runner (tools/testing/selftests/kselftest/ktap_helpers.sh): same
# function names, counters and line formats, written for dash and
# busybox sh.  Result lines are "ok N DESC", "ok N DESC # SKIP",
# "ok N DESC # XFAIL", "not ok N DESC[ # DIRECTIVE]"; N counts across the
# whole run (KTAP_TESTNO), so collections share one plan.

# Exit codes of tools/testing/selftests/kselftest.h.
# shellcheck disable=SC2034 # used by the scripts that source this file
{
	KSFT_PASS=0
	KSFT_FAIL=1
	KSFT_XFAIL=2
	KSFT_XPASS=3
	KSFT_SKIP=4
}

KTAP_TESTNO=1
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_XFAIL=0
KTAP_CNT_SKIP=0

# The kernel's runner prints the TAP 13 header, which ktap.rst says
# parsers accept as a KTAP version line.
ktap_print_header() {
	printf 'TAP version 13\n'
}

ktap_set_plan() {
	printf '1..%s\n' "$1"
}

ktap_print_msg() {
	printf '# %s\n' "$*"
}

# __ktap_result RESULT DESC [DIRECTIVE]
__ktap_result() {
	if [ -n "${3:-}" ]; then
		printf '%s %s %s # %s\n' "$1" "$KTAP_TESTNO" "$2" "$3"
	else
		printf '%s %s %s\n' "$1" "$KTAP_TESTNO" "$2"
	fi
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
}

ktap_test_pass() {
	__ktap_result ok "$1"
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
}

ktap_test_skip() {
	__ktap_result ok "$1" SKIP
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

ktap_test_xfail() {
	__ktap_result ok "$1" XFAIL
	KTAP_CNT_XFAIL=$((KTAP_CNT_XFAIL + 1))
}

# ktap_test_fail DESC [DIRECTIVE-AND-DATA]
ktap_test_fail() {
	__ktap_result "not ok" "$1" "${2:-}"
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
}

ktap_print_totals() {
	printf '# Totals: pass:%s fail:%s xfail:%s xpass:0 skip:%s error:0\n' \
		"$KTAP_CNT_PASS" "$KTAP_CNT_FAIL" "$KTAP_CNT_XFAIL" "$KTAP_CNT_SKIP"
}
