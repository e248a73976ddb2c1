#!/bin/sh
# host-kmsg.sh — vnpu's kernel-log records for runners that read the
# host's kernel log (igt_runner reads /dev/kmsg and nothing else).
#
# With RKVAL_VNPU_HOST_KMSG=FILE (=1 means /dev/kmsg; here always a
# scratch file, the host's log is never written) each record must be in
# devkmsg_write() form, the model's records prefixed "vnpu: " and at
# KERN_ERR at most, the harness's [IGT] markers as they are, anchored
# ignore regexes widened to accept the prefix.  Then igt_runner's dmesg
# rules (selftests/lib/dmesg-verdicts.awk) must give every subtest the
# same warnings on that copy as on the RKVAL_VNPU_KMSG file rkval-run
# reads, fault by fault, for the power and IOMMU binaries under
# qos-save-gated-noc (the fault whose kernel warnings igt_runner lost).
#
# Environment: BUILD_DIR, EXEC (selftests/lib/build-env.sh).  Prints TAP;
# exits 1 on failure.  Takes ~20 s.
set -u
cd "$(dirname "$0")/.." || exit 2
# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

VERDICTS=selftests/lib/dmesg-verdicts.awk
FAULT=qos-save-gated-noc
PREFIX='vnpu: '

# run_both BIN: one run of BIN on vnpu with both copies of the log
run_both() {
	: > "$tmp/$1.mirror"
	: > "$tmp/$1.host"
	# shellcheck disable=SC2086 # EXEC may be empty or a wrapper command
	RKVAL_VNPU_FAULTS=$FAULT RKVAL_VNPU_STATE=$tmp/state \
	RKVAL_VNPU_KMSG=$tmp/$1.mirror RKVAL_VNPU_HOST_KMSG=$tmp/$1.host \
		$exec_prefix "$build/tests/$1" --device vnpu:rk3568 \
		> "$tmp/$1.out" 2>&1
}

# same_verdicts BIN: igt_runner's rules agree on both copies
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
same_verdicts() {
	awk -f "$VERDICTS" "$tmp/$1.mirror" > "$tmp/$1.vm" &&
		awk -f "$VERDICTS" "$tmp/$1.host" > "$tmp/$1.vh" &&
		[ -s "$tmp/$1.vm" ] && cmp -s "$tmp/$1.vm" "$tmp/$1.vh" && return 0
	diff "$tmp/$1.vm" "$tmp/$1.vh" | head -n 5 | sed -e 's/^/# /'
	return 1
}

bins=
for b in "$build"/tests/npu_* "$build"/tests/rk_iommu_*; do
	[ -x "$b" ] && bins="$bins $(basename "$b")"
done
if [ -z "$bins" ]; then
	not_ok "power and IOMMU test binaries are built in $build/tests"
	tap_plan
	tap_exit
fi

total_warned=0
for b in $bins; do
	run_both "$b"
	check "$b under $FAULT: host copy in devkmsg_write form (<LEVEL>text)" \
		sh -c "[ -s '$tmp/$b.host' ] && ! grep -Ev '^<[0-7]>' '$tmp/$b.host'"
	check "$b: as many records in the host copy as in the mirror" \
		[ "$(wc -l < "$tmp/$b.host")" -eq "$(wc -l < "$tmp/$b.mirror")" ]
	check "$b: igt_runner's dmesg rules give each subtest the same warnings on both" \
		same_verdicts "$b"
	w=$(awk '$2 > 0' "$tmp/$b.vh" | wc -l)
	total_warned=$((total_warned + w))
done
check "some subtests do have kernel warnings under $FAULT ($total_warned)" \
	[ "$total_warned" -gt 0 ]

