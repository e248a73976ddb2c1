#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bench/runner-overhead.sh [BUILD_DIR] — what rkval-run costs per subtest.
#
# Runs N empty passing subtests of BUILD_DIR/bench/harness_noop (a harness
# binary like every rkval test, so the runner treats it as it treats them:
# rkval-exec starts it in a process group of its own) through the runner and
# prints, per subtest:
#	(runner with N subtests - runner with an empty list) / N
#	- (the same N fake processes started directly) / N
# both as wall time and as CPU time (user+sys of the runner and everything
# it waited for, from the shell's `times`).  CPU time is the steadier figure
# on a shared machine; wall time is what a run feels like.  What remains is
# the runner's own work: the start and wait, parsing, the result files
# (creating a file is most of it on ext4) and, if on, the flush to disk.
# The median of REPEAT rounds (each round runs every configuration once,
# the figure of a round from that round's runs), under dash and busybox
# sh, in three configurations.
#
# IGT's igt_runner, when found (IGT_RUNNER=path, or igt_runner on PATH; IGT
# is not packaged in Debian 12: build it by hand), runs the same fake
# subtests the same way, so both figures come from one run of this script.

# 200 subtests: the clocks read here tick every 10 ms, 0.05 ms a subtest
N=${RUNNER_BENCH_N:-200}
# harness_noop's subtests (NOOP_SUBTESTS in bench/harness_noop.c)
NOOP_SUBTESTS=1000
export TIMES_FILE
REPEAT=${RUNNER_BENCH_REPEAT:-5}

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

ms()
{
	# µs -> "M.MM"
	[ "$1" -lt 0 ] && set -- 0
	printf '%d.%02d' $(( $1 / 1000 )) $(( ($1 % 1000) / 10 ))
}

# run_config KEY: measure one configuration once, "WALL_US CPU_US".
# KEY: bare-SH, SH-CONF-LIST (CONF nosync, sync or timeout; LIST n or
# empty), igt-LIST (LIST n or 1).
run_config()
{
	# A results directory of its own for every run, all deleted at the
	# end: for about half a minute after a delete, ext4 steps over the
	# freed inodes when it allocates (recently_deleted() in
	# fs/ext4/ialloc.c), which made creating a file several times
	# dearer than in a real run.  The previous run's data written out
	# first, and a moment for the rest (journal commit, discard).
	run_no=$((run_no + 1))
	res=$tmp/res-$run_no
	sync
	sleep 0.3
	case $1 in
	bare-*)
		rc_sh=$(shell_of "${1#bare-}")
		# shellcheck disable=SC2086 # "busybox sh" is two words
		measure "$rc_sh" $rc_sh "$tmp/bare" "$N" "$tmp" ;;
	igt-*)
		# igt_runner TESTDIR RESULTS --test-list FILE (IGT runner/settings.c)
		measure sh "$igt" --overwrite --test-list "$tmp/${1#igt-}.testlist" \
			"$tmp" "$res" ;;
	*)
		rc_sh=$(shell_of "${1%%-*}")
		rc_conf=${1#*-}
		rc_list=${rc_conf#*-}
		rc_conf=${rc_conf%-*}
		RKVAL_SYNC=0 RKVAL_USE_TIMEOUT=0
		[ "$rc_conf" = sync ] && RKVAL_SYNC=1
		[ "$rc_conf" = timeout ] && RKVAL_USE_TIMEOUT=1
		export RKVAL_SYNC RKVAL_USE_TIMEOUT
		# shellcheck disable=SC2086 # "busybox sh" is two words
		measure "$rc_sh" $rc_sh runner/rkval-run --bin-dir "$tmp" \
			--list "$tmp/$rc_list.testlist" --results "$res" --timeout 60 ;;
	esac
}

shell_of()
{
	case $1 in
	busybox) echo "busybox sh" ;;
	*) echo "$1" ;;
	esac
}

# the configurations, measured in turns (one run of each per round):
# a slow spell of a shared machine then hits every configuration alike
# instead of one of them.  Each figure is the median over the rounds of
# that round's own difference, so every figure comes from runs made
# minutes apart at most.
igt=${IGT_RUNNER:-$(command -v igt_runner 2>/dev/null)}
[ -n "$igt" ] && [ ! -x "$igt" ] && igt=
keys=
shells=
for sh in dash busybox; do
	command -v "$sh" >/dev/null 2>&1 || continue
	shells="$shells $sh"
	keys="$keys bare-$sh"
	for conf in nosync sync timeout; do
		keys="$keys $sh-$conf-n $sh-$conf-empty"
	done
done
if [ -n "$igt" ]; then
	echo "igt@harness_noop@noop-0" >"$tmp/1.testlist"
	# the test root's binary list, which igt_runner reads even with --test-list
	echo harness_noop >"$tmp/test-list.txt"
	keys="$keys igt-n igt-1"
fi
mkdir "$tmp/vals"
run_no=0
r=0
while [ "$r" -lt "$REPEAT" ]; do
	for key in $keys; do
		run_config "$key" >>"$tmp/vals/$key"
	done
	r=$((r + 1))
done

# per_round N_KEY BASE_KEY BARE_KEY COUNT: each round's "WALL CPU" per
# subtest, in us: (N_KEY - BASE_KEY - BARE_KEY * COUNT / N) / COUNT
per_round()
{
	paste -d ' ' "$tmp/vals/$1" "$tmp/vals/$2" "$tmp/vals/$3" |
		awk -v n="$N" -v count="$4" '{
			printf "%d %d\n", ($1 - $3 - $5 * count / n) / count,
				($2 - $4 - $6 * count / n) / count }'
}

# median COLUMN: the median of a column of per_round's lines on stdin
median()
{
	cut -d ' ' -f "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "# runner-overhead: $N empty harness subtests, median of $REPEAT rounds; $(nproc 2>/dev/null || echo ?) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
for sh in $shells; do
	bare=$(median 1 <"$tmp/vals/bare-$sh")
	bare_c=$(median 2 <"$tmp/vals/bare-$sh")
	for conf in nosync sync timeout; do
		case $conf in
		nosync) label="no flush (vnpu default)" ;;
		sync) label="flush to disk (kernel-backend default)" ;;
		timeout) label="RKVAL_USE_TIMEOUT=1 (timeout(1)), no flush" ;;
		esac
		per_round "$sh-$conf-n" "$sh-$conf-empty" "bare-$sh" "$N" >"$tmp/per-$sh-$conf"
		echo "runner-overhead ($(shell_of "$sh"), $label): $(ms "$(median 2 <"$tmp/per-$sh-$conf")") ms CPU, $(ms "$(median 1 <"$tmp/per-$sh-$conf")") ms wall per subtest" \
			"[bare process $(ms $(( bare_c / N ))) ms CPU, $(ms $(( bare / N ))) ms wall]"
	done
done

# igt_runner on the same subtests: one process per subtest, as rkval-run
if [ -z "$igt" ]; then
	echo "igt_runner: not found (IGT_RUNNER=PATH to IGT's build/runner/igt_runner compares it here)"
	exit 0
fi
per_round igt-n igt-1 bare-dash $((N - 1)) >"$tmp/per-igt"
echo "igt_runner overhead ($igt): $(ms "$(median 2 <"$tmp/per-igt")") ms CPU, $(ms "$(median 1 <"$tmp/per-igt")") ms wall per subtest"
below=$(paste -d ' ' "$tmp/per-dash-nosync" "$tmp/per-igt" | awk '$1 <= $3' | wc -l)
echo "rkval-run (dash, no flush) at or below igt_runner, wall: $below of $REPEAT rounds"
