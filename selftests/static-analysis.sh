#!/bin/sh
# static-analysis.sh — cppcheck (Debian 12: 2.10) over every C source of
# the project, with zero findings, as shellcheck runs over the scripts.
# Each finding is one failing TAP line "FILE:LINE: severity: message [id]";
# none gives one passing line.
#
# Checks enabled: warning, style, performance, portability (not
# "information": it reports the system headers cppcheck is not given).
# Suppressed everywhere, with the reason:
#   variableScope  "the scope of X can be reduced": kernel style declares
#                  a function's locals at the top of its block; a taste,
#                  not a defect.
# A suppression for one line sits in the source as
#   /* cppcheck-suppress ID */ with a comment saying why.
#
# Environment: BUILD_DIR (default build/<host arch>; its generated
# rkval_version.h is on the include path); EXEC is not used.
set -u
cd "$(dirname "$0")/.." || exit 2

# shellcheck source=selftests/lib/tap.sh
. selftests/lib/tap.sh
# shellcheck source=selftests/lib/build-env.sh
. selftests/lib/build-env.sh

C_DIRS="lib tests tools bench selftests/bin selftests/unit selftests/fuzz"

if ! command -v cppcheck > /dev/null 2>&1; then
	not_ok "cppcheck is not installed (scripts/deps.sh check installs it)"
	tap_plan
	tap_exit
fi

# shellcheck disable=SC2086 # one word per directory
files=$(find $C_DIRS -name '*.[ch]' 2>/dev/null | wc -l | tr -d ' ')
# shellcheck disable=SC2086 # one word per directory
cppcheck -q -j2 --std=c11 --inline-suppr --error-exitcode=1 \
	--enable=warning,style,performance,portability \
	--suppress=variableScope \
	-Ilib -Ilib/uapi -I"$build" \
	--template='{file}:{line}: {severity}: {message} [{id}]' \
	$C_DIRS > "$tmp/out" 2> "$tmp/findings"
status=$?

findings=$(grep -c '' "$tmp/findings" | tr -d ' ')
while IFS= read -r line; do
	not_ok "$line"
done < "$tmp/findings"
if [ "$status" -ne 0 ] && [ "$findings" -eq 0 ]; then
	not_ok "cppcheck exited with status $status and said nothing"
	sed -e 's/^/# /' "$tmp/out" | tail -n 10
elif [ "$findings" -eq 0 ]; then
	ok "cppcheck $(cppcheck --version | sed -e 's/^Cppcheck //'): no findings in $files C files"
fi

tap_plan
tap_exit
