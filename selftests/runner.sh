#!/bin/sh
# SPDX-License-Identifier: MIT
#
# selftests/runner.sh — checks runner/rkval-run under dash and busybox sh.
#
# Drives the runner over selftests/runner-fixtures/fake-igt-test (a shell
# imitation of the IGT protocol, one subtest per outcome) and, once it is
# built, over the harness's mixed self-test binary; checks each subtest's
# classification, summary.txt, results.ktap, the closing line and the exit
# status, plus the input errors (malformed list lines, missing binary, bad
# option, results directory in use).  Prints TAP lines; exits 1 if any
# check failed.  Takes ~10 s (the hang case waits for a 2 s limit).

cd "$(dirname "$0")/.." || exit 1
RUNNER=runner/rkval-run
FIXTURES=selftests/runner-fixtures
ARCH=$(uname -m)
[ "$ARCH" = aarch64 ] && ARCH=arm64
MIXED_DIR=build/$ARCH/selftests
MIXED=$MIXED_DIR/rkval_selftest_mixed

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/results-checks.sh
. selftests/lib/results-checks.sh

# adds_up OUT TOTAL: the closing line's three counts sum to TOTAL
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
adds_up()
{
	# shellcheck disable=SC2046 # split "P passed, F failed, S skipped"
	set -- $(tail -n 1 "$1") "$2"
	[ $(( $1 + $3 + $5 )) = "$7" ]
}

# run SH RESULTS ARGS...: run the runner, stdout/stderr to RESULTS.out/.err
run()
{
	rsh=$1 rres=$2
	shift 2
	$rsh "$RUNNER" --results "$rres" "$@" >"$rres.out" 2>"$rres.err"
	echo $?
}

bin=$tmp/bin
mkdir -p "$bin"
cp "$FIXTURES/fake-igt-test" "$bin/"
cp "$FIXTURES/fake-igt-test" "$bin/fake-noexec"
chmod -x "$bin/fake-noexec"

# Every outcome but abort (which stops the run) from one expanded entry.
cat >"$tmp/fake.testlist" <<'EOF'
# every subtest of the fake, then the ones this list must not expand
igt@fake-igt-test@pass-one
igt@fake-igt-test@fail-verdict
igt@fake-igt-test@skip-one
igt@fake-igt-test@crash-one
igt@fake-igt-test@hang-one
igt@fake-igt-test@warn-one
igt@fake-igt-test@dmesg-warn
igt@fake-igt-test@dmesg-ignored
igt@fake-igt-test@noresult-one
EOF

cat >"$tmp/bad.testlist" <<'EOF'
igt@fake-igt-test@pass-one
this is not a test
igt@fake-igt-test@bad name
igt@no-such-binary@some-subtest
igt@fake-noexec@pass-one

igt@fake-igt-test@pass-one@dyn@extra
EOF

printf 'igt@fake-igt-test@abort-one\nigt@fake-igt-test@pass-one\n' >"$tmp/abort.testlist"
printf 'igt@fake-igt-test\n' >"$tmp/expand.testlist"

