#!/bin/sh
# power-profiles.sh — the tests/power binaries tell the vnpu's kernel
# profiles and injected power faults apart, each by its own verdict.
#
# Runs every npu_* power binary on vnpu:rk3568 (vnpu:rk3588 for mainline,
# which has no RK3568 NPU: see config_device()) (short --cycles) under one
# configuration at a time and checks, for every subtest, its result and
# (when it fails) the stage of its VERDICT line against
# expected_failures(); docs/power-tests.md explains the table:
#   default                    every subtest passes
#   RKVAL_VNPU_KERNEL=mainline clk_bulk .id bug (on rk3588):
#                              clocks-enabled-while-active fails with stage
#                              clock naming hclk, npu and pclk, and not aclk
#   RKVAL_VNPU_KERNEL=rfc      the RK3568 bring-up profile keeps the bug:
#                              the same verdict on rk3568
#   faults=compute-clock-gated the npu clock is gated: the same subtest
#                              fails with stage clock naming npu only, and
#                              every subtest that runs a checked job fails
#                              with job-timeout, its hint naming npu
#   faults=qos-save-gated-noc  SError on the QoS save at power-off, a
#                              panic: in each binary the subtest that first
#                              lets the domain turn off dies (CRASH), the
#                              next boot's serror-evidence names it with
#                              stage qos, and the binary exits by SIGKILL
#   mutate-delay               RKVAL_VNPU_MODEL_MUTATE=ignore-autosuspend-delay, a
#                              deliberate vnpu bug: autosuspend-delay-honoured
#                              must fail with pm-runtime (it could not before)
#   mutate-dpu-only            RKVAL_VNPU_MODEL_MUTATE=dpu-only-hangs: only the
#                              DPU-only copy job every power test uses is
#                              broken; each job-timeout verdict must say the
#                              independent conv job completed (this job is
#                              the suspect), where under compute-clock-gated
#                              it says the conv failed too (the NPU is dead)
# One TAP line per (configuration, subtest), one per binary exit status.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
# shellcheck source=selftests/lib/profiles.sh
. selftests/lib/profiles.sh
# shellcheck source=selftests/lib/panic.sh
. selftests/lib/panic.sh
bins="npu_runtime_pm npu_power_domain npu_clocks npu_rebind"
# Short soaks: make check must stay fast; LAVA runs the defaults.
cycles=3

# config_device CONFIG: the vnpu board.  Mainline rocket matches only
# rockchip,rk3588-rknn-core (drivers/accel/rocket/rocket_drv.c): on
# vnpu:rk3568 it has no device (selftests/no-device.sh).
config_device() {
	case $1 in
	mainline) echo vnpu:rk3588 ;;
	*) echo vnpu:rk3568 ;;
	esac
}

# expected_failures CONFIG: "binary:subtest stage" lines; all else passes.
expected_failures() {
	case $1 in
	default) ;;
	mainline | rfc)
		echo "npu_clocks:clocks-enabled-while-active clock"
		;;
	compute-clock-gated)
		# DMA works, compute does not: no job ends, each says so.
		echo "npu_clocks:clocks-enabled-while-active clock"
		for sub in suspend-after-idle resume-on-submit time-accounting \
			   control-on-holds-active autosuspend-delay-honoured \
			   suspend-resume-cycles; do
			echo "npu_runtime_pm:$sub job-timeout"
		done
		for sub in domain-on-while-active domain-off-when-suspended \
			   supply-on-with-domain domain-cycling; do
			echo "npu_power_domain:$sub job-timeout"
		done
		echo "npu_rebind:unbind-bind job-timeout"
		echo "npu_rebind:module-reload job-timeout"
		echo "npu_rebind:system-suspend-resume job-timeout"
		;;
	mutate-delay)
		echo "npu_runtime_pm:autosuspend-delay-honoured pm-runtime"
		;;
	mutate-dpu-only)
		echo "npu_clocks:clocks-enabled-while-active job-timeout"
		for sub in suspend-after-idle resume-on-submit time-accounting \
			   control-on-holds-active autosuspend-delay-honoured \
			   suspend-resume-cycles; do
			echo "npu_runtime_pm:$sub job-timeout"
		done
		for sub in domain-on-while-active domain-off-when-suspended \
			   supply-on-with-domain domain-cycling; do
			echo "npu_power_domain:$sub job-timeout"
		done
		echo "npu_rebind:unbind-bind job-timeout"
		echo "npu_rebind:module-reload job-timeout"
		echo "npu_rebind:system-suspend-resume job-timeout"
		;;
	qos-save-gated-noc)
		# The first power-off of each binary panics (CRASH, see
		# expected_result); its later subtests never run.
		echo "npu_runtime_pm:suspend-after-idle qos"
		echo "npu_power_domain:domain-off-when-suspended qos"
		echo "npu_clocks:clocks-released-when-suspended qos"
		echo "npu_rebind:unbind-bind qos"
		;;
	esac
}

