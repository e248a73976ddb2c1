#!/bin/sh
# register-power.sh — registers are touched only with the core powered,
# and a job's counters are read before the timeout's reset.
#
# vnpu fails a CPU access to a runtime-suspended core (an SError, i.e. a
# panic, on silicon) and clears the DDMA counters with the core reset, as
# a board may (whether they survive is UNCONFIRMED).  So:
#   - rocket_complete passes on vnpu:rk3568 and vnpu:rk3588: it holds every
#     core on before clearing counters or sampling idle cores' PC registers;
#   - under mac-output-stall its one-task verdict is mac-output-stall with
#     the input and weights fully read: the counters were read while the
#     job hung, not after the reset (they would then read 0: pc-fetch);
#   - no run logs an SError.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

# run_complete LOG DEVICE FAULTS SUBTESTS: rocket_complete (SUBTESTS a
# comma list, as --run-subtest takes it), its kernel log in LOG.kmsg.
run_complete() {
	log=$1 device=$2 faults=$3 subtests=$4
	(
		unset RKVAL_VNPU_KERNEL RKVAL_VNPU_STATE RKVAL_DEVICE IGT_DEVICE
		export RKVAL_VNPU_FAULTS="$faults" RKVAL_VNPU_KMSG="$log.kmsg"
		# shellcheck disable=SC2086 # the wrapper may be empty
		exec $exec_prefix "$build/tests/rocket_complete" --device "$device" \
			--run-subtest "$subtests"
	) > "$log" 2>&1
}

# no_serror LOG: the run's kernel log has no SError line.
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
no_serror() {
	! grep -q 'SError Interrupt' "$1.kmsg" 2>/dev/null
}

for device in vnpu:rk3568 vnpu:rk3588; do
	log=$tmp/healthy-${device#vnpu:}.log
	run_complete "$log" "$device" "" one-task,queue,all-cores-busy
	rc=$?
	subtest_results rocket_complete "$log" > "$log.res"
	if [ "$rc" = "$EXIT_SUCCESS" ] && [ "$(grep -c ' SUCCESS ' "$log.res")" = 3 ]; then
		ok "$device: rocket_complete one-task, queue, all-cores-busy pass"
	else
		not_ok "$device: rocket_complete should pass (exit $rc): $(grep -v ' SUCCESS ' "$log.res" | tr '\n' ';')"
		grep '^VERDICT' "$log" | head -n 3 | sed -e 's/^/# /'
	fi
	check "$device: no register access to a gated core (no SError logged)" \
		no_serror "$log"
done

log=$tmp/stall.log
run_complete "$log" vnpu:rk3568 mac-output-stall one-task
verdict=$(grep '^VERDICT: ' "$log" | head -n 1)
case $verdict in
"VERDICT: mac-output-stall one-task: "*"input "*" weights "*" read, output 0/"*)
	ok "mac-output-stall: one-task names the stall with the reads counted" ;;
*)
	not_ok "mac-output-stall: one-task should name the stall, got: $verdict" ;;
esac
in_read=$(printf '%s\n' "$verdict" | sed -n 's/.*input \([0-9]*\)\/\([0-9]*\) B.*/\1 \2/p')
# shellcheck disable=SC2086 # two numbers
set -- $in_read
check "mac-output-stall: the input counted in full before the reset (${1:-?}/${2:-?} B)" \
	[ -n "${1:-}" ] && [ "${1:-0}" = "${2:-}" ] && [ "${1:-0}" != 0 ]
check "mac-output-stall: no register access to a gated core" no_serror "$log"

tap_plan
tap_exit
