#!/bin/sh
# accuracy-mutations.sh — the int8 accuracy tier of rocket_conv can fail:
# vnpu's requantisation is made wrong on purpose through its self-test hook
# RKVAL_VNPU_MUTATE (lib/vnpu/pipeline/selftest_mutate.h, docs/accuracy.md),
# and each mutation must fail at least MIN_CAUGHT_PERCENT of the grid's
# cases, every failure with the verdict "accuracy", while the unmutated
# model passes every case.  A misspelt mutation must not look like a
# caught one: the task hangs (job-timeout), it never passes as accuracy.
# And wrong output that comes from the IOMMU is not accuracy: with the
# fault page-walker-gated-after-idle and an autosuspend delay of 0 (every
# job starts after an idle period, as under load), raw-int32's large case
# times out and must be judged iommu-page-walker.
#
# Environment: BUILD_DIR, EXEC (selftests/lib/build-env.sh).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
bin=$build/tests/rocket_conv
# Only outputs of a handful of elements may hide a one-LSB error (the
# statistics then cannot tell it from noise); the grid has one such case.
MIN_CAUGHT_PERCENT=90
mutations="out-plus-1 out-minus-1 truncate zero-point-ignored"
# rocket_conv's default (Mesa's teflon tests) and a Mesa fork's value
default_tolerance=2
fork_tolerance=6

if [ ! -x "$bin" ]; then
	not_ok "$bin is not built"
	exit 1
fi

# int8 SOC [MUTATION [CASES [TOLERANCE]]]: run the int8 subtest (the
# dynamic subtests CASES select, default all); one line per case in
# $tmp/cases, "RESULT STAGE" (stage of the VERDICT before a FAIL, "-").
int8() {
	# shellcheck disable=SC2086 # exec_prefix is empty or one word
	RKVAL_VNPU_MUTATE=${2:-} $exec_prefix "$bin" --device "vnpu:$1" \
		--run-subtest int8 --dynamic-subtest "${3:-*}" \
		--tolerance "${4:-$default_tolerance}" > "$tmp/log" 2>&1
	awk '/^VERDICT: / { stage = $2 }
	     /^Dynamic subtest [^ ]+: [A-Z]+ / {
		print $4 " " ($4 == "FAIL" ? stage : "-"); stage = "-" }' \
		"$tmp/log" > "$tmp/cases"
	total=$(wc -l < "$tmp/cases")
	failed=$(grep -c '^FAIL' "$tmp/cases")
	other=$(awk '$1 == "FAIL" && $2 != "accuracy"' "$tmp/cases" | wc -l)
}

# all_passed / all_hung: judgements of the last int8 run.
# shellcheck disable=SC2317 # only called through check()
all_passed() {
	[ "$total" -gt 0 ] && [ "$failed" -eq 0 ]
}
# shellcheck disable=SC2317 # only called through check()
all_hung() {
	[ "$total" -gt 0 ] && [ "$failed" -eq "$total" ] && [ "$acc" -eq 0 ]
}

# caught DESC: the last run's mutation was caught (see the file comment).
caught() {
	if [ "$total" -gt 0 ] && [ "$other" -eq 0 ] &&
	   [ $((failed * 100)) -ge $((total * MIN_CAUGHT_PERCENT)) ]; then
		ok "$1: $failed of $total cases fail, all as accuracy"
	else
		not_ok "$1: $failed of $total cases fail, $other not as accuracy"
		grep '^VERDICT' "$tmp/log" | sort -u | head -n 3 | sed -e 's/^/# /'
	fi
}

for soc in rk3588 rk3568; do
	int8 "$soc"
	check "vnpu:$soc unmutated: int8 passes ($failed of $total cases fail)" all_passed
	for m in $mutations; do
		int8 "$soc" "$m"
		caught "vnpu:$soc $m"
	done
done

# The statistics do not depend on a tight per-element tolerance.
int8 rk3588 "" '*' "$fork_tolerance"
check "tolerance $fork_tolerance unmutated: int8 passes ($failed of $total cases fail)" all_passed
for m in out-plus-1 truncate; do
	int8 rk3588 "$m" '*' "$fork_tolerance"
	caught "tolerance $fork_tolerance, $m"
done

# Wild errors with IOMMU evidence: every core suspends right after each job.
# shellcheck disable=SC2317 # only called through check()
all_walker() {
	[ "$failed" -gt 0 ] && [ "$walker" -eq "$failed" ]
}
for soc in rk3568 rk3588; do
	# the cores' device names (docs/vnpu.md, RKVAL_VNPU_STATE)
	case $soc in
	rk3568) cores="fde40000.npu" ;;
	*) cores="fdab0000.npu fdac0000.npu fdad0000.npu" ;;
	esac
	: > "$tmp/state"
	for c in $cores; do
		echo "$c control=auto autosuspend_delay_ms=0 bound=1" >> "$tmp/state"
	done
	for faults in none page-walker-gated-after-idle; do
		# shellcheck disable=SC2086 # exec_prefix is empty or one word
		RKVAL_VNPU_STATE=$tmp/state RKVAL_VNPU_FAULTS=$faults $exec_prefix "$bin" \
			--device "vnpu:$soc" --run-subtest raw-int32 > "$tmp/log" 2>&1
		awk '/^VERDICT: / { stage = $2 }
		     /^Dynamic subtest [^ ]+: [A-Z]+ / {
			print $4 " " ($4 == "FAIL" ? stage : "-"); stage = "-" }' \
			"$tmp/log" > "$tmp/cases"
		total=$(wc -l < "$tmp/cases")
		failed=$(grep -c '^FAIL' "$tmp/cases")
		walker=$(grep -c '^FAIL iommu-page-walker' "$tmp/cases")
		if [ "$faults" = none ]; then
			check "vnpu:$soc raw-int32, autosuspend 0: passes ($failed of $total fail)" \
				all_passed
		else
			check "vnpu:$soc raw-int32, autosuspend 0, $faults: $failed of $total fail, $walker as iommu-page-walker" \
				all_walker
		fi
	done
done

# a few cases: each hangs until the 500 ms job timeout
int8 rk3588 no-such-mutation 'conv-in8-k1-*'
acc=$(grep -c 'FAIL accuracy' "$tmp/cases")
check "an unknown mutation hangs the task: $failed of $total fail, $acc as accuracy" all_hung

tap_plan
tap_exit