# expected_result CONFIG: how an expected failure ends: FAIL, or CRASH
# under a fault that panics the board (vnpu's catalogue).
expected_result() {
	# shellcheck disable=SC2086 # the wrapper may be empty
	if [ "$($exec_prefix "$build/tools/rkval-vnpu-faults" outcome "$1" 2>/dev/null)" = panic ]; then
		echo CRASH
	else
		echo FAIL	# not a fault (a profile, a mutation) or one that fails
	fi
}

# Subtests vnpu cannot exercise: none since vnpu models rocket as a
# module (module-reload unloads and loads it).
expected_skips() {
	:
}

# expected_clocks CONFIG: "named" and "not named" clock names of the verdict.
expected_clocks() {
	case $1 in
	mainline | rfc) echo "hclk npu pclk|aclk" ;;
	compute-clock-gated) echo "npu|aclk hclk pclk" ;;
	esac
}

# run_binary CONFIG BIN KERNEL FAULTS: "binary:subtest RESULT stage" lines.
run_binary() {
	config=$1 bin=$2 kernel=$3 faults=$4
	log=$tmp/$config-$bin.log
	args=
	[ "$bin" != npu_clocks ] && args="--cycles $cycles"
	# A fault that panics leaves the next boot's pstore record beside
	# this state file (selftests/lib/panic.sh).
	state=
	[ "$(expected_result "$config")" = CRASH ] && state=$tmp/$config-$bin.state
	(
		unset RKVAL_VNPU_KERNEL RKVAL_VNPU_FAULTS RKVAL_DEVICE RKVAL_VNPU_STATE \
			RKVAL_VNPU_MUTATE RKVAL_VNPU_MODEL_MUTATE
		[ -n "$kernel" ] && export RKVAL_VNPU_KERNEL="$kernel"
		[ -n "$faults" ] && export RKVAL_VNPU_FAULTS="$faults"
		case $config in
		mutate-delay) export RKVAL_VNPU_MODEL_MUTATE=ignore-autosuspend-delay ;;
		mutate-dpu-only) export RKVAL_VNPU_MODEL_MUTATE=dpu-only-hangs ;;
		esac
		# shellcheck disable=SC2031 # this subshell's own environment
		[ -n "$state" ] && export RKVAL_VNPU_STATE="$state"
		# shellcheck disable=SC2086 # the wrapper and args may be empty
		exec $exec_prefix "$build/tests/$bin" --device "$(config_device "$config")" $args
	) > "$log" 2>&1 &
	# Waited for, not run in the foreground, with wait's stderr quiet:
	# dash reports a child's fatal signal (a vnpu panic's SIGKILL) there.
	wait $! 2>/dev/null
	echo $? > "$tmp/$config-$bin.status"
	subtest_results "$bin" "$log"
	if [ -n "$state" ]; then
		panic_line "$(config_device "$config")" "$bin" "$log" "$state"
	fi
}

run_config() {
	config=$1 kernel=$2 faults=$3
	: > "$tmp/$config.res"
	for bin in $bins; do
		run_binary "$config" "$bin" "$kernel" "$faults" >> "$tmp/$config.res"
	done
}

