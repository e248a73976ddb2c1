#!/bin/sh
# sanitize.sh — the sanitizer pass: everything built with AddressSanitizer
# (LeakSanitizer included) and UndefinedBehaviorSanitizer, every error
# fatal (`make SANITIZE=1`, build/<arch>-san), then run:
#   - every unit program;
#   - every test binary on vnpu:rk3568 and vnpu:rk3588, once healthy and
#     once per hardware fault of RKVAL_VNPU_FAULTS (the faults are read
#     from lib/vnpu/vnpu.c, so a new fault is covered without an edit),
#     and healthy under the other kernel profiles (RKVAL_VNPU_KERNEL), whose
#     IOMMU attach and reset orders take other paths;
#   - every bounded fuzzer, through selftests/fuzz.sh;
#   - rkval-run's executor (runner/rkval-exec.c, which parses what tests
#     print and runs them), under the runner's self-tests.
# The judgement is the sanitizers': a run passes when it wrote no report
# and did not crash.  That holds for the unit programs too: some of their
# checks are real-time (vnpu's job timeouts, watchdogs) and can fail on a
# loaded machine, more so instrumented.  A unit program that ran to its
# end (unit.h's closing "# N checks, M failed" line, exit 1) with failed
# checks passes here, the failures quoted as comments; its failed checks
# fail the plain unit run in check.sh, which judges them.  A crash, any
# other status or a missing closing line fails here.  Whether subtests pass under a fault is
# fault-matrix.sh's business; here a fault only steers the model down its
# error paths (timeouts, resets, IOMMU faults), where memory errors hide.
#
# One exception: a failing subtest long-jumps out of its body, as in IGT,
# abandoning what the test itself allocated (its rocket_bo structs, job
# arrays, programs).  Subtests fail here by design under a fault, and
# also when the instrumented, slower model meets vnpu's real-time 500 ms
# job timeout.  In a binary with a failed subtest a leak counts only when
# its allocation stack passes through lib/vnpu/ (the model must never
# leak, whatever the test does); every other report -- memory error,
# undefined behaviour, and any leak in a binary whose subtests all
# passed, the unit programs and the fuzzers -- counts always.
#
# Reports go to files (log_path), so a report is never lost in a test's
# own output; each failing line quotes the report's first lines.
#
# Environment: BUILD_DIR and EXEC as for every script (EXEC set: skipped,
# the sanitizers do not run under qemu-user); SANITIZE_JOBS (default 20,
# all of them) configurations run in parallel — most of their time is
# vnpu's real-time job timeouts, not CPU (about 80 s of CPU in all).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

if [ -n "$exec_prefix" ]; then
	skip "sanitizers do not run under $exec_prefix"
	tap_plan
	tap_exit
fi

san=build/$host_arch-san
jobs=${SANITIZE_JOBS:-20}
socs="rk3568 rk3588"
faults=$(sed -n -e 's/^[[:space:]]*\[VNPU_FAULT_[A-Z0-9_]*\] = "\([a-z0-9-]*\)",.*/\1/p' \
	lib/vnpu/vnpu.c)
# The default profile runs healthy and under each fault; the others healthy.
profiles="kernel-mainline kernel-rfc"
configs="healthy $faults $profiles"
# Short soaks for the power binaries, as fault-matrix.sh.
power_cycles=3
reports=$tmp/reports
mkdir -p "$reports"

# allocator_may_return_null: a huge request fails as malloc() would
# (vnpu maps that to ENOMEM like the kernel) instead of aborting.
ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:log_path=$reports/asan"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
export ASAN_OPTIONS UBSAN_OPTIONS

# findings FILE STRICT: the number of sanitizer findings in a report file
# that count; with STRICT 0, leak blocks count only through lib/vnpu/.
findings() {
	awk -v strict="$2" '
		function end_block() {
			if (inleak && (strict || model))
				n++
			inleak = 0
		}
		/ERROR: AddressSanitizer|runtime error:/ { n++ }
		/^(Direct|Indirect) leak of/ { end_block(); inleak = 1; model = 0; next }
		inleak && /lib\/vnpu\// { model = 1 }
		inleak && /^$/ { end_block() }
		END { end_block(); print n + 0 }' "$1"
}

