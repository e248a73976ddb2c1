#!/bin/sh
# serror-evidence.sh — an SError panics the board, so the qos verdict
# comes from where a later reader can see it: the previous boot's pstore
# records, the run's console log (npu_power_domain@serror-evidence), or,
# under rkval-run on vnpu, the dead subtest's kernel log.
#
# Under qos-save-gated-noc vnpu panics at the first power-off as the
# kernel would (lib/vnpu/vnpu_panic.c): it prints the SError and the panic
# lines to its kernel log, keeps a ramoops record when RKVAL_VNPU_STATE
# persists its state (shown to the next process as
# /sys/fs/pstore/dmesg-ramoops-0) and kills its own process.  Checks:
#   - a fresh board: serror-evidence passes;
#   - the run that meets the SError dies by SIGKILL in its subtest: no
#     result line, no later subtest; its kernel log holds the SError, the
#     panic and the end-of-panic lines;
#   - it left a ramoops record: "Panic#1 Part1", the subtest's start
#     marker, the SError;
#   - next run: serror-evidence fails with qos, naming the pstore record,
#     the QoS save frame and the subtest that was running; the record is
#     consumed, so the run after passes;
#   - the dead run's kernel log as console log (RKVAL_CONSOLE_LOG): qos,
#     naming file, line and subtest; a console log with only an SError
#     line: qos; an unreadable one is an error;
#   - rkval-run: the subtest is a crash with the qos verdict from its
#     dmesg.txt, naming it, and the run goes on with the next subtest; a
#     panic without an SError gets the panic stage.
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

# A run that meets the QoS SError: a panic ends it.
# shellcheck disable=SC2086 # the wrapper may be empty
RKVAL_VNPU_FAULTS=qos-save-gated-noc RKVAL_VNPU_KMSG=$tmp/panic.kmsg \
	$exec_prefix "$build/tests/npu_runtime_pm" --device "$device" \
	--run-subtest suspend-after-idle,suspend-resume-cycles > "$tmp/panic.log" 2>&1 &
wait $! 2>/dev/null	# dash reports a foreground child's SIGKILL on stderr
status=$?
check "the panicking run dies by SIGKILL (exit status $status)" [ "$status" -eq $((128 + 9)) ]
check "it reports no result for the subtest it died in" \
	sh -c "grep -q '^Starting subtest: suspend-after-idle' '$tmp/panic.log' &&
		! grep -q '^Subtest suspend-after-idle:' '$tmp/panic.log'"
check "the next subtest never ran" \
	sh -c "! grep -q 'suspend-resume-cycles' '$tmp/panic.log'"
check "its kernel log shows the SError" \
	grep -q ';SError Interrupt on CPU0, code 0x[0-9a-f]* -- SError$' "$tmp/panic.kmsg"
check "... then the panic" \
	grep -q ';Kernel panic - not syncing: Asynchronous SError Interrupt$' "$tmp/panic.kmsg"
check "... and last its end" \
	sh -c "tail -n 1 '$tmp/panic.kmsg' | grep -q ';---\[ end Kernel panic - not syncing: Asynchronous SError Interrupt \]---\$'"
check "the SError left a ramoops record for the next boot" \
	[ "$(head -n 1 "$RKVAL_VNPU_STATE.pstore" 2>/dev/null)" = "Panic#1 Part1" ]
check "the record holds the subtest's start marker and the SError" \
	sh -c "grep -q '\\[IGT\\] npu_runtime_pm: starting subtest suspend-after-idle' '$RKVAL_VNPU_STATE.pstore' &&
		grep -q '^<0>\\[ *[0-9.]*\\] SError Interrupt on CPU0' '$RKVAL_VNPU_STATE.pstore'"
check "next run: serror-evidence fails with qos" \
	[ "$(evidence "$tmp/next.log")" = "FAIL qos" ]
check "the verdict names the pstore record, the subtest and the QoS save" \
	grep -q '^VERDICT: qos /sys/fs/pstore/dmesg-ramoops-0: "SError Interrupt on CPU0.* during igt@npu_runtime_pm@suspend-after-idle in rockchip_pmu_save_qos' \
	"$tmp/next.log"
check "the record was consumed: the run after passes" \
	[ "$(evidence "$tmp/after.log")" = "SUCCESS -" ]