fake_checks()
{
	sh=$1
	tag=$(echo "$sh" | tr ' ' _)
	res=$tmp/$tag-fake
	rc=$(FAKE_IGT_HANG_S=20 run "$sh" "$res" --bin-dir "$bin" \
		--list "$tmp/fake.testlist" --timeout 2 --device vnpu)
	check "$sh: a run with failures exits 1" [ "$rc" = 1 ]
	expect "$res" igt@fake-igt-test@pass-one pass "$sh"
	expect "$res" igt@fake-igt-test@fail-verdict fail "$sh"
	expect "$res" igt@fake-igt-test@skip-one skip "$sh"
	expect "$res" igt@fake-igt-test@crash-one crash "$sh"
	expect "$res" igt@fake-igt-test@hang-one timeout "$sh"
	expect "$res" igt@fake-igt-test@warn-one warn "$sh"
	expect "$res" igt@fake-igt-test@dmesg-warn dmesg-warn "$sh"
	expect "$res" igt@fake-igt-test@dmesg-ignored pass "$sh"
	expect "$res" igt@fake-igt-test@noresult-one incomplete "$sh"
	check "$sh: summary.txt carries the VERDICT line" has "$res/summary.txt" \
		"fail igt@fake-igt-test@fail-verdict (0.001 s) VERDICT: mac-output-stall input 4096/4096 B read, output 0/8192 B written"
	check "$sh: closing line counts warn as passed, dmesg-warn/crash/timeout/incomplete as failed" \
		[ "$(tail -n 1 "$res.out")" = "3 passed, 5 failed, 1 skipped" ]
	check "$sh: ... printed once" \
		[ "$(grep -c ' passed, .* failed, .* skipped$' "$res.out")" = 1 ]
	check "$sh: KTAP dmesg-warn line is not ok" has "$res/results.ktap" \
		"not ok 7 igt@fake-igt-test@dmesg-warn"
	check "$sh: console shows the failure's VERDICT indented" has "$res.out" \
		"    VERDICT: mac-output-stall input 4096/4096 B read, output 0/8192 B written"
	check "$sh: console line format" has_re "$res.out" \
		'^\[1/9\] igt@fake-igt-test@pass-one \.\.\. pass \(0\.001 s\)$'
	check "$sh: results.ktap header and plan" \
		[ "$(head -n 2 "$res/results.ktap" | tr '\n' ' ')" = "KTAP version 1 1..9 " ]
	check "$sh: KTAP pass line" has "$res/results.ktap" "ok 1 igt@fake-igt-test@pass-one"
	check "$sh: KTAP fail line" has "$res/results.ktap" "not ok 2 igt@fake-igt-test@fail-verdict"
	check "$sh: KTAP skip line with reason" has "$res/results.ktap" \
		"ok 3 igt@fake-igt-test@skip-one # SKIP no such feature"
	check "$sh: KTAP timeout line" has "$res/results.ktap" \
		"not ok 5 igt@fake-igt-test@hang-one # TIMEOUT 2 seconds"
	d=$res/005-fake-igt-test@hang-one
	check "$sh: per-subtest files written" [ -s "$d/out.txt" ] && [ -f "$d/err.txt" ] &&
		[ -f "$d/dmesg.txt" ] && has_re "$d/result.txt" '^exit: [0-9]+$' &&
		[ "$(head -n 1 "$d/result.txt")" = timeout ]
	check "$sh: the kernel-log warning is kept in dmesg-warnings.txt" has_re \
		"$res/007-fake-igt-test@dmesg-warn/dmesg-warnings.txt" 'job timeout'
	check "$sh: metadata records device, list and backend line" \
		has "$res/metadata.txt" "device: vnpu" &&
		has "$res/metadata.txt" "list: $tmp/fake.testlist" &&
		has "$res/metadata.txt" "backend: Backend: fake (shell imitation)"

	sum=$(cksum <"$res/summary.txt")
	rc=$(run "$sh" "$res" --bin-dir "$bin" --list "$tmp/fake.testlist")
	check "$sh: an existing results dir is refused with exit 2" [ "$rc" = 2 ]
	check "$sh: ... with a reason on stderr" has_re "$res.err" 'refusing to overwrite'
	check "$sh: ... and is left untouched" [ "$(cksum <"$res/summary.txt")" = "$sum" ]

	res=$tmp/$tag-bad
	rc=$(run "$sh" "$res" --bin-dir "$bin" --list "$tmp/bad.testlist")
	check "$sh: malformed list lines exit 2 after the run" [ "$rc" = 2 ]
	check "$sh: malformed line reported with its number" has_re "$res.err" \
		'bad.testlist:2: malformed line: this is not a test'
	expect "$res" runner@malformed-line-2 fail "$sh"
	expect "$res" runner@malformed-line-3 fail "$sh"
	expect "$res" runner@malformed-line-7 fail "$sh"
	expect "$res" igt@fake-igt-test@pass-one pass "$sh"
	expect "$res" igt@no-such-binary@some-subtest fail "$sh"
	check "$sh: missing binary gives a reason" has_re "$res.out" 'test binary missing: .*no-such-binary'
	expect "$res" igt@fake-noexec@pass-one fail "$sh"
	check "$sh: non-executable binary gives a reason" has_re "$res.out" 'not executable'
	check "$sh: malformed lines count as failed" \
		[ "$(tail -n 1 "$res.out")" = "1 passed, 5 failed, 0 skipped" ]

	res=$tmp/$tag-abort
	rc=$(run "$sh" "$res" --bin-dir "$bin" --list "$tmp/abort.testlist")
	expect "$res" igt@fake-igt-test@abort-one abort "$sh"
	expect "$res" igt@fake-igt-test@pass-one notrun "$sh"
	check "$sh: abort exits 1" [ "$rc" = 1 ]

	res=$tmp/$tag-expand
	rc=$(run "$sh" "$res" --bin-dir "$bin" --list "$tmp/expand.testlist" --ktap-only --timeout 1)
	nsub=$("$bin/fake-igt-test" --list-subtests | grep -c .)
	check "$sh: igt@BIN expands to every subtest (--list-subtests)" \
		[ "$(grep -c . "$res/summary.txt")" = "$nsub" ]
	check "$sh: --ktap-only prints KTAP" [ "$(head -n 1 "$res.out")" = "KTAP version 1" ] &&
		has "$res.out" "1..$nsub" && has_re "$res.out" '^# Totals: pass:'

	res=$tmp/$tag-opt
	rc=$(run "$sh" "$res" --bin-dir "$bin" --frobnicate)
	check "$sh: unknown option exits 2 with a message" [ "$rc" = 2 ] &&
		has_re "$res.err" "unknown option '--frobnicate'"
	check "$sh: ... and writes no results" [ ! -e "$res" ]
	rc=$(run "$sh" "$res" --bin-dir "$bin" --list "$tmp/nonexistent.testlist")
	check "$sh: unreadable list exits 2" [ "$rc" = 2 ] && has_re "$res.err" 'cannot read test list'
	rc=$(run "$sh" "$res" --bin-dir "$bin" --timeout soon)
	check "$sh: bad --timeout exits 2" [ "$rc" = 2 ]
	rc=$(run "$sh" "$res" --help)
	check "$sh: --help exits 0 with usage" [ "$rc" = 0 ] && has_re "$res.out" '^Usage: rkval-run'
}

