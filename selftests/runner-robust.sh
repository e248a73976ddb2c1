#!/bin/sh
# SPDX-License-Identifier: MIT
#
# selftests/runner-robust.sh — rkval-run loses nothing and claims nothing
# false, under dash and busybox sh: --resume after kill -9 (results kept,
# the running subtest incomplete, its orphan killed, the rest run), a time
# limit on --list-subtests, a SIGTERM outside a subtest never exiting 0,
# backslashes kept verbatim, subtest names validated, a test's stray
# children ended with it, an unwritable results directory named, the
# runner leaving nothing behind, per-binary settings, a dynamic subtest
# that does not exist failing, igt_runner's warn rule, the NPU vanishing
# mid-run, and a board's kernel log cut at the subtests' start markers.  Drives runner/rkval-run over
# selftests/runner-fixtures/fake-igt-test.  TAP; exits 1 if a check failed.

cd "$(dirname "$0")/.." || exit 1
RUNNER=runner/rkval-run
FIXTURES=selftests/runner-fixtures

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/results-checks.sh
. selftests/lib/results-checks.sh

# kill9_while_running DIR: start the runner in the background on $sh, $res
# and the list $l (the fake test hangs 30 s), wait until the subtest's
# directory DIR has its out.txt, then end the runner with SIGKILL, as a
# board reset or the OOM killer would
kill9_while_running()
{
	FAKE_IGT_HANG_S=30 $sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" \
		--timeout 60 >"$res.out" 2>&1 &
	rpid=$!
	i=0
	while [ ! -e "$res/$1/out.txt" ] && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
	kill -KILL "$rpid"
	wait "$rpid" 2>/dev/null
}

