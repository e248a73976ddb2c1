#!/bin/sh
# counter-unit.sh — the DDMA counters' unit is UNCONFIRMED, so every
# binary that judges a job by them takes --counter-unit N (bytes per
# count) and applies it: rocket_dma_counters and rocket_stage_probe.
#
# Under mac-output-stall on vnpu:rk3568 (counters count bytes) the stage
# probe's conv-full verdict shows the input read in full with the
# default unit, and twice the input with --counter-unit 2; 0 or a word is
# a usage error (exit 79) in both binaries.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

# Harness exit code for a usage error (IGT igt_core.h).
EXIT_INVALID=79

# probe_input UNIT: "read/expected" input bytes of conv-full's verdict.
probe_input() {
	(
		unset RKVAL_VNPU_KERNEL RKVAL_VNPU_STATE RKVAL_DEVICE IGT_DEVICE
		export RKVAL_VNPU_FAULTS=mac-output-stall
		# shellcheck disable=SC2086 # the wrapper may be empty
		exec $exec_prefix "$build/tests/rocket_stage_probe" --device vnpu:rk3568 \
			--run-subtest conv-full --counter-unit "$1"
	) 2>&1 | sed -n 's/^VERDICT: mac-output-stall conv: input \([0-9]*\/[0-9]*\) B.*/\1/p'
}

one=$(probe_input 1)
two=$(probe_input 2)
read_one=${one%/*} want=${one#*/}
check "stage probe, unit 1: input read in full ($one)" \
	[ -n "$one" ] && [ "$read_one" = "$want" ]
check "stage probe, --counter-unit 2: twice the input ($two)" \
	[ -n "$two" ] && [ "${two%/*}" = "$((read_one * 2))" ]

for bin in rocket_stage_probe rocket_dma_counters; do
	for bad in 0 two; do
		# shellcheck disable=SC2086 # the wrapper may be empty
		$exec_prefix "$build/tests/$bin" --device vnpu:rk3568 --counter-unit "$bad" \
			--list-subtests > /dev/null 2>&1
		rc=$?
		check "$bin --counter-unit $bad is a usage error (exit $rc)" \
			[ "$rc" = "$EXIT_INVALID" ]
	done
done

tap_plan
tap_exit
