# build-env.sh — the common start of the selftests/*.sh scripts that run
# the built binaries (POSIX sh, sourced).
#
# Contract: source it after the script's cd to the repository top
# (`. selftests/lib/build-env.sh`).  It sets
#   host_arch    uname -m in the Makefile's spelling (arm64, not aarch64)
#   build        $BUILD_DIR, default build/<host arch>
#   exec_prefix  $EXEC: a wrapper such as qemu-aarch64-static, empty for
#                the host
#   EXIT_SUCCESS, EXIT_SKIP, EXIT_FAILURE  the harness's exit codes
#   tmp          a scratch directory, removed when the script exits
# and defines subtest_results.  A script that needs its own EXIT trap must
# remove $tmp in it.

# shellcheck disable=SC2034 # the sourcing scripts use these
{
	host_arch=$(uname -m | sed -e 's/aarch64/arm64/')
	build=${BUILD_DIR:-build/$host_arch}
	exec_prefix=${EXEC:-}
	# Harness exit codes (IGT igt_core.h): success, skip, failure.
	EXIT_SUCCESS=0
	EXIT_SKIP=77
	EXIT_FAILURE=98
}

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# subtest_results BIN LOG: one line "BIN:SUBTEST RESULT STAGE" per subtest
# result line of LOG (a test binary's output); STAGE is the stage of the
# VERDICT line before a FAIL, "-" otherwise.
subtest_results() {
	awk -v bin="$1" '
		/^VERDICT: / { stage = $2 }
		/^Subtest [^ ]+: [A-Z-]+ \(/ {
			name = $2; sub(/:$/, "", name)
			print bin ":" name " " $3 " " ($3 == "FAIL" ? stage : "-")
			stage = "-"
		}' "$2"
}