# report_count: how many report files the sanitizers have written so far.
report_count() {
	find "$reports" -type f | wc -l | tr -d ' '
}

# quote_new_reports BEFORE: the first lines of each report after BEFORE.
quote_new_reports() {
	# (awk, not sed "1,${1}d": with BEFORE 0 that deletes line 1)
	find "$reports" -type f | sort | awk -v b="$1" 'NR > b' | while read -r f; do
		grep -E 'ERROR: |runtime error|^    #[0-3] ' "$f" | head -n 8 |
			sed -e 's/^/#   /'
	done
}

# The unit framework's closing line (selftests/unit/unit.h, unit_done)
# and its status when a check failed.
UNIT_CLOSING_RE='^# [0-9]+ checks, [0-9]+ failed$'
UNIT_CHECK_FAILED=1

# judge_unit DESC BEFORE STATUS LOG: one TAP line for a unit program.
judge_unit() {
	desc=$1 before=$2 status=$3 log=$4
	after=$(report_count)
	if [ "$after" -ne "$before" ]; then
		not_ok "$desc: $((after - before)) sanitizer report(s)"
		quote_new_reports "$before"
	elif [ "$status" -eq 0 ]; then
		ok "$desc"
	elif [ "$status" -eq "$UNIT_CHECK_FAILED" ] &&
	     tail -n 1 "$log" | grep -Eq "$UNIT_CLOSING_RE"; then
		ok "$desc: no sanitizer report ($(tail -n 1 "$log" | sed -e 's/^# //'): the plain unit run in check.sh judges those)"
		grep '^not ok' "$log" | head -n 5 | sed -e 's/^/# /'
	else
		not_ok "$desc: exit status $status without unit.h's closing line (a crash or an abnormal end)"
		tail -n 5 "$log" | sed -e 's/^/# /'
	fi
}

# judge DESC BEFORE STATUS OK_STATUSES: one TAP line.
judge() {
	desc=$1 before=$2 status=$3 ok_statuses=$4
	after=$(report_count)
	if [ "$after" -ne "$before" ]; then
		not_ok "$desc: $((after - before)) sanitizer report(s)"
		quote_new_reports "$before"
	elif ! echo " $ok_statuses " | grep -q " $status "; then
		not_ok "$desc: exit status $status"
	else
		ok "$desc"
	fi
}

