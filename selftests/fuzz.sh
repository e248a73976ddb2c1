#!/bin/sh
# fuzz.sh — run every bounded fuzzer in BUILD_DIR/fuzz (see
# selftests/fuzz/README.md for what a fuzzer promises).
#
# The seed, iteration count and time bound are fixed so that make check is
# repeatable; FUZZ_SEED, FUZZ_ITERATIONS and FUZZ_MAX_SECONDS override them
# for a longer hunt by hand.  Each fuzzer is one TAP line.
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

seed=${FUZZ_SEED:-20261202}
iterations=${FUZZ_ITERATIONS:-3000}
max_seconds=${FUZZ_MAX_SECONDS:-60}

found=0
for f in "$build"/fuzz/*; do
	[ -x "$f" ] || continue
	found=1
	name=$(basename "$f")
	log=$tmp/$name.log
	# shellcheck disable=SC2086 # exec_prefix is empty or one wrapper word
	$exec_prefix "$f" --seed "$seed" --iterations "$iterations" \
		--max-seconds "$max_seconds" > "$log" 2>&1
	status=$?
	summary=$(tail -n 1 "$log")
	if [ "$status" -eq 0 ]; then
		ok "$name: $summary"
	else
		not_ok "$name: exit $status: $summary"
		sed -e 's/^/# /' "$log" | tail -n 20
	fi
done
[ "$found" -eq 1 ] || skip "no fuzzer built in $build/fuzz"
tap_plan
tap_exit
