#!/bin/sh
# harness.sh — checks the exact IGT protocol and KTAP output of the harness
# on its mixed self-test binary (selftests/bin/rkval_selftest_mixed.c).
# Expected strings come from shared/IGT igt_core.c and
# ktap.rst; a failing check says which line differed.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (a wrapper such as
# qemu-aarch64-static, empty for native).  Prints TAP; exits 1 on failure.
set -u
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
BIN=$build/selftests/rkval_selftest_mixed
NAME=rkval_selftest_mixed

# run ARGS...: run the binary; stdout/stderr/status in $tmp/out, err, status.
run() {
	# shellcheck disable=SC2086 # EXEC may be empty or a wrapper command
	$exec_prefix "$BIN" "$@" > "$tmp/out" 2> "$tmp/err"
	echo $? > "$tmp/status"
}
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
status_is() { [ "$(cat "$tmp/status")" = "$1" ]; }
out_has() { grep -Eq -- "$1" "$tmp/out"; }
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
err_has() { grep -Eq -- "$1" "$tmp/err"; }
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
out_lacks() { ! grep -Eq -- "$1" "$tmp/out"; }
# The line just before the result line of subtest $1.
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
line_before_result() {
	grep -B1 -E "^Subtest $1: " "$tmp/out" | head -n 1
}

T='\([0-9]+\.[0-9]{3}s\)'

if [ ! -x "$BIN" ]; then
	not_ok "self-test binary $BIN is built"
	exit 1
fi

# --- listing (IGT igt_core.c, IGT runner/job_list.c) ---
run --list-subtests
check "--list-subtests exits 0" status_is 0
check "--list-subtests prints names only" sh -c "! grep -Evq '^[A-Za-z0-9_-]+$' '$tmp/out'"
check "--list-subtests lists 15 subtests" [ "$(wc -l < "$tmp/out")" -eq 15 ]
check "subtest names are unique" [ "$(sort "$tmp/out" | uniq -d | wc -l)" -eq 0 ]
check "--list-subtests writes nothing to stderr" [ ! -s "$tmp/err" ]
run --show-testlist
check "--show-testlist prints igt@BIN@SUBTEST" out_has "^igt@$NAME@pass-one$"
run --describe
check "--describe prints SUB name file:line:" out_has "^SUB pass-one selftests/bin/$NAME.c:[0-9]+:$"
check "--describe indents the description by two spaces" out_has "^  A subtest that passes\.$"
check "--describe starts with the test description" \
	sh -c "head -n 1 '$tmp/out' | grep -q '^Harness self-test'"
run --help
check "--help exits 0" status_is 0
check "--help starts with Usage: BIN [OPTIONS]" sh -c "head -n 1 '$tmp/out' | grep -q '^Usage: $NAME \[OPTIONS\]$'"
run --invalid-option
check "an unknown option exits 79" status_is 79
check "an unknown option prints usage on stderr" err_has '^Usage: '
run --version
check "--version prints the IGT-Version line and exits 0" sh -c \
	"grep -Eq '^IGT-Version: [0-9.]+-[0-9a-zA-Z-]+ \([a-z0-9_]+\) \(Linux: .+\)$' '$tmp/out' && [ \$(cat '$tmp/status') = 0 ]"
run --list-verdicts
check "--list-verdicts names the stages" out_has '^mac-output-stall +'

# --- one subtest per process, as rkval-run and igt_runner do ---
run --run-subtest pass-one
check "pass-one exits 0" status_is 0
check "IGT-Version line first" sh -c "head -n 1 '$tmp/out' | grep -q '^IGT-Version: '"
check "IGT_SRANDOM line" out_has '^Using IGT_SRANDOM=[0-9]+ for randomisation$'
check "Starting subtest: pass-one" out_has '^Starting subtest: pass-one$'
check "Subtest pass-one: SUCCESS (T.TTTs)" out_has "^Subtest pass-one: SUCCESS $T\$"
check "only pass-one ran" out_lacks '^Starting subtest: (fail|skip)'
# Fixtures run whatever is selected (as in IGT): the failing fixture of the
# fixture-fail group is the only stderr output allowed here.
check "a passing subtest writes nothing else to stderr" sh -c \
	"! grep -v 'CRITICAL: no-device: fixture could not open the device' '$tmp/err' | grep -q ."

