#!/bin/sh
# teardown.sh — the verifying teardown of every subtest (lib/rocket/
# rocket_teardown.c) fails a subtest that passed but left the kernel
# changed, with verdict "teardown" naming what changed, and only then.
#
#   harness       --list-verdicts names the stage
#   self-test     selftests/bin/rkval_selftest_teardown.c, one subtest per
#                 process: clean and declared-warn pass; leaked-bo fails
#                 naming the open BO, undeclared-warn naming the taint
#   kernel leaks  two deliberate vnpu bugs (RKVAL_VNPU_MODEL_MUTATE): with
#                 leak-bo (GEM_CLOSE keeps the handle) rocket_bo's
#                 bo-create-4096 fails naming the BOs; with leak-runtime-pm
#                 (a finished job keeps its runtime-PM reference)
#                 rocket_submit's valid-submission fails naming the core's
#                 usage count; without a mutation both pass
# Each on vnpu:rk3568 and vnpu:rk3588.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

selftest=$build/selftests/rkval_selftest_teardown

# run DEVICE MUTATION BIN SUBTEST: its output in $tmp/out.
run() {
	# shellcheck disable=SC2086 # exec_prefix is empty or one word
	RKVAL_VNPU_MODEL_MUTATE=$2 $exec_prefix "$3" --device "$1" \
		--run-subtest "$4" > "$tmp/out" 2> "$tmp/err"
}

# expect_pass LABEL: the subtest passed and printed no verdict.
expect_pass() {
	if grep -q '^Subtest [^ ]*: SUCCESS' "$tmp/out" &&
	    ! grep -q '^VERDICT: ' "$tmp/out"; then
		ok "$1 passes"
	else
		not_ok "$1 passes (got: $(grep -E '^(Subtest|VERDICT)' "$tmp/out" | tr '\n' ' '))"
	fi
}

# expect_teardown LABEL FACT: it failed with stage teardown naming FACT.
expect_teardown() {
	verdict=$(grep '^VERDICT: ' "$tmp/out" | tail -n 1)
	if grep -q '^Subtest [^ ]*: FAIL' "$tmp/out" &&
	    [ "${verdict#VERDICT: teardown }" != "$verdict" ] &&
	    printf '%s\n' "$verdict" | grep -q -- "$2"; then
		ok "$1 fails: $verdict"
	else
		not_ok "$1 fails with teardown naming \"$2\" (got: $(grep -E '^(Subtest|VERDICT)' "$tmp/out" | tr '\n' ' '))"
	fi
}

# shellcheck disable=SC2086 # exec_prefix is empty or one word
if $exec_prefix "$selftest" --list-verdicts 2> /dev/null | grep -q '^teardown '; then
	ok "--list-verdicts names the teardown stage"
else
	not_ok "--list-verdicts names the teardown stage"
fi

for dev in vnpu:rk3568 vnpu:rk3588; do
	run "$dev" "" "$selftest" clean
	expect_pass "$dev clean"
	run "$dev" "" "$selftest" declared-warn
	expect_pass "$dev declared-warn"
	run "$dev" "" "$selftest" leaked-bo
	expect_teardown "$dev leaked-bo" 'fd [0-9]*: 1 BO(s) open, 0 at the start'
	run "$dev" "" "$selftest" undeclared-warn
	expect_teardown "$dev undeclared-warn" 'kernel taint 0 -> 512'

	run "$dev" "" "$build/tests/rocket_bo" bo-create-4096
	expect_pass "$dev rocket_bo bo-create-4096"
	run "$dev" leak-bo "$build/tests/rocket_bo" bo-create-4096
	expect_teardown "$dev leak-bo: rocket_bo bo-create-4096" 'BO(s) open, 0 at the start'
	run "$dev" "" "$build/tests/rocket_submit" valid-submission
	expect_pass "$dev rocket_submit valid-submission"
	run "$dev" leak-runtime-pm "$build/tests/rocket_submit" valid-submission
	expect_teardown "$dev leak-runtime-pm: rocket_submit valid-submission" \
		'\.npu runtime-PM usage 0 -> 1'
done

tap_plan
tap_exit
