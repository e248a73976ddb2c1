#!/bin/sh
# run-binary.sh EXEC BIN DEVICE [PATTERN] — run the subtests of a test
# binary (all, or those PATTERN selects) in one process, the IGT way, and
# fail if any subtest failed or crashed.  Used for the arm64 binaries under
# qemu, where rkval-run cannot exec them directly.
set -u
exec_wrapper=$1 bin=$2 device=$3 pattern=${4:-*}
# shellcheck disable=SC2086 # the wrapper may be empty
out=$($exec_wrapper "$bin" --device "$device" --run-subtest "$pattern" 2>&1)
status=$?
printf '%s\n' "$out"
case $status in
0|77) ;;
*) echo "$bin exited with status $status"; exit 1 ;;
esac
if printf '%s\n' "$out" | grep -Eq '^Subtest .*: (FAIL|CRASH)'; then
	exit 1
fi
exit 0
