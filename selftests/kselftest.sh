#!/bin/sh
# kselftest.sh — the kselftest install tree (`make install-kselftest`):
# its layout, a run of D/run_kselftest.sh on vnpu (as the kselftest runner
# runs it: no options to the binaries, each must speak KTAP and exit with
# kselftest codes by itself), skip, failure, timeout and missing-test
# handling, the settings file and KSELFTEST_<NAME>_ARGS, input errors
# with file and line, the run under busybox sh, and the same tree driven
# by the kernel's own runner (run_kselftest.sh and kselftest/runner.sh
# of Debian's linux-source-6.1, unpacked at test time).  The run's TAP
# is read by kunit_parser and the strict KTAP reading as well.
#
# Environment: BUILD_DIR, EXEC (selftests/lib/build-env.sh); only the
# host build is installed (EXEC set: the script checks nothing).  Prints
# TAP; exits 1 on failure.  Takes ~40 s.
set -u
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
# shellcheck source=selftests/lib/linux-source.sh
. selftests/lib/linux-source.sh

D=$tmp/ks
MIXED=$build/selftests/rkval_selftest_mixed
KUNIT=$tmp/linux/tools/testing/kunit
# The per-collection plan count: one entry per test binary.
NBINS=$(find "$build/tests" -maxdepth 1 -type f -perm -u+x | wc -l)

# has FILE LINE: FILE holds LINE exactly
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
has() {
	grep -qxF -e "$2" "$1" && return 0
	printf '# "%s" not in %s\n' "$2" "$1"
	return 1
}

if [ -n "$exec_prefix" ]; then
	skip "kselftest tree: only the host build is installed and run"
	tap_plan
	tap_exit
fi

# --- layout ---
# Install the build under test: the coverage build is made with
# COVERAGE=1 (scripts/coverage.sh), any other is named by BUILD.
case $build in
*-cov) make_build=COVERAGE=1 ;;
*) make_build=BUILD=$build ;;
esac
check "make install-kselftest INSTALL_PATH=D succeeds" \
	sh -c "make -s --no-print-directory $make_build install-kselftest INSTALL_PATH='$D' > '$tmp/install.log' 2>&1"
check "make install-kselftest without INSTALL_PATH fails with a message" sh -c \
	"! make -s --no-print-directory $make_build install-kselftest > '$tmp/noinst.log' 2>&1 && grep -q 'set INSTALL_PATH' '$tmp/noinst.log'"
check "D/run_kselftest.sh is executable" [ -x "$D/run_kselftest.sh" ]
check "D/kselftest/runner.sh and ktap_helpers.sh are there" sh -c \
	"[ -r '$D/kselftest/runner.sh' ] && [ -r '$D/kselftest/ktap_helpers.sh' ]"
check "D/kselftest-list.txt: rkval:<binary> for each of the $NBINS binaries" sh -c \
	"find '$build/tests' -maxdepth 1 -type f -perm -u+x -printf 'rkval:%f\\n' | sort | cmp -s - \"\$(sort '$D/kselftest-list.txt' > '$tmp/list.sorted'; echo '$tmp/list.sorted')\""
check "D/rkval/ holds every binary of the build under test" sh -c \
	"for e in \$(cat '$D/kselftest-list.txt'); do cmp -s '$D/rkval/'\${e#rkval:} '$build/tests/'\${e#rkval:} || exit 1; done"
check "D/rkval/settings sets timeout= in seconds" \
	grep -Eq '^timeout=[0-9]+$' "$D/rkval/settings"

# --- a whole run on vnpu ---
: > "$tmp/kmsg"
RKVAL_KSELFTEST_KMSG=$tmp/kmsg RKVAL_DEVICE=vnpu:rk3568 "$D/run_kselftest.sh" > "$tmp/run" 2>&1
st=$?
check "run_kselftest.sh: exit 0 when nothing failed" [ "$st" = 0 ]
check "run_kselftest.sh: TAP version 13, then the plan 1..$NBINS" sh -c \
	"head -n 2 '$tmp/run' | tr '\\n' '|' | grep -qx 'TAP version 13|1..$NBINS|'"
check "run_kselftest.sh: ok N selftests: rkval: BIN for every binary, in list order" sh -c \
	"grep -E '^(not )?ok [0-9]+ ' '$tmp/run' > '$tmp/results' &&
	 awk '{ print \"ok \" NR \" selftests: rkval: \" substr(\$0, 7) }' '$D/kselftest-list.txt' | cmp -s - '$tmp/results'"
check "run_kselftest.sh: each binary spoke KTAP without --ktap" sh -c \
	"[ \$(grep -c '^# KTAP version 1\$' '$tmp/run') -eq $NBINS ]"
