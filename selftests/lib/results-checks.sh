# results-checks.sh — checks of a runner's output and results directory
# that the runner self-tests share (POSIX sh, sourced after tap.sh).
# Each returns 0 or 1 and says on stderr what it missed, so check()
# (tap.sh) can quote it.
# shellcheck disable=SC2317 # the functions are called through check()

# has FILE LINE: FILE contains LINE exactly
has()
{
	grep -qxF -e "$2" "$1" || { echo "# '$2' not in $1" >&2; return 1; }
}

# has_re FILE ERE: a line of FILE matches ERE
has_re()
{
	grep -qE -e "$2" "$1" || { echo "# /$2/ not in $1" >&2; return 1; }
}

# result_of RESULTS NAME: the result word RESULTS/summary.txt gives NAME,
# "none" when it lists no such test
result_of()
{
	while read -r r name _; do
		[ "$name" = "$2" ] && { echo "$r"; return; }
	done <"$1/summary.txt"
	echo none
}

# expect RESULTS NAME RESULT SH: one TAP line, ok when RESULTS gives NAME
# the result RESULT (the runner ran under shell SH)
expect()
{
	got=$(result_of "$1" "$2")
	if [ "$got" = "$3" ]; then
		ok "$4: $2 is $3"
	else
		not_ok "$4: $2 is $3 (got $got)"
	fi
}
