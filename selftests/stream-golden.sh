#!/bin/sh
# stream-golden.sh — the register-command streams the suite encodes are
# word for word those of selftests/golden/streams.txt.
#
# build/<arch>/unit/stream_golden --print encodes every program the suite
# submits (rocket_conv's grid and element-wise add, the diagnostics'
# programs, lib/rocket's copy task and the iommu tests' hang entry, a
# write to every described register) with fixed addresses, one line per
# task: entry count and a hash of the words.  Any difference fails and is
# shown (then `stream_golden --dump NAME` prints that stream's words).
#
# A change that means to change a stream regenerates the golden with
# STREAM_GOLDEN_WRITE=1 and says in its commit message which streams
# changed and why; a refactor never does.
#
# Environment: BUILD_DIR (default build/<host arch>), EXEC (e.g.
# qemu-aarch64-static for an arm64 build, empty for the host),
# STREAM_GOLDEN_WRITE=1 (rewrite the golden instead of comparing).
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh
golden=selftests/golden/streams.txt
prog=$build/unit/stream_golden

if [ ! -x "$prog" ]; then
	not_ok "$prog is built (run make first)"
	tap_plan
	tap_exit
fi

# shellcheck disable=SC2086 # exec_prefix is empty or one word
if $exec_prefix "$prog" --print > "$tmp/streams.txt"; then
	ok "stream_golden --print encodes every program"
else
	not_ok "stream_golden --print encodes every program"
fi

if [ "${STREAM_GOLDEN_WRITE:-0}" = 1 ]; then
	mkdir -p "$(dirname "$golden")"
	cp "$tmp/streams.txt" "$golden"
	echo "# wrote $golden ($(wc -l < "$golden") streams)"
fi

if [ ! -s "$golden" ]; then
	not_ok "$golden exists"
elif diff -u "$golden" "$tmp/streams.txt" > "$tmp/diff"; then
	ok "all $(wc -l < "$golden") streams identical to $golden"
else
	sed -e 's/^/# /' "$tmp/diff" | head -40
	not_ok "streams identical to $golden ($(grep -c '^+[^+]' "$tmp/diff") lines differ)"
fi

# The golden covers each kind of program (a golden missing one would
# pass without checking it).
for kind in /conv-in8-k3-cin32-cout32-s1-same/int8 /conv-in8-k3-cin32-cout32-s1-same/raw \
	/ew-add /diag- rocket/dpu-copy rocket/dpu-copy-hang npu/every-register; do
	if grep -q -e "$kind " -e "${kind}[a-z-]* " "$golden" 2>/dev/null; then
		ok "the golden has $kind"
	else
		not_ok "the golden has $kind"
	fi
done

tap_plan
tap_exit