check "run_kselftest.sh: no IGT exit code leaks (exit=77, exit=79)" sh -c \
	"! grep -Eq 'exit=(77|79|98)' '$tmp/run'"
# rocket_basic's first subtest (abi-sizes was dropped: it could not fail).
check "run_kselftest.sh: the test output is prefixed \"# \"" \
	has "$tmp/run" "# ok 1 open-close"
check "run_kselftest.sh: the settings timeout is announced" \
	has "$tmp/run" "# timeout set to $(sed -n 's/^timeout=//p' "$D/rkval/settings")"
check "run_kselftest.sh: the totals line" \
	has "$tmp/run" "# Totals: pass:$NBINS fail:0 xfail:0 xpass:0 skip:0 error:0"
check "run_kselftest.sh: the collection's start goes to the kernel log" \
	has "$tmp/kmsg" "kselftest: Running tests in rkval"

# --- skip, failure, timeout, missing, per-test arguments ---
# A second collection beside rkval: the mixed self-test binary under
# several names (one outcome each, chosen by KSELFTEST_<NAME>_ARGS), a
# test that outlives its limit and one that is listed but not installed.
mkdir -p "$D/mix"
for copy in mixed_skip mixed_fail mixed_pass mixed_dyn; do
	cp "$MIXED" "$D/mix/$copy"
done
printf '#!/bin/sh\nsleep 30\n' > "$D/mix/hang"
chmod +x "$D/mix/hang"
printf '# the collection of selftests/kselftest.sh\ntimeout=2\n' > "$D/mix/settings"
printf 'mix:%s\n' mixed_skip mixed_fail mixed_pass mixed_dyn hang gone > "$tmp/mixlist"
cat "$tmp/mixlist" >> "$D/kselftest-list.txt"
KSELFTEST_MIXED_SKIP_ARGS='--run-subtest skip-one' \
KSELFTEST_MIXED_FAIL_ARGS='--run-subtest pass-one,fail-one' \
KSELFTEST_MIXED_PASS_ARGS='--run-subtest pass-*' \
KSELFTEST_MIXED_DYN_ARGS='--run-subtest dynamic-mixed' \
RKVAL_KSELFTEST_KMSG=$tmp/kmsg "$D/run_kselftest.sh" -c mix > "$tmp/mix" 2>&1
st=$?
check "mix: the plan counts the collection's 6 tests" has "$tmp/mix" "1..6"
check "mix: an all-skip binary is ok with the SKIP directive (exit 4, not 77)" \
	has "$tmp/mix" "ok 1 selftests: mix: mixed_skip # SKIP"
check "mix: a failing binary is not ok # exit=1" \
	has "$tmp/mix" "not ok 2 selftests: mix: mixed_fail # exit=1"
check "mix: KSELFTEST_<NAME>_ARGS reached the binary" sh -c \
	"grep -qx 'ok 3 selftests: mix: mixed_pass' '$tmp/mix' && grep -qx '# ok 2 pass-after-groups' '$tmp/mix'"
check "mix: dynamic subtests keep their nested block, prefixed" sh -c \
	"grep -qx '#   KTAP version 1' '$tmp/mix' && grep -qx '#   1..4' '$tmp/mix' && grep -qx 'not ok 4 selftests: mix: mixed_dyn # exit=1' '$tmp/mix'"
check "mix: the settings file's timeout=2 ends a hung test: # TIMEOUT 2 seconds" \
	has "$tmp/mix" "not ok 5 selftests: mix: hang # TIMEOUT 2 seconds"
check "mix: a listed test that is not installed is reported missing" sh -c \
	"grep -qx '# Warning: file gone is missing!' '$tmp/mix' && grep -qx 'not ok 6 selftests: mix: gone' '$tmp/mix'"
check "mix: a failure makes run_kselftest.sh exit 1" [ "$st" = 1 ]
RKVAL_KSELFTEST_KMSG=$tmp/kmsg "$D/run_kselftest.sh" -o 1 -t mix:hang > "$tmp/override" 2>&1
check "-o 1 overrides the settings timeout" sh -c \
	"grep -qx '# overriding timeout to 1' '$tmp/override' && grep -qx 'not ok 1 selftests: mix: hang # TIMEOUT 1 seconds' '$tmp/override'"
KSELFTEST_MIXED_SKIP_ARGS="--run-subtest skip-one" RKVAL_KSELFTEST_KMSG=$tmp/kmsg \
	busybox sh "$D/run_kselftest.sh" -t mix:mixed_skip -t rkval:rocket_basic > "$tmp/busybox" 2>&1
check "under busybox sh: the same lines" sh -c \
	"grep -qx 'ok 1 selftests: mix: mixed_skip # SKIP' '$tmp/busybox' && grep -qx 'ok 2 selftests: rkval: rocket_basic' '$tmp/busybox'"
