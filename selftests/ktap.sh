#!/bin/sh
# ktap.sh — the KTAP the binaries and the runner print, read two ways:
# by the kernel's own parser (tools/testing/kunit/kunit_parser.py from
# Debian's linux-source-6.1, unpacked here at test time) and by a strict
# reading of Documentation/dev-tools/ktap.rst (selftests/lib/ktap-strict.awk).
# Both readings must accept the output, report no parse error, and agree
# result for result; each reader first proves it refuses broken KTAP.
#
# Covered: the harness's mixed self-test binary (every outcome, dynamic
# subtests, watchdog), every test binary on vnpu:rk3568, rocket_conv with
# a vnpu fault that fails its dynamic subtests, and rkval-run --ktap-only.
#
# Environment: BUILD_DIR, EXEC (selftests/lib/build-env.sh).  Prints TAP;
# exits 1 on failure.  Takes ~30 s.
set -u
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
# shellcheck source=selftests/lib/linux-source.sh
. selftests/lib/linux-source.sh

STRICT=selftests/lib/ktap-strict.awk
FLAT=selftests/lib/kunit-flat.py
KUNIT=$tmp/linux/tools/testing/kunit
MIXED=$build/selftests/rkval_selftest_mixed
# kselftest exit codes (tools/testing/selftests/kselftest.h).
KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

# strict_ok FILE: the strict reading accepts FILE; its results in FILE.strict
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
strict_ok() {
	awk -f "$STRICT" "$1" > "$1.strict" 2> "$1.strict-err" && return 0
	sed -e 's/^/# /' "$1.strict-err" | head -n 5
	return 1
}

# kunit_ok FILE: kunit_parser reads FILE without error; results in FILE.kunit
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
kunit_ok() {
	python3 "$FLAT" "$KUNIT" "$1" > "$1.kunit" 2> "$1.kunit-err" && return 0
	sed -e 's/^/# /' "$1.kunit-err" | head -n 5
	return 1
}

# same_reading FILE: both readers saw the same results in the same order
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
same_reading() {
	cmp -s "$1.strict" "$1.kunit" && return 0
	diff "$1.strict" "$1.kunit" | head -n 5 | sed -e 's/^/# /'
	return 1
}

# refused_strict FILE WHY: the strict reading refuses FILE, naming WHY
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
refused_strict() {
	! awk -f "$STRICT" "$1" > /dev/null 2> "$1.err" &&
		grep -q -- "$2" "$1.err"
}

# refused_kunit FILE: kunit_parser records an error on FILE
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
refused_kunit() {
	! python3 "$FLAT" "$KUNIT" "$1" > /dev/null 2>&1
}

