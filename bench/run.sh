#!/bin/sh
# run.sh BUILD_DIR — rkval's benchmarks (`make bench`).  Prints figures;
# asserts nothing: speed targets live here, not in timed tests that flake.
#
#   harness   per-subtest cost inside one process, and process start to
#             the result line of one subtest (target: well under 5 ms)
#   runner    bench/runner-overhead.sh, rkval-run's per-subtest cost
#   programs  every other build/<arch>/bench/* binary (CPU reference and
#             vnpu throughput, ...), each printing its own figures
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${1:-build/$(uname -m | sed -e 's/aarch64/arm64/')}
NOOP=$BUILD/bench/harness_noop
PROCESS_RUNS=200

now_ns() { date +%s%N; }

echo "== harness overhead ($(uname -m), device ${RKVAL_DEVICE:-auto})"
t0=$(now_ns)
"$NOOP" > /dev/null 2>&1
t1=$(now_ns)
subtests=$("$NOOP" --list-subtests | wc -l)
echo "in-process: $subtests subtests in $(( (t1 - t0) / 1000000 )) ms =" \
	"$(( (t1 - t0) / subtests / 1000 )) us per subtest"

t0=$(now_ns)
i=0
while [ $i -lt $PROCESS_RUNS ]; do
	"$NOOP" --run-subtest noop-0 > /dev/null 2>&1
	i=$((i + 1))
done
t1=$(now_ns)
t2=$(now_ns)
i=0
while [ $i -lt $PROCESS_RUNS ]; do
	/bin/true
	i=$((i + 1))
done
t3=$(now_ns)
per=$(( (t1 - t0) / PROCESS_RUNS / 1000 ))
bare=$(( (t3 - t2) / PROCESS_RUNS / 1000 ))
echo "process start to result line: $per us per run ($bare us of it is a bare fork+exec of /bin/true)"

if [ -f bench/runner-overhead.sh ]; then
	echo "== runner overhead"
	sh bench/runner-overhead.sh "$BUILD"
fi

for b in "$BUILD"/bench/*; do
	[ -x "$b" ] || continue
	[ "$b" = "$NOOP" ] && continue
	echo "== $(basename "$b")"
	"$b"
done
