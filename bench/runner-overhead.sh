#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bench/runner-overhead.sh [BUILD_DIR] — what rkval-run costs per subtest.
#
# Runs N empty passing subtests of BUILD_DIR/bench/harness_noop (a harness
# binary like every rkval test, so the runner treats it as it treats them:
# it leads its own process group, no setsid) through the runner and
# prints, per subtest:
#	(runner with N subtests - runner with an empty list) / N
#	- (the same N fake processes started directly) / N
# both as wall time and as CPU time (user+sys of the runner and everything
# it waited for, from the shell's `times`).  CPU time is the steadier figure
# on a shared machine; wall time is what a run feels like.  What remains is
# the runner's own work: the background
# start and wait, parsing, the result files and, if on, the flush to disk.
# Best of REPEAT runs, under dash and busybox sh, in three configurations.
#
# IGT's igt_runner, when found (IGT_RUNNER=path, or igt_runner on PATH; IGT
# is not packaged in Debian 12: build it by hand), runs the same fake
# subtests the same way, so both figures come from one run of this script.

# 200 subtests: the clocks read here tick every 10 ms, 0.05 ms a subtest
N=${RUNNER_BENCH_N:-200}
# harness_noop's subtests (NOOP_SUBTESTS in bench/harness_noop.c)
NOOP_SUBTESTS=1000
export TIMES_FILE
REPEAT=${RUNNER_BENCH_REPEAT:-3}

cd "$(dirname "$0")/.." || exit 1
BUILD=${1:-build/$(uname -m | sed -e 's/aarch64/arm64/')}
NOOP=$BUILD/bench/harness_noop
if [ ! -x "$NOOP" ]; then
	echo "runner-overhead: $NOOP not built (make)" >&2
	exit 1
fi
case $N in
'' | *[!0-9]* | 0)
	echo "runner-overhead: RUNNER_BENCH_N=$N is not 1..$NOOP_SUBTESTS" >&2
	exit 1 ;;
esac
if [ "$N" -gt "$NOOP_SUBTESTS" ]; then
	echo "runner-overhead: RUNNER_BENCH_N=$N is not 1..$NOOP_SUBTESTS" >&2
	exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
TIMES_FILE=$tmp/times

cp "$NOOP" "$tmp/" || exit 1
i=0
while [ "$i" -lt "$N" ]; do
	echo "igt@harness_noop@noop-$i"
	i=$((i + 1))
done >"$tmp/n.testlist"
: >"$tmp/empty.testlist"

cat >"$tmp/bare" <<'BARE'
i=0
while [ $i -lt "$1" ]; do
	IGT_SENTINEL_ON_STDERR=1 "$2/harness_noop" --run-subtest noop-$i >"$2/o" 2>"$2/e" </dev/null
	i=$((i + 1))
done
BARE

