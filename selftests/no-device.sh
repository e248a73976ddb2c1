#!/bin/sh
# no-device.sh — no NPU is a failure with a reason, never a skip (README).
#
#   --device kernel on a machine without a rocket node: every subtest of
#       every binary fails with "VERDICT: no-device <why>", none skips, and
#       the runner exits non-zero; rk_iommu_isolation says no-device, not
#       "cannot read the kernel log" (its log watch starts after the device
#       check).
#   vnpu:rk3568 with RKVAL_VNPU_KERNEL=mainline: mainline rocket matches
#       only rockchip,rk3588-rknn-core, so there is no device; the verdict
#       names the missing RK3568 support and the RFC series.  The same
#       board with the rfc profile, and vnpu:rk3588 with mainline, work.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

series='accel: rocket: Add RK3568 NPU support'

# run_bin LOG BIN ARGS...: the binary with a clean vnpu environment.
run_bin() {
	log=$1 bin=$2
	shift 2
	(
		unset RKVAL_VNPU_FAULTS RKVAL_VNPU_STATE RKVAL_DEVICE IGT_DEVICE
		# shellcheck disable=SC2086 # the wrapper may be empty
		exec $exec_prefix "$build/tests/$bin" "$@"
	) > "$log" 2>&1
}

# lacks FILE ERE: FILE has no line matching ERE.
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
lacks() {
	! grep -qE -e "$2" "$1"
}

# closes_all_failed LINE: the runner's closing line says nothing passed or skipped.
# shellcheck disable=SC2317 # called through check()
closes_all_failed() {
	printf '%s\n' "$1" | grep -qE '^0 passed, [1-9][0-9]* failed, 0 skipped$'
}

# all_no_device LOG: every subtest result is FAIL after a no-device verdict.
all_no_device() {
	subtest_results x "$1" > "$1.res"
	[ -s "$1.res" ] && ! grep -qv ' FAIL no-device$' "$1.res"
}

have_rocket_node=no
for node in /dev/accel/accel*; do
	[ -e "$node" ] && have_rocket_node=yes
done

# 1. --device kernel off a board, binary by binary.
if [ "$have_rocket_node" = yes ]; then
	skip "--device kernel: this machine has an accel node, not off a board"
else
	for path in "$build"/tests/*; do
		case $path in *.txt) continue ;; esac
		bin=${path##*/}
		log=$tmp/kernel-$bin.log
		run_bin "$log" "$bin" --device kernel
		rc=$?
		if all_no_device "$log"; then
			ok "--device kernel: every $bin subtest fails with no-device"
		else
			not_ok "--device kernel: every $bin subtest fails with no-device: $(grep -v ' FAIL no-device$' "$log.res" | head -n 3 | tr '\n' ';')"
		fi
		check "--device kernel: $bin exits $EXIT_FAILURE (got $rc)" \
			[ "$rc" = "$EXIT_FAILURE" ]
	done
	log=$tmp/kernel-rk_iommu_isolation.log
	check "--device kernel: rk_iommu_isolation names no device, not the kernel log" \
		lacks "$log" 'cannot read the kernel log'

	# The runner: a non-zero exit and nothing passed or skipped.
	if [ -z "$exec_prefix" ]; then
		res=$tmp/runner-res
		sh runner/rkval-run --bin-dir "$build/tests" \
			--list testlists/bringup.testlist --device kernel \
			--results "$res" > "$tmp/runner.out" 2>&1
		rc=$?
		check "runner --device kernel --list bringup exits non-zero (got $rc)" \
			[ "$rc" != 0 ]
		closing=$(tail -n 1 "$tmp/runner.out")
		check "runner --device kernel: '0 passed, N failed, 0 skipped' (got '$closing')" \
			closes_all_failed "$closing"
	else
		skip "runner under $exec_prefix: the binaries above were checked directly"
	fi
fi

# 2. vnpu:rk3568 under the mainline profile has no device, with the reason.
log=$tmp/mainline-rk3568.log
RKVAL_VNPU_KERNEL=mainline run_bin "$log" rocket_basic --device vnpu:rk3568
rc=$?
check "vnpu:rk3568 mainline: every rocket_basic subtest fails with no-device" \
	all_no_device "$log"
check "vnpu:rk3568 mainline: rocket_basic exits $EXIT_FAILURE (got $rc)" \
	[ "$rc" = "$EXIT_FAILURE" ]
check "vnpu:rk3568 mainline: the verdict says the kernel lacks RK3568 support" \
	grep -q '^VERDICT: no-device .*lacks RK3568 NPU support' "$log"
check "vnpu:rk3568 mainline: the verdict names the RFC series" \
	grep -qF "$series" "$log"
check "vnpu:rk3568 mainline: the kernel log has no rocket probe" \
	lacks "$log" 'Initialized rocket'

# 3. The controls: the RFC profile binds RK3568, mainline binds RK3588.
for spec in rfc:vnpu:rk3568 mainline:vnpu:rk3588; do
	kernel=${spec%%:*} device=${spec#*:}
	log=$tmp/$kernel-$device.log
	RKVAL_VNPU_KERNEL=$kernel run_bin "$log" rocket_basic --device "$device"
	rc=$?
	check "$device $kernel: rocket_basic passes (exit $rc)" \
		[ "$rc" = "$EXIT_SUCCESS" ]
done

tap_plan
tap_exit
