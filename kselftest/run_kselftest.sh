#!/bin/sh
# SPDX-License-Identifier: MIT
#
# run_kselftest.sh — run an installed kselftest tree (POSIX sh).
#
# rkval's own version of the kernel's tools/testing/selftests/
# run_kselftest.sh, installed at the top of the tree that
# `make install-kselftest INSTALL_PATH=D` lays out:
#   D/run_kselftest.sh        this script
#   D/kselftest-list.txt      one COLLECTION:TEST per line
#   D/kselftest/runner.sh     run_many/run_one, ktap_helpers.sh
#   D/rkval/                  the test binaries and their settings
# One TAP header and plan for the whole run, results numbered across
# collections, the totals line at the end; exit 1 if a test failed (the
# newer kernel runners' default), 0 otherwise, 2 for a usage error.
#
# Each collection's start is written to the kernel log
# ("kselftest: Running tests in COLLECTION"), as the kernel's runner does
# so dmesg lines can be placed in the run; RKVAL_KSELFTEST_KMSG names
# another file for it (the self-tests use a scratch file).

BASE_DIR=$(cd "$(dirname "$0")" && pwd) || exit 2
export BASE_DIR
LIST=$BASE_DIR/kselftest-list.txt
KMSG=${RKVAL_KSELFTEST_KMSG:-/dev/kmsg}
RUN_FAILED=1
RUN_USAGE=2

# shellcheck source=kselftest/runner.sh
. "$BASE_DIR/kselftest/runner.sh"

usage() {
	cat <<EOF
Usage: $0 [OPTIONS]
  -s | --summary                Print summary with detailed log in output.log
  -t | --test COLLECTION:TEST   Run TEST from COLLECTION
  -c | --collection COLLECTION  Run all tests from COLLECTION
  -l | --list                   List the available collection:test entries
  -d | --dry-run                Don't actually run any tests
  -o | --override-timeout SEC   Override the timeout of every test
  -h | --help                   Show this usage info
EOF
	exit "$1"
}

die() {
	printf '%s: %s\n' "$0" "$*" >&2
	exit "$RUN_USAGE"
}

# The list: COLLECTION:TEST, both plain names (they become paths).
[ -r "$LIST" ] || die "cannot read the list of tests $LIST"
lineno=0
while IFS= read -r entry || [ -n "$entry" ]; do
	lineno=$((lineno + 1))
	case $entry in
	'' | *[!A-Za-z0-9._:-]* | :* | *: | *:*:* | .* | *:.*)
		die "$LIST:$lineno: not a COLLECTION:TEST entry: \"$entry\"" ;;
	*:*) ;;
	*) die "$LIST:$lineno: not a COLLECTION:TEST entry: \"$entry\"" ;;
	esac
done < "$LIST"

selected=
dryrun=
while [ $# -gt 0 ]; do
	case $1 in
	-s | --summary)
		logfile=$BASE_DIR/output.log
		: > "$logfile" || die "cannot write $logfile"
		shift ;;
	-t | --test)
		[ $# -ge 2 ] || usage "$RUN_USAGE"
		grep -qxF -e "$2" "$LIST" || die "No such test '$2'"
		selected="$selected $2"
		shift 2 ;;
	-c | --collection)
		[ $# -ge 2 ] || usage "$RUN_USAGE"
		found=$(grep -e "^$2:" "$LIST" | tr '\n' ' ')
		[ -n "$found" ] || die "No such collection '$2'"
		selected="$selected $found"
		shift 2 ;;
	-l | --list)
		cat "$LIST"
		exit 0 ;;
	-d | --dry-run)
		dryrun=1
		shift ;;
	-o | --override-timeout)
		[ $# -ge 2 ] || usage "$RUN_USAGE"
		case $2 in
		'' | *[!0-9]*) die "--override-timeout: \"$2\" is not a number of seconds" ;;
		esac
		export kselftest_override_timeout="$2"
		shift 2 ;;
	-h | --help)
		usage 0 ;;
	*)
		usage "$RUN_USAGE" ;;
	esac
done
[ -n "$selected" ] || selected=$(tr '\n' ' ' < "$LIST")

total=0
collections=
for entry in $selected; do
	total=$((total + 1))
	case " $collections " in
	*" ${entry%%:*} "*) ;;
	*) collections="$collections ${entry%%:*}" ;;
	esac
done

ktap_print_header
ktap_set_plan "$total"
for collection in $collections; do
	tests=
	for entry in $selected; do
		[ "${entry%%:*}" = "$collection" ] && tests="$tests ${entry#*:}"
	done
	if [ -n "$dryrun" ]; then
		for t in $tests; do
			ktap_print_msg "dry run: selftests: $collection: $t"
		done
		continue
	fi
	[ -w "$KMSG" ] &&
		printf 'kselftest: Running tests in %s\n' "$collection" >> "$KMSG"
	# shellcheck disable=SC2086 # one word per test name
	run_many "$collection" $tests
done
ktap_print_totals
[ "$KTAP_CNT_FAIL" -eq 0 ] || exit "$RUN_FAILED"
exit 0