check "the dead run's kernel log as console log: qos" \
	[ "$(RKVAL_CONSOLE_LOG=$tmp/panic.kmsg evidence "$tmp/kmsg-run.log")" = "FAIL qos" ]
line=$(grep -n ';SError Interrupt' "$tmp/panic.kmsg" | head -n 1 | cut -d: -f1)
check "... naming file, line and subtest" \
	grep -q "^VERDICT: qos $tmp/panic.kmsg:$line: .* during igt@npu_runtime_pm@suspend-after-idle in rockchip_pmu_save_qos" \
	"$tmp/kmsg-run.log"

printf '[   12.345678] SError Interrupt on CPU2, code 0x00000000bf000002 -- SError\n' \
	> "$tmp/console.log"
check "console log: serror-evidence fails with qos" \
	[ "$(RKVAL_CONSOLE_LOG=$tmp/console.log evidence "$tmp/console-run.log")" = "FAIL qos" ]
check "the verdict names the console log and its line" \
	grep -q "^VERDICT: qos $tmp/console.log:1: " "$tmp/console-run.log"
check "an unreadable console log is an error, not a pass" \
	[ "$(RKVAL_CONSOLE_LOG=$tmp/missing.log evidence "$tmp/missing-run.log")" = "FAIL assert" ]

# rkval-run: the panicking subtest is a crash with the qos verdict, and
# the run goes on (the runner outlives vnpu's "board").
# rkval-run execs the binaries itself: not through an EXEC wrapper.
if [ -n "$exec_prefix" ]; then
	skip "rkval-run checks: the runner cannot run $build through $exec_prefix"
else
	printf 'igt@npu_runtime_pm@suspend-after-idle\nigt@rocket_basic@open-close\n' > "$tmp/list"
	RKVAL_VNPU_FAULTS=qos-save-gated-noc sh runner/rkval-run --bin-dir "$build/tests" \
		--list "$tmp/list" --device "$device" --results "$tmp/run" > "$tmp/run.out" 2>&1
	check "rkval-run: the subtest that panicked is a crash with the qos verdict naming it" \
		grep -q '^crash igt@npu_runtime_pm@suspend-after-idle (.*) VERDICT: qos dmesg.txt:[0-9]*: "SError Interrupt on CPU0.*during igt@npu_runtime_pm@suspend-after-idle in rockchip_pmu_save_qos' \
		"$tmp/run/summary.txt"
	check "rkval-run: the reason says the kernel panicked" \
		grep -q '^reason: .*the kernel panicked (Kernel panic - not syncing: Asynchronous SError Interrupt)' \
		"$tmp/run/"*-npu_runtime_pm@suspend-after-idle/result.txt
	check "rkval-run: the run goes on after the panic" \
		grep -q '^pass igt@rocket_basic@open-close ' "$tmp/run/summary.txt"

	# Any other panic is the panic stage (as lava-jobs/collect gives it): a
	# stand-in test that dies after a panic line in its kernel log.
	mkdir -p "$tmp/bin"
	cat > "$tmp/bin/fake-panic" <<-'EOF'
	#!/bin/sh
	echo "Starting subtest: boom"
	[ -n "${IGT_SENTINEL_ON_STDERR:-}" ] && echo "Starting subtest: boom" >&2
	echo "14,1,10,-;[IGT] fake-panic: starting subtest boom" >> "$RKVAL_VNPU_KMSG"
	echo "0,2,20,-;Kernel panic - not syncing: Oops: Fatal exception" >> "$RKVAL_VNPU_KMSG"
	kill -KILL $$
	EOF
	chmod +x "$tmp/bin/fake-panic"
	echo igt@fake-panic@boom > "$tmp/list2"
	sh runner/rkval-run --bin-dir "$tmp/bin" --list "$tmp/list2" --device vnpu \
		--results "$tmp/run2" > "$tmp/run2.out" 2>&1
	check "rkval-run: a panic without an SError is a crash with the panic verdict" \
		grep -q '^crash igt@fake-panic@boom (.*) VERDICT: panic dmesg.txt:2: "Kernel panic - not syncing: Oops: Fatal exception": the kernel panicked during igt@fake-panic@boom$' \
		"$tmp/run2/summary.txt"
fi

tap_plan
tap_exit
