#!/bin/sh
# power-restore.sh — every power test gives back the settings it changes
# (power/control, power/autosuspend_delay_ms, driver binding), also when a
# subtest fails, when the watchdog ends a subtest and when the process is
# killed.
#
# vnpu lives in one process, so the settings are made persistent the way a
# board's sysfs is: RKVAL_VNPU_STATE names a file where vnpu loads and saves
# them, and rkval-sysfs (a separate process) reads them before and after
# each run.  The starting point is deliberately not the driver's default
# (control "on", a 70 ms delay), so a test that "restores" by writing
# defaults is caught.  Runs:
#   each power binary in full (short --cycles)
#   npu_runtime_pm with RKVAL_SUBTEST_TIMEOUT=1 on a soak that needs longer:
#     the watchdog ends it mid-cycle (its VERDICT must say watchdog)
#   npu_rebind the same way, so the watchdog may strike while unbound
#   npu_power_domain killed with SIGTERM in the middle of its cycling
#   npu_runtime_pm killed with SIGKILL (no exit handler runs) while its
#     settings are changed: the record it kept on disk before changing
#     them must be there, and the next power binary must restore them
#     first and say so
# One TAP line per run (settings equal) and per watchdog/kill check.
# Subtest results are not judged here (power-profiles.sh does that): from
# the 70 ms start, autosuspend-delay-default fails by design.
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
dev=fde40000.npu
power=/sys/bus/platform/devices/$dev/power
# Upper bound of any single run here, so a hang cannot stall make check.
RUN_LIMIT_S=60
# When to kill the cycling binary: well inside its run.
KILL_AFTER_S=1

RKVAL_VNPU_STATE=$tmp/vnpu-state
export RKVAL_VNPU_STATE
unset RKVAL_VNPU_KERNEL RKVAL_VNPU_FAULTS RKVAL_DEVICE RKVAL_SUBTEST_TIMEOUT

sysfs() {
	# shellcheck disable=SC2086 # the wrapper may be empty
	$exec_prefix "$build/tools/rkval-sysfs" --device "$device" "$@"
}

settings() {
	sysfs power-settings "$dev" 2>&1
}

# absent PATH: no such file.
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
absent() {
	! [ -e "$1" ]
}

# check_same NAME BEFORE: the settings now equal BEFORE.
check_same() {
	after=$(settings)
	if [ "$after" = "$2" ]; then
		ok "$1: settings restored ($after)"
	else
		not_ok "$1: settings before '$2', after '$after'"
	fi
}

# run NAME LOG [ENV=V...] BIN ARGS...: one test process, bounded.
run() {
	name=$1 log=$2
	shift 2
	# shellcheck disable=SC2086 # the wrapper may be empty
	timeout "$RUN_LIMIT_S" env "$@" > "$log" 2>&1
	echo "# $name exited $?"
}

for f in tools/rkval-sysfs tests/npu_runtime_pm tests/npu_power_domain \
	 tests/npu_clocks tests/npu_rebind; do
	if [ ! -x "$build/$f" ]; then
		not_ok "$build/$f is built"
		tap_plan
		exit 1
	fi
done

# A starting point no test would write back by accident.
if sysfs write "$power/control" on && sysfs write "$power/autosuspend_delay_ms" 70; then
	ok "starting point written through the state file"
else
	not_ok "cannot write the starting point"
fi
start=$(settings)
case $start in
*"control=on autosuspend_delay_ms=70 bound=1"*)
	ok "state file persists across processes ($start)" ;;
*)
	not_ok "state file does not persist: '$start'" ;;
esac

for bin in npu_runtime_pm npu_power_domain npu_clocks npu_rebind; do
	args=
	[ "$bin" != npu_clocks ] && args="--cycles 2"
	before=$(settings)
	# shellcheck disable=SC2086 # args may be empty
	run "$bin" "$tmp/$bin.log" $exec_prefix "$build/tests/$bin" --device "$device" $args
	check_same "$bin" "$before"
done

# The watchdog ends a long soak after 1 s; exit handlers restore at exit.
for case in "npu_runtime_pm suspend-resume-cycles" "npu_rebind unbind-bind"; do
	bin=${case% *}
	sub=${case#* }
	before=$(settings)
	# shellcheck disable=SC2086 # the wrapper may be empty
	run "$bin watchdog" "$tmp/$bin-wd.log" RKVAL_SUBTEST_TIMEOUT=1 \
		$exec_prefix "$build/tests/$bin" --device "$device" \
		--run-subtest "$sub" --cycles 100000
	if grep -q '^VERDICT: watchdog ' "$tmp/$bin-wd.log"; then
		ok "$bin@$sub ended by the watchdog"
	else
		not_ok "$bin@$sub was not ended by the watchdog"
		sed -e 's/^/# /' "$tmp/$bin-wd.log" | tail -n 10
	fi
	check_same "$bin@$sub after the watchdog" "$before"
done

# SIGTERM in the middle of domain cycling: the fatal-signal exit handlers.
before=$(settings)
# shellcheck disable=SC2086 # the wrapper may be empty
$exec_prefix "$build/tests/npu_power_domain" --device "$device" \
	--run-subtest domain-cycling --cycles 100000 > "$tmp/kill.log" 2>&1 &
pid=$!
sleep "$KILL_AFTER_S"
kill -TERM "$pid"
wait "$pid"
status=$?
if grep -q '^Received signal SIGTERM' "$tmp/kill.log"; then
	ok "npu_power_domain killed by SIGTERM mid-cycling (status $status)"
else
	not_ok "npu_power_domain was not killed mid-cycling (status $status)"
	sed -e 's/^/# /' "$tmp/kill.log" | tail -n 10
fi
check_same "npu_power_domain after SIGTERM" "$before"

# SIGKILL: nothing of the process runs; the on-disk record must serve.
before=$(settings)
saved=$RKVAL_VNPU_STATE.saved
# shellcheck disable=SC2086 # the wrapper may be empty
$exec_prefix "$build/tests/npu_runtime_pm" --device "$device" \
	--run-subtest autosuspend-delay-honoured > "$tmp/sigkill.log" 2>&1 &
pid=$!
# Inside the subtest's 1000 ms delay, after it wrote it.
sleep "$KILL_AFTER_S"
kill -KILL "$pid"
{ wait "$pid"; } 2> /dev/null
killed=$(settings)
if [ "$killed" != "$before" ]; then
	ok "SIGKILL left changed settings behind ($killed)"
else
	not_ok "SIGKILL should have left changed settings behind (nothing to recover: '$killed')"
fi
check "the killed run's record is on disk ($saved)" grep -q "^pid=$pid\$" "$saved"
# shellcheck disable=SC2086 # the wrapper may be empty
run "npu_clocks after SIGKILL" "$tmp/after-kill.log" $exec_prefix \
	"$build/tests/npu_clocks" --device "$device"
check "the next power binary reports the leftovers it restored" \
	grep -q "leftover power settings of a run that did not exit (pid $pid)" "$tmp/after-kill.log"
check_same "after SIGKILL and the next power binary" "$before"
check "the record is gone after a clean exit" absent "$saved"

check_same "whole script" "$start"
tap_plan
tap_exit
