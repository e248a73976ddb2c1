#!/bin/sh
# check.sh — the project's own tests (`make check`).
#
# Builds rkval for the host and for arm64, then runs every check and
# counts its TAP lines ("ok N - ..." / "not ok N - ..." / "# SKIP"):
#   - the unit programs build/<arch>/unit/*            (lib/ and vnpu)
#   - every selftests/*.sh script except this one      (harness protocol,
#     runner, seam, ...); each gets BUILD_DIR and EXEC in its environment
#   - the whole suite on vnpu:rk3568 and vnpu:rk3588 through rkval-run
#   - the arm64 build under qemu-aarch64-static: unit programs, harness
#     protocol checks and the suite's binaries on vnpu (skipped, with that
#     reason, on an arm64 host: there the native build is the arm64 build)
#   - rkval's own coverage against its floor (scripts/coverage.sh)
#   - shellcheck on every shell script
# Logs go to build/check/; the last line is "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)

host_arch=$(uname -m | sed -e 's/aarch64/arm64/')
host_build=build/$host_arch
cross_build=build/arm64
logdir=build/check
mkdir -p "$logdir"

# No check may hang make check: each runs under timeout(1) with this
# limit (seconds); a check that hits it is a failure like any other.
CHECK_TIMEOUT_S=${CHECK_TIMEOUT_S:-600}
bounded() { timeout -k 10 "$CHECK_TIMEOUT_S" "$@"; }

passed=0
failed=0
skipped=0
QEMU=qemu-aarch64-static

note() { printf '%s\n' "$*"; }

# count_tap NAME LOG STATUS: add a TAP log's lines to the totals.
count_tap() {
	name=$1 log=$2 status=$3
	p=$(grep -c '^ok [0-9]' "$log" | tr -d ' ')
	s=$(grep -c '^ok [0-9].*# SKIP' "$log" | tr -d ' ')
	f=$(grep -c '^not ok [0-9]' "$log" | tr -d ' ')
	p=$((p - s))
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		# Died without saying which check: that is a failure too.
		f=1
		echo "not ok - $name exited with status $status" >> "$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$f" -ne 0 ]; then
		note "FAIL $name: $p passed, $f failed, $s skipped (log: $log)"
		grep '^not ok' "$log" | head -n 10 | sed -e 's/^/     /'
	else
		note "ok   $name: $p passed, $s skipped"
	fi
}

# run_tap NAME CMD...: run a TAP-printing check.
run_tap() {
	name=$1
	shift
	log=$logdir/$(echo "$name" | tr '/ :' '___').log
	bounded "$@" > "$log" 2>&1
	status=$?
	[ "$status" -eq 124 ] && echo "not ok - $name timed out after $CHECK_TIMEOUT_S s" >> "$log"
	count_tap "$name" "$log" "$status"
}

# one_check NAME CMD...: a single pass/fail check from an exit status.
one_check() {
	name=$1
	shift
	log=$logdir/$(echo "$name" | tr '/ :' '___').log
	if bounded "$@" > "$log" 2>&1; then
		echo "ok 1 - $name" >> "$log"
	else
		echo "not ok 1 - $name" >> "$log"
	fi
	count_tap "$name" "$log" 0
}

# The suite through the runner: each subtest counts once.
run_suite() {
	name=$1 bindir=$2 device=$3
	log=$logdir/suite-$(echo "$device" | tr ':' '_').log
	res=$logdir/results-$(echo "$device" | tr ':' '_')
	rm -rf "$res"
	bounded sh runner/rkval-run --bin-dir "$bindir" --list testlists/all.testlist \
		--device "$device" --results "$res" > "$log" 2>&1
	status=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		note "FAIL $name: runner printed no closing line (status $status, log: $log)"
		tail -n 5 "$log" | sed -e 's/^/     /'
		return
	fi
	p=$(echo "$line" | sed -e 's/^\([0-9]*\) passed.*/\1/')
	f=$(echo "$line" | sed -e 's/.* \([0-9]*\) failed.*/\1/')
	s=$(echo "$line" | sed -n -e 's/.* \([0-9]*\) skipped.*/\1/p')
	s=${s:-0}
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$f" -ne 0 ] || [ "$status" -ne 0 ]; then
		[ "$f" -eq 0 ] && failed=$((failed + 1))
		note "FAIL $name: $line (results: $res)"
		grep -E '^(FAIL|TIMEOUT|CRASH|INCOMPLETE|DMESG-FAIL)' "$res/summary.txt" 2>/dev/null |
			head -n 10 | sed -e 's/^/     /'
	else
		note "ok   $name: $line"
	fi
}