# measure SH CMD...: run CMD under SH, print "WALL_US CPU_US"
measure()
{
	msh=$1
	shift
	# shellcheck disable=SC2016 # expanded by the inner shell
	$msh -c '
		read -r up _ </proc/uptime
		t0=${up%.*}${up#*.}
		"$@" >/dev/null 2>&1
		read -r up _ </proc/uptime
		t1=${up%.*}${up#*.}
		# not $(times): a command substitution is a child with no children
		times >"$TIMES_FILE"
		{ read -r _; read -r cu cs; } <"$TIMES_FILE"
		echo "$(( (t1 - t0) * 10000 )) $cu $cs"
	' sh "$@" | {
		read -r wall cu cs
		echo "$wall $(( $(to_us "$cu") + $(to_us "$cs") ))"
	}
}

# to_us "1m2.345678s" -> microseconds
to_us()
{
	m=${1%%m*}
	sec=${1#*m}
	sec=${sec%s}
	whole=${sec%.*}
	frac=${sec#*.}000000
	frac=$(echo "$frac" | cut -c1-6)
	echo $(( m * 60000000 + whole * 1000000 + 1$frac - 1000000 ))
}

# best SH CMD...: "WALL CPU", each the minimum of REPEAT runs
best()
{
	bw=''
	bc=
	r=0
	while [ "$r" -lt "$REPEAT" ]; do
		rm -rf "$tmp/res"
		# shellcheck disable=SC2046 # two numbers
		set -- $(measure "$@") "$@"
		[ -z "$bw" ] || [ "$1" -lt "$bw" ] && bw=$1
		[ -z "$bc" ] || [ "$2" -lt "$bc" ] && bc=$2
		shift 2
		r=$((r + 1))
	done
	echo "$bw $bc"
}

ms()
{
	# µs -> "M.MM"
	[ "$1" -lt 0 ] && set -- 0
	printf '%d.%02d' $(( $1 / 1000 )) $(( ($1 % 1000) / 10 ))
}

echo "# runner-overhead: $N empty harness subtests, best of $REPEAT; $(nproc 2>/dev/null || echo ?) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
for sh in dash "busybox sh"; do
	command -v "${sh%% *}" >/dev/null 2>&1 || continue
	# shellcheck disable=SC2046,SC2086
	set -- $(best "$sh" $sh "$tmp/bare" "$N" "$tmp")
	bare_w=$1 bare_c=$2
	for conf in "0 0" "0 1" "1 0"; do
		use_timeout=${conf% *} sync=${conf#* }
		label="watcher, no flush (vnpu default)"
		[ "$sync" = 1 ] && label="watcher, flush to disk (kernel-backend default)"
		[ "$use_timeout" = 1 ] && label="RKVAL_USE_TIMEOUT=1 (timeout(1)), no flush"
		export RKVAL_SYNC="$sync" RKVAL_USE_TIMEOUT="$use_timeout"
		# shellcheck disable=SC2046,SC2086
		set -- $(best "$sh" $sh runner/rkval-run --bin-dir "$tmp" \
			--list "$tmp/n.testlist" --results "$tmp/res" --timeout 60) \
			$(best "$sh" $sh runner/rkval-run --bin-dir "$tmp" \
			--list "$tmp/empty.testlist" --results "$tmp/res" --timeout 60)
		per_w=$(( ($1 - $3 - bare_w) / N ))
		per_c=$(( ($2 - $4 - bare_c) / N ))
		echo "runner-overhead ($sh, $label): $(ms "$per_c") ms CPU, $(ms "$per_w") ms wall per subtest" \
			"[bare process $(ms $(( bare_c / N ))) ms CPU, $(ms $(( bare_w / N ))) ms wall]"
	done
done

# igt_runner on the same subtests: one process per subtest, as rkval-run
igt=${IGT_RUNNER:-$(command -v igt_runner 2>/dev/null)}
if [ -z "$igt" ] || [ ! -x "$igt" ]; then
	echo "igt_runner: not found (IGT_RUNNER=PATH to IGT's build/runner/igt_runner compares it here)"
	exit 0
fi
echo "igt@harness_noop@noop-0" >"$tmp/igt-1.testlist"
# the test root's binary list, which igt_runner reads even with --test-list
echo harness_noop >"$tmp/test-list.txt"
# igt_runner TESTDIR RESULTS --test-list FILE (IGT runner/settings.c)
# shellcheck disable=SC2046 # two numbers
set -- $(best sh "$igt" --overwrite --test-list "$tmp/n.testlist" "$tmp" "$tmp/res") \
	$(best sh "$igt" --overwrite --test-list "$tmp/igt-1.testlist" "$tmp" "$tmp/res")
bare=$(best sh sh "$tmp/bare" "$N" "$tmp")
bare_w=${bare% *} bare_c=${bare#* }
per_w=$(( ($1 - $3 - bare_w * (N - 1) / N) / (N - 1) ))
per_c=$(( ($2 - $4 - bare_c * (N - 1) / N) / (N - 1) ))
echo "igt_runner overhead ($igt): $(ms "$per_c") ms CPU, $(ms "$per_w") ms wall per subtest"
