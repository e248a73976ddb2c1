# profiles.sh — the judging steps iommu-profiles.sh and power-profiles.sh
# share (POSIX sh, sourced after tap.sh and build-env.sh).
#
# Contract: for a configuration CONFIG the script has written
#   $tmp/CONFIG.res         subtest_results lines of every binary
#   $tmp/CONFIG.expect      "BIN:SUBTEST STAGE" of each expected failure
#   $tmp/CONFIG-BIN.status  the exit status of binary BIN
#   $tmp/CONFIG-BIN.log     its output
# and $bins names the binaries.  Each step prints TAP lines (tap.sh).
# shellcheck disable=SC2154 # tmp is build-env.sh's, bins the script's

# judge_expected_ran CONFIG: every expected failure ran at all.
judge_expected_ran() {
	while read -r id want; do
		grep -q "^$id " "$tmp/$1.res" ||
			not_ok "$1: $id (expected $want) did not run"
	done < "$tmp/$1.expect"
}

# judge_exit_statuses CONFIG: a binary with a failing subtest exits with
# the harness's failure code, one that died in a vnpu panic (a CRASH line,
# selftests/lib/panic.sh) by SIGKILL, any other with success (or skip).
judge_exit_statuses() {
	for bin in $bins; do
		status=$(cat "$tmp/$1-$bin.status")
		if grep -q "^$bin:.* CRASH " "$tmp/$1.res"; then
			want=$((128 + 9))	# the shell's status for SIGKILL
		elif grep -q "^$bin:.* FAIL " "$tmp/$1.res"; then
			want=$EXIT_FAILURE
		else
			want=$EXIT_SUCCESS
		fi
		if [ "$status" = "$want" ] || { [ "$want" = "$EXIT_SUCCESS" ] && [ "$status" = "$EXIT_SKIP" ]; }; then
			ok "$1: $bin exits $status"
		else
			not_ok "$1: $bin exits $status, expected $want"
			sed -e 's/^/# /' "$tmp/$1-$bin.log" | tail -n 20
		fi
	done
}