# alive PID: a process that is not a zombie
# shellcheck disable=SC2317 # called through check() and eval
alive()
{
	read -r st <"/proc/$1/stat" 2>/dev/null || return 1
	st=${st##*) }
	[ "${st%% *}" != Z ]
}

# last_line FILE
last_line()
{
	tail -n 1 "$1"
}

bin=$tmp/bin
mkdir -p "$bin"
cp "$FIXTURES/fake-igt-test" "$bin/"
cp "$FIXTURES/fake-igt-test" "$bin/fake-list-hang"
cp "$FIXTURES/fake-igt-test" "$bin/fake-bad-names"

# a dmesg that reads nothing: the kernel-backend runs below must not pick
# up this machine's own kernel log
mkdir -p "$tmp/path"
printf '#!/bin/sh\nexit 1\n' >"$tmp/path/dmesg"
chmod +x "$tmp/path/dmesg"
# a board's dmesg -r: the log the fake test binaries write
mkdir -p "$tmp/klog-path"
# shellcheck disable=SC2016 # expanded by the fake dmesg
printf '#!/bin/sh\ncat "$FAKE_DMESG_LOG"\n' >"$tmp/klog-path/dmesg"
chmod +x "$tmp/klog-path/dmesg"

list()
{
	f=$tmp/$1.testlist
	shift
	printf 'igt@%s\n' "$@" >"$f"
	echo "$f"
}

checks()
{
	sh=$1
	tag=$(echo "$sh" | tr ' ' _)

	# --- backslashes, dynamic subtests, igt_runner's warn rule ---
	res=$tmp/$tag-text
	l=$(list text fake-igt-test@backslash-verdict fake-igt-test@skip-one \
		fake-igt-test@dyn-container@dyn-a fake-igt-test@dyn-container@no-such \
		fake-igt-test@fixture-noise fake-igt-test@-x)
	$sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" >"$res.out" 2>"$res.err"
	v='VERDICT: stage a\nb \c cut <&"'"'"'>'
	check "$sh: a VERDICT with backslashes is kept verbatim in summary.txt" \
		has "$res/summary.txt" "fail igt@fake-igt-test@backslash-verdict (0.001 s) $v"
	check "$sh: ... in result.txt" has "$res/001-fake-igt-test@backslash-verdict/result.txt" "$v"
	check "$sh: ... in results.ktap" has "$res/results.ktap" "# $v"
	check "$sh: ... and on the console" has "$res.out" "    $v"
	expect "$res" igt@fake-igt-test@dyn-container@dyn-a pass "$sh"
	expect "$res" igt@fake-igt-test@dyn-container@no-such fail "$sh (dynamic subtest that does not exist)"
	check "$sh: ... with a reason naming it" has_re \
		"$res/004-fake-igt-test@dyn-container@no-such/result.txt" \
		'^reason: no dynamic subtest no-such in dyn-container'
	expect "$res" igt@fake-igt-test@fixture-noise warn "$sh (fixture stderr before the subtest, as igt_runner)"
	check "$sh: a list entry starting with '-' is malformed" has_re "$res.err" \
		'text.testlist:6: malformed line: igt@fake-igt-test@-x'

	# --- names from --list-subtests ---
	res=$tmp/$tag-names
	l=$(list names fake-bad-names)
	$sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" >"$res.out" 2>"$res.err"
	check "$sh: a listed name with a space is one (invalid) entry" \
		[ "$(grep -c . "$res/joblist.txt")" = 3 ]
	check "$sh: ... not split into two" \
		eval "! grep -q '@two\\|@words' '$res/joblist.txt'"
	check "$sh: ... it is an invalid name, reported with its line" has_re "$res.err" \
		"fake-bad-names --list-subtests line 2: invalid subtest name 'two words'"
	check "$sh: a listed name starting with '-' never reaches the binary" \
		eval "! grep -q 'igt@fake-bad-names@--device' '$res/joblist.txt'"
	check "$sh: ... and counts as a failure" \
		[ "$(last_line "$res.out")" = "1 passed, 2 failed, 0 skipped" ]

	# --- a binary that hangs while listing ---
	res=$tmp/$tag-listhang
	l=$(list listhang fake-list-hang fake-igt-test@pass-one)
	t0=$(date +%s)
	FAKE_IGT_HANG_S=30 $sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" \
		--timeout 1 >"$res.out" 2>"$res.err"
	rc=$?
	t1=$(date +%s)
	check "$sh: --list-subtests has a time limit (run took $((t1 - t0)) s)" [ $((t1 - t0)) -lt 15 ]
	check "$sh: ... the binary's entry fails with the reason" has_re "$res/summary.txt" \
		'^fail igt@fake-list-hang '
	check "$sh: ... saying it did not finish" has_re "$res.out" \
		'cannot list subtests: --list-subtests did not finish within 1 s'
	expect "$res" igt@fake-igt-test@pass-one pass "$sh (after the hung listing)"
	check "$sh: ... exit 1" [ "$rc" = 1 ]

	# --- SIGTERM outside a subtest (while listing) ---
	res=$tmp/$tag-termlist
	l=$(list termlist fake-list-hang fake-igt-test@pass-one)
	FAKE_IGT_HANG_S=30 $sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" \
		--timeout 60 >"$res.out" 2>&1 &
	rpid=$!
	sleep 1
	kill -TERM "$rpid"
	wait "$rpid"
	rc=$?
	check "$sh: SIGTERM outside a subtest: exit is not 0 (got $rc)" [ "$rc" = 1 ]
	check "$sh: ... notrun is not counted as skipped" \
		[ "$(last_line "$res.out")" = "0 passed, 2 failed, 0 skipped" ]
	check "$sh: ... KTAP says not ok for notrun" has_re "$res/results.ktap" \
		'^not ok 2 igt@fake-igt-test@pass-one$'

	# --- a child that ignores SIGTERM and outlives its subtest ---
	res=$tmp/$tag-stray
	: >"$tmp/mark"
	l=$(list stray fake-igt-test@stray-child fake-igt-test@pass-one)
	FAKE_IGT_MARK=$tmp/mark $sh "$RUNNER" --results "$res" --bin-dir "$bin" \
		--list "$l" >"$res.out" 2>"$res.err"
	s1=$(wc -c <"$tmp/mark")
	sleep 1
	s2=$(wc -c <"$tmp/mark")
	check "$sh: a test's stray child is ended with it ($s1 then $s2 bytes)" [ "$s1" = "$s2" ]
	check "$sh: ... and the result says so" has_re \
		"$res/001-fake-igt-test@stray-child/result.txt" 'outlived it and were killed'

	# --- nothing the run started is left behind ---
	res=$tmp/$tag-watcher
	l=$(list watcher fake-igt-test@pass-one)
	# shellcheck disable=SC2086 # "busybox sh" is two words
	setsid $sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" \
		>"$res.out" 2>&1 </dev/null &
	spid=$!
	wait "$spid"
	# shellcheck disable=SC2009 # pgrep cannot leave zombies out
	left=$(ps -o stat=,args= -s "$spid" 2>/dev/null | grep -v '^Z' | grep -c .)
	check "$sh: no process of the run outlives it (left: $left)" [ "$left" = 0 ]

	# --- an existing results directory that is not writable ---
	res=$tmp/$tag-ro
	mkdir -p "$res"
	chmod 0555 "$res"
	l=$(list ro fake-igt-test@pass-one)
	if [ "$(id -u)" = 0 ]; then
		if command -v setpriv >/dev/null 2>&1; then
			chmod 0755 "$tmp"
			chmod 0644 "$l"
			# shellcheck disable=SC2086 # "busybox sh" is two words
			setpriv --reuid=65534 --regid=65534 --clear-groups \
				$sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" \
				>"$res.out" 2>"$res.err"
			rc=$?
		else
			rc=skip
		fi
	else
		$sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" >"$res.out" 2>"$res.err"
		rc=$?
	fi
	if [ "$rc" = skip ]; then
		skip "$sh: unwritable results dir (root without setpriv)"
	else
		check "$sh: an unwritable results dir exits 2" [ "$rc" = 2 ]
		check "$sh: ... with its own message" \
			has_re "$res.err" "results directory '.*' is not writable"
		check "$sh: ... and no raw shell errors" [ "$(grep -c . "$res.err")" = 1 ]
	fi

	# --- per-binary settings ---
	res=$tmp/$tag-settings
	printf '# soak settings\nfake-igt-test.args=--cycles 3\nfake-igt-test.timeout=1\n' \
		>"$tmp/settings"
	l=$(list settings fake-igt-test@args-echo fake-igt-test@hang-one)
	FAKE_IGT_HANG_S=20 $sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" \
		--settings "$tmp/settings" --timeout 30 --device vnpu >"$res.out" 2>"$res.err"
	check "$sh: BIN.args reaches the binary after --device" has \
		"$res/001-fake-igt-test@args-echo/out.txt" "args: --device vnpu --cycles 3"
	expect "$res" igt@fake-igt-test@hang-one timeout "$sh (BIN.timeout=1 over --timeout 30)"
	check "$sh: ... KTAP names the binary's own limit" has "$res/results.ktap" \
		"not ok 2 igt@fake-igt-test@hang-one # TIMEOUT 1 seconds"
	res=$tmp/$tag-settings-env
	l=$(list settingsenv fake-igt-test@args-echo)
	RKVAL_FAKE_IGT_TEST_ARGS="--cycles 5 --seed 1" $sh "$RUNNER" --results "$res" \
		--bin-dir "$bin" --list "$l" --settings "$tmp/settings" >"$res.out" 2>"$res.err"
	check "$sh: RKVAL_<BIN>_ARGS overrides the settings file" has \
		"$res/001-fake-igt-test@args-echo/out.txt" "args: --cycles 5 --seed 1"
	printf 'fake-igt-test.timeout=1\nfake-igt-test.timeout=soon\n' >"$tmp/bad-settings"
	res=$tmp/$tag-settings-bad
	$sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" \
		--settings "$tmp/bad-settings" >"$res.out" 2>"$res.err"
	rc=$?
	check "$sh: a bad settings line exits 2" [ "$rc" = 2 ]
	check "$sh: ... naming file and line" \
		has_re "$res.err" "bad-settings:2: timeout needs whole seconds > 0, not 'soon'"

	# --- the NPU vanishing mid-run (kernel backend) ---
	res=$tmp/$tag-vanish
	mkdir -p "$tmp/npu"
	: >"$tmp/npu/accel0"
	l=$(list vanish fake-igt-test@pass-one fake-igt-test@unbind-npu fake-igt-test@pass-one)
	RKVAL_DMESG=$tmp/path/dmesg RKVAL_NPU_NODES="$tmp/npu/accel*" FAKE_IGT_NPU_NODE=$tmp/npu/accel0 \
		$sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" --device kernel \
		>"$res.out" 2>"$res.err"
	rc=$?
	check "$sh: the NPU vanishing fails the subtest it vanished in" has_re "$res/summary.txt" \
		'^fail igt@fake-igt-test@unbind-npu '
	check "$sh: ... loudly" has_re "$res.err" 'the NPU vanished during igt@fake-igt-test@unbind-npu'
	check "$sh: ... the rest is notrun" has_re "$res/summary.txt" \
		'^notrun igt@fake-igt-test@pass-one '
	check "$sh: ... the run exits 1" [ "$rc" = 1 ]

	# --- a board's kernel log, cut at the subtests' start markers ---
	res=$tmp/$tag-klog
	printf '<6>[    0.000000] Booting Linux\n' >"$tmp/kernel.log"
	l=$(list klog fake-igt-test@pass-one fake-igt-test@dmesg-warn \
		fake-igt-test@warn-before-start fake-igt-test@pass-one)
	RKVAL_DMESG=$tmp/klog-path/dmesg FAKE_DMESG_LOG=$tmp/kernel.log RKVAL_NPU_NODES=$tmp/none \
		$sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" --device kernel \
		>"$res.out" 2>"$res.err"
	check "$sh: board kernel log read with dmesg -r" has "$res/metadata.txt" "kernel-log: dmesg"
	expect "$res" igt@fake-igt-test@dmesg-warn dmesg-warn "$sh (board log, after its marker)"
	expect "$res" igt@fake-igt-test@warn-before-start pass "$sh (board log, warning before its marker)"
	check "$sh: ... that warning goes to the previous subtest's dmesg-late.txt" has_re \
		"$res/002-fake-igt-test@dmesg-warn/dmesg-late.txt" 'late warning from before'
	check "$sh: ... not into the subtest's dmesg.txt" \
		eval "! grep -q 'late warning' '$res/003-fake-igt-test@warn-before-start/dmesg.txt'"
	check "$sh: ... whose dmesg.txt starts at its marker" \
		[ "$(head -n 1 "$res/003-fake-igt-test@warn-before-start/dmesg.txt")" = \
		"<14>[  100.000002] [IGT] fake-igt-test: starting subtest warn-before-start" ]
	check "$sh: ... and it is reported" has_re "$res.err" \
		'1 kernel-log warning\(s\) after igt@fake-igt-test@dmesg-warn had finished'
	check "$sh: ... also in metadata.txt" has "$res/metadata.txt" \
		"late-kernel-warnings: igt@fake-igt-test@dmesg-warn 1"
	check "$sh: the first subtest's log holds only its own lines" \
		[ "$(grep -c . "$res/001-fake-igt-test@pass-one/dmesg.txt")" = 1 ]

	# --- resume after kill -9 ---
	res=$tmp/$tag-resume
	l=$(list resume fake-igt-test@pass-one fake-igt-test@hang-one \
		fake-igt-test@pass-one fake-igt-test@skip-one)
	kill9_while_running 002-fake-igt-test@hang-one
	sleep 1.2	# rkval-exec has gone with the runner (parent-death signal)
	read -r opid _ <"$res/.watch"
	check "$sh: after kill -9 the test is still running (pid $opid)" alive "$opid"
	sum1=$(cksum <"$res/001-fake-igt-test@pass-one/result.txt")
	$sh "$RUNNER" --resume "$res" >"$res.out2" 2>"$res.err2"
	rc=$?
	check "$sh: --resume keeps a finished result" \
		[ "$(cksum <"$res/001-fake-igt-test@pass-one/result.txt")" = "$sum1" ]
	expect "$res" igt@fake-igt-test@hang-one incomplete "$sh (resume)"
	check "$sh: ... the orphaned test was ended" eval "! alive $opid"
	check "$sh: ... and the reason says so" has_re "$res/002-fake-igt-test@hang-one/result.txt" \
		'recorded by --resume; its process [0-9]+ was still running and was killed'
	check "$sh: ... .watch is cleaned up" [ ! -e "$res/.watch" ]
	check "$sh: ... the rest ran" has_re "$res/summary.txt" '^skip igt@fake-igt-test@skip-one '
	check "$sh: ... one line per subtest in summary.txt" \
		[ "$(grep -c . "$res/summary.txt")" = 4 ]
	check "$sh: ... and in results.ktap" \
		[ "$(grep -c '^\(not \)\{0,1\}ok ' "$res/results.ktap")" = 4 ]
	check "$sh: ... closing line" \
		[ "$(last_line "$res.out2")" = "2 passed, 1 failed, 1 skipped" ]
	check "$sh: ... exit 1" [ "$rc" = 1 ]
	check "$sh: ... metadata notes the resume" has_re "$res/metadata.txt" '^resume: '

	# --- resume after a reset: a pid from another boot is never signalled ---
	res=$tmp/$tag-resume-boot
	l=$(list resumeboot fake-igt-test@hang-one fake-igt-test@pass-one)
	kill9_while_running 001-fake-igt-test@hang-one
	sleep 1.2
	read -r opid _ <"$res/.watch"
	# as after a reset: the recorded boot is not this one
	sed -e 's/^boot-id: .*/boot-id: another-boot/' "$res/metadata.txt" >"$res/m" &&
		mv "$res/m" "$res/metadata.txt"
	$sh "$RUNNER" --resume "$res" >"$res.out2" 2>&1
	check "$sh: --resume leaves a pid recorded in another boot alone" alive "$opid"
	expect "$res" igt@fake-igt-test@hang-one incomplete "$sh (resume after a reset)"
	check "$sh: ... without claiming to have killed it" \
		eval "! grep -q 'was killed' '$res/001-fake-igt-test@hang-one/result.txt'"
	kill -KILL -"$opid" 2>/dev/null

	# --- resume after SIGTERM: notrun entries run ---
	res=$tmp/$tag-resume-term
	l=$(list resumeterm fake-igt-test@hang-one fake-igt-test@pass-one)
	FAKE_IGT_HANG_S=30 $sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" \
		--timeout 60 >"$res.out" 2>&1 &
	rpid=$!
	sleep 1
	kill -TERM "$rpid"
	wait "$rpid"
	$sh "$RUNNER" --resume "$res" >"$res.out2" 2>&1
	expect "$res" igt@fake-igt-test@hang-one incomplete "$sh (resume after SIGTERM)"
	expect "$res" igt@fake-igt-test@pass-one pass "$sh (resume after SIGTERM runs notrun)"
	$sh "$RUNNER" --resume "$res" --timeout 3 >"$res.out3" 2>"$res.err3"
	rc=$?
	check "$sh: --resume refuses other options" [ "$rc" = 2 ]
	check "$sh: ... saying so" has_re "$res.err3" 'takes the run'
}

for sh in dash "busybox sh"; do
	if ! command -v "${sh%% *}" >/dev/null 2>&1; then
		skip "$sh not installed"
		continue
	fi
	checks "$sh"
done

# The soaks under the runner: testlists/soak.settings parses, and the
# arguments reach the real binaries (small cycle counts from the
# environment, which overrides the file; vnpu, host builds only).
build=${BUILD_DIR:-build/$(uname -m | sed -e 's/aarch64/arm64/')}
if [ -n "${EXEC:-}" ] || [ ! -x "$build/tests/npu_rebind" ]; then
	skip "soak settings on the real binaries (no host build in $build)"
else
	res=$tmp/soak
	RKVAL_NPU_REBIND_ARGS="--cycles 2" RKVAL_NPU_RUNTIME_PM_ARGS="--cycles 3" \
		RKVAL_NPU_POWER_DOMAIN_ARGS="--cycles 4" sh "$RUNNER" --list soak \
		--settings testlists/soak.settings --bin-dir "$build/tests" \
		--device vnpu:rk3588 --results "$res" >"$res.out" 2>"$res.err"
	check "soak list with testlists/soak.settings passes on vnpu" \
		[ "$(last_line "$res.out")" = "3 passed, 0 failed, 0 skipped" ]
	check "... npu_rebind ran the cycles it was given" has_re \
		"$res/001-npu_rebind@unbind-bind/out.txt" '^2 unbind/bind cycles'
	check "... npu_runtime_pm too" has_re \
		"$res/002-npu_runtime_pm@suspend-resume-cycles/out.txt" '^3 suspend/resume cycles'
	check "... metadata records the settings file" \
		has "$res/metadata.txt" "settings: testlists/soak.settings"
fi

if command -v shellcheck >/dev/null 2>&1; then
	check "shellcheck -s sh selftests/runner-robust.sh runner/rkval-export" \
		shellcheck -s sh selftests/runner-robust.sh selftests/lib/tap.sh selftests/lib/results-checks.sh \
			runner/rkval-export
else
	skip "shellcheck not installed"
fi

echo "# $((n - nfail)) of $n runner-robust checks passed"
tap_exit