# run_config SOC CONFIG: every test binary once; prints "BIN STATUS" lines.
run_config() {
	soc=$1 config=$2
	for bin in "$san"/tests/*; do
		[ -x "$bin" ] || continue
		case $bin in *.txt) continue ;; esac
		name=$(basename "$bin")
		args=
		case $name in
		npu_clocks) ;;
		npu_*) args="--cycles $power_cycles" ;;
		esac
		(
			unset RKVAL_VNPU_KERNEL RKVAL_VNPU_FAULTS RKVAL_DEVICE RKVAL_VNPU_STATE
			case $config in
			healthy) ;;
			kernel-*) export RKVAL_VNPU_KERNEL="${config#kernel-}" ;;
			*) export RKVAL_VNPU_FAULTS="$config" ;;
			esac
			# Reports named after the run, so each is attributed.
			log=$reports/suite-$soc-$config-$name
			ASAN_OPTIONS=$(echo "$ASAN_OPTIONS" | sed -e "s|log_path=.*|log_path=$log|")
			UBSAN_OPTIONS=$(echo "$UBSAN_OPTIONS" | sed -e "s|log_path=.*|log_path=$log|")
			# shellcheck disable=SC2086 # args may be empty
			exec "$bin" --device "vnpu:$soc" $args
		) > "$tmp/out-$soc-$config-$name.log" 2>&1
		echo "$name $?"
	done
}

start=$(date +%s)
if make -j2 SANITIZE=1 WERROR=-Werror all > "$tmp/build.log" 2>&1; then
	ok "build with SANITIZE=1 ($san)"
else
	not_ok "build with SANITIZE=1 ($san)"
	tail -n 20 "$tmp/build.log" | sed -e 's/^/# /'
	tap_plan
	tap_exit
fi

for t in "$san"/unit/*; do
	[ -x "$t" ] || continue
	before=$(report_count)
	"$t" > "$tmp/unit.log" 2>&1
	judge_unit "unit/$(basename "$t")" "$before" "$?" "$tmp/unit.log"
done

# The suite: configurations in parallel, judged one line each afterwards.
running=0
for soc in $socs; do
	for config in $configs; do
		run_config "$soc" "$config" > "$tmp/status-$soc-$config" &
		running=$((running + 1))
		if [ "$running" -ge "$jobs" ]; then
			wait
			running=0
		fi
	done
done
wait
for soc in $socs; do
	for config in $configs; do
		desc="suite on vnpu:$soc, $config"
		bad=
		nbins=0
		while read -r name status; do
			nbins=$((nbins + 1))
			out=$tmp/out-$soc-$config-$name.log
			# Leaks count in full when no subtest failed (see the top).
			strict=1
			grep -Eq '^(Dynamic subtest|Subtest) [^ ]+: (FAIL|CRASH|TIMEOUT)' "$out" &&
				strict=0
			files=$(find "$reports" -type f -name "suite-$soc-$config-$name.*" | sort)
			counted=0
			for f in $files; do
				counted=$((counted + $(findings "$f" "$strict")))
			done
			if [ "$counted" -ne 0 ]; then
				bad="$bad $name($counted report(s))"
				for f in $files; do
					grep -E 'ERROR: |runtime error|^    #[0-3] ' "$f" | head -n 8 |
						sed -e 's/^/#   /' >> "$tmp/quotes"
				done
			elif [ -z "$files" ]; then
				# Exit codes of the harness: success, skip, failure
				# (IGT's lib/igt_core.h); anything else unexplained
				# by a report is a crash.
				case $status in
				"$EXIT_SUCCESS" | "$EXIT_SKIP" | "$EXIT_FAILURE") ;;
				*) bad="$bad $name(exit $status)" ;;
				esac
			fi
		done < "$tmp/status-$soc-$config"
		if [ -n "$bad" ]; then
			not_ok "$desc:$bad"
			sed -e 20q "$tmp/quotes" 2>/dev/null
			rm -f "$tmp/quotes"
		elif [ "$nbins" -eq 0 ]; then
			not_ok "$desc: no test binary ran"
		else
			ok "$desc: $nbins binaries, no sanitizer report"
		fi
	done
done

before=$(report_count)
BUILD_DIR=$san EXEC='' sh selftests/fuzz.sh > "$tmp/fuzz.log" 2>&1
status=$?
sed -e 's/^/# fuzz: /' "$tmp/fuzz.log"
judge "fuzzers ($san/fuzz)" "$before" "$status" 0

# The runner's self-tests over the instrumented executor (their fixtures
# and the test binaries stay those of $build).  Judged by the sanitizers
# alone, as the unit programs: the plain run in check.sh judges the checks.
for s in runner runner-robust runner-pgrp; do
	before=$(report_count)
	RKVAL_EXEC=$san/runner/rkval-exec BUILD_DIR=$build EXEC='' \
		sh "selftests/$s.sh" > "$tmp/$s.log" 2>&1
	status=$?
	grep '^not ok' "$tmp/$s.log" | head -n 5 | sed -e 's/^/# /'
	judge "selftests/$s.sh over $san/runner/rkval-exec" "$before" "$status" "0 1"
done

echo "# sanitizer pass: $(($(date +%s) - start)) s"
tap_plan
tap_exit