# judge_clock_verdict CONFIG: the clock verdict names exactly the right clocks.
judge_clock_verdict() {
	config=$1
	spec=$(expected_clocks "$config")
	[ -n "$spec" ] || return 0
	line=$(grep '^VERDICT: clock ' "$tmp/$config-npu_clocks.log" | head -n 1)
	named=${spec%%|*}
	unnamed=${spec#*|}
	for clk in $named; do
		if printf '%s\n' "$line" | grep -q "[:,] $clk "; then
			ok "$config: clock verdict names $clk"
		else
			not_ok "$config: clock verdict should name $clk: $line"
		fi
	done
	for clk in $unnamed; do
		if printf '%s\n' "$line" | grep -q "[:,] $clk "; then
			not_ok "$config: clock verdict should not name $clk: $line"
		else
			ok "$config: clock verdict does not name $clk"
		fi
	done
}

# judge_job_hints CONFIG: job-timeout verdicts name the gated clock.
judge_job_hints() {
	[ "$1" = compute-clock-gated ] || return 0
	for bin in $bins; do
		grep '^VERDICT: job-timeout ' "$tmp/$1-$bin.log" > "$tmp/hints" || continue
		if grep -v -q 'NPU clocks: npu (' "$tmp/hints"; then
			not_ok "$1: $bin job-timeout verdicts should name the npu clock"
		else
			ok "$1: $bin job-timeout verdicts name the npu clock"
		fi
	done
}

# judge_second_job CONFIG: every job-timeout verdict says what the
# independent conv job did: completed (only the copy job is broken) or
# failed too (nothing runs).
judge_second_job() {
	case $1 in
	mutate-dpu-only) want="completed correctly" ;;
	compute-clock-gated) want="failed too" ;;
	*) return 0 ;;
	esac
	for bin in $bins; do
		grep '^VERDICT: job-timeout ' "$tmp/$1-$bin.log" > "$tmp/second" || continue
		if grep -v -q "an independent job .* $want" "$tmp/second"; then
			not_ok "$1: $bin job-timeout verdicts should say the independent job $want"
		else
			ok "$1: $bin job-timeout verdicts say the independent job $want"
		fi
	done
}

judge_config() {
	config=$1
	expected_failures "$config" > "$tmp/$config.expect"
	expected_skips > "$tmp/skips"
	while read -r id result stage; do
		want=$(awk -v id="$id" '$1 == id { print $2 }' "$tmp/$config.expect")
		want_result=$(expected_result "$config")
		if [ -n "$want" ]; then
			if [ "$result" = "$want_result" ] && [ "$stage" = "$want" ]; then
				ok "$config: $id ends $want_result with $want"
			else
				not_ok "$config: $id should end $want_result with $want, got $result $stage"
			fi
		elif grep -qx "$id" "$tmp/skips"; then
			if [ "$result" = SKIP ]; then
				ok "$config: $id skips on vnpu"
			else
				not_ok "$config: $id should skip on vnpu, got $result $stage"
			fi
		elif [ "$result" = SUCCESS ]; then
			ok "$config: $id passes"
		else
			not_ok "$config: $id should pass, got $result $stage"
		fi
	done < "$tmp/$config.res"
	judge_expected_ran "$config"
	judge_clock_verdict "$config"
	judge_job_hints "$config"
	judge_second_job "$config"
	judge_exit_statuses "$config"
}

for bin in $bins; do
	if [ ! -x "$build/tests/$bin" ]; then
		not_ok "$build/tests/$bin is built"
		tap_plan
		exit 1
	fi
done

# Each configuration is its own set of vnpu boots: run them in parallel.
run_config default "" "" &
run_config mainline mainline "" &
run_config rfc rfc "" &
run_config mutate-delay "" "" &
run_config mutate-dpu-only "" "" &
run_config compute-clock-gated "" compute-clock-gated &
run_config qos-save-gated-noc "" qos-save-gated-noc &
wait

for config in default mainline rfc mutate-delay mutate-dpu-only compute-clock-gated qos-save-gated-noc; do
	judge_config "$config"
done
tap_plan
tap_exit
