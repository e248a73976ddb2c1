#!/bin/sh
# stop-latency.sh — a signal ends a subtest within 100 ms, even while vnpu
# is inside one of its long waits: the simulated system sleep of
# npu_rebind@system-suspend-resume (an RTC alarm 3 s away) and the fence
# wait of a job that never completes (rocket_conv under mac-output-stall,
# 500 ms job timeout).  SIGTERM is what igt_runner and rkval-run send to
# stop a test, SIGQUIT and SIGINT what a person at the terminal sends.
#
# Each case starts the binary, waits for the line printed just before the
# long wait, gives it a moment to be inside, then measures kill -> exit.
# The binary must die by the signal (status 128+N) within STOP_LIMIT_MS.
#
# Environment: BUILD_DIR, EXEC (selftests/lib/build-env.sh).  Prints TAP;
# exits 1 on failure.  Takes ~5 s.
set -u
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

# The promise the harness makes to runners stopping a subtest.
STOP_LIMIT_MS=100
# How long after its announcement the test is surely inside the wait:
# the sleep lasts 3 s, the job wait 500 ms from submission.
SLEEP_IN_S=0.3
JOB_WAIT_IN_S=0.1
# How long the announcement may take to appear.
START_LIMIT_S=10
SIGNAL_RC_BASE=128

# signal_number NAME: the signal's number (fixed by POSIX's XSI kill(1))
signal_number() {
	case $1 in
	INT) echo 2 ;;
	QUIT) echo 3 ;;
	TERM) echo 15 ;;
	esac
}

# stop_case DESC SIGNAL READY_LINE WAIT_IN CMD...: see the header; sets
# $stop_ms and $stop_rc, returns 1 if the test never reached READY_LINE.
stop_case() {
	sc_desc=$1 sc_sig=$2 sc_ready=$3 sc_in=$4
	shift 4
	"$@" > "$tmp/out" 2>&1 &
	sc_pid=$!
	sc_waited=0
	while ! grep -q -- "$sc_ready" "$tmp/out"; do
		sleep 0.05
		sc_waited=$((sc_waited + 1))
		if [ "$sc_waited" -gt $((START_LIMIT_S * 20)) ]; then
			kill -KILL "$sc_pid" 2> /dev/null
			wait "$sc_pid"
			printf '# %s: "%s" never printed\n' "$sc_desc" "$sc_ready"
			return 1
		fi
	done
	sleep "$sc_in"
	sc_start=$(date +%s%N)
	kill -s "$sc_sig" "$sc_pid"
	wait "$sc_pid"
	stop_rc=$?
	sc_end=$(date +%s%N)
	stop_ms=$(( (sc_end - sc_start) / 1000000 ))
	printf '# %s: SIG%s ended it in %d ms, status %d\n' "$sc_desc" "$sc_sig" \
		"$stop_ms" "$stop_rc"
	return 0
}

# judge DESC SIGNAL: the last stop_case was fast enough and died by SIGNAL
judge() {
	want_rc=$((SIGNAL_RC_BASE + $(signal_number "$2")))
	check "$1: SIG$2 ends it within $STOP_LIMIT_MS ms" [ "$stop_ms" -lt "$STOP_LIMIT_MS" ]
	check "$1: it dies by SIG$2 (status $want_rc)" [ "$stop_rc" = "$want_rc" ]
}

rebind=$build/tests/npu_rebind
conv=$build/tests/rocket_conv
if [ ! -x "$rebind" ] || [ ! -x "$conv" ]; then
	not_ok "test binaries $rebind and $conv are built"
	tap_plan
	tap_exit
fi

for sig in TERM QUIT INT; do
	d="npu_rebind@system-suspend-resume asleep"
	# shellcheck disable=SC2086 # EXEC may be empty or a wrapper command
	if stop_case "$d" "$sig" '^suspending to mem' "$SLEEP_IN_S" \
		env RKVAL_VNPU_STATE="$tmp/state" \
		$exec_prefix "$rebind" --device vnpu:rk3568 \
		--run-subtest system-suspend-resume; then
		judge "$d" "$sig"
	else
		not_ok "$d: SIG$sig: the subtest reached its sleep"
	fi
done

d="rocket_conv job waiting out its timeout (mac-output-stall)"
# shellcheck disable=SC2086
if stop_case "$d" TERM '^Starting dynamic subtest: conv-in8' "$JOB_WAIT_IN_S" env \
	RKVAL_VNPU_FAULTS=mac-output-stall $exec_prefix "$conv" \
	--device vnpu:rk3568 --run-subtest int8 \
	--dynamic-subtest conv-in8-k1-cin32-cout32-s1-same; then
	judge "$d" TERM
else
	not_ok "$d: the job was submitted"
fi

tap_plan
tap_exit
