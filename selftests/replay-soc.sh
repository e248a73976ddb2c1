#!/bin/sh
# replay-soc.sh — an RK3588 dump replayed on vnpu:rk3568 says so, and does
# not pass: rkval-replay notes the SoC of the dump and of the device on
# stderr, vnpu refuses the other SoC's CBUF programming with an
# "unsupported programming" kernel-log record (lib/vnpu/pipeline/refuse.c)
# and the output stays untouched, so the comparison fails.  Each dump on
# its own SoC runs without the note and matches.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
tools=$build/tools
note='the dump is for soc'

# replay SOC DEVICE: replay the SOC example on DEVICE; sets status, and
# leaves stderr in $tmp/err and the kernel log in $tmp/kmsg.
replay() {
	rm -f "$tmp/kmsg"
	# shellcheck disable=SC2086 # exec_prefix is empty or one word
	RKVAL_VNPU_KMSG=$tmp/kmsg $exec_prefix "$tools/rkval-replay" --device "$2" \
		"$tmp/$1/manifest" > "$tmp/out" 2> "$tmp/err"
	status=$?
}

for soc in rk3568 rk3588; do
	# shellcheck disable=SC2086 # exec_prefix is empty or one word
	if ! $exec_prefix "$tools/rkval-npu-example" --soc "$soc" conv-8x8 "$tmp/$soc" \
		> /dev/null 2>&1; then
		not_ok "rkval-npu-example --soc $soc conv-8x8"
		tap_plan
		tap_exit
	fi
done

# RK3588 programs split 12 CBUF banks, RK3568 has 8: refused and noted.
replay rk3588 vnpu:rk3568
check "rk3588 dump on vnpu:rk3568: rkval-replay says so" \
	grep -q "$note rk3588, the device is rk3568" "$tmp/err"
check "rk3588 dump on vnpu:rk3568: vnpu logs unsupported programming of CBUF_CON0" \
	grep -q 'unsupported programming: CNA_CBUF_CON0' "$tmp/kmsg"
check "rk3588 dump on vnpu:rk3568: does not pass (status $status)" [ "$status" -ne 0 ]

# The other way the program fits (rk3568 values are a subset of the
# RK3588's in the model); it runs, but the note is still there.
replay rk3568 vnpu:rk3588
check "rk3568 dump on vnpu:rk3588: rkval-replay says so" \
	grep -q "$note rk3568, the device is rk3588" "$tmp/err"

for soc in rk3568 rk3588; do
	replay "$soc" "vnpu:$soc"
	check "$soc dump on vnpu:$soc: matches (status $status)" [ "$status" -eq 0 ]
	check "$soc dump on vnpu:$soc: no SoC note" sh -c "! grep -q '$note' '$tmp/err'"
	check "$soc dump on vnpu:$soc: no refusal" \
		sh -c "! grep -q 'unsupported programming' '$tmp/kmsg' 2>/dev/null"
done

tap_plan
tap_exit