mixed_checks()
{
	sh=$1
	if [ ! -x "$MIXED" ]; then
		skip "$sh: $MIXED not built"
		return
	fi
	tag=$(echo "$sh" | tr ' ' _)
	res=$tmp/$tag-mixed
	rc=$(run "$sh" "$res" --bin-dir "$MIXED_DIR" --list selftest --timeout 10)
	check "$sh: mixed binary run exits 1" [ "$rc" = 1 ]
	for sub in $("$MIXED" --list-subtests); do
		case $sub in
		# its group's fixture printed CRITICAL on stderr before the
		# subtest started: igt_runner says warn (docs/results.md)
		pass-after-groups) want=warn ;;
		pass-* | dynamic-pass | dmesg-expected) want=pass ;;
		fail-* | fixture-fail-* | dynamic-mixed | watchdog-*) want=fail ;;
		skip-* | fixture-skip-* | dynamic-none) want=skip ;;
		crash-*) want=crash ;;
		warn-*) want=warn ;;
		*) want=$(result_of "$res" "igt@rkval_selftest_mixed@$sub")
		   [ "$want" = none ] && want=some-result ;;
		esac
		expect "$res" "igt@rkval_selftest_mixed@$sub" "$want" "$sh"
	done
	expect "$res" igt@rkval_selftest_mixed@dynamic-mixed@dyn-pass pass "$sh"
	expect "$res" igt@rkval_selftest_mixed@dynamic-mixed@dyn-fail fail "$sh"
	check "$sh: watchdog VERDICT copied to summary.txt" has_re "$res/summary.txt" \
		'^fail igt@rkval_selftest_mixed@watchdog-one .* VERDICT: watchdog '
	total=$(sed -n 2p "$res/results.ktap")
	total=${total#1..}
	check "$sh: closing line adds up to the KTAP plan" adds_up "$res.out" "$total"
}

# With RKVAL_USE_TIMEOUT=1, a timeout(1) that never enforces its limit stands in for one stuck
# waiting on a test the kernel will not let die: rkval-exec must kill it
# and the runner move on.
wedge_checks()
{
	sh=$1
	tag=$(echo "$sh" | tr ' ' _)
	mkdir -p "$tmp/wedge-path"
	cat >"$tmp/wedge-path/timeout" <<'EOF2'
#!/bin/sh
trap '' TERM INT
while [ "${1#-}" != "$1" ]; do shift 2; done
shift
"$@"
EOF2
	chmod +x "$tmp/wedge-path/timeout"
	res=$tmp/$tag-wedge
	printf 'igt@fake-igt-test@hang-one\nigt@fake-igt-test@pass-one\n' >"$tmp/wedge.testlist"
	rc=$(RKVAL_USE_TIMEOUT=1 PATH=$tmp/wedge-path:$PATH FAKE_IGT_HANG_S=6 RKVAL_KILL_AFTER_S=1 \
		RKVAL_WEDGE_GRACE_S=1 run "$sh" "$res" --bin-dir "$bin" \
		--list "$tmp/wedge.testlist" --timeout 1)
	expect "$res" igt@fake-igt-test@hang-one timeout "$sh (stuck timeout)"
	expect "$res" igt@fake-igt-test@pass-one pass "$sh (stuck timeout)"

	# SIGTERM to the runner: the running subtest stops, the rest is notrun
	res=$tmp/$tag-term
	printf 'igt@fake-igt-test@hang-one\nigt@fake-igt-test@pass-one\n' >"$tmp/term.testlist"
	FAKE_IGT_HANG_S=6 $sh "$RUNNER" --results "$res" --bin-dir "$bin" \
		--list "$tmp/term.testlist" --timeout 30 >"$res.out" 2>&1 &
	rpid=$!
	sleep 1
	kill -TERM "$rpid"
	wait "$rpid"
	rc=$?
	expect "$res" igt@fake-igt-test@hang-one incomplete "$sh (SIGTERM)"
	expect "$res" igt@fake-igt-test@pass-one notrun "$sh (SIGTERM)"
	check "$sh: interrupted run exits 1" [ "$rc" = 1 ]
}

for sh in dash "busybox sh"; do
	if ! command -v "${sh%% *}" >/dev/null 2>&1; then
		skip "$sh not installed"
		continue
	fi
	fake_checks "$sh"
	mixed_checks "$sh"
	wedge_checks "$sh"
done

if command -v shellcheck >/dev/null 2>&1; then
	check "shellcheck -s sh runner/rkval-run selftests/runner.sh" \
		shellcheck -s sh "$RUNNER" selftests/runner.sh selftests/lib/tap.sh selftests/lib/results-checks.sh \
			"$FIXTURES/fake-igt-test"
else
	skip "shellcheck not installed"
fi

echo "# $((n - nfail)) of $n runner checks passed"
tap_exit
