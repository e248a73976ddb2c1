# tap.sh — TAP output for the selftests/*.sh scripts (POSIX sh, sourced).
#
# Contract: source it after the script's cd to the repository top
# (`. selftests/lib/tap.sh`).  Each check prints one numbered line,
# "ok N - DESC" or "not ok N - DESC"; $n is the last number used and
# $nfail the number of failures so far.  tap_plan prints the closing
# "1..N"; tap_exit ends the script with status 0 when nothing failed,
# else 1.

n=0
nfail=0

# ok DESC...: one passing line.
ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

# not_ok DESC...: one failing line.
not_ok() {
	n=$((n + 1))
	nfail=$((nfail + 1))
	echo "not ok $n - $*"
}

# skip DESC...: one skipped line (TAP directive "# SKIP").
skip() {
	n=$((n + 1))
	echo "ok $n - # SKIP $*"
}

# check DESC CMD...: one line from CMD's exit status.
check() {
	tap_desc=$1
	shift
	if "$@"; then ok "$tap_desc"; else not_ok "$tap_desc"; fi
}

# tap_plan: the closing plan line.
tap_plan() {
	echo "1..$n"
}

# tap_exit: exit 0 when every check passed, 1 otherwise.
tap_exit() {
	[ "$nfail" -eq 0 ] && exit 0
	exit 1
}