run --run-subtest fail-one
check "fail-one exits 98" status_is 98
check "Subtest fail-one: FAIL" out_has "^Subtest fail-one: FAIL $T\$"
check "VERDICT line right before the FAIL line" sh -c \
	"grep -B1 '^Subtest fail-one: ' '$tmp/out' | head -n 1 | grep -q '^VERDICT: assert .*rkval_selftest_mixed.c:[0-9]*: 1 == 2: error: 1 != 2$'"
check "failure text: Test assertion failure" err_has "^\($NAME:[0-9]+\) CRITICAL: Test assertion failure function .*, file selftests/bin/$NAME.c:[0-9]+:$"
check "failure text: Failed assertion" err_has "^\($NAME:[0-9]+\) CRITICAL: Failed assertion: 1 == 2$"
check "failure text: Subtest fail-one failed." err_has '^Subtest fail-one failed\.$'
check "failure text: DEBUG block" err_has '^\*\*\*\* DEBUG \*\*\*\*$'

run --run-subtest fail-verdict
check "igt_fail_verdict prints its stage and facts" sh -c \
	"[ \"\$(line_before=\$(grep -B1 '^Subtest fail-verdict: ' '$tmp/out' | head -n 1); echo \"\$line_before\")\" = 'VERDICT: mac-output-stall input 4096/4096 B read, output 0/8192 B written' ]"

run --run-subtest skip-one
check "skip-one exits 77" status_is 77
check "skip text: Test requirement not met" out_has '^Test requirement not met in function .*, file selftests/bin/rkval_selftest_mixed.c:[0-9]+:$'
check "skip text: Test requirement: 0" out_has '^Test requirement: 0$'
check "Subtest skip-one: SKIP" out_has "^Subtest skip-one: SKIP $T\$"

run --run-subtest crash-one
check "crash-one exits 128+SIGSEGV (139)" status_is 139
check "Received signal SIGSEGV. on stderr" err_has '^Received signal SIGSEGV\.$'
check "Subtest crash-one: CRASH" out_has "^Subtest crash-one: CRASH $T\$"
check "VERDICT: crash" out_has '^VERDICT: crash SIGSEGV in subtest crash-one$'

run --run-subtest watchdog-one
check "watchdog-one exits 98" status_is 98
check "watchdog-one fails with its verdict" sh -c \
	"grep -B1 '^Subtest watchdog-one: FAIL' '$tmp/out' | head -n 1 | grep -q '^VERDICT: watchdog subtest watchdog-one still running after 1 s$'"

run --run-subtest 'watchdog-one,pass-after-groups'
check "the binary goes on after a watchdog timeout" sh -c \
	"grep -q '^Subtest watchdog-one: FAIL' '$tmp/out' && grep -q '^Subtest pass-after-groups: SUCCESS' '$tmp/out'"

run --run-subtest warn-one
check "warn-one passes but writes to stderr (igt_runner: warn)" sh -c \
	"[ \$(cat '$tmp/status') = 0 ] && grep -q 'WARNING: something looked odd' '$tmp/err'"

# --- sentinels (IGT igt_core.c) ---
IGT_SENTINEL_ON_STDERR=1 run --run-subtest pass-one
check "IGT_SENTINEL_ON_STDERR repeats Starting on stderr" err_has '^Starting subtest: pass-one$'
check "IGT_SENTINEL_ON_STDERR repeats the result on stderr" err_has "^Subtest pass-one: SUCCESS $T\$"

# --- --hook, as igt_runner passes it through (IGT igt_core.c) ---
# shellcheck disable=SC2016 # the hook's $IGT_HOOK_* expand in its own shell
run --run-subtest pass-one --hook 'post-subtest:echo "HOOK $IGT_HOOK_EVENT $IGT_HOOK_TEST_FULLNAME $IGT_HOOK_RESULT"'
check "--hook runs the command at post-subtest with IGT_HOOK_* set" \
	out_has '^HOOK post-subtest igt@rkval_selftest_mixed@pass-one SUCCESS$'
run --help-hook
check "--help-hook exits 0" status_is 0