mkdir -p "$tmp/bb"
ln -s "$(command -v busybox)" "$tmp/bb/timeout"
# busybox's timeout signals the test alone: a hung test that forked
# would keep the output pipe open, so this one hangs in its own process.
printf '#!/bin/sh\nexec sleep 30\n' > "$D/mix/hang"
PATH=$tmp/bb:$PATH RKVAL_KSELFTEST_KMSG=$tmp/kmsg "$D/run_kselftest.sh" -t mix:hang > "$tmp/bbtimeout" 2>&1
check "with busybox timeout (exit 143): still # TIMEOUT 2 seconds" \
	has "$tmp/bbtimeout" "not ok 1 selftests: mix: hang # TIMEOUT 2 seconds"

# --- input errors name the file and line ---
"$D/run_kselftest.sh" -t rkval:no_such_test > "$tmp/usage" 2>&1
check "an unknown -t test: exit 2 and its name" sh -c \
	"[ $? = 2 ] && grep -q \"No such test 'rkval:no_such_test'\" '$tmp/usage'"
cp "$D/kselftest-list.txt" "$tmp/list.saved"
printf 'rkval:bad name\n' >> "$D/kselftest-list.txt"
"$D/run_kselftest.sh" -l > "$tmp/badlist" 2>&1
check "a malformed kselftest-list.txt line: exit 2, file and line named" sh -c \
	"[ $? = 2 ] && grep -q 'kselftest-list.txt:$(($(wc -l < "$tmp/list.saved") + 1)): not a COLLECTION:TEST entry' '$tmp/badlist'"
cp "$tmp/list.saved" "$D/kselftest-list.txt"
printf 'timeout=soon\n' > "$D/mix/settings"
RKVAL_KSELFTEST_KMSG=$tmp/kmsg "$D/run_kselftest.sh" -t mix:mixed_skip > "$tmp/badset" 2>&1
check "a bad settings line is a warning naming file and line" \
	grep -q "^# Warning: .*mix/settings:1: timeout \"soon\" is not a number of seconds" "$tmp/badset"

# --- the run read as KTAP ---
if linux_source_extract "$tmp/linux" tools/testing/kunit/kunit_parser.py \
	tools/testing/kunit/kunit_printer.py \
	tools/testing/selftests/run_kselftest.sh \
	tools/testing/selftests/kselftest/runner.sh \
	tools/testing/selftests/kselftest/prefix.pl; then
	check "the whole run: kunit_parser reads $NBINS results without error" sh -c \
		"python3 selftests/lib/kunit-flat.py '$KUNIT' '$tmp/run' > '$tmp/run.kunit' && [ \$(wc -l < '$tmp/run.kunit') -eq $NBINS ]"
	check "the whole run: the strict KTAP reading (TAP 13 header) agrees" sh -c \
		"awk -v tap13=1 -f selftests/lib/ktap-strict.awk '$tmp/run' | cmp -s - '$tmp/run.kunit'"

	# --- the kernel's own runner on the same tree ---
	K=$tmp/kernel-tree
	mkdir -p "$K/kselftest"
	cp -R "$D/rkval" "$D/mix" "$K/"
	sel=$tmp/linux/tools/testing/selftests
	cp "$sel/run_kselftest.sh" "$K/"
	cp "$sel/kselftest/runner.sh" "$sel/kselftest/prefix.pl" "$K/kselftest/"
	printf 'rkval:rocket_basic\nrkval:rocket_conv\nmix:mixed_skip\nmix:mixed_fail\n' \
		> "$K/kselftest-list.txt"
	printf 'timeout=300\n' > "$K/mix/settings"
	KSELFTEST_MIXED_SKIP_ARGS='--run-subtest skip-one' \
	KSELFTEST_MIXED_FAIL_ARGS='--run-subtest pass-one,fail-one' \
	RKVAL_DEVICE=vnpu:rk3568 sh "$K/run_kselftest.sh" > "$tmp/kernel-run" 2>&1
	check "kernel 6.1 runner: rkval binaries pass, in KTAP" sh -c \
		"grep -qx 'ok 1 selftests: rkval: rocket_basic' '$tmp/kernel-run' && grep -qx 'ok 2 selftests: rkval: rocket_conv' '$tmp/kernel-run' && grep -qx '# KTAP version 1' '$tmp/kernel-run'"
	check "kernel 6.1 runner: an all-skip binary is ok with the SKIP directive" \
		has "$tmp/kernel-run" "ok 1 selftests: mix: mixed_skip # SKIP"
	check "kernel 6.1 runner: a failing binary is not ok # exit=1" \
		has "$tmp/kernel-run" "not ok 2 selftests: mix: mixed_fail # exit=1"
else
	not_ok "kernel runner and kunit_parser unpacked from $LINUX_SOURCE_TAR"
fi

tap_plan
tap_exit
