# panic.sh — a subtest that died in a vnpu panic, and the verdict the
# next boot gives it (POSIX sh, sourced after build-env.sh).
#
# A fault that panics the board (vnpu's catalogue: rkval-vnpu-faults
# outcome NAME = panic) kills the test process in the middle of a
# subtest: no result line, the binary's later subtests never run.  With
# RKVAL_VNPU_STATE=STATE the panic left a pstore record beside STATE, which
# the next process (the next boot) shows in /sys/fs/pstore, where
# npu_power_domain@serror-evidence reads it.
# shellcheck disable=SC2154 # build and exec_prefix are build-env.sh's

# died_in LOG: the subtest LOG started and never finished, or nothing.
died_in() {
	awk '/^Starting subtest: / { s = $3 }
		/^Subtest [^ ]+: [A-Z-]+ \(/ { s = "" }
		END { if (s != "") print s }' "$1"
}

# panic_line DEVICE BIN LOG STATE: for a binary that died in a subtest,
# one "BIN:SUBTEST CRASH STAGE" line (subtest_results form).  STAGE is
# the verdict stage of the next boot's serror-evidence on DEVICE, when
# that verdict names this subtest ("during igt@BIN@SUBTEST"), else "-".
panic_line() {
	died=$(died_in "$3")
	[ -n "$died" ] || return 0
	(
		unset RKVAL_VNPU_KERNEL RKVAL_VNPU_FAULTS RKVAL_DEVICE RKVAL_CONSOLE_LOG
		RKVAL_VNPU_STATE=$4
		export RKVAL_VNPU_STATE
		# shellcheck disable=SC2086 # the wrapper may be empty
		exec $exec_prefix "$build/tests/npu_power_domain" --device "$1" \
			--run-subtest serror-evidence
	) > "$3.next-boot" 2>&1
	stage=$(awk -v id="igt@$2@$died" \
		'/^VERDICT: / && index($0, " during " id " ") { print $2; exit }' \
		"$3.next-boot")
	echo "$2:$died CRASH ${stage:--}"
}