# --- selection (IGT uwildmat.c) ---
run --run-subtest 'pass-*,!pass-after-groups'
check "patterns: comma list and ! negation" sh -c \
	"grep -q '^Starting subtest: pass-one$' '$tmp/out' && ! grep -q 'pass-after-groups' '$tmp/out'"
run --run-subtest '*,!crash-one,!watchdog-one,!fail-*,!dynamic-mixed,!fixture-fail-a'
check "*,!a,!b runs the rest and exits 0" status_is 0
run --run-subtest no-such-subtest
check "unknown subtest exits 79" status_is 79
check "unknown subtest message" err_has "^\($NAME:[0-9]+\) igt_core-CRITICAL: Unknown subtest: no-such-subtest$"

# --- dynamic subtests ---
run --run-subtest dynamic-mixed
check "dynamic-mixed: container FAILs" out_has "^Subtest dynamic-mixed: FAIL $T\$"
check "dynamic: Starting dynamic subtest line" out_has '^Starting dynamic subtest: dyn-pass$'
check "dynamic: pass line" out_has "^Dynamic subtest dyn-pass: SUCCESS $T\$"
check "dynamic: fail line" out_has "^Dynamic subtest dyn-fail: FAIL $T\$"
check "dynamic: skip line" out_has "^Dynamic subtest dyn-skip: SKIP $T\$"
check "dynamic: crash line" out_has "^Dynamic subtest dyn-crash: CRASH $T\$"
check "dynamic: exit status is the first failure's (98, not the later crash's)" status_is 98
run --run-subtest dynamic-mixed --dynamic-subtest dyn-pass
check "--dynamic-subtest selects one dynamic subtest" sh -c \
	"grep -q '^Subtest dynamic-mixed: SUCCESS' '$tmp/out' && ! grep -q 'dyn-fail' '$tmp/out'"
run --run-subtest dynamic-none
check "an empty dynamic container is SKIP" sh -c \
	"grep -q '^No dynamic tests executed\.$' '$tmp/out' && grep -Eq '^Subtest dynamic-none: SKIP' '$tmp/out' && [ \$(cat '$tmp/status') = 77 ]"

# --- fixtures ---
run --run-subtest 'fixture-skip-*'
check "a skipping fixture: result lines without Starting" sh -c \
	"grep -q '^Subtest fixture-skip-a: SKIP (0.000s)$' '$tmp/out' && ! grep -q '^Starting subtest: fixture-skip' '$tmp/out'"
check "a skipping fixture: exit 77" status_is 77
run --run-subtest fixture-fail-a
check "a failing fixture fails the group with its verdict" sh -c \
	"grep -B1 '^Subtest fixture-fail-a: FAIL (0.000s)$' '$tmp/out' | head -n 1 | grep -q '^VERDICT: no-device fixture could not open the device$'"
check "a failing fixture: exit 98" status_is 98
run --run-subtest 'fixture-*,pass-after-groups'
check "groups end the fixture's effect" out_has "^Subtest pass-after-groups: SUCCESS $T\$"

# --- whole binary ---
run --run-subtest '*,!watchdog-one'
check "whole binary: exit status is the first failure's code" status_is 98
check "every selected subtest reported once" [ "$(grep -c '^Subtest ' "$tmp/out")" -eq 14 ]
run --run-subtest 'pass-one,crash-one'
check "a crash as first failure: exit status 128+SIGSEGV" status_is 139

# --- KTAP (ktap.rst) ---
run --ktap --run-subtest '*,!watchdog-one'
check "KTAP: version line first" sh -c "head -n 1 '$tmp/out' | grep -qx 'KTAP version 1'"
check "KTAP: plan second" sh -c "sed -n 2p '$tmp/out' | grep -qx '1..14'"
check "KTAP: ok line" out_has '^ok 1 pass-one$'
check "KTAP: not ok line" out_has '^not ok 2 fail-one$'
check "KTAP: skip directive with reason" out_has '^ok 4 skip-one # SKIP no such feature$'
check "KTAP: verdict as a diagnostic" out_has '^# VERDICT: assert '
check "KTAP: nested dynamic block" sh -c \
	"grep -qx '  KTAP version 1' '$tmp/out' && grep -qx '  ok 1 dyn-pass' '$tmp/out' && grep -qx '  not ok 2 dyn-fail' '$tmp/out'"
