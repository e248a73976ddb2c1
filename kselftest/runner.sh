#!/bin/sh
# SPDX-License-Identifier: MIT
#
# runner.sh — run the tests of one kselftest collection (POSIX sh, sourced
# by run_kselftest.sh with BASE_DIR set to the install tree).
#
# rkval's own runner for the tree `make install-kselftest` lays out, in
# the format of the kernel's tools/testing/selftests/kselftest/runner.sh
# so that tools reading kselftest output read it too:
#   run_many DIR TEST...   run each TEST of collection DIR in turn
#   run_one DIR TEST       "# selftests: DIR: TEST", the test's output
#                          with every line prefixed "# ", then one result
# A collection's optional "settings" file sets timeout=SECONDS (default
# 45, kselftest_override_timeout beats it); KSELFTEST_<NAME>_ARGS gives a
# test its arguments (NAME: the test's name upper-cased, every other
# character than A-Z, 0-9 and _ turned into _).  Exit status to result:
# 0 ok, 4 ok # SKIP, 2 ok # XFAIL, a time limit hit not ok # TIMEOUT,
# anything else not ok # exit=N.
#
# Like the kernel's runner it exports kselftest_default_timeout, which
# rkval's binaries take as "speak KTAP, exit with kselftest codes".
# Optional tools degrade: busybox timeout (exits 128+SIGTERM when the
# limit hit), no timeout at all (no limit, with a warning).

# shellcheck source=kselftest/ktap_helpers.sh
. "$BASE_DIR/kselftest/ktap_helpers.sh"

export kselftest_default_timeout=45
# coreutils timeout(1) exits 124 when the limit hit; busybox's dies
# 128+SIGTERM; with -k, 128+SIGKILL for a test that ignored SIGTERM.
TIMEOUT_RC=124
TIMEOUT_TERM_RC=143
TIMEOUT_KILL_RC=137
# Seconds between the limit's SIGTERM and SIGKILL.  (busybox's timeout
# signals the test alone, not its children.)
KILL_AFTER_S=5
# run_kselftest.sh -s: the tests' output goes to this file, not stdout.
logfile=${logfile:-}

if timeout --version 2> /dev/null | grep -q coreutils; then
	timeout_kind=coreutils
elif command -v timeout > /dev/null 2>&1; then
	timeout_kind=busybox
else
	timeout_kind=none
fi

# tap_timeout SECONDS CMD...: CMD under the time limit, if one can be set
tap_timeout() {
	tt_s=$1
	shift
	case $timeout_kind in
	# Unlike the kernel's runner, without --foreground: then timeout(1)
	# signals the test's whole process group, so a child the test left
	# behind cannot hold the output pipe open past the limit.
	coreutils | busybox) timeout -k "$KILL_AFTER_S" "$tt_s" "$@" ;;
	*) "$@" ;;
	esac
}

# is_timeout RC: did RC come from the time limit?
is_timeout() {
	case $timeout_kind:$1 in
	coreutils:"$TIMEOUT_RC" | coreutils:"$TIMEOUT_KILL_RC") return 0 ;;
	busybox:"$TIMEOUT_TERM_RC" | busybox:"$TIMEOUT_KILL_RC") return 0 ;;
	esac
	return 1
}

# read_settings FILE: set kselftest_timeout from FILE's timeout= line
read_settings() {
	rs_line=0
	while IFS= read -r rs_text || [ -n "$rs_text" ]; do
		rs_line=$((rs_line + 1))
		case $rs_text in
		'#'* | '') continue ;;
		timeout=*)
			rs_value=${rs_text#timeout=}
			case $rs_value in
			'' | *[!0-9]*)
				ktap_print_msg "Warning: $1:$rs_line: timeout \"$rs_value\" is not a number of seconds, ignored" ;;
			*) kselftest_timeout=$rs_value ;;
			esac ;;
		*=*) ;;	# other fields: none used, as in the kernel's runner
		*) ktap_print_msg "Warning: $1:$rs_line: not field=value, ignored" ;;
		esac
	done < "$1"
}

# args_variable NAME: KSELFTEST_<NAME>_ARGS for test NAME
args_variable() {
	printf 'KSELFTEST_%s_ARGS\n' \
		"$(printf '%s' "$1" | tr '[:lower:]' '[:upper:]' | tr -c '[:upper:][:digit:]_' '_')"
}

# run_one DIR TEST
run_one() {
	ro_dir=$1 ro_test=$2
	ro_desc="selftests: $ro_dir: $ro_test"

	kselftest_timeout=$kselftest_default_timeout
	[ -r "$BASE_DIR/$ro_dir/settings" ] &&
		read_settings "$BASE_DIR/$ro_dir/settings"
	if [ -n "${kselftest_override_timeout:-}" ]; then
		kselftest_timeout=$kselftest_override_timeout
		ktap_print_msg "overriding timeout to $kselftest_timeout"
	else
		ktap_print_msg "timeout set to $kselftest_timeout"
	fi
	ro_var=$(args_variable "$ro_test")
	ro_args=
	eval "ro_args=\${$ro_var:-}"

	ktap_print_msg "$ro_desc"
	if [ ! -e "$BASE_DIR/$ro_dir/$ro_test" ]; then
		ktap_print_msg "Warning: file $ro_test is missing!"
		ktap_test_fail "$ro_desc"
		return
	fi
	if [ ! -x "$BASE_DIR/$ro_dir/$ro_test" ]; then
		ktap_print_msg "Warning: file $ro_test is not executable"
		ktap_test_fail "$ro_desc"
		return
	fi
	[ "$timeout_kind" = none ] &&
		ktap_print_msg "Warning: no timeout(1): $ro_test runs without a time limit"

	# The test's output goes to fd 4 (stdout, or the -s log), its status
	# crosses the prefixing pipe on fd 3.  Not reopening /dev/stdout: a
	# second open of a regular file would write over the runner's lines.
	if [ -n "$logfile" ]; then
		exec 4>> "$logfile"
	else
		exec 4>&1
	fi
	# shellcheck disable=SC2086 # KSELFTEST_<NAME>_ARGS is a word list
	ro_rc=$( { { cd "$BASE_DIR/$ro_dir" &&
		tap_timeout "$kselftest_timeout" "./$ro_test" $ro_args 2>&1
		printf '%s\n' "$?" >&3; } |
		sed -e 's/^/# /' >&4; } 3>&1)
	exec 4>&-

	case $ro_rc in
	"$KSFT_PASS") ktap_test_pass "$ro_desc" ;;
	"$KSFT_SKIP") ktap_test_skip "$ro_desc" ;;
	"$KSFT_XFAIL") ktap_test_xfail "$ro_desc" ;;
	*)
		if is_timeout "$ro_rc"; then
			ktap_test_fail "$ro_desc" "TIMEOUT $kselftest_timeout seconds"
		else
			ktap_test_fail "$ro_desc" "exit=$ro_rc"
		fi ;;
	esac
}

# run_many DIR TEST...
run_many() {
	rm_dir=$1
	shift
	for rm_test in "$@"; do
		run_one "$rm_dir" "$rm_test"
	done
}
