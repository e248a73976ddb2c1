# common.sh — shared by every rkval-results sub-command (POSIX sh, sourced).
#
# Contract: the command sets $prog and $lib_dir, then sources this file.
# It defines the exit codes, the error helpers (every input error names
# its file and, where there is one, its line), the result classes of
# docs/results.md ("Counting") and the kernel ordering used by every
# table.

# Variables cross the files of results-lib and rkval-results, which
# the linter checks one at a time.
# shellcheck disable=SC2034,SC2154

# Exit status of every sub-command (docs/results-store.md).
EXIT_OK=0		# nothing to report
EXIT_FINDING=1		# compare: a regression; expect: an unexpected result
EXIT_INPUT=2		# usage error or bad input (file and line named)

# The store's format.  A store or run written by another format is
# refused rather than half-read.
STORE_FORMAT="rkval-results store 1"
RUN_FORMAT=1

LC_ALL=C
export LC_ALL

die()
{
	printf '%s: %s\n' "$prog" "$*" >&2
	exit "$EXIT_INPUT"
}

# die_at FILE LINE MESSAGE: an input error at one line of one file.
die_at()
{
	printf '%s: %s:%s: %s\n' "$prog" "$1" "$2" "$3" >&2
	exit "$EXIT_INPUT"
}

warn()
{
	printf '%s: warning: %s\n' "$prog" "$*" >&2
}

# need_arg OPTION VALUE-COUNT: an option that takes a value got one.
need_arg()
{
	[ "$2" -ge 2 ] || die "option $1 needs a value (see --help)"
}

# Result classes, as rkval-run counts them (docs/results.md, "Counting").
# One awk fragment so every sub-command classifies alike.
AWK_CLASSES='
function result_class(r) {
	if (r == "pass" || r == "warn")
		return "pass"
	if (r == "skip")
		return "skip"
	return "fail"
}
# The rules of runs written before rkval-run counted an undeclared kernel
# warning (dmesg-warn) and a subtest never run (notrun) as failures: a run
# whose totals follow them is still a whole run, not a corrupt one.
function result_class_before_v2(r) {
	if (r == "pass" || r == "warn" || r == "dmesg-warn")
		return "pass"
	if (r == "skip" || r == "notrun")
		return "skip"
	return "fail"
}
function known_result(r) {
	return r ~ /^(pass|warn|dmesg-warn|fail|dmesg-fail|crash|timeout|incomplete|abort|skip|notrun)$/
}'

# kernel_order: read kernel keys on stdin, print them oldest first.
# vnpu's profiles have a fixed order — mainline, then the RFC series on
# top of it, then next (docs/vnpu.md "Kernel profiles"); a profile with
# injected faults follows its profile.  Real kernel versions come first,
# in version order: every digit run is zero-padded so that a plain sort
# puts 6.9 before 6.18 and 6.18-rc3 before 6.18.0 (busybox sort has no -V).
kernel_order()
{
	awk '{
		k = $0; base = k; sub(/\+.*/, "", base)
		rank = base == "mainline" ? 1 : base == "rfc" ? 2 : base == "next" ? 3 : 0
		key = ""; rest = k
		while (match(rest, /[0-9]+/)) {
			key = key substr(rest, 1, RSTART - 1) sprintf("%012d", substr(rest, RSTART, RLENGTH) + 0)
			rest = substr(rest, RSTART + RLENGTH)
		}
		print rank "\t" key rest "\t" k
	}' | sort -t "$(printf '\t')" -k1,1n -k2,2 | cut -f3
}