check "KTAP: the nested block has its own plan after its version line" sh -c \
	"grep -A1 -x '  KTAP version 1' '$tmp/out' | sed -n 2p | grep -qx '  1..4'"
check "KTAP: a nested block's diagnostics are indented with it" sh -c \
	"grep -qx '  # dyn-pass runs' '$tmp/out' && grep -qx '  # VERDICT: crash SIGBUS in subtest dynamic-mixed (dynamic dyn-crash)' '$tmp/out'"
check "KTAP: the container's own verdict is at its level, after the block" sh -c \
	"grep -A2 -x '  not ok 4 dyn-crash # crashed' '$tmp/out' | sed -n 2,3p | tr '\\n' '|' | grep -qx '# VERDICT: assert 2 dynamic subtest(s) failed|not ok 8 dynamic-mixed|'"
check "KTAP: an empty container opens no nested block" sh -c \
	"grep -B1 '^ok 10 dynamic-none' '$tmp/out' | head -n 1 | grep -qx '# No dynamic tests executed.'"
check "KTAP: fixture skip carries the reason" out_has '^ok [0-9]+ fixture-skip-a # SKIP fixture requirement$'
check "KTAP: totals line" out_has '^# Totals: pass:[0-9]+ fail:[0-9]+ xfail:0 xpass:0 skip:[0-9]+ error:0$'
check "KTAP: no IGT sentinel lines" out_lacks '^(Starting subtest|Subtest )'
run --ktap --run-subtest pass-one
check "KTAP: all pass exits 0" status_is 0
run --ktap --run-subtest skip-one
check "KTAP: all skipped exits 4" status_is 4
run --ktap --run-subtest fail-one
check "KTAP: a failure exits 1" status_is 1
run --ktap --run-subtest watchdog-one
check "KTAP: watchdog is # TIMEOUT" out_has '^not ok 1 watchdog-one # TIMEOUT 1 seconds$'
run --ktap --run-subtest no-such-subtest
check "KTAP: an unknown subtest exits 1 (KSFT_FAIL), not 79" status_is 1
check "KTAP: an unknown subtest bails out by name" out_has '^Bail out! Unknown subtest: no-such-subtest$'
run --ktap --no-such-option
check "KTAP: a usage error exits 1 (KSFT_FAIL)" status_is 1

# --- under the kselftest runner: no options, KTAP all the same ---
# kselftest/runner.sh exports kselftest_default_timeout to every test.
kselftest_default_timeout=45 run --run-subtest 'pass-one,skip-one'
check "kselftest runner detected: KTAP without --ktap" sh -c \
	"head -n 2 '$tmp/out' | tr '\\n' '|' | grep -qx 'KTAP version 1|1..2|'"
kselftest_default_timeout=45 run --run-subtest skip-one
check "kselftest runner detected: all skipped exits 4 (KSFT_SKIP), not 77" status_is 4
kselftest_default_timeout=45 RKVAL_KTAP=0 run --run-subtest skip-one
check "RKVAL_KTAP=0 keeps the IGT protocol under the kselftest runner" sh -c \
	"[ \$(cat '$tmp/status') = 77 ] && grep -q '^Subtest skip-one: SKIP' '$tmp/out'"
RKVAL_KTAP=1 run --run-subtest pass-one
check "RKVAL_KTAP=1 asks for KTAP without --ktap" out_has '^ok 1 pass-one$'

# --- kernel-log markers through the seam (IGT igt_core.c), on vnpu ---
run --run-subtest pass-one --device vnpu
if out_has '^Backend: vnpu'; then
	RKVAL_VNPU_KMSG=$tmp/kmsg run --run-subtest 'pass-one,dmesg-expected' --device vnpu
	check "kmsg: starting subtest marker" grep -q "\[IGT\] $NAME: starting subtest pass-one" "$tmp/kmsg"
	check "kmsg: ignore-regex record" grep -q '\[IGT\] add ignored dmesg regex: rkval selftest: expected \.\*' "$tmp/kmsg"
	check "kmsg: records in /dev/kmsg format" sh -c \
		"grep '\[IGT\] $NAME: starting subtest pass-one' '$tmp/kmsg' | grep -Eq '^[0-9]+,[0-9]+,[0-9]+,[-c];'"
else
	skip "kmsg markers: vnpu backend not available"
fi

tap_plan
tap_exit
