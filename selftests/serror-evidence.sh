#!/bin/sh
# serror-evidence.sh — an SError panics the board, so the qos verdict
# comes from where a later run can read it: the previous boot's pstore
# records and the run's console log (npu_power_domain@serror-evidence).
#
# vnpu keeps a "ramoops" record of the qos-save-gated-noc SError when
# RKVAL_VNPU_STATE persists its state, and shows it to the next process
# as /sys/fs/pstore/dmesg-ramoops-0.  Checks:
#   - a fresh board: serror-evidence passes;
#   - after a run under qos-save-gated-noc: it fails with qos, naming the
#     pstore record and the QoS save frame; the record is consumed, so the
#     run after passes;
#   - a console log (RKVAL_CONSOLE_LOG) with an SError line: it fails
#     with qos, naming file and line; an unreadable one is an error.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
device=vnpu:rk3568

RKVAL_VNPU_STATE=$tmp/vnpu-state
export RKVAL_VNPU_STATE
unset RKVAL_VNPU_KERNEL RKVAL_VNPU_FAULTS RKVAL_DEVICE RKVAL_CONSOLE_LOG RKVAL_VNPU_MUTATE \
	RKVAL_VNPU_MODEL_MUTATE

# evidence LOG: npu_power_domain@serror-evidence; "RESULT stage" of it.
evidence() {
	# shellcheck disable=SC2086 # the wrapper may be empty
	$exec_prefix "$build/tests/npu_power_domain" --device "$device" \
		--run-subtest serror-evidence > "$1" 2>&1
	subtest_results npu_power_domain "$1" | awk '{ print $2, $3 }'
}

check "fresh board: serror-evidence passes" \
	[ "$(evidence "$tmp/fresh.log")" = "SUCCESS -" ]

# A run that meets the QoS SError (vnpu logs it and goes on; a board panics).
# shellcheck disable=SC2086 # the wrapper may be empty
RKVAL_VNPU_FAULTS=qos-save-gated-noc $exec_prefix "$build/tests/npu_runtime_pm" \
	--device "$device" --run-subtest suspend-after-idle > "$tmp/panic.log" 2>&1
check "the SError left a record for the next boot" [ -s "$RKVAL_VNPU_STATE.pstore" ]
check "next run: serror-evidence fails with qos" \
	[ "$(evidence "$tmp/next.log")" = "FAIL qos" ]
check "the verdict names the pstore record and the QoS save" \
	grep -q '^VERDICT: qos /sys/fs/pstore/dmesg-ramoops-0: "SError Interrupt on CPU0.*rockchip_pmu_save_qos' \
	"$tmp/next.log"
check "the record was consumed: the run after passes" \
	[ "$(evidence "$tmp/after.log")" = "SUCCESS -" ]

printf '[   12.345678] SError Interrupt on CPU2, code 0x00000000bf000002 -- SError\n' \
	> "$tmp/console.log"
check "console log: serror-evidence fails with qos" \
	[ "$(RKVAL_CONSOLE_LOG=$tmp/console.log evidence "$tmp/console-run.log")" = "FAIL qos" ]
check "the verdict names the console log and its line" \
	grep -q "^VERDICT: qos $tmp/console.log:1: " "$tmp/console-run.log"
check "an unreadable console log is an error, not a pass" \
	[ "$(RKVAL_CONSOLE_LOG=$tmp/missing.log evidence "$tmp/missing-run.log")" = "FAIL assert" ]

tap_plan
tap_exit