# Subtests run under qemu.  vnpu models the kernel's 500 ms job timeout in
# real time; under emulation one 32x32x64 3x3 conv job alone takes longer,
# so the saturating all-cores subtests time out by design there.  They run
# natively above; here the point is that the arm64 build works.
qemu_subtests() {
	case $1 in
	rocket_complete) echo '*,!all-cores*' ;;
	*) echo '*' ;;
	esac
}

note "== build"
one_check "build $host_arch" make -j2 WERROR=-Werror all
if [ "$host_arch" = arm64 ]; then
	skipped=$((skipped + 1))
	note "skip build arm64 (cross): the host is arm64, the native build is the arm64 build"
else
	one_check "build arm64 (cross)" make -j2 ARCH=arm64 WERROR=-Werror all
fi

note "== unit tests ($host_arch)"
for t in "$host_build"/unit/*; do
	[ -x "$t" ] || continue
	run_tap "unit/$(basename "$t")" "$t"
done

note "== self-test scripts ($host_arch)"
for s in selftests/*.sh; do
	[ "$s" = selftests/check.sh ] && continue
	run_tap "$(basename "$s" .sh)" env BUILD_DIR="$host_build" EXEC= sh "$s"
done

note "== suite on vnpu ($host_arch)"
run_suite "suite vnpu:rk3568" "$host_build/tests" vnpu:rk3568
run_suite "suite vnpu:rk3588" "$host_build/tests" vnpu:rk3588

note "== arm64 under $QEMU"
if [ "$host_arch" = arm64 ]; then
	skipped=$((skipped + 1))
	note "skip arm64 under $QEMU: the host is arm64, the native passes above ran the arm64 build"
elif command -v "$QEMU" > /dev/null 2>&1; then
	for t in "$cross_build"/unit/*; do
		[ -x "$t" ] || continue
		run_tap "arm64 unit/$(basename "$t")" "$QEMU" "$t"
	done
	run_tap "arm64 harness" env BUILD_DIR="$cross_build" EXEC="$QEMU" \
		sh selftests/harness.sh
	# Emulated runs are slow but small: a hang must not eat CI's budget.
	saved_timeout=$CHECK_TIMEOUT_S
	CHECK_TIMEOUT_S=180
	for t in "$cross_build"/tests/*; do
		[ -x "$t" ] || continue
		case $t in *.txt) continue ;; esac
		one_check "arm64 $(basename "$t") on vnpu:rk3568" \
			sh selftests/lib/run-binary.sh "$QEMU" "$t" vnpu:rk3568 \
			"$(qemu_subtests "$(basename "$t")")"
	done
	CHECK_TIMEOUT_S=$saved_timeout
else
	skipped=$((skipped + 1))
	note "skip arm64: $QEMU not installed"
fi

note "== coverage of rkval itself (make coverage)"
# The floor in scripts/coverage-floor.txt only goes up.
# It runs most of the checks above again on the instrumented build, so it
# gets the time of all of them, not the limit of one.
saved_timeout=$CHECK_TIMEOUT_S
CHECK_TIMEOUT_S=${COVERAGE_TIMEOUT_S:-2700}
one_check "coverage at or above scripts/coverage-floor.txt" sh scripts/coverage.sh
CHECK_TIMEOUT_S=$saved_timeout

note "== shellcheck"
# Every *.sh and every other tracked file that starts with #!/bin/sh.
scripts=$(git ls-files 2>/dev/null | while IFS= read -r f; do
	case $f in
	*.sh) echo "$f" ;;
	*) [ -f "$f" ] && head -n 1 "$f" | grep -q '^#!/bin/sh' && echo "$f" ;;
	esac
done)
# shellcheck disable=SC2086 # one word per script path
one_check "shellcheck" shellcheck -s sh $scripts

note ""
note "check logs: $top/$logdir"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