# The kernel shows a backslash in a record as "\x5c" (/dev/kmsg) and
# igt_runner compiles the regex as it reads it: an emitted regex must
# hold no backslash, and must compile as read (python3's re standing in
# for igt_runner's PCRE).
# compiles_as_read FILE: every ignore regex in FILE compiles once escaped
# shellcheck disable=SC2317 # called through check() (selftests/lib/tap.sh)
compiles_as_read() {
	python3 -W ignore -c '
import re, sys
tag = "add ignored dmesg regex: "
bad = 0
for line in open(sys.argv[1], errors="replace"):
	if tag in line:
		regex = line.rstrip("\n").split(tag, 1)[1].replace("\\", "\\x5c")
		try:
			re.compile(regex)
		except re.error as e:
			print("# does not compile as read: %s (%s)" % (regex, e))
			bad = 1
sys.exit(bad)' "$1"
}
cat "$tmp"/*.mirror > "$tmp/all.mirror"
check "ignore regexes as emitted hold no backslash" sh -c \
	"grep -F 'add ignored dmesg regex: ' '$tmp/all.mirror' > '$tmp/regexes' && [ -s '$tmp/regexes' ] && ! grep -qF '\\' '$tmp/regexes'"
check "ignore regexes compile as /dev/kmsg shows them" compiles_as_read "$tmp/all.mirror"
printf '%s\n' '6,1,1,-;[IGT] add ignored dmesg regex: ^---\[ end trace' > "$tmp/raw-regex"
if compiles_as_read "$tmp/raw-regex" > /dev/null 2>&1; then
	not_ok "a backslash-escaped regex, as /dev/kmsg shows it, would not compile"
else
	ok "a backslash-escaped regex, as /dev/kmsg shows it, would not compile"
fi

b=npu_power_domain
check "model records carry the \"$PREFIX\" prefix; the test's [IGT] markers do not" sh -c \
	"grep -q '^<[0-7]>${PREFIX}rockchip-pm-domain\\|^<[0-7]>${PREFIX}SError' '$tmp/$b.host' &&
	 grep -Eq '^<6>\\[IGT\\] $b: starting subtest ' '$tmp/$b.host' &&
	 ! grep -q '^<[0-7]>${PREFIX}\\[IGT\\]' '$tmp/$b.host'"
check "no host copy above KERN_ERR (no console broadcast of KERN_EMERG)" sh -c \
	"grep -q '^<0>' '$tmp/$b.mirror' || grep -q '^0,' '$tmp/$b.mirror'; ! grep -q '^<[012]>' '$tmp/$b.host'"

b=rk_iommu_fault
check "anchored ignore regexes accept the prefix; bracket expressions untouched" sh -c \
	"grep -F 'add ignored dmesg regex: ' '$tmp/$b.host' | grep -F '|^(vnpu: )?WARNING: ' | grep -qF '[0-9a-fA-F]+'"
# Without the widened anchors igt_runner would see warnings rkval-run does
# not: the check above is what keeps the two runners' results equal.
found_diff=0
for b in $bins; do
	sed -e 's/\^(vnpu: )?/^/g' "$tmp/$b.host" > "$tmp/$b.narrow"
	awk -f "$VERDICTS" "$tmp/$b.narrow" | cmp -s - "$tmp/$b.vm" || found_diff=1
done
check "with the anchors left narrow the verdicts would differ" [ "$found_diff" = 1 ]

# open_logs [VAR=VALUE]: the kernel-log files a test process holds open
# while asleep in npu_rebind@system-suspend-resume (3 s), from /proc.
open_logs() {
	# shellcheck disable=SC2086 # EXEC may be empty or a wrapper command
	env "$@" RKVAL_VNPU_STATE="$tmp/state" $exec_prefix "$build/tests/npu_rebind" \
		--device vnpu:rk3568 --run-subtest system-suspend-resume \
		> "$tmp/sleep.out" 2>&1 &
	ol_pid=$!
	ol_i=0
	while ! grep -q '^suspending to mem' "$tmp/sleep.out" && [ "$ol_i" -lt 100 ]; do
		sleep 0.05
		ol_i=$((ol_i + 1))
	done
	for ol_fd in /proc/"$ol_pid"/fd/*; do
		readlink "$ol_fd"
	done | grep -E 'kmsg|host-copy' | sort -u
	kill "$ol_pid" 2> /dev/null
	wait "$ol_pid" 2> /dev/null
}
if [ -z "$exec_prefix" ]; then
	open_logs RKVAL_VNPU_HOST_KMSG= > "$tmp/fds.off"
	check "without RKVAL_VNPU_HOST_KMSG the host's /dev/kmsg is not open" sh -c \
		"! grep -qx /dev/kmsg '$tmp/fds.off'"
	open_logs RKVAL_VNPU_HOST_KMSG="$tmp/host-copy" > "$tmp/fds.on"
	check "with RKVAL_VNPU_HOST_KMSG=FILE that file is open for the copy" \
		grep -qx "$tmp/host-copy" "$tmp/fds.on"
fi

RKVAL_VNPU_HOST_KMSG=$tmp/no/such/dir/kmsg $exec_prefix "$build/tests/rocket_basic" \
	--device vnpu:rk3568 --run-subtest open-close > "$tmp/bad.out" 2> "$tmp/bad.err"
st=$?
check "an unwritable RKVAL_VNPU_HOST_KMSG is named on stderr, the test still runs" sh -c \
	"grep -q 'RKVAL_VNPU_HOST_KMSG=.*cannot open' '$tmp/bad.err' && [ $st = 0 ]"

tap_plan
tap_exit
