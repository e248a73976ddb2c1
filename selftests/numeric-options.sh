#!/bin/sh
# numeric-options.sh — every numeric option and environment number of the
# test binaries and tools goes through lib/util/num_parse: "-1", "5x", a
# value too large for its type (and one too large for 64 bits) and the
# empty string are each refused with a message naming the option and the
# value, with exit status 79 (IGT_EXIT_INVALID) from a test binary and the
# tool's documented usage status (2) from a tool; a valid value is
# accepted, so a refusal is not just any failure.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

EXIT_INVALID=79		# IGT_EXIT_INVALID, lib/harness/igt_core.h
TOOL_EXIT_USAGE=2	# rkval-replay and rkval-npu-example: usage error

# Refused in every case: a sign, a trailing character, more than 64 bits,
# nothing at all.  (A value past the option's own range is listed per
# option below.)
BAD_VALUES="-1 5x 99999999999999999999 EMPTY"

# shellcheck disable=SC2317 # only called through the expect_* helpers
run() {
	# shellcheck disable=SC2086 # exec_prefix is empty or one word
	$exec_prefix "$@"
}

# run_env NAME=VALUE CMD...: run with one more environment variable.
# shellcheck disable=SC2317 # only called through the expect_* helpers
run_env() {
	assignment=$1
	shift
	# shellcheck disable=SC2086 # exec_prefix is empty or one word
	env "$assignment" $exec_prefix "$@"
}

# expect_refused WHAT WANT_STATUS NAME VALUE CMD...: CMD exits WANT_STATUS
# and its stderr names NAME and the quoted VALUE (num_parse.h's message).
expect_refused() {
	what=$1 want=$2 name=$3 value=$4
	shift 4
	expect_message "$what" "$want" "$name \"$value\": " "$@"
}

# expect_message WHAT WANT_STATUS TEXT CMD...: CMD exits WANT_STATUS and
# its stderr has TEXT.
expect_message() {
	what=$1 want=$2 text=$3
	shift 3
	"$@" > "$tmp/out" 2> "$tmp/err"
	status=$?
	if [ "$status" != "$want" ]; then
		not_ok "$what: exit $status, expected $want"
		sed -e 's/^/# /' "$tmp/err" | head -n 5
	elif ! grep -qF -e "$text" "$tmp/err"; then
		not_ok "$what: no message with '$text'"
		sed -e 's/^/# /' "$tmp/err" | head -n 5
	else
		ok "$what refused ($(grep -F -e "$text" "$tmp/err" | head -n 1))"
	fi
}

# expect_accepted WHAT CMD...: CMD exits 0.
expect_accepted() {
	what=$1
	shift
	if "$@" > "$tmp/out" 2> "$tmp/err"; then
		ok "$what accepted"
	else
		not_ok "$what: exit $?, expected 0"
		sed -e 's/^/# /' "$tmp/err" | head -n 5
	fi
}

# A test binary's option: BIN OPTION VALID OUT_OF_RANGE...
test_option() {
	bin=$1 opt=$2 valid=$3
	shift 3
	path=$build/tests/$bin
	if [ ! -x "$path" ]; then
		not_ok "$path is not built"
		return
	fi
	for v in $BAD_VALUES "$@"; do
		[ "$v" = EMPTY ] && v=
		expect_refused "$bin $opt '$v'" "$EXIT_INVALID" "$opt" "$v" \
			run "$path" --list-subtests "$opt" "$v"
	done
	expect_accepted "$bin $opt $valid" run "$path" --list-subtests "$opt" "$valid"
}

# A number from the environment: BIN VAR VALID OUT_OF_RANGE...  The
# binary runs one subtest: some variables are read only for a run.
test_env() {
	bin=$1 var=$2 valid=$3
	shift 3
	path=$build/tests/$bin
	sub=$(run "$path" --list-subtests | head -n 1)
	for v in $BAD_VALUES "$@"; do
		[ "$v" = EMPTY ] && v=
		expect_refused "$bin $var='$v'" "$EXIT_INVALID" "$var" "$v" \
			run_env "$var=$v" "$path" --device vnpu:rk3568 --run-subtest "$sub"
	done
	expect_accepted "$bin $var=$valid" \
		run_env "$var=$valid" "$path" --device vnpu:rk3568 --run-subtest "$sub"
}

for bin in npu_runtime_pm npu_power_domain npu_rebind; do
	# 0 cycles would test nothing; 100001 is past POWER_CYCLES_MAX.
	test_option "$bin" --cycles 3 0 100001
done
# int8 values differ by at most 255.
test_option rocket_conv --tolerance 2 256
test_option rocket_dma_counters --counter-unit 0x40 0 4097

test_env rocket_basic RKVAL_SUBTEST_TIMEOUT 5 0 86401
# 4294967296: one more than an unsigned int holds (was silently 0).
test_env rocket_basic IGT_SRANDOM 4294967295 4294967296

# The tools.  rkval-npu-example writes the manifest rkval-replay reads.
tools=$build/tools
for v in $BAD_VALUES 4294967296; do
	[ "$v" = EMPTY ] && v=
	expect_refused "rkval-npu-example --seed '$v'" "$TOOL_EXIT_USAGE" --seed "$v" \
		run "$tools/rkval-npu-example" --seed "$v" conv-8x8 "$tmp/example"
done
expect_accepted "rkval-npu-example --seed 0x2a" \
	run "$tools/rkval-npu-example" --seed 0x2a conv-8x8 "$tmp/example"

# The numbers inside a SoC variant name (lib/npu/npu_soc.h) are typed
# too: "banks-N" takes a whole number and nothing around it.
for v in rk3568-banks-+12 "rk3568-banks- 12" rk3568-banks-12x rk3568-banks- \
	 rk3568-banks-99999999999999999999; do
	expect_message "rkval-npu-example --soc '$v'" "$TOOL_EXIT_USAGE" \
		"unknown SoC variant $v" \
		run "$tools/rkval-npu-example" --soc "$v" conv-8x8 "$tmp/example"
done
expect_accepted "rkval-npu-example --soc rk3568-banks-12-open-1f" \
	run "$tools/rkval-npu-example" --soc rk3568-banks-12-open-1f conv-8x8 "$tmp/example"

# 86400001: past a day (REPLAY_TIMEOUT_MAX_MS); 0 would be a poll, no wait.
for v in $BAD_VALUES 0 86400001; do
	[ "$v" = EMPTY ] && v=
	expect_refused "rkval-replay --timeout-ms '$v'" "$TOOL_EXIT_USAGE" --timeout-ms "$v" \
		run "$tools/rkval-replay" --timeout-ms "$v" --dry-run "$tmp/example/manifest"
done
expect_accepted "rkval-replay --timeout-ms 250" \
	run "$tools/rkval-replay" --timeout-ms 250 --dry-run "$tmp/example/manifest"

tap_plan
tap_exit