# exit_matches STATUS FILE.strict: a kselftest exit status that says what
# the top-level results say (1 if one failed, 4 if all skipped, else 0)
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
exit_matches() {
	want=$(awk -v pass="$KSFT_PASS" -v fail="$KSFT_FAIL" -v skip="$KSFT_SKIP" '
		$1 !~ /\./ { n++; if ($2 == "fail") f++; if ($2 == "skip") s++ }
		END { print f ? fail : (n && s == n) ? skip : pass }' "$2")
	[ "$1" = "$want" ] && return 0
	echo "# exit status $1, expected $want from the results"
	return 1
}

# whole FILE DESC: both readings accept FILE and agree
whole() {
	check "$2: strict ktap.rst reading accepts it" strict_ok "$1"
	check "$2: kunit_parser reads it without error" kunit_ok "$1"
	check "$2: both readings agree result for result" same_reading "$1"
}

if ! command -v python3 > /dev/null 2>&1; then
	not_ok "python3 is installed (scripts/deps.sh CHECK_PKGS)"
	tap_plan
	tap_exit
fi
if ! linux_source_extract "$tmp/linux" tools/testing/kunit/kunit_parser.py \
	tools/testing/kunit/kunit_printer.py; then
	not_ok "kunit_parser.py unpacked from $LINUX_SOURCE_TAR"
	tap_plan
	tap_exit
fi

# --- the readers refuse broken KTAP (written here, not taken from a log) ---
k=$tmp/k
mkdir -p "$k"
cat > "$k/good" <<'EOF'
KTAP version 1
1..2
# a diagnostic before the first test
  KTAP version 1
  1..2
  # inner diagnostic
  ok 1 inner_a
  not ok 2 inner_b # TIMEOUT 5 seconds
# outer failed because inner_b did
not ok 1 outer
ok 2 alone # SKIP nothing to do
EOF
check "readers: a well-formed nested sample is accepted by both" \
	sh -c "awk -f '$STRICT' '$k/good' > '$k/good.strict' && python3 '$FLAT' '$KUNIT' '$k/good' > '$k/good.kunit' && cmp -s '$k/good.strict' '$k/good.kunit'"
check "readers: the sample reads as outer.inner_a pass ... alone skip" sh -c \
	"tr '\\n' '|' < '$k/good.strict' | grep -qx 'outer.inner_a pass|outer.inner_b fail|outer fail|alone skip|'"

sed -e '/^  1\.\.2$/d' "$k/good" > "$k/noplan"
check "readers: strict refuses a nested block without a plan" refused_strict "$k/noplan" 'not followed by a plan line'
sed -e 's/^  # inner diagnostic$/# inner diagnostic/' "$k/good" > "$k/unindented"
check "readers: strict refuses a diagnostic not indented with its block" refused_strict "$k/unindented" 'not indented with its nested block'
sed -e 's/^ok 2 alone/ok 3 alone/' "$k/good" > "$k/numbering"
check "readers: strict refuses a wrong test number" refused_strict "$k/numbering" 'test number 3, expected 2'
check "readers: kunit_parser refuses a wrong test number" refused_kunit "$k/numbering"
sed -e 's/^1\.\.2$/1..3/' "$k/good" > "$k/short"
check "readers: strict refuses fewer results than planned" refused_strict "$k/short" 'planned 3 tests but reported 2'
check "readers: kunit_parser refuses fewer results than planned" refused_kunit "$k/short"
sed -e 's/^  not ok 2 inner_b # TIMEOUT/  ok 2 inner_b # TIMEOUT/' "$k/good" > "$k/okto"
check "readers: strict refuses TIMEOUT on an ok result" refused_strict "$k/okto" 'TIMEOUT directive on an ok'
sed -e 's/# SKIP nothing/# TODO nothing/' "$k/good" > "$k/todo"
check "readers: strict refuses the TODO directive" refused_strict "$k/todo" 'TODO directive'
sed -e 's/# SKIP nothing/# CRASHED nothing/' "$k/good" > "$k/unknowndir"
check "readers: strict refuses an unknown directive" refused_strict "$k/unknowndir" 'unknown directive CRASHED'
sed -e 's/^not ok 1 outer$/ok 1 outer/' "$k/good" > "$k/bubble"
check "readers: strict refuses an ok parent of a failed subtest" refused_strict "$k/bubble" 'is ok but a subtest failed'
sed -e 's/^  ok 1 inner_a$/   ok 1 inner_a/' "$k/good" > "$k/indent"
check "readers: strict refuses a three-space indent" refused_strict "$k/indent" 'indented 3 spaces'
sed -e 's/^# a diagnostic before the first test$/stray text/' "$k/good" > "$k/unknown"
check "readers: strict refuses an unknown line" refused_strict "$k/unknown" 'unknown line'
# The output of the harness before nested blocks had plans (rkval round 1).
sed -e '/^  1\.\.2$/d' -e 's/^  # inner/# inner/' "$k/good" > "$k/round1"
check "readers: kunit_parser refuses nested results without a plan" refused_kunit "$k/round1"

# --- the harness's mixed self-test binary: every outcome once ---
if [ -x "$MIXED" ]; then
	# shellcheck disable=SC2086 # EXEC may be empty or a wrapper command
	$exec_prefix "$MIXED" --list-subtests > "$tmp/mixed.list"
	# shellcheck disable=SC2086
	$exec_prefix "$MIXED" --ktap > "$tmp/mixed" 2> /dev/null
	st=$?
	whole "$tmp/mixed" "rkval_selftest_mixed --ktap"
	check "rkval_selftest_mixed: the top level is its 15 subtests, as listed" sh -c \
		"[ \$(wc -l < '$tmp/mixed.list') -eq 15 ] && awk '\$1 !~ /\\./ { print \$1 }' '$tmp/mixed.strict' | cmp -s - '$tmp/mixed.list'"
	check "rkval_selftest_mixed: 19 leaf tests for kunit (13 + 4 + 2 dynamic)" sh -c \
		"[ \$(awk '\$1 != \"dynamic-mixed\" && \$1 != \"dynamic-pass\"' '$tmp/mixed.kunit' | wc -l) -eq 19 ]"
	check "rkval_selftest_mixed: dynamic subtests nest under their container" \
		grep -qx 'dynamic-mixed.dyn-crash fail' "$tmp/mixed.kunit"
	check "rkval_selftest_mixed: exit status 1 (KSFT_FAIL)" [ "$st" = "$KSFT_FAIL" ]
	# shellcheck disable=SC2086
	$exec_prefix "$MIXED" --ktap --run-subtest nope > "$tmp/nope" 2> /dev/null
	check "--ktap --run-subtest nope: exit 1 (KSFT_FAIL)" [ $? = "$KSFT_FAIL" ]
else
	not_ok "self-test binary $MIXED is built"
fi

# --- every test binary on vnpu ---
for bin in "$build"/tests/*; do
	if [ ! -x "$bin" ] || [ ! -f "$bin" ]; then
		continue
	fi
	name=$(basename "$bin")
	out=$tmp/$name
	# shellcheck disable=SC2086
	$exec_prefix "$bin" --list-subtests > "$out.list" 2> /dev/null
	# shellcheck disable=SC2086
	$exec_prefix "$bin" --ktap --device vnpu:rk3568 > "$out" 2> "$out.stderr"
	st=$?
	whole "$out" "$name --ktap"
	check "$name: top-level results are its listed subtests" sh -c \
		"awk '\$1 !~ /\\./ { print \$1 }' '$out.strict' | cmp -s - '$out.list'"
	check "$name: exit status $st is the kselftest code its results give" \
		exit_matches "$st" "$out.strict"
done

# rocket_conv's dynamic subtests failing under a fault still nest.
conv=$build/tests/rocket_conv
if [ -x "$conv" ]; then
	# shellcheck disable=SC2086
	# Two dynamic subtests: each waits out the 500 ms job timeout.
	RKVAL_VNPU_FAULTS=mac-output-stall $exec_prefix "$conv" --ktap \
		--device vnpu:rk3568 --run-subtest int8 \
		--dynamic-subtest 'conv-in8-k1-cin32-cout32-s1-*' \
		> "$tmp/conv-fault" 2> /dev/null
	st=$?
	whole "$tmp/conv-fault" "rocket_conv --ktap under mac-output-stall"
	check "rocket_conv under mac-output-stall: failed dynamic subtests, exit 1" sh -c \
		"grep -q '^[a-z0-9_-]*\\.[^ ]* fail$' '$tmp/conv-fault.kunit' && [ $st = $KSFT_FAIL ]"
fi

# --- the runner's KTAP ---
if [ -x "$MIXED" ] && [ -z "$exec_prefix" ]; then
	sh runner/rkval-run --bin-dir "$build/selftests" --list testlists/selftest.testlist \
		--results "$tmp/run" --ktap-only > "$tmp/runner" 2> /dev/null
	whole "$tmp/runner" "rkval-run --ktap-only"
	check "rkval-run --ktap-only: every result is an igt@ name" sh -c \
		"[ -s '$tmp/runner.strict' ] && ! grep -v '^igt@' '$tmp/runner.strict'"
	whole "$tmp/run/results.ktap" "rkval-run results.ktap"
fi

tap_plan
tap_exit
