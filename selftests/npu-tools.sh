#!/bin/sh
# npu-tools.sh — the NPU host tools work together on every example dump:
# rkval-npu-example writes it, rkval-regcmd-disasm names every entry and
# prints as many lines as the manifest's tasks have entries, rkval-replay
# --dry-run accepts it (rebase + re-chain), and a manifest of an unknown
# version is refused with exit status 3 while version 1 is still read.
# Replayed on vnpu, a conv with 20 output channels matches through its
# output-shape line and fails without it (the padding channels).  No real
# device is touched.
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
examples="conv-raw-int32 conv-8x8 conv-cout-20 conv-3x3 conv-tiled ew-add"

# shellcheck disable=SC2317 # only called through check()
quiet() {
	"$@" > /dev/null
}

run() {
	# shellcheck disable=SC2086 # exec_prefix is empty or one word
	$exec_prefix "$@"
}

for t in rkval-npu-example rkval-regcmd-disasm rkval-replay; do
	if [ ! -x "$tools/$t" ]; then
		not_ok "$tools/$t is not built"
		exit 1
	fi
done

for e in $examples; do
	d=$tmp/$e
	check "$e: example written" quiet run "$tools/rkval-npu-example" "$e" "$d"

	run "$tools/rkval-regcmd-disasm" -m "$d/manifest" > "$tmp/$e.dis" 2>&1
	entries=$(awk '$1 == "task" { s += $3 } END { print s + 0 }' "$d/manifest")
	lines=$(grep -c '^ *[0-9]' "$tmp/$e.dis")
	check "$e: disassembly has one line per task entry ($lines of $entries)" \
		[ "$lines" -eq "$entries" ]
	check "$e: every entry has a register name" \
		sh -c "! grep -q -e 'REG_0x' -e ' ? ' '$tmp/$e.dis'"

	check "$e: replay --dry-run accepts it" \
		quiet run "$tools/rkval-replay" --dry-run "$d/manifest"
done

words=$(($(wc -c < "$tmp/conv-8x8/regcmd.bin") / 8))
lines=$(run "$tools/rkval-regcmd-disasm" "$tmp/conv-8x8/regcmd.bin" | wc -l)
check "raw file disassembly: $lines lines for $words entries" [ "$lines" -eq "$words" ]

sed -e '1s/ 2$/ 3/' "$tmp/conv-8x8/manifest" > "$tmp/conv-8x8/manifest.v3"
run "$tools/rkval-replay" --dry-run "$tmp/conv-8x8/manifest.v3" > /dev/null 2>&1
status=$?
check "a version 3 manifest is refused with status 3 (got $status)" [ "$status" -eq 3 ]

# Version 1 (no output-shape) is still read.
sed -e '1s/ 2$/ 1/' -e '/^output-shape /d' "$tmp/conv-8x8/manifest" \
	> "$tmp/conv-8x8/manifest.v1"
check "a version 1 manifest is still read" \
	quiet run "$tools/rkval-replay" --dry-run "$tmp/conv-8x8/manifest.v1"

# Padding channels: compared only without the output-shape line.
d=$tmp/conv-cout-20
sed -e '1s/ 2$/ 1/' -e '/^output-shape /d' "$d/manifest" > "$d/manifest.v1"
run "$tools/rkval-replay" --device vnpu:rk3588 "$d/manifest" > "$tmp/r.out" 2>&1
status=$?
check "conv-cout-20 on vnpu:rk3588: the 20 real channels match (exit $status)" \
	[ "$status" -eq 0 ]
run "$tools/rkval-replay" --device vnpu:rk3588 "$d/manifest.v1" > "$tmp/r.out" 2>&1
status=$?
check "conv-cout-20 on vnpu:rk3588 without output-shape: padding channels fail (exit $status)" \
	[ "$status" -eq 1 ]

tap_plan
tap_exit
