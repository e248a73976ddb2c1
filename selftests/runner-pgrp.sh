#!/bin/sh
# SPDX-License-Identifier: MIT
#
# selftests/runner-pgrp.sh — rkval-run's process groups, under dash and
# busybox sh: every test leads a process group of its own (rkval-exec starts
# it so; no setsid ran, so the group leads no session), a harness binary as
# much as any other program; a child it leaves that ignores SIGTERM is
# killed when the subtest ends, and with it when the time limit ends a
# hanging subtest; under RKVAL_USE_TIMEOUT=1 the test sits in the group of
# its timeout(1).  Drives runner/rkval-run over
# selftests/bin/rkval_selftest_pgrp.c and a shell-script test.
# TAP; exits 1 if a check failed.

cd "$(dirname "$0")/.." || exit 1
# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/results-checks.sh
. selftests/lib/results-checks.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
RUNNER=runner/rkval-run
PGRP_BIN=$build/selftests/rkval_selftest_pgrp
NAME=rkval_selftest_pgrp
# how long the stray child's mark file is watched for growth; it writes
# every 0.1 s (MARK_INTERVAL_US)
WATCH_S=1

if [ ! -x "$PGRP_BIN" ]; then
	not_ok "$PGRP_BIN is built (make)"
	tap_plan
	tap_exit
fi
if [ -n "$exec_prefix" ]; then
	# the runner starts binaries itself; it has no wrapper option
	skip "runner process groups: needs binaries of this machine (EXEC=$exec_prefix)"
	tap_plan
	tap_exit
fi

# list NAME SUBTEST...: a test list of the fixture's SUBTESTs
list()
{
	l=$tmp/$1.testlist
	shift
	for s in "$@"; do
		echo "igt@$NAME@$s"
	done >"$l"
	echo "$l"
}

# mark_still MARK: the mark file stopped growing (its writer is dead)
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
mark_still()
{
	m1=$(wc -c <"$1")
	sleep "$WATCH_S"
	m2=$(wc -c <"$1")
	[ "$m1" = "$m2" ] || { echo "# $1 grew from $m1 to $m2 bytes" >&2; return 1; }
}

bin=$tmp/bin
mkdir -p "$bin"
cp "$PGRP_BIN" "$bin/"
# a test that is no harness binary: a script without subtests (it refuses
# --list-subtests as unknown, IGT_EXIT_INVALID) that prints its pid and
# its process group
cat >"$bin/plain_pgrp" <<'EOF'
#!/bin/sh
[ "$1" = --list-subtests ] && exit 79
read -r pid _ _ _ pgrp _ </proc/self/stat
echo "pid $pid group $pgrp"
EOF
chmod +x "$bin/plain_pgrp"

# leads_group OUT: OUT says "pid P group P", the same number twice
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
leads_group()
{
	read -r _ lg_pid _ lg_pgrp <"$1" || return 1
	[ -n "$lg_pid" ] && [ "$lg_pid" = "$lg_pgrp" ] && return 0
	echo "# $1: pid $lg_pid, group $lg_pgrp" >&2
	return 1
}

for sh in dash "busybox sh"; do
	command -v "${sh%% *}" >/dev/null 2>&1 || { skip "$sh not installed"; continue; }
	tag=$(echo "$sh" | tr ' ' '-')

	# --- the test leads its group; no setsid ran ---
	res=$tmp/$tag-own
	l=$(list "$tag-own" own-group)
	# shellcheck disable=SC2086 # "busybox sh" is two words
	$sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" \
		>"$res.out" 2>"$res.err"
	out=$res/001-$NAME@own-group/out.txt
	check "$sh: own-group passes" \
		[ "$(result_of "$res" "igt@$NAME@own-group")" = pass ]
	check "$sh: ... the test leads its process group" \
		has_re "$out" '^group leader: the test$'
	check "$sh: ... a group that leads no session: setpgid, not setsid" \
		has_re "$out" '^group leads the session: no$'
	check "$sh: metadata names the group" \
		has_re "$res/metadata.txt" '^process-group: own \(rkval-exec\)$'

	# --- a stray child is ended with its subtest ---
	res=$tmp/$tag-stray
	: >"$tmp/mark"
	l=$(list "$tag-stray" stray-child own-group)
	# shellcheck disable=SC2086 # "busybox sh" is two words
	RKVAL_PGRP_MARK=$tmp/mark $sh "$RUNNER" --results "$res" --bin-dir "$bin" \
		--list "$l" >"$res.out" 2>"$res.err"
	check "$sh: a stray child that ignores SIGTERM is killed with its subtest" \
		mark_still "$tmp/mark"
	check "$sh: ... and the result says so" has_re \
		"$res/001-$NAME@stray-child/result.txt" 'outlived it and were killed'
	check "$sh: ... the subtest itself passed" \
		[ "$(result_of "$res" "igt@$NAME@stray-child")" = pass ]

	# --- a hanging subtest's time limit reaches its child ---
	res=$tmp/$tag-hang
	: >"$tmp/mark"
	l=$(list "$tag-hang" hang-child)
	# shellcheck disable=SC2086 # "busybox sh" is two words
	RKVAL_SUBTEST_TIMEOUT=60 RKVAL_KILL_AFTER_S=1 RKVAL_PGRP_MARK=$tmp/mark \
		$sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" \
		--timeout 1 >"$res.out" 2>"$res.err"
	check "$sh: a hanging subtest is a timeout" \
		[ "$(result_of "$res" "igt@$NAME@hang-child")" = timeout ]
	check "$sh: ... and its child that ignores SIGTERM is gone" \
		mark_still "$tmp/mark"

	# --- timeout(1) leads the group (it signals its own group) ---
	if command -v timeout >/dev/null 2>&1; then
		res=$tmp/$tag-timeout
		l=$(list "$tag-timeout" own-group)
		# shellcheck disable=SC2086 # "busybox sh" is two words
		RKVAL_USE_TIMEOUT=1 $sh "$RUNNER" --results "$res" --bin-dir "$bin" \
			--list "$l" >"$res.out" 2>"$res.err"
		check "$sh: RKVAL_USE_TIMEOUT=1: own-group passes" \
			[ "$(result_of "$res" "igt@$NAME@own-group")" = pass ]
		check "$sh: ... in the group of its timeout(1)" \
			has_re "$res/001-$NAME@own-group/out.txt" '^group leader: its parent$'
		check "$sh: ... metadata names timeout(1)" \
			has_re "$res/metadata.txt" '^timeout-tool: timeout$'
	else
		skip "$sh: RKVAL_USE_TIMEOUT=1 (no timeout)"
		skip "$sh: ... in the group of its timeout(1)"
		skip "$sh: ... metadata"
	fi

	# --- a test that is no harness binary leads a group too ---
	res=$tmp/$tag-plain
	l=$tmp/$tag-plain.testlist
	echo "igt@plain_pgrp" >"$l"
	# shellcheck disable=SC2086 # "busybox sh" is two words
	$sh "$RUNNER" --results "$res" --bin-dir "$bin" --list "$l" \
		>"$res.out" 2>"$res.err"
	check "$sh: a shell-script test passes" \
		[ "$(result_of "$res" igt@plain_pgrp)" = pass ]
	check "$sh: ... and leads its process group" \
		leads_group "$res/001-plain_pgrp/out.txt"
done

tap_plan
tap_exit
